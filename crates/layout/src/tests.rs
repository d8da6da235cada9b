//! The layout of budget disclosures, page by page: tables with their headers, continued
//! tables, empty tables, prose running across pages, and what is not content.

use crate::test_pages::{centred, page, right, word};
use crate::*;

const SIZE: f32 = 12.0;

/// A line of prose from `x0` to `x1` (full lines of Chinese prose are justified to the
/// margin, whatever their character count).
fn prose(text: &str, x0: f32, x1: f32, top: f32) -> Word {
    let mut w = word(text, x0, top, SIZE);
    w.x1 = x1;
    w
}

/// A centred caption in a larger font, and the meta line under it.
fn caption_and_meta(caption: &str, top: f32) -> Vec<Word> {
    vec![
        centred(caption, 421.0, top, 18.0),
        word("编制单位：上海市某某局", 58.0, top + 28.0, SIZE),
        right("单位：元", 782.0, top + 28.0, SIZE),
    ]
}

/// The revenue table's three-line header: `项目` over the code and name columns, `收入预算`
/// over the amounts, codes split into 类/款/项, and `事业单位经营收入` wrapped in two lines.
fn revenue_header(top: f32) -> Vec<Word> {
    vec![
        centred("项目", 200.0, top, SIZE),
        centred("收入预算", 560.0, top, SIZE),
        centred("功能分类科目编码", 110.0, top + 22.0, SIZE),
        centred("事业单位", 664.0, top + 26.0, SIZE),
        centred("功能分类科目名称", 257.0, top + 33.0, SIZE),
        centred("合计", 405.0, top + 33.0, SIZE),
        centred("财政拨款收入", 498.0, top + 33.0, SIZE),
        centred("经营收入", 664.0, top + 40.0, SIZE),
        centred("类", 73.0, top + 44.0, SIZE),
        centred("款", 107.0, top + 44.0, SIZE),
        centred("项", 141.0, top + 44.0, SIZE),
    ]
}

/// A body row of the revenue table: codes, a name, the total and the appropriation.
fn revenue_row(top: f32, codes: &[&str], name: &str, amounts: &[&str]) -> Vec<Word> {
    let mut words = Vec::new();
    for (code, x) in codes.iter().zip([65.0, 101.0, 135.0]) {
        if !code.is_empty() {
            words.push(word(code, x, top, SIZE));
        }
    }
    words.push(word(name, 160.0, top, SIZE));
    for (amount, x1) in amounts.iter().zip([451.0, 541.0]) {
        words.push(right(amount, x1, top, SIZE));
    }
    words
}

fn tables(layout: &Layout) -> Vec<&Table> {
    layout
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn paths(table: &Table) -> Vec<Vec<&str>> {
    table
        .columns
        .iter()
        .map(|c| c.path.iter().map(String::as_str).collect())
        .collect()
}

fn cells(row: &Row) -> Vec<&str> {
    row.cells.iter().map(String::as_str).collect()
}

#[test]
fn a_revenue_table_has_a_label_path_per_leaf_column_and_a_wrapped_header_label_joined() {
    let mut words = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    words.extend(revenue_header(120.0));
    words.extend(revenue_row(
        190.0,
        &["201", "", ""],
        "一般公共服务支出",
        &["21,601,733.00", "21,601,733.00"],
    ));
    words.extend(revenue_row(
        212.0,
        &["201", "13", "01"],
        "行政运行",
        &["9,389,913.00", "9,389,913.00"],
    ));
    let layout = analyse(&[page(10, words)]).unwrap();

    let tables = tables(&layout);
    assert_eq!(tables.len(), 1);
    let table = tables[0];
    assert_eq!(table.caption, "2025年预算单位收入预算总表");
    assert_eq!(table.page, 10);
    assert_eq!(
        table.compiler,
        Some(Field {
            label: "编制单位".into(),
            value: "上海市某某局".into()
        })
    );
    assert_eq!(
        table.unit,
        Some(Field {
            label: "单位".into(),
            value: "元".into()
        })
    );
    assert_eq!(
        paths(table),
        vec![
            vec!["项目", "功能分类科目编码", "类"],
            vec!["项目", "功能分类科目编码", "款"],
            vec!["项目", "功能分类科目编码", "项"],
            vec!["项目", "功能分类科目名称"],
            vec!["收入预算", "合计"],
            vec!["收入预算", "财政拨款收入"],
            vec!["收入预算", "事业单位经营收入"],
        ]
    );
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        cells(&table.rows[1]),
        [
            "201",
            "13",
            "01",
            "行政运行",
            "9,389,913.00",
            "9,389,913.00",
            ""
        ]
    );
    assert_eq!(table.rows[1].page, 10);
}

