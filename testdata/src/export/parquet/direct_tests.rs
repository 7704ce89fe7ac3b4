//! The direct path ([`RecordColumns`]) against the path through JSON text ([`RecordDecoder`],
//! `arrow-json`): the same batches, and the same arrays read back from the Parquet files.

use std::fs::File;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Value, json};

use super::*;
use crate::schema::Schema;

const SEED: u64 = 9;

/// Nested objects (and a copy of one), lists of objects and of scalars, decimals with
/// precision and scale, timestamps, dates, booleans, floats, enums of strings, of integers and
/// of mixed values, an address, optional members (nulls).
const EVERY_TYPE: &str = r#"{"name": "everything", "fields": [
    {"name": "id", "type": "string", "format": "E-{index:6}"},
    {"name": "n", "type": "integer", "min": -5, "max": 5000000000},
    {"name": "ratio", "type": "float", "min": -1, "max": 1, "required": false},
    {"name": "price", "type": "decimal", "precision": 9, "scale": 3, "min": 0, "max": 99999},
    {"name": "flag", "type": "boolean", "required": false},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "datetime", "required": false},
    {"name": "later", "type": "datetime", "after": "at", "max_gap": "3d"},
    {"name": "status", "type": "enum", "values": ["new", "paid", "sent"]},
    {"name": "level", "type": "enum", "values": [1, 2, 3]},
    {"name": "mixed", "type": "enum", "values": ["a", 2, true, 1.5]},
    {"name": "home", "type": "address"},
    {"name": "box", "type": "object", "required": false, "fields": [
        {"name": "label", "type": "string", "kind": "word"},
        {"name": "weight", "type": "decimal", "scale": 2, "min": 0, "max": 50},
        {"name": "inner", "type": "object", "fields": [
            {"name": "when", "type": "datetime"},
            {"name": "tags", "type": "array", "min_items": 0, "max_items": 3, "items": {"type": "string", "kind": "word"}}
        ]}
    ]},
    {"name": "box_copy", "type": "object", "compute": {"copy": "box"}, "fields": [
        {"name": "label", "type": "string"},
        {"name": "weight", "type": "decimal", "scale": 2},
        {"name": "inner", "type": "object", "fields": [
            {"name": "when", "type": "datetime"},
            {"name": "tags", "type": "array", "items": {"type": "string"}}
        ]}
    ]},
    {"name": "lines", "type": "array", "min_items": 0, "max_items": 4, "required": false, "items": {"type": "object", "fields": [
        {"name": "sku", "type": "string", "kind": "sku"},
        {"name": "qty", "type": "integer", "min": 1, "max": 9},
        {"name": "unit", "type": "decimal", "scale": 2, "min": 0.01, "max": 99.99},
        {"name": "kind", "type": "enum", "values": ["a", "b"]},
        {"name": "dates", "type": "array", "min_items": 1, "max_items": 2, "items": {"type": "date"}}
    ]}},
    {"name": "scores", "type": "array", "min_items": 0, "max_items": 5, "items": {"type": "integer", "min": 0, "max": 100}}
]}"#;

fn schemas() -> Vec<Schema> {
    [
        EVERY_TYPE,
        include_str!("../../../schemas/ecommerce/order.json"),
        include_str!("../../../schemas/ecommerce/cart.json"),
        include_str!("../../../schemas/ecommerce/payment.json"),
    ]
    .into_iter()
    .map(|text| Schema::from_json(text).unwrap())
    .collect()
}

fn columns_of(schema: &Schema) -> SchemaRef {
    let bookkeeping =
        vec![Field::new("_index", DataType::Int64, true), Field::new("_scenario", DataType::Utf8, true)];
    arrow_schema(&schema.def().fields, bookkeeping).unwrap()
}

/// Records `0..n` with their bookkeeping keys as JSON Lines (what `generate -f jsonl` prints).
fn jsonl(schema: &Schema, n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let mut record = schema.nth(SEED, i).unwrap();
        record["_index"] = json!(i);
        record["_scenario"] = json!("default");
        serde_json::to_writer(&mut out, &record).unwrap();
        out.push(b'\n');
    }
    out
}

fn direct(schema: &Schema, columns: &SchemaRef, range: std::ops::Range<u64>) -> RecordBatch {
    let mut builders = RecordColumns::new(columns.clone()).unwrap();
    let scenario = json!("default");
    for i in range {
        builders.push_generated(schema, SEED, i, &[("_index", &json!(i)), ("_scenario", &scenario)]).unwrap();
    }
    builders.finish().unwrap()
}

