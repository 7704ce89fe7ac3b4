//! SQL `INSERT` writer for PostgreSQL, MySQL and SQLite.

use std::io::{BufWriter, Write};

use serde_json::Value;

use super::columns::{Layout, kind};
use super::{Column, Dialect, ExportError, ExportOptions, SqlType, columns_from_record, finish_buffer};

/// Streams records as SQL `INSERT` statements, optionally after `CREATE TABLE IF NOT EXISTS`.
///
/// With `rows_per_insert = 1` each record is one `INSERT INTO t (cols) VALUES (...);` line;
/// with more, one statement holds up to that many `VALUES` tuples, one per line. The rules for
/// identifiers, literals and column types are in the [module docs](super#formats).
///
/// ```
/// use serde_json::json;
/// use testdata::export::{Dialect, ExportOptions, SqlWriter};
///
/// let options = ExportOptions { table: "t".into(), rows_per_insert: 2, ..Default::default() };
/// let mut w = SqlWriter::new(Vec::new(), Dialect::MySql, options);
/// for (id, name) in [(1, r"a\b"), (2, "it's"), (3, "ok")] {
///     w.write_record(&json!({"id": id, "name": name}))?;
/// }
/// let sql = String::from_utf8(w.finish()?).unwrap();
/// assert_eq!(sql, "INSERT INTO `t` (`id`, `name`) VALUES\n(1, 'a\\\\b'),\n(2, 'it''s');\n\
///                  INSERT INTO `t` (`id`, `name`) VALUES\n(3, 'ok');\n");
/// # Ok::<(), testdata::export::ExportError>(())
/// ```
#[derive(Debug)]
pub struct SqlWriter<W: Write> {
    out: BufWriter<W>,
    dialect: Dialect,
    table: String,
    fixed: Option<Vec<Column>>,
    create_table: bool,
    rows_per_insert: usize,
    layout: Option<Layout>,
    /// `INSERT INTO t (cols) VALUES`, built once.
    insert_prefix: Vec<u8>,
    /// Rows in the open statement (0: none open).
    open_rows: usize,
    seen: u64,
    written: u64,
    scratch: Vec<u8>,
}

impl<W: Write> SqlWriter<W> {
    /// A writer of `dialect` to `out`; uses `table`, `columns`, `create_table` and
    /// `rows_per_insert` of `options`.
    pub fn new(out: W, dialect: Dialect, options: ExportOptions) -> SqlWriter<W> {
        SqlWriter {
            out: BufWriter::new(out),
            dialect,
            table: options.table,
            fixed: options.columns,
            create_table: options.create_table,
            rows_per_insert: options.rows_per_insert.max(1),
            layout: None,
            insert_prefix: Vec::new(),
            open_rows: 0,
            seen: 0,
            written: 0,
            scratch: Vec::new(),
        }
    }

    /// Writes one record (a JSON object), preceded by `CREATE TABLE` if asked and first.
    pub fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
        let index = self.seen;
        self.seen += 1;
        let Value::Object(map) = record else {
            return Err(ExportError::NotAnObject { record: index, found: kind(record) });
        };
        let layout = match &mut self.layout {
            Some(layout) => layout,
            None => {
                let layout = match &self.fixed {
                    Some(columns) => Layout::new(columns)?,
                    None => Layout::new(&columns_from_record(record))?,
                };
                self.insert_prefix = self.start(layout.columns())?;
                self.layout.insert(layout)
            }
        };
        let slots = layout.slot(index, map)?;
        let columns = layout.columns();
        // Check everything before writing a byte, so a rejected record leaves no trace.
        for (column, value) in columns.iter().zip(&slots) {
            if let Some(value) = value
                && has_forbidden_nul(self.dialect, column.sql_type, value)
            {
                return Err(ExportError::NulInString { record: index, column: column.name.clone() });
            }
        }
        let out = &mut self.out;
        if self.open_rows == 0 {
            out.write_all(&self.insert_prefix)?;
            out.write_all(if self.rows_per_insert == 1 { b" (" } else { b"\n(" })?;
        } else {
            out.write_all(b",\n(")?;
        }
        for (i, (column, value)) in columns.iter().zip(slots).enumerate() {
            if i > 0 {
                out.write_all(b", ")?;
            }
            write_value(out, self.dialect, column.sql_type, value, &mut self.scratch)?;
        }
        out.write_all(b")")?;
        self.open_rows += 1;
        if self.open_rows == self.rows_per_insert {
            out.write_all(b";\n")?;
            self.open_rows = 0;
        }
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn records_written(&self) -> u64 {
        self.written
    }

    /// Closes the open statement; if no record came but columns were given and
    /// `create_table` is set, writes the `CREATE TABLE`. Flushes and returns the output.
    pub fn finish(mut self) -> Result<W, ExportError> {
        if self.open_rows > 0 {
            self.out.write_all(b";\n")?;
        }
        if self.layout.is_none()
            && self.create_table
            && let Some(columns) = self.fixed.take()
        {
            let layout = Layout::new(&columns)?;
            self.start(layout.columns())?;
        }
        finish_buffer(self.out)
    }