#[test]
fn a_name_wrapped_onto_a_line_without_amounts_joins_the_row_above() {
    let mut words = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    words.extend(revenue_header(120.0));
    words.extend(revenue_row(
        190.0,
        &["215", "08", "99"],
        "其他支持中小企业发展",
        &["293,810,000.00", "293,810,000.00"],
    ));
    words.push(word("和管理支出", 160.0, 202.5, SIZE));
    words.extend(revenue_row(
        226.0,
        &["221", "", ""],
        "住房保障支出",
        &["2,849,034.00", "2,849,034.00"],
    ));
    let layout = analyse(&[page(1, words)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[0].cells[3], "其他支持中小企业发展和管理支出");
    assert_eq!(table.rows[1].cells[3], "住房保障支出");
}

#[test]
fn a_table_continued_on_the_next_page_is_one_table_without_the_repeated_header() {
    let mut first = caption_and_meta("2025年预算单位一般公共预算支出功能分类预算表", 60.0);
    first.extend(revenue_header(120.0));
    first.extend(revenue_row(
        190.0,
        &["201", "", ""],
        "一般公共服务支出",
        &["100.00", "100.00"],
    ));
    first.extend(revenue_row(
        212.0,
        &["201", "13", ""],
        "商贸事务",
        &["100.00", "100.00"],
    ));
    let mut second = revenue_header(40.0);
    second.extend(revenue_row(
        110.0,
        &["201", "13", "01"],
        "行政运行",
        &["100.00", "100.00"],
    ));
    second.push(word("合计", 196.0, 132.0, SIZE));
    second.push(right("100.00", 451.0, 132.0, SIZE));
    second.push(right("100.00", 541.0, 132.0, SIZE));
    let layout = analyse(&[page(15, first), page(16, second)]).unwrap();

    let tables = tables(&layout);
    assert_eq!(tables.len(), 1, "{:#?}", layout.blocks);
    let table = tables[0];
    let rows: Vec<(u32, &str)> = table
        .rows
        .iter()
        .map(|r| (r.page, r.cells[3].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (15, "一般公共服务支出"),
            (15, "商贸事务"),
            (16, "行政运行"),
            (16, "合计")
        ]
    );
    assert_eq!(cells(&table.rows[3])[4..6], ["100.00", "100.00"]);
}

#[test]
fn a_table_continued_without_repeating_its_header_keeps_its_columns() {
    let mut first = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    first.extend(revenue_header(120.0));
    first.extend(revenue_row(
        190.0,
        &["208", "05", "05"],
        "机关事业单位基本养老保险缴费支出",
        &["1,410,886.00", "1,410,886.00"],
    ));
    let second = revenue_row(
        76.0,
        &["208", "05", "06"],
        "机关事业单位职业年金缴费支出",
        &["705,443.00", "705,443.00"],
    );
    let layout = analyse(&[page(10, first), page(11, second)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        cells(&table.rows[1]),
        [
            "208",
            "05",
            "06",
            "机关事业单位职业年金缴费支出",
            "705,443.00",
            "705,443.00",
            ""
        ]
    );
    assert_eq!(table.rows[1].page, 11);
}

#[test]
fn an_empty_table_keeps_its_total_row_and_its_note() {
    let mut words = caption_and_meta("2025年预算单位政府性基金预算支出功能分类预算表", 60.0);
    words.extend(revenue_header(120.0));
    words.push(centred("合计", 200.0, 400.0, SIZE));
    words.push(word(
        "注:本单位2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",
        58.0,
        422.0,
        SIZE,
    ));
    let layout = analyse(&[page(17, words)]).unwrap();

    let tables = tables(&layout);
    assert_eq!(tables.len(), 1);
    let table = tables[0];
    assert_eq!(table.columns.len(), 7);
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].cells[3], "合计");
    assert!(table.rows[0]
        .cells
        .iter()
        .enumerate()
        .all(|(i, c)| i == 3 || c.is_empty()));
    assert_eq!(
        table.notes,
        [Note {
            text: "注:本单位2025年无政府性基金预算财政拨款安排的预算，故本表为空表。".into(),
            page: 17
        }]
    );
    assert_eq!(layout.blocks.len(), 1, "the note is not also a paragraph");
}

