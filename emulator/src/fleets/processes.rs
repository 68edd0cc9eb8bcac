//! The server processes connected to the emulator: each one's life (the
//! crate's `ServerProcess`), where it runs (its compute's address and
//! location), the connection that serves it, and the pushes waiting for it
//! to come back.
//!
//! What is kept, and for how long: a process from its first handshake
//! until it ends (its `ProcessEnding` and the close that follows, or
//! [`gamelift_session::game_server::ENDING_GRACE`] after it) or is lost
//! (no reconnect within the grace period, heartbeats stopped, a launched
//! process's exit); then it is forgotten at once. While disconnected it
//! keeps at most [`MAX_WAITING_PUSHES`] pushes. Processes live in memory
//! only: a restart forgets them (the state file keeps their fleets and
//! computes), and every session they held ends INTERRUPTED at start-up.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Instant;

use gamelift_session::game_server::{
    HandshakeError, MAX_PROCESSES_PER_COMPUTE, ProcessKey, ServerProcess, check_room_on_compute,
    choose_process,
};
use tokio::sync::mpsc;

/// The most pushes kept for a disconnected process (**decision**): a
/// process has one session, so a handful covers every push it can be due.
pub(crate) const MAX_WAITING_PUSHES: usize = 8;

/// What a connection's writer sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outgoing {
    /// A text frame.
    Text(String),
    /// A close frame with this code and reason, after which the writer stops.
    Close(u16, &'static str),
}

/// The connection serving a process: its writer's queue.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    /// Which connection (connections are numbered as they open).
    pub(crate) id: u64,
    tx: mpsc::Sender<Outgoing>,
}

impl Link {
    pub(crate) fn new(id: u64, tx: mpsc::Sender<Outgoing>) -> Self {
        Link { id, tx }
    }

    /// Queues `out` without waiting; false when the writer's queue is full
    /// (a reader that does not read) or the writer has stopped.
    pub(crate) fn send(&self, out: Outgoing) -> bool {
        self.tx.try_send(out).is_ok()
    }
}

/// A connected server process, as the emulator keeps it.
#[derive(Debug)]
pub(crate) struct Process {
    /// Its life, by the crate's rules.
    pub(crate) state: ServerProcess,
    /// Its compute's location.
    pub(crate) location: String,
    /// Its compute's address.
    pub(crate) address: IpAddr,
    /// Its compute's DNS name, if any.
    pub(crate) dns_name: Option<String>,
    /// When it last said something of its life (connected, ready, a
    /// heartbeat), in real time.
    pub(crate) heard: Instant,
    /// Whether the emulator launched it.
    pub(crate) launched: bool,
    /// When the token it connected with expires (epoch seconds): a
    /// `RefreshConnection` with a new one is pushed before.
    pub(crate) token_expires: i64,
    link: Option<Link>,
    waiting: VecDeque<String>,
}

/// Where a process runs: its compute's location, address and DNS name.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub(crate) location: String,
    pub(crate) address: IpAddr,
    pub(crate) dns_name: Option<String>,
    pub(crate) launched: bool,
}

/// Every connected server process.
#[derive(Debug, Default)]
pub(crate) struct Processes {
    by_key: BTreeMap<ProcessKey, Process>,
    /// The process holding each game session.
    hosts: HashMap<String, ProcessKey>,
}

impl Processes {
    /// Whether the compute of `key` takes it: a live process resumes, a
    /// new one needs room (the crate's `check_room_on_compute`).
    ///
    /// # Errors
    ///
    /// The compute holds its most processes already.
    pub(crate) fn check_room(&self, key: &ProcessKey) -> Result<(), HandshakeError> {
        if self.by_key.contains_key(key) {
            return Ok(());
        }
        let held = self
            .of_compute(&key.fleet_id, &key.compute_name)
            .take(MAX_PROCESSES_PER_COMPUTE)
            .count();
        check_room_on_compute(&key.compute_name, held)
    }

