//! Brand matching: which brands an item names, and exactly where.
//!
//! Trolls and attackers mask brand names ("N0rdlys", "N.o.r.d.l.y.s", a
//! Cyrillic о in a Latin word) so that filters and monitors miss them; the
//! playbook asks us to catch those too. So matching does not compare raw
//! text: both the aliases and the item go through [`normalize`] and then
//! into a script-neutral key stream (see `keys`), one Aho-Corasick scan
//! finds every alias, exclude phrase and query term of every brand, and
//! cheap checks on each hit decide word boundaries, endings and separators.
//!
//! A brand counts for an item when at least one of its occurrences lies
//! outside its `exclude` phrases and its optional boolean `query` holds
//! over title and text.

mod keys;
pub mod normalize;
mod query;

pub use normalize::{normalize, normalize_text, Normalized};

use crate::config::BrandConfig;
use crate::model::{BrandMatch, MatchField};
use aho_corasick::{AhoCorasick, MatchKind};
use keys::{Class, Gap, KeyStream, Pattern};
use std::collections::{HashMap, HashSet};

/// Why a brand list could not be compiled into a matcher.
#[derive(Debug, thiserror::Error)]
pub enum MatcherError {
    /// A brand has no name and no aliases.
    #[error("brand `{brand}` has no name or alias to match")]
    NoAliases { brand: String },
    /// An alias or exclude phrase is only punctuation or spaces.
    #[error("{what} `{phrase}` of brand `{brand}` has no letters or digits to match; remove it or spell it out")]
    EmptyPhrase {
        brand: String,
        what: &'static str,
        phrase: String,
    },
    /// The brand's boolean query does not parse.
    #[error("query of brand `{brand}`: {message}")]
    BadQuery { brand: String, message: String },
    /// The automaton could not be built (far too many or too long aliases).
    #[error("cannot build the matcher: {0}; use fewer or shorter aliases")]
    Build(#[from] aho_corasick::BuildError),
}

/// Checks a brand's boolean `query` when the config is loaded: Ok, or what
/// is wrong and at which character.
pub fn validate_query(query: &str) -> Result<(), String> {
    query::parse(query).map(|_| ())
}

/// Who a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Alias,
    Exclude,
    Term(usize),
}

#[derive(Debug, Clone)]
struct Target {
    brand: usize,
    owner: Owner,
    pattern: Pattern,
}

#[derive(Debug)]
struct CompiledBrand {
    name: String,
    query: Option<query::Query>,
}

/// All brands of a config, compiled once; cheap to share between threads.
#[derive(Debug)]
pub struct Matcher {
    brands: Vec<CompiledBrand>,
    /// `None` when no brand has anything to match.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, everything that key string stands for.
    targets: Vec<Vec<Target>>,
    endings: HashSet<String>,
}

/// One checked hit in one field, in key indices.
#[derive(Debug, Clone, Copy)]
struct Hit {
    brand: usize,
    owner: Owner,
    start: usize,
    /// End of the pattern itself (exclusive).
    end: usize,
    /// End including an accepted ending ("Нордлис|ом").
    surface_end: usize,
}

