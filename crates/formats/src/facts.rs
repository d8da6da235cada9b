//! Every number printed in tables 1–11, one record each — what `budgetflow facts` prints.
//!
//! Only what the document states: a blank cell is not a fact, and nothing is derived.

use budgetflow_model::tables::{Columns, TableHeader};
use budgetflow_model::{Amount, Document};
use serde::Serialize;

/// One printed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The table number as printed (`"6"`).
    pub table: String,
    /// The classification code of the row, if it has one.
    pub code: String,
    /// The row's name (or label, or project name).
    pub name: String,
    /// The column's printed label.
    pub column: String,
    /// The number as printed, without thousands separators (`"5058.98"`).
    pub value: String,
    /// The unit of the table.
    pub unit: String,
}

fn push(
    out: &mut Vec<Fact>,
    h: &TableHeader,
    code: String,
    name: &str,
    column: &str,
    value: Option<Amount>,
) {
    if let Some(v) = value {
        out.push(Fact {
            table: h.number.to_string(),
            code,
            name: name.to_string(),
            column: column.to_string(),
            value: v.to_string(),
            unit: h.unit.label().to_string(),
        });
    }
}

fn push_columns<A: Columns>(out: &mut Vec<Fact>, h: &TableHeader, code: String, name: &str, a: &A) {
    for (i, label) in A::LABELS.iter().enumerate() {
        push(out, h, code.clone(), name, label, a.get(i));
    }
}

/// All facts of the document's tables, in printed order.
pub fn facts(doc: &Document) -> Vec<Fact> {
    let mut out = Vec::new();
    let t = &doc.tables;
    if let Some(x) = &t.overall {
        for r in &x.revenue {
            push(
                &mut out,
                &x.header,
                String::new(),
                &r.label,
                "收入预算数",
                r.amount,
            );
        }
        push(
            &mut out,
            &x.header,
            String::new(),
            "收入总计",
            "收入预算数",
            x.revenue_total,
        );
        for e in &x.expenditure {
            push(
                &mut out,
                &x.header,
                e.code.map(|c| c.to_string()).unwrap_or_default(),
                &e.name,
                "支出预算数",
                e.amount,
            );
        }
        push(
            &mut out,
            &x.header,
            String::new(),
            "支出总计",
            "支出预算数",
            x.expenditure_total,
        );
    }
    if let Some(x) = &t.revenue {
        for r in &x.rows {
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &r.name,
                &r.amounts,
            );
        }
    }
    if let Some(x) = &t.expenditure {
        for r in &x.rows {
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &r.name,
                &r.amounts,
            );
        }
    }
    if let Some(x) = &t.appropriation {
        for r in &x.revenue {
            push(
                &mut out,
                &x.header,
                String::new(),
                &r.label,
                "收入合计",
                r.amount,
            );
        }
        push(
            &mut out,
            &x.header,
            String::new(),
            "收入总计",
            "收入合计",
            x.revenue_total,
        );
        for e in &x.expenditure {
            push_columns(
                &mut out,
                &x.header,
                e.code.map(|c| c.to_string()).unwrap_or_default(),
                &e.name,
                &e.amounts,
            );
        }
        push_columns(
            &mut out,
            &x.header,
            String::new(),
            "支出总计",
            &x.expenditure_total,
        );
    }
    if let Some(x) = &t.general_budget {
        for r in &x.rows {
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &r.name,
                &r.amounts,
            );
        }
    }
    if let Some(x) = &t.basic {
        for r in &x.rows {
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &r.name,
                &r.amounts,
            );
        }
    }
    if let Some(x) = &t.projects {
        for r in &x.rows {
            let name = r
                .project
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| r.name.clone());
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &name,
                &r.amounts,
            );
        }
    }
    for x in [&t.gov_fund, &t.soe_capital].into_iter().flatten() {
        for r in &x.rows {
            push_columns(
                &mut out,
                &x.header,
                r.code.map(|c| c.to_string()).unwrap_or_default(),
                &r.name,
                &r.amounts,
            );
        }
    }
    if let Some(x) = &t.three_public {
        for r in &x.rows {
            push_columns(&mut out, &x.header, String::new(), &r.label, &r.amounts);
        }
    }
    if let Some(x) = &t.carry_over {
        for r in &x.rows {
            push_columns(&mut out, &x.header, String::new(), &r.name, &r.amounts);
        }
    }
    out
}
