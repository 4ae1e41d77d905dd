//! Who is asking: loopback is trusted, anything else needs a user's token
//! (`Authorization: Bearer …` or the `hearsay_token` cookie the login form
//! sets). State changes also need a CSRF token tied to the user, unless the
//! request authenticated with a header (a browser never adds one by itself).

use super::WebError;
use crate::config::WebConfig;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// The name recorded for status changes made from loopback without a token.
pub const LOCAL_USER: &str = "local";

/// The cookie the login form sets.
pub const COOKIE: &str = "hearsay_token";

/// Users and their tokens (read from the environment at start) and the
/// server's CSRF key (random per start).
pub struct Auth {
    users: Vec<(String, String)>,
    key: [u8; 32],
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.users.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Auth").field("users", &names).finish()
    }
}

/// Who a request is from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    /// Authenticated by an `Authorization` header: no CSRF token needed.
    pub by_header: bool,
}

impl Auth {
    /// Reads every user's token; refuses a non-loopback `bind` without users.
    pub fn new(web: &WebConfig, bind: SocketAddr) -> Result<Auth, WebError> {
        let mut users = Vec::new();
        for u in &web.users {
            let token = std::env::var(&u.token_env)
                .ok()
                .filter(|t| !t.trim().is_empty());
            let Some(token) = token else {
                return Err(WebError::MissingToken {
                    user: u.name.clone(),
                    var: u.token_env.clone(),
                });
            };
            users.push((u.name.clone(), token.trim().to_string()));
        }
        if !bind.ip().is_loopback() && users.is_empty() {
            return Err(WebError::OpenBind(bind));
        }
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(|e| WebError::Random(e.to_string()))?;
        Ok(Auth { users, key })
    }

    /// The user a request is from, or `None` (401): a valid token from the
    /// header or the cookie, else `local` for a loopback peer.
    pub fn who(&self, peer: Option<SocketAddr>, headers: &axum::http::HeaderMap) -> Option<User> {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let cookie = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| {
                c.trim()
                    .strip_prefix(&format!("{COOKIE}="))
                    .map(str::to_string)
            })
            .next();
        if let Some(token) = bearer {
            return self.user_of(token).map(|name| User {
                name,
                by_header: true,
            });
        }
        if let Some(name) = cookie.as_deref().and_then(|t| self.user_of(t)) {
            return Some(User {
                name,
                by_header: false,
            });
        }
        peer.filter(|p| p.ip().is_loopback()).map(|_| User {
            name: LOCAL_USER.to_string(),
            by_header: false,
        })
    }

    /// The user whose token this is (compared without an early exit).
    pub fn user_of(&self, token: &str) -> Option<String> {
        self.users
            .iter()
            .find(|(_, t)| same(t.as_bytes(), token.as_bytes()))
            .map(|(n, _)| n.clone())
    }

    /// The CSRF token for a user's forms: a keyed hash, valid until restart.
    pub fn csrf(&self, user: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(user.as_bytes());
        h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A state change is allowed: authenticated by header, or carrying the user's CSRF token.
    pub fn may_change(&self, user: &User, csrf: Option<&str>) -> bool {
        user.by_header || csrf.is_some_and(|c| same(c.as_bytes(), self.csrf(&user.name).as_bytes()))
    }
}

/// Equal bytes, in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WebUser;

    fn web(users: &[(&str, &str)]) -> WebConfig {
        WebConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            users: users
                .iter()
                .map(|(n, v)| WebUser {
                    name: n.to_string(),
                    token_env: v.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn off_loopback_needs_users_and_their_tokens() {
        let open = SocketAddr::from(([0, 0, 0, 0], 8080));
        let err = Auth::new(&web(&[]), open).unwrap_err().to_string();
        assert!(err.contains("[[web.users]]"), "{err}");
        let err = Auth::new(&web(&[("anna", "HEARSAY_TEST_NO_SUCH_TOKEN")]), open)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("HEARSAY_TEST_NO_SUCH_TOKEN") && err.contains("anna"),
            "{err}"
        );
        assert!(Auth::new(&web(&[]), SocketAddr::from(([127, 0, 0, 1], 8080))).is_ok());
    }

    #[test]
    fn a_token_names_its_user_and_loopback_is_local() {
        std::env::set_var("HEARSAY_TEST_TOKEN_BO", "t0ken-bo");
        let auth = Auth::new(
            &web(&[("bo", "HEARSAY_TEST_TOKEN_BO")]),
            SocketAddr::from(([0, 0, 0, 0], 1)),
        )
        .unwrap();
        let mut h = axum::http::HeaderMap::new();
        let far = Some(SocketAddr::from(([10, 0, 0, 9], 5555)));
        assert_eq!(auth.who(far, &h), None, "off loopback without a token: 401");
        h.insert("authorization", "Bearer t0ken-bo".parse().unwrap());
        assert_eq!(auth.who(far, &h).unwrap().name, "bo");
        h.insert("authorization", "Bearer wrong".parse().unwrap());
        assert_eq!(auth.who(far, &h), None);
        let near = Some(SocketAddr::from(([127, 0, 0, 1], 5555)));
        let mut h = axum::http::HeaderMap::new();
        let local = auth.who(near, &h).unwrap();
        assert_eq!(local.name, LOCAL_USER);
        assert!(
            !auth.may_change(&local, None),
            "a form post needs the CSRF token"
        );
        assert!(!auth.may_change(&local, Some("00")));
        assert!(auth.may_change(&local, Some(&auth.csrf(LOCAL_USER))));
        h.insert("cookie", "a=b; hearsay_token=t0ken-bo".parse().unwrap());
        assert_eq!(auth.who(far, &h).unwrap().name, "bo");
    }
}
