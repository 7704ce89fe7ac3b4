//! Limits on hostile input (see `docs/reliability.md`): the size of a per-request schema, the
//! names the server reserves, and the size of an answer, estimated before it is generated.
//! Each refusal is a sentence naming the limit and the setting that raises it.

use testdata::schema::{FieldDef, SchemaDef};

use crate::error::ServiceError;
use crate::plan::Plan;

/// The keys the server appends to every record (`_index`, `_scenario`).
pub const RESERVED_NAMES: [&str; 2] = ["_index", "_scenario"];

/// Records sampled to estimate the size of an answer.
const SAMPLE_RECORDS: u64 = 3;

/// Settings of the limits on hostile input.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct Limits {
    /// Most fields a per-request schema may have, counting the fields of nested objects and
    /// array elements.
    #[arg(long, env = "MAX_SCHEMA_FIELDS", default_value_t = 10_000)]
    pub max_schema_fields: usize,
    /// Largest HTTP request body, in bytes (gRPC's is MAX_MESSAGE_BYTES).
    #[arg(long, env = "MAX_HTTP_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_http_body_bytes: usize,
    /// Seconds an HTTP client may take to send a request's headers and body; a connection to
    /// either port (HTTP or gRPC) that sends nothing for this long is closed.
    #[arg(long, env = "HTTP_READ_TIMEOUT_SECONDS", default_value_t = 10)]
    pub http_read_timeout_seconds: u64,
    /// Most characters of a request's `context` (the LLM/RAG prompt text).
    #[arg(long, env = "MAX_CONTEXT_CHARS", default_value_t = 20_000)]
    pub max_context_chars: usize,
    /// Most `hints` of a request.
    #[arg(long, env = "MAX_HINTS", default_value_t = 32)]
    pub max_hints: usize,
    /// Most characters of one hint.
    #[arg(long, env = "MAX_HINT_CHARS", default_value_t = 500)]
    pub max_hint_chars: usize,
    /// Most characters of a request constraint's `regex` or `format` template.
    #[arg(long, env = "MAX_PATTERN_CHARS", default_value_t = 1_000)]
    pub max_pattern_chars: usize,
    /// Most `GenerateDataStream` calls open at once from one client address.
    #[arg(long, env = "MAX_STREAMS_PER_CLIENT", default_value_t = 256)]
    pub max_streams_per_client: usize,
    /// Bytes of chunks one stream may hold ahead of its reader (generating or buffered); a
    /// stream whose chunks are larger holds one chunk at a time.
    #[arg(long, env = "STREAM_BUFFER_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub stream_buffer_bytes: usize,
    /// Largest stream chunk, in bytes as estimated: a chunk of `batch_size` records larger
    /// than this carries fewer records (chunks are also at most half of MAX_MESSAGE_BYTES).
    /// Every chunk is held in a few copies on its way out (generated, encoded, queued for
    /// the socket), so this bounds a stream's memory whatever its records' size.
    #[arg(long, env = "STREAM_CHUNK_BYTES", default_value_t = 1024 * 1024)]
    pub stream_chunk_bytes: usize,
    /// Largest compiled program of a regex (a request constraint's `regex`, a per-request
    /// schema's `pattern`), in bytes, as the `regex` crate measures it.
    #[arg(long, env = "MAX_REGEX_BYTES", default_value_t = 1024 * 1024)]
    pub max_regex_bytes: usize,
    /// Largest repetition count in a regex (`{n}`, `{n,m}`: the larger of n and m).
    #[arg(long, env = "MAX_REGEX_REPEAT", default_value_t = 1_000)]
    pub max_regex_repeat: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_schema_fields: 10_000,
            max_http_body_bytes: 2 * 1024 * 1024,
            http_read_timeout_seconds: 10,
            max_context_chars: 20_000,
            max_hints: 32,
            max_hint_chars: 500,
            max_pattern_chars: 1_000,
            max_streams_per_client: 256,
            stream_buffer_bytes: 2 * 1024 * 1024,
            stream_chunk_bytes: 1024 * 1024,
            max_regex_bytes: 1024 * 1024,
            max_regex_repeat: 1_000,
        }
    }
}

