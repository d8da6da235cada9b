//! Text that a spreadsheet must never take for a formula. A department types its words; the
//! public opens the open data (CSV, the public workbook) in Excel, LibreOffice or WPS, which
//! read a cell that begins with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(…)`,
//! `+cmd|' /C calc'!A0`), and one that begins with a tab or a carriage return as whatever
//! follows it. OWASP's rule for CSV injection is to put a single quote before such a cell, so
//! that it is read as text: [`neutralised`] does that, and is the one place the rule lives
//! (the public workbook's text cells and the CSV's text columns both use it).
//!
//! Only text is neutralised: an amount is written as a number (in a CSV, an amount column's
//! digits), and `-12.50` there stays the number it is.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell beginning with them as a formula (or
/// shift it to the next one): `=`, `+`, `-`, `@`, tab and carriage return.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// What is put before a text beginning with one of [`FORMULA_TRIGGERS`].
pub const TEXT_PREFIX: char = '\'';

/// `text` as a cell shows it without running it: with a single quote in front when it begins
/// with one of [`FORMULA_TRIGGERS`], else unchanged.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_TRIGGERS) {
        let mut quoted = String::with_capacity(text.len() + 1);
        quoted.push(TEXT_PREFIX);
        quoted.push_str(text);
        Cow::Owned(quoted)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_that_could_be_a_formula_gets_a_quote_in_front() {
        for (text, expected) in [
            (
                "=HYPERLINK(\"http://example.invalid\")",
                "'=HYPERLINK(\"http://example.invalid\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tX", "'\tX"),
            ("\rX", "'\rX"),
            ("-12.50", "'-12.50"),
        ] {
            assert_eq!(neutralised(text), expected, "{text:?}");
        }
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for text in [
            "",
            "一般公共预算拨款收入",
            "a=b",
            " =1+1",
            "'=already quoted",
            "＝全角等号",
            "\nX",
        ] {
            assert!(
                matches!(neutralised(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }
}
