//! Links and contacts in a text, the second half of an ad ("promo code" plus
//! somewhere to go): URLs, bare domains of any top-level domain, @handles,
//! phone numbers, and ids given after a messenger's name ("tg: deals_77",
//! "加微信 vip888").

/// Messenger names after which the next token is a contact.
const MESSENGERS: [&str; 17] = [
    "telegram", "tg", "whatsapp", "wa", "viber", "wechat", "weixin", "wx", "vx", "微信", "薇信",
    "v信", "qq", "signal", "skype", "discord", "line",
];

/// How many links, handles, phone numbers and messenger ids `text` holds.
pub fn count(text: &str) -> usize {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut n = 0;
    for (i, raw) in tokens.iter().enumerate() {
        let t = raw.trim_matches(|c: char| {
            !crate::matcher::normalize::is_letter_or_digit(c) && c != '@' && c != '+'
        });
        if t.starts_with('@') && t.chars().count() > 3 {
            n += 1;
            continue;
        }
        // Every other kind of contact has a dot, a slash, an underscore or a
        // digit; most words have none, and this runs on every mention.
        if !t
            .bytes()
            .any(|b| matches!(b, b'.' | b'/' | b'_') || b.is_ascii_digit())
        {
            continue;
        }
        let lower = t.to_lowercase();
        if lower.starts_with("http")
            || lower.starts_with("www.")
            || lower.contains("t.me/")
            || lower.contains("wa.me/")
            || is_domain(&lower)
            || (is_handle(t) && i > 0 && ends_with_messenger(tokens[i - 1]))
            || glued_messenger_id(&lower)
        {
            n += 1;
        }
    }
    n + spaced_domains(&tokens) + phone_numbers(text)
}

/// Top-level domains believed after a spelled-out "dot": "polka dot bag"
/// is a bag, "claimmate dot co" a link.
const SPELLED_TLDS: [&str; 20] = [
    "com", "net", "org", "co", "uk", "io", "shop", "biz", "info", "ru", "cn", "dk", "xyz", "app",
    "online", "store", "site", "club", "top", "me",
];

/// "dupehaven . shop" or "claimmate dot co": a domain spaced out so link
/// filters miss it.
fn spaced_domains(tokens: &[&str]) -> usize {
    tokens
        .windows(3)
        .filter(|w| {
            let tld = w[2].trim_end_matches(|c: char| !c.is_alphanumeric());
            let name_ok = w[0].chars().count() >= 4
                && w[0].chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            let dot = w[1] == "."
                && (2..=4).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase());
            let spelled = w[1].eq_ignore_ascii_case("dot")
                && SPELLED_TLDS.contains(&tld.to_ascii_lowercase().as_str());
            name_ok && (dot || spelled)
        })
        .count()
}