    /// A handshake for `key` was accepted: a new process, or a live one
    /// resumed by a new connection, which then serves it (and gets what
    /// waited for it). Answers whether it was resumed.
    ///
    /// # Errors
    ///
    /// A new process on a compute that filled up since its handshake was
    /// checked ([`Processes::check_room`]): it is not connected.
    pub(crate) fn connect(
        &mut self,
        key: &ProcessKey,
        at: Placement,
        idempotency_token: Option<String>,
        link: Link,
        now: time::OffsetDateTime,
    ) -> Result<bool, HandshakeError> {
        self.check_room(key)?;
        if let Some(p) = self.by_key.get_mut(key) {
            p.state.resume(idempotency_token);
            while let Some(text) = p.waiting.pop_front() {
                if !link.send(Outgoing::Text(text)) {
                    break;
                }
            }
            p.link = Some(link);
            return Ok(true);
        }
        self.by_key.insert(
            key.clone(),
            Process {
                state: ServerProcess::connect(key.clone(), idempotency_token, now),
                location: at.location,
                address: at.address,
                dns_name: at.dns_name,
                heard: Instant::now(),
                launched: at.launched,
                token_expires: 0,
                link: Some(link),
                waiting: VecDeque::new(),
            },
        );
        Ok(false)
    }

    /// The connection `link_id` of `key` closed at `now`: the process is
    /// disconnected if that connection served it. Answers whether it did.
    pub(crate) fn disconnect(
        &mut self,
        key: &ProcessKey,
        link_id: u64,
        now: time::OffsetDateTime,
    ) -> bool {
        let Some(p) = self.by_key.get_mut(key) else {
            return false;
        };
        if p.link.as_ref().is_none_or(|l| l.id != link_id) {
            return false;
        }
        p.link = None;
        p.state.disconnect(now);
        true
    }

    pub(crate) fn get(&self, key: &ProcessKey) -> Option<&Process> {
        self.by_key.get(key)
    }

    pub(crate) fn get_mut(&mut self, key: &ProcessKey) -> Option<&mut Process> {
        self.by_key.get_mut(key)
    }

