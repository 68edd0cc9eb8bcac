"""FlexMatch as backends use it: a rule set and a configuration, tickets
started and polled to COMPLETED, and the game session the match made
joined, updated and searched. The emulators here run the matchmaker only
when a test steps it (`--matchmaking-interval 0`, then
POST /_emulator/matchmaking/step), so no test waits on a timer."""

import json
import signal

import pytest

from conftest import ROOT
from test_program import Emulator, error_of, http

FLEET_ARN = "arn:aws:gamelift:us-west-2:123456789012:fleet/{}"

RULES = {
    "name": "duel-of-teams",
    "ruleLanguageVersion": "1.0",
    "playerAttributes": [{"name": "skill", "type": "number", "default": 10},
                         {"name": "mode", "type": "string", "default": "casual"}],
    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 4},
              {"name": "blue", "minPlayers": 1, "maxPlayers": 4}],
    "rules": [
        {"name": "FairTeams", "type": "distance",
         "measurements": ["avg(teams[*].players.attributes[skill])"],
         "referenceValue": "avg(flatten(teams[*].players.attributes[skill]))",
         "maxDistance": 10},
        {"name": "SameMode", "type": "comparison",
         "measurements": ["flatten(teams[*].players.attributes[mode])"], "operation": "="},
        {"name": "EvenTeams", "type": "comparison",
         "measurements": ["count(teams[red].players)"], "referenceValue": "count(teams[blue].players)",
         "operation": "="},
    ],
}


STEPPED = ("--matchmaking-interval", "0")


@pytest.fixture
def em(tmp_path):
    e = Emulator(tmp_path, "--fleet", "fleet-match=10", "--state", str(tmp_path / "state.json"), *STEPPED)
    yield e
    if e.proc.poll() is None:
        e.stop()


def advance(e, seconds):
    """Moves the clock; a matchmaking pass runs with it."""
    status, _, body = http(e.url, "/_emulator/clock/advance", {"Seconds": seconds})
    assert status == 200, body


def step(e):
    """One matchmaking pass: what it did."""
    status, _, body = http(e.url, "/_emulator/matchmaking/step", {})
    assert status == 200, body
    return json.loads(body)


def setup(gl, acceptance=False, mode="WITH_QUEUE", rules=RULES, timeout=60, room=0):
    gl.create_game_session_queue(Name="match-queue", Destinations=[{"DestinationArn": FLEET_ARN.format("fleet-match")}])
    rule_set = gl.create_matchmaking_rule_set(Name="teams", RuleSetBody=json.dumps(rules))["RuleSet"]
    extra = {"AcceptanceTimeoutSeconds": 20} if acceptance else {}
    queues = ["arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/match-queue"] if mode == "WITH_QUEUE" else []
    config = gl.create_matchmaking_configuration(
        Name="teams-config", RuleSetName="teams", RequestTimeoutSeconds=timeout, AcceptanceRequired=acceptance,
        GameSessionQueueArns=queues, FlexMatchMode=mode, GameProperties=[{"Key": "mode", "Value": "ranked"}],
        AdditionalPlayerCount=room, **extra)["Configuration"]
    return rule_set, config


def player(pid, skill, mode="ranked"):
    return {"PlayerId": pid, "PlayerAttributes": {"skill": {"N": skill}, "mode": {"S": mode}},
            "LatencyInMs": {"us-west-2": 40}}


