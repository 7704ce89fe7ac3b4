//! Behaviour of the writers as a user sees it: exact output, round trips through real parsers
//! (serde_json, an RFC 4180 reader, SQLite), errors, and streaming.

use std::cell::Cell;
use std::io::{self, Write};
use std::rc::Rc;

use rusqlite::types::Value as Sql;
use serde_json::{Value, json};

use super::*;

/// A record with every kind of value and many hostile strings.
fn kitchen_sink() -> Value {
    json!({
        "id": 42,
        "name": "O'Brien, \"Bob\"",
        "bio": "line1\nline2\r\nend",
        "path": "C:\\temp\\x",
        "attack": "'; DROP TABLE x; --",
        "rtl": "שלום עולם مرحبا",
        "emoji": "🎉👩‍👩‍👧",
        "score": -1.5e-7,
        "big": 18446744073709551615u64,
        "active": false,
        "nick": null,
        "address": {"city": "Zürich", "geo": {"lat": 47.37, "lng": 8.54}},
        "tags": ["a,b", "c\"d", {"deep": [1, null]}],
    })
}

fn export(format: Format, options: &ExportOptions, records: Vec<Value>) -> String {
    let bytes = write_all(format, Vec::new(), options, records).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn json_array_matches_serde_json_and_parses_back() {
    let records = vec![kitchen_sink(), json!({"x": []}), json!(7), json!({})];
    for pretty in [false, true] {
        let options = ExportOptions { pretty, ..ExportOptions::default() };
        let out = export(Format::Json, &options, records.clone());
        let expected = if pretty {
            serde_json::to_string_pretty(&records).unwrap()
        } else {
            serde_json::to_string(&records).unwrap()
        };
        assert_eq!(out, expected, "pretty = {pretty}");
        assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap(), records);
    }
    assert_eq!(export(Format::Json, &ExportOptions::default(), vec![]), "[]");
    let pretty = ExportOptions { pretty: true, ..ExportOptions::default() };
    assert_eq!(export(Format::Json, &pretty, vec![]), "[]");
    assert_eq!(
        export(Format::Json, &pretty, vec![json!({"a": "x\ny"})]),
        "[\n  {\n    \"a\": \"x\\ny\"\n  }\n]"
    );
}

#[test]
fn jsonl_is_one_compact_record_per_line() {
    let records = vec![kitchen_sink(), json!({"b": "\u{2028}"}), json!([1])];
    let out = export(Format::Jsonl, &ExportOptions::default(), records.clone());
    assert!(out.ends_with('\n'));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    for (line, record) in lines.iter().zip(&records) {
        assert_eq!(*line, serde_json::to_string(record).unwrap());
        assert_eq!(&serde_json::from_str::<Value>(line).unwrap(), record);
    }
    assert_eq!(export(Format::Jsonl, &ExportOptions::default(), vec![]), "");
}

#[test]
fn csv_of_the_kitchen_sink() {
    let out = export(Format::Csv, &ExportOptions::default(), vec![kitchen_sink()]);
    assert_eq!(
        out,
        "id,name,bio,path,attack,rtl,emoji,score,big,active,nick,address.city,address.geo.lat,address.geo.lng,tags\r\n\
         42,\"O'Brien, \"\"Bob\"\"\",\"line1\nline2\r\nend\",C:\\temp\\x,'; DROP TABLE x; --,שלום עולם مرحبا,🎉👩‍👩‍👧,\
         -1.5e-7,18446744073709551615,false,,Zürich,47.37,8.54,\
         \"[\"\"a,b\"\",\"\"c\\\"\"d\"\",{\"\"deep\"\":[1,null]}]\"\r\n"
    );
}

