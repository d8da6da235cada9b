//! Hostile workbooks: the exported sample with its XML rewritten as an attacker would — a cell
//! at the far corner of a sheet, a lying or missing `<dimension>`, thousands of sheets, a huge
//! shared strings table, deep XML, endless rows, entity declarations. Each is refused with the
//! limit and where, in under a second, and the reader's peak memory stays under a fixed
//! ceiling, measured by a counting allocator (a test binary of its own: the allocator is
//! global, and the cases run one after another in one test so that no other thread's
//! allocations are counted).

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use budgetflow_model::Lang;
use budgetflow_peak_memory::peak_of;
use budgetflow_workbook::{read, write, Limits, WorkbookError};

#[global_allocator]
static ALLOCATOR: budgetflow_peak_memory::Counting = budgetflow_peak_memory::Counting;

/// The least time a refusal is allowed (a debug build on a shared machine).
const TIME: Duration = Duration::from_secs(1);
/// A refusal may cost at most this many honest reads of the sample, measured in the same run:
/// what "quickly" means must follow the machine's speed, not one host's (a 1 s bound alone
/// failed at 1.004 s on a host 1.5× slower per instruction, reading the same code).
const HONEST_READS: u32 = 40;
/// The most memory reading any hostile workbook may hold at once.
const CEILING: usize = 32 * 1024 * 1024;

fn sample_workbook() -> Vec<u8> {
    let text = include_str!("../../../samples/urumqi-miit-2025.txt");
    write(&budgetflow_formats::text::read_str(text).unwrap()).unwrap()
}