/// Writes `batches` as a Parquet file and reads every row back as one batch.
fn round_trip(columns: &SchemaRef, batches: &[RecordBatch], name: &str) -> RecordBatch {
    let mut writer = ParquetWriter::new(Vec::new(), columns.clone()).unwrap();
    for batch in batches {
        writer.write_batch(batch).unwrap();
    }
    let path = std::env::temp_dir().join(format!("testdata-direct-{name}-{}.parquet", std::process::id()));
    std::fs::write(&path, writer.finish().unwrap()).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&path).unwrap())
        .unwrap()
        .with_batch_size(1 << 20)
        .build()
        .unwrap();
    let read: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(read.len(), 1, "{name}");
    read.into_iter().next().unwrap()
}

#[test]
fn generated_records_make_the_batches_their_json_text_makes() {
    const N: u64 = 700;
    for schema in schemas() {
        let name = schema.name().to_owned();
        let columns = columns_of(&schema);
        let through_json = RecordDecoder::new(columns.clone()).decode_jsonl(&jsonl(&schema, N)).unwrap();
        let straight = direct(&schema, &columns, 0..N);
        assert_eq!(straight.num_rows(), N as usize);
        for (at, field) in columns.fields().iter().enumerate() {
            assert_eq!(straight.column(at), through_json.column(at), "{name}: column {}", field.name());
        }
        assert_eq!(straight, through_json, "{name}");
        // And the files hold the same arrays (written in batches of different sizes).
        let old = round_trip(&columns, &[through_json], &format!("{name}-json"));
        let new = round_trip(
            &columns,
            &[direct(&schema, &columns, 0..300), direct(&schema, &columns, 300..N)],
            &name,
        );
        assert_eq!(new, old, "{name}");
        if name == "everything" {
            // The test covers what it says: nulls in optional members, lists, nested structs.
            for column in ["ratio", "box", "lines", "at"] {
                assert!(new.column_by_name(column).unwrap().null_count() > 0, "{column} has no null");
            }
        }
    }
}

#[test]
fn json_records_make_the_batches_arrow_json_makes() {
    let schema = Schema::from_json(EVERY_TYPE).unwrap();
    let columns = columns_of(&schema);
    let mut records: Vec<Value> = schema.batch(SEED, 200).unwrap();
    // Coercions and oddities: numbers and booleans into strings, strings into numbers,
    // decimals and timestamps; unknown keys; missing keys.
    records.push(json!({"id": 7, "n": "42", "ratio": 3, "price": "12.5", "flag": false,
        "day": "2024-02-29", "at": "2024-01-02T03:04:05.123456Z", "status": true, "mixed": 2.5,
        "home": {"city": "Oslo", "planet": "Earth"}, "unknown": [1, 2], "scores": [1, null, 3]}));
    records.push(json!({"n": 12.9, "price": 7, "day": 19000, "at": 1700000000000000_i64, "lines": []}));
    let mut builders = RecordColumns::new(columns.clone()).unwrap();
    for record in &records {
        builders.push_record(record).unwrap();
    }
    let expected = RecordDecoder::new(columns.clone()).decode_records(&records).unwrap();
    assert_eq!(builders.finish().unwrap(), expected);
}

#[test]
fn a_value_a_column_cannot_hold_is_an_error_naming_the_column() {
    let schema = Schema::from_json(EVERY_TYPE).unwrap();
    let mut builders = RecordColumns::new(columns_of(&schema)).unwrap();
    for (record, column) in [
        (json!({"n": "many"}), "n"),
        (json!({"box": {"inner": {"tags": "not a list"}}}), "box.inner.tags"),
        (json!({"price": 1e12}), "price"),
        (json!({"home": ["a"]}), "home"),
        (json!({"flag": "yes"}), "flag"),
    ] {
        match builders.push_record(&record) {
            Err(ExportError::InvalidColumn { column: got, .. }) => assert_eq!(got, column, "{record}"),
            other => panic!("{record}: {other:?}"),
        }
        builders = RecordColumns::new(columns_of(&schema)).unwrap();
    }
    assert!(RecordDecoder::new(columns_of(&schema)).decode_records(&[json!({"n": "many"})]).is_err());
}
