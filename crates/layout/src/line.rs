//! Words into lines, lines into cells.
//!
//! A line is the words whose vertical centres lie within [`SAME_LINE`] of a glyph height of
//! each other: mixed fonts on one baseline jitter by a point or two, while the stacked header
//! cells of a budget table sit less than a line apart (about 0.9 of a height) and must stay
//! separate lines. A cell is a run of words in a line with no gap wider than [`CELL_GAP`]
//! font sizes: a space is a quarter to half of the size, the gutter between two table
//! columns is usually more than one and a half (`201  13  01`) but can be as little as a
//! third when two centred header labels nearly touch. Splitting finely is safe: cells that
//! fall in one column are joined again there. An amount or a code is always a cell of its
//! own, whatever the gap: a right-aligned amount can end a few points before the next
//! column's name.

use crate::features::{is_number, is_value, join_text};
use crate::{LayoutError, PageWords, Word};

/// Two words are on one line when their centres differ by less than this share of the taller
/// one's height.
const SAME_LINE: f32 = 0.4;
/// A gap wider than this many font sizes separates two cells.
const CELL_GAP: f32 = 0.4;
/// Two copies of a word whose boxes differ by less than this (points) are one word printed
/// twice (a bold effect, an overprint): merged.
const DUPLICATE: f32 = 0.5;

/// A run of words on one line that belongs together: a table cell, or a line of prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    /// Largest font size among the cell's words.
    pub size: f32,
}

impl Cell {
    pub(crate) fn centre_x(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    pub(crate) fn is_number(&self) -> bool {
        is_number(&self.text)
    }
}

/// One printed line: its cells sorted left to right, with the page it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub page: u32,
    pub top: f32,
    pub bottom: f32,
    /// Largest font size on the line.
    pub size: f32,
    pub cells: Vec<Cell>,
}

impl Line {
    pub fn x0(&self) -> f32 {
        self.cells.first().map_or(0.0, |c| c.x0)
    }

    pub fn x1(&self) -> f32 {
        self.cells.last().map_or(0.0, |c| c.x1)
    }

    /// The line's text as prose: its cells joined without spaces between CJK text.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for cell in &self.cells {
            join_text(&mut text, &cell.text);
        }
        text
    }

    pub(crate) fn has_number(&self) -> bool {
        self.cells.iter().any(Cell::is_number)
    }

    pub(crate) fn has_value(&self) -> bool {
        self.cells.iter().any(|c| is_value(&c.text))
    }
}

/// The lines of one page, top to bottom. Words with no visible text are skipped; a word with
/// a position that is not a finite number is refused, since nothing sensible can be said
/// about where it is.
pub fn lines_of_page(page: &PageWords) -> Result<Vec<Line>, LayoutError> {
    let mut words: Vec<&Word> = Vec::with_capacity(page.words.len());
    for (index, word) in page.words.iter().enumerate() {
        let coordinates = [word.x0, word.x1, word.top, word.bottom, word.size];
        if coordinates.iter().any(|v| !v.is_finite()) {
            return Err(LayoutError::NotFinite {
                page: page.number,
                index,
                text: word.text.chars().take(40).collect(),
            });
        }
        if word.x1 < word.x0 || word.bottom < word.top {
            return Err(LayoutError::InvertedBox {
                page: page.number,
                index,
                text: word.text.chars().take(40).collect(),
            });
        }
        if !word.text.trim().is_empty() {
            words.push(word);
        }
    }
    words.sort_by(|a, b| centre(a).total_cmp(&centre(b)).then(a.x0.total_cmp(&b.x0)));

    let mut lines = Vec::new();
    let mut current: Vec<&Word> = Vec::new();
    // The first word's centre anchors the line, so that a slow drift of centres cannot chain
    // two lines together.
    let mut anchor = (0.0f32, 0.0f32);
    for word in words {
        let (c, h) = (centre(word), height(word));
        if !current.is_empty() && (c - anchor.0).abs() > SAME_LINE * h.max(anchor.1) {
            lines.push(line_of(page.number, std::mem::take(&mut current)));
        }
        if current.is_empty() {
            anchor = (c, h);
        }
        current.push(word);
    }
    if !current.is_empty() {
        lines.push(line_of(page.number, current));
    }
    Ok(lines)
}

fn centre(w: &Word) -> f32 {
    (w.top + w.bottom) / 2.0
}

/// The glyph height, or the font size when the box is flat (some readers give zero-height
/// boxes for rotated or degenerate glyphs).
fn height(w: &Word) -> f32 {
    let h = w.bottom - w.top;
    if h > 0.0 {
        h
    } else {
        w.size.max(1.0)
    }
}

fn font_size(w: &Word) -> f32 {
    if w.size > 0.0 {
        w.size
    } else {
        height(w)
    }
}