@pytest.mark.parametrize("players", [2, 4, 8])
def test_a_backend_flow_from_tickets_to_a_searched_game_session(em, players):
    gl = em.client()
    # Teams of exactly half the players each: the match waits for all.
    size = players // 2
    teams = [{"name": "red", "minPlayers": size, "maxPlayers": size},
             {"name": "blue", "minPlayers": size, "maxPlayers": size}]
    rule_set, config = setup(gl, rules={**RULES, "teams": teams}, room=1)
    assert rule_set["RuleSetArn"] == "arn:aws:gamelift:us-west-2:123456789012:matchmakingruleset/teams"
    assert config["ConfigurationArn"].endswith(":matchmakingconfiguration/teams-config")
    assert config["RuleSetArn"] == rule_set["RuleSetArn"] and config["FlexMatchMode"] == "WITH_QUEUE"
    ids = []
    for n in range(players):
        started = gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"t-{n}",
                                       Players=[player(f"p{n}", 20 + n)])["MatchmakingTicket"]
        assert started["Status"] == "QUEUED" and started["TicketId"] == f"t-{n}"
        ids.append(started["TicketId"])
        if n < players - 1:
            # The matcher runs off the request path: QUEUED until a pass.
            assert gl.describe_matchmaking(TicketIds=[started["TicketId"]])["TicketList"][0]["Status"] == "QUEUED"
            step(em)
            waiting = gl.describe_matchmaking(TicketIds=[started["TicketId"]])["TicketList"][0]
            assert waiting["Status"] == "SEARCHING"
    assert step(em)["Matches"] == 1
    tickets = gl.describe_matchmaking(TicketIds=ids)["TicketList"]
    assert [t["Status"] for t in tickets] == ["COMPLETED"] * players
    info = tickets[0]["GameSessionConnectionInfo"]
    arn = info["GameSessionArn"]
    assert "/fleet-match/" in arn and info["IpAddress"] == "127.0.0.1" and info["Port"] >= 7777
    assert all(t["GameSessionConnectionInfo"]["GameSessionArn"] == arn for t in tickets)
    teams = {t["Players"][0]["PlayerId"]: t["Players"][0]["Team"] for t in tickets}
    assert sorted(teams.values()) == ["blue"] * (players // 2) + ["red"] * (players // 2)
    # Each ticket names its own player's player session in the game session.
    matched = [t["GameSessionConnectionInfo"]["MatchedPlayerSessions"] for t in tickets]
    assert [m[0]["PlayerId"] for m in matched] == [f"p{n}" for n in range(players)]
    sessions = gl.describe_player_sessions(GameSessionId=arn)["PlayerSessions"]
    assert sorted(p["PlayerSessionId"] for p in sessions) == sorted(m[0]["PlayerSessionId"] for m in matched)
    gs = gl.describe_game_sessions(GameSessionId=arn)["GameSessions"][0]
    assert gs["Status"] == "ACTIVE" and gs["CurrentPlayerSessionCount"] == players
    assert gs["MaximumPlayerSessionCount"] == players + 1, "the teams, and AdditionalPlayerCount"
    data = json.loads(gs["MatchmakerData"])
    assert data["matchmakingConfigurationArn"] == config["ConfigurationArn"]
    assert sorted(t["name"] for t in data["teams"]) == ["blue", "red"]
    assert data["teams"][0]["players"][0]["attributes"]["skill"]["attributeType"] == "DOUBLE"
    # The match was placed by a placement of its own id, with the players' latencies.
    placement = gl.describe_game_session_placement(PlacementId=data["matchId"])["GameSessionPlacement"]
    assert placement["Status"] == "FULFILLED" and placement["GameSessionArn"] == arn
    assert sorted(l["PlayerId"] for l in placement["PlayerLatencies"]) == sorted(f"p{n}" for n in range(players))
    assert {l["RegionIdentifier"] for l in placement["PlayerLatencies"]} == {"us-west-2"}
    # The game session is an ordinary one: joined, updated, searched.
    gl.create_player_session(GameSessionId=arn, PlayerId="late-friend")
    gl.update_game_session(GameSessionId=arn, GameProperties=[{"Key": "map", "Value": "harbor"}])
    found = gl.search_game_sessions(FleetId="fleet-match", FilterExpression="gameSessionProperties.mode = 'ranked' AND gameSessionProperties.map = 'harbor'")
    assert [g["GameSessionId"] for g in found["GameSessions"]] == [arn]


def test_rules_keep_players_apart_and_a_ticket_times_out(em):
    gl = em.client()
    setup(gl, timeout=30)
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="casual", Players=[player("c", 20, mode="casual")])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="far", Players=[player("f", 90)])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="near", Players=[player("n", 22)])
    step(em)
    tickets = {t["TicketId"]: t for t in gl.describe_matchmaking(TicketIds=["casual", "far", "near"])["TicketList"]}
    # No two tickets keep every rule together: a mode apart, a skill apart.
    assert {k: t["Status"] for k, t in tickets.items()} == {"casual": "SEARCHING", "far": "SEARCHING", "near": "SEARCHING"}
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="close", Players=[player("o", 25)])
    step(em)
    tickets = {t["TicketId"]: t["Status"] for t in gl.describe_matchmaking(TicketIds=["far", "near", "close"])["TicketList"]}
    assert tickets == {"far": "SEARCHING", "near": "COMPLETED", "close": "COMPLETED"}
    advance(em, 31)
    late = gl.describe_matchmaking(TicketIds=["far", "casual"])["TicketList"]
    assert [t["Status"] for t in late] == ["TIMED_OUT", "TIMED_OUT"] and all("EndTime" in t for t in late)
    assert {(t["StatusReason"], t["StatusMessage"]) for t in late} == {("TimedOut", "Removed from matchmaking due to timing out.")}


