//! The submission state machine.
//!
//! ```text
//! received ─▶ validated ─▶ scored ─▶ published
//!     └─────▶ rejected          └──▶ failed   (failed can end any state but a final one)
//! ```
//!
//! Events can arrive out of order (redelivery) or twice; a state only ever moves forward:
//! an event whose state is not ahead of the current one is recorded in the history but does
//! not change the state.

use budgetflow_bus::Event;
use serde::Serialize;

/// Where a submission stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionState {
    Received,
    Validated,
    Rejected,
    Scored,
    Published,
    Failed,
}

impl SubmissionState {
    pub const ALL: [SubmissionState; 6] = [
        SubmissionState::Received,
        SubmissionState::Validated,
        SubmissionState::Rejected,
        SubmissionState::Scored,
        SubmissionState::Published,
        SubmissionState::Failed,
    ];

    /// The name stored in the database and shown by the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Received => "received",
            SubmissionState::Validated => "validated",
            SubmissionState::Rejected => "rejected",
            SubmissionState::Scored => "scored",
            SubmissionState::Published => "published",
            SubmissionState::Failed => "failed",
        }
    }

    pub fn parse(name: &str) -> Option<SubmissionState> {
        SubmissionState::ALL
            .into_iter()
            .find(|state| state.as_str() == name)
    }

    /// The state an event puts a submission in.
    pub const fn of_event(event: Event) -> SubmissionState {
        match event {
            Event::Received => SubmissionState::Received,
            Event::Validated => SubmissionState::Validated,
            Event::Rejected => SubmissionState::Rejected,
            Event::Scored => SubmissionState::Scored,
            Event::Published => SubmissionState::Published,
            Event::Failed => SubmissionState::Failed,
        }
    }

    /// The event that puts a submission in this state (each state is named after one).
    pub const fn event(self) -> Event {
        match self {
            SubmissionState::Received => Event::Received,
            SubmissionState::Validated => Event::Validated,
            SubmissionState::Rejected => Event::Rejected,
            SubmissionState::Scored => Event::Scored,
            SubmissionState::Published => Event::Published,
            SubmissionState::Failed => Event::Failed,
        }
    }

    /// `true` once nothing more happens to the submission: its event is terminal
    /// ([`Event::is_terminal`]).
    pub const fn is_final(self) -> bool {
        self.event().is_terminal()
    }

    /// How far along the pipeline the state is.
    const fn rank(self) -> u8 {
        match self {
            SubmissionState::Received => 0,
            SubmissionState::Validated => 1,
            SubmissionState::Scored => 2,
            SubmissionState::Rejected | SubmissionState::Published | SubmissionState::Failed => 3,
        }
    }

    /// Whether a submission in `self` moves to `next`.
    pub const fn advances_to(self, next: SubmissionState) -> bool {
        !self.is_final() && next.rank() > self.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubmissionState::*;

    #[test]
    fn states_only_move_forward_and_final_states_stay() {
        assert!(Received.advances_to(Validated));
        assert!(Received.advances_to(Rejected));
        assert!(
            Received.advances_to(Scored),
            "a late `validated` is skipped"
        );
        assert!(Validated.advances_to(Scored));
        assert!(Scored.advances_to(Published));
        assert!(Scored.advances_to(Failed));
        assert!(!Scored.advances_to(Validated));
        assert!(!Validated.advances_to(Validated));
        assert!(!Published.advances_to(Failed));
        assert!(!Rejected.advances_to(Scored));
        assert!(!Failed.advances_to(Published));
    }

    #[test]
    fn names_round_trip_and_events_map_to_states() {
        for state in SubmissionState::ALL {
            assert_eq!(SubmissionState::parse(state.as_str()), Some(state));
        }
        assert_eq!(SubmissionState::parse("done"), None);
        for event in Event::ALL {
            assert_eq!(
                format!("submission.{}", SubmissionState::of_event(event).as_str()),
                event.routing_key()
            );
            assert_eq!(SubmissionState::of_event(event).event(), event);
        }
    }
}
