//! The documents of a pattern store: what was seen before, per domain and entity.
//!
//! One JSON object per line (`kind` says which), e.g.
//!
//! ```json
//! {"kind": "test_data", "id": "cart-fitness", "domain": "ecommerce", "entity": "cart",
//!  "scenario": "fitness_shopping", "description": "Runner restocking gear", "quality": 0.95,
//!  "record": {"items": [{"name": "Running Shoes", "category": "Sports", "quantity": 1, "price": 129.99}]}}
//! {"kind": "defect", "id": "BUG-2024-003", "domain": "ecommerce", "entity": "user",
//!  "description": "Plus-addressed email rejected", "severity": "medium",
//!  "trigger": {"email": "jose+test@example.com", "first_name": "José", "last_name": "O'Brien"}}
//! {"kind": "profile", "id": "cart-prod", "domain": "ecommerce", "entity": "cart",
//!  "description": "Production carts", "fields": {"currency": {"frequencies": {"USD": 0.8, "CAD": 0.2}}}}
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a document holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// An example record of good test data.
    TestData {
        /// The scenario it illustrates (`fitness_shopping`).
        #[serde(default)]
        scenario: String,
        /// How good an example it is, 0..1 (ties in relevance go to the better one).
        #[serde(default = "default_quality")]
        quality: f64,
        /// The record.
        record: Value,
    },
    /// A record that once triggered a bug.
    Defect {
        /// How bad the bug was.
        #[serde(default)]
        severity: Severity,
        /// The fields that triggered it (the rest of the record is the engine's).
        trigger: Value,
    },
    /// Field distributions measured in production (aggregates only, never personal data).
    Profile {
        /// Distribution by field path (`status`, `items.price`, `items` for array lengths).
        fields: BTreeMap<String, FieldProfile>,
    },
}

fn default_quality() -> f64 {
    0.5
}

/// The severity of a defect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Cosmetic.
    Low,
    /// Wrong behaviour with a workaround.
    #[default]
    Medium,
    /// Broken feature.
    High,
    /// Data loss or security.
    Critical,
}

/// The measured distribution of one field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldProfile {
    /// Share of each value (enums, integers with a value list, booleans as `"true"`/`"false"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequencies: Option<BTreeMap<String, f64>>,
    /// Range and median of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantiles: Option<Quantiles>,
    /// Fewest and most elements of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<LengthRange>,
    /// Share of records where the field is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_rate: Option<f64>,
}

/// The observed range and median of a number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantiles {
    /// The smallest value seen (or a low percentile).
    pub min: f64,
    /// The median.
    pub p50: f64,
    /// The largest value seen (or a high percentile).
    pub max: f64,
}

/// Fewest and most elements of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LengthRange {
    /// Fewest.
    pub min: usize,
    /// Most.
    pub max: usize,
}

/// One document of a pattern store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// A stable identifier (`cart-fitness_shopping`, `BUG-2024-003`).
    pub id: String,
    /// The business domain (`ecommerce`).
    pub domain: String,
    /// The entity (`cart`): retrieval never crosses entities.
    pub entity: String,
    /// What it is about, in words (searched).
    #[serde(default)]
    pub description: String,
    /// Its content.
    #[serde(flatten)]
    pub body: Body,
}

/// The three kinds of documents, for queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// [`Body::TestData`].
    TestData,
    /// [`Body::Defect`].
    Defect,
    /// [`Body::Profile`].
    Profile,
}

impl DocumentKind {
    /// `test_data`, `defect` or `profile`.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::TestData => "test_data",
            DocumentKind::Defect => "defect",
            DocumentKind::Profile => "profile",
        }
    }
}

impl Document {
    /// Its kind.
    pub fn kind(&self) -> DocumentKind {
        match self.body {
            Body::TestData { .. } => DocumentKind::TestData,
            Body::Defect { .. } => DocumentKind::Defect,
            Body::Profile { .. } => DocumentKind::Profile,
        }
    }

    /// The record it carries (a test-data record or a defect trigger), if any.
    pub fn record(&self) -> Option<&Value> {
        match &self.body {
            Body::TestData { record, .. } => Some(record),
            Body::Defect { trigger, .. } => Some(trigger),
            Body::Profile { .. } => None,
        }
    }

    /// The text retrieval matches: the description, the scenario and the record's text values.
    pub fn search_text(&self) -> String {
        let mut text = self.description.clone();
        match &self.body {
            Body::TestData { scenario, record, .. } => {
                text.push(' ');
                text.push_str(&scenario.replace('_', " "));
                collect_text(record, &mut text);
            }
            Body::Defect { trigger, severity } => {
                text.push_str(&format!(" defect bug {severity:?}"));
                collect_text(trigger, &mut text);
            }
            Body::Profile { fields } => {
                text.push_str(" production profile distribution");
                for name in fields.keys() {
                    text.push(' ');
                    text.push_str(name);
                }
            }
        }
        text
    }

    /// The tie-breaking quality (test data: its score; defects: by severity; profiles: 1).
    pub fn quality(&self) -> f64 {
        match &self.body {
            Body::TestData { quality, .. } => *quality,
            Body::Defect { severity, .. } => 0.5 + 0.15 * *severity as u8 as f64,
            Body::Profile { .. } => 1.0,
        }
    }
}

/// Appends the string values (and object keys) of `value` to `out`.
fn collect_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push(' ');
            out.push_str(s);
        }
        Value::Array(items) => items.iter().for_each(|v| collect_text(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_text(v, out)),
        _ => {}
    }
}

/// Parses JSONL text (blank lines and `#` comments skipped); errors name the line.
pub fn parse_jsonl(source: &str, text: &str) -> Result<Vec<Document>, super::RagError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(n, line)| {
            let doc: Document = serde_json::from_str(line).map_err(|e| super::RagError::Parse {
                source_name: source.to_owned(),
                line: n + 1,
                message: e.to_string(),
            })?;
            if doc.domain.is_empty() || doc.entity.is_empty() {
                return Err(super::RagError::Parse {
                    source_name: source.to_owned(),
                    line: n + 1,
                    message: "`domain` and `entity` must be non-empty".into(),
                });
            }
            Ok(doc)
        })
        .collect()
}
