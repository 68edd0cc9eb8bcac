"""Fleets: declared with a capacity that bounds their live game sessions,
and answered by DescribeFleetAttributes and ListFleets with every fleet a
session names."""

import pytest

from test_program import Emulator, error_of, run_cli


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
])
def test_a_bad_fleet_is_clap_error(form, message):
    result = run_cli("--fleet", form)
    assert result.returncode == 2
    assert f"invalid value '{form}' for '--fleet <ID[=CAPACITY]>': {message}" in result.stderr
