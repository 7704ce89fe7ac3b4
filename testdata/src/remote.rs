//! The async client of `testdata-server` (feature `remote`).
//!
//! ```no_run
//! # async fn run() -> Result<(), testdata::remote::RemoteError> {
//! use testdata::remote::{Client, Request};
//!
//! #[derive(serde::Deserialize)]
//! struct Cart { cart_id: String, total: f64 }
//!
//! let mut client = Client::connect("http://127.0.0.1:9091").await?;
//! // Typed: decoded into `Cart` after validation against the server's schema of `cart`.
//! let carts = client.generate::<Cart>(Request::entity("cart").count(10).seed(7)).await?;
//! assert_eq!(carts.records.len(), 10);
//! // Untyped: JSON values, with `_index` and `_scenario`.
//! let values = client.generate_values(Request::entity("user").count(3)).await?;
//! // Streaming, as the server generates.
//! let mut stream = client.stream::<Cart>(Request::entity("cart").count(100_000).seed(7)).await?;
//! while let Some(cart) = stream.next().await {
//!     let cart = cart?;
//! }
//! # Ok(()) }
//! ```
//!
//! # Validation
//!
//! Typed calls validate every record before decoding it into `T`: against the request's own
//! schema when it carries one (`inline_schema`), else against the registered schema of the
//! entity, fetched once per client with `GetSchemas` and cached. Requests with request-level
//! constraints or scenario overrides change the server-side schema, so their records are
//! validated against the unmodified schema only for fields those do not touch (constraints
//! and overrides are not re-applied on the client); use [`Request::skip_validation`] when an
//! override deliberately breaks a rule. `_index` and `_scenario` are dropped before decoding.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tonic::transport::{Channel, Endpoint};

use crate::proto::test_data_service_client::TestDataServiceClient;
use crate::proto::{self, GenerateRequest};
use crate::schema::{Catalogue, SchemaDef};
use crate::{Schema, Seed, Violations};

