//! A local LLM server for tests that speaks both vendor wire formats — Anthropic Messages
//! (`POST /v1/messages`) and OpenAI chat completions (`POST /v1/chat/completions`) — as their
//! documentation describes them, and answers from a script of faults, one per call, then
//! valid answers.
//!
//! A valid answer follows the request: the record count and the JSON Schema of one record
//! are read from the prompt (so every output mode works, prompt-only too), and each record is
//! made from that schema with distinct texts.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

/// What one call gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// A valid answer.
    Ok,
    /// An error status with the vendor's error body; `retry_after` in seconds.
    Status { code: u16, retry_after: Option<&'static str> },
    /// A 429 that says the spend limit is used up (never to be retried).
    SpendLimit,
    /// A valid answer after this delay (past the client's timeout: a timeout).
    Slow(Duration),
    /// The answer cut after this many records and a half, stopped at the token limit.
    Truncated(usize),
    /// Text that is not JSON.
    Garbage,
    /// Records whose values have the wrong types.
    WrongTypes,
    /// Records without their fields.
    MissingFields,
    /// This many records more than asked.
    TooMany(usize),
    /// This many records fewer than asked.
    TooFew(usize),
    /// Every record identical ("John Doe").
    Repeated,
    /// A refusal.
    Refusal,
}

/// The server's shared state.
#[derive(Debug, Default)]
pub struct Script {
    faults: Mutex<VecDeque<Fault>>,
    /// Every request body, in order.
    pub requests: Mutex<Vec<Value>>,
    /// Calls answered.
    pub calls: AtomicUsize,
    /// Delay before every valid answer.
    pub latency: Mutex<Duration>,
    serial: AtomicUsize,
}

/// A running fault server.
#[derive(Debug, Clone)]
pub struct FaultServer {
    /// Its address.
    pub addr: SocketAddr,
    /// Its script.
    pub script: Arc<Script>,
    stop: Arc<tokio::sync::Notify>,
}

impl FaultServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> FaultServer {
        FaultServer::start_on(0).await
    }

    /// Starts a server on `port` of loopback (0: a free one).
    pub async fn start_on(port: u16) -> FaultServer {
        let script = Arc::new(Script::default());
        let app = axum::Router::new()
            .route("/v1/messages", post(anthropic))
            .route("/v1/chat/completions", post(openai))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(tokio::sync::Notify::new());
        let stopped = stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stopped.notified().await })
                .await;
        });
        FaultServer { addr, script, stop }
    }

    /// `http://127.0.0.1:PORT` (Anthropic's base URL).
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/v1` (an OpenAI-compatible base URL).
    pub fn openai_base(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Queues faults for the next calls.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.script.faults.lock().unwrap().extend(faults);
    }

    /// Drops the faults not served yet.
    pub fn clear(&self) {
        self.script.faults.lock().unwrap().clear();
    }

    /// Sets the delay of every valid answer.
    pub fn latency(&self, d: Duration) {
        *self.script.latency.lock().unwrap() = d;
    }

    /// Calls so far.
    pub fn calls(&self) -> usize {
        self.script.calls.load(Ordering::SeqCst)
    }

    /// Stops accepting connections.
    pub fn stop(&self) {
        self.stop.notify_one();
    }
}

/// The user prompt of a request of either format.
fn prompt_of(body: &Value) -> String {
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter(|m| m["role"] == "user")
        .filter_map(|m| m["content"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The count ("exactly N records") and the record schema of a prompt.
fn ask_of(prompt: &str) -> (usize, Value) {
    let count = prompt
        .split("exactly ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let schema = prompt
        .find("JSON Schema of one record")
        .and_then(|at| prompt[at..].find('{').map(|b| at + b))
        .and_then(|start| serde_json::Deserializer::from_str(&prompt[start..]).into_iter::<Value>().next())
        .and_then(Result::ok)
        .unwrap_or(json!({"type": "object", "properties": {}}));
    (count, schema)
}

/// A value of `schema`, distinct per `n`.
fn value_of(schema: &Value, n: usize, name: &str) -> Value {
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        return value_of(&any[0], n, name);
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[n % values.len()].clone();
    }
    let num = |k: &str| schema.get(k).and_then(Value::as_f64);
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let (lo, hi) = (num("minimum").unwrap_or(0.0) as i64, num("maximum").unwrap_or(100.0) as i64);
            json!(lo + (n as i64 % (hi - lo + 1).max(1)))
        }
        Some("number") => {
            let (lo, hi) = (num("minimum").unwrap_or(0.0), num("maximum").unwrap_or(100.0));
            let v = lo + (hi - lo) * ((n % 7) as f64 / 7.0);
            json!((v * 100.0).round() / 100.0)
        }
        Some("boolean") => json!(n.is_multiple_of(2)),
        Some("array") => {
            let k = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
            json!((0..k).map(|j| value_of(&schema["items"], n * 10 + j, name)).collect::<Vec<_>>())
        }
        Some("object") => {
            let mut m = Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (k, s) in props {
                    m.insert(k.clone(), value_of(s, n, k));
                }
            }
            Value::Object(m)
        }
        _ => match schema.get("format").and_then(Value::as_str) {
            Some("date") => json!(format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28)),
            Some("date-time") => {
                json!(format!("2024-{:02}-{:02}T{:02}:00:00Z", 1 + n % 12, 1 + n % 28, n % 24))
            }
            Some("email") => json!(format!("person{n}@example.com")),
            _ => {
                let lo = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
                let hi = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(200) as usize;
                let mut s = format!("Model {name} number {n}: works well and arrived on time.");
                while s.chars().count() < lo {
                    s.push_str(" Really.");
                }
                json!(s.chars().take(hi.max(1)).collect::<String>())
            }
        },
    }
}

/// The entity a prompt asks for (`records of the entity `X``).
fn entity_of(prompt: &str) -> Option<String> {
    let rest = prompt.split("of the entity `").nth(1)?;
    Some(rest.split('`').next()?.to_owned())
}