def test_acceptance_rejection_and_stop(em):
    gl = em.client()
    setup(gl, acceptance=True)
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="a", Players=[player("pa", 20)])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="b", Players=[player("pb", 21)])
    step(em)
    tickets = gl.describe_matchmaking(TicketIds=["a", "b"])["TicketList"]
    assert [t["Status"] for t in tickets] == ["REQUIRES_ACCEPTANCE"] * 2
    code, message, _ = error_of(gl.accept_match, TicketId="a", PlayerIds=["pb"], AcceptanceType="ACCEPT")
    assert (code, message) == ("InvalidRequestException", "PlayerIds[1] is not a player of matchmaking ticket a")
    gl.accept_match(TicketId="a", PlayerIds=["pa"], AcceptanceType="ACCEPT")
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["a", "b"])["TicketList"]] == ["REQUIRES_ACCEPTANCE"] * 2
    gl.accept_match(TicketId="b", PlayerIds=["pb"], AcceptanceType="REJECT")
    tickets = gl.describe_matchmaking(TicketIds=["a", "b"])["TicketList"]
    assert [t["Status"] for t in tickets] == ["SEARCHING", "CANCELLED"]
    assert (tickets[1]["StatusReason"], tickets[1]["StatusMessage"]) == ("Cancelled", "A player rejected the match")
    assert "Team" not in tickets[0]["Players"][0]
    # A new partner, both accept: placed.
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="c", Players=[player("pc", 19)])
    step(em)
    gl.accept_match(TicketId="a", PlayerIds=["pa"], AcceptanceType="ACCEPT")
    gl.accept_match(TicketId="c", PlayerIds=["pc"], AcceptanceType="ACCEPT")
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["a", "c"])["TicketList"]] == ["COMPLETED"] * 2
    # A proposal nobody answers: dropped after AcceptanceTimeoutSeconds.
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="d", Players=[player("pd", 20)])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="e", Players=[player("pe", 20)])
    step(em)
    gl.accept_match(TicketId="d", PlayerIds=["pd"], AcceptanceType="ACCEPT")
    advance(em, 21)
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["d", "e"])["TicketList"]] == ["SEARCHING", "CANCELLED"]
    gl.stop_matchmaking(TicketId="d")
    stopped = gl.describe_matchmaking(TicketIds=["d"])["TicketList"][0]
    assert stopped["Status"] == "CANCELLED" and "EndTime" in stopped
    code, _, _ = error_of(gl.stop_matchmaking, TicketId="nope")
    assert code == "NotFoundException"


def test_standalone_matches_complete_without_a_game_session(em):
    gl = em.client()
    setup(gl, mode="STANDALONE")
    for n in range(2):
        gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"s{n}", Players=[player(f"s{n}", 30)])
    step(em)
    tickets = gl.describe_matchmaking(TicketIds=["s0", "s1"])["TicketList"]
    assert [t["Status"] for t in tickets] == ["COMPLETED"] * 2
    assert all("GameSessionConnectionInfo" not in t for t in tickets)
    assert gl.describe_game_sessions(FleetId="fleet-match")["GameSessions"] == []


