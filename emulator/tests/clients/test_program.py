"""The gamelift-emulator binary as a program: command line, signals, state
file, control API, logs, and slow or idle clients."""

import json
import os
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import botocore.exceptions
import pytest

from conftest import BINARY, free_port, make_client, wait_for

FLEET = "fleet-1a2b3c4d"


# Every emulator a test starts, so that one left running by a failed test
# is ended (conftest's end_emulators_left_running).
STARTED = []


class Emulator:
    """One emulator process with its own port and log file."""

    def __init__(self, tmp_path, *args, limit_files=None, env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"emulator-{self.port}.log"
        self.log = open(self.log_path, "w")
        preexec = None
        if limit_files:
            preexec = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit_files, limit_files))
        self.proc = subprocess.Popen(
            [str(BINARY), "--port", str(self.port), *args],
            stderr=self.log,
            preexec_fn=preexec,
            env={**os.environ, **(env or {})},
        )
        STARTED.append(self)
        wait_for(self.port, self.proc, f"the emulator did not start; see {self.log_path}")

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        self.log.close()
        return code

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()

    def client(self):
        return make_client(self.url)


@pytest.fixture
def emulator(tmp_path):
    e = Emulator(tmp_path)
    yield e
    if e.proc.poll() is None:
        e.stop()


