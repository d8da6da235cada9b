//! Property tests over synthetic documents: consistent documents give no error, and changing
//! any one printed amount by 0.02 or more is caught by at least one error.

use budgetflow_model::{Amount, Columns, Document};
use budgetflow_validate::{validate, Lang, Severity};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Every amount cell of the tables, as a mutable reference, in a fixed order.
fn cells(doc: &mut Document) -> Vec<&mut Option<Amount>> {
    let t = &mut doc.tables;
    let mut out: Vec<&mut Option<Amount>> = Vec::new();
    if let Some(t1) = t.overall.as_mut() {
        out.extend(t1.revenue.iter_mut().map(|l| &mut l.amount));
        out.extend(t1.expenditure.iter_mut().map(|l| &mut l.amount));
        out.push(&mut t1.revenue_total);
        out.push(&mut t1.expenditure_total);
    }
    macro_rules! rows {
        ($table:expr, $($field:ident),+) => {
            if let Some(t) = $table.as_mut() {
                for r in t.rows.iter_mut() {
                    $(out.push(&mut r.amounts.$field);)+
                }
            }
        };
    }
    rows!(
        t.revenue,
        total,
        fiscal_subtotal,
        general_budget,
        general_budget_transfer,
        gov_fund,
        gov_fund_transfer,
        soe_capital,
        soe_capital_transfer,
        special_account,
        unit_funds,
        fiscal_carry_over,
        non_fiscal_carry_over
    );
    rows!(t.expenditure, total, basic, project);
    rows!(t.general_budget, total, basic, project);
    rows!(t.basic, total, personnel, operating);
    rows!(
        t.projects,
        total,
        wages,
        goods_services,
        households,
        debt_interest,
        capital_construction,
        capital,
        enterprise_construction,
        enterprise,
        social_security_funds,
        other
    );
    rows!(t.three_public, total, general_budget, gov_fund, soe_capital);
    rows!(
        t.carry_over,
        total,
        fiscal_subtotal,
        fiscal_personnel,
        fiscal_operating,
        fiscal_project,
        non_fiscal_subtotal,
        non_fiscal_personnel,
        non_fiscal_operating,
        non_fiscal_project
    );
    if let Some(t4) = t.appropriation.as_mut() {
        out.extend(t4.revenue.iter_mut().map(|l| &mut l.amount));
        out.push(&mut t4.revenue_total);
        for r in t4.expenditure.iter_mut() {
            out.extend([
                &mut r.amounts.total,
                &mut r.amounts.general_budget,
                &mut r.amounts.gov_fund,
                &mut r.amounts.soe_capital,
            ]);
        }
        out.extend([
            &mut t4.expenditure_total.total,
            &mut t4.expenditure_total.general_budget,
            &mut t4.expenditure_total.gov_fund,
            &mut t4.expenditure_total.soe_capital,
        ]);
    }
    let _ = <budgetflow_model::tables::RevenueColumns as Columns>::LABELS;
    out
}

fn errors(doc: &Document) -> Vec<String> {
    validate(doc)
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message(Lang::Zh))
        .collect()
}

#[test]
fn consistent_synthetic_documents_have_no_errors() {
    for i in 0..60 {
        let doc = budgetflow_synth::document(2025, i);
        let e = errors(&doc);
        assert!(
            e.is_empty(),
            "synthetic document {i} ({}):\n{}",
            doc.identity.department,
            e.join("\n")
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn any_amount_changed_by_two_cents_or_more_is_an_error(index in 0usize..24, pick in any::<prop::sample::Index>(), cents in 2i64..50_000, down in any::<bool>()) {
        let mut doc = budgetflow_synth::document(99, index);
        let printed: Vec<usize> = cells(&mut doc).iter().enumerate().filter(|(_, c)| c.is_some()).map(|(i, _)| i).collect();
        prop_assume!(!printed.is_empty());
        let at = printed[pick.index(printed.len())];
        let mut all = cells(&mut doc);
        let cell = &mut all[at];
        let old = cell.map_or(Decimal::ZERO, |a| a.value());
        let delta = Decimal::new(if down { -cents } else { cents }, 2);
        let new = old + delta;
        prop_assume!(new >= Decimal::ZERO);
        **cell = Some(Amount::new(new));
        prop_assert!(!errors(&doc).is_empty(), "document {index}: cell #{at} {old} → {new} not caught");
    }
}
