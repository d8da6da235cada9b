//! Ties a statement of the explanation text to the table figure it describes.
//!
//! Each section explains one table, so the subject (`一般公共预算`, `基本支出`,
//! `科学技术支出（类）技术与开发（款）其他技术与开发支出（项）`, `公务接待费`) is looked up in that
//! table: a fixed line, a column of the total row, a row by its name, or a 类/款/项 path of names.

use std::borrow::Cow;

use budgetflow_model::names::{key_chars, name_key, same_name, strip_key_prefix};
use budgetflow_model::tables::{
    AppropriationColumns, ExpenditureColumns, FunctionRow, FunctionTable, RevenueColumns,
    ThreePublicLine,
};
use budgetflow_model::{
    Amount, Columns, Document, FunctionCode, FunctionLevel, SectionTopic, TableKind,
};

use crate::engine::ByCode;

/// The table figure a statement describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFigure<'d> {
    pub table: TableKind,
    pub code: Option<FunctionCode>,
    pub row: &'d str,
    pub column: &'static str,
    pub amount: Option<Amount>,
}

impl<'d> TableFigure<'d> {
    /// A figure of a row named (not coded) `row`, in `column` of `table`.
    fn uncoded(
        table: TableKind,
        row: &'d str,
        column: &'static str,
        amount: Option<Amount>,
    ) -> Option<TableFigure<'d>> {
        Some(TableFigure {
            table,
            code: None,
            row,
            column,
            amount,
        })
    }
}

/// The subject without spaces, quotes, the department's name and a leading year
/// (`乌鲁木齐市工业和信息化局 2025 年支出预算` → `支出预算`), brackets full-width: the
/// [`name_key`] of what follows the prefixes.
///
/// The prefixes are stripped from the subject as printed, so only what follows them is
/// keyed: borrowed from `subject` unless a space, a quote or a half-width bracket there has
/// to go.
pub fn subject_key<'s>(subject: &'s str, department: &str) -> Cow<'s, str> {
    name_key(without_prefixes(subject, department))
}

/// `subject` after the department's name, a leading `2025年` and a `的`, each compared with
/// the subject's key characters.
fn without_prefixes<'s>(subject: &'s str, department: &str) -> &'s str {
    let mut rest = strip_key_prefix(subject, department).unwrap_or(subject);
    let mut year = key_chars(rest);
    // four digits then 年 (a fifth digit is not 年: `12345年` keeps its digits), read no
    // further than the first character that is not a digit (most subjects start with one)
    if (0..4).all(|_| year.next().is_some_and(|c| c.is_ascii_digit())) && year.next() == Some('年')
    {
        rest = year.as_str();
    }
    let mut de = key_chars(rest);
    match de.next() {
        Some('的') => de.as_str(),
        _ => rest,
    }
}

/// A 表2 column label or a subject as compared: without 的 and （补助）.
fn revenue_key(s: &str) -> Cow<'_, str> {
    if !s.contains('的') && !s.contains("补助") {
        return Cow::Borrowed(s);
    }
    // each removal copies the text: only the ones that find something are made
    let mut key = if s.contains('的') {
        s.replace('的', "")
    } else {
        s.to_string()
    };
    for bracketed in ["(补助)", "（补助）"] {
        if key.contains(bracketed) {
            key = key.replace(bracketed, "");
        }
    }
    Cow::Owned(key)
}

/// The 表2 column labels as [`revenue_key`]s, computed once.
fn revenue_keys() -> &'static [String] {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        RevenueColumns::LABELS
            .iter()
            .map(|l| revenue_key(l).into_owned())
            .collect()
    })
}

fn total_row<A>(table: Option<&FunctionTable<A>>) -> Option<&A> {
    table.and_then(|t| t.total()).map(|r| &r.amounts)
}

