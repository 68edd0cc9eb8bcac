"""SearchGameSessions through boto3, the AWS CLI and raw JSON 1.1: the
search reads what UpdateGameSession, player sessions and termination
write, on the live store."""

import json
import itertools

import pytest

from conftest import make_client
from test_emulator import aws as cli
from test_program import Emulator, aws, error_of, http

_fleets = itertools.count(1)


@pytest.fixture
def fleet():
    """A fleet of its own for each test: the session-wide emulator is shared."""
    return f"fleet-search{next(_fleets)}"


def create(gl, fleet, name, maximum=4, **props):
    return gl.create_game_session(
        FleetId=fleet, Name=name, MaximumPlayerSessionCount=maximum,
        GameProperties=[{"Key": k.replace("__", "."), "Value": v} for k, v in props.items()],
    )["GameSession"]["GameSessionId"]


def names(gl, fleet, **kwargs):
    return [g["Name"] for g in gl.search_game_sessions(FleetId=fleet, **kwargs)["GameSessions"]]


def test_filters_and_sorts_on_properties_set_by_update(gamelift, fleet):
    a = create(gamelift, fleet, "a", 4, mode="casual")
    b = create(gamelift, fleet, "b", 8, mode="casual")
    create(gamelift, fleet, "c", 6, mode="ranked")
    ranked = "gameSessionProperties.mode = 'ranked'"
    assert names(gamelift, fleet, FilterExpression=ranked) == ["c"]
    gamelift.update_game_session(GameSessionId=a, GameProperties=[{"Key": "mode", "Value": "ranked"}])
    assert names(gamelift, fleet, FilterExpression=ranked) == ["a", "c"]
    assert names(gamelift, fleet, FilterExpression=ranked, SortExpression="maximumSessions DESC") == ["c", "a"]
    gamelift.update_game_session(GameSessionId=b, MaximumPlayerSessionCount=20, Name="b2")
    assert names(gamelift, fleet, FilterExpression="maximumSessions >= 10") == ["b2"]
    assert names(gamelift, fleet, SortExpression="gameSessionName DESC") == ["c", "b2", "a"]
    # The documented double-quoted form, and an operator without spaces.
    assert names(gamelift, fleet, FilterExpression='gameSessionProperties.mode="casual"') == ["b2"]


def test_a_session_leaves_has_available_player_sessions_when_denying_or_full(gamelift, fleet):
    gid = create(gamelift, fleet, "room", 2)
    create(gamelift, fleet, "other", 2)
    open_ = "hasAvailablePlayerSessions = true"
    assert names(gamelift, fleet, FilterExpression=open_) == ["room", "other"]
    gamelift.update_game_session(GameSessionId=gid, PlayerSessionCreationPolicy="DENY_ALL")
    assert names(gamelift, fleet, FilterExpression=open_) == ["other"]
    assert names(gamelift, fleet, FilterExpression="hasAvailablePlayerSessions = false") == ["room"]
    gamelift.update_game_session(GameSessionId=gid, PlayerSessionCreationPolicy="ACCEPT_ALL")
    assert names(gamelift, fleet, FilterExpression=open_) == ["room", "other"]
    gamelift.create_player_sessions(GameSessionId=gid, PlayerIds=["p1", "p2"])
    assert names(gamelift, fleet, FilterExpression=open_) == ["other"]
    assert names(gamelift, fleet, FilterExpression="playerSessionCount = 2") == ["room"]
    # A lower limit with players seated: full, and still found by its count.
    gamelift.update_game_session(GameSessionId=gid, MaximumPlayerSessionCount=1)
    assert names(gamelift, fleet, FilterExpression="playerSessionCount > 1 AND maximumSessions = 1") == ["room"]


def test_a_terminated_session_is_not_found(gamelift, fleet):
    gid = create(gamelift, fleet, "gone")
    create(gamelift, fleet, "stays")
    gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
    assert names(gamelift, fleet) == ["stays"]


def test_a_period_key_is_absent_from_results_but_described(gamelift, fleet):
    gid = create(gamelift, fleet, "harbor", mode="ranked", map__name="harbor")
    found = gamelift.search_game_sessions(FleetId=fleet)["GameSessions"][0]
    assert found["GameProperties"] == [{"Key": "mode", "Value": "ranked"}]
    described = gamelift.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]
    assert {"Key": "map.name", "Value": "harbor"} in described["GameProperties"]
    assert names(gamelift, fleet, FilterExpression="gameSessionProperties.map.name = 'harbor'") == []
    assert names(gamelift, fleet, FilterExpression="gameSessionProperties.map.name <> 'harbor'") == ["harbor"]


def test_the_paginator_walks_every_page_in_order(gamelift, fleet):
    for i in range(25):
        create(gamelift, fleet, f"g{i:02}", maximum=1 + i % 5)
    first = gamelift.search_game_sessions(FleetId=fleet)
    assert len(first["GameSessions"]) == 20
    assert first["NextToken"] == first["GameSessions"][-1]["GameSessionId"], "the token names the page's last session"
    assert len(gamelift.search_game_sessions(FleetId=fleet, Limit=100)["GameSessions"]) == 20
    pages = gamelift.get_paginator("search_game_sessions").paginate(
        FleetId=fleet, SortExpression="maximumSessions DESC", PaginationConfig={"PageSize": 7})
    seen = [[g["Name"] for g in page["GameSessions"]] for page in pages]
    assert [len(p) for p in seen] == [7, 7, 7, 4]
    flat = [n for p in seen for n in p]
    expected = sorted((f"g{i:02}" for i in range(25)), key=lambda n: (-(1 + int(n[1:]) % 5), n))
    assert flat == expected


