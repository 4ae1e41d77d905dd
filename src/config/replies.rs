//! The keys the respond stage reads: `[replies]` (the playbook's reply window,
//! the template folder) and, per brand, the slots a reply fills (own account
//! names, product, contact, hours) and the form of address.
//!
//! Kept apart from `mod.rs` so the crawl's keys and the reply keys each read
//! as one piece.

use super::raw::{RawAddress, RawBrand, RawReplies};
use super::{time, ConfigError, Validator};
use crate::model::Lang;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// `[replies]`, validated.
#[derive(Debug, Clone)]
pub struct RepliesConfig {
    /// The playbook's "answer within the hour": a mention that needs a reply
    /// and has none after this long is overdue.
    pub window: Duration,
    /// Folder of `<lang>.ftl` reply templates (resolved against the config file).
    pub templates: PathBuf,
}

/// How replies address the author. The playbook makes it part of the brand:
/// one form in every reply, never «вы» in one and «ты» in another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    /// Russian «Вы», Chinese 您.
    Formal,
    /// Russian «ты», Chinese 你, Danish du.
    Informal,
}

impl Address {
    pub const BOTH: [Address; 2] = [Address::Formal, Address::Informal];

    pub fn as_str(self) -> &'static str {
        match self {
            Address::Formal => "formal",
            Address::Informal => "informal",
        }
    }

    /// The form used when the brand names none: Russian «Вы», Chinese 您,
    /// Danish du (De is archaic). English has one form; the value is kept
    /// but changes nothing.
    pub fn default_for(lang: Lang) -> Address {
        match lang {
            Lang::Da => Address::Informal,
            Lang::Ru | Lang::Zh | Lang::En | Lang::Other => Address::Formal,
        }
    }
}

/// Languages whose form of address a brand may set (`[brands.address]` keys).
pub const ADDRESS_LANGS: [Lang; 4] = [Lang::Ru, Lang::Zh, Lang::Da, Lang::En];

/// A brand's reply fields, validated (moved into `BrandConfig` by the caller).
pub(super) struct BrandReplies {
    pub authors: Vec<String>,
    pub product: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub hours: Option<String>,
    pub address: BTreeMap<Lang, Address>,
}

