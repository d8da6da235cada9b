//! Stage metrics (Prometheus names, recorded through the `metrics` facade) and the
//! tracing span that carries a message's trace id.

use std::time::Instant;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use tracing::Span;

use crate::envelope::Envelope;

/// The metrics every stage records; each carries a `stage` label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageMetric {
    /// Deliveries taken from the stage's queue.
    MessagesReceived,
    /// Deliveries handled, labelled by `outcome` (done, rejected, retry_later, poison).
    MessagesProcessed,
    /// Attempts that failed transiently and were requeued.
    MessagesFailed,
    /// Messages the stage sent to the dead-letter queue.
    MessagesDeadLettered,
    /// Time from delivery to settlement (histogram).
    ProcessingSeconds,
    /// Deliveries being handled right now (gauge).
    InFlight,
}

impl StageMetric {
    pub const ALL: [StageMetric; 6] = [
        StageMetric::MessagesReceived,
        StageMetric::MessagesProcessed,
        StageMetric::MessagesFailed,
        StageMetric::MessagesDeadLettered,
        StageMetric::ProcessingSeconds,
        StageMetric::InFlight,
    ];

    /// The Prometheus metric name.
    pub const fn name(self) -> &'static str {
        match self {
            StageMetric::MessagesReceived => "budgetflow_stage_messages_received_total",
            StageMetric::MessagesProcessed => "budgetflow_stage_messages_processed_total",
            StageMetric::MessagesFailed => "budgetflow_stage_messages_failed_total",
            StageMetric::MessagesDeadLettered => "budgetflow_stage_messages_dead_lettered_total",
            StageMetric::ProcessingSeconds => "budgetflow_stage_processing_seconds",
            StageMetric::InFlight => "budgetflow_stage_in_flight",
        }
    }

    /// The `# HELP` text.
    pub const fn help(self) -> &'static str {
        match self {
            StageMetric::MessagesReceived => "Deliveries taken from the stage's queue",
            StageMetric::MessagesProcessed => "Deliveries handled, by outcome",
            StageMetric::MessagesFailed => "Attempts that failed transiently and were requeued",
            StageMetric::MessagesDeadLettered => {
                "Messages the stage gave up: announced as submission.failed and dead-lettered"
            }
            StageMetric::ProcessingSeconds => "Seconds from delivery to settlement",
            StageMetric::InFlight => "Deliveries being handled now",
        }
    }
}

/// Registers the help text of every stage metric with the installed recorder.
pub fn describe_stage_metrics() {
    for metric in StageMetric::ALL {
        match metric {
            StageMetric::ProcessingSeconds => {
                describe_histogram!(metric.name(), metrics::Unit::Seconds, metric.help())
            }
            StageMetric::InFlight => describe_gauge!(metric.name(), metric.help()),
            _ => describe_counter!(metric.name(), metric.help()),
        }
    }
}

/// Records the metrics of one stage.
#[derive(Clone, Debug)]
pub(crate) struct StageTelemetry {
    stage: String,
}

impl StageTelemetry {
    pub(crate) fn new(stage: &str) -> Self {
        StageTelemetry {
            stage: stage.to_owned(),
        }
    }

    /// Counts a delivery and marks it in flight until the returned guard is dropped.
    pub(crate) fn received(&self) -> InFlight {
        counter!(StageMetric::MessagesReceived.name(), "stage" => self.stage.clone()).increment(1);
        gauge!(StageMetric::InFlight.name(), "stage" => self.stage.clone()).increment(1.0);
        InFlight {
            stage: self.stage.clone(),
            started: Instant::now(),
        }
    }

    pub(crate) fn processed(&self, outcome: &'static str) {
        counter!(StageMetric::MessagesProcessed.name(), "stage" => self.stage.clone(), "outcome" => outcome)
            .increment(1);
    }

    pub(crate) fn failed(&self) {
        counter!(StageMetric::MessagesFailed.name(), "stage" => self.stage.clone()).increment(1);
    }

    pub(crate) fn dead_lettered(&self) {
        counter!(StageMetric::MessagesDeadLettered.name(), "stage" => self.stage.clone())
            .increment(1);
    }
}

/// The span a message is handled in: every log line of the stage carries the trace id.
pub(crate) fn message_span(stage: &str, envelope: &Envelope, attempt: u32) -> Span {
    tracing::info_span!(
        "message",
        stage,
        trace_id = %envelope.trace_id,
        submission_id = %envelope.submission_id,
        attempt,
    )
}

