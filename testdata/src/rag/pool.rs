//! Hybrid text pools (features `rag` + `llm`): the engine writes a record's structure, a
//! language model writes its semantic text fields — once, into pools — and record `i` takes
//! each text from its pool by index. After warm-up Hybrid runs at engine speed and the same
//! request gives the same bytes.
//!
//! * A pool is keyed by (schema, field, context, scenario, examples) ([`TextPool::key`],
//!   `pool:v1:<sha256>`) and stored as a cache [`Entry`] whose records are the texts, in the
//!   generator's cache layers (memory, cassettes, and Redis in the server) — so replicas share
//!   pools.
//! * On a miss, one LLM request asks for [`POOL_SIZE`] records of the schema (seed
//!   [`POOL_SEED`], the context, the scenario description, retrieved patterns as few-shot
//!   examples); every text field of the answer becomes its pool. The answer is validated and
//!   repaired by the LLM path, so each text satisfies its field's rules.
//! * Record `i` of seed `s`: the engine's record, with each non-null text field replaced by
//!   `pool[h mod len]`, `h` the first draw of `Key::root(s, name_key("hybrid.pool"), i)
//!   .field(name_key(field))`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::Schema;
use crate::cache::{Entry, Mode};
use crate::error::GenerateError;
use crate::llm::{Llm, LlmError, Request, Segment, Usage};
use crate::schema::FieldType;
use crate::seed::{Key, Seed, name_key};

/// Texts per pool.
pub const POOL_SIZE: u64 = 50;
/// The seed of pool requests (pools are shared by every seed of a request).
pub const POOL_SEED: u64 = 0x7e57_da7a;

/// Kinds whose values are free text a model writes better than the engine.
const TEXT_KINDS: &[&str] = &["paragraph", "sentence", "words", "catch_phrase"];
/// Field-name words that mark free text.
const TEXT_NAMES: &[&str] =
    &["title", "body", "description", "note", "comment", "message", "text", "summary"];

/// The top-level text fields of `schema` a Hybrid request asks a model for: free fields (not
/// IDs, references, fixed or computed) of a text kind, or plain strings named like text.
pub fn text_fields(schema: &Schema) -> Vec<String> {
    let free: Vec<&str> = schema.free_fields().collect();
    schema
        .def()
        .fields
        .iter()
        .filter(|f| free.contains(&f.name.as_str()) && f.effective_type() == FieldType::String)
        .filter(|f| {
            let kind = f.kind.as_deref();
            kind.is_some_and(|k| TEXT_KINDS.contains(&k))
                || (kind.is_none()
                    && f.format.is_none()
                    && f.values.is_none()
                    && TEXT_NAMES.iter().any(|w| f.name.to_lowercase().contains(w)))
        })
        .map(|f| f.name.clone())
        .collect()
}

/// One field's pool.
#[derive(Debug, Clone, PartialEq)]
pub struct TextPool {
    /// The field.
    pub field: String,
    /// Its texts.
    pub texts: Arc<Entry>,
}

impl TextPool {
    /// The cache key of the pool of `field` of `schema` for a context, a scenario and examples.
    pub fn key(
        schema: &Schema,
        field: &str,
        context: &str,
        scenario: Option<&str>,
        examples: &[Value],
    ) -> String {
        crate::cache::key(
            "pool",
            &json!({
                "schema": schema.to_value(),
                "field": field,
                "context": context,
                "scenario": scenario,
                "examples": examples,
                "size": POOL_SIZE,
            }),
        )
    }
}

/// The pools of one schema (one per text field), ready to fill records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pools {
    /// By field.
    pub pools: Vec<TextPool>,
    /// Tokens spent filling them (0 when every pool came from a cache).
    pub usage: Usage,
    /// Whether every pool came from a cache.
    pub cache_hit: bool,
}

impl Pools {
    /// The pools of `schema`'s text fields: from the generator's cache layers, or made by one
    /// LLM request (then stored).
    pub async fn load(
        llm: &Llm,
        schema: &Schema,
        context: &str,
        scenario: Option<&str>,
        examples: &[Value],
        use_cache: bool,
    ) -> Result<Pools, LlmError> {
        let fields = text_fields(schema);
        let keys: Vec<String> =
            fields.iter().map(|f| TextPool::key(schema, f, context, scenario, examples)).collect();
        let mut found = BTreeMap::new();
        if use_cache && llm.config().mode != Mode::Off {
            for (field, key) in fields.iter().zip(&keys) {
                if let Some((entry, _)) = llm.cache().get(key).await {
                    found.insert(field.clone(), entry);
                }
            }
        }
        if found.len() == fields.len() {
            let pools = fields.into_iter().map(|f| TextPool { texts: found[&f].clone(), field: f }).collect();
            return Ok(Pools { pools, usage: Usage::default(), cache_hit: true });
        }
        let request = Request {
            seed: POOL_SEED,
            segments: vec![Segment { name: "pool", schema, range: 0..POOL_SIZE, scenario }],
            context,
            hints: &[],
            examples,
            edge_cases: false,
            use_cache,
        };
        let answer = llm.run(&request).await?;
        let mut pools = Vec::with_capacity(fields.len());
        for (field, key) in fields.into_iter().zip(keys) {
            let texts: Vec<Value> =
                answer.records.iter().map(|r| r[&field].clone()).filter(Value::is_string).collect();
            let entry = Arc::new(Entry {
                key,
                request: json!({"entity": schema.name(), "pool": field, "context": context, "scenario": scenario}),
                records: texts,
                usage: answer.usage,
                records_repaired: 0,
                fields_repaired: 0,
            });
            if llm.config().mode != Mode::Off {
                llm.cache().put(entry.clone()).await;
            }
            pools.push(TextPool { field, texts: entry });
        }
        Ok(Pools { pools, usage: answer.usage, cache_hit: answer.cache_hit })
    }

    /// Record `index` of `seed`: the engine's, with its text fields from the pools.
    pub fn nth(&self, schema: &Schema, seed: impl Into<Seed>, index: u64) -> Result<Value, GenerateError> {
        let seed = seed.into();
        let mut record = schema.nth(seed, index)?;
        let root = Key::root(seed, name_key("hybrid.pool"), index);
        for pool in &self.pools {
            let texts = &pool.texts.records;
            if texts.is_empty() {
                continue;
            }
            if let Some(slot) = record.get_mut(&pool.field).filter(|v| !v.is_null()) {
                let pick = root.field(name_key(&pool.field)).below(texts.len() as u64) as usize;
                *slot = texts[pick].clone();
            }
        }
        Ok(record)
    }
}