/// Why a remote call failed.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The URL is not valid or the server cannot be reached.
    #[error("cannot connect to the testdata server: {0}; check the URL and that the server runs")]
    Connect(#[from] tonic::transport::Error),
    /// The server answered with a gRPC status (streams, transport, deadlines).
    #[error("testdata server: {}: {}", .0.code(), .0.message())]
    Status(#[from] tonic::Status),
    /// `GenerateData` failed in-band.
    #[error("testdata server refused the request ({code:?}): {message}")]
    Server {
        /// The error class.
        code: proto::ErrorCode,
        /// The server's sentence.
        message: String,
    },
    /// The server sent data that is not what was asked for.
    #[error("unexpected answer from the testdata server: {0}")]
    Protocol(String),
    /// A record broke the schema's constraints.
    #[error("record {index} is not valid: {violations}")]
    Invalid {
        /// The record's `_index`.
        index: u64,
        /// Every violation.
        violations: Violations,
    },
    /// A record does not decode into the requested type.
    #[error("record {index} does not decode into the requested type: {source}")]
    Decode {
        /// The record's `_index`.
        index: u64,
        /// The serde error.
        source: serde_json::Error,
    },
    /// The schema given or fetched cannot be loaded.
    #[error("schema: {0}")]
    Schema(String),
}

/// A generation request, built fluently; see [`Client::generate`].
#[derive(Debug, Clone, Default)]
pub struct Request {
    inner: GenerateRequest,
    validate: bool,
}

impl Request {
    /// Records of a registered entity (see [`Client::schemas`]).
    pub fn entity(name: impl Into<String>) -> Request {
        Request {
            inner: GenerateRequest { entity: name.into(), count: 1, ..Default::default() },
            validate: true,
        }
    }

    /// Records of a schema given as JSON text (the testdata schema format), for this request only.
    pub fn inline_schema(json: impl Into<String>) -> Request {
        Request {
            inner: GenerateRequest { inline_schema: json.into(), count: 1, ..Default::default() },
            validate: true,
        }
    }

    /// A request from a raw proto message (every field available).
    pub fn from_proto(inner: GenerateRequest) -> Request {
        Request { inner, validate: true }
    }

    /// How many records (default 1; for streams: the whole stream).
    pub fn count(mut self, n: i32) -> Request {
        self.inner.count = n;
        self
    }

    /// The seed (numbers and strings, as [`Seed`]); absent, the server picks one and returns it.
    pub fn seed(mut self, seed: impl Into<Seed>) -> Request {
        self.inner.seed = Some(seed.into().value());
        self
    }

    /// Whether a cached answer of the LLM/RAG/Hybrid paths may be served (default: yes);
    /// `false` asks the provider again and refreshes the cache.
    pub fn use_cache(mut self, on: bool) -> Request {
        self.inner.use_cache = Some(on);
        self
    }

    /// Free-text context for the LLM/RAG/Hybrid paths (quoted into prompts as data).
    pub fn context(mut self, context: impl Into<String>) -> Request {
        self.inner.context = context.into();
        self
    }

    /// The generation method.
    pub fn method(mut self, method: proto::GenerationMethod) -> Request {
        self.inner.generation_method = method as i32;
        self
    }

    /// The output format of [`Client::generate_raw`] (typed calls always use JSON).
    pub fn format(mut self, format: proto::OutputFormat) -> Request {
        self.inner.output_format = format as i32;
        self
    }

    /// A scenario of `count` records with overrides (`path → value text`).
    pub fn scenario<K: Into<String>, V: Into<String>>(
        mut self,
        name: impl Into<String>,
        count: i32,
        overrides: impl IntoIterator<Item = (K, V)>,
    ) -> Request {
        self.inner.scenarios.push(proto::Scenario {
            name: name.into(),
            count,
            overrides: overrides.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
            description: String::new(),
        });
        self
    }

    /// A constraint on a field (dotted path for nested fields).
    pub fn constraint(mut self, path: impl Into<String>, c: proto::FieldConstraint) -> Request {
        self.inner.constraints.get_or_insert_with(Default::default).field_constraints.insert(path.into(), c);
        self
    }

    /// Mix in boundary and hostile values (still inside every constraint).
    pub fn defect_triggering(mut self, on: bool) -> Request {
        self.inner.defect_triggering = on;
        self
    }

    /// Streams: records per chunk.
    pub fn batch_size(mut self, n: i32) -> Request {
        self.inner.batch_size = n;
        self
    }

    /// Streams: start at record `k` (resume).
    pub fn offset(mut self, k: u64) -> Request {
        self.inner.offset = k;
        self
    }

    /// The request id echoed back.
    pub fn request_id(mut self, id: impl Into<String>) -> Request {
        self.inner.request_id = id.into();
        self
    }

    /// Typed calls: do not validate records before decoding.
    pub fn skip_validation(mut self) -> Request {
        self.validate = false;
        self
    }

    /// The proto message.
    pub fn into_proto(self) -> GenerateRequest {
        self.inner
    }
}

/// Records of a `GenerateData` call and how they were made.
#[derive(Debug, Clone)]
pub struct Batch<T> {
    /// The records.
    pub records: Vec<T>,
    /// Seed, path, timing, scenario counts.
    pub metadata: proto::GenerationMetadata,
}

/// A connection to a testdata server. Cheap to clone (one shared HTTP/2 channel).
#[derive(Debug, Clone)]
pub struct Client {
    raw: TestDataServiceClient<Channel>,
    catalogue: Arc<std::sync::Mutex<Option<Arc<Catalogue>>>>,
}

impl Client {
    /// Connects to `url` (e.g. `http://127.0.0.1:9091`).
    pub async fn connect(url: impl Into<String>) -> Result<Client, RemoteError> {
        let channel = Endpoint::from_shared(url.into())?.tcp_nodelay(true).connect().await?;
        Ok(Client::from_channel(channel))
    }

    /// A client over an existing channel.
    pub fn from_channel(channel: Channel) -> Client {
        let raw = TestDataServiceClient::new(channel)
            .max_decoding_message_size(64 * 1024 * 1024)
            .max_encoding_message_size(64 * 1024 * 1024);
        Client { raw, catalogue: Arc::default() }
    }

    /// The raw tonic client (every RPC, proto messages).
    pub fn raw(&self) -> TestDataServiceClient<Channel> {
        self.raw.clone()
    }

    /// `GenerateData` as the server answers it (any output format); an in-band failure is
    /// [`RemoteError::Server`].
    pub async fn generate_raw(&mut self, request: Request) -> Result<proto::GenerateResponse, RemoteError> {
        let response = self.raw.generate_data(request.inner).await?.into_inner();
        if !response.success {
            return Err(RemoteError::Server {
                code: proto::ErrorCode::try_from(response.error_code)
                    .unwrap_or(proto::ErrorCode::Unspecified),
                message: response.error,
            });
        }
        Ok(response)
    }

    /// Untyped records (JSON values with `_index` and `_scenario`).
    pub async fn generate_values(&mut self, request: Request) -> Result<Batch<Value>, RemoteError> {
        let request = request.format(proto::OutputFormat::Json);
        let response = self.generate_raw(request).await?;
        let records: Vec<Value> = serde_json::from_str(&response.data)
            .map_err(|e| RemoteError::Protocol(format!("data is not a JSON array: {e}")))?;
        Ok(Batch { records, metadata: response.metadata.unwrap_or_default() })
    }

    /// Typed records: each validated (see the module docs) and decoded into `T`.
    pub async fn generate<T: DeserializeOwned>(&mut self, request: Request) -> Result<Batch<T>, RemoteError> {
        let checker = self.checker(&request).await?;
        let batch = self.generate_values(request).await?;
        let records =
            batch.records.into_iter().map(|v| decode(v, checker.as_deref())).collect::<Result<_, _>>()?;
        Ok(Batch { records, metadata: batch.metadata })
    }

    /// A stream of untyped records, generated as they are read.
    pub async fn stream_values(&mut self, request: Request) -> Result<RecordStream<Value>, RemoteError> {
        self.open(request, None).await
    }

    /// A stream of typed, validated records, generated as they are read.
    pub async fn stream<T: DeserializeOwned>(
        &mut self,
        request: Request,
    ) -> Result<RecordStream<T>, RemoteError> {
        let checker = self.checker(&request).await?;
        self.open(request, checker).await
    }

    async fn open<T>(
        &mut self,
        request: Request,
        checker: Option<Arc<Schema>>,
    ) -> Result<RecordStream<T>, RemoteError> {
        let inner = request.format(proto::OutputFormat::Jsonl).inner;
        let chunks = self.raw.generate_data_stream(inner).await?.into_inner();
        Ok(RecordStream {
            chunks,
            buffer: VecDeque::new(),
            checker,
            seed: None,
            done: false,
            _t: PhantomData,
        })
    }

    /// The registered schemas (optionally of one domain).
    pub async fn schemas(&mut self, domain: &str) -> Result<Vec<proto::SchemaInfo>, RemoteError> {
        let r = self.raw.get_schemas(proto::GetSchemasRequest { domain: domain.into() }).await?.into_inner();
        Ok(r.schemas)
    }

    /// Every registered schema of the server, loaded as one engine [`Catalogue`] (so `ref`s
    /// between entities resolve); fetched once per client and cached.
    pub async fn catalogue(&mut self) -> Result<Arc<Catalogue>, RemoteError> {
        let cached = self.catalogue.lock().ok().and_then(|c| c.clone());
        if let Some(c) = cached {
            return Ok(c);
        }
        let sources: Vec<(String, String)> = self
            .schemas("")
            .await?
            .into_iter()
            .map(|s| (format!("server:{}", s.name), s.schema_json))
            .collect();
        let mut catalogue = Catalogue::new();
        catalogue.load(sources).map_err(|e| RemoteError::Schema(e.to_string()))?;
        let catalogue = Arc::new(catalogue);
        if let Ok(mut c) = self.catalogue.lock() {
            *c = Some(catalogue.clone());
        }
        Ok(catalogue)
    }

    /// The registered schema of `entity`, as an engine [`Schema`].
    pub async fn schema(&mut self, entity: &str) -> Result<Arc<Schema>, RemoteError> {
        self.catalogue()
            .await?
            .get(entity)
            .cloned()
            .ok_or_else(|| RemoteError::Schema(format!("the server has no entity `{entity}`")))
    }

    /// `HealthCheck`: status and components.
    pub async fn health(&mut self) -> Result<proto::HealthCheckResponse, RemoteError> {
        Ok(self.raw.health_check(proto::HealthCheckRequest {}).await?.into_inner())
    }

    async fn checker(&mut self, request: &Request) -> Result<Option<Arc<Schema>>, RemoteError> {
        if !request.validate {
            return Ok(None);
        }
        let r = &request.inner;
        let touched = r.constraints.as_ref().is_some_and(|c| !c.field_constraints.is_empty())
            || r.scenarios.iter().any(|s| !s.overrides.is_empty());
        if touched {
            return Ok(None);
        }
        if !r.inline_schema.trim().is_empty() {
            let def: SchemaDef =
                serde_json::from_str(&r.inline_schema).map_err(|e| RemoteError::Schema(e.to_string()))?;
            let catalogue = self.catalogue().await?;
            return catalogue
                .compile(def)
                .map(|s| Some(Arc::new(s)))
                .map_err(|e| RemoteError::Schema(e.to_string()));
        }
        let name = r
            .schema
            .as_ref()
            .map(|s| s.predefined_schema.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or(&r.entity);
        if name.is_empty()
            || !r.custom_schema.is_empty()
            || r.schema.as_ref().is_some_and(|s| !s.fields.is_empty())
        {
            return Ok(None);
        }
        let name = name.to_owned();
        self.schema(&name).await.map(Some)
    }
}

/// Drops `_index`/`_scenario`, validates, decodes.
fn decode<T: DeserializeOwned>(mut v: Value, checker: Option<&Schema>) -> Result<T, RemoteError> {
    let mut index = 0;
    if let Value::Object(map) = &mut v {
        index = map.shift_remove("_index").and_then(|i| i.as_u64()).unwrap_or(0);
        map.shift_remove("_scenario");
    }
    if let Some(schema) = checker {
        schema.validate(&v).map_err(|violations| RemoteError::Invalid { index, violations })?;
    }
    serde_json::from_value(v).map_err(|source| RemoteError::Decode { index, source })
}

/// Records of a stream, decoded as chunks arrive; see [`Client::stream`].
#[derive(Debug)]
pub struct RecordStream<T> {
    chunks: tonic::Streaming<proto::DataChunk>,
    buffer: VecDeque<Value>,
    checker: Option<Arc<Schema>>,
    seed: Option<u64>,
    done: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> RecordStream<T> {
    /// The next record, `None` after the final chunk; an error ends the stream.
    pub async fn next(&mut self) -> Option<Result<T, RemoteError>> {
        loop {
            if let Some(v) = self.buffer.pop_front() {
                return Some(decode(v, self.checker.as_deref()));
            }
            if self.done {
                return None;
            }
            match self.chunks.message().await {
                Ok(Some(chunk)) => {
                    self.seed = Some(chunk.seed);
                    if chunk.is_final {
                        self.done = true;
                        continue;
                    }
                    for line in chunk.data.lines().filter(|l| !l.is_empty()) {
                        match serde_json::from_str(line) {
                            Ok(v) => self.buffer.push_back(v),
                            Err(e) => {
                                self.done = true;
                                return Some(Err(RemoteError::Protocol(format!(
                                    "chunk line is not JSON: {e}"
                                ))));
                            }
                        }
                    }
                }
                Ok(None) => {
                    self.done = true;
                    return Some(Err(RemoteError::Protocol(
                        "the stream ended without its final chunk".into(),
                    )));
                }
                Err(status) => {
                    self.done = true;
                    return Some(Err(RemoteError::Status(status)));
                }
            }
        }
    }

    /// The stream's seed (known once the first chunk arrived).
    pub fn seed(&self) -> Option<u64> {
        self.seed
    }
}
