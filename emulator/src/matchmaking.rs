//! FlexMatch: `CreateMatchmakingRuleSet`, `ValidateMatchmakingRuleSet`,
//! `DescribeMatchmakingRuleSets`, `DeleteMatchmakingRuleSet`,
//! `CreateMatchmakingConfiguration`, `DescribeMatchmakingConfigurations`,
//! `UpdateMatchmakingConfiguration`, `DeleteMatchmakingConfiguration`,
//! `StartMatchmaking`, `DescribeMatchmaking`, `StopMatchmaking`,
//! `AcceptMatch` and `StartMatchBackfill`.
//!
//! The rules are the crate's (`gamelift_session::flexmatch::advance_matchmaking` and
//! its neighbours); this module runs them on the store and the emulator's
//! clock. The matchmaker runs a round for a configuration after every
//! change to its tickets and before every `DescribeMatchmaking` of them,
//! so a test never waits on a timer: matches are made at once, and time
//! outs happen when the clock (real, or advanced by the control API) says.
//!
//! A ready `WITH_QUEUE` match is placed through the configuration's first
//! queue: a placement whose id is the match's, for a game session of the
//! rule set's players (its teams' `maxPlayers` in all, plus
//! `AdditionalPlayerCount`), with the configuration's game properties and
//! data, seating every matched player. When it is `FULFILLED`, the
//! tickets are `COMPLETED` with the game session's connection and each
//! player's player session, and the game session's `MatchmakerData`
//! describes the match; a placement that fails or times out fails the
//! tickets. A backfill match seats its new players in the backfilled game
//! session directly.

use std::collections::BTreeMap;
use std::sync::Arc;

use gamelift_session::{
    GameLiftError,
    flexmatch::{
        AcceptMatchInput, CreateMatchmakingRuleSetInput, DescribeMatchmakingConfigurationsInput,
        DescribeMatchmakingInput, DescribeMatchmakingRuleSetsInput, GameSessionConnectionInfo,
        MatchmakingConfiguration, MatchmakingConfigurationInput, MatchmakingNameInput, RuleSet,
        StartMatchBackfillInput, StartMatchmakingInput, Ticket, TicketIdInput, accept_match,
        advance_matchmaking, complete_match, configuration_not_found, fail_match, invalid_rule_set,
        rule_set_not_found, stop_matchmaking, ticket_not_found,
    },
    model::{GameSessionPlacementState, MatchmakingTicketStatus},
    placement::StartGameSessionPlacementInput,
    player_session::CreatePlayerSessionsInput,
};
use serde_json::json;
use time::OffsetDateTime;

use crate::protocol::{Member, Protocol};
use crate::service::{ACCOUNT_ID, Answer, Emulator};
use crate::state::{MatchmakingRecord, Store, StoredRuleSet};