#[test]
fn a_two_sided_table_has_the_revenue_and_the_expenditure_columns_aligned_in_one_row() {
    let mut words = caption_and_meta("2025年预算单位财务收支预算总表", 60.0);
    words.extend([
        centred("本年收入", 170.0, 120.0, SIZE),
        centred("本年支出", 535.0, 120.0, SIZE),
        centred("预算数", 618.0, 142.0, SIZE),
        centred("项目", 125.0, 164.0, SIZE),
        centred("预算数", 240.0, 164.0, SIZE),
        centred("项目", 367.0, 164.0, SIZE),
        centred("基本支出", 618.0, 164.0, SIZE),
        centred("合计", 495.0, 175.0, SIZE),
        centred("项目支出", 741.0, 175.0, SIZE),
        centred("人员经费", 581.0, 186.0, SIZE),
        centred("公用经费", 660.0, 186.0, SIZE),
    ]);
    for (top, income, income_amount, spending, amounts) in [
        (
            208.0,
            "一、财政拨款收入",
            "371,514,655.00",
            "一、一般公共服务支出",
            [
                "21,601,733.00",
                "10,823,891.00",
                "1,467,842.00",
                "9,310,000.00",
            ],
        ),
        (
            230.0,
            "二、事业收入",
            "",
            "二、科学技术支出",
            ["17,200,000.00", "", "", "17,200,000.00"],
        ),
    ] {
        words.push(word(income, 58.0, top, SIZE));
        if !income_amount.is_empty() {
            words.push(right(income_amount, 283.0, top, SIZE));
        }
        words.push(word(spending, 287.0, top, SIZE));
        for (amount, x1) in amounts.iter().zip([538.0, 621.5, 694.0, 784.0]) {
            if !amount.is_empty() {
                words.push(right(amount, x1, top, SIZE));
            }
        }
    }
    let layout = analyse(&[page(9, words)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(
        paths(table),
        vec![
            vec!["本年收入", "项目"],
            vec!["本年收入", "预算数"],
            vec!["本年支出", "项目"],
            vec!["本年支出", "预算数", "合计"],
            vec!["本年支出", "预算数", "基本支出", "人员经费"],
            vec!["本年支出", "预算数", "基本支出", "公用经费"],
            vec!["本年支出", "预算数", "项目支出"],
        ]
    );
    assert_eq!(
        cells(&table.rows[0]),
        [
            "一、财政拨款收入",
            "371,514,655.00",
            "一、一般公共服务支出",
            "21,601,733.00",
            "10,823,891.00",
            "1,467,842.00",
            "9,310,000.00"
        ]
    );
    assert_eq!(
        cells(&table.rows[1]),
        [
            "二、事业收入",
            "",
            "二、科学技术支出",
            "17,200,000.00",
            "",
            "",
            "17,200,000.00"
        ]
    );
}

#[test]
fn the_three_public_expenses_table_has_a_three_level_header_and_one_row_in_ten_thousands() {
    let mut words = vec![
        centred(
            "2025年单位“三公”经费和机关运行经费预算表",
            421.0,
            100.0,
            18.0,
        ),
        word("编制单位：上海市某某局", 56.0, 133.0, SIZE),
        right("单位:万元", 762.0, 133.0, SIZE),
        centred("“三公”经费预算数", 359.0, 162.0, SIZE),
        centred("机关运行经费预算", 713.5, 185.0, SIZE),
        centred("公务用车购置及运行费", 510.7, 192.0, SIZE),
        centred("数", 713.5, 199.5, SIZE),
        centred("合计", 105.0, 207.0, SIZE),
        centred("因公出国(境)费", 206.5, 207.0, SIZE),
        centred("公务接待费", 308.0, 207.0, SIZE),
        centred("小计", 409.0, 222.0, SIZE),
        centred("购置费", 510.7, 222.0, SIZE),
        centred("运行费", 612.0, 222.0, SIZE),
    ];
    words.push(right("1.00", 148.0, 269.0, SIZE));
    words.push(right("1.00", 351.0, 269.0, SIZE));
    words.push(right("171.01", 762.0, 269.0, SIZE));
    let layout = analyse(&[page(21, words)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(table.unit.as_ref().map(|u| u.value.as_str()), Some("万元"));
    let car = ["“三公”经费预算数", "公务用车购置及运行费"];
    assert_eq!(
        paths(table),
        vec![
            vec!["“三公”经费预算数", "合计"],
            vec!["“三公”经费预算数", "因公出国(境)费"],
            vec!["“三公”经费预算数", "公务接待费"],
            vec![car[0], car[1], "小计"],
            vec![car[0], car[1], "购置费"],
            vec![car[0], car[1], "运行费"],
            vec!["机关运行经费预算数"],
        ]
    );
    assert_eq!(table.rows.len(), 1);
    assert_eq!(
        cells(&table.rows[0]),
        ["1.00", "", "1.00", "", "", "", "171.01"]
    );
}

#[test]
fn a_paragraph_runs_on_across_a_page_break_without_cutting_a_word() {
    let first = vec![
        centred("上海市某某局主要职能", 421.0, 74.0, 18.0),
        prose(
            "1、组织协调本区工商业、煤炭、电力、石油日常运行的监控，协调、安排季节性能源调度；",
            81.0,
            783.0,
            540.0,
        ),
        prose("负责工业节", 57.0, 117.0, 555.0),
    ];
    let second = vec![
        prose("能降耗和资源综合利用。", 57.0, 189.0, 60.0),
        prose(
            "2、组织协调本区商品交易市场规划，承担本区重要消费品市场调控和重要生产资料流通管理；",
            81.0,
            783.0,
            75.0,
        ),
    ];
    let layout = analyse(&[page(3, first), page(4, second)]).unwrap();

    assert_eq!(
        layout.blocks,
        [
            Block::Heading(Heading { text: "上海市某某局主要职能".into(), page: 3 }),
            Block::Paragraph(Paragraph {
                text: "1、组织协调本区工商业、煤炭、电力、石油日常运行的监控，协调、安排季节性能源调度；负责工业节能降耗和资源综合利用。".into(),
                first_page: 3,
                last_page: 4,
            }),
            Block::Paragraph(Paragraph {
                text: "2、组织协调本区商品交易市场规划，承担本区重要消费品市场调控和重要生产资料流通管理；".into(),
                first_page: 4,
                last_page: 4,
            }),
        ]
    );
}

#[test]
fn paragraphs_start_at_an_indent_or_a_numbered_item_and_section_titles_are_headings() {
    let lines = [
        ("一、单位主要职能", 57.0, 153.0),
        (
            "上海市某某局是主管全区产业经济的区政府工作部门，为正处级，加挂上海市某某局牌子。",
            81.0,
            783.0,
        ),
        ("主要职能包括：", 81.0, 165.0),
        (
            "（一）财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的",
            57.0,
            783.0,
        ),
        ("财政拨款。", 57.0, 117.0),
        (
            "1.“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于",
            57.0,
            783.0,
        ),
        ("机关行政运行。", 57.0, 141.0),
        ("The office publishes its budget", 57.0, 783.0),
        ("every year.", 57.0, 120.0),
    ];
    let words = lines
        .iter()
        .enumerate()
        .map(|(i, (text, x0, x1))| prose(text, *x0, *x1, 100.0 + 15.0 * i as f32))
        .collect();
    let layout = analyse(&[page(3, words)]).unwrap();

    let shown: Vec<String> = layout
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading(h) => format!("H {}", h.text),
            Block::Paragraph(p) => format!("P {}", p.text),
            Block::Table(t) => format!("T {}", t.caption),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "H 一、单位主要职能",
            "P 上海市某某局是主管全区产业经济的区政府工作部门，为正处级，加挂上海市某某局牌子。",
            "P 主要职能包括：",
            "P （一）财政拨款收入：是区级预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款。",
            "P 1.“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于机关行政运行。The office publishes its budget every year.",
        ]
    );
}

#[test]
fn page_numbers_and_running_headers_are_furniture_and_a_number_in_the_text_is_not() {
    let pages: Vec<PageWords> = (1..=4)
        .map(|n| {
            page(
                n,
                vec![
                    centred("上海市某某局2025年单位预算", 421.0, 20.0, 9.0),
                    prose(
                        &format!("第{n}页正文，说明本单位的预算情况和主要职能以及其他的情况。"),
                        57.0,
                        783.0,
                        100.0,
                    ),
                    centred("8", 421.0, 300.0, SIZE),
                    centred(&format!("- {n} -"), 421.0, 570.0, 9.0),
                ],
            )
        })
        .collect();
    let layout = analyse(&pages).unwrap();

    assert_eq!(layout.furniture.len(), 8);
    let texts: Vec<String> = layout.furniture.iter().map(Line::text).collect();
    assert!(texts.contains(&"- 3 -".to_string()));
    assert!(texts.contains(&"上海市某某局2025年单位预算".to_string()));
    let kept_eight = layout.blocks.iter().filter(|b| {
        matches!(b, Block::Heading(h) if h.text == "8")
            || matches!(b, Block::Paragraph(p) if p.text == "8")
    });
    assert_eq!(kept_eight.count(), 4);
}

#[test]
fn a_word_with_no_position_is_refused_with_its_page() {
    let mut bad = word("合计", 60.0, 100.0, SIZE);
    bad.x1 = f32::INFINITY;
    let err = analyse(&[page(1, vec![]), page(2, vec![bad])]).unwrap_err();
    assert!(
        matches!(
            err,
            LayoutError::NotFinite {
                page: 2,
                index: 0,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_total_row_ending_several_pages_at_the_same_height_is_not_a_running_footer() {
    let pages: Vec<PageWords> = (1..=4)
        .map(|n| {
            let mut words = caption_and_meta("2025年预算单位收入预算总表", 60.0);
            words.extend(revenue_header(120.0));
            words.extend(revenue_row(
                190.0,
                &["201", "", ""],
                "一般公共服务支出",
                &["100.00", "100.00"],
            ));
            words.push(word("合计", 196.0, 545.0, SIZE));
            words.push(right(&format!("{n}00.00"), 451.0, 545.0, SIZE));
            words.push(right(&format!("{n}00.00"), 541.0, 545.0, SIZE));
            page(n, words)
        })
        .collect();
    let layout = analyse(&pages).unwrap();

    assert!(layout.furniture.is_empty());
    let tables = tables(&layout);
    assert_eq!(tables.len(), 4);
    assert!(tables
        .iter()
        .all(|t| t.rows.len() == 2 && t.rows[1].cells[3] == "合计"));
}

#[test]
fn an_empty_table_whose_only_row_says_none_reads_that_row_as_body_not_header() {
    let mut words = caption_and_meta("2026年预算单位国有资本经营预算支出功能分类预算表", 60.0);
    words.extend(revenue_header(120.0));
    words.push(centred("无", 73.0, 188.0, SIZE));
    words.push(centred("合计", 200.0, 400.0, SIZE));
    words.push(word(
        "注:本单位2026年无国有资本经营预算财政拨款安排的预算，故本表为空表。",
        58.0,
        422.0,
        SIZE,
    ));
    let layout = analyse(&[page(17, words)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(table.columns.len(), 7);
    assert_eq!(table.columns[0].path, ["项目", "功能分类科目编码", "类"]);
    let rows: Vec<String> = table.rows.iter().map(|r| r.cells.concat()).collect();
    assert_eq!(rows, ["无", "合计"]);
    assert_eq!(table.notes.len(), 1);
}

#[test]
fn a_contents_page_and_a_numbered_sentence_split_around_its_number_are_not_tables() {
    let words = vec![
        centred("目录", 421.0, 55.0, 20.0),
        word("一、部门主要职能", 53.0, 117.0, 14.0),
        prose("………………………………………………………………", 180.0, 760.0, 117.0),
        word("1.", 82.0, 137.0, 14.0),
        word("2025年部门财务收支预算总表", 103.0, 137.0, 14.0),
        prose("………………………………………………", 500.0, 760.0, 137.0),
        centred("2025年部门预算编制说明", 421.0, 200.0, 18.0),
        word("1.", 60.0, 240.0, SIZE),
        prose(
            "“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，主要用于机关行政运行",
            80.0,
            770.0,
            240.0,
        ),
        word("。", 775.0, 240.0, SIZE),
    ];
    let layout = analyse(&[page(2, words)]).unwrap();

    assert!(tables(&layout).is_empty(), "{:#?}", layout.blocks);
    assert!(layout
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph(p) if p.text.starts_with("1.“一般公共服务支出"))));
}

#[test]
fn a_table_printed_without_a_header_gets_one_unlabelled_column_per_run_of_cells() {
    let mut words = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    words.extend(revenue_row(
        120.0,
        &["201", "", ""],
        "一般公共服务支出",
        &["21,601,733.00", "21,601,733.00"],
    ));
    words.extend(revenue_row(
        142.0,
        &["201", "13", "01"],
        "行政运行",
        &["9,389,913.00", "9,389,913.00"],
    ));
    let layout = analyse(&[page(1, words)]).unwrap();

    let table = tables(&layout)[0];
    assert!(table.columns.iter().all(|c| c.path.is_empty()));
    assert_eq!(
        table.rows.iter().map(cells).collect::<Vec<_>>(),
        [
            vec![
                "201",
                "",
                "",
                "一般公共服务支出",
                "21,601,733.00",
                "21,601,733.00"
            ],
            vec![
                "201",
                "13",
                "01",
                "行政运行",
                "9,389,913.00",
                "9,389,913.00"
            ],
        ]
    );
}

#[test]
fn a_note_wrapped_over_two_lines_is_one_note_and_prose_before_a_table_is_closed_by_it() {
    let mut words = vec![prose(
        "本单位预算表如下，单位为元，“三公”经费和机关运行经费预算表的单位为万元。",
        81.0,
        783.0,
        20.0,
    )];
    words.extend(caption_and_meta("2025年预算单位收入预算总表", 60.0));
    words.extend(revenue_header(120.0));
    words.extend(revenue_row(
        190.0,
        &["201", "", ""],
        "一般公共服务支出",
        &["100.00", "100.00"],
    ));
    words.push(word("注：本表金额按功能分类科目列示，", 58.0, 214.0, SIZE));
    words.push(word(
        "合计数与分项之和的差异为四舍五入所致。",
        58.0,
        228.0,
        SIZE,
    ));
    let layout = analyse(&[page(10, words)]).unwrap();

    assert!(
        matches!(&layout.blocks[0], Block::Paragraph(p) if p.text.starts_with("本单位预算表如下"))
    );
    let table = tables(&layout)[0];
    assert_eq!(table.rows.len(), 1);
    assert_eq!(
        table.notes,
        [Note {
            text: "注：本表金额按功能分类科目列示，合计数与分项之和的差异为四舍五入所致。".into(),
            page: 10
        }]
    );
    assert_eq!(layout.blocks.len(), 2);
}

#[test]
fn a_page_of_only_indented_lines_is_measured_against_the_documents_margin() {
    let mut first: Vec<Word> = (0..6)
        .map(|i| {
            let x0 = if i % 3 == 0 { 81.0 } else { 57.0 };
            prose(
                "本单位主要职能是负责本区的相关工作并完成区委区政府交办的其他任务和事项。",
                x0,
                783.0,
                100.0 + 15.0 * i as f32,
            )
        })
        .collect();
    first.insert(0, centred("上海市某某局主要职能", 421.0, 60.0, 18.0));
    let second = vec![
        centred("上海市某某局机构设置", 421.0, 60.0, 18.0),
        prose(
            "上海市某某局部门预算包括本部以及下属1家事业单位的综合收支计划。",
            81.0,
            712.0,
            100.0,
        ),
        prose("本部门中，行政单位1家，事业单位1家：", 81.0, 490.0, 115.0),
    ];
    let layout = analyse(&[page(3, first), page(4, second)]).unwrap();

    let on_page_four: Vec<&str> = layout
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) if p.first_page == 4 => Some(p.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        on_page_four,
        [
            "上海市某某局部门预算包括本部以及下属1家事业单位的综合收支计划。",
            "本部门中，行政单位1家，事业单位1家："
        ]
    );
}

#[test]
fn a_name_wrapped_around_amounts_centred_in_a_tall_row_is_one_cell() {
    let mut first_row = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    first_row.extend(revenue_header(120.0));
    first_row.push(word("其他支持中小企业发展", 160.0, 190.0, SIZE));
    first_row.extend(revenue_row(
        196.0,
        &["215", "08", "99"],
        "",
        &["293,810,000.00", "293,810,000.00"],
    ));
    first_row.push(word("和管理支出", 160.0, 202.0, SIZE));
    let layout = analyse(&[page(1, first_row)]).unwrap();
    let table = tables(&layout)[0];
    assert_eq!(
        table.columns.len(),
        7,
        "the name's first line is not a header label"
    );
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].cells[3], "其他支持中小企业发展和管理支出");

    let mut words = caption_and_meta("2025年预算单位收入预算总表", 60.0);
    words.extend(revenue_header(120.0));
    words.extend(revenue_row(
        190.0,
        &["221", "", ""],
        "住房保障支出",
        &["2,849,034.00", "2,849,034.00"],
    ));
    words.push(word("其他支持中小企业发展", 160.0, 214.0, SIZE));
    words.extend(revenue_row(
        220.0,
        &["215", "08", "99"],
        "",
        &["293,810,000.00", "293,810,000.00"],
    ));
    words.push(word("和管理支出", 160.0, 226.0, SIZE));
    let layout = analyse(&[page(1, words)]).unwrap();

    let table = tables(&layout)[0];
    assert_eq!(table.rows.len(), 2);
    assert_eq!(
        cells(&table.rows[1]),
        [
            "215",
            "08",
            "99",
            "其他支持中小企业发展和管理支出",
            "293,810,000.00",
            "293,810,000.00",
            ""
        ]
    );
}
