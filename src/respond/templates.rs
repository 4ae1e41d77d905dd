//! One language's reply templates: a Fluent bundle (plural categories from
//! CLDR, so Russian gets one/few/many right) plus, per message, the variables
//! it uses, read off the Fluent AST rather than guessed with a regex.

use super::RespondError;
use crate::config::Address;
use crate::model::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource};
use fluent_syntax::ast;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Slots filled from the brand's config (and `author` from the mention).
pub(crate) const SLOTS: [&str; 5] = ["author", "brand", "product", "contact", "hours"];

/// Variables a message may use, by its id without the form suffix. Reply
/// templates get the slots plus the pieces the program builds; each piece
/// gets only what builds it.
pub(crate) fn allowed_vars(base: &str) -> &'static [&'static str] {
    match base {
        "hello-named" => &["author"],
        "hello" => &[],
        "late" => &["waited"],
        "waited-minutes" | "waited-hours" | "waited-days" => &["n"],
        "contact-both" => &["email", "phone"],
        "missing-slot" => &["template", "slots", "count", "keys", "brand"],
        _ => &[
            "author", "brand", "product", "contact", "hours", "hello", "late",
        ],
    }
}

/// The pieces the program renders itself (each must exist in every file).
pub(crate) const PIECES: [&str; 8] = [
    "hello-named",
    "hello",
    "late",
    "waited-minutes",
    "waited-hours",
    "waited-days",
    "contact-both",
    "missing-slot",
];

/// A message id without its `-formal`/`-informal` suffix, and the form it is for.
pub(crate) fn split_form(id: &str) -> (&str, Option<Address>) {
    if let Some(base) = id.strip_suffix("-informal") {
        (base, Some(Address::Informal))
    } else if let Some(base) = id.strip_suffix("-formal") {
        (base, Some(Address::Formal))
    } else {
        (id, None)
    }
}

pub(crate) struct Templates {
    /// The file read, or `built-in <lang>.ftl`: named in errors and lint.
    pub origin: String,
    bundle: FluentBundle<FluentResource>,
    /// Message ids in file order.
    pub ids: Vec<String>,
    /// Message id → variables it uses, message references followed.
    vars: HashMap<String, BTreeSet<String>>,
}

impl Templates {
    /// Parses one `.ftl` text; any syntax error or duplicate id is an error
    /// naming `origin` (and the line).
    pub(crate) fn parse(
        lang: Lang,
        text: String,
        origin: &Path,
    ) -> Result<Templates, RespondError> {
        let resource = match FluentResource::try_new(text) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                let first = &errors[0];
                let source = resource.source();
                let mut before = &source[..first.pos.start.min(source.len())];
                if before.len() == source.len() {
                    // Cut off by the end of the file: name the last line, not the empty one after it.
                    before = before.trim_end();
                }
                let line = before.matches('\n').count() + 1;
                let mut message = first.kind.to_string();
                if errors.len() > 1 {
                    message.push_str(&format!(" (and {} more)", errors.len() - 1));
                }
                return Err(RespondError::Syntax {
                    path: origin.to_path_buf(),
                    line,
                    message,
                });
            }
        };
        let (ids, vars) = variables(&resource);
        let locale = lang
            .as_str()
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Drafts are plain text pasted into forums: no bidi isolation marks.
        bundle.set_use_isolating(false);
        bundle
            .add_builtins()
            .expect("NUMBER is added once to a fresh bundle");
        if let Err(errors) = bundle.add_resource(resource) {
            let id = errors
                .iter()
                .find_map(|e| match e {
                    FluentError::Overriding { id, .. } => Some(id.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            return Err(RespondError::Duplicate {
                path: origin.to_path_buf(),
                id,
            });
        }
        Ok(Templates {
            origin: origin.display().to_string(),
            bundle,
            ids,
            vars,
        })
    }

    /// The message for `base` in `form`: `<base>-<form>` if the file has it,
    /// else the form-neutral `<base>`.
    pub(crate) fn resolve(&self, base: &str, form: Address) -> Option<String> {
        let suffixed = format!("{base}-{}", form.as_str());
        if self.bundle.has_message(&suffixed) {
            return Some(suffixed);
        }
        self.bundle.has_message(base).then(|| base.to_string())
    }

    /// Variables message `id` uses (empty for an unknown id).
    pub(crate) fn vars(&self, id: &str) -> BTreeSet<String> {
        self.vars.get(id).cloned().unwrap_or_default()
    }

    /// Renders message `id`; every Fluent error (a variable not given, a
    /// reference to a missing message) fails the render.
    pub(crate) fn render(&self, id: &str, args: &FluentArgs) -> Result<String, String> {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return Err(format!("no message `{id}`"));
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(args), &mut errors);
        if !errors.is_empty() {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(list.join("; "));
        }
        Ok(tidy(&text))
    }
}

/// Collapses the doubled spaces an empty piece (`{ $late }` on time) leaves,
/// line by line.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Every message's id (file order) and the variables it uses, following
/// message references. A term's variables are its own arguments, so terms
/// are not entered.
fn variables(resource: &FluentResource) -> (Vec<String>, HashMap<String, BTreeSet<String>>) {
    let messages: HashMap<&str, &ast::Message<&str>> = resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some((m.id.name, m)),
            _ => None,
        })
        .collect();
    let ids: Vec<String> = resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    let vars = ids
        .iter()
        .map(|id| {
            let mut found = BTreeSet::new();
            let mut seen = BTreeSet::new();
            message_vars(id, &messages, &mut seen, &mut found);
            (id.clone(), found)
        })
        .collect();
    (ids, vars)
}

fn message_vars<'a>(
    id: &'a str,
    messages: &HashMap<&'a str, &'a ast::Message<&'a str>>,
    seen: &mut BTreeSet<&'a str>,
    found: &mut BTreeSet<String>,
) {
    if !seen.insert(id) {
        return;
    }
    let Some(message) = messages.get(id) else {
        return;
    };
    let mut walker = Walker {
        messages,
        seen,
        found,
    };
    if let Some(value) = &message.value {
        walker.pattern(value);
    }
    for attribute in &message.attributes {
        walker.pattern(&attribute.value);
    }
}

struct Walker<'a, 'w> {
    messages: &'w HashMap<&'a str, &'a ast::Message<&'a str>>,
    seen: &'w mut BTreeSet<&'a str>,
    found: &'w mut BTreeSet<String>,
}

impl<'a> Walker<'a, '_> {
    fn pattern(&mut self, pattern: &'a ast::Pattern<&'a str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &'a ast::Expression<&'a str>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                self.inline(selector);
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
            ast::Expression::Inline(inline) => self.inline(inline),
        }
    }

    fn inline(&mut self, inline: &'a ast::InlineExpression<&'a str>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                self.found.insert(id.name.to_string());
            }
            ast::InlineExpression::MessageReference { id, .. } => {
                message_vars(id.name, self.messages, self.seen, self.found);
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                self.arguments(arguments);
            }
            // A term sees only its call's arguments, never the caller's
            // variables; the arguments themselves may name variables.
            ast::InlineExpression::TermReference { arguments, .. } => {
                if let Some(arguments) = arguments {
                    self.arguments(arguments);
                }
            }
            ast::InlineExpression::Placeable { expression } => self.expression(expression),
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn arguments(&mut self, arguments: &'a ast::CallArguments<&'a str>) {
        for positional in &arguments.positional {
            self.inline(positional);
        }
        for named in &arguments.named {
            self.inline(&named.value);
        }
    }
}
