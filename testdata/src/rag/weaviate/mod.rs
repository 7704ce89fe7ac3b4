//! The Weaviate pattern store (feature `weaviate`): the same [`PatternStore`] as the embedded
//! index, over a Weaviate server.
//!
//! * REST for readiness (`GET /v1/.well-known/ready`), collections (`GET`/`POST /v1/schema`:
//!   vectorizer `none`, `entity` and `domain` with `tokenization: field`, so a filter on `cart`
//!   never matches `cart_item`) and batch import (`POST /v1/batch/objects`, [`rest`]).
//! * gRPC `weaviate.v1.Weaviate/Search` for queries ([`search`]): BM25 over the documents'
//!   text, filtered on entity AND domain, `limit` = top k. GraphQL is not used.
//! * One collection per kind of document: `RAG_COLLECTION_PATTERNS` (test data),
//!   `RAG_COLLECTION_DEFECTS`, `RAG_COLLECTION_PROFILES` ([`WeaviateSettings`]).
//! * `WEAVIATE_API_KEY` goes as `Authorization: Bearer …` on REST and as `authorization`
//!   metadata on gRPC.
//!
//! Weaviate itself is not installed where this crate is tested: the tests run the adapter
//! against a local server written from Weaviate's documented API for these calls
//! (`testdata-server/tests/support/weaviate.rs`).

pub mod error;
pub mod object;
pub mod rest;
pub mod search;
pub mod settings;

/// The `weaviate.v1` messages and client (`proto/weaviate/v1/weaviate.proto`, a subset of
/// Weaviate's gRPC API with upstream's names and field numbers).
#[allow(missing_docs, clippy::all)]
pub mod proto {
    tonic::include_proto!("weaviate.v1");
}

use std::sync::Mutex;

use serde_json::json;

pub use error::WeaviateError;
pub use settings::WeaviateSettings;

use super::{Document, DocumentKind, Hit, PatternStore, Query, RagError, SearchFuture};
use rest::Rest;
use search::Grpc;

/// Objects per page when listing a collection.
const PAGE: usize = 1000;

/// Patterns kept in a Weaviate.
#[derive(Debug)]
pub struct WeaviateStore {
    settings: WeaviateSettings,
    rest: Rest,
    grpc: Grpc,
    state: Mutex<LinkState>,
}

/// The outcome of the last call to Weaviate (for health reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// No call yet.
    Unchecked,
    /// The last call succeeded.
    Healthy,
    /// The last call failed: why.
    Failing(String),
}

impl std::fmt::Display for LinkState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkState::Unchecked => f.write_str("not checked yet"),
            LinkState::Healthy => f.write_str("healthy"),
            LinkState::Failing(why) => write!(f, "unavailable: {why}"),
        }
    }
}

impl WeaviateStore {
    /// A store over the Weaviate of `settings`. Nothing is called yet: see
    /// [`WeaviateStore::prepare`].
    pub fn new(settings: WeaviateSettings) -> Result<WeaviateStore, WeaviateError> {
        settings.validate()?;
        let rest = Rest::new(&settings)?;
        let grpc = Grpc::new(&settings)?;
        Ok(WeaviateStore { settings, rest, grpc, state: Mutex::new(LinkState::Unchecked) })
    }

    /// The settings.
    pub fn settings(&self) -> &WeaviateSettings {
        &self.settings
    }

    /// The outcome of the last call.
    pub fn state(&self) -> LinkState {
        self.state.lock().map(|s| s.clone()).unwrap_or(LinkState::Unchecked)
    }

    fn record<T>(&self, outcome: Result<T, WeaviateError>) -> Result<T, WeaviateError> {
        let state = match &outcome {
            Ok(_) => LinkState::Healthy,
            Err(e) => LinkState::Failing(e.to_string()),
        };
        if let Ok(mut s) = self.state.lock() {
            *s = state;
        }
        outcome
    }

    /// Whether Weaviate is ready (`GET /v1/.well-known/ready`).
    pub async fn ready(&self) -> Result<(), WeaviateError> {
        let outcome = self.rest.ready().await;
        self.record(outcome)
    }

    /// Readiness, then the three collections: created when missing, checked when present.
    pub async fn prepare(&self) -> Result<(), WeaviateError> {
        let outcome = async {
            self.rest.ready().await?;
            for (kind, class) in self.settings.collections() {
                let description = format!("testdata {} patterns (docs/rag.md)", kind.name());
                self.rest.ensure_collection(&class, &description).await?;
            }
            Ok(())
        }
        .await;
        self.record(outcome)
    }

