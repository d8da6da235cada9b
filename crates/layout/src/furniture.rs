//! Page furniture: what a page prints because it is a page, not because the document says it.
//!
//! Two kinds are dropped, both only inside the top or bottom [`MARGIN`] of the page, where a
//! printer puts them (a table row or a sentence that happens to read `3` elsewhere is kept),
//! and only from lines of at most two cells without amounts:
//! a lone page number (`3`, `- 3 -`, `第3页`), and a line repeated at the same height with the
//! same text (digits aside, so `第3页` and `第4页` count as one) on at least [`REPEATED_MIN`]
//! pages and a quarter of them: a running header or footer.

use std::collections::{HashMap, HashSet};

use crate::features::{is_number, is_page_number};
use crate::Line;

/// The share of the page height, at the top and at the bottom, where furniture is looked for.
const MARGIN: f32 = 0.1;
/// A running header repeats on at least this many pages.
const REPEATED_MIN: usize = 3;
/// Heights within this many points count as the same position.
const SAME_HEIGHT: f32 = 2.0;

/// Splits each page's lines into content and furniture. `pages` are (page height, lines).
pub(crate) fn drop_furniture(pages: Vec<(f32, Vec<Line>)>) -> (Vec<Vec<Line>>, Vec<Line>) {
    // A running header or footer is a line of one or two cells (a title, a title and a page
    // number); a table row that happens to end a page at the same height on several pages
    // (`合计` and its amounts) has more cells or amounts, and is not one.
    let in_margin = |height: f32, line: &Line| {
        (line.bottom <= height * MARGIN || line.top >= height * (1.0 - MARGIN))
            && line.cells.len() <= 2
            && line.cells.iter().all(|c| {
                !is_number(&c.text)
                    || (c.text.len() <= 4 && c.text.bytes().all(|b| b.is_ascii_digit()))
            })
    };
    let key = |line: &Line| -> String {
        line.text()
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    // Same text within SAME_HEIGHT: bucket by height and look in the neighbouring buckets.
    let bucket = |line: &Line| (line.top / SAME_HEIGHT).round() as i64;
    let mut seen: HashMap<(String, i64), HashSet<u32>> = HashMap::new();
    for (height, lines) in &pages {
        for line in lines.iter().filter(|l| in_margin(*height, l)) {
            seen.entry((key(line), bucket(line)))
                .or_default()
                .insert(line.page);
        }
    }
    let repeated_min = REPEATED_MIN.max(pages.len().div_ceil(4));
    let is_repeated = |line: &Line| {
        let (k, b) = (key(line), bucket(line));
        let mut on: HashSet<u32> = HashSet::new();
        for near in [b - 1, b, b + 1] {
            if let Some(p) = seen.get(&(k.clone(), near)) {
                on.extend(p);
            }
        }
        on.len() >= repeated_min
    };

    let mut content = Vec::with_capacity(pages.len());
    let mut furniture = Vec::new();
    for (height, lines) in pages {
        let mut kept = Vec::with_capacity(lines.len());
        for line in lines {
            let margin = in_margin(height, &line);
            if margin && (is_page_number(&line.text()) || is_repeated(&line)) {
                furniture.push(line);
            } else {
                kept.push(line);
            }
        }
        content.push(kept);
    }
    (content, furniture)
}
