//! FlexMatch: rule sets, matchmaking configurations, tickets and the
//! matchmaker that turns waiting tickets into placed matches.
//!
//! | file | what it holds |
//! |---|---|
//! | `rule_sets.rs` | `CreateMatchmakingRuleSet`, `ValidateMatchmakingRuleSet`, `DescribeMatchmakingRuleSets`, `DeleteMatchmakingRuleSet` |
//! | `configurations.rs` | `CreateMatchmakingConfiguration`, `DescribeMatchmakingConfigurations`, `UpdateMatchmakingConfiguration`, `DeleteMatchmakingConfiguration` |
//! | `tickets.rs` | `StartMatchmaking`, `StartMatchBackfill`, `DescribeMatchmaking`, `StopMatchmaking`, `AcceptMatch` |
//! | `matchmaker.rs` | a pass of the matchmaker (off the request path), and placing its matches |
//!
//! Its tables: `RuleSets` and `Configurations` (by name) and `Tickets` (by
//! id, with the live tickets of each configuration in the order they
//! started, and the live ticket of each player). An ended ticket is kept
//! for the retention period (`--retention`) after it ended, then
//! forgotten. The rules are the crate's (`gamelift_session::flexmatch`).

mod configurations;
mod matchmaker;
mod rule_sets;
mod tickets;

pub(crate) use configurations::{
    create_matchmaking_configuration, delete_matchmaking_configuration,
    describe_matchmaking_configurations, update_matchmaking_configuration,
};
pub(crate) use matchmaker::{PassReport, pass as matchmaking_pass};
pub(crate) use rule_sets::{
    create_matchmaking_rule_set, delete_matchmaking_rule_set, describe_matchmaking_rule_sets,
    validate_matchmaking_rule_set,
};
pub(crate) use tickets::{
    accept_match, describe_matchmaking, start_match_backfill, start_matchmaking, stop_matchmaking,
};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use gamelift_session::GameLiftError;
use gamelift_session::event::{MatchmakingEvent, ticket_events};
use gamelift_session::flexmatch::{
    Candidate, MatchmakingConfiguration, MatchmakingRuleSet, Player, RecentWaits, RuleSet, Ticket,
    configuration_not_found, rule_set_not_found, strip_comments,
};
use gamelift_session::model::MatchmakingTicketStatus;
use time::OffsetDateTime;

use crate::fleets::Fleets;
use crate::game_sessions::Sessions;
use crate::journal::{Changes, RecordWriter};
use crate::log::Bounded;
use crate::placements::{Placements, PlacementsWorld};
use crate::table::Table;

/// The journal's table of rule sets, by name.
pub(crate) const RULE_SETS: &str = "RuleSets";
/// The journal's table of configurations, by name.
pub(crate) const CONFIGURATIONS: &str = "Configurations";
/// The journal's table of tickets, by id.
pub(crate) const TICKETS: &str = "Tickets";

/// What a store offers this room: its tables, beside the placements,
/// sessions and fleets a match is placed through.
pub(crate) trait FlexMatchWorld: PlacementsWorld {
    fn flexmatch(
        &mut self,
    ) -> (
        &mut Matchmaking,
        &mut Placements,
        &mut Sessions,
        &mut Fleets,
    );
}

/// A rule set resource and its rules, read once.
#[derive(Debug, Clone)]
pub(crate) struct StoredRuleSet {
    pub(crate) resource: MatchmakingRuleSet,
    /// Shared with the matchmaker's rounds, which run without copying it.
    pub(crate) rules: Arc<RuleSet>,
}

/// A searching ticket as the matcher reads it: shared with a pass's
/// snapshot without copying its players.
#[derive(Debug)]
pub(crate) struct Searching {
    pub(crate) id: String,
    pub(crate) players: Vec<Player>,
    pub(crate) start: OffsetDateTime,
    pub(crate) backfill: bool,
}

impl Searching {
    pub(crate) fn candidate(&self) -> Candidate<'_> {
        let c = Candidate::new(&self.players, self.start);
        if self.backfill { c.backfill() } else { c }
    }
}

