//! The shared Redis cache with real parts: a real `redis-server` (killed, restarted, paused),
//! real server processes and in-process servers, a real gRPC client over real sockets, and the
//! local LLM server speaking the OpenAI wire format over real HTTP.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use support::fault::FaultServer;
use support::http_get;
use support::redis::RedisProcess;
use support::server::ServerProcess;
use testdata::llm::provider::openai::ResponseFormat;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{self, GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::server::{Running, start};
use tonic::transport::Channel;

fn llm_config(fault: &FaultServer) -> LlmConfig {
    LlmConfig {
        providers: vec![ProviderConfig::OpenAi {
            base_url: fault.openai_base(),
            api_key: None,
            model: "local-test".into(),
            format: ResponseFormat::JsonSchema,
        }],
        timeout: Duration::from_secs(5),
        ..LlmConfig::default()
    }
}

fn config(fault: &FaultServer, redis: &RedisProcess) -> Config {
    Config {
        llm: Some(llm_config(fault)),
        redis_url: Some(redis.url()),
        redis_timeout_ms: 200,
        ..Config::ephemeral()
    }
}

fn review_request(seed: u64) -> GenerateRequest {
    GenerateRequest {
        entity: "review".into(),
        count: 5,
        seed: Some(seed),
        generation_method: GenerationMethod::Llm as i32,
        ..Default::default()
    }
}

async fn client(addr: std::net::SocketAddr) -> TestDataServiceClient<Channel> {
    TestDataServiceClient::connect(format!("http://{addr}")).await.expect("connect")
}

async fn generate(c: &mut TestDataServiceClient<Channel>, r: GenerateRequest) -> proto::GenerateResponse {
    let answer = c.generate_data(r).await.expect("in-band answer").into_inner();
    assert!(answer.success, "{}", answer.error);
    answer
}

/// The `redis` component of `/health` (e.g. `healthy`, `degraded: …`).
async fn redis_health(addr: std::net::SocketAddr) -> String {
    let text = http_get(addr, "/health").await;
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"));
    v["components"]["redis"].as_str().unwrap_or_default().to_owned()
}

async fn wait_for_health(addr: std::net::SocketAddr, prefix: &str, limit: Duration) {
    let started = Instant::now();
    loop {
        let state = redis_health(addr).await;
        if state.starts_with(prefix) {
            return;
        }
        assert!(started.elapsed() < limit, "redis health still `{state}` after {limit:?}, wanted `{prefix}`");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn cached_keys(redis: &RedisProcess, pattern: &str) -> Vec<String> {
    let mut c = redis.connection();
    redis::cmd("KEYS").arg(pattern).query(&mut c).unwrap()
}

/// A `testdata-server` replica on `redis`, its LLM provider `fault`, ready and with Redis
/// healthy.
async fn replica(redis: &RedisProcess, fault: &FaultServer) -> ServerProcess {
    let server = ServerProcess::start(&[
        ("REDIS_URL", redis.url()),
        ("USE_LOCAL_LLM", "true".into()),
        ("VLLM_BASE_URL", fault.openai_base()),
        ("VLLM_MODEL", "local-test".into()),
    ])
    .await;
    wait_for_health(server.http, "healthy", Duration::from_secs(5)).await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_share_answers_and_make_each_one_once() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let a = replica(&redis, &fault).await;
    let b = replica(&redis, &fault).await;
    let (mut ca, mut cb) = (client(a.grpc).await, client(b.grpc).await);

    let first = generate(&mut ca, review_request(7)).await;
    assert!(!first.metadata.as_ref().unwrap().cache_hit);
    assert_eq!(fault.calls(), 1);
    let second = generate(&mut cb, review_request(7)).await;
    assert!(second.metadata.as_ref().unwrap().cache_hit, "the other replica's answer is a hit");
    assert_eq!(second.data, first.data, "same bytes on every replica");
    assert_eq!(fault.calls(), 1, "the provider was asked once");

    // The same new request on both replicas at once: one claims it, the other waits for the
    // answer in Redis instead of calling the provider too.
    fault.latency(Duration::from_millis(400));
    let (x, y) = tokio::join!(generate(&mut ca, review_request(8)), generate(&mut cb, review_request(8)));
    assert_eq!(x.data, y.data);
    assert_eq!(fault.calls(), 2, "one provider call for two replicas asked at once");
    let hits = [&x, &y].iter().filter(|r| r.metadata.as_ref().unwrap().cache_hit).count();
    assert_eq!(hits, 1, "one made it, the other read it");
    assert_eq!(cached_keys(&redis, "testdata:v1:claim:*"), Vec::<String>::new(), "claims are released");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_dead_replica_holds_the_others_up_only_until_it_lapses() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let maker = start(config(&fault, &redis)).await.expect("server starts");
    generate(&mut client(maker.grpc_addr).await, review_request(9)).await;
    // Forget the answer, and leave a claim on it as a replica that died mid-call would
    // (nobody renews it: it lapses after 1.5 s).
    let answer_key = cached_keys(&redis, "testdata:v1:llm:*").pop().unwrap();
    let claim_key = answer_key.replacen("testdata:v1:", "testdata:v1:claim:", 1);
    let mut c = redis.connection();
    let _: () = redis::cmd("DEL").arg(&answer_key).query(&mut c).unwrap();
    let _: () =
        redis::cmd("SET").arg(&claim_key).arg("a-dead-replica").arg("PX").arg(1500).query(&mut c).unwrap();

    let a = start(config(&fault, &redis)).await.expect("server starts");
    let b = start(config(&fault, &redis)).await.expect("server starts");
    let (mut ca, mut cb) = (client(a.grpc_addr).await, client(b.grpc_addr).await);
    let started = Instant::now();
    let (x, y) = tokio::join!(generate(&mut ca, review_request(9)), generate(&mut cb, review_request(9)));
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1400), "they waited for the claim: {waited:?}");
    assert!(waited < Duration::from_secs(10), "only until it lapsed: {waited:?}");
    assert_eq!(fault.calls(), 2, "then one of them made it, and the other read it");
    assert_eq!(x.data, y.data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_redis_mid_run_loses_no_request_and_caching_resumes() {
    let Some(mut redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let running = start(config(&fault, &redis)).await.expect("server starts");
    let failures = Arc::new(AtomicUsize::new(0));
    let c = client(running.grpc_addr).await;

    // 1,000 requests over 250 keys (each asked four times), 16 at a time; Redis is killed
    // after the first 300 and restarted after 600.
    let run = |range: std::ops::Range<u64>| {
        let (c, failures) = (c.clone(), failures.clone());
        stream::iter(range)
            .map(move |j| {
                let (mut c, failures) = (c.clone(), failures.clone());
                async move {
                    match c.generate_data(review_request(j / 4)).await {
                        Ok(r) if r.get_ref().success => {}
                        _ => {
                            failures.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            })
            .buffer_unordered(16)
            .collect::<Vec<()>>()
    };
    run(0..300).await;
    assert_eq!(redis_health(running.http_addr).await, "healthy");
    let before_kill = cached_keys(&redis, "testdata:v1:llm:*").len();
    assert_eq!(before_kill, 75, "every answer made while Redis was up is in Redis");

    redis.kill();
    run(300..450).await;
    let state = redis_health(running.http_addr).await;
    assert!(state.starts_with("degraded: "), "health says why: {state}");
    assert!(http_get(running.http_addr, "/health/ready").await.contains("200 OK"), "still ready");
    run(450..600).await;

    redis.restart();
    wait_for_health(running.http_addr, "healthy", Duration::from_secs(15)).await;
    run(600..1000).await;

    assert_eq!(failures.load(Ordering::SeqCst), 0, "no request failed");
    assert_eq!(fault.calls(), 250, "each key made once: the memory layer served the rest");
    let after = cached_keys(&redis, "testdata:v1:llm:*").len();
    assert_eq!(after, 75 + 100, "kept through the restart, and the 100 keys made after it are cached");
    let metrics = http_get(running.http_addr, "/metrics").await;
    assert!(metrics.contains("testdata_redis_up 1"), "{metrics}");
    let errors: f64 = metrics
        .lines()
        .filter(|l| l.starts_with("testdata_redis_errors_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum();
    assert!(errors >= 1.0, "the outage is counted: {metrics}");

    // A fresh replica finds a key made after the restart in Redis.
    let fresh = start(config(&fault, &redis)).await.expect("second server starts");
    let answer = generate(&mut client(fresh.grpc_addr).await, review_request(249)).await;
    assert!(answer.metadata.unwrap().cache_hit);
    assert_eq!(fault.calls(), 250);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_never_answers_costs_at_most_its_timeout() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let running = start(config(&fault, &redis)).await.expect("server starts");
    let mut c = client(running.grpc_addr).await;
    generate(&mut c, review_request(1)).await;

    redis.pause();
    let mut slowest = Duration::ZERO;
    for seed in 100..110 {
        let started = Instant::now();
        generate(&mut c, review_request(seed)).await;
        slowest = slowest.max(started.elapsed());
    }
    // Without the timeout the first request would wait forever on the paused Redis; with it,
    // one GET waits REDIS_TIMEOUT_MS (200 ms) and the rest skip Redis while it is degraded.
    assert!(slowest < Duration::from_secs(3), "slowest request {slowest:?}");
    assert!(redis_health(running.http_addr).await.starts_with("degraded: "));
    redis.resume();
    wait_for_health(running.http_addr, "healthy", Duration::from_secs(15)).await;
    generate(&mut c, review_request(200)).await;
    assert_eq!(fault.calls(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_expire_and_other_format_versions_are_never_read() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let short = Config { cache_ttl_seconds: 1, ..config(&fault, &redis) };
    let a = start(short.clone()).await.expect("server starts");
    generate(&mut client(a.grpc_addr).await, review_request(3)).await;
    let keys = cached_keys(&redis, "testdata:v1:llm:*");
    assert_eq!(keys.len(), 1);
    let mut c = redis.connection();
    let ttl: i64 = redis::cmd("PTTL").arg(&keys[0]).query(&mut c).unwrap();
    assert!((1..=1000).contains(&ttl), "CACHE_TTL_SECONDS=1 gives a PTTL of {ttl} ms");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert!(cached_keys(&redis, "testdata:v1:llm:*").is_empty(), "expired");

    // An entry of another format version under the same cache key is never read.
    let b = start(config(&fault, &redis)).await.expect("server starts");
    let mut cb = client(b.grpc_addr).await;
    let made = generate(&mut cb, review_request(4)).await;
    let v1 = cached_keys(&redis, "testdata:v1:llm:*").pop().unwrap();
    let v0 = v1.replacen("testdata:v1:", "testdata:v0:", 1);
    let _: () = redis::cmd("RENAME").arg(&v1).arg(&v0).query(&mut c).unwrap();
    let calls = fault.calls();
    let fresh = start(config(&fault, &redis)).await.expect("server starts");
    let again = generate(&mut client(fresh.grpc_addr).await, review_request(4)).await;
    assert!(!again.metadata.unwrap().cache_hit, "the v0 entry was not read");
    assert_eq!(fault.calls(), calls + 1);
    assert!(!made.data.is_empty() && !again.data.is_empty());

    // A value that is not an entry of this format is a miss (logged), then replaced.
    let _: () = redis::cmd("SET").arg(&v1).arg("not an entry").query(&mut c).unwrap();
    let other = start(config(&fault, &redis)).await.expect("server starts");
    let answer = generate(&mut client(other.grpc_addr).await, review_request(4)).await;
    assert!(!answer.metadata.unwrap().cache_hit);
    let stored: Vec<u8> = redis::cmd("GET").arg(&v1).query(&mut c).unwrap();
    assert!(stored.starts_with(b"j") || stored.starts_with(b"z"), "replaced by a real entry");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_answers_are_compressed_and_oversized_ones_not_stored() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let compressing = Config { cache_compress_above_bytes: 64, ..config(&fault, &redis) };
    let a = start(compressing).await.expect("server starts");
    generate(&mut client(a.grpc_addr).await, review_request(5)).await;
    let mut c = redis.connection();
    let key = cached_keys(&redis, "testdata:v1:llm:*").pop().unwrap();
    let stored: Vec<u8> = redis::cmd("GET").arg(&key).query(&mut c).unwrap();
    assert_eq!(stored[0], b'z', "LZ4-compressed above CACHE_COMPRESS_ABOVE_BYTES");
    // Another replica decompresses it into the same answer.
    let b = start(config(&fault, &redis)).await.expect("server starts");
    let hit = generate(&mut client(b.grpc_addr).await, review_request(5)).await;
    assert!(hit.metadata.unwrap().cache_hit);

    let tiny = Config { cache_max_value_bytes: 100, ..config(&fault, &redis) };
    let t = start(tiny).await.expect("server starts");
    let answer = generate(&mut client(t.grpc_addr).await, review_request(6)).await;
    assert!(!answer.data.is_empty());
    assert_eq!(cached_keys(&redis, "testdata:v1:llm:*").len(), 1, "the oversized answer was not stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_at_start_still_serves_and_is_used_once_it_comes_up() {
    let Some(mut redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    redis.kill();
    let running: Running = start(config(&fault, &redis)).await.expect("starts without Redis");
    assert!(redis_health(running.http_addr).await.starts_with("degraded: "));
    let mut c = client(running.grpc_addr).await;
    generate(&mut c, review_request(10)).await;
    let (status, components) = health_check(running.grpc_addr).await;
    assert_eq!(status, "degraded");
    assert!(components["redis"].starts_with("degraded: "), "{components:?}");

    redis.restart();
    wait_for_health(running.http_addr, "healthy", Duration::from_secs(15)).await;
    generate(&mut c, review_request(11)).await;
    assert_eq!(cached_keys(&redis, "testdata:v1:llm:*").len(), 1, "used once it is up");
    let (status, _) = health_check(running.grpc_addr).await;
    assert_eq!(status, "healthy");
}

async fn health_check(addr: std::net::SocketAddr) -> (String, std::collections::HashMap<String, String>) {
    let r = client(addr).await.health_check(proto::HealthCheckRequest::default()).await.unwrap().into_inner();
    (r.status, r.components)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reports_and_clears_the_cache() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let running = start(config(&fault, &redis)).await.expect("server starts");
    let mut c = client(running.grpc_addr).await;
    for seed in 0..3 {
        generate(&mut c, review_request(seed)).await;
    }
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_testdata"))
            .args(args)
            .env("REDIS_URL", redis.url())
            .output()
            .expect("testdata runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let stats: serde_json::Value = serde_json::from_str(&cli(&["cache", "stats", "--json"])).unwrap();
    assert_eq!(stats["groups"]["testdata:v1:llm"]["keys"], 3, "{stats}");
    assert!(cli(&["cache", "stats"]).contains("3 keys"));
    assert_eq!(
        cli(&["cache", "clear", "--prefix", "testdata:v1:llm"]).trim(),
        "deleted 3 keys under `testdata:v1:llm`"
    );
    assert!(cached_keys(&redis, "testdata:*").is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_testdata"))
        .args(["cache", "stats"])
        .env_remove("REDIS_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("REDIS_URL"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_in_the_url_works_and_a_wrong_password_degrades_without_showing_it() {
    let Some(redis) = RedisProcess::start_with(&["--requirepass", "s3cret"], false) else { return };
    let fault = FaultServer::start().await;
    let url = format!("redis://:s3cret@127.0.0.1:{}", redis.port);
    let good = start(Config { redis_url: Some(url), ..config(&fault, &redis) }).await.expect("server starts");
    assert_eq!(redis_health(good.http_addr).await, "healthy");
    generate(&mut client(good.grpc_addr).await, review_request(1)).await;
    let mut c = redis::Client::open(format!("redis://:s3cret@127.0.0.1:{}", redis.port))
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("testdata:v1:llm:*").query(&mut c).unwrap();
    assert_eq!(keys.len(), 1, "stored with AUTH");

    let wrong = format!("redis://:wrong-password@127.0.0.1:{}", redis.port);
    let bad =
        start(Config { redis_url: Some(wrong), ..config(&fault, &redis) }).await.expect("server starts");
    let state = redis_health(bad.http_addr).await;
    assert!(state.starts_with("degraded: ") && !state.contains("wrong-password"), "{state}");
    generate(&mut client(bad.grpc_addr).await, review_request(2)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rediss_urls_speak_tls_to_redis() {
    let dir = std::env::temp_dir().join(format!("testdata-redis-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.join("redis.crt"), dir.join("redis.key"));
    std::fs::write(&cert, ck.cert.pem()).unwrap();
    std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
    let (cert_s, key_s) = (cert.display().to_string(), key.display().to_string());
    let args = [
        "--tls-cert-file",
        &cert_s,
        "--tls-key-file",
        &key_s,
        "--tls-ca-cert-file",
        &cert_s,
        "--tls-auth-clients",
        "no",
    ];
    let Some(redis) = RedisProcess::start_with(&args, true) else { return };
    let fault = FaultServer::start().await;
    let tls = Config {
        redis_url: Some(format!("rediss://localhost:{}", redis.port)),
        redis_tls_ca_file: Some(cert.clone()),
        ..config(&fault, &redis)
    };
    let a = start(tls.clone()).await.expect("server starts");
    assert_eq!(redis_health(a.http_addr).await, "healthy");
    let made = generate(&mut client(a.grpc_addr).await, review_request(1)).await;
    let b = start(tls).await.expect("server starts");
    let hit = generate(&mut client(b.grpc_addr).await, review_request(1)).await;
    assert!(hit.metadata.unwrap().cache_hit, "shared over TLS");
    assert_eq!(hit.data, made.data);
    assert_eq!(fault.calls(), 1);
    // Without the CA the certificate is not trusted: degraded, and still serving.
    let untrusted =
        Config { redis_url: Some(format!("rediss://localhost:{}", redis.port)), ..config(&fault, &redis) };
    let c = start(untrusted).await.expect("server starts");
    assert!(redis_health(c.http_addr).await.starts_with("degraded: "));
    generate(&mut client(c.grpc_addr).await, review_request(1)).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hybrid_text_pools_are_shared_by_replicas_through_redis() {
    let Some(redis) = RedisProcess::start() else { return };
    let fault = FaultServer::start().await;
    let hybrid = |seed: u64| GenerateRequest {
        entity: "review".into(),
        count: 200,
        seed: Some(seed),
        generation_method: GenerationMethod::Hybrid as i32,
        context: "reviews of trail running shoes".into(),
        ..Default::default()
    };
    let a = start(config(&fault, &redis)).await.expect("server starts");
    let made = generate(&mut client(a.grpc_addr).await, hybrid(1)).await;
    assert_eq!(made.metadata.as_ref().unwrap().generation_path, "hybrid");
    let calls = fault.calls();
    assert!(calls >= 1, "the pool was written by the model");
    assert!(!cached_keys(&redis, "testdata:v1:pool:*").is_empty(), "the pool is in Redis");
    // Another replica composes the same records from the same pool, without the model.
    let b = start(config(&fault, &redis)).await.expect("server starts");
    let again = generate(&mut client(b.grpc_addr).await, hybrid(1)).await;
    assert_eq!(again.data, made.data, "record i takes the same pool entry on every replica");
    assert_eq!(fault.calls(), calls);
}
