//! A department's disclosures of two consecutive years, consistent with each other, and the
//! year-over-year inconsistencies that can be planted in them.
//!
//! Both years are the same department: its draw is repeated on the document's own random
//! stream, so name, units and offices agree. Last year's money is drawn on a stream of its own.
//! This year's stated changes are then derived from what last year's disclosure prints: the
//! per-项 money of last year's tables, its carry-over, its 表10 lines, its 公用经费 (机关运行经费);
//! last year's headcounts are this year's less the stated changes.
//!
//! A plant changes one thing after that, so that the two disclosures disagree where a reader
//! comparing them would look, and names the rule that should report it, the subject, and what
//! it changed. Each document stays internally consistent except where a plant has to edit
//! last year's table alone ([`Plant::ClassAppears`]).

use std::collections::{BTreeMap, BTreeSet};

use budgetflow_model::narrative::{Block, Disclosed, Period};
use budgetflow_model::{Document, SectionTopic};
use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::budget::{Budget, Ledger};
use crate::department::Department;
use crate::matters::Matters;
use crate::money::{printed, YearOnYear};
use crate::{assemble, published, stream, Shape};

/// A year-over-year inconsistency to plant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plant {
    /// This year states the change of 公务用车运行费 on a last year 1.00 万元 higher than the
    /// one last year's 表10 prints (`Y.stated-change`).
    StatedChange,
    /// This year states a change of 在职 two people off what last year's 部门概况 printed
    /// (`Y.staffing`).
    Staffing,
    /// One of last year's projects runs into this year and later, and this year neither lists
    /// nor mentions it (`Y.project-dropped`).
    ProjectDropped,
    /// This year's largest function class has no money in last year's 表1 (`Y.class-appears`).
    ClassAppears,
}

impl Plant {
    pub const ALL: [Plant; 4] = [
        Plant::StatedChange,
        Plant::Staffing,
        Plant::ProjectDropped,
        Plant::ClassAppears,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Plant::StatedChange => "stated-change",
            Plant::Staffing => "staffing",
            Plant::ProjectDropped => "project-dropped",
            Plant::ClassAppears => "class-appears",
        }
    }

    pub fn from_name(name: &str) -> Option<Plant> {
        Plant::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The id of the rule that reports it.
    pub fn rule(self) -> &'static str {
        match self {
            Plant::StatedChange => "Y.stated-change",
            Plant::Staffing => "Y.staffing",
            Plant::ProjectDropped => "Y.project-dropped",
            Plant::ClassAppears => "Y.class-appears",
        }
    }
}

/// A plant as made: the rule that reports it, the subject the finding names, and what was
/// changed (in Chinese, as a reviewer would describe it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub plant: Plant,
    pub rule: &'static str,
    pub subject: String,
    pub changed: String,
}

/// A department's disclosures of two consecutive years and what was planted in them.
#[derive(Debug, Clone)]
pub struct Consecutive {
    /// The disclosure of `year − 1`.
    pub previous: Document,
    /// The disclosure of `year`.
    pub current: Document,
    pub planted: Vec<Planted>,
}

