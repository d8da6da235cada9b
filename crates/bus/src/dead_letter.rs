//! Inspecting and replaying the dead-letter queue (`budgetflow dlq list|replay`), and what a
//! dead letter means for its submission.
//!
//! Listing takes the dead letters without acking them and requeues them all, so nothing is
//! lost; replaying re-publishes each selected one to the topic exchange with its original
//! routing key (dead-letter headers removed), waits for the confirm, then acks it.
//!
//! [`DeadLetter::failure`] is the one rule for which dead letters fail their submission and
//! with what stage and reason; the SQL ledger (from the ledger's copy of the dead letters) and
//! the in-memory ledger of `budgetflow run` (from the listing) both apply it.

use serde_json::Value;
use uuid::Uuid;

use crate::envelope::Failure;
use crate::error::BusError;
use crate::topology::{Topology, WorkQueue};
use crate::transport::{
    Delivery, Destination, Headers, OutgoingMessage, Transport, DELIVERY_LIMIT_REASON,
    FIRST_DEATH_QUEUE_HEADER, FIRST_DEATH_REASON_HEADER, POISON_QUEUE_HEADER, POISON_REASON_HEADER,
    POISON_STAGE_HEADER,
};

/// One message in the dead-letter queue.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadLetter {
    /// The routing key it was published with.
    pub routing_key: String,
    /// Why it died: the stage's poison reason, else the broker's (`delivery_limit`, ...).
    pub reason: String,
    /// The queue it died in: the one the broker dead-lettered it from, or the one of the stage
    /// that gave it up.
    pub queue: Option<String>,
    /// The stage that declared it poison, if one did.
    pub stage: Option<String>,
    /// The submission, when the body is an envelope-like JSON object.
    pub submission_id: Option<Uuid>,
    pub headers: Headers,
    pub body: Vec<u8>,
}

impl DeadLetter {
    /// Reads a delivery of the dead-letter queue (or of the ledger's copy of it).
    pub fn from_delivery(delivery: &Delivery) -> Self {
        let headers = &delivery.headers;
        let reason = headers
            .get(POISON_REASON_HEADER)
            .or_else(|| headers.get(FIRST_DEATH_REASON_HEADER))
            .cloned()
            .unwrap_or_else(|| "unknown".to_owned());
        let submission_id = serde_json::from_slice::<Value>(&delivery.body)
            .ok()
            .and_then(|body| body.get("submission_id")?.as_str()?.parse().ok());
        DeadLetter {
            routing_key: delivery.routing_key.clone(),
            reason,
            queue: headers
                .get(FIRST_DEATH_QUEUE_HEADER)
                .or_else(|| headers.get(POISON_QUEUE_HEADER))
                .cloned(),
            stage: headers.get(POISON_STAGE_HEADER).cloned(),
            submission_id,
            headers: headers.clone(),
            body: delivery.body.clone(),
        }
    }

    /// How the dead letter failed its submission: the stage that gave it up and why, or the
    /// stage whose queue dead-lettered it and after how many deliveries. `None` when it says
    /// nothing about the submission: it died in the ledger's queue (the ledger could not
    /// record an event; the submission itself may be fine), or nothing names where it died.
    pub fn failure(&self, topology: &Topology) -> Option<Failure> {
        let queue = self
            .queue
            .as_deref()
            .map(|name| (name, topology.work_queue_named(name)));
        if let Some((_, Some(WorkQueue::Ledger))) = queue {
            return None;
        }
        let stage = match (&self.stage, queue) {
            (Some(stage), _) => stage.clone(),
            (None, Some((_, Some(work_queue)))) => work_queue.suffix().to_owned(),
            (None, Some((name, None))) => name.to_owned(),
            (None, None) => return None,
        };
        let reason = match (self.headers.get(POISON_REASON_HEADER), queue) {
            (Some(reason), _) => reason.clone(),
            (None, Some((name, _))) if self.reason == DELIVERY_LIMIT_REASON => format!(
                "dead-lettered by {name} after {} deliveries ({DELIVERY_LIMIT_REASON})",
                u64::from(topology.delivery_limit()) + 1
            ),
            (None, Some((name, _))) => format!("dead-lettered by {name} ({})", self.reason),
            (None, None) => format!("dead-lettered ({})", self.reason),
        };
        Some(Failure { stage, reason })
    }
}

/// Up to `max` dead letters, oldest first; the queue keeps them all.
pub async fn list_dead_letters(
    transport: &dyn Transport,
    max: usize,
) -> Result<Vec<DeadLetter>, BusError> {
    let deliveries = transport.take_dead_letters(max).await?;
    let dead_letters = deliveries.iter().map(DeadLetter::from_delivery).collect();
    requeue_all(deliveries).await?;
    Ok(dead_letters)
}

