//! How long the structure analysis takes on a disclosure-sized document: synthetic pages laid
//! out like the 9-table template (a centred caption, a meta line, a three-line header,
//! 30 rows of codes, names and amounts per page) and like its prose pages (40 lines each).

use budgetflow_layout::{analyse, Block, PageWords, Word};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const SIZE: f32 = 12.0;

fn word(text: &str, x0: f32, top: f32) -> Word {
    let width: f32 = text
        .chars()
        .map(|c| if c.is_ascii() { SIZE / 2.0 } else { SIZE })
        .sum();
    Word {
        text: text.to_string(),
        x0,
        x1: x0 + width,
        top,
        bottom: top + SIZE,
        size: SIZE,
    }
}

fn centred(text: &str, centre: f32, top: f32) -> Word {
    let mut w = word(text, 0.0, top);
    let half = w.x1 / 2.0;
    w.x0 = centre - half;
    w.x1 = centre + half;
    w
}

fn right(text: &str, x1: f32, top: f32) -> Word {
    let mut w = word(text, 0.0, top);
    w.x0 = x1 - w.x1;
    w.x1 = x1;
    w
}

fn table_page(number: u32) -> PageWords {
    let mut words = vec![
        Word {
            size: 18.0,
            bottom: 78.0,
            ..centred("2025年预算单位一般公共预算支出功能分类预算表", 421.0, 60.0)
        },
        word("编制单位：上海市某某局", 58.0, 90.0),
        right("单位：元", 782.0, 90.0),
        centred("项目", 200.0, 120.0),
        centred("一般公共预算支出", 560.0, 120.0),
        centred("功能分类科目编码", 110.0, 142.0),
        centred("功能分类科目名称", 257.0, 153.0),
        centred("合计", 494.0, 153.0),
        centred("基本支出", 610.0, 153.0),
        centred("项目支出", 727.0, 153.0),
        centred("类", 73.0, 164.0),
        centred("款", 107.0, 164.0),
        centred("项", 141.0, 164.0),
    ];
    for r in 0..30 {
        let top = 190.0 + 13.0 * r as f32;
        words.push(word("208", 65.0, top));
        words.push(word("05", 101.0, top));
        words.push(word(&format!("{:02}", r), 135.0, top));
        words.push(word("机关事业单位基本养老保险缴费支出", 170.0, top));
        words.push(right("1,410,886.00", 552.0, top));
        words.push(right("1,410,886.00", 665.0, top));
        words.push(right("9,310,000.00", 785.0, top));
    }
    PageWords {
        number,
        width: 842.0,
        height: 595.0,
        words,
    }
}

fn prose_page(number: u32) -> PageWords {
    let line =
        "组织协调本区工商业、煤炭、电力、石油日常运行的监控，协调、安排季节性能源调度；负责本区";
    let words = (0..40)
        .map(|i| {
            let x0 = if i % 5 == 0 { 81.0 } else { 57.0 };
            word(line, x0, 40.0 + 13.0 * i as f32)
        })
        .collect();
    PageWords {
        number,
        width: 842.0,
        height: 595.0,
        words,
    }
}

fn bench(c: &mut Criterion) {
    // A 22-page disclosure: 8 pages of prose, 14 of tables.
    let document: Vec<PageWords> = (1..=22)
        .map(|n| if n <= 8 { prose_page(n) } else { table_page(n) })
        .collect();
    let words: usize = document.iter().map(|p| p.words.len()).sum();
    let layout = analyse(&document).expect("synthetic pages are well formed");
    let tables = layout
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(t) if t.rows.len() == 30 && t.columns.len() == 7))
        .count();
    assert_eq!(
        tables, 14,
        "the synthetic pages are read as the tables they are"
    );
    c.bench_function(&format!("analyse 22 pages ({words} words)"), |b| {
        b.iter(|| analyse(black_box(&document)).expect("synthetic pages are well formed"))
    });
    // A long document: 220 pages, to show the time grows with the pages and not faster.
    let long: Vec<PageWords> = (1..=220)
        .map(|n| {
            if n % 11 < 4 {
                prose_page(n)
            } else {
                table_page(n)
            }
        })
        .collect();
    c.bench_function("analyse 220 pages", |b| {
        b.iter(|| analyse(black_box(&long)).expect("synthetic pages are well formed"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
