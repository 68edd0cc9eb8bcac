"""Game session placement through queues, as backends use it: start a
placement, poll it to FULFILLED, and find the game session it made."""

import json
import signal

import pytest

from test_program import Emulator, error_of, http

ARN = "arn:aws:gamelift:us-west-2:123456789012:fleet/{}"


@pytest.fixture
def em(tmp_path):
    e = Emulator(tmp_path, "--fleet", "fleet-full=1", "--fleet", "fleet-room=5")
    yield e
    if e.proc.poll() is None:
        e.stop()


def advance(e, seconds):
    status, _, body = http(e.url, "/_emulator/clock/advance", {"Seconds": seconds})
    assert status == 200, body
    return json.loads(body)["Now"]


def test_a_placement_goes_to_the_first_destination_with_room(em):
    gl = em.client()
    gl.create_game_session(FleetId="fleet-full", MaximumPlayerSessionCount=2)
    queue = gl.create_game_session_queue(Name="main", TimeoutInSeconds=30,
                                         Destinations=[{"DestinationArn": ARN.format("fleet-full")},
                                                       {"DestinationArn": ARN.format("fleet-room")}])["GameSessionQueue"]
    assert queue["GameSessionQueueArn"] == "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/main"
    started = gl.start_game_session_placement(
        PlacementId="p-1", GameSessionQueueName="main", MaximumPlayerSessionCount=4, GameSessionName="placed",
        GameProperties=[{"Key": "mode", "Value": "ranked"}],
        PlayerLatencies=[{"PlayerId": "alice", "RegionIdentifier": "us-west-2", "LatencyInMilliseconds": 20.0}],
        DesiredPlayerSessions=[{"PlayerId": "alice", "PlayerData": "team=red"}, {"PlayerId": "bob"}],
    )["GameSessionPlacement"]
    assert started["Status"] == "PENDING" and "GameSessionArn" not in started
    placed = gl.describe_game_session_placement(PlacementId="p-1")["GameSessionPlacement"]
    assert placed["Status"] == "FULFILLED"
    gid = placed["GameSessionArn"]
    assert "/fleet-room/" in gid and placed["GameSessionId"] == gid and placed["GameSessionRegion"] == "us-west-2"
    assert placed["IpAddress"] == "127.0.0.1" and placed["Port"] >= 7777 and placed["DnsName"].startswith("ec2-")
    assert [p["PlayerId"] for p in placed["PlacedPlayerSessions"]] == ["alice", "bob"]
    assert placed["EndTime"] >= placed["StartTime"]
    # The game session it made is an ordinary one: described, joined, updated, searched.
    gs = gl.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]
    assert (gs["Name"], gs["Status"], gs["CurrentPlayerSessionCount"], gs["MaximumPlayerSessionCount"]) == ("placed", "ACTIVE", 2, 4)
    players = gl.describe_player_sessions(GameSessionId=gid)["PlayerSessions"]
    assert [(p["PlayerId"], p.get("PlayerData")) for p in players] == [("alice", "team=red"), ("bob", None)]
    assert [p["PlayerSessionId"] for p in players] == [p["PlayerSessionId"] for p in placed["PlacedPlayerSessions"]]
    gl.create_player_session(GameSessionId=gid, PlayerId="carol")
    gl.update_game_session(GameSessionId=gid, GameProperties=[{"Key": "map", "Value": "harbor"}])
    found = gl.search_game_sessions(FleetId="fleet-room", FilterExpression="gameSessionProperties.map = 'harbor'")
    assert [g["GameSessionId"] for g in found["GameSessions"]] == [gid]


