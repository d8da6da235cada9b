//! # budgetflow-layout
//!
//! The neutral layout between a source format and the model. A PDF reader (`budgetflow-pdf`)
//! turns a file into [`PageWords`]: the words each page prints and where. Everything that
//! decides what those words *are* — lines, table grids, header cells spanning several lines,
//! wrapped names, page furniture, paragraphs continuing across pages — works on these
//! positions, never on bytes, so that a template profile can recognise a layout whatever
//! produced it.
//!
//! Coordinates are PDF points with the origin at the top-left corner of the page and `y`
//! growing downwards (the reverse of PDF user space), so that reading order is ascending
//! `(top, x0)`.

/// A run of glyphs printed on one baseline with no gap wider than a space between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    /// Left edge of the first glyph.
    pub x0: f32,
    /// Right edge of the last glyph (its advance).
    pub x1: f32,
    /// Top of the glyph box (baseline minus ascent), from the top of the page.
    pub top: f32,
    /// Bottom of the glyph box (baseline minus descent), from the top of the page.
    pub bottom: f32,
    /// The font size in points, as rendered (after the text matrix and CTM).
    pub size: f32,
}

/// The words of one page, in content-stream order.
#[derive(Debug, Clone, PartialEq)]
pub struct PageWords {
    /// 1-based page number, as a reader of the file would count pages.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
}
