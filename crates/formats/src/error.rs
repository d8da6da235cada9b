//! What can go wrong when reading a disclosure, with where and why.

use std::fmt;

/// A reading failure. Every variant says what was expected and what was found; those about
/// the text layout carry the 1-based line number.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("input is {size} bytes, larger than the {limit}-byte limit for one disclosure")]
    TooLarge { size: u64, limit: u64 },
    #[error("input is empty: expected a budget disclosure")]
    Empty,
    #[error(
        "input is binary, not text (byte {offset} is {byte:#04x}): expected a text export or JSON"
    )]
    Binary { offset: usize, byte: u8 },
    #[error(
        "input is neither UTF-8 nor GB18030 text (first undecodable byte near offset {offset})"
    )]
    Encoding { offset: usize },
    #[error("line {line}: {problem}")]
    Layout { line: usize, problem: Problem },
    #[error("not a budget disclosure: {0}")]
    NotADisclosure(String),
    #[error("JSON document: {0}")]
    Json(String),
}

/// A layout problem at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub context: String,
    pub expected: String,
    pub found: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found `{}`",
            self.context, self.expected, self.found
        )
    }
}

impl ReadError {
    pub(crate) fn layout(
        line: usize,
        context: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ReadError {
        ReadError::Layout {
            line,
            problem: Problem {
                context: context.into(),
                expected: expected.into(),
                found: found.into(),
            },
        }
    }
}
