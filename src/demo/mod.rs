//! The bundled demo: a loopback web of blogs, feeds, a forum, reviews and a
//! sitemap in four languages, served by [`web`] and crawled by `hearsay demo`.

mod content;
pub mod site;
pub mod web;
