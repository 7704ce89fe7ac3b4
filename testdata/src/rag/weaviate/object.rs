//! A pattern document as a Weaviate object, and back.
//!
//! | property | type | tokenization | why |
//! |---|---|---|---|
//! | `doc_id` | text | `field` | the document's id (objects are keyed by a UUID derived from it) |
//! | `domain`, `entity` | text | `field` | filtered on by exact value: `cart` never matches `cart_item` |
//! | `text` | text | `word` | what BM25 ranks: description, scenario, the record's text values |
//! | `quality` | number | — | the tie-breaker (sort) |
//! | `document` | text | not indexed | the whole document as JSON, returned by searches |

use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use crate::rag::Document;

/// Property names.
pub mod prop {
    /// The document id.
    pub const DOC_ID: &str = "doc_id";
    /// The domain.
    pub const DOMAIN: &str = "domain";
    /// The entity.
    pub const ENTITY: &str = "entity";
    /// The ranked text.
    pub const TEXT: &str = "text";
    /// The quality.
    pub const QUALITY: &str = "quality";
    /// The JSON document.
    pub const DOCUMENT: &str = "document";
}

/// The property definitions of a pattern collection (`POST /v1/schema`).
pub fn collection_schema(class: &str, description: &str) -> Value {
    let filter_only = |name: &str| {
        json!({"name": name, "dataType": ["text"], "tokenization": "field",
               "indexFilterable": true, "indexSearchable": false})
    };
    json!({
        "class": class,
        "description": description,
        "vectorizer": "none",
        "properties": [
            filter_only(prop::DOC_ID),
            filter_only(prop::DOMAIN),
            filter_only(prop::ENTITY),
            {"name": prop::TEXT, "dataType": ["text"], "tokenization": "word",
             "indexFilterable": false, "indexSearchable": true},
            {"name": prop::QUALITY, "dataType": ["number"]},
            {"name": prop::DOCUMENT, "dataType": ["text"], "indexFilterable": false, "indexSearchable": false},
        ],
    })
}

/// The properties of `doc` as a Weaviate object.
pub fn properties(doc: &Document) -> Result<Value, serde_json::Error> {
    Ok(json!({
        prop::DOC_ID: doc.id,
        prop::DOMAIN: doc.domain,
        prop::ENTITY: doc.entity,
        prop::TEXT: doc.search_text(),
        prop::QUALITY: doc.quality(),
        prop::DOCUMENT: serde_json::to_string(doc)?,
    }))
}

/// The object UUID of a document: stable for its kind and id (so importing a document again
/// replaces it), shaped as a version-8 UUID from SHA-256.
pub fn object_id(doc: &Document) -> String {
    let hash = digest(&SHA256, format!("testdata-pattern:{}:{}", doc.kind().name(), doc.id).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash.as_ref()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_stable_uuids_per_kind_and_id() {
        let doc: Document = serde_json::from_str(
            r#"{"kind":"test_data","id":"cart-1","domain":"ecommerce","entity":"cart","record":{}}"#,
        )
        .unwrap();
        let id = object_id(&doc);
        assert_eq!(id, object_id(&doc.clone()));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8");
        let props = properties(&doc).unwrap();
        let back: Document = serde_json::from_str(props[prop::DOCUMENT].as_str().unwrap()).unwrap();
        assert_eq!(back, doc);
    }
}
