//! Columns: how a JSON record is flattened into named, typed columns for CSV and SQL.
//!
//! A column is a dotted path into the record: `{"address": {"city": "Oslo"}}` has the column
//! `address.city`. Objects are flattened recursively; arrays (and everything under them) stay
//! one column holding compact JSON text. A key that itself contains a dot (`{"a.b": 1}`) lands
//! in the column of the same name, exactly like `{"a": {"b": 1}}`; a record that holds both is
//! rejected with [`ExportError::AmbiguousColumn`].

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ExportError;

/// A flattened column: a dotted path into the record (`address.city`) plus its SQL type.
///
/// The type decides which values fit the column (see [`SqlType`]) and, for SQL, the column
/// type of `CREATE TABLE` and how values are written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    /// The dotted path, used verbatim as the CSV header and as one SQL identifier.
    pub name: String,
    /// The SQL type of the column.
    pub sql_type: SqlType,
}

impl Column {
    /// A column named `name` of type `sql_type`.
    pub fn new(name: impl Into<String>, sql_type: SqlType) -> Column {
        Column { name: name.into(), sql_type }
    }
}

/// The type of a [`Column`].
///
/// Which JSON values fit (`null` fits every type and is written as an empty CSV field or
/// `NULL`):
///
/// | type | accepts |
/// | --- | --- |
/// | `Integer` | integer numbers |
/// | `Float` | any number |
/// | `Decimal` | numbers, and strings (a decimal kept as text, e.g. `"19.99"`) |
/// | `Boolean` | booleans |
/// | `Text` | strings, numbers and booleans (numbers and booleans become their JSON text) |
/// | `Date`, `Timestamp` | strings |
/// | `Json` | any value, written as compact JSON text |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlType {
    /// A 64-bit integer: `BIGINT` (PostgreSQL, MySQL), `INTEGER` (SQLite).
    Integer,
    /// A double: `DOUBLE PRECISION` (PostgreSQL), `DOUBLE` (MySQL), `REAL` (SQLite).
    Float,
    /// An exact decimal: `NUMERIC(p,s)` (PostgreSQL), `DECIMAL(p,s)` (MySQL), `NUMERIC` (SQLite).
    Decimal {
        /// Total number of significant digits (at least 1).
        precision: u8,
        /// Digits after the decimal point (at most `precision`).
        scale: u8,
    },
    /// A boolean: `BOOLEAN` (PostgreSQL, MySQL), `INTEGER` 0/1 (SQLite).
    Boolean,
    /// Text: `TEXT` everywhere.
    Text,
    /// A calendar date as a string: `DATE` (PostgreSQL, MySQL), `TEXT` (SQLite).
    Date,
    /// A point in time as a string: `TIMESTAMPTZ` (PostgreSQL), `DATETIME` (MySQL), `TEXT` (SQLite).
    Timestamp,
    /// Any JSON value as JSON text: `JSONB` (PostgreSQL), `JSON` (MySQL), `TEXT` (SQLite).
    Json,
}

impl SqlType {
    /// Whether `value` fits a column of this type (see the table on [`SqlType`]).
    pub fn accepts(self, value: &Value) -> bool {
        match value {
            Value::Null => true,
            Value::Bool(_) => matches!(self, SqlType::Boolean | SqlType::Text | SqlType::Json),
            Value::Number(n) => match self {
                SqlType::Integer => n.is_i64() || n.is_u64(),
                SqlType::Float | SqlType::Decimal { .. } | SqlType::Text | SqlType::Json => true,
                _ => false,
            },
            Value::String(_) => !matches!(self, SqlType::Integer | SqlType::Float | SqlType::Boolean),
            Value::Array(_) | Value::Object(_) => self == SqlType::Json,
        }
    }

    /// What the type accepts, in words (for error messages).
    fn describe(self) -> &'static str {
        match self {
            SqlType::Integer => "an integer (SqlType::Integer)",
            SqlType::Float => "a number (SqlType::Float)",
            SqlType::Decimal { .. } => "a number or numeric string (SqlType::Decimal)",
            SqlType::Boolean => "a boolean (SqlType::Boolean)",
            SqlType::Text => "a string, number or boolean (SqlType::Text)",
            SqlType::Date => "a date string (SqlType::Date)",
            SqlType::Timestamp => "a timestamp string (SqlType::Timestamp)",
            SqlType::Json => "any JSON value (SqlType::Json)",
        }
    }

    /// The type inferred for one JSON value.
    fn infer(value: &Value) -> SqlType {
        match value {
            Value::Null | Value::String(_) => SqlType::Text,
            Value::Bool(_) => SqlType::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => SqlType::Integer,
            Value::Number(_) => SqlType::Float,
            Value::Array(_) | Value::Object(_) => SqlType::Json,
        }
    }
}