#[test]
fn sql_of_the_kitchen_sink_per_dialect() {
    let options = ExportOptions { table: "t".into(), ..ExportOptions::default() };
    let values = |d| {
        let out = export(Format::Sql(d), &options, vec![kitchen_sink()]);
        let start = out.find("VALUES (").unwrap() + "VALUES (".len();
        assert!(out.ends_with(");\n"), "{out}");
        out[start..out.len() - 3].to_owned()
    };
    assert_eq!(
        values(Dialect::Postgres),
        "42, 'O''Brien, \"Bob\"', 'line1\nline2\r\nend', 'C:\\temp\\x', '''; DROP TABLE x; --', \
         'שלום עולם مرحبا', '🎉👩‍👩‍👧', -1.5e-7, 18446744073709551615, FALSE, NULL, 'Zürich', 47.37, 8.54, \
         '[\"a,b\",\"c\\\"d\",{\"deep\":[1,null]}]'"
    );
    assert_eq!(
        values(Dialect::MySql),
        "42, 'O''Brien, \"Bob\"', 'line1\nline2\r\nend', 'C:\\\\temp\\\\x', '''; DROP TABLE x; --', \
         'שלום עולם مرحبا', '🎉👩‍👩‍👧', -1.5e-7, 18446744073709551615, FALSE, NULL, 'Zürich', 47.37, 8.54, \
         '[\"a,b\",\"c\\\\\"d\",{\"deep\":[1,null]}]'"
    );
    let sqlite = values(Dialect::Sqlite);
    assert!(sqlite.contains(", 0, NULL, "), "{sqlite}");

    let out = export(Format::Sql(Dialect::MySql), &options, vec![kitchen_sink()]);
    assert!(
        out.starts_with("INSERT INTO `t` (`id`, `name`, ")
            && out.contains("`address.geo.lat`, `address.geo.lng`, `tags`) VALUES ("),
        "{out}"
    );
}

#[test]
fn create_table_and_batching() {
    let options = ExportOptions {
        table: "my \"table\"".into(),
        create_table: true,
        rows_per_insert: 2,
        columns: Some(vec![
            Column::new("id", SqlType::Integer),
            Column::new("price", SqlType::Decimal { precision: 10, scale: 2 }),
            Column::new("at", SqlType::Timestamp),
            Column::new("flag", SqlType::Boolean),
            Column::new("n", SqlType::Text),
        ]),
        ..ExportOptions::default()
    };
    let records = vec![
        json!({"id": 1, "price": "19.99", "at": "2024-01-02T03:04:05Z", "flag": true, "n": 5}),
        json!({"id": 2, "price": 0.5, "flag": false, "n": true}),
        json!({"id": 3}),
    ];
    let out = export(Format::Sql(Dialect::Postgres), &options, records);
    assert_eq!(
        out,
        "CREATE TABLE IF NOT EXISTS \"my \"\"table\"\"\" (\n  \"id\" BIGINT,\n  \"price\" NUMERIC(10,2),\n  \
         \"at\" TIMESTAMPTZ,\n  \"flag\" BOOLEAN,\n  \"n\" TEXT\n);\n\
         INSERT INTO \"my \"\"table\"\"\" (\"id\", \"price\", \"at\", \"flag\", \"n\") VALUES\n\
         (1, '19.99', '2024-01-02T03:04:05Z', TRUE, '5'),\n\
         (2, 0.5, NULL, FALSE, 'true');\n\
         INSERT INTO \"my \"\"table\"\"\" (\"id\", \"price\", \"at\", \"flag\", \"n\") VALUES\n\
         (3, NULL, NULL, NULL, NULL);\n"
    );
    // No records but known columns: the table is still created; CSV still gets its header.
    let out = export(Format::Sql(Dialect::Sqlite), &options, vec![]);
    assert!(out.starts_with("CREATE TABLE IF NOT EXISTS") && !out.contains("INSERT"));
    let out = export(Format::Csv, &options, vec![]);
    assert_eq!(out, "id,price,at,flag,n\r\n");
    assert_eq!(export(Format::Csv, &ExportOptions::default(), vec![]), "");
    assert_eq!(export(Format::Sql(Dialect::MySql), &ExportOptions::default(), vec![]), "");
}

