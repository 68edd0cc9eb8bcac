"""The emulator, driven only through boto3 and the AWS CLI, as users drive GameLift."""

import datetime
import json
import os
import subprocess
import threading
import urllib.error
import urllib.request

import botocore.exceptions
import pytest

from conftest import make_client

ARN_PREFIX = "arn:aws:gamelift:us-west-2::gamesession/fleet-1a2b3c4d/"
PATTERN = "^[a-zA-Z0-9:/-]+$"


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def one_violation(text):
    return f"1 validation error detected: {text}"


# -- create and describe --------------------------------------------------------


def test_create_returns_an_active_session_with_botocore_types(session):
    assert session["GameSessionId"].startswith(ARN_PREFIX)
    assert session["Status"] == "ACTIVE"
    assert session["FleetId"] == "fleet-1a2b3c4d"
    assert session["FleetArn"].endswith(":fleet/fleet-1a2b3c4d")
    assert isinstance(session["CreationTime"], datetime.datetime)
    assert session["CreationTime"].tzinfo is not None
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - session["CreationTime"]).total_seconds()) < 60
    assert session["CurrentPlayerSessionCount"] == 0
    assert session["MaximumPlayerSessionCount"] == 10
    assert session["PlayerSessionCreationPolicy"] == "ACCEPT_ALL"
    assert session["GameProperties"] == [{"Key": "difficulty", "Value": "novice"}, {"Key": "mode", "Value": "casual"}]
    assert "ProtectionPolicy" not in session


def test_create_with_a_custom_id_names_the_arn_and_is_idempotent(gamelift):
    first = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2, GameSessionId="custom-id-1")
    again = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2, GameSessionId="custom-id-1")
    assert first["GameSession"]["GameSessionId"] == ARN_PREFIX + "custom-id-1"
    assert again["GameSession"] == first["GameSession"]


def test_an_idempotency_token_replays_or_mismatches(gamelift):
    first = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2, Name="a",
                                         IdempotencyToken="token-1")["GameSession"]
    assert first["GameSessionId"] == ARN_PREFIX + "token-1"
    gamelift.update_game_session(GameSessionId=first["GameSessionId"], Name="renamed")
    # The same request again: the session, as it is now.
    again = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2, Name="a",
                                         IdempotencyToken="token-1")["GameSession"]
    assert again["GameSessionId"] == first["GameSessionId"] and again["Name"] == "renamed"
    for changed in ({"MaximumPlayerSessionCount": 3}, {"Name": "b"},
                    {"GameProperties": [{"Key": "k", "Value": "v"}]}):
        params = {"FleetId": "fleet-1a2b3c4d", "MaximumPlayerSessionCount": 2, "Name": "a", "IdempotencyToken": "token-1", **changed}
        code, message, status = error_of(gamelift.create_game_session, **params)
        assert (code, message, status) == ("IdempotentParameterMismatchException",
                                           "A game session with this custom ID string already exists in this fleet", 400), changed
    # Tokens are per fleet: another fleet makes another session.
    other = gamelift.create_game_session(FleetId="fleet-other", MaximumPlayerSessionCount=2, Name="a",
                                         IdempotencyToken="token-1")["GameSession"]
    assert other["GameSessionId"] == "arn:aws:gamelift:us-west-2::gamesession/fleet-other/token-1"
    # IdempotencyToken wins over the deprecated GameSessionId.
    both = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2,
                                        IdempotencyToken="token-2", GameSessionId="ignored-id")["GameSession"]
    assert both["GameSessionId"] == ARN_PREFIX + "token-2"


