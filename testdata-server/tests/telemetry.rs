//! OpenTelemetry export: an in-test OTLP/gRPC collector receives the span of a `GenerateData`
//! call, and the span joins the caller's trace given in a W3C `traceparent` header; an LLM
//! request's provider calls are spans under it. (Its own test binary: the tracing subscriber
//! is process-global.)
#![cfg(feature = "otlp")]

mod support;

use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use support::fault::FaultServer;
use testdata::llm::provider::openai::ResponseFormat;
use testdata::llm::{LlmConfig, ProviderConfig};
use testdata::proto::test_data_service_client::TestDataServiceClient;
use testdata::proto::{GenerateRequest, GenerationMethod};
use testdata_server::config::Config;
use tokio::sync::mpsc;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

struct Collector(mpsc::UnboundedSender<Vec<Span>>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        let spans = request
            .into_inner()
            .resource_spans
            .into_iter()
            .flat_map(|r| r.scope_spans)
            .flat_map(|s| s.spans)
            .collect();
        let _ = self.0.send(spans);
        Ok(Response::new(ExportTraceServiceResponse { partial_success: None }))
    }
}

fn attr(span: &Span, key: &str) -> Option<String> {
    span.attributes.iter().find(|a| a.key == key).and_then(|a| a.value.as_ref()).and_then(|v| {
        match &v.value {
            Some(AnyValue::StringValue(s)) => Some(s.clone()),
            Some(AnyValue::IntValue(i)) => Some(i.to_string()),
            _ => None,
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generate_data_span_reaches_the_collector_in_the_callers_trace() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector_addr = listener.local_addr().unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(Collector(tx)))
            .serve_with_incoming(TcpIncoming::from(listener).with_nodelay(Some(true))),
    );

    let fault = FaultServer::start().await;
    let mut config = Config::ephemeral();
    config.llm = Some(LlmConfig {
        providers: vec![ProviderConfig::OpenAi {
            base_url: fault.openai_base(),
            api_key: None,
            model: "local-test".into(),
            format: ResponseFormat::JsonSchema,
        }],
        max_batch: 5,
        ..LlmConfig::default()
    });
    config.otlp_endpoint = Some(format!("http://{collector_addr}"));
    let telemetry = testdata_server::telemetry::init(&config).expect("telemetry starts");
    assert!(telemetry.exporting());
    let running = testdata_server::server::start(config).await.unwrap();

    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let parent = "00f067aa0ba902b7";
    let mut client = TestDataServiceClient::connect(format!("http://{}", running.grpc_addr)).await.unwrap();
    let mut request = Request::new(GenerateRequest {
        entity: "user".into(),
        count: 3,
        seed: Some(1),
        ..Default::default()
    });
    request.metadata_mut().insert("traceparent", format!("00-{trace_id}-{parent}-01").parse().unwrap());
    let response = client.generate_data(request).await.unwrap();
    let header_id = response.metadata().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let response = response.into_inner();
    assert!(response.success, "{}", response.error);
    assert_eq!(response.request_id, header_id, "a generated request id is echoed");
    assert_eq!(response.request_id.len(), 36);

    // An LLM request of 12 records: three provider calls (batches of 5, 5, 2).
    let llm_trace = "0af7651916cd43dd8448eb211c80319c";
    let mut request = Request::new(GenerateRequest {
        entity: "review".into(),
        count: 12,
        seed: Some(2),
        generation_method: GenerationMethod::Llm as i32,
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("traceparent", format!("00-{llm_trace}-b7ad6b7169203331-01").parse().unwrap());
    let answer = client.generate_data(request).await.unwrap().into_inner();
    assert!(answer.success, "{}", answer.error);

    tokio::task::spawn_blocking(move || telemetry.shutdown()).await.unwrap();
    let mut spans = Vec::new();
    while let Ok(Some(batch)) = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await {
        spans.extend(batch);
    }
    let generate = |trace: &str| {
        spans
            .iter()
            .find(|s| s.name == "GenerateData" && hex(&s.trace_id) == trace)
            .cloned()
            .unwrap_or_else(|| panic!("a GenerateData span in trace {trace}"))
    };
    let found = generate(trace_id);
    let llm_span = generate(llm_trace);
    assert_eq!(attr(&llm_span, "generation_path").as_deref(), Some("llm"));
    let calls: Vec<&Span> = spans.iter().filter(|s| s.name == "llm.call").collect();
    assert_eq!(calls.len(), 3, "one span per provider call");
    for call in calls {
        assert_eq!(hex(&call.trace_id), llm_trace, "provider calls are in the request's trace");
        // Its parent is the request's span or a span below it.
        let mut parent = call.parent_span_id.clone();
        while parent != llm_span.span_id {
            let up = spans.iter().find(|s| s.span_id == parent).expect("the parent span was exported");
            parent = up.parent_span_id.clone();
        }
        assert_eq!(attr(call, "provider").as_deref(), Some("openai"));
        assert_eq!(attr(call, "model").as_deref(), Some("local-test"));
    }
    assert_eq!(hex(&found.trace_id), trace_id, "the span joins the caller's trace");
    assert_eq!(hex(&found.parent_span_id), parent, "its parent is the caller's span");
    assert_eq!(attr(&found, "request_id").as_deref(), Some(header_id.as_str()));
    assert_eq!(attr(&found, "entity").as_deref(), Some("user"));
    assert_eq!(attr(&found, "generation_path").as_deref(), Some("traditional"));
    assert_eq!(attr(&found, "record_count").as_deref(), Some("3"));
    running.shutdown().await.unwrap();
}