#[test]
fn nul_in_sql_strings_is_an_error_naming_record_and_column() {
    let mut w = SqlWriter::new(Vec::new(), Dialect::Sqlite, ExportOptions::default());
    w.write_record(&json!({"id": 0, "a": {"b": "ok"}, "j": ["x"]})).unwrap();
    let err = w.write_record(&json!({"id": 1, "a": {"b": "nul\0here"}, "j": ["x"]})).unwrap_err();
    assert!(matches!(&err, ExportError::NulInString { record: 1, column } if column == "a.b"), "{err:?}");
    assert!(err.to_string().contains("record 1") && err.to_string().contains("`a.b`"));
    // Inside JSON the NUL is the escape `\u0000`: fine for SQLite, rejected for PostgreSQL jsonb.
    w.write_record(&json!({"id": 2, "j": ["\0"]})).unwrap();
    assert_eq!(w.records_written(), 2);
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(!out.contains('\0') && !out.contains("nul"), "{out}");
    assert_eq!(out.lines().count(), 2, "the rejected record left no trace: {out}");

    let mut w = SqlWriter::new(Vec::new(), Dialect::Postgres, ExportOptions::default());
    let err = w.write_record(&json!({"j": [{"k\0": 1}]})).unwrap_err();
    assert!(matches!(&err, ExportError::NulInString { record: 0, column } if column == "j"));
}

#[test]
fn unknown_columns_and_mismatches_are_errors_and_skip_the_record() {
    for format in [Format::Csv, Format::Sql(Dialect::Postgres)] {
        let mut w = writer(format, Vec::new(), ExportOptions::default());
        w.write_record(&json!({"id": 1, "user": {"name": "a"}})).unwrap();
        let err = w.write_record(&json!({"id": 2, "user": {"name": "b", "email": "x"}})).unwrap_err();
        assert!(
            matches!(&err, ExportError::UnknownColumn { record: 1, column } if column == "user.email"),
            "{format}: {err:?}"
        );
        let err = w.write_record(&json!({"id": 3, "user": {"name": {"first": "c"}}})).unwrap_err();
        assert!(
            matches!(&err, ExportError::ColumnMismatch { record: 2, column, .. } if column == "user.name"),
            "{format}: {err:?}"
        );
        let err = w.write_record(&json!(["not", "an", "object"])).unwrap_err();
        assert!(
            matches!(err, ExportError::NotAnObject { record: 3, found: "an array" }),
            "{format}: {err:?}"
        );
        // Missing columns are fine.
        w.write_record(&json!({"id": 4})).unwrap();
        assert_eq!(w.records_written(), 2);
        w.finish().unwrap();
    }
    let err = write_all(Format::Csv, Vec::new(), &ExportOptions::default(), [json!({})]).unwrap_err();
    assert!(matches!(err, ExportError::NoColumns));
}

#[test]
fn bad_identifiers_are_errors() {
    let options = ExportOptions { table: String::new(), ..ExportOptions::default() };
    let err = write_all(Format::Sql(Dialect::Sqlite), Vec::new(), &options, [json!({"a": 1})]).unwrap_err();
    assert!(matches!(err, ExportError::InvalidIdentifier { .. }), "{err:?}");
    let long = json!({ "x".repeat(70): 1 });
    let err =
        write_all(Format::Sql(Dialect::Postgres), Vec::new(), &ExportOptions::default(), [long]).unwrap_err();
    assert!(matches!(err, ExportError::InvalidIdentifier { dialect: Dialect::Postgres, .. }));
}

#[test]
fn formats_parse_and_display() {
    for (name, format) in [
        ("json", Format::Json),
        ("JSONL", Format::Jsonl),
        ("ndjson", Format::Jsonl),
        ("csv", Format::Csv),
        ("sql", Format::Sql(Dialect::Postgres)),
        ("postgresql", Format::Sql(Dialect::Postgres)),
        ("mysql", Format::Sql(Dialect::MySql)),
        ("SQLite", Format::Sql(Dialect::Sqlite)),
    ] {
        assert_eq!(name.parse::<Format>().unwrap(), format);
        assert_eq!(format.to_string().parse::<Format>().unwrap(), format);
    }
    let err = "yaml".parse::<Format>().unwrap_err();
    assert!(err.to_string().contains("`yaml`"));
}

