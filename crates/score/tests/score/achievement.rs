//! Achievement scoring with hand-computed expectations: each rule kind, both directions, above,
//! at and below target; one whole project to its total and grade.

use budgetflow_model::performance::Indicator;
use budgetflow_model::{Document, Lang};
use budgetflow_score::achievement::{indicator, score_project, Computation};
use budgetflow_score::actuals::{AchievedValue, ActualsReport, Execution, ProjectActuals};
use budgetflow_score::Grade;

use crate::{d, sample};

fn find<'a>(doc: &'a Document, project: &str, level3: &str) -> &'a Indicator {
    doc.narrative
        .project_targets()
        .find(|t| t.project.contains(project))
        .and_then(|t| t.indicators.iter().find(|i| i.level3 == level3))
        .unwrap_or_else(|| panic!("{project} / {level3}"))
}

/// (project, indicator, achieved, expected points): the expectation is worked out by hand in
/// the comment of each group.
fn check(cases: &[(&str, &str, &str, &str)]) {
    let doc = sample();
    for (project, level3, achieved, expected) in cases {
        let i = find(&doc, project, level3);
        let s = indicator::score(project, i, achieved).unwrap();
        assert_eq!(s.points, d(expected), "{level3} with {achieved}: {s:?}");
    }
}

#[test]
fn proportional_higher_is_better() {
    // =50家, weight 10: min(1, achieved/50) × 10
    check(&[
        ("小升规", "“小升规”专项奖补企业数量", "55家", "10"), // 1.1 → capped at 1
        ("小升规", "“小升规”专项奖补企业数量", "50家", "10"),
        ("小升规", "“小升规”专项奖补企业数量", "45家", "9.00"), // 0.9 × 10
        // ≥12次, weight 20: 11/12 × 20 = 18.333… → 18.33
        ("安全生产", "邀请民爆专家", "11次", "18.33"),
        // =100%, weight 10, proportional: 95/100 × 10
        ("小升规", "资金拨付及时率", "95%", "9.50"),
    ]);
}

#[test]
fn proportional_lower_is_better() {
    // ≤8.9万元, weight 10: full at or below the cap, else 8.9/achieved × 10
    check(&[
        ("安全生产", "劳务费用", "7.5万元", "10"),
        ("安全生产", "劳务费用", "8.9万元", "10"),
        ("安全生产", "劳务费用", "10万元", "8.90"), // 0.89 × 10
        // <=16.59万元, weight 10: 16.59/20 = 0.8295 → 8.295 → 8.30 (half away from zero)
        ("安全生产", "其他交通费用", "20万元", "8.30"),
        // <=8 小时, weight 5: 8/10 × 5
        ("专家咨询", "召开评审论证会时间", "10小时", "4.00"),
        // <=2%, weight 8: 2/2.5 × 8
        ("94号", "小微企业年化担保费率", "2.5%", "6.40"),
        ("94号", "小微企业年化担保费率", "1.8%", "8"),
    ]);
}

#[test]
fn direct_is_all_or_nothing() {
    check(&[
        // =100%, weight 10: met at or above 100 %
        ("小升规", "资金使用合规率", "100%", "10"),
        ("小升规", "资金使用合规率", "99%", "0"),
        // >=50%, weight 10
        ("安全生产", "邀请中级以上专家占比", "60%", "10"),
        ("安全生产", "邀请中级以上专家占比", "50%", "10"),
        ("安全生产", "邀请中级以上专家占比", "49.9%", "0"),
    ]);
}

#[test]
fn graded_bands() {
    // 稳步增长, weight 20: band percent × 20; no percent = the band's lower bound
    check(&[
        ("小升规", "规模以上工业企业数量稳步增长", "达成 100%", "20"),
        ("小升规", "规模以上工业企业数量稳步增长", "达成 95%", "19"),
        ("小升规", "规模以上工业企业数量稳步增长", "达成", "16"),
        (
            "小升规",
            "规模以上工业企业数量稳步增长",
            "部分达成 70%",
            "14",
        ),
        ("小升规", "规模以上工业企业数量稳步增长", "未达成 30%", "6"),
        ("小升规", "规模以上工业企业数量稳步增长", "未达成", "0"),
        // 有效保障, weight 40: 85 % × 40
        ("辅助履职", "保障单位正常后勤工作开展", "达成 85%", "34"),
    ]);
}

