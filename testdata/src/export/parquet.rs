//! Parquet export (feature `parquet`): columns typed from a runtime schema, written as row
//! groups of bounded size.
//!
//! | schema type | Parquet / Arrow column |
//! | --- | --- |
//! | `integer` | `INT64` |
//! | `float` | `DOUBLE` |
//! | `decimal` | `DECIMAL(precision, scale)` (precision 18 when not given, scale 2) |
//! | `boolean` | `BOOLEAN` |
//! | `date` | `DATE` (days) |
//! | `datetime` | `TIMESTAMP(MICROS)` adjusted to UTC (Arrow time zone `+00:00`) |
//! | `string`, `email`, `phone`, `uuid` | `STRING` |
//! | `enum` | `INT64`, `DOUBLE` or `BOOLEAN` when every value is one, else `STRING` |
//! | `object` with `fields` | a struct of its fields |
//! | `address` | a struct of `street`, `city`, `state`, `zip`, `country` |
//! | `array` | a list of its `items` type |
//!
//! Every column is nullable (optional fields are `null`). Free-form JSON (`json`, an `object`
//! without `fields` or with a fixed `value`) has no Parquet type: [`arrow_schema`] refuses it
//! with [`ExportError::InvalidColumn`] naming the field — export such schemas as JSON Lines.
//!
//! Records go straight into Arrow column builders ([`RecordColumns`]: generated records in the
//! engine's positional form, or JSON objects), with the conversions of `arrow-json`'s decoder
//! ([`RecordDecoder`], the path through JSON text): the values read back from the file are the
//! values of the JSON output.
//!
//! ```
//! use serde_json::json;
//! use testdata::export::parquet::{ParquetWriter, arrow_schema};
//! use testdata::Schema;
//!
//! let schema = Schema::from_json(r#"{"name": "t", "fields": [
//!     {"name": "id", "type": "integer"},
//!     {"name": "price", "type": "decimal", "precision": 8, "scale": 2},
//!     {"name": "tags", "type": "array", "items": {"type": "string"}}
//! ]}"#)?;
//! let columns = arrow_schema(&schema.def().fields, Vec::new())?;
//! let mut w = ParquetWriter::new(Vec::new(), columns)?;
//! w.write_record(&json!({"id": 1, "price": 19.99, "tags": ["a"]}))?;
//! let bytes = w.finish()?;
//! assert_eq!(&bytes[..4], b"PAR1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::Write;
use std::sync::Arc;