def test_create_validation_failures(raw):
    code, message, status = error_of(raw.create_game_session, FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=-1, Name="")
    assert (code, status) == ("InvalidRequestException", 400)
    assert message == (
        "2 validation errors detected: Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0; Value '' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )
    code, message, _ = error_of(raw.create_game_session, MaximumPlayerSessionCount=1)
    assert (code, message) == ("InvalidRequestException", "A game session needs a fleet: specify FleetId or AliasId")
    code, message, _ = error_of(raw.create_game_session, AliasId="alias-123", MaximumPlayerSessionCount=1)
    assert (code, message) == ("NotFoundException", "Alias alias-123 not found")


def test_describe_sessions_and_details(gamelift, session):
    gid = session["GameSessionId"]
    described = gamelift.describe_game_sessions(GameSessionId=gid)["GameSessions"]
    assert described == [session]
    details = gamelift.describe_game_session_details(GameSessionId=gid)["GameSessionDetails"]
    assert details == [{"GameSession": session, "ProtectionPolicy": "NoProtection"}]
    fleet = gamelift.describe_game_sessions(FleetId="fleet-1a2b3c4d")["GameSessions"]
    assert gid in [s["GameSessionId"] for s in fleet]
    code, message, _ = error_of(gamelift.describe_game_sessions, GameSessionId=ARN_PREFIX + "missing")
    assert (code, message) == ("NotFoundException", f"Game session {ARN_PREFIX}missing not found")


def test_describe_pages_with_next_token(gamelift):
    fleet = "fleet-paging"
    ids = [gamelift.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=1)["GameSession"]["GameSessionId"] for _ in range(5)]
    seen, token = [], None
    while True:
        kwargs = {"FleetId": fleet, "Limit": 2}
        if token:
            kwargs["NextToken"] = token
        page = gamelift.describe_game_sessions(**kwargs)
        seen += [s["GameSessionId"] for s in page["GameSessions"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ids
    paginated = [s["GameSessionId"] for p in gamelift.get_paginator("describe_game_sessions").paginate(FleetId=fleet, PaginationConfig={"PageSize": 2}) for s in p["GameSessions"]]
    assert paginated == ids


# -- update every member ----------------------------------------------------------


def test_update_every_member(gamelift, session):
    gid = session["GameSessionId"]
    updated = gamelift.update_game_session(
        GameSessionId=gid,
        Name="Saturday",
        MaximumPlayerSessionCount=20,
        PlayerSessionCreationPolicy="DENY_ALL",
        ProtectionPolicy="FullProtection",
        GameProperties=[{"Key": "mode", "Value": "ranked"}, {"Key": "map", "Value": "harbor"}],
    )["GameSession"]
    assert updated["Name"] == "Saturday"
    assert updated["MaximumPlayerSessionCount"] == 20
    assert updated["PlayerSessionCreationPolicy"] == "DENY_ALL"
    assert updated["GameProperties"] == [
        {"Key": "difficulty", "Value": "novice"},
        {"Key": "mode", "Value": "ranked"},
        {"Key": "map", "Value": "harbor"},
    ]
    # ProtectionPolicy is not part of a GameSession: only the details show it.
    assert "ProtectionPolicy" not in updated
    assert "ProtectionPolicy" not in gamelift.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]
    detail = gamelift.describe_game_session_details(GameSessionId=gid)["GameSessionDetails"][0]
    assert detail["ProtectionPolicy"] == "FullProtection"
    assert detail["GameSession"] == updated
    for member in ("GameSessionId", "FleetId", "FleetArn", "CreationTime", "Status", "CurrentPlayerSessionCount", "Location"):
        assert updated[member] == session[member], member


def test_an_update_that_changes_nothing_succeeds(gamelift, session):
    same = gamelift.update_game_session(GameSessionId=session["GameSessionId"], Name="Friday night", GameProperties=[{"Key": "mode", "Value": "casual"}])
    assert same["GameSession"] == session


def test_properties_are_never_deleted_and_period_keys_are_kept(gamelift, session):
    gid = session["GameSessionId"]
    gamelift.update_game_session(GameSessionId=gid, GameProperties=[])
    kept = gamelift.update_game_session(GameSessionId=gid, GameProperties=[{"Key": "map.name", "Value": "harbor"}, {"Key": "difficulty", "Value": ""}])["GameSession"]
    assert kept["GameProperties"] == [
        {"Key": "difficulty", "Value": ""},
        {"Key": "mode", "Value": "casual"},
        {"Key": "map.name", "Value": "harbor"},
    ]


def test_a_repeated_key_takes_its_last_value(gamelift, session):
    updated = gamelift.update_game_session(
        GameSessionId=session["GameSessionId"],
        GameProperties=[{"Key": "x", "Value": "1"}, {"Key": "x", "Value": "2"}],
    )["GameSession"]
    assert updated["GameProperties"][-1] == {"Key": "x", "Value": "2"}
    assert [p["Key"] for p in updated["GameProperties"]].count("x") == 1


def test_the_16_property_merge_limit(gamelift):
    props = [{"Key": f"k{i}", "Value": "v"} for i in range(16)]
    gid = gamelift.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=1, GameProperties=props)["GameSession"]["GameSessionId"]
    code, message, status = error_of(gamelift.update_game_session, GameSessionId=gid, GameProperties=[{"Key": "k16", "Value": "v"}])
    assert (code, status) == ("InvalidRequestException", 400)
    assert message == f"Game session {gid} would have 17 game properties after the update, more than the limit of 16; game properties cannot be deleted"
    ok = gamelift.update_game_session(GameSessionId=gid, GameProperties=[{"Key": "k15", "Value": "w"}])["GameSession"]
    assert ok["GameProperties"][15] == {"Key": "k15", "Value": "w"}
    assert len(ok["GameProperties"]) == 16