/// Refuses a request whose free text is over its limits: `context`, the number and length of
/// `hints`, and the length of constraint `regex`es and `format` templates (the engine bounds
/// what a pattern may generate; this bounds what it must parse).
pub fn check_request(spec: &crate::request::GenerateSpec, limits: &Limits) -> Result<(), ServiceError> {
    let over = |what: String, limit: usize, setting: &str| {
        ServiceError::invalid(format!(
            "{what}, above the limit of {limit} ({setting}); shorten it or raise the limit"
        ))
    };
    let context = spec.context.chars().count();
    if context > limits.max_context_chars {
        return Err(over(
            format!("context has {context} characters"),
            limits.max_context_chars,
            "MAX_CONTEXT_CHARS",
        ));
    }
    if spec.hints.len() > limits.max_hints {
        return Err(over(
            format!("the request has {} hints", spec.hints.len()),
            limits.max_hints,
            "MAX_HINTS",
        ));
    }
    if let Some((i, n)) =
        spec.hints.iter().map(|h| h.chars().count()).enumerate().find(|(_, n)| *n > limits.max_hint_chars)
    {
        return Err(over(format!("hints[{i}] has {n} characters"), limits.max_hint_chars, "MAX_HINT_CHARS"));
    }
    for (path, c) in &spec.constraints {
        for (key, text) in [("regex", &c.regex), ("format", &c.format)] {
            let n = text.as_deref().map_or(0, |t| t.chars().count());
            if n > limits.max_pattern_chars {
                return Err(over(
                    format!("constraint `{path}`: its {key} has {n} characters"),
                    limits.max_pattern_chars,
                    "MAX_PATTERN_CHARS",
                ));
            }
        }
        if let Some(regex) = &c.regex {
            check_regex(&format!("constraint `{path}`: its regex"), regex, limits)?;
        }
    }
    Ok(())
}

/// Refuses a regex with a repetition count above `MAX_REGEX_REPEAT` or a compiled program
/// above `MAX_REGEX_BYTES` (nested repetitions multiply: `(a{1000}){1000}`), before the engine
/// compiles it. Syntax errors are left to the engine, which explains them.
pub fn check_regex(what: &str, source: &str, limits: &Limits) -> Result<(), ServiceError> {
    let Ok(hir) = regex_syntax::Parser::new().parse(source) else { return Ok(()) };
    let repeat = largest_repeat(&hir);
    if repeat > limits.max_regex_repeat {
        return Err(ServiceError::invalid(format!(
            "{what} repeats {repeat} times, above the limit of {} (MAX_REGEX_REPEAT); use smaller repetition \
             counts or raise the limit",
            limits.max_regex_repeat
        )));
    }
    match regex::RegexBuilder::new(source).size_limit(limits.max_regex_bytes).build() {
        Err(regex::Error::CompiledTooBig(limit)) => Err(ServiceError::invalid(format!(
            "{what} compiles to a program larger than {limit} bytes (MAX_REGEX_BYTES); use smaller repetition \
             counts or narrower classes (`[a-z]` rather than `\\w`), or raise the limit"
        ))),
        _ => Ok(()),
    }
}

/// The largest repetition count of a regex (`{n,m}`: m, `{n,}`: n).
fn largest_repeat(hir: &regex_syntax::hir::Hir) -> u32 {
    use regex_syntax::hir::HirKind;
    let mut largest = 0;
    let mut todo = vec![hir];
    while let Some(h) = todo.pop() {
        match h.kind() {
            HirKind::Repetition(r) => {
                largest = largest.max(r.max.unwrap_or(r.min));
                todo.push(&r.sub);
            }
            HirKind::Capture(c) => todo.push(&c.sub),
            HirKind::Concat(items) | HirKind::Alternation(items) => todo.extend(items),
            _ => {}
        }
    }
    largest
}

