//! A [`Resource`] as a CSV file Excel opens right: UTF-8 with a byte-order mark, CRLF line
//! ends, the header row first, cells quoted only when they hold a comma, a semicolon, a
//! quote, a tab or a line break (RFC 4180; the semicolon and the tab because a spreadsheet
//! set to split on them would otherwise cut such a cell in two).
//!
//! Nothing a department typed becomes a formula: a cell of a text column (a name, a label, a
//! code) that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
//! `'` in front ([`budgetflow_workbook::neutralised`], OWASP's rule, the same as the public
//! workbook's); an amount column holds digits only and is written as it is, so `-12.50`
//! there stays a number. The data package says so ([`super::datapackage`]).

use std::borrow::Cow;

use budgetflow_workbook::neutralised;

use super::tables::{Resource, Role};

const BOM: &str = "\u{feff}";

/// The CSV bytes of `resource`; a table without rows is its header row alone.
pub fn write(resource: &Resource) -> Vec<u8> {
    let mut out = String::with_capacity(64 * (resource.rows.len() + 1));
    out.push_str(BOM);
    line(
        &mut out,
        resource.fields.iter().map(|f| neutralised(&f.name)),
    );
    for row in &resource.rows {
        let cells = row.iter().zip(&resource.fields).map(|(cell, field)| {
            if matches!(field.role, Role::Amount(_)) {
                Cow::Borrowed(cell.as_str())
            } else {
                neutralised(cell)
            }
        });
        line(&mut out, cells);
    }
    out.into_bytes()
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = Cow<'a, str>>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', ';', '"', '\t', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open_data::tables::{Field, Flow};
    use budgetflow_model::MoneyUnit;

    fn table(rows: Vec<Vec<String>>) -> Resource {
        Resource {
            name: "table-10".into(),
            path: "data/table-10.csv".into(),
            title: "表10".into(),
            unit: MoneyUnit::TenThousandYuan,
            printed: true,
            fields: vec![
                Field {
                    name: "项目".into(),
                    role: Role::Label,
                },
                Field {
                    name: "合计".into(),
                    role: Role::Amount(Flow::Expenditure),
                },
            ],
            rows,
        }
    }

    #[test]
    fn quotes_only_what_needs_it() {
        let r = table(vec![vec!["公务接待费, \"小计\"".into(), "1.50".into()]]);
        let text = String::from_utf8(write(&r)).unwrap();
        assert_eq!(
            text,
            "\u{feff}项目,合计\r\n\"公务接待费, \"\"小计\"\"\",1.50\r\n"
        );
    }

    #[test]
    fn text_that_could_run_as_a_formula_is_quoted_and_amounts_stay_numbers() {
        let rows = [
            (
                "=HYPERLINK(\"http://example.invalid\")",
                "\"'=HYPERLINK(\"\"http://example.invalid\"\")\"",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tX", "\"'\tX\""),
            ("\rX", "\"'\rX\""),
            ("a;=1+1", "\"a;=1+1\""),
            ("一般公共预算", "一般公共预算"),
        ];
        for (cell, written) in rows {
            let r = table(vec![vec![cell.into(), "-12.50".into()]]);
            let text = String::from_utf8(write(&r)).unwrap();
            assert_eq!(
                text,
                format!("\u{feff}项目,合计\r\n{written},-12.50\r\n"),
                "{cell:?}"
            );
        }
    }
}
