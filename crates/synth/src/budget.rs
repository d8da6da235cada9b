//! The department's money, built bottom-up so that every table adds up exactly.
//!
//! Basic expenditure is generated per budget unit as economic 款 lines (表6) and booked to
//! functional 项 (pension contributions to 2080505, retirement pay to 2080501/02, the rest to
//! the unit's 行政运行/事业运行). Projects and carry-over items are generated one by one with
//! their 项. Every table is then a roll-up of the per-项 [`Ledger`]: 项 → 款 → 类 → 总计.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::AddAssign;

use budgetflow_model::{EconomicCode, FunctionCode};
use rand::seq::{IndexedRandom, IteratorRandom};
use rand::Rng;

use crate::classified;
use crate::department::{function_code, person, Department, Unit};
use crate::money::{between, round_between, scaled, split, Cents, YearOnYear};
use crate::profiles::{Theme, GENERIC_THEMES};
use crate::Shape;

/// The money booked to one functional code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ledger {
    /// 基本支出 (current-year general budget).
    pub basic: Cents,
    /// 项目支出 funded by the department's own general budget (一般财力).
    pub own_project: Cents,
    /// 项目支出 funded by the superior government's transfer.
    pub transfer_project: Cents,
    /// 财政拨款结转 (all project money).
    pub fiscal_carry: Cents,
    /// 非财政拨款结转结余 (单位资金, all project money).
    pub non_fiscal_carry: Cents,
}

impl Ledger {
    /// 一般公共预算 (表5 合计; 表2 columns 3 + 4).
    pub fn general(&self) -> Cents {
        self.basic + self.own_project + self.transfer_project
    }
    /// 表2 column 3: 一般公共预算 without transfers.
    pub fn own(&self) -> Cents {
        self.basic + self.own_project
    }
    /// Current-year 项目支出 (表5).
    pub fn project(&self) -> Cents {
        self.own_project + self.transfer_project
    }
    /// 项目支出 of every source (表3).
    pub fn all_projects(&self) -> Cents {
        self.project() + self.fiscal_carry + self.non_fiscal_carry
    }
    /// 总计 (表2 column 1, 表3 合计).
    pub fn total(&self) -> Cents {
        self.general() + self.fiscal_carry + self.non_fiscal_carry
    }
}

impl AddAssign for Ledger {
    fn add_assign(&mut self, o: Ledger) {
        self.basic += o.basic;
        self.own_project += o.own_project;
        self.transfer_project += o.transfer_project;
        self.fiscal_carry += o.fiscal_carry;
        self.non_fiscal_carry += o.non_fiscal_carry;
    }
}

/// A current-year project (表7 row, §七 description).
#[derive(Debug)]
pub struct Project {
    /// Index into [`Department::units`].
    pub unit: usize,
    pub code: FunctionCode,
    pub name: String,
    /// `None` for a classified project (特定目标).
    pub theme: Option<&'static Theme>,
    /// 对企业补助 (312) rather than 商品和服务支出 (302).
    pub subsidy: bool,
    pub transfer: bool,
    pub cents: Cents,
    /// 资金分配情况: purpose and amount, adding up to `cents`.
    pub allocation: Vec<(String, Cents)>,
    /// 项目负责人
    pub manager: String,
}

impl Project {
    pub fn is_classified(&self) -> bool {
        self.theme.is_none()
    }
}

/// A carry-over item (表11 row, §十一 line).
#[derive(Debug)]
pub struct CarryOver {
    pub unit: usize,
    pub code: FunctionCode,
    pub name: String,
    /// 主要用于 …; `None` for a classified item.
    pub purpose: Option<String>,
    /// 财政拨款结转 rather than 非财政拨款结转结余.
    pub fiscal: bool,
    pub cents: Cents,
}

/// Everything the tables are built from.
#[derive(Debug)]
pub struct Budget {
    /// 表6 款 lines of the whole department.
    pub economic: BTreeMap<EconomicCode, Cents>,
    /// Per 项: this year.
    pub ledger: BTreeMap<FunctionCode, Ledger>,
    /// Per 项: last year's budget (basic and current-year project parts only).
    pub last: BTreeMap<FunctionCode, Ledger>,
    /// In 表7 order: by unit, then by 项.
    pub projects: Vec<Project>,
    /// In 表11 order: by unit.
    pub carry_over: Vec<CarryOver>,
    pub fiscal_carry_last: Cents,
    pub non_fiscal_carry_last: Cents,
}

/// A roll-up row: `None` is 总计.
pub type Row = (Option<FunctionCode>, Ledger);

