//! Respond: one suggested reply per mention that needs one, in the mention's
//! language, from Fluent templates the brand edits (`config/responses/<lang>.ftl`).
//!
//! Why templates and not generated text: the playbook's rules (apologise
//! plainly, move disputes to e-mail, never quote an insult, never delete a
//! negative comment for being negative) must hold in every draft, and the
//! brand's voice, including its one form of address, is the brand's to edit.
//! Why Fluent: it knows CLDR plural categories, so «1 час, 2 часа, 5 часов,
//! 21 час» come out right, and its syntax tree tells which slots a template
//! needs. Every suggestion is a draft for a person, and says which playbook
//! rule it follows.
//!
//! The stage reads labels from `classify` and the brand from `config`; it
//! writes nothing. The caller (CLI, JSON, later the digest) decides where a
//! draft is shown.

mod lint;
pub mod reading;
mod rules;
mod templates;

pub use lint::LintProblem;

use crate::config::{Address, BrandConfig};
use crate::model::{Flag, Labels, Lang};
use fluent_bundle::FluentArgs;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use templates::Templates;

/// Errors of the respond stage: all are about loading template files.
#[derive(Debug, thiserror::Error)]
pub enum RespondError {
    /// A template file exists but cannot be read.
    #[error("cannot read reply templates {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A template file is not valid Fluent (fix the line named).
    #[error("{path}:{line}: not valid Fluent: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A template file defines one message or term twice.
    #[error("{path}: `{id}` is defined twice; keep one")]
    Duplicate { path: PathBuf, id: String },
}

/// The languages with their own templates; `other` is answered in English.
const LANGS: [Lang; 4] = [Lang::Ru, Lang::Zh, Lang::Da, Lang::En];

/// The shipped templates, compiled in so a fresh install drafts offline.
fn built_in_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => include_str!("../../config/responses/ru.ftl"),
        Lang::Zh => include_str!("../../config/responses/zh.ftl"),
        Lang::Da => include_str!("../../config/responses/da.ftl"),
        Lang::En | Lang::Other => include_str!("../../config/responses/en.ftl"),
    }
}

/// Suggests replies from one set of templates per language.
pub struct Responder {
    langs: HashMap<Lang, Templates>,
    /// The playbook's reply window: a draft written later apologises for the wait.
    window: Duration,
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let origins: Vec<&str> = LANGS
            .iter()
            .filter_map(|l| self.langs.get(l))
            .map(|t| t.origin.as_str())
            .collect();
        f.debug_struct("Responder")
            .field("templates", &origins)
            .field("window", &self.window)
            .finish()
    }
}

/// What a suggestion is asked for: one mention, as the caller knows it.
pub struct Request<'a> {
    pub lang: Lang,
    pub brand: &'a BrandConfig,
    /// The mention's author as shown on the page, when known.
    pub author: Option<&'a str>,
    pub labels: &'a Labels,
    /// The matter is resolved: the draft is the "it is solved" reply for the thread.
    pub resolved: bool,
    /// How long since the mention's effective time, when known.
    pub waited: Option<chrono::Duration>,
}

/// A draft reply for a person to read, finish and post (the JSON `suggestion`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The draft; or, when `missing_slots` is not empty, a note saying which
    /// brand key to fill in the config.
    pub text: String,
    /// The rule's id, its playbook words and section, e.g.
    /// `complaint: acknowledge, … [PLAYBOOK: Negative mentions]`.
    pub rule: String,
    /// Slots the template needs and the brand has not set (e.g. `contact`).
    pub missing_slots: Vec<String>,
}

