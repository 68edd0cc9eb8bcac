//! Game session queues and placements through them:
//! `CreateGameSessionQueue`, `DescribeGameSessionQueues`,
//! `UpdateGameSessionQueue`, `DeleteGameSessionQueue`,
//! `StartGameSessionPlacement`, `DescribeGameSessionPlacement` and
//! `StopGameSessionPlacement`.
//!
//! | file | what it holds |
//! |---|---|
//! | `queues.rs` | the queue operations |
//! | `placing.rs` | the placement operations, and placing: trying each destination for room |
//!
//! Its tables: `Queues` (by name) and `Placements` (by id, each with the
//! players a `PENDING` one is to seat). An ended placement is kept for the
//! retention period (`--retention`) after it ended, then forgotten. The
//! rules are the crate's (`gamelift_session::placement`).

mod placing;
mod queues;

pub(crate) use placing::{
    begin_placement, describe_game_session_placement, seat_waiting, start_game_session_placement,
    stop_game_session_placement, try_placement,
};
pub(crate) use queues::{
    create_game_session_queue, delete_game_session_queue, describe_game_session_queues,
    update_game_session_queue,
};

use std::collections::BTreeSet;

use gamelift_session::event::{PlacementEventType, placement_event_type};
use gamelift_session::placement::{DesiredPlayerSession, GameSessionPlacement, GameSessionQueue};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::fleets::Fleets;
use crate::game_sessions::{Sessions, SessionsWorld};
use crate::journal::{Changes, RecordWriter};
use crate::log::Bounded;
use crate::table::Table;

/// The journal's table of queues, by name.
pub(crate) const QUEUES: &str = "Queues";
/// The journal's table of placements, by id.
pub(crate) const PLACEMENTS: &str = "Placements";

/// What a store offers this room: its tables, beside the sessions and the
/// fleets a placement makes a session on.
pub(crate) trait PlacementsWorld: SessionsWorld {
    fn placements(&mut self) -> (&mut Placements, &mut Sessions, &mut Fleets);
}

/// A placement, the players it is to seat while `PENDING`, and the game
/// session it waits on (made on a server process, not yet activated).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct PlacementRow {
    pub(crate) placement: GameSessionPlacement,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) desired_player_sessions: Vec<DesiredPlayerSession>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) waiting_on: Option<String>,
}

/// The queues and the placements.
#[derive(Debug, Default)]
pub(crate) struct Placements {
    queues: Table<GameSessionQueue>,
    rows: Table<PlacementRow>,
    /// Ended placements by when they ended, then in order.
    ended: BTreeSet<(OffsetDateTime, u64, String)>,
    /// The `PENDING` placement waiting on each game session.
    waiting: std::collections::HashMap<String, String>,
    order: u64,
    pub(crate) changes: Changes,
    /// The placements that ended since the store was last let go, with
    /// their event (the events room publishes them); once turned on.
    pub(crate) outbox: Vec<(u64, PlacementEventType, GameSessionPlacement)>,
    pub(crate) emits: bool,
}

impl Placements {
    /// The queue `name_or_arn` names.
    pub(crate) fn queue(&self, name_or_arn: &str) -> Option<&GameSessionQueue> {
        self.queues
            .get(gamelift_session::placement::queue_name_of(name_or_arn))
    }

    /// The placement `id`.
    pub(crate) fn placement(&self, id: &str) -> Option<&GameSessionPlacement> {
        self.rows.get(id).map(|r| &r.placement)
    }

