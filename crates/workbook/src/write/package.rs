//! The workbook as a package: its sheets, the shared strings, the fixed styles and the other
//! parts of an XLSX file, zipped.
//!
//! Written directly as SpreadsheetML rather than through a general spreadsheet library: the
//! workbook has six formats, known in advance, and the publication renders it for every
//! disclosure, where a general writer's per-cell format lookup, string store and XML
//! assembly cost ~36 M instructions per workbook (docs/performance.md, issue 6).
//!
//! What is the same in every workbook is compressed once and copied into each workbook as
//! compressed bytes: the hidden code sheet (the year's whole catalog) and the instructions
//! once per year ([`Book::year_sheet`]), the package relationships, application properties
//! and styles once per process ([`fixed_parts`]).

use std::collections::hash_map::{Entry, RandomState};
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex, OnceLock};

use budgetflow_model::FiscalYear;
use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::sheet::{push_escaped, push_t, push_u32, Sheet, SheetData};
use super::Form;
use crate::error::WorkbookError;

/// The shared strings table: each distinct string once, in the order first written.
///
/// A string is hashed once (keyed SipHash: the strings are a submission's words, so the table
/// must not be open to collisions chosen by its author); the map goes from that hash to the
/// first string with it, and strings whose 64-bit hashes coincide are chained.
#[derive(Default)]
pub(crate) struct SharedStrings {
    keys: RandomState,
    first: HashMap<u64, u32, BuildHasherDefault<Hashed>>,
    strings: Vec<String>,
    /// For each string, the next one with the same hash (`u32::MAX`: none).
    next: Vec<u32>,
    /// String cells written, repeats included (the table's `count`).
    uses: u32,
}

/// The hasher of a key that is already a keyed hash.
#[derive(Default)]
struct Hashed(u64);

impl Hasher for Hashed {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl SharedStrings {
    /// The index of `s`, added if new.
    pub fn index(&mut self, s: &str) -> u32 {
        self.uses += 1;
        let hash = self.keys.hash_one(s);
        let new = self.strings.len() as u32;
        let mut at = match self.first.entry(hash) {
            Entry::Vacant(v) => {
                v.insert(new);
                u32::MAX
            }
            Entry::Occupied(o) => *o.get(),
        };
        let mut last = at;
        while at != u32::MAX {
            if self.strings[at as usize] == s {
                return at;
            }
            last = at;
            at = self.next[at as usize];
        }
        if last != u32::MAX {
            self.next[last as usize] = new;
        }
        self.strings.push(s.to_string());
        self.next.push(u32::MAX);
        new
    }

    fn xml(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(XML_HEADER);
        out.extend_from_slice(
            b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"",
        );
        push_u32(out, self.uses);
        out.extend_from_slice(b"\" uniqueCount=\"");
        push_u32(out, self.strings.len() as u32);
        out.extend_from_slice(b"\">");
        for s in &self.strings {
            out.extend_from_slice(b"<si>");
            push_t(out, s);
            out.extend_from_slice(b"</si>");
        }
        out.extend_from_slice(b"</sst>");
    }
}

/// A sheet of the workbook, in order.
enum Part {
    /// Index into [`Book::built`].
    Built(usize),
    /// A year's sheet, compressed (`sheet.xml` of a one-entry archive).
    Compressed {
        name: &'static str,
        hidden: bool,
        archive: ZipArchive<Cursor<Arc<[u8]>>>,
    },
}

/// A workbook being written.
pub(crate) struct Book {
    /// The fiscal year whose code catalogs back the code columns.
    pub year: FiscalYear,
    /// The date of the document properties.
    created: NaiveDate,
    /// Whose workbook it is: the public one neutralises text that looks like a formula.
    pub form: Form,
    strings: SharedStrings,
    built: Vec<SheetData>,
    parts: Vec<Part>,
}

/// A year's sheet, compressed once per process.
struct YearSheet {
    year: FiscalYear,
    form: Form,
    name: &'static str,
    /// Whether it is the sheet a spreadsheet opens on (the first).
    selected: bool,
    hidden: bool,
    archive: ZipArchive<Cursor<Arc<[u8]>>>,
}

/// The year sheets built so far (a handful of years at most: one per catalog in use).
static YEAR_SHEETS: Mutex<Vec<YearSheet>> = Mutex::new(Vec::new());

/// How many year sheets are kept.
const YEAR_SHEETS_KEPT: usize = 16;

fn options() -> SimpleFileOptions {
    // deflate is much of the time of writing: the fastest level makes files ~1.5× larger (a
    // filled workbook stays well under 100 KB) and saves about half of it. The entries carry
    // the zip epoch, not the clock, so the same document always gives the same bytes.
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default())
}

fn zip_error(e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Write(e.to_string())
}

