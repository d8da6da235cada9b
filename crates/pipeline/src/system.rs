//! The whole system in one process (feature `system`): the HTTP API and the dashboard
//! (`budgetflow-ingest`), the stages ([`crate::run_until_stopped`]), the database ledger's
//! consumer (`budgetflow-ledger`), and the published site itself under `/site` — over one
//! transport (usually the in-memory bus), nothing to install beyond the SQLite file the ledger
//! keeps.
//!
//! This is `budgetflow serve`, what `budgetflow submit` talks to in its tests, what the API
//! benchmark measures, and the shape of a one-machine deployment; the services run the same
//! pieces one per process over RabbitMQ. [`log_as_the_services`] gives it the services' logs: one JSON object
//! per line on stderr, every stage's warnings and failures with their trace ids.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use budgetflow_bus::Transport;
use budgetflow_ingest::api::{self, ApiState, Limits};
use budgetflow_ledger::Ledger;
use budgetflow_model::Lang;
use budgetflow_validate::previous::LedgerLookup;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use budgetflow_service::settings::{LogFormat, LogSettings};
use tracing::{error, info};

use crate::Stages;

/// Installs the services' log subscriber: JSON lines on stderr at `info` (`RUST_LOG`
/// overrides the filter), as the services log with `log.format = "json"`.
pub fn log_as_the_services() {
    budgetflow_service::logging::init(&LogSettings {
        format: LogFormat::Json,
        filter: "info".to_owned(),
    });
}

/// Logs why the one-process system could not start or stopped badly.
pub fn log_failure(what: &str, failure: &dyn std::fmt::Display) {
    error!(error = %failure, "{what}");
}

/// Ledger events each consumer takes at once.
const LEDGER_PREFETCH: u16 = 64;

/// A running system; [`System::stop`] ends it.
pub struct System {
    /// `http://<address>` of the API and the dashboard.
    pub url: String,
    pub address: SocketAddr,
    stop: CancellationToken,
    tasks: JoinSet<Result<(), String>>,
    /// The language of its own log lines.
    lang: Lang,
}

impl System {
    /// Starts the stages (publishing into `out_dir`, pages in `site_lang`) and the ledger
    /// consumer on `transport`, and the API on `listener`.
    pub fn start(
        listener: TcpListener,
        ledger: Ledger,
        transport: Arc<dyn Transport>,
        out_dir: &Path,
        limits: Limits,
        site_lang: Lang,
    ) -> std::io::Result<System> {
        let address = listener.local_addr()?;
        let stop = CancellationToken::new();
        let mut tasks = JoinSet::new();
        let stages = crate::run_until_stopped(
            Stages::new(out_dir, site_lang)
                .with_previous_year(Arc::new(LedgerLookup::new(ledger.clone()))),
            transport.clone(),
            stop.clone(),
        );
        tasks.spawn(async move { stages.await.map_err(|e| e.to_string()) });
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
        info!(
            %address,
            out_dir = %out_dir.display(),
            "{} http://{address}  ({}: http://{address}/dashboard)",
            site_lang.pick("已启动：", "serving"),
            site_lang.pick("报送进度", "dashboard"),
        );
        Ok(System {
            url: format!("http://{address}"),
            address,
            stop,
            tasks,
            lang: site_lang,
        })
    }

    /// Stops everything (requests in flight finish) and says what ended badly.
    pub async fn stop(mut self) -> Result<(), String> {
        info!(
            "{}",
            self.lang.pick(
                "正在停止……（处理中的请求和消息先完成）",
                "stopping… (requests and messages in flight finish first)"
            )
        );
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
            info!("stopped");
            Ok(())
        } else {
            let failures = failures.join("; ");
            error!(error = %failures, "stopped; some parts ended badly");
            Err(failures)
        }
    }
}
