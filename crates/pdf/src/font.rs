//! What the interpreter needs of a font: how its strings split into character codes, the
//! text each code stands for, each code's advance width, and the glyph box's ascent and
//! descent.
//!
//! Text comes from the font's ToUnicode CMap when it has one (every CID font of the real
//! exports does), else, for simple fonts, from the encoding (WinAnsi or Latin-1 base plus
//! `/Differences` glyph names). A code with no known text reads as U+FFFD, so a page whose
//! fonts lack maps still shows *where* text is instead of pretending to be blank.

use std::collections::HashMap;

use lopdf::{Dictionary, Object};

use crate::cmap::{self, CMapError, Codespace, ToUnicode};
use crate::document::{name, number, Source};
use crate::error::PdfError;

pub(crate) struct Font {
    codespace: Codespace,
    to_unicode: Option<ToUnicode>,
    /// Text of single-byte codes for simple fonts (from the encoding).
    simple_text: Option<Vec<Option<String>>>,
    widths: Widths,
    /// Glyph space → text space for widths: 1/1000 except for Type3 fonts' `/FontMatrix`.
    width_scale: f32,
    /// Top and bottom of the glyph box over the baseline, in text space units (× font size).
    pub ascent: f32,
    pub descent: f32,
    /// Vertical writing (`Identity-V`): glyphs advance downwards; such text is not read.
    pub vertical: bool,
    /// Single-byte code 32 takes word spacing (`Tw`); multi-byte codes never do.
    one_byte: bool,
}

enum Widths {
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Cid {
        single: HashMap<u32, f32>,
        ranges: Vec<(u32, u32, f32)>,
        default: f32,
    },
}

/// One character code of a shown string.
pub(crate) struct Code<'f> {
    pub text: Text<'f>,
    /// Advance in text space units, before font size and horizontal scaling.
    pub width: f32,
    /// Whether word spacing applies (single-byte code 32).
    pub word_space: bool,
}

pub(crate) enum Text<'f> {
    Mapped(&'f str),
    Char(char),
}

impl Font {
    pub fn load(
        source: &Source<'_>,
        dict: &Dictionary,
        page: u32,
        resource_name: &[u8],
    ) -> Result<Font, PdfError> {
        let subtype = name(source.get(dict, b"Subtype")).unwrap_or(b"");
        let too_large = |object| PdfError::CMapTooLarge {
            page,
            font: String::from_utf8_lossy(resource_name).into_owned(),
            object,
            limit: source.limits.max_cmap_entries,
        };
        let to_unicode = match dict.get(b"ToUnicode").map(|o| source.resolve(o)) {
            Ok((id, Object::Stream(stream))) => {
                let program = source.decode(page, id, stream)?;
                match ToUnicode::parse(&program, source.font_entries_left()) {
                    Ok(map) => {
                        source.spend_font_entries(map.len());
                        Some(map)
                    }
                    Err(CMapError::TooManyEntries) => return Err(too_large(id)),
                }
            }
            _ => None,
        };
        let font = if subtype == b"Type0" {
            Font::composite(source, dict, page, to_unicode)?
        } else {
            Font::simple(source, dict, subtype, to_unicode)
        };
        let widths = match &font.widths {
            Widths::Simple { widths, .. } => widths.len(),
            Widths::Cid { single, ranges, .. } => single.len() + ranges.len(),
        };
        if widths > source.font_entries_left() {
            return Err(too_large(None));
        }
        source.spend_font_entries(widths);
        Ok(font)
    }

