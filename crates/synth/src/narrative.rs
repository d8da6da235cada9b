//! 第三部分 情况说明: sections 一 … 十二 in the sample's sentence patterns, stating the same
//! figures as the tables, with shares, changes, rates and a reason for every change.

use budgetflow_model::narrative::{
    Allocation, AllocationItem, Block, Disclosed, Heading, Paragraph, Period, ProjectDescription,
    Section, SectionTopic,
};
use budgetflow_model::tables::{ProjectName, TableKind};
use budgetflow_model::{Catalog, FiscalYear, FunctionCode, FunctionLevel};
use chrono::NaiveDate;

use crate::budget::{Budget, Ledger, Project};
use crate::classified;
use crate::department::Department;
use crate::matters::Matters;
use crate::money::{amount, printed, share, Cents, YearOnYear};
use crate::reasons::{self, ThreePublicItem};
use crate::tables::{empty_carry_over_note, empty_fund_note, function_name};

/// `1` → 一, `10` → 一十, `11` → 一十一, `21` → 二十一 (the sample's ordinals).
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let ones = match n % 10 {
                0 => "",
                d => DIGITS[d as usize],
            };
            format!("{}十{ones}", DIGITS[(n / 10) as usize])
        }
        _ => n.to_string(),
    }
}

pub fn heading(number: u32, title: &str) -> Block {
    Block::Heading(Heading {
        number,
        title: title.to_string(),
    })
}

pub fn paragraph(text: String) -> Block {
    Block::Paragraph(Paragraph {
        text,
        statements: Vec::new(),
        page: None,
    })
}

/// Everything the narrative reads from.
pub struct Inputs<'a> {
    pub dept: &'a Department,
    pub budget: &'a Budget,
    pub matters: &'a Matters,
    /// §十二(四) blocks: the performance summary and the target tables.
    pub performance: Vec<Block>,
}

pub fn sections(inputs: Inputs<'_>) -> Vec<Section> {
    let Inputs {
        dept,
        budget,
        matters,
        performance,
    } = inputs;
    let catalog = Catalog::for_year(FiscalYear::new(dept.year).unwrap_or_else(|e| panic!("{e}")));
    let n = Narrator {
        dept,
        budget,
        catalog,
        totals: budget.totals(),
        last: budget.last_totals(),
    };
    let (d, y) = (&dept.name, dept.year);
    let mut other = matters.blocks(dept);
    other.push(heading(4, "预算绩效情况"));
    other.extend(performance);
    other.push(heading(5, "其他需说明的事项"));
    other.push(paragraph(n.classified_summary()));
    vec![
        section(
            SectionTopic::Overall,
            format!("关于{d} {y} 年收支预算情况总体说明"),
            n.overall(),
        ),
        section(
            SectionTopic::Revenue,
            format!("关于{d} {y} 年收入预算情况说明"),
            n.revenue(),
        ),
        section(
            SectionTopic::Expenditure,
            format!("关于{d} {y} 年支出预算情况说明"),
            n.expenditure(),
        ),
        section(
            SectionTopic::Appropriation,
            format!("关于{d} {y} 年财政拨款收支预算情况的总体说明"),
            n.appropriation(),
        ),
        section(
            SectionTopic::GeneralBudget,
            format!("关于{d} {y} 年一般公共预算当年拨款情况说明"),
            n.general_budget(),
        ),
        section(
            SectionTopic::Basic,
            format!("关于{d} {y} 年一般公共预算基本支出情况说明"),
            n.basic(),
        ),
        section(
            SectionTopic::Projects,
            format!("关于{d} {y} 年一般公共预算项目支出情况说明"),
            n.projects(),
        ),
        section(
            SectionTopic::GovFund,
            format!("关于{d} {y} 年政府性基金预算拨款情况说明"),
            vec![paragraph(empty_fund_note(dept, TableKind::GovFund))],
        ),
        section(
            SectionTopic::SoeCapital,
            format!("关于{d} {y} 年国有资本经营预算拨款情况说明"),
            vec![paragraph(empty_fund_note(dept, TableKind::SoeCapital))],
        ),
        section(
            SectionTopic::ThreePublic,
            format!("关于{d} {y} 年财政拨款“三公”经费预算情况说明"),
            n.three_public(matters),
        ),
        section(
            SectionTopic::CarryOver,
            format!("关于{d} {y} 年上年结转结余预算情况说明"),
            n.carry_over(),
        ),
        section(
            SectionTopic::OtherMatters,
            "其他重要事项的情况说明".to_string(),
            other,
        ),
    ]
}

