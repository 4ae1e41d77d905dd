//! The address guard: which addresses a fetch may connect to.
//!
//! A crawler that follows links and redirects from the open web must not be
//! steered into the operator's own network (SSRF). Checking the URL's text is
//! not enough — `intranet.example` may resolve to `10.0.0.5` — so names are
//! checked *after* DNS resolution, by a resolver that hands reqwest only the
//! addresses it checked. IP literals never reach a resolver, so the fetcher
//! checks them with [`Guard::check_literal`] before each hop.

use crate::config::{CrawlConfig, HostPort};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::{Host, Url};

/// Returned (boxed) by [`GuardResolver`] when every address of a name is refused;
/// the fetcher finds it in reqwest's error chain to report a block, not a network error.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to non-global addresses ({addrs})")]
pub struct BlockedName {
    pub host: String,
    pub addrs: String,
}

/// The guard's decision rules, shared by the literal check and the resolver.
#[derive(Debug, Clone)]
pub struct Guard {
    allow_private: bool,
    allow: Vec<HostPort>,
}

/// What a hop may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Any address: `allow_private_addresses`, or the hop's host:port is listed.
    Any,
    /// Global addresses only: names go through the filtering resolver.
    GlobalOnly,
}

impl Guard {
    pub fn new(cfg: &CrawlConfig) -> Guard {
        Guard {
            allow_private: cfg.allow_private_addresses,
            allow: cfg.allow_addresses.clone(),
        }
    }

    /// Decides how a hop's URL may connect. Errors with the refused address when
    /// the host is an IP literal that is not global and not allowed.
    pub fn check_literal(&self, url: &Url) -> Result<Reach, IpAddr> {
        if self.allow_private || self.listed(url) {
            return Ok(Reach::Any);
        }
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(Reach::GlobalOnly),
        };
        if is_global(ip) {
            Ok(Reach::GlobalOnly)
        } else {
            Err(ip)
        }
    }

    /// The hop's host and port literally equal an `allow_addresses` entry:
    /// `127.0.0.1:8080` allows exactly that, not `localhost:8080` nor `127.0.0.2:8080`.
    fn listed(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        let Some(port) = url.port_or_known_default() else {
            return false;
        };
        self.allow.iter().any(|a| a.host == host && a.port == port)
    }
}

/// A DNS resolver that drops non-global addresses, so reqwest can only connect
/// to addresses that passed the check (no second lookup, no rebinding window).
#[derive(Debug, Default)]
pub struct GuardResolver;

impl Resolve for GuardResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Port 0: reqwest substitutes the URL's port.
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (global, refused): (Vec<SocketAddr>, Vec<SocketAddr>) =
                all.into_iter().partition(|a| is_global(a.ip()));
            if global.is_empty() {
                let addrs = refused
                    .iter()
                    .map(|a| a.ip().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let err: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(BlockedName { host, addrs });
                return Err(err);
            }
            let addrs: Addrs = Box::new(global.into_iter());
            Ok(addrs)
        })
    }
}

