//! Patterns from history (feature `rag`): a pattern store and the generators that learn
//! from it, all engine work after retrieval.
//!
//! ```
//! use testdata::rag::{EmbeddedStore, Query, DocumentKind, Variations};
//! # let schema = testdata::Schema::from_json(r#"{"name": "cart", "fields": [
//! #   {"name": "cart_id", "type": "string", "format": "CRT-{year}-{random:7}", "unique": true},
//! #   {"name": "items", "type": "array", "min_items": 1, "max_items": 5, "items": {"type": "object", "fields": [
//! #     {"name": "name", "type": "string", "kind": "product_name"},
//! #     {"name": "quantity", "type": "integer", "min": 1, "max": 99},
//! #     {"name": "price", "type": "decimal", "scale": 2, "min": 0.01, "max": 999.99}]}},
//! #   {"name": "created_at", "type": "datetime"}]}"#)?;
//! let store = EmbeddedStore::bundled();
//! let hits = store.search_now(&Query::new("ecommerce", "cart", DocumentKind::TestData, "running shoes fitness"));
//! assert!(hits.iter().all(|h| h.document.entity == "cart"));   // never another entity
//! let variations = Variations::new(&schema, hits.iter().filter_map(|h| h.document.record().cloned()).collect());
//! let cart = variations.nth(7, 0)?.record;                    // the pattern's items, fresh ids and dates
//! schema.validate(&cart).unwrap();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! * [`document`]: the three kinds of documents — test-data patterns (example records with a
//!   quality score), defect patterns (a trigger record, a description, a severity) and
//!   production profiles (field distributions, never raw records).
//! * [`PatternStore`]: one trait; retrieval always filters by domain and entity, ranks by
//!   relevance to the request's text and returns the top `k` ([`top_k_from_env`], `RAG_TOP_K`).
//!   [`EmbeddedStore`] is the in-process BM25 index over the bundled patterns
//!   (`testdata/patterns/*.jsonl`) and any imported JSONL; with the `weaviate` feature,
//!   [`weaviate::WeaviateStore`] keeps them in a Weaviate (REST + gRPC `weaviate.v1`).
//! * [`Variations`] (`learn_from_history`), [`apply_profile`] (`production_like`) and
//!   [`Defects`] (`defect_triggering`): records that keep a pattern's semantics while the
//!   engine owns identity, time and every constraint.

pub mod bundled;
mod compiled;
pub mod defect;
pub mod document;
pub mod embedded;
#[cfg(feature = "llm")]
pub mod pool;
pub mod profile;
pub mod vary;
#[cfg(feature = "weaviate")]
pub mod weaviate;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

pub use defect::Defects;
pub use document::{
    Body, Document, DocumentKind, FieldProfile, LengthRange, Quantiles, Severity, parse_jsonl,
};
pub use embedded::EmbeddedStore;
#[cfg(feature = "llm")]
pub use pool::{Pools, TextPool, text_fields};
pub use profile::apply_profile;
pub use vary::{Variations, Varied, Written};

/// The default number of patterns retrieved (`RAG_TOP_K`).
pub const DEFAULT_TOP_K: usize = 5;

/// `RAG_TOP_K` when set to a positive integer, else [`DEFAULT_TOP_K`].
pub fn top_k_from_env() -> usize {
    std::env::var("RAG_TOP_K")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|k| *k > 0)
        .unwrap_or(DEFAULT_TOP_K)
}

/// A retrieval request.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Only documents of this domain (empty: any domain).
    pub domain: String,
    /// Only documents of this entity.
    pub entity: String,
    /// Only documents of this kind.
    pub kind: DocumentKind,
    /// What the request is about (context, hints, scenario descriptions), ranked by BM25.
    pub text: String,
    /// At most this many hits.
    pub top_k: usize,
}

impl Query {
    /// A query for the top [`DEFAULT_TOP_K`] documents.
    pub fn new(domain: &str, entity: &str, kind: DocumentKind, text: &str) -> Query {
        Query {
            domain: domain.to_owned(),
            entity: entity.to_owned(),
            kind,
            text: text.to_owned(),
            top_k: DEFAULT_TOP_K,
        }
    }

    /// With another `k`.
    pub fn top_k(mut self, k: usize) -> Query {
        self.top_k = k;
        self
    }
}

/// A retrieved document and its relevance.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document.
    pub document: Arc<Document>,
    /// Its BM25 score (0 when no term of the query matched; ties go to the better quality).
    pub score: f32,
}

/// A pattern-store failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RagError {
    /// A JSONL line is not a document.
    #[error("{source_name} line {line}: {message} (each line is one document: see docs/rag.md)")]
    Parse {
        /// The file.
        source_name: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file or directory could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        message: String,
    },
    /// A remote store failed.
    #[error("pattern store {store}: {message}")]
    Store {
        /// The store.
        store: String,
        /// What went wrong.
        message: String,
    },
}

/// The future of [`PatternStore::search`].
pub type SearchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Hit>, RagError>> + Send + 'a>>;

/// A place patterns are retrieved from.
pub trait PatternStore: Send + Sync + std::fmt::Debug {
    /// The store's name (`embedded`, `weaviate`).
    fn name(&self) -> &str;
    /// The top `query.top_k` documents of the query's domain, entity and kind, best first.
    fn search<'a>(&'a self, query: &'a Query) -> SearchFuture<'a>;
}

/// Every document of a JSONL file.
pub fn read_file(path: &Path) -> Result<Vec<Document>, RagError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| RagError::Io { path: path.display().to_string(), message: e.to_string() })?;
    parse_jsonl(&path.display().to_string(), &text)
}

/// Every document of the `*.jsonl` files of a directory, in file-name order.
pub fn read_dir(dir: &Path) -> Result<Vec<Document>, RagError> {
    let io = |e: std::io::Error| RagError::Io { path: dir.display().to_string(), message: e.to_string() };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut documents = Vec::new();
    for file in files {
        documents.extend(read_file(&file)?);
    }
    Ok(documents)
}
