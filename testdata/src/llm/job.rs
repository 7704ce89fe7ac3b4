//! One request's generation: batches sized from the schema and the output limit, run
//! concurrently; truncated answers keep their complete records and the rest is asked again;
//! every record is repaired by the engine; a mostly invalid batch is asked again once with the
//! errors; repeated values across the request are repaired.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde_json::Value;

use super::chain::Chain;
use super::error::LlmError;
use super::parse;
use super::prompt::{self, PromptInput, Template};
use super::provider::{Completion, Stop, Usage};
use super::request::{Request, Segment};
use super::schema::{answer_schema, record_schema};

/// Calls one batch may make (truncations, garbage, one re-ask) before the engine fills the rest.
const MAX_CALLS_PER_BATCH: usize = 6;

/// The answer's JSON of a record is about this many characters per token.
const CHARS_PER_TOKEN: usize = 3;

/// What the job needs from the generator.
pub(crate) struct Job<'a> {
    pub chain: &'a Chain,
    pub request: &'a Request<'a>,
    pub max_batch: usize,
    pub max_output_tokens: u32,
    pub concurrency: usize,
}

/// A batch's records and costs.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub records: Vec<Value>,
    /// Per record: whether it needed a repair.
    pub repaired: Vec<bool>,
    pub usage: Usage,
    pub records_repaired: u64,
    pub fields_repaired: u64,
    pub records_filled: u64,
    pub calls: u64,
    pub provider: Option<(String, String)>,
}

/// One attempt's repaired records.
#[derive(Debug, Default)]
struct Repairs {
    records: Vec<Value>,
    /// Per record: whether it needed a repair.
    flags: Vec<bool>,
    fields: u64,
    filled: u64,
    /// Up to ten distinct violation messages, for a re-ask.
    messages: Vec<String>,
}

impl Repairs {
    fn count(&self) -> usize {
        self.flags.iter().filter(|r| **r).count()
    }
}

impl Outcome {
    fn absorb(&mut self, other: Outcome) {
        self.records.extend(other.records);
        self.repaired.extend(other.repaired);
        self.usage.add(other.usage);
        self.records_repaired += other.records_repaired;
        self.fields_repaired += other.fields_repaired;
        self.records_filled += other.records_filled;
        self.calls += other.calls;
        if other.provider.is_some() {
            self.provider = other.provider;
        }
    }
}

/// Estimated output tokens of one record of `segment` (its engine record's JSON, plus a
/// margin for longer model text).
pub(crate) fn tokens_per_record(segment: &Segment<'_>, seed: u64) -> usize {
    let sample = segment.schema.nth(seed, segment.range.start).map(|v| v.to_string().len()).unwrap_or(400);
    (sample * 3 / 2 / CHARS_PER_TOKEN).max(20)
}