def test_backfill_fills_the_game_session_a_match_made(em):
    gl = em.client()
    setup(gl)
    for n in range(2):
        gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"m{n}", Players=[player(f"m{n}", 20)])
    step(em)
    arn = gl.describe_matchmaking(TicketIds=["m0"])["TicketList"][0]["GameSessionConnectionInfo"]["GameSessionArn"]
    match_id = json.loads(gl.describe_game_sessions(GameSessionId=arn)["GameSessions"][0]["MatchmakerData"])["matchId"]
    current = [{"PlayerId": "m0", "Team": "red", "PlayerAttributes": {"skill": {"N": 20}, "mode": {"S": "ranked"}}},
               {"PlayerId": "m1", "Team": "blue", "PlayerAttributes": {"skill": {"N": 20}, "mode": {"S": "ranked"}}}]
    backfill = gl.start_match_backfill(ConfigurationName="teams-config", TicketId="bf", GameSessionArn=arn,
                                       Players=current)["MatchmakingTicket"]
    assert backfill["Status"] == "QUEUED", "as StartMatchmaking answers (SPEC 13)"
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="new1", Players=[player("n1", 21)])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="new2", Players=[player("n2", 22)])
    step(em)
    tickets = gl.describe_matchmaking(TicketIds=["bf", "new1", "new2"])["TicketList"]
    assert [t["Status"] for t in tickets] == ["COMPLETED"] * 3
    assert all(t["GameSessionConnectionInfo"]["GameSessionArn"] == arn for t in tickets)
    session = gl.describe_game_sessions(GameSessionId=arn)["GameSessions"][0]
    assert session["CurrentPlayerSessionCount"] == 4
    # The session's data names every player now in the match, under its match id.
    data = json.loads(session["MatchmakerData"])
    assert data["matchId"] == match_id
    assert sorted(p["playerId"] for team in data["teams"] for p in team["players"]) == ["m0", "m1", "n1", "n2"]


def test_backfill_refuses_a_session_flexmatch_did_not_make_through_the_configuration(em):
    gl = em.client()
    setup(gl)
    players = [{"PlayerId": "m0", "Team": "red"}]
    missing = "arn:aws:gamelift:us-west-2::gamesession/fleet-match/gs-nope"
    cases = [(missing, f"Game session {missing} does not exist"),
             ("not-an-arn", "Game session not-an-arn does not exist")]
    plain = gl.create_game_session(FleetId="fleet-match", MaximumPlayerSessionCount=4)["GameSession"]["GameSessionId"]
    cases.append((plain, f"Game session {plain} was not made by FlexMatch through the matchmaking configuration teams-config"))
    for n in range(2):
        gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"m{n}", Players=[player(f"m{n}", 20)])
    step(em)
    made = gl.describe_matchmaking(TicketIds=["m0"])["TicketList"][0]["GameSessionConnectionInfo"]["GameSessionArn"]
    gl.terminate_game_session(GameSessionId=made, TerminationMode="FORCE_TERMINATE")
    cases.append((made, f"Game session {made} is TERMINATED: only an ACTIVE game session can be backfilled"))
    for arn, message in cases:
        code, got, status = error_of(gl.start_match_backfill, ConfigurationName="teams-config", GameSessionArn=arn,
                                     Players=players)
        assert (code, got, status) == ("InvalidRequestException", message, 400)
    # Nothing was queued that could later fail.
    assert step(em)["Searching"] == 0


def test_a_players_new_ticket_cancels_the_older_one(em):
    gl = em.client()
    setup(gl)
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="first", Players=[player("dup", 20)])
    step(em)
    second = gl.start_matchmaking(ConfigurationName="teams-config", TicketId="second", Players=[player("dup", 20)])
    assert second["MatchmakingTicket"]["Status"] == "QUEUED"
    first = gl.describe_matchmaking(TicketIds=["first"])["TicketList"][0]
    assert (first["Status"], first["StatusReason"], first["StatusMessage"]) == (
        "CANCELLED", "Cancelled", "Cancelled due to duplicate player")
    assert "EndTime" in first


def test_an_unmatchable_ticket_holds_no_one_back(em):
    gl = em.client()
    rules = {**RULES, "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4},
                                {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
             "rules": [{"name": "near", "type": "latency", "maxLatency": 150}]}
    setup(gl, mode="STANDALONE", rules=rules)
    slow = player("slow", 20)
    slow["LatencyInMs"] = {"us-west-2": 300}
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="slow", Players=[slow])
    for n in range(40):
        gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"t{n}", Players=[player(f"p{n}", 20)])
    assert step(em) == {"Searching": 41, "Matches": 5, "GivenUp": 0}
    statuses = [t["Status"] for t in gl.describe_matchmaking(TicketIds=["slow"])["TicketList"]]
    assert statuses == ["SEARCHING"]
    completed = [t for n in range(0, 40, 10) for t in gl.describe_matchmaking(TicketIds=[f"t{i}" for i in range(n, n + 10)])["TicketList"]]
    assert [t["Status"] for t in completed] == ["COMPLETED"] * 40


