//! FlexMatch: rule sets, matchmaking configurations, tickets and the
//! matcher that turns waiting tickets into matches.
//!
//! `../shared/SPEC.md` §13 and the FlexMatch guide ("How FlexMatch
//! works", "Rule set examples", "Design a large match", the rule set
//! schema and the rules language) are the contract. Decisions of this
//! crate, where they are silent, are marked **decision** in the files
//! that hold them:
//!
//! | file | what it holds |
//! |---|---|
//! | `document.rs` | a rule set's JSON as written: duplicate members, nesting bound, comments, unknown members named by path |
//! | `declarations.rs` | `playerAttributes` and `teams` (`quantity`, the 40- and 200-player sizes) |
//! | `expression.rs` | property expressions (`teams[*].players.attributes[skill]`, `set_intersection`, `players[playerId]`) |
//! | `rules.rs` | every rule type, read and tested; which are hereditary |
//! | `expansion.rs` | expansions and the levels they make |
//! | `algorithm.rs` | `strategy`, `batchingPreference`, `expansionAgeSelection`, `backfillPriority` |
//! | `rule_set.rs` | the rule set put together ([`RuleSet`]) |
//! | `pool.rs` | the tickets of a pass, read once ([`Candidate`]) |
//! | `search.rs` | one anchor's search: the order, the tests, the exhaustive search |
//! | `large_match.rs` | large matches and the `balanced` strategy |
//! | `matcher.rs` | a pass over the pool ([`match_pool`]) |
//! | `player.rs` | `Player` and `AttributeValue` |
//! | `ticket.rs` | the ticket operations and lifecycle |
//! | `matchmaker_data.rs` | a game session's `MatchmakerData` |
//! | `configuration.rs` | rule set and configuration resources |
//!
//! # Tickets
//!
//! - `StartMatchmaking` takes 1 to 10 players, each with an id, at most
//!   [`MAX_PLAYER_ATTRIBUTES`] attributes of [`MAX_PLAYER_ATTRIBUTE_SIZE`]
//!   characters in all and [`MAX_PLAYER_LATENCIES`] latencies
//!   (**decisions**: the model sets no bound), and answers a `QUEUED`
//!   ticket. A player's older live ticket is `CANCELLED` with
//!   [`DUPLICATE_PLAYER`] (SPEC §13).
//! - `StartMatchBackfill` answers a `QUEUED` ticket of the game session's
//!   players on their teams, for an `ACTIVE` game session FlexMatch made
//!   through that configuration ([`check_backfill_session`]).
//! - A pass ([`expire_tickets`], [`match_pool`], [`apply_match`], or
//!   [`advance_matchmaking`] for all three): `QUEUED` tickets start
//!   `SEARCHING`, told the configuration's recent average wait
//!   ([`RecentWaits`]); searches past `RequestTimeoutSeconds` are
//!   `TIMED_OUT`; proposals past `AcceptanceTimeoutSeconds` are dropped;
//!   every match the pool allows is made. A match needs acceptance, or is
//!   ready: `PLACING` when `WITH_QUEUE` (the embedder places a game session
//!   for [`ProposedMatch::max_players`], then [`complete_match`] or
//!   [`fail_match`]), `COMPLETED` when `STANDALONE`.
//! - Ended tickets carry the events' `StatusReason` ([`REASON_TIMED_OUT`],
//!   [`REASON_CANCELLED`], [`REASON_FAILED`]) and message.
//! - [`accept_match`]: once every player of every ticket accepted, the
//!   match is ready; a rejection cancels the rejecting ticket and sends the
//!   others back to searching; when `AcceptanceTimeoutSeconds` pass,
//!   tickets not wholly accepted are `CANCELLED` and the others search
//!   again (the API reference's rule).
//! - [`stop_matchmaking`] cancels a ticket that has not ended and is not
//!   `PLACING`.

mod algorithm;
mod configuration;
mod declarations;
mod document;
mod expansion;
mod expression;
mod large_match;
mod matcher;
mod matchmaker_data;
mod player;
mod pool;
mod rule_set;
mod rules;
mod search;
mod ticket;

pub use configuration::{
    CreateMatchmakingRuleSetInput, DescribeMatchmakingConfigurationsInput,
    DescribeMatchmakingConfigurationsOutput, DescribeMatchmakingRuleSetsInput,
    DescribeMatchmakingRuleSetsOutput, MAX_ACCEPTANCE_TIMEOUT_SECONDS, MAX_MATCHMAKING_NAME,
    MAX_REQUEST_TIMEOUT_SECONDS, MAX_RULE_SET_BODY, MatchmakingConfiguration,
    MatchmakingConfigurationInput, MatchmakingNameInput, MatchmakingRuleSet,
    configuration_not_found, invalid_rule_set, rule_set_not_found,
};
pub use declarations::{MAX_LARGE_MATCH, MAX_SMALL_MATCH};
pub use document::{MAX_NESTING, strip_comments};
pub use matcher::{Pass, ProposedMatch, find_match, is_valid_match, match_pool};
pub use matchmaker_data::{
    MatchmakerAttribute, MatchmakerData, MatchmakerPlayer, MatchmakerTeam, MatchmakerValue,
};
pub use player::{AttributeValue, Player};
pub use pool::Candidate;
pub use rule_set::{RuleSet, RuleSetError};
pub use search::ANCHOR_WORK;
pub use ticket::{
    AcceptMatchInput, DUPLICATE_PLAYER, DescribeMatchmakingInput, DescribeMatchmakingOutput,
    GameSessionConnectionInfo, MAX_PLAYER_ATTRIBUTE_SIZE, MAX_PLAYER_ATTRIBUTES,
    MAX_PLAYER_LATENCIES, MAX_TICKET_PLAYERS, MatchedPlayerSession, MatchmakingTicket,
    REASON_CANCELLED, REASON_FAILED, REASON_TIMED_OUT, RecentWaits, StartMatchBackfillInput,
    StartMatchmakingInput, Ticket, TicketIdInput, accept_match, advance_matchmaking, apply_match,
    check_backfill_session, complete_match, expire_tickets, fail_match, stop_matchmaking,
    ticket_not_found,
};
