//! A local Weaviate for tests, written from Weaviate's documented API for the calls the
//! pattern store makes (Weaviate itself cannot be installed here):
//!
//! * REST: `GET /v1/.well-known/ready` (200, or 503 while "starting"), `GET /v1/schema/{class}`
//!   (404 when missing), `POST /v1/schema` (a class with `vectorizer` and typed properties,
//!   each with a `tokenization`), `POST /v1/batch/objects` (an array of per-object results,
//!   errors under `result.errors.error[].message`); every call but readiness needs
//!   `Authorization: Bearer <key>` when the stub has a key (else 401).
//! * gRPC `weaviate.v1.Weaviate/Search`: `authorization: Bearer <key>` metadata (else
//!   UNAUTHENTICATED); filters `Equal`/`And`/`Or` on a property, where `Equal` on a
//!   `field`-tokenized text property compares the whole value and on a `word`-tokenized one
//!   matches when the value holds every word of the operand (so `cart` matches `cart_item`
//!   there, as in Weaviate); BM25 (k1 1.2, b 0.75) over the named properties, only objects
//!   matching a term; `sort_by`; the `after` cursor; `limit` (0 → 10, Weaviate's default);
//!   the requested properties as `Properties`/`Value` and `score`.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use testdata::rag::weaviate::WeaviateSettings;
use testdata::rag::weaviate::proto::filter_target::Target;
use testdata::rag::weaviate::proto::filters::{Operator, TestValue};
use testdata::rag::weaviate::proto::{
    Filters, MetadataResult, Properties, PropertiesResult, SearchReply, SearchRequest, SearchResult, value,
};
use testdata_server::pattern_store::weaviate_server_api::weaviate_server::{Weaviate, WeaviateServer};
use tonic::transport::server::TcpIncoming;

/// Everything the stub holds and saw.
#[derive(Debug, Default)]
pub struct Db {
    /// The key every call but readiness must carry.
    pub key: Option<String>,
    /// Whether `/v1/.well-known/ready` answers 200.
    pub ready: bool,
    /// Classes by name.
    pub classes: BTreeMap<String, Value>,
    /// Objects by class, then UUID: their properties.
    pub objects: BTreeMap<String, BTreeMap<String, Value>>,
    /// Every Search request, in order.
    pub searches: Vec<SearchRequest>,
    /// The `authorization` of every REST call and gRPC call, in order (`None`: absent).
    pub rest_auth: Vec<Option<String>>,
    /// Likewise for gRPC.
    pub grpc_auth: Vec<Option<String>>,
}

type Shared = Arc<Mutex<Db>>;

/// A running stub.
pub struct WeaviateStub {
    /// Its state.
    pub db: Shared,
    /// The REST address.
    pub rest: SocketAddr,
    /// The gRPC address.
    pub grpc: SocketAddr,
}

impl WeaviateStub {
    /// Starts a ready stub on free loopback ports, with `key` required when given.
    pub async fn start(key: Option<&str>) -> WeaviateStub {
        let db: Shared =
            Arc::new(Mutex::new(Db { key: key.map(str::to_owned), ready: true, ..Db::default() }));
        let app = axum::Router::new()
            .route("/v1/.well-known/ready", get(ready))
            .route("/v1/schema", post(create_class))
            .route("/v1/schema/{class}", get(get_class))
            .route("/v1/batch/objects", post(batch))
            .with_state(db.clone());
        let rest_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let rest = rest_listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(rest_listener, app).await;
        });
        let grpc_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let grpc = grpc_listener.local_addr().unwrap();
        let service = WeaviateServer::new(GrpcStub { db: db.clone() });
        tokio::spawn(async move {
            let _ = tonic::transport::Server::builder()
                .add_service(service)
                .serve_with_incoming(TcpIncoming::from(grpc_listener).with_nodelay(Some(true)))
                .await;
        });
        WeaviateStub { db, rest, grpc }
    }

    /// `http://127.0.0.1:<rest port>`.
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.rest)
    }

    /// `http://127.0.0.1:<grpc port>`.
    pub fn grpc_url(&self) -> String {
        format!("http://{}", self.grpc)
    }

    /// Adapter settings for this stub, with `key`.
    pub fn settings(&self, key: Option<&str>) -> WeaviateSettings {
        WeaviateSettings {
            grpc_url: Some(self.grpc_url()),
            api_key: key.map(str::to_owned),
            ..WeaviateSettings::new(&self.rest_url())
        }
    }

    /// Makes readiness answer 200 (`true`) or 503.
    pub fn set_ready(&self, ready: bool) {
        self.db.lock().unwrap().ready = ready;
    }

    /// A class as stored.
    pub fn class(&self, name: &str) -> Option<Value> {
        self.db.lock().unwrap().classes.get(name).cloned()
    }

    /// The objects of a class.
    pub fn objects(&self, class: &str) -> Vec<Value> {
        self.db.lock().unwrap().objects.get(class).map(|o| o.values().cloned().collect()).unwrap_or_default()
    }

    /// Every Search request so far.
    pub fn searches(&self) -> Vec<SearchRequest> {
        self.db.lock().unwrap().searches.clone()
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": [{"message": message}]}))).into_response()
}

