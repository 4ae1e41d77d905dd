//! Canonical URLs: one article reached through a feed, a sitemap and a site
//! crawl must produce one key, so the URL is normalised and stripped of
//! tracking parameters before it names a mention.

use url::Url;

/// Query parameters that only track a click and never select content.
/// Matched case-insensitively; `utm_*` is handled as a prefix.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "twclid",
    "yclid",
    "ysclid",
    "_openstat",
    "mc_cid",
    "mc_eid",
    "ref",
    "ref_src",
    "ref_url",
    "igshid",
    "spm",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "vero_id",
    "wickedid",
    "_ga",
    "_gl",
];

/// WHATWG-normalised URL (the `url` crate already lowercases the host, drops
/// the default port, resolves dot segments and percent-encodes) with the
/// fragment, tracking parameters and an empty query removed.
///
/// Kept on purpose: `www.` (a different host may serve different content),
/// path case, trailing slashes, `index.html`, and the order and encoding of
/// the remaining query parameters.
pub fn canonical_url(url: &Url) -> Url {
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    let kept = canonical.query().map(|query| {
        query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking(pair))
            .collect::<Vec<_>>()
            .join("&")
    });
    match kept {
        Some(q) if !q.is_empty() => canonical.set_query(Some(&q)),
        _ => canonical.set_query(None),
    }
    canonical
}

/// Canonical form of a permalink that identifies a part of a page: like
/// [`canonical_url`] but the fragment (a comment's anchor) is kept.
pub fn canonical_permalink(url: &Url) -> Url {
    let mut canonical = canonical_url(url);
    if let Some(fragment) = url.fragment().filter(|f| !f.is_empty()) {
        canonical.set_fragment(Some(fragment));
    }
    canonical
}

/// Resolves `href` against `base` and keeps it only if it is http(s).
pub fn resolve_http(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let resolved = base.join(href).ok()?;
    matches!(resolved.scheme(), "http" | "https").then_some(resolved)
}

fn is_tracking(pair: &str) -> bool {
    let raw_key = pair.split('=').next().unwrap_or_default();
    let key = percent_decode(raw_key).to_ascii_lowercase();
    key.starts_with("utm_") || TRACKING_PARAMS.contains(&key.as_str())
}

/// Enough percent-decoding to compare a query key (`utm%5Fsource`).
fn percent_decode(raw: &str) -> String {
    url::form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical_url(&Url::parse(s).expect("test url")).to_string()
    }

    #[test]
    fn drops_utm_and_click_ids_but_keeps_real_params() {
        assert_eq!(
            canon("https://Blog.Example.org/post/Nordlys?id=7&utm_source=tg&UTM_Medium=x&fbclid=abc#comments"),
            "https://blog.example.org/post/Nordlys?id=7"
        );
        assert_eq!(
            canon("https://example.org/a?utm_campaign=x&gclid=1&yclid=2&_openstat=3"),
            "https://example.org/a"
        );
        assert_eq!(canon("https://example.org/a?"), "https://example.org/a");
        assert_eq!(
            canon("https://example.org/a?q=%D0%BD%D0%BE%D1%80%D0%B4&&page=2&ref=rss"),
            "https://example.org/a?q=%D0%BD%D0%BE%D1%80%D0%B4&page=2"
        );
        assert_eq!(
            canon("https://example.org/a?utm%5Fsource=x&p=1"),
            "https://example.org/a?p=1"
        );
    }

    #[test]
    fn whatwg_normalisation_keeps_www_and_path_case() {
        assert_eq!(
            canon("HTTP://WWW.Example.ORG:80/A/./b/../C"),
            "http://www.example.org/A/C"
        );
        assert_eq!(canon("https://example.org:443"), "https://example.org/");
        assert_eq!(
            canon("https://example.org:8443/x/index.html"),
            "https://example.org:8443/x/index.html"
        );
    }

    #[test]
    fn same_article_three_ways_is_one_url() {
        let a = canon("https://example.org/2026/11/nordlys-review/#more-12");
        let b = canon("https://EXAMPLE.org/2026/11/nordlys-review/?utm_source=rss&utm_medium=rss");
        let c = canon("https://example.org/2026/11/./nordlys-review/");
        assert_eq!(a, b);
        assert_eq!(b, c);
    }

    #[test]
    fn permalink_keeps_anchor_and_resolve_rejects_other_schemes() {
        let p = Url::parse("https://example.org/t/1?utm_source=x#comment-5").expect("url");
        assert_eq!(
            canonical_permalink(&p).as_str(),
            "https://example.org/t/1#comment-5"
        );
        let base = Url::parse("https://example.org/t/1").expect("url");
        assert_eq!(
            resolve_http(&base, "../u/2").map(|u| u.to_string()),
            Some("https://example.org/u/2".into())
        );
        assert_eq!(resolve_http(&base, "javascript:alert(1)"), None);
        assert_eq!(resolve_http(&base, "mailto:a@b.c"), None);
        assert_eq!(resolve_http(&base, "  "), None);
    }
}
