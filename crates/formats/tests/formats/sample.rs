//! The bundled disclosure, read: a broad set of values checked against the printed text.

use budgetflow_model::narrative::{Direction, SectionTopic};
use budgetflow_model::performance::{Comparator, Measure, ScoringRule};
use budgetflow_model::tables::{
    CarryOverRowKind, Columns, ProjectRowKind, RevenueLine, ThreePublicLine,
};
use budgetflow_model::{DocumentKind, MoneyUnit};

use crate::{amount, sample};

fn code<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

#[test]
fn identity_and_overview() {
    let d = sample();
    assert_eq!(d.identity.department, "乌鲁木齐市工业和信息化局");
    assert_eq!(d.identity.fiscal_year.get(), 2025);
    assert_eq!(d.identity.kind, DocumentKind::DepartmentBudget);
    assert_eq!(d.identity.published.unwrap().to_string(), "2025-02-21");
    let o = &d.overview;
    assert_eq!(o.functions.len(), 11);
    assert!(
        o.functions[7].starts_with("负责工业节能降耗"),
        "a function split over a page break is joined: {}",
        o.functions[7]
    );
    // and so is the paragraph the public page prints
    assert_eq!(o.functions_text.len(), 1, "{:?}", o.functions_text);
    assert!(o.functions_text[0].contains("负责工业节能降耗综合协调"));
    assert_eq!(o.office_count, Some(12));
    assert_eq!(o.offices.len(), 12);
    assert_eq!(o.offices[3], "经济运行科（园区发展科）");
    assert_eq!(o.units.len(), 4);
    assert!(o.units[0].own_level);
    assert_eq!(o.units[3].name, "乌鲁木齐市工业和信息化项目中心");
    assert_eq!(
        (
            o.subordinate_unit_count,
            o.administrative_units,
            o.public_institutions
        ),
        (Some(3), Some(1), Some(3))
    );
    let s = o.staffing.as_ref().unwrap();
    assert_eq!((s.authorised, s.actual), (104, 281));
    assert_eq!((s.active.count, s.active.change), (105, Some(-7)));
    assert_eq!((s.retired.count, s.retired.change), (174, Some(-4)));
    assert_eq!(
        (s.pre_1949_retired.count, s.pre_1949_retired.change),
        (2, Some(0))
    );
}

#[test]
fn table_1_both_sides() {
    let t = sample().tables.overall.unwrap();
    assert_eq!(t.header.unit, MoneyUnit::TenThousandYuan);
    assert_eq!(
        t.header.compiler.as_deref(),
        Some("乌鲁木齐市工业和信息化局")
    );
    assert_eq!(t.revenue.len(), 25);
    assert!(
        t.revenue.iter().all(|r| r.line.is_some()),
        "every revenue line recognised"
    );
    assert_eq!(
        t.revenue(RevenueLine::CurrentYear),
        Some(amount("5,058.98"))
    );
    assert_eq!(
        t.revenue(RevenueLine::GeneralBudgetOwn),
        Some(amount("2,794.98"))
    );
    assert_eq!(
        t.revenue(RevenueLine::GeneralBudgetTransfer),
        Some(amount("2,264.00"))
    );
    assert_eq!(
        t.revenue(RevenueLine::FiscalCarryOverGeneral),
        Some(amount("1,636.89"))
    );
    assert_eq!(
        t.revenue(RevenueLine::NonFiscalUnitFunds),
        Some(amount("28.20"))
    );
    assert_eq!(t.revenue(RevenueLine::UnitFunds), None);
    assert_eq!(t.expenditure.len(), 29);
    assert_eq!(t.expenditure(&code("215")), Some(amount("5,995.16")));
    assert_eq!(t.expenditure(&code("201")), None);
    assert_eq!(
        (t.revenue_total, t.expenditure_total),
        (Some(amount("6,724.07")), Some(amount("6,724.07")))
    );
}

