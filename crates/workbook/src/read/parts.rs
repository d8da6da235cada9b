//! 封面, 部门概况, 情况说明 with 项目说明 and the target blocks, and 名词解释 back into the
//! model, as the sheets print them. What the words state (statements, withheld fields,
//! allocations, periods, target values, staffing, section 十二's facts) is left empty here and
//! derived in [`super::read`] as for every source.

use budgetflow_model::narrative::{
    Allocation, Block, Disclosed, Heading, Paragraph, Period, ProjectDescription,
};
use budgetflow_model::performance::{
    DepartmentTargets, FundSource, Indicator, IndicatorLayout, ProjectFunds, ProjectTargets,
    ScoringRule, Value,
};
use budgetflow_model::tables::ProjectName;
use budgetflow_model::{FiscalYear, GlossaryEntry, Identity, MoneyUnit, Section, SectionTopic};

use super::grid::Grid;
use super::Sheets;
use crate::error::{a1, Expected, WorkbookError};
use crate::forms::{
    self, BlockKind, CoverField, DepartmentField, ProjectField, FUND_HEADER, LEVEL1,
};
use crate::layout;

/// 封面 → identity. A blank department name means nothing was filled in.
pub(super) fn cover(g: &Grid) -> Result<Identity, WorkbookError> {
    let mut values: [Option<u32>; 6] = [None; 6];
    for r in 1..g.rows() {
        let label = g.trimmed(r, 0)?;
        if label.is_empty() {
            continue;
        }
        let field = CoverField::ALL
            .into_iter()
            .find(|f| f.label() == label)
            .ok_or_else(|| g.err(r, 0, Expected::Label(CoverField::LABELS.to_vec())))?;
        values[field as usize] = Some(r);
    }
    let row = |f: CoverField| values[f as usize];
    let department = match row(CoverField::Department) {
        Some(r) => g.line(r, 1)?.trim().to_string(),
        None => String::new(),
    };
    if department.is_empty() {
        return Err(WorkbookError::NothingFilled {
            sheet: g.name.clone(),
            cell: a1(row(CoverField::Department).unwrap_or(1), 1),
        });
    }
    let required = |f: CoverField| {
        row(f).ok_or_else(|| WorkbookError::Cell {
            sheet: g.name.clone(),
            cell: a1(g.rows(), 0),
            expected: Expected::Label(vec![f.label()]),
            found: String::new(),
        })
    };
    let r = required(CoverField::Year)?;
    let fiscal_year: FiscalYear = g
        .trimmed(r, 1)?
        .parse()
        .map_err(|_| g.err(r, 1, Expected::FiscalYear))?;
    let r = required(CoverField::Kind)?;
    let kind = forms::kind(&g.text(r, 1)?)
        .ok_or_else(|| g.err(r, 1, Expected::OneOf(forms::KINDS.to_vec())))?;
    let r = required(CoverField::Title)?;
    let title = g.line(r, 1)?.trim().to_string();
    if title.is_empty() {
        return Err(g.err(r, 1, Expected::Text));
    }
    let published = match row(CoverField::Published) {
        Some(r) => g.date(r, 1)?,
        None => None,
    };
    let signature = match row(CoverField::Signature) {
        Some(r) => g.optional(r, 1)?,
        None => None,
    };
    Ok(Identity {
        department,
        fiscal_year,
        kind,
        title,
        published,
        signature,
    })
}

/// Paragraphs of one part of 部门概况, each with its row.
pub(super) type Paragraphs = Vec<(u32, String)>;

/// 部门概况 → the paragraphs of 主要职能 and of 机构设置及人员情况, with their rows.
pub(super) fn overview(g: &Grid) -> Result<(Paragraphs, Paragraphs), WorkbookError> {
    let (mut functions, mut organisation) = (Vec::new(), Vec::new());
    for r in 1..g.rows() {
        let label = g.trimmed(r, 0)?;
        let list = match label.as_str() {
            "" => continue,
            forms::FUNCTIONS => &mut functions,
            forms::ORGANISATION => &mut organisation,
            _ => {
                return Err(g.err(
                    r,
                    0,
                    Expected::Label(vec![forms::FUNCTIONS, forms::ORGANISATION]),
                ))
            }
        };
        if let Some(p) = g.optional_line(r, 1)? {
            list.push((r, p));
        }
    }
    Ok((functions, organisation))
}

