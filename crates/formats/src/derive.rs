//! What a disclosure's words say, derived once for every source.
//!
//! A reader fills the model with what the disclosure prints — paragraphs, project descriptions,
//! indicator cells, the overview's paragraphs — and [`derive`] then fills in what those words
//! state: the figures of every paragraph, which of a project's fields are withheld and the
//! items and dates of its allocation and period, the parsed target values and the rules printed
//! with the evidence, the overview's structure and section 十二's other matters.
//! The text reader, the PDF profiles, the workbook reader and the synthetic corpus all call it,
//! so one set of rules reads every format and a workbook, a PDF and a text export of the same
//! words give the same derived fields.

use budgetflow_model::narrative::{Block, Disclosed, Statement};
use budgetflow_model::overview::Overview;
use budgetflow_model::performance::{
    parse_measure, Indicator, IndicatorLayout, ScoringRule, Value,
};
use budgetflow_model::Document;

use crate::text::statements::Extractor;
use crate::text::{other_matters, overview as text_overview, projects};

/// Fills every derived field of `doc` from its words, replacing whatever was there: deriving
/// twice gives the same document.
///
/// - the statements of every paragraph of 情况说明;
/// - whether each field of a project description is withheld (`完全不予公开`), the items
///   (purpose and amount) of its 资金分配情况 and the start and end dates of its 资金执行时间;
/// - the parsed 指标值 and 上年完成值 of every indicator, and its rule where the table prints it
///   in the evidence's cell;
/// - the overview's functions, offices, unit counts, units and staffing;
/// - section 十二's other matters (from its paragraphs and their statements, so last).
pub fn derive(doc: &mut Document) {
    overview(&mut doc.overview);
    narrative(doc);
}

/// The overview's functions, offices, unit counts, units and staffing, from its paragraphs.
/// Separate from [`narrative`] because a reader may need the units early (the text reader
/// tells 表11's unit rows from its project rows by them).
pub fn overview(o: &mut Overview) {
    text_overview::derive(o);
}

/// What 情况说明 states: statements, allocations and periods, target values, and then section
/// 十二's other matters.
pub fn narrative(doc: &mut Document) {
    statements(doc);
    for section in &mut doc.narrative.sections {
        for block in &mut section.blocks {
            match block {
                Block::Project(p) => {
                    withheld_if_so(&mut p.policy_basis, |t| t);
                    withheld_if_so(&mut p.allocation, |a| &a.text);
                    withheld_if_so(&mut p.period, |p| &p.text);
                    if let Disclosed::Stated(a) = &mut p.allocation {
                        a.items = projects::allocation_items(&a.text);
                    }
                    if let Disclosed::Stated(p) = &mut p.period {
                        (p.start, p.end) = projects::period_dates(&p.text);
                    }
                }
                Block::DepartmentTargets(t) => indicators(&t.layout, &mut t.indicators),
                Block::ProjectTargets(t) => indicators(&t.layout, &mut t.indicators),
                Block::Heading(_) | Block::Paragraph(_) => {}
            }
        }
    }
    doc.other_matters = other_matters::derive(&doc.narrative);
}

/// A field that states `完全不予公开` is withheld, whichever source printed the words.
fn withheld_if_so<T>(field: &mut Disclosed<T>, text: impl Fn(&T) -> &str) {
    if matches!(field, Disclosed::Stated(v) if projects::withheld(text(v))) {
        *field = Disclosed::Withheld;
    }
}

/// The statements of every paragraph, with one extractor's buffers for the whole document.
fn statements(doc: &mut Document) {
    let paragraphs = || doc.narrative.sections.iter().flat_map(|s| s.paragraphs());
    let mut extractor = Extractor::default();
    let found: Vec<Vec<Statement>> = paragraphs().map(|p| extractor.extract(&p.text)).collect();
    let paragraphs = doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        });
    for (p, statements) in paragraphs.zip(found) {
        p.statements = statements;
    }
}

/// The parsed values of every indicator and, in a table without a 指标赋分规则 column, the rule
/// printed at the start of the evidence (`按照完成比例赋分 工作资料`).
fn indicators(layout: &IndicatorLayout, indicators: &mut [Indicator]) {
    let parse = |v: &mut Value| v.parsed = parse_measure(&v.raw).ok();
    let rule_in_evidence = !layout.has_rule_column();
    for i in indicators {
        parse(&mut i.target);
        if let Some(v) = &mut i.last_year {
            parse(v);
        }
        if rule_in_evidence && i.rule.is_none() {
            split_rule(i);
        }
    }
}

