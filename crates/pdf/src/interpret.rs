//! The content-stream interpreter: runs a page's operators with the text state (`Tm`, `Td`,
//! `TD`, `T*`, `Tf`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`, `Tr`, `Tj`, `TJ`, `'`, `"`), the graphics
//! state stack (`q`/`Q`, `cm`), rectangular clipping (`re … W n`) and form XObjects, and hands
//! every glyph that a reader would *see* to the [`WordBuilder`].
//!
//! Seen means: horizontal (rotated and vertical text is left out), not invisible (render mode
//! 3), and inside the clip. The clip matters on the real exports: WPS draws a table cell that
//! spans a page break in full on *both* pages and clips each page to its share, so without the
//! clip test the text of the cell would be read twice (see `docs/formats.md`). Clip paths are
//! kept as their bounding boxes, which can only keep a glyph that is clipped by a curved path,
//! never drop one that is shown.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Object};

use crate::content::{Lexer, Operand};
use crate::document::{name, Source};
use crate::error::{ObjectId, PdfError};
use crate::font::{Font, Text};
use crate::geometry::{Matrix, Rect};
use crate::words::{Glyph, WordBuilder};

/// Deeper `q` nesting than this is not a real page.
const MAX_SAVED_STATES: usize = 4096;
/// Render mode 3: glyphs neither filled nor stroked (an OCR layer, hidden text).
const INVISIBLE: i64 = 3;

#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    clip: Rect,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scaling: f32,
    leading: f32,
    rise: f32,
    render_mode: i64,
}

/// Fonts are cached per document: pages share them, and a CID font's maps are the costly part.
pub(crate) type FontCache = HashMap<FontKey, Rc<Font>>;

/// Fonts referenced by object id are cached by it; a direct font dictionary by its address,
/// which is stable while the document is borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FontKey {
    Object(ObjectId),
    Direct(usize),
}

pub(crate) struct Interpreter<'a, 'c> {
    source: &'c Source<'a>,
    page: u32,
    /// User space → display space (top-left origin, `y` down, page rotation applied).
    display: Matrix,
    fonts: &'c mut FontCache,
    operators: usize,
    pub words: WordBuilder,
}

impl<'a, 'c> Interpreter<'a, 'c> {
    pub fn new(
        source: &'c Source<'a>,
        page: u32,
        display: Matrix,
        fonts: &'c mut FontCache,
    ) -> Interpreter<'a, 'c> {
        Interpreter {
            source,
            page,
            display,
            fonts,
            operators: 0,
            words: WordBuilder::new(source.limits.max_words_per_page),
        }
    }

