//! The web console in a real browser: starts the server on free loopback ports and runs
//! `tests/console/console.test.mjs` (Playwright driving Debian's headless Chromium) against it.
//!
//! Needs `node`, `/usr/bin/chromium` (or `CHROMIUM_BIN`) and `npm ci` in `tests/console`;
//! `scripts/test-all.sh` installs all three. Without them the test fails when `CI` is set and
//! prints SKIPPED otherwise. `TESTDATA_CONSOLE_SCREENSHOTS=docs/console` (relative to the
//! workspace) writes the screenshots of the main views there.
//!
//! The other tests call the console's routes over a socket without a browser: API keys, the
//! catalogue, the schema check and the streaming download (byte-equal to the CLI).

use std::path::{Path, PathBuf};
use std::process::Command;

use testdata_server::config::Config;
use testdata_server::request::Method;
use testdata_server::server::start;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
    let chromium =
        std::env::var_os("CHROMIUM_BIN").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let missing = missing_tools(&test_dir, &chromium);
    if !missing.is_empty() {
        let message =
            format!("the browser test needs {} (scripts/test-all.sh installs them)", missing.join(", "));
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("SKIPPED: {message}");
        return;
    }

    let running = start(Config::ephemeral()).await.expect("server starts");
    let keyed =
        start(Config { api_keys: vec!["k1".into()], ..Config::ephemeral() }).await.expect("server starts");
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
        .env("CONSOLE_KEYED_URL", format!("http://{}/", keyed.http_addr))
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
    keyed.shutdown().await.expect("shutdown");
    let _ = std::fs::remove_dir_all(&work);
}

/// One HTTP/1.0 exchange (so a streamed body arrives unchunked, delimited by the close):
/// status, lower-cased head, body.
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let msg =
        format!("{method} {path} HTTP/1.0\r\nHost: x\r\n{extra}Content-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(msg.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").expect("a head");
    let head = String::from_utf8_lossy(&buf[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, head, buf[split + 4..].to_vec())
}

