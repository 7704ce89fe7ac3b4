//! HTTP on port 8091 (axum): the old service's health and metrics endpoints with their JSON
//! shapes, plus `POST /v1/generate` and `GET /v1/schemas` for curl users.
//!
//! | route | answer |
//! |---|---|
//! | `GET /health` | `{"status":"healthy","service":…,"version":…,"environment":…}` |
//! | `GET /health/live` | `{"status":"ok"}` |
//! | `GET /health/ready` | `{"status":"ready","grpc_port":N}`, or 503 `{"status":"not_ready","reason":…}` until the registry is loaded and gRPC is serving |
//! | `GET /metrics` | Prometheus (OpenMetrics) text; 404 `Metrics disabled` when `PROMETHEUS_ENABLED=false` |
//! | `POST /v1/generate` | a `GenerateRequest` as JSON (snake_case field names; enums as names or numbers; `seed` may be a string) → the `GenerateResponse` as JSON |
//! | `GET /v1/schemas?domain=` | the `GetSchemas` answer as JSON |
//! | `/`, `/console/*`, `/v1/catalogue`, `/v1/schema/check`, `/v1/download` | the web console ([`crate::console`]) |
//!
//! In the JSON answer of `/v1/generate`, `data` is the array of records when the format is
//! JSON, the text otherwise; `error_code` is the enum name. HTTP status: 200 on success,
//! 400 (invalid argument, count limit), 404 (unknown entity), 422 (failed precondition),
//! 503 (unavailable path), 500 (server fault).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use testdata::proto;

use crate::error::{ErrorKind, ServiceError};
use crate::grpc::convert::{self, TypedField};
use crate::guard::Guard;
use crate::request::{ConstraintSpec, GenerateSpec, ScenarioSpec, SchemaSources};
use crate::service::Service;

/// Shared state of the HTTP routes.
#[derive(Debug, Clone)]
pub struct HttpState {
    service: Arc<Service>,
    grpc_port: Arc<AtomicU16>,
}

impl HttpState {
    /// State over `service`; `grpc_port` is filled in once the gRPC listener is bound.
    pub fn new(service: Arc<Service>, grpc_port: Arc<AtomicU16>) -> HttpState {
        HttpState { service, grpc_port }
    }
}

/// The HTTP routes; `/v1/*` pass through `guard` (API keys, rate limit), the health and
/// metrics routes stay open.
pub fn router(state: HttpState, guard: Arc<Guard>) -> Router {
    let console = crate::console::router(state.service.clone(), state.grpc_port.clone(), guard.clone());
    let limits = state.service.config().limits.clone();
    let api = Router::new()
        .route("/v1/generate", post(generate))
        .route("/v1/schemas", get(schemas))
        .route_layer(axum::middleware::from_fn_with_state(guard, crate::guard::http_middleware));
    Router::new()
        .route("/health", get(health))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
        .merge(api)
        .merge(console)
        .layer(axum::middleware::from_fn_with_state(limits.clone(), crate::limits::http_body_middleware))
        .layer(axum::extract::DefaultBodyLimit::max(limits.max_http_body_bytes))
        .with_state(state)
}

async fn health(State(s): State<HttpState>) -> impl IntoResponse {
    let c = s.service.config();
    let (status, components) = s.service.health();
    axum::Json(json!({
        "status": status,
        "service": c.service_name,
        "version": env!("CARGO_PKG_VERSION"),
        "environment": c.environment,
        "components": components,
    }))
}

async fn live() -> impl IntoResponse {
    axum::Json(json!({"status": "ok"}))
}

async fn ready(State(s): State<HttpState>) -> Response {
    match s.service.readiness().not_ready_reason() {
        None => axum::Json(json!({"status": "ready", "grpc_port": s.grpc_port.load(Ordering::Acquire)}))
            .into_response(),
        Some(reason) => {
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({"status": "not_ready", "reason": reason})))
                .into_response()
        }
    }
}

async fn metrics(State(s): State<HttpState>) -> Response {
    if !s.service.config().prometheus_enabled {
        return (StatusCode::NOT_FOUND, "Metrics disabled").into_response();
    }
    let m = s.service.metrics();
    ([(header::CONTENT_TYPE, crate::metrics::CLASSIC_CONTENT_TYPE)], m.encode()).into_response()
}