/// The figure a statement's `subject` (and its [`subject_key`]) names in the table that
/// section `topic` explains.
pub fn resolve<'d>(
    doc: &'d Document,
    t5: Option<&ByCode<'d, ExpenditureColumns>>,
    topic: SectionTopic,
    subject: &str,
    key: &str,
) -> Option<TableFigure<'d>> {
    let t = &doc.tables;
    match topic {
        SectionTopic::Overall => {
            let t1 = t.overall.as_ref()?;
            if key.ends_with("收支总预算") {
                return TableFigure::uncoded(
                    TableKind::Overall,
                    "收入总计",
                    "预算数",
                    t1.revenue_total,
                );
            }
            overall_explanation(doc, t5, key)
        }
        SectionTopic::Revenue => {
            if key.ends_with("收入预算") {
                return TableFigure::uncoded(
                    TableKind::Overall,
                    "收入总计",
                    "预算数",
                    t.overall.as_ref()?.revenue_total,
                );
            }
            let total = total_row(t.revenue.as_ref())?;
            let wanted = revenue_key(key);
            let wanted_bare = wanted.strip_suffix("资金").unwrap_or(&wanted);
            let col = revenue_keys()
                .iter()
                .position(|l| *l == wanted || l == wanted_bare)?;
            TableFigure::uncoded(
                TableKind::Revenue,
                "总计",
                RevenueColumns::LABELS[col],
                total.get(col),
            )
        }
        SectionTopic::Expenditure => {
            let total = total_row(t.expenditure.as_ref())?;
            match key {
                "基本支出" => {
                    TableFigure::uncoded(TableKind::Expenditure, "总计", "基本支出", total.basic)
                }
                "项目支出" => {
                    TableFigure::uncoded(TableKind::Expenditure, "总计", "项目支出", total.project)
                }
                k if k.ends_with("支出预算") => {
                    TableFigure::uncoded(TableKind::Expenditure, "总计", "合计", total.total)
                }
                _ => None,
            }
        }
        SectionTopic::Appropriation => {
            use budgetflow_model::tables::AppropriationLine as L;
            let t4 = t.appropriation.as_ref()?;
            let line = |l: L, label: &'static str| {
                TableFigure::uncoded(TableKind::Appropriation, label, "合计", t4.revenue(l))
            };
            match key {
                k if k.ends_with("收支总预算") => TableFigure::uncoded(
                    TableKind::Appropriation,
                    "收入总计",
                    "合计",
                    t4.revenue_total,
                ),
                "一般公共预算拨款" => line(L::GeneralBudget, "一般公共预算"),
                "政府性基金预算拨款" => line(L::GovFund, "政府性基金预算"),
                "国有资本经营预算拨款" => line(L::SoeCapital, "国有资本经营预算"),
                k => {
                    let row = t4.expenditure.iter().find(|r| same_name(&r.name, k))?;
                    Some(TableFigure {
                        table: TableKind::Appropriation,
                        code: row.code,
                        row: &row.name,
                        column: "合计",
                        amount: row.amounts.total,
                    })
                }
            }
        }
        SectionTopic::GeneralBudget => {
            let t5 = t5?;
            let total = total_row(Some(t5.table()))?;
            match key {
                "基本支出" => {
                    TableFigure::uncoded(TableKind::GeneralBudget, "总计", "基本支出", total.basic)
                }
                "项目支出" => TableFigure::uncoded(
                    TableKind::GeneralBudget,
                    "总计",
                    "项目支出",
                    total.project,
                ),
                k if k.ends_with("合计") || k.ends_with("拨款") => {
                    TableFigure::uncoded(TableKind::GeneralBudget, "总计", "合计", total.total)
                }
                k => {
                    let row = path_row(t5, k)?;
                    Some(TableFigure {
                        table: TableKind::GeneralBudget,
                        code: row.code,
                        row: &row.name,
                        column: "合计",
                        amount: row.amounts.total,
                    })
                }
            }
        }
        SectionTopic::Basic => {
            let total = t.basic.as_ref()?.total()?;
            match key {
                "人员经费" => TableFigure::uncoded(
                    TableKind::Basic,
                    "总计",
                    "人员经费",
                    total.amounts.personnel,
                ),
                "公用经费" => TableFigure::uncoded(
                    TableKind::Basic,
                    "总计",
                    "公用经费",
                    total.amounts.operating,
                ),
                k if k.ends_with("基本支出") => {
                    TableFigure::uncoded(TableKind::Basic, "总计", "合计", total.amounts.total)
                }
                _ => None,
            }
        }
        SectionTopic::ThreePublic => {
            let t10 = t.three_public.as_ref()?;
            let line = if key.contains("三公") {
                ThreePublicLine::Total
            } else if key.contains("出国") {
                ThreePublicLine::OverseasTravel
            } else if key.contains("接待") {
                ThreePublicLine::Reception
            } else if key.contains("购置及运行") {
                ThreePublicLine::VehicleSubtotal
            } else if key.contains("公务用车购置") {
                ThreePublicLine::VehiclePurchase
            } else if key.contains("公务用车运行") {
                ThreePublicLine::VehicleOperation
            } else {
                return None;
            };
            let row = t10.line(line)?;
            TableFigure::uncoded(
                TableKind::ThreePublic,
                row.label.as_str(),
                "合计",
                row.amounts.total,
            )
        }
        SectionTopic::CarryOver => {
            let t11 = t.carry_over.as_ref()?;
            let total = t11.total()?;
            match key {
                "财政拨款" => TableFigure::uncoded(
                    TableKind::CarryOver,
                    "总计",
                    "财政拨款小计",
                    total.amounts.fiscal_subtotal,
                ),
                "非财政拨款" => TableFigure::uncoded(
                    TableKind::CarryOver,
                    "总计",
                    "非财政拨款小计",
                    total.amounts.non_fiscal_subtotal,
                ),
                k if k.ends_with("上年结转结余") => {
                    TableFigure::uncoded(TableKind::CarryOver, "总计", "合计", total.amounts.total)
                }
                k => {
                    let row = t11
                        .rows
                        .iter()
                        .find(|r| same_name(&r.name, k) || same_name(&r.name, subject))?;
                    TableFigure::uncoded(
                        TableKind::CarryOver,
                        row.name.as_str(),
                        "合计",
                        row.amounts.total,
                    )
                }
            }
        }
        SectionTopic::OtherMatters => {
            let total = t.basic.as_ref()?.total()?;
            key.contains("机关运行经费").then_some(())?;
            TableFigure::uncoded(
                TableKind::Basic,
                "总计",
                "公用经费",
                total.amounts.operating,
            )
        }
        SectionTopic::Projects | SectionTopic::GovFund | SectionTopic::SoeCapital => None,
    }
}

