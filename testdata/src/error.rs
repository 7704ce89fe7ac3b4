//! The errors of the library: each names the schema or field and the rule at fault, and says
//! what to change.

/// A schema that cannot be loaded: bad JSON, or constraints that contradict each other.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The text is not JSON of the schema format (the message has the line and column).
    #[error("schema is not valid: {0} (see docs/schema-format.md)")]
    Json(#[from] serde_json::Error),
    /// A field's constraints are contradictory or malformed.
    #[error("schema `{schema}`, field `{path}`: {rule}: {message}")]
    Field {
        /// The schema name.
        schema: String,
        /// The field path, such as `items[].price`.
        path: String,
        /// The rule at fault (`min`, `length`, `pattern`, `one_of`, `unique`, `compute`, …).
        rule: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A problem with the schema as a whole (no fields, duplicate names, a dependency cycle).
    #[error("schema `{schema}`: {message}")]
    Schema {
        /// The schema name.
        schema: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl SchemaError {
    /// The field path the error is about, if it is about one field.
    pub fn path(&self) -> Option<&str> {
        match self {
            SchemaError::Field { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The rule at fault, if the error is about one field.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            SchemaError::Field { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

/// A request that cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// A unique field has fewer distinct values than records asked for.
    #[error(
        "field `{path}` is unique over {space} possible values, so record {index} cannot get a new one; \
         ask for at most {space} records or widen the field's range or format"
    )]
    UniqueExhausted {
        /// The field path.
        path: String,
        /// How many distinct values the field has.
        space: u64,
        /// The first record index that cannot be served.
        index: u64,
    },
    /// A computed value of a record falls outside its field's `min`/`max` (inputs whose
    /// ranges allow it, in a way the load-time check could not prove).
    #[error(
        "field `{path}`: its compute rule gives {value} in record {index}, {} its {bound} {limit}; \
         widen `min`/`max` or constrain the inputs",
        if *bound == "min" { "below" } else { "above" }
    )]
    ComputedOutOfBounds {
        /// The field path.
        path: String,
        /// The computed value.
        value: String,
        /// `min` or `max`.
        bound: &'static str,
        /// The bound's value.
        limit: String,
        /// The record index.
        index: u64,
    },
}