/// Re-publishes the dead letters (up to `max`) that `select` accepts and removes them from
/// the dead-letter queue; the others stay. Returns how many were replayed.
pub async fn replay_dead_letters(
    transport: &dyn Transport,
    max: usize,
    select: impl Fn(&DeadLetter) -> bool,
) -> Result<usize, BusError> {
    let mut deliveries = transport.take_dead_letters(max).await?.into_iter();
    let mut kept = Vec::new();
    let mut replayed = 0;
    while let Some(delivery) = deliveries.next() {
        let dead_letter = DeadLetter::from_delivery(&delivery);
        if !select(&dead_letter) {
            kept.push(delivery);
            continue;
        }
        let message = OutgoingMessage {
            destination: Destination::Exchange,
            routing_key: dead_letter.routing_key,
            body: dead_letter.body,
            headers: without_death_headers(dead_letter.headers),
            message_id: None,
        };
        if let Err(error) = transport.publish(message).await {
            kept.push(delivery);
            kept.extend(deliveries);
            requeue_all(kept).await?;
            return Err(error);
        }
        delivery.ack().await?;
        replayed += 1;
    }
    requeue_all(kept).await?;
    Ok(replayed)
}

async fn requeue_all(deliveries: Vec<Delivery>) -> Result<(), BusError> {
    for delivery in deliveries {
        delivery.requeue().await?;
    }
    Ok(())
}

/// Drops the headers that describe a death (the broker's `x-death`, `x-first-death-*`,
/// `x-last-death-*`, the delivery count, and the stage's poison headers).
fn without_death_headers(mut headers: Headers) -> Headers {
    headers.retain(|name, _| {
        !(name == "x-death"
            || name == "x-delivery-count"
            || name.starts_with("x-first-death-")
            || name.starts_with("x-last-death-")
            || name == POISON_REASON_HEADER
            || name == POISON_STAGE_HEADER
            || name == POISON_QUEUE_HEADER)
    });
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_strips_only_death_headers() {
        let headers: Headers = [
            ("x-death", "…"),
            ("x-first-death-reason", "delivery_limit"),
            ("x-first-death-queue", "budgetflow.score"),
            ("x-last-death-reason", "delivery_limit"),
            ("x-delivery-count", "4"),
            (POISON_REASON_HEADER, "bad"),
            (POISON_STAGE_HEADER, "score"),
            (POISON_QUEUE_HEADER, "budgetflow.score"),
            ("x-custom", "kept"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let kept = without_death_headers(headers);
        assert_eq!(
            kept.into_iter().collect::<Vec<_>>(),
            vec![("x-custom".to_owned(), "kept".to_owned())]
        );
    }

    fn dead_letter(headers: &[(&str, &str)]) -> DeadLetter {
        let headers: Headers = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let delivery = Delivery::new(
            "submission.scored".to_owned(),
            b"{}".to_vec(),
            headers,
            1,
            Box::new(Unsettled),
        );
        DeadLetter::from_delivery(&delivery)
    }

    struct Unsettled;

    #[async_trait::async_trait]
    impl crate::transport::Acknowledger for Unsettled {
        async fn ack(self: Box<Self>) -> Result<(), BusError> {
            Ok(())
        }
        async fn requeue(self: Box<Self>) -> Result<(), BusError> {
            Ok(())
        }
    }

    #[test]
    fn a_dead_letter_fails_its_submission_unless_the_ledger_queue_let_it_die() {
        let topology = Topology::new("bf").with_delivery_limit(5);
        let failure = |stage: &str, reason: &str| {
            Some(Failure {
                stage: stage.to_owned(),
                reason: reason.to_owned(),
            })
        };
        let cases = [
            (
                vec![
                    (FIRST_DEATH_REASON_HEADER, "delivery_limit"),
                    (FIRST_DEATH_QUEUE_HEADER, "bf.publish"),
                ],
                failure(
                    "publish",
                    "dead-lettered by bf.publish after 6 deliveries (delivery_limit)",
                ),
            ),
            (
                vec![
                    (POISON_REASON_HEADER, "table 3 is unreadable"),
                    (POISON_STAGE_HEADER, "validate"),
                    (POISON_QUEUE_HEADER, "bf.validate"),
                ],
                failure("validate", "table 3 is unreadable"),
            ),
            (
                vec![
                    (POISON_REASON_HEADER, "bad"),
                    (POISON_STAGE_HEADER, "score"),
                ],
                failure("score", "bad"),
            ),
            (
                vec![
                    (FIRST_DEATH_REASON_HEADER, "rejected"),
                    (FIRST_DEATH_QUEUE_HEADER, "bf.score"),
                ],
                failure("score", "dead-lettered by bf.score (rejected)"),
            ),
            (
                vec![
                    (FIRST_DEATH_REASON_HEADER, "delivery_limit"),
                    (FIRST_DEATH_QUEUE_HEADER, "bf.ledger"),
                ],
                None,
            ),
            (
                vec![
                    (POISON_REASON_HEADER, "bad"),
                    (POISON_STAGE_HEADER, "audit"),
                    (POISON_QUEUE_HEADER, "bf.ledger"),
                ],
                None,
            ),
            (vec![("x-custom", "nothing")], None),
        ];
        for (headers, expected) in cases {
            assert_eq!(
                dead_letter(&headers).failure(&topology),
                expected,
                "{headers:?}"
            );
        }
    }
}
