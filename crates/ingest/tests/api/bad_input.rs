//! The bad-input corpus: every case gets its 4xx, a message saying what is wrong and where,
//! and the ledger holds nothing of it.

use budgetflow_ingest::api::Limits;
use serde_json::json;

use crate::support::*;

/// (what, content type, body, status, error code, where: `line` or `path` field expected)
type Case = (
    &'static str,
    Option<&'static str>,
    Vec<u8>,
    u16,
    &'static str,
    Option<&'static str>,
);

fn corpus() -> Vec<Case> {
    let document = budgetflow_formats::text::read(SAMPLE.as_bytes()).unwrap();
    let mut wrong_type = serde_json::to_value(&document).unwrap();
    wrong_type["identity"]["fiscal_year"] = json!("二〇二五年");
    // a wrong-typed value serde would quote whole, and one over the reader's string limit
    let mut long_wrong_type = serde_json::to_value(&document).unwrap();
    long_wrong_type["identity"]["fiscal_year"] = json!("二".repeat(40_000));
    let mut ten_megabytes = serde_json::to_value(&document).unwrap();
    ten_megabytes["identity"]["title"] = json!("x".repeat(10 * 1024 * 1024));
    let mut missing = serde_json::to_value(&document).unwrap();
    missing.as_object_mut().unwrap().remove("identity");
    let cut_in_a_table: String = SAMPLE.lines().take(100).collect::<Vec<_>>().join("\n");
    let mut undecodable = "乌鲁木齐市工业和信息化局\n2025 年部门预算公开\n"
        .as_bytes()
        .to_vec();
    undecodable.extend_from_slice(&[0xFF, 0xFF, 0x80, 0xFF, b'\n']);
    vec![
        (
            "no content type",
            None,
            SAMPLE.as_bytes().to_vec(),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "a PDF cut off after its header",
            Some(PDF),
            b"%PDF-1.7".to_vec(),
            422,
            "unreadable_pdf",
            None,
        ),
        (
            "a PDF without a text layer (a scan)",
            Some(PDF),
            scanned_pdf(),
            422,
            "unreadable_pdf",
            None,
        ),
        (
            "bytes sent as a PDF",
            Some(PDF),
            SAMPLE.as_bytes().to_vec(),
            422,
            "unreadable_pdf",
            None,
        ),
        (
            "a malformed workbook",
            Some(XLSX),
            b"PK\x03\x04 not really a zip".to_vec(),
            422,
            "not_a_workbook",
            None,
        ),
        (
            "a zip bomb: too many entries",
            Some(XLSX),
            many_entries(5_000),
            413,
            "workbook_too_large",
            None,
        ),
        (
            "the empty template",
            Some(XLSX),
            empty_template(),
            422,
            "invalid_workbook",
            Some("cell"),
        ),
        ("empty", Some(TEXT), Vec::new(), 422, "empty_document", None),
        (
            "binary",
            Some(TEXT),
            b"\x00\x01\x02\x03 budget".to_vec(),
            422,
            "not_text",
            None,
        ),
        (
            "undecodable text",
            Some(TEXT),
            undecodable,
            422,
            "undecodable_text",
            None,
        ),
        (
            "not a disclosure",
            Some(TEXT),
            "会议纪要\n关于食堂的通知\n".as_bytes().to_vec(),
            422,
            "not_a_disclosure",
            Some("line"),
        ),
        (
            "a text cut off inside a table",
            Some(TEXT),
            cut_in_a_table.into_bytes(),
            422,
            "unreadable_document",
            Some("line"),
        ),
        (
            "JSON that does not parse",
            Some(JSON),
            b"{\"schema\": \"budgetflow.document/1\",\n \"identity\": }".to_vec(),
            422,
            "invalid_json",
            Some("line"),
        ),
        (
            "JSON of the wrong schema: a field's type",
            Some(JSON),
            wrong_type.to_string().into_bytes(),
            422,
            "invalid_json",
            Some("path"),
        ),
        (
            "JSON with a 120 KB value of the wrong type",
            Some(JSON),
            long_wrong_type.to_string().into_bytes(),
            422,
            "invalid_json",
            Some("path"),
        ),
        (
            "JSON with a 10 MB value",
            Some(JSON),
            ten_megabytes.to_string().into_bytes(),
            422,
            "invalid_json",
            Some("path"),
        ),
        (
            "JSON of the wrong schema: a missing field",
            Some(JSON),
            missing.to_string().into_bytes(),
            422,
            "invalid_json",
            None,
        ),
        (
            "text sent as JSON",
            Some(JSON),
            SAMPLE.as_bytes().to_vec(),
            422,
            "invalid_json",
            Some("line"),
        ),
    ]
}

