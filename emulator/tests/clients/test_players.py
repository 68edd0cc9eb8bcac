"""Player sessions through boto3: where the player limit and the creation
policy take effect, end to end."""

import json
import time

import pytest

from conftest import make_client
from test_program import FLEET, Emulator, error_of, http


@pytest.fixture
def manual(tmp_path):
    """An emulator whose game server leaves players RESERVED for 1 second."""
    e = Emulator(tmp_path, "--player-acceptance", "manual", "--reservation-timeout", "1")
    yield e
    if e.proc.poll() is None:
        e.stop()


def new_session(gl, maximum):
    return gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=maximum)["GameSession"]["GameSessionId"]


def count(gl, gid):
    return gl.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]["CurrentPlayerSessionCount"]


def test_players_join_until_full_and_a_batch_is_all_or_nothing(gamelift):
    gid = new_session(gamelift, 3)
    one = gamelift.create_player_session(GameSessionId=gid, PlayerId="alice", PlayerData="team=red")["PlayerSession"]
    assert one["PlayerSessionId"].startswith("psess-")
    assert (one["Status"], one["GameSessionId"], one["FleetId"], one["PlayerData"]) == ("RESERVED", gid, FLEET, "team=red")
    assert count(gamelift, gid) == 1
    code, message, status = error_of(gamelift.create_player_sessions, GameSessionId=gid, PlayerIds=["b", "c", "d"])
    assert (code, message, status) == ("GameSessionFullException", f"Game session {gid} is full: 1 of 3 players, 3 more requested", 400)
    assert count(gamelift, gid) == 1
    both = gamelift.create_player_sessions(GameSessionId=gid, PlayerIds=["b", "c"],
                                           PlayerDataMap={"c": "team=blue", "zz": "ignored"})["PlayerSessions"]
    assert [p["PlayerId"] for p in both] == ["b", "c"]
    assert "PlayerData" not in both[0] and both[1]["PlayerData"] == "team=blue"
    code, message, _ = error_of(gamelift.create_player_session, GameSessionId=gid, PlayerId="dave")
    assert (code, message) == ("GameSessionFullException", f"Game session {gid} is full: 3 of 3 players, 1 more requested")


def test_deny_all_then_accept_all_and_a_lowered_limit(endpoint, gamelift, tmp_path):
    gid = new_session(gamelift, 4)
    gamelift.create_player_sessions(GameSessionId=gid, PlayerIds=["a", "b", "c"])
    gamelift.update_game_session(GameSessionId=gid, PlayerSessionCreationPolicy="DENY_ALL")
    code, message, _ = error_of(gamelift.create_player_session, GameSessionId=gid, PlayerId="d")
    assert (code, message) == ("GameSessionFullException", f"Game session {gid} is not accepting new players (PlayerSessionCreationPolicy DENY_ALL)")
    gamelift.update_game_session(GameSessionId=gid, PlayerSessionCreationPolicy="ACCEPT_ALL")
    gamelift.create_player_session(GameSessionId=gid, PlayerId="d")
    # A limit below the count: accepted (with a warning in the log), and the next join is refused.
    updated = gamelift.update_game_session(GameSessionId=gid, MaximumPlayerSessionCount=2)["GameSession"]
    assert (updated["CurrentPlayerSessionCount"], updated["MaximumPlayerSessionCount"]) == (4, 2)
    code, message, _ = error_of(gamelift.create_player_session, GameSessionId=gid, PlayerId="e")
    assert (code, message) == ("GameSessionFullException", f"Game session {gid} is full: 4 of 2 players, 1 more requested")


def test_the_over_capacity_warning_reaches_the_log(tmp_path):
    e = Emulator(tmp_path)
    gl = e.client()
    gid = new_session(gl, 4)
    gl.create_player_sessions(GameSessionId=gid, PlayerIds=["a", "b", "c"])
    gl.update_game_session(GameSessionId=gid, MaximumPlayerSessionCount=1)
    assert e.stop() == 0
    warnings = [line for line in e.log_text().splitlines() if " WARN " in line]
    assert len(warnings) == 1 and "over capacity: 3 players are connected but at most 1 are allowed" in warnings[0]