#[test]
fn tables_2_to_5() {
    let d = sample();
    let t2 = d.tables.revenue.unwrap();
    assert_eq!(
        t2.rows.len(),
        25,
        "the row before the page break and the repeated header are handled"
    );
    let total = t2.total().unwrap();
    assert_eq!(
        total.amounts.cells().iter().filter(|c| c.is_some()).count(),
        6
    );
    assert_eq!(total.amounts.non_fiscal_carry_over, Some(amount("28.20")));
    let r = t2.row(&code("2150805")).unwrap();
    assert_eq!(
        (
            r.amounts.total,
            r.amounts.general_budget_transfer,
            r.amounts.general_budget
        ),
        (Some(amount("1,355.20")), Some(amount("1,327.00")), None)
    );
    assert_eq!(
        t2.row(&code("21502")).unwrap().amounts.fiscal_carry_over,
        Some(amount("1,505.70"))
    );
    let t3 = d.tables.expenditure.unwrap();
    assert_eq!(t3.rows.len(), 25);
    assert_eq!(
        t3.total().unwrap().amounts.project,
        Some(amount("4,566.81"))
    );
    let t4 = d.tables.appropriation.unwrap();
    assert_eq!(t4.expenditure.len(), 29);
    assert_eq!(
        t4.expenditure_total.general_budget,
        Some(amount("5,058.98"))
    );
    assert_eq!(
        t4.expenditure
            .iter()
            .find(|e| e.code == Some(code("215")))
            .unwrap()
            .amounts
            .total,
        Some(amount("4,363.77"))
    );
    let t5 = d.tables.general_budget.unwrap();
    assert_eq!(t5.rows.len(), 23);
    assert_eq!(
        t5.row(&code("2150502")).unwrap().amounts.project,
        Some(amount("619.71"))
    );
}

#[test]
fn table_6_by_economic_class() {
    let t = sample().tables.basic.unwrap();
    assert_eq!(t.rows.len(), 31);
    assert_eq!(
        t.total().unwrap().amounts.personnel,
        Some(amount("1,963.41"))
    );
    assert_eq!(
        t.row(&code("30217")).unwrap().amounts.operating,
        Some(amount("0.30"))
    );
    assert_eq!(
        t.row(&code("303")).unwrap().amounts.total,
        Some(amount("253.98"))
    );
    assert_eq!(t.row(&code("30231")).unwrap().name, "公务用车运行维护费");
}

#[test]
fn table_7_projects_and_subtotals() {
    let t = sample().tables.projects.unwrap();
    let projects: Vec<_> = t.projects().collect();
    assert_eq!(projects.len(), 14);
    let classified: Vec<_> = projects
        .iter()
        .filter_map(|p| {
            p.project
                .as_ref()
                .and_then(|n| n.classified_code().map(str::to_string))
        })
        .collect();
    assert_eq!(classified, vec!["3010011E", "10100021", "1010009A"]);
    assert_eq!(
        t.total().unwrap().amounts.enterprise,
        Some(amount("2,764.00"))
    );
    let units: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.kind == ProjectRowKind::Unit)
        .map(|r| (r.name.as_str(), r.amounts.total.unwrap().to_string()))
        .collect();
    assert_eq!(
        units,
        vec![
            ("乌鲁木齐市工业和信息化局", "2883.71".into()),
            ("乌鲁木齐市节能监察中心", "11.29".into()),
            ("乌鲁木齐市中小企业服务中心", "6.72".into())
        ]
    );
    let kuan: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.kind == ProjectRowKind::Kuan)
        .map(|r| r.code.unwrap().to_string())
        .collect();
    assert_eq!(
        kuan,
        vec!["21505", "21508", "21599", "21114", "20604"],
        "款 codes printed in the name cell or class-only are resolved"
    );
    let classes: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.kind == ProjectRowKind::Class)
        .map(|r| r.code.unwrap().to_string())
        .collect();
    assert_eq!(classes, vec!["215", "211", "206"]);
    let by_unit = t.projects_by_unit();
    assert_eq!(
        by_unit
            .iter()
            .filter(|(u, _)| *u == Some("乌鲁木齐市工业和信息化局"))
            .count(),
        12
    );
    let p = projects
        .iter()
        .find(|p| {
            p.project
                .as_ref()
                .unwrap()
                .as_str()
                .starts_with("乌财企〔2024〕94号")
        })
        .unwrap();
    assert_eq!(
        (p.code.unwrap().to_string(), p.amounts.total),
        ("2150805".to_string(), Some(amount("57.00")))
    );
}

