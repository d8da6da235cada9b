//! The upload that once killed the server: the exported sample with one cell at `XFD1048576`
//! in every sheet (52 KB that asked the workbook reader for rows × columns cells, past 20 GB).
//! It is answered with a 4xx in under a second, the process stays under 300 MB, and the next
//! good submission is accepted.

use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use budgetflow_ingest::api::Limits;

use crate::support::*;

/// The most the process may hold, resident, at its peak.
const CEILING_KB: u64 = 300 * 1024;

/// `field` (`VmHWM`, `VmRSS`) of `/proc/self/status`, in kB.
fn memory_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// The sample as a workbook, every sheet with a cell at `XFD1048576` and a dimension saying so.
fn dense_grid_workbook() -> Vec<u8> {
    let document = budgetflow_formats::text::read(SAMPLE.as_bytes()).unwrap();
    let bytes = budgetflow_workbook::write(&document).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let xml = String::from_utf8(data).unwrap();
            let at = xml.find("<dimension ref=\"").unwrap();
            let end = at + xml[at..].find("/>").unwrap() + 2;
            let far = "<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row>";
            data = format!(
                "{}<dimension ref=\"A1:XFD1048576\"/>{}",
                &xml[..at],
                &xml[end..]
            )
            .replace("</sheetData>", &format!("{far}</sheetData>"))
            .replace("<sheetData/>", &format!("<sheetData>{far}</sheetData>"))
            .into_bytes();
        }
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_dense_grid_workbook_is_refused_quickly_and_the_server_keeps_serving() {
    let workbook = dense_grid_workbook();
    assert!(workbook.len() < 64 * 1024, "{} bytes", workbook.len());
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| {
        let workbook = workbook.clone();
        async move {
            let token = app.department("miit", SAMPLE_DEPARTMENT).await;
            let before = memory_kb("VmRSS");
            let started = Instant::now();
            let (status, body) = send(app.submit(&token, XLSX, workbook)).await;
            let took = started.elapsed();
            let (peak, after) = (memory_kb("VmHWM"), memory_kb("VmRSS"));
            println!("refused in {took:?}; resident {before} kB → {after} kB, peak {peak} kB");
            assert!((400..500).contains(&status), "{status}: {body}");
            assert_error(&body, "invalid_workbook");
            let message = body["message_en"].as_str().unwrap();
            assert!(
                message.contains("XFD1048576") && message.contains("封面"),
                "{message}"
            );
            assert_eq!(body["sheet"], "封面", "{body}");
            assert_eq!(body["cell"], "XFD1048576", "{body}");
            assert!(took < Duration::from_secs(1), "{took:?}");
            assert!(peak < CEILING_KB, "peak resident {peak} kB");
            assert_eq!(app.rows().await, [1, 0, 0, 0], "nothing of it is stored");

            let (status, body) = send(app.submit(&token, TEXT, SAMPLE)).await;
            assert_eq!(status, 202, "{body}");
            app
        }
    })
    .await;
}