impl Emulator {
    pub(crate) fn matchmaking_call(
        &self,
        operation: &str,
        body: &[u8],
        p: Protocol,
    ) -> Option<Answer> {
        Some(match operation {
            "CreateMatchmakingRuleSet" => self.create_rule_set(body, p),
            "ValidateMatchmakingRuleSet" => (|| {
                let input: CreateMatchmakingRuleSetInput = p.parse(body)?;
                read_rule_set(input.validate(false)?)?;
                p.write(&json!({ "Valid": true }))
            })(),
            "DescribeMatchmakingRuleSets" => (|| {
                let input: DescribeMatchmakingRuleSetsInput = p.parse(body)?;
                let store = self.store();
                let resources = store.rule_sets.iter().map(|r| &r.resource);
                p.write(&input.select(resources, &self.settings().limits)?)
            })(),
            "DeleteMatchmakingRuleSet" => self.delete_rule_set(body, p),
            "CreateMatchmakingConfiguration" => self.write_configuration(body, p, true),
            "UpdateMatchmakingConfiguration" => self.write_configuration(body, p, false),
            "DescribeMatchmakingConfigurations" => (|| {
                let input: DescribeMatchmakingConfigurationsInput = p.parse(body)?;
                let store = self.store();
                p.write(&input.select(&store.configurations, &self.settings().limits)?)
            })(),
            "DeleteMatchmakingConfiguration" => self.delete_configuration(body, p),
            "StartMatchmaking" => self.start_matchmaking(body, p, false),
            "StartMatchBackfill" => self.start_matchmaking(body, p, true),
            "DescribeMatchmaking" => (|| {
                let input: DescribeMatchmakingInput = p.parse(body)?;
                let mut store = self.store();
                input.select(&store.tickets)?;
                let now = self.now();
                let configurations: Vec<String> = input
                    .ticket_ids
                    .iter()
                    .flatten()
                    .filter_map(|id| {
                        store
                            .tickets
                            .iter()
                            .find(|t| t.ticket.ticket_id.as_deref() == Some(id))
                            .and_then(|t| t.ticket.configuration_name.clone())
                    })
                    .collect();
                for c in dedup(configurations) {
                    self.matchmaking_round(&mut store, &c, now);
                }
                p.write(&input.select(&store.tickets)?)
            })(),
            "StopMatchmaking" => (|| {
                let input: TicketIdInput = p.parse(body)?;
                let id = input.validate()?;
                let mut store = self.store();
                let now = self.now();
                let before = live_tickets(&store);
                stop_matchmaking(&mut store.tickets, id, now)?;
                touch_changed(&mut store, &before);
                p.write(&json!({}))
            })(),
            "AcceptMatch" => (|| {
                let input: AcceptMatchInput = p.parse(body)?;
                input.validate_with(&self.settings().limits)?;
                let id = input.ticket_id.clone().unwrap_or_default();
                let mut store = self.store();
                let now = self.now();
                let configuration = store
                    .tickets
                    .iter()
                    .find(|t| t.ticket.ticket_id.as_deref() == Some(id.as_str()))
                    .and_then(|t| t.ticket.configuration_name.clone())
                    .ok_or_else(|| ticket_not_found(&id))?;
                // Time-outs first: an answer after the deadline finds the
                // match already dropped.
                self.matchmaking_round(&mut store, &configuration, now);
                let with_queue = store
                    .configurations
                    .iter()
                    .find(|c| c.is_named_by(&configuration))
                    .is_none_or(MatchmakingConfiguration::with_queue);
                let before = live_tickets(&store);
                accept_match(&mut store.tickets, &input, with_queue, now)?;
                touch_changed(&mut store, &before);
                self.matchmaking_round(&mut store, &configuration, now);
                p.write(&json!({}))
            })(),
            _ => return None,
        })
    }

    fn create_rule_set(&self, body: &[u8], p: Protocol) -> Answer {
        let input: CreateMatchmakingRuleSetInput = p.parse(body)?;
        let rules = read_rule_set(input.validate(true)?)?;
        let resource = input.resource(&self.settings().region, ACCOUNT_ID, self.now());
        let name = resource.rule_set_name.clone().unwrap_or_default();
        let mut store = self.store();
        if store
            .rule_sets
            .iter()
            .any(|r| r.resource.rule_set_name == resource.rule_set_name)
        {
            return Err(GameLiftError::invalid_request(format!(
                "A matchmaking rule set named {name} already exists"
            )));
        }
        let answer = p.write(&Member("RuleSet", &resource))?;
        store.rule_sets.push(StoredRuleSet {
            resource,
            rules: rules.into(),
        });
        store.touch_matchmaking(MatchmakingRecord::RuleSet, &name);
        Ok(answer)
    }

    fn delete_rule_set(&self, body: &[u8], p: Protocol) -> Answer {
        let input: MatchmakingNameInput = p.parse(body)?;
        let name = input.validate(false)?.to_owned();
        let mut store = self.store();
        let i = store
            .rule_sets
            .iter()
            .position(|r| r.resource.is_named_by(&name))
            .ok_or_else(|| rule_set_not_found(&name))?;
        if let Some(c) = store
            .configurations
            .iter()
            .find(|c| c.rule_set_name.as_deref() == Some(name.as_str()))
        {
            return Err(GameLiftError::invalid_request(format!(
                "Matchmaking rule set {name} is used by the matchmaking configuration {}",
                c.name.as_deref().unwrap_or_default()
            )));
        }
        store.rule_sets.remove(i);
        store.touch_matchmaking(MatchmakingRecord::RuleSetDeleted, &name);
        p.write(&json!({}))
    }