    /// Changes the placement `id` with `change`, the one way a stored
    /// placement changes: the journal records it, and an ended one waits
    /// for retention. When it has ended, its desired players are let go.
    pub(crate) fn change<R>(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut PlacementRow) -> R,
    ) -> Option<R> {
        let row = self.rows.get_mut(id)?;
        let was_pending = row.placement.is_pending();
        let was = row.placement.status;
        let was_waiting = row.waiting_on.clone();
        let answer = change(row);
        if let Some(old) = was_waiting {
            self.waiting.remove(&old);
        }
        if !row.placement.is_pending() {
            row.waiting_on = None;
        }
        if let Some(new) = &row.waiting_on {
            self.waiting.insert(new.clone(), id.to_owned());
        }
        if !row.placement.is_pending() {
            row.desired_player_sessions = Vec::new();
            if was_pending {
                let ended = row.placement.end_time.unwrap_or(OffsetDateTime::UNIX_EPOCH);
                self.order += 1;
                self.ended.insert((ended, self.order, id.to_owned()));
            }
        }
        if self.emits
            && let Some(kind) = placement_event_type(was, row.placement.status)
        {
            self.outbox
                .push((crate::ids::next_change(), kind, row.placement.clone()));
        }
        self.changes.record(PLACEMENTS, id);
        Some(answer)
    }

    /// Adds a new placement.
    fn insert(&mut self, id: &str, row: PlacementRow) {
        if self.emits
            && let Some(kind) = placement_event_type(None, row.placement.status)
        {
            self.outbox
                .push((crate::ids::next_change(), kind, row.placement.clone()));
        }
        let ended = (!row.placement.is_pending()).then_some(row.placement.end_time);
        if let (Some(gid), None) = (&row.waiting_on, ended) {
            self.waiting.insert(gid.clone(), id.to_owned());
        }
        self.rows.insert(id, row);
        if let Some(ended) = ended {
            self.order += 1;
            self.ended.insert((
                ended.unwrap_or(OffsetDateTime::UNIX_EPOCH),
                self.order,
                id.to_owned(),
            ));
        }
        self.changes.record(PLACEMENTS, id);
    }

    /// Forgets the placements that ended `keep` or longer before `now`.
    /// Answers how many.
    pub(crate) fn forget_ended(&mut self, now: OffsetDateTime, keep: time::Duration) -> usize {
        let mut n = 0;
        while let Some(first) = self.ended.first() {
            if first.0 + keep > now {
                break;
            }
            let Some((_, _, id)) = self.ended.pop_first() else {
                break;
            };
            if self.rows.remove(&id).is_some() {
                self.changes.record(PLACEMENTS, &id);
                n += 1;
            }
        }
        if n > 0 {
            self.rows.shrink();
        }
        n
    }

    /// The `PENDING` placement waiting on the game session `id`.
    pub(crate) fn waiting_on(&self, game_session_id: &str) -> Option<&str> {
        self.waiting.get(game_session_id).map(String::as_str)
    }

    /// How many placements are kept.
    pub(crate) fn placement_count(&self) -> usize {
        self.rows.len()
    }

    /// Every queue, in creation order.
    pub(crate) fn queues(&self) -> impl Iterator<Item = &GameSessionQueue> {
        self.queues.values()
    }

    /// Every placement, in the order they started.
    pub(crate) fn rows(&self) -> impl Iterator<Item = &PlacementRow> {
        self.rows.values()
    }

    /// Forgets every queue and placement.
    pub(crate) fn clear(&mut self) {
        let changes = std::mem::take(&mut self.changes);
        *self = Placements {
            changes,
            ..Placements::default()
        };
    }

    /// Writes the row `key` of `table`, as it is now.
    pub(crate) fn write_row(
        &self,
        table: &str,
        key: &str,
        record: &mut RecordWriter<'_>,
    ) -> Result<(), serde_json::Error> {
        match table {
            QUEUES => record.row(table, key, self.queues.get(key)),
            _ => record.row(table, key, self.rows.get(key)),
        }
    }

    /// Loads a queue from a state file.
    ///
    /// # Errors
    ///
    /// A queue whose name is not its key.
    pub(crate) fn load_queue(
        &mut self,
        key: &str,
        queue: Option<GameSessionQueue>,
    ) -> Result<(), String> {
        match queue {
            Some(q) => {
                if q.name.as_deref() != Some(key) {
                    return Err(format!("has a queue whose Name is not {}", Bounded(key)));
                }
                self.queues.insert(key, q);
            }
            None => {
                self.queues.remove(key);
            }
        }
        Ok(())
    }

    /// Loads a placement from a state file.
    ///
    /// # Errors
    ///
    /// A placement whose id is not its key.
    pub(crate) fn load_placement(
        &mut self,
        key: &str,
        row: Option<PlacementRow>,
    ) -> Result<(), String> {
        match row {
            Some(row) => {
                if row.placement.placement_id.as_deref() != Some(key) {
                    return Err(format!(
                        "has a placement whose PlacementId is not {}",
                        Bounded(key)
                    ));
                }
                if !row.placement.is_pending() && !row.desired_player_sessions.is_empty() {
                    return Err("holds players to seat for a placement that has ended".to_owned());
                }
                if self.rows.contains(key) {
                    self.change(key, |held| *held = row);
                } else {
                    self.insert(key, row);
                }
            }
            None => {
                if let Some(gid) = self.rows.remove(key).and_then(|r| r.waiting_on) {
                    self.waiting.remove(&gid);
                }
            }
        }
        Ok(())
    }
}