def test_joins_need_an_active_session_that_exists(tmp_path, gamelift):
    e = Emulator(tmp_path, "--activation", "never")
    try:
        gl = e.client()
        gid = new_session(gl, 2)
        code, message, _ = error_of(gl.create_player_session, GameSessionId=gid, PlayerId="a")
        assert (code, message) == ("InvalidGameSessionStatusException",
                                   f"Game session {gid} is in status ACTIVATING; players can join only ACTIVE game sessions")
    finally:
        assert e.stop() == 0
    gid = new_session(gamelift, 2)
    gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
    code, message, _ = error_of(gamelift.create_player_sessions, GameSessionId=gid, PlayerIds=["a"])
    assert (code, message) == ("InvalidGameSessionStatusException",
                               f"Game session {gid} is in status TERMINATED; players can join only ACTIVE game sessions")
    missing = gid.rsplit("/", 1)[0] + "/missing"
    code, message, _ = error_of(gamelift.create_player_session, GameSessionId=missing, PlayerId="a")
    assert (code, message) == ("NotFoundException", f"Game session {missing} not found")


def test_a_reservation_that_times_out_frees_its_slot(manual):
    gl = manual.client()
    gid = new_session(gl, 1)
    reserved = gl.create_player_session(GameSessionId=gid, PlayerId="slow")["PlayerSession"]
    assert reserved["Status"] == "RESERVED"
    assert error_of(gl.create_player_session, GameSessionId=gid, PlayerId="next")[0] == "GameSessionFullException"
    time.sleep(1.3)
    assert count(gl, gid) == 0
    timed = gl.describe_player_sessions(PlayerSessionId=reserved["PlayerSessionId"])["PlayerSessions"][0]
    assert timed["Status"] == "TIMEDOUT" and "TerminationTime" in timed
    joined = gl.create_player_session(GameSessionId=gid, PlayerId="next")["PlayerSession"]
    # The control API plays the game server: accept, then remove.
    status, _, body = http(manual.url, "/_emulator/player-sessions/accept", {"PlayerSessionId": joined["PlayerSessionId"]})
    assert status == 200 and json.loads(body)["PlayerSession"]["Status"] == "ACTIVE"
    time.sleep(1.3)
    assert count(gl, gid) == 1, "an accepted player does not time out"
    status, _, body = http(manual.url, "/_emulator/player-sessions/remove", {"PlayerSessionId": joined["PlayerSessionId"]})
    assert status == 200 and json.loads(body)["PlayerSession"]["Status"] == "COMPLETED"
    assert count(gl, gid) == 0
    status, _, body = http(manual.url, "/_emulator/player-sessions/remove", {"PlayerSessionId": joined["PlayerSessionId"]})
    assert (status, json.loads(body)["Message"]) == (400, f"Player session {joined['PlayerSessionId']} is in status COMPLETED; only a RESERVED or ACTIVE player session can end")
    status, _, body = http(manual.url, "/_emulator/player-sessions/accept", {"PlayerSessionId": "psess-none"})
    assert (status, json.loads(body)["__type"]) == (400, "NotFoundException")


def test_the_end_of_a_game_session_completes_its_players(gamelift):
    gid = new_session(gamelift, 3)
    gamelift.create_player_sessions(GameSessionId=gid, PlayerIds=["a", "b"])
    gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
    players = gamelift.describe_player_sessions(GameSessionId=gid)["PlayerSessions"]
    assert [p["Status"] for p in players] == ["COMPLETED", "COMPLETED"]
    assert all("TerminationTime" in p for p in players)
    assert count(gamelift, gid) == 0


def test_describe_by_each_selector_filter_and_paginator(gamelift):
    gid = new_session(gamelift, 10)
    made = gamelift.create_player_sessions(GameSessionId=gid, PlayerIds=[f"p{i}" for i in range(5)])["PlayerSessions"]
    ids = [p["PlayerSessionId"] for p in made]
    by_game = gamelift.describe_player_sessions(GameSessionId=gid, Limit=2)
    assert [p["PlayerSessionId"] for p in by_game["PlayerSessions"]] == ids[:2] and by_game["NextToken"] == ids[1]
    pages = gamelift.get_paginator("describe_player_sessions").paginate(GameSessionId=gid, PaginationConfig={"PageSize": 2})
    assert [p["PlayerSessionId"] for page in pages for p in page["PlayerSessions"]] == ids
    assert gamelift.describe_player_sessions(GameSessionId=gid, PlayerSessionStatusFilter="RESERVED")["PlayerSessions"] == []
    assert len(gamelift.describe_player_sessions(GameSessionId=gid, PlayerSessionStatusFilter="ACTIVE")["PlayerSessions"]) == 5
    assert [p["PlayerSessionId"] for p in gamelift.describe_player_sessions(PlayerId="p3")["PlayerSessions"]] == [ids[3]]
    assert [p["PlayerSessionId"] for p in gamelift.describe_player_sessions(PlayerSessionId=ids[4], Limit=1)["PlayerSessions"]] == [ids[4]]
    code, message, _ = error_of(gamelift.describe_player_sessions, GameSessionId=gid, PlayerSessionStatusFilter="GONE")
    assert (code, message) == ("InvalidRequestException", "PlayerSessionStatusFilter 'GONE' is not one of [RESERVED, ACTIVE, COMPLETED, TIMEDOUT]")
    code, message, _ = error_of(gamelift.describe_player_sessions)
    assert (code, message) == ("InvalidRequestException", "Specify a GameSessionId, a PlayerId or a PlayerSessionId")


