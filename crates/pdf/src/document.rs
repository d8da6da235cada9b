//! The object layer: a loaded `lopdf` document, read through references that never fail
//! (a dangling or cyclic reference reads as `null`), and streams decoded within the per-stream
//! and whole-file byte budgets of [`Limits`].
//!
//! `lopdf` parses the file (classic and stream cross-references, object streams, repairs
//! damaged cross-references) with its own bounded decoding while loading; everything we decode
//! afterwards goes through [`Source::decode`] so that one budget covers the whole read.

use std::cell::Cell;

use lopdf::{Dictionary, Document, Object, Stream};

use crate::error::{ObjectId, PdfError};
use crate::Limits;

pub(crate) struct Source<'a> {
    pub doc: &'a Document,
    pub limits: &'a Limits,
    decoded: Cell<usize>,
    /// Character-map and width entries held by all fonts read so far.
    font_entries: Cell<usize>,
}

impl<'a> Source<'a> {
    pub fn new(doc: &'a Document, limits: &'a Limits) -> Source<'a> {
        Source {
            doc,
            limits,
            decoded: Cell::new(0),
            font_entries: Cell::new(0),
        }
    }

    /// Follows references (bounded by lopdf's dereference limit) to the object itself.
    pub fn resolve(&self, object: &'a Object) -> (Option<ObjectId>, &'a Object) {
        match self.doc.dereference(object) {
            Ok(found) => found,
            Err(_) => (None, &Object::Null),
        }
    }

    pub fn get(&self, dict: &'a Dictionary, key: &[u8]) -> &'a Object {
        dict.get(key)
            .map(|object| self.resolve(object).1)
            .unwrap_or(&Object::Null)
    }

    /// A dictionary, or a stream's dictionary, under `key`.
    pub fn get_dict(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        as_dict(self.get(dict, key))
    }

    pub fn get_number(&self, dict: &'a Dictionary, key: &[u8]) -> Option<f32> {
        number(self.get(dict, key))
    }

    /// An array of numbers (a box, a matrix); `None` if any element is not a number.
    pub fn get_numbers(&self, dict: &'a Dictionary, key: &[u8]) -> Option<Vec<f32>> {
        match self.get(dict, key) {
            Object::Array(items) => items
                .iter()
                .map(|item| number(self.resolve(item).1))
                .collect(),
            _ => None,
        }
    }

    /// How many more character-map and width entries the document's fonts may hold.
    pub fn font_entries_left(&self) -> usize {
        self.limits
            .max_cmap_entries
            .saturating_sub(self.font_entries.get())
    }

    pub fn spend_font_entries(&self, entries: usize) {
        self.font_entries.set(self.font_entries.get() + entries);
    }

    /// Decodes a stream within both budgets: `max_stream_bytes` for this stream, and what is
    /// left of `max_total_stream_bytes` for the whole file.
    pub fn decode(
        &self,
        page: u32,
        object: Option<ObjectId>,
        stream: &Stream,
    ) -> Result<Vec<u8>, PdfError> {
        let left = self
            .limits
            .max_total_stream_bytes
            .saturating_sub(self.decoded.get());
        let limit = self.limits.max_stream_bytes.min(left);
        let bytes = stream
            .get_plain_content_with_limit(limit)
            .map_err(|error| match error {
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                }) => {
                    if limit < self.limits.max_stream_bytes {
                        PdfError::StreamsTooLarge {
                            page,
                            limit: self.limits.max_total_stream_bytes,
                        }
                    } else {
                        PdfError::StreamTooLarge {
                            page,
                            object,
                            limit,
                        }
                    }
                }
                other => PdfError::BadStream {
                    page,
                    object,
                    detail: other.to_string(),
                },
            })?;
        self.decoded.set(self.decoded.get() + bytes.len());
        Ok(bytes)
    }
}

pub(crate) fn as_dict(object: &Object) -> Option<&Dictionary> {
    match object {
        Object::Dictionary(dict) => Some(dict),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

pub(crate) fn number(object: &Object) -> Option<f32> {
    match object {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

pub(crate) fn name(object: &Object) -> Option<&[u8]> {
    match object {
        Object::Name(name) => Some(name),
        _ => None,
    }
}