fn cli(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_testdata"))
        .arg("generate")
        .args(args)
        .output()
        .expect("the CLI runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_open_and_the_data_routes_need_the_api_key() {
    let running = start(Config { api_keys: vec!["k1".into()], ..Config::ephemeral() }).await.expect("start");
    let addr = running.http_addr;
    let (status, head, body) = http(addr, "GET", "/", &[], "").await;
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html")
            && head.contains("content-security-policy: default-src 'none'"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("/console/app.js"));
    assert_eq!(http(addr, "GET", "/console/app.js", &[], "").await.0, 200);
    assert_eq!(http(addr, "GET", "/console/nope.js", &[], "").await.0, 404);

    let (status, head, _) = http(addr, "GET", "/v1/catalogue", &[], "").await;
    assert_eq!(status, 401);
    assert!(head.contains("www-authenticate: bearer"), "{head}");
    assert_eq!(http(addr, "POST", "/v1/schema/check", &[], "{}").await.0, 401);
    let request = r#"{"entity":"cart","count":5,"seed":7,"output_format":"CSV"}"#;
    assert_eq!(http(addr, "POST", "/v1/download", &[FORM], &form(&[("request", request)])).await.0, 401);
    let wrong = form(&[("request", request), ("api_key", "k2")]);
    assert_eq!(http(addr, "POST", "/v1/download", &[FORM], &wrong).await.0, 401);

    let (status, _, body) = http(addr, "GET", "/v1/catalogue", &[("x-api-key", "k1")], "").await;
    assert_eq!(status, 200);
    let catalogue: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let registered = running.service.registry().len();
    assert!(registered >= 36);
    assert_eq!(catalogue["entities"].as_array().map(Vec::len), Some(registered));
    let configured: Vec<&str> = [Method::Traditional, Method::Llm, Method::Rag, Method::Hybrid]
        .into_iter()
        .filter(|m| running.service.router().available(*m))
        .map(Method::proto_name)
        .collect();
    assert_eq!(catalogue["methods"], serde_json::json!(configured), "only the configured methods");
    assert_eq!(catalogue["api_keys_required"], true);
    let cart =
        catalogue["entities"].as_array().into_iter().flatten().find(|e| e["name"] == "cart").expect("cart");
    assert_eq!(cart["schema"]["fields"][0]["format"], "CRT-{year}-{random:7}");
    assert_eq!(cart["sample"]["cart_id"].as_str().map(|s| s.len()), Some(16));

    let (status, head, body) =
        http(addr, "POST", "/v1/download", &[FORM], &form(&[("request", request), ("api_key", "k1")])).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(head.contains("content-disposition: attachment; filename=\"cart-seed7.csv\""), "{head}");
    assert!(head.contains("x-testdata-seed: 7"), "{head}");
    assert_eq!(body, cli(&["--entity", "cart", "--count", "5", "--seed", "7", "--format", "csv"]));
    running.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_stream_every_format_equal_to_the_cli() {
    let running = start(Config::ephemeral()).await.expect("start");
    let addr = running.http_addr;
    // 120 records in chunks of 50: the JSON arrays of three chunks spliced into one.
    for (format, flag) in [("JSON", "json"), ("JSONL", "jsonl"), ("CSV", "csv"), ("SQL", "sql")] {
        let request =
            format!(r#"{{"entity":"order","count":120,"seed":"nightly","output_format":"{format}"}}"#);
        let (status, _, body) =
            http(addr, "POST", "/v1/download", &[("content-type", "application/json")], &request).await;
        assert_eq!(status, 200, "{format}: {}", String::from_utf8_lossy(&body));
        let expected = cli(&["--entity", "order", "--count", "120", "--seed", "nightly", "--format", flag]);
        assert_eq!(
            String::from_utf8_lossy(&body).trim_end(),
            String::from_utf8_lossy(&expected).trim_end(),
            "{format}"
        );
    }
    // As curl -d sends it: JSON labelled as a form.
    let (status, _, body) =
        http(addr, "POST", "/v1/download", &[FORM], r#"{"entity":"cart","count":5,"seed":7}"#).await;
    assert_eq!(status, 200);
    assert_eq!(body, cli(&["--entity", "cart", "--count", "5", "--seed", "7", "--format", "json"]));
    let (status, _, body) = http(addr, "POST", "/v1/download", &[], r#"{"entity":"nope","count":5}"#).await;
    assert_eq!(status, 404, "an error before the first byte is a JSON answer");
    let answer: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(answer["error_code"], "NOT_FOUND");
    let (status, _, _) = http(addr, "POST", "/v1/download", &[FORM], "request=%7B").await;
    assert_eq!(status, 400);
    running.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_check_names_the_field_the_rule_or_the_line() {
    let running = start(Config::ephemeral()).await.expect("start");
    let addr = running.http_addr;
    let check = |body: &'static str| async move {
        let (status, _, body) = http(addr, "POST", "/v1/schema/check", &[], body).await;
        (status, serde_json::from_slice::<serde_json::Value>(&body).expect("JSON"))
    };
    let (status, v) =
        check(r#"{"name":"x","fields":[{"name":"hours","type":"integer","min":5,"max":1}]}"#).await;
    assert_eq!(status, 400);
    assert_eq!((v["path"].as_str(), v["rule"].as_str()), (Some("hours"), Some("range")), "{v}");
    let (status, v) = check("{\"name\": \"x\",\n \"fields\": [").await;
    assert_eq!(status, 400);
    assert_eq!(v["line"], 2, "{v}");
    let (_, v) = check(r#"{"name":"x","fields":[{"name":"a","mni":1}]}"#).await;
    assert!(v["error"].as_str().is_some_and(|e| e.contains("mni")), "{v}");
    let (_, v) =
        check(r#"{"name":"x","fields":[{"name":"u","ref":{"entity":"nope","field":"id","count":10}}]}"#)
            .await;
    assert_eq!(v["valid"], false, "an unknown reference is reported: {v}");
    let (status, v) = check(
        r#"{"name":"x","fields":[{"name":"u","ref":{"entity":"user","field":"user_id","count":1000}}]}"#,
    )
    .await;
    assert_eq!((status, &v["valid"]), (200, &serde_json::json!(true)), "{v}");
    assert_eq!(v["schema"]["name"], "x");
    running.shutdown().await.expect("shutdown");
}
