//! Every number printed in the tables, one record each — what `budgetflow facts` prints.
//!
//! Only what the document states: a blank cell is not a fact, and nothing is derived.

use budgetflow_model::tables::{Columns, FunctionRow, FundColumns, TableHeader};
use budgetflow_model::{Amount, Document};
use serde::Serialize;

/// One printed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The table number as printed (`"6"`).
    pub table: String,
    /// The table's title as printed.
    pub title: String,
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
    /// The page the number is printed on, when the source has pages (a PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// Collects the facts of one table.
struct TableFacts<'a> {
    out: &'a mut Vec<Fact>,
    header: &'a TableHeader,
}

impl TableFacts<'_> {
    fn one(
        &mut self,
        code: Option<String>,
        name: &str,
        column: &str,
        value: Option<Amount>,
        page: Option<u32>,
    ) {
        if let Some(v) = value {
            self.out.push(Fact {
                table: self.header.number.to_string(),
                title: self.header.title.clone(),
                code: code.unwrap_or_default(),
                name: name.to_string(),
                column: column.to_string(),
                value: v.to_string(),
                unit: self.header.unit.label().to_string(),
                page,
            });
        }
    }

    fn row<A: Columns>(
        &mut self,
        code: Option<String>,
        name: &str,
        amounts: &A,
        page: Option<u32>,
    ) {
        for (i, label) in A::LABELS.iter().enumerate() {
            self.one(code.clone(), name, label, amounts.get(i), page);
        }
    }

    /// The columns of a split beside its total (`合计` is the line's own amount).
    fn split(
        &mut self,
        code: Option<String>,
        name: &str,
        split: Option<&FundColumns>,
        page: Option<u32>,
    ) {
        let Some(split) = split else { return };
        for (i, label) in FundColumns::LABELS.iter().enumerate().skip(1) {
            self.one(code.clone(), name, label, split.get(i), page);
        }
    }

    fn function_rows<A: Columns>(&mut self, rows: &[FunctionRow<A>]) {
        for r in rows {
            self.row(r.code.map(|c| c.to_string()), &r.name, &r.amounts, r.page);
        }
    }
}

/// All facts of the document's tables, in printed order.
pub fn facts(doc: &Document) -> Vec<Fact> {
    let mut out = Vec::new();
    let t = &doc.tables;
    if let Some(x) = &t.overall {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.revenue {
            f.one(None, &r.label, "收入预算数", r.amount, r.page);
        }
        let page = x.header.page;
        f.one(None, "收入总计", "收入预算数", x.revenue_total, page);
        for e in &x.expenditure {
            let code = e.code.map(|c| c.to_string());
            f.one(code.clone(), &e.name, "支出预算数", e.amount, e.page);
            f.split(code, &e.name, e.split.as_ref(), e.page);
        }
        f.one(None, "支出总计", "支出预算数", x.expenditure_total, page);
        f.split(None, "支出总计", x.expenditure_total_split.as_ref(), page);
    }
    if let Some(x) = &t.revenue {
        TableFacts {
            out: &mut out,
            header: &x.header,
        }
        .function_rows(&x.rows);
    }
    if let Some(x) = &t.expenditure {
        TableFacts {
            out: &mut out,
            header: &x.header,
        }
        .function_rows(&x.rows);
    }
    if let Some(x) = &t.appropriation {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.revenue {
            f.one(None, &r.label, "收入合计", r.amount, r.page);
        }
        let page = x.header.page;
        f.one(None, "收入总计", "收入合计", x.revenue_total, page);
        for e in &x.expenditure {
            f.row(e.code.map(|c| c.to_string()), &e.name, &e.amounts, e.page);
        }
        f.row(None, "支出总计", &x.expenditure_total, page);
    }
    if let Some(x) = &t.general_budget {
        TableFacts {
            out: &mut out,
            header: &x.header,
        }
        .function_rows(&x.rows);
    }
    if let Some(x) = &t.basic {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.rows {
            f.row(r.code.map(|c| c.to_string()), &r.name, &r.amounts, r.page);
        }
    }
    if let Some(x) = &t.projects {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.rows {
            let name = r.project.as_ref().map(|p| p.as_str()).unwrap_or(&r.name);
            f.row(r.code.map(|c| c.to_string()), name, &r.amounts, None);
        }
    }
    for x in [&t.gov_fund, &t.soe_capital].into_iter().flatten() {
        TableFacts {
            out: &mut out,
            header: &x.header,
        }
        .function_rows(&x.rows);
    }
    if let Some(x) = &t.three_public {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.rows {
            f.row(None, &r.label, &r.amounts, r.page);
        }
    }
    if let Some(x) = &t.carry_over {
        let mut f = TableFacts {
            out: &mut out,
            header: &x.header,
        };
        for r in &x.rows {
            f.row(None, &r.name, &r.amounts, None);
        }
    }
    out
}