/// What the one explanation section of a template without per-table sections (Shanghai's
/// 预算编制说明) states: revenue by kind (表1), expenditure (表1), the appropriation by budget
/// (表4) and the use of each 项 (表5), in any of the three ways a 项 is named.
fn overall_explanation<'d>(
    doc: &'d Document,
    t5: Option<&ByCode<'d, ExpenditureColumns>>,
    key: &str,
) -> Option<TableFigure<'d>> {
    use budgetflow_model::tables::RevenueLine as L;
    let t = &doc.tables;
    let t1 = t.overall.as_ref()?;
    let line = |l: L| {
        let printed = t1.revenue.iter().find(|r| r.line == Some(l))?;
        TableFigure::uncoded(
            TableKind::Overall,
            printed.label.as_str(),
            "预算数",
            printed.amount,
        )
    };
    let appropriation =
        |column: &'static str, amount: fn(&AppropriationColumns) -> Option<Amount>| {
            let t4 = t.appropriation.as_ref()?;
            TableFigure::uncoded(
                TableKind::Appropriation,
                "支出总计",
                column,
                amount(&t4.expenditure_total),
            )
        };
    match key {
        k if k.ends_with("收入预算") => {
            TableFigure::uncoded(TableKind::Overall, "收入总计", "预算数", t1.revenue_total)
        }
        "财政拨款收入" => line(L::FiscalAppropriation),
        "事业收入" => line(L::UnitOperationsIncome),
        "事业单位经营收入" => line(L::UnitBusinessIncome),
        "其他收入" => line(L::UnitOtherIncome),
        "支出预算" => TableFigure::uncoded(
            TableKind::Overall,
            "支出总计",
            "预算数",
            t1.expenditure_total,
        ),
        "财政拨款支出预算" => appropriation("合计", |c| c.total),
        "一般公共预算拨款支出预算" => {
            appropriation("一般公共预算", |c| c.general_budget)
        }
        "政府性基金拨款支出预算" => {
            appropriation("政府性基金预算", |c| c.gov_fund)
        }
        "国有资本经营预算拨款支出预算" => {
            appropriation("国有资本经营预算", |c| c.soe_capital)
        }
        k => {
            let t5 = t5?;
            let row = coded_path_row(t5, k)
                .or_else(|| path_row(t5, k))
                .or_else(|| path_row(t5, &dashed_path(k)?))?;
            Some(TableFigure {
                table: TableKind::GeneralBudget,
                code: row.code,
                row: &row.name,
                column: "合计",
                amount: row.amounts.total,
            })
        }
    }
}

/// `X-Y-Z科目` written as the path `X（类）Y（款）Z（项）` (one to three names).
fn dashed_path(key: &str) -> Option<String> {
    let names = key.strip_suffix("科目").unwrap_or(key);
    if !names.contains('-') {
        return None;
    }
    let parts: Vec<&str> = names.split('-').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut path = String::with_capacity(names.len() + 3 * "（类）".len());
    for (name, marker) in parts.iter().zip(["（类）", "（款）", "（项）"]) {
        path.push_str(name);
        path.push_str(marker);
    }
    Some(path)
}