def test_a_match_made_after_an_expansion_is_placed_at_its_size(em):
    gl = em.client()
    rules = {**RULES, "rules": [],
             "teams": [{"name": "red", "minPlayers": 2, "maxPlayers": 2}, {"name": "blue", "minPlayers": 2, "maxPlayers": 2}],
             "expansions": [{"target": "teams[red].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 3}]},
                            {"target": "teams[blue].maxPlayers", "steps": [{"waitTimeSeconds": 5, "value": 3}]}]}
    setup(gl, rules=rules, room=1)
    for n in range(6):
        gl.start_matchmaking(ConfigurationName="teams-config", TicketId=f"x{n}", Players=[player(f"x{n}", 20)])
    advance(em, 6)
    tickets = gl.describe_matchmaking(TicketIds=[f"x{n}" for n in range(6)])["TicketList"]
    assert [t["Status"] for t in tickets] == ["COMPLETED"] * 6
    arn = tickets[0]["GameSessionConnectionInfo"]["GameSessionArn"]
    session = gl.describe_game_sessions(GameSessionId=arn)["GameSessions"][0]
    assert (session["MaximumPlayerSessionCount"], session["CurrentPlayerSessionCount"]) == (7, 6)


def test_a_ticket_is_told_the_recent_average_wait(em):
    gl = em.client()
    setup(gl, mode="STANDALONE")
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="w0", Players=[player("w0", 20)])
    step(em)
    assert "EstimatedWaitTime" not in gl.describe_matchmaking(TicketIds=["w0"])["TicketList"][0], "no data yet"
    advance(em, 8)
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="w1", Players=[player("w1", 20)])
    step(em)
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["w0", "w1"])["TicketList"]] == ["COMPLETED"] * 2
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="w2", Players=[player("w2", 20)])
    step(em)
    # Waits of 8 and 0 seconds: 4 on average.
    assert gl.describe_matchmaking(TicketIds=["w2"])["TicketList"][0]["EstimatedWaitTime"] == 4


def test_rule_sets_are_validated_by_name(em):
    gl = em.client()
    assert gl.validate_matchmaking_rule_set(RuleSetBody=json.dumps(RULES))["Valid"] is True
    cases = [
        ("{", "Invalid rule set: EOF while parsing an object at line 1 column 1"),
        (json.dumps({"ruleLanguageVersion": "2.0", "teams": []}), 'Invalid rule set: ruleLanguageVersion must be "1.0"'),
        (json.dumps({**RULES, "rules": [{"name": "d", "type": "distance", "measurements": ["avg(teams[green].players.attributes[skill])"], "maxDistance": 1}]}),
         "Invalid rule set: rules[1].measurements[1]: 'avg(teams[green].players.attributes[skill])' names the team green, which teams does not declare"),
        (json.dumps({**RULES, "rules": [{"name": "d", "type": "distance", "measurements": ["teams[red].players.attributes[rank]"], "maxDistance": 1}]}),
         "Invalid rule set: rules[1].measurements[1]: 'teams[red].players.attributes[rank]' reads the attribute rank, which playerAttributes does not declare"),
        (json.dumps({**RULES, "rules": [{"name": "l", "type": "latency", "maxLatency": -1}]}),
         "Invalid rule set: rules[1].maxLatency must be at least 0, not -1"),
        (json.dumps({**RULES, "rules": [{"name": "l", "type": "latency", "maxLatency": 50, "maxLatencyy": 9}]}),
         "Invalid rule set: rules[1].maxLatencyy is not a member the rule set language defines here"),
        ('{"ruleLanguageVersion": "1.0", "teams": ' + "[" * 20000 + "]" * 20000 + "}",
         "Invalid rule set: the rule set nests values more than 32 levels deep"),
    ]
    for body, prefix in cases:
        code, message, _ = error_of(gl.validate_matchmaking_rule_set, RuleSetBody=body)
        assert code == "InvalidRequestException"
        assert message.startswith(prefix), message
    # Every rule type of the guide, and the guide's comments, are read.
    guide = (ROOT / "tests" / "guide").glob("example-*.json")
    for path in sorted(guide):
        assert gl.validate_matchmaking_rule_set(RuleSetBody=path.read_text())["Valid"] is True, path.name
    code, message, _ = error_of(gl.create_matchmaking_rule_set, Name="bad name", RuleSetBody=json.dumps(RULES))
    assert (code, message) == ("InvalidRequestException", "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-\\.]*$")
    gl.create_matchmaking_rule_set(Name="teams", RuleSetBody=json.dumps(RULES))
    code, _, _ = error_of(gl.create_matchmaking_rule_set, Name="teams", RuleSetBody=json.dumps(RULES))
    assert code == "InvalidRequestException"
    described = gl.describe_matchmaking_rule_sets(Names=["teams"])["RuleSets"]
    assert [r["RuleSetName"] for r in described] == ["teams"] and json.loads(described[0]["RuleSetBody"]) == RULES
    code, message, _ = error_of(gl.describe_matchmaking_rule_sets, Names=["missing"])
    assert (code, message) == ("NotFoundException", "Matchmaking rule set missing not found")