/// Department `index` of the corpus for `seed`, its disclosures of `year − 1` and `year`, with
/// `plants` planted (none: the two agree). A plant that the department gives nothing to plant
/// in (no project to drop) is left out of [`Consecutive::planted`].
pub fn consecutive_years(seed: u64, index: usize, year: i32, plants: &[Plant]) -> Consecutive {
    let mut rng = stream(seed, index);
    let shape = Shape {
        year,
        ..Shape::draw(&mut rng)
    };
    let mut dept = Department::draw(&mut rng, seed, index, &shape);
    let mut budget = Budget::draw(&mut rng, &dept, &shape);
    let mut matters = Matters::draw(&mut rng, &dept, &budget);

    // last year: the same department, drawn again on the same stream, then money of its own
    let last_shape = Shape {
        year: year - 1,
        ..shape.clone()
    };
    let mut last_rng = stream(seed, index);
    Shape::draw(&mut last_rng);
    let mut last_dept = Department::draw(&mut last_rng, seed, index, &last_shape);
    // last year's headcounts: this year's less the stated changes (on the bureau, whose count
    // always stays above any change drawn)
    let bureau = &dept.units[0];
    let now = [bureau.active, bureau.retired, bureau.pre_1949];
    for (i, count) in now.into_iter().enumerate() {
        let then = (i64::from(count) - dept.headcount_changes[i]).max(0);
        dept.headcount_changes[i] = i64::from(count) - then;
        let slot = &mut last_dept.units[0];
        let field = match i {
            0 => &mut slot.active,
            1 => &mut slot.retired,
            _ => &mut slot.pre_1949,
        };
        *field = u32::try_from(then).unwrap_or(0);
    }
    // a department keeps its functions from one year to the next: last year's money is drawn
    // again (on streams of its own, a bounded number of times) until it has money in exactly
    // this year's function classes, so a consistent pair gives `Y.class-appears` nothing
    let classes = |b: &Budget| {
        b.ledger
            .iter()
            .filter(|(_, l)| l.total() != 0)
            .map(|(code, _)| code.class())
            .collect::<BTreeSet<_>>()
    };
    let wanted = classes(&budget);
    let (mut last_rng, last_budget) = (0..LAST_YEAR_DRAWS)
        .map(|attempt| {
            let mut rng = last_years_stream(seed, index, attempt);
            let b = Budget::draw(&mut rng, &last_dept, &last_shape);
            (rng, b)
        })
        .find(|(_, b)| classes(b) == wanted)
        .unwrap_or_else(|| {
            let mut rng = last_years_stream(seed, index, 0);
            let b = Budget::draw(&mut rng, &last_dept, &last_shape);
            (rng, b)
        });
    let last_matters = Matters::draw(&mut last_rng, &last_dept, &last_budget);

    // this year's changes on what last year prints
    budget.last = last_budget
        .ledger
        .iter()
        .map(|(code, l)| {
            let printed = Ledger {
                basic: l.basic,
                own_project: l.own_project,
                transfer_project: l.transfer_project,
                ..Ledger::default()
            };
            (*code, printed)
        })
        .collect::<BTreeMap<_, _>>();
    let last_totals = last_budget.totals();
    budget.fiscal_carry_last = last_totals.fiscal_carry;
    budget.non_fiscal_carry_last = last_totals.non_fiscal_carry;
    let tp = &mut matters.three_public;
    let then = &last_matters.three_public;
    for (item, last) in [
        (&mut tp.overseas, then.overseas),
        (&mut tp.purchase, then.purchase),
        (&mut tp.operation, then.operation),
        (&mut tp.reception, then.reception),
    ] {
        *item = YearOnYear::new(item.current, last.current);
    }
    matters.running_cost = YearOnYear::new(
        matters.running_cost.current,
        last_matters.running_cost.current,
    );

    // plants made in what the documents are built from
    let mut planted = Vec::new();
    if plants.contains(&Plant::StatedChange) {
        let op = &mut matters.three_public.operation;
        // cents of 元 printed in 万元: 100 is 1.00 万元
        let stated = op.last + 100;
        planted.push(Planted {
            plant: Plant::StatedChange,
            rule: Plant::StatedChange.rule(),
            subject: "公务用车运行费".into(),
            changed: format!(
                "本年文件所述公务用车运行费的上年数由 {} 万元改为 {} 万元（上年文件表10仍为 {} 万元）",
                printed(op.last),
                printed(stated),
                printed(op.last)
            ),
        });
        *op = YearOnYear::new(op.current, stated);
    }
    if plants.contains(&Plant::Staffing) {
        let before = dept.headcount_changes[0];
        dept.headcount_changes[0] += 2;
        planted.push(Planted {
            plant: Plant::Staffing,
            rule: Plant::Staffing.rule(),
            subject: "在职人数".into(),
            changed: format!(
                "本年文件所述在职人数较上年增减由 {before:+} 人改为 {:+} 人",
                before + 2
            ),
        });
    }
    let dropped = if plants.contains(&Plant::ProjectDropped) {
        last_budget.projects.iter().position(|p| !p.is_classified())
    } else {
        None
    };
    let mut last_budget = last_budget;
    if let Some(i) = dropped {
        // a name of its own, so that this year's projects of the same theme do not carry it on
        let p = &mut last_budget.projects[i];
        p.name = format!("{}（{}—{}年）", p.name, year - 1, year + 1);
    }

    let mut current = published(assemble(&mut rng, &dept, &budget, &matters));
    let mut previous = published(assemble(
        &mut last_rng,
        &last_dept,
        &last_budget,
        &last_matters,
    ));

    if let Some(i) = dropped {
        let name = last_budget.projects[i].name.clone();
        if let Some(period) = project_period(&mut previous, &name) {
            let (start, end) = (year - 1, year + 1);
            *period = Period {
                text: format!("{start}年1月1日-{end}年12月31日"),
                start: NaiveDate::from_ymd_opt(start, 1, 1),
                end: NaiveDate::from_ymd_opt(end, 12, 31),
            };
            planted.push(Planted {
                plant: Plant::ProjectDropped,
                rule: Plant::ProjectDropped.rule(),
                subject: name.clone(),
                changed: format!(
                    "上年文件项目“{name}”的资金执行时间改为 {start}年1月1日-{end}年12月31日，本年文件未列示"
                ),
            });
        }
    }
    if plants.contains(&Plant::ClassAppears) {
        if let Some(p) = class_appears(&mut current, &mut previous) {
            planted.push(p);
        }
    }
    Consecutive {
        previous,
        current,
        planted,
    }
}

