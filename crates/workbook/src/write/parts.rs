//! The sheets of everything but the tables: 封面, 部门概况, 情况说明 with 项目说明 and the two
//! target sheets, and 名词解释. With no document they are the template's empty forms.

use budgetflow_model::narrative::{Block, Disclosed, ProjectDescription};
use budgetflow_model::performance::{
    DepartmentTargets, Indicator, IndicatorLayout, ProjectTargets,
};
use budgetflow_model::{Document, DocumentKind, FiscalYear};

use super::{Book, Sheet, Style};
use crate::error::WorkbookError;
use crate::forms::{self, BlockKind, CoverField, DepartmentField, ProjectField, WITHHELD};
use crate::layout;

/// 封面: one labelled value per row.
pub(super) fn cover(
    book: &mut Book,
    doc: Option<&Document>,
    year: FiscalYear,
) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::COVER);
    s.widths(&[14.0, 60.0]);
    s.label(0, 0, "项目")?;
    s.label(0, 1, "内容")?;
    for (i, field) in CoverField::ALL.iter().enumerate() {
        let r = i as u32 + 1;
        s.label(r, 0, field.label())?;
        let value = match (field, doc) {
            (CoverField::Department, Some(d)) => d.identity.department.clone(),
            (CoverField::Year, _) => year.to_string(),
            (CoverField::Kind, Some(d)) => d.identity.kind.label().to_string(),
            (CoverField::Kind, None) => DocumentKind::DepartmentBudget.label().to_string(),
            (CoverField::Title, Some(d)) => d.identity.title.clone(),
            (CoverField::Published, Some(d)) => d
                .identity
                .published
                .map(|p| p.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            (CoverField::Signature, Some(d)) => d.identity.signature.clone().unwrap_or_default(),
            _ => String::new(),
        };
        if value.is_empty() {
            // a formatted blank, so that what a department types stays text
            s.blank(r, 1, Style::Text);
        } else {
            s.text(r, 1, &value)?;
        }
        if *field == CoverField::Kind {
            s.cell_list(r, 1, forms::KINDS);
        }
    }
    Ok(())
}

/// 部门概况: the paragraphs of 主要职能 and 机构设置及人员情况, one per row; beside them, for
/// reading only, the staffing the text states.
pub(super) fn overview(book: &mut Book, doc: Option<&Document>) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::OVERVIEW);
    s.widths(&[20.0, 90.0, 4.0, 16.0, 12.0, 12.0]);
    s.label(0, 0, "部分")?;
    s.label(0, 1, "内容（每段一行）")?;
    let mut r = 1;
    let (functions, organisation) = match doc {
        Some(d) => (
            d.overview.functions_text.clone(),
            d.overview.organisation_text.clone(),
        ),
        None => (vec![String::new()], vec![String::new()]),
    };
    for (label, paragraphs) in [
        (forms::FUNCTIONS, &functions),
        (forms::ORGANISATION, &organisation),
    ] {
        for p in paragraphs {
            s.label(r, 0, label)?;
            s.text(r, 1, p)?;
            r += 1;
        }
    }
    if let Some(st) = doc.and_then(|d| d.overview.staffing.as_ref()) {
        s.label(0, 3, "人员情况（由左侧文字提取，仅供查阅）")?;
        s.label(1, 3, "编制数")?;
        s.label(1, 4, &st.authorised.to_string())?;
        s.label(2, 3, "实有人数")?;
        s.label(2, 4, &st.actual.to_string())?;
        s.label(3, 4, "人数")?;
        s.label(3, 5, "比上年增减")?;
        for (i, (label, h)) in [
            ("在职", st.active),
            ("退休", st.retired),
            ("离休", st.pre_1949_retired),
        ]
        .iter()
        .enumerate()
        {
            let r = 4 + i as u32;
            s.label(r, 3, label)?;
            s.label(r, 4, &h.count.to_string())?;
            s.label(
                r,
                5,
                &h.change.map(|c| format!("{c:+}")).unwrap_or_default(),
            )?;
        }
    }
    Ok(())
}