/// The 表5 row a path that prints its codes names (`公共安全支出（204类）司法（06款）行政运行（01项）`):
/// found by the code, as the codes say more than names that a catalog may since have renamed.
fn coded_path_row<'t, A>(t5: &ByCode<'t, A>, key: &str) -> Option<&'t FunctionRow<A>> {
    let mut parts: [&str; 3] = [""; 3];
    let mut rest = key;
    for (n, level) in ["类）", "款）", "项）"].iter().enumerate() {
        let Some(end) = rest.find(level) else {
            if n == 0 {
                return None;
            }
            break;
        };
        let open = rest[..end].rfind('（')?;
        let digits = &rest[open + '（'.len_utf8()..end];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[n] = digits;
        rest = &rest[end + level.len()..];
    }
    if !rest.is_empty() {
        return None;
    }
    let code = FunctionCode::from_parts(parts[0], parts[1], parts[2]).ok()?;
    t5.table().row(&code)
}

/// The 表5 row a `X（类）Y（款）Z（项）` path names (or `X（类）`, `X（类）Y（款）`).
fn path_row<'t, A>(t5: &ByCode<'t, A>, key: &str) -> Option<&'t FunctionRow<A>> {
    let mut names: [&str; 3] = [""; 3];
    let mut n = 0;
    let mut rest = key;
    for marker in ["（类）", "（款）", "（项）"] {
        // each marker starts with `（`: found by that character, without setting up a
        // substring searcher for every statement
        let Some(i) = rest
            .match_indices('（')
            .map(|(i, _)| i)
            .find(|i| rest[*i..].starts_with(marker))
        else {
            break;
        };
        names[n] = &rest[..i];
        n += 1;
        rest = &rest[i + marker.len()..];
    }
    if n == 0 || !rest.is_empty() {
        return None;
    }
    let level = [
        FunctionLevel::Class,
        FunctionLevel::Kuan,
        FunctionLevel::Xiang,
    ][n - 1];
    let table = t5.table();
    if t5.ascending() {
        // In ascending code order a row's 类 and 款 rows, when printed, are the last 类 and
        // 款 rows above it: any 类 or 款 code between a parent's and its child's is the
        // parent's. So one pass keeps those rows instead of looking each ancestor up.
        let mut above: [Option<&FunctionRow<A>>; 2] = [None; 2];
        return table.rows.iter().find(|r| {
            let Some(code) = r.code else { return false };
            let row_level = code.level();
            if row_level != level {
                match row_level {
                    FunctionLevel::Class => above[0] = Some(r),
                    FunctionLevel::Kuan => above[1] = Some(r),
                    FunctionLevel::Xiang => {}
                }
                return false;
            }
            if !same_name(&r.name, names[n - 1]) {
                return false;
            }
            let mut ancestor = code.parent();
            (0..n - 1).rev().all(|i| {
                let Some(c) = ancestor else { return false };
                ancestor = c.parent();
                above[i].is_some_and(|row| row.code == Some(c) && same_name(&row.name, names[i]))
            })
        });
    }
    table.rows.iter().find(|r| {
        let Some(code) = r.code.filter(|c| c.level() == level) else {
            return false;
        };
        // The row's own name first: it rules out most rows without walking the parents.
        if !same_name(&r.name, names[n - 1]) {
            return false;
        }
        let mut ancestor = Some(code);
        (0..n).rev().all(|i| {
            let Some(c) = ancestor else { return false };
            ancestor = c.parent();
            table
                .row(&c)
                .is_some_and(|row| same_name(&row.name, names[i]))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keys_without_their_prefixes() {
        let department = "乌鲁木齐市工业和信息化局";
        for (subject, key, borrowed) in [
            ("乌鲁木齐市工业和信息化局2025年支出预算", "支出预算", true),
            ("乌鲁木齐市工业和信息化局 2025 年支出预算", "支出预算", true),
            ("乌鲁木齐市 工业和信息化局的“三公”经费", "三公经费", false),
            ("2025年的一般公共预算(补助)", "一般公共预算（补助）", false),
            ("12345年收入", "12345年收入", true),
            ("202年收入", "202年收入", true),
            ("工业和信息化局收入预算", "工业和信息化局收入预算", true),
            ("乌鲁木齐市工业", "乌鲁木齐市工业", true),
            ("", "", true),
        ] {
            let k = subject_key(subject, department);
            assert_eq!(k, key, "{subject:?}");
            assert_eq!(matches!(k, Cow::Borrowed(_)), borrowed, "{subject:?}");
        }
        assert_eq!(subject_key("2025年 收入", ""), "收入");
    }
}
