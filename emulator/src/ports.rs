//! The ports the simulated game servers listen on: one address and port a
//! live session, never two sessions on the same one.
//!
//! A session holds its port from activation until it is TERMINATED
//! ([`gamelift_session::game_session::holds_port`]). New ports are handed
//! out in turn through the range, wrapping around, so a port just given up
//! is the last to be handed out again, as a client that still holds the
//! old address would want. The pool is rebuilt from the sessions when a
//! state file is loaded, so a restart never hands out a port a live
//! session holds.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use gamelift_session::GameSession;
use gamelift_session::game_session::holds_port;

/// Which (address, port) pairs live sessions hold, by session id.
#[derive(Debug, Clone)]
pub(crate) struct Ports {
    range: RangeInclusive<u16>,
    /// Where the next search for a free port starts.
    next: u16,
    /// By address, then by port: the id of the session holding it.
    held: HashMap<String, HashMap<i32, String>>,
}

impl Default for Ports {
    fn default() -> Self {
        Ports::new(crate::settings::DEFAULT_PORTS)
    }
}

impl Ports {
    pub(crate) fn new(range: RangeInclusive<u16>) -> Self {
        Ports {
            next: *range.start(),
            range,
            held: HashMap::new(),
        }
    }

    /// The session holding `port` at `address`, if any.
    pub(crate) fn holder(&self, address: &str, port: i32) -> Option<&str> {
        self.held.get(address)?.get(&port).map(String::as_str)
    }

    /// Brings the pool up to date with `session`: it holds its port while
    /// [`holds_port`] says so, and gives it up after. Answers the other
    /// session holding the same port, and then changes nothing.
    pub(crate) fn sync(&mut self, session: &GameSession) -> Result<(), String> {
        let (Some(address), Some(port), Some(id)) = (
            session.ip_address.as_deref(),
            session.port,
            session.game_session_id.as_deref(),
        ) else {
            return Ok(());
        };
        let holder = self.holder(address, port).map(str::to_owned);
        if holds_port(session) {
            match holder {
                Some(other) if other != id => return Err(other),
                Some(_) => {}
                None => {
                    self.held
                        .entry(address.to_owned())
                        .or_default()
                        .insert(port, id.to_owned());
                }
            }
        } else if holder.as_deref() == Some(id)
            && let Some(ports) = self.held.get_mut(address)
        {
            ports.remove(&port);
            if ports.is_empty() {
                self.held.remove(address);
            }
        }
        Ok(())
    }

    /// A port of the range that no live session holds at `address`, in
    /// turn; `None` when every one is held.
    pub(crate) fn free(&mut self, address: &str) -> Option<u16> {
        let (start, end) = (*self.range.start(), *self.range.end());
        let from = self.next.clamp(start, end);
        let candidates = (from..=end).chain(start..from);
        for port in candidates {
            if self.holder(address, i32::from(port)).is_none() {
                self.next = if port == end { start } else { port + 1 };
                return Some(port);
            }
        }
        None
    }

    /// The range ports are handed out from.
    pub(crate) fn range(&self) -> &RangeInclusive<u16> {
        &self.range
    }

    /// Forgets every held port; the next search starts at the range's start.
    pub(crate) fn clear(&mut self) {
        self.held.clear();
        self.next = *self.range.start();
    }
}
