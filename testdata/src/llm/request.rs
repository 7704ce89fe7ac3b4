//! What an LLM request asks for, and what it answers.

use std::ops::Range;

use serde_json::{Value, json};

use super::provider::Usage;
use crate::Schema;

/// A run of records of one scenario (or of no scenario).
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    /// The scenario name (`default` outside scenarios).
    pub name: &'a str,
    /// The schema of its records (the scenario's, with its fixed values).
    pub schema: &'a Schema,
    /// The record indexes.
    pub range: Range<u64>,
    /// The scenario's description, if it is one.
    pub scenario: Option<&'a str>,
}

/// A request: records of one or more segments, with the seed the engine repairs and fills
/// from, and what shapes the prompt.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The seed: engine-owned fields and repairs are record `i` of this seed.
    pub seed: u64,
    /// The segments, in index order.
    pub segments: Vec<Segment<'a>>,
    /// Free-text context (quoted into the prompt as data).
    pub context: &'a str,
    /// Hints (they also choose the template).
    pub hints: &'a [String],
    /// Example records (style reference).
    pub examples: &'a [Value],
    /// Ask for values at the edges of the constraints.
    pub edge_cases: bool,
    /// Allow a cached answer (`false` calls the provider and refreshes the cache).
    pub use_cache: bool,
}

impl<'a> Request<'a> {
    /// Records `0..count` of `schema` for `seed`.
    pub fn new(schema: &'a Schema, seed: impl Into<crate::Seed>, count: u64) -> Request<'a> {
        Request {
            seed: seed.into().value(),
            segments: vec![Segment { name: "default", schema, range: 0..count, scenario: None }],
            context: "",
            hints: &[],
            examples: &[],
            edge_cases: false,
            use_cache: true,
        }
    }

    /// With a free-text context.
    pub fn context(mut self, context: &'a str) -> Request<'a> {
        self.context = context;
        self
    }

    /// With hints.
    pub fn hints(mut self, hints: &'a [String]) -> Request<'a> {
        self.hints = hints;
        self
    }

    /// How many records.
    pub fn count(&self) -> u64 {
        self.segments.iter().map(|s| s.range.end - s.range.start).sum()
    }

    /// The first record's index.
    pub fn first(&self) -> u64 {
        self.segments.first().map_or(0, |s| s.range.start)
    }

    /// The entity name (the first segment's schema).
    pub fn entity(&self) -> &str {
        self.segments.first().map_or("", |s| s.schema.name())
    }

    /// Every input of the answer except the providers and the prompt version, in a fixed
    /// order: the material of the cache key.
    pub fn material(&self) -> Value {
        json!({
            "seed": self.seed,
            "segments": self.segments.iter().map(|s| json!({
                "name": s.name,
                "schema": s.schema.to_value(),
                "start": s.range.start,
                "end": s.range.end,
                "scenario": s.scenario,
            })).collect::<Vec<_>>(),
            "context": self.context,
            "hints": self.hints,
            "examples": self.examples,
            "edge_cases": self.edge_cases,
        })
    }
}

/// An answer: exactly the records asked for, each valid against its segment's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The records, in index order.
    pub records: Vec<Value>,
    /// Tokens spent on this request (0 when served from a cache).
    pub usage: Usage,
    /// Whether the records came from a cache.
    pub cache_hit: bool,
    /// The store that had them (`memory`, `cassettes`, `redis`).
    pub cached_in: Option<String>,
    /// The provider that answered (or recorded the cached answer's chain).
    pub provider: String,
    /// Its model.
    pub model: String,
    /// Records that needed at least one repair.
    pub records_repaired: u64,
    /// Fields repaired across the records.
    pub fields_repaired: u64,
    /// Records the model did not supply, filled by the engine (counted in `records_repaired`).
    pub records_filled: u64,
    /// Provider calls made.
    pub calls: u64,
    /// The cache key.
    pub key: String,
}
