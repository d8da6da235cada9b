//! The whole system in one process: the HTTP API and the dashboard, the validate, score and
//! publish stages, the ledger consumer, and the published site itself under `/site` — over one
//! transport (usually the in-memory bus), nothing to install beyond the SQLite file the ledger
//! keeps.
//!
//! This is what `budgetflow submit` talks to in its tests, what the API benchmark measures,
//! and the shape of a one-machine deployment; the services run the same pieces one per
//! process over RabbitMQ.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use budgetflow_bus::{run_until_stopped, Transport};
use budgetflow_ledger::Ledger;
use budgetflow_model::Lang;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::api::{self, ApiState, Limits};

/// Ledger events each consumer takes at once.
const LEDGER_PREFETCH: u16 = 64;

/// A running system; [`Embedded::stop`] ends it.
pub struct Embedded {
    /// `http://<address>` of the API and the dashboard.
    pub url: String,
    pub address: SocketAddr,
    stop: CancellationToken,
    tasks: JoinSet<Result<(), String>>,
}

impl Embedded {
    /// Starts the stages (publishing into `out_dir`, pages in `site_lang`) and the ledger
    /// consumer on `transport`, and the API on `listener`.
    pub fn start(
        listener: TcpListener,
        ledger: Ledger,
        transport: Arc<dyn Transport>,
        out_dir: &Path,
        limits: Limits,
        site_lang: Lang,
    ) -> std::io::Result<Embedded> {
        let address = listener.local_addr()?;
        let stop = CancellationToken::new();
        let mut tasks = JoinSet::new();
        for stage in [
            budgetflow_validate::stage::stage(),
            budgetflow_score::stage::stage(),
            budgetflow_publish::stage::stage(out_dir, site_lang),
        ] {
            let (transport, stop) = (transport.clone(), stop.clone());
            tasks.spawn(async move {
                run_until_stopped(stage, transport, stop)
                    .await
                    .map_err(|e| e.to_string())
            });
        }
        let consumer = budgetflow_ledger::consume(
            ledger.clone(),
            transport.clone(),
            LEDGER_PREFETCH,
            stop.clone(),
        );
        tasks.spawn(async move { consumer.await.map_err(|e| e.to_string()) });
        let state = ApiState::new(ledger, transport, limits, stop.clone()).serving_site(out_dir);
        let server = api::serve(listener, state, stop.clone());
        tasks.spawn(async move { server.await.map_err(|e| e.to_string()) });
        Ok(Embedded {
            url: format!("http://{address}"),
            address,
            stop,
            tasks,
        })
    }

    /// Stops everything (requests in flight finish) and says what ended badly.
    pub async fn stop(mut self) -> Result<(), String> {
        self.stop.cancel();
        let mut failures = Vec::new();
        while let Some(joined) = self.tasks.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(error)) => failures.push(error),
                Err(join) => failures.push(join.to_string()),
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("; "))
        }
    }
}
