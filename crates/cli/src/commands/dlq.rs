//! `budgetflow dlq list|replay [--amqp URL]`: the dead-letter queue on RabbitMQ.
//!
//! `list` shows each dead letter (submission, routing key, the queue or stage it died in and
//! why) and leaves them all in the queue; `replay` re-publishes them with their original
//! routing key (all, or one submission's) and removes them from the queue.

use budgetflow_bus::{
    list_dead_letters, replay_dead_letters, RabbitConfig, RabbitTransport, Topology,
};
use budgetflow_model::Lang;

use crate::args::{BusArgs, DlqAction};
use crate::exit::{CliError, Outcome};

pub async fn run(action: DlqAction, bus: &BusArgs, lang: Lang) -> Result<Outcome, CliError> {
    let Some(url) = bus.amqp.clone() else {
        return Err(CliError::usage(|lang| {
            lang.pick(
                "死信队列在 RabbitMQ 上：请用 --amqp URL 或环境变量 BUDGETFLOW__AMQP__URL（或 AMQP_URL）指定",
                "the dead-letter queue lives on RabbitMQ: give --amqp URL or set BUDGETFLOW__AMQP__URL (or AMQP_URL)",
            )
            .to_owned()
        }));
    };
    let config = RabbitConfig::new(url, Topology::new(bus.prefix.clone()));
    let report = act(action, config, lang).await.map_err(|error| {
        CliError::failed(|lang| {
            format!(
                "{}: {error}",
                lang.pick("死信队列操作失败", "dead-letter queue")
            )
        })
    })?;
    let mut out = crate::output::stdout();
    out.text(&report)?;
    out.finish()?;
    Ok(Outcome::Clean)
}

/// Lists or replays; what to print.
async fn act(
    action: DlqAction,
    config: RabbitConfig,
    lang: Lang,
) -> Result<String, budgetflow_bus::BusError> {
    let transport = RabbitTransport::connect(config).await?;
    let result = match action {
        DlqAction::List { max } => {
            let dead = list_dead_letters(&transport, max).await?;
            let mut report = String::new();
            for letter in &dead {
                let submission = letter
                    .submission_id
                    .map_or_else(|| "-".to_owned(), |id| id.to_string());
                let place = letter
                    .stage
                    .as_deref()
                    .or(letter.queue.as_deref())
                    .unwrap_or("-");
                report.push_str(&format!(
                    "{submission}\t{}\t{place}\t{}\n",
                    letter.routing_key, letter.reason
                ));
            }
            report.push_str(&match lang {
                Lang::Zh => format!("死信 {} 条\n", dead.len()),
                Lang::En => format!("{} dead letter(s)\n", dead.len()),
            });
            Ok(report)
        }
        DlqAction::Replay { max, submission } => {
            let replayed = replay_dead_letters(&transport, max, |letter| {
                submission.is_none_or(|wanted| letter.submission_id == Some(wanted))
            })
            .await?;
            Ok(match lang {
                Lang::Zh => format!("已重新发送 {replayed} 条\n"),
                Lang::En => format!("replayed {replayed}\n"),
            })
        }
    };
    transport.close().await;
    result
}
