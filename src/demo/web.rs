//! A small HTTP server on loopback serving fixture routes: used by the demo
//! and by the integration tests (real sockets, real HTTP).
//!
//! STUB: the crawl helper implements the server.

use std::time::Duration;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (slow endpoints).
    pub delay: Duration,
}

impl Reply {
    /// 200 with a content type and body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
}

/// STUB until the crawl helper's server merges.
pub struct Web;
impl Web {
    pub async fn start(_addr: std::net::SocketAddr) -> std::io::Result<Web> {
        todo!()
    }
    pub fn addr(&self) -> std::net::SocketAddr {
        todo!()
    }
    pub fn route(&self, _path: &str, _reply: Reply) {}
}