/// A required whole number.
fn number(g: &Grid, r: u32, c: u32) -> Result<u32, WorkbookError> {
    g.whole(r, c)?
        .ok_or_else(|| g.err(r, c, Expected::WholeNumber))
}

/// The row of each section of 情况说明 and the rows of its blocks.
pub(super) type SectionRows = Vec<(u32, Vec<u32>)>;

/// 情况说明 with the blocks of 项目说明 and the target sheets placed where its rows say, and
/// the row each came from.
pub(super) fn narrative(sheets: &mut Sheets) -> Result<(Vec<Section>, SectionRows), WorkbookError> {
    let g = sheets.required(layout::NARRATIVE)?;
    let projects = projects(&sheets.required(layout::PROJECTS)?)?;
    let departments = department_targets(&sheets.required(layout::DEPARTMENT_TARGETS)?)?;
    let project_targets = project_targets(&sheets.required(layout::PROJECT_TARGETS)?)?;
    let count = |k: BlockKind| -> Result<usize, WorkbookError> {
        let mut n = 0;
        for r in 1..g.rows() {
            if BlockKind::from_label(&g.text(r, 0)?) == Some(k) {
                n += 1;
            }
        }
        Ok(n)
    };
    for (sheet, found, kind) in [
        (layout::PROJECTS, projects.len(), BlockKind::Project),
        (
            layout::DEPARTMENT_TARGETS,
            departments.len(),
            BlockKind::DepartmentTargets,
        ),
        (
            layout::PROJECT_TARGETS,
            project_targets.len(),
            BlockKind::ProjectTargets,
        ),
    ] {
        let referenced = count(kind)?;
        if referenced != found {
            return Err(WorkbookError::BlockCount {
                sheet: sheet.to_string(),
                found,
                referrer: layout::NARRATIVE.to_string(),
                referenced,
                kind: kind.label(),
            });
        }
    }
    let (mut projects, mut departments, mut project_targets) = (
        projects.into_iter(),
        departments.into_iter(),
        project_targets.into_iter(),
    );
    let mut sections: Vec<Section> = Vec::new();
    let mut rows: SectionRows = Vec::new();
    for r in 1..g.rows() {
        let label = g.trimmed(r, 0)?;
        if label.is_empty() && g.blank_row(r, 3) {
            continue;
        }
        let kind = BlockKind::from_label(&label)
            .ok_or_else(|| g.err(r, 0, Expected::OneOf(BlockKind::LABELS.to_vec())))?;
        let text = g.line(r, 2)?;
        if kind == BlockKind::Section {
            sections.push(Section {
                number: number(&g, r, 1)?,
                topic: SectionTopic::from_title(&text),
                title: text,
                blocks: Vec::new(),
            });
            rows.push((r, Vec::new()));
            continue;
        }
        let section = sections
            .last_mut()
            .ok_or_else(|| g.err(r, 0, Expected::OneOf(vec![BlockKind::Section.label()])))?;
        // the counts were checked above, so every reference has its block
        let block = match kind {
            BlockKind::Heading => Some(Block::Heading(Heading {
                number: number(&g, r, 1)?,
                title: text,
            })),
            BlockKind::Paragraph => Some(Block::Paragraph(Paragraph {
                text,
                statements: Vec::new(),
                page: None,
            })),
            BlockKind::Project => projects.next().map(Block::Project),
            BlockKind::DepartmentTargets => departments.next().map(Block::DepartmentTargets),
            BlockKind::ProjectTargets => project_targets.next().map(Block::ProjectTargets),
            BlockKind::Section => None,
        }
        .ok_or_else(|| g.err(r, 0, Expected::OneOf(BlockKind::LABELS.to_vec())))?;
        section.blocks.push(block);
        if let Some((_, blocks)) = rows.last_mut() {
            blocks.push(r);
        }
    }
    Ok((sections, rows))
}