def test_configurations_are_validated_described_updated_and_deleted(em):
    gl = em.client()
    gl.create_matchmaking_rule_set(Name="teams", RuleSetBody=json.dumps(RULES))
    code, message, _ = error_of(gl.create_matchmaking_configuration, Name="c", RuleSetName="teams",
                                RequestTimeoutSeconds=50000, AcceptanceRequired=False, FlexMatchMode="STANDALONE")
    assert (code, message) == ("InvalidRequestException", "1 validation error detected: Value '50000' at 'requestTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")
    code, message, _ = error_of(gl.create_matchmaking_configuration, Name="c", RuleSetName="nope",
                                RequestTimeoutSeconds=5, AcceptanceRequired=False, FlexMatchMode="STANDALONE")
    assert (code, message) == ("NotFoundException", "Matchmaking rule set nope not found")
    code, message, _ = error_of(gl.create_matchmaking_configuration, Name="c", RuleSetName="teams",
                                RequestTimeoutSeconds=5, AcceptanceRequired=False)
    assert (code, message) == ("InvalidRequestException", "A WITH_QUEUE matchmaking configuration needs at least one GameSessionQueueArns entry")
    code, message, _ = error_of(gl.create_matchmaking_configuration, Name="c", RuleSetName="teams",
                                RequestTimeoutSeconds=5, AcceptanceRequired=False, FlexMatchMode="STANDALONE",
                                BackfillMode="AUTOMATIC")
    assert (code, message) == ("InvalidRequestException", "BackfillMode AUTOMATIC is not available when FlexMatchMode is STANDALONE")
    gl.create_matchmaking_configuration(Name="c", RuleSetName="teams", RequestTimeoutSeconds=5,
                                        AcceptanceRequired=False, FlexMatchMode="STANDALONE")
    updated = gl.update_matchmaking_configuration(Name="c", RequestTimeoutSeconds=9, Description="duels")["Configuration"]
    assert (updated["RequestTimeoutSeconds"], updated["Description"], updated["RuleSetName"]) == (9, "duels", "teams")
    assert [c["Name"] for c in gl.describe_matchmaking_configurations(RuleSetName="teams")["Configurations"]] == ["c"]
    code, message, _ = error_of(gl.delete_matchmaking_rule_set, Name="teams")
    assert (code, message) == ("InvalidRequestException", "Matchmaking rule set teams is used by the matchmaking configuration c")
    gl.delete_matchmaking_configuration(Name="c")
    gl.delete_matchmaking_rule_set(Name="teams")
    assert gl.describe_matchmaking_configurations()["Configurations"] == []