    fn composite(
        source: &Source<'_>,
        dict: &Dictionary,
        page: u32,
        to_unicode: Option<ToUnicode>,
    ) -> Result<Font, PdfError> {
        let (codespace, vertical) = match dict.get(b"Encoding").map(|o| source.resolve(o)) {
            Ok((_, Object::Name(encoding))) => (Codespace::two_byte(), encoding.ends_with(b"-V")),
            Ok((id, Object::Stream(stream))) => {
                let program = source.decode(page, id, stream)?;
                let vertical = source.get_number(&stream.dict, b"WMode") == Some(1.0);
                let codespace = cmap::parse_codespace(&program)
                    .or_else(|| to_unicode.as_ref().and_then(|m| m.codespace.clone()))
                    .unwrap_or_else(Codespace::two_byte);
                (codespace, vertical)
            }
            _ => (Codespace::two_byte(), false),
        };
        let descendant = match source.get(dict, b"DescendantFonts") {
            Object::Array(fonts) => fonts
                .first()
                .and_then(|f| crate::document::as_dict(source.resolve(f).1)),
            _ => None,
        };
        let mut single = HashMap::new();
        let mut ranges = Vec::new();
        let mut default = 1000.0;
        let mut descriptor = None;
        if let Some(cid_font) = descendant {
            default = source.get_number(cid_font, b"DW").unwrap_or(1000.0);
            descriptor = source.get_dict(cid_font, b"FontDescriptor");
            if let Object::Array(w) = source.get(cid_font, b"W") {
                let items: Vec<&Object> = w.iter().map(|o| source.resolve(o).1).collect();
                let mut i = 0;
                while i < items.len() {
                    match (items.get(i).and_then(|o| number(o)), items.get(i + 1)) {
                        (Some(first), Some(Object::Array(list))) => {
                            for (k, width) in list.iter().enumerate() {
                                if let Some(width) = number(source.resolve(width).1) {
                                    single.insert((first as u32).saturating_add(k as u32), width);
                                }
                            }
                            i += 2;
                        }
                        (Some(first), Some(last)) => {
                            if let (Some(last), Some(width)) =
                                (number(last), items.get(i + 2).and_then(|o| number(o)))
                            {
                                ranges.push((first as u32, last as u32, width));
                            }
                            i += 3;
                        }
                        _ => i += 1,
                    }
                }
            }
        }
        // Sorted, so that a code finds its range by binary search however many there are.
        ranges.sort_by_key(|(first, _, _)| *first);
        let (ascent, descent) = metrics(source, descriptor);
        Ok(Font {
            codespace,
            to_unicode,
            simple_text: None,
            widths: Widths::Cid {
                single,
                ranges,
                default,
            },
            width_scale: 0.001,
            ascent,
            descent,
            vertical,
            one_byte: false,
        })
    }