/// An enum given by name (case-insensitive) or number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum NameOrNumber {
    Number(i64),
    Name(String),
}

impl NameOrNumber {
    fn resolve(&self, field: &str, names: &[&str]) -> Result<i32, ServiceError> {
        match self {
            NameOrNumber::Number(n) => {
                i32::try_from(*n).map_err(|_| ServiceError::invalid(format!("{field} {n} is out of range")))
            }
            NameOrNumber::Name(s) => {
                names.iter().position(|n| n.eq_ignore_ascii_case(s)).map(|p| p as i32).ok_or_else(|| {
                    ServiceError::invalid(format!(
                        "{field} `{s}` is unknown; use one of {}",
                        names.join(", ")
                    ))
                })
            }
        }
    }
}

/// A seed as a number or a string (hashed like `testdata::Seed::parse`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SeedJson {
    Number(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldJson {
    name: String,
    #[serde(rename = "type")]
    ty: Option<NameOrNumber>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    nested_fields: Vec<FieldJson>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename = "Schema", expecting = "a Schema object", deny_unknown_fields)]
struct SchemaJson {
    #[serde(default)]
    fields: Vec<FieldJson>,
    #[serde(default)]
    predefined_schema: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename = "Constraints", expecting = "a Constraints object", deny_unknown_fields)]
struct ConstraintsJson {
    #[serde(default)]
    field_constraints: BTreeMap<String, ConstraintSpec>,
}

/// `GenerateRequest` as JSON.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct GenerateJson {
    request_id: String,
    domain: String,
    entity: String,
    schema: Option<SchemaJson>,
    constraints: Option<ConstraintsJson>,
    scenarios: Vec<ScenarioSpec>,
    context: String,
    hints: Vec<String>,
    output_format: Option<NameOrNumber>,
    count: i32,
    use_cache: Option<bool>,
    learn_from_history: bool,
    defect_triggering: bool,
    production_like: bool,
    inline_schema: Option<Value>,
    generation_method: Option<NameOrNumber>,
    custom_schema: Option<Value>,
    seed: Option<SeedJson>,
    offset: u64,
    batch_size: i32,
}

const FIELD_TYPES: &[&str] = &[
    "STRING", "INTEGER", "FLOAT", "BOOLEAN", "DATE", "DATETIME", "EMAIL", "PHONE", "ADDRESS", "UUID", "ENUM",
    "OBJECT", "ARRAY",
];

impl TypedField for FieldJson {
    fn name(&self) -> &str {
        &self.name
    }
    fn type_number(&self) -> Result<i32, ServiceError> {
        self.ty.as_ref().map_or(Ok(0), |t| t.resolve("schema.fields[].type", FIELD_TYPES))
    }
    fn required(&self) -> bool {
        self.required
    }
    fn description(&self) -> &str {
        &self.description
    }
    fn nested(&self) -> &[Self] {
        &self.nested_fields
    }
}

/// Every field type named in `fields` and their nested fields (depth first) is known.
fn check_field_types(fields: &[FieldJson]) -> Result<(), ServiceError> {
    for f in fields {
        f.type_number()?;
        check_field_types(&f.nested_fields)?;
    }
    Ok(())
}

/// Schema text given as a JSON string or inline as a JSON object.
fn schema_text(v: Option<Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
    }
}

/// A `GenerateRequest` given as JSON (the body of `POST /v1/generate`), every enum name in it
/// known; [`JsonRequest::into_spec`] makes it the service's request.
#[derive(Debug)]
pub(crate) struct JsonRequest {
    json: GenerateJson,
    output_format: i32,
    generation_method: i32,
}

