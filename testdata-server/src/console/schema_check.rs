//! `POST /v1/schema/check`: compiles a schema (JSON text, the testdata format or the old dict
//! format) against the catalogue exactly as a request's `inline_schema` is compiled, without
//! generating anything, and says what is wrong: the field path and rule, or the line and
//! column of a JSON syntax error.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::ConsoleState;
use crate::registry::parse_schema_value;

/// `POST /v1/schema/check`: 200 `{"valid":true,"schema":<normalised schema>}`, or 400
/// `{"valid":false,"error":…,"path":…,"rule":…,"line":…,"column":…}` (members that do not
/// apply are null).
pub(super) async fn check(State(s): State<ConsoleState>, body: Bytes) -> Response {
    let invalid = |error: String, path: Option<&str>, rule: Option<&str>, at: Option<(usize, usize)>| {
        let body = json!({
            "valid": false,
            "error": error,
            "path": path,
            "rule": rule,
            "line": at.map(|a| a.0),
            "column": at.map(|a| a.1),
        });
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return invalid(format!("not valid JSON: {e}"), None, None, Some((e.line(), e.column())));
        }
    };
    let def = match parse_schema_value(value) {
        Ok(def) => def,
        Err(message) => return invalid(message, None, None, None),
    };
    match s.service.registry().compile(def) {
        Ok(schema) => {
            let normalised = serde_json::to_value(schema.def()).unwrap_or(Value::Null);
            Json(json!({ "valid": true, "schema": normalised })).into_response()
        }
        Err(e) => invalid(e.to_string(), e.path(), e.rule(), None),
    }
}