def test_start_matchmaking_checks_players(em):
    gl = em.client()
    setup(gl)
    code, message, _ = error_of(gl.start_matchmaking, ConfigurationName="teams-config",
                                Players=[{"PlayerId": f"p{n}"} for n in range(11)])
    assert code == "InvalidRequestException" and "'players' failed to satisfy constraint: Member must have length less than or equal to 10" in message
    code, message, _ = error_of(gl.start_matchmaking, ConfigurationName="teams-config",
                                Players=[{"PlayerId": "secret-player-1234", "PlayerAttributes": {"skill": {"S": "high"}}}])
    assert (code, message) == ("InvalidRequestException", "Players[1]: player attribute skill must be of type number")
    many = {"PlayerId": "many", "PlayerAttributes": {f"a{n}": {"N": n} for n in range(10_000)}}
    code, message, _ = error_of(gl.start_matchmaking, ConfigurationName="teams-config", Players=[many])
    assert code == "InvalidRequestException"
    assert "at 'players.1.member.playerAttributes' failed to satisfy constraint: Member must have length less than or equal to 32" in message
    code, message, _ = error_of(gl.start_matchmaking, ConfigurationName="nope", Players=[player("x", 1)])
    assert (code, message) == ("NotFoundException", "Matchmaking configuration nope not found")
    made = gl.start_matchmaking(ConfigurationName="teams-config", Players=[player("auto", 20)])["MatchmakingTicket"]
    assert made["TicketId"].startswith("ticket-")


def test_tickets_survive_kill_and_restart(em, tmp_path):
    gl = em.client()
    setup(gl, acceptance=True)
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="k1", Players=[player("k1", 20)])
    gl.start_matchmaking(ConfigurationName="teams-config", TicketId="k2", Players=[player("k2", 20)])
    step(em)
    gl.accept_match(TicketId="k1", PlayerIds=["k1"], AcceptanceType="ACCEPT")
    em.proc.send_signal(signal.SIGKILL)
    em.proc.wait()
    again = Emulator(tmp_path, "--fleet", "fleet-match=10", "--state", str(tmp_path / "state.json"), *STEPPED)
    try:
        gl = again.client()
        assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["k1", "k2"])["TicketList"]] == ["REQUIRES_ACCEPTANCE"] * 2
        gl.accept_match(TicketId="k2", PlayerIds=["k2"], AcceptanceType="ACCEPT")
        assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["k1", "k2"])["TicketList"]] == ["COMPLETED"] * 2
        again.stop()
        state = json.loads((tmp_path / "state.json").read_text())
        assert [t["Ticket"]["Status"] for t in state["MatchmakingTickets"]] == ["COMPLETED"] * 2
        assert [r["RuleSetName"] for r in state["MatchmakingRuleSets"]] == ["teams"]
    finally:
        if again.proc.poll() is None:
            again.stop()


def test_a_match_whose_placement_times_out_fails(em):
    gl = em.client()
    status, _, _ = http(em.url, "/_emulator/fleets", {"FleetId": "fleet-none", "Capacity": 0})
    assert status == 200
    code, message, _ = error_of(gl.create_game_session_queue, Name="no-room", TimeoutInSeconds=5,
                                Destinations=[{"DestinationArn": FLEET_ARN.format("fleet-none")}])
    assert (code, message) == ("InvalidRequestException", "1 validation error detected: Value '5' at 'timeoutInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 10")
    gl.create_game_session_queue(Name="no-room", TimeoutInSeconds=10,
                                 Destinations=[{"DestinationArn": FLEET_ARN.format("fleet-none")}])
    gl.create_matchmaking_rule_set(Name="teams", RuleSetBody=json.dumps(RULES))
    gl.create_matchmaking_configuration(
        Name="stuck", RuleSetName="teams", RequestTimeoutSeconds=60, AcceptanceRequired=False,
        GameSessionQueueArns=["arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/no-room"])
    for n in range(2):
        gl.start_matchmaking(ConfigurationName="stuck", TicketId=f"x{n}", Players=[player(f"x{n}", 20)])
    step(em)
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["x0", "x1"])["TicketList"]] == ["PLACING"] * 2
    code, message, _ = error_of(gl.stop_matchmaking, TicketId="x0")
    assert (code, message) == ("InvalidRequestException", "Matchmaking ticket x0 is PLACING and can no longer be stopped")
    advance(em, 11)
    tickets = gl.describe_matchmaking(TicketIds=["x0", "x1"])["TicketList"]
    assert [t["Status"] for t in tickets] == ["FAILED"] * 2
    assert tickets[0]["StatusMessage"] == "The match's game session placement is TIMED_OUT"
    assert tickets[0]["StatusReason"] == "UNEXPECTED_ERROR"
    assert gl.describe_game_sessions(FleetId="fleet-none")["GameSessions"] == []
