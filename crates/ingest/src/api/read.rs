//! A submitted body to a document, by its media type, with errors that say where.
//!
//! - `text/plain`: the text layout (UTF-8 or GB18030); errors name the line;
//! - `application/json`: the canonical JSON; a syntax error names the line, a document of
//!   the wrong shape the path of the offending field (`identity.fiscal_year`);
//! - the XLSX template (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`,
//!   `budgetflow-workbook`): errors name the sheet and cell; an archive over the size or
//!   entry limits (a zip bomb) is refused before it is unpacked;
//! - `application/pdf`: a born-digital disclosure (`budgetflow-pdf`, then the template profile
//!   that recognises it); the reader's limits hold (size, objects, decoded streams, operators,
//!   words), a scanned PDF without text is refused, errors name the page.

use axum::http::StatusCode;
use budgetflow_formats::{decode, json, text, ReadError};
use budgetflow_model::{Document, Lang};
use budgetflow_workbook::{Limits as WorkbookLimits, WorkbookError};

use super::error::{ApiError, Location};

/// The media types a submission may have.
pub const TEXT: &str = "text/plain";
pub const JSON: &str = "application/json";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";

/// The media type of a `Content-Type` value, without parameters, lowercased.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Reads `bytes` as `media_type`; a workbook is held to `workbook` (size, unpacked size,
/// entries).
pub fn read(
    media_type: &str,
    bytes: &[u8],
    workbook: &WorkbookLimits,
) -> Result<Document, ApiError> {
    match media_type {
        TEXT => text::read(bytes).map_err(read_error),
        JSON => read_json(bytes),
        XLSX => budgetflow_workbook::read(bytes, workbook).map_err(workbook_error),
        PDF => budgetflow_formats::read_pdf(bytes).map_err(read_error),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("不支持的 Content-Type `{other}`：应为 {TEXT}、{JSON}、{XLSX} 或 {PDF}"),
            format!("unsupported Content-Type `{other}`: expected {TEXT}, {JSON}, {XLSX} or {PDF}"),
        )),
    }
}

fn read_json(bytes: &[u8]) -> Result<Document, ApiError> {
    let text = decode::decode(bytes).map_err(read_error)?;
    match json::read_str(&text) {
        Ok(document) => Ok(document),
        Err(ReadError::Json(problem)) => {
            // A reader's limit names its JSON path already (`$.glossary[10000]: …`); that
            // document is not read again, which would build what the limit refused.
            let limit_path = problem
                .split_once(": ")
                .map(|(path, _)| path)
                .filter(|path| path.starts_with('$'));
            let location = match limit_path {
                Some(path) => Some(Location::Path(path.to_owned())),
                None => {
                    let mut deserializer = serde_json::Deserializer::from_str(&text);
                    match serde_path_to_error::deserialize::<_, Document>(&mut deserializer) {
                        Err(e) if e.inner().is_data() => Some(Location::Path(e.path().to_string())),
                        Err(e) => Some(Location::Line(e.inner().line())),
                        Ok(_) => None,
                    }
                }
            };
            let (zh_where, en_where) = match &location {
                Some(Location::Path(path)) => {
                    (format!("位置 `{path}`："), format!("at `{path}`: "))
                }
                Some(Location::Line(line)) => (format!("第 {line} 行："), format!("line {line}: ")),
                Some(Location::Cell { .. } | Location::Page(_)) | None => {
                    (String::new(), String::new())
                }
            };
            let error = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_json",
                format!("JSON 文档不符合 budgetflow.document 格式：{zh_where}{problem}"),
                format!("the JSON is not a budgetflow.document: {en_where}{problem}"),
            );
            Err(match location {
                Some(location) => error.at(location),
                None => error,
            })
        }
        Err(other) => Err(read_error(other)),
    }
}

/// A reader's error as the API's: the reader's own messages in both languages, a stable
/// code, and the line where it has one.
fn read_error(error: ReadError) -> ApiError {
    let (status, code, location) = match &error {
        ReadError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None),
        ReadError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "empty_document", None),
        ReadError::Binary { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "not_text", None),
        ReadError::Encoding { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "undecodable_text", None),
        ReadError::Layout { line, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_document",
            Some(Location::Line(*line)),
        ),
        ReadError::NotADisclosure { line, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_disclosure",
            Some(Location::Line(*line)),
        ),
        ReadError::Json(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json", None),
        ReadError::Pdf(budgetflow_pdf::PdfError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None)
        }
        ReadError::Pdf(_) | ReadError::PdfLayout(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_pdf", None)
        }
        ReadError::OnPage { page, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_document",
            Some(Location::Page(*page)),
        ),
        ReadError::InCell { sheet, cell, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_document",
            Some(Location::Cell {
                sheet: sheet.clone(),
                cell: cell.clone(),
            }),
        ),
        ReadError::UnknownTemplate { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, "unknown_template", None)
        }
        ReadError::ProfileUnavailable { .. } => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal", None)
        }
        ReadError::Io { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
    };
    refused(status, code, |lang| error.message(lang), location)
}

