//! A mention as people read it: what is computed when read, never stored
//! stale — its urgency against the clock and the reply window, and the draft
//! reply from the brand's current templates. The CLI's `--json`, the digest
//! and the web API all read mentions through this.

use super::{Request, Responder, Suggestion};
use crate::config::Config;
use crate::model::{Mention, Status};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What reading a mention computes against: the clock, the reply window and
/// the brand's reply templates (edited templates apply at once, nothing is stale).
pub struct Reading<'a> {
    pub now: DateTime<Utc>,
    pub window: Duration,
    pub config: &'a Config,
    pub responder: Responder,
}

impl<'a> Reading<'a> {
    /// Loads the templates of `config` (a broken one is an error naming its file).
    pub fn new(config: &'a Config) -> Result<Reading<'a>, super::RespondError> {
        let responder =
            Responder::load(&config.replies.templates)?.with_window(config.replies.window);
        Ok(Reading {
            now: Utc::now(),
            window: config.replies.window,
            config,
            responder,
        })
    }

    /// The draft reply for a mention still to be answered (see [`suggestion`]).
    pub fn suggestion(&self, m: &Mention) -> Option<Suggestion> {
        suggestion(m, self.config, &self.responder, self.now)
    }
}

/// The draft reply for a mention still to be answered (or resolved: the
/// "solved" reply), in its language and its brand's form of address; none
/// once it is answered or ignored, muted, or not about us.
pub fn suggestion(
    m: &Mention,
    config: &Config,
    responder: &Responder,
    now: DateTime<Utc>,
) -> Option<Suggestion> {
    let labels = m.labels.as_ref()?;
    if m.muted || m.overrides.not_about_us {
        return None;
    }
    if matches!(m.answer.status, Status::Answered | Status::Ignored) {
        return None;
    }
    let brand = m.brands.iter().find_map(|b| {
        config
            .brands
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(b))
    })?;
    responder.suggest(&Request {
        lang: m.lang,
        brand,
        author: m.author.as_deref(),
        labels,
        resolved: m.answer.status == Status::Resolved,
        waited: Some(now - m.effective_time()),
    })
}

/// A mention as JSON with what is computed when read: `urgency`,
/// `urgency_since` and `suggestion`.
pub fn view(m: &Mention, r: &Reading) -> serde_json::Value {
    json(m, r.config, &r.responder, r.now)
}

/// [`view`] for a caller that keeps its own responder (the web server).
pub fn json(
    m: &Mention,
    config: &Config,
    responder: &Responder,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let mut value = serde_json::to_value(m).unwrap_or_default();
    value["suggestion"] =
        serde_json::to_value(suggestion(m, config, responder, now)).unwrap_or_default();
    let (urgency, since) = m.urgency(now, config.replies.window);
    value["urgency"] = urgency.as_str().into();
    value["urgency_since"] = serde_json::to_value(since).unwrap_or_default();
    value
}
