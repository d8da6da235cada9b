//! Review of the sample's 12 target tables: every finding asserted, table by table.

use budgetflow_model::Lang;
use budgetflow_score::review::{review, Detail, Severity, TableRef};

use crate::{d, sample};

/// (table, review score, findings as `rule severity indicator`), in document order.
const EXPECTED: &[(&str, u32, &[&str])] = &[
    ("乌鲁木齐市工业和信息化局", 100, &[]),
    (
        "2024年度“小升规”专项奖补资金",
        95,
        &[
            "P.qualitative-weight warning 规模以上工业企业数量稳步增长",
            "P.count-cost info “小升规”企业奖补资金",
            "P.ambition info “小升规”企业年营业收入",
            "P.ambition info 资金使用合规率",
            "P.ambition info 资金拨付及时率",
            "P.ambition info “小升规”企业奖补资金",
            "P.ambition info 奖补企业满意度",
        ],
    ),
    (
        "安全生产和节能审查工作经费",
        85,
        &[
            "P.qualitative-weight warning 提高监管企业安全生产标准",
            "P.cost-sum info -",
            "P.funds-t7 info -",
            "P.ambition info 邀请民爆专家",
            "P.ambition info 邀请盐业专家",
            "P.ambition info 邀请中级以上专家占比",
            "P.ambition warning 劳务费用",
            "P.ambition warning 其他交通费用",
            "P.ambition info 监管企业满意度",
        ],
    ),
    (
        "辅助履职人员支出",
        80,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 保障单位正常后勤工作开展",
            "P.quantitative-share warning -",
            "P.ambition info 聘用行政辅助人员",
            "P.ambition info 行政辅助人员工资发放次数",
            "P.ambition warning 行政辅助人员出勤率",
            "P.ambition info 资金发放准确率",
            "P.ambition info 行政辅助人员持证上岗率",
            "P.ambition info 工资发放及时率",
        ],
    ),
    (
        "工业和信息化产业发展专家咨询评审费",
        85,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 提高我市重点产业发展水平",
            "P.quantitative-share warning -",
        ],
    ),
    (
        "工业和信息化项目调研经费",
        80,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 不断提升工作人员业务能力水平",
            "P.ambition info 完成调研报告数量",
            "P.ambition info 自治区级及以上单位安排调研考察培训",
            "P.ambition warning 市委市政府组织部安排调研考察培训",
            "P.ambition info 资金使用合格率",
            "P.ambition info 外出调研差旅费报销及时率",
            "P.ambition warning 调研人员满意度",
        ],
    ),
    (
        "机动车智能服务平台终止资产评估咨询费",
        85,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 提高决策质量和效率",
            "P.quantitative-share warning -",
        ],
    ),
    (
        "节能监察工作经费",
        80,
        &[
            "P.satisfaction warning -",
            "P.cost warning -",
            "P.qualitative-weight warning 有效开展节能监察工作",
            "P.quantitative-share warning -",
            "P.ambition info 研究报告及政策建议",
            "P.ambition info 维护系统数量",
            "P.ambition info 发放人员工资人数",
            "P.ambition info 节能宣传次数",
            "P.ambition info 节能监察工作正常开展率",
            "P.ambition info 研究报告完成率",
        ],
    ),
    (
        "乌财企〔2024〕93号-关于提前下达2025年自治区重点技术创新专项资金预算的通知",
        95,
        &[
            "P.qualitative-weight warning 不断提高企业创新能力",
            "P.cost-sum info -",
        ],
    ),
    (
        "乌财企〔2024〕94号-关于提前下达2025年自治区中小企业发展专项资金预算的通知",
        100,
        &[],
    ),
    (
        "乌鲁木齐市信息化运行维护经费",
        90,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 确保平台免受各类网络攻击和数据安全",
        ],
    ),
    (
        "原机电老干所运行维护费",
        90,
        &[
            "P.cost warning -",
            "P.qualitative-weight warning 确保小区内基本设施完好，正常使用",
            "P.ambition info 聘用小区物业人员",
            "P.ambition info 维修公共设备",
            "P.ambition info 家属院公共用房取暖费",
            "P.ambition info 清理排水窞井次数",
            "P.ambition info 冬季清雪次数",
            "P.ambition info 家属院公共设施维修验收合格率",
            "P.ambition info 公共设施维修及时率（三个工作日）",
            "P.ambition info 家属院居民满意度",
        ],
    ),
];

#[test]
fn every_finding_of_the_12_sample_tables() {
    let doc = sample();
    let r = review(&doc);
    assert_eq!(r.tables.len(), 12);
    assert!(matches!(r.tables[0].table, TableRef::Department(_)));
    for (t, (name, points, findings)) in r.tables.iter().zip(EXPECTED) {
        assert_eq!(t.table.name(), *name);
        let got: Vec<String> = t
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f.rule.id,
                    f.severity.label(Lang::En),
                    f.indicator.unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(got, *findings, "{name}");
        assert_eq!(t.score.points, *points, "{name}");
    }
    assert!(!r.has_errors(), "the sample's targets have no errors");
}