/// The rule sets, configurations and tickets.
#[derive(Debug, Default)]
pub(crate) struct Matchmaking {
    rule_sets: Table<StoredRuleSet>,
    configurations: Table<MatchmakingConfiguration>,
    tickets: Table<Ticket>,
    /// The live tickets of each configuration, by the order they started.
    live: HashMap<String, BTreeMap<u64, String>>,
    /// Each live ticket's place in `live`.
    places: HashMap<String, u64>,
    /// The live ticket of each player.
    by_player: HashMap<String, String>,
    /// The searching tickets of each configuration, by their place: what
    /// a pass's snapshot copies (pointers, not players).
    searching: HashMap<String, BTreeMap<u64, Arc<Searching>>>,
    /// The tickets a pass must look at beside the searching ones: `QUEUED`
    /// and `REQUIRES_ACCEPTANCE`, by configuration, by place.
    attention: HashMap<String, BTreeMap<u64, String>>,
    /// The tickets of each match not ended, by match id.
    matches: HashMap<String, BTreeSet<String>>,
    /// How long each configuration's recent tickets waited (in memory
    /// only: **decision**, an estimate need not survive a restart).
    pub(crate) waits: HashMap<String, RecentWaits>,
    /// Ended tickets by when they ended, then in order.
    ended: BTreeSet<(OffsetDateTime, u64, String)>,
    order: u64,
    pub(crate) changes: Changes,
    /// The events of the tickets changed since the store was last let go
    /// (the events room publishes them); collected once turned on.
    pub(crate) outbox: Vec<MatchmakingEvent>,
    pub(crate) emits: bool,
}

impl Matchmaking {
    /// The configuration `name` names, and its rule set's rules.
    pub(crate) fn configuration_and_rules(
        &self,
        name: &str,
    ) -> Result<(MatchmakingConfiguration, Arc<RuleSet>), GameLiftError> {
        let c = self
            .configuration(name)
            .cloned()
            .ok_or_else(|| configuration_not_found(name))?;
        let rule_set = c.rule_set_name.clone().unwrap_or_default();
        let rules = self
            .rule_set(&rule_set)
            .map(|r| Arc::clone(&r.rules))
            .ok_or_else(|| rule_set_not_found(&rule_set))?;
        Ok((c, rules))
    }

    /// The configuration a name or ARN names.
    pub(crate) fn configuration(&self, name_or_arn: &str) -> Option<&MatchmakingConfiguration> {
        let key = name_or_arn.rsplit_once('/').map_or(name_or_arn, |(_, n)| n);
        self.configurations
            .get(key)
            .filter(|c| c.is_named_by(name_or_arn))
    }

    /// The rule set a name or ARN names.
    pub(crate) fn rule_set(&self, name_or_arn: &str) -> Option<&StoredRuleSet> {
        let key = name_or_arn.rsplit_once('/').map_or(name_or_arn, |(_, n)| n);
        self.rule_sets
            .get(key)
            .filter(|r| r.resource.is_named_by(name_or_arn))
    }

    /// The ticket `id`.
    pub(crate) fn ticket(&self, id: &str) -> Option<&Ticket> {
        self.tickets.get(id)
    }

