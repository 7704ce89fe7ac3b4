//! The web console in a real browser: starts the server on free loopback ports and runs
//! `tests/console/console.test.mjs` (Playwright driving Debian's headless Chromium) against it.
//!
//! Needs `node`, `/usr/bin/chromium` (or `CHROMIUM_BIN`) and `npm ci` in `tests/console`;
//! `scripts/test-all.sh` installs all three. Without them the test fails when `CI` is set and
//! prints SKIPPED otherwise. `TESTDATA_CONSOLE_SCREENSHOTS=docs/console` (relative to the
//! workspace) writes the screenshots of the main views there.

use std::path::{Path, PathBuf};
use std::process::Command;

use testdata_server::config::Config;
use testdata_server::server::start;

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(program)).find(|p| p.is_file())
}

/// What is missing to run the browser test, as install hints.
fn missing_tools(test_dir: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if which("node").is_none() {
        missing.push("node (apt-get install -y nodejs npm)".to_owned());
    }
    if !chromium.is_file() {
        missing.push(format!("{} (apt-get install -y chromium)", chromium.display()));
    }
    if !test_dir.join("node_modules/playwright-core/package.json").is_file() {
        missing.push(format!("playwright-core (npm ci --prefix {})", test_dir.display()));
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_works_in_a_real_browser() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let test_dir = manifest.join("tests/console");
    let chromium = std::env::var_os("CHROMIUM_BIN").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let missing = missing_tools(&test_dir, &chromium);
    if !missing.is_empty() {
        let message = format!("the browser test needs {} (scripts/test-all.sh installs them)", missing.join(", "));
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("SKIPPED: {message}");
        return;
    }

    let running = start(Config::ephemeral()).await.expect("server starts");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("console-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work dir");
    let screenshots = match std::env::var_os("TESTDATA_CONSOLE_SCREENSHOTS") {
        Some(dir) => manifest.join("..").join(dir),
        None => work.join("screenshots"),
    };
    let mut node = Command::new("node");
    node.arg(test_dir.join("console.test.mjs"))
        .current_dir(&test_dir)
        .env("CONSOLE_URL", format!("http://{}/", running.http_addr))
        .env("CLI_BIN", env!("CARGO_BIN_EXE_testdata"))
        .env("WORK_DIR", &work)
        .env("SCREENSHOT_DIR", &screenshots)
        .env("CHROMIUM_BIN", &chromium);
    let out = tokio::task::spawn_blocking(move || node.output()).await.expect("join").expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "the browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}\n{stderr}");
    running.shutdown().await.expect("shutdown");
    let _ = std::fs::remove_dir_all(&work);
}
