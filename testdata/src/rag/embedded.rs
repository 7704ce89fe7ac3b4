//! The in-process pattern store: BM25 over each (domain, entity, kind) partition, so a filter
//! on the entity is the structure of the index, not a clause that can be forgotten.
//!
//! Tokenising and the BM25 term weights of a document come from the `bm25` crate (Unicode
//! word segmentation, English stemming and stop words, `k1` = 1.2, `b` = 0.75); this module
//! keeps the posting lists and ranks term-at-a-time into a score array, so a query that
//! matches every one of 100,000 patterns still costs a pass over their postings and a
//! partial sort of the top k (see `benches/rag.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use bm25::{DefaultTokenizer, Embedder, EmbedderBuilder, Language};

use super::document::{Document, DocumentKind};
use super::{Hit, PatternStore, Query, SearchFuture};

type Partition = (String, String, DocumentKind);

/// The documents of one (domain, entity, kind) and their postings.
struct Index {
    documents: Vec<Arc<Document>>,
    embedder: Embedder<u32, DefaultTokenizer>,
    postings: HashMap<u32, Vec<(u32, f32)>>,
    /// Each document's quality (the tie-breaker).
    quality: Vec<f64>,
    /// Document numbers by quality, best first (what a query matching nothing gets).
    by_quality: Vec<u32>,
}

impl Index {
    fn build(documents: Vec<Arc<Document>>) -> Index {
        let texts: Vec<String> = documents.iter().map(|d| d.search_text()).collect();
        let corpus: Vec<&str> = texts.iter().map(String::as_str).collect();
        let embedder = EmbedderBuilder::<u32, DefaultTokenizer>::with_tokenizer_and_fit_to_corpus(
            DefaultTokenizer::new(Language::English),
            &corpus,
        )
        .build();
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (d, text) in texts.iter().enumerate() {
            let mut seen = BTreeMap::new();
            for token in embedder.embed(text).0 {
                seen.entry(token.index).or_insert(token.value);
            }
            for (token, weight) in seen {
                postings.entry(token).or_default().push((d as u32, weight));
            }
        }
        let quality: Vec<f64> = documents.iter().map(|d| d.quality()).collect();
        let mut by_quality: Vec<u32> = (0..documents.len() as u32).collect();
        by_quality.sort_by(|a, b| {
            quality[*b as usize]
                .total_cmp(&quality[*a as usize])
                .then_with(|| documents[*a as usize].id.cmp(&documents[*b as usize].id))
        });
        Index { documents, embedder, postings, quality, by_quality }
    }

    /// The `k` best documents for `text`: BM25, ties ordered by quality, then by id; when
    /// fewer than `k` match a term, the best-quality others follow (score 0), so the answer
    /// is deterministic and never empty for a non-empty partition.
    fn top(&self, text: &str, k: usize) -> Vec<Hit> {
        let n = self.documents.len() as f32;
        let mut scores = vec![0f32; self.documents.len()];
        let mut matched: Vec<u32> = Vec::new();
        let mut tokens: Vec<u32> = self.embedder.embed(text).indices().copied().collect();
        tokens.sort_unstable();
        tokens.dedup();
        for token in tokens {
            let Some(list) = self.postings.get(&token) else { continue };
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(d, weight) in list {
                let slot = &mut scores[d as usize];
                if *slot == 0.0 {
                    matched.push(d);
                }
                *slot += idf * weight;
            }
        }
        let better = |a: &u32, b: &u32| {
            scores[*b as usize]
                .total_cmp(&scores[*a as usize])
                .then(self.quality[*b as usize].total_cmp(&self.quality[*a as usize]))
                .then_with(|| self.documents[*a as usize].id.cmp(&self.documents[*b as usize].id))
        };
        let k = k.min(self.documents.len());
        if k == 0 {
            return Vec::new();
        }
        if matched.len() > k {
            matched.select_nth_unstable_by(k - 1, better);
            matched.truncate(k);
        }
        matched.sort_unstable_by(better);
        for d in &self.by_quality {
            if matched.len() >= k {
                break;
            }
            if scores[*d as usize] == 0.0 {
                matched.push(*d);
            }
        }
        matched
            .into_iter()
            .map(|d| Hit { document: self.documents[d as usize].clone(), score: scores[d as usize] })
            .collect()
    }
}

/// Patterns indexed in this process: the bundled set ([`EmbeddedStore::bundled`]), plus any
/// imported from JSONL.
pub struct EmbeddedStore {
    partitions: BTreeMap<Partition, Index>,
    len: usize,
}

impl std::fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedStore").field("documents", &self.len).finish()
    }
}

impl EmbeddedStore {
    /// A store over `documents` (a later document with the same id replaces an earlier one).
    pub fn new(documents: impl IntoIterator<Item = Document>) -> EmbeddedStore {
        let mut by_id: BTreeMap<String, Document> = BTreeMap::new();
        for doc in documents {
            by_id.insert(doc.id.clone(), doc);
        }
        let len = by_id.len();
        let mut grouped: BTreeMap<Partition, Vec<Arc<Document>>> = BTreeMap::new();
        for doc in by_id.into_values() {
            let key = (doc.domain.clone(), doc.entity.clone(), doc.kind());
            grouped.entry(key).or_default().push(Arc::new(doc));
        }
        let partitions = grouped.into_iter().map(|(k, docs)| (k, Index::build(docs))).collect();
        EmbeddedStore { partitions, len }
    }

    /// The bundled patterns (`testdata/patterns/*.jsonl`: cart, order, payment, user, review,
    /// product of the `ecommerce` domain).
    pub fn bundled() -> EmbeddedStore {
        EmbeddedStore::new(super::bundled::documents())
    }

    /// The bundled patterns plus `extra` (which replace bundled ones with the same id).
    pub fn bundled_with(extra: impl IntoIterator<Item = Document>) -> EmbeddedStore {
        EmbeddedStore::new(super::bundled::documents().into_iter().chain(extra))
    }

    /// Every document, by domain, entity and kind.
    pub fn documents(&self) -> impl Iterator<Item = &Document> + '_ {
        self.partitions.values().flat_map(|p| p.documents.iter().map(|d| &**d))
    }

    /// How many documents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The hits of `query`, synchronously.
    pub fn search_now(&self, query: &Query) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .partitions
            .iter()
            .filter(|((domain, entity, kind), _)| {
                *entity == query.entity
                    && *kind == query.kind
                    && (query.domain.is_empty() || *domain == query.domain)
            })
            .flat_map(|(_, index)| index.top(&query.text, query.top_k))
            .collect();
        if hits.len() > query.top_k {
            // Several domains matched an empty domain filter: merge their tops.
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.document.id.cmp(&b.document.id)));
            hits.truncate(query.top_k);
        }
        hits
    }
}

impl PatternStore for EmbeddedStore {
    fn name(&self) -> &str {
        "embedded"
    }

    fn search<'a>(&'a self, query: &'a Query) -> SearchFuture<'a> {
        Box::pin(std::future::ready(Ok(self.search_now(query))))
    }
}
