//! The server's own model of a generation request, free of protobuf types: the gRPC edge
//! (`grpc::convert`) and the HTTP edge build it, the paths consume it.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use testdata::export::Format;
use testdata::schema::FieldDef;

/// The generator a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// The seeded engine.
    Traditional,
    /// A language model.
    Llm,
    /// Retrieval of historical patterns.
    Rag,
    /// RAG examples + a language model.
    Hybrid,
}

impl Method {
    /// The `generation_path` string of the old service (`traditional`, `llm`, `rag`, `hybrid`).
    pub fn label(self) -> &'static str {
        match self {
            Method::Traditional => "traditional",
            Method::Llm => "llm",
            Method::Rag => "rag",
            Method::Hybrid => "hybrid",
        }
    }

    /// The proto enum name (`TRADITIONAL`, …).
    pub fn proto_name(self) -> &'static str {
        match self {
            Method::Traditional => "TRADITIONAL",
            Method::Llm => "LLM",
            Method::Rag => "RAG",
            Method::Hybrid => "HYBRID",
        }
    }
}

/// Request-level constraints on one field; each present member replaces the schema's own.
///
/// The gRPC edge converts the proto's `FieldConstraint` (`grpc::convert`); the HTTP edge
/// deserializes the same message's JSON straight into this type (its field names, unknown
/// names refused, lengths 32-bit as on the wire).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "FieldConstraint", expecting = "a FieldConstraint object", deny_unknown_fields)]
pub struct ConstraintSpec {
    /// Inclusive lower bound (numbers).
    pub min: Option<f64>,
    /// Inclusive upper bound (numbers).
    pub max: Option<f64>,
    /// Allowed values, as text (converted to the field's type).
    #[serde(default)]
    pub enum_values: Vec<String>,
    /// A regular expression the whole string matches.
    pub regex: Option<String>,
    /// Fewest characters (strings) or elements (arrays).
    #[serde(default, deserialize_with = "optional_wire_i32")]
    pub min_length: Option<i64>,
    /// Most characters (strings) or elements (arrays).
    #[serde(default, deserialize_with = "optional_wire_i32")]
    pub max_length: Option<i64>,
    /// An ID template.
    pub format: Option<String>,
}

/// A named group of records with field overrides.
///
/// The gRPC edge converts the proto's `Scenario` (`grpc::convert`); the HTTP edge
/// deserializes the same message's JSON straight into this type (every member optional,
/// unknown names refused, `count` 32-bit as on the wire).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Scenario", expecting = "a Scenario object", deny_unknown_fields, default)]
pub struct ScenarioSpec {
    /// The name (`_scenario` of its records).
    pub name: String,
    /// How many records.
    #[serde(deserialize_with = "wire_i32")]
    pub count: i64,
    /// Field path → value as text (converted to the field's type).
    pub overrides: BTreeMap<String, String>,
    /// Documentation.
    pub description: String,
}

/// A wire `int32` (the proto's width, which the JSON request keeps) as the spec's `i64`.
fn wire_i32<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    i32::deserialize(d).map(i64::from)
}

/// An `optional int32` of the wire as the spec's `Option<i64>`.
fn optional_wire_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<i32>::deserialize(d).map(|n| n.map(i64::from))
}

/// Where the schema of a request comes from, as given (the precedence is applied by
/// [`crate::plan`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaSources {
    /// `inline_schema`: JSON text.
    pub inline_schema: String,
    /// `custom_schema`: JSON text.
    pub custom_schema: String,
    /// `schema.fields`, converted to field definitions.
    pub fields: Vec<FieldDef>,
    /// `schema.predefined_schema`: a registered name.
    pub predefined: String,
    /// `entity`: a registered name.
    pub entity: String,
}

/// A generation request.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateSpec {
    /// Echoed in answers.
    pub request_id: String,
    /// Business domain (metrics labels).
    pub domain: String,
    /// Where the schema comes from.
    pub sources: SchemaSources,
    /// Constraints by field path.
    pub constraints: BTreeMap<String, ConstraintSpec>,
    /// Scenarios in request order.
    pub scenarios: Vec<ScenarioSpec>,
    /// Output serialisation.
    pub format: Format,
    /// Requested count (may be 0 with scenarios: their sum).
    pub count: i64,
    /// Mix in edge-case values.
    pub defect_triggering: bool,
    /// The generator asked for.
    pub method: Method,
    /// Whether `method` was chosen by the caller (a non-zero `generation_method`, or
    /// `TRADITIONAL_EXPLICIT`); `false` lets the router pick (docs/routing.md).
    pub method_given: bool,
    /// Learn from historical patterns (routes to RAG when the method is not given).
    pub learn_from_history: bool,
    /// Follow a production profile (routes to RAG when the method is not given).
    pub production_like: bool,
    /// The seed, or `None` for a random one.
    pub seed: Option<u64>,
    /// Streams: first record index.
    pub offset: u64,
    /// Streams: records per chunk (0 = default).
    pub batch_size: i64,
    /// Free-text context (LLM/RAG paths).
    pub context: String,
    /// Routing hints (LLM/RAG paths).
    pub hints: Vec<String>,
    /// Allow a cached answer (LLM/RAG paths; default true).
    pub use_cache: bool,
}

impl Default for GenerateSpec {
    fn default() -> GenerateSpec {
        GenerateSpec {
            request_id: String::new(),
            domain: String::new(),
            sources: SchemaSources::default(),
            constraints: BTreeMap::new(),
            scenarios: Vec::new(),
            format: Format::Json,
            count: 0,
            defect_triggering: false,
            method: Method::Traditional,
            method_given: false,
            learn_from_history: false,
            production_like: false,
            seed: None,
            offset: 0,
            batch_size: 0,
            context: String::new(),
            hints: Vec::new(),
            use_cache: true,
        }
    }
}
