//! The serialisable description of a schema: what `docs/schema-format.md` documents.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A whole schema as written in JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaDef {
    /// The entity name (`cart`); also the stream key of its records.
    pub name: String,
    /// The stream key, when it must differ from `name` (e.g. to keep values after a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The business domain (`ecommerce`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// What the entity is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The locale of the kinds (`en`, `fr_FR`, …); the context's locale when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Business rules in prose, for people and LLM prompts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The fields, in output order.
    pub fields: Vec<FieldDef>,
}

/// The type of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Text; a `kind`, `pattern`, `format` or `one_of` shapes it.
    String,
    /// A whole number.
    Integer,
    /// A floating-point number (with `scale`, rounded to that many decimals).
    Float,
    /// An exact decimal number with `scale` decimals (default 2), computed in integer units.
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    Datetime,
    /// A version-4 UUID (shorthand for a string of kind `uuid`).
    Uuid,
    /// An email address (shorthand for a string of kind `email`).
    Email,
    /// A phone number (shorthand for a string of kind `phone`).
    Phone,
    /// A coherent postal address object: `street`, `city`, `state`, `zip`, `country`.
    Address,
    /// One of `values` (strings, numbers or booleans).
    Enum,
    /// A nested object with its own `fields`.
    Object,
    /// A list of `items`.
    Array,
    /// Any JSON value (free-form; generated as an empty object unless `value` is given).
    Json,
}

/// A field, or the element description of an array (`items`, whose `name` is ignored).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The field name (the key in the record).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The type; inferred from the other keys when absent (`fields` → object, `items` →
    /// array, `values` → enum, `kind` → string, else string).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<FieldType>,
    /// A semantic kind (`email`, `city`, `product_name`, `price`, …); inferred from the name
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What the field means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Example values, for people and LLM prompts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
    /// Probability that the value is `null` (0 when absent). `required: false` alone means 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<f64>,
    /// `false` makes the field optional with probability 0.1 unless `optional` says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Inclusive lower bound (number, or ISO date/timestamp, or `now`/`-30d`/`+2h` relative to
    /// the reference instant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    /// Inclusive upper bound (same forms as `min`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    /// Exclusive lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_min: Option<Value>,
    /// Exclusive upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_max: Option<Value>,
    /// Fewest characters of a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    /// Most characters of a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Fewest elements of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// Most elements of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// Strings and arrays must not be empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_empty: bool,
    /// A regular expression the whole string matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// An ID template such as `ORD-{year}-{digits:7}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The allowed values (`enum` type, or a restriction of a string/number field).
    #[serde(default, alias = "one_of", skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
    /// Relative weights of `values` (same length).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<u32>>,
    /// No two records of a stream share the value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// Total significant digits of a decimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<u8>,
    /// Digits after the decimal point (decimal default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u8>,
    /// Probability of `true` for a boolean (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// This date/timestamp is at or after the named sibling field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// This date/timestamp is at or before the named sibling field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// With `after`/`before`: the largest gap to the other field (`30d`, `12h`, seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_gap: Option<Value>,
    /// A fixed value for every record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// A value computed from other fields (cart subtotal, tax, total, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute: Option<Compute>,
    /// The members of an object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldDef>>,
    /// The element of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<FieldDef>>,
    /// The locale of this field's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Present (never `null`) exactly when a sibling has one of the listed values, `null`
    /// otherwise — e.g. `delivered_at` only for delivered orders. Overrides `optional`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present_if: Option<Condition>,
    /// A number at most the named sibling's value (e.g. `reserved` ≤ `quantity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<String>,
    /// A number at least the named sibling's value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<String>,
    /// A value of another entity of the same catalogue and seed: the field `field` of record
    /// `j` of `entity`, with `j` drawn from `0..count` (the referenced dataset's size).
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
}

/// A condition on a sibling field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The sibling field.
    pub field: String,
    /// The values for which the condition holds.
    #[serde(rename = "in")]
    pub values: Vec<Value>,
}

/// A reference to a field of another entity (see [`FieldDef::reference`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The referenced entity (schema name).
    pub entity: String,
    /// Its field whose value is copied (a top-level field).
    pub field: String,
    /// The size of the referenced dataset: record `j < count` is referenced.
    pub count: u64,
}

impl FieldDef {
    /// The field's type: `type` when given, else `object` with `fields`, `array` with `items`,
    /// `enum` with `values`, `decimal` with `compute`, otherwise `string`.
    pub fn effective_type(&self) -> FieldType {
        match self.ty {
            Some(t) => t,
            None if self.fields.is_some() => FieldType::Object,
            None if self.items.is_some() => FieldType::Array,
            None if self.values.is_some() => FieldType::Enum,
            None if self.compute.is_some() => FieldType::Decimal,
            None => FieldType::String,
        }
    }
}

/// A computed field: a rule over sibling fields, evaluated exactly in integer units of the
/// field's scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Compute {
    /// `Σ array[i].a × array[i].b × …` — e.g. a cart subtotal:
    /// `{"sum_product": {"array": "items", "fields": ["quantity", "price"]}}`.
    SumProduct {
        /// The sibling array.
        array: String,
        /// The members of each element multiplied together.
        fields: Vec<String>,
    },
    /// `of × rate / 100`, rounded half away from zero to the field's scale — e.g. tax:
    /// `{"percent": {"of": "subtotal", "rate": 8}}`.
    Percent {
        /// The sibling field.
        of: String,
        /// The percentage (may have decimals, e.g. 8.25).
        rate: f64,
    },
    /// The sum of sibling fields — e.g. `{"sum": ["subtotal", "tax"]}`.
    Sum(Vec<String>),
    /// The first field minus the others — e.g. `{"difference": ["on_hand", "reserved"]}`.
    Difference(Vec<String>),
    /// The product of sibling fields — e.g. `{"product": ["quantity", "unit_price"]}`.
    Product(Vec<String>),
    /// A copy of another field (`"copy": "shipping_address"`).
    Copy(String),
    /// A label chosen by where a number falls among thresholds — e.g. a loyalty tier from the
    /// lifetime value: `{"bucket": {"of": "lifetime_value", "thresholds": [500, 2000],
    /// "values": ["bronze", "silver", "gold"]}}` (one more value than thresholds; a value
    /// equal to a threshold goes to the upper bucket).
    Bucket {
        /// The sibling number.
        of: String,
        /// Ascending thresholds.
        thresholds: Vec<f64>,
        /// The labels, one more than the thresholds.
        values: Vec<Value>,
    },
}
