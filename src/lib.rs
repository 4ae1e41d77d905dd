//! Hearsay: listen to what the open web says about a brand.
//!
//! The pipeline, one module per stage, in the order data flows:
//!
//! - [`model`], [`store`]: the ground floor — shared types, and the one place
//!   that persists (SQLite state store = source of truth, tantivy index = derived).
//! - [`config`]: TOML in, validated types out.
//! - [`sources`]: what to crawl next, error counts and back-off per source.
//! - [`crawl`]: polite, safe fetching (robots.txt, per-host limits, address guard).
//! - [`extract`]: feeds, pages, sitemaps → items with text, dates, canonical URLs, language.
//! - [`matcher`]: brand aliases, exclusions, boolean queries, masked spellings.
//! - [`classify`]: intent, sentiment and moderation flags, each with a reason.
//! - [`campaigns`]: near-duplicate wording across authors (coordinated campaigns; in progress).
//! - [`respond`]: one suggested reply per mention, from the brand's Fluent templates.
//! - [`digest`]: digests and alerts by mail, through an outbox in the store.
//! - [`pipeline`]: crawl → extract → match → store → index, once per source.
//! - [`schedule`]: runs the pipeline on cron schedules until stopped.
//! - [`web`]: `hearsay serve`, the search and campaign pages and their JSON API.
//! - [`demo`]: a bundled loopback web for the offline demo and the tests.
//! - [`stats`]: counters and stage durations for `/metrics`.
//!
//! No stage imports a later one.

pub mod model;
pub mod stats;
pub mod store;

pub mod campaigns;
pub mod classify;
pub mod config;
pub mod crawl;
pub mod demo;
pub mod digest;
pub mod extract;
pub mod matcher;
pub mod pipeline;
pub mod respond;
pub mod schedule;
pub mod sources;
pub mod web;
