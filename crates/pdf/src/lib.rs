//! # budgetflow-pdf
//!
//! Reads a born-digital PDF disclosure (WPS, Word, ONLYOFFICE exports) into the words each page
//! shows and where ([`budgetflow_layout::PageWords`]), for the layout analysis to turn into
//! tables. No OCR: a PDF without a text layer is refused with [`PdfError::NoTextLayer`].
//!
//! `lopdf` reads the file's objects; the content-stream interpreter, the ToUnicode CMap
//! parser, glyph widths and the merging of glyphs into words are our own (why: see
//! `docs/formats.md`, "Reading a PDF"). Every input is treated as hostile: [`Limits`] bounds
//! the file, its objects and pages, every decoded stream and their total, the operators and
//! words of a page, form nesting and character maps; every refusal is a [`PdfError`] that
//! names the page and object. Encrypted PDFs are refused, not decrypted.

mod cmap;
mod content;
mod document;
mod error;
mod font;
mod geometry;
mod interpret;
mod words;

use std::collections::HashSet;

use budgetflow_layout::PageWords;
use lopdf::{Dictionary, Document, LoadOptions, Object};

use crate::document::{as_dict, Source};
pub use crate::error::{ObjectId, PdfError};
use crate::geometry::{Matrix, Rect};
use crate::interpret::{FontCache, Interpreter};

/// Bounds on what one PDF may cost to read. The defaults fit the largest real disclosures
/// with a wide margin (a 22-page budget is 150–190 kB with under 50 kB of content per page).
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// The file itself, like the other readers' 16 MB.
    pub max_input_bytes: usize,
    pub max_pages: usize,
    /// Indirect objects in the file.
    pub max_objects: usize,
    /// Any one stream, decoded (a Flate bomb stops here).
    pub max_stream_bytes: usize,
    /// All streams decoded while reading, together.
    pub max_total_stream_bytes: usize,
    /// Content operators on one page, forms included.
    pub max_operators_per_page: usize,
    pub max_words_per_page: usize,
    /// Forms within forms (a form that draws itself stops here).
    pub max_xobject_depth: usize,
    /// Codes all ToUnicode CMaps may map together (ranges count every code they cover), plus
    /// the fonts' width entries: a font costs memory by these, not by its stream's size.
    pub max_cmap_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 16 * 1024 * 1024,
            max_pages: 500,
            max_objects: 500_000,
            max_stream_bytes: 64 * 1024 * 1024,
            max_total_stream_bytes: 64 * 1024 * 1024,
            max_operators_per_page: 2_000_000,
            max_words_per_page: 50_000,
            max_xobject_depth: 12,
            max_cmap_entries: 500_000,
        }
    }
}

/// Reads every page's words with the default [`Limits`].
pub fn read(bytes: &[u8]) -> Result<Vec<PageWords>, PdfError> {
    read_with(bytes, &Limits::default())
}

/// Reads every page's words: coordinates in points from the top-left corner of the page as
/// displayed (its crop box, its `/Rotate` applied), words in content-stream order.
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<Vec<PageWords>, PdfError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(PdfError::TooLarge {
            size: bytes.len(),
            limit: limits.max_input_bytes,
        });
    }
    // The header may follow a little junk (the spec allows it within the first 1024 bytes).
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|error| match error {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            PdfError::ObjectStreamTooLarge { limit }
        }
        other => PdfError::Malformed {
            detail: other.to_string(),
        },
    })?;
    if doc.trailer.has(b"Encrypt") || doc.was_encrypted() {
        return Err(PdfError::Encrypted);
    }
    if doc.objects.len() > limits.max_objects {
        return Err(PdfError::TooManyObjects {
            count: doc.objects.len(),
            limit: limits.max_objects,
        });
    }
    let source = Source::new(&doc, limits);
    let mut fonts = FontCache::new();
    let mut pages = Vec::new();
    for (index, page) in page_tree(&source)?.into_iter().enumerate() {
        pages.push(read_page(&source, &mut fonts, index as u32 + 1, page)?);
    }
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    if pages.iter().all(|p| p.words.is_empty()) {
        return Err(PdfError::NoTextLayer {
            pages: pages.len() as u32,
        });
    }
    Ok(pages)
}

