//! Digests and alerts: what reputation managers read in their inbox.
//!
//! `collect` gathers a period's mentions, waves, spikes and source health from
//! the store; `render` writes them as text and HTML in the digest's language;
//! `mail` builds the MIME message and hands it to SMTP through the store's
//! outbox, so nothing is lost and nothing is silently sent twice.

pub mod content;
pub mod render;
