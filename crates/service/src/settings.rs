//! Service configuration: defaults, then a TOML file, then environment variables.
//!
//! The file is the one named by `BUDGETFLOW_CONFIG` (it must exist then) or else
//! `budgetflow.toml` in the working directory if present. Every key can be overridden by an
//! environment variable `BUDGETFLOW__<SECTION>__<KEY>`, e.g. `BUDGETFLOW__AMQP__URL`,
//! `BUDGETFLOW__STAGE__PREFETCH`, `BUDGETFLOW__OPS__LISTEN`, `BUDGETFLOW__LOG__FORMAT=json`.
//!
//! The `budgetflow` command reads the same variables for the options that mean the same
//! ([`AMQP_URL`], [`AMQP_PREFIX`], [`DATABASE_URL`]), so one environment configures both. The
//! older names `AMQP_URL` and `DATABASE_URL` (which the tests and `.ci/run` export) stay
//! aliases: read only when the setting is given nowhere else (docs/operations.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use budgetflow_bus::{RabbitConfig, Topology};
use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

use crate::error::ServiceError;

/// The variable naming the configuration file.
pub const CONFIG_FILE_VARIABLE: &str = "BUDGETFLOW_CONFIG";
/// The file read when `BUDGETFLOW_CONFIG` is not set, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "budgetflow.toml";

/// The environment variable of a setting that the services and the `budgetflow` command
/// both read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variable {
    /// The setting's key (`amqp.url`).
    pub key: &'static str,
    /// `BUDGETFLOW__<SECTION>__<KEY>`.
    pub name: &'static str,
    /// An older name, read only when the setting is given nowhere else.
    pub alias: Option<&'static str>,
}

/// The broker: `amqp.url`, alias `AMQP_URL`.
pub const AMQP_URL: Variable = Variable {
    key: "amqp.url",
    name: "BUDGETFLOW__AMQP__URL",
    alias: Some("AMQP_URL"),
};

/// The prefix of the exchange and queue names: `amqp.prefix`.
pub const AMQP_PREFIX: Variable = Variable {
    key: "amqp.prefix",
    name: "BUDGETFLOW__AMQP__PREFIX",
    alias: None,
};

/// The ledger database: `ingest.database_url`, alias `DATABASE_URL`.
pub const DATABASE_URL: Variable = Variable {
    key: "ingest.database_url",
    name: "BUDGETFLOW__INGEST__DATABASE_URL",
    alias: Some("DATABASE_URL"),
};

/// The variables the `budgetflow` command shares with the services.
pub const SHARED: [Variable; 3] = [AMQP_URL, AMQP_PREFIX, DATABASE_URL];

impl Variable {
    /// The alias's value in the environment `get` reads, unless unset or empty.
    pub fn alias_value(&self, get: impl Fn(&str) -> Option<String>) -> Option<String> {
        self.alias.and_then(get).filter(|value| !value.is_empty())
    }
}

/// Everything a stage service is configured with. One file can serve all four stages: each
/// reads the sections it needs.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub amqp: AmqpSettings,
    pub stage: StageSettings,
    pub ops: OpsSettings,
    pub log: LogSettings,
    pub shutdown: ShutdownSettings,
    pub publish: PublishSettings,
    pub ingest: IngestSettings,
}

/// The broker and the topology's names.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AmqpSettings {
    pub url: String,
    /// Prefix of every exchange and queue name (`budgetflow`).
    pub prefix: String,
    /// `x-delivery-limit` of the work queues; every process on a broker must agree.
    pub delivery_limit: u32,
}

/// How the stage consumes.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StageSettings {
    /// Messages handled at once (and held unacked) by this process.
    pub prefetch: u16,
    /// Where the durable idempotency store keeps its records (one subdirectory per stage).
    pub state_dir: PathBuf,
    /// First wait before a transiently failed message is retried, doubling up to `retry_max_ms`.
    pub retry_initial_ms: u64,
    pub retry_max_ms: u64,
}

