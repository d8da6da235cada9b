//! Review + scoring of the sample's 12 target tables (target ≤ 50 µs on one core): the review
//! of the whole document, and the scoring of its 11 project tables against an actuals report
//! that meets every target.

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use budgetflow_model::performance::Measure;
use budgetflow_score::actuals::{AchievedValue, ActualsReport, Execution, ProjectActuals};

fn bench(c: &mut Criterion) {
    let doc =
        budgetflow_formats::text::read_str(include_str!("../../../samples/urumqi-miit-2025.txt"))
            .expect("the sample parses");
    let report = ActualsReport {
        projects: doc
            .narrative
            .project_targets()
            .map(|t| ProjectActuals {
                project: t.project.clone(),
                execution: Some(Execution {
                    executed: "95".parse().unwrap(),
                    budget: "100".parse().unwrap(),
                }),
                indicators: t
                    .indicators
                    .iter()
                    .map(|i| AchievedValue {
                        indicator: i.level3.clone(),
                        achieved: Some(match &i.target.parsed {
                            Some(Measure::Quantity { value, unit, .. }) => {
                                format!("{value}{}", unit.as_deref().unwrap_or(""))
                            }
                            _ => "达成 90%".to_string(),
                        }),
                    })
                    .collect(),
            })
            .collect(),
    };
    assert_eq!(
        budgetflow_score::score(&doc, &report)
            .expect("scores")
            .len(),
        11
    );
    c.bench_function("review + score sample (12 tables)", |b| {
        b.iter(|| {
            let review = budgetflow_score::review(black_box(&doc));
            let cards = budgetflow_score::score(black_box(&doc), black_box(&report));
            (review.tables.len(), cards.map(|c| c.len()))
        })
    });
    c.bench_function("review sample", |b| {
        b.iter(|| budgetflow_score::review(black_box(&doc)).tables.len())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
