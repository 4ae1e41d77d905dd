//! Bytes → text, in the order browsers use: BOM, HTTP header, in-document
//! declaration, then a statistical guess.
//!
//! Russian and Chinese sites still serve windows-1251, KOI8-R and GBK, often
//! without any label, so the last step (chardetng) matters as much as the
//! first three.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};
use regex::bytes::Regex;
use std::sync::LazyLock;

/// How many leading bytes the `<meta>` / XML declaration prescan looks at (as in the HTML spec).
const PRESCAN_BYTES: usize = 1024;

/// Decodes a fetched body to a `String`.
///
/// Order: BOM, then the `charset` of the HTTP `Content-Type`, then a
/// `<meta charset>` / `<meta http-equiv>` prescan of the first 1024 bytes or
/// the XML declaration's `encoding`, then chardetng. One deviation from the
/// browser rules: a label claiming UTF-8 on a body that is not valid UTF-8 is
/// ignored (servers often add `charset=utf-8` by default to legacy pages).
/// Malformed sequences become U+FFFD; this never fails.
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(body) {
        let rest = body.get(bom_len..).unwrap_or_default();
        return encoding.decode_without_bom_handling(rest).0.into_owned();
    }
    let encoding = match labelled(body, content_type) {
        // Most of the web: validate once and copy, not validate twice.
        Some(e) if e == UTF_8 => match std::str::from_utf8(body) {
            Ok(s) => return s.to_owned(),
            Err(_) => guess(body),
        },
        Some(e) => e,
        None => guess(body),
    };
    encoding.decode_without_bom_handling(body).0.into_owned()
}

/// The encoding the header or the document itself declares.
fn labelled(body: &[u8], content_type: Option<&str>) -> Option<&'static Encoding> {
    content_type
        .and_then(header_charset)
        .or_else(|| prescan(body))
}

/// The encoding [`decode`] would use for a body without a BOM.
pub fn sniff_encoding(body: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some(encoding) = labelled(body, content_type) {
        if encoding != UTF_8 || std::str::from_utf8(body).is_ok() {
            return encoding;
        }
    }
    guess(body)
}

/// The `charset` parameter of a `Content-Type` header value, if it names a known encoding.
pub fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    // `charset = "label"`, any case; a plain scan (a regex capture per
    // response showed in crawl profiles).
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content_type[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest.as_bytes()[..end])
}

/// `<meta charset>`, `<meta http-equiv=content-type content="...charset=...">`
/// or `<?xml ... encoding="...">` within the first 1024 bytes.
fn prescan(body: &[u8]) -> Option<&'static Encoding> {
    static XML_DECL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']"#)
            .expect("static regex")
    });
    static META: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?is)<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"#)
            .expect("static regex")
    });
    let head = &body[..body.len().min(PRESCAN_BYTES)];
    let label = XML_DECL
        .captures(head)
        .or_else(|| META.captures(head))
        .and_then(|c| c.get(1))?;
    let encoding = Encoding::for_label(label.as_bytes())?;
    // The HTML spec: a document cannot declare itself UTF-16 from inside (it
    // would not have been readable as ASCII), and x-user-defined means windows-1252.
    Some(if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    })
}

