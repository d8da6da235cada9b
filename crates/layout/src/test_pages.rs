//! Pages built in code for the tests: words placed at a position with a width that follows
//! from their text, as a CJK font prints it (a full size per CJK character, half for others).

use crate::features::is_cjk;
use crate::{PageWords, Word};

pub(crate) fn word(text: &str, x0: f32, top: f32, size: f32) -> Word {
    let width: f32 = text
        .chars()
        .map(|c| if is_cjk(c) { size } else { size / 2.0 })
        .sum();
    Word {
        text: text.to_string(),
        x0,
        x1: x0 + width,
        top,
        bottom: top + size,
        size,
    }
}

/// A word whose right edge is at `x1`: an amount right-aligned in its column.
pub(crate) fn right(text: &str, x1: f32, top: f32, size: f32) -> Word {
    let mut w = word(text, 0.0, top, size);
    w.x0 = x1 - w.x1;
    w.x1 = x1;
    w
}

/// A word centred on `centre`: a header label.
pub(crate) fn centred(text: &str, centre: f32, top: f32, size: f32) -> Word {
    let mut w = word(text, 0.0, top, size);
    let half = w.x1 / 2.0;
    w.x0 = centre - half;
    w.x1 = centre + half;
    w
}

/// A landscape A4 page.
pub(crate) fn page(number: u32, words: Vec<Word>) -> PageWords {
    PageWords {
        number,
        width: 842.0,
        height: 595.0,
        words,
    }
}
