//! The narrative of published documents (their statements derived from their words, as every
//! reader derives them) states
//! the tables' figures, with correct shares and rates and a reason for every change
//! (`docs/domain.md#narrative-statements`, N1–N22); and publication keeps everything the
//! generator made.

use budgetflow_model::narrative::{Block, Section, SectionTopic as S, Statement};
use budgetflow_model::tables::{ProjectRowKind, RevenueLine as L, ThreePublicLine as T};
use budgetflow_model::{Amount, Document, FunctionLevel};
use budgetflow_synth::{document, draft, published};
use rust_decimal::{Decimal, RoundingStrategy};

fn v(a: Option<Amount>) -> Decimal {
    a.map(Amount::value).unwrap_or_default()
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn section(doc: &Document, topic: S) -> &Section {
    doc.narrative
        .section(topic)
        .unwrap_or_else(|| panic!("no section {topic:?}"))
}

fn stated<'a>(s: &'a Section, subject: &str) -> &'a Statement {
    s.statements()
        .find(|st| st.subject == subject)
        .unwrap_or_else(|| panic!("§{} states nothing about {subject}", s.number))
}

fn amount_of(s: &Section, subject: &str) -> Decimal {
    v(stated(s, subject).amount)
}

fn corpus() -> Vec<Document> {
    [3_u64, 44]
        .iter()
        .flat_map(|seed| (0..30).map(move |i| document(*seed, i)))
        .collect()
}

/// N7/N8: rate = |change| / (amount − change) × 100, half-up; from 0 → 100.00.
fn expected_rate(amount: Decimal, signed_change: Decimal) -> Decimal {
    let last = amount - signed_change;
    if last.is_zero() {
        if amount.is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE_HUNDRED
        }
    } else {
        round2(signed_change.abs() / last * Decimal::ONE_HUNDRED)
    }
}

