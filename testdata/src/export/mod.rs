//! Streaming export of JSON records: JSON array, JSON Lines, CSV and SQL `INSERT`
//! (PostgreSQL, MySQL, SQLite).
//!
//! Every writer takes one record at a time and writes it straight to any [`io::Write`]
//! (buffered internally with a [`BufWriter`]), so memory stays flat however many records pass.
//! `finish` writes the trailer (`]`, the last `;`), flushes, and hands the writer back.
//!
//! ```
//! use serde_json::json;
//! use testdata::export::{write_all, Dialect, ExportOptions, Format};
//!
//! let records = vec![
//!     json!({"id": 1, "name": "O'Brien", "address": {"city": "Oslo"}, "tags": ["a", "b"]}),
//!     json!({"id": 2, "name": "Zoë, \"Z\"", "address": {"city": null}, "tags": []}),
//! ];
//!
//! let csv = write_all(Format::Csv, Vec::new(), &ExportOptions::default(), records.clone())?;
//! assert_eq!(
//!     String::from_utf8(csv).unwrap(),
//!     "id,name,address.city,tags\r\n\
//!      1,O'Brien,Oslo,\"[\"\"a\"\",\"\"b\"\"]\"\r\n\
//!      2,\"Zoë, \"\"Z\"\"\",,[]\r\n",
//! );
//!
//! let options = ExportOptions { table: "users".into(), ..ExportOptions::default() };
//! let sql = write_all(Format::Sql(Dialect::Postgres), Vec::new(), &options, records)?;
//! assert_eq!(
//!     String::from_utf8(sql).unwrap(),
//!     "INSERT INTO \"users\" (\"id\", \"name\", \"address.city\", \"tags\") \
//!      VALUES (1, 'O''Brien', 'Oslo', '[\"a\",\"b\"]');\n\
//!      INSERT INTO \"users\" (\"id\", \"name\", \"address.city\", \"tags\") \
//!      VALUES (2, 'Zoë, \"Z\"', NULL, '[]');\n",
//! );
//! # Ok::<(), testdata::export::ExportError>(())
//! ```
//!
//! Streaming, one record at a time, to a type-erased writer:
//!
//! ```
//! use serde_json::json;
//! use testdata::export::{writer, ExportOptions, Format};
//!
//! let mut out = Vec::new();
//! let mut w = writer("jsonl".parse()?, &mut out, ExportOptions::default());
//! for i in 0..3 {
//!     w.write_record(&json!({"i": i}))?;
//! }
//! w.finish()?;
//! assert_eq!(out, b"{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Columns (CSV and SQL)
//!
//! Columns come from [`ExportOptions::columns`] or, when that is `None`, from the first record
//! ([`columns_from_record`]): nested objects are flattened into dotted paths
//! (`address.city`), arrays are one JSON column. Every later record is checked against them:
//!
//! * a missing column (or a `null` parent object) is an empty CSV field / `NULL`;
//! * a key with no column is [`ExportError::UnknownColumn`] — nothing is silently dropped;
//! * a value that does not fit its column's [`SqlType`] (an object where a scalar column is, a
//!   string in an integer column) is [`ExportError::ColumnMismatch`].
//!
//! A record that fails is not written at all (errors are found before its first byte), and the
//! writer stays usable: the caller may skip it and go on. Record indices in errors count every
//! record passed to the writer, from 0. After an I/O error the output is undefined.
//!
//! # Formats
//!
//! * **JSON** — byte-identical to `serde_json::to_string` (or `to_string_pretty` with
//!   [`ExportOptions::pretty`]) of the whole array; no input gives `[]`.
//! * **JSONL** — one compact record per line, each line ended by `\n`.
//! * **CSV** — RFC 4180: header of column names, `\r\n` line ends; a field is quoted when it
//!   contains `,` `"` CR or LF, starts or ends with a space or tab, or is the empty string
//!   (so `""` is an empty string and an empty field is `null`/missing); `"` is doubled;
//!   numbers as serde_json prints them; `true`/`false`; arrays and objects as compact JSON.
//! * **SQL** — `INSERT INTO t (cols) VALUES (...);`, [`ExportOptions::rows_per_insert`] rows
//!   per statement, optionally preceded by `CREATE TABLE IF NOT EXISTS`. Identifiers (the table
//!   and each dotted column name, each as one identifier) are quoted `"…"` (PostgreSQL,
//!   SQLite) or `` `…` `` (MySQL) with the quote doubled. Strings are `'…'` with `'` doubled;
//!   for MySQL backslash is doubled too (MySQL's default `sql_mode` treats it as an escape).
//!   Booleans are `TRUE`/`FALSE` (`1`/`0` for SQLite), numbers verbatim, `null` is `NULL`,
//!   arrays, objects and any value of a [`SqlType::Json`] column are a string literal of
//!   compact JSON. A NUL character in a string is [`ExportError::NulInString`] (PostgreSQL
//!   rejects it in text and in `jsonb`), never silently removed.
//!
//! # Limitations
//!
//! * Inferred columns follow the first record only: a field that is `null` there becomes a
//!   `Text` column and a later object in it is a [`ExportError::ColumnMismatch`]; a key absent
//!   there is an [`ExportError::UnknownColumn`] later. Pass [`ExportOptions::columns`] when the
//!   first record is not representative.
//! * Floats are written as the shortest literal that reads back exactly (PostgreSQL and MySQL
//!   parse it exactly); SQLite's own text-to-REAL conversion may land one ulp off for decimal
//!   exponents beyond about ±100.
//! * CSV cells are not neutralised against spreadsheet formula injection (`=cmd…`): that would
//!   alter the data. A one-column CSV row holding `null` is an empty line.
//! * The SQL table name is one quoted identifier: `public.users` names a table called
//!   `public.users`, not `users` in schema `public`.

