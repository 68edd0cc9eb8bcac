"""Fleets: declared with a capacity that bounds their live game sessions,
and answered by DescribeFleetAttributes and ListFleets with every fleet a
session names."""

import json
import signal

import pytest

from test_program import Emulator, error_of, http, run_cli


@pytest.fixture
def fleets(tmp_path):
    e = Emulator(tmp_path, "--fleet", "fleet-cap=2", "--fleet", "fleet-free")
    yield e
    if e.proc.poll() is None:
        e.stop()


def test_a_declared_capacity_bounds_live_sessions(fleets):
    gl = fleets.client()
    a, b = (gl.create_game_session(FleetId="fleet-cap", MaximumPlayerSessionCount=2)["GameSession"] for _ in range(2))
    code, message, status = error_of(gl.create_game_session, FleetId="fleet-cap", MaximumPlayerSessionCount=2)
    assert (code, message, status) == ("FleetCapacityExceededException",
                                       "Fleet fleet-cap has no room for a new game session: 2 of 2 are live", 400)
    # By ARN too, and an ending session still holds its place.
    arn = "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-cap"
    assert error_of(gl.create_game_session, FleetId=arn, MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
    gl.terminate_game_session(GameSessionId=a["GameSessionId"], TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")
    assert error_of(gl.create_game_session, FleetId="fleet-cap", MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
    gl.terminate_game_session(GameSessionId=b["GameSessionId"], TerminationMode="FORCE_TERMINATE")
    assert gl.create_game_session(FleetId="fleet-cap", MaximumPlayerSessionCount=2)["GameSession"]["Status"] == "ACTIVE"
    for _ in range(5):
        gl.create_game_session(FleetId="fleet-free", MaximumPlayerSessionCount=2)


def test_fleet_attributes_and_the_fleet_list(fleets):
    gl = fleets.client()
    gl.create_game_session(FleetId="fleet-seen", MaximumPlayerSessionCount=2)
    every = gl.describe_fleet_attributes()["FleetAttributes"]
    assert [f["FleetId"] for f in every] == ["fleet-cap", "fleet-free", "fleet-seen"]
    first = every[0]
    assert first["FleetArn"] == "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-cap"
    assert (first["Status"], first["FleetType"], first["ComputeType"], first["Name"]) == ("ACTIVE", "ON_DEMAND", "EC2", "fleet-cap")
    named = gl.describe_fleet_attributes(FleetIds=["fleet-nowhere", "fleet-seen", "fleet-cap"], Limit=1)["FleetAttributes"]
    assert [f["FleetId"] for f in named] == ["fleet-seen", "fleet-cap"], "existing fleets only, Limit ignored"
    pages = gl.get_paginator("list_fleets").paginate(PaginationConfig={"PageSize": 2})
    assert [i for page in pages for i in page["FleetIds"]] == ["fleet-cap", "fleet-free", "fleet-seen"]
    code, message, _ = error_of(gl.describe_fleet_attributes, FleetIds=["not a fleet"])
    assert code == "InvalidRequestException" and "at 'fleetIds.1.member'" in message


@pytest.mark.parametrize("form,message", [
    ("pool-1", "expected a fleet id: fleet- and letters, digits or -"),
    ("fleet-1=ten", "expected ID=CAPACITY with CAPACITY a whole number of game sessions"),
    ("fleet-1=2@US East", 'expected locations of lower-case letters, digits and -, not "US East"'),
])
def test_a_bad_fleet_is_clap_error(form, message):
    result = run_cli("--fleet", form)
    assert result.returncode == 2
    assert f"invalid value '{form}' for '--fleet <ID[=CAPACITY][@LOCATIONS]>': {message}" in result.stderr


def test_a_fleet_with_locations_takes_sessions_only_there(tmp_path):
    e = Emulator(tmp_path, "--fleet", "fleet-world=5@us-east-1,eu-west-1")
    try:
        gl = e.client()
        for location in (None, "us-west-2", "us-east-1", "eu-west-1"):
            extra = {"Location": location} if location else {}
            gs = gl.create_game_session(FleetId="fleet-world", MaximumPlayerSessionCount=2, **extra)["GameSession"]
            assert gs["Location"] == (location or "us-west-2")
        code, message, _ = error_of(gl.create_game_session, FleetId="fleet-world", MaximumPlayerSessionCount=2,
                                    Location="ap-south-1")
        assert (code, message) == ("InvalidRequestException", "Location ap-south-1 is not a location of fleet fleet-world")
        found = gl.search_game_sessions(FleetId="fleet-world", Location="eu-west-1")["GameSessions"]
        assert [g["Location"] for g in found] == ["eu-west-1"]
    finally:
        e.stop()


def test_fleets_are_declared_through_the_control_api_and_kept_in_the_state_file(tmp_path):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    try:
        gl = e.client()
        status, _, body = http(e.url, "/_emulator/fleets", {"FleetId": "fleet-late", "Capacity": 1, "Locations": ["us-east-1"]})
        assert status == 200 and json.loads(body)["Fleet"] == {"FleetId": "fleet-late", "Capacity": 1, "Locations": ["us-east-1"]}
        status, _, body = http(e.url, "/_emulator/fleets", {"FleetId": "not-a-fleet"})
        assert status == 400 and json.loads(body)["Message"] == "expected a fleet id: fleet- and letters, digits or -"
        status, _, body = http(e.url, "/_emulator/fleets", {"FleetId": "fleet-x", "Capcity": 1})
        assert status == 400, body
        gl.create_game_session(FleetId="fleet-late", MaximumPlayerSessionCount=2)
        assert error_of(gl.create_game_session, FleetId="fleet-late", MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
        # A reset forgets sessions, not the fleets declared.
        assert http(e.url, "/_emulator/reset", {})[0] == 200
        gl.create_game_session(FleetId="fleet-late", MaximumPlayerSessionCount=2)
        assert error_of(gl.create_game_session, FleetId="fleet-late", MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
        e.proc.send_signal(signal.SIGKILL)
        e.proc.wait()
    finally:
        if e.proc.poll() is None:
            e.stop()
    # Read back from the journal after the kill, then declared again by the flag.
    again = Emulator(tmp_path, "--state", str(state), "--fleet", "fleet-late=2")
    try:
        gl = again.client()
        assert [f["FleetId"] for f in gl.describe_fleet_attributes()["FleetAttributes"]] == ["fleet-late"]
        gl.create_game_session(FleetId="fleet-late", MaximumPlayerSessionCount=2)
        assert error_of(gl.create_game_session, FleetId="fleet-late", MaximumPlayerSessionCount=2)[0] == "FleetCapacityExceededException"
        again.stop()
        saved = json.loads(state.read_text())
        assert saved["Fleets"] == [{"FleetId": "fleet-late", "Capacity": 2}]
    finally:
        if again.proc.poll() is None:
            again.stop()
