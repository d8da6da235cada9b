//! The last look before a publication is written: every artifact of the bundle — the page, the
//! public JSON, the CSVs, the data package and each XML part of the workbook, unzipped in
//! memory — is searched for every secret the document carries about its classified projects
//! ([`budgetflow_model::secrets`]), in each form the artifact may print it (as is, HTML-, XML-,
//! JSON- or CSV-escaped). One occurrence and the publication is refused.
//!
//! This is defence in depth: the validator reports the same secrets in the document's text
//! (`R.leak`), and the renderers withhold a classified project's details
//! ([`crate::open_data::redacted`]); this check trusts neither, and reads what would actually
//! be published. The refusal says which withheld field, which artifact (and workbook part),
//! the byte offset and the twenty characters either side — never the secret itself or more of
//! the artifact.

use std::io::{Cursor, Read};

use budgetflow_model::secrets::{Finder, Secrets, Unsearchable};
use budgetflow_model::{Document, Lang};

use crate::bundle::Bundle;

/// Characters of the artifact shown either side of a secret.
const CONTEXT: usize = 20;

/// Why a bundle must not be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Leak {
    /// An artifact prints a secret.
    #[error("{0}")]
    Found(Box<Found>),
    /// The secrets could not be searched for: nothing is published unchecked.
    #[error("the publication cannot be checked for classified details: {0}")]
    Unsearchable(#[from] Unsearchable),
    /// The workbook could not be unzipped to be checked.
    #[error("{artifact} cannot be unzipped to be checked for classified details: {reason}")]
    Unreadable { artifact: String, reason: String },
}

/// Where an artifact prints a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The artifact's path in the publication (`data/document.json`).
    pub artifact: String,
    /// The workbook's XML part (`xl/sharedStrings.xml`), for a workbook.
    pub part: Option<String>,
    /// The byte offset of the secret in the artifact (in the part, for a workbook).
    pub offset: usize,
    /// The classified project (`特定目标 10100021`).
    pub project: String,
    /// The withheld field, in Chinese and English (`项目总体目标`, `project goal`).
    pub field_zh: String,
    pub field_en: String,
    /// The field's path in the canonical JSON.
    pub path: String,
    /// Up to [`CONTEXT`] characters before and after the secret.
    pub before: String,
    pub after: String,
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.artifact)?;
        if let Some(part) = &self.part {
            write!(f, " ({part})")?;
        }
        write!(
            f,
            " publishes at byte {} the withheld {} of {} ({}; 不予公开的{}): “…{}⟨withheld⟩{}…”",
            self.offset,
            self.field_en,
            self.project,
            self.path,
            self.field_zh,
            self.before,
            self.after
        )
    }
}

/// Refuses `bundle` if any of its artifacts prints a secret `doc` carries.
pub fn check(doc: &Document, bundle: &Bundle) -> Result<(), Leak> {
    let secrets = Secrets::of(doc);
    if secrets.is_empty() {
        return Ok(());
    }
    let finder = secrets.finder_with(forms)?;
    for artifact in &bundle.artifacts {
        if artifact.path.ends_with(".xlsx") {
            for (part, xml) in unzipped(&artifact.path, &artifact.bytes)? {
                search(&finder, &artifact.path, Some(part), &xml)?;
            }
        } else {
            search(&finder, &artifact.path, None, &artifact.bytes)?;
        }
    }
    Ok(())
}

fn search(
    finder: &Finder<'_>,
    artifact: &str,
    part: Option<String>,
    bytes: &[u8],
) -> Result<(), Leak> {
    let Some(hit) = finder.find(bytes) else {
        return Ok(());
    };
    let origin = &hit.secret.origin;
    Err(Leak::Found(Box::new(Found {
        artifact: artifact.to_string(),
        part,
        offset: hit.start,
        project: origin.project.clone(),
        field_zh: origin.field.label(Lang::Zh),
        field_en: origin.field.label(Lang::En),
        path: origin.path(),
        before: before(bytes, hit.start),
        after: after(bytes, hit.end),
    })))
}

/// Every form an artifact may print `secret` in: as is; escaped for HTML (the page), for XML
/// text and attributes (the workbook), for a JSON string (the public JSON, the data package)
/// and for a quoted CSV field.
fn forms(secret: &str) -> Vec<String> {
    let xml_text = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let json = serde_json::to_string(secret)
        .map(|quoted| quoted[1..quoted.len() - 1].to_string())
        .unwrap_or_default();
    vec![
        secret.to_string(),
        crate::html::escape(secret),
        xml_text.replace('"', "&quot;"),
        xml_text,
        json,
        secret.replace('"', "\"\""),
    ]
}

