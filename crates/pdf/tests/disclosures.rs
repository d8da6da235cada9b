//! The three real disclosures of 上海市普陀区 (WPS exports: CID TrueType fonts, Identity-H,
//! ToUnicode CMaps, landscape A4) read into the words a reader sees, where they are.

use budgetflow_layout::{PageWords, Word};

macro_rules! sample {
    ($file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/shanghai/",
            $file
        ))
    };
}

const COMMERCE: &[u8] = sample!("putuo-commerce-unit-2025.pdf");
const GOVOFFICE: &[u8] = sample!("putuo-govoffice-dept-2025.pdf");
const JUSTICE: &[u8] = sample!("putuo-justice-unit-2026.pdf");

fn read(bytes: &[u8]) -> Vec<PageWords> {
    budgetflow_pdf::read(bytes).expect("a real disclosure reads")
}

fn words<'p>(page: &'p PageWords, text: &str) -> Vec<&'p Word> {
    page.words.iter().filter(|w| w.text == text).collect()
}

fn word<'p>(page: &'p PageWords, text: &str) -> &'p Word {
    let found = words(page, text);
    assert_eq!(found.len(), 1, "{text:?} once on page {}", page.number);
    found[0]
}

fn same_line(a: &Word, b: &Word) -> bool {
    (a.top - b.top).abs() < 1.0 && (a.bottom - b.bottom).abs() < 1.0
}

#[test]
fn every_page_is_read_landscape_a4_and_numbered_from_one() {
    for (bytes, count) in [(COMMERCE, 22), (GOVOFFICE, 22), (JUSTICE, 21)] {
        let pages = read(bytes);
        assert_eq!(pages.len(), count);
        for (index, page) in pages.iter().enumerate() {
            assert_eq!(page.number as usize, index + 1);
            assert!((page.width - 842.0).abs() < 0.5 && (page.height - 595.0).abs() < 0.5);
            for w in &page.words {
                assert!(w.x0 < w.x1 && w.top < w.bottom, "{w:?}");
                assert!(
                    w.x0 >= 0.0 && w.x1 <= page.width && w.top >= 0.0 && w.bottom <= page.height
                );
            }
        }
    }
}

#[test]
fn the_title_page_names_the_budget_and_the_unit() {
    let pages = read(COMMERCE);
    let title = &pages[0].words[0];
    assert_eq!(title.text, "上海市普陀区2025年区级单位预算");
    assert_eq!(title.size, 36.0);
    let centre = (title.x0 + title.x1) / 2.0;
    assert!(
        (centre - pages[0].width / 2.0).abs() < 30.0,
        "centred: {title:?}"
    );
    let unit = word(&pages[0], "预算单位：上海市普陀区商务委员会");
    assert!(unit.top > title.bottom, "the unit is named below the title");

    assert_eq!(
        read(GOVOFFICE)[0].words[0].text,
        "上海市普陀区2025年区级部门预算"
    );
    assert_eq!(
        read(JUSTICE)[0].words[0].text,
        "上海市普陀区2026年区级单位预算"
    );
}

#[test]
fn the_total_income_stands_on_the_revenue_and_expenditure_summary() {
    let pages = read(COMMERCE);
    let summary = &pages[8];
    let title = word(summary, "2025年预算单位财务收支预算总表");
    assert!(
        title.size > 17.0,
        "the table title is the page's largest text"
    );
    let totals = words(summary, "371,514,655.00");
    assert_eq!(
        totals.len(),
        4,
        "财政拨款收入, 一般公共预算资金, 收入总计, 支出总计"
    );
    let label = word(summary, "一、财政拨款收入");
    let amount = totals
        .iter()
        .find(|t| same_line(t, label))
        .expect("on 一、财政拨款收入's line");
    assert!(amount.x0 > label.x1, "the amount right of its label");
    assert!(amount.top > title.bottom, "the amount below the title");
    // Neighbouring amount columns stay separate words even 3.5 pt apart.
    let basic = words(summary, "10,823,891.00")[0];
    let personnel = words(summary, "1,467,842.00")[0];
    assert!(same_line(basic, personnel) && personnel.x0 - basic.x1 < 4.0);
}

#[test]
fn classification_codes_are_separate_words_left_of_their_name() {
    let pages = read(COMMERCE);
    let page = pages
        .iter()
        .find(|p| p.words.iter().any(|w| w.text == "行政运行"))
        .expect("a page with the 行政运行 line");
    let name = words(page, "行政运行")[0];
    let on_line: Vec<&Word> = page
        .words
        .iter()
        .filter(|w| same_line(w, name) && w.x1 <= name.x0)
        .collect();
    let texts: Vec<&str> = on_line.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["201", "13", "01"]);
    assert!(
        on_line.windows(2).all(|p| p[0].x1 < p[1].x0),
        "left to right"
    );
}

#[test]
fn a_sentence_in_chinese_is_one_word() {
    let pages = read(COMMERCE);
    assert!(pages[2].words.iter().any(|w| w.text
        == "5、推进本区生活性服务业发展，制订并组织实施生活性服务业推进措施，协调推进生活性服务业重点领域发展，加强行业管理。"));
}

/// WPS draws a text cell that breaks across pages in full on both pages and clips each page
/// to its share (`re W n`). The clipped text is not shown, so it is not read: the paragraphs
/// of 主要职能 that continue on page 4 are read once, on the page where they are visible.
#[test]
fn text_clipped_away_at_a_page_break_is_read_once() {
    let pages = read(COMMERCE);
    let all: Vec<&Word> = pages.iter().flat_map(|p| &p.words).collect();
    let repeated = "本区相关企业技术创新；引导、推动企业创新技术的引进推广和产业化；指导相关企业实施国家、市、区产业科技项目，推进产学研结合";
    assert_eq!(all.iter().filter(|w| w.text == repeated).count(), 1);
    assert!(
        pages[2].words.iter().any(|w| w.text == repeated),
        "shown on page 3"
    );
    assert!(
        pages[3].words[0].text.starts_with("应急机制"),
        "page 4 goes on where page 3 stops"
    );
    assert!(pages[2]
        .words
        .last()
        .unwrap()
        .text
        .ends_with("生活必需品市场供应"));
}

/// The counts come from `pdftotext -bbox FILE -` (poppler 22.12), which reads the same glyphs and
/// splits words on the same spaces and gaps but does not clip: per page it finds exactly our
/// words, except the text it reads outside the clip (commerce page 3: 8 lines below the clip,
/// page 4: 5 lines above it; justice page 6: "加。", a line cut through the middle by the clip,
/// 40 % of it visible). `grep -c '<word'` gives 1008, 827 and 971; less those 13, 0 and 1.
/// The texts of the remaining words are identical to pdftotext's, word for word.
#[test]
fn the_number_of_words_matches_an_independent_count() {
    for (bytes, count) in [(COMMERCE, 1008 - 13), (GOVOFFICE, 827), (JUSTICE, 971 - 1)] {
        let total: usize = read(bytes).iter().map(|p| p.words.len()).sum();
        assert_eq!(total, count);
    }
}