impl Responder {
    /// Loads `<dir>/<lang>.ftl` for ru, zh, da, en; a language whose file is
    /// missing falls back to the built-in copy (of `config/responses/<lang>.ftl`);
    /// a file that does not parse is an error naming the file and the Fluent error.
    pub fn load(dir: &Path) -> Result<Responder, RespondError> {
        let mut langs = HashMap::new();
        for lang in LANGS {
            let path = dir.join(format!("{lang}.ftl"));
            let templates = match std::fs::read_to_string(&path) {
                Ok(text) => Templates::parse(lang, text, &path)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    tracing::debug!(path = %path.display(), "no reply templates there; using the built-in ones");
                    built_in(lang)
                }
                Err(source) => return Err(RespondError::Read { path, source }),
            };
            langs.insert(lang, templates);
        }
        Ok(Responder {
            langs,
            window: Duration::from_secs(3600),
        })
    }

    /// The shipped templates only.
    pub fn built_in() -> Responder {
        Responder {
            langs: LANGS.into_iter().map(|l| (l, built_in(l))).collect(),
            window: Duration::from_secs(3600),
        }
    }

    /// Sets the reply window (`[replies] window`; default one hour): a reply
    /// later than this apologises for the wait.
    pub fn with_window(mut self, window: Duration) -> Responder {
        self.window = window;
        self
    }

    /// The draft for one mention, or `None` when nothing is owed: a mention
    /// that is neither a concern, nor praise or advice, nor a moderation
    /// case, or one the brand's own account wrote (its `authors`).
    pub fn suggest(&self, req: &Request) -> Option<Suggestion> {
        if is_own_post(req) {
            return None;
        }
        let rule = rules::choose(req.labels, req.resolved)?;
        let lang = if req.lang == Lang::Other {
            Lang::En
        } else {
            req.lang
        };
        let templates = &self.langs[&lang];
        let form = req.brand.address_for(lang);
        let describe = rule.describe();
        let Some(id) = templates.resolve(rule.template(), form) else {
            return Some(Suggestion {
                text: format!(
                    "No draft: {} has no template `{}-{}` or `{}`.",
                    templates.origin,
                    rule.template(),
                    form.as_str(),
                    rule.template()
                ),
                rule: describe,
                missing_slots: Vec::new(),
            });
        };
        let slots = Slots::new(templates, req, form);
        let missing: Vec<String> = templates
            .vars(&id)
            .into_iter()
            .filter(|v| templates::SLOTS.contains(&v.as_str()) && slots.get(v).is_none())
            .collect();
        if !missing.is_empty() {
            return Some(Suggestion {
                text: missing_note(templates, form, &id, &missing, &req.brand.name),
                rule: describe,
                missing_slots: missing,
            });
        }
        let mut args = slots.args();
        args.set("hello", hello(templates, form, req.author));
        args.set("late", self.late(templates, form, req.waited));
        let text = match templates.render(&id, &args) {
            Ok(text) => text,
            Err(e) => format!(
                "No draft: template `{id}` in {} fails: {e}",
                templates.origin
            ),
        };
        debug_assert!(
            !rule.removes()
                || [Flag::Obscene, Flag::Ad, Flag::Spam]
                    .iter()
                    .any(|f| req.labels.has(*f)),
            "a removal draft comes only from obscenity, spam or an ad, never from negativity"
        );
        Some(Suggestion {
            text,
            rule: describe,
            missing_slots: Vec::new(),
        })
    }

    /// Renders every message of every language for every address form with
    /// all slots filled and checks it: a missing template, a variable that
    /// is not a slot, a render error, a mixed form of address. Used by the
    /// tests and meant for `hearsay check`.
    pub fn lint(&self) -> Vec<LintProblem> {
        LANGS
            .iter()
            .flat_map(|lang| lint::lint(*lang, &self.langs[lang]))
            .collect()
    }

    /// The apology for a reply later than the window, or nothing.
    fn late(
        &self,
        templates: &Templates,
        form: Address,
        waited: Option<chrono::Duration>,
    ) -> String {
        let Some(waited) = waited.and_then(|w| w.to_std().ok()) else {
            return String::new();
        };
        if waited <= self.window {
            return String::new();
        }
        late_text(templates, form, waited).unwrap_or_default()
    }
}

/// Written by one of the brand's own accounts: the brand does not answer itself.
fn is_own_post(req: &Request) -> bool {
    req.author.is_some_and(|a| req.brand.is_own_author(a))
}

fn built_in(lang: Lang) -> Templates {
    let origin = PathBuf::from(format!("built-in {lang}.ftl"));
    Templates::parse(lang, built_in_text(lang).to_string(), &origin)
        .expect("the shipped templates parse (tested)")
}

