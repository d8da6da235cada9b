//! 部门概况 and 其他重要事项: staff and units add up; 机关运行经费 against 表6 公用经费;
//! procurement, vehicles and equipment add up; the performance and classified summaries agree
//! with the tables.

use rust_decimal::Decimal;

use budgetflow_model::tables::ThreePublicLine;
use budgetflow_model::{Amount, MoneyUnit, SectionTopic, TableKind};

use crate::catalog::*;
use crate::engine::{value, Checker, Code};
use crate::finding::{Figure, Finding, Place};
use crate::rules::subjects::subject_key;
use crate::tolerance::round_printed;

pub fn check(ck: &mut Checker) {
    overview(ck);
    operating_cost(ck);
    procurement(ck);
    assets(ck);
    performance_summary(ck);
    classified(ck);
}

fn overview(ck: &mut Checker) {
    let o = &ck.doc.overview;
    if let Some(s) = &o.staffing {
        let sum = s.active.count + s.retired.count + s.pre_1949_retired.count;
        if sum != s.actual {
            ck.push(
                Finding::new(&O_HEADCOUNT, Place::Overview)
                    .name("实有人数")
                    .figures(Figure::count(sum), Figure::count(s.actual))
                    .detail(
                        format!(
                            "在职 {} + 退休 {} + 离休 {}",
                            s.active.count, s.retired.count, s.pre_1949_retired.count
                        ),
                        format!(
                            "active {} + retired {} + pre-1949 {}",
                            s.active.count, s.retired.count, s.pre_1949_retired.count
                        ),
                    ),
            );
        }
    }
    let listed = o.units.len() as u32;
    if let (Some(admin), Some(inst)) = (o.administrative_units, o.public_institutions) {
        if listed > 0 && admin + inst != listed {
            ck.push(
                Finding::new(&O_UNITS, Place::Overview)
                    .name("行政单位 + 事业单位")
                    .figures(Figure::count(listed), Figure::count(admin + inst)),
            );
        }
    }
    if let Some(subordinate) = o.subordinate_unit_count {
        let own = o.units.iter().filter(|u| u.own_level).count() as u32;
        if listed > 0 && subordinate != listed - own {
            ck.push(
                Finding::new(&O_UNITS, Place::Overview)
                    .name("下属预算单位")
                    .figures(Figure::count(listed - own), Figure::count(subordinate)),
            );
        }
    }
    if let Some(count) = o.office_count.filter(|_| !o.offices.is_empty()) {
        if count as usize != o.offices.len() {
            ck.push(
                Finding::new(&O_OFFICES, Place::Overview)
                    .name("内设科室")
                    .figures(Figure::count(o.offices.len() as u64), Figure::count(count)),
            );
        }
    }
}

/// N14: 机关运行经费 ≤ 表6 公用经费, equal when every unit is administrative; stated in a
/// sentence of 其他重要事项 or, in templates that print it there, in the 三公 table.
fn operating_cost(ck: &mut Checker) {
    let doc = ck.doc;
    let Some(t6) = doc.tables.basic.as_ref() else {
        return;
    };
    let Some(operating) = t6.total().map(|r| r.amounts.operating) else {
        return;
    };
    let all_administrative = doc.overview.public_institutions == Some(0);
    let mut stated: Vec<(Place, &str, Amount, MoneyUnit)> = Vec::new();
    if let Some(section) = doc.narrative.section(SectionTopic::OtherMatters) {
        stated.extend(
            section
                .statements()
                .filter(|st| {
                    subject_key(&st.subject, &doc.identity.department).contains("机关运行经费")
                })
                .filter_map(|st| {
                    st.amount.map(|a| {
                        (
                            Place::Section(SectionTopic::OtherMatters),
                            st.subject.as_str(),
                            a,
                            st.unit,
                        )
                    })
                }),
        );
    }
    if let Some(t10) = &doc.tables.three_public {
        if let Some(row) = t10.line(ThreePublicLine::OperatingCosts) {
            if let Some(a) = row.amounts.total {
                stated.push((
                    Place::Table(TableKind::ThreePublic),
                    row.label.as_str(),
                    a,
                    t10.header.unit,
                ));
            }
        }
    }
    for (place, name, a, unit) in stated {
        // 表6 in 元 against a figure in 万元: 表6's figure as the statement would print it
        let expected = if unit == t6.header.unit {
            value(operating)
        } else {
            round_printed(
                value(operating.map(|o| o.convert(t6.header.unit, unit))),
                a.scale(),
            )
        };
        let f = || {
            Finding::new(&M_OPERATING_COST, place)
                .name(name)
                .detail("表6总计“公用经费”", "Table 6 total “operating”")
        };
        if a.value() > expected {
            ck.push(Finding {
                expected: Some(Figure::text(format!("≤ {}", Figure::Amount(expected)))),
                ..f().amounts(expected, a.value())
            });
        } else if a.value() < expected && all_administrative {
            ck.push(f().amounts(expected, a.value()));
        }
    }
}