# -- every validation failure -------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"GameSessionId": "x y"}, f"Value 'x y' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: {PATTERN}"),
        ({"GameSessionId": "a" * 513}, f"Value '{'a' * 256}...' at 'gameSessionId' failed to satisfy constraint: Member must have length less than or equal to 512"),
        ({"MaximumPlayerSessionCount": -1}, "Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0"),
        ({"Name": ""}, "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        ({"Name": "n" * 1025}, f"Value '{'n' * 256}...' at 'name' failed to satisfy constraint: Member must have length less than or equal to 1024"),
        ({"PlayerSessionCreationPolicy": "ACCEPT_SOME"}, "Value 'ACCEPT_SOME' at 'playerSessionCreationPolicy' failed to satisfy constraint: Member must satisfy enum value set: [ACCEPT_ALL, DENY_ALL]"),
        ({"ProtectionPolicy": "Full"}, "Value 'Full' at 'protectionPolicy' failed to satisfy constraint: Member must satisfy enum value set: [NoProtection, FullProtection]"),
        ({"GameProperties": [{"Key": f"k{i}", "Value": "v"} for i in range(17)]}, "Value at 'gameProperties' failed to satisfy constraint: Member must have length less than or equal to 16"),
        ({"GameProperties": [{"Key": "k" * 33, "Value": "v"}]}, f"Value '{'k' * 33}' at 'gameProperties.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 32"),
        ({"GameProperties": [{"Key": "a", "Value": "ok"}, {"Key": "b", "Value": "secret" * 17}]}, "Value at 'gameProperties.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 96"),
        ({"GameProperties": [{"Value": "v"}]}, "Value null at 'gameProperties.1.member.key' failed to satisfy constraint: Member must not be null"),
    ],
)
def test_each_validation_failure(raw, session, kwargs, message):
    request = {"GameSessionId": session["GameSessionId"], **kwargs}
    code, got, status = error_of(raw.update_game_session, **request)
    assert (code, status) == ("InvalidRequestException", 400)
    assert got == one_violation(message)
    assert "secret" not in got
    # Nothing changed.
    assert raw.describe_game_sessions(GameSessionId=session["GameSessionId"])["GameSessions"] == [session]


def test_every_violation_is_reported_at_once(raw, session):
    code, message, _ = error_of(raw.update_game_session, GameSessionId="x y", MaximumPlayerSessionCount=-1, Name="")
    assert code == "InvalidRequestException"
    assert message == (
        f"3 validation errors detected: Value 'x y' at 'gameSessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: {PATTERN}; "
        "Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: Member must have value greater than or equal to 0; "
        "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"
    )


def test_a_missing_id_is_not_null(raw):
    code, message, _ = error_of(raw.update_game_session, Name="x")
    assert (code, message) == ("InvalidRequestException", one_violation("Value null at 'gameSessionId' failed to satisfy constraint: Member must not be null"))