#[test]
fn satisfaction() {
    // >=90%, weight 10: full at or above 90, else 10 × achieved/90
    check(&[
        ("小升规", "奖补企业满意度", "95%", "10"),
        ("小升规", "奖补企业满意度", "90%", "10"),
        ("小升规", "奖补企业满意度", "81%", "9.00"),
        ("小升规", "奖补企业满意度", "85%", "9.44"), // 9.444…
        // >=95%, weight 10: 10 × 76/95 = 8
        ("93号", "被服务企业满意度", "76%", "8.00"),
    ]);
}

#[test]
fn every_score_shows_its_computation() {
    let doc = sample();
    let i = find(&doc, "小升规", "“小升规”专项奖补企业数量");
    let s = indicator::score("小升规", i, "45家").unwrap();
    assert_eq!(s.target, "=50家");
    assert_eq!(s.achieved, "45家");
    assert_eq!(s.ratio, d("0.9"));
    assert_eq!(
        s.computation,
        Computation::HigherIsBetter {
            target: d("50"),
            achieved: d("45")
        }
    );
    assert_eq!(
        s.computation.formula(s.weight, Lang::Zh),
        "min(1, 45 ÷ 50) × 10"
    );
    let cap = find(&doc, "安全生产", "劳务费用");
    let s = indicator::score("安全生产", cap, "10万元").unwrap();
    assert_eq!(
        s.computation.formula(s.weight, Lang::En),
        "min(1, 8.9 ÷ 10) × 10"
    );
    let direct = find(&doc, "小升规", "资金使用合规率");
    let s = indicator::score("小升规", direct, "99%").unwrap();
    assert_eq!(
        s.computation.formula(s.weight, Lang::Zh),
        "99 >= 100 不成立 → 0"
    );
    let sat = find(&doc, "小升规", "奖补企业满意度");
    let s = indicator::score("小升规", sat, "85%").unwrap();
    assert_eq!(s.computation.formula(s.weight, Lang::En), "10 × 85 ÷ 90");
    assert_eq!(s.ratio, d("0.9444"));
}

pub fn actuals(
    project: &str,
    values: &[(&str, &str)],
    executed: &str,
    budget: &str,
) -> ProjectActuals {
    ProjectActuals {
        project: project.to_string(),
        execution: Some(Execution {
            executed: d(executed),
            budget: d(budget),
        }),
        indicators: values
            .iter()
            .map(|(i, a)| AchievedValue {
                indicator: i.to_string(),
                achieved: Some(a.to_string()),
            })
            .collect(),
    }
}

pub const SMALL_TO_LARGE: &str = "2024年度“小升规”专项奖补资金";

/// The 小升规 project at year end, scored by hand:
///
/// | indicator | rule | computation | points |
/// |---|---|---|---|
/// | 企业数量 =50家, w10 | proportional | 40/50 × 10 | 8.00 |
/// | 年营业收入 >=2000万元/家, w10 | proportional | min(1, 2100/2000) × 10 | 10.00 |
/// | 资金使用合规率 =100%, w10 | direct | 98 < 100 | 0.00 |
/// | 资金拨付及时率 =100%, w10 | proportional | 95/100 × 10 | 9.50 |
/// | 奖补资金 =10万元/家, w20 | proportional | 10/10 × 20 | 20.00 |
/// | 稳步增长, w20 | graded | 部分达成 70 % × 20 | 14.00 |
/// | 满意度 >=90%, w10 | satisfaction | 10 × 88/90 = 9.777… | 9.78 |
/// | 预算执行率 | 480 / 500 | min(10, 10 × 0.96) | 9.60 |
///
/// Total 80.88 → 良.
pub fn small_to_large_year_end() -> ProjectActuals {
    actuals(
        SMALL_TO_LARGE,
        &[
            ("“小升规”专项奖补企业数量", "40家"),
            ("“小升规”企业年营业收入", "2100万元/家"),
            ("资金使用合规率", "98%"),
            ("资金拨付及时率", "95%"),
            ("“小升规”企业奖补资金", "10万元/家"),
            ("规模以上工业企业数量稳步增长", "部分达成 70%"),
            ("奖补企业满意度", "88%"),
        ],
        "480",
        "500",
    )
}

