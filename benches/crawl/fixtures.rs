//! The fixture web in a child process: the bench binary re-executes itself
//! with `--serve-fixtures` (under `taskset -c 1` when available), so the
//! server runs on its own core and its memory is reported apart.

use crate::corpus;
use hearsay::demo::web::{Reply, Web};
use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};

type Res<T> = Result<T, Box<dyn Error>>;

/// The hidden flag that makes the binary a fixture server.
pub const SERVE_FLAG: &str = "--serve-fixtures";

/// Child side: one server per host on a shared port, one tokio thread
/// (current-thread runtime). Prints `port=N` when ready; exits when stdin closes.
pub fn serve(seed: u64, pages: usize, hosts: usize) -> Res<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let first = Web::start(SocketAddr::from((corpus::host_ip(0), 0))).await?;
        let port = first.addr().port();
        let mut servers = vec![first];
        for i in 1..hosts {
            servers.push(Web::start(SocketAddr::from((corpus::host_ip(i), port))).await?);
        }
        for (i, web) in servers.iter().enumerate() {
            let host = corpus::host(seed, i, corpus::pages_of(i, pages, hosts), port);
            web.route("/robots.txt", Reply::text(host.robots()));
            web.route("/sitemap.xml", Reply::xml(host.sitemap()));
            for p in host.pages {
                web.route(&p.path, Reply::html(p.html));
            }
        }
        println!("port={port}");
        std::io::stdout().flush()?;
        // Serve until the parent closes our stdin (or dies).
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin()
                .lock()
                .read_line(&mut line)
                .is_ok_and(|n| n > 0)
            {
                line.clear();
            }
        })
        .await?;
        drop(servers);
        Ok(())
    })
}

/// Parent side: the running child.
pub struct Fixtures {
    child: Child,
    stdin: Option<ChildStdin>,
    pub port: u16,
    pub pinned: Option<String>,
}

impl Fixtures {
    /// Starts the child (pinned to `core` when `taskset` is given) and waits until it serves.
    pub fn start(seed: u64, pages: usize, hosts: usize, core: Option<usize>) -> Res<Fixtures> {
        let exe = std::env::current_exe()?;
        let args = [
            SERVE_FLAG.to_string(),
            "--seed".into(),
            seed.to_string(),
            "--pages".into(),
            pages.to_string(),
            "--hosts".into(),
            hosts.to_string(),
        ];
        let mut cmd = match core {
            Some(c) => {
                let mut cmd = Command::new("taskset");
                cmd.arg("-c").arg(c.to_string()).arg(&exe);
                cmd
            }
            None => Command::new(&exe),
        };
        let mut child = cmd
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or("no stdout from the fixture server")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port = match line
            .trim()
            .strip_prefix("port=")
            .and_then(|p| p.parse().ok())
        {
            Some(p) => p,
            None => {
                let _ = child.kill();
                return Err(format!("fixture server did not start (said {line:?})").into());
            }
        };
        Ok(Fixtures {
            child,
            stdin,
            port,
            pinned: core.map(|c| format!("core {c}")),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes the child's stdin and waits for it.
    pub fn stop(mut self) -> Res<()> {
        drop(self.stdin.take());
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        if self.stdin.take().is_some() {
            // Not stopped cleanly (an error on the way): end our own child.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