/// The ops HTTP server.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OpsSettings {
    /// Address of `/health/live`, `/health/ready` and `/metrics`.
    pub listen: SocketAddr,
}

/// Log output.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A tracing filter (`info`, `budgetflow_bus=debug,info`); `RUST_LOG` overrides it.
    pub filter: String,
}

/// Human-readable lines or one JSON object per line.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

/// Graceful shutdown.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ShutdownSettings {
    /// After SIGTERM, how long in-flight messages may take to finish before the process exits
    /// anyway (unacked messages are then redelivered by the broker).
    pub deadline_secs: u64,
}

/// The publish stage.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PublishSettings {
    /// The directory published documents are written to.
    pub out_dir: PathBuf,
    /// The language of the pages' and the site index's chrome: `zh` (default) or `en`; the
    /// disclosures' own text and the open data are published as printed either way.
    pub lang: String,
    /// The HTTP portal each publication is also pushed to.
    pub portal: PortalSettings,
}

/// The HTTP portal sink of the publish stage (`[publish.portal]`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PortalSettings {
    /// The URL publications are POSTed to; empty: no portal, the directory only.
    pub endpoint: String,
    /// The shared HMAC-SHA256 key; give it as `BUDGETFLOW__PUBLISH__PORTAL__SECRET` rather
    /// than in a file. Required with an endpoint.
    pub secret: Secret,
    /// The longest one request may take.
    pub timeout_ms: u64,
    /// Requests per publication before the message is retried later.
    pub attempts: u32,
    /// The wait after the first failed request, doubling after each.
    pub backoff_initial_ms: u64,
}

/// A secret setting: its `Debug` form (logs, error messages) does not show it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(unset)"
        } else {
            "Secret(***)"
        })
    }
}

/// The ingest service.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSettings {
    /// Disclosures dropped here are submitted; they move to `done/` or `unreadable/` beside.
    pub inbox: PathBuf,
    /// How often the inbox is scanned.
    pub scan_interval_ms: u64,
    /// Address of the HTTP API (`/api/v1/…`).
    pub listen: SocketAddr,
    /// The ledger database: `sqlite://PATH` or `postgres://…` (alias `DATABASE_URL`). Empty:
    /// `sqlite://<stage.state_dir>/ledger.db`.
    pub database_url: String,
    /// The largest submission body, in bytes.
    pub max_body_bytes: usize,
    /// Sustained API requests per minute per token, and how many may come at once.
    pub requests_per_minute: u32,
    pub burst: u32,
    /// The URL under which a web server publishes `publish.out_dir` (e.g.
    /// `https://yusuan.example.gov.cn/site`); the dashboard links each published page there.
    /// Empty: no links.
    pub site_url: String,
    /// How long the API waits for the broker to take a submission before it withdraws it and
    /// answers 503 `queue_unavailable` (and how long the inbox waits per file).
    pub queue_timeout_ms: u64,
}

impl Default for AmqpSettings {
    fn default() -> Self {
        AmqpSettings {
            url: "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned(),
            prefix: budgetflow_bus::topology::DEFAULT_PREFIX.to_owned(),
            delivery_limit: budgetflow_bus::topology::DEFAULT_DELIVERY_LIMIT,
        }
    }
}

impl Default for StageSettings {
    fn default() -> Self {
        StageSettings {
            prefetch: 8,
            state_dir: PathBuf::from("state"),
            retry_initial_ms: 200,
            retry_max_ms: 30_000,
        }
    }
}

impl Default for OpsSettings {
    fn default() -> Self {
        OpsSettings {
            listen: SocketAddr::from(([0, 0, 0, 0], 9090)),
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            format: LogFormat::Human,
            filter: "info".to_owned(),
        }
    }
}

impl Default for ShutdownSettings {
    fn default() -> Self {
        ShutdownSettings { deadline_secs: 25 }
    }
}

