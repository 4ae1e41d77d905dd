//! All integration tests, in one binary (link time matters on 2 cores).

#[path = "integration/fetch.rs"]
mod fetch;
