//! Looking inside a workbook's zip archive and changing one entry, as a department's
//! spreadsheet program (or an attacker) would.

use std::io::{Cursor, Read, Write};

/// The text of entry `name`.
pub fn entry(bytes: &[u8], name: &str) -> String {
    let mut a = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    a.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// A zip of `entries` (stored, no compression unless `deflate`).
pub fn zip_of(entries: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The workbook with entry `name` replaced by `edit` of its text.
pub fn patch(bytes: &[u8], name: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entries = Vec::new();
    let mut edit = Some(edit);
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let n = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if n == name {
            let e = edit.take().unwrap();
            data = e(String::from_utf8(data).unwrap()).into_bytes();
        }
        entries.push((n, data));
    }
    assert!(edit.is_none(), "no entry {name}");
    zip_of(&entries, true)
}

/// The path of the worksheet named `sheet` (`xl/worksheets/sheetN.xml`).
pub fn sheet_path(bytes: &[u8], sheet: &str) -> String {
    let workbook = entry(bytes, "xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|s| {
            s.split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    let i = names.iter().position(|n| *n == sheet).unwrap();
    format!("xl/worksheets/sheet{}.xml", i + 1)
}

/// Replaces cell `cell` of a sheet's XML with an inline string `text` (keeping its style).
pub fn set_text(xml: String, cell: &str, text: &str) -> String {
    set_cell(
        xml,
        cell,
        &format!(" t=\"inlineStr\"><is><t>{text}</t></is>"),
    )
}

/// Replaces cell `cell` of a sheet's XML with the number `value`, as a spreadsheet program
/// stores what a person types.
pub fn set_number(xml: String, cell: &str, value: &str) -> String {
    set_cell(xml, cell, &format!("><v>{value}</v>"))
}

/// Replaces cell `cell` with `<c r=.. s=..{body}</c>`.
fn set_cell(xml: String, cell: &str, body: &str) -> String {
    let at = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let tag_end = at + xml[at..].find('>').unwrap();
    let end = if xml.as_bytes()[tag_end - 1] == b'/' {
        tag_end + 1
    } else {
        at + xml[at..].find("</c>").unwrap() + 4
    };
    let tag = &xml[at..tag_end];
    let style = tag
        .split(" s=\"")
        .nth(1)
        .map(|s| format!(" s=\"{}\"", s.split('"').next().unwrap()))
        .unwrap_or_default();
    format!(
        "{}<c r=\"{cell}\"{style}{body}</c>{}",
        &xml[..at],
        &xml[end..]
    )
}
