//! FlexMatch: rule sets, matchmaking configurations, tickets and the
//! matcher that turns waiting tickets into matches.
//!
//! `../shared/SPEC.md` does not cover FlexMatch; the rules here follow the
//! GameLift API reference and the FlexMatch guide (rule set schema,
//! property expressions, rule types, the match algorithm). Decisions of
//! this crate, where the docs are silent or this crate chooses to support
//! less, are marked **decision**.
//!
//! # Rule sets
//!
//! A `RuleSetBody` is JSON, read into a [`RuleSet`] (serde; any format).
//!
//! - `ruleLanguageVersion` must be `"1.0"`.
//! - `playerAttributes`: each a unique `name`, a `type` of `string`,
//!   `number`, `string_list` or `string_number_map`, and an optional
//!   `default` of that type.
//! - `teams`: at least one, unique names, `maxPlayers` at least 1,
//!   `minPlayers` (default 0) at most `maxPlayers`. **Decision**: a
//!   `quantity` above 1, and teams holding more than 40 players in all
//!   (large matches), are refused by name as not supported.
//! - `rules`: unique names. Supported types:
//!   - `comparison`: every value its `measurements` give is compared with
//!     the `referenceValue` by `operation` (`<`, `<=`, `=`, `!=`, `>`,
//!     `>=`); without a reference, `=` needs all values equal and `!=` all
//!     distinct (no other operation is allowed then).
//!   - `distance`: numbers only; with a reference, each value's distance
//!     from it, without one the spread of the values (largest less
//!     smallest), must be within `minDistance` and `maxDistance` (at least
//!     one required).
//!   - `latency`: `maxLatency`; **decision**: there must be a Region that
//!     every player of the match reports with a latency at most
//!     `maxLatency`; a match where no player reports latencies keeps it.
//!     Its `maxDistance` and `distanceReference` are refused by name.
//!   - Every other type (`batchDistance`, `collection`, `absoluteSort`,
//!     `distanceSort`, `compound`) is refused by name, so that a rule set
//!     never matches differently than written.
//!   - `partyAggregation` (`avg`, the default, `min`, `max`): in a rule,
//!     a player's number attribute reads as the aggregate over the players
//!     of their ticket.
//! - Numbers may be written as strings (`"maxDistance": "500"`), as the
//!   docs' own examples do; `measurements` may be one expression or a list.
//! - `expansions`: a `target` of `rules[NAME].minDistance|maxDistance|
//!   referenceValue|maxLatency` or `teams[NAME].minPlayers|maxPlayers`,
//!   and `steps` of `waitTimeSeconds` and `value`. A match uses each
//!   expansion's last step whose wait has passed, by the age of the
//!   newest ticket in it (the docs' default), or of the oldest with
//!   `algorithm.expansionAgeSelection` `oldest`.
//! - `algorithm.strategy` must be `exhaustiveSearch`; its batching and
//!   sorting preferences are accepted and, **decision**, do not change
//!   which match is made (they tune speed, not the rules a match keeps).
//!
//! Property expressions: a number, or `teams[SELECTION].players` and
//! `teams[SELECTION].players.attributes[NAME]` (`team[...]` too) where the
//! selection is one team, several (`teams[red,blue]`) or all
//! (`teams[*]`), or a function of an expression: `min`, `max`, `avg`,
//! `median`, `sum`, `count`, `stddev`, `flatten` (`set_intersection` is
//! refused by name). One team gives a list of players; several give a list
//! per team, and a function of a list of lists applies to each inner list,
//! but `flatten`, which joins them. A rule tests every value at the leaves
//! of its measurements. An attribute a rule reads must be declared, and a
//! team it names must exist; a player's missing attribute reads as its
//! declared default, or is left out.
//!
//! # Tickets
//!
//! - `StartMatchmaking` takes 1 to 10 players, each with an id; answers
//!   a `QUEUED` ticket (id given or made up). Each declared attribute a
//!   player sets must have its declared type; **decision**: a player
//!   already in a ticket that has not ended, or twice in one, is refused.
//! - A matchmaker round ([`advance_matchmaking`]): `QUEUED` tickets start
//!   `SEARCHING`; a ticket still searching `RequestTimeoutSeconds` after
//!   its start is `TIMED_OUT`; matches are made among searching tickets,
//!   oldest first ([`find_match`]). A match's tickets are
//!   `REQUIRES_ACCEPTANCE` when the configuration asks for acceptance,
//!   else ready: `PLACING` when the configuration is `WITH_QUEUE` (the
//!   embedder places a game session through its queue and then
//!   [`complete_match`] or [`fail_match`]), `COMPLETED` when `STANDALONE`.
//! - [`accept_match`]: once every player of every ticket accepted, the
//!   match is ready; a rejection cancels the rejecting ticket and sends
//!   the others back to searching; when `AcceptanceTimeoutSeconds` pass,
//!   tickets not wholly accepted are `CANCELLED` and the others search
//!   again (the API reference's rule).
//! - [`stop_matchmaking`] cancels a ticket that has not ended and is not
//!   `PLACING`.
//! - `StartMatchBackfill` makes a searching backfill ticket of the game
//!   session's current players, each on the team they name. **Decision**:
//!   a backfill match needs no acceptance, and its new players join the
//!   backfilled game session.

mod configuration;
mod expression;
mod matcher;
mod player;
mod rule_set;
mod ticket;

pub use configuration::{
    CreateMatchmakingRuleSetInput, DescribeMatchmakingConfigurationsInput,
    DescribeMatchmakingConfigurationsOutput, DescribeMatchmakingRuleSetsInput,
    DescribeMatchmakingRuleSetsOutput, MAX_ACCEPTANCE_TIMEOUT_SECONDS, MAX_MATCHMAKING_NAME,
    MAX_REQUEST_TIMEOUT_SECONDS, MAX_RULE_SET_BODY, MatchmakingConfiguration,
    MatchmakingConfigurationInput, MatchmakingNameInput, MatchmakingRuleSet,
    configuration_not_found, invalid_rule_set, rule_set_not_found,
};
pub use matcher::{
    Candidate, LEAF_STEPS, MAX_BATCH, MAX_STEPS, ProposedMatch, find_match, is_valid_match,
};
pub use player::{AttributeValue, Player};
pub use rule_set::{MAX_MATCH_PLAYERS, RuleSet, RuleSetError};
pub use ticket::{
    AcceptMatchInput, DescribeMatchmakingInput, DescribeMatchmakingOutput,
    GameSessionConnectionInfo, MAX_TICKET_PLAYERS, MatchedPlayerSession, MatchmakingTicket,
    StartMatchBackfillInput, StartMatchmakingInput, Ticket, TicketIdInput, accept_match,
    advance_matchmaking, complete_match, fail_match, stop_matchmaking, ticket_not_found,
};