impl Job<'_> {
    /// Records per call for `segment`: what fits in 80% of the output limit, at most `max_batch`.
    fn batch_size(&self, segment: &Segment<'_>) -> usize {
        let per = tokens_per_record(segment, self.request.seed);
        (self.max_output_tokens as usize * 4 / 5 / per).clamp(1, self.max_batch.max(1))
    }

    /// The batches: (segment, range), in index order.
    pub fn batches(&self) -> Vec<(usize, Range<u64>)> {
        let mut out = Vec::new();
        for (k, seg) in self.request.segments.iter().enumerate() {
            let size = self.batch_size(seg) as u64;
            let mut start = seg.range.start;
            while start < seg.range.end {
                let end = (start + size).min(seg.range.end);
                out.push((k, start..end));
                start = end;
            }
        }
        out
    }

    /// Runs every batch (up to `concurrency` at once, results in order), then repairs values
    /// repeated across the request.
    pub async fn run(&self) -> Result<Outcome, LlmError> {
        let batches = self.batches();
        let record_schemas: Vec<Value> =
            self.request.segments.iter().map(|s| record_schema(s.schema)).collect();
        let record_schemas = &record_schemas;
        let outcomes: Vec<Outcome> = stream::iter(batches)
            .map(|(k, range)| async move { self.batch(k, &record_schemas[k], range).await })
            .buffered(self.concurrency.max(1))
            .try_collect()
            .await?;
        let mut all = Outcome::default();
        for o in outcomes {
            all.absorb(o);
        }
        self.dedup(&mut all)?;
        Ok(all)
    }

    async fn batch(&self, k: usize, record_schema: &Value, range: Range<u64>) -> Result<Outcome, LlmError> {
        let segment = &self.request.segments[k];
        let n = (range.end - range.start) as usize;
        let template = Template::choose(
            segment.schema,
            self.request.edge_cases,
            !self.request.examples.is_empty(),
            self.request.hints,
        );
        let mut out = Outcome::default();
        let mut best: Option<Repairs> = None;
        let mut errors: Vec<String> = Vec::new();
        let mut calls = 0usize;
        for attempt in 0..2 {
            let mut got: Vec<Value> = Vec::with_capacity(n);
            let mut cap = n;
            while got.len() < n && calls < MAX_CALLS_PER_BATCH {
                let want = (n - got.len()).min(cap);
                let input = PromptInput {
                    schema: segment.schema,
                    record_schema,
                    count: want,
                    scenario: segment.scenario.map(|d| (segment.name, d)),
                    context: self.request.context,
                    hints: self.request.hints,
                    examples: self.request.examples,
                    errors: &errors,
                };
                let completion = Completion {
                    system: prompt::SYSTEM.trim().to_owned(),
                    prompt: prompt::render(template, &input),
                    schema: answer_schema(record_schema, want),
                    max_tokens: self.max_output_tokens,
                };
                let (reply, provider) = self.chain.complete(&completion).await?;
                calls += 1;
                out.calls += 1;
                out.usage.add(reply.usage);
                out.provider = Some((provider.name().to_owned(), provider.model().to_owned()));
                if let Stop::Refusal(reason) = &reply.stop {
                    return Err(LlmError::Refused {
                        provider: provider.name().into(),
                        model: provider.model().into(),
                        reason: reason.clone(),
                    });
                }
                let parsed = parse::records(&reply.text);
                let taken = parsed.records.len().min(want);
                got.extend(parsed.records.into_iter().take(want));
                if reply.stop == Stop::MaxTokens {
                    // Smaller batches from now on: what fitted, or half when nothing did.
                    cap = if taken > 0 { taken } else { (want / 2).max(1) };
                }
            }
            let repairs = self.repair(segment, range.start, &got, n)?;
            let mostly_invalid = repairs.count() * 2 > n;
            let messages = repairs.messages.clone();
            if best.as_ref().is_none_or(|b| repairs.count() < b.count()) {
                best = Some(repairs);
            }
            if attempt == 1 || !mostly_invalid || calls >= MAX_CALLS_PER_BATCH {
                break;
            }
            errors = messages;
        }
        let best = best.unwrap_or_default();
        out.records_repaired = best.count() as u64;
        out.fields_repaired = best.fields;
        out.records_filled = best.filled;
        out.records = best.records;
        out.repaired = best.flags;
        Ok(out)
    }

    /// Repairs `got` as records `first..first + n` (missing ones are filled by the engine).
    fn repair(
        &self,
        segment: &Segment<'_>,
        first: u64,
        got: &[Value],
        n: usize,
    ) -> Result<Repairs, LlmError> {
        let seed = self.request.seed;
        let mut r = Repairs { filled: n.saturating_sub(got.len()) as u64, ..Repairs::default() };
        for i in 0..n {
            let candidate = got.get(i).unwrap_or(&Value::Null);
            let fixed = segment.schema.repair(seed, first + i as u64, candidate)?;
            r.flags.push(fixed.changed());
            if fixed.changed() {
                r.fields += if fixed.replaced {
                    segment.schema.free_fields().count() as u64
                } else {
                    fixed.fields.len() as u64
                };
                if r.messages.len() < 10 {
                    let message = match segment.schema.validate(candidate) {
                        Err(v) => v.0.first().map(|v| v.to_string()).unwrap_or_default(),
                        Ok(()) => "the record was missing".to_owned(),
                    };
                    if !r.messages.contains(&message) {
                        r.messages.push(message);
                    }
                }
            }
            r.records.push(fixed.record);
        }
        Ok(r)
    }

    /// Replaces values of the free text fields ([`crate::Schema::distinct_fields`]) that
    /// repeat an earlier record's, by the engine's value for the later record.
    fn dedup(&self, out: &mut Outcome) -> Result<(), LlmError> {
        let seed = self.request.seed;
        let mut seen: HashMap<String, HashSet<String>> = HashMap::new();
        let mut index = 0usize;
        for segment in &self.request.segments {
            let distinct: Vec<&str> = segment.schema.distinct_fields().collect();
            for i in segment.range.clone() {
                let record = &mut out.records[index];
                index += 1;
                let mut changed = false;
                for field in &distinct {
                    let Some(text) = record.get(*field).and_then(Value::as_str) else { continue };
                    if !seen.entry((*field).to_owned()).or_default().insert(text.to_owned()) {
                        let fresh = segment.schema.field_value(seed, i, field)?;
                        if let Some(s) = fresh.as_str() {
                            seen.entry((*field).to_owned()).or_default().insert(s.to_owned());
                        }
                        record[*field] = fresh;
                        out.fields_repaired += 1;
                        changed = true;
                    }
                }
                if changed {
                    if !out.repaired[index - 1] {
                        out.repaired[index - 1] = true;
                        out.records_repaired += 1;
                    }
                    *record = segment.schema.repair(seed, i, record)?.record;
                }
            }
        }
        Ok(())
    }
}