/// A valid record: a built-in entity's engine record of another seed, with only the fields
/// the record schema asks for; else one made from the schema.
fn valid_record(entity: Option<&str>, schema: &Value, n: usize) -> Value {
    static REGISTRY: std::sync::OnceLock<testdata_server::registry::Registry> = std::sync::OnceLock::new();
    let registry = REGISTRY.get_or_init(|| testdata_server::registry::Registry::builtin().unwrap());
    match (entity.and_then(|e| registry.get(e)), schema.get("properties").and_then(Value::as_object)) {
        (Some(s), Some(props)) => {
            let full = s.nth(1_000_003, n as u64).unwrap();
            Value::Object(props.keys().filter_map(|k| Some((k.clone(), full.get(k)?.clone()))).collect())
        }
        _ => value_of(schema, n, ""),
    }
}

/// The answer text for one call and whether it was cut at the token limit.
fn answer(script: &Script, prompt: &str, fault: &Fault) -> (String, bool) {
    let (count, schema) = ask_of(prompt);
    let entity = entity_of(prompt);
    let base = script.serial.fetch_add(count + 10, Ordering::SeqCst);
    let n = match fault {
        Fault::TooMany(k) => count + k,
        Fault::TooFew(k) => count.saturating_sub(*k),
        _ => count,
    };
    let records: Vec<Value> = (0..n)
        .map(|i| match fault {
            Fault::WrongTypes => {
                let mut r = value_of(&schema, base + i, "");
                if let Value::Object(m) = &mut r {
                    for v in m.values_mut() {
                        *v = match v {
                            Value::String(_) => json!(12345),
                            _ => json!("not the type"),
                        };
                    }
                }
                r
            }
            Fault::MissingFields => json!({}),
            Fault::Repeated => valid_record(entity.as_deref(), &schema, 7),
            _ => valid_record(entity.as_deref(), &schema, base + i),
        })
        .collect();
    let text = json!({ "records": records }).to_string();
    match fault {
        Fault::Garbage => ("Sure! Here are your records: <records>oops</records>".into(), false),
        Fault::Truncated(k) => {
            // Everything up to the middle of record k.
            let whole = json!({ "records": &records[..(*k + 1).min(records.len())] }).to_string();
            let cut = whole.len().saturating_sub(whole.len() / (2 * (*k + 1)).max(1));
            (whole[..cut].to_owned(), true)
        }
        _ => (text, false),
    }
}

