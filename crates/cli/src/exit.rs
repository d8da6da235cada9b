//! The command's one edge to the shell. Scripts act on the exit status, so it must mean the
//! same thing for every command: each command returns `Result<Outcome, CliError>`, and only
//! [`finish`] turns that into the status (by the table in [`code`]) and prints the error.
//!
//! | result | status |
//! | --- | --- |
//! | [`Outcome::Clean`] | 0 |
//! | [`Outcome::Findings`]: validator errors, a refused or rejected document | 1 |
//! | [`ErrorKind::Unreadable`], [`ErrorKind::Usage`], [`ErrorKind::Failed`] | 2 |
//!
//! Clap's own usage errors come through here too ([`from_clap`]), with the status it gives them.

use std::io::Write;
use std::process::ExitCode;

use budgetflow_model::Lang;

/// What a command that did its work found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to fix.
    Clean,
    /// Something for a person to fix, reported by the command itself: validator errors, a
    /// refused submission or publication, a rejected document, a refused registration.
    Findings,
}

/// Why a command could not do (all of) its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// An input could not be read as what it should be.
    Unreadable,
    /// The command line asks for something the command cannot do.
    Usage,
    /// The work itself failed: an output could not be written, a broker, database or API
    /// could not be reached, a submission failed in the pipeline.
    Failed,
}

/// A command's error: its kind, and what to tell the person, in both languages (the edge
/// picks the one asked for with `--lang`).
#[derive(Debug, thiserror::Error)]
#[error("{kind:?}: {}", self.message(Lang::En).unwrap_or("reported by the command"))]
pub struct CliError {
    kind: ErrorKind,
    /// `None`: the command has reported it where it happened (one file of a batch, a
    /// summary row, the service log), so the edge prints nothing more.
    message: Option<[String; 2]>,
}

impl CliError {
    /// An error to print: `say` is asked once per language.
    pub fn new(kind: ErrorKind, say: impl Fn(Lang) -> String) -> CliError {
        CliError {
            kind,
            message: Some([say(Lang::Zh), say(Lang::En)]),
        }
    }

    /// An error the command has already reported where it happened.
    pub fn reported(kind: ErrorKind) -> CliError {
        CliError {
            kind,
            message: None,
        }
    }

    pub fn unreadable(say: impl Fn(Lang) -> String) -> CliError {
        CliError::new(ErrorKind::Unreadable, say)
    }

    pub fn usage(say: impl Fn(Lang) -> String) -> CliError {
        CliError::new(ErrorKind::Usage, say)
    }

    pub fn failed(say: impl Fn(Lang) -> String) -> CliError {
        CliError::new(ErrorKind::Failed, say)
    }

    /// Prints the message in `lang` on stderr, unless the command reported it already: by
    /// [`finish`], or by a batch command for one of its inputs as it goes on.
    pub fn report(&self, lang: Lang) {
        if let Some(message) = self.message(lang) {
            // `eprintln!` would panic on a closed stderr; there is nowhere left to say it then
            let _ = writeln!(std::io::stderr(), "{message}");
        }
    }

    /// The message in `lang`, unless the command reported it already.
    pub fn message(&self, lang: Lang) -> Option<&str> {
        let [zh, en] = self.message.as_ref()?;
        Some(match lang {
            Lang::Zh => zh,
            Lang::En => en,
        })
    }
}

/// The exit status of a command's result: the one table every command follows.
pub fn code(result: &Result<Outcome, CliError>) -> u8 {
    match result {
        Ok(Outcome::Clean) => 0,
        Ok(Outcome::Findings) => 1,
        Err(error) => match error.kind {
            ErrorKind::Unreadable | ErrorKind::Usage | ErrorKind::Failed => 2,
        },
    }
}

/// Prints the error (in `lang`) and gives the exit status.
pub fn finish(result: Result<Outcome, CliError>, lang: Lang) -> ExitCode {
    if let Err(error) = &result {
        error.report(lang);
    }
    ExitCode::from(code(&result))
}

/// A command line clap refused (clap prints why), or `--help`/`--version` (exit 0).
pub fn from_clap(error: &clap::Error) -> Result<Outcome, CliError> {
    if error.use_stderr() {
        Err(CliError::reported(ErrorKind::Usage))
    } else {
        Ok(Outcome::Clean)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn every_result_has_its_status() {
        let table = [
            (Ok(Outcome::Clean), 0),
            (Ok(Outcome::Findings), 1),
            (Err(CliError::unreadable(|_| "x".into())), 2),
            (Err(CliError::usage(|_| "x".into())), 2),
            (Err(CliError::failed(|_| "x".into())), 2),
            (Err(CliError::reported(ErrorKind::Unreadable)), 2),
            (Err(CliError::reported(ErrorKind::Failed)), 2),
        ];
        for (result, status) in table {
            assert_eq!(code(&result), status, "{result:?}");
        }
    }

    #[test]
    fn the_message_is_in_the_language_asked_for_and_none_once_reported() {
        let error = CliError::failed(|lang| lang.pick("无法写入", "cannot write").to_owned());
        assert_eq!(error.message(Lang::Zh), Some("无法写入"));
        assert_eq!(error.message(Lang::En), Some("cannot write"));
        assert_eq!(CliError::reported(ErrorKind::Usage).message(Lang::Zh), None);
    }

    #[test]
    fn clap_usage_errors_are_usage_and_help_is_clean() {
        let unknown = crate::Args::try_parse_from(["budgetflow", "no-such-command"]).unwrap_err();
        assert_eq!(unknown.exit_code(), 2, "clap's own status");
        assert_eq!(code(&from_clap(&unknown)), 2);
        let help = crate::Args::try_parse_from(["budgetflow", "--help"]).unwrap_err();
        assert_eq!(code(&from_clap(&help)), 0);
    }
}