// ---------------------------------------------------------------------------------------------
// Varied records from a small deterministic generator.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

const HOSTILE: &[&str] = &[
    "",
    " ",
    "plain",
    "O'Brien",
    "'; DROP TABLE x; --",
    "Robert\"); DROP TABLE students;--",
    "a,b,c",
    "\"quoted\"",
    "line1\nline2",
    "cr\r\nlf",
    "tab\there",
    "back\\slash",
    "\\'",
    "\\",
    "'",
    "`tick`",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u{202e}override\u{202c}",
    "emoji 🎉👩‍👩‍👧 ok",
    "zalgo ç̷̡̛",
    "日本語テキスト",
    "null",
    "NULL",
    " leading",
    "trailing ",
    "$1 %s {0}",
    "\u{1}\u{7f}\u{ad}",
    "=cmd|' /C calc'!A0",
];

fn hostile(rng: &mut Rng) -> String {
    let mut s = HOSTILE[rng.below(HOSTILE.len())].to_owned();
    if rng.chance(3) {
        s.push_str(HOSTILE[rng.below(HOSTILE.len())]);
    }
    s
}

fn float(rng: &mut Rng) -> f64 {
    const SPECIAL: &[f64] = &[0.0, -0.0, 0.1, 1.0, -2.5, 1e-300, f64::MAX, f64::MIN_POSITIVE, 123456.789];
    if rng.chance(5) {
        return SPECIAL[rng.below(SPECIAL.len())];
    }
    let unit = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let exp = rng.below(20) as i32 - 10;
    let sign = if rng.chance(2) { -1.0 } else { 1.0 };
    sign * unit * 10f64.powi(exp)
}

fn int(rng: &mut Rng) -> i64 {
    match rng.below(6) {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => rng.next() as i64,
        _ => rng.below(1000) as i64 - 500,
    }
}

fn varied_record(i: u64, rng: &mut Rng) -> Value {
    let mut rec = json!({
        "id": i,
        "name": hostile(rng),
        "count": int(rng),
        "score": float(rng),
        "active": rng.chance(2),
        "nick": if rng.chance(3) { Value::Null } else { hostile(rng).into() },
        "address": {
            "city": hostile(rng),
            "geo": {"lat": float(rng), "lng": float(rng)},
        },
        "we\"ird `col` 'x'": {"ünï": hostile(rng)},
        "tags": (0..rng.below(4)).map(|_| Value::from(hostile(rng))).collect::<Vec<_>>(),
        "meta": {"k": [hostile(rng), {"n": int(rng)}]},
    });
    // Sometimes drop optional parts: a missing key, a null parent object.
    if i > 0 && rng.chance(4) {
        rec.as_object_mut().unwrap().remove("nick");
    }
    if i > 0 && rng.chance(6) {
        rec["address"] = Value::Null;
    }
    rec
}

fn varied_records(n: u64) -> Vec<Value> {
    let mut rng = Rng(0x5eed);
    (0..n).map(|i| varied_record(i, &mut rng)).collect()
}

/// The value at a dotted column (test keys hold no dots); `None` when absent or under null.
fn at<'v>(record: &'v Value, column: &str) -> Option<&'v Value> {
    column.split('.').try_fold(record, |v, key| v.get(key)).filter(|v| !v.is_null())
}