    /// Imports `documents` (after [`WeaviateStore::prepare`]); a document whose kind and id
    /// are already stored replaces it. Returns how many were imported.
    pub async fn import(&self, documents: &[Document]) -> Result<usize, WeaviateError> {
        self.prepare().await?;
        let objects = documents
            .iter()
            .map(|doc| {
                let properties = object::properties(doc).map_err(|e| WeaviateError::Decode {
                    call: "import".into(),
                    message: format!("document {}: {e}", doc.id),
                })?;
                Ok(json!({
                    "class": self.settings.collection(doc.kind()),
                    "id": object::object_id(doc),
                    "properties": properties,
                }))
            })
            .collect::<Result<Vec<_>, WeaviateError>>()?;
        let outcome = self.rest.batch_import(&objects).await;
        self.record(outcome)
    }

    /// Every document of `kind`, page by page (cursor on the object UUID).
    pub async fn list(&self, kind: DocumentKind) -> Result<Vec<Document>, WeaviateError> {
        let collection = self.settings.collection(kind);
        let mut documents = Vec::new();
        let mut after = None;
        loop {
            let reply = self.grpc.search(search::page_request(&collection, after.take(), PAGE)).await;
            let page = self.record(reply.and_then(search::decode))?;
            let full = page.len() == PAGE;
            after = page.last().map(|(id, _, _)| id.clone());
            documents.extend(page.into_iter().map(|(_, doc, _)| doc));
            if !full || after.is_none() {
                return Ok(documents);
            }
        }
    }

    /// The top `query.top_k` documents: BM25 hits first, then (when fewer matched) the
    /// entity's best-quality others with score 0 — never another entity's or domain's.
    pub async fn hits(&self, query: &Query) -> Result<Vec<Hit>, WeaviateError> {
        let outcome = self.search_both(query).await;
        self.record(outcome)
    }

    async fn search_both(&self, query: &Query) -> Result<Vec<Hit>, WeaviateError> {
        if query.top_k == 0 {
            return Ok(Vec::new());
        }
        let collection = self.settings.collection(query.kind);
        let mut found = Vec::new();
        if !query.text.trim().is_empty() {
            found = search::decode(self.grpc.search(search::bm25_request(&collection, query)).await?)?;
        }
        if found.len() < query.top_k {
            let limit = query.top_k + found.len();
            let more = search::decode(
                self.grpc.search(search::by_quality_request(&collection, query, limit)).await?,
            )?;
            for (id, doc, _) in more {
                if found.len() >= query.top_k {
                    break;
                }
                if !found.iter().any(|(seen, _, _)| *seen == id) {
                    found.push((id, doc, 0.0));
                }
            }
        }
        found.truncate(query.top_k);
        found
            .into_iter()
            .map(|(_, doc, score)| {
                check_hit(&collection, query, &doc)?;
                Ok(Hit { document: std::sync::Arc::new(doc), score })
            })
            .collect()
    }
}

/// A hit outside the query's entity, domain or kind means the filter did not hold (a
/// collection changed behind the store's back): an error, never another entity's records.
fn check_hit(collection: &str, query: &Query, doc: &Document) -> Result<(), WeaviateError> {
    let domain_ok = query.domain.is_empty() || doc.domain == query.domain;
    if doc.entity == query.entity && domain_ok && doc.kind() == query.kind {
        return Ok(());
    }
    Err(WeaviateError::Schema {
        collection: collection.to_owned(),
        problem: format!(
            "a query for {} `{}` of domain `{}` returned document {} ({} `{}` of domain `{}`), so its \
             `entity`/`domain` filter does not match exactly",
            query.kind.name(),
            query.entity,
            query.domain,
            doc.id,
            doc.kind().name(),
            doc.entity,
            doc.domain
        ),
    })
}

impl PatternStore for WeaviateStore {
    fn name(&self) -> &str {
        "weaviate"
    }

    fn search<'a>(&'a self, query: &'a Query) -> SearchFuture<'a> {
        Box::pin(async move {
            self.hits(query)
                .await
                .map_err(|e| RagError::Store { store: "weaviate".into(), message: e.to_string() })
        })
    }
}