/// A one-page PDF that only paints a (one-pixel) image, as a scanner makes: no text to read.
fn scanned_pdf() -> Vec<u8> {
    let content = b"q 595 0 0 842 0 0 cm /Im1 Do Q";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /XObject << /Im1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{}\nendstream",
            content.len(),
            String::from_utf8_lossy(content)
        ),
        "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
         /BitsPerComponent 8 /Length 1 >>\nstream\n\u{80}\nendstream"
            .to_string(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A zip archive of `entries` empty files.
fn many_entries(entries: usize) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..entries {
        archive
            .start_file(format!("x{i}"), zip::write::SimpleFileOptions::default())
            .unwrap();
    }
    archive.finish().unwrap().into_inner()
}

/// The template as a department downloads it, sent back without filling anything in.
fn empty_template() -> Vec<u8> {
    budgetflow_workbook::template(budgetflow_model::FiscalYear::new(2025).unwrap()).unwrap()
}

#[tokio::test]
async fn every_bad_input_gets_its_4xx_and_a_message_and_stores_nothing() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for (what, content_type, body, status, code, located) in corpus() {
            let mut request = app
                .client
                .post(format!("{}/api/v1/submissions", app.url))
                .bearer_auth(&token)
                .body(body);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let (got, answer) = send(request).await;
            assert_eq!(got, status, "{what}: {answer}");
            // what is wrong and where, never the bad value back whole
            let size = answer.to_string().len();
            assert!(size < 4096, "{what}: a {size}-byte answer");
            assert_error(&answer, code);
            match located {
                Some("line") => assert!(
                    answer["line"].as_u64().is_some_and(|l| l > 0),
                    "{what}: {answer}"
                ),
                Some("cell") => assert!(
                    answer["sheet"].is_string() && answer["cell"].is_string(),
                    "{what}: {answer}"
                ),
                Some(field) => assert!(answer[field].is_string(), "{what}: {answer}"),
                None => {}
            }
            if let Some(line) = answer["line"].as_u64() {
                assert!(
                    answer["message"]
                        .as_str()
                        .unwrap()
                        .contains(&line.to_string()),
                    "{what}: {answer}"
                );
            }
            if let Some(path) = answer["path"].as_str() {
                assert!(
                    answer["message_en"].as_str().unwrap().contains(path),
                    "{what}: {answer}"
                );
            }
            assert_eq!(app.rows().await, [1, 0, 0, 0], "{what} left rows behind");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn malformed_queries_and_ids_are_refused_clearly() {
    on_every_backend(Limits::default(), Pipeline::ApiOnly, |app| async move {
        let token = app.department("miit", SAMPLE_DEPARTMENT).await;
        for (path, status, code) in [
            ("/api/v1/submissions?year=next", 400, "invalid_query"),
            ("/api/v1/submissions?year=1850", 400, "invalid_query"),
            ("/api/v1/submissions?state=done", 400, "invalid_query"),
            ("/api/v1/submissions?colour=red", 400, "invalid_query"),
            (
                "/api/v1/departments/miit/submissions?department=miit",
                400,
                "invalid_query",
            ),
            ("/api/v1/submissions/not-a-uuid", 404, "not_found"),
            ("/api/v1/nothing-here", 404, "not_found"),
        ] {
            let (got, body) = send(app.get(path, &token)).await;
            assert_eq!(got, status, "{path}: {body}");
            assert_error(&body, code);
        }
        app
    })
    .await;
}