fn ulps(a: f64, b: f64) -> u64 {
    (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
}

/// JSON equality, except that floats may differ in the last digits: serde_json's parser
/// (without its `float_roundtrip` feature) is not correctly rounded. The written text is checked exactly
/// against serde_json's serializer elsewhere.
fn assert_json_eq(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() && y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= x.abs() * 1e-14, "{path}: {x:e} vs {y:e}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_json_eq(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            assert!(x.keys().eq(y.keys()), "{path}: keys differ");
            for ((k, x), y) in x.iter().zip(y.values()) {
                assert_json_eq(x, y, &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

fn sqlite_round_trip(rows_per_insert: usize) {
    let records = varied_records(500);
    let options = ExportOptions {
        table: "people; --".into(),
        create_table: true,
        rows_per_insert,
        ..ExportOptions::default()
    };
    let sql = export(Format::Sql(Dialect::Sqlite), &options, records.clone());
    let statements = sql.matches("INSERT INTO").count();
    assert_eq!(statements, 500usize.div_ceil(rows_per_insert));

    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(&sql).unwrap();
    let columns = columns_from_record(&records[0]);
    let mut stmt = db.prepare("SELECT * FROM \"people; --\" ORDER BY rowid").unwrap();
    let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let expected_names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, expected_names);
    let rows: Vec<Vec<Sql>> = stmt
        .query_map([], |row| (0..columns.len()).map(|i| row.get::<_, Sql>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), records.len());

    for (index, (record, row)) in records.iter().zip(&rows).enumerate() {
        for (column, got) in columns.iter().zip(row) {
            let expected = match at(record, &column.name) {
                None => Sql::Null,
                Some(v) => match (column.sql_type, v) {
                    (SqlType::Integer, v) => Sql::Integer(v.as_i64().unwrap()),
                    (SqlType::Float, v) => Sql::Real(v.as_f64().unwrap()),
                    (SqlType::Boolean, v) => Sql::Integer(v.as_bool().unwrap() as i64),
                    (SqlType::Text, Value::String(s)) => Sql::Text(s.clone()),
                    (SqlType::Json, v) => Sql::Text(serde_json::to_string(v).unwrap()),
                    other => panic!("unexpected {other:?}"),
                },
            };
            match (got, &expected) {
                // SQLite's own text-to-REAL conversion (sqlite3AtoF, 3.50) is not correctly
                // rounded for decimal exponents beyond about ±100: it may land one ulp away
                // from the exact literal we wrote. Within that range it must be exact.
                (Sql::Real(g), Sql::Real(e)) if !(1e-100..1e100).contains(&e.abs()) && *e != 0.0 => {
                    assert!(ulps(*g, *e) <= 1, "record {index}, column {}: {g:e} vs {e:e}", column.name);
                }
                _ => assert_eq!(got, &expected, "record {index}, column {}", column.name),
            }
        }
    }
    // The types SQLite stored, too (REAL for floats, INTEGER for booleans).
    let types: Vec<String> = db
        .prepare("SELECT name, type FROM pragma_table_info('people; --')")
        .unwrap()
        .query_map([], |r| Ok(format!("{} {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(types[..5], ["id INTEGER", "name TEXT", "count INTEGER", "score REAL", "active INTEGER"]);
}

#[test]
fn sqlite_round_trip_one_row_per_insert() {
    sqlite_round_trip(1);
}

#[test]
fn sqlite_round_trip_batched() {
    sqlite_round_trip(50);
    sqlite_round_trip(7);
}

// ---------------------------------------------------------------------------------------------
// CSV read back with a small RFC 4180 reader.

/// Parses RFC 4180 CSV into rows of (field, was_quoted).
fn parse_csv(text: &str) -> Vec<Vec<(String, bool)>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            loop {
                match chars.next().expect("unterminated quoted field") {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '\r' {
                    break;
                }
                assert!(c != '"' && c != '\n', "bare {c:?} in unquoted field");
                field.push(c);
                chars.next();
            }
        }
        row.push((field, quoted));
        match chars.next() {
            Some(',') => {}
            Some('\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                rows.push(std::mem::take(&mut row));
                if chars.peek().is_none() {
                    return rows;
                }
            }
            other => panic!("unexpected {other:?} after field {:?}", row.last()),
        }
    }
}

#[test]
fn csv_round_trip() {
    let records = varied_records(500);
    let out = export(Format::Csv, &ExportOptions::default(), records.clone());
    let rows = parse_csv(&out);
    let columns = columns_from_record(&records[0]);
    let header: Vec<String> = rows[0].iter().map(|(f, _)| f.clone()).collect();
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    assert_eq!(header, names);
    assert_eq!(rows.len(), records.len() + 1);
    for (index, (record, row)) in records.iter().zip(&rows[1..]).enumerate() {
        assert_eq!(row.len(), columns.len());
        for (column, (field, quoted)) in columns.iter().zip(row) {
            let context = format!("record {index}, column {}", column.name);
            match at(record, &column.name) {
                None => assert_eq!((field.as_str(), *quoted), ("", false), "{context}"),
                Some(Value::String(s)) => {
                    assert_eq!(field, s, "{context}");
                    if s.is_empty() {
                        assert!(quoted, "{context}: empty string must be quoted");
                    }
                }
                Some(Value::Number(n)) if column.sql_type == SqlType::Float => {
                    assert_eq!(field.parse::<f64>().unwrap(), n.as_f64().unwrap(), "{context}");
                }
                Some(v @ (Value::Array(_) | Value::Object(_))) => {
                    assert_eq!(&serde_json::from_str::<Value>(field).unwrap(), v, "{context}");
                }
                Some(v) => assert_eq!(field, &v.to_string(), "{context}"),
            }
        }
    }
}

#[test]
fn json_and_jsonl_round_trip_varied_records() {
    let records = varied_records(300);
    for pretty in [false, true] {
        let options = ExportOptions { pretty, ..ExportOptions::default() };
        let out = export(Format::Json, &options, records.clone());
        let expected = if pretty {
            serde_json::to_string_pretty(&records).unwrap()
        } else {
            serde_json::to_string(&records).unwrap()
        };
        assert!(out == expected, "pretty = {pretty}: output differs from serde_json");
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_json_eq(&back, &Value::Array(records.clone()), "$");
    }
    let out = export(Format::Jsonl, &ExportOptions::default(), records.clone());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), records.len());
    for (i, (line, record)) in lines.iter().zip(&records).enumerate() {
        assert_eq!(*line, serde_json::to_string(record).unwrap());
        let back: Value = serde_json::from_str(line).unwrap();
        assert_json_eq(&back, record, &format!("line {i}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Streaming.

/// Counts the bytes that reached the output.
struct Counting(Rc<Cell<u64>>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn writers_stream_with_bounded_buffering() {
    const N: u64 = 200_000;
    let formats = [Format::Json, Format::Jsonl, Format::Csv, Format::Sql(Dialect::Postgres)];
    // Same-size records, so output grows linearly with the records written.
    let record = json!({"id": 7, "name": "streaming", "nested": {"ok": true}});
    for format in formats {
        let reached = Rc::new(Cell::new(0));
        let options = ExportOptions { rows_per_insert: 100, ..ExportOptions::default() };
        let mut w = writer(format, Counting(reached.clone()), options);
        let mut checkpoints = Vec::new();
        for i in 1..=N {
            w.write_record(&record).unwrap();
            if i % 20_000 == 0 {
                checkpoints.push((i, reached.get()));
            }
        }
        assert_eq!(w.records_written(), N);
        w.finish().unwrap();
        let total = reached.get();
        assert!(total > N * 10, "{format}: {total} bytes");
        for (i, got) in checkpoints {
            // All but one buffer (8 KiB) plus one SQL statement prefix has reached the output.
            let due = total * i / N;
            assert!(got + 9 * 1024 >= due, "{format}: after {i} records {got} of {due} bytes out");
        }
    }
    // And into a sink, through the generic API.
    let records = (0..N).map(|i| json!({"i": i}));
    write_all(Format::Csv, io::sink(), &ExportOptions::default(), records).unwrap();
}