fn split_rule(i: &mut Indicator) {
    let Some(e) = &i.evidence else { return };
    if let Some((known, label)) = ScoringRule::KNOWN
        .iter()
        .find(|(_, label)| e.starts_with(label))
    {
        i.rule = Some(known.clone());
        let rest = e[label.len()..].trim();
        i.evidence = (!rest.is_empty()).then(|| rest.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use budgetflow_model::narrative::Disclosed;

    fn urumqi_text_export() -> Document {
        crate::text::read_str(include_str!("../../../samples/urumqi-miit-2025.txt"))
            .expect("the sample reads")
    }

    fn putuo_pdf() -> Document {
        crate::read_pdf(include_bytes!(
            "../../../samples/shanghai/putuo-govoffice-dept-2025.pdf"
        ))
        .expect("the Putuo PDF reads")
    }

    /// The document as a reader holds it before deriving: what the disclosure prints, and
    /// nothing of what its words state.
    fn words_only(doc: &Document) -> Document {
        let mut words = doc.clone();
        words.overview = Overview {
            functions_text: doc.overview.functions_text.clone(),
            organisation_text: doc.overview.organisation_text.clone(),
            ..Overview::default()
        };
        for block in words
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
        {
            match block {
                Block::Paragraph(p) => p.statements.clear(),
                Block::Project(p) => {
                    if let Disclosed::Stated(a) = &mut p.allocation {
                        a.items.clear();
                    }
                    if let Disclosed::Stated(p) = &mut p.period {
                        (p.start, p.end) = (None, None);
                    }
                }
                Block::DepartmentTargets(t) => unparse(&mut t.indicators),
                Block::ProjectTargets(t) => unparse(&mut t.indicators),
                Block::Heading(_) => {}
            }
        }
        words.other_matters = Default::default();
        words
    }

    fn unparse(indicators: &mut [Indicator]) {
        for i in indicators {
            i.target.parsed = None;
            if let Some(v) = &mut i.last_year {
                v.parsed = None;
            }
        }
    }

    fn statements(doc: &Document) -> usize {
        doc.narrative
            .sections
            .iter()
            .flat_map(|s| s.statements())
            .count()
    }

    #[test]
    fn the_text_exports_derived_fields_come_from_its_words_alone() {
        let read = urumqi_text_export();
        assert!(statements(&read) > 80, "{} statements", statements(&read));
        assert!(read.overview.staffing.is_some() && !read.overview.functions.is_empty());
        assert!(read.other_matters.procurement.is_some());
        let mut words = words_only(&read);
        assert_eq!(statements(&words), 0);
        derive(&mut words);
        assert_eq!(words, read);
    }

    #[test]
    fn a_pdfs_derived_fields_come_from_its_words_alone() {
        let read = putuo_pdf();
        assert!(statements(&read) > 10, "{} statements", statements(&read));
        let mut words = words_only(&read);
        derive(&mut words);
        assert_eq!(words, read);
    }

    #[test]
    fn deriving_again_changes_nothing() {
        for read in [urumqi_text_export(), putuo_pdf()] {
            let mut again = read.clone();
            derive(&mut again);
            assert_eq!(again, read);
        }
    }

    /// A source that holds a classified project's fields and a rule as printed — `完全不予公开。`
    /// in the field, the rule at the start of the evidence's cell — gets them derived as the
    /// text reader does.
    #[test]
    fn withheld_fields_and_a_rule_printed_with_the_evidence_are_derived() {
        let read = urumqi_text_export();
        let mut printed = read.clone();
        let mut withheld = 0;
        let mut rules = 0;
        for block in printed
            .narrative
            .sections
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
        {
            match block {
                Block::Project(p) if p.policy_basis == Disclosed::Withheld => {
                    p.policy_basis = Disclosed::Stated("完全不予公开。".to_string());
                    withheld += 1;
                }
                Block::ProjectTargets(t) if !t.layout.has_rule_column() => {
                    for i in t.indicators.iter_mut().filter(|i| i.rule.is_some()) {
                        i.evidence = Some(t.layout.cell(i, "佐证资料"));
                        i.rule = None;
                        rules += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(
            withheld > 0 && rules > 0,
            "{withheld} withheld, {rules} rules"
        );
        assert_ne!(printed, read);
        derive(&mut printed);
        assert_eq!(printed, read);
    }
}
