//! Digest and alert mails as plain text and HTML (inline CSS, no scripts,
//! nothing loaded from outside), in the digest's language.
