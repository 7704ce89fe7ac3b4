//! `GET /v1/catalogue`: what the console shows and offers — every registered schema in full
//! (fields, types, kinds, constraints, ID templates, computed rules, references) with a sample
//! record, the generation methods this server has configured, and its limits.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::ConsoleState;
use crate::request::Method;

/// The seed of the sample records (record 0 of this seed).
pub(super) const SAMPLE_SEED: u64 = 1;

/// `GET /v1/catalogue`.
pub(super) async fn catalogue(State(s): State<ConsoleState>) -> Json<Value> {
    let registry = s.service.registry();
    let entities: Vec<Value> = registry
        .schemas()
        .map(|schema| {
            let def = schema.def();
            json!({
                "name": def.name,
                "domain": def.domain.clone().unwrap_or_default(),
                "description": def.description.clone().unwrap_or_default(),
                "origin": registry.origin(&def.name).unwrap_or_default(),
                "schema": serde_json::to_value(def).unwrap_or(Value::Null),
                "sample": schema.nth(SAMPLE_SEED, 0).unwrap_or_else(|e| json!({ "error": e.to_string() })),
            })
        })
        .collect();
    let methods: Vec<&str> = [Method::Traditional, Method::Llm, Method::Rag, Method::Hybrid]
        .into_iter()
        .filter(|m| s.service.router().available(*m))
        .map(Method::proto_name)
        .collect();
    let config = s.service.config();
    Json(json!({
        "entities": entities,
        "sample_seed": SAMPLE_SEED,
        "methods": methods,
        "formats": ["JSON", "CSV", "SQL", "JSONL"],
        "max_sync_records": config.max_sync_records,
        "max_stream_records": config.max_stream_records,
        "grpc_port": s.grpc_port.load(Ordering::Acquire),
        "api_keys_required": !config.api_keys.is_empty(),
        "version": env!("CARGO_PKG_VERSION"),
    }))
}
