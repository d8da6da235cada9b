//! The two sheets that are not the document: 填报说明 (how to fill the workbook, first; the
//! public workbook's also says how its text cells are protected from running as formulas) and
//! the hidden 代码表 (the year's functional and economic code catalogs, behind the drop-down
//! lists of every code column).

use budgetflow_model::{Catalog, FiscalYear};

use super::formulas::TEXT_PREFIX;
use super::{Book, Form};
use crate::error::WorkbookError;
use crate::layout;

/// The instructions, one paragraph per row; the public workbook's end with how its text cells
/// are neutralised.
fn instructions(year: FiscalYear, form: Form) -> Vec<String> {
    let mut lines = vec![
        format!("{year} 年部门预算公开 — 填报工作簿"),
        "一、本工作簿每张工作表对应公开文件的一部分：封面、部门概况、表1至表11、情况说明、项目说明、部门整体绩效目标、项目绩效目标、名词解释。请勿修改工作表名称、表头和首列标签；可以增加数据行。".into(),
        "二、封面：填写部门名称、预算年度、公开类型（部门预算、单位预算、部门决算、单位决算）、标题、公开日期（如 2025-01-20）和落款。部门名称为空的工作簿视为未填写，不予受理。".into(),
        "三、表1至表11：标题下第二行依次为表号、“编制部门：”（在冒号后填写）和“单位：万元”。金额单位为万元，保留两位小数，单元格格式为 #,##0.00；空白单元格表示该项未列示，与 0.00 不同。".into(),
        "四、功能分类科目编码、经济分类科目编码请从下拉列表中选择，或直接输入完整编码（如 2150502、30217）；编码按文本保存。总计 / 合计行的编码留空。".into(),
        "五、表1、表4、表10 的收入项目已按标准格式列出，请勿改动标签；隐藏的“标准行”列供系统识别，请勿删除。表7、表11 的“行类型”请从下拉列表选择（合计、单位、类、款、项、项目）。涉密项目名称填写为“特定目标 XXXXXXXX”。".into(),
        "六、表格下方的说明（如空表说明）：在数据行之后空一行，首列填写“表注”，第二列填写说明文字，每条一行。".into(),
        "七、情况说明：每行一个内容，“类型”列为 节、小标题、段落、项目说明、部门整体绩效目标表、项目绩效目标表 之一。“节”和“小标题”在“编号”列填写序号（一 = 1）。项目说明、绩效目标表的内容分别填在“项目说明”“部门整体绩效目标”“项目绩效目标”工作表，按出现顺序对应。".into(),
        "八、段落中的金额、占比、增减等数字由系统从文字中自动提取，无需另行填写；请按“比上年预算增加 x 万元，增长 y%”等规范表述书写。".into(),
        "九、绩效目标表：每个表为一个块，块与块之间空一行。指标行依次填写一级指标、二级指标、三级指标、指标值（如 >=90%、<=8 小时、不断提高）、指标值设置依据、上年完成值、指标分值权重、指标赋分规则（按照完成比例赋分、直接赋分、按评判等级赋分、满意度赋分）和佐证资料。".into(),
        "十、不予公开的内容填写“完全不予公开。”。".into(),
    ];
    if form == Form::Public {
        lines.push(format!(
            "十一、本工作簿为公开版：文字单元格的内容以 =、+、-、@、制表符或回车开头时，已在前面加上单引号 {TEXT_PREFIX}，以免电子表格软件将其作为公式执行（OWASP 关于 CSV / 公式注入的建议）；金额单元格仍为数字，未加前缀。使用数据时请去掉该单引号。"
        ));
    }
    lines
}

/// 填报说明: the same for every workbook of a year and form, so built once per year and form.
pub(super) fn notes(book: &mut Book) -> Result<(), WorkbookError> {
    let (year, form) = (book.year, book.form);
    book.year_sheet(layout::NOTES, |s| {
        s.widths(&[110.0]);
        for (i, line) in instructions(year, form).iter().enumerate() {
            if i == 0 {
                s.label(0, 0, line)?;
            } else {
                s.text(i as u32 + 1, 0, line)?;
            }
        }
        Ok(())
    })
}

/// Codes with their names, as the code sheet lists them.
type CodeList = Vec<(String, &'static str)>;

/// Function codes, then economic codes, of `year`'s catalog, sorted as the sheet lists them.
fn catalogs(year: FiscalYear) -> (CodeList, CodeList) {
    let c = Catalog::for_year(year);
    let functions = c
        .functions()
        .map(|e| (e.code.to_string(), e.name))
        .collect();
    let mut economics: Vec<(String, &'static str)> = c
        .economics()
        .map(|e| (e.code.to_string(), e.name))
        .collect();
    economics.sort();
    (functions, economics)
}

fn range(col: char, n: usize) -> String {
    format!("${col}$2:${col}${}", n.max(1) + 1)
}

/// The range of the function codes on the code sheet.
pub(super) fn function_range(year: FiscalYear) -> String {
    range('A', Catalog::for_year(year).functions().count())
}

/// The range of the economic codes on the code sheet.
pub(super) fn economic_range(year: FiscalYear) -> String {
    range('C', Catalog::for_year(year).economics().count())
}

/// 代码表 (hidden): the same for every workbook of a year, so built once per year.
pub(super) fn codes(book: &mut Book) -> Result<(), WorkbookError> {
    let year = book.year;
    book.year_sheet(layout::CODES, |s| {
        let (functions, economics) = catalogs(year);
        for (c, h) in [
            "功能分类科目编码",
            "功能分类科目名称",
            "经济分类科目编码",
            "经济分类科目名称",
        ]
        .iter()
        .enumerate()
        {
            s.label(0, c as u16, h)?;
        }
        for (col, list) in [(0u16, &functions), (2, &economics)] {
            for (i, (code, name)) in list.iter().enumerate() {
                s.code(i as u32 + 1, col, Some(code))?;
                s.text(i as u32 + 1, col + 1, name)?;
            }
        }
        s.widths(&[14.0, 40.0, 14.0, 40.0]);
        s.hide();
        Ok(())
    })
}
