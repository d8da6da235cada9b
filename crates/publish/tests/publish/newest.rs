//! The newest submission wins: versions 1..N of one department's year, published by several
//! publishers sharing one directory (each its own `Archive` or `PublishHandler`, as replicas
//! are), finishing in every order and concurrently, with redeliveries — the highest version
//! is current and on the site index every time, and no older one is.

use std::path::Path;
use std::sync::{Arc, Barrier};

use budgetflow_model::DepartmentCode;
use budgetflow_model::Document;
use budgetflow_publish::archive::{Archive, SubmissionVersion, SITE_INDEX};
use budgetflow_publish::bundle::{self, Bundle};
use budgetflow_publish::manifest::{Manifest, Version};

use crate::sample;

/// Versions 1..=`count` of the sample, each with its own title (so its own content).
fn versions(count: u32) -> Vec<(u32, Document, Bundle)> {
    (1..=count)
        .map(|number| {
            let mut doc = sample();
            doc.identity.title = format!("2025 年部门预算公开（第 {number} 版）");
            let bundle = bundle::render(&doc);
            (number, doc, bundle)
        })
        .collect()
}

fn code() -> DepartmentCode {
    DepartmentCode::new("miit").unwrap()
}

/// A small deterministic generator for the orders (xorshift64).
struct Orders(u64);

impl Orders {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Every order of `items`.
fn permutations(items: &[u32]) -> Vec<Vec<u32>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            all.push(tail);
        }
    }
    all
}

/// The highest version is current, on the index, and the only one of them there.
fn assert_newest_shown(out: &Path, all: &[(u32, Document, Bundle)], order: &[u32]) {
    let (newest, _, bundle) = all.last().unwrap();
    let current = Archive::new(out)
        .current(&code(), 2025)
        .unwrap_or_else(|| panic!("nothing current after {order:?}"));
    assert_eq!(
        (current.submission_version, &current.version),
        (*newest, &Manifest::of(bundle).version),
        "after {order:?}"
    );
    let index = std::fs::read_to_string(out.join(SITE_INDEX)).unwrap();
    for (number, _, bundle) in all {
        let version: Version = Manifest::of(bundle).version;
        assert_eq!(
            index.contains(version.as_str()),
            number == newest,
            "version {number} on the index after {order:?}"
        );
    }
    assert_eq!(Archive::new(out).entries().len(), 1);
}

#[test]
fn whatever_order_versions_finish_in_the_highest_is_current() {
    let all = versions(4);
    let numbers: Vec<u32> = all.iter().map(|(number, ..)| *number).collect();
    let orders = permutations(&numbers);
    assert_eq!(orders.len(), 24);
    for order in orders {
        let out = tempfile::tempdir().unwrap();
        for &number in &order {
            // A fresh publisher for each publication, as if each ran in another replica.
            let (_, doc, bundle) = &all[number as usize - 1];
            Archive::new(out.path())
                .publish(doc, bundle, &code(), SubmissionVersion::Numbered(number))
                .unwrap();
        }
        assert_newest_shown(out.path(), &all, &order);
    }
}

#[test]
fn several_publishers_at_once_with_redeliveries_leave_the_highest_current() {
    const PUBLISHERS: usize = 4;
    let all = Arc::new(versions(6));
    let mut orders = Orders(0x9e37_79b9_7f4a_7c15);
    for round in 0..12 {
        let out = tempfile::tempdir().unwrap();
        // Every version delivered twice (a redelivery), in a shuffled order, dealt out to
        // the publishers in turn.
        let mut deliveries: Vec<u32> = all
            .iter()
            .flat_map(|(number, ..)| [*number, *number])
            .collect();
        orders.shuffle(&mut deliveries);
        let start = Arc::new(Barrier::new(PUBLISHERS));
        let publishers: Vec<_> = (0..PUBLISHERS)
            .map(|publisher| {
                let mine: Vec<u32> = deliveries
                    .iter()
                    .skip(publisher)
                    .step_by(PUBLISHERS)
                    .copied()
                    .collect();
                let (all, start) = (all.clone(), start.clone());
                let archive = Archive::new(out.path());
                std::thread::spawn(move || {
                    start.wait();
                    for number in mine {
                        let (_, doc, bundle) = &all[number as usize - 1];
                        let published = archive
                            .publish(doc, bundle, &code(), SubmissionVersion::Numbered(number))
                            .unwrap();
                        assert_eq!(published.submission_version, number);
                    }
                })
            })
            .collect();
        for publisher in publishers {
            publisher.join().unwrap();
        }
        assert_newest_shown(out.path(), &all, &[round]);
    }
}

#[cfg(feature = "stage")]
mod stage {
    use budgetflow_bus::{Envelope, Outcome, Part, StageHandler};
    use budgetflow_publish::stage::PublishHandler;
    use serde_json::json;

    use super::*;

    fn envelope(number: u32, doc: &Document) -> Envelope {
        let mut envelope = Envelope::new(
            uuid::Uuid::new_v4(),
            doc.identity.department.clone(),
            doc.identity.fiscal_year.get(),
            number,
            doc.identity.title.as_bytes(),
            Part::of(doc).unwrap(),
        );
        envelope.department_code = Some("miit".to_owned());
        let verdict = json!({"errors": 0, "warnings": 0, "infos": 0, "findings": []});
        envelope.findings = Some(Part::of(&verdict).unwrap());
        envelope
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn publish_stage_replicas_handling_versions_concurrently_leave_the_highest_current() {
        let all = versions(5);
        let mut orders = Orders(0x2545_f491_4f6c_dd1d);
        for round in 0..6 {
            let out = tempfile::tempdir().unwrap();
            let replicas: Vec<PublishHandler> =
                (0..3).map(|_| PublishHandler::new(out.path())).collect();
            let mut deliveries: Vec<u32> = all
                .iter()
                .flat_map(|(number, ..)| [*number, *number])
                .collect();
            orders.shuffle(&mut deliveries);
            let mut tasks = tokio::task::JoinSet::new();
            for (i, number) in deliveries.into_iter().enumerate() {
                let handler = replicas[i % replicas.len()].clone();
                let envelope = envelope(number, &all[number as usize - 1].1);
                tasks.spawn(async move { (number, handler.handle(envelope).await) });
            }
            let newest = all.len() as u32;
            while let Some(joined) = tasks.join_next().await {
                let (number, outcome) = joined.unwrap();
                let Outcome::Done { envelope, .. } = outcome else {
                    panic!("version {number} not published");
                };
                let publication: serde_json::Value =
                    envelope.publication.as_ref().unwrap().read().unwrap();
                let page = publication["page"].as_str().unwrap();
                assert!(page.contains("/miit/2025/"), "{page}");
                if number == newest {
                    assert_eq!(publication["current"], true);
                }
            }
            assert_newest_shown(out.path(), &all, &[round]);
        }
    }
}