impl Budget {
    pub fn draw(rng: &mut impl Rng, dept: &Department, shape: &Shape) -> Budget {
        let mut economic: BTreeMap<EconomicCode, Cents> = BTreeMap::new();
        let mut ledger: BTreeMap<FunctionCode, Ledger> = BTreeMap::new();
        let annuity = rng.random_bool(0.5);
        for unit in &dept.units {
            let cars = if unit.administrative {
                dept.official_cars + dept.enforcement_cars
            } else {
                0
            };
            for (code, cents) in unit_basic(rng, unit, cars, annuity) {
                *economic.entry(economic_code(code)).or_default() += cents;
                let function = basic_function(code, unit, shape.separate_insurance);
                ledger.entry(function).or_default().basic += cents;
            }
        }

        let projects = draw_projects(rng, dept, shape);
        for p in &projects {
            let entry = ledger.entry(p.code).or_default();
            if p.transfer {
                entry.transfer_project += p.cents;
            } else {
                entry.own_project += p.cents;
            }
        }

        let used: BTreeSet<&str> = projects.iter().map(|p| p.name.as_str()).collect();
        let carry_over = if shape.carry_over {
            draw_carry_over(rng, dept, shape, &used)
        } else {
            Vec::new()
        };
        for c in &carry_over {
            let entry = ledger.entry(c.code).or_default();
            if c.fiscal {
                entry.fiscal_carry += c.cents;
            } else {
                entry.non_fiscal_carry += c.cents;
            }
        }

        let last = ledger
            .iter()
            .map(|(code, l)| {
                let last = Ledger {
                    basic: YearOnYear::steady(rng, l.basic).last,
                    own_project: YearOnYear::draw(rng, l.own_project).last,
                    transfer_project: YearOnYear::draw(rng, l.transfer_project).last,
                    ..Ledger::default()
                };
                (*code, last)
            })
            .collect();
        let totals: Ledger = ledger.values().fold(Ledger::default(), |mut a, l| {
            a += *l;
            a
        });
        let fiscal_carry_last = if totals.fiscal_carry > 0 {
            scaled(totals.fiscal_carry, rng.random_range(300..=6000))
        } else {
            0
        };
        let non_fiscal_carry_last = if totals.non_fiscal_carry > 0 && rng.random_bool(0.5) {
            scaled(totals.non_fiscal_carry, rng.random_range(500..=2000))
        } else {
            0
        };
        Budget {
            economic,
            ledger,
            last,
            projects,
            carry_over,
            fiscal_carry_last,
            non_fiscal_carry_last,
        }
    }

    /// 总计 over every 项.
    pub fn totals(&self) -> Ledger {
        self.rollup(|_| true)
            .first()
            .map(|r| r.1)
            .unwrap_or_default()
    }

    /// Last year's 总计.
    pub fn last_totals(&self) -> Ledger {
        let mut t = Ledger::default();
        for l in self.last.values() {
            t += *l;
        }
        t
    }

    /// 总计 then 类, 款 and 项 rows in code order, over the 项 that `keep` accepts.
    pub fn rollup(&self, keep: impl Fn(&Ledger) -> bool) -> Vec<Row> {
        let mut rows: BTreeMap<FunctionCode, Ledger> = BTreeMap::new();
        let mut total = Ledger::default();
        for (code, l) in self.ledger.iter().filter(|(_, l)| keep(l)) {
            total += *l;
            for c in [code.class(), code.parent().unwrap_or(*code), *code] {
                *rows.entry(c).or_default() += *l;
            }
        }
        std::iter::once((None, total))
            .chain(rows.into_iter().map(|(c, l)| (Some(c), l)))
            .collect()
    }

    /// The 类 rows of [`Budget::rollup`].
    pub fn classes(&self, keep: impl Fn(&Ledger) -> bool) -> Vec<(FunctionCode, Ledger)> {
        self.rollup(keep)
            .into_iter()
            .filter_map(|(c, l)| {
                c.filter(|c| c.level() == budgetflow_model::FunctionLevel::Class)
                    .map(|c| (c, l))
            })
            .collect()
    }

    /// Σ of the 款 lines of economic class `class` (`"302"`).
    pub fn economic_class(&self, class: &str) -> Cents {
        self.economic
            .iter()
            .filter(|(c, _)| c.class_part() == class)
            .map(|(_, v)| *v)
            .sum()
    }

    /// One 款 line of 表6 (`"30217"`), 0 if absent.
    pub fn economic_line(&self, code: &str) -> Cents {
        self.economic
            .get(&economic_code(code))
            .copied()
            .unwrap_or(0)
    }

    /// 人员经费 = 301 + 303.
    pub fn personnel(&self) -> Cents {
        self.economic_class("301") + self.economic_class("303")
    }

