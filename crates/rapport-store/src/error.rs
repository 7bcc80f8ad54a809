use rapport_core::validate::FieldErrors;

/// What can go wrong in storage, in terms the HTTP layer can map to a status.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist *in this organization* (other organizations'
    /// rows are indistinguishable from missing ones).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a state rule was broken, e.g. a duplicate e-mail
    /// or deleting a stage that still has touchpoints. The text is for users.
    #[error("conflict: {field}: {message}")]
    Conflict { field: String, code: &'static str, message: String },
    /// The input names rows that do not exist in this organization.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    /// The database could not take the request in time: its write lock or
    /// a row lock stayed held past the wait (SQLite's `SQLITE_BUSY` after
    /// the busy timeout, PostgreSQL's `lock_not_available`), or no
    /// connection came free. Worth retrying; logged as a warning.
    #[error("the database is busy")]
    Busy(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Anything else: the database is down, a bug. Logged, never shown.
    /// The cause comes through `source()` only: log the error chain.
    #[error("storage failure")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn conflict(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Conflict { field: field.into(), code, message: message.into() }
    }

    pub fn unknown_id(field: impl Into<String>) -> Self {
        StoreError::Invalid(FieldErrors::single(field, "unknown_id", "does not exist"))
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Internal(Box::new(e))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