mod columns;
mod csv;
mod json;
#[cfg(feature = "parquet")]
pub mod parquet;
mod sql;

#[cfg(test)]
mod tests;

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

use serde_json::Value;

pub use columns::{Column, SqlType, columns_from_record};
pub use csv::CsvWriter;
pub use json::{JsonArrayWriter, JsonlWriter};
pub use sql::SqlWriter;

/// An output format.
///
/// Parses from (case-insensitive) `json`, `jsonl` / `ndjson`, `csv`, and `sql` / `postgres` /
/// `postgresql` / `pg`, `mysql`, `sqlite` / `sqlite3` (`sql` means PostgreSQL). Displays as
/// a name it parses from.
///
/// ```
/// use testdata::export::{Dialect, Format};
/// assert_eq!("NDJSON".parse::<Format>().unwrap(), Format::Jsonl);
/// assert_eq!("sqlite".parse::<Format>().unwrap(), Format::Sql(Dialect::Sqlite));
/// assert_eq!(Format::Sql(Dialect::MySql).to_string(), "mysql");
/// assert!("xml".parse::<Format>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON array of records.
    Json,
    /// JSON Lines: one compact record per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// SQL `INSERT` statements for a dialect.
    Sql(Dialect),
}

impl Format {
    /// The usual file extension, without the dot: `json`, `jsonl`, `csv` or `sql`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Sql(_) => "sql",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Format::Sql(dialect) => dialect.fmt(f),
            other => f.write_str(other.extension()),
        }
    }
}

impl FromStr for Format {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Format, ParseFormatError> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "sql" => Ok(Format::Sql(Dialect::Postgres)),
            _ => s.parse::<Dialect>().map(Format::Sql).map_err(|_| ParseFormatError { input: s.to_owned() }),
        }
    }
}

/// A SQL dialect: decides identifier quoting, string escaping, booleans and column types.
///
/// Parses from (case-insensitive) `postgres` / `postgresql` / `pg`, `mysql`,
/// `sqlite` / `sqlite3`; displays as `postgres`, `mysql`, `sqlite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (assumes `standard_conforming_strings = on`, the default since 9.1).
    Postgres,
    /// MySQL / MariaDB (assumes the default `sql_mode`, without `NO_BACKSLASH_ESCAPES`
    /// or `ANSI_QUOTES`).
    MySql,
    /// SQLite 3.
    Sqlite,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
        })
    }
}

impl FromStr for Dialect {
    type Err = ParseFormatError;

    fn from_str(s: &str) -> Result<Dialect, ParseFormatError> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            "mysql" => Ok(Dialect::MySql),
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            _ => Err(ParseFormatError { input: s.to_owned() }),
        }
    }
}

/// A format or dialect name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format `{input}`: use json, jsonl (ndjson), csv, or sql / postgres / mysql / sqlite")]
pub struct ParseFormatError {
    /// The name that was given.
    pub input: String,
}