    /// 公用经费 = 302.
    pub fn operating(&self) -> Cents {
        self.economic_class("302")
    }
}

/// An economic code of the shipped catalog.
pub fn economic_code(code: &str) -> EconomicCode {
    code.parse()
        .unwrap_or_else(|e| panic!("budget data holds an invalid economic code: {e}"))
}

/// The 款 lines of one unit's basic expenditure, scaled by its staff.
fn unit_basic(
    rng: &mut impl Rng,
    unit: &Unit,
    cars: u32,
    annuity: bool,
) -> Vec<(&'static str, Cents)> {
    let staff = i64::from(unit.active);
    let mut lines: Vec<(&'static str, Cents)> = Vec::with_capacity(32);
    let base = staff * between(rng, 32_000, 48_000) / 10_000; // 3.2–4.8 万元 per head
    let allowance = scaled(base, rng.random_range(600..=900));
    let bonus = scaled(base, rng.random_range(400..=700));
    let wages = base + allowance + bonus;
    lines.push(("30101", base));
    lines.push(("30102", allowance));
    lines.push((
        if unit.administrative {
            "30103"
        } else {
            "30107"
        },
        bonus,
    ));
    lines.push(("30108", scaled(wages, 160)));
    if annuity {
        lines.push(("30109", scaled(wages, 80)));
    }
    lines.push(("30110", scaled(wages, rng.random_range(60..=80))));
    if unit.administrative {
        lines.push(("30111", scaled(wages, 15)));
    }
    lines.push(("30112", scaled(wages, rng.random_range(3..=6))));
    lines.push(("30113", scaled(wages, 120)));
    if rng.random_bool(0.7) {
        lines.push(("30199", staff * between(rng, 2_000, 8_000) / 10_000));
    }

    lines.push(("30201", staff * between(rng, 3_000, 10_000) / 10_000));
    let optional: [(&'static str, f64, i64, i64); 7] = [
        ("30202", 0.6, 1, 3),
        ("30207", 0.8, 1, 5),
        ("30211", 0.9, 1, 8),
        ("30213", 0.5, 1, 5),
        ("30216", 0.6, 1, 3),
        ("30217", if unit.administrative { 0.8 } else { 0.0 }, 0, 3),
        ("30227", 0.4, 1, 10),
    ];
    for (code, p, low, high) in optional {
        if rng.random_bool(p) {
            lines.push((code, between(rng, low, high).max(10)));
        }
    }
    lines.push(("30228", scaled(wages, 20)));
    lines.push(("30229", staff * between(rng, 2_000, 3_000) / 10_000));
    if cars > 0 {
        lines.push(("30231", i64::from(cars) * between(rng, 1, 2)));
    }
    lines.push(("30299", between(rng, 1, 30)));

    if unit.pre_1949 > 0 {
        lines.push(("30301", i64::from(unit.pre_1949) * between(rng, 15, 25)));
    }
    if unit.retired > 0 {
        lines.push((
            "30302",
            i64::from(unit.retired) * between(rng, 8_000, 15_000) / 10_000,
        ));
        if rng.random_bool(0.6) {
            lines.push((
                "30307",
                i64::from(unit.retired) * between(rng, 500, 1_000) / 10_000,
            ));
        }
    }
    if rng.random_bool(0.5) {
        lines.push(("30305", between(rng, 1, 8)));
    }
    if rng.random_bool(0.5) {
        lines.push(("30399", between(rng, 0, 3).max(10)));
    }
    lines.retain(|(_, c)| *c > 0);
    lines
}

/// The 项 a basic 款 line is booked to.
fn basic_function(code: &str, unit: &Unit, separate_insurance: bool) -> FunctionCode {
    let admin = unit.administrative;
    match code {
        "30108" => function_code("2080505"),
        "30109" => function_code("2080506"),
        "30301" | "30302" => function_code(if admin { "2080501" } else { "2080502" }),
        "30110" | "30111" if separate_insurance => {
            function_code(if admin { "2101101" } else { "2101102" })
        }
        "30113" if separate_insurance => function_code("2210201"),
        _ => unit.basic_code,
    }
}

fn project_from_theme(
    rng: &mut impl Rng,
    dept: &Department,
    unit_index: usize,
    theme: &'static Theme,
) -> Project {
    let unit = &dept.units[unit_index];
    let (low, high) = theme.range;
    let cents = if theme.subsidy {
        round_between(rng, low, high)
    } else {
        between(rng, low, high)
    };
    let weights: Vec<u32> = theme
        .allocation
        .iter()
        .map(|_| rng.random_range(1..=9))
        .collect();
    let allocation = theme
        .allocation
        .iter()
        .map(|s| s.to_string())
        .zip(split(cents, &weights))
        .filter(|(_, c)| *c > 0)
        .collect();
    Project {
        unit: unit_index,
        code: theme.code.map(function_code).unwrap_or(unit.project_code),
        name: dept.fill(theme.name),
        theme: Some(theme),
        subsidy: theme.subsidy,
        transfer: theme.transfer,
        cents,
        allocation,
        manager: person(rng),
    }
}

fn draw_projects(rng: &mut impl Rng, dept: &Department, shape: &Shape) -> Vec<Project> {
    let profile = dept.profile;
    let mut projects = Vec::new();
    let specific = rng.random_range(1..=profile.themes.len().min(4));
    for theme in profile.themes.iter().choose_multiple(rng, specific) {
        projects.push(project_from_theme(rng, dept, 0, theme));
    }
    let generic = rng.random_range(1..=3);
    for theme in GENERIC_THEMES.iter().choose_multiple(rng, generic) {
        projects.push(project_from_theme(rng, dept, 0, theme));
    }
    for (i, unit) in dept.units.iter().enumerate().skip(1) {
        if let Some(theme) = unit.theme.filter(|_| rng.random_bool(0.75)) {
            projects.push(project_from_theme(rng, dept, i, theme));
        }
        if rng.random_bool(0.3) {
            let theme = GENERIC_THEMES.choose(rng).expect("generic themes exist");
            if !projects.iter().any(|p| p.name == theme.name) {
                projects.push(project_from_theme(rng, dept, i, theme));
            }
        }
    }
    let mut codes = BTreeSet::new();
    for _ in 0..shape.classified_projects {
        let large = rng.random_bool(0.6);
        let cents = if large {
            round_between(rng, 100, 1500)
        } else {
            round_between(rng, 2, 60)
        };
        let code = profile
            .classified_codes
            .choose(rng)
            .copied()
            .map(function_code)
            .unwrap_or(dept.units[0].project_code);
        projects.push(Project {
            unit: 0,
            code,
            name: classified::name(rng, &mut codes, false),
            theme: None,
            subsidy: large,
            transfer: rng.random_bool(0.5),
            cents,
            allocation: Vec::new(),
            manager: person(rng),
        });
    }
    projects.sort_by_key(|p| (p.unit, p.code));
    projects
}

fn draw_carry_over(
    rng: &mut impl Rng,
    dept: &Department,
    shape: &Shape,
    used: &BTreeSet<&str>,
) -> Vec<CarryOver> {
    let mut items = Vec::new();
    let mut names: BTreeSet<String> = used.iter().map(|s| s.to_string()).collect();
    let themes: Vec<&'static Theme> = dept.profile.themes.iter().chain(GENERIC_THEMES).collect();
    for _ in 0..rng.random_range(1..=4) {
        let unit = if dept.units.len() > 1 && rng.random_bool(0.3) {
            rng.random_range(1..dept.units.len())
        } else {
            0
        };
        let theme = themes.choose(rng).copied().expect("themes exist");
        let name = dept.fill(theme.name);
        if !names.insert(name.clone()) {
            continue;
        }
        let u = &dept.units[unit];
        items.push(CarryOver {
            unit,
            code: theme.code.map(function_code).unwrap_or(u.project_code),
            name,
            purpose: Some(dept.fill(theme.goal).trim_end_matches('。').to_string()),
            fiscal: true,
            cents: between(rng, 2, 120),
        });
    }
    let mut codes = BTreeSet::new();
    let classified = if shape.classified_projects > 0 {
        rng.random_range(0..=2)
    } else {
        0
    };
    for _ in 0..classified {
        let code = dept
            .profile
            .classified_codes
            .choose(rng)
            .copied()
            .map(function_code)
            .unwrap_or(dept.units[0].project_code);
        items.push(CarryOver {
            unit: 0,
            code,
            name: classified::name(rng, &mut codes, true),
            purpose: None,
            fiscal: true,
            cents: between(rng, 10, 1200),
        });
    }
    if rng.random_bool(0.5) {
        let unit = dept.units.len() - 1;
        let u = &dept.units[unit];
        let theme = u.theme.unwrap_or(&GENERIC_THEMES[3]);
        let name = format!("{}（单位资金）", dept.fill(theme.name));
        items.push(CarryOver {
            unit,
            code: u.project_code,
            name,
            purpose: Some(dept.fill(theme.goal).trim_end_matches('。').to_string()),
            fiscal: false,
            cents: between(rng, 5, 60),
        });
    }
    items.sort_by_key(|c| c.unit);
    items
}