    fn simple(
        source: &Source<'_>,
        dict: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<ToUnicode>,
    ) -> Font {
        let descriptor = source.get_dict(dict, b"FontDescriptor");
        let first = source
            .get_number(dict, b"FirstChar")
            .unwrap_or(0.0)
            .max(0.0) as u32;
        let widths = match source.get(dict, b"Widths") {
            Object::Array(w) => w
                .iter()
                .take(256)
                .map(|o| number(source.resolve(o).1).unwrap_or(0.0))
                .collect(),
            _ => Vec::new(),
        };
        let missing = descriptor
            .and_then(|d| source.get_number(d, b"MissingWidth"))
            .unwrap_or(if widths.is_empty() { 500.0 } else { 0.0 });
        let width_scale = if subtype == b"Type3" {
            source
                .get_numbers(dict, b"FontMatrix")
                .and_then(|m| m.first().copied())
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let (ascent, descent) = metrics(source, descriptor);
        Font {
            codespace: Codespace::one_byte(),
            to_unicode,
            simple_text: Some(simple_encoding(source, dict)),
            widths: Widths::Simple {
                first,
                widths,
                missing,
            },
            width_scale,
            ascent,
            descent,
            vertical: false,
            one_byte: true,
        }
    }

    /// Splits a shown string into its character codes.
    pub fn codes<'f>(&'f self, mut bytes: &[u8], mut each: impl FnMut(Code<'f>)) {
        while !bytes.is_empty() {
            let (code, len) = self.codespace.next_code(bytes);
            bytes = &bytes[len.min(bytes.len())..];
            let text = self
                .to_unicode
                .as_ref()
                .and_then(|m| m.get(code))
                .or_else(|| {
                    let table = self.simple_text.as_ref()?;
                    table.get(code as usize)?.as_deref()
                })
                .map_or(Text::Char(char::REPLACEMENT_CHARACTER), Text::Mapped);
            each(Code {
                text,
                width: self.width(code) * self.width_scale,
                word_space: self.one_byte && len == 1 && code == 32,
            });
        }
    }

    fn width(&self, code: u32) -> f32 {
        match &self.widths {
            Widths::Simple {
                first,
                widths,
                missing,
            } => code
                .checked_sub(*first)
                .and_then(|i| widths.get(i as usize))
                .copied()
                .unwrap_or(*missing),
            Widths::Cid {
                single,
                ranges,
                default,
            } => single.get(&code).copied().unwrap_or_else(|| {
                let after = ranges.partition_point(|(first, _, _)| *first <= code);
                match after.checked_sub(1).map(|i| ranges[i]) {
                    Some((_, last, width)) if code <= last => width,
                    _ => *default,
                }
            }),
        }
    }
}

/// Ascent and descent from the font descriptor, in text space units. Producers write zeros
/// or nonsense often enough that implausible values fall back to common CJK-font metrics.
fn metrics(source: &Source<'_>, descriptor: Option<&Dictionary>) -> (f32, f32) {
    let ascent = descriptor
        .and_then(|d| source.get_number(d, b"Ascent"))
        .map(|a| a / 1000.0)
        .filter(|a| *a > 0.2 && *a < 2.0)
        .unwrap_or(0.88);
    let descent = descriptor
        .and_then(|d| source.get_number(d, b"Descent"))
        .map(|d| d / 1000.0)
        .filter(|d| *d <= 0.0 && *d > -1.0)
        .unwrap_or(-0.12);
    (ascent, descent)
}

/// The text of each single-byte code: WinAnsi or Latin-1 as the base, then `/Differences`.
fn simple_encoding(source: &Source<'_>, dict: &Dictionary) -> Vec<Option<String>> {
    let encoding = source.get(dict, b"Encoding");
    let (base, differences) = match encoding {
        Object::Name(base) => (Some(base.as_slice()), None),
        Object::Dictionary(enc) => (
            name(source.get(enc, b"BaseEncoding")),
            match source.get(enc, b"Differences") {
                Object::Array(d) => Some(d),
                _ => None,
            },
        ),
        _ => (None, None),
    };
    let mut table: Vec<Option<String>> = (0u8..=255)
        .map(|b| {
            match b {
                0x80..=0x9F if base == Some(b"WinAnsiEncoding") => {
                    WIN_ANSI_80_9F[usize::from(b - 0x80)]
                }
                0x00..=0x1F | 0x7F..=0x9F => None,
                _ => Some(char::from(b)),
            }
            .map(String::from)
        })
        .collect();
    if let Some(differences) = differences {
        let mut code = 0usize;
        for item in differences {
            match source.resolve(item).1 {
                Object::Integer(n) => code = (*n).clamp(0, 256) as usize,
                Object::Name(glyph) => {
                    if let Some(slot) = table.get_mut(code) {
                        *slot = glyph_text(glyph);
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    table
}

const WIN_ANSI_80_9F: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The text an Adobe glyph name stands for: `uniXXXX`, `uXXXX`, one-letter names, the ASCII
/// punctuation and digit names that office exports use, and the Latin ligatures (as their
/// letters, as pdftotext gives them: a search for "office" must find it).
fn glyph_text(glyph: &[u8]) -> Option<String> {
    let glyph = std::str::from_utf8(glyph).ok()?;
    if matches!(glyph, "ff" | "fi" | "fl" | "ffi" | "ffl") {
        return Some(glyph.to_owned());
    }
    glyph_char(glyph).map(String::from)
}

fn glyph_char(glyph: &str) -> Option<char> {
    if glyph.len() == 1 && glyph.as_bytes()[0].is_ascii_alphabetic() {
        return glyph.chars().next();
    }
    for prefix in ["uni", "u"] {
        if let Some(hex) = glyph.strip_prefix(prefix) {
            if (4..=6).contains(&hex.len()) {
                if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    return Some(c);
                }
            }
        }
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("asciicircum", '^'),
        ("underscore", '_'),
        ("grave", '`'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
        ("quoteleft", '‘'),
        ("quoteright", '’'),
        ("quotedblleft", '“'),
        ("quotedblright", '”'),
        ("endash", '–'),
        ("emdash", '—'),
        ("bullet", '•'),
        ("ellipsis", '…'),
        ("yen", '¥'),
        ("section", '§'),
        ("degree", '°'),
        ("multiply", '×'),
        ("divide", '÷'),
        ("nbspace", '\u{a0}'),
    ];
    NAMES.iter().find(|(n, _)| *n == glyph).map(|(_, c)| *c)
}
