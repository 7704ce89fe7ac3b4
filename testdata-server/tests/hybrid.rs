//! The Hybrid path against the local LLM server of `support/fault.rs` (real HTTP) through a
//! real gRPC client: text fields come from pools written once by the model, the rest from the
//! engine; a repeated request gives the same bytes without another model call.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;
use support::fault::FaultServer;
use testdata::llm::provider::anthropic::StructuredOutput;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{self, GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use testdata_server::registry::Registry;
use testdata_server::server::{Running, start};

async fn server_with(fault: &FaultServer) -> Running {
    let llm = LlmConfig {
        providers: vec![ProviderConfig::Anthropic {
            base_url: fault.base(),
            api_key: "k".into(),
            model: "claude-test".into(),
            output: StructuredOutput::JsonSchema,
        }],
        timeout: Duration::from_secs(5),
        ..LlmConfig::default()
    };
    start(Config { llm: Some(llm), ..Config::ephemeral() }).await.expect("server starts")
}

async fn generate(r: &Running, request: GenerateRequest) -> proto::GenerateResponse {
    let mut client = TestDataServiceClient::connect(format!("http://{}", r.grpc_addr)).await.unwrap();
    client.generate_data(request).await.unwrap().into_inner()
}

fn review_request(seed: u64) -> GenerateRequest {
    GenerateRequest {
        entity: "review".into(),
        domain: "ecommerce".into(),
        count: 300,
        seed: Some(seed),
        generation_method: GenerationMethod::Hybrid as i32,
        context: "reviews of running shoes after a marathon".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hybrid_reviews_take_text_from_pools_and_repeat_byte_identically() {
    let fault = FaultServer::start().await;
    let r = server_with(&fault).await;
    let first = generate(&r, review_request(1)).await;
    assert!(first.success, "{}", first.error);
    let meta = first.metadata.clone().unwrap();
    assert_eq!(meta.generation_path, "hybrid");
    let calls = fault.calls();
    assert!(calls >= 1, "the pool was written by the model");
    let review = Registry::builtin().unwrap().get("review").unwrap().clone();
    let records: Vec<Value> = serde_json::from_str(&first.data).unwrap();
    let mut bodies = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for mut r in records {
        let m = r.as_object_mut().unwrap();
        m.shift_remove("_index");
        m.shift_remove("_scenario");
        review.validate(&r).unwrap_or_else(|v| panic!("{v}"));
        bodies.insert(r["body"].as_str().unwrap().to_owned());
        ids.insert(r["review_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 300, "ids are the engine's");
    assert!(bodies.len() <= 50 && bodies.len() > 10, "{} distinct bodies from a pool of 50", bodies.len());
    // The few-shot examples of the pool request are retrieved review patterns.
    let prompt = serde_json::to_string(&fault.script.requests.lock().unwrap()[0]).unwrap();
    assert!(prompt.contains("running shoes"), "context in the prompt");

    let again = generate(&r, review_request(1)).await;
    assert_eq!(again.data, first.data, "byte-identical on a second run");
    assert!(again.metadata.unwrap().cache_hit);
    let other_seed = generate(&r, review_request(2)).await;
    assert!(other_seed.success);
    assert_ne!(other_seed.data, first.data);
    assert_eq!(fault.calls(), calls, "pools are shared by every seed: no new model call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routed_hybrid_with_a_provider_and_llm_for_text_entities() {
    let fault = FaultServer::start().await;
    let r = server_with(&fault).await;
    let request = GenerateRequest {
        hints: vec!["Similar-To last month".into()],
        generation_method: 0,
        count: 20,
        ..review_request(3)
    };
    let resp = generate(&r, request).await;
    assert!(resp.success, "{}", resp.error);
    let meta = resp.metadata.unwrap();
    assert_eq!(meta.generation_path, "hybrid", "{}", meta.routing_reason);
    assert!(!meta.fallback);
}
