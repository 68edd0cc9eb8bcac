"""Real game servers against the emulator: the server SDK 5's protocol over a
real WebSocket (game_server.py speaks it as the SDK's sources do), the
Anywhere control plane through boto3, fleets whose processes the emulator
launches, and what happens to sessions and players as processes come and go."""

import json
import os
import signal
import socket
import ssl
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

from game_server import GameServer, HandshakeRefused, SdkError, free_port, handshake_url
from test_program import Emulator, http

HERE = Path(__file__).resolve().parent


def control(e, path, body=None):
    status, _, data = http(e.url, path, body)
    assert status == 200, data
    return json.loads(data)


def processes(e):
    return control(e, "/_emulator/processes")["Processes"]


def wait_until(what, check, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def advance(e, seconds):
    control(e, "/_emulator/clock/advance", {"Seconds": seconds})


def error(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


class Anywhere:
    """An emulator with an Anywhere fleet, one compute, and its token."""

    def __init__(self, tmp_path, *args, location="custom-home", compute="my-pc", heartbeat_timeout=30):
        self.e = Emulator(tmp_path, "--heartbeat-timeout", str(heartbeat_timeout), *args)
        self.gl = self.e.client()
        self.location = location
        self.gl.create_location(LocationName=location)
        self.fleet = self.gl.create_fleet(Name="my-game", ComputeType="ANYWHERE", Locations=[{"Location": location}])["FleetAttributes"]
        self.fleet_id = self.fleet["FleetId"]
        self.compute = self.gl.register_compute(FleetId=self.fleet_id, ComputeName=compute, IpAddress="127.0.0.1", Location=location)["Compute"]
        self.compute_name = compute
        self.token = self.gl.get_compute_auth_token(FleetId=self.fleet_id, ComputeName=compute)["AuthToken"]
        self.servers = []

    def server(self, process_id=None, ready_port=None, **kwargs):
        kwargs.setdefault("heartbeat_interval", 0.5)
        kwargs.setdefault("heartbeat_jitter", 0)
        s = GameServer(
            self.compute["GameLiftServiceSdkEndpoint"],
            self.fleet_id,
            self.compute_name,
            process_id or f"process-{uuid.uuid4()}",
            self.token,
            **kwargs,
        )
        self.servers.append(s)
        s.init_sdk()
        if ready_port:
            s.process_ready(ready_port)
        return s

    def session(self, game_session_id):
        return self.gl.describe_game_sessions(GameSessionId=game_session_id)["GameSessions"][0]

    def close(self):
        for s in self.servers:
            s.close()
        if self.e.proc.poll() is None:
            self.e.stop()


@pytest.fixture
def anywhere(tmp_path):
    a = Anywhere(tmp_path)
    yield a
    a.close()


def test_the_anywhere_control_plane_answers_as_the_model_says(anywhere):
    gl, fleet = anywhere.gl, anywhere.fleet_id
    assert fleet.startswith("fleet-")
    assert anywhere.fleet["ComputeType"] == "ANYWHERE"
    assert anywhere.fleet["FleetArn"] == f"arn:aws:gamelift:us-west-2:123456789012:fleet/{fleet}"
    locations = gl.list_locations()["Locations"]
    assert [l["LocationName"] for l in locations] == ["us-west-2", "custom-home"]
    assert [l["LocationName"] for l in gl.list_locations(Filters=["CUSTOM"])["Locations"]] == ["custom-home"]
    assert error(gl.create_location, LocationName="custom-home") == ("ConflictException", "Location custom-home already exists")
    assert error(gl.delete_location, LocationName="custom-home")[0] == "InvalidRequestException"
    compute = anywhere.compute
    assert compute["GameLiftServiceSdkEndpoint"] == f"ws://127.0.0.1:{anywhere.e.port}"
    assert compute["ComputeArn"] == f"arn:aws:gamelift:us-west-2:123456789012:compute/{fleet}/my-pc"
    assert compute["ComputeStatus"] == "ACTIVE" and compute["Location"] == "custom-home"
    assert gl.describe_compute(FleetId=fleet, ComputeName="my-pc")["Compute"] == compute
    assert [c["ComputeName"] for c in gl.list_compute(FleetId=fleet)["ComputeList"]] == ["my-pc"]
    token = gl.get_compute_auth_token(FleetId=fleet, ComputeName="my-pc")
    assert token["ComputeArn"] == compute["ComputeArn"] and len(token["AuthToken"]) == 36
    assert (token["ExpirationTimestamp"] - compute["CreationTime"]).total_seconds() == pytest.approx(3 * 3600, abs=5)
    assert error(gl.describe_compute, FleetId=fleet, ComputeName="other") == ("NotFoundException", f"Compute other not found in fleet {fleet}")
    code, message = error(gl.register_compute, FleetId=fleet, ComputeName="pc2", IpAddress="127.0.0.1", Location="custom-away")
    assert (code, message) == ("InvalidRequestException", f"Location custom-away is not a location of fleet {fleet}")
    code, message = error(gl.create_fleet, Name="x", ComputeType="ANYWHERE", Locations=[{"Location": "custom-nowhere"}])
    assert (code, message) == ("NotFoundException", "Location custom-nowhere not found")
    code, message = error(gl.create_fleet, Name="x")
    assert message == "A managed (EC2) fleet needs a RuntimeConfiguration with ServerProcesses"
    attributes = gl.describe_fleet_attributes(FleetIds=[fleet])["FleetAttributes"]
    assert [a["ComputeType"] for a in attributes] == ["ANYWHERE"]
    assert fleet in gl.list_fleets()["FleetIds"]
    capacity = gl.describe_fleet_capacity(FleetIds=[fleet])["FleetCapacity"][0]
    assert capacity["InstanceCounts"]["ACTIVE"] == 1 and capacity["Location"] == "custom-home"
    assert gl.describe_runtime_configuration(FleetId=fleet)["RuntimeConfiguration"] == {}
    updated = gl.update_runtime_configuration(
        FleetId=fleet, RuntimeConfiguration={"ServerProcesses": [{"LaunchPath": "/opt/game", "ConcurrentExecutions": 2}], "GameSessionActivationTimeoutSeconds": 30}
    )["RuntimeConfiguration"]
    assert gl.describe_runtime_configuration(FleetId=fleet)["RuntimeConfiguration"] == updated
    code, message = error(gl.update_runtime_configuration, FleetId=fleet, RuntimeConfiguration={"GameSessionActivationTimeoutSeconds": 601})
    assert "at 'runtimeConfiguration.gameSessionActivationTimeoutSeconds'" in message


def test_a_session_lives_its_whole_life_on_a_real_game_server(anywhere):
    gl = anywhere.gl
    server = anywhere.server(on_process_terminate=lambda s: None)
    reply = server.process_ready(7777)
    assert reply["Action"] == "ActivateServerProcess" and reply["StatusCode"] == 200
    assert wait_until("READY", lambda: [p for p in processes(anywhere.e) if p["Status"] == "READY"])
    created = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=4, Name="duel", GameProperties=[{"Key": "mode", "Value": "duel"}])["GameSession"]
    assert created["Status"] == "ACTIVATING"
    assert created["GameSessionId"].startswith(f"arn:aws:gamelift:us-west-2::gamesession/{anywhere.fleet_id}/custom-home/")
    assert created["Location"] == "custom-home"
    assert (created["IpAddress"], created["Port"]) == ("127.0.0.1", 7777)
    push = server.wait_for_push("CreateGameSession")
    # Every field in the exact JSON type the SDK declares.
    assert push == {
        "Action": "CreateGameSession",
        "RequestId": "",
        "StatusCode": 200,
        "MaximumPlayerSessionCount": 4,
        "Port": 7777,
        "IpAddress": "127.0.0.1",
        "GameSessionId": created["GameSessionId"],
        "GameSessionName": "duel",
        "GameSessionData": "",
        "MatchmakerData": "",
        "DnsName": "",
        "GameProperties": {"mode": "duel"},
    }
    active = wait_until("ACTIVE", lambda: (s := anywhere.session(created["GameSessionId"]))["Status"] == "ACTIVE" and s)
    assert (active["IpAddress"], active["Port"]) == ("127.0.0.1", 7777)
    player = gl.create_player_session(GameSessionId=created["GameSessionId"], PlayerId="player-1")["PlayerSession"]
    assert player["Status"] == "RESERVED" and player["Port"] == 7777
    time.sleep(0.2)
    psid = player["PlayerSessionId"]
    assert gl.describe_player_sessions(PlayerSessionId=psid)["PlayerSessions"][0]["Status"] == "RESERVED"
    server.accept_player_session(psid)
    assert gl.describe_player_sessions(PlayerSessionId=psid)["PlayerSessions"][0]["Status"] == "ACTIVE"
    described = server.describe_player_sessions(PlayerSessionId=psid)["PlayerSessions"][0]
    assert described["Status"] == "ACTIVE" and described["TerminationTime"] == 0
    assert abs(described["CreationTime"] - player["CreationTime"].timestamp() * 1000) < 1000
    with pytest.raises(SdkError) as e:
        server.accept_player_session(psid)
    assert (e.value.status, e.value.message) == (400, f"Player session {psid} is in status ACTIVE; only a RESERVED player session can be accepted")
    server.remove_player_session(psid)
    assert gl.describe_player_sessions(PlayerSessionId=psid)["PlayerSessions"][0]["Status"] == "COMPLETED"
    utilization = gl.describe_fleet_utilization(FleetIds=[anywhere.fleet_id])["FleetUtilization"][0]
    assert (utilization["ActiveServerProcessCount"], utilization["ActiveGameSessionCount"], utilization["MaximumPlayerSessionCount"]) == (1, 1, 4)
    gl.terminate_game_session(GameSessionId=created["GameSessionId"], TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")
    assert anywhere.session(created["GameSessionId"])["Status"] == "TERMINATING"
    terminate = server.wait_for_push("TerminateProcess")
    assert terminate["RequestId"] == "" and isinstance(terminate["TerminationTime"], int)
    assert terminate["TerminationTime"] > time.time() * 1000
    server.process_ending()
    server.destroy()
    ended = anywhere.session(created["GameSessionId"])
    assert (ended["Status"], ended["StatusReason"]) == ("TERMINATED", "TRIGGERED_ON_PROCESS_TERMINATE")
    wait_until("the process gone", lambda: processes(anywhere.e) == [])


def test_no_available_process_is_fleet_capacity_exceeded(anywhere):
    gl, fleet = anywhere.gl, anywhere.fleet_id
    message = f"Unable to reserve a process on fleet {fleet}"
    assert error(gl.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2) == ("FleetCapacityExceededException", message)
    server = anywhere.server()  # connected, not ready yet
    assert error(gl.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
    server.process_ready(7777)
    gl.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2)
    assert error(gl.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2) == ("FleetCapacityExceededException", message)
    assert error(gl.create_game_session, FleetId=fleet, MaximumPlayerSessionCount=2, Location="custom-away")[0] == "InvalidRequestException"


def test_two_processes_on_one_compute_each_take_one_session(anywhere):
    first = anywhere.server(ready_port=7001)
    time.sleep(0.05)
    second = anywhere.server(ready_port=7002)
    gl = anywhere.gl
    a = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=2)["GameSession"]
    b = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=2)["GameSession"]
    # The one ready longest first.
    assert (a["Port"], b["Port"]) == (7001, 7002)
    assert first.wait_for_push("CreateGameSession")["GameSessionId"] == a["GameSessionId"]
    assert second.wait_for_push("CreateGameSession")["GameSessionId"] == b["GameSessionId"]
    assert error(gl.create_game_session, FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
    # Nothing a process says reaches another's session.
    with pytest.raises(SdkError) as e:
        first.activate_game_session(b["GameSessionId"])
    assert (e.value.status, e.value.message) == (400, f"Game session {b['GameSessionId']} is not hosted by this process")
    player = gl.create_player_session(GameSessionId=b["GameSessionId"], PlayerId="p")["PlayerSession"] if wait_until(
        "b ACTIVE", lambda: anywhere.session(b["GameSessionId"])["Status"] == "ACTIVE"
    ) else None
    with pytest.raises(SdkError):
        first.accept_player_session(player["PlayerSessionId"], game_session_id=b["GameSessionId"])
    with pytest.raises(SdkError) as e:
        first.describe_player_sessions(GameSessionId=b["GameSessionId"])
    assert e.value.message == "GameSessionId names a game session this process does not host"
    listed = {p["ProcessId"]: p for p in processes(anywhere.e)}
    assert {p["Status"] for p in listed.values()} == {"HOSTING"}
    assert sorted(p["Port"] for p in listed.values()) == [7001, 7002]


def test_handshakes_that_do_not_name_a_registered_compute_and_token_are_refused(anywhere):
    endpoint = anywhere.compute["GameLiftServiceSdkEndpoint"]

    def dial(**kw):
        args = dict(fleet_id=anywhere.fleet_id, host_id="my-pc", process_id="p-1", auth_token=anywhere.token)
        args.update(kw)
        s = GameServer(endpoint, **args)
        try:
            with pytest.raises(HandshakeRefused) as e:
                s.init_sdk()
            return e.value.status, e.value.body
        finally:
            s.close()

    assert dial(auth_token="not-the-token") == (403, "The Authorization token is not one GetComputeAuthToken issued for compute my-pc, or it has expired")
    assert dial(host_id="other-pc") == (403, f"Compute other-pc is not registered on fleet {anywhere.fleet_id}")
    assert dial(fleet_id="fleet-nope") == (403, "Fleet fleet-nope does not run server processes: create it with CreateFleet")
    assert dial(auth_token="") == (403, "The handshake has no Authorization token")
    assert dial(process_id="") == (403, "The handshake has no pID")
    assert dial(host_id="bad host") [0] == 403
    # A token never appears in the log.
    assert "not-the-token" not in anywhere.e.log_text()
    assert anywhere.token not in anywhere.e.log_text()
    status, _, body = http(anywhere.e.url, "/")
    assert status == 400 and b"WebSocket" in body


def test_a_compute_holds_at_most_50_processes_and_a_live_one_still_resumes(anywhere):
    servers = [anywhere.server(process_id=f"p-{n}") for n in range(50)]
    wait_until("50 processes", lambda: len(processes(anywhere.e)) == 50)
    extra = GameServer(anywhere.compute["GameLiftServiceSdkEndpoint"], anywhere.fleet_id, "my-pc", "p-50", anywhere.token)
    try:
        with pytest.raises(HandshakeRefused) as refused:
            extra.init_sdk()
    finally:
        extra.close()
    assert (refused.value.status, refused.value.body) == (
        403,
        "Compute my-pc already holds 50 server processes, the most one compute runs at once: "
        "end one (ProcessEnding) or register another compute",
    )
    # A live process dialling again is not a new one: it resumes.
    servers[0].drop_connection()
    wait_until("the second connection", lambda: servers[0].connections == 2)
    wait_until("connected again", lambda: all(p["Connected"] for p in processes(anywhere.e)))
    assert servers[0].process_ready(7000)["StatusCode"] == 200
    # A process that ends makes room for another.
    servers[1].process_ending()
    servers[1].destroy()
    wait_until("49 processes", lambda: len(processes(anywhere.e)) == 49)
    anywhere.server(process_id="p-50")
    assert sorted(p["ProcessId"] for p in processes(anywhere.e)) == sorted(
        [f"p-{n}" for n in range(50) if n != 1] + ["p-50"]
    )


def test_a_dropped_connection_resumes_the_process_and_its_session_stays(anywhere):
    server = anywhere.server(ready_port=7777)
    gl = anywhere.gl
    s = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    player = gl.create_player_session(GameSessionId=s["GameSessionId"], PlayerId="p1")["PlayerSession"]
    server.accept_player_session(player["PlayerSessionId"])
    server.drop_connection()
    wait_until("the second connection", lambda: server.connections == 2)
    # Same pID, same token, same IdempotencyToken, no second ProcessReady.
    listed = wait_until("connected again", lambda: [p for p in processes(anywhere.e) if p["Connected"]])
    assert listed[0]["Status"] == "HOSTING" and listed[0]["GameSessionId"] == s["GameSessionId"]
    assert anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE"
    assert gl.describe_player_sessions(PlayerSessionId=player["PlayerSessionId"])["PlayerSessions"][0]["Status"] == "ACTIVE"
    second = gl.create_player_session(GameSessionId=s["GameSessionId"], PlayerId="p2")["PlayerSession"]
    server.accept_player_session(second["PlayerSessionId"])
    advance(anywhere.e, 60)
    time.sleep(1.5)
    assert anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE"


def test_a_killed_server_interrupts_its_session_after_the_grace_period(anywhere):
    server = anywhere.server(ready_port=7777)
    gl = anywhere.gl
    s = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    player = gl.create_player_session(GameSessionId=s["GameSessionId"], PlayerId="p1")["PlayerSession"]
    server.destroy()  # killed: no ProcessEnding, no close frame
    listed = wait_until("disconnected", lambda: [p for p in processes(anywhere.e) if not p["Connected"]])
    assert listed[0]["Status"] == "HOSTING"
    time.sleep(1.2)
    assert anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE"  # inside the grace period
    advance(anywhere.e, 31)
    ended = wait_until("INTERRUPTED", lambda: (x := anywhere.session(s["GameSessionId"]))["Status"] == "TERMINATED" and x)
    assert ended["StatusReason"] == "INTERRUPTED"
    assert gl.describe_player_sessions(PlayerSessionId=player["PlayerSessionId"])["PlayerSessions"][0]["Status"] == "COMPLETED"
    assert processes(anywhere.e) == []


def test_a_process_ending_mid_session_ends_it_and_its_players(anywhere):
    server = anywhere.server(ready_port=7777)
    gl = anywhere.gl
    s = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    player = gl.create_player_session(GameSessionId=s["GameSessionId"], PlayerId="p1")["PlayerSession"]
    server.process_ending()
    ended = anywhere.session(s["GameSessionId"])
    assert ended["Status"] == "TERMINATED" and "StatusReason" not in ended
    assert gl.describe_player_sessions(PlayerSessionId=player["PlayerSessionId"])["PlayerSessions"][0]["Status"] == "COMPLETED"
    assert processes(anywhere.e)[0]["Status"] == "ENDING"
    with pytest.raises(SdkError) as e:
        server.activate_game_session(s["GameSessionId"])
    assert e.value.message == "The process has called ProcessEnding"
    server.destroy()  # Destroy(): the abnormal close that follows is no loss
    wait_until("gone", lambda: processes(anywhere.e) == [])


def test_force_terminate_on_an_anywhere_fleet_is_refused(anywhere):
    anywhere.server(ready_port=7777)
    s = anywhere.gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    code, message = error(anywhere.gl.terminate_game_session, GameSessionId=s["GameSessionId"], TerminationMode="FORCE_TERMINATE")
    assert code == "InvalidRequestException"
    assert message.startswith("FORCE_TERMINATE needs the GameLift Agent")
    assert anywhere.session(s["GameSessionId"])["Status"] in ("ACTIVATING", "ACTIVE")


def test_frames_before_process_ready_and_bad_frames_get_clear_answers(anywhere):
    server = anywhere.server()
    for call in (lambda: server.activate_game_session("arn:aws:gamelift:us-west-2::gamesession/x/y"), lambda: server.accept_player_session("psess-1", "gs")):
        with pytest.raises(SdkError) as e:
            call()
        assert (e.value.status, e.value.message) == (400, "The process has not called ProcessReady")
    heartbeat = server.send_raw(json.dumps({"Action": "HeartbeatServerProcess", "RequestId": "h-1", "HealthStatus": True}))
    assert heartbeat == {"Action": "HeartbeatServerProcess", "RequestId": "h-1", "StatusCode": 400, "ErrorMessage": "The process has not called ProcessReady"}
    bad = server.send_raw('{"Action": "ActivateServerProcess", "RequestId": "r-1", "Port": "seven"}')
    assert bad["StatusCode"] == 400 and bad["Action"] == "ActivateServerProcess" and bad["RequestId"] == "r-1"
    assert "seven" not in bad["ErrorMessage"] and "wrong type" in bad["ErrorMessage"]
    assert server.send_raw("{not json")["ErrorMessage"].startswith("The frame is not a JSON object")
    assert server.send_raw('{"Action": "Launch", "RequestId": "r-2"}') == {
        "Action": "Launch", "RequestId": "r-2", "StatusCode": 400, "ErrorMessage": '"Launch" is not an Action a game server sends'}
    assert server.send_raw('[1, 2]')["StatusCode"] == 400
    assert server.send_raw(b"\x00\x01binary") == {"Action": "", "RequestId": "", "StatusCode": 400, "ErrorMessage": "Frames are JSON text; a binary frame is not read"}
    assert server.send_raw(json.dumps({"Action": "ActivateServerProcess", "RequestId": "r-3", "Port": 70000}))["ErrorMessage"] == "Port must be from 1 to 60000"
    # Still served.
    assert server.process_ready(7777)["StatusCode"] == 200
    # A frame past 1 MiB closes the connection (1009); the SDK connects again.
    before = server.connections
    assert server.send_raw(json.dumps({"Action": "HeartbeatServerProcess", "RequestId": "x" * (1024 * 1024 + 10)})) is None
    wait_until("reconnected", lambda: server.connections == before + 1)
    assert 1009 in server.close_codes
    assert processes(anywhere.e)[0]["Status"] == "READY"


def test_a_restarted_game_reusing_its_id_interrupts_its_session(anywhere):
    server = anywhere.server(process_id="fixed-id", ready_port=7777)
    s = anywhere.gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    server.process_ready(7778)
    ended = anywhere.session(s["GameSessionId"])
    assert (ended["Status"], ended["StatusReason"]) == ("TERMINATED", "INTERRUPTED")
    assert processes(anywhere.e)[0]["Status"] == "READY" and processes(anywhere.e)[0]["Port"] == 7778


def test_a_session_not_activated_in_time_ends_and_the_process_is_ready_again(anywhere):
    gl = anywhere.gl
    gl.update_runtime_configuration(FleetId=anywhere.fleet_id, RuntimeConfiguration={"GameSessionActivationTimeoutSeconds": 20})
    server = anywhere.server(ready_port=7777, auto_activate=False)
    s = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    server.wait_for_push("CreateGameSession")
    advance(anywhere.e, 21)
    wait_until("TERMINATED", lambda: anywhere.session(s["GameSessionId"])["Status"] == "TERMINATED")
    assert processes(anywhere.e)[0]["Status"] == "READY"
    with pytest.raises(SdkError):
        server.activate_game_session(s["GameSessionId"])
    again = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    assert again["Port"] == 7777


def test_the_server_sets_its_sessions_player_policy(anywhere):
    server = anywhere.server(ready_port=7777)
    gl = anywhere.gl
    s = gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    server.update_player_session_creation_policy("DENY_ALL")
    assert anywhere.session(s["GameSessionId"])["PlayerSessionCreationPolicy"] == "DENY_ALL"
    assert error(gl.create_player_session, GameSessionId=s["GameSessionId"], PlayerId="p")[0] == "GameSessionFullException"
    with pytest.raises(SdkError) as e:
        server.update_player_session_creation_policy("MAYBE")
    assert e.value.message == "PlayerSessionPolicy MAYBE is not one of [ACCEPT_ALL, DENY_ALL]"


def test_a_new_token_is_pushed_before_the_old_one_expires(anywhere):
    server = anywhere.server(ready_port=7777, refresh_drop_delay=0.2)
    s = anywhere.gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE")
    advance(anywhere.e, 3 * 3600 - 300)
    push = server.wait_for_push("RefreshConnection", timeout=5)
    assert push["RefreshConnectionEndpoint"] == anywhere.compute["GameLiftServiceSdkEndpoint"]
    assert push["AuthToken"] != anywhere.token
    wait_until("the new connection", lambda: server.connections == 2)
    time.sleep(0.5)
    listed = processes(anywhere.e)[0]
    assert (listed["Connected"], listed["Status"]) == (True, "HOSTING")
    assert server.describe_player_sessions()["StatusCode"] == 200
    advance(anywhere.e, 400)  # the first token has expired; the process lives on
    time.sleep(1.2)
    assert anywhere.session(s["GameSessionId"])["Status"] == "ACTIVE"


def test_deregistering_the_compute_ends_its_processes_with_1000(anywhere):
    server = anywhere.server(ready_port=7777)
    s = anywhere.gl.create_game_session(FleetId=anywhere.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    anywhere.gl.deregister_compute(FleetId=anywhere.fleet_id, ComputeName="my-pc")
    server.wait_closed()
    assert server.close_codes == [1000] and server.connections == 1
    ended = anywhere.session(s["GameSessionId"])
    assert (ended["Status"], ended["StatusReason"]) == ("TERMINATED", "INTERRUPTED")
    assert error(anywhere.gl.describe_compute, FleetId=anywhere.fleet_id, ComputeName="my-pc")[0] == "NotFoundException"


def test_compute_certificate_and_fleet_role_credentials(anywhere):
    server = anywhere.server(ready_port=7777)
    cert = server.get_compute_certificate()
    assert (cert["ComputeName"], cert["CertificatePath"]) == ("my-pc", "")
    with pytest.raises(SdkError) as e:
        server.get_fleet_role_credentials("arn:aws:iam::123456789012:role/game")
    assert e.value.message == f"Fleet {anywhere.fleet_id} was created without an InstanceRoleArn"
    gl = anywhere.gl
    fleet = gl.create_fleet(Name="roles", ComputeType="ANYWHERE", Locations=[{"Location": "custom-home"}], InstanceRoleArn="arn:aws:iam::123456789012:role/game")["FleetAttributes"]
    gl.register_compute(FleetId=fleet["FleetId"], ComputeName="pc", IpAddress="127.0.0.1", Location="custom-home")
    token = gl.get_compute_auth_token(FleetId=fleet["FleetId"], ComputeName="pc")["AuthToken"]
    other = GameServer(anywhere.compute["GameLiftServiceSdkEndpoint"], fleet["FleetId"], "pc", "p-roles", token)
    anywhere.servers.append(other)
    other.init_sdk()
    other.process_ready(7001)
    creds = other.get_fleet_role_credentials("arn:aws:iam::123456789012:role/game", "match")
    assert creds["AssumedRoleUserArn"] == "arn:aws:sts::123456789012:assumed-role/game/match"
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["SecretAccessKey"]) == 40
    assert creds["Expiration"] > time.time() * 1000


def test_a_placement_lands_on_a_real_process_and_waits_for_its_activation(anywhere):
    gl = anywhere.gl
    server = anywhere.server(ready_port=7777, auto_activate=False)
    gl.create_game_session_queue(Name="q", Destinations=[{"DestinationArn": anywhere.fleet["FleetArn"]}], TimeoutInSeconds=60)
    placement = gl.start_game_session_placement(
        PlacementId="pl-1", GameSessionQueueName="q", MaximumPlayerSessionCount=4, DesiredPlayerSessions=[{"PlayerId": "p1"}, {"PlayerId": "p2"}]
    )["GameSessionPlacement"]
    assert placement["Status"] == "PENDING"
    push = server.wait_for_push("CreateGameSession")
    assert gl.describe_game_session_placement(PlacementId="pl-1")["GameSessionPlacement"]["Status"] == "PENDING"
    server.activate_game_session(push["GameSessionId"])
    placed = gl.describe_game_session_placement(PlacementId="pl-1")["GameSessionPlacement"]
    assert placed["Status"] == "FULFILLED" and placed["Port"] == 7777
    assert placed["GameSessionArn"] == push["GameSessionId"]
    players = {p["PlayerId"]: p["PlayerSessionId"] for p in placed["PlacedPlayerSessions"]}
    for psid in players.values():
        assert gl.describe_player_sessions(PlayerSessionId=psid)["PlayerSessions"][0]["Status"] == "RESERVED"
        server.accept_player_session(psid)
    described = server.describe_player_sessions(PlayerSessionStatusFilter="ACTIVE")
    assert sorted(p["PlayerId"] for p in described["PlayerSessions"]) == ["p1", "p2"]


RULES = json.dumps({
    "name": "duel",
    "ruleLanguageVersion": "1.0",
    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1}, {"name": "blue", "minPlayers": 1, "maxPlayers": 1}],
})


