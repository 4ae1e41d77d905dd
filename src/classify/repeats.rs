//! "The same negative comment under every post" (playbook, spam): the one
//! place that decides when two texts are the same. The spam flag here and
//! the campaign detector's `spam_repeat` kind both call [`fingerprint`], so
//! they never disagree on what a repeat is.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A short digest of the text with case, spacing, punctuation, emoji and
/// masking removed: "Worst bank EVER!!! 😡" and "worst bank ever" share it.
/// Texts of fewer than 12 letters get none: "+1" or "thanks!" are not spam.
pub fn fingerprint(text: &str) -> Option<String> {
    let normalized = crate::matcher::normalize(text).text;
    let letters: String = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
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
    /// How many posts with this text the author made before this one.
    pub earlier: usize,
}

/// Tracks, in time order, who posted which text where: the first post of a
/// text by an author is kept, later ones under other threads are repeats.
/// The store answers the same question for the crawler from its rows.
#[derive(Debug, Default)]
pub struct RepeatTracker {
    seen: HashMap<(String, String), (String, Vec<String>)>,
}

impl RepeatTracker {
    /// Records a post (call in time order) and says whether it repeats an earlier one.
    pub fn observe(&mut self, id: &str, author: &str, thread: &str, text: &str) -> Option<Repeat> {
        let print = fingerprint(text)?;
        let author = author.trim().to_lowercase();
        if author.is_empty() {
            return None;
        }
        match self.seen.get_mut(&(author.clone(), print.clone())) {
            None => {
                self.seen
                    .insert((author, print), (id.to_string(), vec![thread.to_string()]));
                None
            }
            Some((first, threads)) => {
                // The same text again in the same thread is an edit or a re-post
                // there, not spam across posts.
                if threads.iter().all(|t| t == thread) {
                    return None;
                }
                threads.push(thread.to_string());
                Some(Repeat {
                    first: first.clone(),
                    earlier: threads.len() - 1,
                })
            }
        }
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
        let mut t = RepeatTracker::default();
        let text = "Nordlys stole my money, do not trust them!";
        assert_eq!(t.observe("a", "bob", "post-1", text), None);
        assert_eq!(t.observe("b", "bob", "post-1", text), None, "same thread");
        assert_eq!(
            t.observe(
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
            t.observe("d", "alice", "post-3", text),
            None,
            "another author"
        );
    }
}
