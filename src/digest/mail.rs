//! MIME messages and their delivery over SMTP (lettre).
//!
//! A message is built once, stored whole in the outbox, and sent as stored:
//! a retry sends the same bytes with the same Message-ID, so the one
//! duplicate SMTP cannot rule out (accepted, then the connection dropped
//! before Hearsay heard it) is recognisable as a duplicate.

use super::content::Rendered;
use super::DigestError;
use crate::config::{SmtpConfig, Tls};
use crate::store::{Attempt, NewMessage, StateStore};
use chrono::{DateTime, Utc};
use lettre::address::{Address, Envelope};
use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls as LettreTls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use sha2::{Digest, Sha256};

/// The Message-ID of one period's mail to one recipient: the same every
/// time that mail is rendered or retried, different for anything else.
pub fn message_id(
    kind: &str,
    name: &str,
    period: i64,
    recipient: &Mailbox,
    from: &Mailbox,
) -> String {
    let who = Sha256::digest(recipient.email.to_string().to_lowercase().as_bytes());
    let who: String = who[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "<hearsay.{kind}.{name}.{period}.{who}@{}>",
        from.email.domain()
    )
}

/// One message per recipient (each has its own Message-ID), ready for the outbox.
pub fn messages(
    rendered: &Rendered,
    from: &Mailbox,
    to: &[Mailbox],
    kind: &str,
    name: &str,
    period: i64,
    date: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DigestError> {
    to.iter()
        .map(|rcpt| {
            let id = message_id(kind, name, period, rcpt, from);
            let msg = Message::builder()
                .from(from.clone())
                .to(rcpt.clone())
                .subject(rendered.subject.clone())
                .message_id(Some(id.clone()))
                .date(date.into())
                .user_agent("Hearsay".to_string())
                .multipart(MultiPart::alternative_plain_html(
                    rendered.text.clone(),
                    rendered.html.clone(),
                ))
                .map_err(|e| DigestError::Message(e.to_string()))?;
            Ok(NewMessage {
                recipient: rcpt.to_string(),
                message_id: id,
                subject: rendered.subject.clone(),
                body: msg.formatted(),
            })
        })
        .collect()
}

/// An SMTP connection setup, with the password read from its environment
/// variable (never from a file, never logged).
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    retry_base: std::time::Duration,
    retry_max: std::time::Duration,
    /// "host:port", for messages.
    server: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .finish()
    }
}

impl Mailer {
    pub fn new(smtp: &SmtpConfig) -> Result<Mailer, DigestError> {
        let tls_parameters = || -> Result<TlsParameters, DigestError> {
            let mut b = TlsParameters::builder(smtp.host.clone());
            if let Some(path) = &smtp.ca_file {
                let pem = std::fs::read(path).map_err(|source| DigestError::CaFile {
                    path: path.clone(),
                    reason: source.to_string(),
                })?;
                let cert = Certificate::from_pem(&pem).map_err(|e| DigestError::CaFile {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls()
                .map_err(|e| DigestError::Smtp(format!("TLS setup: {e}")))
        };
        let tls = match smtp.tls {
            Tls::None => LettreTls::None,
            Tls::StartTls => LettreTls::Required(tls_parameters()?),
            Tls::Tls => LettreTls::Wrapper(tls_parameters()?),
        };
        let mut builder = SmtpTransport::builder_dangerous(smtp.host.clone())
            .port(smtp.port)
            .tls(tls)
            .timeout(Some(smtp.timeout));
        if let Some(user) = &smtp.username {
            let password = match &smtp.password_env {
                None => String::new(),
                Some(var) => {
                    std::env::var(var).map_err(|_| DigestError::MissingPassword(var.clone()))?
                }
            };
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Mailer {
            transport: builder.build(),
            from: smtp.from.clone(),
            retry_base: smtp.retry_base,
            retry_max: smtp.retry_max,
            server: format!("{}:{}", smtp.host, smtp.port),
        })
    }

    /// Hands one stored message to the server. Blocking: call from a
    /// blocking thread in async code.
    fn send(&self, to: Address, body: &[u8]) -> Result<(), lettre::transport::smtp::Error> {
        let envelope = Envelope::new(Some(self.from.email.clone()), vec![to])
            .expect("an envelope with one recipient is always valid");
        self.transport.send_raw(&envelope, body).map(|_| ())
    }

    /// The wait before attempt `attempts + 1`: doubling from `retry_base`, capped.
    fn backoff(&self, attempts: u32) -> chrono::Duration {
        let wait = self
            .retry_base
            .saturating_mul(1u32 << attempts.min(16))
            .min(self.retry_max);
        chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
    }
}

/// What one pass over the outbox did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeliveryReport {
    pub sent: usize,
    /// Left pending, to be retried.
    pub retrying: usize,
    /// Refused for good.
    pub failed: usize,
}

impl DeliveryReport {
    /// Messages tried in this pass.
    pub fn attempted(&self) -> usize {
        self.sent + self.retrying + self.failed
    }
}

impl std::fmt::Display for DeliveryReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "mail: {} sent, {} to retry, {} refused",
            self.sent, self.retrying, self.failed
        )
    }
}

/// Sends the outbox's due messages (every pending one with `all`), recording
/// each outcome: accepted → sent; 4xx or a connection problem → retried
/// later with capped back-off; 5xx → failed, with the server's reply.
pub fn deliver(
    st: &dyn StateStore,
    mailer: &Mailer,
    now: DateTime<Utc>,
    all: bool,
) -> Result<DeliveryReport, DigestError> {
    let mut report = DeliveryReport::default();
    let due = st.due_messages(now, all)?;
    for m in due {
        // The outbox only holds recipients the config parsed; a corrupt one
        // is refused for good rather than retried forever.
        let to = match m.recipient.parse::<Mailbox>() {
            Ok(to) => to.email,
            Err(e) => {
                report.failed += 1;
                let error = format!("bad recipient {}: {e}", m.recipient);
                st.record_attempt(m.id, &Attempt::Failed { error }, Utc::now())?;
                continue;
            }
        };
        let attempt = match mailer.send(to, &m.body) {
            Ok(_) => {
                tracing::info!(message_id = %m.message_id, to = %m.recipient, "mail accepted");
                report.sent += 1;
                crate::stats::count(crate::stats::Event::MailSent, 1);
                Attempt::Sent
            }
            Err(e) if e.is_permanent() => {
                let error = describe(&e);
                tracing::error!(message_id = %m.message_id, to = %m.recipient, server = %mailer.server, %error, "mail refused for good");
                report.failed += 1;
                crate::stats::count(crate::stats::Event::MailRefused, 1);
                Attempt::Failed { error }
            }
            Err(e) => {
                let error = describe(&e);
                let next_try = Utc::now() + mailer.backoff(m.attempts);
                tracing::warn!(message_id = %m.message_id, to = %m.recipient, server = %mailer.server, %error, %next_try, "mail not delivered; will retry");
                report.retrying += 1;
                crate::stats::count(crate::stats::Event::MailRetried, 1);
                Attempt::Retry { error, next_try }
            }
        };
        st.record_attempt(m.id, &attempt, Utc::now())?;
    }
    Ok(report)
}

/// The error with its SMTP code when there is one (lettre's Display of a
/// response error includes the server's text).
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    match e.status() {
        Some(code) if !text.contains(&code.to_string()) => format!("{code} {text}"),
        _ => text,
    }
}