/// 情况说明, 项目说明, 部门整体绩效目标 and 项目绩效目标.
pub(super) fn narrative(book: &mut Book, doc: Option<&Document>) -> Result<(), WorkbookError> {
    let sections = doc.map(|d| d.narrative.sections.as_slice()).unwrap_or(&[]);
    {
        let mut s = book.sheet(layout::NARRATIVE);
        s.widths(&[18.0, 8.0, 100.0]);
        for (c, h) in ["类型", "编号", "内容"].iter().enumerate() {
            s.label(0, c as u16, h)?;
        }
        s.list(1, 0, &BlockKind::ALL.map(BlockKind::label));
        let mut r = 1;
        for sec in sections {
            row(&mut s, r, BlockKind::Section, Some(sec.number), &sec.title)?;
            r += 1;
            for b in &sec.blocks {
                match b {
                    Block::Heading(h) => {
                        row(&mut s, r, BlockKind::Heading, Some(h.number), &h.title)?
                    }
                    Block::Paragraph(p) => row(&mut s, r, BlockKind::Paragraph, None, &p.text)?,
                    Block::Project(p) => row(&mut s, r, BlockKind::Project, None, p.name.as_str())?,
                    Block::DepartmentTargets(t) => {
                        row(&mut s, r, BlockKind::DepartmentTargets, None, &t.department)?
                    }
                    Block::ProjectTargets(t) => {
                        row(&mut s, r, BlockKind::ProjectTargets, None, &t.project)?
                    }
                }
                r += 1;
            }
        }
    }
    let blocks = || sections.iter().flat_map(|s| s.blocks.iter());
    projects(
        book,
        doc.map(|_| {
            blocks()
                .filter_map(|b| match b {
                    Block::Project(p) => Some(p),
                    _ => None,
                })
                .collect()
        }),
    )?;
    department_targets(
        book,
        doc.map(|_| {
            blocks()
                .filter_map(|b| match b {
                    Block::DepartmentTargets(t) => Some(t),
                    _ => None,
                })
                .collect()
        }),
    )?;
    project_targets(
        book,
        doc.map(|_| {
            blocks()
                .filter_map(|b| match b {
                    Block::ProjectTargets(t) => Some(t),
                    _ => None,
                })
                .collect()
        }),
    )
}

fn row(
    s: &mut Sheet<'_>,
    r: u32,
    kind: BlockKind,
    number: Option<u32>,
    text: &str,
) -> Result<(), WorkbookError> {
    s.text(r, 0, kind.label())?;
    if let Some(n) = number {
        s.text(r, 1, &n.to_string())?;
    }
    s.text(r, 2, text)
}

fn disclosed(d: &Disclosed<String>) -> String {
    match d {
        Disclosed::Withheld => format!("{WITHHELD}。"),
        Disclosed::Stated(s) => s.clone(),
    }
}

/// 项目说明: one project per row.
fn projects(book: &mut Book, list: Option<Vec<&ProjectDescription>>) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::PROJECTS);
    s.widths(&[6.0, 30.0, 40.0, 14.0, 8.0, 24.0, 50.0, 26.0]);
    for (c, h) in forms::PROJECT_COLUMNS.iter().enumerate() {
        s.header(0, c as u16, h)?;
    }
    s.list(1, 4, &["万元", "元", "亿元"]);
    s.column_style(3, Style::Amount);
    for (i, p) in list.unwrap_or_default().iter().enumerate() {
        let r = i as u32 + 1;
        s.text(r, 0, &p.number.to_string())?;
        s.text(r, 1, p.name.as_str())?;
        s.text(r, 2, &disclosed(&p.policy_basis))?;
        s.amount(r, 3, p.amount)?;
        s.text(r, 4, p.unit.label())?;
        s.text(r, 5, p.implementer.as_deref().unwrap_or(""))?;
        let allocation = match &p.allocation {
            Disclosed::Withheld => format!("{WITHHELD}。"),
            Disclosed::Stated(a) => a.text.clone(),
        };
        s.text(r, 6, &allocation)?;
        let period = match &p.period {
            Disclosed::Withheld => format!("{WITHHELD}。"),
            Disclosed::Stated(a) => a.text.clone(),
        };
        s.text(r, 7, &period)?;
    }
    Ok(())
}

/// The header row and the rows of an indicator table; returns the next free row.
fn indicators(
    s: &mut Sheet<'_>,
    mut r: u32,
    layout: &IndicatorLayout,
    list: &[Indicator],
) -> Result<u32, WorkbookError> {
    for (c, h) in layout.columns.iter().enumerate() {
        s.header(r, c as u16, h)?;
    }
    r += 1;
    for i in list {
        for (c, h) in layout.columns.iter().enumerate() {
            s.text(r, c as u16, &layout.cell(i, h))?;
        }
        r += 1;
    }
    Ok(r)
}