/// True for addresses reachable on the public internet. Everything else —
/// loopback, private, link-local, CGNAT, unique-local, documentation,
/// benchmarking, multicast, reserved, IPv4-mapped — is refused by default.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => is_global_v6(v6),
    }
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let non_global = a == 0                         // "this network" 0.0.0.0/8
        || a == 10                                  // RFC 1918
        || (a == 100 && (64..128).contains(&b))     // CGNAT 100.64.0.0/10
        || a == 127                                 // loopback
        || (a == 169 && b == 254)                   // link-local
        || (a == 172 && (16..32).contains(&b))      // RFC 1918
        || (a == 192 && b == 0 && c == 0)           // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)           // TEST-NET-1
        || (a == 192 && b == 88 && c == 99)         // 6to4 relay anycast (deprecated)
        || (a == 192 && b == 168)                   // RFC 1918
        || (a == 198 && (b == 18 || b == 19))       // benchmarking 198.18.0.0/15
        || (a == 198 && b == 51 && c == 100)        // TEST-NET-2
        || (a == 203 && b == 0 && c == 113)         // TEST-NET-3
        || a >= 224; // multicast 224/4, reserved 240/4, broadcast
    !non_global
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if ip.is_unspecified() || ip.is_loopback() {
        return false;
    }
    // IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96): a dual-stack
    // socket would reach the embedded IPv4 address; never needed for crawling.
    if s[0..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        return false;
    }
    // NAT64 well-known prefix 64:ff9b::/96 embeds an IPv4 address: judge that.
    if s[0..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return is_global_v4(v4);
    }
    // 6to4 2002::/16 embeds an IPv4 address in bits 16..48.
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return is_global_v4(v4);
    }
    let non_global = (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)   // local-use NAT64 64:ff9b:1::/48
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0])          // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] < 0x200)                 // IETF protocol assignments 2001::/23 (Teredo, ORCHID...)
        || (s[0] == 0x2001 && s[1] == 0xdb8)                // documentation 2001:db8::/32
        || (s[0] & 0xfff0) == 0x3ff0                        // documentation 3fff::/20
        || (s[0] & 0xfe00) == 0xfc00                        // unique-local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80                        // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0                        // site-local (deprecated) fec0::/10
        || (s[0] & 0xff00) == 0xff00; // multicast ff00::/8
    !non_global
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn refuses_non_global_ipv4() {
        for a in [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.0.0.2",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_global(ip(a)), "{a} must be refused");
        }
    }

    #[test]
    fn accepts_global_ipv4() {
        for a in [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.0.1",
            "172.32.0.1",
            "192.0.1.1",
            "192.169.0.1",
            "198.20.0.1",
            "93.184.216.34",
            "223.255.255.255",
        ] {
            assert!(is_global(ip(a)), "{a} must be accepted");
        }
    }

    #[test]
    fn refuses_non_global_ipv6() {
        for a in [
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!is_global(ip(a)), "{a} must be refused");
        }
    }

    #[test]
    fn accepts_global_ipv6() {
        for a in [
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_global(ip(a)), "{a} must be accepted");
        }
    }

    fn cfg(toml: &str) -> CrawlConfig {
        crate::config::Config::parse(toml, std::path::Path::new("test.toml"))
            .unwrap()
            .crawl
    }

    #[test]
    fn literal_check_follows_config() {
        let url = |s: &str| Url::parse(s).unwrap();
        let strict = Guard::new(&cfg(""));
        assert_eq!(
            strict.check_literal(&url("http://127.0.0.1:8080/")),
            Err(ip("127.0.0.1"))
        );
        assert_eq!(strict.check_literal(&url("http://[::1]/")), Err(ip("::1")));
        assert_eq!(
            strict.check_literal(&url("http://8.8.8.8/")),
            Ok(Reach::GlobalOnly)
        );
        // Names are judged after resolution, by the resolver.
        assert_eq!(
            strict.check_literal(&url("http://localhost/")),
            Ok(Reach::GlobalOnly)
        );

        let open = Guard::new(&cfg("[crawl]\nallow_private_addresses = true\n"));
        assert_eq!(open.check_literal(&url("http://10.0.0.1/")), Ok(Reach::Any));

        let listed = Guard::new(&cfg("[crawl]\nallow_addresses = [\"127.0.0.1:8080\"]\n"));
        assert_eq!(
            listed.check_literal(&url("http://127.0.0.1:8080/x")),
            Ok(Reach::Any)
        );
        assert!(listed
            .check_literal(&url("http://127.0.0.2:8080/x"))
            .is_err());
        assert!(listed
            .check_literal(&url("http://127.0.0.1:8081/x"))
            .is_err());
        // localhost is not the listed literal: it goes through the filtering resolver.
        assert_eq!(
            listed.check_literal(&url("http://localhost:8080/x")),
            Ok(Reach::GlobalOnly)
        );
    }

    #[tokio::test]
    async fn resolver_refuses_names_of_private_addresses() {
        let name: Name = "localhost".parse().unwrap();
        let res = tokio::time::timeout(Duration::from_secs(5), GuardResolver.resolve(name))
            .await
            .expect("resolution finishes");
        let err = match res {
            Ok(addrs) => panic!("localhost resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(e) => e,
        };
        assert!(err.downcast_ref::<BlockedName>().is_some(), "{err}");
    }
}
