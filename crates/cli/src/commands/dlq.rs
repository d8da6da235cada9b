//! `budgetflow dlq list|replay [--amqp URL]`: the dead-letter queue on RabbitMQ.
//!
//! `list` shows each dead letter (submission, routing key, the queue or stage it died in and
//! why) and leaves them all in the queue; `replay` re-publishes them with their original
//! routing key (all, or one submission's) and removes them from the queue.

use std::process::ExitCode;

use budgetflow_bus::{
    list_dead_letters, replay_dead_letters, RabbitConfig, RabbitTransport, Topology,
};
use budgetflow_model::Lang;

use crate::args::{BusArgs, DlqAction};

pub fn run(action: DlqAction, bus: &BusArgs, lang: Lang) -> ExitCode {
    let Some(url) = bus.amqp.clone() else {
        eprintln!(
            "{}",
            lang.pick(
                "死信队列在 RabbitMQ 上：请用 --amqp URL 或环境变量 AMQP_URL 指定",
                "the dead-letter queue lives on RabbitMQ: give --amqp URL or set AMQP_URL"
            )
        );
        return ExitCode::from(super::UNREADABLE);
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{}: {error}", lang.pick("无法启动", "cannot start"));
            return ExitCode::FAILURE;
        }
    };
    let config = RabbitConfig::new(url, Topology::new(bus.prefix.clone()));
    match runtime.block_on(act(action, config, lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}: {error}",
                lang.pick("死信队列操作失败", "dead-letter queue")
            );
            ExitCode::FAILURE
        }
    }
}

async fn act(
    action: DlqAction,
    config: RabbitConfig,
    lang: Lang,
) -> Result<(), budgetflow_bus::BusError> {
    let transport = RabbitTransport::connect(config).await?;
    let result = match action {
        DlqAction::List { max } => {
            let dead = list_dead_letters(&transport, max).await?;
            for letter in &dead {
                let submission = letter
                    .submission_id
                    .map_or_else(|| "-".to_owned(), |id| id.to_string());
                let place = letter
                    .stage
                    .as_deref()
                    .or(letter.queue.as_deref())
                    .unwrap_or("-");
                println!(
                    "{submission}\t{}\t{place}\t{}",
                    letter.routing_key, letter.reason
                );
            }
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("死信 {} 条", dead.len()),
                    Lang::En => format!("{} dead letter(s)", dead.len()),
                }
            );
            Ok(())
        }
        DlqAction::Replay { max, submission } => {
            let replayed = replay_dead_letters(&transport, max, |letter| {
                submission.is_none_or(|wanted| letter.submission_id == Some(wanted))
            })
            .await?;
            println!(
                "{}",
                match lang {
                    Lang::Zh => format!("已重新发送 {replayed} 条"),
                    Lang::En => format!("replayed {replayed}"),
                }
            );
            Ok(())
        }
    };
    transport.close().await;
    result
}
