//! Performance targets (§十二(四)): the department-wide target table and one project target
//! table per unclassified project, with weights summing to 90 (the 10 points of 预算执行率
//! are added at self-evaluation) and 指标值 in the sample's shapes.

use budgetflow_model::narrative::Block;
use budgetflow_model::performance::{
    DepartmentTargets, FundSource, Indicator, IndicatorLayout, ProjectFunds, ProjectTargets,
    ScoringRule, Value,
};
use rand::seq::{IndexedRandom, IteratorRandom};
use rand::Rng;
use rust_decimal::Decimal;

use crate::budget::{Budget, Project};
use crate::department::Department;
use crate::money::{amount, printed, Cents};
use crate::narrative::paragraph;

/// Σ 分值权重 of every target table.
pub const TOTAL_WEIGHT: u32 = 90;

const DEPARTMENT_COLUMNS: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "指标设定依据",
    "分值权重",
];
const QUALITATIVE: &[&str] = &[
    "不断提高",
    "有效提高",
    "稳步增长",
    "有效保障",
    "有效",
    "确保",
    "有效确保",
];

/// `n` weights, multiples of 5 and at least 5 each, summing to `total` (`n ≤ total / 5`).
pub fn weights(rng: &mut impl Rng, n: usize, total: u32) -> Vec<u32> {
    let mut parts = vec![1_u32; n];
    for _ in 0..(total / 5).saturating_sub(n as u32) {
        let i = rng.random_range(0..n);
        parts[i] += 1;
    }
    parts.into_iter().map(|p| p * 5).collect()
}

/// 部门整体绩效目标表: funds = 上级安排 + 本级安排 + 其他 = 表1 收入总计.
pub fn department(rng: &mut impl Rng, dept: &Department, budget: &Budget) -> DepartmentTargets {
    let t = budget.totals();
    let duties: String = dept
        .profile
        .duties
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, d)| {
            format!(
                "（{}）{}",
                crate::narrative::chinese_number(i as u32 + 1),
                dept.fill(d)
            )
        })
        .collect();
    let priorities: Vec<String> = dept
        .profile
        .priorities
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}、{p}", i + 1))
        .collect();
    let goal = format!(
        "根据三定方案，我单位的主要职责：{duties}{} 年工作重点如下：{}。",
        dept.year,
        priorities.join("；")
    );
    let funds = vec![
        fund("财政资金", "上级安排", t.transfer_project),
        fund("财政资金", "本级安排", t.own() + t.fiscal_carry),
        fund("其他资金", "其他", t.non_fiscal_carry),
    ];
    let count = rng.random_range(3..=dept.profile.targets.len());
    let chosen: Vec<_> = dept.profile.targets.iter().choose_multiple(rng, count);
    let ws = weights(rng, chosen.len(), TOTAL_WEIGHT);
    let indicators = chosen
        .into_iter()
        .zip(ws)
        .map(|((name, unit, low, high), w)| Indicator {
            level1: "履职效能".to_string(),
            level2: "数量指标".to_string(),
            level3: name.to_string(),
            target: Value::new(&format!(">={}{unit}", rng.random_range(*low..=*high))),
            basis: Some(format!("{} 年工作计划", dept.year)),
            last_year: None,
            weight: Some(Decimal::from(w)),
            rule: None,
            evidence: None,
        })
        .collect();
    DepartmentTargets {
        year_label: format!("({} 年)", dept.year),
        department: dept.name.clone(),
        contact: Some(dept.contact.clone()),
        phone: Some(dept.phone.clone()),
        goal,
        funds,
        layout: IndicatorLayout::of(DEPARTMENT_COLUMNS),
        indicators,
    }
}

fn fund(category: &str, source: &str, cents: Cents) -> FundSource {
    FundSource {
        category: category.to_string(),
        source: source.to_string(),
        amount: Some(amount(cents)),
    }
}

/// An indicator before its weight is known.
struct Draft {
    level1: &'static str,
    level2: &'static str,
    level3: String,
    target: String,
    achieved: String,
    basis: &'static str,
    rule: ScoringRule,
}

