//! # budgetflow-formats
//!
//! Readers and writers of budget disclosures, so that every other crate works on the typed
//! [`budgetflow_model::Document`] and never on bytes:
//!
//! - [`text`]: the text export of a disclosure PDF, as in `samples/urumqi-miit-2025.txt` —
//!   tab-separated tables with repeated page headers, numbered explanation sections, project
//!   descriptions, performance-target tables and a glossary. `text::read` copes with what real
//!   exports contain, and hands its tables to the 11-table template's [`profile`] as a PDF's
//!   tables are; `text::write` writes the same layout so that `read(write(doc)) == doc`.
//! - [`profile`]: template profiles — a region's printed template as data — and the reader
//!   that builds the model from a layout with one.
//! - [`json`]: the canonical, versioned JSON form of the model.
//! - [`facts`]: every number the tables print, one record each (`budgetflow facts`).
//! - [`decode`]: bytes to text: size limit, binary detection, UTF-8 (with or without BOM) or
//!   GB18030/GBK.
//!
//! Errors name the line, what was expected and what was found (an excerpt: never more than 64
//! characters of the input); an unreadable input is an error, never a panic. What a reader
//! materialises is bounded ([`limits`]): lines, line length, cells per row, rows per table,
//! JSON nesting, items, values and string length.

pub mod decode;
pub mod derive;
pub mod error;
pub mod facts;
pub mod json;
pub mod limits;
pub mod numerals;
pub mod profile;
pub mod text;

pub use error::ReadError;

/// Reads a disclosure from bytes: a PDF when it starts with `%PDF-`, canonical JSON when it
/// starts with `{`, the text layout otherwise.
pub fn read_any(bytes: &[u8]) -> Result<budgetflow_model::Document, ReadError> {
    if bytes.starts_with(b"%PDF-") {
        return read_pdf(bytes);
    }
    let text = decode::decode(bytes)?;
    if text.trim_start().starts_with('{') {
        json::read_str(&text)
    } else {
        text::read_str(&text)
    }
}

/// Reads a born-digital PDF: its words and their positions (`budgetflow-pdf`), the layout they
/// make (`budgetflow-layout`), then the template profile that recognises it ([`profile`]).
pub fn read_pdf(bytes: &[u8]) -> Result<budgetflow_model::Document, ReadError> {
    profile::read_layout(&pdf_layout(bytes)?)
}

/// The layout of a born-digital PDF, before any profile: what `budgetflow layout` shows a
/// person writing a profile.
pub fn pdf_layout(bytes: &[u8]) -> Result<budgetflow_layout::Layout, ReadError> {
    let pages = budgetflow_pdf::read(bytes)?;
    Ok(budgetflow_layout::analyse(&pages)?)
}

/// Reads a file (size-checked before it is loaded, so a huge file never fills memory).
pub fn read_path(path: &std::path::Path) -> Result<budgetflow_model::Document, ReadError> {
    let bytes = decode::read_limited(path)?;
    read_any(&bytes)
}
