//! `R.leak` in publishable text: any secret a classified project carries
//! ([`budgetflow_model::secrets`]: its withheld description, its target table) printed
//! anywhere the public reads — the cover, 部门概况, a table's caption, notes or row names, a
//! paragraph or what it states, another project's description or target table, the
//! department-wide targets, 其他重要事项, the glossary.
//!
//! The secrets are listed once and searched for in every text at once; a document whose
//! classified projects withhold everything (the usual case) has none, and costs only the
//! listing.

use std::collections::HashSet;

use budgetflow_model::narrative::{Block, ProjectDescription, Section};
use budgetflow_model::performance::{DepartmentTargets, Indicator, ProjectTargets};
use budgetflow_model::secrets::{Finder, Secrets};
use budgetflow_model::tables::{Columns, FunctionTable, ProjectName, TableHeader};
use budgetflow_model::{Document, SectionTopic, TableKind};

use crate::catalog::R_LEAK;
use crate::engine::Checker;
use crate::finding::{Figure, Finding, Place};
use crate::rule::Lang;

/// A shown value is cut to this many characters.
const SHOWN: usize = 64;

pub fn check(ck: &mut Checker) {
    let secrets = Secrets::of(ck.doc);
    if secrets.is_empty() {
        return;
    }
    let finder = match secrets.finder() {
        Ok(finder) => finder,
        Err(e) => {
            ck.push(Finding::new(&R_LEAK, Place::Document).detail(
                format!("{} 条不予公开的内容无法逐一检查", e.secrets),
                e.to_string(),
            ));
            return;
        }
    };
    let mut scan = Scan {
        finder: &finder,
        seen: HashSet::new(),
        found: Vec::new(),
    };
    scan.document(ck.doc);
    for finding in scan.found {
        ck.push(finding);
    }
}

/// Where in its place a text is printed: a row or field by its name, a paragraph or an item by
/// its number. Written out only for a finding.
#[derive(Clone, Copy)]
enum Name<'a> {
    Text(&'a str),
    /// `第n段` of a section
    Paragraph(usize),
    /// `<label> 第n<unit>` (`主要职能 第2段`)
    Numbered(&'static str, usize, &'static str),
    /// `<table> 第n项指标`
    Indicator(&'a str, usize),
}

impl Name<'_> {
    fn render(self) -> String {
        match self {
            Name::Text(s) => shown(s),
            Name::Paragraph(n) => format!("第{n}段"),
            Name::Numbered(label, n, unit) => format!("{label} 第{n}{unit}"),
            Name::Indicator(table, n) => format!("{} 第{n}项指标", shown(table)),
        }
    }
}

/// The search through one document, finding by finding.
struct Scan<'f, 's> {
    finder: &'f Finder<'s>,
    /// (place, row or paragraph, secret): a paragraph and the statements read from it are one
    /// finding.
    seen: HashSet<(Place, String, &'s str)>,
    found: Vec<Finding>,
}

impl<'s> Scan<'_, 's> {
    /// Reports every secret in `text`, printed at `place`, in row or paragraph `name`, column
    /// or field `column`.
    fn text(&mut self, place: Place, name: Name<'_>, column: &'static str, text: &str) {
        for hit in self.finder.find_iter(text.as_bytes()) {
            let secret = hit.secret;
            let name = name.render();
            if !self
                .seen
                .insert((place, name.clone(), secret.text.as_str()))
            {
                continue;
            }
            let mut finding = Finding::new(&R_LEAK, place)
                .name(name)
                .column(column)
                .detail(
                    format!(
                        "这段文字出自不予公开的{}（{}）",
                        secret.origin.label(Lang::Zh),
                        secret.origin.path()
                    ),
                    format!(
                        "this text is the withheld {} ({})",
                        secret.origin.label(Lang::En),
                        secret.origin.path()
                    ),
                );
            finding.expected = None;
            finding.actual = Some(Figure::text(shown(&secret.text)));
            self.found.push(finding);
        }
    }

