//! Glyphs to words, by position: a glyph joins the word before it when it sits on the same
//! baseline and starts no further than a fraction of the font size after that word ends.
//!
//! The threshold is tuned on the real exports (see `docs/formats.md`): their table cells are
//! at least a quarter of a font size apart, their code columns (`201  13  01`) are separated
//! by space glyphs, and a Chinese sentence is drawn glyph by glyph with (nearly) zero gaps.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use budgetflow_layout::Word;

/// A gap wider than this many font sizes ends a word. Measured on the three real exports:
/// glyphs within a word are at most 0.083 font sizes apart, neighbouring table cells at least
/// 0.257 (`10,823,891.00` and `1,467,842.00` in a 财务收支预算总表); 0.15 sits between them.
const MAX_GAP: f32 = 0.15;
/// A glyph starting this many font sizes before the word's end (text drawn backwards or a new
/// column over an old one) starts a new word.
const MAX_OVERLAP: f32 = 0.5;
/// A repeat of the last glyph moved less than this many font sizes is an overprint.
const NUDGE: f32 = 0.1;
/// Baselines closer than this many font sizes are the same line.
const BASELINE_SLACK: f32 = 0.1;

/// One visible glyph, already in display space.
pub(crate) struct Glyph<'t> {
    pub text: &'t str,
    pub x0: f32,
    pub x1: f32,
    pub baseline: f32,
    pub top: f32,
    pub bottom: f32,
    pub size: f32,
}

pub(crate) struct WordBuilder {
    words: Vec<Word>,
    current: Option<(Word, f32)>,
    /// Glyphs already placed, to drop exact overprints (bold faked by drawing twice).
    seen: HashSet<(i32, i32, u64)>,
    /// The glyph placed last (text hash, left edge, baseline), to drop a repeat of it nudged by
    /// a fraction of a point (bold faked by drawing each glyph twice, slightly offset).
    last: Option<(u64, f32, f32)>,
    max_words: usize,
}

impl WordBuilder {
    pub fn new(max_words: usize) -> WordBuilder {
        WordBuilder {
            words: Vec::new(),
            current: None,
            seen: HashSet::new(),
            last: None,
            max_words,
        }
    }

    /// Whether the page has more words than allowed; checked by the interpreter after each
    /// operation so that a hostile page stops early.
    pub fn overflowed(&self) -> bool {
        self.words.len() > self.max_words
    }

    pub fn push(&mut self, glyph: Glyph<'_>) {
        if glyph.text.chars().all(char::is_whitespace) {
            self.finish_word();
            return;
        }
        let mut hasher = DefaultHasher::new();
        glyph.text.hash(&mut hasher);
        let text_hash = hasher.finish();
        let key = (
            (glyph.x0 * 100.0).round() as i32,
            (glyph.baseline * 100.0).round() as i32,
            text_hash,
        );
        if !self.seen.insert(key) {
            return;
        }
        // The same glyph again within a tenth of its size: an overprint, not a second letter
        // (two equal letters side by side are at least a narrow advance, ~0.25 size, apart).
        let nudged = self.last.is_some_and(|(hash, x0, baseline)| {
            hash == text_hash
                && (glyph.x0 - x0).abs() < NUDGE * glyph.size
                && (glyph.baseline - baseline).abs() < NUDGE * glyph.size
        });
        self.last = Some((text_hash, glyph.x0, glyph.baseline));
        if nudged {
            return;
        }
        if let Some((word, baseline)) = &mut self.current {
            let gap = glyph.x0 - word.x1;
            let size = word.size.max(glyph.size);
            if (glyph.baseline - *baseline).abs() <= BASELINE_SLACK * size
                && gap <= MAX_GAP * size
                && gap >= -MAX_OVERLAP * size
            {
                word.text.push_str(glyph.text);
                word.x1 = word.x1.max(glyph.x1);
                word.top = word.top.min(glyph.top);
                word.bottom = word.bottom.max(glyph.bottom);
                word.size = size;
                return;
            }
        }
        self.finish_word();
        self.current = Some((
            Word {
                text: glyph.text.to_owned(),
                x0: glyph.x0,
                x1: glyph.x1,
                top: glyph.top,
                bottom: glyph.bottom,
                size: glyph.size,
            },
            glyph.baseline,
        ));
    }

    /// Ends the current word: at a space, and where the page (or a form) ends.
    pub fn finish_word(&mut self) {
        if let Some((word, _)) = self.current.take() {
            self.words.push(word);
        }
    }

    pub fn into_words(mut self) -> Vec<Word> {
        self.finish_word();
        self.words
    }
}
