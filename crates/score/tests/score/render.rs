//! Text and JSON forms of the review and the scorecards.

use budgetflow_model::Lang;
use budgetflow_score::actuals::ActualsReport;
use budgetflow_score::render::{review_text, scorecards_text, ScoreReport};

use crate::achievement::small_to_large_year_end;
use crate::sample;

#[test]
fn text_in_chinese_and_english() {
    let doc = sample();
    let review = budgetflow_score::review(&doc);
    let zh = review_text(&review, Lang::Zh);
    assert!(
        zh.contains("项目「2024年度“小升规”专项奖补资金」 — 审核得分 95"),
        "{zh}"
    );
    assert!(zh.contains("[提示] P.count-cost"));
    let en = review_text(&review, Lang::En);
    assert!(en.contains("Projects ranked by review score"));
    assert!(en.contains("[warning] P.ambition"));

    let report = ActualsReport {
        projects: vec![small_to_large_year_end()],
    };
    let cards = budgetflow_score::score(&doc, &report).unwrap();
    let zh = scorecards_text(&cards, Lang::Zh);
    assert!(zh.contains("“小升规”专项奖补企业数量 | 按照完成比例赋分 | 10 | =50家 | 40家 | 0.8 | min(1, 40 ÷ 50) × 10 | 8.00"), "{zh}");
    assert!(zh.contains("总分 80.88 · 等级 良"), "{zh}");
    let en = scorecards_text(&cards, Lang::En);
    assert!(en.contains("total 80.88 · grade good"), "{en}");
    assert!(
        en.contains(
            "budget execution | executed 480 / budget 500 | 96% | min(10, 10 × 480 ÷ 500) | 9.60"
        ),
        "{en}"
    );
}

#[test]
fn json_carries_ids_locations_both_languages_and_computations() {
    let doc = sample();
    let review = budgetflow_score::review(&doc);
    let report = ActualsReport {
        projects: vec![small_to_large_year_end()],
    };
    let cards = budgetflow_score::score(&doc, &report).unwrap();
    let json = ScoreReport {
        review: &review,
        scorecards: Some(&cards),
    }
    .to_json();
    let finding = &json["review"]["tables"][1]["findings"][1];
    assert_eq!(finding["rule"], "P.count-cost");
    assert_eq!(finding["severity"], "info");
    assert_eq!(finding["table"]["kind"], "project");
    assert_eq!(finding["indicator"], "“小升规”企业奖补资金");
    assert!(finding["message"]["en"]
        .as_str()
        .unwrap()
        .contains("consistent"));
    assert_eq!(json["review"]["tables"][1]["score"]["points"], 95);
    let card = &json["scorecards"][0];
    assert_eq!(card["total"], "80.88");
    assert_eq!(card["grade"], "良");
    assert_eq!(
        card["indicators"][0]["computation"]["kind"],
        "higher_is_better"
    );
    assert_eq!(card["indicators"][0]["points"], "8.00");
}

/// A Shanghai district disclosure prints no target tables: the review says so, in both
/// languages and in the JSON, instead of an empty review that reads as a pass.
#[test]
fn a_template_without_target_tables_is_said_to_have_none() {
    let pdf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
    );
    let doc = budgetflow_formats::read_path(std::path::Path::new(pdf)).expect("the PDF reads");
    let review = budgetflow_score::review(&doc);
    assert!(review.tables.is_empty());
    let zh = review_text(&review, Lang::Zh);
    assert!(zh.contains("不含绩效目标表"), "{zh}");
    assert!(zh.contains("上海市区级单位预算"), "{zh}");
    assert!(review_text(&review, Lang::En).contains("no performance-target tables"));
    let json = ScoreReport {
        review: &review,
        scorecards: None,
    }
    .to_json();
    assert_eq!(
        json["review"]["template_without_targets"],
        "上海市区级单位预算（9张表）"
    );
    // the sample's template prints them: nothing is said
    assert!(budgetflow_score::review(&sample())
        .template_without_targets
        .is_none());
}