def test_a_placement_times_out_waits_for_room_and_can_be_stopped(em):
    gl = em.client()
    full = gl.create_game_session(FleetId="fleet-full", MaximumPlayerSessionCount=2)["GameSession"]
    gl.create_game_session_queue(Name="tiny", TimeoutInSeconds=10, Destinations=[{"DestinationArn": ARN.format("fleet-full")}])
    for pid in ("p-late", "p-wait", "p-stop"):
        gl.start_game_session_placement(PlacementId=pid, GameSessionQueueName="tiny", MaximumPlayerSessionCount=2)
    assert gl.describe_game_session_placement(PlacementId="p-late")["GameSessionPlacement"]["Status"] == "PENDING"
    stopped = gl.stop_game_session_placement(PlacementId="p-stop")["GameSessionPlacement"]
    assert stopped["Status"] == "CANCELLED" and "EndTime" in stopped
    code, message, _ = error_of(gl.stop_game_session_placement, PlacementId="p-stop")
    assert (code, message) == ("InvalidRequestException", "Game session placement p-stop is CANCELLED and cannot be stopped")
    # Room frees up: the next look places the waiting one.
    gl.terminate_game_session(GameSessionId=full["GameSessionId"], TerminationMode="FORCE_TERMINATE")
    assert gl.describe_game_session_placement(PlacementId="p-wait")["GameSessionPlacement"]["Status"] == "FULFILLED"
    # The other finds the fleet full again, and times out on the emulator's clock.
    advance(em, 5)
    assert gl.describe_game_session_placement(PlacementId="p-late")["GameSessionPlacement"]["Status"] == "PENDING"
    advance(em, 6)
    late = gl.describe_game_session_placement(PlacementId="p-late")["GameSessionPlacement"]
    assert late["Status"] == "TIMED_OUT" and late["EndTime"] > late["StartTime"]


def test_an_alias_destination_and_the_errors(em):
    gl = em.client()
    alias = gl.create_alias(Name="live", RoutingStrategy={"Type": "SIMPLE", "FleetId": "fleet-room"})["Alias"]
    retired = gl.create_alias(Name="old", RoutingStrategy={"Type": "TERMINAL", "Message": "gone"})["Alias"]
    gl.create_game_session_queue(Name="aliased", Destinations=[{"DestinationArn": retired["AliasArn"]},
                                                               {"DestinationArn": alias["AliasArn"]}])
    gl.start_game_session_placement(PlacementId="p-alias", GameSessionQueueName="aliased", MaximumPlayerSessionCount=2)
    placed = gl.describe_game_session_placement(PlacementId="p-alias")["GameSessionPlacement"]
    assert placed["Status"] == "FULFILLED" and "/fleet-room/" in placed["GameSessionArn"]
    assert error_of(gl.start_game_session_placement, PlacementId="p-alias", GameSessionQueueName="aliased",
                    MaximumPlayerSessionCount=2)[:2] == ("InvalidRequestException", "A game session placement with id p-alias already exists")
    assert error_of(gl.start_game_session_placement, PlacementId="p-x", GameSessionQueueName="nope",
                    MaximumPlayerSessionCount=2)[:2] == ("NotFoundException", "Game session queue nope not found")
    assert error_of(gl.describe_game_session_placement, PlacementId="p-none")[:2] == (
        "NotFoundException", "Game session placement p-none not found")


