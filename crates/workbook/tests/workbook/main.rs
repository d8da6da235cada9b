//! The workbook's contract: documents round-trip through it, the template is what a department
//! needs, bad cells and zip bombs are refused with errors that say where and which limit.

mod archive;
mod bad_input;
mod keys;
mod limits;
mod round_trip;
mod template;

/// The bundled real disclosure, parsed.
pub fn sample() -> budgetflow_model::Document {
    let text = include_str!("../../../../samples/urumqi-miit-2025.txt");
    budgetflow_formats::text::read_str(text).expect("the sample parses")
}

/// `docProps/core.xml` of a workbook.
fn core_properties(xlsx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("docProps/core.xml").unwrap(),
        &mut core,
    )
    .unwrap();
    core
}

#[test]
fn a_workbook_is_dated_by_its_document_not_by_the_clock() {
    // republishing an unchanged disclosure must write the same bytes
    let doc = sample();
    let published = doc.identity.published.expect("the sample is dated");
    let core = core_properties(&budgetflow_workbook::write(&doc).unwrap());
    assert!(core.contains(&format!(">{published}T00:00:00Z<")), "{core}");
    let template =
        core_properties(&budgetflow_workbook::template(doc.identity.fiscal_year).unwrap());
    assert!(template.contains(">2025-01-01T00:00:00Z<"), "{template}");
    assert_eq!(
        budgetflow_workbook::write(&doc).unwrap(),
        budgetflow_workbook::write(&doc).unwrap()
    );
}

#[test]
fn a_paragraph_longer_than_a_cell_holds_is_refused_with_its_sheet_and_cell() {
    // 32,767 UTF-16 units per cell: 20,000 characters outside the BMP are 40,000 units
    for long in ["字".repeat(32_768), "𠀀".repeat(20_000)] {
        let mut doc = sample();
        doc.overview.functions_text[0] = long;
        let e = budgetflow_workbook::write(&doc).unwrap_err();
        assert!(
            matches!(&e, budgetflow_workbook::WorkbookError::Write(m) if m.starts_with("sheet `部门概况` cell B2:")),
            "{e}"
        );
    }
    let mut doc = sample();
    doc.overview.functions_text[0] = "字".repeat(32_767);
    assert!(
        budgetflow_workbook::write(&doc).is_ok(),
        "a full cell is allowed"
    );
}

/// A Shanghai disclosure (9 tables, its own columns, pages) has no place in the 11-table
/// workbook: writing it is refused by name, never written with figures dropped.
#[test]
fn a_disclosure_of_another_template_is_not_squeezed_into_the_workbook() {
    let pdf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
    );
    let doc = budgetflow_formats::read_path(std::path::Path::new(pdf)).unwrap();
    for written in [
        budgetflow_workbook::write(&doc),
        budgetflow_workbook::write_public(&doc),
    ] {
        let e = written.unwrap_err();
        assert!(
            matches!(&e, budgetflow_workbook::WorkbookError::OtherTemplate(t) if t.contains("上海市区级单位预算")),
            "{e}"
        );
        assert!(e
            .message(budgetflow_model::Lang::Zh)
            .contains("11 张表模板"));
    }
}