fn check_document(doc: &Document) -> Result<(), String> {
    let t = &doc.tables;
    let t1 = t.overall.as_ref().unwrap();
    let total = v(t1.revenue_total);

    // every change has a reason and a consistent rate
    for s in &doc.narrative.sections {
        for st in s.statements() {
            let Some(change) = &st.change else { continue };
            if st.reason.as_deref().is_none_or(str::is_empty) {
                return Err(format!(
                    "§{} {}: a change without 主要原因",
                    s.number, st.subject
                ));
            }
            let rate = st.rate.as_ref().ok_or(format!(
                "§{} {}: a change without a rate",
                s.number, st.subject
            ))?;
            if rate.direction != change.direction {
                return Err(format!(
                    "§{} {}: change and rate disagree in direction",
                    s.number, st.subject
                ));
            }
            if let Some(a) = st.amount {
                let expected = expected_rate(a.value(), change.signed());
                if rate.percent.value() != expected {
                    return Err(format!(
                        "§{} {}: rate {} ≠ {expected}",
                        s.number, st.subject, rate.percent
                    ));
                }
            }
        }
    }

    // N1
    let s1 = section(doc, S::Overall);
    eq("N1 收支总预算", amount_of(s1, "收支总预算"), total)?;

    // N2: revenue items and shares of 收入总计
    let s2 = section(doc, S::Revenue);
    for (subject, line) in [
        ("一般公共预算", L::GeneralBudgetOwn),
        (
            "上级一般公共预算安排的转移支付资金",
            L::GeneralBudgetTransfer,
        ),
        ("财政拨款结转", L::FiscalCarryOver),
        ("非财政拨款结转结余", L::NonFiscalCarryOver),
    ] {
        let expected = v(t1.revenue(line));
        let st = stated(s2, subject);
        if expected.is_zero() && st.amount.is_none() {
            continue;
        }
        eq(subject, v(st.amount), expected)?;
        share(subject, st, total)?;
    }

    // N3
    let s3 = section(doc, S::Expenditure);
    let t3 = t.expenditure.as_ref().unwrap().total().unwrap();
    for (subject, amount) in [
        ("基本支出", t3.amounts.basic),
        ("项目支出", t3.amounts.project),
    ] {
        let st = stated(s3, subject);
        eq(subject, v(st.amount), v(amount))?;
        share(subject, st, v(t3.amounts.total))?;
    }

    // N4–N6: §五 states T5's total, basic, project, classes (shares of T5) and every 项, in order
    let t5 = t.general_budget.as_ref().unwrap();
    let t5_total = v(t5.total().unwrap().amounts.total);
    let expected: Vec<Decimal> = [
        t5.total().unwrap().amounts.total,
        t5.total().unwrap().amounts.basic,
        t5.total().unwrap().amounts.project,
    ]
    .into_iter()
    .map(v)
    .chain(
        t5.coded_rows()
            .filter(|(c, _)| c.level() == FunctionLevel::Class)
            .map(|(_, r)| v(r.amounts.total)),
    )
    .chain(
        t5.coded_rows()
            .filter(|(c, _)| c.level() == FunctionLevel::Xiang)
            .map(|(_, r)| v(r.amounts.total)),
    )
    .collect();
    let s5 = section(doc, S::GeneralBudget);
    let stated5: Vec<Decimal> = s5.statements().map(|st| v(st.amount)).collect();
    if stated5 != expected {
        return Err(format!("N6 §五 states {stated5:?}, T5 has {expected:?}"));
    }
    for st in s5.statements().filter(|st| st.share.is_some()) {
        share(&st.subject, st, t5_total)?;
    }
    let s4 = section(doc, S::Appropriation);
    let classes4: Vec<Decimal> = s4.statements().skip(2).map(|st| v(st.amount)).collect();
    let classes5: Vec<Decimal> = t5
        .coded_rows()
        .filter(|(c, _)| c.level() == FunctionLevel::Class)
        .map(|(_, r)| v(r.amounts.total))
        .collect();
    if classes4 != classes5 {
        return Err(format!("N4 §四 states {classes4:?}, T5 has {classes5:?}"));
    }

    // N9
    let t6 = t.basic.as_ref().unwrap().total().unwrap();
    let s6 = section(doc, S::Basic);
    eq(
        "N9 人员经费",
        amount_of(s6, "人员经费"),
        v(t6.amounts.personnel),
    )?;
    eq(
        "N9 公用经费",
        amount_of(s6, "公用经费"),
        v(t6.amounts.operating),
    )?;

    // N10: §七 describes every T7 project, same amounts and units, classified ones withheld
    let t7 = t.projects.as_ref().unwrap();
    let rows = t7.projects_by_unit();
    let described: Vec<_> = doc.narrative.projects().collect();
    if described.len() != rows.len() {
        return Err(format!(
            "N10 {} descriptions for {} projects",
            described.len(),
            rows.len()
        ));
    }
    for (d, (unit, row)) in described.iter().zip(&rows) {
        let name = row.project.as_ref().unwrap();
        if &d.name != name
            || v(d.amount) != v(row.amounts.total)
            || d.implementer.as_deref() != *unit
        {
            return Err(format!(
                "N10 {} described as {} {:?}",
                name, d.name, d.amount
            ));
        }
        if name.is_classified() != d.policy_basis.is_withheld()
            || name.is_classified() != d.allocation.is_withheld()
        {
            return Err(format!("N10 {name}: withheld iff classified"));
        }
        if let Some(allocation) = d.allocation.stated() {
            let sum: Decimal = allocation.items.iter().map(|i| i.amount.value()).sum();
            eq("资金分配 Σ", sum, v(d.amount))?;
        }
    }

    // N11
    for (topic, table) in [(S::GovFund, &t.gov_fund), (S::SoeCapital, &t.soe_capital)] {
        let note = &table.as_ref().unwrap().header.notes[0];
        if &section(doc, topic).text() != note {
            return Err(format!("N11 §{topic:?} does not state the 空表说明"));
        }
    }

    // N12
    let t10 = t.three_public.as_ref().unwrap();
    let s10 = section(doc, S::ThreePublic);
    let line = |l: T| v(t10.line(l).unwrap().amounts.total);
    let first: Vec<Decimal> = s10
        .paragraphs()
        .next()
        .unwrap()
        .statements
        .iter()
        .map(|st| v(st.amount))
        .collect();
    let expected10 = vec![
        line(T::Total),
        line(T::OverseasTravel),
        line(T::VehiclePurchase),
        line(T::VehicleOperation),
        line(T::Reception),
    ];
    if first != expected10 {
        return Err(format!("N12 §十 states {first:?}, T10 has {expected10:?}"));
    }
    let changes: Vec<&Statement> = s10.paragraphs().nth(1).unwrap().statements.iter().collect();
    for (st, amount) in changes.iter().zip(&expected10) {
        let change = st
            .change
            .as_ref()
            .ok_or("N12 a 三公 item without its change")?;
        eq(
            &format!("N12 rate of {}", st.subject),
            st.rate.as_ref().unwrap().percent.value(),
            expected_rate(*amount, change.signed()),
        )?;
    }

    // N13: §十一 lists T11's items in order
    let t11 = t.carry_over.as_ref().unwrap();
    let s11 = section(doc, S::CarryOver);
    let items: Vec<Decimal> = t11.projects().map(|r| v(r.amounts.total)).collect();
    let said: Vec<Decimal> = s11
        .paragraphs()
        .skip(1)
        .flat_map(|p| p.statements.iter().map(|st| v(st.amount)))
        .collect();
    if items != said {
        return Err(format!("N13 §十一 states {said:?}, T11 has {items:?}"));
    }

    // N14–N18 and N21 (§十二)
    let s12 = section(doc, S::OtherMatters);
    let running = s12.statements().next().ok_or("N14 no 机关运行经费")?;
    eq(
        "N14 机关运行经费",
        v(running.amount),
        v(t6.amounts.operating),
    )?;
    let om = &doc.other_matters;
    let p = om.procurement.as_ref().ok_or("N15 no procurement")?;
    eq(
        "N15 采购",
        v(p.total),
        v(p.goods) + v(p.works) + v(p.services),
    )?;
    if v(p.sme_reserved) > v(p.total) || v(p.micro_reserved) > v(p.sme_reserved) {
        return Err("N15 reserved amounts exceed their totals".into());
    }
    let a = om.assets.as_ref().ok_or("N16 no assets")?;
    if a.vehicle_count != Some(a.vehicles.iter().map(|k| k.count).sum()) {
        return Err("N16 vehicle counts".into());
    }
    eq(
        "N16 vehicle value",
        v(a.vehicle_value),
        a.vehicles.iter().map(|k| v(k.value)).sum(),
    )?;
    let perf = om
        .performance
        .as_ref()
        .ok_or("N17 no performance summary")?;
    eq("N17 整体", v(perf.department_amount), total)?;
    eq(
        "N17 财政拨款项目",
        v(perf.fiscal_project_amount),
        v(t7.total().unwrap().amounts.total),
    )?;
    if perf.projects != Some(rows.len() as u32) {
        return Err(format!(
            "N17 {:?} projects for {}",
            perf.projects,
            rows.len()
        ));
    }
    let classified: Vec<_> = t7
        .projects()
        .filter(|r| r.project.as_ref().is_some_and(|n| n.is_classified()))
        .collect();
    match &om.classified {
        None if classified.is_empty() => {}
        Some(c)
            if c.count as usize == classified.len()
                && v(c.amount)
                    == classified
                        .iter()
                        .map(|r| v(r.amounts.total))
                        .sum::<Decimal>() => {}
        other => {
            return Err(format!(
                "N18 {other:?} for {} classified rows",
                classified.len()
            ))
        }
    }
    let departments: Vec<_> = doc.narrative.department_targets().collect();
    if departments.len() != 1 {
        return Err("one 部门整体绩效目标表".into());
    }
    eq(
        "N21 整体目标资金",
        departments[0].funds_total().value(),
        total,
    )?;

    // N19/N20: one target table per unclassified project, funds = T7 amount
    let targets: Vec<_> = doc.narrative.project_targets().collect();
    if targets.len() != rows.len() - classified.len() {
        return Err(format!(
            "N19 {} target tables for {} unclassified projects",
            targets.len(),
            rows.len() - classified.len()
        ));
    }
    for pt in &targets {
        let row = rows
            .iter()
            .find(|(u, r)| {
                *u == Some(pt.budget_unit.as_str())
                    && r.project.as_ref().is_some_and(|n| n.as_str() == pt.project)
            })
            .ok_or(format!("N20 no T7 row for {}", pt.project))?;
        eq(
            &format!("N20 {}", pt.project),
            v(pt.funds.total),
            v(row.1.amounts.total),
        )?;
        eq(
            &format!("N20 {}", pt.project),
            v(pt.funds.total),
            v(pt.funds.fiscal) + v(pt.funds.other),
        )?;
    }
    for (name, indicators) in departments
        .iter()
        .map(|d| (d.department.as_str(), &d.indicators))
        .chain(targets.iter().map(|t| (t.project.as_str(), &t.indicators)))
    {
        eq(
            &format!("Σ 权重 of {name}"),
            budgetflow_model::performance::total_weight(indicators),
            Decimal::from(90),
        )?;
        if let Some(i) = indicators.iter().find(|i| i.target.parsed.is_none()) {
            return Err(format!("{name}: 指标值 {} does not parse", i.target.raw));
        }
    }
    for pt in &targets {
        for needed in ["产出指标", "效益指标"] {
            if !pt.indicators.iter().any(|i| i.level1 == needed) {
                return Err(format!("{}: no {needed}", pt.project));
            }
        }
    }

    // N22
    let staffing = doc.overview.staffing.as_ref().ok_or("N22 no staffing")?;
    if staffing.actual
        != staffing.active.count + staffing.retired.count + staffing.pre_1949_retired.count
    {
        return Err("N22 实有人数 ≠ 在职 + 退休 + 离休".into());
    }
    if doc.overview.units.len() as u32 != 1 + doc.overview.public_institutions.unwrap_or(0) {
        return Err("N22 units listed ≠ 行政 + 事业".into());
    }
    if doc.glossary.len() != 8 {
        return Err("the glossary has 8 terms".into());
    }
    Ok(())
}

