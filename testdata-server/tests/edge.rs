//! The server's edges over real sockets: an independent Python (grpcio) client, promtool on
//! `/metrics`, API keys, rate limits, TLS, deadlines, graceful shutdown, coherence scores.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{DataChunk, GenerateRequest};
use testdata_server::config::Config;
use testdata_server::server::{Running, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::Code;
use tonic::transport::Channel;

async fn raw(r: &Running) -> TestDataServiceClient<Channel> {
    TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.expect("connect")
}

fn req(entity: &str, count: i32, seed: u64) -> GenerateRequest {
    GenerateRequest { entity: entity.into(), count, seed: Some(seed), ..Default::default() }
}

async fn http(
    r: &Running,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(r.http_addr).await.unwrap();
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let msg = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(msg.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), rest.to_owned())
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(program)).find(|p| p.is_file())
}

// ------------------------------------------------------------------ independent clients

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_grpcio_client_calls_every_rpc_health_and_reflection() {
    let venv_ok = Command::new("python3")
        .args(["-c", "import venv, ensurepip"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !venv_ok {
        eprintln!(
            "SKIPPED: python3 with venv is not installed (apt-get install -y python3-venv; scripts/test-all.sh does)"
        );
        return;
    }
    let running = start(Config::ephemeral()).await.unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/client.py");
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("py-venv");
    let target = running.grpc_addr.to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3").arg(script).arg(target).env("TESTDATA_PY_VENV", venv).output()
    })
    .await
    .unwrap()
    .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "python client failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_pass_promtool_check_metrics() {
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = raw(&running).await;
    let ok = c.generate_data(req("cart", 5, 1)).await.unwrap().into_inner();
    assert!(ok.success);
    let _ = c.generate_data(req("nope", 5, 1)).await.unwrap();
    let mut s = c.generate_data_stream(req("user", 120, 1)).await.unwrap().into_inner();
    while s.message().await.unwrap().is_some() {}
    let (status, head, body) = http(&running, "GET", "/metrics", &[], "").await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/plain; version=0.0.4"), "{head}");
    assert!(body.contains("# TYPE testdata_requests_total counter"), "{body}");
    assert!(body.contains("testdata_coherence_score_count{domain=\"ecommerce\"} 1"), "{body}");
    let Some(promtool) = which("promtool") else {
        eprintln!(
            "SKIPPED promtool: not installed (apt-get install -y prometheus; scripts/test-all.sh does)"
        );
        return;
    };
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}\n---\n{body}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ API keys and rate limits

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_guard_grpc_and_http_but_not_health_or_metrics() {
    let config = Config { api_keys: vec!["k-one".into(), "k-two".into()], ..Config::ephemeral() };
    let running = start(config).await.unwrap();
    let mut c = raw(&running).await;
    let e = c.generate_data(req("user", 1, 1)).await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    assert!(e.message().contains("x-api-key"), "{}", e.message());
    let mut bad = tonic::Request::new(req("user", 1, 1));
    bad.metadata_mut().insert("x-api-key", "k-on".parse().unwrap());
    let e = c.generate_data(bad).await.unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated);
    assert!(e.message().contains("not valid"), "{}", e.message());
    let mut good = tonic::Request::new(req("user", 1, 1));
    good.metadata_mut().insert("x-api-key", "k-two".parse().unwrap());
    assert!(c.generate_data(good).await.unwrap().into_inner().success);
    let mut bearer = tonic::Request::new(req("user", 1, 1));
    bearer.metadata_mut().insert("authorization", "Bearer k-one".parse().unwrap());
    let mut s = c.generate_data_stream(bearer).await.unwrap().into_inner();
    while s.message().await.unwrap().is_some() {}
    let mut stream_no_key = c.generate_data_stream(req("user", 1, 1)).await;
    assert_eq!(stream_no_key.as_mut().unwrap_err().code(), Code::Unauthenticated);
    // The health service stays open.
    let channel =
        Channel::from_shared(format!("http://{}", running.grpc_addr)).unwrap().connect().await.unwrap();
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.unwrap();
    // HTTP: /v1/* guarded, health and metrics open.
    let body = r#"{"entity":"user","count":1}"#;
    let (status, head, text) = http(&running, "POST", "/v1/generate", &[], body).await;
    assert_eq!(status, 401, "{text}");
    assert!(head.contains("www-authenticate: bearer"), "{head}");
    assert!(text.contains("UNAUTHENTICATED") && text.contains("x-api-key"), "{text}");
    let (status, _, text) = http(&running, "POST", "/v1/generate", &[("x-api-key", "k-one")], body).await;
    assert_eq!(status, 200, "{text}");
    let (status, _, _) = http(&running, "GET", "/v1/schemas", &[("authorization", "Bearer k-two")], "").await;
    assert_eq!(status, 200);
    assert_eq!(http(&running, "GET", "/health", &[], "").await.0, 200);
    assert_eq!(http(&running, "GET", "/metrics", &[], "").await.0, 200);
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_client_gets_resource_exhausted_with_retry_advice() {
    let config = Config { rate_limit_rps: 2, rate_limit_burst: 3, ..Config::ephemeral() };
    let running = start(config).await.unwrap();
    let mut c = raw(&running).await;
    for _ in 0..3 {
        assert!(c.generate_data(req("user", 1, 1)).await.unwrap().into_inner().success);
    }
    let e = c.generate_data(req("user", 1, 1)).await.unwrap_err();
    assert_eq!(e.code(), Code::ResourceExhausted);
    assert!(e.message().contains("retry after"), "{}", e.message());
    assert!(e.metadata().get("retry-after").is_some());
    let (status, head, text) =
        http(&running, "POST", "/v1/generate", &[], r#"{"entity":"user","count":1}"#).await;
    assert_eq!(status, 429, "{text}");
    assert!(head.contains("retry-after:"), "{head}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(c.generate_data(req("user", 1, 1)).await.unwrap().into_inner().success, "admitted again later");
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ TLS

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_serves_grpc_with_a_given_certificate() {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let config = Config { tls_cert: Some(cert), tls_key: Some(key), ..Config::ephemeral() };
    let running = start(config).await.unwrap();
    let tls = tonic::transport::ClientTlsConfig::new()
        .ca_certificate(tonic::transport::Certificate::from_pem(ck.cert.pem()))
        .domain_name("localhost");
    let channel = Channel::from_shared(format!("https://localhost:{}", running.grpc_addr.port()))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .expect("TLS handshake");
    let r = TestDataServiceClient::new(channel).generate_data(req("cart", 2, 7)).await.unwrap().into_inner();
    assert!(r.success, "{}", r.error);
    // Plain text to the TLS port fails.
    let plain = TestDataServiceClient::connect(format!("http://{}", running.grpc_addr)).await;
    if let Ok(mut p) = plain {
        assert!(p.generate_data(req("cart", 2, 7)).await.is_err());
    }
    running.shutdown().await.unwrap();
    let bad = Config {
        tls_cert: Some(dir.join("key.pem")),
        tls_key: Some(dir.join("key.pem")),
        ..Config::ephemeral()
    };
    let e = start(bad).await.unwrap_err().to_string();
    assert!(e.contains("TLS"), "{e}");
}

// ------------------------------------------------------------------ deadlines

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_past_its_deadline_ends_with_deadline_exceeded_and_stops() {
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = raw(&running).await;
    let mut request = tonic::Request::new(GenerateRequest { batch_size: 10, ..req("user", 1_000_000, 3) });
    request.set_timeout(Duration::from_millis(300));
    let mut s = c.generate_data_stream(request).await.unwrap().into_inner();
    let mut last: Option<DataChunk> = None;
    let err = loop {
        match s.message().await {
            Ok(Some(chunk)) => {
                last = Some(chunk);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(None) => panic!("the stream ended without its deadline"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.code(), Code::DeadlineExceeded, "{err:?}");
    let next = last.map_or(0, |c| c.first_record + c.record_count as u64);
    assert!(err.message().contains(&format!("offset = {next}")), "{}", err.message());
    // The producer stopped: the active-stream gauge drops back to 0.
    let t = Instant::now();
    while running.service.metrics().streams_active.get() != 0 {
        assert!(t.elapsed() < Duration::from_secs(5), "the producer kept running");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A unary call that fits its deadline is answered.
    let mut quick = tonic::Request::new(req("user", 10, 1));
    quick.set_timeout(Duration::from_secs(5));
    assert!(c.generate_data(quick).await.unwrap().into_inner().success);
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ shutdown

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_a_running_stream_finish_and_refuses_new_connections() {
    let running = start(Config { shutdown_grace_seconds: 10, ..Config::ephemeral() }).await.unwrap();
    let addr = running.grpc_addr;
    let mut c = raw(&running).await;
    let mut s = c
        .generate_data_stream(GenerateRequest { batch_size: 10, ..req("user", 200, 5) })
        .await
        .unwrap()
        .into_inner();
    let first = s.message().await.unwrap().unwrap();
    assert_eq!(first.chunk_index, 0);
    let stop = running.shutdown_handle();
    let waiter = tokio::spawn(running.wait());
    stop.send(true).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        TestDataServiceClient::connect(format!("http://{addr}")).await.is_err(),
        "new connections are refused once shutting down"
    );
    // The slow in-flight stream still completes, final chunk included.
    let mut chunks = vec![first];
    while let Some(c) = s.message().await.expect("the stream finishes") {
        tokio::time::sleep(Duration::from_millis(20)).await;
        chunks.push(c);
    }
    assert_eq!(chunks.len(), 21);
    assert!(chunks[20].is_final);
    waiter.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_outliving_the_grace_period_ends_cleanly_with_its_resume_offset() {
    let running = start(Config { shutdown_grace_seconds: 1, ..Config::ephemeral() }).await.unwrap();
    let mut c = raw(&running).await;
    let mut s = c
        .generate_data_stream(GenerateRequest { batch_size: 10, ..req("user", 100_000, 5) })
        .await
        .unwrap()
        .into_inner();
    s.message().await.unwrap().unwrap();
    let waiter = tokio::spawn(async move {
        let t = Instant::now();
        let result = running.shutdown().await;
        (result, t.elapsed())
    });
    let mut received = 10u64;
    let err = loop {
        match s.message().await {
            Ok(Some(c)) => {
                received = c.first_record + c.record_count as u64;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(None) => panic!("the stream must not end silently"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.code(), Code::Unavailable, "{err:?}");
    assert!(err.message().contains(&format!("offset = {received}")), "{} / {received}", err.message());
    let (result, took) = waiter.await.unwrap();
    result.unwrap();
    // Grace (1 s) plus the time to send the closing status (at most 2 s).
    assert!(took < Duration::from_secs(4), "{took:?}");
}

// ------------------------------------------------------------------ coherence and request ids

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traditional_records_score_exactly_one_and_request_ids_are_generated() {
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = raw(&running).await;
    for entity in ["cart", "order", "user", "inventory", "tracking"] {
        let r = c.generate_data(req(entity, 50, 9)).await.unwrap();
        let header = r.metadata().get("x-request-id").unwrap().to_str().unwrap().to_owned();
        let r = r.into_inner();
        assert!(r.success, "{entity}: {}", r.error);
        assert_eq!(r.metadata.unwrap().coherence_score, 1.0, "{entity}");
        assert_eq!(r.request_id, header);
        assert_eq!(r.request_id.len(), 36);
    }
    let given = GenerateRequest { request_id: "mine".into(), ..req("user", 1, 1) };
    assert_eq!(c.generate_data(given).await.unwrap().into_inner().request_id, "mine");
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ one-pass stream encoding

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_chunks_are_byte_identical_to_generate_data() {
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = raw(&running).await;
    for (entity, count) in [("cart", 300), ("user", 700), ("order", 40)] {
        let base = GenerateRequest {
            request_id: "same".into(),
            scenarios: vec![testdata::proto::Scenario {
                name: "odd \"name\"".into(),
                count: 7,
                overrides: Default::default(),
                description: String::new(),
            }],
            batch_size: count,
            ..req(entity, count, 21)
        };
        let unary = c.generate_data(base.clone()).await.unwrap().into_inner();
        assert!(unary.success, "{}", unary.error);
        let mut s = c.generate_data_stream(base).await.unwrap().into_inner();
        let chunk = s.message().await.unwrap().unwrap();
        assert_eq!(chunk.data, unary.data, "{entity}");
    }
    running.shutdown().await.unwrap();
}