/// A workbook reader's error as the API's: limits are 413, the rest 422 with the sheet and
/// cell where the reader names them.
fn workbook_error(error: WorkbookError) -> ApiError {
    let (status, code, location) = match &error {
        WorkbookError::TooLarge { .. }
        | WorkbookError::TooManyEntries { .. }
        | WorkbookError::TooBig { .. } => {
            (StatusCode::PAYLOAD_TOO_LARGE, "workbook_too_large", None)
        }
        WorkbookError::NotAWorkbook(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "not_a_workbook", None)
        }
        WorkbookError::Cell { sheet, cell, .. }
        | WorkbookError::Table(ReadError::InCell { sheet, cell, .. })
        | WorkbookError::NothingFilled { sheet, cell }
        | WorkbookError::OutsideShape { sheet, cell, .. }
        | WorkbookError::TooManyCells { sheet, cell, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_workbook",
            Some(Location::Cell {
                sheet: sheet.clone(),
                cell: cell.clone(),
            }),
        ),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_workbook", None),
    };
    refused(status, code, |lang| error.message(lang), location)
}

/// An input refused with `status` and `code`, its message in both languages, and where in the
/// input the reader found the fault when it says.
fn refused(
    status: StatusCode,
    code: &'static str,
    message: impl Fn(Lang) -> String,
    location: Option<Location>,
) -> ApiError {
    let api = ApiError::new(status, code, message(Lang::Zh), message(Lang::En));
    match location {
        Some(location) => api.at(location),
        None => api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_ignore_parameters_and_case() {
        assert_eq!(media_type("Text/Plain; charset=utf-8"), TEXT);
        assert_eq!(media_type(JSON), JSON);
    }

    #[test]
    fn a_json_of_the_wrong_shape_names_the_path() {
        let sample = include_str!("../../../../samples/urumqi-miit-2025.txt");
        let document = text::read(sample.as_bytes()).unwrap();
        let mut value = serde_json::to_value(&document).unwrap();
        value["identity"]["fiscal_year"] = serde_json::json!("二〇二五");
        let error = read(
            JSON,
            value.to_string().as_bytes(),
            &WorkbookLimits::default(),
        )
        .unwrap_err();
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error.location.as_deref(),
            Some(&Location::Path("identity.fiscal_year".into()))
        );
        assert!(error.message.contains("identity.fiscal_year"));

        let error = read(
            JSON,
            b"{\"schema\": \"budgetflow.document/1\",\n  oops",
            &WorkbookLimits::default(),
        )
        .unwrap_err();
        assert_eq!(error.location.as_deref(), Some(&Location::Line(2)));
    }

    #[test]
    fn a_json_over_a_limit_names_the_path_the_reader_stopped_at() {
        let deep = format!(
            "{{\"schema\": \"budgetflow.document/1\", \"glossary\": {}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let error = read(JSON, deep.as_bytes(), &WorkbookLimits::default()).unwrap_err();
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        let Some(Location::Path(path)) = error.location.as_deref() else {
            panic!("no path: {:?}", error.location);
        };
        assert!(path.starts_with("$.glossary[0]"), "{path}");
    }

    #[test]
    fn a_text_that_does_not_parse_names_the_line() {
        let error = read(
            TEXT,
            "某局\n没有年份的标题\n".as_bytes(),
            &WorkbookLimits::default(),
        )
        .unwrap_err();
        assert_eq!(error.code, "not_a_disclosure");
        assert!(matches!(error.location.as_deref(), Some(Location::Line(_))));
        let error = read(
            "application/msword",
            b"\xD0\xCF",
            &WorkbookLimits::default(),
        )
        .unwrap_err();
        assert_eq!(error.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let error = read(PDF, b"%PDF", &WorkbookLimits::default()).unwrap_err();
        assert_eq!(
            (error.status, error.code),
            (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_pdf")
        );
    }
}
