//! Records with arbitrary strings → CSV read back by the `csv` crate, SQL (SQLite dialect)
//! executed by SQLite: the values come back exactly.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use testdata::export::{Dialect, ExportOptions, Format, write_all};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).replace('\0', "");
    let cells: Vec<String> = text.split('\u{1f}').take(4).map(str::to_owned).collect();
    let records: Vec<Value> = cells.iter().map(|c| json!({"a": c, "b": c.len()})).collect();
    if records.is_empty() {
        return;
    }
    let csv_out = write_all(Format::Csv, Vec::new(), &ExportOptions::default(), records.clone()).expect("csv");
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
    let back: Vec<String> = stmt.query_map([], |r| r.get(0)).expect("query").map(|r| r.expect("row")).collect();
    assert_eq!(back, cells, "SQL round trip");
});