fn section(topic: SectionTopic, title: String, blocks: Vec<Block>) -> Section {
    Section {
        number: topic.standard_number(),
        topic: Some(topic),
        title,
        blocks,
    }
}

/// `一般公共预算 2,794.98 万元，占 41.57%，比上年预算减少 1,754.77 万元，下降 38.57%，主要原因是…。`
fn item_with_share(subject: &str, yoy: YearOnYear, whole: Cents, reason: &str) -> String {
    format!(
        "{subject} {} 万元，占 {}%，比上年预算{}，主要原因是{reason}。",
        printed(yoy.current),
        share(yoy.current, whole),
        yoy.phrase()
    )
}

/// The largest unclassified project among `projects`.
fn largest<'a>(projects: impl Iterator<Item = &'a Project>) -> Option<&'a str> {
    projects
        .filter(|p| !p.is_classified())
        .max_by_key(|p| p.cents)
        .map(|p| p.name.as_str())
}

struct Narrator<'a> {
    dept: &'a Department,
    budget: &'a Budget,
    catalog: &'static Catalog,
    totals: Ledger,
    last: Ledger,
}

impl Narrator<'_> {
    fn name(&self, code: &FunctionCode) -> &'static str {
        function_name(self.catalog, code)
    }

    fn overall(&self) -> Vec<Block> {
        let (d, y, t) = (&self.dept.name, self.dept.year, &self.totals);
        let mut sources = vec!["一般公共预算"];
        if t.fiscal_carry > 0 {
            sources.push("财政拨款结转结余");
        }
        if t.non_fiscal_carry > 0 {
            sources.push("非财政拨款结转结余");
        }
        let classes: Vec<&str> = self
            .budget
            .classes(|_| true)
            .iter()
            .map(|(c, _)| self.name(c))
            .collect();
        vec![
            paragraph(format!("按照全口径预算的原则，{d} {y} 年所有收入和支出均纳入部门预算管理。收支总预算 {} 万元。", printed(t.total()))),
            paragraph(format!("收入预算包括：{}。", sources.join("、"))),
            paragraph(format!("支出预算包括：{}。", classes.join("、"))),
        ]
    }

    fn revenue(&self) -> Vec<Block> {
        let (d, y, t, last) = (&self.dept.name, self.dept.year, &self.totals, &self.last);
        let whole = t.total();
        let projects = &self.budget.projects;
        let own = YearOnYear::new(t.own(), last.own());
        let transfer = YearOnYear::new(t.transfer_project, last.transfer_project);
        let fiscal = YearOnYear::new(t.fiscal_carry, self.budget.fiscal_carry_last);
        let non_fiscal = YearOnYear::new(t.non_fiscal_carry, self.budget.non_fiscal_carry_last);
        let mut blocks = vec![
            paragraph(format!("{d}部门收入预算 {} 万元，其中：", printed(whole))),
            paragraph(item_with_share(
                "一般公共预算",
                own,
                whole,
                &reasons::own_budget(y, own, largest(projects.iter().filter(|p| !p.transfer))),
            )),
        ];
        let transfer_name = largest(projects.iter().filter(|p| p.transfer));
        blocks.push(paragraph(if transfer == YearOnYear::new(0, 0) {
            "上级一般公共预算安排的转移支付资金未安排。".to_string()
        } else {
            item_with_share(
                "上级一般公共预算安排的转移支付资金",
                transfer,
                whole,
                &reasons::transfer(y, transfer, transfer_name),
            )
        }));
        for line in [
            "政府性基金预算未安排。",
            "上级政府性基金安排的转移支付资金未安排。",
            "国有资本经营预算未安排。",
            "上级国有资本经营预算安排的转移支付资金未安排。",
        ] {
            blocks.push(paragraph(line.to_string()));
        }
        blocks.push(paragraph(if fiscal.current == 0 {
            "财政拨款结转未安排。".to_string()
        } else {
            item_with_share(
                "财政拨款结转",
                fiscal,
                whole,
                &reasons::fiscal_carry_over(y, fiscal),
            )
        }));
        let non_fiscal_item = self
            .budget
            .carry_over
            .iter()
            .find(|c| !c.fiscal)
            .map(|c| c.name.as_str());
        blocks.push(paragraph(if non_fiscal.current == 0 {
            "非财政拨款结转结余未安排。".to_string()
        } else {
            item_with_share(
                "非财政拨款结转结余",
                non_fiscal,
                whole,
                &reasons::non_fiscal_carry_over(non_fiscal, non_fiscal_item),
            )
        }));
        blocks
    }

    fn expenditure(&self) -> Vec<Block> {
        let (d, y, t, last) = (&self.dept.name, self.dept.year, &self.totals, &self.last);
        let basic = YearOnYear::new(t.basic, last.basic);
        let projects = YearOnYear::new(
            t.all_projects(),
            last.project() + self.budget.fiscal_carry_last + self.budget.non_fiscal_carry_last,
        );
        let name = largest(self.budget.projects.iter());
        vec![
            paragraph(format!(
                "{d} {y} 年支出预算 {} 万元，其中：",
                printed(t.total())
            )),
            paragraph(item_with_share(
                "基本支出",
                basic,
                t.total(),
                &reasons::basic(basic),
            )),
            paragraph(item_with_share(
                "项目支出",
                projects,
                t.total(),
                &reasons::projects(y, projects, name),
            )),
        ]
    }

    /// What a 类 of the general budget is mainly used for (§四).
    fn purpose(&self, class: &FunctionCode, l: &Ledger) -> String {
        match class.as_str() {
            "208" => "离退休人员经费和在职人员养老保险支出".to_string(),
            "210" => "在职人员医疗保险缴费支出".to_string(),
            "221" => "在职人员住房公积金支出".to_string(),
            _ if l.basic > 0 && l.project() > 0 => {
                "在职人员经费、日常公用经费和专项经费".to_string()
            }
            _ if l.basic > 0 => "在职人员经费和日常公用经费".to_string(),
            _ => match largest(
                self.budget
                    .projects
                    .iter()
                    .filter(|p| p.code.is_within(class)),
            ) {
                Some(name) => format!("{name}等项目支出"),
                None => "专项经费".to_string(),
            },
        }
    }

    fn appropriation(&self) -> Vec<Block> {
        let (y, general) = (self.dept.year, self.totals.general());
        let uses: Vec<String> = self
            .budget
            .classes(|l| l.general() > 0)
            .iter()
            .map(|(c, l)| {
                format!(
                    "{} {} 万元，主要用于{}",
                    self.name(c),
                    printed(l.general()),
                    self.purpose(c, l)
                )
            })
            .collect();
        vec![
            paragraph(format!(
                "{y} 年财政拨款收支总预算 {} 万元。",
                printed(general)
            )),
            paragraph(
                "收入全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算。".to_string(),
            ),
            paragraph(format!(
                "收入预算包括：一般公共预算拨款 {} 万元。",
                printed(general)
            )),
            paragraph(format!("一般公共预算支出包括：{}。", uses.join("；"))),
        ]
    }

    fn general_budget(&self) -> Vec<Block> {
        let (d, y, t, last) = (&self.dept.name, self.dept.year, &self.totals, &self.last);
        let basic = YearOnYear::new(t.basic, last.basic);
        let projects = YearOnYear::new(t.project(), last.project());
        let mut blocks = vec![
            heading(1, "一般公共预算当年拨款规模变化情况"),
            paragraph(format!(
                "{d} {y} 年一般公共预算拨款合计 {} 万元，其中：",
                printed(t.general())
            )),
            paragraph(format!(
                "基本支出 {} 万元，比上年预算{}，主要原因是{}。",
                printed(basic.current),
                basic.phrase(),
                reasons::basic(basic)
            )),
            paragraph(format!(
                "项目支出 {} 万元，比上年预算{}，主要原因是{}。",
                printed(projects.current),
                projects.phrase(),
                reasons::projects(y, projects, largest(self.budget.projects.iter()))
            )),
            heading(2, "一般公共预算当年拨款结构情况"),
        ];
        let rows = self.budget.rollup(|l| l.general() > 0);
        let classes = rows.iter().filter_map(|(c, l)| {
            c.filter(|c| c.level() == FunctionLevel::Class)
                .map(|c| (c, l))
        });
        for (i, (code, l)) in classes.enumerate() {
            blocks.push(paragraph(format!(
                "{}、{}（类）{} 万元，占 {}%。",
                i + 1,
                self.name(&code),
                printed(l.general()),
                share(l.general(), t.general())
            )));
        }
        blocks.push(heading(3, "一般公共预算当年拨款具体使用情况"));
        let xiangs = self.budget.ledger.iter().filter(|(_, l)| l.general() > 0);
        for (i, (code, l)) in xiangs.enumerate() {
            let before = self.budget.last.get(code).copied().unwrap_or_default();
            let yoy = YearOnYear::new(l.general(), before.general());
            let kuan = code.parent().unwrap_or(*code);
            let project = largest(self.budget.projects.iter().filter(|p| p.code == *code));
            blocks.push(paragraph(format!(
                "{}、{}（类）{}（款）{}（项）：{y} 年预算数为 {} 万元，比上年预算{}，主要原因是{}。",
                i + 1,
                self.name(&code.class()),
                self.name(&kuan),
                self.name(code),
                printed(yoy.current),
                yoy.phrase(),
                reasons::for_xiang(code, yoy, l.basic >= l.project(), project)
            )));
        }
        blocks
    }

    fn basic(&self) -> Vec<Block> {
        let (d, y) = (&self.dept.name, self.dept.year);
        let names = |classes: &[&str]| -> String {
            self.budget
                .economic
                .keys()
                .filter(|c| classes.contains(&c.class_part()))
                .filter_map(|c| self.catalog.economic(c).map(|e| e.name))
                .collect::<Vec<_>>()
                .join("、")
        };
        vec![
            paragraph(format!(
                "{d} {y} 年一般公共预算基本支出 {} 万元，其中：",
                printed(self.totals.basic)
            )),
            paragraph(format!(
                "人员经费 {} 万元，主要包括：{}。",
                printed(self.budget.personnel()),
                names(&["301", "303"])
            )),
            paragraph(format!(
                "公用经费 {} 万元，主要包括：{}。",
                printed(self.budget.operating()),
                names(&["302"])
            )),
        ]
    }

    fn projects(&self) -> Vec<Block> {
        let y = self.dept.year;
        self.budget
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let number = i as u32 + 1;
                let implementer = &self.dept.units[p.unit].name;
                let description = match p.theme {
                    None => classified::description(number, p, implementer),
                    Some(theme) => {
                        let items: Vec<AllocationItem> = p
                            .allocation
                            .iter()
                            .map(|(purpose, cents)| AllocationItem {
                                purpose: purpose.clone(),
                                amount: amount(*cents),
                            })
                            .collect();
                        let text = p
                            .allocation
                            .iter()
                            .map(|(purpose, cents)| format!("{purpose} {} 万元", printed(*cents)))
                            .collect::<Vec<_>>()
                            .join("、");
                        ProjectDescription {
                            number,
                            name: ProjectName::new(p.name.clone()),
                            policy_basis: Disclosed::Stated(self.dept.fill(theme.basis)),
                            amount: Some(amount(p.cents)),
                            unit: Default::default(),
                            implementer: Some(implementer.clone()),
                            allocation: Disclosed::Stated(Allocation { text, items }),
                            period: Disclosed::Stated(Period {
                                text: format!("{y}年1月1日-{y}年12月31日"),
                                start: NaiveDate::from_ymd_opt(y, 1, 1),
                                end: NaiveDate::from_ymd_opt(y, 12, 31),
                            }),
                        }
                    }
                };
                Block::Project(description)
            })
            .collect()
    }

    fn three_public(&self, matters: &Matters) -> Vec<Block> {
        let (d, y) = (&self.dept.name, self.dept.year);
        let tp = &matters.three_public;
        let total = tp.total();
        let items = [
            ("因公出国（境）费", ThreePublicItem::Overseas, tp.overseas),
            ("公务用车购置费", ThreePublicItem::Purchase, tp.purchase),
            ("公务用车运行费", ThreePublicItem::Operation, tp.operation),
            ("公务接待费", ThreePublicItem::Reception, tp.reception),
        ];
        let drivers: Vec<(&str, YearOnYear)> =
            items.iter().map(|(label, _, yoy)| (*label, *yoy)).collect();
        let amounts: Vec<String> = items
            .iter()
            .map(|(label, _, yoy)| format!("{label} {} 万元", printed(yoy.current)))
            .collect();
        let changes: Vec<String> = items
            .iter()
            .map(|(label, item, yoy)| {
                format!(
                    "{label}{}，主要原因是{}",
                    yoy.phrase(),
                    reasons::three_public(*item, y, *yoy)
                )
            })
            .collect();
        vec![
            paragraph(format!(
                "{d} {y} 年财政拨款“三公”经费数为 {} 万元，其中：{}。",
                printed(total.current),
                amounts.join("，")
            )),
            paragraph(format!(
                "{y} 年财政拨款“三公”经费预算比上年预算{}，主要原因是{}。其中：{}。",
                total.phrase(),
                reasons::three_public_total(total, &drivers),
                changes.join("；")
            )),
        ]
    }

    fn carry_over(&self) -> Vec<Block> {
        let (d, y, t) = (&self.dept.name, self.dept.year, &self.totals);
        if self.budget.carry_over.is_empty() {
            return vec![paragraph(empty_carry_over_note(self.dept))];
        }
        let mut blocks = vec![paragraph(format!(
            "{d} {y} 年上年结转结余 {} 万元，包括：财政拨款 {} 万元，非财政拨款 {} 万元，其中：",
            printed(t.fiscal_carry + t.non_fiscal_carry),
            printed(t.fiscal_carry),
            printed(t.non_fiscal_carry)
        ))];
        for (i, c) in self.budget.carry_over.iter().enumerate() {
            blocks.push(paragraph(match &c.purpose {
                Some(purpose) => format!(
                    "{}. {} {} 万元，主要用于：{purpose}。",
                    i + 1,
                    c.name,
                    printed(c.cents)
                ),
                None => format!(
                    "{}. {} {} 万元，完全不予公开。",
                    i + 1,
                    c.name,
                    printed(c.cents)
                ),
            }));
        }
        blocks
    }

    fn classified_summary(&self) -> String {
        let classified: Vec<&Project> = self
            .budget
            .projects
            .iter()
            .filter(|p| p.is_classified())
            .collect();
        if classified.is_empty() {
            "本部门无其他需说明的事项。".to_string()
        } else {
            classified::summary(classified.len(), classified.iter().map(|p| p.cents).sum())
        }
    }
}