pub use arrow_array::RecordBatch;
pub use arrow_schema::{DataType, Field, SchemaRef};
use arrow_schema::{Fields, Schema as ArrowSchema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::{WriterProperties, WriterPropertiesBuilder};
use parquet::schema::types::ColumnPath;
use serde_json::Value;

use super::ExportError;
use crate::schema::{FieldDef, FieldType};

mod columns;
#[cfg(test)]
mod direct_tests;
pub use columns::RecordColumns;

/// Rows per record batch of [`ParquetWriter::write_record`].
const BATCH_ROWS: usize = 1024;
/// Largest row group, in rows.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;
/// Largest row group, in encoded bytes buffered before it is written out.
pub const ROW_GROUP_BYTES: usize = 32 * 1024 * 1024;

/// Arrow field metadata marking an enum column: few distinct values, so the only columns
/// worth a dictionary (for IDs, names and addresses, building one cost a third of the time to
/// write a file and saved little after Snappy).
const ENUM_KEY: &str = "testdata.enum";

/// The Arrow schema of records of `fields` (see the module table), followed by `extra`
/// columns (e.g. bookkeeping keys added to each record).
pub fn arrow_schema(fields: &[FieldDef], extra: Vec<Field>) -> Result<SchemaRef, ExportError> {
    let mut columns = struct_fields(fields, "")?;
    columns.extend(extra);
    Ok(Arc::new(ArrowSchema::new(columns)))
}

fn struct_fields(fields: &[FieldDef], prefix: &str) -> Result<Vec<Field>, ExportError> {
    fields
        .iter()
        .map(|f| {
            let path = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
            column(&f.name, f, &path)
        })
        .collect()
}

/// The column of field `f`, named `name`, enum columns marked with [`ENUM_KEY`].
fn column(name: &str, f: &FieldDef, path: &str) -> Result<Field, ExportError> {
    let field = Field::new(name, data_type(f, path)?, true);
    Ok(if f.effective_type() == FieldType::Enum {
        field.with_metadata(std::collections::HashMap::from([(ENUM_KEY.to_owned(), "true".to_owned())]))
    } else {
        field
    })
}

/// Dictionary encoding for the leaf columns of enum fields only (nested ones included: a list
/// is the Parquet group `name.list.item`).
fn enum_dictionaries(
    mut builder: WriterPropertiesBuilder,
    fields: &Fields,
    at: &[String],
) -> WriterPropertiesBuilder {
    for field in fields {
        let mut path = at.to_vec();
        path.push(field.name().clone());
        let mut leaf = field.as_ref();
        while let DataType::List(item) = leaf.data_type() {
            path.extend(["list".to_owned(), item.name().clone()]);
            leaf = item.as_ref();
        }
        match leaf.data_type() {
            DataType::Struct(members) => builder = enum_dictionaries(builder, members, &path),
            _ if leaf.metadata().contains_key(ENUM_KEY) || field.metadata().contains_key(ENUM_KEY) => {
                builder = builder.set_column_dictionary_enabled(ColumnPath::new(path), true);
            }
            _ => {}
        }
    }
    builder
}

fn data_type(f: &FieldDef, path: &str) -> Result<DataType, ExportError> {
    let untyped = |what: &str| ExportError::InvalidColumn {
        column: path.to_owned(),
        reason: format!("{what} has no Parquet column type; give it typed `fields`, or export as JSON Lines"),
    };
    Ok(match f.effective_type() {
        FieldType::Integer => DataType::Int64,
        FieldType::Float => DataType::Float64,
        FieldType::Decimal => {
            DataType::Decimal128(f.precision.unwrap_or(18).max(1), f.scale.unwrap_or(2) as i8)
        }
        FieldType::Boolean => DataType::Boolean,
        FieldType::Date => DataType::Date32,
        FieldType::Datetime => DataType::Timestamp(TimeUnit::Microsecond, Some("+00:00".into())),
        FieldType::String | FieldType::Email | FieldType::Phone | FieldType::Uuid => DataType::Utf8,
        FieldType::Enum => enum_type(f.values.as_deref().unwrap_or_default()),
        FieldType::Address if f.value.is_none() => {
            let members =
                ["street", "city", "state", "zip", "country"].map(|m| Field::new(m, DataType::Utf8, true));
            DataType::Struct(Fields::from(members.to_vec()))
        }
        FieldType::Object if f.value.is_none() => match f.fields.as_deref() {
            Some(members) if !members.is_empty() => {
                DataType::Struct(Fields::from(struct_fields(members, path)?))
            }
            _ => return Err(untyped("an object without `fields`")),
        },
        FieldType::Array => match f.items.as_deref() {
            Some(items) => DataType::List(Arc::new(column("item", items, &format!("{path}[]"))?)),
            None => return Err(untyped("an array without `items`")),
        },
        FieldType::Address | FieldType::Object => return Err(untyped("an object with a fixed `value`")),
        FieldType::Json => return Err(untyped("free-form JSON")),
    })
}

fn enum_type(values: &[Value]) -> DataType {
    if values.is_empty() {
        DataType::Utf8
    } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
        DataType::Int64
    } else if values.iter().all(Value::is_number) {
        DataType::Float64
    } else if values.iter().all(Value::is_boolean) {
        DataType::Boolean
    } else {
        DataType::Utf8
    }
}

fn arrow_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Parquet(e.to_string())
}

/// Converts records (JSON Lines bytes or JSON values) into Arrow record batches of a schema.
/// Cheap to clone; each call is independent, so batches can be decoded on many threads.
#[derive(Debug, Clone)]
pub struct RecordDecoder {
    schema: SchemaRef,
}

impl RecordDecoder {
    /// A decoder into `schema`.
    pub fn new(schema: SchemaRef) -> RecordDecoder {
        RecordDecoder { schema }
    }

    fn decoder(&self, rows: usize) -> Result<arrow_json::reader::Decoder, ExportError> {
        arrow_json::ReaderBuilder::new(self.schema.clone())
            .with_batch_size(rows.max(1))
            .with_coerce_primitive(true)
            .build_decoder()
            .map_err(arrow_error)
    }