fn procurement(ck: &mut Checker) {
    let Some(p) = &ck.doc.other_matters.procurement else {
        return;
    };
    let place = Place::Section(SectionTopic::OtherMatters);
    if p.goods.is_some() || p.works.is_some() || p.services.is_some() {
        ck.sum(
            &M_PROCUREMENT,
            place,
            p.total,
            || {
                [
                    (Code::None, "货物", p.goods),
                    (Code::None, "工程", p.works),
                    (Code::None, "服务", p.services),
                ]
                .into_iter()
            },
            |f| f.name("政府采购预算"),
        );
    }
    let reserved = [
        ("政府采购预算", p.total, "面向中小企业预留", p.sme_reserved),
        (
            "面向中小企业预留",
            p.sme_reserved,
            "小微企业预留",
            p.micro_reserved,
        ),
    ];
    for (whole_name, whole, part_name, part) in reserved {
        if whole.is_some() {
            ck.at_least(&M_PROCUREMENT_RESERVED, place, whole, part, |f| {
                f.name(whole_name).detail(
                    format!("不应小于{part_name}"),
                    format!("must not be less than {part_name}"),
                )
            });
        }
    }
}

fn assets(ck: &mut Checker) {
    let Some(a) = &ck.doc.other_matters.assets else {
        return;
    };
    let place = Place::Section(SectionTopic::OtherMatters);
    if !a.vehicles.is_empty() {
        if let Some(count) = a.vehicle_count {
            let sum: u32 = a.vehicles.iter().map(|v| v.count).sum();
            if sum != count {
                ck.push(
                    Finding::new(&M_VEHICLES, place)
                        .name("车辆")
                        .column("数量")
                        .figures(Figure::count(sum), Figure::count(count)),
                );
            }
        }
        if a.vehicle_value.is_some() {
            ck.sum(
                &M_VEHICLES,
                place,
                a.vehicle_value,
                || {
                    a.vehicles
                        .iter()
                        .map(|v| (Code::None, v.kind.as_str(), v.value))
                },
                |f| f.name("车辆").column("价值"),
            );
        }
    }
    if let (Some(over_50), Some(over_100)) = (a.equipment_over_50, a.equipment_over_100) {
        if over_100 > over_50 {
            ck.push(
                Finding::new(&M_EQUIPMENT, place)
                    .name("价值 100 万元以上大型设备")
                    .figures(
                        Figure::text(format!("≤ {over_50}")),
                        Figure::count(over_100),
                    ),
            );
        }
    }
}

/// N17: the performance summary against 表1 and 表7.
fn performance_summary(ck: &mut Checker) {
    let doc = ck.doc;
    let Some(p) = &doc.other_matters.performance else {
        return;
    };
    let place = Place::Section(SectionTopic::OtherMatters);
    if let (Some(stated), Some(t1)) = (p.department_amount, &doc.tables.overall) {
        ck.equal(
            &M_PERFORMANCE_SUMMARY,
            place,
            t1.revenue_total,
            Some(stated),
            |f| {
                f.name("整体预算绩效目标涉及预算金额")
                    .detail("应等于表1收入总计", "must equal the Table 1 revenue total")
            },
        );
    }
    if let Some(stated) = p.department_targets {
        let tables = doc.narrative.department_targets().count() as u32;
        if tables > 0 && stated != tables {
            ck.push(
                Finding::new(&M_PERFORMANCE_SUMMARY, place)
                    .name("整体预算绩效目标个数")
                    .figures(Figure::count(tables), Figure::count(stated)),
            );
        }
    }
    let Some(t7) = &doc.tables.projects else {
        return;
    };
    if let Some(stated) = p.projects {
        let count = t7.projects().count() as u32;
        if stated != count {
            ck.push(
                Finding::new(&M_PERFORMANCE_SUMMARY, place)
                    .name("当年预算安排项目个数")
                    .figures(Figure::count(count), Figure::count(stated))
                    .detail("表7项目个数", "Table 7 projects"),
            );
        }
    }
    if let Some(stated) = p.fiscal_project_amount {
        ck.equal(
            &M_PERFORMANCE_SUMMARY,
            place,
            t7.total().and_then(|r| r.amounts.total),
            Some(stated),
            |f| {
                f.name("财政拨款项目涉及预算金额")
                    .detail("应等于表7总计", "must equal the Table 7 total")
            },
        );
    }
}

/// N18: the classified count and amount are the 表7 特定目标 rows.
fn classified(ck: &mut Checker) {
    let doc = ck.doc;
    let (Some(c), Some(t7)) = (&doc.other_matters.classified, &doc.tables.projects) else {
        return;
    };
    let place = Place::Section(SectionTopic::OtherMatters);
    let rows: Vec<_> = t7
        .projects()
        .filter(|r| r.project.as_ref().is_some_and(|p| p.is_classified()))
        .collect();
    if rows.len() as u32 != c.count {
        ck.push(
            Finding::new(&M_CLASSIFIED, place)
                .name("涉密项目个数")
                .figures(Figure::count(rows.len() as u64), Figure::count(c.count))
                .detail("表7“特定目标”项目数", "Table 7 特定目标 rows"),
        );
    }
    if let Some(stated) = c.amount {
        let sum: Decimal = rows.iter().map(|r| value(r.amounts.total)).sum();
        ck.equal(
            &M_CLASSIFIED,
            place,
            Some(Amount::new(sum)),
            Some(stated),
            |f| {
                f.name("涉密项目预算资金").detail(
                    "表7“特定目标”项目金额之和",
                    "sum of the Table 7 特定目标 rows",
                )
            },
        );
    }
}