def test_queues_are_described_updated_and_deleted(em, raw):
    gl = em.client()
    for name in ("q-a", "q-b", "q-c"):
        gl.create_game_session_queue(Name=name)
    assert error_of(gl.create_game_session_queue, Name="q-a")[:2] == ("InvalidRequestException", "A game session queue named q-a already exists")
    pages = gl.get_paginator("describe_game_session_queues").paginate(PaginationConfig={"PageSize": 2})
    assert [q["Name"] for page in pages for q in page["GameSessionQueues"]] == ["q-a", "q-b", "q-c"]
    named = gl.describe_game_session_queues(Names=["q-c", "arn:aws:gamelift:us-west-2:123456789012:gamesessionqueue/q-a"])
    assert [q["Name"] for q in named["GameSessionQueues"]] == ["q-a", "q-c"]
    updated = gl.update_game_session_queue(Name="q-b", TimeoutInSeconds=45,
                                           Destinations=[{"DestinationArn": ARN.format("fleet-room")}])["GameSessionQueue"]
    assert (updated["TimeoutInSeconds"], updated["Destinations"]) == (45, [{"DestinationArn": ARN.format("fleet-room")}])
    assert gl.describe_game_session_queues(Names=["q-a"])["GameSessionQueues"][0]["TimeoutInSeconds"] == 600
    gl.delete_game_session_queue(Name="q-b")
    assert error_of(gl.update_game_session_queue, Name="q-b")[:2] == ("NotFoundException", "Game session queue q-b not found")
    code, message, _ = error_of(raw.create_game_session_queue, Name="bad name", TimeoutInSeconds=-1)
    assert (code, message) == ("InvalidRequestException",
                               "2 validation errors detected: Value 'bad name' at 'name' failed to satisfy constraint: "
                               "Member must satisfy regular expression pattern: [a-zA-Z0-9-]+; Value '-1' at "
                               "'timeoutInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 10")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_queues_and_placements_survive_a_stop(tmp_path, sig):
    state = tmp_path / "state.json"
    args = ("--state", str(state), "--fleet", "fleet-full=1")
    e = Emulator(tmp_path, *args)
    gl = e.client()
    full = gl.create_game_session(FleetId="fleet-full", MaximumPlayerSessionCount=2)["GameSession"]
    gl.create_game_session_queue(Name="kept", Destinations=[{"DestinationArn": ARN.format("fleet-full")}])
    gl.start_game_session_placement(PlacementId="p-kept", GameSessionQueueName="kept", MaximumPlayerSessionCount=2,
                                    DesiredPlayerSessions=[{"PlayerId": "dora", "PlayerData": "d"}])
    e.proc.send_signal(sig)
    e.proc.wait(timeout=20)
    e.log.close()
    again = Emulator(tmp_path, *args)
    gl = again.client()
    assert gl.describe_game_session_placement(PlacementId="p-kept")["GameSessionPlacement"]["Status"] == "PENDING"
    gl.terminate_game_session(GameSessionId=full["GameSessionId"], TerminationMode="FORCE_TERMINATE")
    placed = gl.describe_game_session_placement(PlacementId="p-kept")["GameSessionPlacement"]
    assert placed["Status"] == "FULFILLED", "the desired players outlived the stop too"
    assert [p["PlayerId"] for p in placed["PlacedPlayerSessions"]] == ["dora"]
    assert again.stop() == 0


def test_a_placement_fails_when_its_players_cannot_fit_or_its_queue_is_gone(em):
    gl = em.client()
    gl.create_game_session_queue(Name="fit", Destinations=[{"DestinationArn": ARN.format("fleet-room")}])
    gl.start_game_session_placement(PlacementId="p-big", GameSessionQueueName="fit", MaximumPlayerSessionCount=1,
                                    DesiredPlayerSessions=[{"PlayerId": "a"}, {"PlayerId": "b"}])
    failed = gl.describe_game_session_placement(PlacementId="p-big")["GameSessionPlacement"]
    assert failed["Status"] == "FAILED" and "GameSessionArn" not in failed
    assert gl.describe_game_sessions(FleetId="fleet-room")["GameSessions"] == [], "no session was made"
    gl.create_game_session(FleetId="fleet-full", MaximumPlayerSessionCount=1)
    gl.create_game_session_queue(Name="gone", Destinations=[{"DestinationArn": ARN.format("fleet-full")}])
    gl.start_game_session_placement(PlacementId="p-orphan", GameSessionQueueName="gone", MaximumPlayerSessionCount=1)
    gl.delete_game_session_queue(Name="gone")
    assert gl.describe_game_session_placement(PlacementId="p-orphan")["GameSessionPlacement"]["Status"] == "FAILED"
