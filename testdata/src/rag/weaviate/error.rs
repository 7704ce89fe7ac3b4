//! What can go wrong talking to Weaviate, each with the setting or action that fixes it.

/// A Weaviate pattern-store failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeaviateError {
    /// A setting cannot work.
    #[error("Weaviate settings: {0}")]
    Settings(String),
    /// No connection (refused, DNS, TLS, timeout).
    #[error(
        "Weaviate at {url} is unreachable ({message}); check WEAVIATE_URL/WEAVIATE_GRPC_URL and that Weaviate runs"
    )]
    Unreachable {
        /// The URL called.
        url: String,
        /// The transport error.
        message: String,
    },
    /// `GET /v1/.well-known/ready` did not answer 200.
    #[error(
        "Weaviate at {url} is not ready (GET /v1/.well-known/ready answered {status}); wait for it to start"
    )]
    NotReady {
        /// The REST base URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The API key was missing or refused (HTTP 401/403, gRPC UNAUTHENTICATED/PERMISSION_DENIED).
    #[error("Weaviate refused the {call} call ({detail}); set WEAVIATE_API_KEY to a key with access")]
    Unauthorized {
        /// The call (`POST /v1/schema`, `Search`).
        call: String,
        /// The status and message.
        detail: String,
    },
    /// A REST call answered an error status.
    #[error("Weaviate {call} answered HTTP {status}: {body}")]
    Http {
        /// The call.
        call: String,
        /// The HTTP status.
        status: u16,
        /// The body (shortened).
        body: String,
    },
    /// A gRPC call failed.
    #[error("Weaviate gRPC {call} failed with {code}: {message}")]
    Grpc {
        /// The method.
        call: String,
        /// The gRPC code.
        code: String,
        /// Its message.
        message: String,
    },
    /// A collection exists with a schema the store cannot use safely.
    #[error(
        "Weaviate collection {collection}: {problem}; delete it (DELETE /v1/schema/{collection}) and import again, or choose another RAG_COLLECTION_* name"
    )]
    Schema {
        /// The collection.
        collection: String,
        /// What is wrong.
        problem: String,
    },
    /// Objects of a batch import were rejected.
    #[error("Weaviate rejected {failed} of {total} objects of the import; first: {first}")]
    Batch {
        /// Rejected objects.
        failed: usize,
        /// Objects sent.
        total: usize,
        /// The first error message.
        first: String,
    },
    /// An answer did not have the documented shape.
    #[error("Weaviate {call} answered something unexpected: {message}")]
    Decode {
        /// The call.
        call: String,
        /// What was wrong.
        message: String,
    },
}

/// Shortens a response body for an error message.
pub(crate) fn excerpt(body: &str) -> String {
    const MAX: usize = 300;
    let body = body.trim();
    match body.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &body[..at]),
        None => body.to_owned(),
    }
}
