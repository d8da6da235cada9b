//! The error type shared by every transport operation.

use thiserror::Error;

/// What can go wrong while talking to the bus.
#[derive(Debug, Error)]
pub enum BusError {
    /// The transport was closed (shut down) while the operation waited.
    #[error("the transport is closed")]
    Closed,
    /// A published message matched no queue: it would have been dropped silently.
    #[error("no queue is bound for routing key `{routing_key}`")]
    Unroutable { routing_key: String },
    /// A delivery could not be settled because its channel is gone; the broker returns
    /// the message to its queue.
    #[error("the delivery's channel is gone; the broker will deliver the message again")]
    ChannelGone,
    /// A bounded publish ([`crate::Transport::publish_within`]) was not confirmed in time:
    /// the broker is unreachable or not taking messages. Try again later.
    #[error("the message bus did not take the message within {} ms", waited.as_millis())]
    Unavailable { waited: std::time::Duration },
    /// The AMQP client reported an error.
    #[error("AMQP: {0}")]
    Amqp(#[from] lapin::Error),
    /// An envelope could not be encoded or decoded.
    #[error(transparent)]
    Envelope(#[from] crate::envelope::EnvelopeError),
    /// The idempotency store failed.
    #[error(transparent)]
    Store(#[from] crate::idempotency::StoreError),
}
