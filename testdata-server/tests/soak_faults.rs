//! Faults during the soak (issue 16 part 4), each with real parts: the soak workload
//! (`testdata_server::soak`, as `loadgen soak` runs it) over real gRPC, while
//!
//! - the LLM provider (the local fault server, OpenAI wire format over real HTTP) answers ~30%
//!   of its calls with 5xx/429 and some slowly or past the call timeout;
//! - a real `redis-server` holding the shared cache is killed and restarted;
//! - a client holds 1,000 TCP connections to the gRPC port (and 200 to HTTP) that send
//!   nothing, against a `testdata-server` process;
//! - a `testdata-server` process gets SIGTERM with streams in flight.
//!
//! The tests take turns (one lock): each measures the server while it runs, and two soaks at
//! once on two cores would measure each other.
//!
//! `cargo test -p testdata-server --all-features --test soak_faults -- --ignored --nocapture`
//! also runs `a_minute_of_soak_with_every_fault` (60 s, for the figures in docs/reliability.md).

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;

use std::time::{Duration, Instant};

use support::fault::{Fault, FaultServer};
use support::http_get;
use support::redis::RedisProcess;
use support::server::ServerProcess;
use testdata::llm::provider::openai::ResponseFormat;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{DataChunk, GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::server::start;
use testdata_server::soak::{SoakOptions, SoakReport, rss_and_fds, run};
use tokio::io::AsyncReadExt;
use tonic::Code;
use tonic::transport::Channel;

/// One test at a time (see the module documentation).
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ------------------------------------------------------------------ helpers

/// A seeded SplitMix64, to draw the fault script.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// `n` provider calls' faults: 30% error statuses (500 10%, 503 8%, 529 7%, 429 5%), 5% a
/// valid answer after 400 ms, 3% an answer after 1.5 s (past the 1 s call timeout: a timeout),
/// the rest valid answers.
fn thirty_percent_errors(n: usize, seed: u64) -> Vec<Fault> {
    let mut d = Draw(seed);
    (0..n)
        .map(|_| match d.below(100) {
            0..10 => Fault::Status { code: 500, retry_after: None },
            10..18 => Fault::Status { code: 503, retry_after: None },
            18..25 => Fault::Status { code: 529, retry_after: None },
            25..30 => Fault::Status { code: 429, retry_after: None },
            30..35 => Fault::Slow(Duration::from_millis(400)),
            35..38 => Fault::Slow(Duration::from_millis(1500)),
            _ => Fault::Ok,
        })
        .collect()
}

fn llm_config(fault: &FaultServer, timeout: Duration) -> LlmConfig {
    LlmConfig {
        providers: vec![ProviderConfig::OpenAi {
            base_url: fault.openai_base(),
            api_key: None,
            model: "local-test".into(),
            format: ResponseFormat::JsonSchema,
        }],
        timeout,
        ..LlmConfig::default()
    }
}

fn print_report(name: &str, r: &SoakReport) {
    eprint!("{name}:\n{r}");
}

/// Every good request checked out: no failure, no wrong byte, every bad request refused as
/// the caller's error.
fn assert_clean(r: &SoakReport) {
    assert!(r.failures.is_empty(), "{:#?}", r.failures);
    assert_eq!((r.good_failed, r.wrong_bytes, r.bad_mishandled), (0, 0, 0), "{r:?}");
}

/// The `redis` component of `/health`.
async fn redis_health(addr: SocketAddr) -> String {
    let text = http_get(addr, "/health").await;
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"));
    v["components"]["redis"].as_str().unwrap_or_default().to_owned()
}

/// The sum of a counter's samples in `/metrics` whose line starts with `prefix`.
async fn metric_sum(addr: SocketAddr, prefix: &str) -> f64 {
    http_get(addr, "/metrics")
        .await
        .lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn llm_keys(redis: &RedisProcess) -> usize {
    let mut c = redis.connection();
    let keys: Vec<String> = redis::cmd("KEYS").arg("testdata:v1:llm:*").query(&mut c).unwrap();
    keys.len()
}

/// Raises this process's soft limit of open files towards `want` (children inherit it);
/// returns the limit in force.
fn raise_fd_limit(want: u64) -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < want {
            let raised = libc::rlimit { rlim_cur: want.min(lim.rlim_max), rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur;
            }
        }
    }
    lim.rlim_cur
}