impl JsonRequest {
    /// The request in the service's terms, with the same rules (and messages) as a gRPC
    /// request's (`grpc::convert`).
    pub(crate) fn into_spec(self) -> Result<GenerateSpec, ServiceError> {
        let JsonRequest { json: j, output_format, generation_method } = self;
        let format = convert::format_from_wire(output_format)?;
        let method = convert::method_from_wire(generation_method)?;
        let schema = j.schema.unwrap_or_default();
        let fields = convert::field_defs(&schema.fields)?;
        Ok(GenerateSpec {
            request_id: j.request_id,
            domain: j.domain,
            sources: SchemaSources {
                inline_schema: schema_text(j.inline_schema),
                custom_schema: schema_text(j.custom_schema),
                fields,
                predefined: schema.predefined_schema,
                entity: j.entity,
            },
            constraints: j.constraints.map(|c| c.field_constraints).unwrap_or_default(),
            scenarios: j.scenarios,
            format,
            count: i64::from(j.count),
            defect_triggering: j.defect_triggering,
            method,
            method_given: generation_method != 0,
            learn_from_history: j.learn_from_history,
            production_like: j.production_like,
            seed: j.seed.map(|s| match s {
                SeedJson::Number(n) => n,
                SeedJson::Text(t) => testdata::Seed::parse(&t).value(),
            }),
            offset: j.offset,
            batch_size: i64::from(j.batch_size),
            context: j.context,
            hints: j.hints,
            use_cache: j.use_cache.unwrap_or(true),
        })
    }
}

fn http_status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::InvalidArgument | ErrorKind::CountLimit => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::FailedPrecondition => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub(crate) fn response_json(r: proto::GenerateResponse, kind: Option<ErrorKind>) -> Response {
    let data = match &r.metadata {
        Some(m) if m.output_format == "json" => {
            serde_json::from_str(&r.data).unwrap_or(Value::String(r.data.clone()))
        }
        _ => Value::String(r.data.clone()),
    };
    let metadata = r.metadata.map(|m| {
        json!({
            "generation_path": m.generation_path,
            "llm_tokens_used": m.llm_tokens_used,
            "generation_time_ms": m.generation_time_ms,
            "coherence_score": m.coherence_score,
            "scenario_counts": m.scenario_counts,
            "seed": m.seed,
            "cache_hit": m.cache_hit,
            "routing_reason": m.routing_reason,
            "fallback": m.fallback,
            "schema_name": m.schema_name,
            "output_format": m.output_format,
            "records_repaired": m.records_repaired,
            "fields_repaired": m.fields_repaired,
            "provider": m.provider,
            "model": m.model,
        })
    });
    let code =
        proto::ErrorCode::try_from(r.error_code).map(|c| c.as_str_name()).unwrap_or("ERROR_CODE_UNSPECIFIED");
    let body = json!({
        "request_id": r.request_id,
        "success": r.success,
        "data": data,
        "record_count": r.record_count,
        "metadata": metadata,
        "error": r.error,
        "error_code": code,
    });
    let status = kind.map_or(StatusCode::OK, http_status);
    (status, axum::Json(body)).into_response()
}

/// Parses the body of `POST /v1/generate` and checks the enum names in it.
pub(crate) fn request_from_json(body: &[u8]) -> Result<JsonRequest, ServiceError> {
    let json = serde_json::from_slice::<GenerateJson>(body).map_err(|e| {
        ServiceError::invalid(format!("{} (see docs/server.md)", crate::limits::json_error("the body", &e)))
    })?;
    if let Some(schema) = &json.schema {
        check_field_types(&schema.fields)?;
    }
    let output_format = json
        .output_format
        .as_ref()
        .map(|f| f.resolve("output_format", &["JSON", "CSV", "SQL", "JSONL"]))
        .transpose()?
        .unwrap_or(0);
    let generation_method = json
        .generation_method
        .as_ref()
        .map(|m| {
            m.resolve("generation_method", &["TRADITIONAL", "LLM", "RAG", "HYBRID", "FORCE_TRADITIONAL"])
        })
        .transpose()?
        .unwrap_or(0);
    Ok(JsonRequest { json, output_format, generation_method })
}

/// The body of `POST /v1/generate` as the service's request (no request id given: none).
pub(crate) fn spec_from_json(body: &[u8]) -> Result<GenerateSpec, ServiceError> {
    request_from_json(body).and_then(JsonRequest::into_spec)
}

