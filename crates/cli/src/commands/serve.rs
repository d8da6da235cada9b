//! `budgetflow serve [--listen ADDR] [--database URL] --out DIR`: the whole system in one
//! process for a bureau with nothing to install — the ingestion API and the dashboard, the
//! validate, score and publish stages over the in-memory bus, and the ledger (a SQLite file
//! by default). Departments get their tokens from `budgetflow departments add` against the
//! same database, submit with `budgetflow submit` (or any HTTP client), and the bureau
//! watches `/dashboard`. Ctrl-C (or SIGTERM) stops it: requests in flight finish first.
//!
//! It logs as the services do: one JSON object per line on stderr (`RUST_LOG` sets the
//! filter), so a stage that gives up on a submission says so with its trace id.
//!
//! The in-memory bus keeps nothing across a restart: a submission stored but not yet through
//! the pipeline when the process stops stays `received` in the ledger; submitting the same
//! file again puts it through (same bytes, same submission). The services over RabbitMQ are
//! the deployment that loses nothing in flight (docs/operations.md).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use budgetflow_bus::{MemoryTransport, Topology};
use budgetflow_ingest::api::Limits;
use budgetflow_ledger::Ledger;
use budgetflow_model::Lang;
use budgetflow_pipeline::system::{self, System};

use crate::exit::{CliError, ErrorKind, Outcome};

/// Ready messages each in-memory work queue holds before publishers wait.
const MEMORY_QUEUE_CAPACITY: usize = 256;

/// A failure is logged as one JSON event, as the services log it, so the edge prints nothing.
pub async fn run(
    listen: &str,
    database: &str,
    out: &Path,
    lang: Lang,
) -> Result<Outcome, CliError> {
    system::log_as_the_services();
    serve(listen, database, out, lang).await.map_err(|error| {
        system::log_failure(
            lang.pick("服务失败", "the service failed"),
            &format!("{error:#}"),
        );
        CliError::reported(ErrorKind::Failed)
    })?;
    Ok(Outcome::Clean)
}

async fn serve(listen: &str, database: &str, out: &Path, lang: Lang) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database)
        .await
        .with_context(|| format!("{} {database}", lang.pick("台账数据库", "ledger database")))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("{} {listen}", lang.pick("无法监听", "cannot listen on")))?;
    let transport = Arc::new(MemoryTransport::new(
        Topology::new("budgetflow"),
        MEMORY_QUEUE_CAPACITY,
    ));
    let system = System::start(listener, ledger, transport, out, Limits::default(), lang)?;
    stopped().await;
    system.stop().await.map_err(anyhow::Error::msg)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