def test_validation_failures_never_echo_players(raw, gamelift):
    gid = new_session(gamelift, 30)
    code, message, _ = error_of(raw.create_player_session, GameSessionId=gid, PlayerId="", PlayerData="secret-" * 400)
    assert (code, message) == ("InvalidRequestException",
        "2 validation errors detected: Value at 'playerId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        "Value at 'playerData' failed to satisfy constraint: Member must have length less than or equal to 2048")
    code, message, _ = error_of(raw.create_player_sessions, GameSessionId=gid, PlayerIds=[f"secret-{i}" for i in range(26)])
    assert (code, message) == ("InvalidRequestException",
        "1 validation error detected: Value at 'playerIds' failed to satisfy constraint: Member must have length less than or equal to 25")
    code, message, _ = error_of(raw.create_player_sessions, GameSessionId=gid, PlayerIds=["secret-a", "secret-a"])
    assert (code, message) == ("InvalidRequestException", "PlayerIds.2 repeats an earlier player id: a player joins once")
    gamelift.create_player_session(GameSessionId=gid, PlayerId="secret-b")
    code, message, _ = error_of(gamelift.create_player_session, GameSessionId=gid, PlayerId="secret-b")
    assert (code, message) == ("InvalidRequestException", f"A player in the request already holds a player session in game session {gid}")
    code, message, _ = error_of(raw.describe_player_sessions, PlayerSessionId="secret x")
    assert message == ("1 validation error detected: Value 'secret x' at 'playerSessionId' failed to satisfy constraint: "
                       "Member must satisfy regular expression pattern: ^psess-\\S+$")


def test_player_sessions_are_part_of_the_state_file(tmp_path):
    state = tmp_path / "state.json"
    first = Emulator(tmp_path, "--state", str(state))
    gl = first.client()
    gid = new_session(gl, 4)
    gl.create_player_sessions(GameSessionId=gid, PlayerIds=["a", "b"])
    assert first.stop() == 0
    assert [p["PlayerId"] for p in json.loads(state.read_text())["PlayerSessions"]] == ["a", "b"]
    second = Emulator(tmp_path, "--state", str(state))
    try:
        gl = second.client()
        assert count(gl, gid) == 2
        assert len(gl.describe_player_sessions(GameSessionId=gid)["PlayerSessions"]) == 2
        code, _, _ = error_of(gl.create_player_session, GameSessionId=gid, PlayerId="a")
        assert code == "InvalidRequestException"
    finally:
        assert second.stop() == 0


@pytest.mark.parametrize("mode", ["immediate", "manual"])
def test_a_new_player_session_answers_reserved_in_both_modes(tmp_path, mode):
    """GameLift answers every new player session RESERVED; with `immediate`
    the simulated game server accepts it right after the answer."""
    e = Emulator(tmp_path, "--player-acceptance", mode)
    gl = e.client()
    gid = new_session(gl, 4)
    one = gl.create_player_session(GameSessionId=gid, PlayerId="alice")["PlayerSession"]
    many = gl.create_player_sessions(GameSessionId=gid, PlayerIds=["bob", "carol"])["PlayerSessions"]
    assert [p["Status"] for p in [one, *many]] == ["RESERVED"] * 3
    assert all("TerminationTime" not in p for p in [one, *many])
    later = gl.describe_player_sessions(GameSessionId=gid)["PlayerSessions"]
    expected = "ACTIVE" if mode == "immediate" else "RESERVED"
    assert [(p["PlayerSessionId"], p["Status"]) for p in later] == [(p["PlayerSessionId"], expected) for p in [one, *many]]
    assert count(gl, gid) == 3
    e.stop()