/// Refuses a schema with a top-level field named like a bookkeeping key (`_index`,
/// `_scenario`): the server adds them to every record, so the output would hold the key twice.
pub fn check_reserved_names(def: &SchemaDef) -> Result<(), String> {
    match def.fields.iter().find(|f| RESERVED_NAMES.contains(&f.name.as_str())) {
        Some(f) => Err(format!(
            "field `{}`: the name is reserved (the server adds `_index` and `_scenario` to every record); \
             rename the field",
            f.name
        )),
        None => Ok(()),
    }
}

/// Refuses a per-request schema with more than `MAX_SCHEMA_FIELDS` fields (nested ones
/// included), a top-level field named like a bookkeeping key, or a `pattern` over the regex
/// limits ([`check_regex`]).
pub fn check_schema(def: &SchemaDef, limits: &Limits) -> Result<(), ServiceError> {
    let max_fields = limits.max_schema_fields;
    check_reserved_names(def).map_err(ServiceError::invalid)?;
    let mut count = 0usize;
    let mut todo: Vec<&FieldDef> = def.fields.iter().collect();
    while let Some(f) = todo.pop() {
        count += 1;
        if count > max_fields {
            return Err(ServiceError::invalid(format!(
                "the schema has more than {max_fields} fields (MAX_SCHEMA_FIELDS, nested fields included); \
                 split it into smaller schemas or raise the limit"
            )));
        }
        if let Some(pattern) = &f.pattern {
            let name = if f.name.is_empty() { "an array element" } else { f.name.as_str() };
            check_regex(&format!("field `{name}`: its pattern"), pattern, limits)?;
        }
        todo.extend(f.fields.iter().flatten());
        todo.extend(f.items.as_deref());
    }
    Ok(())
}

/// The fewest JSON values one record of `fields` holds (arrays at their `min_items`).
fn fewest_values(fields: &[FieldDef]) -> u64 {
    fields.iter().map(fewest_values_of).fold(0, u64::saturating_add)
}

fn fewest_values_of(f: &FieldDef) -> u64 {
    let own = f.fields.as_deref().map_or(1, |members| fewest_values(members).max(1));
    match &f.items {
        Some(item) => {
            let min = f.min_items.unwrap_or(usize::from(f.non_empty)) as u64;
            min.saturating_mul(fewest_values_of(item)).max(1)
        }
        None => own,
    }
}

/// The bytes of one record of `plan` as serialised, estimated from its first records (and,
/// before generating anything, refused when even the fewest values its arrays allow exceed
/// `max_bytes`).
pub fn bytes_per_record(plan: &Plan, max_bytes: usize) -> Result<u64, ServiceError> {
    // Each JSON value takes at least two bytes (`0,`).
    let least = fewest_values(&plan.schema().def().fields).saturating_mul(2);
    if least > max_bytes as u64 {
        return Err(too_large(
            format!("one record holds at least {least} bytes (its arrays' min_items)"),
            max_bytes,
        ));
    }
    let (records, bytes) = plan.json_bytes(0..plan.total.clamp(1, SAMPLE_RECORDS))?;
    // One separator byte a record.
    Ok((bytes + records).div_ceil(records.max(1)).max(1))
}

/// Refuses an answer of `plan` estimated above `max_bytes` (a unary answer is one message);
/// else returns the estimated bytes a record.
pub fn check_answer(plan: &Plan, max_bytes: usize) -> Result<u64, ServiceError> {
    let per_record = bytes_per_record(plan, max_bytes)?;
    let total = per_record.saturating_mul(plan.total);
    if total > max_bytes as u64 {
        return Err(too_large(
            format!(
                "the answer would take about {total} bytes ({per_record} bytes a record × {} records)",
                plan.total
            ),
            max_bytes,
        ));
    }
    Ok(per_record)
}

/// Records per stream chunk: `batch`, fewer when `batch` records would exceed
/// `chunk_bytes` or half the message limit (so a chunk always fits in one message); and the
/// estimated bytes a record.
pub fn chunk_records(
    plan: &Plan,
    batch: u64,
    max_bytes: usize,
    chunk_bytes: usize,
) -> Result<(u64, u64), ServiceError> {
    let per_record = bytes_per_record(plan, max_bytes)?;
    let half_message = (max_bytes as u64 / 2).max(1);
    if per_record > half_message {
        return Err(too_large(format!("one record takes about {per_record} bytes"), max_bytes));
    }
    let budget = half_message.min(chunk_bytes as u64);
    Ok((batch.min(budget / per_record).max(1), per_record))
}

