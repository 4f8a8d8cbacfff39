//! The library's errors: bad input (always naming the file) and checker failures. Anything a
//! case cannot represent is not an error but an [`crate::Unsupported`] reason.

use std::path::PathBuf;

use thiserror::Error;

/// Why `verify-trace` could not run.
#[derive(Debug, Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {message}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The operating system's message.
        message: String,
    },
    /// A state-test file is not valid JSON or not the state-test structure.
    #[error("{}: malformed state-test JSON: {message}", file.display())]
    StateTestJson {
        /// The file.
        file: PathBuf,
        /// serde's message (with line and column).
        message: String,
    },
    /// A fork other than the one gavel runs was asked for.
    #[error("fork {0:?} is not supported: gavel runs Osaka only")]
    Fork(String),
    /// A gavel genesis file is invalid.
    #[error(transparent)]
    Genesis(#[from] gavel_trace::GenesisError),
    /// A gavel batch file is invalid.
    #[error(transparent)]
    Batch(#[from] gavel_trace::BatchError),
    /// A batch path names neither a batch file nor a directory with `batch.json`.
    #[error("{}: {message}", file.display())]
    BatchPath {
        /// The path given.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The step checker failed (not a verdict: the checker itself broke).
    #[error("step checker failed at trace index {trace_index}: {message}")]
    Checker {
        /// The step.
        trace_index: u64,
        /// What happened.
        message: String,
    },
    /// Replaying or tracing a transition failed where the first run succeeded: a bug.
    #[error("{context}: {source}")]
    Exec {
        /// Where.
        context: String,
        /// The executor's error.
        source: gavel_trace::ExecError,
    },
}
