//! Where Weaviate is and what the pattern store calls its collections.

use std::time::Duration;

use super::error::WeaviateError;
use crate::rag::DocumentKind;

/// Weaviate's default gRPC port (its REST API is on 8080).
pub const DEFAULT_GRPC_PORT: u16 = 50051;

/// The old service's default collection of test-data patterns (`RAG_COLLECTION_PATTERNS`).
pub const DEFAULT_PATTERNS: &str = "testdata_patterns";
/// The old service's default collection of defect patterns (`RAG_COLLECTION_DEFECTS`).
pub const DEFAULT_DEFECTS: &str = "testdata_defects";
/// The default collection of production profiles (`RAG_COLLECTION_PROFILES`).
pub const DEFAULT_PROFILES: &str = "testdata_profiles";

/// How to reach a Weaviate and which collections hold the patterns.
#[derive(Clone, PartialEq, Eq)]
pub struct WeaviateSettings {
    /// The REST base URL (`WEAVIATE_URL`, e.g. `http://weaviate:8080`).
    pub url: String,
    /// The gRPC URL (`WEAVIATE_GRPC_URL`); `None`: the REST URL's scheme and host on port
    /// 50051 (see [`WeaviateSettings::grpc_url`]).
    pub grpc_url: Option<String>,
    /// The API key (`WEAVIATE_API_KEY`), sent as `Authorization: Bearer …` on both APIs.
    pub api_key: Option<String>,
    /// Collection of test-data patterns (`RAG_COLLECTION_PATTERNS`).
    pub patterns: String,
    /// Collection of defect patterns (`RAG_COLLECTION_DEFECTS`).
    pub defects: String,
    /// Collection of production profiles (`RAG_COLLECTION_PROFILES`).
    pub profiles: String,
    /// The longest one call may take (`WEAVIATE_TIMEOUT_MS`).
    pub timeout: Duration,
}

impl std::fmt::Debug for WeaviateSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WeaviateSettings")
            .field("url", &self.url)
            .field("grpc_url", &self.grpc_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("patterns", &self.patterns)
            .field("defects", &self.defects)
            .field("profiles", &self.profiles)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl WeaviateSettings {
    /// Settings for the Weaviate at `url`, with the default collections, no key and a 5 s
    /// timeout.
    pub fn new(url: &str) -> WeaviateSettings {
        WeaviateSettings {
            url: url.trim().trim_end_matches('/').to_owned(),
            grpc_url: None,
            api_key: None,
            patterns: DEFAULT_PATTERNS.into(),
            defects: DEFAULT_DEFECTS.into(),
            profiles: DEFAULT_PROFILES.into(),
            timeout: Duration::from_secs(5),
        }
    }

    /// The REST base URL without a trailing `/`.
    pub fn rest_url(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// The gRPC URL: `WEAVIATE_GRPC_URL` when given, else the REST URL's scheme and host
    /// with port 50051 (`http://weaviate:8080` → `http://weaviate:50051`; `https://host` →
    /// `https://host:50051`). Weaviate Cloud serves gRPC on another host (`grpc-<host>:443`):
    /// set `WEAVIATE_GRPC_URL` there.
    pub fn grpc_url(&self) -> Result<String, WeaviateError> {
        if let Some(url) = self.grpc_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        let (scheme, rest) =
            self.rest_url().split_once("://").ok_or_else(|| self.bad_url("has no scheme"))?;
        let authority = rest.split('/').next().unwrap_or_default();
        let host = match authority.rsplit_once(':') {
            // `[::1]:8080` or `host:8080`; a bare `[::1]` has its last `:` inside brackets.
            Some((host, port)) if !port.contains(']') => host,
            _ => authority,
        };
        if host.is_empty() {
            return Err(self.bad_url("has no host"));
        }
        Ok(format!("{scheme}://{host}:{DEFAULT_GRPC_PORT}"))
    }

    /// The collection holding documents of `kind`, as Weaviate names it (first letter upper
    /// case: Weaviate stores `testdata_patterns` as `Testdata_patterns`).
    pub fn collection(&self, kind: DocumentKind) -> String {
        let name = match kind {
            DocumentKind::TestData => &self.patterns,
            DocumentKind::Defect => &self.defects,
            DocumentKind::Profile => &self.profiles,
        };
        class_name(name)
    }

    /// Every collection, with the kind it holds.
    pub fn collections(&self) -> [(DocumentKind, String); 3] {
        [DocumentKind::TestData, DocumentKind::Defect, DocumentKind::Profile].map(|k| (k, self.collection(k)))
    }

    /// Checks the URLs and the collection names.
    pub fn validate(&self) -> Result<(), WeaviateError> {
        if !(self.rest_url().starts_with("http://") || self.rest_url().starts_with("https://")) {
            return Err(self.bad_url("must start with http:// or https://"));
        }
        self.grpc_url()?;
        for (setting, name) in [
            ("RAG_COLLECTION_PATTERNS", &self.patterns),
            ("RAG_COLLECTION_DEFECTS", &self.defects),
            ("RAG_COLLECTION_PROFILES", &self.profiles),
        ] {
            let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(WeaviateError::Settings(format!(
                    "{setting} is {name:?}; a Weaviate collection name starts with a letter and \
                     holds only letters, digits and `_`"
                )));
            }
        }
        if self.timeout.is_zero() {
            return Err(WeaviateError::Settings("WEAVIATE_TIMEOUT_MS is 0; give milliseconds > 0".into()));
        }
        Ok(())
    }

    fn bad_url(&self, why: &str) -> WeaviateError {
        WeaviateError::Settings(format!(
            "WEAVIATE_URL {:?} {why} (e.g. http://weaviate:8080); WEAVIATE_GRPC_URL sets the gRPC address",
            self.url
        ))
    }
}

/// A collection name as Weaviate keeps it: the first letter upper case.
pub fn class_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grpc_url_is_derived_from_the_rest_url() {
        let grpc = |url: &str| WeaviateSettings::new(url).grpc_url().unwrap();
        assert_eq!(grpc("http://weaviate:8080"), "http://weaviate:50051");
        assert_eq!(grpc("https://example.org/"), "https://example.org:50051");
        assert_eq!(grpc("http://[::1]:8080"), "http://[::1]:50051");
        assert_eq!(grpc("http://[::1]"), "http://[::1]:50051");
        let mut s = WeaviateSettings::new("http://weaviate:8080");
        s.grpc_url = Some("https://grpc-x.example:443/".into());
        assert_eq!(s.grpc_url().unwrap(), "https://grpc-x.example:443");
        assert!(WeaviateSettings::new("weaviate:8080").validate().is_err());
    }

    #[test]
    fn collections_are_capitalised_and_checked() {
        let mut s = WeaviateSettings::new("http://w:8080");
        assert_eq!(s.collection(DocumentKind::TestData), "Testdata_patterns");
        assert_eq!(s.collection(DocumentKind::Profile), "Testdata_profiles");
        s.defects = "bad-name".into();
        let e = s.validate().unwrap_err().to_string();
        assert!(e.contains("RAG_COLLECTION_DEFECTS"), "{e}");
    }
}