fn too_large(what: String, max_bytes: usize) -> ServiceError {
    ServiceError::invalid(format!(
        "{what}, above the message limit of {max_bytes} bytes (MAX_MESSAGE_BYTES); ask for fewer records, \
         stream them (GenerateDataStream), or give arrays smaller min_items/max_items"
    ))
}

/// The HTTP edge's body limit and read timeout: a `Content-Length` over
/// `MAX_HTTP_BODY_BYTES` is refused at once (before any of the body is read), a body that
/// grows past it or takes longer than `HTTP_READ_TIMEOUT_SECONDS` to arrive is refused when
/// it does; every refusal in the JSON shape of the API's errors.
pub async fn http_body_middleware(
    axum::extract::State(limits): axum::extract::State<Limits>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use http::StatusCode;
    let max = limits.max_http_body_bytes;
    let claimed = req
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if claimed.is_some_and(|n| n > max as u64) {
        return http_refusal(StatusCode::PAYLOAD_TOO_LARGE, &too_large_body(max));
    }
    let (parts, body) = req.into_parts();
    let wait = std::time::Duration::from_secs(limits.http_read_timeout_seconds.max(1));
    let bytes = match tokio::time::timeout(wait, axum::body::to_bytes(body, max)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return http_refusal(StatusCode::PAYLOAD_TOO_LARGE, &too_large_body(max)),
        Err(_) => {
            let msg = format!(
                "the request body did not arrive within {} s (HTTP_READ_TIMEOUT_SECONDS); send it at once",
                wait.as_secs()
            );
            return http_refusal(StatusCode::REQUEST_TIMEOUT, &msg);
        }
    };
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn too_large_body(max: usize) -> String {
    format!(
        "the request body is larger than {max} bytes (MAX_HTTP_BODY_BYTES); send a smaller body, use gRPC \
         (up to MAX_MESSAGE_BYTES), or raise the limit"
    )
}

/// An error answer of the HTTP API (`success=false`, `error`, `error_code`) that closes the
/// connection (the rest of the body is not read).
fn http_refusal(status: http::StatusCode, message: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let code = if status == http::StatusCode::PAYLOAD_TOO_LARGE {
        "RESOURCE_EXHAUSTED"
    } else {
        "DEADLINE_EXCEEDED"
    };
    let body = serde_json::json!({ "success": false, "error": message, "error_code": code });
    let mut resp = (status, axum::Json(body)).into_response();
    resp.headers_mut().insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
    resp
}

/// The deepest nesting serde_json parses (its recursion limit).
pub const MAX_JSON_DEPTH: usize = 128;

/// A caller-facing sentence for a JSON error of `what` (`the body`, `inline_schema`): too
/// deep is said as such, and internal type names (`struct GenerateJson`, `untagged enum
/// SeedJson`, `u8`) are replaced by what the caller wrote.
pub fn json_error(what: &str, e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.contains("recursion limit exceeded") {
        return format!(
            "{what} nests deeper than {MAX_JSON_DEPTH} JSON levels (about 64 nested objects), the most \
             the server parses; flatten it (at line {}, column {})",
            e.line(),
            e.column()
        );
    }
    let readable = text
        .replace("data did not match any variant of untagged enum SeedJson", "a seed is a number or a string")
        .replace("struct GenerateJson", "a GenerateRequest object")
        .replace("struct SchemaDef", "a schema object")
        .replace("struct FieldDef", "a field object")
        .replace("expected u8", "expected an integer from 0 to 255")
        .replace("expected usize", "expected a non-negative integer")
        .replace("expected u32", "expected a non-negative integer below 2^32")
        .replace("expected u64", "expected a non-negative integer below 2^64");
    if e.is_syntax() || e.is_eof() {
        format!("{what} is not valid JSON: {readable}")
    } else {
        format!("{what} is not what was expected: {readable}")
    }
}
