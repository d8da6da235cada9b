//! Bad actuals reports: every problem is reported, with the project and the indicator.

use budgetflow_model::Lang;
use budgetflow_score::achievement::UnitMismatch;
use budgetflow_score::actuals::{ActualsError, ActualsReport, MAX_PROJECTS, MAX_TEXT_CHARS};
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

/// The report in its CSV form: one row per indicator, then the 预算执行率 row.
fn csv_rows(report: &ActualsReport) -> String {
    let mut out = String::new();
    for p in &report.projects {
        for v in &p.indicators {
            let achieved = v.achieved.as_deref().unwrap_or_default();
            out.push_str(&format!("{},{},{achieved},,\n", p.project, v.indicator));
        }
        if let Some(e) = &p.execution {
            out.push_str(&format!(
                "{},预算执行率,,{},{}\n",
                p.project, e.executed, e.budget
            ));
        }
    }
    out
}

const CSV_HEADER: &str = "project,indicator,achieved,executed,budget\n";

#[test]
fn a_project_listed_twice_is_refused_naming_both_places() {
    // as scoring matches names: spaces ignored
    let mut again = small_to_large_year_end();
    again.project = format!(" {} ", SMALL_TO_LARGE.replace("专项", "专项 "));
    let twice = ActualsReport {
        projects: vec![
            small_to_large_year_end(),
            actuals("安全生产和节能审查工作经费", &[], "1", "1"),
            again,
        ],
    };
    let e = ActualsReport::from_json(&serde_json::to_string(&twice).unwrap()).unwrap_err();
    assert!(
        matches!(&e, ActualsError::DuplicateProject { first, second, .. }
            if first == "projects[0]" && second == "projects[2]"),
        "{e}"
    );

    // in CSV: a second spelling of the name (rows of one spelling belong together)
    let csv = format!("{CSV_HEADER}{}", csv_rows(&twice));
    let e = ActualsReport::from_csv(&csv).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "actuals report: project `{}` is listed twice, at line 2 and at line 11",
            twice.projects[2].project.trim()
        )
    );

    // in CSV: a second 预算执行率 row for the same project
    let once = ActualsReport {
        projects: vec![small_to_large_year_end()],
    };
    let rows = csv_rows(&once);
    let execution = rows.lines().last().unwrap();
    let csv = format!("{CSV_HEADER}{rows}{execution}\n");
    let e = ActualsReport::from_csv(&csv).unwrap_err();
    assert!(
        matches!(
            e,
            ActualsError::DuplicateExecution {
                first: 9,
                second: 10,
                ..
            }
        ),
        "{e}"
    );
    assert!(ActualsReport::from_csv(&format!("{CSV_HEADER}{rows}")).is_ok());
}

#[test]
fn a_report_over_its_limits_is_refused_with_the_place() {
    let mut long = small_to_large_year_end();
    long.indicators[3].achieved = Some("9".repeat(MAX_TEXT_CHARS + 1));
    let report = ActualsReport {
        projects: vec![long],
    };
    let e = ActualsReport::from_json(&serde_json::to_string(&report).unwrap()).unwrap_err();
    assert!(
        matches!(&e, ActualsError::Limit { place, .. } if place == "projects[0].indicators[3].achieved"),
        "{e}"
    );
    assert!(e.to_string().len() < 300, "an excerpt of the value: {e}");
    let e = ActualsReport::from_csv(&format!("{CSV_HEADER}{}", csv_rows(&report))).unwrap_err();
    assert!(e.to_string().starts_with("actuals report, line 5:"), "{e}");

    let many = ActualsReport {
        projects: (0..=MAX_PROJECTS)
            .map(|i| actuals(&format!("项目{i}"), &[], "1", "1"))
            .collect(),
    };
    let e = ActualsReport::from_json(&serde_json::to_string(&many).unwrap()).unwrap_err();
    assert!(e.to_string().contains("more than 1000 projects"), "{e}");
    let e = ActualsReport::from_csv(&format!("{CSV_HEADER}{}", csv_rows(&many))).unwrap_err();
    assert!(
        e.to_string().contains("line 1002: more than 1000 projects"),
        "{e}"
    );

    let huge = format!(
        "{{\"projects\": [{{\"project\": \"{}\"}}]}}",
        "项".repeat(400_000)
    );
    let e = ActualsReport::from_json(&huge).unwrap_err();
    assert!(matches!(e, ActualsError::TooLarge { .. }), "{e}");
}

#[test]
fn a_long_bad_value_is_shown_as_an_excerpt() {
    let csv = format!("{CSV_HEADER}P,预算执行率,,{},1\n", "一".repeat(400));
    let e = ActualsReport::from_csv(&csv).unwrap_err();
    assert!(
        e.to_string().contains("line 2") && e.to_string().len() < 400,
        "{e}"
    );
    let json = format!(
        "{{\"projects\": [{{\"project\": \"P\", \"execution\": {{\"executed\": \"{}\", \"budget\": \"1\"}}}}]}}",
        "一".repeat(100_000)
    );
    let e = ActualsReport::from_json(&json).unwrap_err();
    assert!(e.to_string().len() < 500, "{e}");
}
