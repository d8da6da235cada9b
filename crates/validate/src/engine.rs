//! The rule engine: the document under review, its catalog, and the helpers every family uses
//! to compare sums and figures and to record findings.
//!
//! Checks compute on borrowed data and only build a [`Finding`] (labels, addends, strings)
//! when something fails, so validating a clean document allocates almost nothing.

use rust_decimal::Decimal;

use budgetflow_model::tables::{FunctionRow, FunctionTable};
use budgetflow_model::{Amount, Catalog, Document, EconomicCode, FunctionCode};

use crate::finding::{Addend, Finding, Place};
use crate::rule::Rule;
use crate::tolerance::{compare_sum, Agreement};

/// One addend of a sum: its row code, its name or column label, its printed cell.
pub type Part<'a> = (Code<'a>, &'a str, Option<Amount>);

/// The row code of an addend. It is turned into text only when a sum fails and its addends
/// are listed, so summing never formats a code.
#[derive(Debug, Clone, Copy)]
pub enum Code<'a> {
    None,
    Function(&'a FunctionCode),
    Economic(&'a EconomicCode),
    /// Where the figure comes from (`表1`), for a sum across tables.
    Text(&'static str),
}

impl<'a> From<Option<&'a FunctionCode>> for Code<'a> {
    fn from(code: Option<&'a FunctionCode>) -> Code<'a> {
        code.map_or(Code::None, Code::Function)
    }
}

impl<'a> From<Option<&'a EconomicCode>> for Code<'a> {
    fn from(code: Option<&'a EconomicCode>) -> Code<'a> {
        code.map_or(Code::None, Code::Economic)
    }
}

impl<'a> Code<'a> {
    /// The code as printed (`""` for none).
    pub fn as_str(self) -> &'a str {
        match self {
            Code::None => "",
            Code::Function(c) => c.as_str(),
            Code::Economic(c) => c.as_str(),
            Code::Text(t) => t,
        }
    }

    /// The addend label: `code name`, or the name alone.
    fn label(self, name: &str) -> String {
        let code = self.as_str();
        let mut label = String::with_capacity(code.len() + 1 + name.len());
        if !code.is_empty() {
            label.push_str(code);
            label.push(' ');
        }
        label.push_str(name);
        label
    }
}

/// The value of a cell, blank read as zero.
pub fn value(cell: Option<Amount>) -> Decimal {
    cell.map_or(Decimal::ZERO, Amount::value)
}

/// Whether the printed `parts` add up exactly to the printed `total` (blanks are zeros).
///
/// The figures of one sum are printed at one scale, so their mantissas are added as
/// integers — a decimal addition aligns scales and checks for overflow on every term, and
/// a validation adds about 700 of them. A part at another scale, or a sum a decimal could
/// not hold exactly, is added as decimals instead.
fn adds_up<'a, I>(total: Option<Amount>, parts: &impl Fn() -> I) -> bool
where
    I: Iterator<Item = Part<'a>>,
{
    let mut scale = None;
    let mut sum: i128 = 0;
    let mut integers = true;
    for (_, _, cell) in parts() {
        let Some(a) = cell else { continue };
        let d = a.value();
        if *scale.get_or_insert(d.scale()) != d.scale() {
            integers = false;
            break;
        }
        // a part's mantissa holds 96 bits: hundreds of them cannot overflow an i128
        sum += d.mantissa();
    }
    // 2^96: beyond it a decimal sum would have been rounded
    const DECIMAL_LIMIT: u128 = 1 << 96;
    if integers && sum.unsigned_abs() < DECIMAL_LIMIT {
        match (total.map(Amount::value), scale) {
            (None, _) => return sum == 0,
            (Some(t), None) => return t.is_zero(),
            (Some(t), Some(s)) if t.scale() == s => return t.mantissa() == sum,
            _ => {}
        }
    }
    let mut sum = Decimal::ZERO;
    for (_, _, cell) in parts() {
        if let Some(a) = cell {
            sum += a.value();
        }
    }
    sum == value(total)
}

/// A table's rows looked up by code, for the many checks that find, row by row of one table,
/// the row of the same code in another.
///
/// Tables print their rows in ascending code order (a 类, then its 款, then its 项), and are
/// asked for codes in that order too, so a cursor that only moves forward finds each row
/// where the last lookup stopped, instead of scanning from the top every time.
pub struct ByCode<'t, A> {
    table: &'t FunctionTable<A>,
    /// Whether the coded rows ascend strictly. Then a code is on one row at most, so the row
    /// the cursor finds is the first of that code, as [`FunctionTable::row`] returns; a table
    /// out of order is scanned by `row` instead.
    ascending: bool,
    /// Every coded row before `next` has a code no greater than `last`, the code last asked
    /// for.
    next: usize,
    last: Option<FunctionCode>,
}

impl<'t, A> ByCode<'t, A> {
    pub fn new(table: &'t FunctionTable<A>) -> ByCode<'t, A> {
        let mut previous = None;
        let ascending = table
            .coded_rows()
            .all(|(code, _)| previous.replace(*code) < Some(*code));
        ByCode {
            table,
            ascending,
            next: 0,
            last: None,
        }
    }

    pub fn table(&self) -> &'t FunctionTable<A> {
        self.table
    }

    /// Whether the coded rows ascend strictly (each code on one row at most).
    pub fn ascending(&self) -> bool {
        self.ascending
    }

