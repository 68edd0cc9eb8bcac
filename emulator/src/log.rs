//! Logging: the subscriber, and how request bytes are made safe to log.
//!
//! Every request is one line at INFO (protocol, operation, status, error
//! code, duration); what the crate warns about is a line at WARN. Lines are
//! formatted whole on the request's thread and written by a background
//! thread, one `write` each, so a slow terminal or pipe never holds up a
//! request. `RUST_LOG` sets the level (default `info`).

use std::fmt;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The most characters of a name taken from a request that a log line or
/// an error message shows.
pub const ECHO_CHARS: usize = 64;

/// A name taken from a request (an operation, an alias), shown with control
/// characters escaped and cut to [`ECHO_CHARS`] characters, so that no
/// request can forge a log line or make a huge one.
///
/// ```
/// use gamelift_emulator::Bounded;
///
/// assert_eq!(Bounded("Update\nINFO forged").to_string(), "Update\\nINFO forged");
/// assert_eq!(Bounded(&"x".repeat(100)).to_string(), format!("{}...", "x".repeat(64)));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bounded<'a>(pub &'a str);

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == ECHO_CHARS {
                return f.write_str("...");
            }
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}') {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// Installs the global subscriber: `RUST_LOG` (default `info`), lines to
/// standard error through a background writer. Keep the guard until exit:
/// dropping it flushes what is left.
pub fn init() -> WorkerGuard {
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_target(false)
        .with_ansi(false)
        .init();
    guard
}
