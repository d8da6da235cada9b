//! What a workbook may hold, and the zip-bomb guard.
//!
//! An XLSX file is a zip archive, and a small archive can unpack to gigabytes. Before any byte
//! reaches calamine, [`check`] enforces the archive's part of [`Limits`]:
//!
//! 1. the archive's own size (`max_compressed_bytes`);
//! 2. the entry count declared by the end-of-central-directory record, read by hand before the
//!    central directory is parsed, so a million-entry directory is never walked (`max_entries`);
//! 3. the sum of the uncompressed sizes the central directory declares (`max_decompressed_bytes`);
//! 4. the same limit on what the entries *actually* unpack to: every entry is inflated into a
//!    sink through a reader capped at the remaining budget, so an entry lying about its size is
//!    caught too. calamine then unpacks the same, already-measured archive.
//!
//! The rest of [`Limits`] bounds what the unpacked XML may make the reader materialise: the
//! XML itself before calamine parses it (`crate::read::markup`: entity declarations, nesting,
//! token length, sheet count, shared strings) and each sheet's grid while it is streamed
//! (`crate::read::shape`: the template's shape, cell count, text).

use std::io::{Cursor, Read};

use crate::error::{WorkbookError, DECLARED, UNPACKED};

/// How much a workbook may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Size of the .xlsx file itself.
    pub max_compressed_bytes: u64,
    /// Sum of the unpacked sizes of all entries.
    pub max_decompressed_bytes: u64,
    /// Number of entries in the archive.
    pub max_entries: u64,
    /// Sheets the workbook part lists.
    pub max_sheets: u32,
    /// Rows of a sheet: a cell in row `max_rows + 1` or below is refused.
    pub max_rows: u32,
    /// Columns of a sheet: a cell in column `max_columns + 1` or right of it is refused.
    pub max_columns: u32,
    /// Characters of one cell (shared or inline string, or any cell's text).
    pub max_cell_chars: u32,
    /// Entries of the shared strings table (counted, and as its `count`/`uniqueCount` declare).
    pub max_shared_strings: u32,
    /// Bytes of text in the shared strings table, and in the cells of one sheet.
    pub max_text_bytes: u64,
    /// Nesting of XML elements in any part.
    pub max_xml_depth: u32,
    /// Bytes between two `<` in any XML part (the longest tag or text the parser may buffer).
    pub max_xml_token_bytes: u64,
}

/// Columns of the widest sheet of the template: the standard tables (表2 has 14), wider than
/// the explanation sheets (at most 9).
pub fn template_columns() -> u32 {
    budgetflow_model::TableKind::ALL
        .into_iter()
        .map(|k| crate::layout::table(k).columns.len() as u32)
        .max()
        .unwrap_or(0)
        .max(9)
}

impl Default for Limits {
    /// 16 MB file, 64 MB unpacked, 1,000 entries: the sample's workbook is 70 KB with 28
    /// entries unpacking to 240 KB. The grid: 64 sheets (the template has 20), 5,000 rows (ten
    /// times the 500 data rows the template validates per table; the sample's longest sheet has
    /// 191), the template's widest sheet plus 16 columns for a department's own notes (31),
    /// 32,767 characters per cell (the most Excel itself stores), 100,000 shared strings and
    /// 16 MB of text (the sample has 736 strings in 26 KB), XML nested 64 deep (a workbook
    /// nests 6) with at most 1 MB between two `<` (a full cell of CJK is 96 KB).
    fn default() -> Self {
        Limits {
            max_compressed_bytes: 16 * 1024 * 1024,
            max_decompressed_bytes: 64 * 1024 * 1024,
            max_entries: 1000,
            max_sheets: 64,
            max_rows: 5_000,
            max_columns: template_columns() + 16,
            max_cell_chars: 32_767,
            max_shared_strings: 100_000,
            max_text_bytes: 16 * 1024 * 1024,
            max_xml_depth: 64,
            max_xml_token_bytes: 1024 * 1024,
        }
    }
}

/// End of central directory signature.
const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];

/// The entry count the end-of-central-directory record declares (0xFFFF means zip64: the
/// real count is then taken from the parsed directory).
fn declared_entries(bytes: &[u8]) -> Result<u64, WorkbookError> {
    // the record is 22 bytes plus a comment of at most 65,535 bytes, at the end
    let from = bytes.len().saturating_sub(22 + 65_535);
    let pos = bytes[from..]
        .windows(4)
        .rposition(|w| w == EOCD)
        .map(|p| p + from)
        .ok_or_else(|| WorkbookError::not_a_workbook("no zip end-of-central-directory record"))?;
    let total = bytes
        .get(pos + 10..pos + 12)
        .ok_or_else(|| WorkbookError::not_a_workbook("truncated zip directory record"))?;
    Ok(u64::from(u16::from_le_bytes([total[0], total[1]])))
}

/// An entry's name as an error shows it (an excerpt: a zip name may be 64 KB).
fn entry_name<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> String {
    let name = entry
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| entry.name_raw().escape_ascii().to_string());
    budgetflow_model::lang::excerpt(&name).into_owned()
}

/// Checks `bytes` against `limits` (see the module documentation for what is enforced).
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), WorkbookError> {
    let size = bytes.len() as u64;
    if size > limits.max_compressed_bytes {
        return Err(WorkbookError::TooLarge {
            size,
            limit: limits.max_compressed_bytes,
        });
    }
    let declared = declared_entries(bytes)?;
    if declared > limits.max_entries {
        return Err(WorkbookError::TooManyEntries {
            entries: declared,
            limit: limits.max_entries,
        });
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(WorkbookError::not_a_workbook)?;
    let entries = archive.len() as u64;
    if entries > limits.max_entries {
        return Err(WorkbookError::TooManyEntries {
            entries,
            limit: limits.max_entries,
        });
    }
    let too_big = |entry: &str, how| WorkbookError::TooBig {
        entry: entry.to_string(),
        limit: limits.max_decompressed_bytes,
        how,
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(WorkbookError::not_a_workbook)?;
        total = total.saturating_add(entry.size());
        if total > limits.max_decompressed_bytes {
            return Err(too_big(&entry_name(&entry), DECLARED));
        }
    }
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(WorkbookError::not_a_workbook)?;
        let name = entry_name(&entry);
        let budget = limits.max_decompressed_bytes - unpacked;
        let read = std::io::copy(
            &mut entry.take(budget.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| WorkbookError::not_a_workbook(format!("entry `{name}`: {e}")))?;
        unpacked = unpacked.saturating_add(read);
        if unpacked > limits.max_decompressed_bytes {
            return Err(too_big(&name, UNPACKED));
        }
    }
    Ok(())
}
