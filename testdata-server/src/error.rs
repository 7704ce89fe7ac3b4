//! The errors of a request: each a sentence naming the field at fault and what to do, plus a
//! class ([`ErrorKind`]) that the gRPC edge maps to the in-band `error_code` or a status code.

/// The class of a request error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A request field is invalid.
    InvalidArgument,
    /// The entity or predefined schema is not registered.
    NotFound,
    /// `count` exceeds the sync limit.
    CountLimit,
    /// The request needs a dependency that is not configured or not reachable.
    Unavailable,
    /// The request cannot be served as asked (a unique field runs out of values).
    FailedPrecondition,
    /// A server fault.
    Internal,
}

impl ErrorKind {
    /// A short label for metrics (`invalid_argument`, `not_found`, …).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::NotFound => "not_found",
            ErrorKind::CountLimit => "count_limit",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::FailedPrecondition => "failed_precondition",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// A request field is invalid (the message names it).
    #[error("{0}")]
    InvalidArgument(String),
    /// The entity or predefined schema is not registered (the message lists the known ones).
    #[error("{0}")]
    NotFound(String),
    /// `count` is above the sync limit; the text is the old service's, which callers match.
    #[error("Count {count} exceeds max sync limit {limit}. Use streaming instead.")]
    CountLimit {
        /// The requested count.
        count: i64,
        /// The limit (`MAX_SYNC_RECORDS`).
        limit: u32,
    },
    /// A dependency of the request is missing or down.
    #[error("{0}")]
    Unavailable(String),
    /// The request cannot be served as asked.
    #[error("{0}")]
    FailedPrecondition(String),
    /// A server fault.
    #[error("internal error: {0}; please report it with the request")]
    Internal(String),
}

impl ServiceError {
    /// The class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::InvalidArgument(_) => ErrorKind::InvalidArgument,
            ServiceError::NotFound(_) => ErrorKind::NotFound,
            ServiceError::CountLimit { .. } => ErrorKind::CountLimit,
            ServiceError::Unavailable(_) => ErrorKind::Unavailable,
            ServiceError::FailedPrecondition(_) => ErrorKind::FailedPrecondition,
            ServiceError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// An invalid-argument error.
    pub fn invalid(message: impl Into<String>) -> ServiceError {
        ServiceError::InvalidArgument(message.into())
    }
}

impl From<testdata::GenerateError> for ServiceError {
    fn from(e: testdata::GenerateError) -> ServiceError {
        ServiceError::FailedPrecondition(e.to_string())
    }
}