/// Each part of a workbook, unzipped.
fn unzipped(artifact: &str, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, Leak> {
    let unreadable = |reason: String| Leak::Unreadable {
        artifact: artifact.to_string(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut parts = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| entry.name_raw().escape_ascii().to_string());
        let mut content = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .read_to_end(&mut content)
            .map_err(|e| unreadable(format!("{name}: {e}")))?;
        parts.push((name, content));
    }
    Ok(parts)
}

/// Up to [`CONTEXT`] characters before byte `at`, on one line.
fn before(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(CONTEXT * 4);
    let text = String::from_utf8_lossy(&bytes[from..at]);
    let chars: Vec<char> = text.chars().collect();
    one_line(&chars[chars.len().saturating_sub(CONTEXT)..])
}

/// Up to [`CONTEXT`] characters from byte `at`, on one line.
fn after(bytes: &[u8], at: usize) -> String {
    let to = (at + CONTEXT * 4).min(bytes.len());
    let text = String::from_utf8_lossy(&bytes[at..to]);
    let chars: Vec<char> = text.chars().take(CONTEXT).collect();
    one_line(&chars)
}

fn one_line(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| if c.is_control() { ' ' } else { *c })
        .filter(|c| *c != char::REPLACEMENT_CHARACTER)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use budgetflow_model::narrative::{Allocation, AllocationItem, Disclosed, ProjectDescription};
    use budgetflow_model::tables::ProjectName;
    use budgetflow_model::{Block, DocumentKind, FiscalYear, Section};

    use super::*;
    use crate::bundle::Artifact;

    const SECRET: &str = "天山\"保密\"专网&<北区>";

    /// A document whose classified project carries `SECRET` as an allocation item.
    fn carrying() -> Document {
        let mut doc = Document::new(
            "乌鲁木齐市工业和信息化局",
            FiscalYear::new(2025).unwrap(),
            DocumentKind::DepartmentBudget,
        );
        doc.narrative.sections.push(Section {
            number: 7,
            topic: None,
            title: "项目支出".into(),
            blocks: vec![Block::Project(ProjectDescription {
                number: 1,
                name: ProjectName::new("特定目标 10100021"),
                policy_basis: Disclosed::Withheld,
                amount: None,
                unit: Default::default(),
                implementer: None,
                allocation: Disclosed::Stated(Allocation {
                    text: "完全不予公开".into(),
                    items: vec![AllocationItem {
                        purpose: SECRET.into(),
                        amount: "1.00".parse().unwrap(),
                    }],
                }),
                period: Disclosed::Withheld,
            })],
        });
        doc
    }

    fn bundle(path: &str, bytes: Vec<u8>) -> Bundle {
        Bundle {
            department: "乌鲁木齐市工业和信息化局".into(),
            fiscal_year: 2025,
            artifacts: vec![Artifact {
                path: path.into(),
                media_type: "text/plain",
                bytes,
            }],
        }
    }

    fn found(result: Result<(), Leak>) -> Found {
        match result {
            Err(Leak::Found(found)) => *found,
            other => panic!("expected a leak, got {other:?}"),
        }
    }

    #[test]
    fn each_escaped_form_is_found() {
        let doc = carrying();
        let cases = [
            ("raw.txt", SECRET.to_string()),
            (
                "index.html",
                "天山&quot;保密&quot;专网&amp;&lt;北区&gt;".to_string(),
            ),
            ("sheet.xml", "天山\"保密\"专网&amp;&lt;北区&gt;".to_string()),
            (
                "attribute.xml",
                "天山&quot;保密&quot;专网&amp;&lt;北区&gt;".to_string(),
            ),
            ("document.json", "天山\\\"保密\\\"专网&<北区>".to_string()),
            ("table-07.csv", "天山\"\"保密\"\"专网&<北区>".to_string()),
        ];
        let prefix = "前面的二十多个字以外的文字，以及紧挨着它的前文：";
        for (path, printed) in cases {
            let text = format!("{prefix}{printed}。");
            let leak = found(check(&doc, &bundle(path, text.clone().into_bytes())));
            assert_eq!(leak.artifact, path);
            assert_eq!(leak.offset, prefix.len(), "{path}");
            assert_eq!(leak.before.chars().count(), CONTEXT);
            assert!(prefix.ends_with(&leak.before), "{}", leak.before);
            assert!(leak.after.ends_with('。'), "{}", leak.after);
            assert_eq!(leak.field_zh, "资金分配情况第1项用途");
            let message = Leak::Found(Box::new(leak)).to_string();
            assert!(
                !message.contains("北区"),
                "the message repeats the secret: {message}"
            );
            assert!(message
                .contains("narrative.projects[特定目标 10100021].allocation.items[0].purpose"));
        }
        assert!(check(&doc, &bundle("index.html", "天山保密专网".into())).is_ok());
    }

    #[test]
    fn the_workbook_is_searched_part_by_part() {
        let doc = carrying();
        let mut zipped = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut zipped));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("xl/workbook.xml", options).unwrap();
            w.write_all(b"<workbook/>").unwrap();
            w.start_file("xl/sharedStrings.xml", options).unwrap();
            w.write_all("<sst><si><t>天山\"保密\"专网&amp;&lt;北区&gt;</t></si></sst>".as_bytes())
                .unwrap();
            w.finish().unwrap();
        }
        let leak = found(check(&doc, &bundle("data/workbook.xlsx", zipped)));
        assert_eq!(leak.part.as_deref(), Some("xl/sharedStrings.xml"));
        assert_eq!(leak.offset, "<sst><si><t>".len());
        assert_eq!(leak.before, "<sst><si><t>");
        assert!(matches!(
            check(&doc, &bundle("data/workbook.xlsx", b"not a zip".to_vec())),
            Err(Leak::Unreadable { .. })
        ));
    }

    #[test]
    fn a_document_without_secrets_passes_anything() {
        let mut doc = carrying();
        doc.narrative.sections.clear();
        assert!(check(&doc, &bundle("index.html", SECRET.into())).is_ok());
    }

    #[test]
    fn context_stays_on_one_line_and_within_bounds() {
        assert_eq!(before(b"ab\ncd", 5), "ab cd");
        assert_eq!(after("一二三".as_bytes(), 3), "二三");
        let long = "字".repeat(100);
        assert_eq!(after(long.as_bytes(), 0).chars().count(), CONTEXT);
        assert_eq!(before(long.as_bytes(), long.len()).chars().count(), CONTEXT);
        // an offset inside a character shows no broken one
        assert_eq!(before("一二".as_bytes(), 4), "一");
    }
}
