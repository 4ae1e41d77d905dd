//! A small HTTP server on loopback serving fixture routes: used by the demo
//! and by the integration tests (real sockets, real HTTP).
//!
//! Routes are set and replaced at runtime; every request is logged (method,
//! path, headers, arrival time) so tests can assert what a crawler asked for
//! and when. Replies answer conditional GETs with 304 when they carry
//! validators, and can be slow, trickled or pre-compressed.

use axum::body::{Body, Bytes};
use axum::extract::Request as HttpRequest;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One canned response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (slow endpoints).
    pub delay: Duration,
    /// Send the body in chunks of this many bytes with this pause before each
    /// (a server that stalls mid-body).
    pub trickle: Option<(usize, Duration)>,
}

/// The fixed Last-Modified that [`Reply::with_validators`] sets.
pub const FIXED_LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

impl Reply {
    /// 200 with a content type and body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            trickle: None,
        }
    }

    /// A bare status with an empty body.
    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            trickle: None,
        }
    }

    /// 200 `text/html; charset=utf-8`.
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("text/html; charset=utf-8", body)
    }

    /// 200 `application/xml` (feeds, sitemaps).
    pub fn xml(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("application/xml", body)
    }

    /// 200 `text/plain` (robots.txt).
    pub fn text(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("text/plain; charset=utf-8", body)
    }

    /// A redirect (301, 302, 303, 307, 308) to `location`, absolute or relative.
    pub fn redirect(code: u16, location: &str) -> Reply {
        Reply::status(code).with_header("location", location)
    }

    /// A 200 HTML reply whose gzip body inflates to `inflated_bytes` bytes
    /// (compressed about 1000:1): a decompression bomb.
    pub fn gzip_bomb(inflated_bytes: usize) -> Reply {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let zeros = vec![0u8; 64 * 1024];
        let mut left = inflated_bytes;
        while left > 0 {
            let n = left.min(zeros.len());
            gz.write_all(&zeros[..n]).expect("writing to memory");
            left -= n;
        }
        let body = gz.finish().expect("writing to memory");
        Reply::html(body).with_header("content-encoding", "gzip")
    }

    /// Adds (or replaces) a header; names are lowercased.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(k, _)| *k != name);
        self.headers.push((name, value.to_string()));
        self
    }

    /// Answers after `delay` (other requests are served meanwhile).
    pub fn with_delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Sends the body `chunk` bytes at a time, pausing `every` before each.
    pub fn with_trickle(mut self, chunk: usize, every: Duration) -> Reply {
        self.trickle = Some((chunk.max(1), every));
        self
    }

    /// Adds an ETag derived from the body and a fixed Last-Modified, so a
    /// conditional GET with either gets a 304.
    pub fn with_validators(self) -> Reply {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&self.body);
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        self.with_header("etag", &format!("\"{hex}\""))
            .with_header("last-modified", FIXED_LAST_MODIFIED)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request the server received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path_and_query: String,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    /// When it arrived (for spacing assertions).
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split('?')
            .next()
            .unwrap_or(&self.path_and_query)
    }
}

#[derive(Debug, Default)]
struct Route {
    replies: Vec<Reply>,
    served: usize,
}

#[derive(Debug, Default)]
struct Shared {
    routes: HashMap<String, Route>,
    log: Vec<Request>,
}

