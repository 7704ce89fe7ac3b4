//! Where a run's bytes go: standard output or numbered files, framed per file (a CSV header,
//! a JSON array's brackets) and hashed (SHA-256) on the way for the manifest.
//!
//! # File names
//!
//! `--output` is a path template. `{shard}` is replaced by the shard index and `{part}` by the
//! file number (both zero-padded to 5 digits). When the run is a shard and the template has
//! no `{shard}`, `-sKKKKK` is inserted before the extension; when the run is split
//! (`--split-every`) and it has no `{part}`, `-pPPPPP` is. So `orders.jsonl` becomes
//! `orders-s00003-p00001.jsonl`, and the files of all shards sort by name in record order.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::manifest::hex;
use super::slice::Shard;

/// An `--output` path template (see the module docs).
#[derive(Debug, Clone)]
pub struct PathTemplate(pub String);

impl PathTemplate {
    /// The file of `part` (when the run is split) of `shard` (when it is one).
    pub fn file(&self, shard: Option<Shard>, part: Option<u64>) -> PathBuf {
        let mut path = self.0.clone();
        let mut fill = |placeholder: &str, prefix: &str, value: Option<u64>| match value {
            Some(v) if path.contains(placeholder) => path = path.replace(placeholder, &format!("{v:05}")),
            Some(v) => path = insert_before_extension(&path, &format!("-{prefix}{v:05}")),
            None => path = path.replace(placeholder, ""),
        };
        fill("{shard}", "s", shard.map(|s| s.index));
        fill("{part}", "p", part);
        PathBuf::from(path)
    }

    /// The default manifest of a run: its (unsplit) file name plus `.manifest.json`.
    pub fn manifest(&self, shard: Option<Shard>) -> PathBuf {
        let mut name = self.file(shard, None).into_os_string();
        name.push(".manifest.json");
        PathBuf::from(name)
    }
}

/// `stem-suffix.ext` from `stem.ext` (or `name-suffix` without an extension).
fn insert_before_extension(path: &str, suffix: &str) -> String {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let at = name_start + dot;
            format!("{}{suffix}{}", &path[..at], &path[at..])
        }
        _ => format!("{path}{suffix}"),
    }
}

/// How a file's records are framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framing {
    /// Chunks back to back, after an optional header (JSONL, SQL, CSV).
    Plain {
        /// Written first (the CSV header line).
        header: Option<String>,
    },
    /// One JSON array: `[`, the chunks' records separated by `,`, `]`.
    JsonArray,
}

/// A file (or standard output) that counts and, when asked, hashes (SHA-256) what passes.
pub struct HashedOutput {
    out: BufWriter<Box<dyn Write + Send>>,
    hash: Option<ring::digest::Context>,
    bytes: u64,
}

impl HashedOutput {
    /// Creates `path` (and its directory; standard output when `None`), hashed when `hash`.
    pub fn create(path: Option<&Path>, hash: bool) -> io::Result<HashedOutput> {
        let out: Box<dyn Write + Send> = match path {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    fs::create_dir_all(dir)?;
                }
                Box::new(fs::File::create(path)?)
            }
            None => Box::new(io::stdout()),
        };
        Ok(HashedOutput {
            // Chunks of at least this size go straight to `out` (no copy into the buffer).
            out: BufWriter::with_capacity(1 << 18, out),
            hash: hash.then(|| ring::digest::Context::new(&ring::digest::SHA256)),
            bytes: 0,
        })
    }

    /// Flushes: the size and (when hashed) hex SHA-256 of everything written.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        self.out.flush()?;
        let sha256 = self.hash.map(|h| hex(h.finish().as_ref())).unwrap_or_default();
        Ok((self.bytes, sha256))
    }
}

impl Write for HashedOutput {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.out.write(bytes)?;
        if let Some(hash) = &mut self.hash {
            hash.update(&bytes[..n]);
        }
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One text output being written: framing around chunks of encoded records.
pub struct PartOutput {
    out: HashedOutput,
    json_array: bool,
    first_chunk: bool,
}

impl PartOutput {
    /// Creates `path` (standard output when `None`), hashed when `hash`, and writes the
    /// framing's opening.
    pub fn create(path: Option<&Path>, hash: bool, framing: Framing) -> io::Result<PartOutput> {
        let mut part = PartOutput {
            out: HashedOutput::create(path, hash)?,
            json_array: framing == Framing::JsonArray,
            first_chunk: true,
        };
        match framing {
            Framing::Plain { header: Some(header) } => part.out.write_all(header.as_bytes())?,
            Framing::Plain { header: None } => {}
            Framing::JsonArray => part.out.write_all(b"[")?,
        }
        Ok(part)
    }

    /// Writes a chunk of encoded records (for a JSON array: records separated by `,`).
    pub fn write_chunk(&mut self, chunk: &[u8]) -> io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        if self.json_array && !self.first_chunk {
            self.out.write_all(b",")?;
        }
        self.first_chunk = false;
        self.out.write_all(chunk)
    }

    /// Closes the framing and flushes: the size and (when hashed) hex SHA-256.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        if self.json_array {
            self.out.write_all(b"]")?;
        }
        self.out.finish()
    }
}

/// JSONL chunk → the records of a JSON array chunk: each line's `\n` becomes `,` except the
/// last, which is dropped. (Compact JSON never holds a raw newline, so every `\n` ends a
/// record.)
pub fn jsonl_to_array_items(mut chunk: Vec<u8>) -> Vec<u8> {
    if chunk.last() == Some(&b'\n') {
        chunk.pop();
    }
    for byte in &mut chunk {
        if *byte == b'\n' {
            *byte = b',';
        }
    }
    chunk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_files_by_shard_and_part() {
        let t = PathTemplate("out/orders.jsonl".into());
        let shard = Some(Shard { index: 3, count: 16 });
        assert_eq!(t.file(None, None), PathBuf::from("out/orders.jsonl"));
        assert_eq!(t.file(shard, Some(1)), PathBuf::from("out/orders-s00003-p00001.jsonl"));
        assert_eq!(t.manifest(shard), PathBuf::from("out/orders-s00003.jsonl.manifest.json"));
        let t = PathTemplate("d.x/{shard}/part-{part}".into());
        assert_eq!(t.file(shard, Some(12)), PathBuf::from("d.x/00003/part-00012"));
        assert_eq!(insert_before_extension("a/.hidden", "-p1"), "a/.hidden-p1");
    }

    #[test]
    fn json_array_chunks_join_with_commas() {
        assert_eq!(
            jsonl_to_array_items(b"{\"a\":1}\n{\"b\":\"x\\ny\"}\n".to_vec()),
            b"{\"a\":1},{\"b\":\"x\\ny\"}"
        );
    }
}