/// The archive with every entry `edit` returns a new text for rewritten (deflated).
fn rewrite(bytes: &[u8], mut edit: impl FnMut(&str, &str) -> Option<String>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if let Some(text) = std::str::from_utf8(&data)
            .ok()
            .and_then(|text| edit(&name, text))
        {
            data = text.into_bytes();
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn is_sheet(name: &str) -> bool {
    name.starts_with("xl/worksheets/sheet")
}

/// `<row r="{r}">{cells}</row>`.
fn row(r: u32, cells: &str) -> String {
    format!("<row r=\"{r}\">{cells}</row>")
}

/// The sheets `which` accepts (by entry name) with `rows` added at the end and their
/// dimension changed by `dimension`.
fn sheets(
    bytes: &[u8],
    which: fn(&str) -> bool,
    rows: &str,
    dimension: impl Fn(&str) -> String,
) -> Vec<u8> {
    rewrite(bytes, |name, xml| {
        which(name).then(|| {
            with_dimension(xml, &dimension)
                .replace("</sheetData>", &format!("{rows}</sheetData>"))
                .replace("<sheetData/>", &format!("<sheetData>{rows}</sheetData>"))
        })
    })
}

fn every_sheet(bytes: &[u8], rows: &str, dimension: impl Fn(&str) -> String) -> Vec<u8> {
    sheets(bytes, is_sheet, rows, dimension)
}

/// The entry of 封面, the first sheet the reader reads.
fn cover(name: &str) -> bool {
    name == "xl/worksheets/sheet2.xml"
}

/// `xml` with its `<dimension ref="…"/>` element replaced by `dimension(ref)`.
fn with_dimension(xml: &str, dimension: impl Fn(&str) -> String) -> String {
    let Some(at) = xml.find("<dimension ref=\"") else {
        return xml.to_string();
    };
    let end = at + xml[at..].find("/>").unwrap() + 2;
    let old = xml[at..end].split('"').nth(1).unwrap();
    format!("{}{}{}", &xml[..at], dimension(old), &xml[end..])
}

fn declare(range: &str) -> impl Fn(&str) -> String + '_ {
    move |_| format!("<dimension ref=\"{range}\"/>")
}

fn keep(old: &str) -> String {
    format!("<dimension ref=\"{old}\"/>")
}

fn drop_dimension(_: &str) -> String {
    String::new()
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// A hostile workbook, and what its refusal must say.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    refused: fn(&WorkbookError) -> bool,
    /// Words the message names (the sheet or part, the cell, the limit).
    says: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let sample = sample_workbook();
    let far = inline("XFD1048576", "x");
    let shared = |edit: &dyn Fn(&str) -> String| {
        rewrite(&sample, |name, xml| {
            name.ends_with("sharedStrings.xml").then(|| edit(xml))
        })
    };
    let first_sheet = |edit: &dyn Fn(&str) -> String| {
        rewrite(&sample, |name, xml| cover(name).then(|| edit(xml)))
    };
    vec![
        Case {
            name: "a cell at XFD1048576 in every sheet, the dimension saying so",
            bytes: every_sheet(&sample, &row(1_048_576, &far), declare("A1:XFD1048576")),
            refused: |e| matches!(e, WorkbookError::OutsideShape { declared: true, cell, .. } if cell == "XFD1048576"),
            says: &["封面", "XFD1048576", "max_rows"],
        },
        Case {
            name: "a cell at XFD1048576 in every sheet, the dimension lying",
            bytes: every_sheet(&sample, &row(1_048_576, &far), keep),
            refused: |e| matches!(e, WorkbookError::OutsideShape { declared: false, cell, .. } if cell == "XFD1048576"),
            says: &["封面", "cell XFD1048576"],
        },
        Case {
            name: "a cell at ZZ40000 in every sheet, no dimension",
            bytes: every_sheet(
                &sample,
                &row(40_000, &inline("ZZ40000", "x")),
                drop_dimension,
            ),
            refused: |e| matches!(e, WorkbookError::OutsideShape { declared: false, cell, .. } if cell == "ZZ40000"),
            says: &["封面", "ZZ40000"],
        },
        Case {
            name: "a dimension declaring the whole sheet, no cell there",
            bytes: every_sheet(&sample, "", declare("A1:XFD1048576")),
            refused: |e| matches!(e, WorkbookError::OutsideShape { declared: true, .. }),
            says: &["封面", "XFD1048576", "used range"],
        },
        Case {
            name: "a row of 20,000 cells without references",
            bytes: sheets(
                &sample,
                cover,
                &row(4000, &"<c><v>1</v></c>".repeat(20_000)),
                keep,
            ),
            refused: |e| matches!(e, WorkbookError::OutsideShape { declared: false, cell, .. } if cell == "AF4000"),
            says: &["封面", "AF4000"],
        },
        Case {
            name: "a sheet stretched to the corner of its shape",
            bytes: {
                let Limits {
                    max_rows,
                    max_columns,
                    ..
                } = Limits::default();
                let last_column: String = (100..max_rows)
                    .map(|r| row(r, &format!("<c r=\"AE{r}\"><v>1</v></c>")))
                    .collect();
                let last_row = row(max_rows, &"<c><v>1</v></c>".repeat(max_columns as usize));
                sheets(&sample, cover, &(last_column + &last_row), keep)
            },
            refused: |e| matches!(e, WorkbookError::Cell { cell, .. } if cell == "A5000"),
            says: &["封面", "A5000"],
        },
        Case {
            name: "one cell listed 160,000 times",
            bytes: first_sheet(&|xml| {
                xml.replace(
                    "</sheetData>",
                    &format!(
                        "{}</sheetData>",
                        row(1, &"<c r=\"A1\"><v>1</v></c>".repeat(160_000))
                    ),
                )
            }),
            refused: |e| matches!(e, WorkbookError::TooManyCells { .. }),
            says: &["A1", "cells"],
        },
        Case {
            name: "10,000 sheets",
            bytes: rewrite(&sample, |name, xml| {
                (name == "xl/workbook.xml").then(|| {
                    let extra: String = (0..10_000)
                        .map(|i| {
                            format!(
                                "<sheet name=\"s{i}\" sheetId=\"{}\" r:id=\"rId1\"/>",
                                1000 + i
                            )
                        })
                        .collect();
                    xml.replace("</sheets>", &format!("{extra}</sheets>"))
                })
            }),
            refused: |e| matches!(e, WorkbookError::TooManySheets { limit: 64 }),
            says: &["max_sheets"],
        },
        Case {
            name: "a shared strings table declaring a billion strings",
            bytes: shared(&|xml| xml.replacen("uniqueCount=\"", "uniqueCount=\"1000000000", 1)),
            refused: |e| matches!(e, WorkbookError::TooManyStrings { .. }),
            says: &["sharedStrings.xml", "max_shared_strings"],
        },
        Case {
            name: "a shared strings table of 200,000 strings",
            bytes: shared(&|xml| {
                xml.replace(
                    "</sst>",
                    &format!("{}</sst>", "<si><t>x</t></si>".repeat(200_000)),
                )
            }),
            refused: |e| matches!(e, WorkbookError::TooManyStrings { .. }),
            says: &["sharedStrings.xml", "max_shared_strings"],
        },
        Case {
            name: "shared strings of 20 MB in all",
            bytes: shared(&|xml| {
                let one = format!("<si><t>{}</t></si>", "字".repeat(30_000));
                xml.replace("</sst>", &format!("{}</sst>", one.repeat(230)))
            }),
            refused: |e| matches!(e, WorkbookError::TooMuchText { .. }),
            says: &["sharedStrings.xml", "max_text_bytes"],
        },
        Case {
            name: "a shared string longer than a cell holds",
            bytes: shared(&|xml| {
                xml.replace(
                    "</sst>",
                    &format!("<si><t>{}</t></si></sst>", "x".repeat(40_000)),
                )
            }),
            refused: |e| matches!(e, WorkbookError::CellTooLong { .. }),
            says: &["sharedStrings.xml", "max_cell_chars"],
        },
        Case {
            name: "one long shared string named by 200,000 cells",
            bytes: {
                let strings = shared(&|xml| {
                    xml.replacen(
                        "<si>",
                        &format!("<si><t>{}</t></si><si>", "x".repeat(30_000)),
                        1,
                    )
                    .replace("uniqueCount=\"", "uniqueCount=\"1")
                });
                let cells = "<c t=\"s\"><v>0</v></c>".repeat(20);
                let rows: String = (200..9_000).map(|r| row(r, &cells)).collect();
                sheets(&strings, cover, &rows, keep)
            },
            refused: |e| matches!(e, WorkbookError::TooMuchText { .. }),
            says: &["max_text_bytes"],
        },
        Case {
            name: "XML nested 100,000 deep",
            bytes: first_sheet(&|xml| {
                xml.replace(
                    "</worksheet>",
                    &format!(
                        "{}{}</worksheet>",
                        "<x>".repeat(100_000),
                        "</x>".repeat(100_000)
                    ),
                )
            }),
            refused: |e| matches!(e, WorkbookError::TooDeep { limit: 64, .. }),
            says: &["sheet2.xml", "max_xml_depth"],
        },
        Case {
            name: "a 2 MB text without markup",
            bytes: first_sheet(&|xml| {
                xml.replace(
                    "</sheetData>",
                    &format!(
                        "{}</sheetData>",
                        row(200, &inline("A200", &"x".repeat(2 << 20)))
                    ),
                )
            }),
            refused: |e| matches!(e, WorkbookError::TokenTooLong { .. }),
            says: &["sheet2.xml", "max_xml_token_bytes"],
        },
        Case {
            name: "billion laughs in the shared strings",
            bytes: shared(&|xml| {
                let mut dtd = String::from("<!DOCTYPE sst [<!ENTITY lol0 \"lol\">");
                for i in 1..10 {
                    dtd.push_str(&format!(
                        "<!ENTITY lol{i} \"{}\">",
                        format!("&lol{};", i - 1).repeat(10)
                    ));
                }
                dtd.push_str("]>");
                xml.replacen("<sst ", &format!("{dtd}<sst "), 1).replacen(
                    "<si>",
                    "<si><t>&lol9;</t></si><si>",
                    1,
                )
            }),
            refused: |e| matches!(e, WorkbookError::DocumentType { .. }),
            says: &["sharedStrings.xml", "DOCTYPE"],
        },
    ]
}

#[test]
fn every_hostile_workbook_is_refused_quickly_in_bounded_memory() {
    let sample = sample_workbook();
    // warm what is built once per process (catalogs, patterns), and measure the honest read
    drop(read(&sample, &Limits::default()).unwrap());
    let started = Instant::now();
    let (doc, honest) = peak_of(|| read(&sample, &Limits::default()).unwrap());
    let bound = TIME.max(started.elapsed() * HONEST_READS);
    let honest = honest.peak;
    drop(doc);
    println!(
        "the sample workbook ({} bytes): peak {honest} bytes",
        sample.len()
    );

    for case in cases() {
        let started = Instant::now();
        let (result, measured) = peak_of(|| read(&case.bytes, &Limits::default()));
        let took = started.elapsed();
        let peak = measured.peak;
        println!(
            "{}: {} bytes, {took:?}, peak {peak} bytes: {:?}",
            case.name,
            case.bytes.len(),
            result.as_ref().err().map(|e| e.to_string()),
        );
        let e = result.expect_err(case.name);
        assert!((case.refused)(&e), "{}: refused with {e:?}", case.name);
        for word in case.says {
            assert!(
                e.to_string().contains(word),
                "{}: `{word}` not in {e}",
                case.name
            );
        }
        assert!(
            e.message(Lang::Zh).len() < 400,
            "{}: {}",
            case.name,
            e.message(Lang::Zh)
        );
        assert!(took < bound, "{}: {took:?} (bound {bound:?})", case.name);
        assert!(peak < CEILING, "{}: peak {peak} bytes", case.name);
    }
}