/// Options of the writers; [`Default`] gives table `records`, columns from the first record,
/// no `CREATE TABLE`, compact JSON and one row per `INSERT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// SQL table name, quoted as one identifier (a dot does not make it schema-qualified).
    pub table: String,
    /// CSV/SQL columns; when `None`, taken from the first record ([`columns_from_record`]).
    pub columns: Option<Vec<Column>>,
    /// SQL: emit `CREATE TABLE IF NOT EXISTS` before the first `INSERT`.
    pub create_table: bool,
    /// JSON array: pretty-print (`serde_json::to_string_pretty` layout).
    pub pretty: bool,
    /// SQL: rows per `INSERT` statement (multi-row `VALUES`); 0 counts as 1.
    pub rows_per_insert: usize,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            table: "records".to_owned(),
            columns: None,
            create_table: false,
            pretty: false,
            rows_per_insert: 1,
        }
    }
}

/// Why an export failed. Record indices count every record given to the writer, from 0.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing to the output failed.
    #[error("export: writing the output failed: {0}")]
    Io(#[from] io::Error),
    /// serde_json could not serialize a value.
    #[error("export: JSON serialization failed: {0}")]
    Json(serde_json::Error),
    /// A record could not be generated.
    #[error("export: {0}")]
    Generate(#[from] crate::error::GenerateError),
    /// Arrow or Parquet rejected the data (feature `parquet`).
    #[error("export: Parquet: {0}")]
    Parquet(String),
    /// CSV and SQL need each record to be a JSON object.
    #[error(
        "record {record}: CSV and SQL export need a JSON object per record, found {found}; wrap it in an object or export as JSON/JSONL"
    )]
    NotAnObject {
        /// Index of the record.
        record: u64,
        /// What was found instead (`an array`, `a string`, …).
        found: &'static str,
    },
    /// A record has a key (dotted path) that is not one of the columns.
    #[error(
        "record {record}: field `{column}` is not a column (columns come from ExportOptions::columns or the first record); add it to ExportOptions::columns or remove it from the record"
    )]
    UnknownColumn {
        /// Index of the record.
        record: u64,
        /// The dotted path of the field.
        column: String,
    },
    /// A value does not fit its column.
    #[error(
        "record {record}: column `{column}` expects {expected}, found {found}; give ExportOptions::columns with a fitting SqlType (inferred columns follow the first record)"
    )]
    ColumnMismatch {
        /// Index of the record.
        record: u64,
        /// The dotted path of the column (or of the parent object expected there).
        column: String,
        /// What the column accepts.
        expected: &'static str,
        /// What the record holds there.
        found: &'static str,
    },
    /// A record holds two values for one column (`{"a.b": 1, "a": {"b": 2}}`).
    #[error(
        "record {record}: two values for column `{column}` (a dotted key and a nested object name the same path); keep only one"
    )]
    AmbiguousColumn {
        /// Index of the record.
        record: u64,
        /// The dotted path of the column.
        column: String,
    },
    /// A string holds a NUL character, which SQL text cannot carry.
    #[error(
        "record {record}: column `{column}` holds a NUL character (\\0), which SQL text (and PostgreSQL jsonb) cannot store; remove it from the data or export as JSON/CSV"
    )]
    NulInString {
        /// Index of the record.
        record: u64,
        /// The dotted path of the column.
        column: String,
    },
    /// Two columns share a name.
    #[error("column `{column}` is given twice; column names must be unique")]
    DuplicateColumn {
        /// The repeated name.
        column: String,
    },
    /// A column definition cannot be used.
    #[error("column `{column}`: {reason}")]
    InvalidColumn {
        /// The column name.
        column: String,
        /// What is wrong and what would work.
        reason: String,
    },
    /// CSV and SQL need at least one column (the first record was `{}`, or `columns` was empty).
    #[error(
        "no columns: CSV and SQL need at least one column (the first record was an empty object or ExportOptions::columns is empty)"
    )]
    NoColumns,
    /// A table or column name cannot be a SQL identifier in the dialect.
    #[error("`{identifier}` cannot be a {dialect} identifier: {reason}")]
    InvalidIdentifier {
        /// The name.
        identifier: String,
        /// The dialect.
        dialect: Dialect,
        /// Why, and what would work.
        reason: &'static str,
    },
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> ExportError {
        if e.is_io() { ExportError::Io(e.into()) } else { ExportError::Json(e) }
    }
}