impl Matcher {
    /// Compiles aliases, exclude phrases and query terms of every brand.
    pub fn new(brands: &[BrandConfig]) -> Result<Matcher, MatcherError> {
        let mut by_text: HashMap<String, usize> = HashMap::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |brand: usize, owner: Owner, pattern: Pattern| {
            let next = targets.len();
            let slot = *by_text.entry(pattern.text.clone()).or_insert(next);
            if slot == next {
                targets.push(Vec::new());
            }
            targets[slot].push(Target {
                brand,
                owner,
                pattern,
            });
        };
        let mut compiled = Vec::with_capacity(brands.len());
        for (b, brand) in brands.iter().enumerate() {
            let mut aliases: Vec<&str> = brand.aliases.iter().map(String::as_str).collect();
            if aliases.is_empty() && !brand.name.trim().is_empty() {
                aliases.push(&brand.name);
            }
            if aliases.is_empty() {
                return Err(MatcherError::NoAliases {
                    brand: brand.name.clone(),
                });
            }
            let phrases = aliases.iter().map(|a| ("alias", Owner::Alias, *a)).chain(
                brand
                    .exclude
                    .iter()
                    .map(|e| ("exclude phrase", Owner::Exclude, e.as_str())),
            );
            for (what, owner, phrase) in phrases {
                let patterns = Pattern::compile(phrase);
                if patterns.is_empty() {
                    return Err(MatcherError::EmptyPhrase {
                        brand: brand.name.clone(),
                        what,
                        phrase: phrase.to_string(),
                    });
                }
                patterns.into_iter().for_each(|p| add(b, owner, p));
            }
            let query = match &brand.query {
                Some(q) => Some(query::parse(q).map_err(|message| MatcherError::BadQuery {
                    brand: brand.name.clone(),
                    message,
                })?),
                None => None,
            };
            if let Some(q) = &query {
                for (t, term) in q.terms.iter().enumerate() {
                    Pattern::compile(term)
                        .into_iter()
                        .for_each(|p| add(b, Owner::Term(t), p));
                }
            }
            compiled.push(CompiledBrand {
                name: brand.name.clone(),
                query,
            });
        }
        let automaton = if targets.is_empty() {
            None
        } else {
            let texts = targets.iter().map(|ts| ts[0].pattern.text.as_str());
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(texts)?,
            )
        };
        Ok(Matcher {
            brands: compiled,
            automaton,
            targets,
            endings: keys::ending_set(),
        })
    }

    /// Every accepted occurrence of every brand in title and text. A brand
    /// counts only if at least one occurrence is outside its exclude phrases
    /// and its optional boolean query holds over title and text.
    pub fn find(&self, title: &str, text: &str) -> Vec<BrandMatch> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Most items name no brand: one quick pass says so without building
        // the positions the checks below need.
        let mut keys = String::new();
        let nothing = [title, text]
            .into_iter()
            .all(|f| keys::quick_key_text(f, &mut keys) && !automaton.is_match(keys.as_str()));
        if nothing {
            return Vec::new();
        }
        let fields = [(MatchField::Title, title), (MatchField::Text, text)];
        let scans: Vec<(MatchField, &str, KeyStream, Vec<Hit>)> = fields
            .into_iter()
            .map(|(field, original)| {
                let stream = KeyStream::new(original);
                let hits = self.hits(&stream);
                (field, original, stream, hits)
            })
            .collect();

        let mut found: Vec<(usize, MatchField, &str, &KeyStream, Hit)> = Vec::new();
        for (b, brand) in self.brands.iter().enumerate() {
            let mut accepted = Vec::new();
            for (field, original, stream, hits) in &scans {
                let excludes: Vec<&Hit> = hits
                    .iter()
                    .filter(|h| h.brand == b && h.owner == Owner::Exclude)
                    .collect();
                for hit in hits
                    .iter()
                    .filter(|h| h.brand == b && h.owner == Owner::Alias)
                {
                    let excluded = excludes
                        .iter()
                        .any(|x| x.start <= hit.start && hit.end <= x.end);
                    if !excluded {
                        accepted.push((b, *field, *original, stream, *hit));
                    }
                }
            }
            if accepted.is_empty() {
                continue;
            }
            if let Some(q) = &brand.query {
                let present = |t: usize| {
                    scans.iter().any(|(_, _, _, hits)| {
                        hits.iter()
                            .any(|h| h.brand == b && h.owner == Owner::Term(t))
                    })
                };
                if !q.expr.eval(&present) {
                    continue;
                }
            }
            found.extend(accepted);
        }
        resolve_overlaps(&mut found);
        found
            .into_iter()
            .filter_map(|(b, field, original, stream, hit)| {
                let (start, end) = stream.original_range(hit.start, hit.surface_end)?;
                Some(BrandMatch {
                    brand: self.brands[b].name.clone(),
                    field,
                    start,
                    end,
                    text: original.get(start..end)?.to_string(),
                })
            })
            .collect()
    }

    /// Distinct brand names found, in config order.
    pub fn brands_in(&self, matches: &[BrandMatch]) -> Vec<String> {
        self.brands
            .iter()
            .filter(|b| matches.iter().any(|m| m.brand == b.name))
            .map(|b| b.name.clone())
            .collect()
    }

    /// Scans one field and keeps the hits that pass the word checks.
    fn hits(&self, stream: &KeyStream) -> Vec<Hit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut cursor = (0, 0);
        for m in automaton.find_overlapping_iter(&stream.text) {
            let (start, end) = stream.key_range(&mut cursor, m.start(), m.end());
            let Some(targets) = self.targets.get(m.pattern().as_usize()) else {
                continue;
            };
            for t in targets {
                if let Some(surface_end) = self.check(stream, &t.pattern, start, end) {
                    hits.push(Hit {
                        brand: t.brand,
                        owner: t.owner,
                        start,
                        end,
                        surface_end,
                    });
                }
            }
        }
        hits
    }

    /// Decides whether keys `start..end` are a real occurrence of `p`;
    /// returns where its surface ends (after an accepted ending).
    fn check(&self, s: &KeyStream, p: &Pattern, start: usize, end: usize) -> Option<usize> {
        let keys = s.keys.get(start..end)?;
        if !separators_allowed(keys, p) {
            return None;
        }
        let first = keys.first()?;
        if p.start_alpha && first.class == Class::Alpha {
            let glued = first.gap == Gap::None
                && start > 0
                && s.keys
                    .get(start - 1)
                    .is_some_and(|k| k.class == Class::Alpha);
            if glued {
                return None;
            }
        }
        if !p.end_alpha {
            return Some(end);
        }
        let Some(next) = s.keys.get(end) else {
            return (!p.needs_ending).then_some(end);
        };
        let glued = next.gap == Gap::None && next.class == Class::Alpha;
        if !glued && next.gap != Gap::Joiner {
            return (!p.needs_ending).then_some(end);
        }
        // The rest of the word after the alias, e.g. "ом" of "Нордлисом".
        let rest_end = s.word_end(end);
        let rest = s.key_string(end, rest_end);
        let rest_is_ending = next.class == Class::Alpha && self.endings.contains(&rest);
        let rest_is_number = rest.bytes().all(|b| b.is_ascii_digit());
        match next.gap {
            // Glued to more letters: only a known ending may follow ("Нордлис|ом", not "Nordlys|fjord").
            Gap::None if rest_is_ending => Some(rest_end),
            // A number glued on is a hashtag or a model: "#Nordlys2024", "Acme365".
            Gap::None => (rest_is_number && !p.needs_ending).then_some(end),
            // "Nordlys'ом", "Nordlys-а": the ending belongs to the mention; "Nordlys-app" ends before the hyphen.
            Gap::Joiner if rest_is_ending => Some(rest_end),
            _ => (!p.needs_ending).then_some(end),
        }
    }
}