async fn generate(State(s): State<HttpState>, body: Bytes) -> Response {
    let mut request = match request_from_json(&body) {
        Ok(r) => r,
        Err(e) => {
            s.service.metrics().error("http_generate", e.kind().label());
            return response_json(convert::response_err(String::new(), &e), Some(e.kind()));
        }
    };
    request.json.request_id = crate::telemetry::request_id_or_new(&request.json.request_id);
    let request_id = request.json.request_id.clone();
    let span =
        crate::telemetry::rpc_span("http_generate", &request_id, &request.json.domain, &request.json.entity);
    let spec = match request.into_spec() {
        Ok(spec) => spec,
        Err(e) => {
            s.service.metrics().error("http_generate", e.kind().label());
            return response_json(convert::response_err(request_id, &e), Some(e.kind()));
        }
    };
    match tracing::Instrument::instrument(s.service.generate(&spec), span).await {
        Ok(g) => response_json(convert::response_ok(request_id, g), None),
        Err(e) => response_json(convert::response_err(request_id, &e), Some(e.kind())),
    }
}

#[derive(Debug, Deserialize)]
struct SchemasQuery {
    #[serde(default)]
    domain: String,
}

async fn schemas(State(s): State<HttpState>, Query(q): Query<SchemasQuery>) -> Response {
    let list: Vec<Value> = s
        .service
        .schemas(&q.domain)
        .into_iter()
        .map(|s| {
            json!({
                "name": s.name,
                "domain": s.domain,
                "description": s.description,
                "fields": s.fields.iter().map(|f| json!({
                    "name": f.name, "type": f.ty, "required": f.required,
                    "description": f.description, "example": f.example,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    axum::Json(json!({ "schemas": list })).into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Constraints and scenarios given as JSON and as the proto message become the same
    /// request: the HTTP edge deserializes into the service's types, the gRPC edge converts.
    #[test]
    fn json_and_proto_constraints_and_scenarios_agree() {
        let json = br#"{
            "entity": "user", "count": 5,
            "constraints": {"field_constraints": {
                "age": {"min": 18, "max": 30.5},
                "email": {"regex": "[a-z]+@x\\.test", "min_length": 5, "max_length": 40,
                          "enum_values": ["a@x.test"], "format": "U-{n}"}
            }},
            "scenarios": [
                {"name": "minors", "count": 2, "overrides": {"age": "12"}, "description": "too young"},
                {"name": "empty"}
            ]
        }"#;
        let proto_request = proto::GenerateRequest {
            entity: "user".into(),
            count: 5,
            constraints: Some(proto::Constraints {
                field_constraints: HashMap::from([
                    (
                        "age".into(),
                        proto::FieldConstraint { min: Some(18.0), max: Some(30.5), ..Default::default() },
                    ),
                    (
                        "email".into(),
                        proto::FieldConstraint {
                            regex: Some("[a-z]+@x\\.test".into()),
                            min_length: Some(5),
                            max_length: Some(40),
                            enum_values: vec!["a@x.test".into()],
                            format: Some("U-{n}".into()),
                            ..Default::default()
                        },
                    ),
                ]),
            }),
            scenarios: vec![
                proto::Scenario {
                    name: "minors".into(),
                    count: 2,
                    overrides: HashMap::from([("age".into(), "12".into())]),
                    description: "too young".into(),
                },
                proto::Scenario { name: "empty".into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let from_json = spec_from_json(json).expect("a valid JSON request");
        let from_proto = convert::spec_from_proto(proto_request).expect("a valid proto request");
        assert_eq!(from_json, from_proto);
        assert_eq!(from_json.constraints["email"].max_length, Some(40));
        assert_eq!(from_json.scenarios[0].overrides["age"], "12");
        assert_eq!(from_json.scenarios[1].count, 0);
    }

    /// Lengths and counts keep the wire's 32 bits, and unknown members are refused, naming
    /// the member.
    #[test]
    fn json_constraints_and_scenarios_keep_the_wire_rules() {
        for (body, needle) in [
            (r#"{"constraints":{"field_constraints":{"a":{"min_length":3000000000}}}}"#, "3000000000"),
            (r#"{"constraints":{"field_constraints":{"a":{"maxlen":3}}}}"#, "maxlen"),
            (r#"{"scenarios":[{"name":"s","count":-3000000000}]}"#, "-3000000000"),
            (r#"{"scenarios":[{"name":"s","cuont":3}]}"#, "cuont"),
        ] {
            let e = spec_from_json(body.as_bytes()).expect_err(body);
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{body}");
            assert!(e.to_string().contains(needle), "{body}: {e}");
        }
    }
}