/// A streaming record writer, object safe (see [`writer`]).
///
/// Each concrete writer also has inherent `write_record` and `finish(self) -> Result<W, _>`
/// methods that give the inner writer back.
pub trait RecordWriter {
    /// Writes one record. On error nothing of the record is written and the writer stays usable.
    fn write_record(&mut self, record: &Value) -> Result<(), ExportError>;
    /// How many records were written so far (rejected records do not count).
    fn records_written(&self) -> u64;
    /// Writes the trailer (and a header not yet written), then flushes.
    ///
    /// Dropping a writer without `finish` flushes what was buffered but leaves the output
    /// without its trailer (a JSON array without `]`, a batched `INSERT` without `;`).
    fn finish(self: Box<Self>) -> Result<(), ExportError>;
}

/// A writer for any [`Format`], generic over the output; see [`Exporter::new`].
#[derive(Debug)]
pub enum Exporter<W: Write> {
    /// A JSON array writer.
    Json(JsonArrayWriter<W>),
    /// A JSON Lines writer.
    Jsonl(JsonlWriter<W>),
    /// A CSV writer.
    Csv(CsvWriter<W>),
    /// A SQL writer.
    Sql(SqlWriter<W>),
}

impl<W: Write> Exporter<W> {
    /// A writer of `format` to `out` with `options`.
    pub fn new(format: Format, out: W, options: ExportOptions) -> Exporter<W> {
        match format {
            Format::Json => Exporter::Json(JsonArrayWriter::new(out, options.pretty)),
            Format::Jsonl => Exporter::Jsonl(JsonlWriter::new(out)),
            Format::Csv => Exporter::Csv(CsvWriter::new(out, options.columns)),
            Format::Sql(dialect) => Exporter::Sql(SqlWriter::new(out, dialect, options)),
        }
    }

    /// Writes one record (see [`RecordWriter::write_record`]).
    pub fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
        match self {
            Exporter::Json(w) => w.write_record(record),
            Exporter::Jsonl(w) => w.write_record(record),
            Exporter::Csv(w) => w.write_record(record),
            Exporter::Sql(w) => w.write_record(record),
        }
    }

    /// How many records were written so far.
    pub fn records_written(&self) -> u64 {
        match self {
            Exporter::Json(w) => w.records_written(),
            Exporter::Jsonl(w) => w.records_written(),
            Exporter::Csv(w) => w.records_written(),
            Exporter::Sql(w) => w.records_written(),
        }
    }

    /// Writes the trailer, flushes, and returns the output.
    pub fn finish(self) -> Result<W, ExportError> {
        match self {
            Exporter::Json(w) => w.finish(),
            Exporter::Jsonl(w) => w.finish(),
            Exporter::Csv(w) => w.finish(),
            Exporter::Sql(w) => w.finish(),
        }
    }
}

macro_rules! impl_record_writer {
    ($($ty:ident),*) => {$(
        impl<W: Write> RecordWriter for $ty<W> {
            fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
                $ty::write_record(self, record)
            }
            fn records_written(&self) -> u64 {
                $ty::records_written(self)
            }
            fn finish(self: Box<Self>) -> Result<(), ExportError> {
                $ty::finish(*self).map(drop)
            }
        }
    )*};
}
impl_record_writer!(Exporter, JsonArrayWriter, JsonlWriter, CsvWriter, SqlWriter);

/// A boxed streaming writer of `format` to `out`.
pub fn writer<'a, W: Write + 'a>(
    format: Format,
    out: W,
    options: ExportOptions,
) -> Box<dyn RecordWriter + 'a> {
    Box::new(Exporter::new(format, out, options))
}

/// Writes all `records` in `format` to `out` and returns `out`, flushed.
///
/// Stops at the first record that fails; use a writer directly to skip bad records instead.
pub fn write_all<W: Write>(
    format: Format,
    out: W,
    options: &ExportOptions,
    records: impl IntoIterator<Item = Value>,
) -> Result<W, ExportError> {
    let mut exporter = Exporter::new(format, out, options.clone());
    for record in records {
        exporter.write_record(&record)?;
    }
    exporter.finish()
}

/// Flushes the buffer and the inner writer, and returns the inner writer.
fn finish_buffer<W: Write>(out: BufWriter<W>) -> Result<W, ExportError> {
    let mut inner = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    inner.flush()?;
    Ok(inner)
}
