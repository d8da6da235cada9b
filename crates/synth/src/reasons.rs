//! Why an amount changed: the `主要原因是 …` clause that must follow every change the
//! narrative states. Reasons depend on what kind of money moved and in which direction.

use budgetflow_model::FunctionCode;

use crate::money::YearOnYear;

/// What a functional 项 pays for, as far as its reason is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pension,
    Annuity,
    Retirement,
    Medical,
    HousingFund,
    Administration,
    Institution,
    Projects,
}

fn kind(code: &FunctionCode, basic_dominates: bool) -> Kind {
    match code.as_str() {
        "2080505" => Kind::Pension,
        "2080506" => Kind::Annuity,
        "2080501" | "2080502" => Kind::Retirement,
        "2101101" | "2101102" => Kind::Medical,
        "2210201" => Kind::HousingFund,
        c if basic_dominates && c.ends_with("01") => Kind::Administration,
        _ if basic_dominates => Kind::Institution,
        _ => Kind::Projects,
    }
}

/// The reason for the change of one 项 of the general budget (§五(三)). `basic_dominates`:
/// the 项 is mostly basic expenditure; `project`: its largest named project, if any.
pub fn for_xiang(
    code: &FunctionCode,
    yoy: YearOnYear,
    basic_dominates: bool,
    project: Option<&str>,
) -> String {
    if yoy.change() == 0 {
        return "本年度该科目预算安排与上年持平".to_string();
    }
    let up = yoy.is_increase();
    match (kind(code, basic_dominates), up) {
        (Kind::Pension, true) => {
            "在职人员工资基数调整，机关事业单位基本养老保险缴费支出增加".to_string()
        }
        (Kind::Pension, false) => "在职人员减少，基本养老保险缴费支出减少".to_string(),
        (Kind::Annuity, true) => "在职人员工资基数调整，职业年金缴费支出增加".to_string(),
        (Kind::Annuity, false) => "在职人员减少，职业年金缴费支出减少".to_string(),
        (Kind::Retirement, true) => "退休人员基本养老金标准提高，离退休支出增加".to_string(),
        (Kind::Retirement, false) => "退休人员减少，离退休支出减少".to_string(),
        (Kind::Medical, true) => "医疗保险缴费基数调整，医疗保险缴费支出增加".to_string(),
        (Kind::Medical, false) => "在职人员减少，医疗保险缴费支出减少".to_string(),
        (Kind::HousingFund, true) => "住房公积金缴存基数调整，住房公积金支出增加".to_string(),
        (Kind::HousingFund, false) => "在职人员减少，住房公积金支出减少".to_string(),
        (Kind::Administration, true) => "人员职级晋升和工资调整，行政运行支出增加".to_string(),
        (Kind::Administration, false) => "在职人员减少，行政运行支出减少".to_string(),
        (Kind::Institution, true) => {
            "本年度人员职级晋升和工资调整，因此事业运行支出增加".to_string()
        }
        (Kind::Institution, false) => {
            "在职人员减少，工资及社会保障缴费减少，因此事业运行支出减少".to_string()
        }
        (Kind::Projects, true) => match project {
            Some(p) => format!("增加{p}"),
            None => "本年度根据工作需要调整项目内容，增加项目支出".to_string(),
        },
        (Kind::Projects, false) => match project {
            Some(p) => format!("本年度压减一般性支出，{p}预算减少"),
            None => "本年度压减一般性支出，项目支出减少".to_string(),
        },
    }
}

/// 一般公共预算 (一般财力) in §二.
pub fn own_budget(year: i32, yoy: YearOnYear, project: Option<&str>) -> String {
    match (yoy.is_increase(), project) {
        (true, Some(p)) => format!("{year} 年一般公共预算增加{p}等项目"),
        (true, None) => "人员职级晋升和工资调整，人员经费增加".to_string(),
        (false, _) => format!("{year} 年一般公共预算压减一般性支出，部分项目支出减少"),
    }
}

/// 上级一般公共预算安排的转移支付 in §二.
pub fn transfer(year: i32, yoy: YearOnYear, project: Option<&str>) -> String {
    match (yoy.is_increase(), project) {
        (true, Some(p)) => format!("{year} 年上级一般公共预算增加{p}等专项转移支付资金"),
        (true, None) => format!("{year} 年上级一般公共预算专项转移支付资金增加"),
        (false, _) => format!("{year} 年上级一般公共预算专项转移支付资金减少"),
    }
}