/// How many times last year's money is drawn at most to match this year's classes.
const LAST_YEAR_DRAWS: u64 = 64;

/// The stream last year's money is drawn on at `attempt`: one of its own for each department
/// and attempt, apart from every stream [`stream`] gives.
fn last_years_stream(seed: u64, index: usize, attempt: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5945_4152_5f42_4546);
    rng.set_stream(((index as u64) << 8) | attempt);
    rng
}

/// The stated period of the project description named `name`.
fn project_period<'d>(doc: &'d mut Document, name: &str) -> Option<&'d mut Period> {
    doc.narrative
        .sections
        .iter_mut()
        .filter(|s| s.topic == Some(SectionTopic::Projects))
        .flat_map(|s| s.blocks.iter_mut())
        .find_map(|b| match b {
            Block::Project(p) if p.name.as_str() == name => match &mut p.period {
                Disclosed::Stated(period) => Some(period),
                Disclosed::Withheld => None,
            },
            _ => None,
        })
}

/// Last year's 表1 without this year's largest class: edited in the table alone, so last
/// year's own totals no longer add up — a plant for the comparison, not for last year's checks.
fn class_appears(current: &mut Document, previous: &mut Document) -> Option<Planted> {
    let now = current.tables.overall.as_ref()?;
    let largest = now
        .expenditure
        .iter()
        .filter(|c| c.amount.is_some_and(|a| !a.is_zero()))
        .max_by_key(|c| c.amount.map(|a| a.value()))?;
    let then = previous.tables.overall.as_mut()?;
    let class = then
        .expenditure
        .iter_mut()
        .find(|c| match (c.code, largest.code) {
            (Some(a), Some(b)) => a == b,
            _ => c.name == largest.name,
        })?;
    let was = class.amount.take()?;
    Some(Planted {
        plant: Plant::ClassAppears,
        rule: Plant::ClassAppears.rule(),
        subject: largest.name.clone(),
        changed: format!(
            "上年文件表1“{}”由 {} 万元改为空",
            largest.name,
            budgetflow_model::amount::group_thousands(&was.to_string())
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_department_in_consecutive_years() {
        for index in 0..4 {
            let pair = consecutive_years(3, index, 2025, &[]);
            assert_eq!(pair.previous.identity.fiscal_year.get(), 2024);
            assert_eq!(pair.current.identity.fiscal_year.get(), 2025);
            assert_eq!(
                pair.previous.identity.department,
                pair.current.identity.department
            );
            assert_eq!(pair.previous.overview.units, pair.current.overview.units);
            // each reads back from its text export, as every synthetic document does
            for doc in [&pair.previous, &pair.current] {
                let text = budgetflow_formats::text::write(doc);
                let read = budgetflow_formats::text::read_str(&text).unwrap();
                assert_eq!(&read, doc, "department {index}");
            }
        }
    }

    #[test]
    fn last_years_headcounts_are_this_years_less_the_stated_changes() {
        let pair = consecutive_years(3, 1, 2025, &[]);
        let now = pair.current.overview.staffing.unwrap();
        let then = pair.previous.overview.staffing.unwrap();
        for (n, t) in [
            (now.active, then.active),
            (now.retired, then.retired),
            (now.pre_1949_retired, then.pre_1949_retired),
        ] {
            assert_eq!(i64::from(n.count) - n.change.unwrap(), i64::from(t.count));
        }
    }

    #[test]
    fn plants_name_what_they_changed_and_are_deterministic() {
        let a = consecutive_years(9, 2, 2026, &Plant::ALL);
        let b = consecutive_years(9, 2, 2026, &Plant::ALL);
        assert_eq!(a.planted, b.planted);
        assert_eq!(a.current, b.current);
        for p in &a.planted {
            assert_eq!(Plant::from_name(p.plant.name()), Some(p.plant));
            assert!(!p.subject.is_empty() && !p.changed.is_empty(), "{p:?}");
        }
        // a consistent pair of the same department differs from the planted one
        assert_ne!(consecutive_years(9, 2, 2026, &[]).current, a.current);
    }
}
