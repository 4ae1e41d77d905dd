//! The keys the digest stage reads: `[smtp]`, `[[digests]]` and `[alerts]`.
//!
//! Addresses are parsed here with lettre's own parser, so a typo fails
//! `hearsay check` with its line, not the first send at 08:00.

use super::raw::{RawAlerts, RawDigest, RawSmtp};
use super::{BrandConfig, ConfigError, Schedule, Validator};
use crate::model::Lang;
use lettre::message::Mailbox;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

/// How the SMTP connection is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain text (a relay on the same machine or a test server).
    None,
    /// Plain connect, then STARTTLS (required: no silent fall-back to plain).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

/// `[smtp]`, validated. The password is read from the environment when
/// sending and is never stored here, so no `Debug` print can leak it.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    /// An extra root certificate (PEM) to trust, for a private CA.
    pub ca_file: Option<PathBuf>,
    pub username: Option<String>,
    /// The environment variable that holds the password.
    pub password_env: Option<String>,
    pub from: Mailbox,
    /// Connect and command timeout.
    pub timeout: Duration,
    /// A failed delivery that may succeed later is retried after
    /// `retry_base`, doubling up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
}

/// One `[[digests]]`, validated.
#[derive(Debug, Clone)]
pub struct DigestConfig {
    pub name: String,
    pub to: Vec<Mailbox>,
    /// In the config's timezone.
    pub schedule: Schedule,
    /// Brands it covers; empty = all.
    pub brands: Vec<String>,
    /// Its own language: headings, subject, dates.
    pub language: Lang,
    /// Mail a short "nothing new" when nothing happened.
    pub send_empty: bool,
    /// What the very first run covers.
    pub first_window: Duration,
}

/// `[alerts]`, validated.
#[derive(Debug, Clone)]
pub struct AlertsConfig {
    pub to: Vec<Mailbox>,
    /// A mention that needs a reply now (the one-hour rule).
    pub urgent: bool,
    /// A newly flagged coordinated campaign.
    pub campaigns: bool,
    /// A new spike.
    pub spikes: bool,
    /// Alerts arriving within this window go out as one mail.
    pub batch: Duration,
    pub language: Lang,
}

