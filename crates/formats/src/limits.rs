//! What a disclosure may make the readers materialise, beyond its size
//! ([`crate::decode::MAX_INPUT_BYTES`]).
//!
//! Sixteen megabytes of text can still ask for far more memory than they take: every line is a
//! 24-byte record and every cell of a row a 16-byte slice, so a file of newlines or of tabs
//! multiplies by 16–24; a JSON array of `0,` becomes a model value per two bytes. Each limit
//! below is checked once per line, row or JSON value — before what it bounds is allocated
//! where the reader can tell — and refused with the line (text) or the JSON path and
//! position. The sample uses a fraction of each (figures in brackets).

/// Lines of a text disclosure [1,006].
pub const MAX_LINES: usize = 50_000;

/// Bytes of one line [2,243]: a paragraph as long as a workbook cell holds (32,767 CJK
/// characters, 96 KB) fits.
pub const MAX_LINE_BYTES: usize = 128 * 1024;

/// Cells of a table row [16]: the widest table has 15 columns.
pub const MAX_CELLS: usize = 64;

/// Rows of one table or target table [191 lines in the longest part].
pub const MAX_TABLE_ROWS: usize = 10_000;

/// Nesting of JSON arrays and objects [11].
pub const MAX_JSON_DEPTH: usize = 32;

/// Elements of one JSON array or members of one object [31].
pub const MAX_JSON_ITEMS: usize = 10_000;

/// JSON values in a document [4,493].
pub const MAX_JSON_VALUES: usize = 200_000;

/// Bytes of one JSON string [767 characters]: as long as a text line may be.
pub const MAX_JSON_STRING_BYTES: usize = MAX_LINE_BYTES;