/// Inside one occurrence, spaces and punctuation are allowed where the
/// alias itself has a word gap ("Acme Bank" in "ACME-bank"), or when the
/// name is spelled out one letter at a time ("N.o.r.d.l.y.s", "N o r d l y s").
/// Emoji and zero-width characters are allowed anywhere.
fn separators_allowed(keys: &[keys::Key], p: &Pattern) -> bool {
    let visible: Vec<usize> = (1..keys.len())
        .filter(|&i| keys[i].gap.is_visible())
        .collect();
    if visible.iter().all(|i| p.word_gaps.contains(i)) {
        return true;
    }
    // Spelled out: every visible gap not in the alias sits between two single letters.
    let mut bounds = Vec::with_capacity(visible.len() + 2);
    bounds.push(0);
    bounds.extend(visible.iter().copied());
    bounds.push(keys.len());
    bounds.windows(3).all(|w| {
        let (before, at, after) = (w[0], w[1], w[2]);
        p.word_gaps.contains(&at) || (at - before == 1 && after - at == 1)
    })
}

/// Keeps one occurrence per place: within a brand the longest of
/// overlapping alias hits, and across brands the longer one ("Acme Bank"
/// over "Acme" when both are brands); then sorts by field and position.
fn resolve_overlaps<T>(found: &mut Vec<(usize, MatchField, T, &KeyStream, Hit)>) {
    let field_rank = |f: MatchField| match f {
        MatchField::Title => 0,
        MatchField::Text => 1,
    };
    found.sort_by_key(|(b, f, _, _, h)| (field_rank(*f), h.start, usize::MAX - h.surface_end, *b));
    // Only hits starting within the longest span before this one can overlap it.
    let longest = found
        .iter()
        .map(|(_, _, _, _, h)| h.surface_end - h.start)
        .max()
        .unwrap_or(0);
    let mut kept: Vec<(usize, MatchField, T, &KeyStream, Hit)> = Vec::with_capacity(found.len());
    for item in found.drain(..) {
        let (b, f, _, _, h) = &item;
        let covered = kept
            .iter()
            .rev()
            .take_while(|(_, kf, _, _, k)| kf == f && k.start + longest > h.start)
            .any(|(kb, _, _, _, k)| {
                let overlaps = k.start < h.surface_end && h.start < k.surface_end;
                let contained = k.start <= h.start && h.surface_end <= k.surface_end;
                let longer = k.surface_end - k.start > h.surface_end - h.start;
                overlaps && (kb == b || (contained && longer))
            });
        if !covered {
            kept.push(item);
        }
    }
    *found = kept;
}

#[cfg(test)]
mod tests;
