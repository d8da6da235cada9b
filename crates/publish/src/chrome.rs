//! The words the site puts around a disclosure — headings, captions, column headers, labels,
//! chart titles, the index's headers and roll-up, the footer — in Chinese and English, in one
//! table. The disclosure's own words (department, row names, narrative, projects, notes) are
//! never translated: they are what the department published.
//!
//! Every text is one [`Text`] with its Chinese and its English; a text with `{}` takes
//! arguments in order ([`Text::fill`]). The Chinese of a column header or a table title is
//! the label the model prints (`Columns::LABELS`, `TableKind::standard_title`,
//! `ThreePublicLine::STANDARD`, `MoneyUnit::label`), so [`translate`] finds its English by it; a test keeps every such
//! label in the table.

use std::fmt::Display;

use budgetflow_model::Lang;

macro_rules! texts {
    ($($name:ident => $zh:literal, $en:literal;)+) => {
        /// One text of the site's chrome.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Text {
            $($name,)+
        }

        impl Text {
            /// Every text, in the table's order.
            #[cfg(test)]
            const ALL: &'static [Text] = &[$(Text::$name),+];

            /// The Chinese.
            pub(crate) const fn zh(self) -> &'static str {
                match self {
                    $(Text::$name => $zh,)+
                }
            }

            /// The English.
            pub(crate) const fn en(self) -> &'static str {
                match self {
                    $(Text::$name => $en,)+
                }
            }

            /// The text whose Chinese is `zh`, if the table has one.
            fn of_zh(zh: &str) -> Option<Text> {
                match zh {
                    $($zh => Some(Text::$name),)+
                    _ => None,
                }
            }
        }
    };
}