    fn document(&mut self, doc: &Document) {
        let d = Place::Document;
        self.text(d, Name::Text("封面"), "标题", &doc.identity.title);
        if let Some(signature) = &doc.identity.signature {
            self.text(d, Name::Text("落款"), "落款", signature);
        }
        self.overview(doc);
        self.tables(doc);
        for section in &doc.narrative.sections {
            self.section(section);
        }
        if let Some(assets) = &doc.other_matters.assets {
            let place = Place::Section(SectionTopic::OtherMatters);
            if let Some(as_of) = &assets.as_of {
                self.text(place, Name::Text("国有资产占用使用情况"), "截至", as_of);
            }
            for v in &assets.vehicles {
                self.text(place, Name::Text("国有资产占用使用情况"), "车辆", &v.kind);
            }
        }
        for g in &doc.glossary {
            self.text(Place::Glossary, Name::Text(&g.term), "名词", &g.term);
            self.text(Place::Glossary, Name::Text(&g.term), "解释", &g.definition);
        }
    }

    fn overview(&mut self, doc: &Document) {
        let o = &doc.overview;
        let p = Place::Overview;
        for (i, t) in o.functions_text.iter().enumerate() {
            self.text(p, Name::Numbered("主要职能", i + 1, "段"), "正文", t);
        }
        for (i, t) in o.organisation_text.iter().enumerate() {
            self.text(
                p,
                Name::Numbered("机构设置及人员情况", i + 1, "段"),
                "正文",
                t,
            );
        }
        for (i, t) in o.functions.iter().enumerate() {
            self.text(p, Name::Numbered("主要职能", i + 1, "项"), "职能", t);
        }
        for t in &o.offices {
            self.text(p, Name::Text(t), "内设科室", t);
        }
        for u in &o.units {
            self.text(p, Name::Text(&u.name), "预算单位", &u.name);
        }
    }

    fn header(&mut self, place: Place, h: &TableHeader) {
        self.text(place, Name::Text(&h.title), "标题", &h.title);
        if let Some(compiler) = &h.compiler {
            self.text(place, Name::Text(compiler), "编制部门", compiler);
        }
        for note in &h.notes {
            self.text(place, Name::Text("表注"), "表注", note);
        }
    }

    fn function_table<A: Columns>(&mut self, kind: TableKind, t: &Option<FunctionTable<A>>) {
        let Some(t) = t else { return };
        let place = Place::Table(kind);
        self.header(place, &t.header);
        for r in &t.rows {
            self.text(place, Name::Text(&r.name), "科目名称", &r.name);
        }
    }

    fn tables(&mut self, doc: &Document) {
        let t = &doc.tables;
        if let Some(t1) = &t.overall {
            let place = Place::Table(TableKind::Overall);
            self.header(place, &t1.header);
            for l in &t1.revenue {
                self.text(place, Name::Text(&l.label), "项目", &l.label);
            }
            for c in &t1.expenditure {
                self.text(place, Name::Text(&c.name), "功能分类", &c.name);
            }
        }
        self.function_table(TableKind::Revenue, &t.revenue);
        self.function_table(TableKind::Expenditure, &t.expenditure);
        if let Some(t4) = &t.appropriation {
            let place = Place::Table(TableKind::Appropriation);
            self.header(place, &t4.header);
            for l in &t4.revenue {
                self.text(place, Name::Text(&l.label), "项目", &l.label);
            }
            for c in &t4.expenditure {
                self.text(place, Name::Text(&c.name), "功能分类", &c.name);
            }
        }
        self.function_table(TableKind::GeneralBudget, &t.general_budget);
        if let Some(t6) = &t.basic {
            let place = Place::Table(TableKind::Basic);
            self.header(place, &t6.header);
            for r in &t6.rows {
                self.text(place, Name::Text(&r.name), "科目名称", &r.name);
            }
        }
        if let Some(t7) = &t.projects {
            let place = Place::Table(TableKind::Projects);
            self.header(place, &t7.header);
            for r in &t7.rows {
                self.text(place, Name::Text(&r.name), "功能分类科目名称", &r.name);
                if let Some(p) = &r.project {
                    self.text(place, Name::Text(p.as_str()), "项目名称", p.as_str());
                }
            }
        }
        self.function_table(TableKind::GovFund, &t.gov_fund);
        self.function_table(TableKind::SoeCapital, &t.soe_capital);
        if let Some(t10) = &t.three_public {
            let place = Place::Table(TableKind::ThreePublic);
            self.header(place, &t10.header);
            for r in &t10.rows {
                self.text(place, Name::Text(&r.label), "项目", &r.label);
            }
        }
        if let Some(t11) = &t.carry_over {
            let place = Place::Table(TableKind::CarryOver);
            self.header(place, &t11.header);
            for r in &t11.rows {
                self.text(place, Name::Text(&r.name), "项目", &r.name);
            }
        }
        for u in &t.unrecognised {
            self.header(Place::Document, &u.header);
            for cell in u.lines.iter().flatten() {
                self.text(Place::Document, Name::Text(&u.header.title), "单元格", cell);
            }
        }
    }