    /// The records of `jsonl` (one JSON object per line) as one batch.
    pub fn decode_jsonl(&self, jsonl: &[u8]) -> Result<RecordBatch, ExportError> {
        let rows = jsonl.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut decoder = self.decoder(rows)?;
        let mut at = 0;
        while at < jsonl.len() {
            let used = decoder.decode(&jsonl[at..]).map_err(arrow_error)?;
            if used == 0 {
                return Err(ExportError::Parquet("the JSON Lines input did not decode".into()));
            }
            at += used;
        }
        self.flushed(decoder.flush().map_err(arrow_error)?)
    }

    /// `records` (JSON objects) as one batch.
    pub fn decode_records(&self, records: &[Value]) -> Result<RecordBatch, ExportError> {
        let mut decoder = self.decoder(records.len())?;
        decoder.serialize(records).map_err(arrow_error)?;
        self.flushed(decoder.flush().map_err(arrow_error)?)
    }

    fn flushed(&self, batch: Option<RecordBatch>) -> Result<RecordBatch, ExportError> {
        Ok(batch.unwrap_or_else(|| RecordBatch::new_empty(self.schema.clone())))
    }
}

/// Streams records into a Parquet file: rows are buffered in record batches and encoded
/// into row groups of at most [`ROW_GROUP_ROWS`] rows / [`ROW_GROUP_BYTES`] bytes (Snappy
/// compressed), so memory stays bounded however many records pass.
pub struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    pending: RecordColumns,
    written: u64,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A writer of records of `schema` (from [`arrow_schema`]) to `out`.
    pub fn new(out: W, schema: SchemaRef) -> Result<ParquetWriter<W>, ExportError> {
        let builder = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_dictionary_enabled(false)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .set_created_by(format!("testdata {}", env!("CARGO_PKG_VERSION")));
        let properties = enum_dictionaries(builder, schema.fields(), &[]).build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(arrow_error)?;
        Ok(ParquetWriter { writer, pending: RecordColumns::new(schema)?, written: 0 })
    }

    /// Writes one record (a JSON object; keys without a column are ignored).
    pub fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
        self.pending.push_record(record)?;
        if self.pending.len() >= BATCH_ROWS {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Writes a batch decoded elsewhere (e.g. by a [`RecordDecoder`] on another thread).
    pub fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), ExportError> {
        self.write_pending()?;
        self.writer.write(batch).map_err(arrow_error)?;
        self.written += batch.num_rows() as u64;
        Ok(())
    }

    fn write_pending(&mut self) -> Result<(), ExportError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = self.pending.finish()?;
        self.writer.write(&batch).map_err(arrow_error)?;
        self.written += batch.num_rows() as u64;
        Ok(())
    }

    /// How many records were written so far (buffered ones included).
    pub fn records_written(&self) -> u64 {
        self.written + self.pending.len() as u64
    }

    /// Writes the last row group and the footer; returns the output.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.write_pending()?;
        self.writer.into_inner().map_err(arrow_error)
    }
}

#[cfg(test)]
mod tests {
    use parquet::basic::Encoding;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;
    use crate::schema::Schema;

    /// Enum columns, top-level or inside a list of objects, are dictionary-encoded; the others
    /// are not (building a dictionary of unique IDs costs time and saves nothing).
    #[test]
    fn only_enum_columns_get_a_dictionary() {
        let schema = Schema::from_json(
            r#"{"name": "t", "fields": [
                {"name": "id", "type": "string", "format": "ID-{index:6}"},
                {"name": "status", "type": "enum", "values": ["new", "paid", "sent"]},
                {"name": "items", "type": "array", "min_items": 1, "max_items": 3, "items":
                    {"type": "object", "fields": [
                        {"name": "sku", "type": "string", "format": "S-{index:6}"},
                        {"name": "kind", "type": "enum", "values": ["a", "b"]}]}}]}"#,
        )
        .unwrap();
        let columns = arrow_schema(&schema.def().fields, Vec::new()).unwrap();
        let mut writer = ParquetWriter::new(Vec::new(), columns).unwrap();
        for record in schema.batch(3, 2000).unwrap() {
            writer.write_record(&record).unwrap();
        }
        let path = std::env::temp_dir().join(format!("testdata-dictionary-{}.parquet", std::process::id()));
        std::fs::write(&path, writer.finish().unwrap()).unwrap();
        let file = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        let group = file.metadata().row_group(0);
        let dictionary: Vec<String> = group
            .columns()
            .iter()
            .filter(|c| c.encodings().any(|e| e == Encoding::RLE_DICTIONARY))
            .map(|c| c.column_path().string())
            .collect();
        assert_eq!(dictionary, ["status", "items.list.item.kind"]);
    }
}
