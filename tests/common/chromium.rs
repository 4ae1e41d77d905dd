//! Debian's Chromium, headless, for what must be seen in a real browser.
//! Installed by the README's test command (tests/run.sh); never downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The system Chromium; a clear failure when it is missing.
pub fn binary() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!("Chromium is not installed: run the README's test command (tests/run.sh), which installs Debian's chromium");
}

/// The flags every run uses: headless, and no connection of its own to anywhere.
fn command(profile: &Path, width: u32, height: u32) -> Command {
    let mut c = Command::new(binary());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--window-size={width},{height}"));
    c
}

/// Loads `page` at `width` × `height` and returns the DOM after its scripts ran.
pub fn dump_dom(page: &Path, width: u32, height: u32) -> String {
    let profile = tempfile::tempdir().expect("chromium profile dir");
    let out = command(profile.path(), width, height)
        .args(["--virtual-time-budget=3000", "--dump-dom"])
        .arg(url(page))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Saves a screenshot of `page` at `width` × `height` to `png`.
pub fn screenshot(page: &Path, width: u32, height: u32, png: &Path) {
    let profile = tempfile::tempdir().expect("chromium profile dir");
    let out = command(profile.path(), width, height)
        .arg(format!("--screenshot={}", png.display()))
        .arg(url(page))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success() && png.exists(),
        "chromium screenshot failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn url(page: &Path) -> String {
    format!(
        "file://{}",
        page.canonicalize().expect("page path").display()
    )
}
