//! Bad actuals reports: every problem is reported, with the project and the indicator.

use budgetflow_model::Lang;
use budgetflow_score::achievement::UnitMismatch;
use budgetflow_score::actuals::ActualsReport;
use budgetflow_score::ScoreError;

use crate::achievement::{actuals, small_to_large_year_end, SMALL_TO_LARGE};
use crate::sample;

fn errors(report: ActualsReport) -> Vec<ScoreError> {
    let doc = sample();
    budgetflow_score::score(&doc, &report).unwrap_err().0
}

fn with(change: impl FnOnce(&mut budgetflow_score::actuals::ProjectActuals)) -> Vec<ScoreError> {
    let mut p = small_to_large_year_end();
    change(&mut p);
    errors(ActualsReport { projects: vec![p] })
}

#[test]
fn unknown_indicator() {
    let e = with(|p| p.indicators[0].indicator = "培育企业数量".into());
    assert_eq!(
        e,
        [
            ScoreError::UnknownIndicator {
                project: SMALL_TO_LARGE.into(),
                indicator: "培育企业数量".into()
            },
            ScoreError::MissingValue {
                project: SMALL_TO_LARGE.into(),
                indicator: "“小升规”专项奖补企业数量".into()
            }
        ]
    );
    assert_eq!(
        e[0].message(Lang::Zh),
        "项目「2024年度“小升规”专项奖补资金」：绩效目标表中没有指标「培育企业数量」"
    );
}

#[test]
fn unit_mismatch_money_and_counts() {
    let e = with(|p| {
        p.indicators[0].achieved = Some("50个".into());
        p.indicators[4].achieved = Some("100000元/家".into());
    });
    assert_eq!(e.len(), 2);
    assert_eq!(
        e[0],
        ScoreError::UnitMismatch(Box::new(UnitMismatch {
            project: SMALL_TO_LARGE.into(),
            indicator: "“小升规”专项奖补企业数量".into(),
            target: "=50家".into(),
            achieved: "50个".into(),
            target_unit: "家".into(),
            achieved_unit: "个".into(),
        }))
    );
    assert!(matches!(&e[1], ScoreError::UnitMismatch(m)
        if m.target_unit == "万元/家" && m.achieved_unit == "元/家"));
    assert_eq!(
        e[1].to_string(),
        "project `2024年度“小升规”专项奖补资金`, indicator `“小升规”企业奖补资金`: achieved `100000元/家` is in `元/家`, the target `=10万元/家` in `万元/家`"
    );
    let cost = errors(ActualsReport {
        projects: vec![actuals(
            "安全生产和节能审查工作经费",
            &[
                ("邀请民爆专家", "12次"),
                ("邀请盐业专家", "4次"),
                ("邀请中级以上专家占比", "50%"),
                ("劳务费用", "89000元"),
                ("其他交通费用", "16.59万元"),
                ("提高监管企业安全生产标准", "达成"),
                ("监管企业满意度", "95"),
            ],
            "25",
            "25.49",
        )],
    });
    assert_eq!(cost.len(), 2, "{cost:?}");
    assert!(cost[0]
        .message(Lang::Zh)
        .contains("单位“元”与指标值“≤8.9万元”的单位“万元”不一致"));
    assert!(
        cost[1].message(Lang::Zh).contains("单位“”"),
        "a bare 95 is not 95%"
    );
}

#[test]
fn missing_value() {
    let e = with(|p| p.indicators[6].achieved = Some("  ".into()));
    assert_eq!(
        e,
        [ScoreError::MissingValue {
            project: SMALL_TO_LARGE.into(),
            indicator: "奖补企业满意度".into()
        }]
    );
    let e = with(|p| {
        p.indicators.remove(2);
    });
    assert!(
        matches!(&e[..], [ScoreError::MissingValue { indicator, .. }] if indicator == "资金使用合规率")
    );
}

#[test]
fn negative_execution_and_missing_execution() {
    let e = with(|p| p.execution.as_mut().unwrap().executed = "-1".parse().unwrap());
    assert_eq!(
        e,
        [ScoreError::NegativeExecution {
            project: SMALL_TO_LARGE.into(),
            executed: "-1".into()
        }]
    );
    assert_eq!(
        e[0].message(Lang::Zh),
        "项目「2024年度“小升规”专项奖补资金」：执行数 -1 为负数"
    );
    let e = with(|p| p.execution = None);
    assert!(matches!(&e[..], [ScoreError::MissingExecution { .. }]));
}

#[test]
fn other_bad_values_are_typed_errors_and_all_are_collected() {
    let e = with(|p| {
        p.indicators[0].achieved = Some(">=50家".into());
        p.indicators[1].achieved = Some("很多".into());
        p.indicators[2].achieved = Some("-5%".into());
        p.indicators[5].achieved = Some("部分达成 85%".into());
        p.indicators.push(p.indicators[3].clone());
    });
    let kinds: Vec<&str> = e
        .iter()
        .map(|e| match e {
            ScoreError::DuplicateIndicator { .. } => "duplicate",
            ScoreError::ComparatorInAchieved { .. } => "comparator",
            ScoreError::UnreadableValue { .. } => "unreadable",
            ScoreError::NegativeValue { .. } => "negative",
            ScoreError::BadBand { .. } => "band",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["duplicate", "comparator", "unreadable", "negative", "band"]
    );
    let e = errors(ActualsReport {
        projects: vec![actuals("不存在的项目", &[], "1", "1")],
    });
    assert!(matches!(&e[..], [ScoreError::UnknownProject { .. }]));
}

#[test]
fn malformed_files_are_read_errors() {
    assert!(ActualsReport::from_json("{\"projects\": 3}").is_err());
    let err = ActualsReport::from_csv(
        "project,indicator,achieved,executed,budget\nP,预算执行率,,abc,1\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}