impl Default for PublishSettings {
    fn default() -> Self {
        PublishSettings {
            out_dir: PathBuf::from("published"),
            lang: "zh".to_owned(),
            portal: PortalSettings::default(),
        }
    }
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings {
            endpoint: String::new(),
            secret: Secret::default(),
            timeout_ms: 5_000,
            attempts: 3,
            backoff_initial_ms: 500,
        }
    }
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            inbox: PathBuf::from("inbox"),
            scan_interval_ms: 1000,
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            database_url: String::new(),
            max_body_bytes: 16 * 1024 * 1024,
            requests_per_minute: 600,
            burst: 60,
            site_url: String::new(),
            queue_timeout_ms: 5_000,
        }
    }
}

impl Settings {
    /// Defaults, then the aliases (`AMQP_URL`, `DATABASE_URL`), then the configuration file,
    /// then `BUDGETFLOW__…` environment variables.
    pub fn load() -> Result<Settings, ServiceError> {
        let file = std::env::var_os(CONFIG_FILE_VARIABLE).map(PathBuf::from);
        Settings::load_from(file, std::env::vars())
    }

    /// As [`Settings::load`], with the file and the environment given (tests).
    pub fn load_from(
        file: Option<PathBuf>,
        environment: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ServiceError> {
        let environment: config::Map<String, String> = environment.into_iter().collect();
        let mut builder = Config::builder();
        for variable in SHARED {
            if let Some(value) = variable.alias_value(|name| environment.get(name).cloned()) {
                // a default: the file and the variable's own name both override it
                builder = builder.set_default(variable.key, value)?;
            }
        }
        builder = match file {
            Some(path) => builder.add_source(File::from(path).format(FileFormat::Toml)),
            None => builder.add_source(
                File::with_name(DEFAULT_CONFIG_FILE)
                    .format(FileFormat::Toml)
                    .required(false),
            ),
        };
        let environment = Environment::with_prefix("BUDGETFLOW")
            .prefix_separator("__")
            .separator("__")
            .try_parsing(true)
            .source(Some(environment));
        Ok(builder.add_source(environment).build()?.try_deserialize()?)
    }

    /// The topology named by `amqp.prefix` with `amqp.delivery_limit`.
    pub fn topology(&self) -> Topology {
        Topology::new(self.amqp.prefix.clone()).with_delivery_limit(self.amqp.delivery_limit)
    }

    /// How to reach the broker; the connection is named after `stage`.
    pub fn rabbit(&self, stage: &str) -> RabbitConfig {
        let mut config = RabbitConfig::new(self.amqp.url.clone(), self.topology());
        config.connection_name = format!("budgetflow-{stage}");
        config
    }

    /// The backoff of transiently failed messages.
    pub fn retry(&self) -> budgetflow_bus::RetryPolicy {
        budgetflow_bus::RetryPolicy {
            initial: Duration::from_millis(self.stage.retry_initial_ms),
            max: Duration::from_millis(self.stage.retry_max_ms.max(self.stage.retry_initial_ms)),
        }
    }

    pub fn shutdown_deadline(&self) -> Duration {
        Duration::from_secs(self.shutdown.deadline_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn environment_overrides_the_file_and_the_file_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage.toml");
        std::fs::write(
            &file,
            "[amqp]\nurl = \"amqp://file\"\nprefix = \"fromfile\"\n[stage]\nprefetch = 3\n[log]\nformat = \"json\"\n",
        )
        .unwrap();
        let settings = Settings::load_from(
            Some(file),
            env(&[
                ("BUDGETFLOW__AMQP__URL", "amqp://env"),
                ("BUDGETFLOW__STAGE__PREFETCH", "16"),
                ("BUDGETFLOW__OPS__LISTEN", "127.0.0.1:9999"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.amqp.url, "amqp://env");
        assert_eq!(settings.amqp.prefix, "fromfile");
        assert_eq!(settings.stage.prefetch, 16);
        assert_eq!(settings.ops.listen, "127.0.0.1:9999".parse().unwrap());
        assert_eq!(settings.log.format, LogFormat::Json);
        assert_eq!(settings.shutdown.deadline_secs, 25);
        assert_eq!(
            settings
                .topology()
                .queue_name(budgetflow_bus::WorkQueue::Score),
            "fromfile.score"
        );
    }

    #[test]
    fn the_aliases_count_only_where_nothing_else_gives_the_setting() {
        let aliases = env(&[
            ("AMQP_URL", "amqp://alias"),
            ("DATABASE_URL", "postgres://alias/db"),
        ]);
        let settings = Settings::load_from(None, aliases.clone()).unwrap();
        assert_eq!(settings.amqp.url, "amqp://alias");
        assert_eq!(settings.ingest.database_url, "postgres://alias/db");

        let named = [
            aliases.clone(),
            env(&[
                ("BUDGETFLOW__AMQP__URL", "amqp://named"),
                ("BUDGETFLOW__INGEST__DATABASE_URL", "sqlite://named.db"),
            ]),
        ]
        .concat();
        let settings = Settings::load_from(None, named).unwrap();
        assert_eq!(settings.amqp.url, "amqp://named");
        assert_eq!(settings.ingest.database_url, "sqlite://named.db");

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage.toml");
        std::fs::write(&file, "[amqp]\nurl = \"amqp://file\"\n").unwrap();
        let settings = Settings::load_from(Some(file), aliases).unwrap();
        assert_eq!(
            settings.amqp.url, "amqp://file",
            "the file wins over an alias"
        );
        assert_eq!(settings.ingest.database_url, "postgres://alias/db");

        let empty = Settings::load_from(None, env(&[("AMQP_URL", "")])).unwrap();
        assert_eq!(
            empty.amqp.url,
            AmqpSettings::default().url,
            "empty is unset"
        );
    }

    #[test]
    fn every_shared_name_is_its_key_in_the_services_scheme() {
        for variable in SHARED {
            let scheme = format!(
                "BUDGETFLOW__{}",
                variable.key.to_uppercase().replace('.', "__")
            );
            assert_eq!(variable.name, scheme);
            let settings =
                Settings::load_from(None, env(&[(variable.name, "from-the-environment")]));
            let settings = settings.unwrap_or_else(|e| panic!("{}: {e}", variable.name));
            assert!(
                format!("{settings:?}").contains("from-the-environment"),
                "{} sets {}",
                variable.name,
                variable.key
            );
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("stage.toml");
        std::fs::write(&file, "[stage]\nprefech = 3\n").unwrap();
        assert!(Settings::load_from(Some(file), env(&[])).is_err());
        let bad = Settings::load_from(None, env(&[("BUDGETFLOW__STAGE__PREFETCH", "many")]));
        assert!(bad.is_err());
    }

    #[test]
    fn a_named_file_must_exist() {
        let missing = Settings::load_from(
            Some(PathBuf::from("/nonexistent/budgetflow.toml")),
            env(&[]),
        );
        assert!(matches!(missing, Err(ServiceError::Config(_))));
    }

    #[test]
    fn the_portal_comes_from_file_and_environment_and_its_secret_is_never_printed() {
        assert_eq!(Settings::default().publish.portal.endpoint, "");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("publish.toml");
        std::fs::write(
            &file,
            "[publish.portal]\nendpoint = \"https://portal.example/api\"\nattempts = 6\n",
        )
        .unwrap();
        let settings = Settings::load_from(
            Some(file),
            env(&[("BUDGETFLOW__PUBLISH__PORTAL__SECRET", "hunter2-hunter2")]),
        )
        .unwrap();
        let portal = &settings.publish.portal;
        assert_eq!(portal.endpoint, "https://portal.example/api");
        assert_eq!(portal.attempts, 6);
        assert_eq!(portal.timeout_ms, 5_000);
        assert_eq!(portal.secret.expose(), "hunter2-hunter2");
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