/// The 401 answer when `Authorization: Bearer <key>` is missing or wrong; records what came.
fn unauthorised(db: &mut Db, headers: &HeaderMap) -> Option<Response> {
    let got = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    db.rest_auth.push(got.clone());
    match &db.key {
        Some(key) if got.as_deref() != Some(&format!("Bearer {key}")) => Some(error(
            StatusCode::UNAUTHORIZED,
            "anonymous access not enabled, please provide an auth scheme",
        )),
        _ => None,
    }
}

async fn ready(State(db): State<Shared>) -> StatusCode {
    if db.lock().unwrap().ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }
}

async fn get_class(State(db): State<Shared>, headers: HeaderMap, Path(class): Path<String>) -> Response {
    let mut db = db.lock().unwrap();
    if let Some(r) = unauthorised(&mut db, &headers) {
        return r;
    }
    match db.classes.get(&class) {
        Some(c) => Json(c.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

const TOKENIZATIONS: [&str; 6] = ["word", "lowercase", "whitespace", "field", "trigram", "gse"];

async fn create_class(
    State(db): State<Shared>,
    headers: HeaderMap,
    Json(mut class): Json<Value>,
) -> Response {
    let mut db = db.lock().unwrap();
    if let Some(r) = unauthorised(&mut db, &headers) {
        return r;
    }
    let Some(name) = class["class"].as_str().map(str::to_owned) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "class name is required");
    };
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "class names start with a capital letter");
    }
    if db.classes.contains_key(&name) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, &format!("class name {name:?} already exists"));
    }
    for p in class["properties"].as_array_mut().into_iter().flatten() {
        let text = p["dataType"] == json!(["text"]);
        match p.get("tokenization").and_then(Value::as_str) {
            Some(t) if !TOKENIZATIONS.contains(&t) => {
                return error(StatusCode::UNPROCESSABLE_ENTITY, &format!("tokenization {t} is not allowed"));
            }
            Some(_) if !text => {
                return error(StatusCode::UNPROCESSABLE_ENTITY, "tokenization is for text only");
            }
            None if text => p["tokenization"] = json!("word"),
            _ => {}
        }
    }
    if class.get("vectorizer").is_none() {
        class["vectorizer"] = json!("none");
    }
    db.classes.insert(name, class.clone());
    Json(class).into_response()
}

async fn batch(State(db): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let mut db = db.lock().unwrap();
    if let Some(r) = unauthorised(&mut db, &headers) {
        return r;
    }
    let mut results = Vec::new();
    for object in body["objects"].as_array().cloned().unwrap_or_default() {
        let class = object["class"].as_str().unwrap_or_default().to_owned();
        let id = object["id"].as_str().unwrap_or_default().to_owned();
        let mut result = object.clone();
        if !db.classes.contains_key(&class) {
            result["result"] =
                json!({"errors": {"error": [{"message": format!("class {class:?} not found in schema")}]}});
        } else if id.len() != 36 {
            result["result"] =
                json!({"errors": {"error": [{"message": format!("id {id:?} is not a UUID")}]}});
        } else {
            db.objects.entry(class).or_default().insert(id, object["properties"].clone());
            result["result"] = json!({});
        }
        results.push(result);
    }
    Json(Value::Array(results)).into_response()
}

struct GrpcStub {
    db: Shared,
}

#[tonic::async_trait]
impl Weaviate for GrpcStub {
    async fn search(
        &self,
        request: tonic::Request<SearchRequest>,
    ) -> Result<tonic::Response<SearchReply>, tonic::Status> {
        let auth = request.metadata().get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let request = request.into_inner();
        let mut db = self.db.lock().unwrap();
        db.grpc_auth.push(auth.clone());
        db.searches.push(request.clone());
        if let Some(key) = &db.key
            && auth.as_deref() != Some(&format!("Bearer {key}"))
        {
            return Err(tonic::Status::unauthenticated(
                "anonymous access not enabled, please provide an auth scheme",
            ));
        }
        let class = db.classes.get(&request.collection).cloned().ok_or_else(|| {
            tonic::Status::not_found(format!("class {} does not exist", request.collection))
        })?;
        let objects = db.objects.get(&request.collection).cloned().unwrap_or_default();
        search(&class, objects, &request).map(tonic::Response::new).map_err(tonic::Status::invalid_argument)
    }
}