#[test]
fn tables_8_to_11() {
    let d = sample();
    let t8 = d.tables.gov_fund.unwrap();
    assert!(t8.is_empty());
    assert!(t8.header.notes[0].ends_with("政府性基金预算支出情况表为空表。"));
    assert!(d.tables.soe_capital.unwrap().is_empty());
    let t10 = d.tables.three_public.unwrap();
    assert_eq!(t10.rows.len(), 6);
    assert!(t10.rows.iter().all(|r| r.line.is_some()));
    assert_eq!(
        t10.line(ThreePublicLine::Total).unwrap().amounts.total,
        Some(amount("18.12"))
    );
    assert_eq!(
        t10.line(ThreePublicLine::VehicleOperation)
            .unwrap()
            .amounts
            .general_budget,
        Some(amount("17.82"))
    );
    assert_eq!(
        t10.line(ThreePublicLine::VehiclePurchase)
            .unwrap()
            .amounts
            .total,
        None
    );
    let t11 = d.tables.carry_over.unwrap();
    assert_eq!(t11.rows.len(), 11);
    let kinds: Vec<_> = t11.rows.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == CarryOverRowKind::Unit)
            .count(),
        2
    );
    assert_eq!(t11.projects().count(), 8);
    assert_eq!(
        t11.total().unwrap().amounts.non_fiscal_project,
        Some(amount("28.20"))
    );
    let r = t11
        .rows
        .iter()
        .find(|r| r.name == "特定目标 8010140M")
        .unwrap();
    assert_eq!(r.amounts.fiscal_project, Some(amount("1,164.25")));
}

#[test]
fn narrative_amounts_shares_changes() {
    let d = sample();
    assert_eq!(d.narrative.sections.len(), 12);
    for (s, topic) in d.narrative.sections.iter().zip(SectionTopic::ALL) {
        assert_eq!(s.topic, Some(topic), "section {}", s.number);
        assert_eq!(s.number, topic.standard_number());
    }
    let revenue = d.narrative.section(SectionTopic::Revenue).unwrap();
    let st: Vec<_> = revenue.statements().collect();
    let transfer = st
        .iter()
        .find(|s| s.subject == "上级一般公共预算安排的转移支付资金")
        .unwrap();
    assert_eq!(transfer.amount, Some(amount("2,264.00")));
    assert_eq!(transfer.share.unwrap().value().to_string(), "33.67");
    assert_eq!(
        transfer.change.as_ref().unwrap().direction,
        Direction::Increase
    );
    assert_eq!(
        transfer.rate.as_ref().unwrap().percent.value().to_string(),
        "1389.47"
    );
    assert!(transfer
        .reason
        .as_ref()
        .unwrap()
        .contains("中小企业专项转移支付资金"));
    assert_eq!(st.iter().filter(|s| s.not_arranged).count(), 4);
    let carry = st.iter().find(|s| s.subject == "财政拨款结转").unwrap();
    assert_eq!(carry.change.as_ref().unwrap().amount, amount("27,560.34"));

    let gb = d.narrative.section(SectionTopic::GeneralBudget).unwrap();
    let uses: Vec<_> = gb
        .statements()
        .filter(|s| s.subject.ends_with("（项）"))
        .collect();
    assert_eq!(uses.len(), 12);
    assert!(uses
        .iter()
        .all(|s| s.change.is_some() && s.rate.is_some() && s.reason.is_some()));
    let shares: Vec<_> = gb
        .statements()
        .filter(|s| s.subject.ends_with("（类）"))
        .map(|s| s.share.unwrap().value().to_string())
        .collect();
    assert_eq!(shares, vec!["0.13", "8.32", "5.29", "86.26"]);

    let basic = d.narrative.section(SectionTopic::Basic).unwrap();
    let personnel = basic
        .statements()
        .find(|s| s.subject == "人员经费")
        .unwrap();
    assert_eq!(personnel.includes.len(), 15);
    let tp = d.narrative.section(SectionTopic::ThreePublic).unwrap();
    let op: Vec<_> = tp
        .statements()
        .filter(|s| s.subject == "公务用车运行费")
        .collect();
    assert_eq!(op.len(), 2);
    assert_eq!(
        op[1].rate.as_ref().unwrap().percent.value().to_string(),
        "20.80"
    );
    let co = d.narrative.section(SectionTopic::CarryOver).unwrap();
    assert_eq!(co.statements().filter(|s| s.withheld).count(), 3);
}