/// A delivery in flight; dropping it records the processing time.
pub(crate) struct InFlight {
    stage: String,
    started: Instant,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        histogram!(StageMetric::ProcessingSeconds.name(), "stage" => self.stage.clone())
            .record(self.started.elapsed().as_secs_f64());
        gauge!(StageMetric::InFlight.name(), "stage" => self.stage.clone()).decrement(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    use metrics::{
        Counter, CounterFn, Gauge, GaugeFn, Histogram, HistogramFn, Key, KeyName, Metadata,
        Recorder, SharedString, Unit,
    };

    /// Writes every metric operation as a line: `<name>{<labels>} <operation>`.
    #[derive(Clone, Default)]
    struct LoggingRecorder {
        lines: Arc<Mutex<Vec<String>>>,
    }

    struct LoggedMetric {
        key: String,
        lines: Arc<Mutex<Vec<String>>>,
    }

    impl LoggedMetric {
        fn log(&self, operation: String) {
            self.lines
                .lock()
                .unwrap()
                .push(format!("{} {operation}", self.key));
        }
    }

    impl CounterFn for LoggedMetric {
        fn increment(&self, value: u64) {
            self.log(format!("+{value}"));
        }
        fn absolute(&self, value: u64) {
            self.log(format!("={value}"));
        }
    }

    impl GaugeFn for LoggedMetric {
        fn increment(&self, value: f64) {
            self.log(format!("+{value}"));
        }
        fn decrement(&self, value: f64) {
            self.log(format!("-{value}"));
        }
        fn set(&self, value: f64) {
            self.log(format!("={value}"));
        }
    }

    impl HistogramFn for LoggedMetric {
        fn record(&self, _value: f64) {
            self.log("observed".to_owned());
        }
    }

    impl LoggingRecorder {
        fn metric(&self, key: &Key) -> Arc<LoggedMetric> {
            let labels: Vec<String> = key
                .labels()
                .map(|label| format!("{}={}", label.key(), label.value()))
                .collect();
            Arc::new(LoggedMetric {
                key: format!("{}{{{}}}", key.name(), labels.join(",")),
                lines: self.lines.clone(),
            })
        }
    }

    impl Recorder for LoggingRecorder {
        fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
            Counter::from_arc(self.metric(key))
        }
        fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
            Gauge::from_arc(self.metric(key))
        }
        fn register_histogram(&self, key: &Key, _: &Metadata<'_>) -> Histogram {
            Histogram::from_arc(self.metric(key))
        }
    }

    #[test]
    fn a_message_is_counted_timed_and_tracked_in_flight() {
        let recorder = LoggingRecorder::default();
        metrics::with_local_recorder(&recorder, || {
            let telemetry = StageTelemetry::new("score");
            let in_flight = telemetry.received();
            telemetry.processed("retry_later");
            telemetry.failed();
            telemetry.dead_lettered();
            drop(in_flight);
        });
        let lines = recorder.lines.lock().unwrap().clone();
        assert_eq!(
            lines,
            [
                "budgetflow_stage_messages_received_total{stage=score} +1",
                "budgetflow_stage_in_flight{stage=score} +1",
                "budgetflow_stage_messages_processed_total{stage=score,outcome=retry_later} +1",
                "budgetflow_stage_messages_failed_total{stage=score} +1",
                "budgetflow_stage_messages_dead_lettered_total{stage=score} +1",
                "budgetflow_stage_processing_seconds{stage=score} observed",
                "budgetflow_stage_in_flight{stage=score} -1",
            ]
        );
    }

    #[test]
    fn names_follow_prometheus_conventions() {
        for metric in StageMetric::ALL {
            let name = metric.name();
            assert!(name.starts_with("budgetflow_stage_"), "{name}");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
            let is_counter = matches!(
                metric,
                StageMetric::MessagesReceived
                    | StageMetric::MessagesProcessed
                    | StageMetric::MessagesFailed
                    | StageMetric::MessagesDeadLettered
            );
            assert_eq!(name.ends_with("_total"), is_counter, "{name}");
        }
        assert!(StageMetric::ProcessingSeconds.name().ends_with("_seconds"));
        let mut names: Vec<_> = StageMetric::ALL.iter().map(|m| m.name()).collect();
        names.dedup();
        assert_eq!(names.len(), StageMetric::ALL.len());
    }
}
