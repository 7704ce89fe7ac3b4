//! How an answer is laid out in Redis: one tag byte, then the entry's JSON — plain (`j`) or,
//! above a size, LZ4-compressed with its length in front (`z`). A value that is neither, or
//! whose key is not the one asked for, is a miss, never an answer.

use testdata::cache::Entry;

/// Tag of a plain JSON value.
const PLAIN: u8 = b'j';
/// Tag of an LZ4 block (`lz4_flex` size-prepended format).
const LZ4: u8 = b'z';

/// What [`encode`] made of an entry.
#[derive(Debug)]
pub enum Encoded {
    /// The bytes to store.
    Value(Vec<u8>),
    /// The value would be this many bytes, above the limit: it is not stored.
    TooLarge(usize),
}

/// The stored form of `entry`: compressed when its JSON is longer than `compress_above`
/// bytes; [`Encoded::TooLarge`] when the result is longer than `max_bytes`.
pub fn encode(entry: &Entry, compress_above: usize, max_bytes: usize) -> Result<Encoded, String> {
    let json = serde_json::to_vec(entry).map_err(|e| format!("the entry does not serialize: {e}"))?;
    let mut value = Vec::with_capacity(json.len().min(compress_above) + 1);
    if json.len() > compress_above {
        value.push(LZ4);
        value.extend_from_slice(&lz4_flex::compress_prepend_size(&json));
    } else {
        value.push(PLAIN);
        value.extend_from_slice(&json);
    }
    if value.len() > max_bytes {
        return Ok(Encoded::TooLarge(value.len()));
    }
    Ok(Encoded::Value(value))
}

/// The entry stored as `value` under `key`; an error says why the value is not an entry of
/// this format (its JSON may expand to at most `max_json_bytes`).
pub fn decode(key: &str, value: &[u8], max_json_bytes: usize) -> Result<Entry, String> {
    let (&tag, body) = value.split_first().ok_or("the value is empty")?;
    let entry: Entry = match tag {
        PLAIN => serde_json::from_slice(body).map_err(|e| format!("the value is not an entry: {e}"))?,
        LZ4 => {
            let size: [u8; 4] =
                body.get(..4).and_then(|b| b.try_into().ok()).ok_or("the LZ4 value is cut")?;
            let size = u32::from_le_bytes(size) as usize;
            if size > max_json_bytes {
                return Err(format!(
                    "the LZ4 value claims {size} bytes, above the {max_json_bytes}-byte limit"
                ));
            }
            let json = lz4_flex::decompress_size_prepended(body)
                .map_err(|e| format!("the LZ4 value is corrupt: {e}"))?;
            serde_json::from_slice(&json).map_err(|e| format!("the value is not an entry: {e}"))?
        }
        other => return Err(format!("unknown value tag {other:#04x} (another format?)")),
    };
    if entry.key != key {
        return Err(format!("the value holds the entry of another key ({})", entry.key));
    }
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(records: usize) -> Entry {
        Entry {
            key: "llm:v1:abc".into(),
            request: json!({"entity": "review"}),
            records: (0..records)
                .map(|i| json!({"id": i, "body": "a fine product, would buy again"}))
                .collect(),
            usage: Default::default(),
            records_repaired: 1,
            fields_repaired: 2,
        }
    }

    #[test]
    fn small_entries_stay_plain_and_large_ones_are_compressed() {
        let small = entry(1);
        let Encoded::Value(v) = encode(&small, 4096, 1 << 20).unwrap() else { panic!("too large") };
        assert_eq!(v[0], PLAIN);
        assert_eq!(decode("llm:v1:abc", &v, 1 << 20).unwrap(), small);

        let large = entry(500);
        let Encoded::Value(v) = encode(&large, 4096, 1 << 20).unwrap() else { panic!("too large") };
        assert_eq!(v[0], LZ4);
        let plain = serde_json::to_vec(&large).unwrap().len();
        assert!(v.len() * 4 < plain, "{} compressed vs {plain} plain", v.len());
        assert_eq!(decode("llm:v1:abc", &v, 1 << 20).unwrap(), large);
    }

    #[test]
    fn values_above_the_limit_are_refused() {
        assert!(matches!(encode(&entry(500), usize::MAX, 1000).unwrap(), Encoded::TooLarge(n) if n > 1000));
    }

    #[test]
    fn foreign_or_corrupt_values_are_errors_not_entries() {
        let Encoded::Value(v) = encode(&entry(3), 4096, 1 << 20).unwrap() else { panic!() };
        assert!(decode("llm:v1:other", &v, 1 << 20).unwrap_err().contains("another key"));
        assert!(decode("k", b"", 100).unwrap_err().contains("empty"));
        assert!(decode("k", b"{\"key\":1}", 100).unwrap_err().contains("tag"));
        assert!(decode("k", b"z\xff\xff\xff\x7f", 100).unwrap_err().contains("limit"));
        let cut = decode("k", b"z\x10\x00\x00\x00\xf0", 100).unwrap_err();
        assert!(cut.contains("corrupt"), "{cut}");
        assert!(decode("k", b"jnot json", 100).unwrap_err().contains("not an entry"));
    }
}
