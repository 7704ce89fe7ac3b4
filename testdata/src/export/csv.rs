//! RFC 4180 CSV writer.

use std::io::{BufWriter, Write};

use serde_json::Value;

use super::columns::{Layout, kind};
use super::{Column, ExportError, columns_from_record, finish_buffer};

/// Streams records as RFC 4180 CSV: a header of dotted column names, then one row per record,
/// every line ended by `\r\n`.
///
/// A field is quoted when it contains `,` `"` CR or LF, starts or ends with a space or tab, or
/// is the empty string; `"` inside is doubled. `null` and missing values are empty fields, so
/// an empty field and `""` (the empty string) stay distinct. Numbers are written as serde_json
/// prints them, booleans as `true`/`false`, arrays and objects as compact JSON.
///
/// ```
/// use serde_json::json;
/// use testdata::export::CsvWriter;
///
/// let mut w = CsvWriter::new(Vec::new(), None);
/// w.write_record(&json!({"id": 1, "user": {"name": "Ann, \"A\""}, "note": ""}))?;
/// w.write_record(&json!({"id": 2, "user": {"name": null}}))?;
/// let csv = String::from_utf8(w.finish()?).unwrap();
/// assert_eq!(csv, "id,user.name,note\r\n1,\"Ann, \"\"A\"\"\",\"\"\r\n2,,\r\n");
/// # Ok::<(), testdata::export::ExportError>(())
/// ```
#[derive(Debug)]
pub struct CsvWriter<W: Write> {
    out: BufWriter<W>,
    fixed: Option<Vec<Column>>,
    layout: Option<Layout>,
    seen: u64,
    written: u64,
    scratch: Vec<u8>,
}

impl<W: Write> CsvWriter<W> {
    /// A writer to `out`; `columns` fixes the columns, `None` takes them from the first record.
    pub fn new(out: W, columns: Option<Vec<Column>>) -> CsvWriter<W> {
        CsvWriter {
            out: BufWriter::new(out),
            fixed: columns,
            layout: None,
            seen: 0,
            written: 0,
            scratch: Vec::new(),
        }
    }

    /// Writes one record (a JSON object), preceded by the header if it is the first.
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
                write_header(&mut self.out, layout.columns())?;
                self.layout.insert(layout)
            }
        };
        let slots = layout.slot(index, map)?;
        for (i, value) in slots.into_iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            write_value(&mut self.out, value, &mut self.scratch)?;
        }
        self.out.write_all(b"\r\n")?;
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn records_written(&self) -> u64 {
        self.written
    }

    /// Writes the header if no record came but the columns were given, flushes, and returns
    /// the output. With neither records nor columns the output is empty.
    pub fn finish(mut self) -> Result<W, ExportError> {
        if self.layout.is_none()
            && let Some(columns) = &self.fixed
        {
            let layout = Layout::new(columns)?;
            write_header(&mut self.out, layout.columns())?;
        }
        finish_buffer(self.out)
    }
}

fn write_header(out: &mut impl Write, columns: &[Column]) -> Result<(), ExportError> {
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_field(out, column.name.as_bytes())?;
    }
    out.write_all(b"\r\n")?;
    Ok(())
}

fn write_value(
    out: &mut impl Write,
    value: Option<&Value>,
    scratch: &mut Vec<u8>,
) -> Result<(), ExportError> {
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Bool(true)) => out.write_all(b"true")?,
        Some(Value::Bool(false)) => out.write_all(b"false")?,
        Some(Value::Number(n)) => serde_json::to_writer(out, n)?,
        Some(Value::String(s)) => write_field(out, s.as_bytes())?,
        Some(nested @ (Value::Array(_) | Value::Object(_))) => {
            scratch.clear();
            serde_json::to_writer(&mut *scratch, nested)?;
            write_field(out, scratch)?;
        }
    }
    Ok(())
}

/// Writes one text field, quoted only when needed.
fn write_field(out: &mut impl Write, field: &[u8]) -> std::io::Result<()> {
    let edge_space = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t'));
    let needs_quotes = field.is_empty()
        || edge_space(field.first())
        || edge_space(field.last())
        || field.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if !needs_quotes {
        return out.write_all(field);
    }
    out.write_all(b"\"")?;
    for chunk in field.split_inclusive(|&b| b == b'"') {
        out.write_all(chunk)?;
        if chunk.last() == Some(&b'"') {
            out.write_all(b"\"")?;
        }
    }
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> String {
        let mut out = Vec::new();
        write_field(&mut out, s.as_bytes()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("héllo 🎉 שלום"), "héllo 🎉 שלום");
        assert_eq!(field("back\\slash"), "back\\slash");
        assert_eq!(field(""), "\"\"");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("\""), "\"\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(field(" lead"), "\" lead\"");
        assert_eq!(field("trail\t"), "\"trail\t\"");
        assert_eq!(field("in ner"), "in ner");
    }
}