def test_wrong_member_types_are_serialization_errors(raw, session):
    code, _, status = error_of(raw.update_game_session, GameSessionId=session["GameSessionId"], MaximumPlayerSessionCount="ten")
    assert (code, status) == ("SerializationException", 400)


def test_an_unknown_session_is_not_found(gamelift):
    code, message, status = error_of(gamelift.update_game_session, GameSessionId=ARN_PREFIX + "nope", Name="x")
    assert (code, message, status) == ("NotFoundException", f"Game session {ARN_PREFIX}nope not found", 400)


# -- statuses --------------------------------------------------------------------------


def test_terminating_and_terminated_sessions_refuse_updates(gamelift, session):
    gid = session["GameSessionId"]
    terminating = gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="TRIGGER_ON_PROCESS_TERMINATE")["GameSession"]
    assert (terminating["Status"], terminating["StatusReason"]) == ("TERMINATING", "TRIGGERED_ON_PROCESS_TERMINATE")
    assert "TerminationTime" not in terminating
    code, message, _ = error_of(gamelift.update_game_session, GameSessionId=gid, Name="x")
    assert (code, message) == ("InvalidGameSessionStatusException", f"Game session {gid} is in status TERMINATING; only ACTIVE game sessions can be updated")
    terminated = gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")["GameSession"]
    assert (terminated["Status"], terminated["StatusReason"]) == ("TERMINATED", "FORCE_TERMINATED")
    assert isinstance(terminated["TerminationTime"], datetime.datetime)
    code, message, _ = error_of(gamelift.update_game_session, GameSessionId=gid, Name="x")
    assert (code, message) == ("InvalidGameSessionStatusException", f"Game session {gid} has ended (status TERMINATED) and can never be updated")
    code, message, _ = error_of(gamelift.terminate_game_session, GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
    assert (code, message) == ("InvalidGameSessionStatusException", f"Game session {gid} has already ended (status TERMINATED)")
    # Even an update that changes nothing is refused.
    assert error_of(gamelift.update_game_session, GameSessionId=gid)[0] == "InvalidGameSessionStatusException"
    filtered = gamelift.describe_game_sessions(FleetId="fleet-1a2b3c4d", StatusFilter="TERMINATED")["GameSessions"]
    assert gid in [s["GameSessionId"] for s in filtered]


def test_activating_and_error_sessions_refuse_updates(stalled_endpoint):
    activation, url = stalled_endpoint
    client = make_client(url)
    gid = client.create_game_session(FleetId="fleet-1a2b3c4d", MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
    status = {"never": "ACTIVATING", "fail": "ERROR"}[activation]
    assert client.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]["Status"] == status
    code, message, _ = error_of(client.update_game_session, GameSessionId=gid, Name="x")
    assert (code, message) == ("InvalidGameSessionStatusException", f"Game session {gid} is in status {status}; only ACTIVE game sessions can be updated")
    if status == "ERROR":
        code, message, _ = error_of(client.terminate_game_session, GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
        assert (code, message) == ("InvalidGameSessionStatusException", f"Game session {gid} is in status ERROR; game sessions in status ERROR or TERMINATED cannot be terminated")
    else:
        ended = client.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")["GameSession"]
        assert ended["Status"] == "TERMINATED"


def test_terminate_validation(raw, session):
    code, message, _ = error_of(raw.terminate_game_session, GameSessionId=session["GameSessionId"], TerminationMode="NOW")
    assert (code, message) == ("InvalidRequestException", one_violation("Value 'NOW' at 'terminationMode' failed to satisfy constraint: Member must satisfy enum value set: [TRIGGER_ON_PROCESS_TERMINATE, FORCE_TERMINATE]"))


# -- the protocol itself -------------------------------------------------------------------


def post(endpoint, target, body):
    request = urllib.request.Request(endpoint + "/", data=body, method="POST", headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_unknown_operations_and_malformed_json(endpoint):
    status, body = post(endpoint, "GameLift.DeleteEverything", b"{}")
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    assert body["Message"] == "Unknown operation DeleteEverything"
    for bad in (b"{", b"not json", b"[]", b'["gs-1"]'):
        status, body = post(endpoint, "GameLift.UpdateGameSession", bad)
        assert (status, body["__type"]) == (400, "SerializationException"), bad


def post_cbor(endpoint, operation, body):
    request = urllib.request.Request(
        f"{endpoint}/service/GameLift/operation/{operation}", data=body, method="POST",
        headers={"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_the_cbor_protocol_answers_errors_in_cbor(endpoint):
    for body in (b"\xff", b"\x82\x01\x02", b"\xa1\x78\x19MaximumPlayerSessionCount\x63ten"):
        status, headers, answer = post_cbor(endpoint, "UpdateGameSession", body)
        assert status == 400, body
        assert headers["Content-Type"] == "application/cbor"
        assert headers["smithy-protocol"] == "rpc-v2-cbor"
        # A CBOR map: __type is the shape id, Message the text.
        assert answer[0] == 0xA2
        assert b"com.amazonaws.gamelift#SerializationException" in answer
        assert b"Message" in answer
    status, _, answer = post_cbor(endpoint, "DeleteEverything", b"\xa0")
    assert status == 400 and b"#UnknownOperationException" in answer
    status, _, answer = post_cbor(endpoint, "UpdateGameSession", b"\xa0")
    assert status == 400 and b"#InvalidRequestException" in answer and b"Member must not be null" in answer


# -- concurrency -----------------------------------------------------------------------------


def test_concurrent_updates_to_one_session_all_land(endpoint, session):
    gid = session["GameSessionId"]
    errors = []

    def writer(key):
        client = make_client(endpoint)
        try:
            for i in range(40):
                client.update_game_session(GameSessionId=gid, GameProperties=[{"Key": key, "Value": str(i)}])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(key,)) for key in ("left", "right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    props = {p["Key"]: p["Value"] for p in make_client(endpoint).describe_game_sessions(GameSessionId=gid)["GameSessions"][0]["GameProperties"]}
    assert props["left"] == "39" and props["right"] == "39"
    assert props["difficulty"] == "novice"


# -- the AWS CLI -----------------------------------------------------------------------------


def aws(endpoint, *args):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-west-2"}
    out = subprocess.run(["aws", "gamelift", *args, "--endpoint-url", endpoint, "--output", "json"], env=env, capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def test_the_aws_cli_happy_path(endpoint):
    code, out, err = aws(endpoint, "create-game-session", "--fleet-id", "fleet-1a2b3c4d", "--maximum-player-session-count", "4", "--name", "cli")
    assert code == 0, err
    gid = json.loads(out)["GameSession"]["GameSessionId"]
    code, out, err = aws(
        endpoint, "update-game-session", "--game-session-id", gid, "--name", "cli-renamed",
        "--maximum-player-session-count", "8", "--player-session-creation-policy", "DENY_ALL",
        "--protection-policy", "FullProtection", "--game-properties", "Key=mode,Value=ranked", "Key=map.name,Value=harbor",
    )
    assert code == 0, err
    updated = json.loads(out)["GameSession"]
    assert updated["Name"] == "cli-renamed"
    assert updated["MaximumPlayerSessionCount"] == 8
    assert updated["PlayerSessionCreationPolicy"] == "DENY_ALL"
    assert updated["GameProperties"] == [{"Key": "mode", "Value": "ranked"}, {"Key": "map.name", "Value": "harbor"}]
    code, out, err = aws(endpoint, "describe-game-session-details", "--game-session-id", gid)
    assert code == 0, err
    assert json.loads(out)["GameSessionDetails"][0]["ProtectionPolicy"] == "FullProtection"
    # The CLI checks lengths itself, not enum values: this one reaches the emulator.
    code, out, err = aws(endpoint, "update-game-session", "--game-session-id", gid, "--protection-policy", "Full")
    assert code != 0
    assert "(InvalidRequestException)" in err
    assert "Value 'Full' at 'protectionPolicy' failed to satisfy constraint" in err