/// 财政拨款结转 in §二.
pub fn fiscal_carry_over(year: i32, yoy: YearOnYear) -> String {
    if yoy.is_increase() {
        format!(
            "{} 年部分项目资金未执行完毕，结转至 {year} 年继续使用",
            year - 1
        )
    } else {
        format!("{year} 年财政拨款结转项目减少")
    }
}

/// 非财政拨款结转结余 in §二.
pub fn non_fiscal_carry_over(yoy: YearOnYear, item: Option<&str>) -> String {
    match (yoy.is_increase(), item) {
        (true, Some(name)) => format!("将{name}结转结余编入预算"),
        (true, None) => "非财政拨款结转结余编入预算".to_string(),
        (false, _) => "非财政拨款结转结余项目减少".to_string(),
    }
}

/// 基本支出 in §三 and §五(一).
pub fn basic(yoy: YearOnYear) -> String {
    if yoy.is_increase() {
        "人员职级晋升和工资调整，工资及社会保障缴费增加，基本支出预算增加".to_string()
    } else {
        "在职人员减少，工资及社会保障缴费减少，基本支出预算减少".to_string()
    }
}

/// 项目支出 in §三 and §五(一).
pub fn projects(year: i32, yoy: YearOnYear, project: Option<&str>) -> String {
    match (yoy.is_increase(), project) {
        (true, Some(p)) => format!("{year} 年项目支出预算增加{p}等项目"),
        (true, None) => format!("{year} 年项目支出预算增加"),
        (false, _) => format!("{year} 年项目支出预算压减一般性支出，部分项目减少"),
    }
}

/// The four 三公 items in §十.
pub fn three_public(item: ThreePublicItem, year: i32, yoy: YearOnYear) -> String {
    let prev = year - 1;
    if yoy.current == 0 && yoy.last == 0 {
        return match item {
            ThreePublicItem::Overseas => format!("{prev} 年与 {year} 年均未安排因公出国（境）费用"),
            ThreePublicItem::Purchase => format!("{prev} 年与 {year} 年均未安排公务用车购置"),
            ThreePublicItem::Operation => format!("{prev} 年与 {year} 年均未安排公务用车运行费"),
            ThreePublicItem::Reception => format!("{prev} 年与 {year} 年均未安排公务接待费"),
        };
    }
    match (item, yoy.change().signum()) {
        (ThreePublicItem::Operation, 1) => {
            "车辆使用年限增长，维修保养费用增加，导致本年度公务用车运行费预算增加".to_string()
        }
        (ThreePublicItem::Operation, -1) => {
            "机构改革车辆编制数减少，导致本年度公务用车运行费预算减少".to_string()
        }
        (ThreePublicItem::Reception, 1) => "本年度公务接待任务增加".to_string(),
        (ThreePublicItem::Reception, -1) => {
            format!("{year} 年严格执行公务接待标准，压减公务接待费")
        }
        (ThreePublicItem::Reception, _) => format!("{year} 年严格执行公务接待标准"),
        (ThreePublicItem::Overseas, 1) => "本年度安排因公出国（境）任务".to_string(),
        (ThreePublicItem::Purchase, 1) => "本年度按规定更新公务用车".to_string(),
        (_, -1) => "本年度压减“三公”经费支出".to_string(),
        _ => "本年度预算安排与上年持平".to_string(),
    }
}

/// The 三公 total in §十: the item that moved most.
pub fn three_public_total(total: YearOnYear, items: &[(&str, YearOnYear)]) -> String {
    let driver = items
        .iter()
        .filter(|(_, yoy)| yoy.change() != 0)
        .max_by_key(|(_, yoy)| yoy.change().abs());
    match driver {
        Some((label, yoy)) if total.change() != 0 => {
            let direction = if yoy.is_increase() {
                "增加"
            } else {
                "减少"
            };
            format!("{label}预算{direction}")
        }
        _ => "“三公”经费预算与上年持平".to_string(),
    }
}

/// The items of 表10 the narrative explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreePublicItem {
    Overseas,
    Purchase,
    Operation,
    Reception,
}

/// 机关运行经费 in §十二(一).
pub fn running_cost(yoy: YearOnYear) -> String {
    if yoy.is_increase() {
        "日常公用经费定额标准调整，单位运行经费财政拨款预算增加".to_string()
    } else {
        "在职人员减少，单位运行经费财政拨款预算减少".to_string()
    }
}