/// The slot values one request can fill.
struct Slots {
    values: Vec<(&'static str, String)>,
}

impl Slots {
    fn new(templates: &Templates, req: &Request, form: Address) -> Slots {
        let brand = req.brand;
        let mut values = vec![("brand", brand.name.clone())];
        if let Some(author) = req.author.map(str::trim).filter(|a| !a.is_empty()) {
            values.push(("author", author.to_string()));
        }
        if let Some(product) = &brand.product {
            values.push(("product", product.clone()));
        }
        if let Some(contact) = contact(templates, form, brand) {
            values.push(("contact", contact));
        }
        if let Some(hours) = &brand.hours {
            values.push(("hours", hours.clone()));
        }
        Slots { values }
    }

    fn get(&self, slot: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| *k == slot)
            .map(|(_, v)| v.as_str())
    }

    fn args(&self) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        for (k, v) in &self.values {
            args.set(*k, v.clone());
        }
        args
    }
}

/// `{ $contact }`: the e-mail, the phone, or both joined by `contact-both`.
fn contact(templates: &Templates, form: Address, brand: &BrandConfig) -> Option<String> {
    match (&brand.contact_email, &brand.contact_phone) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one.clone()),
        (Some(email), Some(phone)) => {
            let mut args = FluentArgs::new();
            args.set("email", email.clone());
            args.set("phone", phone.clone());
            let joined = templates
                .resolve("contact-both", form)
                .and_then(|id| templates.render(&id, &args).ok());
            Some(joined.unwrap_or_else(|| format!("{email} / {phone}")))
        }
    }
}

/// `{ $hello }`: the greeting, by name when the author is known.
fn hello(templates: &Templates, form: Address, author: Option<&str>) -> String {
    let author = author.map(str::trim).filter(|a| !a.is_empty());
    let mut args = FluentArgs::new();
    let id = match author {
        Some(name) => {
            args.set("author", name.to_string());
            templates.resolve("hello-named", form)
        }
        None => templates.resolve("hello", form),
    };
    id.and_then(|id| templates.render(&id, &args).ok())
        .unwrap_or_default()
}

/// `{ $late }` for a wait of `waited`: minutes under an hour, hours under
/// two days, days beyond.
fn late_text(templates: &Templates, form: Address, waited: Duration) -> Option<String> {
    let minutes = waited.as_secs() / 60;
    let (unit, n) = if minutes < 60 {
        ("waited-minutes", minutes.max(1))
    } else if minutes < 48 * 60 {
        ("waited-hours", minutes / 60)
    } else {
        ("waited-days", minutes / (24 * 60))
    };
    let mut args = FluentArgs::new();
    args.set("n", n);
    let waited = templates
        .render(&templates.resolve(unit, form)?, &args)
        .ok()?;
    let mut args = FluentArgs::new();
    args.set("waited", waited);
    templates
        .render(&templates.resolve("late", form)?, &args)
        .ok()
}

/// The config keys that fill a slot, for the missing-slot note.
fn slot_keys(slot: &str) -> &'static str {
    match slot {
        "brand" => "name",
        "product" => "product",
        "contact" => "contact_email / contact_phone",
        "hours" => "hours",
        _ => "(the mention has no author name; greet with { $hello })",
    }
}

/// The note in the mention's language that comes instead of a half-filled draft.
fn missing_note(
    templates: &Templates,
    form: Address,
    id: &str,
    missing: &[String],
    brand: &str,
) -> String {
    let keys: Vec<&str> = missing.iter().map(|s| slot_keys(s)).collect();
    let mut args = FluentArgs::new();
    args.set("template", id.to_string());
    args.set("slots", missing.join(", "));
    args.set("count", missing.len());
    args.set("keys", keys.join(", "));
    args.set("brand", brand.to_string());
    templates
        .resolve("missing-slot", form)
        .and_then(|note| templates.render(&note, &args).ok())
        .unwrap_or_else(|| {
            format!(
                "No draft: the template \"{id}\" needs {}. Fill it in the config of brand {brand}: {}.",
                missing.join(", "),
                keys.join(", ")
            )
        })
}

#[cfg(test)]
mod tests;