#[test]
fn a_whole_project_to_its_total_and_grade() {
    let doc = sample();
    let targets = doc
        .narrative
        .project_targets()
        .find(|t| t.project == SMALL_TO_LARGE)
        .unwrap();
    let report = small_to_large_year_end();
    let card = score_project(targets, &report).unwrap();
    let points: Vec<_> = card.indicators.iter().map(|i| i.points).collect();
    assert_eq!(
        points,
        ["8.00", "10", "0", "9.50", "20", "14.00", "9.78"].map(d)
    );
    assert_eq!(card.execution.points, d("9.60"));
    assert_eq!(card.execution.rate, d("96.00"));
    assert_eq!(card.total, d("80.88"));
    assert_eq!(card.grade, Grade::Good);
}

#[test]
fn json_and_csv_reports_score_alike() {
    let doc = sample();
    let json = format!(
        r#"{{"projects":[{{"project":"{SMALL_TO_LARGE}","execution":{{"executed":"480","budget":"500"}},
        "indicators":[{}]}}]}}"#,
        small_to_large_year_end()
            .indicators
            .iter()
            .map(|a| format!(
                r#"{{"indicator":"{}","achieved":"{}"}}"#,
                a.indicator.replace('"', "\\\""),
                a.achieved.as_deref().unwrap()
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut csv = String::from("project,indicator,achieved,executed,budget\n");
    csv.push_str(&format!("{SMALL_TO_LARGE},预算执行率,,480,500\n"));
    for a in small_to_large_year_end().indicators {
        csv.push_str(&format!(
            "\"{}\",\"{}\",{},,\n",
            SMALL_TO_LARGE.replace('"', "\"\""),
            a.indicator.replace('"', "\"\""),
            a.achieved.unwrap()
        ));
    }
    let from_json = ActualsReport::from_json(&json).unwrap();
    let from_csv = ActualsReport::from_csv(&csv).unwrap();
    let a = budgetflow_score::score(&doc, &from_json).unwrap();
    let b = budgetflow_score::score(&doc, &from_csv).unwrap();
    assert_eq!(a, b);
    assert_eq!(a[0].total, d("80.88"));
}

#[test]
fn every_sample_project_at_target_scores_100() {
    let doc = sample();
    let report = ActualsReport {
        projects: doc
            .narrative
            .project_targets()
            .map(|t| ProjectActuals {
                project: t.project.clone(),
                execution: Some(Execution {
                    executed: d("1"),
                    budget: d("1"),
                }),
                indicators: t
                    .indicators
                    .iter()
                    .map(|i| AchievedValue {
                        indicator: i.level3.clone(),
                        achieved: Some(at_target(i)),
                    })
                    .collect(),
            })
            .collect(),
    };
    let cards = budgetflow_score::score(&doc, &report).unwrap();
    assert_eq!(cards.len(), 11);
    for c in &cards {
        assert_eq!(c.total, d("100"), "{}", c.project);
        assert_eq!(c.grade, Grade::Excellent);
    }
}

/// The achieved value that exactly meets an indicator's target.
pub fn at_target(i: &Indicator) -> String {
    use budgetflow_model::performance::Measure;
    match &i.target.parsed {
        Some(Measure::Quantity { value, unit, .. }) => {
            format!("{value}{}", unit.as_deref().unwrap_or(""))
        }
        _ => "达成 100%".to_string(),
    }
}