    pub fn run_page(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        page_box: Rect,
    ) -> Result<(), PdfError> {
        let state = GraphicsState {
            ctm: Matrix::IDENTITY,
            clip: page_box,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        };
        self.run(content, resources, state, 0)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        mut gs: GraphicsState,
        depth: usize,
    ) -> Result<(), PdfError> {
        let limits = self.source.limits;
        let mut saved: Vec<GraphicsState> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path: Option<Rect> = None;
        let mut clip_pending = false;
        let mut lexer = Lexer::new(content);
        let mut ops: Vec<Operand<'_>> = Vec::new();
        while let Some(operator) = lexer
            .next_operation(&mut ops)
            .map_err(|_| PdfError::BadContent { page: self.page })?
        {
            self.operators += 1;
            if self.operators > limits.max_operators_per_page {
                return Err(PdfError::TooManyOperators {
                    page: self.page,
                    limit: limits.max_operators_per_page,
                });
            }
            let num = |i: usize| ops.get(i).and_then(Operand::number);
            match operator {
                b"q" => {
                    if saved.len() >= MAX_SAVED_STATES {
                        return Err(PdfError::BadPage {
                            page: self.page,
                            detail: format!(
                                "graphics states saved (q) more than {MAX_SAVED_STATES} deep"
                            ),
                        });
                    }
                    saved.push(gs.clone());
                }
                b"Q" => {
                    if let Some(previous) = saved.pop() {
                        gs = previous;
                    }
                }
                b"cm" => {
                    if let Some(m) = matrix(&ops) {
                        gs.ctm = m.then(&gs.ctm);
                    }
                }
                b"BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                // A `Tf` without a font name is a garbled operation, skipped like any
                // operator with the wrong operands; a named font that is missing is an error.
                b"Tf" => {
                    if let (Some(font_name), Some(size)) =
                        (ops.first().and_then(Operand::name), num(1))
                    {
                        gs.font = Some(self.font(resources, font_name)?);
                        gs.font_size = size;
                    }
                }
                b"Tc" => gs.char_spacing = num(0).unwrap_or(0.0),
                b"Tw" => gs.word_spacing = num(0).unwrap_or(0.0),
                b"Tz" => gs.horizontal_scaling = num(0).unwrap_or(100.0) / 100.0,
                b"TL" => gs.leading = num(0).unwrap_or(0.0),
                b"Ts" => gs.rise = num(0).unwrap_or(0.0),
                b"Tr" => gs.render_mode = num(0).map_or(0, |mode| mode as i64),
                b"Td" | b"TD" => {
                    let (tx, ty) = (num(0).unwrap_or(0.0), num(1).unwrap_or(0.0));
                    if operator == b"TD" {
                        gs.leading = -ty;
                    }
                    tlm = Matrix::translation(tx, ty).then(&tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    if let Some(m) = matrix(&ops) {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = Matrix::translation(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                }
                b"Tj" => {
                    if let Some(bytes) = ops.first().and_then(Operand::string) {
                        self.show(&gs, &mut tm, bytes);
                    }
                }
                b"'" | b"\"" => {
                    if operator == b"\"" {
                        gs.word_spacing = num(0).unwrap_or(gs.word_spacing);
                        gs.char_spacing = num(1).unwrap_or(gs.char_spacing);
                    }
                    tlm = Matrix::translation(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                    if let Some(bytes) = ops.last().and_then(Operand::string) {
                        self.show(&gs, &mut tm, bytes);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Operand::String(bytes) => self.show(&gs, &mut tm, bytes),
                                other => {
                                    let adjust = other.number().unwrap_or(0.0);
                                    let tx =
                                        -adjust / 1000.0 * gs.font_size * gs.horizontal_scaling;
                                    tm = Matrix::translation(tx, 0.0).then(&tm);
                                }
                            }
                        }
                    }
                }
                b"re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                        let to_display = gs.ctm.then(&self.display);
                        for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                            include(&mut path, to_display.apply(px, py));
                        }
                    }
                }
                b"m" | b"l" | b"c" | b"v" | b"y" => {
                    let to_display = gs.ctm.then(&self.display);
                    for pair in ops.chunks_exact(2) {
                        if let (Some(px), Some(py)) = (pair[0].number(), pair[1].number()) {
                            include(&mut path, to_display.apply(px, py));
                        }
                    }
                }
                b"W" | b"W*" => clip_pending = true,
                b"n" | b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                    if clip_pending {
                        let area = path.unwrap_or(Rect::spanning(0.0, 0.0, 0.0, 0.0));
                        gs.clip = gs.clip.intersect(&area);
                    }
                    clip_pending = false;
                    path = None;
                }
                b"Do" => {
                    if let Some(xobject) = ops.first().and_then(Operand::name) {
                        self.form(resources, xobject, &gs, depth)?;
                    }
                }
                _ => {}
            }
            if self.words.overflowed() {
                return Err(PdfError::TooManyWords {
                    page: self.page,
                    limit: limits.max_words_per_page,
                });
            }
        }
        Ok(())
    }

    /// Shows a string: every code advances the text matrix; the visible ones become glyphs.
    fn show(&mut self, gs: &GraphicsState, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        let to_display = gs.ctm.then(&self.display);
        let size = gs.font_size;
        let scale = gs.horizontal_scaling;
        let words = &mut self.words;
        font.codes(bytes, |code| {
            let render = tm.then(&to_display);
            let extent = code.width * size * scale;
            let visible = gs.render_mode != INVISIBLE
                && !font.vertical
                && render.is_finite()
                && render.a > 0.0
                && render.d < 0.0
                && render.b.abs() <= 0.01 * render.a
                && render.c.abs() <= 0.01 * -render.d;
            if visible {
                let (x0, baseline) = render.apply(0.0, gs.rise);
                let (x1, _) = render.apply(extent, gs.rise);
                let top = baseline + render.d * font.ascent * size;
                let bottom = baseline + render.d * font.descent * size;
                if gs.clip.contains((x0 + x1) / 2.0, (top + bottom) / 2.0) {
                    let mut buffer = [0u8; 4];
                    let text = match code.text {
                        Text::Mapped(text) => text,
                        Text::Char(c) => c.encode_utf8(&mut buffer),
                    };
                    words.push(Glyph {
                        text,
                        x0,
                        x1: x1.max(x0),
                        baseline,
                        top,
                        bottom,
                        size: -render.d * size,
                    });
                }
            }
            let spacing = gs.char_spacing
                + if code.word_space {
                    gs.word_spacing
                } else {
                    0.0
                };
            let advance = (code.width * size + spacing) * scale;
            *tm = Matrix::translation(advance, 0.0).then(tm);
        });
    }

    fn font(
        &mut self,
        resources: Option<&'a Dictionary>,
        font_name: &[u8],
    ) -> Result<Rc<Font>, PdfError> {
        let missing = || PdfError::MissingFont {
            page: self.page,
            name: String::from_utf8_lossy(font_name).into_owned(),
        };
        let fonts = resources
            .and_then(|r| self.source.get_dict(r, b"Font"))
            .ok_or_else(missing)?;
        let entry = fonts.get(font_name).map_err(|_| missing())?;
        let (id, object) = self.source.resolve(entry);
        let dict = crate::document::as_dict(object).ok_or_else(missing)?;
        let key = cache_key(id, dict);
        if let Some(font) = self.fonts.get(&key) {
            return Ok(font.clone());
        }
        let font = Rc::new(Font::load(self.source, dict, self.page, font_name)?);
        self.fonts.insert(key, font.clone());
        Ok(font)
    }

    fn form(
        &mut self,
        resources: Option<&'a Dictionary>,
        xobject: &[u8],
        gs: &GraphicsState,
        depth: usize,
    ) -> Result<(), PdfError> {
        let source = self.source;
        let Some(entry) = resources
            .and_then(|r| source.get_dict(r, b"XObject"))
            .and_then(|x| x.get(xobject).ok())
        else {
            return Ok(());
        };
        let (id, Object::Stream(stream)) = source.resolve(entry) else {
            return Ok(());
        };
        if name(source.get(&stream.dict, b"Subtype")) != Some(b"Form") {
            return Ok(());
        }
        let limit = source.limits.max_xobject_depth;
        if depth + 1 > limit {
            return Err(PdfError::XObjectTooDeep {
                page: self.page,
                object: id,
                limit,
            });
        }
        let content = source.decode(self.page, id, stream)?;
        let mut inner = gs.clone();
        if let Some(m) = source
            .get_numbers(&stream.dict, b"Matrix")
            .and_then(|m| matrix_of(&m))
        {
            inner.ctm = m.then(&gs.ctm);
        }
        if let Some(b) = source.get_numbers(&stream.dict, b"BBox") {
            if let [x0, y0, x1, y1] = b[..] {
                let to_display = inner.ctm.then(&self.display);
                let mut area = None;
                for (px, py) in [(x0, y0), (x1, y0), (x0, y1), (x1, y1)] {
                    include(&mut area, to_display.apply(px, py));
                }
                if let Some(area) = area {
                    inner.clip = inner.clip.intersect(&area);
                }
            }
        }
        let inner_resources = source.get_dict(&stream.dict, b"Resources").or(resources);
        // A form's words are its own: a word never runs from the page into a form.
        self.words.finish_word();
        self.run(&content, inner_resources, inner, depth + 1)?;
        self.words.finish_word();
        Ok(())
    }
}

fn cache_key(id: Option<ObjectId>, dict: &Dictionary) -> FontKey {
    match id {
        Some(id) => FontKey::Object(id),
        None => FontKey::Direct(std::ptr::from_ref(dict) as usize),
    }
}

fn include(area: &mut Option<Rect>, (x, y): (f32, f32)) {
    match area {
        Some(rect) => rect.include(x, y),
        None => *area = Some(Rect::spanning(x, y, x, y)),
    }
}

fn matrix(ops: &[Operand<'_>]) -> Option<Matrix> {
    let values: Option<Vec<f32>> = ops.iter().map(Operand::number).collect();
    matrix_of(&values?)
}

fn matrix_of(values: &[f32]) -> Option<Matrix> {
    match values {
        [a, b, c, d, e, f] => Some(Matrix::new(*a, *b, *c, *d, *e, *f)),
        _ => None,
    }
}
