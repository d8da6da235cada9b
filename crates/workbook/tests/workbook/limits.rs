//! The zip-bomb guard: each limit refuses with its name, before calamine reads anything.

use budgetflow_model::Lang;
use budgetflow_workbook::{read, write, Limits, WorkbookError};

use crate::archive::zip_of;
use crate::sample;

#[test]
fn a_real_workbook_is_well_inside_the_defaults() {
    let bytes = write(&sample()).unwrap();
    let l = Limits::default();
    assert!(
        (bytes.len() as u64) < l.max_compressed_bytes / 16,
        "{} bytes",
        bytes.len()
    );
    assert!(read(&bytes, &l).is_ok());
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let bytes = write(&sample()).unwrap();
    let limits = Limits {
        max_compressed_bytes: 1000,
        ..Limits::default()
    };
    let e = read(&bytes, &limits).unwrap_err();
    assert!(
        matches!(e, WorkbookError::TooLarge { limit: 1000, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("max_compressed_bytes"));
}

#[test]
fn too_many_entries_are_refused_with_the_limit_named() {
    let entries: Vec<(String, Vec<u8>)> = (0..1001)
        .map(|i| (format!("x/{i}.xml"), vec![b'a']))
        .collect();
    let bytes = zip_of(&entries, false);
    let e = read(&bytes, &Limits::default()).unwrap_err();
    assert!(
        matches!(
            e,
            WorkbookError::TooManyEntries {
                entries: 1001,
                limit: 1000
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("max_entries"));
    assert!(e.message(Lang::Zh).contains("max_entries"));
}

#[test]
fn an_entry_declaring_a_huge_size_is_refused() {
    // 8 MB of zeros deflate to a few KB; the directory declares the 8 MB
    let bytes = zip_of(
        &[("xl/worksheets/sheet1.xml".into(), vec![0u8; 8 << 20])],
        true,
    );
    assert!(bytes.len() < 64 * 1024);
    let limits = Limits {
        max_decompressed_bytes: 1 << 20,
        ..Limits::default()
    };
    let e = read(&bytes, &limits).unwrap_err();
    match &e {
        WorkbookError::TooBig { entry, limit, .. } => {
            assert_eq!(
                (entry.as_str(), *limit),
                ("xl/worksheets/sheet1.xml", 1 << 20)
            );
        }
        other => panic!("{other}"),
    }
    assert!(
        e.to_string().contains("max_decompressed_bytes") && e.to_string().contains("as declared"),
        "{e}"
    );
}

/// Sets the uncompressed-size fields of every local header and central-directory record.
fn lie_about_sizes(mut bytes: Vec<u8>, declared: u32) -> Vec<u8> {
    let d = declared.to_le_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        match bytes[i..i + 4] {
            [0x50, 0x4b, 0x03, 0x04] => bytes[i + 22..i + 26].copy_from_slice(&d),
            [0x50, 0x4b, 0x01, 0x02] => bytes[i + 24..i + 28].copy_from_slice(&d),
            _ => {}
        }
        i += 1;
    }
    bytes
}

#[test]
fn an_entry_lying_about_its_size_is_caught_while_unpacking() {
    let honest = zip_of(
        &[("xl/worksheets/sheet1.xml".into(), vec![0u8; 4 << 20])],
        true,
    );
    let bytes = lie_about_sizes(honest, 100);
    let limits = Limits {
        max_decompressed_bytes: 1 << 20,
        ..Limits::default()
    };
    match read(&bytes, &limits) {
        Err(WorkbookError::TooBig { how, .. }) => assert_eq!(how, "when unpacked"),
        // a reader that checks sizes may refuse the lie itself: refused either way, not read
        Err(WorkbookError::NotAWorkbook(_)) => {}
        other => panic!("{other:?}"),
    }
}