fn eq(what: &str, left: Decimal, right: Decimal) -> Result<(), String> {
    if left == right {
        Ok(())
    } else {
        Err(format!("{what}: {left} ≠ {right}"))
    }
}

fn share(subject: &str, st: &Statement, whole: Decimal) -> Result<(), String> {
    let stated = st.share.ok_or(format!("{subject}: no share"))?.value();
    let expected = round2(v(st.amount) / whole * Decimal::ONE_HUNDRED);
    eq(&format!("share of {subject}"), stated, expected)
}

#[test]
fn the_narrative_states_the_tables() {
    for doc in corpus() {
        if let Err(e) = check_document(&doc) {
            panic!(
                "{} ({}): {e}",
                doc.identity.department, doc.identity.fiscal_year
            );
        }
    }
}

#[test]
fn the_narrative_checks_can_fail() {
    let mut doc = document(3, 1);
    let t = doc.tables.three_public.as_mut().unwrap();
    let row = t
        .rows
        .iter_mut()
        .find(|r| r.line == Some(T::Total))
        .unwrap();
    row.amounts.total = Some(Amount::new(v(row.amounts.total) + Decimal::ONE));
    assert!(check_document(&doc).unwrap_err().starts_with("N12"));

    let mut doc = document(3, 2);
    for s in &mut doc.narrative.sections {
        for b in &mut s.blocks {
            if let Block::Paragraph(p) = b {
                for st in &mut p.statements {
                    st.reason = None;
                }
            }
        }
    }
    assert!(check_document(&doc)
        .unwrap_err()
        .contains("without 主要原因"));
}

