//! Standard output for the commands. A reader that stops early (`budgetflow parse f | head -1`)
//! closes the pipe; Rust ignores SIGPIPE, so the next write fails with `BrokenPipe` (and
//! `println!` would panic). That is not a failure of the command: the reader has what it
//! wanted. [`Output`] stops writing then and the command ends with its own outcome; any other
//! write error (a full disk behind `> file`) is one.

use std::fmt::Display;
use std::io::{self, BufWriter, ErrorKind, Write};

use crate::exit::CliError;

/// Where a command writes its results.
pub(crate) struct Output<W: Write> {
    sink: W,
    /// The reader went away: nothing more is written.
    closed: bool,
}

/// Standard output as it is, a line at a time: for reports that grow while the command works.
pub(crate) fn stdout() -> Output<io::Stdout> {
    Output::new(io::stdout())
}

/// Standard output in large blocks: for output written all at once (JSON, facts, reports).
pub(crate) fn stdout_buffered() -> Output<BufWriter<io::Stdout>> {
    Output::new(BufWriter::new(io::stdout()))
}

impl<W: Write> Output<W> {
    pub(crate) fn new(sink: W) -> Self {
        Output {
            sink,
            closed: false,
        }
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let written = self.sink.write_all(bytes);
        self.settle(written)
    }

    pub(crate) fn text(&mut self, text: &str) -> Result<(), CliError> {
        self.bytes(text.as_bytes())
    }

    /// `line` and a newline.
    pub(crate) fn line(&mut self, line: impl Display) -> Result<(), CliError> {
        self.text(&format!("{line}\n"))
    }

    /// Writes out what is buffered; the end of every command that wrote.
    pub(crate) fn finish(mut self) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.sink.flush();
        self.settle(flushed)
    }

    fn settle(&mut self, written: io::Result<()>) -> Result<(), CliError> {
        match written {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(error) => Err(CliError::failed(|lang| {
                format!(
                    "{}: {error}",
                    lang.pick("无法写出结果", "cannot write the output")
                )
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink that takes `room` bytes and then fails with `error`, counting the attempts.
    struct Sink {
        room: usize,
        error: ErrorKind,
        taken: Vec<u8>,
        attempts: usize,
    }

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.attempts += 1;
            if self.room == 0 {
                return Err(io::Error::from(self.error));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn sink(room: usize, error: ErrorKind) -> Sink {
        Sink {
            room,
            error,
            taken: Vec::new(),
            attempts: 0,
        }
    }

    #[test]
    fn a_closed_pipe_ends_the_writing_and_is_no_error() {
        let mut out = Output::new(sink(3, ErrorKind::BrokenPipe));
        assert!(out.line("first").is_ok());
        assert!(out.line("second").is_ok());
        assert_eq!(out.sink.taken, b"fir");
        assert_eq!(
            out.sink.attempts, 2,
            "nothing is tried once the pipe closed"
        );
        assert!(out.finish().is_ok());
    }

    #[test]
    fn any_other_write_error_is_a_failure() {
        let mut out = Output::new(sink(0, ErrorKind::PermissionDenied));
        let error = out.text("x").unwrap_err();
        assert!(error
            .message(budgetflow_model::Lang::En)
            .unwrap()
            .starts_with("cannot write the output"));
        assert_eq!(crate::exit::code(&Err(error)), 2);
    }
}
