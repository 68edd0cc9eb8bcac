//! The programs of the fleets the emulator launches (`--launch`, the
//! control API's `fleets/launch`, `CreateFleet` with a runtime
//! configuration): started with the `GAMELIFT_SDK_*` variables set (SPEC
//! §10), each one's output appended to
//! `<log dir>/<fleet id>/process-<n>.log` (`--process-log-dir`, default
//! `gamelift-emulator-logs`), replaced when it exits, and stopped at
//! shutdown: `TerminateProcess` first, then a kill after the grace period.
//!
//! Every [`TICK`] the launcher compares what should run
//! (`game_servers/launched.rs`) with what runs: it starts what is missing,
//! reports each exit (the process is lost at once: its session ends
//! `INTERRUPTED`), and stops a program whose process the emulator ended
//! (`FORCE_TERMINATE`, `DeleteFleet`, a `ProcessEnding` not followed by an
//! exit within 30 s) or that no fleet wants any more. **Decision**: a
//! program that exits within [`QUICK_EXIT`] of its start is started again
//! after a delay that doubles each time, from 1 s to 30 s, so that a
//! broken command does not spin.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gamelift_session::game_server::ProcessKey;
use tokio::process::{Child, Command};
use tokio::sync::watch;

use crate::emulator::Emulator;
use crate::game_servers::Slot;

/// How often the launcher looks.
pub(crate) const TICK: Duration = Duration::from_millis(250);

/// A program that exits this soon after its start waits longer each time
/// before it is started again.
pub(crate) const QUICK_EXIT: Duration = Duration::from_secs(10);

/// The longest wait before a program that keeps exiting is started again.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A program the launcher started.
#[derive(Debug)]
struct Running {
    key: ProcessKey,
    child: Child,
    started: Instant,
    /// Whether its process has connected (so its absence from the
    /// emulator means the emulator ended it).
    seen: bool,
}

/// When a slot may start again, and how long its next wait is.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    not_before: Instant,
    next: Duration,
}

/// The launcher's task ([`Launcher::start`]); [`Launcher::stop`] stops it
/// and the programs.
#[derive(Debug)]
pub struct Launcher {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Launcher {
    /// Starts the launcher for `emulator` on the current tokio runtime.
    #[must_use]
    pub fn start(emulator: Arc<Emulator>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(emulator, stopped));
        Launcher { stop, task }
    }

    /// Stops the programs (`TerminateProcess`, then a kill after the
    /// settings' grace period) and the launcher.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn run(emulator: Arc<Emulator>, mut stopped: watch::Receiver<bool>) {
    let mut running: HashMap<(String, usize), Running> = HashMap::new();
    let mut backoff: HashMap<(String, usize), Backoff> = HashMap::new();
    loop {
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            _ = stopped.changed() => break,
        }
        let plan = emulator.launch_plan();
        reap(&emulator, &mut running, &mut backoff);
        retire(&emulator, &plan, &mut running);
        for slot in &plan {
            let at = (slot.fleet_id.clone(), slot.index);
            if running.contains_key(&at)
                || backoff
                    .get(&at)
                    .is_some_and(|b| b.not_before > Instant::now())
            {
                continue;
            }
            if let Some(r) = launch(&emulator, slot) {
                running.insert(at, r);
            } else {
                let b = backoff.entry(at).or_insert(Backoff {
                    not_before: Instant::now(),
                    next: Duration::from_secs(1),
                });
                b.not_before = Instant::now() + b.next;
                b.next = (b.next * 2).min(MAX_BACKOFF);
            }
        }
    }
    stop_all(&emulator, running).await;
}