texts! {
    // the page
    HtmlLang => "zh-CN", "en";
    Contents => "目录", "Contents";
    PartOverview => "第一部分 部门概况", "Part 1 Department overview";
    PartTables => "第二部分 部门预算表", "Part 2 Budget tables";
    PartNarrative => "第三部分 情况说明", "Part 3 Explanations";
    PartGlossary => "第四部分 名词解释", "Part 4 Glossary";
    PublishedOn => "公开日期：{}", "Published: {}";
    DateFormat => "%Y年%-m月%-d日", "%-d %B %Y";
    Withheld => "完全不予公开", "Withheld in full";
    Numbered => "{}、{}", "{}. {}";
    Parenthesised => "（{}）{}", "({}) {}";
    Functions => "一、主要职能", "1. Main functions";
    Organisation => "二、机构设置及人员情况", "2. Organisation and staff";
    // tables
    TableCaption => "表{} {}", "Table {} {}";
    TableNotPrinted => "本公开文件未载此表。", "This disclosure does not include this table.";
    CompiledBy => "编制部门：{}", "Compiled by: {}";
    Unit => "单位：{}", "Unit: {}";
    NoData => "本表无数据。", "No data in this table.";
    Revenue => "收入", "Revenue";
    Expenditure => "支出", "Expenditure";
    Item => "项目", "Item";
    Budgeted => "预算数", "Budget";
    FunctionCode => "科目编码", "Code";
    FunctionName => "科目名称", "Classification";
    EconomicCode => "经济分类科目编码", "Economic classification code";
    ProjectName => "项目名称", "Project";
    UnitOrProject => "单位名称（项目名称）", "Unit (project)";
    RevenueTotal => "收入总计", "Total revenue";
    ExpenditureTotal => "支出总计", "Total expenditure";
    // the standard tables' titles (`TableKind::standard_title`)
    TitleOverall => "部门收支总体情况表", "Revenue and expenditure overview";
    TitleRevenue => "部门收入总体情况表", "Revenue overview";
    TitleExpenditure => "部门支出总体情况表", "Expenditure overview";
    TitleAppropriation => "财政拨款收支预算总体情况表", "Fiscal appropriations: revenue and expenditure";
    TitleGeneralBudget => "一般公共预算支出情况表", "General public budget expenditure";
    TitleBasic => "一般公共预算基本支出情况表", "General public budget: basic expenditure";
    TitleProjects => "一般公共预算项目支出情况表", "General public budget: project expenditure";
    TitleGovFund => "政府性基金预算支出情况表", "Government fund budget expenditure";
    TitleSoeCapital => "国有资本经营预算支出情况表", "State capital operating budget expenditure";
    TitleThreePublic => "财政拨款“三公”经费支出情况表", "“Three public” expenses from fiscal appropriations";
    TitleCarryOver => "上年结转结余情况明细表", "Carry-over from the previous year, in detail";
    // the model's column labels (`Columns::LABELS`)
    Total => "总计", "Total";
    FiscalSubsidySubtotal => "财政拨款(补助)小计", "Fiscal appropriations (subsidies), subtotal";
    GeneralBudget => "一般公共预算", "General public budget";
    GeneralBudgetTransfer => "上级一般公共预算安排的转移支付", "Transfers from the higher level’s general public budget";
    GovFundBudget => "政府性基金预算", "Government fund budget";
    GovFundTransfer => "上级政府性基金安排的转移支付", "Transfers from the higher level’s government funds";
    SoeCapitalBudget => "国有资本经营预算", "State capital operating budget";
    SoeCapitalTransfer => "上级国有资本经营预算安排的转移支付", "Transfers from the higher level’s state capital operating budget";
    SpecialAccount => "财政专户（教育收费）", "Fiscal special account (education fees)";
    UnitFunds => "单位资金", "The unit’s own funds";
    FiscalCarryOver => "财政拨款结转", "Fiscal appropriations carried over";
    NonFiscalCarryOver => "非财政拨款结转结余", "Non-fiscal funds carried over";
    OperationsIncome => "事业收入", "Income from public-service operations";
    BusinessIncome => "事业单位经营收入", "Business income of public institutions";
    OtherIncome => "其他收入", "Other income";
    Sum => "合计", "Total";
    Basic => "基本支出", "Basic expenditure";
    Project => "项目支出", "Project expenditure";
    Personnel => "人员经费", "Personnel";
    Operating => "公用经费", "Operating costs";
    ProjectTotal => "项目支出合计", "Project expenditure, total";
    Wages => "工资福利支出", "Wages and benefits";
    GoodsServices => "商品和服务支出", "Goods and services";
    Households => "对个人和家庭的补助", "Subsidies to individuals and households";
    DebtInterest => "债务利息及费用支出", "Debt interest and fees";
    CapitalConstruction => "资本性支出（基本建设）", "Capital expenditure (construction)";
    Capital => "资本性支出", "Capital expenditure";
    EnterpriseConstruction => "对企业补助（基本建设）", "Subsidies to enterprises (construction)";
    Enterprise => "对企业补助", "Subsidies to enterprises";
    SocialSecurityFunds => "对社会保障基金补助", "Subsidies to social security funds";
    Other => "其他支出", "Other expenditure";
    GovFund => "政府性基金", "Government funds";
    FiscalSubtotal => "财政拨款小计", "Fiscal appropriations, subtotal";
    FiscalPersonnel => "财政拨款人员经费", "Fiscal appropriations: personnel";
    FiscalOperating => "财政拨款公用经费", "Fiscal appropriations: operating costs";
    FiscalProject => "财政拨款项目支出", "Fiscal appropriations: projects";
    NonFiscalSubtotal => "非财政拨款小计", "Non-fiscal funds, subtotal";
    NonFiscalPersonnel => "非财政拨款人员经费", "Non-fiscal funds: personnel";
    NonFiscalOperating => "非财政拨款公用经费", "Non-fiscal funds: operating costs";
    NonFiscalProject => "非财政拨款项目支出", "Non-fiscal funds: projects";
    // the lines of a 三公 table (`ThreePublicLine::STANDARD`, `printed::OPERATING_COSTS`)
    OverseasTravel => "因公出国（境）费", "Official travel abroad";
    Reception => "公务接待费", "Official receptions";
    VehicleSubtotal => "公务用车购置及运行费（小计）", "Official vehicles: purchase and operation (subtotal)";
    VehiclePurchase => "其中：公务用车购置费", "Of which: purchase of official vehicles";
    VehicleOperation => "公务用车运行费", "Operation of official vehicles";
    OperatingCosts => "机关运行经费", "Running costs of government bodies";
    // units (`MoneyUnit::label`)
    TenThousandYuan => "万元", "ten thousand yuan";
    Yuan => "元", "yuan";
    HundredMillionYuan => "亿元", "hundred million yuan";
    // charts
    Charts => "支出概览（图）", "Expenditure at a glance (charts)";
    ChartByFunction => "支出功能分类（类）预算", "Budget by functional classification (class)";
    ChartByFunctionCaption => "图1 部门支出按功能分类（类）预算数（表3，单位：{}）",
        "Figure 1 Expenditure budgeted by functional classification (class) (table 3, unit: {})";
    ChartSplit => "基本支出与项目支出", "Basic and project expenditure";
    ChartSplitCaption => "图2 基本支出与项目支出（表3 合计，单位：{}）",
        "Figure 2 Basic and project expenditure (table 3 total, unit: {})";
    ChartBar => "{}：{} {}", "{}: {} {}";
    ChartShare => "{} {} {}（{}%）", "{} {} {} ({}%)";
    ListSeparator => "；", "; ";
    // projects and performance targets
    ProjectHeading => "（{}）项目名称：{}", "({}) Project: {}";
    PolicyBasis => "设立的政策依据", "Policy basis";
    BudgetScale => "预算安排规模", "Budget";
    Implementer => "项目承担单位", "Implementing unit";
    Allocation => "资金分配情况", "Allocation of funds";
    Period => "资金执行时间", "Period of execution";
    DepartmentTargets => "{}部门整体绩效目标表", "Department performance targets ({})";
    ProjectTargets => "{}项目支出绩效目标表", "Project performance targets ({})";
    DepartmentIs => "部门：{}", "Department: {}";
    ProjectIs => "项目名称：{}", "Project: {}";
    Contact => "联系人及电话", "Contact and phone";
    AnnualGoal => "年度绩效目标", "Annual performance goal";
    BudgetUnit => "预算单位", "Budget unit";
    Manager => "项目负责人及电话", "Project manager and phone";
    FundsTotal => "资金总额", "Total funds";
    FundsFiscal => "财政拨款", "Fiscal appropriations";
    FundsOther => "其他资金", "Other funds";
    Level1 => "一级指标", "Level 1 indicator";
    Level2 => "二级指标", "Level 2 indicator";
    Level3 => "三级指标", "Level 3 indicator";
    TargetValue => "指标值", "Target value";
    LastYearValue => "上年指标值", "Value the year before";
    Weight => "权重", "Weight";
    ScoringRule => "赋分规则", "Scoring rule";
    BasisAndSource => "指标值设定依据及数据来源", "Basis of the value and data source";
    // the site index
    IndexTitle => "部门预算公开目录", "Department budget disclosures";
    IndexSubtitle => "共 {} 份公开文件（单位：{}）", "{} publications (unit: {})";
    IndexHeading => "各部门预算公开", "Disclosures by department";
    NothingPublished => "尚无公开文件。", "Nothing has been published yet.";
    ThreePublic => "“三公”经费", "“Three public” expenses";
    Department => "部门", "Department";
    Year => "年度", "Year";
    Projects => "项目数", "Projects";
    Classified => "其中涉密", "Of which classified";
    SortedBy => "排序：按{}", "Sorted by: {}";
    Rollup => "全局汇总", "Roll-up";
    RollupTitle => "各年度部门预算汇总", "Department budgets summed per year";
    RollupNote => "按年度合计各部门数", "Sums across departments, year by year";
    Departments => "部门数", "Departments";
    NotPrinted => "{} 个部门未列", "{} department(s) did not print it";
}