/// An archive of `entries`, compressed, to be copied entry by entry into workbooks.
fn compressed(entries: &[(&str, &[u8])]) -> Result<ZipArchive<Cursor<Arc<[u8]>>>, WorkbookError> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        z.start_file(*name, options()).map_err(zip_error)?;
        z.write_all(bytes).map_err(zip_error)?;
    }
    let bytes: Arc<[u8]> = z.finish().map_err(zip_error)?.into_inner().into();
    ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)
}

/// The parts that are the same in every workbook (relationships of the package, application
/// properties, styles), compressed once per process.
fn fixed_parts() -> Result<ZipArchive<Cursor<Arc<[u8]>>>, WorkbookError> {
    static FIXED: OnceLock<ZipArchive<Cursor<Arc<[u8]>>>> = OnceLock::new();
    if let Some(a) = FIXED.get() {
        return Ok(a.clone());
    }
    let archive = compressed(&[
        ("_rels/.rels", ROOT_RELS),
        ("docProps/app.xml", APP),
        ("xl/styles.xml", STYLES),
    ])?;
    Ok(FIXED.get_or_init(|| archive).clone())
}

impl Book {
    /// A book dated `published`, else 1 January of `year`: the same document always gives
    /// the same bytes (Excel would stamp the time of writing), so republishing an unchanged
    /// disclosure changes nothing.
    pub fn new(year: FiscalYear, published: Option<NaiveDate>, form: Form) -> Book {
        Book {
            year,
            form,
            created: published
                .or_else(|| NaiveDate::from_ymd_opt(year.get(), 1, 1))
                .unwrap_or_default(),
            strings: SharedStrings::default(),
            built: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// Adds a sheet named `name`.
    pub fn sheet(&mut self, name: &str) -> Sheet<'_> {
        let i = self.built.len();
        self.built.push(SheetData::new(name));
        self.parts.push(Part::Built(i));
        Sheet {
            data: &mut self.built[i],
            strings: Some(&mut self.strings),
            form: self.form,
        }
    }

    /// Adds sheet `name`, whose content depends on nothing but the book's year and form:
    /// `build` runs once per year, form and process, and every later workbook of the year and
    /// form copies the compressed sheet. Its strings are inline, so that it does not depend on the shared table.
    pub fn year_sheet(
        &mut self,
        name: &'static str,
        build: impl FnOnce(&mut Sheet<'_>) -> Result<(), WorkbookError>,
    ) -> Result<(), WorkbookError> {
        let selected = self.parts.is_empty();
        let mut cache = YEAR_SHEETS.lock().unwrap_or_else(|e| e.into_inner());
        let found = cache
            .iter()
            .find(|s| {
                s.year == self.year
                    && s.form == self.form
                    && s.name == name
                    && s.selected == selected
            })
            .map(|s| (s.hidden, s.archive.clone()));
        let (hidden, archive) = match found {
            Some(found) => found,
            None => {
                let mut data = SheetData::new(name);
                build(&mut Sheet {
                    data: &mut data,
                    strings: None,
                    form: self.form,
                })?;
                let mut xml = Vec::new();
                data.xml(selected, &mut xml);
                let archive = compressed(&[("sheet.xml", &xml)])?;
                if cache.len() >= YEAR_SHEETS_KEPT {
                    cache.remove(0);
                }
                cache.push(YearSheet {
                    year: self.year,
                    form: self.form,
                    name,
                    selected,
                    hidden: data.hidden,
                    archive: archive.clone(),
                });
                (data.hidden, archive)
            }
        };
        self.parts.push(Part::Compressed {
            name,
            hidden,
            archive,
        });
        Ok(())
    }

    /// The XLSX file.
    pub fn finish(mut self) -> Result<Vec<u8>, WorkbookError> {
        let options = options();
        let mut z = ZipWriter::new(Cursor::new(Vec::with_capacity(96 * 1024)));
        let mut xml = Vec::with_capacity(64 * 1024);
        let sheets = self.parts.len() as u32;
        let put = |z: &mut ZipWriter<_>, path: &str, xml: &[u8]| {
            z.start_file(path, options).map_err(zip_error)?;
            z.write_all(xml).map_err(zip_error)
        };

        content_types(sheets, &mut xml);
        put(&mut z, "[Content_Types].xml", &xml)?;
        let mut fixed = fixed_parts()?;
        for i in 0..fixed.len() {
            z.raw_copy_file(fixed.by_index_raw(i).map_err(zip_error)?)
                .map_err(zip_error)?;
        }
        xml.clear();
        self.core(&mut xml);
        put(&mut z, "docProps/core.xml", &xml)?;
        xml.clear();
        self.workbook(&mut xml);
        put(&mut z, "xl/workbook.xml", &xml)?;
        xml.clear();
        workbook_rels(sheets, &mut xml);
        put(&mut z, "xl/_rels/workbook.xml.rels", &xml)?;
        for (i, part) in self.parts.iter_mut().enumerate() {
            let path = format!("xl/worksheets/sheet{}.xml", i + 1);
            match part {
                Part::Built(b) => {
                    xml.clear();
                    self.built[*b].xml(i == 0, &mut xml);
                    put(&mut z, &path, &xml)?;
                }
                Part::Compressed { archive, .. } => {
                    let entry = archive.by_index_raw(0).map_err(zip_error)?;
                    z.raw_copy_file_rename(entry, path).map_err(zip_error)?;
                }
            }
        }
        xml.clear();
        self.strings.xml(&mut xml);
        put(&mut z, "xl/sharedStrings.xml", &xml)?;
        Ok(z.finish().map_err(zip_error)?.into_inner())
    }

    /// `docProps/core.xml`, dated by the document.
    fn core(&self, out: &mut Vec<u8>) {
        let d = self.created;
        let date = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year(), d.month(), d.day());
        out.extend_from_slice(XML_HEADER);
        out.extend_from_slice(
            format!(
                "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>"
            )
            .as_bytes(),
        );
    }

    /// `xl/workbook.xml`: the sheets in order, hidden ones marked.
    fn workbook(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(XML_HEADER);
        out.extend_from_slice(b"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr/><bookViews><workbookView/></bookViews><sheets>");
        for (i, part) in self.parts.iter().enumerate() {
            let (name, hidden) = match part {
                Part::Built(b) => (self.built[*b].name.as_str(), self.built[*b].hidden),
                Part::Compressed { name, hidden, .. } => (*name, *hidden),
            };
            let id = i as u32 + 1;
            out.extend_from_slice(b"<sheet name=\"");
            push_escaped(out, name, true);
            out.extend_from_slice(b"\" sheetId=\"");
            push_u32(out, id);
            if hidden {
                out.extend_from_slice(b"\" state=\"hidden");
            }
            out.extend_from_slice(b"\" r:id=\"rId");
            push_u32(out, id);
            out.extend_from_slice(b"\"/>");
        }
        out.extend_from_slice(
            b"</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>",
        );
    }
}

const XML_HEADER: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// `[Content_Types].xml` for `sheets` worksheets.
fn content_types(sheets: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(XML_HEADER);
    out.extend_from_slice(b"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
    for i in 1..=sheets {
        out.extend_from_slice(b"<Override PartName=\"/xl/worksheets/sheet");
        push_u32(out, i);
        out.extend_from_slice(b".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
    }
    out.extend_from_slice(b"<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
}

/// `xl/_rels/workbook.xml.rels`: the sheets, then styles and shared strings.
fn workbook_rels(sheets: u32, out: &mut Vec<u8>) {
    const REL: &[u8] = b"<Relationship Id=\"rId";
    const TYPE: &[u8] =
        b"\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    out.extend_from_slice(XML_HEADER);
    out.extend_from_slice(
        b"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets {
        out.extend_from_slice(REL);
        push_u32(out, i);
        out.extend_from_slice(TYPE);
        out.extend_from_slice(b"worksheet\" Target=\"worksheets/sheet");
        push_u32(out, i);
        out.extend_from_slice(b".xml\"/>");
    }
    out.extend_from_slice(REL);
    push_u32(out, sheets + 1);
    out.extend_from_slice(TYPE);
    out.extend_from_slice(b"styles\" Target=\"styles.xml\"/>");
    out.extend_from_slice(REL);
    push_u32(out, sheets + 2);
    out.extend_from_slice(TYPE);
    out.extend_from_slice(b"sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
}

const ROOT_RELS: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

const APP: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>budgetflow</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>";

/// The workbook's formats. `cellXfs` in the order of [`super::sheet::Style`], after the
/// default: label (bold), text (`@`, wrapped, bordered), title (bold 16 pt, centred), header
/// (bold, wrapped, centred both ways, shaded, bordered), amount (`#,##0.00`, bordered), code
/// (`@`, bordered).
const STYLES: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"@\"/><numFmt numFmtId=\"165\" formatCode=\"#,##0.00\"/></numFmts><fonts count=\"3\"><font><sz val=\"11\"/><color rgb=\"FF000000\"/><name val=\"Calibri\"/><family val=\"2\"/></font><font><b/><sz val=\"11\"/><color rgb=\"FF000000\"/><name val=\"Calibri\"/><family val=\"2\"/></font><font><b/><sz val=\"16\"/><color rgb=\"FF000000\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts><fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill><fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"7\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\"/></xf><xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\"/></xf><xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf><xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/></styleSheet>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_distinct_in_the_order_first_written() {
        let mut s = SharedStrings::default();
        let got: Vec<u32> = ["a", "b", "a", "", "c", "b"]
            .iter()
            .map(|x| s.index(x))
            .collect();
        assert_eq!(got, [0, 1, 0, 2, 3, 1]);
        let mut xml = Vec::new();
        s.xml(&mut xml);
        let xml = String::from_utf8(xml).unwrap();
        assert!(
            xml.contains("count=\"6\" uniqueCount=\"4\"><si><t>a</t></si><si><t>b</t></si><si><t></t></si><si><t>c</t></si></sst>"),
            "{xml}"
        );
    }
}
