"""Aliases through boto3: a SIMPLE alias stands for its fleet in create,
describe and search; a TERMINAL one answers its message; they survive a
crash."""

import json
import signal

import pytest

from test_program import FLEET, Emulator, error_of


def simple(gl, fleet, name="live"):
    return gl.create_alias(Name=name, RoutingStrategy={"Type": "SIMPLE", "FleetId": fleet})["Alias"]


def test_a_simple_alias_stands_for_its_fleet(gamelift):
    alias = simple(gamelift, "fleet-a11a5001")
    assert alias["AliasId"].startswith("alias-") and alias["AliasArn"].endswith(":alias/" + alias["AliasId"])
    assert alias["RoutingStrategy"] == {"Type": "SIMPLE", "FleetId": "fleet-a11a5001"}
    assert alias["CreationTime"] == alias["LastUpdatedTime"]
    gs = gamelift.create_game_session(AliasId=alias["AliasId"], MaximumPlayerSessionCount=4, Name="via alias")["GameSession"]
    assert gs["FleetId"] == "fleet-a11a5001" and "/fleet-a11a5001/" in gs["GameSessionId"]
    for by in (alias["AliasId"], alias["AliasArn"]):
        assert [g["Name"] for g in gamelift.describe_game_sessions(AliasId=by)["GameSessions"]] == ["via alias"]
        assert [g["Name"] for g in gamelift.search_game_sessions(AliasId=by)["GameSessions"]] == ["via alias"]
    assert gamelift.resolve_alias(AliasId=alias["AliasId"])["FleetId"] == "fleet-a11a5001"
    assert gamelift.resolve_alias(AliasId=alias["AliasId"])["FleetArn"].endswith(":fleet/fleet-a11a5001")
    # Pointed at another fleet, the alias routes new sessions and searches there.
    updated = gamelift.update_alias(AliasId=alias["AliasId"], Description="blue/green",
                                    RoutingStrategy={"Type": "SIMPLE", "FleetId": "fleet-a11a5002"})["Alias"]
    assert (updated["Name"], updated["Description"]) == ("live", "blue/green")
    assert updated["LastUpdatedTime"] >= updated["CreationTime"]
    gamelift.create_game_session(AliasId=alias["AliasId"], MaximumPlayerSessionCount=4, Name="green")
    assert [g["Name"] for g in gamelift.search_game_sessions(AliasId=alias["AliasId"])["GameSessions"]] == ["green"]
    assert gamelift.describe_alias(AliasId=alias["AliasId"])["Alias"] == updated


def test_a_terminal_alias_answers_its_message(gamelift):
    alias = gamelift.create_alias(Name="retired", RoutingStrategy={"Type": "TERMINAL", "Message": "Season 3 has ended"})["Alias"]
    for call, kwargs in ((gamelift.create_game_session, {"MaximumPlayerSessionCount": 2}),
                         (gamelift.describe_game_sessions, {}),
                         (gamelift.search_game_sessions, {}),
                         (gamelift.resolve_alias, {})):
        code, message, status = error_of(call, AliasId=alias["AliasId"], **kwargs)
        assert (code, message, status) == ("TerminalRoutingStrategyException", "Season 3 has ended", 400), call


def test_list_filters_pages_and_delete(gamelift, raw):
    names = [f"listed-{i}" for i in range(5)]
    made = [simple(gamelift, "fleet-a11a5003", name) if i % 2 == 0 else
            gamelift.create_alias(Name=name, RoutingStrategy={"Type": "TERMINAL", "Message": "m"})["Alias"]
            for i, name in enumerate(names)]
    listed = [a["Name"] for page in gamelift.get_paginator("list_aliases").paginate(PaginationConfig={"PageSize": 2})
              for a in page["Aliases"]]
    assert [n for n in listed if n.startswith("listed-")] == names
    terminal = gamelift.list_aliases(RoutingStrategyType="TERMINAL", Name="listed-1")["Aliases"]
    assert [a["AliasId"] for a in terminal] == [made[1]["AliasId"]]
    gamelift.delete_alias(AliasId=made[0]["AliasId"])
    for call in (gamelift.describe_alias, gamelift.delete_alias, gamelift.resolve_alias):
        assert error_of(call, AliasId=made[0]["AliasId"])[:2] == ("NotFoundException", f"Alias {made[0]['AliasId']} not found")
    code, message, _ = error_of(gamelift.create_game_session, AliasId=made[0]["AliasId"], MaximumPlayerSessionCount=1)
    assert (code, message) == ("NotFoundException", f"Alias {made[0]['AliasId']} not found")
    code, message, _ = error_of(raw.create_alias, Name=" ", RoutingStrategy={"Type": "SIMPLE", "FleetId": "pool-1"})
    assert (code, message) == ("InvalidRequestException",
                               "2 validation errors detected: Value ' ' at 'name' failed to satisfy constraint: "
                               "Member must satisfy regular expression pattern: .*\\S.*; Value 'pool-1' at "
                               "'routingStrategy.fleetId' failed to satisfy constraint: Member must satisfy regular "
                               "expression pattern: ^[a-z]*fleet-[a-zA-Z0-9\\-]+")
    assert error_of(raw.create_alias, Name="n", RoutingStrategy={"Type": "SIMPLE"})[:2] == (
        "InvalidRequestException", "A SIMPLE RoutingStrategy needs a FleetId")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_aliases_survive_a_stop(tmp_path, sig):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    gl = e.client()
    kept = simple(gl, FLEET, "kept")
    gone = simple(gl, FLEET, "gone")
    gl.update_alias(AliasId=kept["AliasId"], Name="kept2")
    gl.delete_alias(AliasId=gone["AliasId"])
    before = gl.list_aliases()["Aliases"]
    e.proc.send_signal(sig)
    e.proc.wait(timeout=20)
    e.log.close()
    again = Emulator(tmp_path, "--state", str(state))
    gl = again.client()
    assert gl.list_aliases()["Aliases"] == before and [a["Name"] for a in before] == ["kept2"]
    assert gl.create_game_session(AliasId=kept["AliasId"], MaximumPlayerSessionCount=1)["GameSession"]["FleetId"] == FLEET
    assert again.stop() == 0


def test_a_fixture_declares_aliases_and_reset_forgets_them(tmp_path):
    from test_program import http, run_cli
    from conftest import free_port
    state = tmp_path / "fixture.json"
    alias = {"AliasId": "alias-fixture-1", "Name": "from a fixture",
             "RoutingStrategy": {"Type": "SIMPLE", "FleetId": FLEET}}
    state.write_text(json.dumps({"Version": 1, "Aliases": [alias, {**alias, "Name": "twin"}]}))
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert (result.returncode, result.stderr) == (1, f"gamelift-emulator: state file {state}: Aliases[1] repeats the AliasId alias-fixture-1\n")
    state.write_text(json.dumps({"Version": 1, "Aliases": [alias]}))
    e = Emulator(tmp_path, "--state", str(state))
    gl = e.client()
    assert gl.resolve_alias(AliasId="alias-fixture-1")["FleetId"] == FLEET
    http(e.url, "/_emulator/reset", b"")
    assert gl.list_aliases()["Aliases"] == []
    assert e.stop() == 0
