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
//!
//! [`analyse`] reads a document's pages into [`Layout`]: a sequence of [`Block`]s, each a
//! [`Heading`], a [`Paragraph`] or a [`Table`], in reading order, with page furniture (page
//! numbers, running headers and footers) set aside. It decides by geometry and generic text
//! features (what an amount, a numbered item or a `label：value` field looks like), never by
//! one department's wording, so that other offices and years of the same template read
//! without code changes. The thresholds and why they are what they are live with the code
//! that uses them: [`line`] for lines and cells, [`table`] for grids, [`prose`] for
//! paragraphs, [`furniture`] for what is dropped.
//!
//! Every step sorts once per page and otherwise walks lines in order; the only comparisons of
//! everything against everything are among one table header's labels, capped at a dozen
//! lines.

mod features;
pub mod furniture;
pub mod line;
mod outline;
pub mod prose;
pub mod table;
#[cfg(test)]
mod test_pages;
#[cfg(test)]
mod tests;

pub use line::{lines_of_page, Cell, Line};
pub use prose::{Heading, Paragraph};
pub use table::{a1, Column, Field, Note, Place, Row, Table};

use prose::{Measures, ProseReader};
use table::{Resumed, TableReader};

/// A word the layout cannot place.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutError {
    #[error("page {page}, word {index} ({text:?}): a position or size is not a finite number")]
    NotFinite {
        page: u32,
        index: usize,
        text: String,
    },
    #[error("page {page}, word {index} ({text:?}): its box ends before it starts")]
    InvertedBox {
        page: u32,
        index: usize,
        text: String,
    },
}

/// A document's structure in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub blocks: Vec<Block>,
    /// The lines dropped as page furniture, kept so that nothing disappears unseen.
    pub furniture: Vec<Line>,
}

/// One unit of a document's structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(Heading),
    Paragraph(Paragraph),
    Table(Table),
}

/// A caption is a centred line, larger than the body text or followed by a meta line, with a
/// line of at least [`CAPTION_TABLE_CELLS`] cells among the next [`CAPTION_LOOKAHEAD`] lines:
/// a centred heading followed by prose is not a table.
const CAPTION_LOOKAHEAD: usize = 10;
/// A page's own prose margin is used when at least this many full lines show it.
const PAGE_MARGIN_MIN_LINES: usize = 5;
const CAPTION_TABLE_CELLS: usize = 3;
const TABLE_CELL_MAX_CHARS: usize = 24;
const CAPTION_LARGER: f32 = 1.3;
/// Captions are centred over their table, not always over the page (a table narrower than
/// the page sits off centre): a caption may be off the page's centre by this share of the
/// page width on either side, more than a heading (one tenth).
const CAPTION_OFF_CENTRE: f32 = 0.15;

