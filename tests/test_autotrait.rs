//! Every public type can cross threads, so an embedder can share sessions,
//! requests and outcomes between request handlers.

use gamelift_session::fleet::*;
use gamelift_session::flexmatch::*;
use gamelift_session::game_session::*;
use gamelift_session::model::*;
use gamelift_session::placement::*;
use gamelift_session::player_session::*;
use gamelift_session::search::*;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<GameSession>();
    assert_send_sync::<GameSessionDetail>();
    assert_send_sync::<GameProperty>();
    assert_send_sync::<GamePropertyInput>();
    assert_send_sync::<UpdateGameSessionInput>();
    assert_send_sync::<UpdateGameSessionOutput<'static>>();
    assert_send_sync::<UpdateOutcome<'static>>();
    assert_send_sync::<UpdateReport<'static>>();
    assert_send_sync::<ValidatedUpdate<'static>>();
    assert_send_sync::<Change<'static>>();
    assert_send_sync::<Warning>();
    assert_send_sync::<GameLiftError>();
    assert_send_sync::<ErrorBody>();
    assert_send_sync::<ValidationErrors>();
    assert_send_sync::<Violation>();
    assert_send_sync::<Limits>();
    assert_send_sync::<EnumValue<ProtectionPolicy>>();
    assert_send_sync::<UnknownEnumValue>();
    assert_send_sync::<SessionAction>();
    assert_send_sync::<CreateGameSessionInput>();
    assert_send_sync::<CreateContext<'static>>();
    assert_send_sync::<TerminateGameSessionInput>();
    assert_send_sync::<Transition>();
    assert_send_sync::<Connection>();
    assert_send_sync::<Alias>();
    assert_send_sync::<RoutingStrategy>();
    assert_send_sync::<CreateAliasInput>();
    assert_send_sync::<UpdateAliasInput>();
    assert_send_sync::<ListAliasesInput>();
    assert_send_sync::<ListAliasesOutput<'static>>();
    assert_send_sync::<AliasIdInput>();
    assert_send_sync::<DescribeGameSessionsInput>();
    assert_send_sync::<DescribeGameSessionsOutput<'static>>();
    assert_send_sync::<DescribeGameSessionDetailsOutput<'static>>();
    assert_send_sync::<Page<'static>>();
    assert_send_sync::<GameSessionOutput<'static>>();
    assert_send_sync::<SearchGameSessionsInput>();
    assert_send_sync::<SearchGameSessionsOutput<'static>>();
    assert_send_sync::<ValidatedSearch<'static>>();
    assert_send_sync::<SearchIndex>();
    assert_send_sync::<SessionTable>();
    assert_send_sync::<PreparedSearch>();
    assert_send_sync::<RuleSet>();
    assert_send_sync::<Ticket>();
    assert_send_sync::<MatchmakingConfiguration>();
    assert_send_sync::<ProposedMatch>();
    assert_send_sync::<Candidate<'static>>();
    assert_send_sync::<FilterExpression>();
    assert_send_sync::<SortExpression>();
    assert_send_sync::<ExpressionError>();
    assert_send_sync::<PlayerSession>();
    assert_send_sync::<CreatePlayerSessionsInput>();
    assert_send_sync::<DescribePlayerSessionsInput>();
    assert_send_sync::<Joins<'static>>();
    assert_send_sync::<GameSessionQueue>();
    assert_send_sync::<GameSessionPlacement>();
    assert_send_sync::<StartGameSessionPlacementInput>();
    assert_send_sync::<FleetAttributes>();
}