def test_a_flexmatch_match_lands_on_a_real_process(anywhere):
    gl = anywhere.gl
    server = anywhere.server(ready_port=7777)
    queue = gl.create_game_session_queue(Name="mq", Destinations=[{"DestinationArn": anywhere.fleet["FleetArn"]}])["GameSessionQueue"]
    gl.create_matchmaking_rule_set(Name="duel", RuleSetBody=RULES)
    config = gl.create_matchmaking_configuration(
        Name="duel", GameSessionQueueArns=[queue["GameSessionQueueArn"]], RequestTimeoutSeconds=60, AcceptanceRequired=False, RuleSetName="duel", BackfillMode="MANUAL"
    )["Configuration"]
    for player in ("alice", "bob"):
        gl.start_matchmaking(TicketId=f"t-{player}", ConfigurationName="duel", Players=[{"PlayerId": player}])
    push = server.wait_for_push("CreateGameSession", timeout=15)
    data = json.loads(push["MatchmakerData"])
    assert sorted(p["playerId"] for t in data["teams"] for p in t["players"]) == ["alice", "bob"]
    ticket = wait_until("COMPLETED", lambda: (t := gl.describe_matchmaking(TicketIds=["t-alice"])["TicketList"][0])["Status"] == "COMPLETED" and t, timeout=20)
    assert ticket["GameSessionConnectionInfo"]["Port"] == 7777
    assert ticket["GameSessionConnectionInfo"]["GameSessionArn"] == push["GameSessionId"]
    # Backfill from the server itself, for its own session.
    backfill = server.start_match_backfill(
        config["ConfigurationArn"],
        [{"PlayerId": "alice", "Team": "red", "PlayerAttributes": {"skill": {"AttrType": "DOUBLE", "N": 10}}, "LatencyInMs": {"us-west-2": 20}}],
    )
    assert backfill["TicketId"]
    described = gl.describe_matchmaking(TicketIds=[backfill["TicketId"]])["TicketList"][0]
    assert described["Status"] in ("QUEUED", "SEARCHING")
    server.stop_match_backfill(config["ConfigurationArn"], backfill["TicketId"])
    assert gl.describe_matchmaking(TicketIds=[backfill["TicketId"]])["TicketList"][0]["Status"] == "CANCELLED"
    # The server is told its backfill ended (SPEC §10).
    update = server.wait_for_push("UpdateGameSession")
    assert update["UpdateReason"] == "BACKFILL_CANCELLED"
    assert update["BackfillTicketId"] == backfill["TicketId"]
    assert update["GameSession"]["GameSessionId"] == push["GameSessionId"]
    assert update["GameSession"]["Status"] == "ACTIVE" and update["GameSession"]["Port"] == 7777
    with pytest.raises(SdkError) as e:
        server.stop_match_backfill(config["ConfigurationArn"], "t-alice")
    assert e.value.status == 404


