//! Mentions as files other tools read: CSV (one row per mention) and JSON
//! lines (the stable JSON fields). `hearsay export` and the web page's
//! export links write the same bytes.

use crate::model::Mention;

/// The CSV columns, in order.
pub const CSV_HEADER: &str =
    "id,url,source,brands,lang,title,author,published,first_seen,fetched,versions,deleted,text";

/// RFC 4180 CSV with a header row.
pub fn csv(mentions: &[Mention]) -> String {
    let mut text = String::from(CSV_HEADER);
    text.push('\n');
    for m in mentions {
        let row = [
            m.id.to_string(),
            m.url.clone(),
            m.source.clone(),
            m.brands.join(";"),
            m.lang.to_string(),
            m.title.clone(),
            m.author.clone().unwrap_or_default(),
            m.published.map(|t| t.to_rfc3339()).unwrap_or_default(),
            m.first_seen.to_rfc3339(),
            m.fetched.to_rfc3339(),
            m.versions.to_string(),
            m.deleted.to_string(),
            m.text.clone(),
        ];
        text.push_str(&row.iter().map(|v| field(v)).collect::<Vec<_>>().join(","));
        text.push('\n');
    }
    text
}

/// One JSON object per line.
pub fn jsonl(mentions: &[Mention]) -> String {
    let mut text = String::new();
    for m in mentions {
        text.push_str(&serde_json::to_string(m).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