/// The tokenization of a text property of `class` (None: not a text property).
fn tokenization<'a>(class: &'a Value, property: &str) -> Option<&'a str> {
    class["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == property)
        .filter(|p| p["dataType"] == json!(["text"]))
        .map(|p| p["tokenization"].as_str().unwrap_or("word"))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn bad(message: impl Into<String>) -> String {
    message.into()
}

fn matches(class: &Value, filter: &Filters, props: &Value) -> Result<bool, String> {
    let operator = Operator::try_from(filter.operator).unwrap_or(Operator::Unspecified);
    match operator {
        Operator::And => filter.filters.iter().try_fold(true, |all, f| Ok(all && matches(class, f, props)?)),
        Operator::Or => filter.filters.iter().try_fold(false, |any, f| Ok(any || matches(class, f, props)?)),
        Operator::Equal => {
            let property = match &filter.target {
                Some(t) => match &t.target {
                    Some(Target::Property(p)) => p.clone(),
                    None => return Err(bad("filter target without a property")),
                },
                None => filter.on.first().cloned().unwrap_or_default(),
            };
            let Some(TestValue::ValueText(operand)) = &filter.test_value else {
                return Err(bad("the stub compares text values only"));
            };
            let tokenization =
                tokenization(class, &property).ok_or_else(|| bad(format!("no text property {property}")))?;
            let value = props[&property].as_str().unwrap_or_default();
            Ok(match tokenization {
                "field" => value.trim() == operand.trim(),
                _ => {
                    let have = words(value);
                    words(operand).iter().all(|w| have.contains(w))
                }
            })
        }
        other => Err(bad(format!("the stub has no operator {other:?}"))),
    }
}

/// BM25 scores of `query` over `properties` of each object (k1 1.2, b 0.75).
fn bm25(objects: &[(String, Value)], query: &str, properties: &[String]) -> Vec<f32> {
    let docs: Vec<Vec<String>> = objects
        .iter()
        .map(|(_, p)| {
            properties.iter().flat_map(|name| words(p[name].as_str().unwrap_or_default())).collect()
        })
        .collect();
    let n = docs.len() as f32;
    let avg = docs.iter().map(Vec::len).sum::<usize>() as f32 / n.max(1.0);
    let mut terms = words(query);
    terms.sort();
    terms.dedup();
    docs.iter()
        .map(|doc| {
            terms
                .iter()
                .map(|t| {
                    let tf = doc.iter().filter(|w| *w == t).count() as f32;
                    let df = docs.iter().filter(|d| d.contains(t)).count() as f32;
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * doc.len() as f32 / avg.max(1.0)))
                })
                .sum()
        })
        .collect()
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.as_str().unwrap_or_default().cmp(b.as_str().unwrap_or_default()),
    }
}

fn search(
    class: &Value,
    objects: BTreeMap<String, Value>,
    request: &SearchRequest,
) -> Result<SearchReply, String> {
    if request.after.is_some() && (request.filters.is_some() || request.bm25_search.is_some()) {
        return Err(bad("`after` cannot be combined with a filter or a search"));
    }
    let mut candidates: Vec<(String, Value)> = Vec::new();
    for (id, props) in objects {
        if let Some(after) = &request.after
            && id <= *after
        {
            continue;
        }
        if let Some(f) = &request.filters
            && !matches(class, f, &props)?
        {
            continue;
        }
        candidates.push((id, props));
    }
    let mut scored: Vec<(String, Value, f32)> = match &request.bm25_search {
        Some(b) => {
            let properties: Vec<String> = if b.properties.is_empty() {
                class["properties"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["dataType"] == json!(["text"]) && p["indexSearchable"] != json!(false))
                    .filter_map(|p| p["name"].as_str().map(str::to_owned))
                    .collect()
            } else {
                b.properties.clone()
            };
            let scores = bm25(&candidates, &b.query, &properties);
            let mut s: Vec<_> = candidates
                .into_iter()
                .zip(scores)
                .filter(|(_, s)| *s > 0.0)
                .map(|((i, p), s)| (i, p, s))
                .collect();
            s.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            s
        }
        None => candidates.into_iter().map(|(i, p)| (i, p, 0.0)).collect(),
    };
    if !request.sort_by.is_empty() {
        scored.sort_by(|a, b| {
            request.sort_by.iter().fold(std::cmp::Ordering::Equal, |order, s| {
                let path = s.path.first().cloned().unwrap_or_default();
                let o = compare(&a.1[&path], &b.1[&path]);
                order.then(if s.ascending { o } else { o.reverse() })
            })
        });
    }
    let limit = if request.limit == 0 { 10 } else { request.limit as usize };
    scored.truncate(limit);
    let wanted = request.properties.clone().unwrap_or_default();
    let want_score = request.metadata.as_ref().is_some_and(|m| m.score);
    let results = scored
        .into_iter()
        .map(|(id, props, score)| {
            let fields: HashMap<String, testdata::rag::weaviate::proto::Value> = props
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| wanted.return_all_nonref_properties || wanted.non_ref_properties.contains(k))
                .map(|(k, v)| {
                    let kind = match v {
                        Value::Number(n) => value::Kind::NumberValue(n.as_f64().unwrap_or_default()),
                        Value::Bool(b) => value::Kind::BoolValue(*b),
                        other => value::Kind::TextValue(other.as_str().unwrap_or_default().to_owned()),
                    };
                    (k.clone(), testdata::rag::weaviate::proto::Value { kind: Some(kind) })
                })
                .collect();
            SearchResult {
                properties: Some(PropertiesResult {
                    target_collection: request.collection.clone(),
                    non_ref_props: Some(Properties { fields }),
                }),
                metadata: Some(MetadataResult {
                    id,
                    score: if want_score { score } else { 0.0 },
                    score_present: want_score,
                }),
            }
        })
        .collect();
    Ok(SearchReply { took: 0.0, results })
}
