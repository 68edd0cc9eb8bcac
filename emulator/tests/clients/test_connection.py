"""Where players connect: an ACTIVE game session's IpAddress, Port and
DnsName, copied by its player sessions, one port per live session."""

import json

import pytest

from test_program import FLEET, Emulator, emulator, error_of, http  # noqa: F401 (a fixture)


def create(gl, **kw):
    return gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4, **kw)["GameSession"]


def connection(record):
    return record.get("IpAddress"), record.get("Port"), record.get("DnsName")


def test_an_active_session_and_its_players_say_where_to_connect(gamelift):
    gs = create(gamelift)
    assert gs["Status"] == "ACTIVE"
    ip, port, dns = connection(gs)
    assert ip == "127.0.0.1" and dns == "ec2-127-0-0-1.compute.amazonaws.com"
    assert 7777 <= port <= 60000
    described = gamelift.describe_game_sessions(GameSessionId=gs["GameSessionId"])["GameSessions"][0]
    assert connection(described) == (ip, port, dns)
    one = gamelift.create_player_session(GameSessionId=gs["GameSessionId"], PlayerId="connection-p1")["PlayerSession"]
    many = gamelift.create_player_sessions(GameSessionId=gs["GameSessionId"], PlayerIds=["connection-p2", "connection-p3"])["PlayerSessions"]
    listed = gamelift.describe_player_sessions(GameSessionId=gs["GameSessionId"])["PlayerSessions"]
    for p in [one, *many, *listed]:
        assert connection(p) == (ip, port, dns)
    found = gamelift.search_game_sessions(FleetId=FLEET, FilterExpression=f"gameSessionId = '{gs['GameSessionId']}'")
    assert connection(found["GameSessions"][0]) == (ip, port, dns)


