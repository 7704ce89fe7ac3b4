//! JSON array and JSON Lines writers.

use std::io::{self, BufWriter, Write};

use serde_json::Value;

use super::{ExportError, finish_buffer};

/// Streams records as one JSON array.
///
/// The output is byte-identical to `serde_json::to_string(&records)` (or
/// `to_string_pretty` when `pretty`): `[`, records separated by `,`, `]`; no records give `[]`.
///
/// ```
/// use serde_json::json;
/// use testdata::export::JsonArrayWriter;
///
/// let mut w = JsonArrayWriter::new(Vec::new(), false);
/// w.write_record(&json!({"a": 1}))?;
/// w.write_record(&json!({"a": [true, null]}))?;
/// assert_eq!(w.finish()?, br#"[{"a":1},{"a":[true,null]}]"#);
/// # Ok::<(), testdata::export::ExportError>(())
/// ```
#[derive(Debug)]
pub struct JsonArrayWriter<W: Write> {
    out: BufWriter<W>,
    pretty: bool,
    written: u64,
}

impl<W: Write> JsonArrayWriter<W> {
    /// A writer to `out`; `pretty` gives the layout of `serde_json::to_string_pretty`.
    pub fn new(out: W, pretty: bool) -> JsonArrayWriter<W> {
        JsonArrayWriter { out: BufWriter::new(out), pretty, written: 0 }
    }

    /// Writes one record (any JSON value).
    pub fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
        let separator: &[u8] = match (self.written, self.pretty) {
            (0, false) => b"[",
            (0, true) => b"[\n  ",
            (_, false) => b",",
            (_, true) => b",\n  ",
        };
        self.out.write_all(separator)?;
        if self.pretty {
            serde_json::to_writer_pretty(Indent(&mut self.out), record)?;
        } else {
            serde_json::to_writer(&mut self.out, record)?;
        }
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn records_written(&self) -> u64 {
        self.written
    }

    /// Writes the closing `]` (or `[]` when there were no records), flushes, returns the output.
    pub fn finish(mut self) -> Result<W, ExportError> {
        let trailer: &[u8] = match (self.written, self.pretty) {
            (0, _) => b"[]",
            (_, false) => b"]",
            (_, true) => b"\n]",
        };
        self.out.write_all(trailer)?;
        finish_buffer(self.out)
    }
}

/// Indents pretty JSON by one level (two spaces) after every newline. serde_json escapes
/// newlines inside strings, so every `\n` byte of its output is layout.
struct Indent<'a, W: Write>(&'a mut W);

impl<W: Write> Write for Indent<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = buf.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.0.write_all(first)?;
        }
        for line in lines {
            self.0.write_all(b"\n  ")?;
            self.0.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Streams records as JSON Lines: each record compact on its own line, ended by `\n`.
///
/// ```
/// use serde_json::json;
/// use testdata::export::JsonlWriter;
///
/// let mut w = JsonlWriter::new(Vec::new());
/// w.write_record(&json!({"a": "x\ny"}))?;
/// w.write_record(&json!({"a": 2}))?;
/// assert_eq!(w.finish()?, b"{\"a\":\"x\\ny\"}\n{\"a\":2}\n");
/// # Ok::<(), testdata::export::ExportError>(())
/// ```
#[derive(Debug)]
pub struct JsonlWriter<W: Write> {
    out: BufWriter<W>,
    written: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> JsonlWriter<W> {
        JsonlWriter { out: BufWriter::new(out), written: 0 }
    }

    /// Writes one record (any JSON value) and its newline.
    pub fn write_record(&mut self, record: &Value) -> Result<(), ExportError> {
        serde_json::to_writer(&mut self.out, record)?;
        self.out.write_all(b"\n")?;
        self.written += 1;
        Ok(())
    }

    /// How many records were written.
    pub fn records_written(&self) -> u64 {
        self.written
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> Result<W, ExportError> {
        finish_buffer(self.out)
    }
}