/// Infers the columns of one record, in key order.
///
/// Nested objects are flattened with dots, recursively; an empty object, an array, or anything
/// under an array is one [`SqlType::Json`] column. Integers (`i64`/`u64`) give
/// [`SqlType::Integer`], other numbers [`SqlType::Float`], booleans [`SqlType::Boolean`],
/// strings and `null` [`SqlType::Text`]. A record that is not an object has no columns.
///
/// ```
/// use serde_json::json;
/// use testdata::export::{columns_from_record, Column, SqlType};
///
/// let cols = columns_from_record(&json!({"id": 1, "address": {"city": "Oslo"}, "tags": []}));
/// assert_eq!(cols, vec![
///     Column::new("id", SqlType::Integer),
///     Column::new("address.city", SqlType::Text),
///     Column::new("tags", SqlType::Json),
/// ]);
/// ```
pub fn columns_from_record(record: &Value) -> Vec<Column> {
    let mut out = Vec::new();
    if let Value::Object(map) = record {
        flatten_into(map, &mut String::new(), &mut out);
    }
    out
}

fn flatten_into(map: &Map<String, Value>, path: &mut String, out: &mut Vec<Column>) {
    for (key, value) in map {
        let len = path.len();
        push_segment(path, key);
        match value {
            Value::Object(inner) if !inner.is_empty() => flatten_into(inner, path, out),
            _ => out.push(Column::new(path.as_str(), SqlType::infer(value))),
        }
        path.truncate(len);
    }
}

fn push_segment(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// The kind of a JSON value, in words (for error messages).
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a float",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a dotted path names: a column, the parent of columns, or both.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    column: Option<usize>,
    group: bool,
}

/// A fixed set of columns plus the index that places a record's values into them.
#[derive(Debug)]
pub(crate) struct Layout {
    columns: Vec<Column>,
    index: HashMap<String, Node>,
    /// Scratch path buffer, reused across records.
    path: String,
}

impl Layout {
    /// Checks the columns (at least one, no duplicate names, valid decimals) and indexes them.
    pub(crate) fn new(columns: &[Column]) -> Result<Layout, ExportError> {
        if columns.is_empty() {
            return Err(ExportError::NoColumns);
        }
        let mut index: HashMap<String, Node> = HashMap::with_capacity(columns.len() * 2);
        for (i, column) in columns.iter().enumerate() {
            if let SqlType::Decimal { precision, scale } = column.sql_type
                && (precision == 0 || scale > precision)
            {
                return Err(ExportError::InvalidColumn {
                    column: column.name.clone(),
                    reason: format!(
                        "Decimal {{ precision: {precision}, scale: {scale} }} needs 1 <= precision and scale <= precision"
                    ),
                });
            }
            for (dot, _) in column.name.match_indices('.') {
                index.entry(column.name[..dot].to_owned()).or_default().group = true;
            }
            let node = index.entry(column.name.clone()).or_default();
            if node.column.is_some() {
                return Err(ExportError::DuplicateColumn { column: column.name.clone() });
            }
            node.column = Some(i);
        }
        Ok(Layout { columns: columns.to_vec(), index, path: String::new() })
    }