fn take_fault(script: &Script) -> Fault {
    script.calls.fetch_add(1, Ordering::SeqCst);
    script.faults.lock().unwrap().pop_front().unwrap_or(Fault::Ok)
}

async fn delay(script: &Script, fault: &Fault) {
    let latency = *script.latency.lock().unwrap();
    let d = if let Fault::Slow(d) = fault { *d } else { latency };
    if !d.is_zero() {
        tokio::time::sleep(d).await;
    }
}

fn error_response(code: u16, retry_after: Option<&str>, body: Value) -> Response {
    let mut headers = HeaderMap::new();
    if let Some(r) = retry_after {
        headers.insert("retry-after", HeaderValue::from_str(r).unwrap());
    }
    (StatusCode::from_u16(code).unwrap(), headers, Json(body)).into_response()
}

fn tokens(text: &str) -> u64 {
    (text.len() / 4) as u64 + 1
}

async fn anthropic(
    State(script): State<Arc<Script>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    script.requests.lock().unwrap().push(body.clone());
    if headers.get("x-api-key").is_none() || headers.get("anthropic-version").is_none() {
        return error_response(
            401,
            None,
            json!({"type": "error", "error": {"type": "authentication_error", "message": "x-api-key header is required"}}),
        );
    }
    let fault = take_fault(&script);
    let kind = |code: u16| match code {
        429 => "rate_limit_error",
        529 => "overloaded_error",
        500 => "api_error",
        _ => "invalid_request_error",
    };
    match &fault {
        Fault::Status { code, retry_after } => {
            return error_response(
                *code,
                *retry_after,
                json!({"type": "error", "error": {"type": kind(*code), "message": format!("scripted {code}")}}),
            );
        }
        Fault::SpendLimit => {
            return error_response(
                429,
                Some("1"),
                json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Your credit balance is too low to access the Anthropic API (spend limit reached)."}}),
            );
        }
        _ => {}
    }
    delay(&script, &fault).await;
    let prompt = prompt_of(&body);
    let (text, cut) = answer(&script, &prompt, &fault);
    let tool = body.get("tool_choice").is_some();
    let (content, stop) = match (&fault, tool) {
        (Fault::Refusal, _) => (json!([{"type": "text", "text": "I can't help with that."}]), "refusal"),
        (_, true) => {
            let input: Value = serde_json::from_str(&text).unwrap_or(json!({}));
            (
                json!([{"type": "tool_use", "id": "toolu_01", "name": body["tool_choice"]["name"], "input": input}]),
                if cut { "max_tokens" } else { "tool_use" },
            )
        }
        (_, false) => (json!([{"type": "text", "text": text}]), if cut { "max_tokens" } else { "end_turn" }),
    };
    let reply = json!({
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": stop,
        "stop_sequence": null,
        "usage": {
            "input_tokens": tokens(&prompt),
            "cache_creation_input_tokens": 3,
            "cache_read_input_tokens": 5,
            "output_tokens": tokens(&text),
        },
    });
    Json(reply).into_response()
}

async fn openai(State(script): State<Arc<Script>>, Json(body): Json<Value>) -> Response {
    script.requests.lock().unwrap().push(body.clone());
    let fault = take_fault(&script);
    match &fault {
        Fault::Status { code, retry_after } => {
            return error_response(
                *code,
                *retry_after,
                json!({"error": {"message": format!("scripted {code}"), "type": "server_error", "param": null, "code": null}}),
            );
        }
        Fault::SpendLimit => {
            return error_response(
                429,
                None,
                json!({"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}),
            );
        }
        _ => {}
    }
    delay(&script, &fault).await;
    let prompt = prompt_of(&body);
    let (text, cut) = answer(&script, &prompt, &fault);
    let (content, refusal, finish) = match &fault {
        Fault::Refusal => (Value::Null, json!("I can't help with that."), "stop"),
        _ => (json!(text), Value::Null, if cut { "length" } else { "stop" }),
    };
    let (p, c) = (tokens(&prompt), tokens(&text));
    Json(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": body["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": refusal}, "logprobs": null, "finish_reason": finish}],
        "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c},
    }))
    .into_response()
}
