//! Cache hits of the LLM path through the shared Redis layer, over gRPC on loopback.
//!
//! Replica A (in-process, Redis at a real `redis-server`) answers `KEYS` distinct 100-record
//! `review` requests from the local LLM stub. Then, for 1, 16 and 200 concurrent clients, a
//! fresh replica with the same Redis and an empty memory is asked each of them once (every
//! answer a Redis hit), then again (every answer a memory hit). Latencies per request, HDR
//! histogram; with `c` clients always busy, latency ≈ c / throughput (Little's law).
//!
//! `cargo bench -p testdata-server --bench cache` (needs `redis-server` on the PATH).

#[path = "../tests/support/fault.rs"]
mod fault;
#[path = "../tests/support/redis.rs"]
mod redis_process;

use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use testdata::llm::provider::openai::ResponseFormat;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::server::start;
use tokio::sync::Mutex;
use tonic::transport::Channel;

const KEYS: u64 = 2_000;
const RECORDS: i32 = 100;
const CLIENTS: [usize; 3] = [1, 16, 200];

fn request(seed: u64) -> GenerateRequest {
    GenerateRequest {
        entity: "review".into(),
        count: RECORDS,
        seed: Some(seed),
        generation_method: GenerationMethod::Llm as i32,
        ..Default::default()
    }
}

/// Every request once, `clients` at a time over `clients` connections; the latencies and
/// how many were cache hits.
async fn round(addr: std::net::SocketAddr, keys: u64, clients: usize) -> (Histogram<u64>, u64, Duration) {
    let mut channels = Vec::new();
    for _ in 0..clients {
        channels.push(TestDataServiceClient::connect(format!("http://{addr}")).await.expect("connect"));
    }
    let next = Arc::new(Mutex::new(0u64));
    let started = Instant::now();
    let tasks: Vec<_> = channels
        .into_iter()
        .map(|mut c: TestDataServiceClient<Channel>| {
            let next = next.clone();
            tokio::spawn(async move {
                let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
                let mut hits = 0;
                loop {
                    let seed = {
                        let mut n = next.lock().await;
                        if *n >= keys {
                            break;
                        }
                        *n += 1;
                        *n - 1
                    };
                    let t = Instant::now();
                    let r = c.generate_data(request(seed)).await.expect("answer").into_inner();
                    h.record(t.elapsed().as_micros() as u64).expect("record");
                    assert!(r.success, "{}", r.error);
                    hits += u64::from(r.metadata.is_some_and(|m| m.cache_hit));
                }
                (h, hits)
            })
        })
        .collect();
    let mut all = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    let mut hits = 0;
    for t in tasks {
        let (h, n) = t.await.expect("client task");
        all.add(h).expect("merge");
        hits += n;
    }
    (all, hits, started.elapsed())
}

fn report(name: &str, (h, hits, wall): &(Histogram<u64>, u64, Duration)) {
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "{name:<34} n={:<5} hits={hits:<5} {:>7.0} req/s  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        h.len(),
        h.len() as f64 / wall.as_secs_f64(),
        ms(0.5),
        ms(0.9),
        ms(0.99),
        h.max() as f64 / 1000.0
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list`
    }
    let Some(redis) = redis_process::RedisProcess::start() else { return };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let stub = fault::FaultServer::start().await;
        let llm = LlmConfig {
            providers: vec![ProviderConfig::OpenAi {
                base_url: stub.openai_base(),
                api_key: None,
                model: "local-test".into(),
                format: ResponseFormat::JsonSchema,
            }],
            concurrency: 32,
            max_batch: 100,
            max_output_tokens: 64_000,
            memory_capacity: 10_000,
            ..LlmConfig::default()
        };
        let config = Config { llm: Some(llm), redis_url: Some(redis.url()), ..Config::ephemeral() };
        let a = start(config.clone()).await.expect("replica A");
        report("A: made by the LLM stub, 200 clients", &round(a.grpc_addr, KEYS, 200).await);
        for clients in CLIENTS {
            let b = start(config.clone()).await.expect("replica B");
            report(&format!("Redis hits, {clients} clients"), &round(b.grpc_addr, KEYS, clients).await);
            report(&format!("memory hits, {clients} clients"), &round(b.grpc_addr, KEYS, clients).await);
        }
        println!("stub calls: {} for {KEYS} keys", stub.calls());
    });
}