    /// Every process, by fleet, compute and id.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Process> {
        self.by_key.values()
    }

    /// The processes of `fleet`.
    pub(crate) fn of_fleet<'a>(&'a self, fleet: &'a str) -> impl Iterator<Item = &'a Process> + 'a {
        let start = ProcessKey::new(fleet, "", "");
        self.by_key
            .range(start..)
            .take_while(move |(k, _)| k.fleet_id == fleet)
            .map(|(_, p)| p)
    }

    /// The processes on `compute` of `fleet`.
    fn of_compute<'a>(
        &'a self,
        fleet: &'a str,
        compute: &'a str,
    ) -> impl Iterator<Item = &'a Process> + 'a {
        let start = ProcessKey::new(fleet, compute, "");
        self.by_key
            .range(start..)
            .take_while(move |(k, _)| k.fleet_id == fleet && k.compute_name == compute)
            .map(|(_, p)| p)
    }

    /// The keys of every process of `fleet` (on `compute`, when given).
    pub(crate) fn keys_of(&self, fleet: &str, compute: Option<&str>) -> Vec<ProcessKey> {
        let key = |p: &Process| p.state.key.clone();
        match compute {
            Some(c) => self.of_compute(fleet, c).map(key).collect(),
            None => self.of_fleet(fleet).map(key).collect(),
        }
    }

    /// How many processes there are.
    pub(crate) fn len(&self) -> usize {
        self.by_key.len()
    }

    /// The process a new session on `fleet` goes to, in `location` (any
    /// without one): the crate's `choose_process`.
    pub(crate) fn choose(&self, fleet: &str, location: Option<&str>) -> Option<ProcessKey> {
        choose_process(
            self.of_fleet(fleet)
                .map(|p| (&p.state, p.location.as_str())),
            location,
        )
        .map(|p| p.key.clone())
    }

    /// The process holding the game session `id`.
    pub(crate) fn host_of(&self, game_session_id: &str) -> Option<&ProcessKey> {
        self.hosts.get(game_session_id)
    }

    /// `key` takes the game session `id`.
    pub(crate) fn host(&mut self, key: &ProcessKey, game_session_id: &str) {
        if let Some(p) = self.by_key.get_mut(key) {
            if let Some(old) = p.state.game_session_id.take() {
                self.hosts.remove(&old);
            }
            p.state.host(game_session_id);
            self.hosts.insert(game_session_id.to_owned(), key.clone());
        }
    }

    /// The game session `id` ended without its process: the process is
    /// ready again.
    pub(crate) fn release(&mut self, game_session_id: &str) {
        if let Some(key) = self.hosts.remove(game_session_id)
            && let Some(p) = self.by_key.get_mut(&key)
            && p.state.game_session_id.as_deref() == Some(game_session_id)
        {
            p.state.release();
        }
    }

    /// Forgets that `key` holds `game_session_id` (it ended with it).
    pub(crate) fn unhost(&mut self, game_session_id: &str) {
        self.hosts.remove(game_session_id);
    }

    /// Sends `text` to `key` now, or keeps it until it reconnects. A
    /// connection whose writer cannot take it (a reader that does not
    /// read) stops serving the process: it is then disconnected at `now`,
    /// and the frame waits.
    pub(crate) fn push(&mut self, key: &ProcessKey, text: String, now: time::OffsetDateTime) {
        let Some(p) = self.by_key.get_mut(key) else {
            return;
        };
        if let Some(link) = &p.link {
            if link.send(Outgoing::Text(text.clone())) {
                return;
            }
            // Its writer is stuck or gone: that connection serves it no more.
            tracing::warn!(
                process_id = p.state.key.process_id,
                "a game server's connection does not take its frames: disconnected"
            );
            p.link = None;
            p.state.disconnect(now);
        }
        if p.waiting.len() >= MAX_WAITING_PUSHES {
            p.waiting.pop_front();
        }
        p.waiting.push_back(text);
    }

    /// Closes `key`'s connection with `code` (1000: the SDK does not
    /// reconnect) and forgets the process; answers it.
    pub(crate) fn close(
        &mut self,
        key: &ProcessKey,
        code: u16,
        reason: &'static str,
    ) -> Option<Process> {
        let p = self.by_key.remove(key)?;
        if let Some(id) = &p.state.game_session_id {
            self.hosts.remove(id);
        }
        if let Some(link) = &p.link {
            let _ = link.send(Outgoing::Close(code, reason));
        }
        Some(p)
    }

    /// Forgets every process (a reset), closing each with 1000.
    pub(crate) fn clear(&mut self) {
        let keys: Vec<ProcessKey> = self.by_key.keys().cloned().collect();
        for key in keys {
            self.close(&key, 1000, "the emulator was reset");
        }
        self.hosts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement() -> Placement {
        Placement {
            location: "custom-home".to_owned(),
            address: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            dns_name: None,
            launched: false,
        }
    }

    fn connect(
        processes: &mut Processes,
        key: &ProcessKey,
        id: u64,
    ) -> Result<bool, HandshakeError> {
        let (tx, _rx) = mpsc::channel(1);
        let now = time::OffsetDateTime::UNIX_EPOCH;
        processes.connect(key, placement(), None, Link::new(id, tx), now)
    }

    #[test]
    fn a_full_compute_connects_no_new_process_but_resumes_its_own() {
        let mut processes = Processes::default();
        for n in 0..MAX_PROCESSES_PER_COMPUTE {
            let key = ProcessKey::new("fleet-1", "pc", format!("p-{n}"));
            assert_eq!(connect(&mut processes, &key, n as u64), Ok(false));
        }
        // Two handshakes checked together: the second finds no room left.
        let late = ProcessKey::new("fleet-1", "pc", "p-late");
        let refused = connect(&mut processes, &late, 99).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("Compute pc already holds 50 server processes")
        );
        assert!(processes.get(&late).is_none());
        assert_eq!(processes.len(), MAX_PROCESSES_PER_COMPUTE);
        // A live process resumes; another compute, or another fleet's
        // compute of the same name, has room of its own.
        let first = ProcessKey::new("fleet-1", "pc", "p-0");
        assert_eq!(connect(&mut processes, &first, 100), Ok(true));
        let elsewhere = ProcessKey::new("fleet-1", "pc-2", "p-0");
        assert_eq!(connect(&mut processes, &elsewhere, 101), Ok(false));
        let other_fleet = ProcessKey::new("fleet-2", "pc", "p-0");
        assert_eq!(connect(&mut processes, &other_fleet, 102), Ok(false));
        // One that ends makes room.
        assert!(processes.close(&first, 1000, "process ended").is_some());
        assert_eq!(connect(&mut processes, &late, 103), Ok(false));
    }
}
