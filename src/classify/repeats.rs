//! "The same negative comment under every post" (playbook, spam): the one
//! place that decides when two texts are the same. The spam flag here and
//! the campaign detector's `spam_repeat` kind both call [`fingerprint`], so
//! they never disagree on what a repeat is.

use super::{Context, Flag, Labels};
use crate::store::AuthorHistory;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A short digest of the text with case, spacing, punctuation, emoji and
/// masking removed: "Worst bank EVER!!! 😡" and "worst bank ever" share it.
/// Texts of fewer than 12 letters get none: "+1" or "thanks!" are not spam.
pub fn fingerprint(text: &str) -> Option<String> {
    fingerprint_normalized(&crate::matcher::normalize_text(text))
}

/// [`fingerprint`] of a text already normalised (`matcher::normalize`).
pub fn fingerprint_normalized(normalized: &str) -> Option<String> {
    // `is_letter_or_digit` is `char::is_alphanumeric` with fast paths.
    let letters: String = normalized
        .chars()
        .filter(|&c| crate::matcher::normalize::is_letter_or_digit(c))
        .collect();
    if letters.chars().count() < 12 {
        return None;
    }
    let digest = Sha256::digest(letters.as_bytes());
    Some(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// An earlier post this one repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// Id (or any key the caller uses) of the first post with this text.
    pub first: String,
    /// In how many threads the author posted this text before.
    pub earlier: usize,
}

/// The repeat rule: among the author's earlier posts of the same text
/// (`(id, thread)`, oldest first), one under another thread makes this post a
/// repeat of the first. The same text again in the same thread is an edit or
/// a re-post there, not spam across posts.
fn repeat_of(thread: &str, same_text: &[(String, String)]) -> Option<Repeat> {
    if same_text.iter().all(|(_, t)| t == thread) {
        return None;
    }
    let mut threads: Vec<&str> = same_text.iter().map(|(_, t)| t.as_str()).collect();
    threads.sort_unstable();
    threads.dedup();
    Some(Repeat {
        first: same_text[0].0.clone(),
        earlier: threads.len(),
    })
}

/// One post, as the history of its author needs it.
pub struct Post<'a> {
    pub id: &'a str,
    pub author: &'a str,
    /// The page a comment sits on, or the post's own URL.
    pub thread: &'a str,
    pub fingerprint: Option<&'a str>,
}

#[derive(Debug, Default)]
struct Posts {
    /// (id, thread, fingerprint), in the order recorded.
    posts: Vec<(String, String, Option<String>)>,
    trolled: bool,
}

/// Authors' earlier posts within one crawl batch (or a labelled set), fed in
/// time order, on top of what the store already holds: the one place that
/// turns history into a [`Context`] (first post? a repeat? trolled before?).
#[derive(Debug, Default)]
pub struct Histories {
    authors: HashMap<String, Posts>,
}

impl Histories {
    /// The context of `post`, given what the store holds of its author before it.
    pub fn context(&self, post: &Post<'_>, stored: &AuthorHistory) -> Context {
        let key = post.author.trim().to_lowercase();
        if key.is_empty() {
            return Context::default();
        }
        let mine = self.authors.get(&key);
        let mut same_text: Vec<(String, String)> = stored
            .same_text
            .iter()
            .map(|(id, t)| (id.to_string(), t.clone()))
            .collect();
        if let (Some(print), Some(mine)) = (post.fingerprint, mine) {
            same_text.extend(
                mine.posts
                    .iter()
                    .filter(|(_, _, f)| f.as_deref() == Some(print))
                    .map(|(id, t, _)| (id.clone(), t.clone())),
            );
        }
        same_text.retain(|(id, _)| id != post.id);
        Context {
            first_post: !stored.has_earlier && mine.is_none_or(|m| m.posts.is_empty()),
            repeat: repeat_of(post.thread, &same_text),
            troll_history: stored.trolled || mine.is_some_and(|m| m.trolled),
        }
    }

    /// Records a post after it was labelled.
    pub fn record(&mut self, post: &Post<'_>, labels: &Labels) {
        let key = post.author.trim().to_lowercase();
        if key.is_empty() {
            return;
        }
        let entry = self.authors.entry(key).or_default();
        entry.trolled |= labels.has(Flag::Troll);
        entry.posts.push((
            post.id.to_string(),
            post.thread.to_string(),
            post.fingerprint.map(str::to_string),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_spacing_punctuation_and_emoji_do_not_make_a_new_text() {
        assert_eq!(
            fingerprint("Worst bank EVER!!! 😡 Never again."),
            fingerprint("worst bank ever never again")
        );
        assert_ne!(
            fingerprint("worst bank ever, never again"),
            fingerprint("best bank ever, never again")
        );
        assert_eq!(fingerprint("thanks!"), None);
    }

    #[test]
    fn the_first_post_is_kept_and_later_ones_elsewhere_are_repeats() {
        let mut h = Histories::default();
        let mut observe = |id: &str, author: &str, thread: &str, text: &str| {
            let print = fingerprint(text);
            let post = Post {
                id,
                author,
                thread,
                fingerprint: print.as_deref(),
            };
            let ctx = h.context(&post, &AuthorHistory::default());
            let labels = Labels {
                sentiment: crate::model::Sentiment::Neutral,
                sentiment_score: 0.0,
                intent: crate::model::Intent::Other,
                flags: Default::default(),
                reasons: Default::default(),
            };
            h.record(&post, &labels);
            ctx.repeat
        };
        let text = "Nordlys stole my money, do not trust them!";
        assert_eq!(observe("a", "bob", "post-1", text), None);
        assert_eq!(observe("b", "bob", "post-1", text), None, "same thread");
        assert_eq!(
            observe(
                "c",
                "Bob",
                "post-2",
                "NORDLYS stole my money — do not trust them"
            ),
            Some(Repeat {
                first: "a".into(),
                earlier: 1
            })
        );
        assert_eq!(
            observe("d", "alice", "post-3", text),
            None,
            "another author"
        );
    }

    #[test]
    fn the_store_history_counts_as_earlier_posts() {
        let h = Histories::default();
        let print = fingerprint("Nordlys stole my money, do not trust them!");
        let post = Post {
            id: "new",
            author: "bob",
            thread: "post-2",
            fingerprint: print.as_deref(),
        };
        let stored = AuthorHistory {
            has_earlier: true,
            same_text: vec![(crate::model::MentionId::from_raw("old"), "post-1".into())],
            trolled: true,
        };
        let ctx = h.context(&post, &stored);
        assert!(!ctx.first_post && ctx.troll_history);
        assert_eq!(ctx.repeat.map(|r| r.first), Some("old".into()));
        assert!(h.context(&post, &AuthorHistory::default()).first_post);
    }
}
