//! The in-process pattern store: BM25 over each (domain, entity, kind) partition, so a filter
//! on the entity is the structure of the index, not a clause that can be forgotten.
//!
//! Tokenising and the BM25 term weights of a document come from the `bm25` crate (Unicode
//! word segmentation, English stemming and stop words, `k1` = 1.2, `b` = 0.75). This module
//! keeps, per partition, an inverted index whose postings hold each document's precomputed
//! impact (the term's IDF times its BM25 weight in the document), with documents numbered in
//! tie-break order (quality, then id). A query adds the postings of its terms into a score
//! array and keeps the top `k` of one pass over it in a small heap: no sort of the matches,
//! no string comparison (see `benches/rag.rs`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;

use bm25::{DefaultTokenizer, Embedder, EmbedderBuilder, Language};

use super::document::{Document, DocumentKind};
use super::{Hit, PatternStore, Query, SearchFuture};

type Partition = (String, String, DocumentKind);

/// The documents of one (domain, entity, kind) and their postings.
struct Index {
    /// By rank: quality descending, then id ascending (a document's number is its rank, so a
    /// tie in score goes to the lower number).
    documents: Vec<Arc<Document>>,
    embedder: Embedder<u32, DefaultTokenizer>,
    /// Per term: (document number, IDF × BM25 weight), by document number.
    postings: HashMap<u32, Vec<(u32, f32)>>,
    /// Document numbers by id (the order documents are listed in).
    by_id: Vec<u32>,
}

impl Index {
    fn build(mut documents: Vec<Arc<Document>>) -> Index {
        documents.sort_by(|a, b| b.quality().total_cmp(&a.quality()).then_with(|| a.id.cmp(&b.id)));
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
        let n = documents.len() as f32;
        for list in postings.values_mut() {
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for (_, weight) in list.iter_mut() {
                *weight *= idf;
            }
        }
        let mut by_id: Vec<u32> = (0..documents.len() as u32).collect();
        by_id.sort_by(|a, b| documents[*a as usize].id.cmp(&documents[*b as usize].id));
        Index { documents, embedder, postings, by_id }
    }

    /// The `k` best documents for `text`: BM25, ties (and documents matching no term, score
    /// 0) ordered by quality, then by id, so the answer is deterministic and never empty for a
    /// non-empty partition.
    fn top(&self, text: &str, k: usize) -> Vec<Hit> {
        let k = k.min(self.documents.len());
        if k == 0 {
            return Vec::new();
        }
        let mut scores = vec![0f32; self.documents.len()];
        let mut tokens: Vec<u32> = self.embedder.embed(text).indices().copied().collect();
        tokens.sort_unstable();
        tokens.dedup();
        for list in tokens.iter().filter_map(|t| self.postings.get(t)) {
            for &(d, impact) in list {
                scores[d as usize] += impact;
            }
        }
        // A key orders by score (non-negative: its bits order as the floats do), then by rank.
        let key = |d: usize, score: f32| (u64::from(score.to_bits()) << 32) | u64::from(u32::MAX - d as u32);
        let mut best: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(k + 1);
        for (d, score) in scores.iter().enumerate() {
            let key = key(d, *score);
            if best.len() < k {
                best.push(Reverse(key));
            } else if best.peek().is_some_and(|Reverse(worst)| key > *worst) {
                best.pop();
                best.push(Reverse(key));
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .map(|Reverse(key)| {
                let d = (u32::MAX - key as u32) as usize;
                Hit { document: self.documents[d].clone(), score: scores[d] }
            })
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
        self.partitions.values().flat_map(|p| p.by_id.iter().map(|d| &*p.documents[*d as usize]))
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