/// 项目说明 → one description per non-blank row.
fn projects(g: &Grid) -> Result<Vec<ProjectDescription>, WorkbookError> {
    let width = forms::PROJECT_COLUMNS.len() as u32;
    let mut out = Vec::new();
    for r in 1..g.rows() {
        if g.blank_row(r, width) {
            continue;
        }
        let unit = g.trimmed(r, 4)?;
        let unit = if unit.is_empty() {
            MoneyUnit::default()
        } else {
            MoneyUnit::from_label(&unit)
                .ok_or_else(|| g.err(r, 4, Expected::OneOf(vec!["万元", "元", "亿元"])))?
        };
        out.push(ProjectDescription {
            number: number(g, r, 0)?,
            name: ProjectName(g.line(r, 1)?),
            policy_basis: Disclosed::Stated(g.line(r, 2)?),
            amount: g.amount(r, 3)?,
            unit,
            implementer: g.optional_line(r, 5)?,
            allocation: Disclosed::Stated(Allocation {
                text: g.line(r, 6)?,
                items: Vec::new(),
            }),
            period: Disclosed::Stated(Period {
                text: g.line(r, 7)?,
                start: None,
                end: None,
            }),
        });
    }
    Ok(out)
}

/// The rows of each block: runs of non-blank rows.
fn blocks(g: &Grid, width: u32) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::new();
    let mut current = Vec::new();
    for r in 0..g.rows() {
        if g.blank_row(r, width) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(r);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// An indicator table: the header row (its non-blank cells are the layout) and the rows
/// under it. Blank 一级/二级指标 cells carry the one above (merged cells).
struct IndicatorReader {
    layout: IndicatorLayout,
    list: Vec<Indicator>,
}

impl IndicatorReader {
    fn header(g: &Grid, r: u32) -> Result<IndicatorReader, WorkbookError> {
        let mut columns = Vec::new();
        for c in 0..g.cols() {
            let h = g.trimmed(r, c)?;
            if h.is_empty() {
                break;
            }
            columns.push(h);
        }
        Ok(IndicatorReader {
            layout: IndicatorLayout { columns },
            list: Vec::new(),
        })
    }

    fn row(&mut self, g: &Grid, r: u32) -> Result<(), WorkbookError> {
        let prev = self.list.last();
        let mut i = Indicator {
            level1: prev.map(|p| p.level1.clone()).unwrap_or_default(),
            level2: prev.map(|p| p.level2.clone()).unwrap_or_default(),
            level3: String::new(),
            target: Value::new(""),
            basis: None,
            last_year: None,
            weight: None,
            rule: None,
            evidence: None,
        };
        for (c, h) in self.layout.columns.iter().enumerate() {
            let c = c as u32;
            let text = g.line(r, c)?;
            let blank = text.trim().is_empty();
            match h.as_str() {
                "一级指标" if !blank => i.level1 = text,
                "二级指标" if !blank => i.level2 = text,
                "三级指标" => i.level3 = text,
                "指标值" => i.target = Value::new(&text),
                "指标值设置依据" | "指标设定依据" => {
                    i.basis = (!blank).then_some(text)
                }
                "上年完成值" => i.last_year = (!blank).then(|| Value::new(&text)),
                "指标分值权重" | "分值权重" => {
                    i.weight = g.decimal(r, c, Expected::Number)?
                }
                "指标赋分规则" => i.rule = (!blank).then(|| ScoringRule::from_label(&text)),
                "佐证资料" => i.evidence = (!blank).then_some(text),
                _ => {}
            }
        }
        self.list.push(i);
        Ok(())
    }
}

/// 部门整体绩效目标 → one table per block (a block with nothing filled is skipped).
fn department_targets(g: &Grid) -> Result<Vec<DepartmentTargets>, WorkbookError> {
    let mut out = Vec::new();
    for rows in blocks(g, 9) {
        let mut t = DepartmentTargets {
            year_label: String::new(),
            department: String::new(),
            contact: None,
            phone: None,
            goal: String::new(),
            funds: Vec::new(),
            layout: IndicatorLayout {
                columns: Vec::new(),
            },
            indicators: Vec::new(),
        };
        let mut in_funds = false;
        let mut indicators: Option<IndicatorReader> = None;
        for r in rows {
            let label = g.trimmed(r, 0)?;
            if let Some(ind) = indicators.as_mut() {
                ind.row(g, r)?;
            } else if label == LEVEL1 {
                indicators = Some(IndicatorReader::header(g, r)?);
            } else if label == FUND_HEADER[0] {
                in_funds = true;
            } else if in_funds {
                let category = match g.optional_line(r, 0)? {
                    Some(c) => c,
                    None => t
                        .funds
                        .last()
                        .map(|f| f.category.clone())
                        .unwrap_or_default(),
                };
                t.funds.push(FundSource {
                    category,
                    source: g.line(r, 1)?,
                    amount: g.amount(r, 2)?,
                });
            } else {
                let field = DepartmentField::ALL
                    .into_iter()
                    .find(|f| f.label() == label)
                    .ok_or_else(|| {
                        let mut labels = DepartmentField::LABELS.to_vec();
                        labels.extend([FUND_HEADER[0], LEVEL1]);
                        g.err(r, 0, Expected::Label(labels))
                    })?;
                match field {
                    DepartmentField::Department => t.department = g.line(r, 1)?,
                    DepartmentField::YearLabel => t.year_label = g.line(r, 1)?,
                    DepartmentField::Contact => t.contact = g.optional_line(r, 1)?,
                    DepartmentField::Phone => t.phone = g.optional_line(r, 1)?,
                    DepartmentField::Goal => t.goal = g.line(r, 1)?,
                }
            }
        }
        if let Some(ind) = indicators {
            t.layout = ind.layout;
            t.indicators = ind.list;
        }
        let filled = !t.department.trim().is_empty()
            || !t.goal.trim().is_empty()
            || t.funds.iter().any(|f| f.amount.is_some())
            || !t.indicators.is_empty();
        if filled {
            out.push(t);
        }
    }
    Ok(out)
}

/// 项目绩效目标 → one table per block (a block with nothing filled is skipped).
fn project_targets(g: &Grid) -> Result<Vec<ProjectTargets>, WorkbookError> {
    let mut out = Vec::new();
    for rows in blocks(g, 9) {
        let mut t = ProjectTargets {
            year_label: String::new(),
            budget_unit: String::new(),
            project: String::new(),
            manager: None,
            funds: ProjectFunds::default(),
            goal: String::new(),
            layout: IndicatorLayout {
                columns: Vec::new(),
            },
            indicators: Vec::new(),
        };
        let mut indicators: Option<IndicatorReader> = None;
        for r in rows {
            let label = g.trimmed(r, 0)?;
            if let Some(ind) = indicators.as_mut() {
                ind.row(g, r)?;
                continue;
            }
            if label == LEVEL1 {
                indicators = Some(IndicatorReader::header(g, r)?);
                continue;
            }
            let field = ProjectField::ALL
                .into_iter()
                .find(|f| f.label() == label)
                .ok_or_else(|| {
                    let mut labels = ProjectField::LABELS.to_vec();
                    labels.push(LEVEL1);
                    g.err(r, 0, Expected::Label(labels))
                })?;
            match field {
                ProjectField::Project => t.project = g.line(r, 1)?,
                ProjectField::BudgetUnit => t.budget_unit = g.line(r, 1)?,
                ProjectField::Manager => t.manager = g.optional_line(r, 1)?,
                ProjectField::YearLabel => t.year_label = g.line(r, 1)?,
                ProjectField::Total => t.funds.total = g.amount(r, 1)?,
                ProjectField::Fiscal => t.funds.fiscal = g.amount(r, 1)?,
                ProjectField::Other => t.funds.other = g.amount(r, 1)?,
                ProjectField::Goal => t.goal = g.line(r, 1)?,
            }
        }
        if let Some(ind) = indicators {
            t.layout = ind.layout;
            t.indicators = ind.list;
        }
        let filled = !t.project.trim().is_empty()
            || !t.goal.trim().is_empty()
            || t.funds != ProjectFunds::default()
            || !t.indicators.is_empty();
        if filled {
            out.push(t);
        }
    }
    Ok(out)
}

/// 名词解释 → entries.
pub(super) fn glossary(g: &Grid) -> Result<Vec<GlossaryEntry>, WorkbookError> {
    let mut out = Vec::new();
    for r in 1..g.rows() {
        if g.blank_row(r, 3) {
            continue;
        }
        out.push(GlossaryEntry {
            number: number(g, r, 0)?,
            term: g.text(r, 1)?,
            definition: g.text(r, 2)?,
        });
    }
    Ok(out)
}