impl Validator<'_> {
    pub(super) fn replies(&self, raw: &RawReplies) -> Result<RepliesConfig, ConfigError> {
        let window =
            match &raw.window {
                None => Duration::from_secs(3600),
                Some(w) => match time::parse_duration(w.get_ref()) {
                    Err(m) => return self.err("replies.window", w.span(), m),
                    Ok(d) if d.is_zero() => return self.err(
                        "replies.window",
                        w.span(),
                        "must be more than 0 (the playbook says answer within the hour: \"1h\")",
                    ),
                    Ok(d) => d,
                },
            };
        let templates = match &raw.templates {
            None => self.base_dir().join("responses"),
            Some(t) if t.get_ref().trim().is_empty() => {
                return self.err("replies.templates", t.span(), "must not be empty")
            }
            Some(t) => self.base_dir().join(t.get_ref().trim()),
        };
        Ok(RepliesConfig { window, templates })
    }

    pub(super) fn brand_replies(&self, b: &RawBrand) -> Result<BrandReplies, ConfigError> {
        let mut authors = Vec::new();
        if let Some(list) = &b.authors {
            for name in list.get_ref() {
                let name = name.trim();
                if name.is_empty() {
                    return self.err("brands.authors", list.span(), "an author name is empty");
                }
                if !authors.iter().any(|a: &String| a == name) {
                    authors.push(name.to_string());
                }
            }
        }
        let contact_email = self.text("brands.contact_email", &b.contact_email)?;
        if let (Some(email), Some(raw)) = (&contact_email, &b.contact_email) {
            if !looks_like_email(email) {
                return self.err(
                    "brands.contact_email",
                    raw.span(),
                    format!("`{email}` is not an e-mail address (name@example.org)"),
                );
            }
        }
        let contact_phone = self.text("brands.contact_phone", &b.contact_phone)?;
        if let (Some(phone), Some(raw)) = (&contact_phone, &b.contact_phone) {
            if !looks_like_phone(phone) {
                return self.err(
                    "brands.contact_phone",
                    raw.span(),
                    format!(
                        "`{phone}` is not a phone number (digits, spaces, + - ( ) and dots, at least 5 digits)"
                    ),
                );
            }
        }
        Ok(BrandReplies {
            authors,
            product: self.text("brands.product", &b.product)?,
            contact_email,
            contact_phone,
            hours: self.text("brands.hours", &b.hours)?,
            address: self.address(&b.address)?,
        })
    }

    /// An optional free-text value: trimmed, and never empty (an empty value
    /// would render as a hole in a reply; leaving the key out says "unset").
    pub(super) fn text(
        &self,
        key: &str,
        value: &Option<Spanned<String>>,
    ) -> Result<Option<String>, ConfigError> {
        match value {
            None => Ok(None),
            Some(v) if v.get_ref().trim().is_empty() => self.err(
                key,
                v.span(),
                "must not be empty (leave the key out to leave it unset)",
            ),
            Some(v) => Ok(Some(v.get_ref().trim().to_string())),
        }
    }

    /// `[brands.address]`: every language gets a form, the defaults filled in.
    fn address(
        &self,
        table: &Option<Spanned<RawAddress>>,
    ) -> Result<BTreeMap<Lang, Address>, ConfigError> {
        let mut address: BTreeMap<Lang, Address> = ADDRESS_LANGS
            .iter()
            .map(|&lang| (lang, Address::default_for(lang)))
            .collect();
        let Some(table) = table else {
            return Ok(address);
        };
        for (code, form) in table.get_ref() {
            let lang = match ADDRESS_LANGS
                .iter()
                .find(|l| l.as_str() == code.get_ref().as_str())
            {
                Some(&lang) => lang,
                None => {
                    return self.err(
                        &format!("brands.address.{}", code.get_ref()),
                        code.span(),
                        format!("unknown language `{}` (ru, zh, da or en)", code.get_ref()),
                    )
                }
            };
            let key = format!("brands.address.{}", lang.as_str());
            let value = match form.get_ref().as_str() {
                "formal" => Address::Formal,
                "informal" => Address::Informal,
                other => {
                    return self.err(
                        &key,
                        form.span(),
                        format!("unknown form `{other}` (formal or informal)"),
                    )
                }
            };
            if lang == Lang::Da && value == Address::Formal {
                return self.err(
                    &key,
                    form.span(),
                    "Danish replies say du: the formal De is archaic and has no templates; use \"informal\"",
                );
            }
            address.insert(lang, value);
        }
        Ok(address)
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
}

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 5
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config/test.toml"))
    }

    fn brand(extra: &str) -> Result<Config, ConfigError> {
        parse(&format!("[[brands]]\nname = \"Nordlys\"\n{extra}"))
    }

    #[test]
    fn reply_defaults() {
        let c = brand("").unwrap();
        assert_eq!(c.replies.window, Duration::from_secs(3600));
        assert_eq!(c.replies.templates, Path::new("config/responses"));
        let b = &c.brands[0];
        assert!(b.authors.is_empty());
        assert_eq!(
            (&b.product, &b.contact_email, &b.contact_phone, &b.hours),
            (&None, &None, &None, &None)
        );
        assert_eq!(b.address[&Lang::Ru], Address::Formal);
        assert_eq!(b.address[&Lang::Zh], Address::Formal);
        assert_eq!(b.address[&Lang::Da], Address::Informal);
        assert_eq!(b.address_for(Lang::Other), Address::Formal);
    }

    #[test]
    fn reply_keys_are_read() {
        let c = parse(concat!(
            "[replies]\nwindow = \"90m\"\ntemplates = \"../my-replies\"\n",
            "[[brands]]\nname = \"Nordlys\"\n",
            "authors = [\" Поддержка Nordlys \", \"nordlys_help\"]\n",
            "product = \"приложение Nordlys\"\n",
            "contact_email = \"help@nordlys.example\"\n",
            "contact_phone = \"+45 70 12 34 56\"\n",
            "hours = \"9–21\"\n",
            "[brands.address]\nru = \"informal\"\nzh = \"informal\"\nen = \"formal\"\n",
        ))
        .unwrap();
        assert_eq!(c.replies.window, Duration::from_secs(5400));
        assert_eq!(c.replies.templates, Path::new("config/../my-replies"));
        let b = &c.brands[0];
        assert_eq!(b.authors, ["Поддержка Nordlys", "nordlys_help"]);
        assert_eq!(b.contact_phone.as_deref(), Some("+45 70 12 34 56"));
        assert_eq!(b.address_for(Lang::Ru), Address::Informal);
        assert_eq!(b.address_for(Lang::Zh), Address::Informal);
        assert_eq!(b.address_for(Lang::Da), Address::Informal, "default kept");
    }

    #[test]
    fn reply_key_errors_name_file_line_and_key() {
        let cases = [
            ("[replies]\nwindow = \"0m\"\n", ":2:", "`replies.window`"),
            ("[replies]\nwindow = \"soon\"\n", ":2:", "`replies.window`"),
            (
                "[replies]\ntemplates = \" \"\n",
                ":2:",
                "`replies.templates`",
            ),
            (
                "[[brands]]\nname = \"N\"\ncontact_email = \"nobody\"\n",
                ":3:",
                "`brands.contact_email`",
            ),
            (
                "[[brands]]\nname = \"N\"\ncontact_phone = \"call us\"\n",
                ":3:",
                "`brands.contact_phone`",
            ),
            (
                "[[brands]]\nname = \"N\"\nhours = \"\"\n",
                ":3:",
                "`brands.hours`",
            ),
            (
                "[[brands]]\nname = \"N\"\n[brands.address]\nfr = \"formal\"\n",
                ":4:",
                "`brands.address.fr`",
            ),
            (
                "[[brands]]\nname = \"N\"\n[brands.address]\nru = \"polite\"\n",
                ":4:",
                "`brands.address.ru`",
            ),
            (
                "[[brands]]\nname = \"N\"\n[brands.address]\nda = \"formal\"\n",
                ":4:",
                "`brands.address.da`",
            ),
            (
                "[[brands]]\nname = \"N\"\nauthors = [\"ok\", \"\"]\n",
                ":3:",
                "`brands.authors`",
            ),
            ("[replies]\nwindoww = \"1h\"\n", ":2:", "windoww"),
        ];
        for (text, line, key) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(
                err.starts_with("config/test.toml") && err.contains(line) && err.contains(key),
                "{text} → {err}"
            );
        }
    }
}
