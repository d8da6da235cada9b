//! A [`Resource`] as a CSV file Excel opens right: UTF-8 with a byte-order mark, CRLF line
//! ends, the header row first, cells quoted only when they hold a comma, a quote or a line
//! break (RFC 4180).

use super::tables::Resource;

const BOM: &str = "\u{feff}";

/// The CSV bytes of `resource`; a table without rows is its header row alone.
pub fn write(resource: &Resource) -> Vec<u8> {
    let mut out = String::with_capacity(64 * (resource.rows.len() + 1));
    out.push_str(BOM);
    line(&mut out, resource.fields.iter().map(|f| f.name.as_str()));
    for row in &resource.rows {
        line(&mut out, row.iter().map(String::as_str));
    }
    out.into_bytes()
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open_data::tables::{Field, Role};
    use budgetflow_model::MoneyUnit;

    #[test]
    fn quotes_only_what_needs_it() {
        let r = Resource {
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
                    role: Role::Label,
                },
            ],
            rows: vec![vec!["公务接待费, \"小计\"".into(), "1.50".into()]],
        };
        let text = String::from_utf8(write(&r)).unwrap();
        assert_eq!(
            text,
            "\u{feff}项目,合计\r\n\"公务接待费, \"\"小计\"\"\",1.50\r\n"
        );
    }
}