/// The server's open file descriptors (0 when they cannot be read).
fn open_fds(server: &ServerProcess) -> u64 {
    rss_and_fds(server.pid()).map_or(0, |(_, fds)| fds)
}

/// The server's fds, once they settle at or under `at_most` (within `limit`); the last count
/// otherwise.
async fn fds_settle(server: &ServerProcess, at_most: u64, limit: Duration) -> u64 {
    let started = Instant::now();
    loop {
        let fds = open_fds(server);
        if fds <= at_most || started.elapsed() > limit {
            return fds;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `n` TCP connections to `addr` that send nothing.
async fn idle_connections(addr: SocketAddr, n: usize) -> Vec<tokio::net::TcpStream> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(tokio::net::TcpStream::connect(addr).await.expect("idle connection"));
    }
    out
}

// ------------------------------------------------------------------ 1. LLM provider faults

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_provider_faults_during_the_soak_give_records_or_a_retryable_refusal() {
    let _turn = TURN.lock().await;
    let fault = FaultServer::start().await;
    let script = thirty_percent_errors(1000, 16);
    fault.script(script.clone());
    fault.latency(Duration::from_millis(20));
    let config = Config { llm: Some(llm_config(&fault, Duration::from_secs(1))), ..Config::ephemeral() };
    let running = start(config).await.expect("server starts");
    let options = SoakOptions {
        duration: Duration::from_secs(10),
        rate: 60.0,
        clients: 6,
        server_pid: Some(std::process::id()),
        seed: 16,
        llm_percent: 25,
    };
    let r = run(&format!("http://{}", running.grpc_addr), &options).await.expect("soak runs");
    print_report("llm faults", &r);

    // What the provider did: the faults of the calls it answered.
    let calls = fault.calls().min(script.len());
    let errors = script[..calls].iter().filter(|f| matches!(f, Fault::Status { .. })).count();
    let timeouts = script[..calls].iter().filter(|f| **f == Fault::Slow(Duration::from_millis(1500))).count();
    eprintln!(
        "llm faults: {calls} provider calls, {errors} error statuses ({:.0}%), {timeouts} past the timeout; \
         LLM operations: {} answered with records, {} refused (UNAVAILABLE / RESOURCE_EXHAUSTED)",
        100.0 * errors as f64 / calls.max(1) as f64,
        r.llm_ok,
        r.llm_refused
    );

    // Good means: the engine-path requests all check out, and every LLM-path answer is
    // records that validate or a clear retryable refusal (never INTERNAL, never a hang).
    assert_clean(&r);
    assert!(r.llm_ok + r.llm_refused >= 20, "too few LLM operations ran: {r:?}");
    assert!(r.llm_ok > r.llm_refused, "retries should carry most requests through 30% errors: {r:?}");
    assert!(calls >= 30 && errors * 100 >= calls * 15, "the provider's faults were served: {errors}/{calls}");
    assert!(r.good_ok - r.llm_ok > 150, "the engine path kept answering: {r:?}");
    assert!(r.llm_slowest < Duration::from_secs(30), "slowest LLM operation {:?}", r.llm_slowest);
    let retried = metric_sum(running.http_addr, "testdata_llm_requests_total{").await;
    assert!(retried >= calls as f64 * 0.9, "every provider call is counted: {retried} of {calls}");

    // A provider that keeps failing: the request is refused with UNAVAILABLE and a sentence
    // naming the provider and its status, after the retries (1 + LLM_MAX_RETRIES calls).
    let before = fault.calls();
    fault.clear();
    fault.script(std::iter::repeat_n(Fault::Status { code: 503, retry_after: None }, 8));
    let mut c = TestDataServiceClient::connect(format!("http://{}", running.grpc_addr)).await.unwrap();
    let refused = c
        .generate_data(GenerateRequest {
            entity: "review".into(),
            count: 3,
            seed: Some(77_777_777),
            generation_method: GenerationMethod::Llm as i32,
            ..Default::default()
        })
        .await
        .expect("in-band answer")
        .into_inner();
    assert!(!refused.success);
    assert_eq!(refused.error_code(), testdata::proto::ErrorCode::Unavailable, "{}", refused.error);
    assert!(
        refused.error.contains("HTTP 503") && refused.error.contains("openai"),
        "the refusal says who failed and how: {}",
        refused.error
    );
    assert_eq!(fault.calls() - before, 4, "one call and three retries");
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ 2. Redis killed and restarted

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_during_the_soak_loses_no_request_and_is_used_again() {
    let _turn = TURN.lock().await;
    let Some(mut redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let config = Config {
        llm: Some(llm_config(&fault, Duration::from_secs(5))),
        redis_url: Some(redis.url()),
        redis_timeout_ms: 200,
        ..Config::ephemeral()
    };
    let running = start(config).await.expect("server starts");
    let http = running.http_addr;
    assert_eq!(redis_health(http).await, "healthy");
    let target = format!("http://{}", running.grpc_addr);
    let options = SoakOptions {
        duration: Duration::from_secs(16),
        rate: 50.0,
        clients: 4,
        server_pid: Some(std::process::id()),
        seed: 17,
        llm_percent: 20,
    };
    let soak = tokio::spawn(async move { run(&target, &options).await.map_err(|e| e.to_string()) });

    tokio::time::sleep(Duration::from_secs(3)).await;
    let before_kill = llm_keys(&redis);
    tokio::task::block_in_place(|| redis.kill());
    tokio::time::sleep(Duration::from_secs(3)).await;
    let outage = redis_health(http).await;
    tokio::task::block_in_place(|| redis.restart());
    let back = Instant::now();
    while !redis_health(http).await.starts_with("healthy") {
        assert!(back.elapsed() < Duration::from_secs(15), "Redis not used again 15 s after its restart");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let at_restart = llm_keys(&redis);
    let healthy_after = back.elapsed();
    let r = soak.await.unwrap().expect("soak runs");
    let at_end = llm_keys(&redis);
    print_report("redis", &r);
    eprintln!(
        "redis: LLM answers in Redis: {before_kill} before the kill, {at_restart} after the restart \
         (healthy {healthy_after:?} after it), {at_end} at the end; health during the outage: {outage}"
    );

    assert_clean(&r);
    assert_eq!(r.llm_refused, 0, "no LLM request was refused: {:?}", r.llm_refusals);
    assert!(r.llm_ok > 50, "{r:?}");
    assert!(outage.starts_with("degraded: "), "health says why during the outage: {outage}");
    assert!(before_kill > 0, "answers were stored before the kill");
    assert!(at_restart >= before_kill, "the append-only file kept them through the restart");
    assert!(at_end > at_restart, "answers made after the restart are stored again: {at_restart} → {at_end}");
    assert_eq!(metric_sum(http, "testdata_redis_up").await, 1.0);
    assert!(metric_sum(http, "testdata_redis_errors_total{").await >= 1.0, "the outage is counted");
    running.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ 3. 1,000 idle connections

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_silent_connections_do_not_hold_up_the_soak_and_are_closed() {
    let _turn = TURN.lock().await;
    let (grpc_idle, http_idle) = (1000usize, 200usize);
    let limit = raise_fd_limit(8192);
    assert!(
        limit >= 2 * (grpc_idle + http_idle) as u64,
        "this test needs {} open files per process (the soft limit is {limit} and the hard limit lower)",
        2 * (grpc_idle + http_idle)
    );
    // Silent connections are closed after HTTP_READ_TIMEOUT_SECONDS (4 s here).
    let mut server = ServerProcess::start(&[("HTTP_READ_TIMEOUT_SECONDS", "4".into())]).await;
    // The baseline: after a first call on a connection since closed.
    let mut warm = TestDataServiceClient::connect(format!("http://{}", server.grpc)).await.unwrap();
    assert!(
        warm.generate_data(GenerateRequest { entity: "user".into(), count: 5, ..Default::default() })
            .await
            .is_ok()
    );
    drop(warm);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = open_fds(&server);

    let opened = Instant::now();
    let mut idle = idle_connections(server.grpc, grpc_idle).await;
    idle.extend(idle_connections(server.http, http_idle).await);
    let open_took = opened.elapsed();
    let options = SoakOptions {
        duration: Duration::from_secs(8),
        rate: 60.0,
        clients: 4,
        server_pid: Some(server.pid()),
        seed: 18,
        llm_percent: 0,
    };
    let r = run(&format!("http://{}", server.grpc), &options).await.expect("soak runs");
    print_report("idle connections", &r);
    let held = r.samples.iter().map(|s| s.2).max().unwrap_or(0);

    // The server closed every silent connection: each reads end-of-file (after whatever the
    // server sent first; hyper used to send its HTTP/2 SETTINGS and wait for good).
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        let mut buf = [0u8; 64];
        for conn in &mut idle {
            while matches!(conn.read(&mut buf).await, Ok(1..)) {}
        }
    })
    .await;
    let closed_after = opened.elapsed();
    drop(idle);
    let after = fds_settle(&server, baseline, Duration::from_secs(15)).await;
    eprintln!(
        "idle connections: {grpc_idle} gRPC + {http_idle} HTTP opened in {open_took:?}; server fds {baseline} \
         before, {held} at most during the soak, {after} after; every one read end-of-file when checked \
         {closed_after:?} after they opened (soft fd limit {limit})"
    );

    assert_clean(&r);
    assert!(r.good_ok > 200 && r.resumed > 10, "the soak kept being answered: {r:?}");
    assert!(held >= baseline + 1000, "the server held the silent connections for a while: {held}");
    assert!(closed.is_ok(), "silent connections still open {closed_after:?} after they opened");
    assert!(after <= baseline, "fds back to {baseline}: {after}");
    server.sigterm();
    assert!(server.exit_within(Duration::from_secs(10)).await.is_some_and(|s| s.success()));
}

// ------------------------------------------------------------------ 4. SIGTERM mid-soak

/// How a stream read through a shutdown ended.
#[derive(Debug)]
enum Ending {
    /// With its final chunk.
    Complete,
    /// UNAVAILABLE at `offset` (the next record to ask for).
    Cut(u64),
}

/// Reads a stream with a pause per chunk; every chunk must parse to its record count and
/// follow the one before. Returns the chunks' data and how it ended.
async fn read_through(
    mut c: TestDataServiceClient<Channel>,
    request: GenerateRequest,
    pause: Duration,
    first_chunk: tokio::sync::mpsc::Sender<()>,
) -> Result<(Vec<String>, Ending), String> {
    let mut s = c.generate_data_stream(request).await.map_err(|e| format!("open: {e:?}"))?.into_inner();
    let mut chunks: Vec<DataChunk> = Vec::new();
    loop {
        match s.message().await {
            Ok(Some(chunk)) => {
                if chunks.is_empty() {
                    let _ = first_chunk.send(()).await;
                }
                let expected = chunks.last().map_or(0, |l| l.first_record + l.record_count as u64);
                if chunk.first_record != expected {
                    return Err(format!("chunk at {} after {expected}", chunk.first_record));
                }
                if chunk.is_final {
                    return Ok((chunks.into_iter().map(|c| c.data).collect(), Ending::Complete));
                }
                let records: Vec<serde_json::Value> =
                    serde_json::from_str(&chunk.data).map_err(|e| format!("a half-written chunk: {e}"))?;
                if records.len() != chunk.record_count as usize {
                    return Err(format!("{} records in a chunk of {}", records.len(), chunk.record_count));
                }
                chunks.push(chunk);
                tokio::time::sleep(pause).await;
            }
            Ok(None) => return Err("the stream ended without its final chunk".into()),
            Err(status) => {
                let at = chunks.last().map_or(0, |l| l.first_record + l.record_count as u64);
                let said = format!("offset = {at}");
                if status.code() != Code::Unavailable || !status.message().contains(&said) {
                    return Err(format!(
                        "ended with {:?} {:?}, not UNAVAILABLE at {said}",
                        status.code(),
                        status.message()
                    ));
                }
                return Ok((chunks.into_iter().map(|c| c.data).collect(), Ending::Cut(at)));
            }
        }
    }
}

/// The first `n` chunks' data of `request` (`offset` included) from `c`.
async fn first_chunks(
    c: &mut TestDataServiceClient<Channel>,
    request: GenerateRequest,
    n: usize,
) -> Vec<String> {
    let mut s = c.generate_data_stream(request).await.unwrap().into_inner();
    let mut out = Vec::new();
    while out.len() < n {
        match s.message().await.unwrap() {
            Some(chunk) if !chunk.is_final => out.push(chunk.data),
            _ => break,
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_soak_finishes_streams_or_says_where_to_resume_and_exits_zero() {
    let _turn = TURN.lock().await;
    let grace = 4u64;
    let mut server = ServerProcess::start(&[("SHUTDOWN_GRACE_SECONDS", grace.to_string())]).await;
    let target = format!("http://{}", server.grpc);
    let connect = || async { TestDataServiceClient::connect(target.clone()).await.expect("connect") };

    // The soak's mix for 3 s, then the streams that will be in flight at SIGTERM.
    let warm = SoakOptions {
        duration: Duration::from_secs(3),
        rate: 60.0,
        clients: 4,
        server_pid: Some(server.pid()),
        seed: 19,
        llm_percent: 0,
    };
    let r = run(&target, &warm).await.expect("soak runs");
    print_report("before SIGTERM", &r);
    assert_clean(&r);
    // 6 streams that finish well within the grace (15 chunks, 30 ms a chunk) and 3 that cannot
    // (10,000 chunks).
    let (started_tx, mut started_rx) = tokio::sync::mpsc::channel(16);
    let mut streams = Vec::new();
    for i in 0..9u64 {
        let (count, entity) = if i < 6 { (300, "user") } else { (500_000, "order") };
        let request = GenerateRequest {
            entity: entity.into(),
            count,
            batch_size: 20,
            seed: Some(100 + i),
            ..Default::default()
        };
        let c = connect().await;
        let tx = started_tx.clone();
        let pause = Duration::from_millis(if i < 6 { 30 } else { 10 });
        streams.push((request.clone(), tokio::spawn(read_through(c, request, pause, tx))));
    }
    for _ in 0..streams.len() {
        tokio::time::timeout(Duration::from_secs(30), started_rx.recv()).await.expect("every stream started");
    }
    // Unary calls keep coming on their own connection until the server refuses them.
    let mut unary = connect().await;
    let caller = tokio::spawn(async move {
        let mut outcomes: HashMap<String, u64> = HashMap::new();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            let r = unary.generate_data(GenerateRequest {
                entity: "cart".into(),
                count: 5,
                ..Default::default()
            });
            let key = match tokio::time::timeout(Duration::from_secs(10), r).await {
                Ok(Ok(a)) if a.get_ref().success => "answered".to_owned(),
                Ok(Ok(a)) => format!("in-band {:?}", a.into_inner().error_code()),
                Ok(Err(s)) => format!("{:?}", s.code()),
                Err(_) => "no answer within 10 s".to_owned(),
            };
            let refused = key != "answered";
            *outcomes.entry(key).or_default() += 1;
            if refused && outcomes.values().sum::<u64>() > 3 && !outcomes.contains_key("answered") {
                break;
            }
            if refused && outcomes.get("Unavailable").is_some_and(|n| *n >= 3) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        outcomes
    });
    // And 100 connections that never send their HTTP/2 preface (a graceful shutdown would
    // wait for them until the end of the grace and its closing time).
    let silent = idle_connections(server.grpc, 100).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let sent = Instant::now();
    server.sigterm();
    // New connections are refused once the listener is closed.
    let refused_after = loop {
        if tokio::net::TcpStream::connect(server.grpc).await.is_err() {
            break sent.elapsed();
        }
        assert!(sent.elapsed() < Duration::from_secs(3), "new connections still accepted after SIGTERM");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let exit = server.exit_within(Duration::from_secs(grace + 2 + 6)).await;
    let exited_after = sent.elapsed();
    let outcomes = caller.await.unwrap();
    drop(silent);

    let mut complete = 0;
    let mut cut = Vec::new();
    for (request, handle) in streams {
        match handle.await.unwrap() {
            Ok((_, Ending::Complete)) => complete += 1,
            Ok((chunks, Ending::Cut(at))) => cut.push((request, chunks, at)),
            Err(why) => panic!("stream {} seed {:?}: {why}", request.entity, request.seed),
        }
    }
    eprintln!(
        "SIGTERM: new connections refused after {refused_after:?}; exit {exit:?} after {exited_after:?} \
         (grace {grace} s); streams: {complete} complete, {} cut at offsets {:?}; unary calls: {outcomes:?}",
        cut.len(),
        cut.iter().map(|c| c.2).collect::<Vec<_>>()
    );
    assert!(exit.is_some_and(|s| s.success()), "exit {exit:?} after {exited_after:?}");
    assert!(exited_after < Duration::from_secs(grace + 2 + 4), "{exited_after:?}");
    assert_eq!(complete, 6, "streams shorter than the grace get their final chunk");
    assert_eq!(cut.len(), 3, "streams longer than the grace are cut with their offset");
    assert!(outcomes.get("answered").is_some_and(|n| *n > 0), "{outcomes:?}");
    assert!(
        outcomes.keys().all(|k| k == "answered" || k == "Unavailable"),
        "calls after SIGTERM are answered or refused with UNAVAILABLE: {outcomes:?}"
    );

    // Nothing half-written: each cut stream's chunks, and its resume at the offset it was
    // given, are byte for byte the chunks of an uninterrupted run (on a fresh server).
    let fresh = start(Config::ephemeral()).await.unwrap();
    let mut c = TestDataServiceClient::connect(format!("http://{}", fresh.grpc_addr)).await.unwrap();
    for (request, chunks, at) in cut {
        assert!(at > 0 && at % 20 == 0, "a cut at a chunk boundary after some chunks: {at}");
        let whole = first_chunks(&mut c, request.clone(), chunks.len() + 3).await;
        assert_eq!(whole[..chunks.len()], chunks[..], "chunks received before the cut");
        let resumed = first_chunks(&mut c, GenerateRequest { offset: at, ..request }, 3).await;
        assert_eq!(resumed[..], whole[chunks.len()..], "the resume at {at} continues byte for byte");
    }
    fresh.shutdown().await.unwrap();
}

// ------------------------------------------------------------------ 60 s with every fault

/// `loadgen soak` for `SOAK_SECONDS` (60) at `SOAK_RATE` (150) operations/s against a
/// `testdata-server` process with an LLM provider answering 30% errors (10% of the
/// operations on the LLM path) and Redis, while Redis is killed at 20% of the run and restarted
/// at 35%, and 1,000 + 200 silent connections are opened at 50%. Prints the RSS/fds curve.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a minute long: run with --ignored for the figures of docs/reliability.md"]
async fn a_minute_of_soak_with_every_fault() {
    let _turn = TURN.lock().await;
    raise_fd_limit(8192);
    let seconds: u64 = std::env::var("SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    let rate: f64 = std::env::var("SOAK_RATE").ok().and_then(|s| s.parse().ok()).unwrap_or(150.0);
    let Some(mut redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    fault.script(thirty_percent_errors(50_000, 60));
    fault.latency(Duration::from_millis(20));
    let server = ServerProcess::start(&[
        ("USE_LOCAL_LLM", "true".into()),
        ("VLLM_BASE_URL", fault.openai_base()),
        ("VLLM_MODEL", "local-test".into()),
        ("LLM_TIMEOUT_SECONDS", "1".into()),
        ("REDIS_URL", redis.url()),
        ("REDIS_TIMEOUT_MS", "200".into()),
        ("HTTP_READ_TIMEOUT_SECONDS", "5".into()),
    ])
    .await;
    let baseline = open_fds(&server);
    let (target, pid) = (format!("http://{}", server.grpc), server.pid());
    let options = SoakOptions {
        duration: Duration::from_secs(seconds),
        rate,
        clients: 8,
        server_pid: Some(pid),
        seed: 60,
        llm_percent: 10,
    };
    let soak = tokio::spawn(async move { run(&target, &options).await.map_err(|e| e.to_string()) });
    let at = |fraction: f64| Duration::from_secs_f64(seconds as f64 * fraction);
    let t0 = Instant::now();
    tokio::time::sleep(at(0.2)).await;
    tokio::task::block_in_place(|| redis.kill());
    tokio::time::sleep(at(0.35).saturating_sub(t0.elapsed())).await;
    tokio::task::block_in_place(|| redis.restart());
    tokio::time::sleep(at(0.5).saturating_sub(t0.elapsed())).await;
    let mut idle = idle_connections(server.grpc, 1000).await;
    idle.extend(idle_connections(server.http, 200).await);
    let r = soak.await.unwrap().expect("soak runs");
    drop(idle);
    print_report("a minute", &r);
    eprintln!(
        "a minute: provider calls {}, server fds {baseline} before, {} after; LLM answers in Redis {}",
        fault.calls(),
        fds_settle(&server, baseline, Duration::from_secs(10)).await,
        llm_keys(&redis)
    );
    assert_clean(&r);
}