fn read_page<'a>(
    source: &Source<'a>,
    fonts: &mut FontCache,
    number: u32,
    page: &'a Dictionary,
) -> Result<PageWords, PdfError> {
    let media =
        page_box(source, page, b"MediaBox").unwrap_or(Rect::spanning(0.0, 0.0, 612.0, 792.0));
    let crop = page_box(source, page, b"CropBox")
        .map(|crop| crop.intersect(&media))
        .filter(|crop| crop.x1 > crop.x0 && crop.y1 > crop.y0)
        .unwrap_or(media);
    let rotate = inherited(source, page, b"Rotate")
        .and_then(|r| r.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360)
        / 90
        * 90;
    let (w, h) = (crop.x1 - crop.x0, crop.y1 - crop.y0);
    // User space → display space for each page rotation (clockwise, as viewers show it).
    let (display, width, height) = match rotate {
        90 => (Matrix::new(0.0, 1.0, 1.0, 0.0, -crop.y0, -crop.x0), h, w),
        180 => (Matrix::new(-1.0, 0.0, 0.0, 1.0, crop.x1, -crop.y0), w, h),
        270 => (Matrix::new(0.0, -1.0, -1.0, 0.0, crop.y1, crop.x1), h, w),
        _ => (Matrix::new(1.0, 0.0, 0.0, -1.0, -crop.x0, crop.y1), w, h),
    };
    let resources = inherited(source, page, b"Resources").and_then(as_dict);
    let mut content = Vec::new();
    let parts: Vec<&Object> = match page.get(b"Contents") {
        Ok(contents) => match source.resolve(contents).1 {
            Object::Array(items) => items.iter().collect(),
            _ => vec![contents],
        },
        Err(_) => Vec::new(),
    };
    for part in parts {
        if let (id, Object::Stream(stream)) = source.resolve(part) {
            content.extend_from_slice(&source.decode(number, id, stream)?);
            // Streams of one page join at a token boundary (the spec's rule).
            content.push(b'\n');
        }
    }
    let mut interpreter = Interpreter::new(source, number, display, fonts);
    interpreter.run_page(&content, resources, Rect::spanning(0.0, 0.0, width, height))?;
    Ok(PageWords {
        number,
        width,
        height,
        words: interpreter.words.into_words(),
    })
}

/// The page dictionaries in reading order: a depth-first walk of the page tree that visits
/// every node once, so that a tree listing itself among its kids ends, and that stops past
/// `max_pages`. A node with `/Kids` is an inner node unless it says it is a `/Page`; a page
/// without `/Type` is still a page, as viewers take it.
fn page_tree<'a>(source: &Source<'a>) -> Result<Vec<&'a Dictionary>, PdfError> {
    const MAX_TREE_DEPTH: usize = 256;
    let limit = source.limits.max_pages;
    let root = source
        .doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|root| as_dict(source.resolve(root).1))
        .and_then(|catalog| catalog.get(b"Pages").ok())
        .map(|pages| source.resolve(pages));
    let Some((_, root)) = root else {
        return Err(PdfError::NoPages);
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut pages = Vec::new();
    let mut stack = vec![std::slice::from_ref(root).iter()];
    while let Some(level) = stack.last_mut() {
        let Some(kid) = level.next() else {
            stack.pop();
            continue;
        };
        let (id, node) = source.resolve(kid);
        if let Some(id) = id {
            if !seen.insert(id) {
                continue;
            }
        }
        let Some(dict) = as_dict(node) else {
            return Err(PdfError::BadPage {
                page: pages.len() as u32 + 1,
                detail: match id {
                    Some((number, generation)) => {
                        format!("page object {number} {generation} is not a dictionary")
                    }
                    None => "a page is not a dictionary".to_owned(),
                },
            });
        };
        match source.get(dict, b"Kids") {
            Object::Array(kids) if document::name(source.get(dict, b"Type")) != Some(b"Page") => {
                if stack.len() >= MAX_TREE_DEPTH {
                    return Err(PdfError::Malformed {
                        detail: format!("the page tree is deeper than {MAX_TREE_DEPTH} levels"),
                    });
                }
                stack.push(kids.iter());
            }
            _ => {
                if pages.len() == limit {
                    return Err(PdfError::TooManyPages { limit });
                }
                pages.push(dict);
            }
        }
    }
    Ok(pages)
}

/// A page attribute, from the page or the nearest ancestor in the page tree that has it.
fn inherited<'a>(source: &Source<'a>, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    const MAX_TREE_DEPTH: usize = 64;
    let mut node = page;
    for _ in 0..MAX_TREE_DEPTH {
        if let Ok(value) = node.get(key) {
            return Some(source.resolve(value).1);
        }
        node = source.get_dict(node, b"Parent")?;
    }
    None
}

fn page_box(source: &Source<'_>, page: &Dictionary, key: &[u8]) -> Option<Rect> {
    let values: Option<Vec<f32>> = match inherited(source, page, key)? {
        Object::Array(items) => items
            .iter()
            .map(|item| document::number(source.resolve(item).1))
            .collect(),
        _ => None,
    };
    match values?[..] {
        [x0, y0, x1, y1] => Some(Rect::spanning(x0, y0, x1, y1)),
        _ => None,
    }
}