#[test]
fn projects_with_classified_flags() {
    let d = sample();
    let projects: Vec<_> = d.narrative.projects().collect();
    assert_eq!(projects.len(), 14);
    assert_eq!(
        projects.iter().map(|p| p.number).collect::<Vec<_>>(),
        (1..=14).collect::<Vec<_>>()
    );
    let classified: Vec<_> = projects.iter().filter(|p| p.name.is_classified()).collect();
    assert_eq!(classified.len(), 3);
    for p in &classified {
        assert!(
            p.policy_basis.is_withheld() && p.allocation.is_withheld() && p.period.is_withheld()
        );
        assert_eq!(p.implementer.as_deref(), Some("乌鲁木齐市工业和信息化局"));
    }
    let safety = projects
        .iter()
        .find(|p| p.name.as_str() == "安全生产和节能审查工作经费")
        .unwrap();
    assert_eq!(safety.amount, Some(amount("20.50")));
    let alloc = safety.allocation.stated().unwrap();
    assert_eq!(
        alloc
            .items
            .iter()
            .map(|i| i.amount.to_string())
            .collect::<Vec<_>>(),
        vec!["8.90", "11.60"]
    );
    let period = safety.period.stated().unwrap();
    assert_eq!(
        (
            period.start.unwrap().to_string(),
            period.end.unwrap().to_string()
        ),
        ("2025-01-01".into(), "2025-12-31".into())
    );
    assert_eq!(
        projects[13].implementer.as_deref(),
        Some("乌鲁木齐市中小企业服务中心")
    );
}

#[test]
fn other_matters() {
    let m = sample().other_matters;
    let p = m.procurement.unwrap();
    assert_eq!(
        (p.total, p.goods, p.works, p.services),
        (
            Some(amount("108.36")),
            Some(amount("13.07")),
            Some(amount("2.00")),
            Some(amount("93.29"))
        )
    );
    assert_eq!(
        (p.sme_reserved, p.micro_reserved),
        (Some(amount("28.87")), Some(amount("28.87")))
    );
    let a = m.assets.unwrap();
    assert_eq!(
        (a.vehicle_count, a.vehicles.len(), a.furniture_value),
        (Some(11), 3, Some(amount("94.34")))
    );
    assert_eq!(a.building_area.unwrap().to_string(), "3254.00");
    let perf = m.performance.unwrap();
    assert_eq!(
        (
            perf.department_targets,
            perf.projects,
            perf.fiscal_project_amount
        ),
        (Some(1), Some(14), Some(amount("2,901.72")))
    );
    assert_eq!(perf.non_fiscal_project_amount, Some(amount("0.00")));
    let c = m.classified.unwrap();
    assert_eq!(
        (c.count, c.amount, c.targets_withheld),
        (3, Some(amount("1,939.00")), true)
    );
    assert_eq!(m.merged_carry_over.len(), 1);
    assert_eq!(m.merged_carry_over[0].carry_over, amount("4.99"));
}