    /// The columns, in output order.
    pub(crate) fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Places each value of `record` (an object) in its column's slot; `None` = missing.
    ///
    /// Fails on a key with no column, a value that does not fit its column's type, or two
    /// values for one column. Writes nothing, so a failed record leaves no trace.
    pub(crate) fn slot<'v>(
        &mut self,
        record_index: u64,
        record: &'v Map<String, Value>,
    ) -> Result<Vec<Option<&'v Value>>, ExportError> {
        let mut slots = vec![None; self.columns.len()];
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        let result = self.visit(record_index, record, &mut path, &mut slots);
        self.path = path;
        result.map(|()| slots)
    }

    fn visit<'v>(
        &self,
        record: u64,
        map: &'v Map<String, Value>,
        path: &mut String,
        slots: &mut [Option<&'v Value>],
    ) -> Result<(), ExportError> {
        for (key, value) in map {
            let len = path.len();
            push_segment(path, key);
            let Some(node) = self.index.get(path.as_str()).copied() else {
                return Err(ExportError::UnknownColumn { record, column: path.clone() });
            };
            let column = node.column.map(|i| (i, &self.columns[i]));
            match (column, value) {
                // An object under a path that is both a scalar column and a parent: descend.
                (Some((_, c)), Value::Object(inner)) if node.group && c.sql_type != SqlType::Json => {
                    self.visit(record, inner, path, slots)?;
                }
                (Some((i, c)), _) => {
                    if !c.sql_type.accepts(value) {
                        return Err(ExportError::ColumnMismatch {
                            record,
                            column: c.name.clone(),
                            expected: c.sql_type.describe(),
                            found: kind(value),
                        });
                    }
                    if slots[i].is_some() {
                        return Err(ExportError::AmbiguousColumn { record, column: c.name.clone() });
                    }
                    slots[i] = Some(value);
                }
                (None, Value::Object(inner)) => self.visit(record, inner, path, slots)?,
                // A null parent: every column under it is missing.
                (None, Value::Null) => {}
                (None, _) => {
                    return Err(ExportError::ColumnMismatch {
                        record,
                        column: path.clone(),
                        expected: "an object (its fields are columns)",
                        found: kind(value),
                    });
                }
            }
            path.truncate(len);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: &Value) -> &Map<String, Value> {
        v.as_object().unwrap()
    }

    #[test]
    fn infers_nested_columns_in_key_order() {
        let rec = json!({
            "id": 7, "big": u64::MAX, "price": 1.5, "ok": true, "name": "x", "nick": null,
            "address": {"city": "Oslo", "geo": {"lat": 59.9}}, "tags": ["a"], "meta": {},
        });
        let names: Vec<(String, SqlType)> =
            columns_from_record(&rec).into_iter().map(|c| (c.name, c.sql_type)).collect();
        use SqlType::*;
        assert_eq!(
            names,
            [
                ("id", Integer),
                ("big", Integer),
                ("price", Float),
                ("ok", Boolean),
                ("name", Text),
                ("nick", Text),
                ("address.city", Text),
                ("address.geo.lat", Float),
                ("tags", Json),
                ("meta", Json),
            ]
            .map(|(n, t)| (n.to_owned(), t))
        );
        assert!(columns_from_record(&json!([1, 2])).is_empty());
    }

    #[test]
    fn slots_values_and_reports_missing_as_none() {
        let cols = columns_from_record(&json!({"a": 1, "b": {"c": "x", "d": [1]}}));
        let mut layout = Layout::new(&cols).unwrap();
        let rec = json!({"b": {"d": [2], "c": "y"}});
        let slots = layout.slot(3, obj(&rec)).unwrap();
        assert_eq!(slots, vec![None, Some(&json!("y")), Some(&json!([2]))]);
        // A null parent means every column under it is missing.
        let rec = json!({"a": 2, "b": null});
        assert_eq!(layout.slot(4, obj(&rec)).unwrap(), vec![Some(&json!(2)), None, None]);
    }

    #[test]
    fn rejects_unknown_keys_mismatches_and_ambiguity() {
        let cols = columns_from_record(&json!({"a": 1, "b": {"c": "x"}}));
        let mut layout = Layout::new(&cols).unwrap();
        let err = layout.slot(5, obj(&json!({"b": {"zz": 1}}))).unwrap_err();
        assert!(
            matches!(&err, ExportError::UnknownColumn { record: 5, column } if column == "b.zz"),
            "{err:?}"
        );
        let err = layout.slot(6, obj(&json!({"a": {"x": 1}}))).unwrap_err();
        assert!(
            matches!(&err, ExportError::ColumnMismatch { record: 6, column, found: "an object", .. } if column == "a"),
            "{err:?}"
        );
        let err = layout.slot(7, obj(&json!({"b": "flat"}))).unwrap_err();
        assert!(
            matches!(&err, ExportError::ColumnMismatch { record: 7, column, found: "a string", .. } if column == "b"),
            "{err:?}"
        );
        let err = layout.slot(8, obj(&json!({"a": 1.5}))).unwrap_err();
        assert!(matches!(&err, ExportError::ColumnMismatch { record: 8, .. }), "{err:?}");
        let err = layout.slot(9, obj(&json!({"b.c": "x", "b": {"c": "y"}}))).unwrap_err();
        assert!(
            matches!(&err, ExportError::AmbiguousColumn { record: 9, column } if column == "b.c"),
            "{err:?}"
        );
        // The layout stays usable after an error.
        assert!(layout.slot(10, obj(&json!({"a": 1}))).is_ok());
    }

    #[test]
    fn checks_the_column_set() {
        assert!(matches!(Layout::new(&[]), Err(ExportError::NoColumns)));
        let dup = [Column::new("a", SqlType::Text), Column::new("a", SqlType::Integer)];
        assert!(matches!(Layout::new(&dup), Err(ExportError::DuplicateColumn { column }) if column == "a"));
        let bad = [Column::new("p", SqlType::Decimal { precision: 4, scale: 5 })];
        assert!(matches!(Layout::new(&bad), Err(ExportError::InvalidColumn { .. })));
    }

    #[test]
    fn a_path_can_be_both_a_column_and_a_parent() {
        let cols = [Column::new("a", SqlType::Text), Column::new("a.b", SqlType::Integer)];
        let mut layout = Layout::new(&cols).unwrap();
        let rec = json!({"a": {"b": 1}});
        assert_eq!(layout.slot(0, obj(&rec)).unwrap(), vec![None, Some(&json!(1))]);
        let rec = json!({"a": "x"});
        assert_eq!(layout.slot(1, obj(&rec)).unwrap(), vec![Some(&json!("x")), None]);
    }
}