fn line_of(page: u32, mut words: Vec<&Word>) -> Line {
    words.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.top.total_cmp(&b.top)));
    words.dedup_by(|b, a| {
        a.text == b.text
            && (a.x0 - b.x0).abs() < DUPLICATE
            && (a.top - b.top).abs() < DUPLICATE
            && (a.x1 - b.x1).abs() < DUPLICATE
    });
    let mut cells: Vec<Cell> = Vec::new();
    let mut last_was_number = false;
    for word in words {
        let size = font_size(word);
        let number = is_number(&word.text);
        let beside_number = std::mem::replace(&mut last_was_number, number) || number;
        if let Some(cell) = cells.last_mut() {
            let gap = word.x0 - cell.x1;
            if gap <= CELL_GAP * size.max(cell.size) && !beside_number {
                join_text(&mut cell.text, &word.text);
                cell.x1 = cell.x1.max(word.x1);
                cell.top = cell.top.min(word.top);
                cell.bottom = cell.bottom.max(word.bottom);
                cell.size = cell.size.max(size);
                continue;
            }
        }
        cells.push(Cell {
            text: word.text.trim().to_string(),
            x0: word.x0,
            x1: word.x1,
            top: word.top,
            bottom: word.bottom,
            size,
        });
    }
    let top = cells.iter().map(|c| c.top).fold(f32::INFINITY, f32::min);
    let bottom = cells
        .iter()
        .map(|c| c.bottom)
        .fold(f32::NEG_INFINITY, f32::max);
    let size = cells.iter().map(|c| c.size).fold(0.0, f32::max);
    Line {
        page,
        top,
        bottom,
        size,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_pages::{page, word};

    #[test]
    fn words_on_one_baseline_with_font_jitter_are_one_line_sorted_by_x() {
        let p = page(
            1,
            vec![
                word("经费", 200.0, 101.5, 12.0),
                word("行政运行", 60.0, 100.0, 12.0),
                word("9,389,913.00", 400.0, 99.0, 11.0),
                word("下一行", 60.0, 122.0, 12.0),
            ],
        );
        let lines = lines_of_page(&p).unwrap();
        assert_eq!(lines.len(), 2);
        let texts: Vec<&str> = lines[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["行政运行", "经费", "9,389,913.00"]);
        assert_eq!(lines[1].text(), "下一行");
        assert_eq!(lines[1].page, 1);
    }

    #[test]
    fn stacked_header_cells_less_than_a_line_apart_stay_separate_lines() {
        let p = page(
            1,
            vec![
                word("功能分类科目编码", 60.0, 165.0, 11.6),
                word("功能分类科目名称", 211.0, 175.9, 11.6),
                word("类", 68.0, 186.7, 11.6),
            ],
        );
        assert_eq!(lines_of_page(&p).unwrap().len(), 3);
    }

    #[test]
    fn code_columns_are_separate_cells_and_a_space_is_not_a_cell_break() {
        let p = page(
            1,
            vec![
                word("201", 64.9, 100.0, 11.6),
                word("13", 101.6, 100.0, 11.6),
                word("01", 135.2, 100.0, 11.6),
                word("上海市", 160.0, 100.0, 11.6),
                word("budget", 160.0 + 3.0 * 11.6 + 2.0, 100.0, 11.6),
                word(
                    "office",
                    160.0 + 3.0 * 11.6 + 2.0 + 3.0 * 11.6 + 3.0,
                    100.0,
                    11.6,
                ),
            ],
        );
        let lines = lines_of_page(&p).unwrap();
        let texts: Vec<&str> = lines[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["201", "13", "01", "上海市budget office"]);
    }

    #[test]
    fn an_amount_close_to_its_neighbours_is_a_cell_of_its_own() {
        let mut amount = word("21,601,733.00", 463.0, 100.0, 11.6);
        amount.x1 = 538.0;
        let p = page(
            1,
            vec![
                amount,
                word("10,823,891.00", 540.0, 100.0, 11.6),
                word("371,514,655.00", 202.7, 100.0, 11.6),
                word(
                    "一、一般公共服务支出",
                    202.7 + 14.0 * 5.8 + 2.0,
                    100.0,
                    11.6,
                ),
            ],
        );
        let lines = lines_of_page(&p).unwrap();
        let texts: Vec<&str> = lines[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "371,514,655.00",
                "一、一般公共服务支出",
                "21,601,733.00",
                "10,823,891.00"
            ]
        );
    }

    #[test]
    fn a_word_printed_twice_at_the_same_place_is_kept_once() {
        let p = page(
            1,
            vec![
                word("合计", 60.0, 100.0, 12.0),
                word("合计", 60.2, 100.1, 12.0),
            ],
        );
        assert_eq!(lines_of_page(&p).unwrap()[0].text(), "合计");
    }

    #[test]
    fn a_position_that_is_not_a_number_is_refused_with_page_and_word() {
        let mut bad = word("合计", 60.0, 100.0, 12.0);
        bad.top = f32::NAN;
        let err = lines_of_page(&page(7, vec![word("a", 1.0, 1.0, 1.0), bad])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "page 7, word 1 (\"合计\"): a position or size is not a finite number"
        );
    }
}