/// The running server; it stops accepting connections when dropped.
#[derive(Debug)]
pub struct Web {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Web {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Web {
    /// Binds `addr` (port 0: any free port; any 127.x.y.z works on Linux) and serves.
    pub async fn start(addr: SocketAddr) -> std::io::Result<Web> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = shared.clone();
        let app = Router::new().fallback(move |req: HttpRequest| {
            let state = state.clone();
            async move { respond(state, req).await }
        });
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::warn!(error = %e, "demo web stopped");
            }
        });
        Ok(Web { addr, shared, task })
    }

    /// Starts on 127.0.0.1 with an ephemeral port.
    pub async fn start_local() -> std::io::Result<Web> {
        Web::start(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ip:port` + `path_and_query` (which should start with `/`).
    pub fn url(&self, path_and_query: &str) -> url::Url {
        url::Url::parse(&format!("http://{}{}", self.addr, path_and_query))
            .expect("a loopback address and a path form a URL")
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Serves `reply` at `path_and_query` from now on (replacing any route).
    pub fn route(&self, path_and_query: &str, reply: Reply) {
        self.route_seq(path_and_query, vec![reply]);
    }

    /// The nth request gets the nth reply; the last one repeats.
    pub fn route_seq(&self, path_and_query: &str, replies: Vec<Reply>) {
        self.lock()
            .routes
            .insert(path_and_query.to_string(), Route { replies, served: 0 });
    }

    /// Removes a route: the path answers 404 from now on.
    pub fn unroute(&self, path_and_query: &str) {
        self.lock().routes.remove(path_and_query);
    }

    /// Requests for `path_and_query`; a path without `?` counts every query on it.
    pub fn hits(&self, path_and_query: &str) -> usize {
        let any_query = !path_and_query.contains('?');
        self.lock()
            .log
            .iter()
            .filter(|r| {
                r.path_and_query == path_and_query || (any_query && r.path() == path_and_query)
            })
            .count()
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().log.clone()
    }
}

async fn respond(shared: Arc<Mutex<Shared>>, req: HttpRequest) -> Response {
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let request = Request {
        method: req.method().to_string(),
        path_and_query: path_and_query.clone(),
        headers,
        at: Instant::now(),
    };
    let reply = {
        let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.log.push(request.clone());
        let path = request.path().to_string();
        let key = if shared.routes.contains_key(&path_and_query) {
            path_and_query
        } else {
            path
        };
        shared.routes.get_mut(&key).and_then(|route| {
            let i = route.served.min(route.replies.len().checked_sub(1)?);
            route.served += 1;
            route.replies.get(i).cloned()
        })
    };
    let Some(reply) = reply else {
        return build(404, &[], Body::from("not found"));
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if not_modified(&reply, &request) {
        let keep: Vec<(String, String)> = reply
            .headers
            .iter()
            .filter(|(k, _)| k == "etag" || k == "last-modified")
            .cloned()
            .collect();
        return build(304, &keep, Body::empty());
    }
    let body = match reply.trickle {
        None => Body::from(reply.body),
        Some((chunk, every)) => {
            let chunks: Vec<Bytes> = reply
                .body
                .chunks(chunk)
                .map(Bytes::copy_from_slice)
                .collect();
            let stream =
                futures_util::stream::unfold(chunks.into_iter(), move |mut rest| async move {
                    let next = rest.next()?;
                    tokio::time::sleep(every).await;
                    Some((Ok::<Bytes, std::io::Error>(next), rest))
                });
            Body::from_stream(stream)
        }
    };
    build(reply.status, &reply.headers, body)
}

/// RFC 9110 §13.1: If-None-Match wins over If-Modified-Since.
fn not_modified(reply: &Reply, request: &Request) -> bool {
    if !(200..300).contains(&reply.status) {
        return false;
    }
    if let Some(inm) = request.header("if-none-match") {
        let Some(etag) = reply.header("etag") else {
            return false;
        };
        let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
        return inm
            .split(',')
            .any(|t| t.trim() == "*" || bare(t) == bare(etag));
    }
    if let (Some(ims), Some(lm)) = (
        request.header("if-modified-since"),
        reply.header("last-modified"),
    ) {
        let parse = |s: &str| chrono::DateTime::parse_from_rfc2822(s.trim()).ok();
        return match (parse(ims), parse(lm)) {
            (Some(ims), Some(lm)) => lm <= ims,
            _ => ims.trim() == lm.trim(),
        };
    }
    false
}

fn build(status: u16, headers: &[(String, String)], body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let map: &mut HeaderMap = response.headers_mut();
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            map.append(k, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_are_stable_per_body() {
        let a = Reply::html("x").with_validators();
        let b = Reply::html("x").with_validators();
        let c = Reply::html("y").with_validators();
        assert_eq!(a.header("etag"), b.header("etag"));
        assert_ne!(a.header("etag"), c.header("etag"));
        assert_eq!(a.header("last-modified"), Some(FIXED_LAST_MODIFIED));
    }

    #[test]
    fn gzip_bomb_is_small_and_inflates() {
        use std::io::Read;
        let bomb = Reply::gzip_bomb(4 * 1024 * 1024);
        assert!(bomb.body.len() < 64 * 1024, "{}", bomb.body.len());
        let mut inflated = Vec::new();
        flate2::read::GzDecoder::new(&bomb.body[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated.len(), 4 * 1024 * 1024);
    }

    fn req(headers: &[(&str, &str)]) -> Request {
        Request {
            method: "GET".into(),
            path_and_query: "/".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            at: Instant::now(),
        }
    }

    #[test]
    fn conditional_requests() {
        let reply = Reply::html("body").with_validators();
        let etag = reply.header("etag").unwrap().to_string();
        assert!(not_modified(&reply, &req(&[("if-none-match", &etag)])));
        assert!(not_modified(
            &reply,
            &req(&[("if-none-match", &format!("\"other\", W/{etag}"))])
        ));
        assert!(!not_modified(
            &reply,
            &req(&[("if-none-match", "\"other\"")])
        ));
        assert!(not_modified(
            &reply,
            &req(&[("if-modified-since", FIXED_LAST_MODIFIED)])
        ));
        assert!(!not_modified(
            &reply,
            &req(&[("if-modified-since", "Tue, 20 Oct 2015 07:28:00 GMT")])
        ));
        assert!(!not_modified(&reply, &req(&[])));
        assert!(!not_modified(
            &Reply::html("plain"),
            &req(&[("if-none-match", "*")])
        ));
    }
}
