//! What the document's own template prints: which columns each table has and which lines 表1,
//! 表4 and 表10 carry.
//!
//! Templates differ (the standard 11-table template, Shanghai's 9 tables), and a rule is only
//! meaningful where its figures are printed: a column a template does not have is not a column
//! of zeros. Every rule asks here, in one place, instead of knowing templates by name.

use budgetflow_model::tables::{
    AppropriationColumns, BasicColumns, CarryOverColumns, ExpenditureColumns, FundColumns,
    LabeledAmount, ProjectColumns, RevenueColumns, ThreePublicColumns,
};
use budgetflow_model::{Columns, TableKind};

use crate::engine::Checker;

/// The model column keys the standard template prints in a table of `kind`. 表1 prints one
/// amount column per side there; its split (合计, 人员经费, 公用经费, 项目支出) belongs to
/// templates that declare it.
fn standard_keys(kind: TableKind) -> &'static [&'static str] {
    fn standard<A: Columns>() -> &'static [&'static str] {
        &A::KEYS[..A::STANDARD]
    }
    match kind {
        TableKind::Overall => &[],
        TableKind::Revenue => standard::<RevenueColumns>(),
        TableKind::Expenditure | TableKind::GeneralBudget => standard::<ExpenditureColumns>(),
        TableKind::Appropriation => standard::<AppropriationColumns>(),
        TableKind::Basic => standard::<BasicColumns>(),
        TableKind::Projects => standard::<ProjectColumns>(),
        TableKind::GovFund | TableKind::SoeCapital => standard::<FundColumns>(),
        TableKind::ThreePublic => standard::<ThreePublicColumns>(),
        TableKind::CarryOver => standard::<CarryOverColumns>(),
    }
}

impl Checker<'_> {
    /// Whether the table `kind` is present and prints the column `key` ([`Columns::KEYS`]).
    pub fn prints(&self, kind: TableKind, key: &str) -> bool {
        let Some(header) = self.doc.tables.header(kind) else {
            return false;
        };
        if header.columns.is_empty() {
            standard_keys(kind).contains(&key)
        } else {
            header.columns.iter().any(|c| c == key)
        }
    }

    /// Whether the table `kind` prints column `i` of its column set `A`.
    pub fn prints_column<A: Columns>(&self, kind: TableKind, i: usize) -> bool {
        A::KEYS.get(i).is_some_and(|key| self.prints(kind, key))
    }

    /// The columns among `columns` that the table `kind` prints.
    pub fn printed_columns<A: Columns>(&self, kind: TableKind, columns: &[usize]) -> Vec<usize> {
        columns
            .iter()
            .copied()
            .filter(|&i| self.prints_column::<A>(kind, i))
            .collect()
    }
}

/// Whether a table of labelled lines (表1, 表4) prints `line`, blank or not: a template that has
/// no such line prints no row for it.
pub fn has_line<L: PartialEq>(lines: &[LabeledAmount<L>], line: L) -> bool {
    lines.iter().any(|l| l.line.as_ref() == Some(&line))
}
