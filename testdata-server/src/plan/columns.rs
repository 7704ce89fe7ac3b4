//! CSV and SQL columns of a schema: nested objects flattened with dots, then the bookkeeping
//! columns `_index` and `_scenario`.

use serde_json::Value;
use testdata::Schema;
use testdata::export::{Column, CsvWriter, SqlType};
use testdata::schema::{FieldDef, FieldType};

use super::merge::effective_type;

/// The columns of `schema`'s records as callers receive them (with `_index`, `_scenario`).
pub(super) fn of_schema(schema: &Schema) -> Vec<Column> {
    let mut columns = Vec::new();
    columns_of(&schema.def().fields, "", &mut columns);
    columns.push(Column::new("_index", SqlType::Integer));
    columns.push(Column::new("_scenario", SqlType::Text));
    columns
}

/// The CSV header line a CSV writer emits for `columns`.
pub(super) fn csv_header(columns: &[Column]) -> String {
    CsvWriter::new(Vec::new(), Some(columns.to_vec()))
        .finish()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// CSV/SQL columns of a schema's fields: objects flattened with dots, arrays and free-form
/// JSON as one JSON column.
fn columns_of(fields: &[FieldDef], prefix: &str, out: &mut Vec<Column>) {
    for f in fields {
        let name = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
        let ty = effective_type(f);
        let sql = match ty {
            FieldType::Object => match &f.fields {
                Some(members) if !members.is_empty() && f.value.is_none() => {
                    columns_of(members, &name, out);
                    continue;
                }
                _ => SqlType::Json,
            },
            FieldType::Address if f.value.is_none() => {
                for m in ["street", "city", "state", "zip", "country"] {
                    out.push(Column::new(format!("{name}.{m}"), SqlType::Text));
                }
                continue;
            }
            FieldType::Address | FieldType::Array | FieldType::Json => SqlType::Json,
            FieldType::Integer => SqlType::Integer,
            FieldType::Float => SqlType::Float,
            FieldType::Decimal => {
                SqlType::Decimal { precision: f.precision.unwrap_or(18).max(1), scale: f.scale.unwrap_or(2) }
            }
            FieldType::Boolean => SqlType::Boolean,
            FieldType::Date => SqlType::Date,
            FieldType::Datetime => SqlType::Timestamp,
            FieldType::Enum => match f.values.as_deref() {
                Some(vs) if !vs.is_empty() && vs.iter().all(|v| v.is_i64() || v.is_u64()) => SqlType::Integer,
                Some(vs) if !vs.is_empty() && vs.iter().all(Value::is_number) => SqlType::Float,
                Some(vs) if !vs.is_empty() && vs.iter().all(Value::is_boolean) => SqlType::Boolean,
                _ => SqlType::Text,
            },
            FieldType::String | FieldType::Email | FieldType::Phone | FieldType::Uuid => SqlType::Text,
        };
        out.push(Column::new(name, sql));
    }
}
