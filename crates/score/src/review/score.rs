//! The review score of a table (0–100) and the ranking of the project tables.
//!
//! Start from 100; each error costs 20 points and each warning 5, but one rule costs a table
//! at most 20 points (so ten weak targets of the same kind do not drown everything else);
//! information costs nothing. The reasons are the deductions, by rule. Projects are ranked by
//! score, ties sharing a rank (1, 2, 2, 4) and keeping document order.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::catalog::{Rule, Severity};
use super::finding::{Finding, TableRef};
use super::TableReview;

/// Points an error costs.
pub const ERROR_COST: u32 = 20;
/// Points a warning costs.
pub const WARNING_COST: u32 = 5;
/// The most one rule can cost a table.
pub const RULE_CAP: u32 = 20;

/// What one rule cost a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub rule: &'static Rule,
    /// Errors and warnings of the rule.
    pub findings: u32,
    pub points: u32,
}

impl Serialize for Deduction {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Deduction", 3)?;
        st.serialize_field("rule", self.rule.id)?;
        st.serialize_field("findings", &self.findings)?;
        st.serialize_field("points", &self.points)?;
        st.end()
    }
}

/// A table's review score and its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewScore {
    pub points: u32,
    /// In catalog order of first finding.
    pub deductions: Vec<Deduction>,
}

impl ReviewScore {
    pub fn of(findings: &[Finding<'_>]) -> ReviewScore {
        let mut deductions: Vec<Deduction> = Vec::new();
        for f in findings {
            let cost = match f.severity {
                Severity::Error => ERROR_COST,
                Severity::Warning => WARNING_COST,
                Severity::Info => continue,
            };
            match deductions.iter_mut().find(|d| std::ptr::eq(d.rule, f.rule)) {
                Some(d) => {
                    d.findings += 1;
                    d.points = (d.points + cost).min(RULE_CAP);
                }
                None => deductions.push(Deduction {
                    rule: f.rule,
                    findings: 1,
                    points: cost.min(RULE_CAP),
                }),
            }
        }
        let lost: u32 = deductions.iter().map(|d| d.points).sum();
        ReviewScore {
            points: 100u32.saturating_sub(lost),
            deductions,
        }
    }
}

/// A project's place in the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ranked<'d> {
    pub rank: usize,
    pub table: TableRef<'d>,
    pub points: u32,
}

/// Ranks the project tables by review score.
pub fn rank<'d>(tables: &[TableReview<'d>]) -> Vec<Ranked<'d>> {
    let mut projects: Vec<(TableRef<'d>, u32)> = tables
        .iter()
        .filter(|t| matches!(t.table, TableRef::Project(_)))
        .map(|t| (t.table, t.score.points))
        .collect();
    projects.sort_by_key(|p| std::cmp::Reverse(p.1));
    let mut out: Vec<Ranked<'d>> = Vec::with_capacity(projects.len());
    for (i, (table, points)) in projects.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.points == points => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked {
            rank,
            table,
            points,
        });
    }
    out
}