def http(url, path, body=None, headers=None, method=None):
    """A request: (status, headers, body bytes). A control request is JSON,
    as the control API requires, unless `headers` says otherwise."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    headers = dict(headers or {})
    if path.startswith("/_emulator/") and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method or ("POST" if data is not None else "GET"))
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def aws(url, operation, body):
    return http(url, "/", body, {"X-Amz-Target": f"GameLift.{operation}", "Content-Type": "application/x-amz-json-1.1"})


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    e = info.value.response
    return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]


def run_cli(*args, **kwargs):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=20, **kwargs)


# -- the command line -----------------------------------------------------------


def test_help_and_version_exit_zero():
    shown = run_cli("--help")
    assert shown.returncode == 0
    assert shown.stdout.startswith("A local Amazon GameLift endpoint")
    assert "Usage: gamelift-emulator [OPTIONS]" in shown.stdout
    for flag in ("--port", "--bind", "--region", "--activation", "--state", "--request-timeout", "--version",
                 "--game-server-address", "--game-server-dns-name", "--game-server-ports", "--fleet", "--allow-host"):
        assert flag in shown.stdout
    version = run_cli("--version")
    assert (version.returncode, version.stdout) == (0, "gamelift-emulator 0.1.0\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port"], "error: a value is required for '--port <PORT>' but none was supplied"),
        (["--port", "99999"], "error: invalid value '99999' for '--port <PORT>': 99999 is not in 0..=65535"),
        (["--activation", "later"], "error: invalid value 'later' for '--activation <ACTIVATION>'"),
        (["--bind", "localhost"], "error: invalid value 'localhost' for '--bind <BIND>': invalid IP address syntax"),
        (["--request-timeout", "0"], "error: invalid value '0' for '--request-timeout <SECONDS>': expected a number of seconds above 0 and at most 86400"),
        (["--frobnicate"], "error: unexpected argument '--frobnicate' found"),
    ],
)
def test_argument_errors_name_the_argument(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == message
    assert result.stdout == ""


@pytest.mark.parametrize("form", ["--port=N", "GAMELIFT_EMULATOR_PORT"])
def test_port_forms(form):
    port = free_port()
    if form == "--port=N":
        proc = subprocess.Popen([str(BINARY), f"--port={port}"], stderr=subprocess.DEVNULL)
    else:
        env = {**os.environ, "GAMELIFT_EMULATOR_PORT": str(port)}
        proc = subprocess.Popen([str(BINARY)], stderr=subprocess.DEVNULL, env=env)
    try:
        wait_for(port, proc)
        assert aws(f"http://127.0.0.1:{port}", "DescribeGameSessions", {"FleetId": FLEET})[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_a_port_in_use_is_one_sentence():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--port", str(port))
    assert result.returncode == 1
    assert result.stderr == f"gamelift-emulator: cannot listen on 127.0.0.1:{port}: the address is already in use\n"


def test_an_address_of_no_interface_is_one_sentence():
    result = run_cli("--bind", "192.0.2.1", "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.startswith("gamelift-emulator: cannot listen on 192.0.2.1:")
    assert result.stderr.endswith(": no interface of this machine has that address\n")


def test_region_names_every_arn(tmp_path):
    e = Emulator(tmp_path, "--region", "eu-west-1")
    try:
        gs = e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]
        assert gs["GameSessionId"].startswith(f"arn:aws:gamelift:eu-west-1::gamesession/{FLEET}/")
        assert gs["FleetArn"] == f"arn:aws:gamelift:eu-west-1:123456789012:fleet/{FLEET}"
    finally:
        assert e.stop() == 0


# -- signals and the state file -------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT])
def test_a_signal_shuts_down_cleanly_and_saves_state(tmp_path, sig):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4, Name="kept")
    assert not state.exists(), "the snapshot is written at shutdown"
    journal = (tmp_path / "state.json.journal").read_text().splitlines()
    assert json.loads(journal[0]) == {"Journal": 2}, "a journal begins with its version"
    assert len(journal) == 2 and json.loads(journal[1])["Seq"] == 1, "the change is in the journal before its answer"
    assert e.stop(sig) == 0
    saved = json.loads(state.read_text())
    assert saved["Version"] == 1
    assert [d["GameSession"]["Name"] for d in saved["GameSessionDetails"]] == ["kept"]
    assert "state saved to" in e.log_text()
    assert not list(tmp_path.glob("state.json.*.tmp")), "no temporary file is left"


def test_state_round_trips_byte_for_byte(tmp_path):
    state = tmp_path / "state.json"
    first = Emulator(tmp_path, "--state", str(state))
    gl = first.client()
    a = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4, Name="a",
                               GameProperties=[{"Key": "mode", "Value": "ranked"}])["GameSession"]
    gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=6, Name="b")
    gl.update_game_session(GameSessionId=a["GameSessionId"], ProtectionPolicy="FullProtection",
                           GameProperties=[{"Key": "map.name", "Value": "harbor"}])
    before = aws(first.url, "DescribeGameSessionDetails", {"FleetId": FLEET})
    assert first.stop() == 0

    second = Emulator(tmp_path, "--state", str(state))
    after = aws(second.url, "DescribeGameSessionDetails", {"FleetId": FLEET})
    assert after[0] == before[0] == 200
    assert after[2] == before[2]
    # The restored sessions take updates as before.
    second.client().update_game_session(GameSessionId=a["GameSessionId"], Name="a2")
    assert second.stop() == 0
    names = [d["GameSession"]["Name"] for d in json.loads(state.read_text())["GameSessionDetails"]]
    assert names == ["a2", "b"]


def test_idempotency_tokens_outlive_a_restart(tmp_path):
    state = tmp_path / "state.json"
    first = Emulator(tmp_path, "--state", str(state))
    gs = first.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4, IdempotencyToken="match-7")["GameSession"]
    assert first.stop() == 0
    assert list(json.loads(state.read_text())["CreateRequests"]) == [gs["GameSessionId"]]
    second = Emulator(tmp_path, "--state", str(state))
    try:
        gl = second.client()
        again = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4, IdempotencyToken="match-7")["GameSession"]
        assert again == gs
        code, message, status = error_of(gl.create_game_session, FleetId=FLEET, MaximumPlayerSessionCount=5, IdempotencyToken="match-7")
        assert (code, message, status) == ("IdempotentParameterMismatchException",
                                           "A game session with this custom ID string already exists in this fleet", 400)
    finally:
        assert second.stop() == 0


def test_a_hand_written_fixture_is_loaded(tmp_path):
    state = tmp_path / "fixture.json"
    gid = f"arn:aws:gamelift:us-west-2::gamesession/{FLEET}/gs-fixture"
    state.write_text(json.dumps({
        "Version": 1,
        "GameSessionDetails": [{
            "GameSession": {"GameSessionId": gid, "FleetId": FLEET, "Status": "ACTIVE",
                            "MaximumPlayerSessionCount": 8, "CurrentPlayerSessionCount": 0,
                            "PlayerSessionCreationPolicy": "ACCEPT_ALL", "CreationTime": 1764000000.0,
                            "GameProperties": [{"Key": "mode", "Value": "ranked"}]},
            "ProtectionPolicy": "NoProtection",
        }],
    }))
    e = Emulator(tmp_path, "--state", str(state))
    try:
        gs = e.client().update_game_session(GameSessionId=gid, Name="from a fixture")["GameSession"]
        assert gs["GameProperties"] == [{"Key": "mode", "Value": "ranked"}]
        assert gs["CreationTime"].timestamp() == 1764000000.0
    finally:
        assert e.stop() == 0


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{not json", "is not a valid state file: key must be a string at line 1 column 2"),
        ('{"Version": 2}', "was written by a newer emulator (Version 2; this one reads version 1)"),
        ('{"Version": 2, "Fleets": []}', "was written by a newer emulator (Version 2; this one reads version 1)"),
        ('{"Version": 0}', "unsupported Version 0 (this emulator reads version 1)"),
        ('{"GameSessionDetails": []}', "is not a valid state file: missing field `Version` at line 1 column 26"),
        ('{"Version": 1, "Sessions": []}', "is not a valid state file: unknown field `Sessions`, expected one of `Version`, `GameSessionDetails`, `CreateRequests`, `PlayerSessions`, `Aliases`, `GameSessionQueues`, `GameSessionPlacements`, `DesiredPlayerSessions`, `Fleets`, `Locations`, `CreatedFleets`, `Computes`, `MatchmakingRuleSets`, `MatchmakingConfigurations`, `MatchmakingTickets`, `JournalSequence` at line 1 column 25"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"Name": "x"}}]}', "GameSessionDetails[0] has no GameSession.GameSessionId"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a"}}, {"GameSession": {"GameSessionId": "a"}}]}',
         "GameSessionDetails[1] repeats the GameSessionId a"),
        # Contradictions and values the API would refuse, each named by its record.
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a", "CurrentPlayerSessionCount": 3}}]}',
         "GameSessionDetails[0] says CurrentPlayerSessionCount 3, but 0 of its PlayerSessions are RESERVED or ACTIVE"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a"}}], "PlayerSessions": ['
         '{"PlayerSessionId": "psess-1", "GameSessionId": "a", "PlayerId": "p", "Status": "COMPLETED"},'
         '{"PlayerSessionId": "psess-1", "GameSessionId": "a", "PlayerId": "q", "Status": "COMPLETED"}]}',
         "PlayerSessions[1] repeats the PlayerSessionId psess-1"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a"}}], "PlayerSessions": ['
         '{"PlayerSessionId": "p-1", "GameSessionId": "a", "PlayerId": "p", "Status": "COMPLETED"}]}',
         "PlayerSessions[0] breaks the API's rules: 1 validation error detected: Value 'p-1' at 'playerSessionId' "
         "failed to satisfy constraint: Member must satisfy regular expression pattern: ^psess-\\S+$"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a b"}}]}',
         "GameSessionDetails[0] breaks the API's rules: 1 validation error detected: Value 'a b' at 'gameSessionId' "
         "failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/-]+$"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a", "GameProperties": ['
         + ",".join(f'{{"Key": "k{i}", "Value": "v"}}' for i in range(17)) + ']}}]}',
         "GameSessionDetails[0] breaks the API's rules: 1 validation error detected: Value at 'gameProperties' "
         "failed to satisfy constraint: Member must have length less than or equal to 16"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a", "Nmae": "typo"}}]}',
         "has an unknown member GameSessionDetails[0].GameSession.Nmae"),
        ('{"Version": 1, "GameSessionDetails": [{"GameSession": {"GameSessionId": "a", "GameProperties": [{"Key": "k", "Value": "v", "Extra": 1}]}}]}',
         "has an unknown member GameSessionDetails[0].GameSession.GameProperties[0].Extra"),
    ],
)
def test_a_bad_state_file_stops_start_up_and_is_left_untouched(tmp_path, text, problem):
    state = tmp_path / "state.json"
    state.write_text(text)
    stamp = state.stat().st_mtime_ns
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr == f"gamelift-emulator: state file {state}: {problem}\n"
    assert state.read_text() == text
    assert state.stat().st_mtime_ns == stamp


def test_an_unreadable_state_file_stops_start_up(tmp_path):
    result = run_cli("--port", str(free_port()), "--state", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"gamelift-emulator: state file {tmp_path}: cannot be read: Is a directory (os error 21)\n"


def test_without_state_nothing_touches_the_disk(tmp_path):
    e = Emulator(tmp_path)
    e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)
    assert e.stop() == 0
    assert [p.name for p in tmp_path.iterdir()] == [e.log_path.name]


# -- the control API --------------------------------------------------------------


def test_health_and_reset(emulator):
    gl = emulator.client()
    empty = {"GameSessions": 0, "Status": "ok",
             "Kept": {"Aliases": 0, "GameSessions": 0, "Placements": 0, "PlayerSessions": 0, "Tickets": 0, "ServerProcesses": 0,
                      "Events": 0, "SnsMessagesWaiting": 0}}
    status, _, body = http(emulator.url, "/_emulator/health")
    assert (status, json.loads(body)) == (200, empty)
    gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)
    gs = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)["GameSession"]
    gl.create_player_session(GameSessionId=gs["GameSessionId"], PlayerId="p")
    kept = json.loads(http(emulator.url, "/_emulator/health")[2])["Kept"]
    assert (kept["GameSessions"], kept["PlayerSessions"]) == (2, 1)
    status, headers, body = http(emulator.url, "/_emulator/reset", b"")
    assert (status, headers["Content-Type"], json.loads(body)) == (200, "application/json", {"GameSessionsRemoved": 2})
    assert gl.describe_game_sessions(FleetId=FLEET)["GameSessions"] == []
    assert json.loads(http(emulator.url, "/_emulator/health")[2]) == empty


def test_the_game_server_controls_move_a_session_through_its_life(tmp_path):
    e = Emulator(tmp_path, "--activation", "never")
    try:
        gl = e.client()
        gid = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
        status, _, body = http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": gid})
        assert status == 200 and json.loads(body)["GameSession"]["Status"] == "ACTIVE"
        status, _, body = http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": gid})
        assert (status, json.loads(body)) == (400, {
            "__type": "InvalidGameSessionStatusException",
            "Message": f"Game session {gid} cannot move from status ACTIVE to ACTIVE"})
        gl.terminate_game_session(GameSessionId=gid, TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")
        status, _, body = http(e.url, "/_emulator/game-sessions/process-ended", {"GameSessionId": gid})
        ended = json.loads(body)["GameSession"]
        assert (status, ended["Status"], ended["StatusReason"]) == (200, "TERMINATED", "TRIGGERED_ON_PROCESS_TERMINATE")
        assert "TerminationTime" in ended
        assert gl.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]["Status"] == "TERMINATED"

        other = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
        status, _, body = http(e.url, "/_emulator/game-sessions/fail-activation", {"GameSessionId": other})
        assert status == 200 and json.loads(body)["GameSession"]["Status"] == "ERROR"

        status, _, body = http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": "gs-none"})
        assert (status, json.loads(body)) == (400, {"__type": "NotFoundException", "Message": "Game session gs-none not found"})
        status, _, body = http(e.url, "/_emulator/game-sessions/activate", {})
        assert (status, json.loads(body)["__type"]) == (400, "InvalidRequestException")
        status, _, body = http(e.url, "/_emulator/game-sessions/activate", b"[1]")
        assert (status, json.loads(body)["__type"]) == (400, "SerializationException")
        status, _, body = http(e.url, "/_emulator/game-sessions/explode", {"GameSessionId": gid})
        assert (status, json.loads(body)) == (404, {
            "__type": "UnknownOperationException",
            "Message": "No control action explode; there are activate, fail-activation and process-ended"})
    finally:
        assert e.stop() == 0


# -- logs ----------------------------------------------------------------------------


def test_one_line_per_request_and_the_warnings(emulator):
    gl = emulator.client()
    gs = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4)["GameSession"]
    gl.update_game_session(GameSessionId=gs["GameSessionId"], MaximumPlayerSessionCount=0,
                           GameProperties=[{"Key": "map.name", "Value": "secret-value-123"}])
    emulator.stop()
    lines = emulator.log_text().splitlines()
    requests = [line for line in lines if "operation=" in line]
    assert len(requests) == 2
    assert " INFO protocol=\"json\" operation=\"CreateGameSession\" status=200 duration_us=" in requests[0]
    assert " INFO protocol=\"json\" operation=\"UpdateGameSession\" status=200 duration_us=" in requests[1]
    warnings = [line for line in lines if " WARN " in line]
    assert len(warnings) == 1
    assert 'game property key "map.name" contains a period: it is stored, but searches cannot use it' in warnings[0]
    assert gs["GameSessionId"] in warnings[0]
    assert "secret-value-123" not in emulator.log_text()


def test_over_capacity_is_warned(tmp_path):
    state = tmp_path / "state.json"
    gid = f"arn:aws:gamelift:us-west-2::gamesession/{FLEET}/gs-full"
    players = [{"PlayerSessionId": f"psess-{i}", "GameSessionId": gid, "PlayerId": f"p{i}", "Status": "ACTIVE"}
               for i in range(5)]
    state.write_text(json.dumps({"Version": 1, "GameSessionDetails": [{"GameSession": {
        "GameSessionId": gid, "FleetId": FLEET, "Status": "ACTIVE",
        "CurrentPlayerSessionCount": 5, "MaximumPlayerSessionCount": 8}}], "PlayerSessions": players}))
    e = Emulator(tmp_path, "--state", str(state))
    e.client().update_game_session(GameSessionId=gid, MaximumPlayerSessionCount=2)
    assert e.stop() == 0
    warnings = [line for line in e.log_text().splitlines() if " WARN " in line]
    assert len(warnings) == 1
    assert "the session is over capacity: 5 players are connected but at most 2 are allowed" in warnings[0]


def test_errors_are_logged_with_their_code(emulator):
    status, _, _ = aws(emulator.url, "UpdateGameSession", {"GameSessionId": "x y"})
    assert status == 400
    emulator.stop()
    line = [l for l in emulator.log_text().splitlines() if "operation=" in l][0]
    assert 'operation="UpdateGameSession" status=400 error="InvalidRequestException" duration_us=' in line


def test_a_forged_newline_in_an_operation_name_is_logged_escaped(emulator):
    headers = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
    status, _, _ = http(emulator.url, "/service/GameLift/operation/Update%0AINFO%20forged%20line", b"\xa0", headers)
    assert status == 400
    status, _, _ = aws(emulator.url, "X" * 100_000, {})
    assert status == 400
    emulator.stop()
    text = emulator.log_text()
    assert "INFO forged line" not in text.replace("Update\\nINFO forged line", "")
    assert 'operation="Update\\nINFO forged line" status=400' in text
    assert not any(line.startswith("INFO forged") for line in text.splitlines())
    assert max(len(line) for line in text.splitlines()) < 400


def test_an_operation_name_cannot_append_fields_to_its_log_line(emulator):
    headers = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
    forged = "/service/GameLift/operation/Update%22%20status=200%20error=%22none"
    assert http(emulator.url, forged, b"\xa0", headers)[0] == 400
    emulator.stop()
    line = [l for l in emulator.log_text().splitlines() if "operation=" in l][0]
    assert 'operation="Update\\" status=200 error=\\"none" status=400 error="UnknownOperationException"' in line


# -- what each protocol requires of a request -------------------------------------------


def test_content_types_and_protocol_headers(emulator):
    body = json.dumps({"FleetId": FLEET}).encode()
    status, _, answer = http(emulator.url, "/", body, {"X-Amz-Target": "GameLift.DescribeGameSessions", "Content-Type": "text/plain"})
    assert (status, json.loads(answer)) == (415, {"__type": "UnsupportedMediaTypeException",
                                                  "Message": "The request's Content-Type is not application/x-amz-json-1.1"})
    for ok_type in ("application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json; charset=utf-8"):
        status, _, _ = http(emulator.url, "/", body, {"X-Amz-Target": "GameLift.DescribeGameSessions", "Content-Type": ok_type})
        assert status == 200, ok_type

    cbor = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
    path = "/service/GameLift/operation/DescribeGameSessions"
    empty_map = b"\xa1\x67FleetId\x6efleet-1a2b3c4d"
    assert http(emulator.url, path, empty_map, cbor)[0] == 200
    assert http(emulator.url, "/service/com.amazonaws.gamelift.GameLift/operation/DescribeGameSessions", empty_map, cbor)[0] == 200
    status, headers, answer = http(emulator.url, path, empty_map, {**cbor, "smithy-protocol": "rpc-v1"})
    assert (status, headers["smithy-protocol"]) == (400, "rpc-v2-cbor")
    assert b"#UnknownOperationException" in answer and b"needs the header smithy-protocol: rpc-v2-cbor" in answer
    status, _, answer = http(emulator.url, path, empty_map, {**cbor, "X-Amz-Target": "GameLift.DescribeGameSessions"})
    assert status == 400 and b"must not carry X-Amz-Target" in answer
    status, _, answer = http(emulator.url, path, empty_map, {**cbor, "Content-Type": "application/json"})
    assert status == 415 and b"#UnsupportedMediaTypeException" in answer
    status, _, answer = http(emulator.url, path, empty_map, {**cbor, "Accept": "application/json"})
    assert status == 406 and b"#NotAcceptableException" in answer
    status, _, answer = http(emulator.url, "/service/S3/operation/ListBuckets", b"\xa0", cbor)
    assert status == 400 and b"No service S3 here" in answer


# -- slow and idle clients ----------------------------------------------------------------


def test_idle_connections_do_not_starve_a_client(tmp_path):
    # 256 file descriptors, as a default soft limit allows; 300 idle clients.
    e = Emulator(tmp_path, "--request-timeout", "1", limit_files=256)
    idle = []
    try:
        for _ in range(300):
            s = socket.socket()
            s.settimeout(5)
            s.connect(("127.0.0.1", e.port))
            idle.append(s)
        started = time.monotonic()
        gs = e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)["GameSession"]
        assert gs["Status"] == "ACTIVE"
        assert time.monotonic() - started < 15
        # The idle connections were closed by the emulator, not by us.
        closed = 0
        for s in idle[:50]:
            try:
                closed += s.recv(1) == b""
            except (ConnectionResetError, socket.timeout):
                pass
        assert closed > 0
    finally:
        for s in idle:
            s.close()
        assert e.stop() == 0


def test_slow_headers_and_slow_bodies_are_cut_off(tmp_path):
    e = Emulator(tmp_path, "--request-timeout", "1")
    try:
        with socket.create_connection(("127.0.0.1", e.port), timeout=10) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\n")  # and never the rest
            started = time.monotonic()
            assert s.recv(4096) == b""
            assert 0.5 < time.monotonic() - started < 8
        with socket.create_connection(("127.0.0.1", e.port), timeout=10) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: GameLift.DescribeGameSessions\r\n"
                      b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{")
            answer = s.recv(65536)
            assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
            assert b'"__type":"RequestTimeoutException"' in answer
            assert b"connection: close" in answer.lower()
        # A kept-alive connection left idle is closed after the timeout.
        with socket.create_connection(("127.0.0.1", e.port), timeout=10) as s:
            body = b'{"FleetId":"fleet-1a2b3c4d"}'
            s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: GameLift.DescribeGameSessions\r\n"
                      b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            assert s.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
            started = time.monotonic()
            assert s.recv(1) == b""
            assert 0.5 < time.monotonic() - started < 8
    finally:
        assert e.stop() == 0


def test_a_body_over_the_limit_is_refused(emulator):
    status, headers, answer = aws(emulator.url, "UpdateGameSession", b"{" + b" " * (3 * 1024 * 1024) + b"}")
    assert status == 413
    assert json.loads(answer)["__type"] == "SerializationException"


# -- hostile sizes ------------------------------------------------------------------------


def peak_memory_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def cbor_text(s):
    b = s.encode()
    assert len(b) < 24
    return bytes([0x60 + len(b)]) + b


def test_two_megabyte_requests_answer_small_errors(tmp_path):
    e = Emulator(tmp_path)
    try:
        before = peak_memory_kib(e.proc.pid)
        answers = {}
        # JSON: 690,000 empty properties.
        body = b'{"GameSessionId":"gs-1","GameProperties":[' + b",".join([b"{}"] * 690_000) + b"]}"
        assert 2_000_000 < len(body) < 2 * 1024 * 1024
        status, _, answer = aws(e.url, "UpdateGameSession", body)
        answers["json"] = (status, answer)
        # CBOR: 2,000,000 empty maps.
        n = 2_000_000
        body = (b"\xa2" + cbor_text("GameSessionId") + cbor_text("gs-1") + cbor_text("GameProperties")
                + b"\x9a" + n.to_bytes(4, "big") + b"\xa0" * n)
        cbor = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
        status, _, answer = http(e.url, "/service/GameLift/operation/UpdateGameSession", body, cbor)
        answers["cbor"] = (status, answer)
        # JSON: one 2 MB string where an object belongs.
        status, _, answer = aws(e.url, "UpdateGameSession", b'"' + b"x" * 2_000_000 + b'"')
        answers["string"] = (status, answer)
        peak = peak_memory_kib(e.proc.pid)
        print(f"\npeak memory: {before} KiB at start, {peak} KiB after; answers "
              + ", ".join(f"{k}: {len(a)} bytes" for k, (_, a) in answers.items()))

        status, answer = answers["json"]
        body = json.loads(answer)
        assert (status, body["__type"]) == (400, "InvalidRequestException")
        assert body["Message"].startswith("1380001 validation errors detected: ")
        assert len(answer) <= 4096 + 64
        status, answer = answers["cbor"]
        assert status == 400 and b"#InvalidRequestException" in answer
        assert b"4000001 validation errors detected: " in answer
        assert len(answer) <= 4096 + 64
        status, answer = answers["string"]
        assert (status, json.loads(answer)) == (400, {
            "__type": "SerializationException",
            "Message": "invalid type: string, expected a JSON object at line 1 column 2000002"})
        # Modest: the parsed request, not a message the size of the input.
        assert peak < 400 * 1024, f"{peak} KiB"
        # And the emulator still answers.
        assert aws(e.url, "DescribeGameSessions", {"FleetId": FLEET})[0] == 200
    finally:
        assert e.stop() == 0


def test_cbor_errors_are_words_without_values(emulator):
    cbor = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}
    path = "/service/GameLift/operation/UpdateGameSession"
    # {"GameSessionId": "gs-1", "Name": 987654321}
    body = b"\xa2" + cbor_text("GameSessionId") + cbor_text("gs-1") + cbor_text("Name") + b"\x1a\x3a\xde\x68\xb1"
    status, _, answer = http(emulator.url, path, body, cbor)
    assert status == 400
    assert b"987654321" not in answer
    assert b"invalid type: integer, expected string" in answer
    status, _, answer = http(emulator.url, path, b"\x1c", cbor)
    assert status == 400 and b"invalid CBOR at byte 0" in answer
    status, _, answer = http(emulator.url, path, b"\xa2", cbor)
    assert status == 400 and b"the CBOR body ended early" in answer