impl Text {
    /// The text in `lang`.
    pub(crate) fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    /// The text in `lang` with each `{}` replaced by the next of `args`, written straight into
    /// whatever formats it (no string is built in between: a page fills a few hundred).
    pub(crate) fn fill<'a>(self, lang: Lang, args: &'a [&'a dyn Display]) -> Filled<'a> {
        Filled {
            template: self.get(lang),
            args,
        }
    }
}

/// A text with its arguments ([`Text::fill`]).
pub(crate) struct Filled<'a> {
    template: &'static str,
    args: &'a [&'a dyn Display],
}

impl Display for Filled<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.template;
        let mut args = self.args.iter();
        while let Some(at) = rest.as_bytes().windows(2).position(|w| w == b"{}") {
            f.write_str(&rest[..at])?;
            if let Some(arg) = args.next() {
                arg.fmt(f)?;
            }
            rest = &rest[at + 2..];
        }
        f.write_str(rest)
    }
}

/// A label the model prints in Chinese (a column header, a table title, a unit), in `lang`;
/// a label the table does not know stays as it is.
pub(crate) fn translate(zh: &str, lang: Lang) -> &str {
    match lang {
        Lang::Zh => zh,
        Lang::En => Text::of_zh(zh).map_or(zh, |t| t.en()),
    }
}