def test_the_simulated_server_still_serves_fleets_without_processes(anywhere):
    s = anywhere.gl.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=3)["GameSession"]
    assert s["Status"] == "ACTIVE"


def test_idle_sockets_and_a_reader_that_never_reads_do_not_hold_the_emulator(anywhere):
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    # A compute holds at most 50 processes: 20 computes hold the 1,000.
    gl = anywhere.gl
    computes = [("my-pc", anywhere.token)]
    for c in range(1, 20):
        gl.register_compute(FleetId=anywhere.fleet_id, ComputeName=f"pc-{c}", IpAddress="127.0.0.1", Location=anywhere.location)
        computes.append((f"pc-{c}", gl.get_compute_auth_token(FleetId=anywhere.fleet_id, ComputeName=f"pc-{c}")["AuthToken"]))

    def request(i):
        compute, token = computes[i // 50]
        url = urllib.parse.urlsplit(handshake_url(anywhere.compute["GameLiftServiceSdkEndpoint"], anywhere.fleet_id, compute, f"idle-{i}", token, "i"))
        return url.hostname, url.port, (
            f"GET /?{url.query} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()

    rss_before = rss_kib(anywhere.e.proc.pid)
    sockets = []
    for i in range(1000):
        host, port, handshake = request(i)
        s = socket.create_connection((host, int(port)))
        s.sendall(handshake)
        sockets.append(s)
    for s in sockets:
        assert s.recv(12) == b"HTTP/1.1 101"
    assert len(processes(anywhere.e)) == 1000
    started = time.monotonic()
    anywhere.gl.list_fleets()
    assert time.monotonic() - started < 2
    grown_per_socket = (rss_kib(anywhere.e.proc.pid) - rss_before) / 1000
    assert grown_per_socket < 200, f"{grown_per_socket:.0f} KiB per idle socket"
    # A reader that never reads: its replies pile up until it is dropped.
    greedy = sockets[0]
    frame = masked(json.dumps({"Action": "HeartbeatServerProcess", "RequestId": "r" * 100}).encode())
    greedy.setblocking(False)
    sent = 0
    deadline = time.monotonic() + 30
    checked = time.monotonic()
    while time.monotonic() < deadline:
        try:
            sent += greedy.send(frame * 64)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
        # The listing of 1,000 processes is slow in a debug build: asked
        # twice a second, it leaves the reader's frames to fill the buffers.
        if time.monotonic() - checked > 0.5:
            checked = time.monotonic()
            if not processes_connected(anywhere.e, "idle-0"):
                break
    # Its connection is closed once its replies fill the queue (the send
    # above then fails): the process is disconnected by then, or soon.
    wait_until("the reader that never reads to be dropped", lambda: not processes_connected(anywhere.e, "idle-0"), timeout=10)
    assert sent > 0
    started = time.monotonic()
    anywhere.gl.list_fleets()
    assert time.monotonic() - started < 2
    for s in sockets:
        s.close()
    wait_until("all disconnected", lambda: not any(p["Connected"] for p in processes(anywhere.e)), timeout=30)
    advance(anywhere.e, 31)
    wait_until("all forgotten", lambda: processes(anywhere.e) == [], timeout=10)


def processes_connected(e, process_id):
    return any(p["Connected"] for p in processes(e) if p["ProcessId"] == process_id)


def masked(payload):
    """A client's text frame (clients mask theirs)."""
    header = bytearray([0x81])
    n = len(payload)
    if n < 126:
        header.append(0x80 | n)
    else:
        header.append(0x80 | 126)
        header += n.to_bytes(2, "big")
    mask = b"\x01\x02\x03\x04"
    return bytes(header) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_heartbeats_that_stop_lose_the_process(tmp_path):
    a = Anywhere(tmp_path, heartbeat_timeout=1.5)
    try:
        server = a.server(ready_port=7777, heartbeat_interval=3600)
        s = a.gl.create_game_session(FleetId=a.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
        server.wait_closed(timeout=10)
        assert server.close_codes == [1000]
        ended = a.session(s["GameSessionId"])
        assert (ended["Status"], ended["StatusReason"]) == ("TERMINATED", "INTERRUPTED")
    finally:
        a.close()


def test_computes_fleets_and_locations_outlive_a_restart_and_orphans_end(tmp_path):
    state = tmp_path / "state.json"
    a = Anywhere(tmp_path, "--state", str(state))
    server = a.server(ready_port=7777)
    s = a.gl.create_game_session(FleetId=a.fleet_id, MaximumPlayerSessionCount=3)["GameSession"]
    wait_until("ACTIVE", lambda: a.session(s["GameSessionId"])["Status"] == "ACTIVE")
    a.e.proc.send_signal(signal.SIGKILL)
    a.e.proc.wait(timeout=10)
    server.close()
    e = Emulator(tmp_path, "--state", str(state))
    try:
        gl = e.client()
        assert gl.describe_compute(FleetId=a.fleet_id, ComputeName="my-pc")["Compute"]["Location"] == "custom-home"
        assert [l["LocationName"] for l in gl.list_locations(Filters=["CUSTOM"])["Locations"]] == ["custom-home"]
        ended = gl.describe_game_sessions(GameSessionId=s["GameSessionId"])["GameSessions"][0]
        assert (ended["Status"], ended["StatusReason"]) == ("TERMINATED", "INTERRUPTED")
        # The token issued before the restart still connects.
        again = GameServer(f"ws://127.0.0.1:{e.port}", a.fleet_id, "my-pc", "p-after", a.token)
        again.init_sdk()
        assert again.process_ready(7777)["StatusCode"] == 200
        again.close()
    finally:
        e.stop()


def launched_emulator(tmp_path, *extra):
    logs = tmp_path / "logs"
    command = f"{sys.executable} {HERE / 'game_server.py'} --auto --heartbeat-interval 1"
    e = Emulator(tmp_path, "--launch", f"fleet-game:1:{command}", "--process-log-dir", str(logs), *extra)
    return e, logs


def test_a_launched_fleet_runs_replaces_and_stops_its_programs(tmp_path):
    e, logs = launched_emulator(tmp_path)
    try:
        gl = e.client()
        first = wait_until("a launched process READY", lambda: [p for p in processes(e) if p["Status"] == "READY"], timeout=30)[0]
        assert (first["FleetId"], first["ComputeName"], first["Launched"]) == ("fleet-game", "localhost", True)
        assert gl.describe_fleet_attributes(FleetIds=["fleet-game"])["FleetAttributes"][0]["ComputeType"] == "EC2"
        runtime = gl.describe_runtime_configuration(FleetId="fleet-game")["RuntimeConfiguration"]
        assert runtime["ServerProcesses"][0]["ConcurrentExecutions"] == 1
        s = gl.create_game_session(FleetId="fleet-game", MaximumPlayerSessionCount=2)["GameSession"]
        assert s["Port"] == first["Port"] and s["DnsName"] == "localhost"
        wait_until("ACTIVE", lambda: gl.describe_game_sessions(GameSessionId=s["GameSessionId"])["GameSessions"][0]["Status"] == "ACTIVE")
        gl.terminate_game_session(GameSessionId=s["GameSessionId"], TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")
        wait_until("TERMINATED", lambda: gl.describe_game_sessions(GameSessionId=s["GameSessionId"])["GameSessions"][0]["Status"] == "TERMINATED")
        # The program ended; another takes its place.
        second = wait_until(
            "a replacement READY", lambda: [p for p in processes(e) if p["Status"] == "READY" and p["ProcessId"] != first["ProcessId"]], timeout=30
        )[0]
        log = (logs / "fleet-game" / "process-0.log").read_text()
        assert first["ProcessId"] in log and second["ProcessId"] in log and "ended" in log
        # FORCE_TERMINATE on a launched fleet ends the process.
        s2 = gl.create_game_session(FleetId="fleet-game", MaximumPlayerSessionCount=2)["GameSession"]
        wait_until("ACTIVE", lambda: gl.describe_game_sessions(GameSessionId=s2["GameSessionId"])["GameSessions"][0]["Status"] == "ACTIVE")
        forced = gl.terminate_game_session(GameSessionId=s2["GameSessionId"], TerminationMode="FORCE_TERMINATE")["GameSession"]
        assert (forced["Status"], forced["StatusReason"]) == ("TERMINATED", "FORCE_TERMINATED")
        third = wait_until("another replacement", lambda: [p for p in processes(e) if p["Status"] == "READY" and p["ProcessId"] not in (first["ProcessId"], second["ProcessId"])], timeout=30)[0]
        assert third["Launched"]
    finally:
        code = e.stop()
    assert code == 0
    log = (logs / "fleet-game" / "process-0.log").read_text()
    # At shutdown the last program was told to end, and did.
    assert log.rstrip().endswith("ended")
    assert "launched game server killed" not in e.log_text()


def test_a_fleet_launched_through_the_control_api(tmp_path):
    e = Emulator(tmp_path, "--process-log-dir", str(tmp_path / "logs"))
    try:
        fleet = control(e, "/_emulator/fleets/launch", {
            "FleetId": "fleet-api", "LaunchPath": sys.executable, "Parameters": f"{HERE / 'game_server.py'} --auto --heartbeat-interval 1", "ConcurrentExecutions": 2,
        })["FleetAttributes"]
        assert fleet["FleetId"] == "fleet-api"
        ready = wait_until("two READY", lambda: len([p for p in processes(e) if p["Status"] == "READY"]) == 2 and processes(e), timeout=30)
        assert len({p["Port"] for p in ready}) == 2
        status, _, body = http(e.url, "/_emulator/fleets/launch", {"FleetId": "fleet-api", "LaunchPath": "x", "ConcurrentExecutions": 99})
        assert status == 400 and b"COUNT from 1 to 50" in body
    finally:
        assert e.stop() == 0


def test_tls_serves_wss_and_https_on_the_same_port_with_the_certificate_it_wrote(tmp_path):
    """--tls: the certificate is written where --tls-certificate says; a game
    server trusting only that file connects over wss://, boto3 trusting it
    calls over https://, and plain http:// still answers on the same port."""
    certificate = tmp_path / "tls" / "certificate.pem"
    e = Emulator(tmp_path, "--tls", "--tls-certificate", str(certificate))
    server = None
    try:
        assert certificate.read_text().startswith("-----BEGIN CERTIFICATE-----")
        secure = boto3.client(
            "gamelift",
            endpoint_url=f"https://127.0.0.1:{e.port}",
            region_name="us-west-2",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            verify=str(certificate),
        )
        secure.create_location(LocationName="custom-home")
        fleet = secure.create_fleet(Name="g", ComputeType="ANYWHERE", Locations=[{"Location": "custom-home"}])[
            "FleetAttributes"
        ]["FleetId"]
        compute = secure.register_compute(FleetId=fleet, ComputeName="pc", IpAddress="127.0.0.1", Location="custom-home")[
            "Compute"
        ]
        assert compute["GameLiftServiceSdkEndpoint"] == f"wss://127.0.0.1:{e.port}"
        token = secure.get_compute_auth_token(FleetId=fleet, ComputeName="pc")["AuthToken"]
        trust = ssl.create_default_context(cafile=str(certificate))
        server = GameServer(compute["GameLiftServiceSdkEndpoint"], fleet, "pc", "p-1", token, tls=trust)
        server.init_sdk()
        port = free_port()
        server.process_ready(port)
        assert server.get_compute_certificate()["CertificatePath"] == str(certificate)
        # The plain port answers too, and sees what TLS clients made.
        plain = e.client()
        gs = plain.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2)["GameSession"]
        server.wait_for_push("CreateGameSession")
        wait_until("ACTIVE", lambda: secure.describe_game_sessions(GameSessionId=gs["GameSessionId"])["GameSessions"][0]["Status"] == "ACTIVE")
        assert secure.describe_game_sessions(GameSessionId=gs["GameSessionId"])["GameSessions"][0]["Port"] == port
        # A client that does not trust the certificate is refused by its own TLS.
        with pytest.raises(ssl.SSLCertVerificationError) as refused:
            GameServer(compute["GameLiftServiceSdkEndpoint"], fleet, "pc", "p-2", token, tls=ssl.create_default_context()).init_sdk()
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
    finally:
        if server:
            server.close()
        e.stop()


def test_a_backfill_that_fills_the_session_tells_its_server_the_new_matchmaker_data(anywhere):
    gl = anywhere.gl
    server = anywhere.server(ready_port=7777)
    queue = gl.create_game_session_queue(Name="mq", Destinations=[{"DestinationArn": anywhere.fleet["FleetArn"]}])["GameSessionQueue"]
    rules = json.loads(RULES)
    rules["teams"] = [{"name": "red", "minPlayers": 1, "maxPlayers": 2}, {"name": "blue", "minPlayers": 1, "maxPlayers": 2}]
    gl.create_matchmaking_rule_set(Name="duo", RuleSetBody=json.dumps(rules))
    config = gl.create_matchmaking_configuration(
        Name="duo", GameSessionQueueArns=[queue["GameSessionQueueArn"]], RequestTimeoutSeconds=60,
        AcceptanceRequired=False, RuleSetName="duo", BackfillMode="MANUAL")["Configuration"]
    for player in ("alice", "bob"):
        gl.start_matchmaking(TicketId=f"t-{player}", ConfigurationName="duo", Players=[{"PlayerId": player}])
    push = server.wait_for_push("CreateGameSession", timeout=15)
    data = json.loads(push["MatchmakerData"])
    teams = {p["playerId"]: t["name"] for t in data["teams"] for p in t["players"]}
    backfill = server.start_match_backfill(
        config["ConfigurationArn"], [{"PlayerId": p, "Team": team} for p, team in sorted(teams.items())])
    gl.start_matchmaking(TicketId="t-carol", ConfigurationName="duo", Players=[{"PlayerId": "carol"}])
    update = server.wait_for_push("UpdateGameSession", timeout=20)
    assert update["UpdateReason"] == "MATCHMAKING_DATA_UPDATED"
    assert update["BackfillTicketId"] == backfill["TicketId"]
    assert update["RequestId"] == "" and update["StatusCode"] == 200
    players = sorted(p["playerId"] for t in json.loads(update["GameSession"]["MatchmakerData"])["teams"] for p in t["players"])
    assert players == ["alice", "bob", "carol"]
    assert server.game_session["GameSessionId"] == push["GameSessionId"]