    fn write_configuration(&self, body: &[u8], p: Protocol, create: bool) -> Answer {
        let input: MatchmakingConfigurationInput = p.parse(body)?;
        let limits = &self.settings().limits;
        input.validate(create, limits)?;
        let mut store = self.store();
        let name = input.name.clone().unwrap_or_default();
        let existing = store
            .configurations
            .iter()
            .position(|c| c.is_named_by(&name));
        let rule_set_name = match (&input.rule_set_name, existing) {
            (Some(r), _) => r.clone(),
            (None, Some(i)) => store.configurations[i]
                .rule_set_name
                .clone()
                .unwrap_or_default(),
            (None, None) => return Err(configuration_not_found(&name)),
        };
        let rule_set = store
            .rule_sets
            .iter()
            .find(|r| r.resource.is_named_by(&rule_set_name))
            .map(|r| r.resource.clone())
            .ok_or_else(|| rule_set_not_found(&rule_set_name))?;
        for arn in input.game_session_queue_arns.iter().flatten() {
            let queue = gamelift_session::placement::queue_name_of(arn);
            if !store.queues.iter().any(|q| q.is_named_by(queue)) {
                return Err(gamelift_session::placement::queue_not_found(queue));
            }
        }
        let configuration = if create {
            if existing.is_some() {
                return Err(GameLiftError::invalid_request(format!(
                    "A matchmaking configuration named {name} already exists"
                )));
            }
            let c = input.create(&rule_set, &self.settings().region, ACCOUNT_ID, self.now())?;
            store.configurations.push(c);
            store.configurations.len() - 1
        } else {
            let i = existing.ok_or_else(|| configuration_not_found(&name))?;
            input.apply(&mut store.configurations[i], &rule_set)?;
            i
        };
        let c = &store.configurations[configuration];
        let answer = p.write(&Member("Configuration", c))?;
        let stored = c.name.clone().unwrap_or_default();
        store.touch_matchmaking(MatchmakingRecord::Configuration, &stored);
        Ok(answer)
    }

    fn delete_configuration(&self, body: &[u8], p: Protocol) -> Answer {
        let input: MatchmakingNameInput = p.parse(body)?;
        let name = input.validate(true)?.to_owned();
        let mut store = self.store();
        let i = store
            .configurations
            .iter()
            .position(|c| c.is_named_by(&name))
            .ok_or_else(|| configuration_not_found(&name))?;
        if store.tickets.iter().any(|t| {
            t.ticket.configuration_name.as_deref() == Some(name.as_str()) && !t.ticket.has_ended()
        }) {
            return Err(GameLiftError::invalid_request(format!(
                "Matchmaking configuration {name} has tickets that have not ended"
            )));
        }
        store.configurations.remove(i);
        store.touch_matchmaking(MatchmakingRecord::ConfigurationDeleted, &name);
        p.write(&json!({}))
    }

    fn start_matchmaking(&self, body: &[u8], p: Protocol, backfill: bool) -> Answer {
        let limits = &self.settings().limits;
        let now = self.now();
        let fresh = || {
            let id = self.fresh_id();
            format!("ticket-{}", id.trim_start_matches("gsess-"))
        };
        let mut store = self.store();
        let (ticket, configuration) = if backfill {
            let input: StartMatchBackfillInput = p.parse(body)?;
            let name = input.validate_with(limits)?.to_owned();
            let (c, rules) = configuration_and_rules(&store, &name)?;
            (input.start(&c, &rules, &store.tickets, fresh, now)?, c)
        } else {
            let input: StartMatchmakingInput = p.parse(body)?;
            let name = input.validate_with(limits)?.to_owned();
            let (c, rules) = configuration_and_rules(&store, &name)?;
            (input.start(&c, &rules, &store.tickets, fresh, now)?, c)
        };
        // GameLift answers the ticket as it starts; the matchmaker runs
        // right after.
        let answer = p.write(&Member("MatchmakingTicket", &ticket.ticket))?;
        let id = ticket.ticket.ticket_id.clone().unwrap_or_default();
        store.tickets.push(ticket);
        store.touch_matchmaking(MatchmakingRecord::Ticket, &id);
        let name = configuration.name.clone().unwrap_or_default();
        self.matchmaking_round(&mut store, &name, now);
        Ok(answer)
    }

    /// One round of the matchmaker for the configuration `name`, then the
    /// placing of its ready matches; every ticket it changes is journaled.
    pub(crate) fn matchmaking_round(&self, store: &mut Store, name: &str, now: OffsetDateTime) {
        let Ok((configuration, rules)) = configuration_and_rules(store, name) else {
            return;
        };
        let before = live_tickets(store);
        let mut new_match_id = || format!("match-{}", self.fresh_id().trim_start_matches("gsess-"));
        advance_matchmaking(
            &mut store.tickets,
            &configuration,
            &rules,
            now,
            &mut new_match_id,
        );
        self.settle_matches(store, &configuration, &rules, now);
        touch_changed(store, &before);
    }

