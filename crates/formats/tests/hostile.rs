//! Hostile text and JSON: the sample changed as an attacker would — sixteen megabytes of
//! newlines, a megabyte-long line, a row of fifty thousand cells, a table of twelve
//! thousand rows, JSON nested a hundred thousand deep, an array of eight million zeros, a
//! ten-megabyte string. Each is refused with the limit and the line or JSON path, in under a
//! second, and the reader's peak memory stays under a fixed ceiling, measured by a counting
//! allocator (a test binary of its own; the cases run one after another in one test so that
//! no other thread's allocations are counted).

use std::time::{Duration, Instant};

use budgetflow_formats::decode::MAX_INPUT_BYTES;
use budgetflow_formats::limits::{MAX_CELLS, MAX_LINES, MAX_TABLE_ROWS};
use budgetflow_formats::{read_any, ReadError};
use budgetflow_model::Lang;
use budgetflow_peak_memory::peak_of;

#[global_allocator]
static ALLOCATOR: budgetflow_peak_memory::Counting = budgetflow_peak_memory::Counting;

const SAMPLE: &str = include_str!("../../../samples/urumqi-miit-2025.txt");

/// The most a refusal may take (generous: a debug build on a shared machine).
const TIME: Duration = Duration::from_secs(1);
/// The most memory reading any hostile input may hold at once, beyond the input itself.
const CEILING: usize = 16 * 1024 * 1024;

/// The sample with line `no` (1-based) replaced by `edit` of it.
fn with_line(no: usize, edit: impl FnOnce(&str) -> String) -> String {
    let mut lines: Vec<String> = SAMPLE.lines().map(str::to_string).collect();
    lines[no - 1] = edit(&lines[no - 1]);
    lines.join("\n") + "\n"
}

/// The title line of the sample (`2025 年部门预算公开`).
const TITLE: usize = 5;

/// The first table row of the sample (表1's first line of figures).
const ROW: usize = 87;

fn sample_json() -> String {
    budgetflow_formats::json::write(&budgetflow_formats::text::read_str(SAMPLE).unwrap())
}

/// The sample JSON with the glossary's value replaced by `value` (the glossary kept after it
/// under another key, so that the document stays well-formed).
fn json_glossary(value: &str) -> String {
    sample_json().replacen(
        "\"glossary\":",
        &format!("\"glossary\": {value}, \"kept\":"),
        1,
    )
}

/// A hostile input, and what its refusal must say.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    refused: fn(&ReadError) -> bool,
    says: &'static [&'static str],
}

fn layout_at(e: &ReadError, at: usize) -> bool {
    matches!(e, ReadError::Layout { line, .. } if *line == at)
}

fn cases() -> Vec<Case> {
    let fill = |text: String, byte: &str| {
        let room = MAX_INPUT_BYTES as usize - text.len();
        (text + &byte.repeat(room)).into_bytes()
    };
    vec![
        Case {
            name: "sixteen megabytes of newlines",
            bytes: fill(SAMPLE.to_string(), "\n"),
            refused: |e| layout_at(e, MAX_LINES + 1),
            says: &["line 50001", "at most 50000 lines"],
        },
        Case {
            name: "a title of a megabyte",
            bytes: with_line(TITLE, |l| l.repeat(50_000)).into_bytes(),
            refused: |e| layout_at(e, TITLE),
            says: &["line 5", "at most 131072 bytes"],
        },
        Case {
            name: "a title of ten megabytes",
            bytes: with_line(TITLE, |l| format!("{l}{}", "年".repeat(3_500_000))).into_bytes(),
            refused: |e| layout_at(e, TITLE),
            says: &["line 5", "at most 131072 bytes"],
        },
        Case {
            name: "a row of 50,000 cells",
            bytes: with_line(ROW, |l| format!("{l}{}", "\t0".repeat(50_000))).into_bytes(),
            refused: |e| layout_at(e, ROW) && e.to_string().contains(&MAX_CELLS.to_string()),
            says: &["line 87", "at most 64 cells"],
        },
        Case {
            name: "16 MB of rows of zeros in 128 KB lines",
            bytes: {
                let line = format!("0{}\n", "\t0".repeat(64 * 1024 - 1));
                let rows = line.repeat((MAX_INPUT_BYTES as usize - SAMPLE.len()) / line.len());
                with_line(ROW, |l| format!("{l}\n{rows}")).into_bytes()
            },
            refused: |e| layout_at(e, ROW + 1),
            says: &["line 88", "at most 64 cells"],
        },
        Case {
            name: "a table of 12,000 rows",
            bytes: with_line(ROW, |l| format!("{l}\n").repeat(12_000)).into_bytes(),
            refused: |e| layout_at(e, ROW + MAX_TABLE_ROWS - 2),
            says: &["at most 10000 rows"],
        },
        Case {
            name: "JSON nested 100,000 deep",
            bytes: json_glossary(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)))
                .into_bytes(),
            refused: |e| matches!(e, ReadError::Json(_)),
            says: &["$.glossary[0]", "nested more than 32"],
        },
        Case {
            name: "a JSON array of eight million zeros",
            bytes: {
                let zeros = "0,".repeat((MAX_INPUT_BYTES as usize - 300_000) / 2);
                json_glossary(&format!("[{zeros}0]")).into_bytes()
            },
            refused: |e| matches!(e, ReadError::Json(_)),
            says: &["$.glossary[10000]", "more than 10000 elements"],
        },
        Case {
            name: "a JSON string of ten megabytes",
            bytes: json_glossary(&format!("\"{}\"", "年".repeat(3_500_000))).into_bytes(),
            refused: |e| matches!(e, ReadError::Json(_)),
            says: &["$.glossary", "a string of 10500000 bytes"],
        },
    ]
}

#[test]
fn every_hostile_input_is_refused_quickly_in_bounded_memory() {
    // warm what is built once per process (catalogs, patterns)
    drop(read_any(SAMPLE.as_bytes()).unwrap());
    for case in cases() {
        assert!(case.bytes.len() as u64 <= MAX_INPUT_BYTES, "{}", case.name);
        let started = Instant::now();
        let (result, measured) = peak_of(|| read_any(&case.bytes));
        let took = started.elapsed();
        let peak = measured.peak;
        println!(
            "{}: {} bytes, {took:?}, peak {peak} bytes: {:?}",
            case.name,
            case.bytes.len(),
            result.as_ref().err().map(|e| e.to_string()),
        );
        let e = result.expect_err(case.name);
        assert!((case.refused)(&e), "{}: refused with {e}", case.name);
        for word in case.says {
            assert!(
                e.to_string().contains(word),
                "{}: `{word}` not in {e}",
                case.name
            );
        }
        for message in [e.to_string(), e.message(Lang::Zh)] {
            assert!(message.len() < 600, "{}: {message}", case.name);
        }
        assert!(took < TIME, "{}: {took:?}", case.name);
        assert!(peak < CEILING, "{}: peak {peak} bytes", case.name);
    }
}
