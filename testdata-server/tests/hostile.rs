//! Hostile requests (issue 16), over real sockets: each refused up front with a sentence that
//! names the limit and its setting, in the API's error shape; none runs away with memory.

use std::time::Duration;

use serde_json::{Value, json};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{ErrorCode, GenerateRequest};
use testdata_server::config::Config;
use testdata_server::server::{Running, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_stream::StreamExt;
use tonic::transport::Channel;

async fn client(r: &Running) -> TestDataServiceClient<Channel> {
    TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.expect("connect")
}

/// A client over a bare HTTP/2 connection: the call's deadline travels as `grpc-timeout` and
/// only the server acts on it. tonic's `Channel` also starts its own timer and answers
/// `CANCELLED "Timeout expired"` when that timer wins the race with the server's answer (a
/// loaded machine), so a test of the server's `DEADLINE_EXCEEDED` cannot use it.
type Http2 =
    hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, tonic::body::Body>;
fn deadline_client(r: &Running) -> TestDataServiceClient<Http2> {
    let http2 = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http();
    let origin = format!("http://{}", r.grpc_addr).parse().expect("an address is a URI");
    TestDataServiceClient::with_origin(http2, origin)
}

/// An inline schema with one array field of `n` `kind` strings per record.
fn array_schema(kind: &str, n: usize) -> String {
    json!({"name": "big", "fields": [
        {"name": "texts", "type": "array", "min_items": n, "max_items": n, "items": {"type": "string", "kind": kind}}
    ]})
    .to_string()
}

/// Sends `head` (request line and headers, without the blank line) then `body`, and reads the
/// answer: (status, headers lower-cased, body).
async fn http_raw(r: &Running, head: &str, body: &[u8]) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(r.http_addr).await.unwrap();
    s.write_all(format!("{head}\r\n\r\n").as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "no answer within 20 s");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (h, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = h.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, h.to_ascii_lowercase(), rest.to_owned())
}

fn post(len: usize) -> String {
    format!(
        "POST /v1/generate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {len}"
    )
}

