//! A real SMTP server on loopback (aiosmtpd, `tests/smtp/server.py`) that
//! delivers into a Maildir and can be told to misbehave.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free port")
        .port()
}

impl SmtpServer {
    /// Starts the server on `port` with extra `faults` flags and waits until it listens.
    pub fn start(port: u16, maildir: &Path, faults: &[&str]) -> SmtpServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--maildir")
            .arg(maildir)
            .args(faults)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start python3 tests/smtp/server.py");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("server stdout");
        BufReader::new(stdout).read_line(&mut line).ok();
        assert!(
            line.starts_with("READY"),
            "the test SMTP server did not start (is aiosmtpd installed? run the README's \
             test command, tests/run.sh, which installs it): {line:?}"
        );
        SmtpServer {
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    /// Stops the server (the port is free again).
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Every message delivered to `maildir`, oldest first, as raw bytes.
pub fn delivered(maildir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(maildir.join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(_, p)| std::fs::read(p).expect("read delivered message"))
        .collect()
}

/// A delivered message, parsed: subject, Message-ID, recipient, both parts.
#[derive(Debug)]
pub struct Mail {
    pub subject: String,
    pub message_id: String,
    pub to: String,
    pub text: String,
    pub html: String,
    pub content_type: String,
}

/// Parses a delivered message; `text` and `html` are the parts actually
/// sent (empty when that part is missing, never converted from the other).
pub fn parse(raw: &[u8]) -> Mail {
    use mail_parser::MimeHeaders;
    let m = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a delivered message parses as MIME");
    let ct = m
        .root_part()
        .content_type()
        .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")))
        .unwrap_or_default();
    let part = |html: bool| {
        m.parts
            .iter()
            .find(|p| p.is_text() && p.is_text_html() == html)
            .and_then(|p| p.text_contents())
            .unwrap_or_default()
            .to_string()
    };
    Mail {
        subject: m.subject().unwrap_or_default().to_string(),
        message_id: m.message_id().unwrap_or_default().to_string(),
        to: m
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_string(),
        text: part(false),
        html: part(true),
        content_type: ct,
    }
}