def test_errors_are_awss(raw, fleet):
    cases = [
        (dict(), "Each request must reference either a FleetId or an AliasId, but not both"),
        (dict(FleetId=fleet, AliasId="alias-1"), "Each request must reference either a FleetId or an AliasId, but not both"),
        (dict(FleetId=fleet, Limit=0), "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"),
        (dict(FleetId=fleet, FilterExpression="gameSessionName < 'x'"),
         "FilterExpression is invalid at character 17: expected = or <> for a string operand, found <"),
        (dict(FleetId=fleet, FilterExpression="maximumSessions >= 10 AND"),
         "FilterExpression is invalid at character 26: expected an operand (gameSessionId, gameSessionName, "
         "gameSessionProperties.<key>, maximumSessions, creationTimeMillis, playerSessionCount or "
         "hasAvailablePlayerSessions), found the end of the expression"),
        (dict(FleetId=fleet, SortExpression="maximumSessions"),
         "SortExpression is invalid at character 16: expected ASC or DESC, found the end of the expression"),
        (dict(FleetId=fleet, NextToken="nope"), "Invalid NextToken: nope"),
    ]
    for kwargs, message in cases:
        assert error_of(raw.search_game_sessions, **kwargs) == ("InvalidRequestException", message, 400), kwargs
    assert error_of(raw.search_game_sessions, AliasId="alias-none") == ("NotFoundException", "Alias alias-none not found", 400)


def test_raw_json_and_the_aws_cli(endpoint, fleet):
    gl = make_client(endpoint)
    create(gl, fleet, "cli", 4, mode="ranked")
    status, _, body = aws(endpoint, "SearchGameSessions", {"FleetId": fleet, "FilterExpression": "gameSessionProperties.mode = 'ranked'"})
    assert status == 200
    assert [g["Name"] for g in json.loads(body)["GameSessions"]] == ["cli"]
    status, _, body = aws(endpoint, "SearchGameSessions", {"FleetId": fleet, "Limit": "5"})
    assert (status, json.loads(body)["__type"]) == (400, "SerializationException")
    code, out, err = cli(endpoint, "search-game-sessions", "--fleet-id", fleet, "--filter-expression", "hasAvailablePlayerSessions = true")
    assert code == 0, err
    assert [g["Name"] for g in json.loads(out)["GameSessions"]] == ["cli"]


def test_the_500_key_index_leaves_later_keys_out(tmp_path):
    e = Emulator(tmp_path)
    try:
        gl = e.client()
        fleet = "fleet-keys"
        for i in range(32):
            gl.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2, Name=f"s{i}",
                                   GameProperties=[{"Key": f"k{i * 16 + j}", "Value": "v"} for j in range(16)])
        status, _, body = http(e.url, "/_emulator/search-index")
        index = json.loads(body)
        assert (status, index["Capacity"], index["IndexedKeys"]) == (200, 500, 500)
        assert index["LeftOutKeys"] == [f"k{k}" for k in range(500, 512)]
        assert names(gl, fleet, FilterExpression="gameSessionProperties.k499 = 'v'") == ["s31"]
        assert names(gl, fleet, FilterExpression="gameSessionProperties.k500 = 'v'") == []
        last = gl.search_game_sessions(FleetId=fleet, FilterExpression="gameSessionName = 's31'")["GameSessions"][0]
        assert [p["Key"] for p in last["GameProperties"]] == ["k496", "k497", "k498", "k499"]
        described = gl.describe_game_sessions(GameSessionId=last["GameSessionId"])["GameSessions"][0]
        assert len(described["GameProperties"]) == 16
        http(e.url, "/_emulator/reset", b"")
        assert json.loads(http(e.url, "/_emulator/search-index")[2])["IndexedKeys"] == 0
    finally:
        e.stop()


def test_a_search_never_sees_half_an_update(tmp_path):
    """Searches scan outside the store's lock, on copies: every session a
    search returns is as it was before or after each update, never between."""
    import threading
    e = Emulator(tmp_path)
    gl = e.client()
    fleet = "fleet-0a7b1c2d"
    ids = [gl.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=4,
                                  GameProperties=[{"Key": "a", "Value": "0"}, {"Key": "b", "Value": "0"}])["GameSession"]["GameSessionId"]
           for _ in range(20)]
    stop = threading.Event()
    errors = []

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            aws(e.url, "UpdateGameSession", {"GameSessionId": ids[n % len(ids)], "GameProperties": [
                {"Key": "a", "Value": str(n)}, {"Key": "b", "Value": str(n)}]})

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(150):
            status, _, body = aws(e.url, "SearchGameSessions", {"FleetId": fleet, "Limit": 20})
            assert status == 200
            for gs in json.loads(body)["GameSessions"]:
                props = {p["Key"]: p["Value"] for p in gs["GameProperties"]}
                if props["a"] != props["b"]:
                    errors.append(props)
    finally:
        stop.set()
        for t in threads:
            t.join()
        e.stop()
    assert errors == [], errors[:3]