/// 项目支出绩效目标表 of an unclassified project: funds = 表7 amount.
pub fn project(rng: &mut impl Rng, dept: &Department, project: &Project) -> Option<ProjectTargets> {
    let theme = project.theme?;
    // 一级 splits seen in the sample: 产出 40 + 成本 20 + 效益 20 + 满意度 10,
    // 产出 50 + 效益 40, 产出 50 + 效益 30 + 满意度 10.
    let (output_w, cost_w, benefit_w, satisfaction_w) =
        *[(40, 20, 20, 10), (50, 0, 40, 0), (50, 0, 30, 10)]
            .choose(rng)
            .expect("splits");

    let mut outputs: Vec<Draft> = theme
        .outputs
        .iter()
        .map(|(name, unit, low, high)| {
            let n = rng.random_range(*low..=*high);
            let op = if low == high { "=" } else { ">=" };
            Draft {
                level1: "产出指标",
                level2: "数量指标",
                level3: name.to_string(),
                target: format!("{op}{n}{unit}"),
                achieved: format!("{n}{unit}"),
                basis: "计划标准",
                rule: ScoringRule::Proportional,
            }
        })
        .collect();
    let quality = [
        ("资金使用合规率", "=100%"),
        ("验收合格率", ">=90%"),
        ("工作完成率", "=100%"),
    ];
    let (name, target) = *quality.choose(rng).expect("quality indicators");
    outputs.push(Draft {
        level1: "产出指标",
        level2: "质量指标",
        level3: name.to_string(),
        target: target.to_string(),
        achieved: "100%".to_string(),
        basis: "计划标准",
        rule: ScoringRule::Direct,
    });
    outputs.push(Draft {
        level1: "产出指标",
        level2: "时效指标",
        level3: if project.subsidy {
            "资金拨付及时率"
        } else {
            "任务完成及时率"
        }
        .to_string(),
        target: "=100%".to_string(),
        achieved: "100%".to_string(),
        basis: "计划标准",
        rule: if rng.random_bool(0.5) {
            ScoringRule::Direct
        } else {
            ScoringRule::Proportional
        },
    });

    let mut indicators = weighted(rng, outputs, output_w);
    if cost_w > 0 {
        let cap = amount(project.cents).to_string();
        let cost = Draft {
            level1: "成本指标",
            level2: "经济成本指标",
            level3: format!(
                "{}成本",
                project
                    .allocation
                    .first()
                    .map(|(p, _)| p.as_str())
                    .unwrap_or("项目")
            ),
            target: format!("<={cap}万元"),
            achieved: format!("{cap}万元"),
            basis: "计划标准",
            rule: ScoringRule::Proportional,
        };
        indicators.extend(weighted(rng, vec![cost], cost_w));
    }
    let quality_word = *QUALITATIVE.choose(rng).expect("qualitative values");
    let benefit = Draft {
        level1: "效益指标",
        level2: "社会效益指标",
        level3: theme.benefit.to_string(),
        target: quality_word.to_string(),
        achieved: quality_word.to_string(),
        basis: "自定义",
        rule: ScoringRule::Graded,
    };
    indicators.extend(weighted(rng, vec![benefit], benefit_w));
    if satisfaction_w > 0 {
        let level = *[90, 95].choose(rng).expect("levels");
        let satisfaction = Draft {
            level1: "满意度指标",
            level2: "满意度指标",
            level3: format!("{}满意度", theme.served),
            target: format!(">={level}%"),
            achieved: format!("{level}%"),
            basis: "自定义",
            rule: ScoringRule::Satisfaction,
        };
        indicators.extend(weighted(rng, vec![satisfaction], satisfaction_w));
    }
    if rng.random_bool(0.5) {
        for i in &mut indicators {
            i.last_year = None;
        }
    }
    Some(ProjectTargets {
        year_label: format!("({}年)", dept.year),
        budget_unit: dept.units[project.unit].name.clone(),
        project: project.name.clone(),
        manager: Some(project.manager.clone()),
        funds: ProjectFunds {
            total: Some(amount(project.cents)),
            fiscal: Some(amount(project.cents)),
            other: Some(amount(0)),
        },
        goal: dept.fill(theme.goal),
        layout: IndicatorLayout::standard(),
        indicators,
    })
}

/// Gives `drafts` weights summing to `total`, dropping drafts beyond `total / 5`.
fn weighted(rng: &mut impl Rng, mut drafts: Vec<Draft>, total: u32) -> Vec<Indicator> {
    drafts.truncate((total / 5) as usize);
    let ws = weights(rng, drafts.len(), total);
    drafts
        .into_iter()
        .zip(ws)
        .map(|(d, w)| Indicator {
            level1: d.level1.to_string(),
            level2: d.level2.to_string(),
            level3: d.level3,
            target: Value::new(&d.target),
            basis: Some(d.basis.to_string()),
            last_year: Some(Value::new(&d.achieved)),
            weight: Some(Decimal::from(w)),
            rule: Some(d.rule),
            evidence: Some("工作资料".to_string()),
        })
        .collect()
}

/// §十二(四): the summary sentence, the department table and one table per unclassified
/// project.
pub fn blocks(rng: &mut impl Rng, dept: &Department, budget: &Budget) -> Vec<Block> {
    let t = budget.totals();
    let mut blocks = vec![paragraph(format!(
        "{} 年，本部门预算绩效管理整体预算绩效目标 1 个，涉及预算金额 {} 万元；当年预算安排项目共 {} 个，其中：财政拨款项目涉及预算金额 {} 万元；非财政拨款项目涉及预算金额 0.00 万元。具体情况见下表：",
        dept.year,
        printed(t.total()),
        budget.projects.len(),
        printed(t.project())
    ))];
    blocks.push(Block::DepartmentTargets(department(rng, dept, budget)));
    for p in &budget.projects {
        if let Some(targets) = project(rng, dept, p) {
            blocks.push(Block::ProjectTargets(targets));
        }
    }
    blocks
}