/// 部门整体绩效目标: one block per table, a blank row between blocks.
fn department_targets(
    book: &mut Book,
    list: Option<Vec<&DepartmentTargets>>,
) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::DEPARTMENT_TARGETS);
    s.widths(&[16.0, 16.0, 28.0, 22.0, 22.0, 22.0, 12.0, 18.0, 22.0]);
    let empty = |funds| DepartmentTargets {
        year_label: String::new(),
        department: String::new(),
        contact: None,
        phone: None,
        goal: String::new(),
        funds,
        layout: IndicatorLayout::standard(),
        indicators: Vec::new(),
    };
    let blank = empty(forms::standard_funds());
    let list = list.unwrap_or_else(|| vec![&blank]);
    let mut r = 0;
    for t in list {
        for f in DepartmentField::ALL {
            s.label(r, 0, f.label())?;
            let v = match f {
                DepartmentField::Department => t.department.as_str(),
                DepartmentField::YearLabel => t.year_label.as_str(),
                DepartmentField::Contact => t.contact.as_deref().unwrap_or(""),
                DepartmentField::Phone => t.phone.as_deref().unwrap_or(""),
                DepartmentField::Goal => t.goal.as_str(),
            };
            s.text(r, 1, v)?;
            r += 1;
        }
        for (c, h) in forms::FUND_HEADER.iter().enumerate() {
            s.label(r, c as u16, h)?;
        }
        r += 1;
        for f in &t.funds {
            s.text(r, 0, &f.category)?;
            s.text(r, 1, &f.source)?;
            s.amount(r, 2, f.amount)?;
            r += 1;
        }
        r = indicators(&mut s, r, &t.layout, &t.indicators)? + 1;
    }
    Ok(())
}

/// 项目绩效目标: one block per project, a blank row between blocks.
fn project_targets(
    book: &mut Book,
    list: Option<Vec<&ProjectTargets>>,
) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::PROJECT_TARGETS);
    s.widths(&[22.0, 16.0, 28.0, 22.0, 22.0, 22.0, 12.0, 18.0, 22.0]);
    let blank = ProjectTargets {
        year_label: String::new(),
        budget_unit: String::new(),
        project: String::new(),
        manager: None,
        funds: Default::default(),
        goal: String::new(),
        layout: IndicatorLayout::standard(),
        indicators: Vec::new(),
    };
    let list = list.unwrap_or_else(|| vec![&blank]);
    let mut r = 0;
    for t in list {
        for f in ProjectField::ALL {
            s.label(r, 0, f.label())?;
            match f {
                ProjectField::Project => s.text(r, 1, &t.project)?,
                ProjectField::BudgetUnit => s.text(r, 1, &t.budget_unit)?,
                ProjectField::Manager => s.text(r, 1, t.manager.as_deref().unwrap_or(""))?,
                ProjectField::YearLabel => s.text(r, 1, &t.year_label)?,
                ProjectField::Total => s.amount(r, 1, t.funds.total)?,
                ProjectField::Fiscal => s.amount(r, 1, t.funds.fiscal)?,
                ProjectField::Other => s.amount(r, 1, t.funds.other)?,
                ProjectField::Goal => s.text(r, 1, &t.goal)?,
            }
            r += 1;
        }
        r = indicators(&mut s, r, &t.layout, &t.indicators)? + 1;
    }
    Ok(())
}

/// 名词解释: 序号, 名词, 解释.
pub(super) fn glossary(book: &mut Book, doc: Option<&Document>) -> Result<(), WorkbookError> {
    let mut s = book.sheet(layout::GLOSSARY);
    s.widths(&[6.0, 24.0, 100.0]);
    for (c, h) in ["序号", "名词", "解释"].iter().enumerate() {
        s.label(0, c as u16, h)?;
    }
    for (i, g) in doc
        .map(|d| d.glossary.as_slice())
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let r = i as u32 + 1;
        s.text(r, 0, &g.number.to_string())?;
        s.text(r, 1, &g.term)?;
        s.text(r, 2, &g.definition)?;
    }
    Ok(())
}
