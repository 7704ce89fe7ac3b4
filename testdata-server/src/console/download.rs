//! `POST /v1/download`: a whole request as one file, in any format, generated as it is sent.
//!
//! The body is a `GenerateRequest` as JSON (as for `/v1/generate`, with the key in
//! `x-api-key`), or a form with the fields `request` (that JSON) and `api_key`: the console
//! posts a form so that the browser writes the answer straight to a file, whatever its size,
//! without holding it in the page. The records come from the same stream as
//! `GenerateDataStream` (bounded buffer, `MAX_STREAM_RECORDS`), so a download of any size
//! uses flat memory, and its bytes equal the `testdata generate` CLI's for the same request.

use std::net::SocketAddr;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use testdata::export::Format;
use tokio_stream::StreamExt;

use super::ConsoleState;
use crate::error::ServiceError;
use crate::grpc::convert;
use crate::guard::Denied;

/// The largest request body accepted (the request, not the answer).
const MAX_REQUEST_BYTES: usize = 4 << 20;

/// The form the console posts.
#[derive(Debug, Deserialize)]
struct DownloadForm {
    request: String,
    #[serde(default)]
    api_key: String,
}

/// `POST /v1/download`.
pub(super) async fn download(State(s): State<ConsoleState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let Ok(body) = axum::body::to_bytes(body, MAX_REQUEST_BYTES).await else {
        let e = ServiceError::invalid(format!("the request is larger than {MAX_REQUEST_BYTES} bytes"));
        return error(&e);
    };
    let mut headers = parts.headers;
    let json = match request_json(&mut headers, body) {
        Ok(json) => json,
        Err(e) => return error(&e),
    };
    if let Err(d) = s.guard.check(&headers, peer) {
        return denied(&d);
    }
    let spec = match crate::http::spec_from_json(&json) {
        Ok(spec) => spec,
        Err(e) => return error(&e),
    };
    let handle = match s.service.stream_planned(spec.clone(), None, tracing::Span::current()).await {
        Ok(handle) => handle,
        Err(e) => return error(&e),
    };
    let name = if spec.sources.entity.is_empty() { "records" } else { spec.sources.entity.as_str() };
    let file_name = format!("{}-seed{}.{}", safe_file_name(name), handle.seed, extension(spec.format));
    let body = Body::from_stream(file_body(spec.format, handle.chunks));
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(spec.format)));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert("x-testdata-seed", HeaderValue::from(handle.seed));
    response
}

/// The request JSON of a form post (moving its `api_key` into `x-api-key`) or of a JSON body
/// (whatever its content type, as for `/v1/generate`).
fn request_json(headers: &mut HeaderMap, body: Bytes) -> Result<Bytes, ServiceError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // `curl -d '{…}'` labels JSON as a form: a body that opens an object is JSON.
    if !is_form || body.trim_ascii_start().starts_with(b"{") {
        return Ok(body);
    }
    let form: DownloadForm = serde_urlencoded::from_bytes(&body).map_err(|e| {
        ServiceError::invalid(format!(
            "the form needs a `request` field holding a GenerateRequest as JSON: {e}"
        ))
    })?;
    if !form.api_key.is_empty() {
        let key = HeaderValue::from_str(&form.api_key)
            .map_err(|_| ServiceError::invalid("api_key holds characters an API key cannot have"))?;
        headers.insert("x-api-key", key);
    }
    Ok(Bytes::from(form.request))
}

/// The chunks as the bytes of one file: CSV, SQL and JSONL chunks concatenate as they are
/// (a CSV header only in the first); the JSON arrays of the chunks are spliced into one array.
fn file_body(
    format: Format,
    chunks: crate::stream_producer::ChunkReceiver,
) -> impl tokio_stream::Stream<Item = Result<Bytes, std::io::Error>> {
    let mut opened = false;
    chunks.filter_map(move |chunk| match chunk {
        Err(e) => Some(Err(std::io::Error::other(e.to_string()))),
        Ok(chunk) if format != Format::Json => (!chunk.data.is_empty()).then(|| Ok(Bytes::from(chunk.data))),
        Ok(chunk) if chunk.is_final => Some(Ok(Bytes::from_static(if opened { b"]" } else { b"[]" }))),
        Ok(chunk) => {
            let inner =
                chunk.data.trim().strip_prefix('[').and_then(|d| d.strip_suffix(']')).unwrap_or_default();
            if inner.is_empty() {
                return None;
            }
            let mut out = String::with_capacity(inner.len() + 1);
            out.push(if opened { ',' } else { '[' });
            out.push_str(inner);
            opened = true;
            Some(Ok(Bytes::from(out)))
        }
    })
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
        Format::Sql(_) => "sql",
    }
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Jsonl => "application/x-ndjson",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Sql(_) => "application/sql",
    }
}

fn safe_file_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

fn error(e: &ServiceError) -> Response {
    crate::http::response_json(convert::response_err(String::new(), e), Some(e.kind()))
}

fn denied(d: &Denied) -> Response {
    let (status, code) = match d {
        Denied::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
        Denied::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "RESOURCE_EXHAUSTED"),
    };
    let body = serde_json::json!({ "success": false, "error": d.to_string(), "error_code": code });
    (status, Json(body)).into_response()
}