/// A heading's number: Chinese numerals (`十一`, or `一十一` for a project's `long` form) in
/// Chinese, digits in English.
pub(crate) fn numeral(n: u32, long: bool, lang: Lang) -> String {
    match (lang, long) {
        (Lang::En, _) => n.to_string(),
        (Lang::Zh, false) => budgetflow_formats::numerals::format(n),
        (Lang::Zh, true) => budgetflow_formats::numerals::format_long(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use budgetflow_model::tables::*;
    use budgetflow_model::{MoneyUnit, TableKind};

    #[test]
    fn every_text_has_both_languages_the_same_placeholders_and_a_unique_chinese() {
        for t in Text::ALL {
            assert!(!t.zh().is_empty() && !t.en().is_empty(), "{t:?}");
            assert_eq!(
                t.zh().matches("{}").count(),
                t.en().matches("{}").count(),
                "{t:?}"
            );
            assert_eq!(Text::of_zh(t.zh()), Some(*t), "{t:?}: its Chinese twice");
            // the English goes into HTML as it is
            assert!(!t.en().contains(['<', '>', '&', '"', '\'']), "{t:?}");
        }
    }

    #[test]
    fn every_label_the_model_prints_has_its_english() {
        let mut labels: Vec<&str> = [
            RevenueColumns::LABELS,
            ExpenditureColumns::LABELS,
            AppropriationColumns::LABELS,
            BasicColumns::LABELS,
            ProjectColumns::LABELS,
            FundColumns::LABELS,
            ThreePublicColumns::LABELS,
            CarryOverColumns::LABELS,
        ]
        .concat();
        labels.extend(TableKind::ALL.map(TableKind::standard_title));
        labels.extend(ThreePublicLine::STANDARD.iter().map(|(_, label)| *label));
        labels.push(crate::printed::OPERATING_COSTS);
        labels.extend(
            [
                MoneyUnit::TenThousandYuan,
                MoneyUnit::Yuan,
                MoneyUnit::HundredMillionYuan,
            ]
            .map(MoneyUnit::label),
        );
        for label in labels {
            assert_eq!(translate(label, Lang::Zh), label);
            assert_ne!(translate(label, Lang::En), label, "{label} has no English");
        }
        assert_eq!(translate("自编表", Lang::En), "自编表");
    }

    #[test]
    fn placeholders_take_their_arguments_in_order() {
        assert_eq!(
            Text::TableCaption
                .fill(Lang::Zh, &[&3, &"部门支出总体情况表"])
                .to_string(),
            "表3 部门支出总体情况表"
        );
        assert_eq!(
            Text::ChartShare
                .fill(Lang::En, &[&"Basic", &"1,234.50", &"yuan", &"61.5"])
                .to_string(),
            "Basic 1,234.50 yuan (61.5%)"
        );
        assert_eq!(Text::Contents.fill(Lang::En, &[]).to_string(), "Contents");
    }

    #[test]
    fn numerals_follow_the_language() {
        assert_eq!(numeral(11, false, Lang::Zh), "十一");
        assert_eq!(numeral(11, true, Lang::Zh), "一十一");
        assert_eq!(numeral(11, true, Lang::En), "11");
    }
}
