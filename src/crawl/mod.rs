//! Polite, safe fetching. STUB: the crawl helper implements it.