    /// The live tickets that hold one of `players`, the ticket `id`, and
    /// the other tickets of their matches: all a new ticket is checked
    /// against and may change.
    pub(crate) fn neighbours<'p>(
        &self,
        players: impl IntoIterator<Item = &'p str>,
        id: Option<&str>,
    ) -> Vec<Ticket> {
        let mut ids: Vec<&str> = players
            .into_iter()
            .filter_map(|p| self.by_player.get(p).map(String::as_str))
            .collect();
        ids.extend(id);
        self.with_partners(ids)
    }

    /// The ticket `id` and the other tickets of its match.
    pub(crate) fn related(&self, id: &str) -> Vec<Ticket> {
        self.with_partners(vec![id])
    }

    fn with_partners<'i>(&'i self, mut ids: Vec<&'i str>) -> Vec<Ticket> {
        let partners: Vec<&str> = ids
            .iter()
            .filter_map(|id| self.tickets.get(id)?.match_id.as_deref())
            .filter_map(|m| self.matches.get(m))
            .flatten()
            .map(String::as_str)
            .collect();
        ids.extend(partners);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.tickets.get(id).cloned())
            .collect()
    }

    /// Stores `ticket`, new or changed, with the indexes following it: the
    /// one way a stored ticket changes.
    pub(crate) fn put(&mut self, ticket: Ticket) {
        let id = ticket.ticket.ticket_id.clone().unwrap_or_default();
        let ended = ticket.ticket.has_ended();
        if let Some(old) = self.tickets.get(&id)
            && *old == ticket
        {
            return;
        }
        if self.emits {
            for mut e in ticket_events(self.tickets.get(&id), &ticket) {
                e.seq = crate::ids::next_change();
                self.outbox.push(e);
            }
        }
        let configuration = ticket.ticket.configuration_name.clone().unwrap_or_default();
        let old_place = self.places.get(&id).copied();
        if ended {
            if let Some(place) = self.places.remove(&id) {
                if let Some(live) = self.live.get_mut(&configuration) {
                    live.remove(&place);
                    if live.is_empty() {
                        self.live.remove(&configuration);
                    }
                }
                self.order += 1;
                let end = ticket.ticket.end_time.unwrap_or(OffsetDateTime::UNIX_EPOCH);
                self.ended.insert((end, self.order, id.clone()));
            } else if !self.tickets.contains(&id) {
                self.order += 1;
                let end = ticket.ticket.end_time.unwrap_or(OffsetDateTime::UNIX_EPOCH);
                self.ended.insert((end, self.order, id.clone()));
            }
            for p in ticket.ticket.players() {
                if let Some(player) = &p.player_id
                    && self.by_player.get(player) == Some(&id)
                {
                    self.by_player.remove(player);
                }
            }
        } else {
            if !self.places.contains_key(&id) {
                self.order += 1;
                self.places.insert(id.clone(), self.order);
                self.live
                    .entry(configuration.clone())
                    .or_default()
                    .insert(self.order, id.clone());
            }
            for p in ticket.ticket.players() {
                if let Some(player) = &p.player_id {
                    self.by_player.insert(player.clone(), id.clone());
                }
            }
        }
        self.index(&id, &configuration, old_place, &ticket);
        self.tickets.insert(&id, ticket);
        self.changes.record(TICKETS, &id);
    }

    /// Follows `ticket` (stored as `id`) in the indexes of what a pass
    /// reads: searching, needing attention, in a match.
    fn index(&mut self, id: &str, configuration: &str, old_place: Option<u64>, ticket: &Ticket) {
        let place = self.places.get(id).copied();
        let status = ticket.ticket.status;
        let searching = self.searching.entry(configuration.to_owned()).or_default();
        match (status, place) {
            (Some(MatchmakingTicketStatus::Searching), Some(place)) => {
                searching.entry(place).or_insert_with(|| {
                    Arc::new(Searching {
                        id: id.to_owned(),
                        players: ticket.ticket.players().to_vec(),
                        start: ticket
                            .ticket
                            .start_time
                            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                        backfill: ticket.backfill_game_session.is_some(),
                    })
                });
            }
            _ => {
                for p in [old_place, place].into_iter().flatten() {
                    searching.remove(&p);
                }
            }
        }
        if searching.is_empty() {
            self.searching.remove(configuration);
        }
        let attention = self.attention.entry(configuration.to_owned()).or_default();
        let wants = matches!(
            status,
            Some(MatchmakingTicketStatus::Queued | MatchmakingTicketStatus::RequiresAcceptance)
        );
        match place {
            Some(place) if wants => {
                attention.insert(place, id.to_owned());
            }
            _ => {
                for p in [old_place, place].into_iter().flatten() {
                    attention.remove(&p);
                }
            }
        }
        if attention.is_empty() {
            self.attention.remove(configuration);
        }
        if let Some(old) = self.tickets.get(id).and_then(|t| t.match_id.clone())
            && let Some(members) = self.matches.get_mut(&old)
        {
            members.remove(id);
            if members.is_empty() {
                self.matches.remove(&old);
            }
        }
        if let Some(m) = &ticket.match_id
            && !ticket.ticket.has_ended()
        {
            self.matches
                .entry(m.clone())
                .or_default()
                .insert(id.to_owned());
        }
    }

    /// Up to `limit` searching tickets of `configuration` after the place
    /// `after`, oldest first: shared, for a pass to read without the lock.
    /// Answers the place of the last.
    pub(crate) fn searching_after(
        &self,
        configuration: &str,
        after: Option<u64>,
        limit: usize,
    ) -> (Vec<Arc<Searching>>, Option<u64>) {
        let Some(all) = self.searching.get(configuration) else {
            return (Vec::new(), None);
        };
        let from = after.map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded);
        let part: Vec<(u64, Arc<Searching>)> = all
            .range((from, std::ops::Bound::Unbounded))
            .take(limit)
            .map(|(k, v)| (*k, Arc::clone(v)))
            .collect();
        let last = part.last().map(|(k, _)| *k);
        (part.into_iter().map(|(_, v)| v).collect(), last)
    }

    /// Up to `limit` `QUEUED` tickets of `configuration`, oldest first.
    pub(crate) fn queued(&self, configuration: &str, limit: usize) -> Vec<Ticket> {
        self.attention
            .get(configuration)
            .into_iter()
            .flat_map(BTreeMap::values)
            .filter_map(|id| self.tickets.get(id))
            .filter(|t| t.ticket.status == Some(MatchmakingTicketStatus::Queued))
            .take(limit)
            .cloned()
            .collect()
    }

    /// Up to `limit` searching tickets of `configuration` that started
    /// before `deadline` (timed out), oldest first.
    pub(crate) fn timed_out(
        &self,
        configuration: &str,
        deadline: OffsetDateTime,
        limit: usize,
    ) -> Vec<Ticket> {
        self.searching
            .get(configuration)
            .into_iter()
            .flat_map(BTreeMap::values)
            .take_while(|s| s.start <= deadline)
            .take(limit)
            .filter_map(|s| self.tickets.get(&s.id).cloned())
            .collect()
    }

    /// The tickets of `configuration` waiting for acceptance, with the
    /// other tickets of their matches.
    pub(crate) fn proposed(&self, configuration: &str) -> Vec<Ticket> {
        let ids: Vec<&str> = self
            .attention
            .get(configuration)
            .into_iter()
            .flat_map(BTreeMap::values)
            .filter(|id| {
                self.tickets.get(id).is_some_and(|t| {
                    t.ticket.status == Some(MatchmakingTicketStatus::RequiresAcceptance)
                })
            })
            .map(String::as_str)
            .collect();
        if ids.is_empty() {
            return Vec::new();
        }
        self.with_partners(ids)
    }

    /// The tickets of the match `match_id` that have not ended.
    pub(crate) fn match_members(&self, match_id: &str) -> Vec<Ticket> {
        self.matches
            .get(match_id)
            .into_iter()
            .flatten()
            .filter_map(|id| self.tickets.get(id).cloned())
            .collect()
    }

    /// The matches of `configuration` being placed.
    pub(crate) fn placing(&self, configuration: &str) -> Vec<String> {
        self.matches
            .iter()
            .filter(|(_, ids)| {
                ids.iter().filter_map(|id| self.tickets.get(id)).any(|t| {
                    t.ticket.configuration_name.as_deref() == Some(configuration)
                        && t.ticket.status == Some(MatchmakingTicketStatus::Placing)
                })
            })
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// The configurations that have live tickets.
    pub(crate) fn busy_configurations(&self) -> Vec<String> {
        self.live.keys().cloned().collect()
    }

    /// Whether the configuration `name` has a live ticket.
    pub(crate) fn has_live_tickets(&self, name: &str) -> bool {
        self.live.get(name).is_some_and(|l| !l.is_empty())
    }

    /// Forgets the tickets that ended `keep` or longer before `now`.
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
            if self.tickets.remove(&id).is_some() {
                self.changes.record(TICKETS, &id);
                n += 1;
            }
        }
        if n > 0 {
            self.tickets.shrink();
            crate::table::shrink(&mut self.places);
            crate::table::shrink(&mut self.by_player);
            crate::table::shrink(&mut self.live);
            crate::table::shrink(&mut self.searching);
            crate::table::shrink(&mut self.attention);
            crate::table::shrink(&mut self.matches);
        }
        n
    }

    /// How many tickets are kept.
    pub(crate) fn ticket_count(&self) -> usize {
        self.tickets.len()
    }

    /// Every rule set, configuration and ticket, in the order they were made.
    pub(crate) fn rule_sets(&self) -> impl Iterator<Item = &StoredRuleSet> + Clone {
        self.rule_sets.values()
    }

    pub(crate) fn configurations(&self) -> impl Iterator<Item = &MatchmakingConfiguration> {
        self.configurations.values()
    }

    pub(crate) fn tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.values()
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        let changes = std::mem::take(&mut self.changes);
        *self = Matchmaking {
            changes,
            ..Matchmaking::default()
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
            RULE_SETS => record.row(table, key, self.rule_sets.get(key).map(|r| &r.resource)),
            CONFIGURATIONS => record.row(table, key, self.configurations.get(key)),
            _ => record.row(table, key, self.tickets.get(key)),
        }
    }

    /// Loads a rule set from a state file: its body is read again.
    ///
    /// # Errors
    ///
    /// A rule set whose name is not its key, or whose body cannot be read.
    pub(crate) fn load_rule_set(
        &mut self,
        key: &str,
        resource: Option<MatchmakingRuleSet>,
    ) -> Result<(), String> {
        let Some(resource) = resource else {
            self.rule_sets.remove(key);
            return Ok(());
        };
        if resource.rule_set_name.as_deref() != Some(key) {
            return Err(format!(
                "has a rule set whose RuleSetName is not {}",
                Bounded(key)
            ));
        }
        let body = resource.rule_set_body.as_deref().unwrap_or_default();
        let rules = serde_json::from_str::<RuleSet>(&strip_comments(body))
            .map_err(|e| format!("has a RuleSetBody that cannot be read: {e}"))?;
        self.rule_sets.insert(
            key,
            StoredRuleSet {
                resource,
                rules: rules.into(),
            },
        );
        Ok(())
    }

    /// Loads a configuration from a state file: its rule set must be held.
    ///
    /// # Errors
    ///
    /// A configuration whose name is not its key, or naming no rule set held.
    pub(crate) fn load_configuration(
        &mut self,
        key: &str,
        c: Option<MatchmakingConfiguration>,
    ) -> Result<(), String> {
        let Some(c) = c else {
            self.configurations.remove(key);
            return Ok(());
        };
        if c.name.as_deref() != Some(key) {
            return Err(format!(
                "has a configuration whose Name is not {}",
                Bounded(key)
            ));
        }
        let rule_set = c.rule_set_name.as_deref().unwrap_or_default();
        if self.rule_set(rule_set).is_none() {
            return Err(format!(
                "names the rule set {}, which the file does not hold",
                Bounded(rule_set)
            ));
        }
        self.configurations.insert(key, c);
        Ok(())
    }

    /// Loads a ticket from a state file.
    ///
    /// # Errors
    ///
    /// A ticket whose id is not its key.
    pub(crate) fn load_ticket(&mut self, key: &str, t: Option<Ticket>) -> Result<(), String> {
        let Some(t) = t else {
            if let Some(t) = self.tickets.get(key).cloned() {
                // A removal: ended, then forgotten.
                let mut ended = t;
                ended.ticket.status =
                    Some(gamelift_session::model::MatchmakingTicketStatus::Cancelled);
                self.put(ended);
                self.tickets.remove(key);
            }
            return Ok(());
        };
        if t.ticket.ticket_id.as_deref() != Some(key) {
            return Err(format!(
                "has a ticket whose TicketId is not {}",
                Bounded(key)
            ));
        }
        self.put(t);
        Ok(())
    }

    /// Stores a new rule set.
    fn insert_rule_set(&mut self, name: &str, stored: StoredRuleSet) {
        self.rule_sets.insert(name, stored);
        self.changes.record(RULE_SETS, name);
    }
}
