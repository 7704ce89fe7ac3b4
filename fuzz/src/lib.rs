//! The properties the fuzz targets check, one function per target: each takes the raw input
//! and panics when the property fails. The fuzz targets (`fuzz_targets/`) call them under
//! libFuzzer; the stable test suite replays every checked-in corpus and crash input through the
//! same functions (`testdata-server/tests/fuzz_corpus.rs` includes this file by path), so a
//! regression fails CI without nightly.

use prost::Message;
use serde_json::{Value, json};
use testdata::constraint::pattern::Pattern;
use testdata::constraint::template::Template;
use testdata::export::{Dialect, ExportOptions, Format, write_all};
use testdata::proto::GenerateRequest;
use testdata::{Context, Gen, Key, Seed};
use testdata_server::config::Config;

/// A runtime schema as JSON → compile → 10 records → every record validates against it.
/// A schema whose computed field its inputs can take beyond its `min`/`max` is refused at
/// load when the engine can prove it, else each record that would break the bound is a
/// `GenerateError`: either way no invalid record is answered.
pub fn schema(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(schema) = testdata::Schema::from_json(text) else { return };
    for i in 0..10 {
        // A generation error (a unique field out of values, a computed value beyond its
        // bounds) is an answer, not a bug.
        let Ok(record) = schema.nth(7u64, i) else { return };
        if let Err(v) = schema.validate(&record) {
            panic!(
                "record {i} of a schema it was generated from does not validate: {v}\nschema: {text}\nrecord: {record}"
            );
        }
    }
}

/// A regex constraint with length bounds (the first two bytes) → generated strings match it
/// (checked by the `regex` crate, independently of the engine's own matcher) and respect the
/// bounds.
pub fn pattern(data: &[u8]) {
    let (bounds, rest) = data.split_at(data.len().min(2));
    let Ok(source) = std::str::from_utf8(rest) else { return };
    let min = bounds.first().map(|b| usize::from(*b % 40));
    let max = bounds.get(1).map(|b| min.unwrap_or(0) + usize::from(*b % 60));
    let Ok(pattern) = Pattern::new(source, min, max) else { return };
    let independent = regex::Regex::new(&format!("^(?:{source})$")).ok();
    for i in 0..8 {
        let mut g = Gen::new(Key::root(Seed::new(1), 2, i));
        let s = pattern.generate(&mut g);
        assert!(pattern.is_match(&s), "{s:?} does not match its own pattern {source:?}");
        if let Some(re) = &independent {
            assert!(re.is_match(&s), "{s:?} does not match {source:?} (regex crate)");
        }
        let n = s.chars().count();
        assert!(
            min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
            "{s:?}: length {n} outside {min:?}..={max:?}"
        );
    }
}

/// An ID template (`format`) → parse → every rendering matches the template.
pub fn template(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let Ok(t) = Template::parse(source) else { return };
    let ctx = Context::default();
    let lookup = |name: &str| Some(format!("<{name}>"));
    for i in 0..8 {
        let mut g = Gen::new(Key::root(Seed::new(3), 4, i));
        let unique = (i % 2 == 0).then_some(i);
        let s = t.render(&mut g, &ctx, i, unique, &lookup);
        assert!(t.matches(&s, &ctx, &lookup), "{s:?} is not a rendering of {source:?}");
    }
}

/// Arbitrary `GenerateRequest` bytes → decode → the server's conversion → planning and, when
/// planned, the first records: never a panic, every refusal a `ServiceError` with a sentence,
/// never INTERNAL.
pub fn request(data: &[u8]) {
    // One service and runtime for every input (building them per input made this target run
    // a few inputs a second); its caches change no answer.
    static SERVER: std::sync::OnceLock<(
        std::sync::Arc<testdata_server::service::Service>,
        tokio::runtime::Runtime,
    )> = std::sync::OnceLock::new();
    let Ok(request) = GenerateRequest::decode(data) else { return };
    let (service, runtime) = SERVER.get_or_init(|| {
        let service = testdata_server::server::build_service(Config::ephemeral()).expect("service");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        (service, runtime)
    });
    let Ok(mut spec) = testdata_server::grpc::convert::spec_from_proto(request) else { return };
    spec.method = testdata_server::request::Method::Traditional;
    spec.count = spec.count.clamp(0, 20);
    if let Err(e) = runtime.block_on(service.generate(&spec)) {
        assert!(!e.to_string().trim().is_empty(), "an error without a sentence: {e:?}");
        assert!(!matches!(e, testdata_server::error::ServiceError::Internal(_)), "internal error: {e}");
    }
}

/// Records with arbitrary strings (up to 4, split at U+001F) → CSV read back by the `csv`
/// crate, SQL (SQLite dialect) executed by SQLite: the values come back exactly.
pub fn export(data: &[u8]) {
    let text = String::from_utf8_lossy(data).replace('\0', "");
    let cells: Vec<String> = text.split('\u{1f}').take(4).map(str::to_owned).collect();
    let records: Vec<Value> = cells.iter().map(|c| json!({"a": c, "b": c.len()})).collect();
    if records.is_empty() {
        return;
    }
    let csv_out =
        write_all(Format::Csv, Vec::new(), &ExportOptions::default(), records.clone()).expect("csv");
    let mut reader = csv::Reader::from_reader(csv_out.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("valid CSV")).collect();
    assert_eq!(rows.len(), cells.len());
    for (row, cell) in rows.iter().zip(&cells) {
        assert_eq!(&row[0], cell.as_str(), "CSV round trip");
    }
    let options = ExportOptions { create_table: true, ..ExportOptions::default() };
    let sql = write_all(Format::Sql(Dialect::Sqlite), Vec::new(), &options, records).expect("sql");
    let db = rusqlite::Connection::open_in_memory().expect("sqlite");
    db.execute_batch(std::str::from_utf8(&sql).expect("utf-8 SQL")).expect("SQLite runs the SQL");
    let mut stmt = db.prepare("SELECT a FROM records ORDER BY rowid").expect("select");
    let back: Vec<String> =
        stmt.query_map([], |r| r.get(0)).expect("query").map(|r| r.expect("row")).collect();
    assert_eq!(back, cells, "SQL round trip");
}

/// The check of a target, by the target's name.
pub fn check_for(target: &str) -> Option<fn(&[u8])> {
    Some(match target {
        "schema" => schema,
        "pattern" => pattern,
        "template" => template,
        "request" => request,
        "export" => export,
        _ => return None,
    })
}
