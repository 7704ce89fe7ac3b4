//! The server's generation paths after retrieval and warm-up, as `GenerateData` runs them
//! (records made, gated, scored and encoded as JSON), 1,000 records per request
//! (docs/rag.md, "Measured"; the bars are issue 15's):
//!
//! * `paths/rag_cart`: `learn_from_history` carts from the bundled cart patterns (one
//!   retrieval of the bundled store per request; the bar is ≥ 100,000 records/s);
//! * `paths/traditional_cart`: the same request on the Traditional path, for scale;
//! * `paths/production_like_order` vs `paths/traditional_order` (the bar: ≥ 80%);
//! * `paths/hybrid_review`: Hybrid reviews once their text pools are warm (the LLM is the
//!   local stub of `tests/support/fault.rs` over real HTTP; the pools come from the memory
//!   cache after the first request; the bar is ≥ 50,000 records/s). The setup prints whether
//!   a second run gives the same bytes.
//!
//! `cargo bench -p testdata-server --bench paths`.

#[path = "../tests/support/fault.rs"]
mod fault;

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use testdata::llm::provider::anthropic::StructuredOutput;
use testdata::llm::{Llm, LlmConfig, ProviderConfig};
use testdata::rag::EmbeddedStore;
use testdata_server::paths::hybrid::HybridPath;
use testdata_server::paths::rag::RagPath;
use testdata_server::paths::traditional::Traditional;
use testdata_server::paths::{Generator, Inputs};
use testdata_server::plan::{Mode, Plan, Planner};
use testdata_server::registry::Registry;
use testdata_server::request::{GenerateSpec, SchemaSources};

const RECORDS: u64 = 1_000;
const THRESHOLD: f64 = 0.85;

fn plan(planner: &Planner, entity: &str) -> Plan {
    let spec = GenerateSpec {
        sources: SchemaSources { entity: entity.into(), ..SchemaSources::default() },
        count: RECORDS as i64,
        seed: Some(7),
        use_cache: true,
        ..GenerateSpec::default()
    };
    planner.plan(&spec, Mode::Sync(RECORDS as u32)).expect("plan")
}

fn run(rt: &tokio::runtime::Runtime, path: &dyn Generator, plan: &Plan, inputs: &Inputs) -> String {
    rt.block_on(path.generate_reported(plan, inputs, 0..plan.total)).expect("records").0.data
}

fn hybrid(rt: &tokio::runtime::Runtime, rag: RagPath) -> (HybridPath, fault::FaultServer) {
    let stub = rt.block_on(fault::FaultServer::start());
    let config = LlmConfig {
        providers: vec![ProviderConfig::Anthropic {
            base_url: stub.base(),
            api_key: "k".into(),
            model: "claude-test".into(),
            output: StructuredOutput::JsonSchema,
        }],
        timeout: Duration::from_secs(10),
        ..LlmConfig::default()
    };
    let llm = Arc::new(Llm::new(config).expect("LLM generator"));
    (HybridPath::new(llm, rag, THRESHOLD), stub)
}

fn bench(c: &mut Criterion) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let planner = Planner::new(Arc::new(Registry::builtin().expect("registry")), 64, 0.0);
    let rag = RagPath::new(Arc::new(EmbeddedStore::bundled()), 5, THRESHOLD);
    let (hybrid, stub) = hybrid(&rt, rag.clone());
    let (cart, order, review) = (plan(&planner, "cart"), plan(&planner, "order"), plan(&planner, "review"));
    let history = Inputs {
        learn_from_history: true,
        context: "shoppers buying running and fitness gear".into(),
        use_cache: true,
        ..Inputs::default()
    };
    let production = Inputs { production_like: true, use_cache: true, ..Inputs::default() };
    let reviews = Inputs { context: "reviews of running shoes".into(), use_cache: true, ..Inputs::default() };
    let plain = Inputs::default();

    let warm = run(&rt, &hybrid, &review, &reviews);
    let again = run(&rt, &hybrid, &review, &reviews);
    println!(
        "paths/hybrid_review: pools warm after {} model call(s); second run byte-identical: {}",
        stub.calls(),
        warm == again
    );

    let mut group = c.benchmark_group("paths");
    group.throughput(Throughput::Elements(RECORDS));
    group.bench_function("rag_cart", |b| b.iter(|| run(&rt, &rag, &cart, &history)));
    group.bench_function("traditional_cart", |b| b.iter(|| run(&rt, &Traditional, &cart, &plain)));
    group.bench_function("production_like_order", |b| b.iter(|| run(&rt, &rag, &order, &production)));
    group.bench_function("traditional_order", |b| b.iter(|| run(&rt, &Traditional, &order, &plain)));
    group.bench_function("hybrid_review", |b| b.iter(|| run(&rt, &hybrid, &review, &reviews)));
    group.bench_function("traditional_review", |b| b.iter(|| run(&rt, &Traditional, &review, &plain)));
    group.finish();
    stub.stop();
}

criterion_group!(benches, bench);
criterion_main!(benches);
