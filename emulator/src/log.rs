//! Logging: the subscriber, and how request bytes are made safe to log.
//!
//! Every request is one line at INFO (protocol, operation, status, error
//! code, duration); what the crate warns about is a line at WARN. Lines are
//! formatted whole on the request's thread and queued; a background thread
//! writes what has queued up every 50 ms, in one `write` of whole lines. So
//! a slow terminal or pipe never holds up a request, a request never wakes
//! another thread to log, and a busy emulator makes one system call per
//! batch, not per line. `RUST_LOG` sets the level (default `info`).

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

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

/// A name taken from a request, as a log field: in double quotes, with
/// quotes, backslashes and control characters escaped and cut as
/// [`Bounded`] cuts it, so that no request can end the field and append
/// fields of its own (`Update status=200`).
///
/// ```
/// use gamelift_emulator::Quoted;
///
/// assert_eq!(Quoted("Update\" status=200").to_string(), r#""Update\" status=200""#);
/// assert_eq!(Quoted("a\\b\n").to_string(), r#""a\\b\n""#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for (i, c) in self.0.chars().enumerate() {
            if i == ECHO_CHARS {
                f.write_str("...")?;
                break;
            }
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if c.is_control()
                    || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}') =>
                {
                    write!(f, "{}", c.escape_default())?;
                }
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

/// How often the background thread writes what has queued up.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// Past this many queued bytes, a writer wakes the background thread at once.
const WAKE_AT: usize = 256 * 1024;
/// The most bytes queued: while standard error is not read (a pipe nobody
/// drains), lines past it are dropped and counted, not held.
pub const MAX_QUEUED_LOG_BYTES: usize = 4 * 1024 * 1024;

/// Log lines queued for the background writer.
#[derive(Debug, Default)]
struct Queue {
    lines: Mutex<Vec<u8>>,
    wake: Condvar,
    stopping: std::sync::atomic::AtomicBool,
    /// Lines dropped since the last batch was written.
    dropped: std::sync::atomic::AtomicU64,
}

/// Where the subscriber writes: the queue. The subscriber formats each
/// event into one buffer and writes it with one call, so every line
/// arrives whole, and a request pays one uncontended lock and one copy.
#[derive(Debug, Clone)]
struct QueueWriter(Arc<Queue>);

impl io::Write for QueueWriter {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let mut lines = self.0.lines.lock().unwrap_or_else(PoisonError::into_inner);
        if lines.len() + line.len() > MAX_QUEUED_LOG_BYTES {
            self.0.dropped.fetch_add(1, Ordering::Relaxed);
            self.0.wake.notify_one();
            return Ok(line.len());
        }
        lines.extend_from_slice(line);
        if lines.len() >= WAKE_AT {
            self.0.wake.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for QueueWriter {
    type Writer = QueueWriter;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Keeps the background writer running; dropping it writes what is left
/// and stops the thread.
#[derive(Debug)]
pub struct LogGuard {
    queue: Arc<Queue>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.queue.stopping.store(true, Ordering::Release);
        self.queue.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Writes queued lines to standard error every [`FLUSH_EVERY`], one
/// `write` per batch of whole lines, until the guard is dropped.
fn write_queued(queue: &Queue) {
    let mut batch = Vec::with_capacity(64 * 1024);
    loop {
        let stopping = {
            let lines = queue.lines.lock().unwrap_or_else(PoisonError::into_inner);
            let (mut lines, _) = queue
                .wake
                .wait_timeout(lines, FLUSH_EVERY)
                .unwrap_or_else(PoisonError::into_inner);
            std::mem::swap(&mut *lines, &mut batch);
            queue.stopping.load(Ordering::Acquire)
        };
        let dropped = queue.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let _ = writeln!(
                batch,
                "{dropped} log lines were dropped: standard error was not read fast enough"
            );
        }
        if !batch.is_empty() {
            let _ = io::stderr().lock().write_all(&batch);
            batch.clear();
            if batch.capacity() > 2 * MAX_QUEUED_LOG_BYTES {
                batch = Vec::with_capacity(64 * 1024);
            }
        }
        if stopping {
            let rest =
                std::mem::take(&mut *queue.lines.lock().unwrap_or_else(PoisonError::into_inner));
            let _ = io::stderr().lock().write_all(&rest);
            return;
        }
    }
}

/// Installs the global subscriber: `RUST_LOG` (default `info`), lines to
/// standard error through the background writer. Keep the guard until
/// exit: dropping it writes what is left.
#[must_use = "dropping the guard stops the log writer"]
pub fn init() -> LogGuard {
    let queue = Arc::new(Queue::default());
    let thread = {
        let queue = Arc::clone(&queue);
        std::thread::Builder::new()
            .name("log-writer".to_owned())
            .spawn(move || write_queued(&queue))
            .ok()
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(QueueWriter(Arc::clone(&queue)))
        .with_target(false)
        .with_ansi(false)
        .init();
    LogGuard { queue, thread }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_lines_and_counts_them() {
        let queue = Arc::new(Queue::default());
        let mut writer = QueueWriter(Arc::clone(&queue));
        let line = vec![b'x'; 1000];
        for _ in 0..(MAX_QUEUED_LOG_BYTES / 1000 + 10) {
            assert_eq!(writer.write(&line).unwrap(), 1000, "a write never fails");
        }
        let held = queue.lines.lock().unwrap().len();
        assert!(held <= MAX_QUEUED_LOG_BYTES, "{held} bytes held");
        assert_eq!(held, MAX_QUEUED_LOG_BYTES / 1000 * 1000);
        assert_eq!(queue.dropped.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn quoted_ends_only_where_it_should() {
        assert_eq!(Quoted("a\"b").to_string(), "\"a\\\"b\"");
        assert_eq!(Quoted("\u{202e}x").to_string(), "\"\\u{202e}x\"");
        let long = Quoted(&"y".repeat(100)).to_string();
        assert_eq!(long, format!("\"{}...\"", "y".repeat(64)));
    }
}
