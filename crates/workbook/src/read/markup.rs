//! The XML inside the archive, checked before calamine parses any of it.
//!
//! calamine trusts what the parts say: it reserves room for as many shared strings as
//! `<sst uniqueCount=…>` claims, keeps every shared string in memory, and buffers each XML
//! event whole. A small archive can therefore still ask for gigabytes. Every XML part
//! (`.xml`, `.rels`, `.vml`) is streamed once through [`quick_xml`] here, and refused on the
//! first of:
//!
//! - a document type declaration (`<!DOCTYPE`): entities are how "billion laughs" expands a
//!   kilobyte into gigabytes, and no spreadsheet program writes one ([`WorkbookError::DocumentType`]);
//! - a run of more than `max_xml_token_bytes` between two `<`: a tag or a text longer than any
//!   cell can be; the run is counted by the reader under the parser, so the parser never
//!   buffers more ([`WorkbookError::TokenTooLong`]);
//! - elements nested deeper than `max_xml_depth` ([`WorkbookError::TooDeep`]);
//! - more than `max_sheets` `<sheet>` entries in the workbook part ([`WorkbookError::TooManySheets`]);
//! - more shared strings than `max_shared_strings` (counted, and as declared by `count` and
//!   `uniqueCount`), or more shared-string text than `max_text_bytes`
//!   ([`WorkbookError::TooManyStrings`], [`WorkbookError::TooMuchText`]);
//! - a shared or inline string longer than `max_cell_chars` ([`WorkbookError::CellTooLong`],
//!   with the cell where the part names one).
//!
//! The grid itself — where the cells of a sheet lie — is checked while the sheet is read
//! ([`super::shape`]), where the sheet's name is known.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::error::WorkbookError;
use crate::limits::Limits;

/// Reads through to the parser, refusing a run of more than `limit` bytes without a `<`.
struct Runs<R> {
    inner: R,
    run: u64,
    limit: u64,
    /// Bytes passed on so far, for the error's position.
    offset: u64,
    /// Where the overlong run ended, once found.
    overrun: Option<u64>,
}

impl<R: Read> Runs<R> {
    /// Counts `chunk` into the run; `Err` with the offset where the run passed the limit.
    fn count(&mut self, chunk: &[u8]) -> Result<(), u64> {
        let mut from = 0;
        for lt in memchr::memchr_iter(b'<', chunk) {
            self.run += (lt - from) as u64;
            if self.run > self.limit {
                return Err(self.offset
                    + from as u64
                    + (self.limit - (self.run - (lt - from) as u64)));
            }
            self.run = 0;
            from = lt + 1;
            // a chunk no longer than the limit cannot hold an overlong run between two `<`
            if chunk.len() as u64 <= self.limit {
                from = memchr::memrchr(b'<', chunk).map_or(from, |last| last + 1);
                break;
            }
        }
        self.run += (chunk.len() - from) as u64;
        if self.run > self.limit {
            return Err(self.offset
                + from as u64
                + (self.limit - (self.run - (chunk.len() - from) as u64)));
        }
        self.offset += chunk.len() as u64;
        Ok(())
    }
}

impl<R: Read> Read for Runs<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Err(at) = self.count(&buf[..n]) {
            self.overrun = Some(at);
            return Err(std::io::Error::other("run without markup over the limit"));
        }
        Ok(n)
    }
}

/// Whether calamine may parse entry `name` as XML.
fn is_xml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xml", ".rels", ".vml"].iter().any(|e| lower.ends_with(e))
}

/// Checks every XML part of the (already size-checked) archive `bytes` against `limits`.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), WorkbookError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(WorkbookError::not_a_workbook)?;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(WorkbookError::not_a_workbook)?;
        let Ok(name) = entry.name().map(|n| n.to_string()) else {
            continue;
        };
        if entry.is_dir() || !is_xml(&name) {
            continue;
        }
        // the name as errors show it (a zip name may be 64 KB)
        let name = budgetflow_model::lang::excerpt(&name).into_owned();
        Part::new(&name, limits).scan(entry)?;
    }
    Ok(())
}