impl Validator<'_> {
    pub(super) fn smtp(&self, raw: &Spanned<RawSmtp>) -> Result<SmtpConfig, ConfigError> {
        let s = raw.get_ref();
        let host = s.host.get_ref().trim();
        if host.is_empty() {
            return self.err("smtp.host", s.host.span(), "must not be empty");
        }
        let tls = match s.tls.as_ref() {
            None => Tls::StartTls,
            Some(t) => match t.get_ref().as_str() {
                "none" => Tls::None,
                "starttls" => Tls::StartTls,
                "tls" => Tls::Tls,
                other => {
                    return self.err(
                        "smtp.tls",
                        t.span(),
                        format!("`{other}`: expected none, starttls or tls"),
                    )
                }
            },
        };
        let port = match (&s.port, tls) {
            (Some(p), _) if *p.get_ref() == 0 => {
                return self.err("smtp.port", p.span(), "must not be 0")
            }
            (Some(p), _) => *p.get_ref(),
            (None, Tls::Tls) => 465,
            (None, _) => 587,
        };
        let ca_file = match &s.ca_file {
            None => None,
            Some(f) => {
                let path = self.base_dir().join(f.get_ref().trim());
                if !path.is_file() {
                    return self.err(
                        "smtp.ca_file",
                        f.span(),
                        format!("no such file: {}", path.display()),
                    );
                }
                Some(path)
            }
        };
        let username = self.text("smtp.username", &s.username)?;
        let password_env = match &s.password_env {
            None => None,
            Some(v) => {
                let name = v.get_ref().trim();
                let ok =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok {
                    return self.err(
                        "smtp.password_env",
                        v.span(),
                        "must name an environment variable (letters, digits, _), \
                         not hold the password: secrets stay out of files",
                    );
                }
                Some(name.to_string())
            }
        };
        if password_env.is_some() && username.is_none() {
            let span = s.password_env.as_ref().map(|v| v.span()).unwrap_or(0..0);
            return self.err("smtp.password_env", span, "a password needs `username` too");
        }
        let from = self.mailbox("smtp.from", &s.from)?;
        let timeout = self.duration("smtp.timeout", &s.timeout, Duration::from_secs(30))?;
        let retry_base =
            self.duration("smtp.retry_base", &s.retry_base, Duration::from_secs(60))?;
        let retry_max = self.duration("smtp.retry_max", &s.retry_max, Duration::from_secs(3600))?;
        Ok(SmtpConfig {
            host: host.to_string(),
            port,
            tls,
            ca_file,
            username,
            password_env,
            from,
            timeout,
            retry_base,
            retry_max: retry_max.max(retry_base),
        })
    }

    pub(super) fn digests(
        &self,
        raw: &[RawDigest],
        brands: &[BrandConfig],
    ) -> Result<Vec<DigestConfig>, ConfigError> {
        let mut names = HashSet::new();
        let mut out = Vec::new();
        for d in raw {
            let name = d.name.get_ref().trim().to_string();
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return self.err(
                    "digests.name",
                    d.name.span(),
                    "must be a word of letters, digits, - and _ (it names files and Message-IDs)",
                );
            }
            if !names.insert(name.clone()) {
                return self.err(
                    "digests.name",
                    d.name.span(),
                    format!("digest `{name}` is defined twice"),
                );
            }
            let to = self.mailboxes("digests.to", &d.to)?;
            let schedule = self.schedule("digests.schedule", &d.schedule)?;
            let mut names_of_brands = Vec::new();
            if let Some(list) = &d.brands {
                for b in list.get_ref() {
                    match brands
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(b.trim()))
                    {
                        Some(c) => names_of_brands.push(c.name.clone()),
                        None => {
                            return self.err(
                                "digests.brands",
                                list.span(),
                                format!("no brand named `{b}` in [[brands]]"),
                            )
                        }
                    }
                }
            }
            let language = self.language("digests.language", &d.language)?;
            let first_window = self.duration(
                "digests.first_window",
                &d.first_window,
                Duration::from_secs(86_400),
            )?;
            out.push(DigestConfig {
                name,
                to,
                schedule,
                brands: names_of_brands,
                language,
                send_empty: d.send_empty.unwrap_or(false),
                first_window,
            });
        }
        Ok(out)
    }

    pub(super) fn alerts(&self, raw: &Spanned<RawAlerts>) -> Result<AlertsConfig, ConfigError> {
        let a = raw.get_ref();
        Ok(AlertsConfig {
            to: self.mailboxes("alerts.to", &a.to)?,
            urgent: a.urgent.unwrap_or(true),
            campaigns: a.campaigns.unwrap_or(true),
            spikes: a.spikes.unwrap_or(true),
            batch: self.duration("alerts.batch", &a.batch, Duration::from_secs(300))?,
            language: self.language("alerts.language", &a.language)?,
        })
    }

    fn mailbox(&self, key: &str, v: &Spanned<String>) -> Result<Mailbox, ConfigError> {
        v.get_ref().trim().parse::<Mailbox>().or_else(|e| {
            self.err(
                key,
                v.span(),
                format!("`{}` is not a mail address ({e})", v.get_ref()),
            )
        })
    }

    fn mailboxes(&self, key: &str, v: &Spanned<Vec<String>>) -> Result<Vec<Mailbox>, ConfigError> {
        if v.get_ref().is_empty() {
            return self.err(key, v.span(), "needs at least one address");
        }
        v.get_ref()
            .iter()
            .map(|a| {
                a.trim().parse::<Mailbox>().or_else(|e| {
                    self.err(key, v.span(), format!("`{a}` is not a mail address ({e})"))
                })
            })
            .collect()
    }

    fn language(&self, key: &str, v: &Option<Spanned<String>>) -> Result<Lang, ConfigError> {
        match v {
            None => Ok(Lang::En),
            Some(l) => match Lang::parse(l.get_ref()) {
                Some(Lang::Other) | None => self.err(
                    key,
                    l.span(),
                    format!("`{}`: expected ru, zh, da or en", l.get_ref()),
                ),
                Some(lang) => Ok(lang),
            },
        }
    }
}