    /// Checks the identifiers, writes `CREATE TABLE` if asked, and returns the INSERT prefix.
    fn start(&mut self, columns: &[Column]) -> Result<Vec<u8>, ExportError> {
        let dialect = self.dialect;
        check_identifier(dialect, &self.table)?;
        for column in columns {
            check_identifier(dialect, &column.name)?;
        }
        let mut prefix = b"INSERT INTO ".to_vec();
        write_identifier(&mut prefix, dialect, &self.table)?;
        prefix.extend_from_slice(b" (");
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                prefix.extend_from_slice(b", ");
            }
            write_identifier(&mut prefix, dialect, &column.name)?;
        }
        prefix.extend_from_slice(b") VALUES");

        if self.create_table {
            let out = &mut self.out;
            out.write_all(b"CREATE TABLE IF NOT EXISTS ")?;
            write_identifier(out, dialect, &self.table)?;
            out.write_all(b" (\n")?;
            for (i, column) in columns.iter().enumerate() {
                out.write_all(if i > 0 { b",\n  " } else { b"  " })?;
                write_identifier(out, dialect, &column.name)?;
                out.write_all(b" ")?;
                write_type(out, dialect, column.sql_type)?;
            }
            out.write_all(b"\n);\n")?;
        }
        Ok(prefix)
    }
}

/// Whether `value` holds a NUL the dialect cannot carry: in any string written as text, and
/// (PostgreSQL only, whose `jsonb` rejects `\u0000`) anywhere inside a value written as JSON.
fn has_forbidden_nul(dialect: Dialect, sql_type: SqlType, value: &Value) -> bool {
    fn deep(value: &Value) -> bool {
        match value {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().any(deep),
            Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || deep(v)),
            _ => false,
        }
    }
    match value {
        Value::String(s) if sql_type != SqlType::Json => s.contains('\0'),
        _ => dialect == Dialect::Postgres && deep(value),
    }
}

fn check_identifier(dialect: Dialect, name: &str) -> Result<(), ExportError> {
    let reason = if name.is_empty() {
        Some("it is empty; give every column and the table a name")
    } else if name.contains('\0') {
        Some("it contains a NUL character")
    } else if dialect == Dialect::Postgres && name.len() > 63 {
        Some(
            "PostgreSQL truncates names longer than 63 bytes (which can merge columns); pass shorter names in ExportOptions::columns",
        )
    } else if dialect == Dialect::MySql && name.chars().count() > 64 {
        Some("MySQL names are at most 64 characters; pass shorter names in ExportOptions::columns")
    } else if dialect == Dialect::MySql && name.ends_with(' ') {
        Some("MySQL names cannot end with a space")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(ExportError::InvalidIdentifier { identifier: name.to_owned(), dialect, reason }),
        None => Ok(()),
    }
}

/// Writes `name` as one quoted identifier: `"…"` (PostgreSQL, SQLite) or `` `…` `` (MySQL),
/// with the quote character doubled.
fn write_identifier(out: &mut impl Write, dialect: Dialect, name: &str) -> std::io::Result<()> {
    let quote = if dialect == Dialect::MySql { b'`' } else { b'"' };
    let q = [quote];
    out.write_all(&q)?;
    for chunk in name.as_bytes().split_inclusive(|&b| b == quote) {
        out.write_all(chunk)?;
        if chunk.last() == Some(&quote) {
            out.write_all(&q)?;
        }
    }
    out.write_all(&q)
}

/// Writes a string literal: `'…'` with `'` doubled, and for MySQL `\` doubled.
fn write_string(out: &mut impl Write, dialect: Dialect, text: &[u8]) -> std::io::Result<()> {
    out.write_all(b"'")?;
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'\'' => b"''",
            b'\\' if dialect == Dialect::MySql => b"\\\\",
            _ => continue,
        };
        out.write_all(&text[start..i])?;
        out.write_all(escaped)?;
        start = i + 1;
    }
    out.write_all(&text[start..])?;
    out.write_all(b"'")
}

fn write_value(
    out: &mut impl Write,
    dialect: Dialect,
    sql_type: SqlType,
    value: Option<&Value>,
    scratch: &mut Vec<u8>,
) -> Result<(), ExportError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        out.write_all(b"NULL")?;
        return Ok(());
    };
    match (value, sql_type) {
        (Value::String(s), t) if t != SqlType::Json => write_string(out, dialect, s.as_bytes())?,
        (Value::Bool(b), t) if t != SqlType::Json && t != SqlType::Text => {
            let literal: &[u8] = match (dialect, b) {
                (Dialect::Sqlite, true) => b"1",
                (Dialect::Sqlite, false) => b"0",
                (_, true) => b"TRUE",
                (_, false) => b"FALSE",
            };
            out.write_all(literal)?;
        }
        (Value::Number(n), t) if t != SqlType::Json && t != SqlType::Text => {
            serde_json::to_writer(out, n)?;
        }
        // Text columns holding numbers or booleans, and all JSON: a string of the JSON text.
        _ => {
            scratch.clear();
            serde_json::to_writer(&mut *scratch, value)?;
            write_string(out, dialect, scratch)?;
        }
    }
    Ok(())
}

