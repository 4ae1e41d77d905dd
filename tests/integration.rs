//! The one integration-test binary (link time matters on 2 cores).
//! Everything here runs against real parts: a loopback HTTP server, a real
//! SQLite store and tantivy index in a temp dir, the real binary.

mod common;

#[path = "integration/answer.rs"]
mod answer;
#[path = "integration/browser.rs"]
mod browser;
#[path = "integration/campaigns.rs"]
mod campaigns;
#[path = "integration/classify.rs"]
mod classify;
#[path = "integration/cli.rs"]
mod cli;
#[path = "integration/crawl.rs"]
mod crawl;
#[path = "integration/demo.rs"]
mod demo;
#[path = "integration/digest.rs"]
mod digest;
#[path = "integration/fetch.rs"]
mod fetch;
#[path = "integration/search.rs"]
mod search;
#[path = "integration/web.rs"]
mod web;
