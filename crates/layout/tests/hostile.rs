//! Whatever words a reader hands over, the analysis finishes without panicking: positions
//! anywhere (negative, far off the page, zero-sized), sizes of zero, texts that look like
//! amounts, notes, page numbers, numbered items and captions, in any order.

use budgetflow_layout::{analyse, Block, PageWords, Word};
use proptest::prelude::*;

const TEXTS: &[&str] = &[
    "合计",
    "371,514,655.00",
    "201",
    "05",
    "无",
    "注:本表为空表。",
    "第3页",
    "- 3 -",
    "1、负责",
    "（一）财政拨款",
    "一、单位主要职能",
    "编制单位：某局",
    "单位：元",
    "项目",
    "预算数",
    "2025年预算单位收入预算总表",
    "budget",
    "……………",
    "",
    " ",
    "事业单位",
    "经营收入",
];

fn word() -> impl Strategy<Value = Word> {
    (
        0..TEXTS.len(),
        -50.0f32..900.0,
        0.0f32..300.0,
        -50.0f32..650.0,
        0.0f32..30.0,
        0.0f32..30.0,
    )
        .prop_map(|(t, x0, width, top, height, size)| Word {
            text: TEXTS[t].to_string(),
            x0,
            x1: x0 + width,
            top,
            bottom: top + height,
            size,
        })
}

fn pages() -> impl Strategy<Value = Vec<PageWords>> {
    prop::collection::vec(prop::collection::vec(word(), 0..120), 0..6).prop_map(|pages| {
        pages
            .into_iter()
            .enumerate()
            .map(|(i, words)| PageWords {
                number: i as u32 + 1,
                width: 842.0,
                height: 595.0,
                words,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_finite_words_are_analysed_and_every_row_has_one_cell_per_column(pages in pages()) {
        let layout = analyse(&pages).expect("finite positions are always placed");
        for block in &layout.blocks {
            if let Block::Table(table) = block {
                for row in &table.rows {
                    prop_assert_eq!(row.cells.len(), table.columns.len());
                }
            }
        }
    }
}