#[test]
fn performance_tables() {
    let d = sample();
    let dept: Vec<_> = d.narrative.department_targets().collect();
    assert_eq!(dept.len(), 1);
    let dt = dept[0];
    assert_eq!(dt.funds.len(), 3);
    assert_eq!(dt.fund("上级安排"), Some(amount("3,779.70")));
    assert_eq!(dt.funds_total(), amount("6,724.07"));
    assert_eq!(
        (dt.contact.as_deref(), dt.phone.as_deref()),
        (Some("陈先生"), Some("2819358"))
    );
    assert_eq!(dt.indicators.len(), 5);
    assert!(dt
        .indicators
        .iter()
        .all(|i| i.level1 == "履职效能" && i.level2 == "数量指标"));
    assert_eq!(
        budgetflow_model::performance::total_weight(&dt.indicators).to_string(),
        "90"
    );

    let tables: Vec<_> = d.narrative.project_targets().collect();
    assert_eq!(tables.len(), 11);
    let counts: Vec<usize> = tables.iter().map(|t| t.indicators.len()).collect();
    assert_eq!(counts, vec![7, 7, 7, 7, 7, 7, 7, 8, 9, 7, 9]);
    assert_eq!(
        counts.iter().sum::<usize>() + 5,
        87,
        "87 indicators in all, as docs/domain.md#target-tables counts"
    );
    for t in &tables {
        assert_eq!(
            budgetflow_model::performance::total_weight(&t.indicators).to_string(),
            "90",
            "{}",
            t.project
        );
        assert!(
            t.indicators.iter().all(|i| i.target.parsed.is_some()),
            "{}",
            t.project
        );
        assert!(
            t.indicators.iter().all(|i| i
                .rule
                .as_ref()
                .is_some_and(|r| !matches!(r, ScoringRule::Other(_)))),
            "{}",
            t.project
        );
    }
    let xsg = tables[0];
    assert_eq!(xsg.project, "2024年度“小升规”专项奖补资金");
    assert_eq!(
        (xsg.funds.total, xsg.funds.other),
        (Some(amount("500.00")), Some(amount("0.00")))
    );
    let first = &xsg.indicators[0];
    assert_eq!(
        first.target.parsed,
        Some(Measure::Quantity {
            comparator: Some(Comparator::Equal),
            value: "50".parse().unwrap(),
            unit: Some("家".into())
        })
    );
    assert_eq!(first.last_year.as_ref().unwrap().raw, "41家");
    assert_eq!(xsg.indicators[4].level1, "成本指标");

    let safety = tables[1];
    assert!(!safety.layout.has_rule_column());
    assert_eq!(safety.funds.total, Some(amount("25.49")));
    assert_eq!(safety.indicators[3].rule, Some(ScoringRule::Proportional));
    assert_eq!(safety.indicators[3].evidence.as_deref(), Some("工作资料"));
    assert_eq!(
        safety.indicators[3].target.parsed,
        Some(Measure::Quantity {
            comparator: Some(Comparator::AtMost),
            value: "8.9".parse().unwrap(),
            unit: Some("万元".into())
        })
    );

    let expert = tables
        .iter()
        .find(|t| t.project.contains("专家咨询"))
        .unwrap();
    let timely = expert
        .indicators
        .iter()
        .find(|i| i.level3 == "召开评审论证会时间")
        .unwrap();
    assert_eq!(
        (timely.level1.as_str(), timely.level2.as_str()),
        ("产出指标", "时效指标"),
        "a level-2 label in the level-1 column"
    );
    assert_eq!(
        expert.indicators.last().unwrap().target.parsed,
        Some(Measure::Qualitative {
            text: "不断提高".into()
        })
    );
    assert_eq!(expert.manager.as_deref(), Some("朱先生"));

    let veteran = tables
        .iter()
        .find(|t| t.project == "原机电老干所运行维护费")
        .unwrap();
    let ragged = veteran
        .indicators
        .iter()
        .find(|i| i.level3.starts_with("公共设施维修及时率"))
        .unwrap();
    assert_eq!(
        (ragged.level1.as_str(), ragged.level2.as_str()),
        ("产出指标", "时效指标"),
        "a row starting one column early"
    );
    assert_eq!(ragged.weight.unwrap().to_string(), "10");
    assert_eq!(ragged.rule, Some(ScoringRule::Direct));

    let aide = tables
        .iter()
        .find(|t| t.project == "辅助履职人员支出")
        .unwrap();
    assert_eq!(
        aide.indicators[2].target.parsed,
        Some(Measure::Quantity {
            comparator: Some(Comparator::AtLeast),
            value: "90".parse().unwrap(),
            unit: Some("%".into())
        })
    );
    assert_eq!(
        aide.indicators[0].level1, "产出指标",
        "spaces inside labels removed"
    );
}

#[test]
fn glossary() {
    let g = sample().glossary;
    assert_eq!(g.len(), 8);
    assert_eq!(g[0].term, "财政拨款");
    assert!(g[0].definition.starts_with("指由一般公共预算"));
    assert_eq!(g[6].term, "“三公”经费");
    assert_eq!(g[7].term, "机关运行经费");
}
