//! The rule catalog: every rule the validator applies, declared exactly once.
//!
//! Each entry becomes a `pub static` [`Rule`] that the checks in `rules/` cite, and an element
//! of [`ALL`]. The type and the macro are the model's, shared with the target review's catalog;
//! `docs/rules.md` is generated from both catalogs by
//! [`budgetflow_model::rule::rules_markdown`] (a test in `crates/score` keeps the file equal
//! to it).

use crate::rule::Rule;

budgetflow_model::rules! {
    // ── Arithmetic inside tables ────────────────────────────────────────────────────────
    T1_BALANCE = "T1.balance", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C1",
        "表1收入总计等于支出总计", "Table 1 revenue total equals expenditure total",
        "The budget system computes both totals from the same cells, so they must agree exactly, without rounding allowance.";
    T1_REVENUE_TOTAL = "T1.revenue-total", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C2; docs/domain.md#identities-in-the-9-table-template",
        "表1收入总计等于各收入大项之和", "Table 1 revenue total = sum of its top-level revenue lines",
        "The top-level revenue lines are the whole of the revenue: 本年收入 + 上年结转结余 in the 11-table template, 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入 in the 9-table one.";
    T1_CURRENT_REVENUE = "T1.current-revenue", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C3",
        "表1本年收入等于五类收入之和", "Table 1 current-year revenue = sum of its five sources",
        "一般公共预算, 政府性基金, 国有资本经营, 财政专户 and 单位资金 are the complete list of current-year sources.";
    T1_REVENUE_SPLIT = "T1.revenue-split", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C4; docs/domain.md#identities-in-the-9-table-template",
        "表1收入项目等于其“其中”明细之和", "Table 1 revenue line = sum of its 其中 lines",
        "When a revenue line is split (其中), the split is exhaustive, e.g. 一般公共预算拨款 = 一般财力 + 上级转移支付, and in the 9-table template 财政拨款收入 = 一般公共预算资金 + 政府性基金 + 国有资本经营预算.";
    T1_CARRY_OVER = "T1.carry-over", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C5",
        "表1上年结转结余等于财政拨款结转加非财政拨款结转结余", "Table 1 carry-over = fiscal + non-fiscal carry-over",
        "Carry-over is either fiscal appropriation or non-fiscal money; there is no third kind.";
    T1_EXPENDITURE_TOTAL = "T1.expenditure-total", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C6",
        "表1支出总计等于各类支出之和", "Table 1 expenditure total = sum of its function classes",
        "The right side of Table 1 lists every function class, in every column it prints.";
    T1_CLASS_SPLIT = "T1.class-split", Arithmetic, Error, "docs/domain.md#identities-in-the-9-table-template",
        "表1各类支出合计等于人员经费、公用经费与项目支出之和", "Table 1 class total = personnel + operating + project",
        "Where Table 1 splits its expenditure (the 9-table unit variant), each class and the total are basic (personnel, operating) or project expenditure.";
    T2_ROW_TOTAL = "T2.row-total", Arithmetic, Error, "docs/domain.md#revenue-and-expenditure-by-function C8; docs/domain.md#identities-in-the-9-table-template",
        "表2每行总计等于各资金来源之和", "Table 2 row total = sum of its sources",
        "总计 = 财政拨款小计 + 财政专户 + 单位资金 + 财政拨款结转 + 非财政拨款结转结余 on every row; in the 9-table template 合计 = 财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入.";
    T2_FISCAL_SUBTOTAL = "T2.fiscal-subtotal", Arithmetic, Error, "docs/domain.md#revenue-and-expenditure-by-function C9",
        "表2每行财政拨款小计等于各拨款之和", "Table 2 fiscal subtotal = sum of the appropriations",
        "财政拨款（补助）小计 is the sum of columns 3–8 on every row.";
    T2_HIERARCHY = "T2.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
        "表2总计=Σ类、类=Σ款、款=Σ项", "Table 2: total = Σ classes, class = Σ kuan, kuan = Σ xiang",
        "Functional classification is a tree; every level must add up in every column.";
    T3_ROW = "T3.row", Arithmetic, Error, "docs/domain.md#revenue-and-expenditure-by-function C13",
        "表3每行合计等于基本支出加项目支出", "Table 3 row total = basic + project",
        "Expenditure is either basic or project expenditure.";
    T3_HIERARCHY = "T3.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
        "表3总计=Σ类、类=Σ款、款=Σ项", "Table 3: total = Σ classes, class = Σ kuan, kuan = Σ xiang",
        "Functional classification is a tree; every level must add up in every column.";
    T4_BALANCE = "T4.balance", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C20",
        "表4收入总计等于支出总计", "Table 4 revenue total equals expenditure total",
        "Both totals are computed from the same cells and must agree exactly.";
    T4_REVENUE = "T4.revenue", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C21; docs/domain.md#identities-in-the-9-table-template",
        "表4财政拨款收入等于三本预算之和", "Table 4 appropriation revenue = the three budgets",
        "财政拨款（补助） = 一般公共预算 + 政府性基金预算 + 国有资本经营预算, and it is the whole 收入总计 (the 9-table template prints the three budgets alone).";
    T4_ROW = "T4.row", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C22",
        "表4每行合计等于三本预算之和", "Table 4 row total = the three budgets",
        "Every expenditure row of Table 4 splits its total into the three budgets.";
    T4_EXPENDITURE_TOTAL = "T4.expenditure-total", Arithmetic, Error, "docs/domain.md#totals-of-tables-1-and-4 C22",
        "表4支出总计等于各类支出之和", "Table 4 expenditure total = sum of the classes",
        "The right side of Table 4 lists every function class, in every column.";
    T5_ROW = "T5.row", Arithmetic, Error, "docs/domain.md#general-budget-expenditure C15",
        "表5每行合计等于基本支出加项目支出", "Table 5 row total = basic + project",
        "General-budget expenditure is either basic or project expenditure.";
    T5_HIERARCHY = "T5.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
        "表5总计=Σ类、类=Σ款、款=Σ项", "Table 5: total = Σ classes, class = Σ kuan, kuan = Σ xiang",
        "Functional classification is a tree; every level must add up in every column.";
    T6_ROW = "T6.row", Arithmetic, Error, "docs/domain.md#basic-expenditure-by-economic-class C24",
        "表6每行合计等于人员经费加公用经费", "Table 6 row total = personnel + operating",
        "Basic expenditure is either personnel or operating expenditure.";
    T6_HIERARCHY = "T6.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C27",
        "表6总计=Σ类、类=Σ款", "Table 6: total = Σ classes, class = Σ kuan",
        "Economic classification is a tree; every level must add up in every column (each 款 is rounded separately, so small drift is reported as info).";
    T6_ECONOMIC_SPLIT = "T6.economic-split", Arithmetic, Warning, "docs/domain.md#basic-expenditure-by-economic-class C26; docs/domain.md#personnel-and-operating-expenditure",
        "表6人员经费应为301、303类，公用经费应为302等类", "Table 6 personnel should be 301/303, operating 302 and others",
        "人员经费 = 工资福利 + 对个人和家庭的补助; 公用经费 = 商品和服务 (+ capital items). Some templates split 303 differently, so this is a warning.";
    T7_ROW = "T7.row", Arithmetic, Error, "docs/domain.md#project-expenditure C29",
        "表7每行项目支出合计等于各经济分类之和", "Table 7 row total = sum of the economic columns",
        "A project's total is distributed over the economic classes 2–11.";
    T7_SUBTOTALS = "T7.subtotals", Arithmetic, Error, "docs/domain.md#project-expenditure C28, C31",
        "表7总计、单位及科目小计等于所含项目之和", "Table 7 total, unit and code subtotals = sum of their projects",
        "Subtotal rows nest above the project rows and must equal what they contain.";
    T8_ROW = "T8.row", Arithmetic, Error, "docs/domain.md#government-funds-and-state-capital C39",
        "表8每行合计等于人员经费、公用经费与项目支出之和", "Table 8 row total = personnel + operating + project",
        "Government-fund expenditure is basic (personnel, operating, or one 基本支出 column where the template does not split it) or project expenditure.";
    T8_HIERARCHY = "T8.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
        "表8总计=Σ类、类=Σ款、款=Σ项", "Table 8: total = Σ classes, class = Σ kuan, kuan = Σ xiang",
        "Functional classification is a tree; every level must add up in every column.";
    T9_ROW = "T9.row", Arithmetic, Error, "docs/domain.md#government-funds-and-state-capital C39",
        "表9每行合计等于人员经费、公用经费与项目支出之和", "Table 9 row total = personnel + operating + project",
        "SOE-capital expenditure is basic (personnel, operating, or one 基本支出 column where the template does not split it) or project expenditure.";
    T9_HIERARCHY = "T9.hierarchy", Arithmetic, Error, "docs/domain.md#classification-hierarchy C11",
        "表9总计=Σ类、类=Σ款、款=Σ项", "Table 9: total = Σ classes, class = Σ kuan, kuan = Σ xiang",
        "Functional classification is a tree; every level must add up in every column.";
    T10_TOTAL = "T10.total", Arithmetic, Error, "docs/domain.md#three-public-expenses C32; docs/domain.md#identities-in-the-9-table-template",
        "表10合计等于因公出国（境）费、公务接待费与公务用车购置及运行费之和", "Table 10 total = overseas travel + reception + vehicles",
        "The three public expenses are exactly these three items.";
    T10_VEHICLES = "T10.vehicles", Arithmetic, Error, "docs/domain.md#three-public-expenses C33; docs/domain.md#identities-in-the-9-table-template",
        "表10公务用车小计等于购置费加运行费", "Table 10 vehicle subtotal = purchase + operation",
        "公务用车购置及运行费 is split into purchase and operation.";
    T10_ROW = "T10.row", Arithmetic, Error, "docs/domain.md#three-public-expenses C34",
        "表10每行合计等于各资金来源之和", "Table 10 row total = sum of its funding sources",
        "Each expense is funded by the three budgets shown (where the template prints funding-source columns).";
    T11_ROW = "T11.row", Arithmetic, Error, "docs/domain.md#carry-over C36",
        "表11每行合计等于财政与非财政小计之和，小计等于人员、公用与项目之和", "Table 11 row total = fiscal + non-fiscal; each subtotal = personnel + operating + project",
        "Carry-over is split by source, then by use.";
    T11_SUBTOTALS = "T11.subtotals", Arithmetic, Error, "docs/domain.md#carry-over C38",
        "表11总计等于各单位之和，单位等于所含项目之和", "Table 11 total = Σ units, unit = Σ its items",
        "Unit rows and the total summarise the rows under them.";

    // ── Cross-table agreement ───────────────────────────────────────────────────────────
    X_T1_T2_TOTAL = "X.T1-T2.total", CrossTable, Error, "docs/domain.md#revenue-and-expenditure-by-function C7",
        "表2总计等于表1收入总计", "Table 2 total equals Table 1 revenue total",
        "Both tables print the department's whole revenue.";
    X_T1_T2_SOURCES = "X.T1-T2.sources", CrossTable, Error, "docs/domain.md#revenue-and-expenditure-by-function C10",
        "表2总计行各来源等于表1对应收入", "Table 2 total row sources equal the Table 1 lines",
        "一般公共预算, 上级转移支付, 政府性基金, 国有资本经营, 单位资金 and the carry-overs are printed in both tables.";
    X_T1_T2_T3_CLASS = "X.T1-T2-T3.class", CrossTable, Error, "docs/domain.md#revenue-and-expenditure-by-function C12",
        "表1各类支出等于表2、表3同类合计", "Table 1 class amounts equal the Table 2 and Table 3 class rows",
        "The function classes of Table 1 are the class rows of Tables 2 and 3.";
    X_T2_T3_ROWS = "X.T2-T3.rows", CrossTable, Error, "docs/domain.md#revenue-and-expenditure-by-function C14",
        "表3各科目合计等于表2同科目总计，科目相同", "Table 3 rows equal Table 2 rows, code by code",
        "Revenue by function and expenditure by function describe the same money, so codes and amounts agree; 表3 总计 = 表1 支出总计.";
    X_T1_T4_T5_GENERAL = "X.T1-T4-T5.general", CrossTable, Error, "docs/domain.md#general-budget-expenditure C16",
        "表5总计等于表1一般公共预算拨款及表4一般公共预算支出总计", "Table 5 total equals the general budget of Tables 1 and 4",
        "The general-budget appropriation is printed in three tables.";
    X_T1_T4_REVENUE = "X.T1-T4.revenue", CrossTable, Error, "docs/domain.md#totals-of-tables-1-and-4 C21",
        "表4各项拨款收入等于表1对应拨款", "Table 4 appropriation revenue equals Table 1",
        "Table 4 restates the appropriation lines 1–3 of Table 1.";
    X_T2_T5_ROWS = "X.T2-T5.rows", CrossTable, Error, "docs/domain.md#general-budget-expenditure C17",
        "表5各科目合计等于表2一般公共预算与上级转移支付之和", "Table 5 rows = Table 2 general budget + transfers, code by code",
        "General-budget expenditure by function is funded by the general budget including transfers.";
    X_T3_T5_BASIC = "X.T3-T5.basic", CrossTable, Error, "docs/domain.md#general-budget-expenditure C18",
        "表3基本支出不小于表5基本支出", "Table 3 basic expenditure is not less than Table 5",
        "All general-budget basic expenditure is part of the department's basic expenditure.";
    X_T3_T5_PROJECT = "X.T3-T5.project", CrossTable, Error, "docs/domain.md#general-budget-expenditure C19",
        "表3项目支出等于表5项目支出加非一般公共预算资金", "Table 3 project = Table 5 project + money from other sources",
        "When the basic expenditure of Tables 3 and 5 agree, every other source (carry-over, unit funds) is project money.";
    X_T4_T5_CLASS = "X.T4-T5.class", CrossTable, Error, "docs/domain.md#totals-of-tables-1-and-4 C22",
        "表4各类一般公共预算等于表5同类合计", "Table 4 general budget by class equals Table 5 class rows",
        "Both print the general-budget appropriation by function class.";
    X_T4_T8_T9 = "X.T4-T8-T9.funds", CrossTable, Error, "docs/domain.md#government-funds-and-state-capital C23",
        "表4政府性基金、国有资本经营预算支出等于表8、表9总计", "Table 4 government-fund and SOE-capital columns equal Tables 8 and 9",
        "Tables 8 and 9 detail the two columns of Table 4.";
    X_T5_T6_BASIC = "X.T5-T6.basic", CrossTable, Error, "docs/domain.md#basic-expenditure-by-economic-class C25",
        "表6总计等于表5基本支出", "Table 6 total equals Table 5 basic expenditure",
        "Table 6 details general-budget basic expenditure by economic class.";
    X_T5_T7_PROJECT = "X.T5-T7.project", CrossTable, Error, "docs/domain.md#project-expenditure C28, C30",
        "表7项目支出等于表5项目支出（总计及各项）", "Table 7 projects equal Table 5 project expenditure, in total and per xiang",
        "Table 7 lists the projects behind the project column of Table 5.";
    X_T1_T5_T6_SPLIT = "X.T1-T5-T6.split", CrossTable, Error, "docs/domain.md#identities-in-the-9-table-template",
        "表1人员经费、公用经费等于表6，项目支出等于表5", "Table 1 personnel and operating equal Table 6, project equals Table 5",
        "Where Table 1 splits its expenditure, the split restates the basic-expenditure table and the project column of the general-budget table; when other money funds part of the budget, Table 1 is not less.";
    X_T6_T10 = "X.T6-T10.three-public", CrossTable, Error, "docs/domain.md#three-public-expenses C35; docs/domain.md#units-rounding-and-intervals",
        "表10公务接待费、公务用车运行费不小于表6对应款", "Table 10 reception and vehicle operation are not less than Table 6",
        "三公 includes the basic-expenditure amounts of Table 6 (and may include project money, hence ≥); a 万元 三公 table is compared with a 元 Table 6 through the interval of its printed figure.";
    X_T1_T2_T11 = "X.T1-T2-T11.carry-over", CrossTable, Error, "docs/domain.md#carry-over C37",
        "表11结转结余等于表1、表2对应数", "Table 11 carry-over equals Tables 1 and 2",
        "The carry-over detail adds up to the carry-over lines of Tables 1 and 2.";

    // ── Text against tables ─────────────────────────────────────────────────────────────
    N_AMOUNT = "N.amount", Narrative, Error, "docs/domain.md#amounts-and-shares N1–N6, N9, N12, N13",
        "说明中的金额与表格一致", "An amount stated in the text equals its table figure",
        "Every amount the explanation states is printed in a table; the two must agree.";
    N_NOT_ARRANGED = "N.not-arranged", Narrative, Error, "docs/domain.md#amounts-and-shares N2",
        "说明称“未安排”的项目在表中为零", "An item the text says is not arranged is zero in the table",
        "未安排 is a statement about the table.";
    N_SHARE = "N.share", Narrative, Error, "docs/domain.md#amounts-and-shares N2, N3, N5; docs/domain.md#units-rounding-and-intervals",
        "占比等于金额除以基数（按印刷精度）", "A share equals amount ÷ base at the printed precision",
        "占 x% must be reproducible from the printed amounts.";
    N_CHANGE = "N.change", Narrative, Error, "docs/domain.md#changes-on-last-year N7, N8",
        "增减额与增减率一致", "A change and its rate are consistent",
        "Last year = amount ∓ change and rate = change ÷ last year; growth from zero is 100.00%, an unchanged zero 0.00%.";
    N_REASON = "N.reason", Narrative, Warning, "docs/domain.md#changes-on-last-year; docs/domain.md#required-content item 8; 财预〔2016〕143号",
        "增减变化须说明原因", "Every change carries a reason",
        "财政部 requires the main reason for every 增加/减少 to be explained; a line that states no change (持平, 增加 0.00 万元) has nothing to explain.";
    N_CLASS_LIST = "N.class-list", Narrative, Error, "docs/domain.md#amounts-and-shares N1",
        "支出预算包括的类与表1非零类一致", "The classes the text lists equal the non-zero classes of Table 1",
        "The overview sentence names exactly the function classes that have money.";
    N_BASIC_ITEMS = "N.basic-items", Narrative, Warning, "docs/domain.md#amounts-and-shares N9",
        "人员经费、公用经费包括的款与表6一致", "The kuan listed under personnel and operating match Table 6",
        "The basic-expenditure explanation lists the Table 6 kuan of each column, in order.";
    N_PROJECTS = "N.projects", Narrative, Error, "docs/domain.md#project-descriptions N10",
        "项目说明与表7项目一致（名称、金额、个数）", "Project descriptions match Table 7 (names, amounts, count)",
        "Section 七 describes every Table 7 project with its 预算安排规模.";
    N_EMPTY_TABLE = "N.empty-table", Narrative, Error, "docs/domain.md#amounts-and-shares N11; docs/domain.md#empty-tables",
        "说明称空表的表格确为空表", "A table the text calls empty is empty",
        "An empty-table statement about a table that has rows contradicts the table.";
    N_UNMATCHED = "N.unmatched", Narrative, Warning, "docs/domain.md#amounts-and-shares",
        "说明中的金额找不到对应表格项目", "A stated amount names no table figure",
        "In the sections that explain one table, every stated subject should be a row or column of it; an unknown subject is usually a misspelt name.";

    // ── Classification codes ────────────────────────────────────────────────────────────
    CODE_UNKNOWN = "code.unknown", Classification, Warning, "docs/domain.md#classification-codes; 《政府收支分类科目》",
        "科目编码不在本年度科目表中", "Code not in the year's classification catalog",
        "The yearly 《政府收支分类科目》 changes; an unknown code is either new or a typo.";
    CODE_NAME = "code.name", Classification, Warning, "docs/domain.md#codes-and-names; 《政府收支分类科目》",
        "科目名称与科目表不符", "Code name differs from the catalog",
        "Names are fixed by the catalog; a different name suggests the wrong code or a typo.";
    CODE_CONSISTENT = "code.consistent", Classification, Error, "docs/domain.md#codes-and-names",
        "同一科目编码在全文使用同一名称", "One code carries one name throughout the document",
        "Two names for one code mean one of the rows is wrong.";
    CODE_PARENT = "code.parent", Classification, Error, "docs/domain.md#classification-hierarchy C11; docs/domain.md#functional-classification",
        "科目的上级类、款须列出", "A code's parent class and kuan are printed",
        "A 项 without its 款 (or a 款 without its 类) breaks the hierarchy the totals rely on.";

    // ── Completeness ────────────────────────────────────────────────────────────────────
    DOC_TABLES = "doc.tables", Completeness, Error, "docs/domain.md#required-content item 1; 财预〔2016〕143号",
        "公开全部标准表格", "Every standard table is published",
        "All tables the document's template requires are published, empty ones included (143号).";
    DOC_EMPTY_TABLE_NOTE = "doc.empty-table-note", Completeness, Error, "docs/domain.md#empty-tables; docs/domain.md#amounts-and-shares N11; 财预〔2016〕143号",
        "空表须有空表说明", "An empty table carries an empty-table statement",
        "An empty table must say why it is empty, under the table or in its section.";
    DOC_SECTIONS = "doc.sections", Completeness, Error, "docs/domain.md#text-of-the-11-table-template",
        "情况说明各部分齐全", "Every explanation section is present",
        "The explanation has the sections the document's template requires (the 11-table template: one per table topic plus 其他重要事项).";
    DOC_GLOSSARY = "doc.glossary", Completeness, Error, "docs/domain.md#required-content item 7; 财预〔2016〕143号",
        "须有名词解释", "The glossary is present",
        "Technical terms must be explained (名词解释).";
    DOC_OVERVIEW = "doc.overview", Completeness, Error, "docs/domain.md#required-content item 9; 财预〔2016〕143号",
        "须有部门概况（职能、机构与人员）", "The department overview is present",
        "部门职责, 机构设置 and 人员 are required content.";
    DOC_COMPILER = "doc.compiler", Completeness, Warning, "docs/domain.md#department-overview",
        "表头编制部门与本部门一致", "Each table's compiling department is this department",
        "A table headed with another department's name was copied from the wrong file.";
    DOC_TARGETS = "doc.targets", Completeness, Error, "docs/domain.md#required-content item 6; docs/domain.md#target-tables",
        "须公开部门整体绩效目标表", "The department-wide performance target table is published",
        "绩效目标 are required content; the department-wide table covers the whole budget. Templates that publish target tables separately (the 9-table template) are not asked for them.";

    // ── Overview and other matters ──────────────────────────────────────────────────────
    O_HEADCOUNT = "O.headcount", OverviewAndOtherMatters, Error, "docs/domain.md#department-overview N22",
        "实有人数等于在职、退休、离休人数之和", "Headcount = active + retired + pre-1949 retired",
        "实有人数 is defined as the sum of the three groups.";
    O_UNITS = "O.units", OverviewAndOtherMatters, Error, "docs/domain.md#department-overview N22",
        "行政、事业单位数与所列预算单位一致", "Administrative + public institutions = listed budget units",
        "The unit counts describe the listed units.";
    O_OFFICES = "O.offices", OverviewAndOtherMatters, Warning, "docs/domain.md#department-overview N22",
        "科室数与所列科室一致", "Office count equals the listed offices",
        "下设 N 个科室 is followed by their names.";
    M_OPERATING_COST = "M.operating-cost", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N14; 《中华人民共和国预算法》第十四条",
        "机关运行经费与表6公用经费一致", "Operating cost (机关运行经费) agrees with Table 6 operating expenditure",
        "机关运行经费 is the operating expenditure of administrative units: equal to Table 6 公用经费 when all units are administrative, never more.";
    M_PROCUREMENT = "M.procurement", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N15",
        "政府采购总额等于货物、工程、服务之和", "Procurement total = goods + works + services",
        "The procurement split is exhaustive.";
    M_PROCUREMENT_RESERVED = "M.procurement-reserved", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N15",
        "中小企业预留不超过采购总额，小微企业预留不超过中小企业预留", "SME reservation ≤ total; micro reservation ≤ SME reservation",
        "Reserved amounts are parts of the whole.";
    M_VEHICLES = "M.vehicles", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N16",
        "车辆总数及价值等于各类车辆之和", "Vehicle count and value = sum by kind",
        "车辆 is split into 一般公务用车, 执法执勤用车 and 其他车辆.";
    M_EQUIPMENT = "M.equipment", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N16",
        "100万元以上设备数不超过50万元以上设备数", "Equipment ≥ 100 万元 is not more than equipment ≥ 50 万元",
        "Every item worth 100 万元 is also worth 50 万元.";
    M_PERFORMANCE_SUMMARY = "M.performance-summary", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N17",
        "预算绩效情况的金额与个数与表格一致", "The performance summary agrees with the tables",
        "整体目标金额 = 表1收入总计; 项目个数 = 表7 projects; 财政拨款项目金额 = 表7 总计.";
    M_CLASSIFIED = "M.classified", OverviewAndOtherMatters, Error, "docs/domain.md#other-important-matters N18",
        "涉密项目个数和金额等于表7特定目标项目", "Classified count and amount equal the Table 7 特定目标 rows",
        "The classified summary restates the 特定目标 rows of Table 7.";

    // ── Performance targets ─────────────────────────────────────────────────────────────
    P_WEIGHT_TOTAL = "P.weight-total", Performance, Error, "docs/domain.md#indicator-levels-and-weights",
        "指标分值权重合计为90（含预算执行率指标时为100）", "Indicator weights sum to 90 (100 with an execution-rate row)",
        "The other 10 points belong to budget execution, scored at year end.";
    P_INDICATORS = "P.indicators", Performance, Error, "docs/domain.md#indicator-levels-and-weights; 财预〔2020〕10号",
        "项目绩效目标须有产出指标和效益指标", "A project target table has output and outcome indicators",
        "Output (产出) and outcome (效益) are the mandatory level-1 indicators.";
    P_TARGET_PARSES = "P.target-parses", Performance, Error, "docs/domain.md#target-values",
        "指标值可以解析", "Every target value parses",
        "A target that is neither comparator + number + unit nor qualitative text cannot be scored.";
    P_SCORING_RULE_KNOWN = "P.scoring-rule-known", Performance, Error, "docs/domain.md#scoring-rules",
        "指标赋分规则为评分程序已知规则", "The scoring rule is one the scorer knows",
        "The scorer implements 按照完成比例赋分, 直接赋分, 按评判等级赋分 and 满意度赋分.";
    P_FUNDS = "P.funds", Performance, Error, "docs/domain.md#target-tables N20",
        "年度预算总额等于财政拨款加其他资金", "Annual budget = fiscal appropriation + other funds",
        "The funds block of a project target table is a sum.";
    X_T7_P_FUNDS = "X.T7-P.funds", Performance, Error, "docs/domain.md#target-tables N20",
        "项目绩效目标表资金等于表7项目金额（加说明的合并结转）", "Target-table funds equal the Table 7 project (plus a documented merged carry-over)",
        "The targets are set for the money the project has; a carry-over may be merged only when the text says so.";
    X_T7_P_COUNT = "X.T7-P.count", Performance, Error, "docs/domain.md#target-tables N19",
        "项目绩效目标表个数等于表7非涉密项目数", "One target table per unclassified Table 7 project",
        "Every unclassified project publishes its targets.";
    X_T7_P_PROJECT = "X.T7-P.project", Performance, Error, "docs/domain.md#target-tables N19",
        "项目绩效目标表对应表7中的项目", "A target table names a Table 7 project of its unit",
        "Targets for a project that is not in the budget, or under another unit, point to a copy error.";
    X_T1_P_DEPARTMENT = "X.T1-P.department", Performance, Error, "docs/domain.md#target-tables N21",
        "部门整体绩效目标表资金总额等于表1收入总计", "Department-wide target funds equal the Table 1 revenue total",
        "The department-wide targets cover the whole budget.";

    // ── Redaction ───────────────────────────────────────────────────────────────────────
    R_WITHHELD_NAME = "R.withheld-name", Redaction, Error, "docs/domain.md#classified-projects; 财预〔2016〕143号 第三条",
        "不予公开的项目须以“特定目标+编码”命名", "A withheld project is named 特定目标 + code",
        "A project whose details are withheld is classified; printing its real name discloses it.";
    R_CODE_FORMAT = "R.code-format", Redaction, Error, "docs/domain.md#classified-projects",
        "特定目标编码为8位数字或大写字母", "A 特定目标 code is 8 digits or capital letters",
        "A malformed code cannot be traced by the budget system and may hide a typed-in name.";
    R_CODE_MATCH = "R.code-match", Redaction, Error, "docs/domain.md#classified-projects",
        "特定目标在表格与说明中以同一编码出现", "A 特定目标 appears under the same code in the tables and the text",
        "Each classified project is named 特定目标 + its code everywhere it appears.";
    R_LEAK = "R.leak", Redaction, Error, "docs/domain.md#classified-projects; 财预〔2016〕143号 第三条",
        "涉密项目的真实名称及不予公开的内容不得出现", "No classified project's real name or withheld detail appears",
        "A real name beside a classified project's figures (a project description, a target table) discloses it, and so does any detail a classified project withholds (its policy basis, implementer, allocation, period, performance-target table) printed anywhere the public reads: the cover, the overview, a table's caption or row names, a paragraph, another project's description or target table, the department-wide targets, the glossary. Names of units and people, laws and indicators the document also prints publicly in the same role are shared vocabulary, not secrets; what counts is defined once in `budgetflow_model::secrets`.";
    // ── Against last year's disclosure ──────────────────────────────────────────────────
    Y_NO_PREVIOUS = "Y.no-previous", YearOverYear, Info, "docs/domain.md#changes-against-last-years-disclosure Y1",
        "未找到本部门上年公开文件，未核对较上年的增减", "No disclosure of the year before: changes on last year not checked",
        "The stated changes on last year can only be checked against last year's published figures; without them the report says so once rather than staying silent.";
    Y_NOT_PREVIOUS = "Y.not-previous", YearOverYear, Warning, "docs/domain.md#changes-against-last-years-disclosure Y1",
        "所给上年文件不是本部门上一年度的公开文件", "The document given as last year's is not this department's disclosure of the year before",
        "Comparing with another department's or another year's figures would report differences that are not mistakes, so the comparison is not made.";
    Y_STATED_CHANGE = "Y.stated-change", YearOverYear, Error, "docs/domain.md#changes-against-last-years-disclosure Y2",
        "所述较上年增减与上年公开数一致", "A stated change on last year agrees with last year's published figure",
        "比上年增加/减少 x: this year's figure minus x is last year's figure, which last year's disclosure printed; each printed figure is an interval, and 元 and 万元 are converted.";
    Y_STATED_RATE = "Y.stated-rate", YearOverYear, Error, "docs/domain.md#changes-against-last-years-disclosure Y3",
        "所述增长率与上年公开数一致", "A stated rate of change agrees with last year's published figure",
        "增长/下降 y%: y is the change divided by last year's published figure, at the precision printed.";
    Y_STAFFING = "Y.staffing", YearOverYear, Error, "docs/domain.md#changes-against-last-years-disclosure Y4",
        "所述在职、退休、离休人数较上年增减与上年公开人数一致", "A stated change in headcount agrees with last year's published headcount",
        "在职 105 人，减少 7 人: last year's 部门概况 printed 112 在职; headcounts are whole numbers, so they must agree exactly.";
    Y_PROJECT_DROPPED = "Y.project-dropped", YearOverYear, Warning, "docs/domain.md#changes-against-last-years-disclosure Y5",
        "上年所列跨年度项目本年未列示也未说明", "A multi-year project of last year's disclosure is gone without a word",
        "A project whose 资金执行时间 began before this year and runs into it is expected again; if it ended early or was merged, the disclosure should say so.";
    Y_CLASS_APPEARS = "Y.class-appears", YearOverYear, Warning, "docs/domain.md#changes-against-last-years-disclosure Y6",
        "大额功能分类（类）较上年新增或消失", "A large function class appears or vanishes on last year",
        "A 类 of at least 10% of a year's expenditure with no money in the other year is a change of functions or a misclassification, and a reviewer asks which.";
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::rule::Check;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(!r.id.contains(' '), "{}", r.id);
            assert!(
                !r.title_zh.is_empty() && !r.title_en.is_empty() && !r.reason.is_empty(),
                "{}",
                r.id
            );
        }
        assert_eq!(rule("T6.hierarchy").map(|r| r.id), Some("T6.hierarchy"));
        assert!(rule("nope").is_none());
    }

    #[test]
    fn every_family_of_validation_has_rules_and_no_rule_is_of_another_check() {
        for f in Check::Validation.families() {
            assert!(ALL.iter().any(|r| r.family == f), "{f:?}");
        }
        for r in ALL {
            assert_eq!(r.check(), Check::Validation, "{}", r.id);
        }
    }

    /// `docs/domain.md`, the reference every basis cites; it lives in the repository so that a
    /// basis can be followed by anyone who reads the rule.
    fn domain_md() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/domain.md");
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn docs_domain_md_gives_every_heading_its_own_anchor() {
        let sections = budgetflow_model::basis::sections(&domain_md());
        let mut seen = HashSet::new();
        for (anchor, _) in &sections {
            assert!(seen.insert(anchor.as_str()), "two headings share #{anchor}");
        }
    }

    /// Every basis cites a section of docs/domain.md that exists and states the identities it
    /// names, and no `domain.md` outside the repository.
    #[test]
    fn every_basis_cites_a_section_of_docs_domain_md_that_states_it() {
        let domain = domain_md();
        for r in ALL {
            let problems = budgetflow_model::basis::problems(r.basis, &domain);
            assert!(problems.is_empty(), "{}: {problems:?}", r.id);
        }
    }

    #[test]
    fn docs_rules_md_links_each_basis_into_docs_domain_md() {
        assert_eq!(
            budgetflow_model::basis::markdown(
                "docs/domain.md#classified-projects; 财预〔2016〕143号 第三条"
            ),
            "[classified-projects](domain.md#classified-projects); 财预〔2016〕143号 第三条"
        );
        assert!(budgetflow_model::rule::rules_markdown(ALL)
            .contains("(domain.md#classification-hierarchy)"));
    }
}