/// chardetng's guess, allowing UTF-8 (we are a crawler, not a browser).
fn guess(body: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(body).is_ok() {
        return UTF_8;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(body, true);
    detector.guess(None, Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GBK, KOI8_R, WINDOWS_1251};

    const RU: &str = "Вчера мы попробовали новое приложение Нордлис для учёта тарифов. \
        Интерфейс понятный, но синхронизация с банком иногда зависает, а поддержка отвечает медленно.";
    const ZH: &str = "我们昨天试用了诺德利斯的新应用程序，界面很清楚，但是和银行同步的时候有时候会卡住，客服回复也比较慢。";

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "test text must be representable");
        bytes.into_owned()
    }

    #[test]
    fn header_charset_reads_the_parameter_in_any_form() {
        let label = |ct: &str| header_charset(ct).map(|e| e.name());
        assert_eq!(label("text/html; charset=UTF-8"), Some("UTF-8"));
        assert_eq!(
            label("text/html;charset=\"windows-1251\""),
            Some("windows-1251")
        );
        assert_eq!(label("text/html; CHARSET = 'gbk'"), Some("GBK"));
        assert_eq!(label("text/html"), None);
        assert_eq!(label("text/html; charset"), None);
        assert_eq!(label("text/html; charset=klingon"), None);
    }

    #[test]
    fn windows_1251_with_and_without_header() {
        let bytes = encode(RU, WINDOWS_1251);
        assert_eq!(decode(&bytes, Some("text/html; charset=windows-1251")), RU);
        assert_eq!(decode(&bytes, Some("text/html")), RU);
        assert_eq!(decode(&bytes, None), RU);
    }

    #[test]
    fn koi8_r_with_and_without_header() {
        let bytes = encode(RU, KOI8_R);
        assert_eq!(decode(&bytes, Some("text/plain; charset=\"KOI8-R\"")), RU);
        assert_eq!(decode(&bytes, None), RU);
    }

    #[test]
    fn gbk_and_gb2312_label_with_and_without_header() {
        let bytes = encode(ZH, GBK);
        assert_eq!(decode(&bytes, Some("text/html; charset=gb2312")), ZH);
        assert_eq!(decode(&bytes, Some("text/html; charset=GB18030")), ZH);
        assert_eq!(decode(&bytes, None), ZH);
    }

    #[test]
    fn meta_prescan_and_xml_declaration() {
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>".to_vec();
        page.extend(encode("Нордлис", WINDOWS_1251));
        assert!(decode(&page, None).ends_with("<body>Нордлис"));

        let mut page = b"<!doctype html><meta charset=koi8-r><p>".to_vec();
        page.extend(encode("Привет", KOI8_R));
        assert!(decode(&page, None).ends_with("<p>Привет"));

        let mut xml = b"<?xml version=\"1.0\" encoding=\"GBK\"?><rss><title>".to_vec();
        xml.extend(encode("诺德利斯", GBK));
        assert!(decode(&xml, None).contains("<title>诺德利斯"));
    }

    #[test]
    fn header_wins_over_meta_and_bom_wins_over_header() {
        let mut page = b"<meta charset=\"windows-1251\"><p>".to_vec();
        page.extend(encode("Привет", KOI8_R));
        assert!(decode(&page, Some("text/html; charset=koi8-r")).ends_with("Привет"));

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend("Нордлис".as_bytes());
        assert_eq!(
            decode(&bom, Some("text/html; charset=windows-1251")),
            "Нордлис"
        );
    }

    #[test]
    fn false_utf8_label_on_legacy_bytes_is_ignored() {
        let bytes = encode(RU, WINDOWS_1251);
        assert_eq!(decode(&bytes, Some("text/html; charset=utf-8")), RU);
    }

    #[test]
    fn unknown_label_falls_through_to_detection() {
        let bytes = encode(RU, WINDOWS_1251);
        assert_eq!(decode(&bytes, Some("text/html; charset=bogus-9")), RU);
    }

    #[test]
    fn decode_never_panics_on_random_bytes() {
        // A small LCG: deterministic, no dev-dependency needed.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u8
        };
        let headers = [
            None,
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=koi8-r"),
            Some("charset="),
            Some("text/xml; charset=\"utf-16"),
        ];
        for round in 0..500 {
            let len = (next() as usize * 7 + round) % 1500;
            let mut body: Vec<u8> = (0..len).map(|_| next()).collect();
            if round % 5 == 0 {
                body.splice(0..0, b"<meta charset=gbk>".iter().copied());
            }
            if round % 7 == 0 {
                body.splice(0..0, [0xFF, 0xFE]);
            }
            let text = decode(&body, headers[round % headers.len()]);
            assert!(text.len() <= body.len() * 3 + 3);
        }
    }
}