def test_two_live_sessions_never_share_a_port_and_a_full_range_is_capacity(tmp_path):
    e = Emulator(tmp_path, "--game-server-ports", "7800-7802", "--game-server-address", "10.0.0.7",
                 "--game-server-dns-name", "gameserver.test")
    gl = e.client()
    sessions = [create(gl) for _ in range(3)]
    assert [connection(s) for s in sessions] == [("10.0.0.7", p, "gameserver.test") for p in (7800, 7801, 7802)]
    code, message, status = error_of(gl.create_game_session, FleetId=FLEET, MaximumPlayerSessionCount=4)
    assert (code, status) == ("FleetCapacityExceededException", 400)
    assert message == "No game server port is free: live game sessions hold every port from 7800 to 7802"
    # A session that is ending still holds its port; an ended one gives it up.
    gl.terminate_game_session(GameSessionId=sessions[1]["GameSessionId"], TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")
    assert error_of(gl.create_game_session, FleetId=FLEET, MaximumPlayerSessionCount=4)[0] == "FleetCapacityExceededException"
    http(e.url, "/_emulator/game-sessions/process-ended", {"GameSessionId": sessions[1]["GameSessionId"]})
    fresh = create(gl)
    assert fresh["Port"] == 7801
    ended = gl.describe_game_sessions(GameSessionId=sessions[1]["GameSessionId"])["GameSessions"][0]
    assert ended["Status"] == "TERMINATED" and ended["Port"] == 7801, "the record keeps where it was"
    live = [s["Port"] for s in gl.describe_game_sessions(FleetId=FLEET)["GameSessions"] if s["Status"] == "ACTIVE"]
    assert sorted(live) == [7800, 7801, 7802] and len(set(live)) == len(live)
    e.stop()


def test_the_control_api_names_where_the_game_server_listens(tmp_path):
    e = Emulator(tmp_path, "--activation", "never")
    gl = e.client()
    a, b, c = (create(gl)["GameSessionId"] for _ in range(3))
    assert connection(gl.describe_game_sessions(GameSessionId=a)["GameSessions"][0]) == (None, None, None)
    status, _, body = http(e.url, "/_emulator/game-sessions/activate",
                           {"GameSessionId": a, "IpAddress": "192.0.2.10", "Port": 4000})
    assert status == 200
    assert connection(json.loads(body)["GameSession"]) == ("192.0.2.10", 4000, "ec2-192-0-2-10.compute.amazonaws.com")
    # The same address and port again is refused, without echoing them; the session stays ACTIVATING.
    status, _, body = http(e.url, "/_emulator/game-sessions/activate",
                           {"GameSessionId": b, "IpAddress": "192.0.2.10", "Port": 4000})
    assert (status, json.loads(body)) == (400, {"__type": "InvalidRequestException",
                                                "Message": "Another live game session already listens at that IpAddress and Port"})
    assert gl.describe_game_sessions(GameSessionId=b)["GameSessions"][0]["Status"] == "ACTIVATING"
    status, _, body = http(e.url, "/_emulator/game-sessions/activate",
                           {"GameSessionId": b, "Port": 4000, "DnsName": "eu.game.test"})
    assert status == 200
    assert connection(json.loads(body)["GameSession"]) == ("127.0.0.1", 4000, "eu.game.test")
    for bad, message in [({"IpAddress": "not-an-ip"}, "IpAddress must be an IPv4 or IPv6 address"),
                         ({"Port": 0}, "Port must be from 1 to 60000"),
                         ({"Port": 70000}, "Port must be from 1 to 60000"),
                         ({"DnsName": ""}, "DnsName must have 1 to 253 characters")]:
        status, _, body = http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": c, **bad})
        assert (status, json.loads(body)["Message"]) == (400, message)
    http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": c})
    assert connection(gl.describe_game_sessions(GameSessionId=c)["GameSessions"][0])[1] == 7777
    e.stop()


def test_the_state_file_keeps_connections_and_no_port_is_handed_out_twice(tmp_path):
    state = tmp_path / "state.json"
    first = Emulator(tmp_path, "--state", str(state), "--game-server-ports", "7777-7779")
    gl = first.client()
    kept = [create(gl) for _ in range(2)]
    first.stop()
    second = Emulator(tmp_path, "--state", str(state), "--game-server-ports", "7777-7779")
    gl = second.client()
    for s in kept:
        assert connection(gl.describe_game_sessions(GameSessionId=s["GameSessionId"])["GameSessions"][0]) == connection(s)
    assert create(gl)["Port"] == 7779
    assert error_of(gl.create_game_session, FleetId=FLEET, MaximumPlayerSessionCount=4)[0] == "FleetCapacityExceededException"
    second.stop()


def test_a_fixture_with_two_live_sessions_on_one_port_is_refused(tmp_path):
    from test_program import run_cli
    from conftest import free_port
    state = tmp_path / "state.json"
    session = lambda n: {"GameSession": {"GameSessionId": f"arn:aws:gamelift:us-west-2::gamesession/{FLEET}/gs-{n}",
                                         "Status": "ACTIVE", "IpAddress": "127.0.0.1", "Port": 7777}}
    state.write_text(json.dumps({"Version": 1, "GameSessionDetails": [session(1), session(2)]}))
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr == (f"gamelift-emulator: state file {state}: GameSessionDetails[1] listens at the same "
                             "IpAddress and Port as GameSessionDetails[0], and both are live\n")


def test_create_logs_the_same_warnings_as_update(emulator):
    gl = emulator.client()
    gs = create(gl, GameProperties=[{"Key": "map.name", "Value": "harbor"}])
    gl.update_game_session(GameSessionId=gs["GameSessionId"], GameProperties=[{"Key": "map.size", "Value": "big"}])
    emulator.stop()
    log = emulator.log_text()
    assert (' WARN CreateGameSession: game property key "map.name" contains a period: it is stored, but searches cannot use it '
            f'game_session_id="{gs["GameSessionId"]}"\n') in log
    assert (' WARN UpdateGameSession: game property key "map.size" contains a period: it is stored, but searches cannot use it '
            f'game_session_id="{gs["GameSessionId"]}"\n') in log
    assert "harbor" not in log and "big" not in log


@pytest.mark.parametrize("form,message", [
    ("7777", "expected FIRST-LAST, two ports from 1 to 60000 with FIRST <= LAST"),
    ("9000-8000", "expected FIRST-LAST, two ports from 1 to 60000 with FIRST <= LAST"),
    ("0-10", "expected FIRST-LAST, two ports from 1 to 60000 with FIRST <= LAST"),
    ("7777-60001", "expected FIRST-LAST, two ports from 1 to 60000 with FIRST <= LAST"),
])
def test_a_bad_port_range_is_clap_error(form, message):
    from test_program import run_cli
    result = run_cli("--game-server-ports", form)
    assert result.returncode == 2
    assert f"invalid value '{form}' for '--game-server-ports <FIRST-LAST>': {message}" in result.stderr
