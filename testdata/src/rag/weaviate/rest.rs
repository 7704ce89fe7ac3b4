//! Weaviate's REST API, for what it does best: readiness (`GET /v1/.well-known/ready`),
//! collections (`GET`/`POST /v1/schema`) and batch import (`POST /v1/batch/objects`).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::error::{WeaviateError, excerpt};
use super::object::{collection_schema, prop};
use super::settings::WeaviateSettings;

/// Objects per `POST /v1/batch/objects`.
pub const BATCH_SIZE: usize = 100;

/// A REST client of one Weaviate.
#[derive(Debug, Clone)]
pub struct Rest {
    client: reqwest::Client,
    base: String,
    api_key: Option<String>,
}

impl Rest {
    /// A client for `settings` (no connection is made yet).
    pub fn new(settings: &WeaviateSettings) -> Result<Rest, WeaviateError> {
        // reqwest's `rustls-no-provider` needs a process-wide crypto provider; a second
        // install is not an error.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| WeaviateError::Settings(format!("the HTTP client could not be built: {e}")))?;
        Ok(Rest { client, base: settings.rest_url().to_owned(), api_key: settings.api_key.clone() })
    }

    /// The REST base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// One call: the status and the body, or a transport error.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, String), WeaviateError> {
        let url = format!("{}{path}", self.base);
        let mut request = self.client.request(method, &url);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let unreachable =
            |e: reqwest::Error| WeaviateError::Unreachable { url: url.clone(), message: e.to_string() };
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let text = response.text().await.map_err(unreachable)?;
        Ok((status, text))
    }

    /// A call that must answer 2xx: its body parsed as JSON.
    async fn expect_ok(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, WeaviateError> {
        let call = format!("{method} {path}");
        let (status, text) = self.call(method, path, body).await?;
        if !status.is_success() {
            return Err(status_error(&call, status, &text));
        }
        serde_json::from_str(&text).map_err(|e| WeaviateError::Decode { call, message: e.to_string() })
    }

    /// `GET /v1/.well-known/ready`: Ok when Weaviate answers 200.
    pub async fn ready(&self) -> Result<(), WeaviateError> {
        let (status, _) = self.call(Method::GET, "/v1/.well-known/ready", None).await?;
        match status.as_u16() {
            200..=299 => Ok(()),
            status => Err(WeaviateError::NotReady { url: self.base.clone(), status }),
        }
    }

    /// Creates collection `class` (vectorizer `none`, `entity`/`domain` with `tokenization:
    /// field`) unless it exists; an existing one is checked to be usable.
    pub async fn ensure_collection(&self, class: &str, description: &str) -> Result<(), WeaviateError> {
        let path = format!("/v1/schema/{class}");
        let (status, text) = self.call(Method::GET, &path, None).await?;
        match status.as_u16() {
            200 => {
                let existing: Value = serde_json::from_str(&text).map_err(|e| WeaviateError::Decode {
                    call: format!("GET {path}"),
                    message: e.to_string(),
                })?;
                check_collection(class, &existing)
            }
            404 => {
                self.expect_ok(Method::POST, "/v1/schema", Some(&collection_schema(class, description)))
                    .await?;
                Ok(())
            }
            _ => Err(status_error(&format!("GET {path}"), status, &text)),
        }
    }

    /// Imports `objects` (`{class, id, properties}`) with `POST /v1/batch/objects`, in
    /// batches of [`BATCH_SIZE`]; an object Weaviate rejects fails the import.
    pub async fn batch_import(&self, objects: &[Value]) -> Result<usize, WeaviateError> {
        let mut failed = 0;
        let mut first = None;
        for chunk in objects.chunks(BATCH_SIZE) {
            let answer =
                self.expect_ok(Method::POST, "/v1/batch/objects", Some(&json!({"objects": chunk}))).await?;
            let results = answer.as_array().ok_or_else(|| WeaviateError::Decode {
                call: "POST /v1/batch/objects".into(),
                message: "the answer is not an array of objects".into(),
            })?;
            for result in results {
                if let Some(message) =
                    result.pointer("/result/errors/error/0/message").and_then(Value::as_str)
                {
                    failed += 1;
                    first.get_or_insert_with(|| message.to_owned());
                }
            }
        }
        match first {
            Some(first) => Err(WeaviateError::Batch { failed, total: objects.len(), first }),
            None => Ok(objects.len()),
        }
    }
}

/// The error of a non-2xx answer.
fn status_error(call: &str, status: StatusCode, body: &str) -> WeaviateError {
    match status.as_u16() {
        401 | 403 => WeaviateError::Unauthorized { call: call.to_owned(), detail: format!("HTTP {status}") },
        code => WeaviateError::Http { call: call.to_owned(), status: code, body: excerpt(body) },
    }
}

/// Whether an existing collection can hold patterns: vectorizer `none`, and exact-match
/// (`field`) tokenization on the properties filtered on.
fn check_collection(class: &str, existing: &Value) -> Result<(), WeaviateError> {
    let problem = |problem: String| WeaviateError::Schema { collection: class.to_owned(), problem };
    let vectorizer = existing.get("vectorizer").and_then(Value::as_str).unwrap_or("none");
    if vectorizer != "none" {
        return Err(problem(format!("its vectorizer is `{vectorizer}`; pattern collections use `none`")));
    }
    let properties = existing.get("properties").and_then(Value::as_array).cloned().unwrap_or_default();
    let find = |name: &str| properties.iter().find(|p| p.get("name").and_then(Value::as_str) == Some(name));
    for name in [prop::DOC_ID, prop::DOMAIN, prop::ENTITY] {
        let Some(p) = find(name) else {
            return Err(problem(format!("it has no `{name}` property (not a testdata pattern collection?)")));
        };
        let tokenization = p.get("tokenization").and_then(Value::as_str).unwrap_or("word");
        if tokenization != "field" {
            return Err(problem(format!(
                "its `{name}` property has tokenization `{tokenization}`, so a filter on `cart` would also \
                 match `cart_item`; it needs `field`"
            )));
        }
    }
    for name in [prop::TEXT, prop::DOCUMENT] {
        if find(name).is_none() {
            return Err(problem(format!("it has no `{name}` property (not a testdata pattern collection?)")));
        }
    }
    Ok(())
}