/// What one part holds so far.
struct Part<'a> {
    name: &'a str,
    limits: &'a Limits,
    depth: u32,
    sheets: u64,
    strings: u64,
    text: u64,
    /// Inside a shared (`<si>`) or inline (`<is>`) string: the characters so far.
    string: Option<u64>,
    /// The attributes of the cell being read, in a worksheet (empty outside a cell).
    cell: String,
}

impl<'a> Part<'a> {
    fn new(name: &'a str, limits: &'a Limits) -> Part<'a> {
        Part {
            name,
            limits,
            depth: 0,
            sheets: 0,
            strings: 0,
            text: 0,
            string: None,
            cell: String::new(),
        }
    }

    fn scan<R: Read>(mut self, entry: R) -> Result<(), WorkbookError> {
        let runs = Runs {
            inner: entry,
            run: 0,
            limit: self.limits.max_xml_token_bytes,
            offset: 0,
            overrun: None,
        };
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(runs));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.check_comments = false;
        config.trim_text(false);
        let mut buf = Vec::with_capacity(1024);
        loop {
            buf.clear();
            let event = match xml.read_event_into(&mut buf) {
                Ok(event) => event,
                Err(e) => {
                    if let Some(offset) = xml.get_ref().get_ref().overrun {
                        return Err(WorkbookError::TokenTooLong {
                            part: self.name.to_string(),
                            offset,
                            limit: self.limits.max_xml_token_bytes,
                        });
                    }
                    return Err(WorkbookError::not_a_workbook(format!(
                        "part `{}` is not well-formed XML near byte {}: {e}",
                        self.name,
                        xml.error_position()
                    )));
                }
            };
            match event {
                Event::DocType(_) => {
                    return Err(WorkbookError::DocumentType {
                        part: self.name.to_string(),
                    })
                }
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.limits.max_xml_depth {
                        return Err(WorkbookError::TooDeep {
                            part: self.name.to_string(),
                            offset: xml.buffer_position(),
                            limit: self.limits.max_xml_depth,
                        });
                    }
                    self.element(&e, true)?;
                }
                Event::Empty(e) => self.element(&e, false)?,
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    match e.local_name().as_ref() {
                        "si" | "is" => self.string = None,
                        "c" => self.cell.clear(),
                        _ => {}
                    }
                }
                Event::Text(t) => self.add_text(t.as_ref())?,
                Event::CData(t) => self.add_text(t.as_ref())?,
                // an entity or character reference is one character
                Event::GeneralRef(_) => self.add_text("x")?,
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .map(|a| a.value.into_owned())
    }

    /// An opening (`open`) or empty element.
    fn element(&mut self, e: &BytesStart<'_>, open: bool) -> Result<(), WorkbookError> {
        match e.local_name().as_ref() {
            "sheet" => {
                self.sheets += 1;
                if self.sheets > u64::from(self.limits.max_sheets) {
                    return Err(WorkbookError::TooManySheets {
                        limit: self.limits.max_sheets,
                    });
                }
            }
            "sst" => {
                for declared in ["count", "uniqueCount"] {
                    let count =
                        Self::attribute(e, declared).and_then(|n| n.trim().parse::<u64>().ok());
                    if let Some(count) = count {
                        self.too_many_strings(count)?;
                    }
                }
            }
            "si" => {
                self.strings += 1;
                self.too_many_strings(self.strings)?;
                self.string = open.then_some(0);
            }
            "is" => self.string = open.then_some(0),
            "c" => {
                // the attributes as written: `r` is picked out only for an error
                self.cell.clear();
                if open {
                    self.cell.push_str(e.attributes_raw());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn too_many_strings(&self, count: u64) -> Result<(), WorkbookError> {
        if count > u64::from(self.limits.max_shared_strings) {
            return Err(WorkbookError::TooManyStrings {
                part: self.name.to_string(),
                limit: self.limits.max_shared_strings,
            });
        }
        Ok(())
    }

    /// Text inside the current element.
    fn add_text(&mut self, text: &str) -> Result<(), WorkbookError> {
        let Some(chars) = self.string.as_mut() else {
            return Ok(());
        };
        *chars += text.chars().count() as u64;
        if *chars > u64::from(self.limits.max_cell_chars) {
            return Err(WorkbookError::CellTooLong {
                place: self.name.to_string(),
                cell: reference(&self.cell).to_string(),
                limit: self.limits.max_cell_chars,
            });
        }
        self.text += text.len() as u64;
        if self.text > self.limits.max_text_bytes {
            return Err(WorkbookError::TooMuchText {
                place: self.name.to_string(),
                limit: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }
}

/// The `r` attribute (`A1`) among a cell's `attributes`, empty if it has none.
fn reference(attributes: &str) -> &str {
    attributes
        .split_whitespace()
        .find_map(|a| a.strip_prefix("r=\"").or_else(|| a.strip_prefix("r='")))
        .map_or("", |v| v.trim_end_matches(['"', '\'', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, limits: &Limits) -> Result<(), WorkbookError> {
        Part::new("xl/sharedStrings.xml", limits).scan(xml.as_bytes())
    }

    #[test]
    fn a_run_without_markup_is_cut_off_where_it_passes_the_limit() {
        let limits = Limits {
            max_xml_token_bytes: 100,
            ..Limits::default()
        };
        // the run counts from the `<`: `a>` and 98 characters make 100
        assert!(scan(&format!("<a>{}</a>", "x".repeat(98)), &limits).is_ok());
        match scan(&format!("<a>{}</a>", "x".repeat(99)), &limits) {
            Err(WorkbookError::TokenTooLong { offset, limit, .. }) => {
                assert_eq!((offset, limit), (101, 100))
            }
            other => panic!("{other:?}"),
        }
    }

    /// A reader that hands out three bytes at a time, so runs cross reads.
    struct Drip<'a>(&'a [u8]);

    impl Read for Drip<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_run_is_counted_across_reads() {
        let limits = Limits {
            max_xml_token_bytes: 10,
            ..Limits::default()
        };
        let scan = |xml: String| Part::new("x.xml", &limits).scan(Drip(xml.as_bytes()));
        assert!(scan(format!("<a>{}</a><b>{}</b>", "x".repeat(8), "y".repeat(8))).is_ok());
        match scan(format!("<a>{}</a>", "x".repeat(9))) {
            Err(WorkbookError::TokenTooLong { offset, .. }) => assert_eq!(offset, 11),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cell_is_named_by_its_reference() {
        assert_eq!(reference(r#" r="B7" s="3" t="inlineStr""#), "B7");
        assert_eq!(reference(r#"t="inlineStr" r='C2'"#), "C2");
        assert_eq!(reference(r#"t="inlineStr""#), "");
        let limits = Limits {
            max_cell_chars: 3,
            ..Limits::default()
        };
        let sheet = r#"<worksheet><sheetData><row><c r="D4" t="inlineStr"><is><t>四个字符</t></is></c></row></sheetData></worksheet>"#;
        match Part::new("xl/worksheets/sheet3.xml", &limits).scan(sheet.as_bytes()) {
            Err(WorkbookError::CellTooLong { place, cell, .. }) => {
                assert_eq!(
                    (place.as_str(), cell.as_str()),
                    ("xl/worksheets/sheet3.xml", "D4")
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn characters_not_bytes_count_against_a_cell() {
        let limits = Limits {
            max_cell_chars: 3,
            ..Limits::default()
        };
        assert!(scan("<sst><si><t>字字字</t></si></sst>", &limits).is_ok());
        assert!(scan("<sst><si><t>字&amp;字字</t></si></sst>", &limits).is_err());
    }
}