/// Reports the programs that exited, and those the emulator ended.
fn reap(
    emulator: &Emulator,
    running: &mut HashMap<(String, usize), Running>,
    backoff: &mut HashMap<(String, usize), Backoff>,
) {
    let mut done = Vec::new();
    for (at, r) in running.iter_mut() {
        let status = emulator.process_status(&r.key);
        if status.is_some() {
            r.seen = true;
        }
        match r.child.try_wait() {
            Ok(Some(exit)) => {
                tracing::warn!(
                    fleet_id = r.key.fleet_id,
                    process_id = r.key.process_id,
                    "launched game server exited ({exit})"
                );
                emulator.process_exited(&r.key);
                let quick = r.started.elapsed() < QUICK_EXIT;
                let b = backoff.entry(at.clone()).or_insert(Backoff {
                    not_before: Instant::now(),
                    next: Duration::from_secs(1),
                });
                if quick {
                    b.not_before = Instant::now() + b.next;
                    b.next = (b.next * 2).min(MAX_BACKOFF);
                } else {
                    *b = Backoff {
                        not_before: Instant::now(),
                        next: Duration::from_secs(1),
                    };
                }
                done.push(at.clone());
            }
            Ok(None) if r.seen && status.is_none() => {
                // The emulator ended its process: the program goes too.
                let _ = r.child.start_kill();
            }
            Ok(None) => {}
            Err(_) => done.push(at.clone()),
        }
    }
    for at in done {
        running.remove(&at);
    }
}

/// Kills the programs no fleet wants any more.
fn retire(emulator: &Emulator, plan: &[Slot], running: &mut HashMap<(String, usize), Running>) {
    let wanted: std::collections::HashSet<(String, usize)> =
        plan.iter().map(|s| (s.fleet_id.clone(), s.index)).collect();
    let unwanted: Vec<(String, usize)> = running
        .keys()
        .filter(|at| !wanted.contains(*at))
        .cloned()
        .collect();
    for at in unwanted {
        if let Some(mut r) = running.remove(&at) {
            let _ = r.child.start_kill();
            emulator.process_exited(&r.key);
        }
    }
}

/// The log file of `slot`.
fn log_path(emulator: &Emulator, slot: &Slot) -> PathBuf {
    emulator
        .settings()
        .game_servers
        .log_dir
        .join(&slot.fleet_id)
        .join(format!("process-{}.log", slot.index))
}

/// Starts `slot`'s program; `None` when it cannot start (its fleet is
/// gone, or the program cannot be run: said in the log).
fn launch(emulator: &Emulator, slot: &Slot) -> Option<Running> {
    let given = emulator.prepare_launch(&slot.fleet_id)?;
    let path = log_path(emulator, slot);
    let log = path
        .parent()
        .map(std::fs::create_dir_all)
        .transpose()
        .and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
    let log = match log {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(
                fleet_id = slot.fleet_id,
                "cannot open {}: {e}",
                path.display()
            );
            return None;
        }
    };
    {
        use std::io::Write;
        let mut header = &log;
        let _ = writeln!(
            header,
            "== gamelift-emulator: starting process {} of fleet {}",
            given.key.process_id, slot.fleet_id
        );
    }
    let stderr = log.try_clone().ok()?;
    let mut command = Command::new(&slot.launch_path);
    command
        .args(&slot.arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(stderr))
        .kill_on_drop(true);
    for (name, value) in given.variables() {
        command.env(name, value);
    }
    match command.spawn() {
        Ok(child) => {
            tracing::info!(
                fleet_id = slot.fleet_id,
                process_id = given.key.process_id,
                log = %path.display(),
                "launched a game server"
            );
            Some(Running {
                key: given.key,
                child,
                started: Instant::now(),
                seen: false,
            })
        }
        Err(e) => {
            tracing::error!(
                fleet_id = slot.fleet_id,
                "cannot start {}: {e}",
                crate::log::Bounded(&slot.launch_path)
            );
            None
        }
    }
}

/// Shutdown: `TerminateProcess` to every program's process, a wait of the
/// grace period for them to exit, then a kill.
async fn stop_all(emulator: &Emulator, running: HashMap<(String, usize), Running>) {
    if running.is_empty() {
        return;
    }
    let grace = emulator.settings().game_servers.stop_grace;
    let keys: Vec<ProcessKey> = running.values().map(|r| r.key.clone()).collect();
    emulator.ask_to_end(&keys, grace);
    let deadline = Instant::now() + grace;
    let mut left: Vec<Running> = running.into_values().collect();
    while !left.is_empty() && Instant::now() < deadline {
        left.retain_mut(|r| matches!(r.child.try_wait(), Ok(None)));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for mut r in left {
        let _ = r.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(5), r.child.wait()).await;
        tracing::warn!(
            process_id = r.key.process_id,
            "launched game server killed at shutdown"
        );
    }
}