/// Reads the structure of a document from its pages' words, pages in the order given.
pub fn analyse(pages: &[PageWords]) -> Result<Layout, LayoutError> {
    let mut lined = Vec::with_capacity(pages.len());
    for page in pages {
        lined.push((page.height, lines_of_page(page)?));
    }
    let (content, furniture) = furniture::drop_furniture(lined);
    let body_size = body_size(&content);
    // The document's margin is the median of its pages' margins, each page weighing as many
    // full lines as it has; a page with only a few full lines (all of them indented, say) is
    // measured against it.
    let margins: Vec<Option<(f32, usize)>> = content
        .iter()
        .zip(pages)
        .map(|(lines, page)| prose_margin(lines, page.width))
        .collect();
    let mut weighted: Vec<(f32, usize)> = margins.iter().flatten().copied().collect();
    weighted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = weighted.iter().map(|m| m.1).sum::<usize>().div_ceil(2);
    let document_margin = weighted
        .iter()
        .scan(0, |seen, m| {
            *seen += m.1;
            Some((*seen, m.0))
        })
        .find(|(seen, _)| *seen >= half)
        .map(|(_, margin)| margin)
        .or_else(|| content.iter().flatten().map(Line::x0).reduce(f32::min))
        .unwrap_or(0.0);

    let mut blocks = Vec::new();
    let mut prose = ProseReader::default();
    let mut open: Option<TableReader> = None;
    for ((lines, page), margin) in content.iter().zip(pages).zip(margins) {
        let width = page.width;
        // A page's own margin when enough full lines of prose show it: a document may mix
        // landscape table pages and portrait prose pages.
        let measures = Measures {
            body_size,
            margin: margin
                .filter(|m| m.1 >= PAGE_MARGIN_MIN_LINES)
                .map_or(document_margin, |m| m.0),
        };
        let is_caption = |i: usize| is_caption(lines, i, width, &measures);
        let mut i = 0;
        if let Some(reader) = open.take() {
            match reader.resume(lines, &is_caption) {
                Resumed::Continues(read) => {
                    i = read.next;
                    if read.reader.is_open() {
                        open = Some(read.reader);
                    } else {
                        blocks.push(Block::Table(read.reader.finish()));
                    }
                }
                Resumed::Ended(table) => blocks.push(Block::Table(table)),
            }
        }
        while i < lines.len() {
            if is_caption(i) {
                prose.close(&mut blocks);
                let read = TableReader::begin(lines, i, &is_caption);
                i = read.next;
                if read.reader.is_open() {
                    open = Some(read.reader);
                } else {
                    blocks.push(Block::Table(read.reader.finish()));
                }
                continue;
            }
            prose.push(&lines[i], width, &measures, &mut blocks);
            i += 1;
        }
    }
    if let Some(reader) = open {
        blocks.push(Block::Table(reader.finish()));
    }
    prose.close(&mut blocks);
    Ok(Layout { blocks, furniture })
}

fn is_caption(lines: &[Line], i: usize, page_width: f32, measures: &Measures) -> bool {
    let line = &lines[i];
    let (left, right) = (line.x0(), page_width - line.x1());
    let near_centre = (left - right).abs() <= CAPTION_OFF_CENTRE * page_width
        && left > measures.margin + 4.0 * line.size;
    let followed_by_meta = || {
        lines.get(i + 1).is_some_and(|next| {
            next.cells
                .iter()
                .all(|c| features::split_field(&c.text).is_some())
        })
    };
    near_centre
        && !line.has_number()
        && (line.size >= CAPTION_LARGER * measures.body_size || followed_by_meta())
        && lines[i + 1..]
            .iter()
            .take(CAPTION_LOOKAHEAD)
            .any(is_table_line)
}

/// A line that can only be part of a table: at least [`CAPTION_TABLE_CELLS`] cells, none of
/// them longer than [`TABLE_CELL_MAX_CHARS`] (a numbered sentence split around its number has
/// long cells) and none a leader (the dots of a contents line).
fn is_table_line(line: &Line) -> bool {
    let leader = |text: &str| {
        text.chars().count() >= 3 && text.chars().all(|c| matches!(c, '…' | '.' | '·'))
    };
    line.cells.len() >= CAPTION_TABLE_CELLS
        && line
            .cells
            .iter()
            .all(|c| c.text.chars().count() <= TABLE_CELL_MAX_CHARS && !leader(&c.text))
}

/// The body text's font size: the median line's.
fn body_size(content: &[Vec<Line>]) -> f32 {
    let mut sizes: Vec<f32> = content.iter().flatten().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(12.0)
}

/// Where unindented prose begins on a page, and on how many lines that rests: the leftmost
/// edge of full lines of prose (one or two cells spanning half the page or more; table rows
/// have more cells). Not the most common edge: a page of numbered items one and a bit lines
/// long has more indented first lines than unindented continuations.
fn prose_margin(lines: &[Line], page_width: f32) -> Option<(f32, usize)> {
    lines
        .iter()
        .filter(|l| l.cells.len() <= 2 && l.x1() - l.x0() >= 0.5 * page_width)
        .fold(None, |acc, l| match acc {
            None => Some((l.x0(), 1)),
            Some((x, n)) => Some((l.x0().min(x), n + 1)),
        })
}

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
