//! The bundled demo: a loopback web of blogs, feeds, a forum, reviews and a
//! sitemap in four languages, served by [`web`] and crawled by `hearsay demo`.

mod content;
pub mod site;
pub mod waves;
pub mod web;

use crate::config::Config;
use std::net::{Ipv4Addr, SocketAddr};

/// The port `config/demo.toml` names; rewritten when it is busy.
pub const DEMO_PORT: u16 = 8787;

/// The running demo web: one server per host, all on `port`. Stops when dropped.
pub struct DemoWeb {
    pub port: u16,
    pub servers: Vec<(Ipv4Addr, &'static str, web::Web)>,
}

/// Starts every demo host on `port`, or on a free port if that one is busy.
pub async fn serve(port: u16) -> std::io::Result<DemoWeb> {
    let first_ip = site::hosts(port)
        .first()
        .map(|h| h.ip)
        .unwrap_or(Ipv4Addr::LOCALHOST);
    // Bind the first host to learn a free port, then put the others on it.
    let first = match web::Web::start(SocketAddr::from((first_ip, port))).await {
        Ok(w) => w,
        Err(_) => web::Web::start(SocketAddr::from((first_ip, 0))).await?,
    };
    let port = first.addr().port();
    let mut first = Some(first);
    let mut servers = Vec::new();
    // Content carries absolute URLs: build it for the port actually used.
    for host in site::hosts(port) {
        let server = match first.take() {
            Some(w) => w,
            None => web::Web::start(SocketAddr::from((host.ip, port))).await?,
        };
        for (path, reply) in host.routes {
            server.route(&path, reply);
        }
        servers.push((host.ip, host.name, server));
    }
    Ok(DemoWeb { port, servers })
}

/// Points the demo config's sources (and allowed addresses) at the port actually served.
pub fn retarget(config: &mut Config, port: u16) {
    for source in &mut config.sources {
        if source.url.port() == Some(DEMO_PORT) {
            let _ = source.url.set_port(Some(port));
        }
    }
    for allowed in &mut config.crawl.allow_addresses {
        if allowed.port == DEMO_PORT {
            allowed.port = port;
        }
    }
}
