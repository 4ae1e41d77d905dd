//! Feeds, pages and sitemaps → items. STUB: the extract helper implements it.
