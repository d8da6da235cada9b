//! Sustained submissions through the HTTP API into the embedded pipeline (issue 7).
//!
//! The API on `127.0.0.1:0` over a SQLite ledger in a temporary directory (or the database
//! `BENCH_DATABASE_URL` names), the in-memory bus, and the validate, score and publish stages
//! and the ledger consumer in this process — what `budgetflow-ingest` runs beside the stages
//! on one machine. `CLIENTS` concurrent clients (default 100) submit `SUBMISSIONS` distinct
//! synthetic disclosures (default 600), each department with its own token.
//!
//! Reported: the API's accept rate and its latency (p50 / p99 / max, from the request to the
//! 202, which includes reading the document and storing the bytes), and the pipeline's rate
//! (from the first request until the ledger has every submission settled). The API is not
//! the bottleneck when it accepts faster than the pipeline settles.
//!
//! `cargo bench -p budgetflow-ingest --bench api` (release build).

/// The allocator the product binaries ship with (docs/performance.md).
#[global_allocator]
static ALLOCATOR: budgetflow_allocator::Allocator = budgetflow_allocator::Allocator;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use budgetflow_bus::{MemoryTransport, Topology, Transport};
use budgetflow_ingest::api::Limits;
use budgetflow_ledger::{DepartmentCode, Filter, Ledger, Role, SubmissionState};
use budgetflow_pipeline::system::System;
use tokio::task::JoinSet;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood
    let clients = setting("CLIENTS", 100);
    let submissions = setting("SUBMISSIONS", 600);
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", scratch.path().join("ledger.db").display()));
    let ledger = Ledger::connect(&url).await.expect("the ledger");

    // the corpus: distinct disclosures, one token per department name
    let docs: Vec<(String, Vec<u8>)> = (0..submissions)
        .map(|i| {
            let doc = budgetflow_synth::document(4242, i);
            let name = doc.identity.department.clone();
            (name, budgetflow_formats::text::write(&doc).into_bytes())
        })
        .collect();
    let mut tokens: HashMap<String, String> = HashMap::new();
    for (name, _) in &docs {
        if !tokens.contains_key(name) {
            let code = DepartmentCode::new(&format!("d{}", tokens.len())).expect("a code");
            let token = ledger
                .add_department(&code, name, Role::Department)
                .await
                .expect("a department");
            tokens.insert(name.clone(), token.expose().to_owned());
        }
    }
    let work: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        docs.into_iter()
            .map(|(name, bytes)| (tokens[&name].clone(), bytes))
            .collect(),
    );

    // the pipeline and the API
    let transport: Arc<dyn Transport> =
        Arc::new(MemoryTransport::new(Topology::new("apibench"), 4096));
    let published = tempfile::tempdir().expect("a publication directory");
    let limits = Limits {
        requests_per_minute: 1_000_000,
        burst: 10_000,
        ..Limits::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let system = System::start(
        listener,
        ledger.clone(),
        transport,
        published.path(),
        limits,
        budgetflow_model::Lang::Zh,
    )
    .expect("the system starts");
    let base = system.url.clone();

    // the clients
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("an HTTP client");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut client_tasks = JoinSet::new();
    for _ in 0..clients {
        let (http, work, next, base) = (http.clone(), work.clone(), next.clone(), base.clone());
        client_tasks.spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((token, bytes)) = work.get(i) else {
                    break;
                };
                let sent = Instant::now();
                let response = http
                    .post(format!("{base}/api/v1/submissions"))
                    .bearer_auth(token)
                    .header("content-type", "text/plain; charset=utf-8")
                    .body(bytes.clone())
                    .send()
                    .await
                    .expect("the API answers");
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                assert_eq!(status.as_u16(), 202, "{body}");
                latencies.push(sent.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::with_capacity(submissions);
    while let Some(done) = client_tasks.join_next().await {
        latencies.extend(done.expect("a client"));
    }
    let accepted_in = started.elapsed();

    // until the ledger has every submission settled
    let settled_in = loop {
        let all = ledger
            .submissions(&Filter::default())
            .await
            .expect("the ledger answers");
        if all.iter().all(|s| s.state.is_final()) {
            let published = all
                .iter()
                .filter(|s| s.state == SubmissionState::Published)
                .count();
            eprintln!("settled: {} of {} published", published, all.len());
            break started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    if let Err(error) = system.stop().await {
        eprintln!("stopping: {error}");
    }

    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rate = |d: Duration| submissions as f64 / d.as_secs_f64();
    println!(
        "ingest api: {submissions} submissions, {clients} clients, {} departments, ledger {}",
        tokens.len(),
        url.split(':').next().unwrap_or("?")
    );
    println!(
        "  API accepted  {:>8.1} submissions/s  (all in {:.2} s)",
        rate(accepted_in),
        accepted_in.as_secs_f64()
    );
    println!(
        "  API latency   p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    println!(
        "  pipeline      {:>8.1} submissions/s settled (all in {:.2} s)",
        rate(settled_in),
        settled_in.as_secs_f64()
    );
    println!(
        "  the API is {} the bottleneck",
        if accepted_in <= settled_in { "not" } else { "" }
    );
}
