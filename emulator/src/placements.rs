//! Game session queues and placements: `CreateGameSessionQueue`,
//! `DescribeGameSessionQueues`, `UpdateGameSessionQueue`,
//! `DeleteGameSessionQueue`, `StartGameSessionPlacement`,
//! `DescribeGameSessionPlacement` and `StopGameSessionPlacement`.
//!
//! The rules are the crate's (`gamelift_session::placement::GameSessionPlacement`);
//! this module runs them on the store and the emulator's clock. A placement
//! is tried when it starts (after its `PENDING` answer is built) and again
//! whenever it is described, until it is placed, times out or is stopped:
//! room that frees up in the meantime is found. **Decision**: the game
//! session a placement makes is launched like any other
//! (`--activation`); one that does not come up ACTIVE fails the placement
//! (`FAILED`), as do more desired players than the player limit (then no
//! session is made) and a queue deleted while a placement waits on it.

use gamelift_session::{
    GameLiftError, GameSessionStatus,
    fleet::resolve_alias,
    game_session::CreateContext,
    model::{GameSessionPlacementState, fleet_id_of},
    placement::{
        CreateGameSessionQueueInput, DeleteGameSessionQueueInput, DescribeGameSessionQueuesInput,
        Destination, PlacementIdInput, StartGameSessionPlacementInput, UpdateGameSessionQueueInput,
        placement_not_found, queue_name_of, queue_not_found,
    },
    player_session::CreatePlayerSessionsInput,
};
use serde_json::json;
use time::OffsetDateTime;

use crate::protocol::{Member, Protocol};
use crate::service::{ACCOUNT_ID, Answer, Emulator};
use crate::state::Store;

impl Emulator {
    pub(crate) fn placement_call(
        &self,
        operation: &str,
        body: &[u8],
        p: Protocol,
    ) -> Option<Answer> {
        let limits = &self.settings().limits;
        Some(match operation {
            "CreateGameSessionQueue" => (|| {
                let input: CreateGameSessionQueueInput = p.parse(body)?;
                let queue = input.create(&self.settings().region, ACCOUNT_ID)?;
                let name = queue.name.clone().unwrap_or_default();
                let mut store = self.store();
                if store.queues.iter().any(|q| q.name == queue.name) {
                    return Err(GameLiftError::invalid_request(format!(
                        "A game session queue named {name} already exists"
                    )));
                }
                let answer = p.write(&Member("GameSessionQueue", &queue))?;
                store.queues.push(queue);
                store.touch_queue(&name, false);
                Ok(answer)
            })(),
            "DescribeGameSessionQueues" => (|| {
                let input: DescribeGameSessionQueuesInput = p.parse(body)?;
                let store = self.store();
                p.write(&input.select(&store.queues, limits)?)
            })(),
            "UpdateGameSessionQueue" => (|| {
                let input: UpdateGameSessionQueueInput = p.parse(body)?;
                let name = input.validate_with(limits)?;
                let mut store = self.store();
                let queue = store
                    .queues
                    .iter_mut()
                    .find(|q| q.is_named_by(name))
                    .ok_or_else(|| queue_not_found(name))?;
                input.apply(queue);
                let answer = p.write(&Member("GameSessionQueue", &queue))?;
                store.touch_queue(queue_name_of(name), false);
                Ok(answer)
            })(),
            "DeleteGameSessionQueue" => (|| {
                let input: DeleteGameSessionQueueInput = p.parse(body)?;
                let name = input.validate_with(limits)?;
                let mut store = self.store();
                let i = store
                    .queues
                    .iter()
                    .position(|q| q.is_named_by(name))
                    .ok_or_else(|| queue_not_found(name))?;
                store.queues.remove(i);
                store.touch_queue(queue_name_of(name), true);
                p.write(&json!({}))
            })(),
            "StartGameSessionPlacement" => self.start_placement(body, p),
            "DescribeGameSessionPlacement" => (|| {
                let input: PlacementIdInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                let mut store = self.store();
                let i = placement_index(&store, id)?;
                self.try_placement(&mut store, i, self.now());
                p.write(&Member("GameSessionPlacement", &store.placements.get(i)))
            })(),
            "StopGameSessionPlacement" => (|| {
                let input: PlacementIdInput = p.parse(body)?;
                let id = input.validate_with(limits)?;
                let mut store = self.store();
                let i = placement_index(&store, id)?;
                let now = self.now();
                if let Some(placement) = store.placements.get_mut(i) {
                    placement.stop(now)?;
                }
                store.touch_placement(id);
                store.desired_players.remove(id);
                p.write(&Member("GameSessionPlacement", &store.placements.get(i)))
            })(),
            _ => return None,
        })
    }

    fn start_placement(&self, body: &[u8], p: Protocol) -> Answer {
        let input: StartGameSessionPlacementInput = p.parse(body)?;
        let now = self.now();
        let placement = input.start(&self.settings().limits, now)?;
        // GameLift answers PENDING; the placement is tried right after.
        let answer = p.write(&Member("GameSessionPlacement", &placement))?;
        let mut store = self.store();
        self.begin_placement(&mut store, placement, &input, now)?;
        Ok(answer)
    }

