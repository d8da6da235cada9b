//! Prose: the lines outside tables, read into headings and paragraphs.
//!
//! A paragraph runs on across line and page breaks until something starts a new one: an
//! indented first line, a numbered item (`1、` `（一）` `一、` `1.`), or a heading. A vertical
//! gap does not: the disclosures leave blank bands in the middle of sentences (a spreadsheet
//! cell split over two printed rows), and splitting there would cut a word in two. Lines are
//! joined without a space between CJK text and with one between Latin words.

use crate::features::{is_section_title, join_text, starts_numbered_item};
use crate::{Block, Line};

/// A first line indented by at least this many font sizes starts a paragraph (Chinese prose
/// indents by two characters).
const INDENT: f32 = 1.0;
/// A line at least this much larger than the body text is a heading.
const LARGER: f32 = 1.3;
/// A heading is at most this many characters; longer large text is prose.
const HEADING_MAX_CHARS: usize = 40;

/// A heading: a short centred line, a larger line, or a numbered section title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub page: u32,
}

/// A paragraph of prose with the pages it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub first_page: u32,
    pub last_page: u32,
}

/// What the prose and caption tests need to know about the document and the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Measures {
    /// The body text's font size (the median line's).
    pub(crate) body_size: f32,
    /// Where unindented prose lines begin on the page.
    pub(crate) margin: f32,
}

impl Measures {
    /// A line centred on the page and clear of the left margin.
    pub(crate) fn is_centred(&self, line: &Line, page_width: f32) -> bool {
        let (left, right) = (line.x0(), page_width - line.x1());
        (left - right).abs() <= (0.1 * page_width).max(3.0 * line.size)
            && left > self.margin + 4.0 * line.size
    }

    fn is_heading(&self, line: &Line, page_width: f32) -> bool {
        let text = line.text();
        let short = text.chars().count() <= HEADING_MAX_CHARS;
        short
            && (self.is_centred(line, page_width)
                || line.size >= LARGER * self.body_size
                || is_section_title(&text))
    }
}

/// Reads prose lines into blocks, keeping the paragraph open across pages.
#[derive(Default)]
pub(crate) struct ProseReader {
    current: Option<Paragraph>,
}

impl ProseReader {
    /// Reads one line, measured against its page.
    pub(crate) fn push(
        &mut self,
        line: &Line,
        page_width: f32,
        measures: &Measures,
        blocks: &mut Vec<Block>,
    ) {
        let text = line.text();
        if measures.is_heading(line, page_width) {
            self.close(blocks);
            blocks.push(Block::Heading(Heading {
                text,
                page: line.page,
            }));
            return;
        }
        let starts =
            line.x0() >= measures.margin + INDENT * line.size || starts_numbered_item(&text);
        match &mut self.current {
            Some(p) if !starts => {
                join_text(&mut p.text, &text);
                p.last_page = line.page;
            }
            _ => {
                self.close(blocks);
                self.current = Some(Paragraph {
                    text,
                    first_page: line.page,
                    last_page: line.page,
                });
            }
        }
    }

    /// Ends the open paragraph (before a table or a heading, or at the end).
    pub(crate) fn close(&mut self, blocks: &mut Vec<Block>) {
        if let Some(p) = self.current.take() {
            blocks.push(Block::Paragraph(p));
        }
    }
}