    fn section(&mut self, section: &Section) {
        let place = section.topic.map_or(Place::Document, Place::Section);
        self.text(place, Name::Text(&section.title), "标题", &section.title);
        let mut paragraph = 0;
        for block in &section.blocks {
            match block {
                Block::Heading(h) => self.text(place, Name::Text(&h.title), "小标题", &h.title),
                Block::Paragraph(p) => {
                    paragraph += 1;
                    let name = Name::Paragraph(paragraph);
                    self.text(place, name, "正文", &p.text);
                    for s in &p.statements {
                        let stated = [&s.subject]
                            .into_iter()
                            .chain(&s.reason)
                            .chain(&s.purpose)
                            .chain(&s.includes);
                        for t in stated {
                            self.text(place, name, "正文", t);
                        }
                    }
                }
                Block::Project(p) => self.description(place, p),
                Block::ProjectTargets(t) => self.project_targets(t),
                Block::DepartmentTargets(t) => self.department_targets(t),
            }
        }
    }

    /// A §七 description: a classified one prints only its name (its other fields are where
    /// the secrets come from); a public one prints every field.
    fn description(&mut self, place: Place, p: &ProjectDescription) {
        let name = Name::Text(p.name.as_str());
        self.text(place, name, "项目名称", p.name.as_str());
        if p.name.is_classified() {
            return;
        }
        if let Some(basis) = p.policy_basis.stated() {
            self.text(place, name, "设立的政策依据", basis);
        }
        if let Some(implementer) = &p.implementer {
            self.text(place, name, "项目承担单位", implementer);
        }
        if let Some(a) = p.allocation.stated() {
            self.text(place, name, "资金分配情况", &a.text);
            for item in &a.items {
                self.text(place, name, "资金分配情况", &item.purpose);
            }
        }
        if let Some(period) = p.period.stated() {
            self.text(place, name, "资金执行时间", &period.text);
        }
    }

    fn project_targets(&mut self, t: &ProjectTargets) {
        let place = Place::Targets;
        let name = Name::Text(&t.project);
        self.text(place, name, "项目名称", &t.project);
        self.text(place, name, "年度", &t.year_label);
        if ProjectName::new(t.project.as_str()).is_classified() {
            return;
        }
        self.text(place, name, "预算单位", &t.budget_unit);
        if let Some(manager) = &t.manager {
            self.text(place, name, "项目负责人", manager);
        }
        self.text(place, name, "项目总体目标", &t.goal);
        self.indicators(&t.project, &t.indicators);
    }

    fn department_targets(&mut self, t: &DepartmentTargets) {
        let place = Place::Targets;
        const TABLE: &str = "部门整体绩效目标表";
        let name = Name::Text(TABLE);
        self.text(place, name, "年度", &t.year_label);
        self.text(place, name, "部门名称", &t.department);
        for (column, value) in [("联系人", &t.contact), ("联系电话", &t.phone)] {
            if let Some(value) = value {
                self.text(place, name, column, value);
            }
        }
        self.text(place, name, "年度绩效目标", &t.goal);
        for f in &t.funds {
            self.text(place, name, "资金来源", &f.category);
            self.text(place, name, "资金来源", &f.source);
        }
        self.indicators(TABLE, &t.indicators);
    }

    fn indicators(&mut self, table: &str, indicators: &[Indicator]) {
        for (i, ind) in indicators.iter().enumerate() {
            let name = Name::Indicator(table, i + 1);
            let cells = [
                ("一级指标", Some(&ind.level1)),
                ("二级指标", Some(&ind.level2)),
                ("三级指标", Some(&ind.level3)),
                ("指标值", Some(&ind.target.raw)),
                ("指标值设置依据", ind.basis.as_ref()),
                ("上年完成值", ind.last_year.as_ref().map(|v| &v.raw)),
                ("佐证资料", ind.evidence.as_ref()),
            ];
            for (column, cell) in cells {
                if let Some(cell) = cell {
                    self.text(Place::Targets, name, column, cell);
                }
            }
            if let Some(rule) = &ind.rule {
                self.text(Place::Targets, name, "指标赋分规则", rule.label());
            }
        }
    }
}

/// `s` cut to [`SHOWN`] characters, `…` marking the cut.
fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