    /// Places every ready (`PLACING`) match of `configuration`, or seats a
    /// backfill's new players, and ends its tickets when that is done.
    fn settle_matches(
        &self,
        store: &mut Store,
        configuration: &MatchmakingConfiguration,
        rules: &RuleSet,
        now: OffsetDateTime,
    ) {
        let placing: Vec<String> = dedup(
            store
                .tickets
                .iter()
                .filter(|t| {
                    t.ticket.configuration_name == configuration.name
                        && t.ticket.status == Some(MatchmakingTicketStatus::Placing)
                })
                .filter_map(|t| t.match_id.clone())
                .collect(),
        );
        for match_id in placing {
            let members: Vec<Ticket> = store
                .tickets
                .iter()
                .filter(|t| t.match_id.as_deref() == Some(match_id.as_str()))
                .cloned()
                .collect();
            let backfill = members.iter().find_map(|t| t.backfill_game_session.clone());
            match backfill {
                Some(game_session) => {
                    self.seat_backfill(store, &match_id, &game_session, &members, now);
                }
                None => self.place_match(store, configuration, rules, &match_id, &members, now),
            }
        }
    }

    fn seat_backfill(
        &self,
        store: &mut Store,
        match_id: &str,
        game_session: &str,
        members: &[Ticket],
        now: OffsetDateTime,
    ) {
        let new_players: Vec<String> = members
            .iter()
            .filter(|t| t.backfill_game_session.is_none())
            .flat_map(|t| {
                t.ticket
                    .players()
                    .iter()
                    .filter_map(|p| p.player_id.clone())
            })
            .collect();
        let joined = if new_players.is_empty() {
            Ok(Vec::new())
        } else {
            CreatePlayerSessionsInput::new(game_session, new_players)
                .validate_with(&self.settings().limits)
                .and_then(|joins| self.join_in(store, &joins, now))
        };
        match joined {
            Ok(joined) => {
                let session = store
                    .table
                    .find(game_session)
                    .and_then(|d| d.game_session.clone())
                    .unwrap_or_default();
                let connection = GameSessionConnectionInfo::new(&session, &joined);
                complete_match(&mut store.tickets, match_id, &connection, now);
            }
            Err(e) => fail_match(
                &mut store.tickets,
                match_id,
                &format!("The backfilled game session could not seat the players: {e}"),
                now,
            ),
        }
    }

    fn place_match(
        &self,
        store: &mut Store,
        configuration: &MatchmakingConfiguration,
        rules: &RuleSet,
        match_id: &str,
        members: &[Ticket],
        now: OffsetDateTime,
    ) {
        let existing = store
            .placements
            .iter()
            .position(|p| p.placement_id.as_deref() == Some(match_id));
        let i = if let Some(i) = existing {
            self.try_placement(store, i, now);
            i
        } else {
            let Some(i) =
                self.start_match_placement(store, configuration, rules, match_id, members, now)
            else {
                return;
            };
            i
        };
        let Some(placement) = store.placements.get(i).cloned() else {
            return;
        };
        match placement.status {
            Some(GameSessionPlacementState::Fulfilled) => {
                let connection = GameSessionConnectionInfo::of_placement(&placement);
                complete_match(&mut store.tickets, match_id, &connection, now);
                if let Some(gid) = placement.game_session_id.as_deref() {
                    let data = matchmaker_data(match_id, configuration, members);
                    let _ = store.change(gid, |detail, _| {
                        if let Some(s) = detail.game_session.as_mut() {
                            s.matchmaker_data = Some(data);
                        }
                        Ok(())
                    });
                }
            }
            Some(GameSessionPlacementState::Pending) | None => {}
            Some(other) => fail_match(
                &mut store.tickets,
                match_id,
                &format!("The match's game session placement is {}", other.as_str()),
                now,
            ),
        }
    }