fn write_type(out: &mut impl Write, dialect: Dialect, sql_type: SqlType) -> std::io::Result<()> {
    use Dialect::*;
    let name = match (sql_type, dialect) {
        (SqlType::Integer, Sqlite) => "INTEGER",
        (SqlType::Integer, _) => "BIGINT",
        (SqlType::Float, Postgres) => "DOUBLE PRECISION",
        (SqlType::Float, MySql) => "DOUBLE",
        (SqlType::Float, Sqlite) => "REAL",
        (SqlType::Decimal { precision, scale }, Postgres) => {
            return write!(out, "NUMERIC({precision},{scale})");
        }
        (SqlType::Decimal { precision, scale }, MySql) => {
            return write!(out, "DECIMAL({precision},{scale})");
        }
        (SqlType::Decimal { .. }, Sqlite) => "NUMERIC",
        (SqlType::Boolean, Sqlite) => "INTEGER",
        (SqlType::Boolean, _) => "BOOLEAN",
        (SqlType::Text, _) => "TEXT",
        (SqlType::Date, Sqlite) => "TEXT",
        (SqlType::Date, _) => "DATE",
        (SqlType::Timestamp, Postgres) => "TIMESTAMPTZ",
        (SqlType::Timestamp, MySql) => "DATETIME",
        (SqlType::Timestamp, Sqlite) => "TEXT",
        (SqlType::Json, Postgres) => "JSONB",
        (SqlType::Json, MySql) => "JSON",
        (SqlType::Json, Sqlite) => "TEXT",
    };
    out.write_all(name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(dialect: Dialect, s: &str) -> String {
        let mut out = Vec::new();
        write_string(&mut out, dialect, s.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn ident(dialect: Dialect, s: &str) -> String {
        let mut out = Vec::new();
        write_identifier(&mut out, dialect, s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn string_literals_per_dialect() {
        let hostile = r"'; DROP TABLE x; -- \' \\";
        assert_eq!(lit(Dialect::Postgres, hostile), r"'''; DROP TABLE x; -- \'' \\'");
        assert_eq!(lit(Dialect::Sqlite, hostile), r"'''; DROP TABLE x; -- \'' \\'");
        assert_eq!(lit(Dialect::MySql, hostile), r"'''; DROP TABLE x; -- \\'' \\\\'");
        assert_eq!(lit(Dialect::Postgres, "שלום 🎉\n"), "'שלום 🎉\n'");
        assert_eq!(lit(Dialect::MySql, ""), "''");
    }

    #[test]
    fn identifiers_per_dialect() {
        assert_eq!(ident(Dialect::Postgres, "address.city"), "\"address.city\"");
        assert_eq!(ident(Dialect::Sqlite, "we\"ird"), "\"we\"\"ird\"");
        assert_eq!(ident(Dialect::MySql, "back`tick"), "`back``tick`");
        assert_eq!(ident(Dialect::MySql, "say \"x\""), "`say \"x\"`");
        assert!(check_identifier(Dialect::Postgres, "").is_err());
        assert!(check_identifier(Dialect::Sqlite, "a\0b").is_err());
        assert!(check_identifier(Dialect::Postgres, &"x".repeat(64)).is_err());
        assert!(check_identifier(Dialect::Postgres, &"x".repeat(63)).is_ok());
        assert!(check_identifier(Dialect::MySql, &"é".repeat(64)).is_ok());
        assert!(check_identifier(Dialect::MySql, &"é".repeat(65)).is_err());
        assert!(check_identifier(Dialect::Sqlite, &"x".repeat(500)).is_ok());
    }

    #[test]
    fn column_types_per_dialect() {
        let ty = |d, t| {
            let mut out = Vec::new();
            write_type(&mut out, d, t).unwrap();
            String::from_utf8(out).unwrap()
        };
        let dec = SqlType::Decimal { precision: 10, scale: 2 };
        use Dialect::*;
        let expected = [
            (SqlType::Integer, ["BIGINT", "BIGINT", "INTEGER"]),
            (SqlType::Float, ["DOUBLE PRECISION", "DOUBLE", "REAL"]),
            (dec, ["NUMERIC(10,2)", "DECIMAL(10,2)", "NUMERIC"]),
            (SqlType::Boolean, ["BOOLEAN", "BOOLEAN", "INTEGER"]),
            (SqlType::Text, ["TEXT", "TEXT", "TEXT"]),
            (SqlType::Date, ["DATE", "DATE", "TEXT"]),
            (SqlType::Timestamp, ["TIMESTAMPTZ", "DATETIME", "TEXT"]),
            (SqlType::Json, ["JSONB", "JSON", "TEXT"]),
        ];
        for (t, names) in expected {
            for (d, name) in [Postgres, MySql, Sqlite].into_iter().zip(names) {
                assert_eq!(ty(d, t), name, "{t:?} in {d}");
            }
        }
    }
}