    /// Stores a new `PENDING` placement of `input` and tries it; answers
    /// its index.
    pub(crate) fn begin_placement(
        &self,
        store: &mut Store,
        placement: gamelift_session::placement::GameSessionPlacement,
        input: &StartGameSessionPlacementInput,
        now: OffsetDateTime,
    ) -> Result<usize, GameLiftError> {
        let id = placement.placement_id.clone().unwrap_or_default();
        let queue = placement
            .game_session_queue_name
            .clone()
            .unwrap_or_default();
        if !store.queues.iter().any(|q| q.is_named_by(&queue)) {
            return Err(queue_not_found(&queue));
        }
        if store
            .placements
            .iter()
            .any(|q| q.placement_id.as_deref() == Some(id.as_str()))
        {
            return Err(GameLiftError::invalid_request(format!(
                "A game session placement with id {id} already exists"
            )));
        }
        store.placements.push(placement);
        store.touch_placement(&id);
        let i = store.placements.len() - 1;
        let desired = input.desired_player_sessions.clone().unwrap_or_default();
        if !desired.is_empty() {
            store.desired_players.insert(id.clone(), desired);
        }
        self.try_placement(store, i, now);
        Ok(i)
    }

    /// Moves the placement at `i` on, if it is still `PENDING`: timed out,
    /// placed on the first destination with room, or left waiting.
    pub(crate) fn try_placement(&self, store: &mut Store, i: usize, now: OffsetDateTime) {
        let Some(placement) = store.placements.get(i) else {
            return;
        };
        if !placement.is_pending() {
            return;
        }
        let id = placement.placement_id.clone().unwrap_or_default();
        let queue_name = placement
            .game_session_queue_name
            .clone()
            .unwrap_or_default();
        let Some(queue) = store
            .queues
            .iter()
            .find(|q| q.is_named_by(&queue_name))
            .cloned()
        else {
            fail(store, i, &id, now);
            return;
        };
        let timeout = queue.timeout_in_seconds.unwrap_or(0);
        if let Some(placement) = store.placements.get_mut(i)
            && placement.time_out_if_due(timeout, now)
        {
            store.touch_placement(&id);
            store.desired_players.remove(&id);
            return;
        }
        for arn in queue.destination_arns() {
            let fleet = match Destination::of(arn) {
                Some(Destination::Fleet(fleet)) => fleet.to_owned(),
                Some(Destination::Alias(alias)) => match resolve_alias(&store.aliases, alias) {
                    Ok(fleet) => fleet.to_owned(),
                    Err(_) => continue,
                },
                _ => continue,
            };
            if self.place_on(store, i, &id, &fleet, now) {
                return;
            }
        }
    }

    /// Tries to place the placement at `i` on `fleet`; answers whether the
    /// placement has ended (placed or failed).
    fn place_on(
        &self,
        store: &mut Store,
        i: usize,
        id: &str,
        fleet: &str,
        now: OffsetDateTime,
    ) -> bool {
        let Some(request) = store
            .placements
            .get(i)
            .map(|p| p.game_session_request(fleet))
        else {
            return true;
        };
        let limits = &self.settings().limits;
        let seats = usize::try_from(request.maximum_player_session_count.unwrap_or(0)).unwrap_or(0);
        let desired = store.desired_players.get(id).map_or(0, Vec::len);
        let Ok(validated) = request.validate_with(limits) else {
            fail(store, i, id, now);
            return true;
        };
        if desired > seats {
            // Its players could never all be seated: no session is made.
            fail(store, i, id, now);
            return true;
        }
        let fresh = self.fresh_id();
        let context = CreateContext::new(
            &self.settings().region,
            ACCOUNT_ID,
            fleet_id_of(fleet),
            now,
            &fresh,
        );
        let Ok(index) = self.launch(store, validated.create(&context), fleet, now) else {
            // No room there: the next destination.
            return false;
        };
        let Some(session) = store.session_at(index).and_then(|d| d.game_session.clone()) else {
            return true;
        };
        if session.status != Some(GameSessionStatus::Active) {
            fail(store, i, id, now);
            return true;
        }
        let gid = session.game_session_id.clone().unwrap_or_default();
        let desired = store.desired_players.remove(id).unwrap_or_default();
        let placed = if desired.is_empty() {
            Vec::new()
        } else {
            let mut join = CreatePlayerSessionsInput::new(
                &gid,
                desired.iter().filter_map(|d| d.player_id.clone()),
            );
            join.player_data_map = Some(
                desired
                    .iter()
                    .filter_map(|d| Some((d.player_id.clone()?, d.player_data.clone()?)))
                    .collect(),
            );
            let joined = join
                .validate_with(limits)
                .and_then(|joins| self.join_in(store, &joins, now));
            let Ok(placed) = joined else {
                fail(store, i, id, now);
                return true;
            };
            placed
        };
        if let Some(placement) = store.placements.get_mut(i) {
            placement.fulfil(&session, &placed, now);
        }
        store.touch_placement(id);
        true
    }
}

/// The placement at `i` could not be placed: `FAILED`.
fn fail(store: &mut Store, i: usize, id: &str, now: OffsetDateTime) {
    if let Some(placement) = store.placements.get_mut(i) {
        placement.status = Some(GameSessionPlacementState::Failed);
        placement.end_time = Some(now);
    }
    store.touch_placement(id);
    store.desired_players.remove(id);
}

fn placement_index(store: &Store, id: &str) -> Result<usize, GameLiftError> {
    store
        .placements
        .iter()
        .position(|p| p.placement_id.as_deref() == Some(id))
        .ok_or_else(|| placement_not_found(id))
}
