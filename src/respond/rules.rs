//! Which playbook rule a mention's labels call for: one draft per mention,
//! the most important rule first.

use crate::model::{Flag, Intent, Labels};

/// A playbook rule a draft follows; its template id is [`Rule::template`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Rule {
    Obscene,
    Ad,
    Spam,
    Insult,
    Troll,
    SuspectedFake,
    Incident,
    Complaint,
    /// A complaint the author caused by skipping the manual.
    ComplaintManual,
    /// The "it is solved" reply in the same thread.
    Resolved,
    Question,
    Constructive,
    Praise,
    /// Anything else the brand owes an answer: never leave anyone hanging.
    Acknowledge,
}

impl Rule {
    pub(crate) const ALL: [Rule; 14] = [
        Rule::Obscene,
        Rule::Ad,
        Rule::Spam,
        Rule::Insult,
        Rule::Troll,
        Rule::SuspectedFake,
        Rule::Incident,
        Rule::Complaint,
        Rule::ComplaintManual,
        Rule::Resolved,
        Rule::Question,
        Rule::Constructive,
        Rule::Praise,
        Rule::Acknowledge,
    ];

    /// The stable id in `Suggestion.rule` (snake case, like the flags).
    pub(crate) fn id(self) -> &'static str {
        match self {
            Rule::Obscene => "obscene",
            Rule::Ad => "ad",
            Rule::Spam => "spam",
            Rule::Insult => "insult",
            Rule::Troll => "troll",
            Rule::SuspectedFake => "suspected_fake",
            Rule::Incident => "incident",
            Rule::Complaint => "complaint",
            Rule::ComplaintManual => "complaint_manual",
            Rule::Resolved => "resolved",
            Rule::Question => "question",
            Rule::Constructive => "constructive",
            Rule::Praise => "praise",
            Rule::Acknowledge => "acknowledge",
        }
    }

    /// The Fluent message id (before the `-formal`/`-informal` suffix).
    pub(crate) fn template(self) -> &'static str {
        match self {
            Rule::SuspectedFake => "suspected-fake",
            Rule::ComplaintManual => "complaint-manual",
            other => other.id(),
        }
    }

    /// The playbook's words this rule follows, and the section they stand in.
    fn playbook(self) -> (&'static str, &'static str) {
        const MODERATION: &str = "Trolls, insults, spam, obscenity";
        match self {
            Rule::Obscene => (
                "hide it and tell the author which community rule was broken; silent deletion looks like censorship",
                MODERATION,
            ),
            Rule::Ad => ("unauthorised ads: remove and ban, no explanation owed", MODERATION),
            Rule::Spam => (
                "keep the first, remove the repeats, explain why, warn before banning, and still solve the complaint",
                MODERATION,
            ),
            Rule::Insult => (
                "never answer in kind: a reasoned reply, or tell the author the comment insults a person or the company",
                MODERATION,
            ),
            Rule::Troll => (
                "off the topic, no concern, nothing constructive: do not feed it; check the author's history first",
                MODERATION,
            ),
            Rule::SuspectedFake => (
                "a single suspicious review: ask for the order number and purchase date",
                "Incidents and attacks",
            ),
            Rule::Incident => (
                "explain it first, publicly, with what is being done",
                "Incidents and attacks",
            ),
            Rule::Complaint => (
                "acknowledge, apologise plainly where the company is at fault, move detail to e-mail/phone, promise a follow-up",
                "Negative mentions",
            ),
            Rule::ComplaintManual => (
                "\"your fault for not reading the manual\": answer calmly and clearly, never condescend, never joke at the author",
                "Negative mentions",
            ),
            Rule::Resolved => (
                "after the problem is solved, reply in the same thread that it is solved",
                "Negative mentions",
            ),
            Rule::Question => (
                "answer fast and fully with several options; if it needs time, say it is being handled and when we come back",
                "Speed",
            ),
            Rule::Constructive => (
                "constructive criticism is a free gift of advice: thank the author for it",
                "Negative mentions",
            ),
            Rule::Praise => ("encourage and thank positive feedback", "Tone"),
            Rule::Acknowledge => (
                "never leave anyone hanging, even if the answer is only that it was passed on",
                "Speed",
            ),
        }
    }

    /// `Suggestion.rule`: the id, the rule's words and its playbook section.
    pub(crate) fn describe(self) -> String {
        let (words, section) = self.playbook();
        format!("{}: {words} [PLAYBOOK: {section}]", self.id())
    }

    /// Moderation rules stand even after the thread is resolved.
    fn is_moderation(self) -> bool {
        matches!(self, Rule::Obscene | Rule::Ad | Rule::Spam | Rule::Troll)
    }

    /// Rules whose draft removes something. Only obscenity, spam repeats and
    /// ads: a negative comment is never removed for being negative.
    pub(crate) fn removes(self) -> bool {
        matches!(self, Rule::Obscene | Rule::Ad | Rule::Spam)
    }
}

/// The one rule a mention's labels call for, or `None` when nothing is owed
/// (an `other` mention without `needs_reply`, however negative).
///
/// Order: obscene > ad > spam repeat > insult > troll > suspected fake >
/// incident > complaint (the "manual" variant when the classifier gave a
/// `manual` reason) > question > constructive > praise. Once `resolved`, a
/// concern gets the "solved" reply instead; moderation stands.
pub(crate) fn choose(labels: &Labels, resolved: bool) -> Option<Rule> {
    let rule = if labels.has(Flag::Obscene) {
        Rule::Obscene
    } else if labels.has(Flag::Ad) {
        Rule::Ad
    } else if labels.has(Flag::Spam) {
        // The classifier sets `spam` for ads too; those were taken above, so
        // what is left is the same text repeated under other threads.
        Rule::Spam
    } else if labels.has(Flag::Insult) {
        Rule::Insult
    } else if labels.has(Flag::Troll) {
        Rule::Troll
    } else if labels.has(Flag::SuspectedFake) {
        Rule::SuspectedFake
    } else {
        match labels.intent {
            Intent::Incident => Rule::Incident,
            // The classifier gives a `manual` reason to complaints that turn
            // on the instructions or terms.
            Intent::Complaint if labels.reasons.contains_key("manual") => Rule::ComplaintManual,
            Intent::Complaint => Rule::Complaint,
            Intent::Question => Rule::Question,
            _ if labels.has(Flag::Constructive) => Rule::Constructive,
            Intent::Praise => Rule::Praise,
            Intent::Other if labels.has(Flag::NeedsReply) => Rule::Acknowledge,
            Intent::Other => return None,
        }
    };
    let concern = !rule.is_moderation() && !matches!(rule, Rule::Constructive | Rule::Praise);
    if resolved && concern {
        return Some(Rule::Resolved);
    }
    Some(rule)
}