/// "tg:" or "微信：" right before a token.
fn ends_with_messenger(token: &str) -> bool {
    let t = token
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    MESSENGERS.iter().any(|m| {
        t.ends_with(m)
            && t[..t.len() - m.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// An id someone could be found by: letters with digits or an underscore.
fn is_handle(t: &str) -> bool {
    let t = t.trim_start_matches('@');
    t.chars().count() >= 4
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && t.chars().any(|c| c.is_ascii_digit() || c == '_')
}

/// "微信vip888", "vx:deals_77": a messenger's name glued to an id.
fn glued_messenger_id(lower: &str) -> bool {
    MESSENGERS.iter().any(|m| {
        lower.find(m).is_some_and(|at| {
            let rest = lower[at + m.len()..].trim_start_matches([':', '：', '-', '_']);
            let rest = rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
                .next()
                .unwrap_or("");
            let before_ok = lower[..at]
                .chars()
                .last()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            before_ok && is_handle(rest)
        })
    })
}

/// "nordlys-deals.shop", "bit.ly/x": labels of letters, digits and hyphens,
/// the last one 2 to 6 letters; "e.g." or "1.5" are no domains.
fn is_domain(lower: &str) -> bool {
    let host = lower.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let tld_ok = (2..=6).contains(&tld.chars().count()) && tld.chars().all(char::is_alphabetic);
    let name = labels[labels.len() - 2];
    tld_ok
        && name.chars().count() >= 2
        && name.chars().any(char::is_alphabetic)
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// Phone numbers: "+7 999 123-45-67", "8 800 555 35 35", "+45 12 34 56 78",
/// "13812345678". Order numbers and dates are shorter or unspaced.
fn phone_numbers(text: &str) -> usize {
    // Every char a number is made of is ASCII: walk the bytes, and decode a
    // char only beside a number (a page's text is read once per mention).
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts = digit(i) || (bytes[i] == b'+' && digit(i + 1));
        // `i` is at an ASCII byte here, so a char boundary.
        let after_word = || {
            text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() && !is_cjk(c))
        };
        if !starts || after_word() {
            i += 1;
            continue;
        }
        let start = i;
        let (mut digits, mut groups) = (0, 1);
        while i < bytes.len() {
            match bytes[i] {
                d if d.is_ascii_digit() => digits += 1,
                b' ' | b'-' | b'(' | b')' | b'+'
                    if digit(i + 1) || bytes.get(i + 1) == Some(&b'(') =>
                {
                    groups += 1
                }
                b'(' | b')' => {}
                _ => break,
            }
            i += 1;
        }
        let glued_after = text[i..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
        let plus = bytes[start] == b'+';
        let mobile_cn = digits == 11
            && groups == 1
            && bytes[start] == b'1'
            && bytes
                .get(start + 1)
                .is_some_and(|c| (b'3'..=b'9').contains(c));
        let is_phone = !glued_after
            && ((plus && (8..=15).contains(&digits))
                || (groups >= 3 && (9..=13).contains(&digits))
                || (groups == 4 && digits == 8)
                || mobile_cn);
        if is_phone {
            n += 1;
        }
    }
    n
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char version the byte walk replaced, kept as the reference.
    fn phone_numbers_by_chars(text: &str) -> usize {
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return 0;
        }
        let mut n = 0;
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let starts = c.is_ascii_digit()
                || (c == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
            let after_word = i > 0 && (chars[i - 1].is_alphanumeric() && !is_cjk(chars[i - 1]));
            if !starts || after_word {
                i += 1;
                continue;
            }
            let start = i;
            let (mut digits, mut groups) = (0, 1);
            while i < chars.len() {
                match chars[i] {
                    d if d.is_ascii_digit() => digits += 1,
                    ' ' | '-' | '(' | ')' | '+'
                        if chars
                            .get(i + 1)
                            .is_some_and(|n| n.is_ascii_digit() || *n == '(') =>
                    {
                        groups += 1
                    }
                    '(' | ')' => {}
                    _ => break,
                }
                i += 1;
            }
            let glued_after = chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() && !is_cjk(*c));
            let plus = chars[start] == '+';
            let mobile_cn = digits == 11
                && groups == 1
                && chars[start] == '1'
                && chars
                    .get(start + 1)
                    .is_some_and(|c| ('3'..='9').contains(c));
            let is_phone = !glued_after
                && ((plus && (8..=15).contains(&digits))
                    || (groups >= 3 && (9..=13).contains(&digits))
                    || (groups == 4 && digits == 8)
                    || mobile_cn);
            if is_phone {
                n += 1;
            }
        }
        n
    }

    #[test]
    fn the_byte_walk_counts_phones_as_the_char_walk_did() {
        #[rustfmt::skip]
        let parts = [
            "+7", " ", "999", "-", "12", "(", ")", "8", "800", "555", "35", " 12", "-34", " 567",
            "a", "ж", "号", "13812345678", "+", "45", "x", "\u{4e00}", "1", "0", "-", ".",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut phones = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(4 + seed % 10) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let n = phone_numbers(&text);
            assert_eq!(n, phone_numbers_by_chars(&text), "{text:?}");
            phones += n;
        }
        assert!(phones > 1000, "the texts hold phones: {phones}");
    }

    #[test]
    fn links_of_any_domain_count() {
        assert_eq!(count("best deals at nordlys-deals.shop today"), 1);
        assert_eq!(count("see kvik.pizza or https://x.y/z"), 2);
        assert_eq!(count("e.g. 1.5 times faster, i.e. better"), 0);
        assert_eq!(count("Arrived broken. Not great."), 0);
        assert_eq!(count("70% off at dupehaven . shop, code DUPE70"), 1);
        assert_eq!(count("it was late . never again"), 0);
        assert_eq!(count("claims done for you at claimmate dot co!"), 1);
        assert_eq!(count("a polka dot bag, dot matrix"), 0);
    }

    #[test]
    fn phone_numbers_and_messenger_ids_are_contacts() {
        assert_eq!(count("звоните +7 999 123-45-67"), 1);
        assert_eq!(count("ring 8 800 555 35 35 now"), 1);
        assert_eq!(count("ring +45 12 34 56 78"), 1);
        assert_eq!(count("加我13812345678"), 1);
        assert_eq!(count("tg: deals_77"), 1);
        assert_eq!(count("加微信vip888了解"), 1);
        assert_eq!(
            count("WhatsApp me on cheap4u"),
            0,
            "not right after the name"
        );
        // Order numbers, dates and times are not phones.
        assert_eq!(count("order KM-558120 on 2026-09-02 at 11:30"), 0);
        assert_eq!(count("订单号1003****8812"), 0);
    }
}