    /// The row of `code`: the same row as `FunctionTable::row`.
    pub fn row(&mut self, code: &FunctionCode) -> Option<&'t FunctionRow<A>> {
        if !self.ascending {
            return self.table.row(code);
        }
        let rows = &self.table.rows;
        // In tables of the same codes the row asked for is the one at the cursor. A code is
        // on one row at most, so that row is the one: found without ordering codes.
        if let Some(r) = rows.get(self.next).filter(|r| r.code == Some(*code)) {
            self.next += 1;
            self.last = Some(*code);
            return Some(r);
        }
        // a code not above the last one asked for may be on a row the cursor has passed
        if self.last.is_some_and(|last| *code <= last) {
            self.next = 0;
        }
        self.last = Some(*code);
        while let Some(r) = rows.get(self.next) {
            match r.code {
                Some(c) if c == *code => {
                    self.next += 1;
                    return Some(r);
                }
                Some(c) if c > *code => return None,
                _ => self.next += 1,
            }
        }
        None
    }
}

/// The department's disclosure of the year before, as far as the caller looked for it.
#[derive(Debug, Clone, Copy)]
pub enum Previous<'d> {
    /// Not looked for: the year-over-year rules do not run and say nothing.
    NotSought,
    /// Looked for and not found: the report says so once.
    Missing,
    Found(&'d Document),
}

/// A document under review and the findings so far.
pub struct Checker<'d> {
    pub doc: &'d Document,
    pub previous: Previous<'d>,
    pub catalog: &'static Catalog,
    pub findings: Vec<Finding>,
}

impl<'d> Checker<'d> {
    pub fn new(doc: &'d Document, previous: Previous<'d>) -> Checker<'d> {
        Checker {
            doc,
            previous,
            catalog: Catalog::for_year(doc.identity.fiscal_year),
            findings: Vec::new(),
        }
    }

    /// Records a finding. A rounding drift repeated in the next column of the same row (e.g.
    /// 合计 and 人员经费 of 表6 303) is one drift: its columns are listed on one finding.
    pub fn push(&mut self, finding: Finding) {
        if let Some(last) = self
            .findings
            .last_mut()
            .filter(|l| l.rounding && finding.rounding)
        {
            let same_row = last.rule == finding.rule
                && last.place == finding.place
                && last.location.code == finding.location.code
                && last.location.name == finding.location.name;
            if same_row && last.expected == finding.expected && last.actual == finding.actual {
                if let (Some(columns), Some(next)) =
                    (&mut last.location.column, &finding.location.column)
                {
                    *columns = format!("{columns}、{next}").into();
                    return;
                }
            }
        }
        self.findings.push(finding);
    }

    /// `total` = Σ `parts`, within rounding (drift within rounding is an info finding).
    /// `locate` sets the row and column of the finding; it runs only when the check fails.
    pub fn sum<'a, I>(
        &mut self,
        rule: &'static Rule,
        place: Place,
        total: Option<Amount>,
        parts: impl Fn() -> I,
        locate: impl FnOnce(Finding) -> Finding,
    ) where
        I: Iterator<Item = Part<'a>>,
    {
        // The exact sum first: intervals are only needed when it fails.
        if adds_up(total, &parts) {
            return;
        }
        let (agreement, sum) = compare_sum(total, parts().map(|p| p.2));
        let addends = parts()
            .filter_map(|(code, name, cell)| {
                cell.map(|a| Addend {
                    label: code.label(name),
                    value: a.value(),
                })
            })
            .collect();
        let finding = locate(
            Finding::new(rule, place)
                .amounts(sum, value(total))
                .addends(addends),
        );
        self.push(if agreement == Agreement::WithinRounding {
            finding.within_rounding()
        } else {
            finding
        });
    }

    /// A figure printed in two places: equal exactly (a blank cell equals zero). Printed at
    /// two precisions (`22,118,861` and `22,118,861.34`), the finer one rounding to the
    /// coarser is a rounding difference (info), not an error.
    pub fn equal(
        &mut self,
        rule: &'static Rule,
        place: Place,
        expected: Option<Amount>,
        actual: Option<Amount>,
        locate: impl FnOnce(Finding) -> Finding,
    ) {
        let (e, a) = (value(expected), value(actual));
        if e != a {
            let finding = locate(Finding::new(rule, place).amounts(e, a));
            let (coarse, fine) = if e.scale() < a.scale() {
                (e, a)
            } else {
                (a, e)
            };
            // a blank cell is exactly zero, not a figure printed without decimals
            let rounds = expected.is_some()
                && actual.is_some()
                && coarse.scale() != fine.scale()
                && crate::tolerance::round_printed(fine, coarse.scale()) == coarse;
            self.push(if rounds {
                finding.within_rounding()
            } else {
                finding
            });
        }
    }

    /// `larger` ≥ `smaller`. Rounding is monotonic, so printed figures keep the order exactly.
    pub fn at_least(
        &mut self,
        rule: &'static Rule,
        place: Place,
        larger: Option<Amount>,
        smaller: Option<Amount>,
        locate: impl FnOnce(Finding) -> Finding,
    ) {
        let (l, s) = (value(larger), value(smaller));
        if l < s {
            let f = Finding::new(rule, place).amounts(s, l);
            let f = Finding {
                expected: Some(crate::finding::Figure::Text(format!(
                    "≥ {}",
                    crate::finding::Figure::Amount(s)
                ))),
                ..f
            };
            self.push(locate(f));
        }
    }
}
