//! The writer: a document back to the text layout, so that `read(write(doc)) == doc`.
//!
//! Tables are written from their typed rows with the standard headers of the Xinjiang
//! template; narrative paragraphs are written verbatim; the table of contents is regenerated.

use budgetflow_model::narrative::{Block, Disclosed, ProjectDescription};
use budgetflow_model::performance::{
    DepartmentTargets, Indicator, IndicatorLayout, ProjectTargets,
};
use budgetflow_model::tables::{
    AppropriationTable, BasicTable, CarryOverTable, Columns, FunctionTable, OverallTable,
    ProjectTable, TableHeader, TableKind, ThreePublicTable,
};
use budgetflow_model::{Amount, Document};

use super::projects::WITHHELD;
use super::targets::{DEPARTMENT_TITLE, PROJECT_TITLE};
use crate::numerals;

/// Writes `doc` in the text layout.
pub fn write(doc: &Document) -> String {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
    };
    w.cover(doc);
    w.overview(doc);
    w.tables(doc);
    w.narrative(doc);
    w.glossary(doc);
    w.out
}

struct Writer {
    out: String,
}

/// The 类/款/项 cells of a functional code (blank for a 总计 row).
fn code_cells(code: Option<&budgetflow_model::FunctionCode>) -> Vec<String> {
    match code {
        Some(c) => vec![
            c.class_part().into(),
            c.kuan_part().unwrap_or("").into(),
            c.xiang_part().unwrap_or("").into(),
        ],
        None => vec![String::new(); 3],
    }
}

/// The header rows of 表3 and 表5, which differ only in the heading over the amounts.
fn expenditure_header(heading: &str) -> [String; 3] {
    [
        format!("科目\t\t\t{heading}\t\t\t"),
        "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出".to_string(),
        "类\t款\t项\t\t\t\t".to_string(),
    ]
}

fn amount(a: Option<Amount>) -> String {
    a.map(|a| a.grouped()).unwrap_or_default()
}