/// Publication adds the statements and other matters and changes nothing else; publishing
/// again changes nothing at all.
#[test]
fn publication_keeps_the_draft() {
    for index in 0..40 {
        let d = draft(8, index);
        let p = published(d.clone());
        assert_eq!(p.tables, d.tables, "tables of {index}");
        assert_eq!(p.overview, d.overview, "overview of {index}");
        assert_eq!(p.identity, d.identity, "identity of {index}");
        assert_eq!(p.glossary, d.glossary, "glossary of {index}");
        let mut without = p.narrative.clone();
        for s in &mut without.sections {
            for b in &mut s.blocks {
                if let Block::Paragraph(par) = b {
                    par.statements.clear();
                }
            }
        }
        for (a, b) in without.sections.iter().zip(&d.narrative.sections) {
            if let Some((x, y)) = a.blocks.iter().zip(&b.blocks).find(|(x, y)| x != y) {
                panic!(
                    "§{} of {index} reads back as\n{x:?}\ninstead of\n{y:?}",
                    a.number
                );
            }
        }
        assert_eq!(without, d.narrative, "narrative of {index}");
        assert_eq!(published(p.clone()), p, "publishing {index} twice");
    }
}

#[test]
fn documents_are_deterministic_and_distinct() {
    assert_eq!(document(12, 3), document(12, 3));
    assert_ne!(document(12, 3).tables, document(12, 4).tables);
    assert_ne!(document(12, 3).tables, document(13, 3).tables);
    let corpus: Vec<Document> = budgetflow_synth::corpus(12, 5).collect();
    assert_eq!(corpus[3], document(12, 3));
    assert!(corpus.iter().all(|d| d
        .tables
        .projects
        .as_ref()
        .is_some_and(|t| t.rows.iter().any(|r| r.kind == ProjectRowKind::Project))));
}