    /// Starts the placement of the match `match_id`; `None` (the tickets
    /// failed) when it cannot start.
    fn start_match_placement(
        &self,
        store: &mut Store,
        configuration: &MatchmakingConfiguration,
        rules: &RuleSet,
        match_id: &str,
        members: &[Ticket],
        now: OffsetDateTime,
    ) -> Option<usize> {
        let Some(queue) = configuration.queue() else {
            fail_match(
                &mut store.tickets,
                match_id,
                "The configuration has no queue",
                now,
            );
            return None;
        };
        let seats = i32::try_from(rules.max_players()).unwrap_or(i32::MAX)
            + configuration.additional_player_count.unwrap_or(0);
        let mut input = StartGameSessionPlacementInput::new(match_id, queue, seats);
        input.game_properties = configuration.game_properties.as_ref().map(|ps| {
            ps.iter()
                .map(|p| {
                    gamelift_session::model::GamePropertyInput::new(p.key.clone(), p.value.clone())
                })
                .collect()
        });
        input
            .game_session_data
            .clone_from(&configuration.game_session_data);
        input.desired_player_sessions = Some(
            members
                .iter()
                .flat_map(|t| t.ticket.players())
                .filter_map(|p| {
                    let mut d = gamelift_session::placement::DesiredPlayerSession::default();
                    d.player_id = Some(p.player_id.clone()?);
                    Some(d)
                })
                .collect(),
        );
        // The players' latencies go with the placement, as FlexMatch's do.
        let latencies: Vec<gamelift_session::placement::PlayerLatency> = members
            .iter()
            .flat_map(|t| t.ticket.players())
            .flat_map(|p| {
                p.latency_in_ms.iter().flatten().map(|(region, &ms)| {
                    let mut l = gamelift_session::placement::PlayerLatency::default();
                    l.player_id.clone_from(&p.player_id);
                    l.region_identifier = Some(region.clone());
                    l.latency_in_milliseconds = Some(ms as f32);
                    l
                })
            })
            .collect();
        if !latencies.is_empty() {
            input.player_latencies = Some(latencies);
        }
        let started = input
            .start(&self.settings().limits, now)
            .and_then(|placement| self.begin_placement(store, placement, &input, now));
        match started {
            Ok(i) => Some(i),
            Err(e) => {
                fail_match(
                    &mut store.tickets,
                    match_id,
                    &format!("The match could not be placed: {e}"),
                    now,
                );
                None
            }
        }
    }
}

/// Reads a rule set body, refusing it in AWS's error.
fn read_rule_set(body: &str) -> Result<RuleSet, GameLiftError> {
    serde_json::from_str::<RuleSet>(body).map_err(invalid_rule_set)
}

/// The configuration `name` names and its rule set's rules.
fn configuration_and_rules(
    store: &Store,
    name: &str,
) -> Result<(MatchmakingConfiguration, Arc<RuleSet>), GameLiftError> {
    let c = store
        .configurations
        .iter()
        .find(|c| c.is_named_by(name))
        .cloned()
        .ok_or_else(|| configuration_not_found(name))?;
    let rule_set = c.rule_set_name.clone().unwrap_or_default();
    let rules = store
        .rule_sets
        .iter()
        .find(|r| r.resource.is_named_by(&rule_set))
        .map(|r| Arc::clone(&r.rules))
        .ok_or_else(|| rule_set_not_found(&rule_set))?;
    Ok((c, rules))
}

/// The tickets that have not ended, with their places: the only ones a
/// matchmaker call can change (an ended ticket stays as it is).
fn live_tickets(store: &Store) -> Vec<(usize, Ticket)> {
    store
        .tickets
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.ticket.has_ended())
        .map(|(i, t)| (i, t.clone()))
        .collect()
}

/// Journals every ticket of `before` that changed.
fn touch_changed(store: &mut Store, before: &[(usize, Ticket)]) {
    let changed: Vec<String> = before
        .iter()
        .filter(|(i, t)| store.tickets.get(*i) != Some(t))
        .filter_map(|(_, t)| t.ticket.ticket_id.clone())
        .collect();
    for id in changed {
        store.touch_matchmaking(MatchmakingRecord::Ticket, &id);
    }
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.clone()));
    items
}

/// The game session's `MatchmakerData`: the match, its configuration, and
/// each team's players with their attributes, in GameLift's form.
fn matchmaker_data(
    match_id: &str,
    configuration: &MatchmakingConfiguration,
    members: &[Ticket],
) -> String {
    let mut teams: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for t in members {
        for p in t.ticket.players() {
            let attributes: serde_json::Map<String, serde_json::Value> = p
                .player_attributes
                .iter()
                .flatten()
                .map(|(name, v)| {
                    let value = if let Some(n) = v.n {
                        json!({"attributeType": "DOUBLE", "valueAttribute": n})
                    } else if let Some(s) = &v.s {
                        json!({"attributeType": "STRING", "valueAttribute": s})
                    } else if let Some(l) = &v.sl {
                        json!({"attributeType": "STRING_LIST", "valueAttribute": l})
                    } else {
                        json!({"attributeType": "STRING_DOUBLE_MAP", "valueAttribute": v.sdm})
                    };
                    (name.clone(), value)
                })
                .collect();
            teams
                .entry(p.team.clone().unwrap_or_default())
                .or_default()
                .push(json!({"playerId": p.player_id, "attributes": attributes}));
        }
    }
    let teams: Vec<serde_json::Value> = teams
        .into_iter()
        .map(|(name, players)| json!({"name": name, "players": players}))
        .collect();
    json!({
        "matchId": match_id,
        "matchmakingConfigurationArn": configuration.configuration_arn,
        "teams": teams,
        "autoBackfillMode": null,
        "autoBackfillTicketId": null,
    })
    .to_string()
}