impl Writer {
    fn para(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }

    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line = cells
            .iter()
            .map(|c| c.as_ref())
            .collect::<Vec<_>>()
            .join("\t");
        self.out.push_str(&line);
        self.out.push('\n');
    }

    fn cover(&mut self, doc: &Document) {
        let y = doc.identity.fiscal_year;
        self.out.push('\n');
        self.para(&doc.identity.department);
        self.para(&doc.identity.title);
        self.para("目 录");
        self.para(&format!("第一部分 {y} 年部门概况"));
        self.para("- 一、 主要职能\n- 二、 机构设置及人员情况");
        self.para(&format!("第二部分 {y} 年部门预算公开表"));
        let tables: Vec<String> = TableKind::ALL
            .iter()
            .filter_map(|k| doc.tables.header(*k))
            .enumerate()
            .map(|(i, h)| format!("- {}、 {}", numerals::format(i as u32 + 1), h.title))
            .collect();
        if !tables.is_empty() {
            self.para(&tables.join("\n"));
        }
        self.para(&format!("第三部分 {y} 年部门预算情况说明"));
        let sections: Vec<String> = doc
            .narrative
            .sections
            .iter()
            .map(|s| format!("- {}、 {}", numerals::format(s.number), s.title))
            .collect();
        if !sections.is_empty() {
            self.para(&sections.join("\n"));
        }
        self.para("第四部分 名词解释");
    }

    fn overview(&mut self, doc: &Document) {
        let o = &doc.overview;
        self.para(&format!("第一部分 {} 年部门概况", doc.identity.fiscal_year));
        self.para("一、主要职能");
        for p in &o.functions_text {
            self.para(p);
        }
        self.para("二、机构设置及人员情况");
        for p in &o.organisation_text {
            self.para(p);
        }
    }

    fn header(&mut self, h: &TableHeader) {
        self.para(&format!("表 {}", h.number));
        self.para(&h.title);
        if let Some(c) = &h.compiler {
            self.para(&format!("编制部门：{c}"));
        }
        self.para(&format!("单位：{}", h.unit.label()));
    }

    fn notes(&mut self, h: &TableHeader) {
        self.out.push('\n');
        for n in &h.notes {
            self.para(n);
        }
    }

    fn marker(&mut self, labels: usize, columns: usize) {
        let mut cells: Vec<String> = vec!["※".into(); labels];
        cells.extend((1..=columns).map(|i| i.to_string()));
        self.row(&cells);
    }

    fn tables(&mut self, doc: &Document) {
        self.para(&format!(
            "第二部分 {} 年部门预算公开表",
            doc.identity.fiscal_year
        ));
        let t = &doc.tables;
        if let Some(x) = &t.overall {
            self.overall(x);
        }
        if let Some(x) = &t.revenue {
            self.function_table(x, &[
                "功能分类科目编码\t\t\t功能分类科目名称\t总计\t财政拨款（补助）\t\t\t\t\t\t财政专户（教育收费）\t单位资金\t财政拨款结转\t非财政拨款结转结余\t",
                "类\t款\t项\t\t\t财政拨款(补助)小计\t一般公共预算\t上级一般公共预算安排的转移支付\t政府性基金预算\t上级政府性基金安排的转移支付\t国有资本经营预算\t\t\t\t\t上级国有资本经营预算安排的转移支付",
            ]);
        }
        if let Some(x) = &t.expenditure {
            self.function_table(x, &expenditure_header("支出预算"));
        }
        if let Some(x) = &t.appropriation {
            self.appropriation(x);
        }
        if let Some(x) = &t.general_budget {
            self.function_table(x, &expenditure_header("一般公共预算支出"));
        }
        if let Some(x) = &t.basic {
            self.basic(x);
        }
        if let Some(x) = &t.projects {
            self.projects(x);
        }
        for (x, label) in [
            (&t.gov_fund, "政府性基金预算支出"),
            (&t.soe_capital, "国有资本经营预算支出"),
        ] {
            if let Some(x) = x {
                let first = format!("科目\t\t\t{label}\t\t\t\t");
                self.function_table(
                    x,
                    &[
                        &first,
                        "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t\t项目支出",
                        "类\t款\t项\t\t\t人员经费\t公用经费\t",
                    ],
                );
            }
        }
        if let Some(x) = &t.three_public {
            self.three_public(x);
        }
        if let Some(x) = &t.carry_over {
            self.carry_over(x);
        }
        for x in &t.unrecognised {
            self.header(&x.header);
            for l in &x.lines {
                self.row(l);
            }
            self.notes(&x.header);
        }
    }

    fn overall(&mut self, t: &OverallTable) {
        self.header(&t.header);
        self.row(&["收入", "", "支出", ""]);
        self.row(&["项目", "预算数", "功能分类", "预算数"]);
        let n = t.revenue.len().max(t.expenditure.len());
        for i in 0..n {
            let (l, la) = t
                .revenue
                .get(i)
                .map(|r| (r.label.clone(), amount(r.amount)))
                .unwrap_or_default();
            let (r, ra) = t
                .expenditure
                .get(i)
                .map(|e| {
                    (
                        e.code
                            .map(|c| format!("{c} {}", e.name))
                            .unwrap_or_else(|| e.name.clone()),
                        amount(e.amount),
                    )
                })
                .unwrap_or_default();
            self.row(&[l, la, r, ra]);
        }
        self.row(&[
            "收入总计".to_string(),
            amount(t.revenue_total),
            "支出总计".into(),
            amount(t.expenditure_total),
        ]);
        self.notes(&t.header);
    }

    fn appropriation(&mut self, t: &AppropriationTable) {
        self.header(&t.header);
        self.row(&["财政拨款收入", "", "财政拨款支出", "", "", "", ""]);
        self.row(&[
            "项目",
            "合计",
            "功能分类",
            "合计",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
        ]);
        let n = t.revenue.len().max(t.expenditure.len());
        for i in 0..n {
            let mut cells: Vec<String> = match t.revenue.get(i) {
                Some(r) => vec![r.label.clone(), amount(r.amount)],
                None => vec![String::new(), String::new()],
            };
            match t.expenditure.get(i) {
                Some(e) => {
                    cells.push(
                        e.code
                            .map(|c| format!("{c} {}", e.name))
                            .unwrap_or_else(|| e.name.clone()),
                    );
                    cells.extend(e.amounts.cells().into_iter().map(amount));
                }
                None => cells.extend(std::iter::repeat_n(String::new(), 5)),
            }
            self.row(&cells);
        }
        let mut total = vec![
            "收入总计".to_string(),
            amount(t.revenue_total),
            "支出总计".into(),
        ];
        total.extend(t.expenditure_total.cells().into_iter().map(amount));
        self.row(&total);
        self.notes(&t.header);
    }

    fn function_table<A: Columns>(
        &mut self,
        t: &FunctionTable<A>,
        header_rows: &[impl AsRef<str>],
    ) {
        self.header(&t.header);
        for h in header_rows {
            self.out.push_str(h.as_ref());
            self.out.push('\n');
        }
        self.marker(4, A::STANDARD);
        for r in &t.rows {
            let mut cells = code_cells(r.code.as_ref());
            cells.push(r.name.clone());
            cells.extend(r.amounts.standard_cells().into_iter().map(amount));
            self.row(&cells);
        }
        self.notes(&t.header);
    }

    fn basic(&mut self, t: &BasicTable) {
        self.header(&t.header);
        self.row(&[
            "经济分类科目编码",
            "",
            "科目",
            "一般公共预算基本支出",
            "",
            "",
        ]);
        self.row(&[
            "类",
            "款",
            "经济分类科目名称",
            "合计",
            "人员经费",
            "公用经费",
        ]);
        self.marker(3, 3);
        for r in &t.rows {
            let mut cells: Vec<String> = match &r.code {
                Some(c) => vec![c.class_part().into(), c.kuan_part().unwrap_or("").into()],
                None => vec![String::new(); 2],
            };
            cells.push(r.name.clone());
            cells.extend(r.amounts.cells().into_iter().map(amount));
            self.row(&cells);
        }
        self.notes(&t.header);
    }

    fn projects(&mut self, t: &ProjectTable) {
        self.header(&t.header);
        self.out.push_str("科目编码\t\t\t功能分类科目名称\t项目名称\t项目支出合计\t工资福利支出\t商品和服务支出\t对个人和家庭的补助\t债务利息及费用支出\t资本性支出（基本建设）\t资本性支出\t对企业补助（基本建设）\t对企业补助\t对社会保障基金补助\t其他支出\n");
        self.out.push_str("类\t款\t项\t\t\t\t\t\t\t\t\t\t\t\t\t\n");
        self.marker(5, 11);
        for r in &t.rows {
            let mut cells = code_cells(r.code.as_ref());
            cells.push(r.name.clone());
            cells.push(
                r.project
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            );
            cells.extend(r.amounts.cells().into_iter().map(amount));
            self.row(&cells);
        }
        self.notes(&t.header);
    }

    fn three_public(&mut self, t: &ThreePublicTable) {
        self.header(&t.header);
        self.row(&["“三公”经费支出内容", "合计", "资金来源", "", ""]);
        self.row(&["", "", "一般公共预算", "政府性基金", "国有资本经营预算"]);
        self.marker(1, 4);
        for r in &t.rows {
            let mut cells = vec![r.label.clone()];
            cells.extend(r.amounts.cells().into_iter().map(amount));
            self.row(&cells);
        }
        self.notes(&t.header);
    }

    fn carry_over(&mut self, t: &CarryOverTable) {
        self.header(&t.header);
        self.row(&[
            "项目",
            "合计",
            "财政拨款",
            "",
            "",
            "",
            "非财政拨款",
            "",
            "",
            "",
        ]);
        self.row(&[
            "",
            "",
            "小计",
            "基本支出",
            "",
            "项目支出",
            "小计",
            "基本支出",
            "",
            "项目支出",
        ]);
        self.row(&[
            "",
            "",
            "",
            "人员经费",
            "公用经费",
            "",
            "",
            "人员经费",
            "公用经费",
            "",
        ]);
        self.marker(1, 9);
        for r in &t.rows {
            let mut cells = vec![r.name.clone()];
            cells.extend(r.amounts.cells().into_iter().map(amount));
            self.row(&cells);
        }
        self.notes(&t.header);
    }

    fn narrative(&mut self, doc: &Document) {
        self.para(&format!(
            "第三部分 {} 年部门预算情况说明",
            doc.identity.fiscal_year
        ));
        for s in &doc.narrative.sections {
            self.para(&format!("{}、{}", numerals::format(s.number), s.title));
            for b in &s.blocks {
                match b {
                    Block::Heading(h) => {
                        self.para(&format!("（{}）{}", numerals::format(h.number), h.title))
                    }
                    Block::Paragraph(p) => self.para(&p.text),
                    Block::Project(p) => self.project(p),
                    Block::DepartmentTargets(t) => self.department_targets(t),
                    Block::ProjectTargets(t) => self.project_targets(t),
                }
            }
        }
    }

    fn project(&mut self, p: &ProjectDescription) {
        let text = |d: &Disclosed<String>| match d {
            Disclosed::Withheld => format!("{WITHHELD}。"),
            Disclosed::Stated(s) => s.clone(),
        };
        self.para(&format!(
            "（{}）项目名称：{}",
            numerals::format_long(p.number),
            p.name
        ));
        self.para(&format!("设立的政策依据：{}", text(&p.policy_basis)));
        if let Some(a) = p.amount {
            self.para(&format!("预算安排规模：{} {}", a.grouped(), p.unit.label()));
        }
        if let Some(i) = &p.implementer {
            self.para(&format!("项目承担单位：{i}"));
        }
        let allocation = match &p.allocation {
            Disclosed::Withheld => format!("{WITHHELD}。"),
            Disclosed::Stated(a) => a.text.clone(),
        };
        self.para(&format!("资金分配情况：{allocation}"));
        let period = match &p.period {
            Disclosed::Withheld => format!("{WITHHELD}。"),
            Disclosed::Stated(a) => a.text.clone(),
        };
        self.para(&format!("资金执行时间：{period}"));
    }

    fn indicators(&mut self, layout: &IndicatorLayout, indicators: &[Indicator]) {
        self.row(&layout.columns);
        let (mut prev1, mut prev2) = (None::<&str>, None::<&str>);
        for i in indicators {
            let l1 = if prev1 != Some(i.level1.as_str()) {
                i.level1.as_str()
            } else {
                ""
            };
            let l2 = if l1.is_empty() && prev2 == Some(i.level2.as_str()) {
                ""
            } else {
                i.level2.as_str()
            };
            prev1 = Some(&i.level1);
            prev2 = Some(&i.level2);
            let mut cells = vec![l1.to_string(), l2.to_string(), i.level3.clone()];
            cells.extend(layout.columns.iter().skip(3).map(|c| layout.cell(i, c)));
            self.row(&cells);
        }
        self.out.push('\n');
    }

    fn department_targets(&mut self, t: &DepartmentTargets) {
        self.para(DEPARTMENT_TITLE);
        self.para(&t.year_label);
        self.row(&["部门名称 (盖章)", "", &t.department, "", "", ""]);
        self.row(&[
            "部门联系人",
            "",
            t.contact.as_deref().unwrap_or(""),
            "联系电话",
            t.phone.as_deref().unwrap_or(""),
            "",
        ]);
        self.row(&["年度绩效目标", "", &t.goal, "", "", ""]);
        self.row(&["年度预算(万元)", "", "资金来源", "", "资金总额 (万元)", ""]);
        let mut prev = None;
        for f in &t.funds {
            let category = if prev != Some(f.category.as_str()) {
                f.category.as_str()
            } else {
                ""
            };
            prev = Some(&f.category);
            self.row(&["", "", category, &f.source, &amount(f.amount), ""]);
        }
        self.indicators(&t.layout, &t.indicators);
    }

    fn project_targets(&mut self, t: &ProjectTargets) {
        self.para(PROJECT_TITLE);
        self.para(&t.year_label);
        self.row(&["预算单位", "", &t.budget_unit, "", "", "", "", "", ""]);
        self.row(&[
            "项目名称",
            "",
            &t.project,
            "",
            "",
            "",
            "项目负责人",
            t.manager.as_deref().unwrap_or(""),
            "",
        ]);
        let f = &t.funds;
        self.row(&[
            "项目资金(万元)",
            "",
            "年度预算总额",
            &amount(f.total),
            "其中：财政拨款",
            &amount(f.fiscal),
            "其他资金",
            &amount(f.other),
            "",
        ]);
        self.row(&["项目总体目标", "", &t.goal, "", "", "", "", "", ""]);
        self.indicators(&t.layout, &t.indicators);
    }

    fn glossary(&mut self, doc: &Document) {
        self.para("第四部分 名词解释");
        for g in &doc.glossary {
            let mut lines = g.definition.split('\n');
            let first = lines.next().unwrap_or("");
            self.para(&format!(
                "{}、**{}**:{}",
                numerals::format(g.number),
                g.term,
                first
            ));
            for l in lines {
                self.para(l);
            }
        }
        if let Some(s) = &doc.identity.signature {
            self.para(s);
        }
        if let Some(d) = doc.identity.published {
            self.para(&d.format("%Y年%-m月%-d日").to_string());
        }
    }
}