fn json_error(body: &str) -> (String, String) {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    assert_eq!(v["success"], false, "{v}");
    (
        v["error"].as_str().unwrap_or_default().to_owned(),
        v["error_code"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_larger_than_the_message_limit_is_refused_before_generating() {
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = client(&running).await;
    // 10,000 paragraphs a record × 1,000 records: ~2.5 GB once generated.
    let request = GenerateRequest {
        inline_schema: array_schema("paragraph", 10_000),
        count: 1000,
        ..Default::default()
    };
    let r = c
        .generate_data(request.clone())
        .await
        .expect("an in-band answer, not a transport error")
        .into_inner();
    assert!(!r.success);
    assert_eq!(r.error_code, ErrorCode::InvalidArgument as i32, "{}", r.error);
    assert!(r.error.contains("MAX_MESSAGE_BYTES") && r.error.contains("1000 records"), "{}", r.error);
    // The same over HTTP: 400 in the JSON error shape.
    let body = serde_json::to_vec(&json!({"inline_schema": request.inline_schema, "count": 1000})).unwrap();
    let (status, _, text) = http_raw(&running, &post(body.len()), &body).await;
    let (error, code) = json_error(&text);
    assert_eq!((status, code.as_str()), (400, "INVALID_ARGUMENT"), "{error}");
    assert!(error.contains("MAX_MESSAGE_BYTES"), "{error}");
    // Arrays whose min_items alone exceed the limit are refused without generating a record.
    let nested = json!({"name": "n", "fields": [{"name": "a", "type": "array", "min_items": 10000, "max_items": 10000,
        "items": {"type": "array", "min_items": 10000, "max_items": 10000, "items": {"type": "integer"}}}]});
    let request = GenerateRequest { inline_schema: nested.to_string(), count: 1, ..Default::default() };
    let r = c.generate_data(request).await.unwrap().into_inner();
    assert!(
        !r.success && r.error.contains("min_items") && r.error.contains("MAX_MESSAGE_BYTES"),
        "{}",
        r.error
    );
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_chunks_are_sized_by_bytes_to_fit_a_message() {
    let mut config = Config::ephemeral();
    config.max_message_bytes = 1024 * 1024;
    let running = start(config).await.unwrap();
    let mut c = client(&running).await;
    // ~8 KB a record: 1,000-record chunks would be ~8 MB, eight times the limit.
    let request = GenerateRequest {
        inline_schema: array_schema("word", 1000),
        count: 300,
        batch_size: 1000,
        seed: Some(3),
        ..Default::default()
    };
    let mut stream = c.generate_data_stream(request).await.expect("the stream starts").into_inner();
    let (mut records, mut chunks) = (0u64, 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("every chunk fits in a message");
        assert!(chunk.data.len() <= 1024 * 1024 / 2 + 16 * 1024, "chunk of {} bytes", chunk.data.len());
        records += chunk.record_count as u64;
        chunks += 1;
    }
    assert_eq!(records, 300);
    assert!(chunks > 2, "{chunks} chunks");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_chunks_stay_within_stream_chunk_bytes() {
    let mut config = Config::ephemeral();
    config.limits.stream_chunk_bytes = 64 * 1024;
    let running = start(config).await.unwrap();
    let mut c = client(&running).await;
    // 1,000 orders would be a chunk of about 770 KB: chunks of fewer orders, all of them there.
    let request = GenerateRequest {
        entity: "order".into(),
        count: 2500,
        batch_size: 1000,
        seed: Some(4),
        ..Default::default()
    };
    let mut stream = c.generate_data_stream(request).await.expect("the stream starts").into_inner();
    let (mut records, mut chunks, mut largest) = (0u64, 0u64, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a chunk");
        largest = largest.max(chunk.data.len());
        if !chunk.is_final {
            assert_eq!(chunk.chunk_index as u64, chunks, "chunks in order");
            chunks += 1;
        }
        records += chunk.record_count as u64;
    }
    assert_eq!(records, 2500);
    // The size is estimated from the first records: a little over is fine, ten times is not.
    assert!(largest <= 64 * 1024 * 5 / 4, "a chunk of {largest} bytes");
    assert!(chunks >= 25, "{chunks} chunks");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_size_reserved_names_depth_and_dates_are_clear_errors() {
    let mut config = Config::ephemeral();
    config.limits.max_schema_fields = 500;
    let running = start(config).await.unwrap();
    let mut c = client(&running).await;
    let mut ask = async |schema: String| {
        let r = c.generate_data(GenerateRequest { inline_schema: schema, count: 1, ..Default::default() });
        let r = r.await.unwrap().into_inner();
        assert!(!r.success);
        assert_eq!(r.error_code, ErrorCode::InvalidArgument as i32, "{}", r.error);
        r.error
    };
    let fields: Vec<Value> = (0..501).map(|i| json!({"name": format!("f{i}"), "type": "integer"})).collect();
    let e = ask(json!({"name": "wide", "fields": fields}).to_string()).await;
    assert!(e.contains("500") && e.contains("MAX_SCHEMA_FIELDS"), "{e}");
    for reserved in ["_index", "_scenario"] {
        let e =
            ask(json!({"name": "r", "fields": [{"name": reserved, "type": "integer"}]}).to_string()).await;
        assert!(e.contains(reserved) && e.contains("reserved"), "{e}");
    }
    let mut deep = json!({"name": "leaf", "type": "integer"});
    for i in 0..70 {
        deep = json!({"name": format!("o{i}"), "type": "object", "fields": [deep]});
    }
    let e = ask(json!({"name": "deep", "fields": [deep]}).to_string()).await;
    assert!(e.contains("deeper than 128") && !e.contains("not valid"), "{e}");
    let e = ask(
        json!({"name": "d", "fields": [{"name": "d", "type": "date", "min": "-99999d", "max": "+99999y"}]})
            .to_string(),
    )
    .await;
    assert!(e.contains("0001 to 9999"), "{e}");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_bodies_over_the_limit_or_too_slow_are_refused_in_the_json_shape() {
    let mut config = Config::ephemeral();
    config.limits.http_read_timeout_seconds = 1;
    let running = start(config).await.unwrap();
    // A claim of 1 GB: refused at once, without waiting for the body.
    let (status, head, text) = http_raw(&running, &post(1_000_000_000), b"").await;
    let (error, code) = json_error(&text);
    assert_eq!((status, code.as_str()), (413, "RESOURCE_EXHAUSTED"), "{error}");
    assert!(error.contains("2097152") && error.contains("MAX_HTTP_BODY_BYTES"), "{error}");
    assert!(head.contains("connection: close"), "{head}");
    // A chunked body that grows past the limit.
    let chunk = vec![b' '; 1024 * 1024];
    let mut body = Vec::new();
    for _ in 0..3 {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(&chunk);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let head = "POST /v1/generate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked";
    let (status, _, text) = http_raw(&running, head, &body).await;
    let (error, code) = json_error(&text);
    assert_eq!((status, code.as_str()), (413, "RESOURCE_EXHAUSTED"), "{error}");
    // A body that never finishes: refused after HTTP_READ_TIMEOUT_SECONDS.
    let (status, _, text) = http_raw(&running, &post(100), b"{\"count\":").await;
    let (error, _) = json_error(&text);
    assert_eq!(status, 408, "{error}");
    assert!(error.contains("HTTP_READ_TIMEOUT_SECONDS"), "{error}");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_errors_name_no_internal_types() {
    let running = start(Config::ephemeral()).await.unwrap();
    for body in [
        json!({"entity": "user", "count": 1, "seed": [1]}),
        json!(["not", "an", "object"]),
        json!({"entity": "user", "count": 1, "constraints": {"field_constraints": {"email": "x"}}}),
        json!({"entity": "user", "count": 1, "constraints": "x"}),
        json!({"entity": "user", "count": 1, "scenarios": ["x"]}),
        json!({"count": 1, "schema": "x"}),
    ] {
        let body = body.to_string();
        let (status, _, text) = http_raw(&running, &post(body.len()), body.as_bytes()).await;
        let (error, code) = json_error(&text);
        assert_eq!((status, code.as_str()), (400, "INVALID_ARGUMENT"), "{error}");
        for internal in ["Json", "Spec", "untagged enum", "struct "] {
            assert!(!error.contains(internal), "{error}");
        }
    }
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regex_constraint_replaces_a_fields_kind() {
    use std::collections::HashMap;
    use testdata::proto::{Constraints, FieldConstraint};
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = client(&running).await;
    let regex = |field: &str| Constraints {
        field_constraints: HashMap::from([(
            field.to_owned(),
            FieldConstraint { regex: Some("[a-z]{3}@x\\.io".into()), ..Default::default() },
        )]),
    };
    let inline = json!({"name": "p", "fields": [
        {"name": "email", "type": "string"},
        {"name": "contact", "type": "string", "kind": "email"}
    ]})
    .to_string();
    for field in ["email", "contact"] {
        let request = GenerateRequest {
            inline_schema: inline.clone(),
            constraints: Some(regex(field)),
            count: 5,
            seed: Some(1),
            ..Default::default()
        };
        let r = c.generate_data(request).await.unwrap().into_inner();
        assert!(r.success, "{field}: {}", r.error);
        let records: Vec<Value> = serde_json::from_str(&r.data).unwrap();
        for record in records {
            let v = record[field].as_str().unwrap();
            assert!(v.len() == 8 && v.ends_with("@x.io"), "{field}: {v}");
        }
    }
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protobuf_nested_too_deep_is_the_callers_error() {
    use testdata::proto::{Field, Schema};
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = client(&running).await;
    let mut field = Field { name: "leaf".into(), ..Default::default() };
    for i in 0..120 {
        field = Field { name: format!("f{i}"), nested_fields: vec![field], ..Default::default() };
    }
    let request = GenerateRequest {
        schema: Some(Schema { fields: vec![field], ..Default::default() }),
        count: 1,
        ..Default::default()
    };
    let status = c.generate_data(request).await.expect_err("refused");
    assert_eq!(status.code(), tonic::Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("100 levels"), "{}", status.message());
    // The server keeps serving.
    let ok = c.generate_data(GenerateRequest { entity: "user".into(), count: 1, ..Default::default() }).await;
    assert!(ok.unwrap().into_inner().success);
    running.shutdown().await.unwrap();
}

/// Reads until the server closes the connection; how long that took, or `None` after `limit`.
async fn closed_within(s: &mut tokio::net::TcpStream, limit: Duration) -> Option<(Duration, String)> {
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    match tokio::time::timeout(limit, s.read_to_end(&mut buf)).await {
        Ok(_) => Some((started.elapsed(), String::from_utf8_lossy(&buf).into_owned())),
        Err(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_that_never_finish_time_out() {
    let mut config = Config::ephemeral();
    config.limits.http_read_timeout_seconds = 1;
    let running = start(config).await.unwrap();
    // Half a request head, then nothing (a slow-loris client).
    let mut partial = tokio::net::TcpStream::connect(running.http_addr).await.unwrap();
    partial.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let closed = closed_within(&mut partial, Duration::from_secs(10)).await;
    let (after, answer) = closed.expect("a connection with unfinished headers is still open after 10 s");
    assert!(after < Duration::from_secs(5), "closed only after {after:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    // A connection that sends nothing at all (one of a client's 1,000 idle connections).
    let mut silent = tokio::net::TcpStream::connect(running.http_addr).await.unwrap();
    let closed = closed_within(&mut silent, Duration::from_secs(10)).await;
    let (after, _) = closed.expect("a connection that sends nothing is still open after 10 s");
    assert!(after < Duration::from_secs(5), "closed only after {after:?}");
    // A well-behaved request on another connection is served meanwhile and after.
    let (status, _, _) =
        http_raw(&running, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close", b"").await;
    assert_eq!(status, 200);
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_hints_and_patterns_over_their_limits_are_refused() {
    use std::collections::HashMap;
    use testdata::proto::{Constraints, FieldConstraint};
    let running = start(Config::ephemeral()).await.unwrap();
    let mut c = client(&running).await;
    let regex = |source: String| Constraints {
        field_constraints: HashMap::from([(
            "email".to_owned(),
            FieldConstraint { regex: Some(source), ..Default::default() },
        )]),
    };
    let base = GenerateRequest { entity: "user".into(), count: 2, seed: Some(1), ..Default::default() };
    let cases = [
        (GenerateRequest { context: "x".repeat(20_001), ..base.clone() }, "MAX_CONTEXT_CHARS"),
        (GenerateRequest { hints: vec!["h".into(); 33], ..base.clone() }, "MAX_HINTS"),
        (GenerateRequest { hints: vec!["h".repeat(501)], ..base.clone() }, "MAX_HINT_CHARS"),
        (
            GenerateRequest { constraints: Some(regex("a".repeat(1_001))), ..base.clone() },
            "MAX_PATTERN_CHARS",
        ),
        // Repetition counts and compiled programs over the regex limits.
        (
            GenerateRequest { constraints: Some(regex("a{100000}".into())), ..base.clone() },
            "MAX_REGEX_REPEAT",
        ),
        (
            GenerateRequest { constraints: Some(regex("(?:\\w{1000}){3}".into())), ..base.clone() },
            "MAX_REGEX_BYTES",
        ),
        // Within both limits, lengths past what a pattern generates: the engine's bound.
        (
            GenerateRequest {
                constraints: Some(regex("a{1000}b{1000}c{1000}d{1000}e{1000}".into())),
                ..base.clone()
            },
            "4096",
        ),
    ];
    for (request, limit) in cases {
        let r = c.generate_data(request.clone()).await.unwrap().into_inner();
        assert!(!r.success, "{limit}: accepted");
        assert_eq!(r.error_code(), ErrorCode::InvalidArgument, "{limit}: {}", r.error);
        assert!(r.error.contains(limit), "{limit}: {}", r.error);
        let status = c.generate_data_stream(request).await.map(|_| ()).unwrap_err();
        assert_eq!(status.code(), tonic::Code::InvalidArgument, "{limit}: {}", status.message());
    }
    // A per-request schema's pattern is held to the same regex limits.
    let schema =
        json!({"name": "p", "fields": [{"name": "code", "type": "string", "pattern": "[A-Z]{5000}"}]});
    let r = c
        .generate_data(GenerateRequest { inline_schema: schema.to_string(), count: 1, ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(!r.success && r.error.contains("MAX_REGEX_REPEAT") && r.error.contains("`code`"), "{}", r.error);
    // At the limits, accepted.
    let at = GenerateRequest {
        context: "x".repeat(20_000),
        hints: vec!["h".repeat(500); 32],
        constraints: Some(regex("[a-z]{1000}@x\\.io".into())),
        ..base
    };
    let r = c.generate_data(at).await.unwrap().into_inner();
    assert!(r.success, "{}", r.error);
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hold_more_streams_than_its_share() {
    let mut config = Config::ephemeral();
    config.limits.max_streams_per_client = 2;
    let running = start(config).await.unwrap();
    let mut c = client(&running).await;
    let slow = GenerateRequest {
        entity: "user".into(),
        count: 100_000,
        batch_size: 10,
        seed: Some(1),
        ..Default::default()
    };
    let first = c.generate_data_stream(slow.clone()).await.unwrap().into_inner();
    let _second = c.generate_data_stream(slow.clone()).await.unwrap().into_inner();
    let refused = c.generate_data_stream(slow.clone()).await.map(|_| ()).unwrap_err();
    assert_eq!(refused.code(), tonic::Code::ResourceExhausted, "{}", refused.message());
    assert!(refused.message().contains("MAX_STREAMS_PER_CLIENT"), "{}", refused.message());
    // Cancelling a stream gives its slot back.
    drop(first);
    let mut reopened = None;
    for _ in 0..50 {
        match c.generate_data_stream(slow.clone()).await {
            Ok(s) => {
                reopened = Some(s);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    assert!(reopened.is_some(), "the cancelled stream's slot was not given back within 5 s");
    running.shutdown().await.unwrap();
}

/// Waits up to 10 s for `testdata_generation_stopped_total` to reach `n`; its value.
async fn stopped_work_reaches(r: &Running, n: u64) -> u64 {
    let stopped = || r.service.metrics().generation_stopped.get();
    for _ in 0..100 {
        if stopped() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stopped()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_or_cancelled_work_stops() {
    // Stream chunks as large as the message limit allows (25 MB, below), so the deadline
    // falls while one is being generated.
    let mut config = Config::ephemeral();
    config.limits.stream_chunk_bytes = usize::MAX;
    let running = start(config).await.unwrap();
    let mut c = deadline_client(&running).max_decoding_message_size(64 << 20);
    // 180 paragraphs a record × 1,000 records: a 45 MB answer, a few hundred ms of generation.
    let heavy = GenerateRequest {
        inline_schema: array_schema("paragraph", 180),
        count: 1000,
        seed: Some(5),
        ..Default::default()
    };
    // A deadline of 60 ms: DEADLINE_EXCEEDED, and the generation stops at its next record
    // (without the cancellation it ran to its end on the blocking pool and was never counted).
    let mut expiring = tonic::Request::new(heavy.clone());
    expiring.set_timeout(Duration::from_millis(60));
    let status = c.generate_data(expiring).await.expect_err("the deadline passes");
    assert_eq!(status.code(), tonic::Code::DeadlineExceeded, "{}", status.message());
    assert_eq!(stopped_work_reaches(&running, 1).await, 1, "the expired call's generation did not stop");
    // The next call on the same channel is answered.
    let small = GenerateRequest { entity: "user".into(), count: 3, ..Default::default() };
    assert!(c.generate_data(small.clone()).await.unwrap().into_inner().success);

    // A client that gives up (drops the call: HTTP/2 RST_STREAM) stops it too.
    let gave_up = tokio::time::timeout(Duration::from_millis(60), c.generate_data(heavy.clone())).await;
    assert!(gave_up.is_err(), "the heavy call finished within 60 ms");
    assert_eq!(stopped_work_reaches(&running, 2).await, 2, "the cancelled call's generation did not stop");

    // Streams: chunks of 550 such records (25 MB each, generated on the blocking pool), stopped
    // at the deadline and when the reader drops the stream, while a chunk is being generated.
    let stream = GenerateRequest { batch_size: 550, count: 100_000, ..heavy };
    let mut expiring = tonic::Request::new(stream.clone());
    expiring.set_timeout(Duration::from_millis(150));
    let mut s = c.generate_data_stream(expiring).await.unwrap().into_inner();
    let ended = loop {
        match s.message().await {
            Ok(Some(_)) => continue,
            other => break other,
        }
    };
    let status = ended.expect_err("the stream ends at its deadline");
    assert_eq!(status.code(), tonic::Code::DeadlineExceeded, "{}", status.message());
    assert_eq!(stopped_work_reaches(&running, 3).await, 3, "the expired stream's generation did not stop");
    let s = c.generate_data_stream(stream).await.unwrap().into_inner();
    tokio::time::sleep(Duration::from_millis(150)).await;
    drop(s);
    assert_eq!(stopped_work_reaches(&running, 4).await, 4, "the dropped stream's generation did not stop");
    assert!(c.generate_data(small).await.unwrap().into_inner().success);
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_client_that_disconnects_stops_its_generation() {
    let running = start(Config::ephemeral()).await.unwrap();
    // The 45 MB answer of `expired_or_cancelled_work_stops`, asked over HTTP; the client
    // closes its socket 60 ms in, long before the answer is ready.
    let body = json!({"inline_schema": array_schema("paragraph", 180), "count": 1000, "seed": 5}).to_string();
    let mut s = tokio::net::TcpStream::connect(running.http_addr).await.unwrap();
    s.write_all(format!("{}\r\n\r\n{body}", post(body.len())).as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(60)).await;
    let mut first = [0u8; 1];
    let answered = tokio::time::timeout(Duration::from_millis(1), s.read(&mut first)).await;
    assert!(answered.is_err(), "the heavy call was answered within 60 ms");
    drop(s);
    assert_eq!(stopped_work_reaches(&running, 1).await, 1, "the disconnected call's generation did not stop");
    // The server goes on answering.
    let small = json!({"entity": "user", "count": 2}).to_string();
    let (status, _, answer) = http_raw(&running, &post(small.len()), small.as_bytes()).await;
    assert_eq!(status, 200, "{answer}");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_holds_at_most_its_byte_budget_ahead_of_its_reader() {
    use testdata_server::request::{GenerateSpec, SchemaSources};
    let mut config = Config::ephemeral();
    config.limits.stream_buffer_bytes = 64 * 1024;
    let running = start(config).await.unwrap();
    let chunks = || running.service.metrics().stream_chunks.get();
    // 1,000 orders a chunk (about 1 MB), a budget of 64 KiB: one chunk at a time, where the
    // chunk count alone (STREAM_BUFFER_CHUNKS 4 + parallel chunks) let 5 or more wait.
    let spec = GenerateSpec {
        sources: SchemaSources { entity: "order".into(), ..Default::default() },
        count: 1_000_000,
        batch_size: 1000,
        seed: Some(1),
        ..Default::default()
    };
    let mut handle = running.service.stream(&spec, None).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(chunks(), 1, "chunks generated with nobody reading");
    // Each chunk taken gives the budget back for the next one, and the stream reads as usual.
    for i in 0..5 {
        let chunk = handle.chunks.recv().await.unwrap().unwrap();
        assert_eq!((chunk.index, chunk.record_count), (i, 1000));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(chunks(), 6, "chunks generated after 5 were read");
    drop(handle);
    // Small chunks fit the budget several at a time; the whole stream arrives intact.
    let mut c = client(&running).await;
    let request = GenerateRequest {
        entity: "user".into(),
        count: 2000,
        batch_size: 50,
        seed: Some(2),
        ..Default::default()
    };
    let mut s = c.generate_data_stream(request).await.unwrap().into_inner();
    let (mut records, mut last) = (0, false);
    while let Some(chunk) = s.message().await.unwrap() {
        records += chunk.record_count;
        last = chunk.is_final;
    }
    assert_eq!((records, last), (2000, true));
    running.shutdown().await.unwrap();
}
