//! Checks a language's templates the way a careful editor would: every rule
//! has a template in every form, every message renders with all slots
//! filled, uses no variable that is not a slot, and keeps one form of
//! address (the playbook: never «вы» in one reply and «ты» in another).

use super::rules::Rule;
use super::templates::{allowed_vars, split_form, Templates, PIECES};
use crate::config::Address;
use crate::model::Lang;
use fluent_bundle::FluentArgs;
use std::fmt;
use std::time::Duration;

/// One thing wrong with a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintProblem {
    /// The template file, or `built-in <lang>.ftl`.
    pub file: String,
    /// The message id, e.g. `complaint-formal`.
    pub message: String,
    /// The form of address it was rendered for (none for English).
    pub form: Option<Address>,
    pub problem: String,
}

impl fmt::Display for LintProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`", self.file, self.message)?;
        if let Some(form) = self.form {
            write!(f, " ({})", form.as_str())?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// Forms replies in `lang` can take. Danish says du only (the config refuses
/// the archaic De); English has one form, checked once and for no pronoun.
fn forms(lang: Lang) -> &'static [Address] {
    match lang {
        Lang::Ru | Lang::Zh => &Address::BOTH,
        Lang::Da => &[Address::Informal],
        Lang::En | Lang::Other => &[Address::Formal],
    }
}

pub(super) fn lint(lang: Lang, templates: &Templates) -> Vec<LintProblem> {
    let mut problems = Vec::new();
    let shown_form = |form: Address| (lang != Lang::En).then_some(form);
    let mut problem = |message: &str, form: Option<Address>, problem: String| {
        problems.push(LintProblem {
            file: templates.origin.clone(),
            message: message.to_string(),
            form,
            problem,
        })
    };
    for &form in forms(lang) {
        let bases = Rule::ALL.iter().map(|r| r.template()).chain(PIECES);
        for base in bases {
            if templates.resolve(base, form).is_none() {
                problem(
                    base,
                    shown_form(form),
                    format!("missing: neither `{base}-{}` nor `{base}`", form.as_str()),
                );
            }
        }
    }
    for id in &templates.ids {
        let (base, own_form) = split_form(id);
        let allowed = allowed_vars(base);
        let unknown: Vec<String> = templates
            .vars(id)
            .into_iter()
            .filter(|v| !allowed.contains(&v.as_str()))
            .collect();
        if !unknown.is_empty() {
            let can: Vec<String> = allowed.iter().map(|v| format!("${v}")).collect();
            problem(
                id,
                None,
                format!(
                    "uses ${}, which is not a slot it is given (it can use: {})",
                    unknown.join(", $"),
                    can.join(", ")
                ),
            );
            continue;
        }
        let check: Vec<Address> = match own_form {
            Some(form) => vec![form],
            None => forms(lang).to_vec(),
        };
        for form in check {
            match templates.render(id, &sample_args(templates, form)) {
                Err(e) => problem(id, shown_form(form), format!("does not render: {e}")),
                Ok(text) => {
                    for mixed in mixed_forms(lang, form, &text) {
                        problem(id, shown_form(form), mixed);
                    }
                }
            }
        }
    }
    problems
}

/// Every variable any message may use, with sample values free of pronouns.
fn sample_args(templates: &Templates, form: Address) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    let mut hello_args = FluentArgs::new();
    hello_args.set("author", "Alex");
    let hello = templates
        .resolve("hello-named", form)
        .and_then(|id| templates.render(&id, &hello_args).ok())
        .unwrap_or_default();
    let late = super::late_text(templates, form, Duration::from_secs(5 * 3600)).unwrap_or_default();
    for (name, value) in [
        ("author", "Alex"),
        ("brand", "Nordlys"),
        ("product", "Nordlys Budget"),
        ("contact", "help@nordlys.example, +45 70 10 20 30"),
        ("hours", "9:00–21:00"),
        ("email", "help@nordlys.example"),
        ("phone", "+45 70 10 20 30"),
        ("waited", "5 h"),
        ("template", "complaint"),
        ("slots", "contact"),
        ("keys", "contact_email / contact_phone"),
    ] {
        args.set(name, value);
    }
    args.set("hello", hello);
    args.set("late", late);
    args.set("n", 5);
    args.set("count", 2);
    args
}

/// Russian pronouns of the informal «ты» and the formal «Вы», every case.
const RU_TY: [&str; 17] = [
    "ты",
    "тебя",
    "тебе",
    "тобой",
    "тобою",
    "твой",
    "твоя",
    "твое",
    "твои",
    "твоего",
    "твоей",
    "твоему",
    "твоим",
    "твоих",
    "твоими",
    "твою",
    "твоем",
];
const RU_VY: [&str; 16] = [
    "вы",
    "вас",
    "вам",
    "вами",
    "ваш",
    "ваша",
    "ваше",
    "ваши",
    "вашего",
    "вашей",
    "вашему",
    "вашим",
    "ваших",
    "вашими",
    "вашу",
    "вашем",
];
/// Danish du forms, and the archaic formal De forms (capitalised).
const DA_DU: [&str; 5] = ["du", "dig", "din", "dit", "dine"];
const DA_DE: [&str; 3] = ["De", "Dem", "Deres"];

/// Words of `text` with their byte offsets (a word: a run of letters or digits).
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Where a rendered reply leaves the form of address it is for.
pub(super) fn mixed_forms(lang: Lang, form: Address, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    match lang {
        Lang::Ru => {
            for (_, word) in words(text) {
                let key = word.to_lowercase().replace('ё', "е");
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                match form {
                    Address::Formal if RU_TY.contains(&key.as_str()) => found.push(format!(
                        "informal «{word}» in a formal reply (the brand says «Вы»)"
                    )),
                    Address::Formal if RU_VY.contains(&key.as_str()) && !capitalised => {
                        found.push(format!(
                            "«{word}» in lower case: the polite form is capitalised («Вы», «Ваш»)"
                        ))
                    }
                    Address::Informal if RU_VY.contains(&key.as_str()) => found.push(format!(
                        "formal «{word}» in an informal reply (the brand says «ты»)"
                    )),
                    _ => {}
                }
            }
        }
        Lang::Zh => match form {
            Address::Formal if text.contains('你') => {
                found.push("informal 你 in a formal reply (the brand says 您)".to_string())
            }
            Address::Informal if text.contains('您') => {
                found.push("formal 您 in an informal reply (the brand says 你)".to_string())
            }
            _ => {}
        },
        Lang::Da => {
            for (at, word) in words(text) {
                let mid_sentence = text[..at]
                    .trim_end()
                    .chars()
                    .next_back()
                    .is_some_and(|c| !matches!(c, '.' | '!' | '?' | '"' | '«' | '“' | '('));
                match form {
                    Address::Informal if DA_DE.contains(&word) && mid_sentence => found.push(
                        format!("formal «{word}» in a du reply (De is archaic; the brand says du)"),
                    ),
                    Address::Formal if DA_DU.contains(&word.to_lowercase().as_str()) => {
                        found.push(format!("informal «{word}» in a formal reply"))
                    }
                    _ => {}
                }
            }
        }
        Lang::En | Lang::Other => {}
    }
    found
}