#[test]
fn small_to_large_count_times_unit_cost_matches_its_money_and_beats_last_year() {
    let doc = sample();
    let r = review(&doc);
    let t = r.project("2024年度“小升规”专项奖补资金").unwrap();
    let count_cost: Vec<_> = t.findings_of("P.count-cost").collect();
    assert_eq!(count_cost.len(), 1);
    assert_eq!(count_cost[0].severity, Severity::Info);
    assert_eq!(
        count_cost[0].detail,
        Detail::CountCost {
            count: "=50家",
            unit_cost: "=10万元/家",
            product: d("500"),
            funds: d("500.00"),
        }
    );
    assert_eq!(
        count_cost[0].message(Lang::Zh),
        "=50家 × =10万元/家 = 500 万元，项目资金 500 万元：一致"
    );
    // =50家 against last year's 41家: above, so no ambition finding for that indicator.
    assert!(t
        .findings_of("P.ambition")
        .all(|f| f.indicator != Some("“小升规”专项奖补企业数量")));
    assert_eq!(t.quantitative_share, Some(d("77.78")));
}

#[test]
fn cost_caps_and_the_merged_carry_over_are_confirmed() {
    let doc = sample();
    let r = review(&doc);
    let safety = r.project("安全生产和节能审查工作经费").unwrap();
    assert_eq!(
        safety.findings_of("P.funds-t7").next().unwrap().detail,
        Detail::FundsT7 {
            printed: d("25.49"),
            table7: d("20.50"),
            carry_over: Some(d("4.99")),
        }
    );
    assert_eq!(
        safety.findings_of("P.cost-sum").next().unwrap().detail,
        Detail::CostSum {
            sum: d("25.49"),
            funds: d("25.49")
        }
    );
    let innovation =
        r.project("乌财企〔2024〕93 号-关于提前下达2025年自治区重点技术创新专项资金预算的通知");
    assert!(innovation.is_some(), "names match without spaces");
}

#[test]
fn ranking_shares_ranks_on_ties() {
    let doc = sample();
    let r = review(&doc);
    let ranks: Vec<(usize, u32)> = r.ranking.iter().map(|x| (x.rank, x.points)).collect();
    assert_eq!(
        ranks,
        [
            (1, 100),
            (2, 95),
            (2, 95),
            (4, 90),
            (4, 90),
            (6, 85),
            (6, 85),
            (6, 85),
            (9, 80),
            (9, 80),
            (9, 80)
        ]
    );
    assert_eq!(
        r.ranking.len(),
        11,
        "the department-wide table is not ranked"
    );
}

#[test]
fn a_cost_above_the_money_and_a_short_count_cost_are_errors() {
    let mut doc = sample();
    for t in doc
        .narrative
        .sections
        .iter_mut()
        .flat_map(|s| s.blocks.iter_mut())
    {
        if let budgetflow_model::Block::ProjectTargets(p) = t {
            if p.project.contains("小升规") {
                p.funds.total = Some("300.00".parse().unwrap());
                p.indicators[0].weight = None;
            }
            if p.project.contains("93号") {
                p.indicators[4].target = budgetflow_model::performance::Value::new("≤750000元");
                p.indicators[5].target = budgetflow_model::performance::Value::new("<=300万元");
            }
        }
    }
    let r = review(&doc);
    let small = r.project("2024年度“小升规”专项奖补资金").unwrap();
    let ids: Vec<_> = small
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule.id)
        .collect();
    assert_eq!(
        ids,
        ["P.weights", "P.weights", "P.count-cost", "P.funds-t7"]
    );
    let innovation = r
        .project("乌财企〔2024〕93号-关于提前下达2025年自治区重点技术创新专项资金预算的通知")
        .unwrap();
    let caps: Vec<_> = innovation
        .findings
        .iter()
        .filter(|f| f.rule.id.starts_with("P.cost"))
        .map(|f| (f.rule.id, f.severity, f.indicator))
        .collect();
    assert_eq!(
        caps,
        [
            ("P.cost-cap", Severity::Error, Some("自主研发项目")),
            ("P.cost-sum", Severity::Error, None)
        ],
        "75 万元 (750000元) is within 270; 300 is not; 375 together is not"
    );
    assert!(r.has_errors());
}

#[test]
fn synthetic_documents_review_without_errors() {
    for i in 0..5 {
        let doc = budgetflow_synth::document(7, i);
        let r = review(&doc);
        let errors: Vec<_> = r
            .findings()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| (f.rule.id, f.message(Lang::En)))
            .collect();
        assert!(errors.is_empty(), "document {i}: {errors:?}");
        assert!(!r.tables.is_empty());
    }
}

#[test]
fn docs_explain_every_rule_of_the_catalog() {
    let docs = include_str!("../../../../docs/scoring.md");
    for rule in budgetflow_score::review::catalog::ALL {
        assert!(
            docs.contains(&format!("`{}`", rule.id)),
            "{} is not in docs/scoring.md",
            rule.id
        );
    }
}
