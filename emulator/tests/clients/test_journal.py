"""The state file read back: a file of format 1 loads as it was served, a
clean restart says nothing, a torn last line and blank lines are dropped
with a warning, and every other fault (a damaged line, a gap or a repeat
in the sequence, a row the API's rules refuse, a version not known) stops
start-up with its own sentence naming the file and the line, and changes
no file. And what ended is forgotten past its retention, for good."""

import json
import shutil
import signal
from pathlib import Path

import pytest

from conftest import free_port
from test_durability import details, kill
from test_program import FLEET, Emulator, aws, http, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "state-v1"
HINT = ("to start from the changes before it, cut the journal at that line "
        "(what it and the lines after it held is then lost), or restore the file from a copy")
FOREVER = ["--retention", "3153600000", "--terminated-retention", "3153600000"]


def plain(o):
    """boto3's answer as the fixture keeps it: timestamps as epoch seconds."""
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items() if k != "ResponseMetadata"}
    if isinstance(o, list):
        return [plain(v) for v in o]
    if hasattr(o, "timestamp"):
        return round(o.timestamp(), 3)
    return o


def served(gl):
    """What the fixture's served.json holds, asked again."""
    fleets = ("fleet-1a2b", "fleet-declared")
    sessions = [s for f in fleets for s in gl.describe_game_sessions(FleetId=f)["GameSessions"]]
    return plain({
        "GameSessions": sessions,
        "Details": gl.describe_game_session_details(FleetId="fleet-1a2b")["GameSessionDetails"],
        "PlayerSessions": [p for s in sessions
                           for p in gl.describe_player_sessions(GameSessionId=s["GameSessionId"])["PlayerSessions"]],
        "Aliases": gl.list_aliases()["Aliases"],
        "Queues": gl.describe_game_session_queues()["GameSessionQueues"],
        "Placements": [gl.describe_game_session_placement(PlacementId=i)["GameSessionPlacement"]
                       for i in ("place-1", "place-2")],
        "RuleSets": gl.describe_matchmaking_rule_sets()["RuleSets"],
        "Configurations": gl.describe_matchmaking_configurations()["Configurations"],
        "Tickets": gl.describe_matchmaking(TicketIds=["ticket-a", "ticket-b", "ticket-c", "ticket-d", "ticket-e"])["TicketList"],
        "Fleets": gl.list_fleets()["FleetIds"],
    })


def test_a_state_file_of_format_1_loads_as_it_was_served(tmp_path):
    for f in FIXTURE.glob("state.json*"):
        shutil.copy(f, tmp_path / f.name)
    state = tmp_path / "state.json"
    args = ["--state", str(state), "--fleet", "fleet-declared=3@us-east-1", "--fleet", "fleet-full=0", *FOREVER]
    e = Emulator(tmp_path, *args)
    expected = json.loads((FIXTURE / "served.json").read_text())
    assert served(e.client()) == expected
    assert " WARN " not in e.log_text()
    # The load folded both into a snapshot of today's form, and a journal
    # of format 2 went on from there.
    journal = (tmp_path / "state.json.journal").read_text().splitlines()
    assert json.loads(journal[0]) == {"Journal": 2}
    assert json.loads(state.read_text())["JournalSequence"] > 20
    e.client().update_game_session(GameSessionId=expected["GameSessions"][0]["GameSessionId"], Name="after")
    kill(e)
    again = Emulator(tmp_path, *args)
    names = [s.get("Name") for s in again.client().describe_game_sessions(FleetId="fleet-1a2b")["GameSessions"]]
    assert names[0] == "after" and len(names) == len([s for s in expected["GameSessions"] if s["FleetId"] == "fleet-1a2b"])
    assert again.stop() == 0


def test_a_clean_restart_logs_no_warning(tmp_path):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="kept")
    assert e.stop() == 0
    journal = (tmp_path / "state.json.journal").read_text()
    assert journal == '{"Journal":2}\n', "a clean shutdown leaves every change in the snapshot"
    again = Emulator(tmp_path, "--state", str(state))
    assert [d["GameSession"]["Name"] for d in details(again)] == ["kept"]
    assert again.stop() == 0
    log = again.log_text()
    assert " WARN " not in log and " ERROR " not in log, log


def journal_of_two(tmp_path):
    """A state file whose journal holds a header and two records."""
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    gl = e.client()
    first = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="first")["GameSession"]
    gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="second")
    kill(e)
    journal = tmp_path / "state.json.journal"
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 3 and [json.loads(l).get("Seq") for l in lines] == [None, 1, 2]
    return state, journal, lines, first


def test_a_torn_last_line_is_dropped_with_a_warning(tmp_path):
    state, journal, lines, _ = journal_of_two(tmp_path)
    with open(journal, "ab") as f:
        f.write(b'{"Seq":3,"Rows":[{"Table":"GameSess')
    again = Emulator(tmp_path, "--state", str(state))
    assert [d["GameSession"]["Name"] for d in details(again)] == ["first", "second"]
    assert again.stop() == 0
    assert (f"WARN state journal {journal}: line 4 is cut short (the process stopped while writing it) "
            "and was dropped") in again.log_text()


def test_blank_lines_are_skipped_with_a_warning(tmp_path):
    state, journal, lines, _ = journal_of_two(tmp_path)
    journal.write_bytes(lines[0] + lines[1] + b"\n" + lines[2] + b"\n")
    again = Emulator(tmp_path, "--state", str(state))
    assert [d["GameSession"]["Name"] for d in details(again)] == ["first", "second"]
    assert again.stop() == 0
    log = again.log_text()
    assert f"WARN state journal {journal}: line 3 is blank and was skipped" in log
    assert f"WARN state journal {journal}: line 5 is blank and was skipped" in log


def refused(tmp_path, state, journal, problem, path=None):
    """Start-up stops with `problem` about `path` (the journal), and no file changes."""
    text = journal.read_bytes()
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr == f"gamelift-emulator: state file {path or journal}: {problem}\n"
    assert journal.read_bytes() == text and not state.exists(), "the files are as they were"


@pytest.mark.parametrize("line,problem", [
    (b'not json', "line 3 is not a journal record: expected ident at line 1 column 2"),
    (b'{"Seq":2,"Bogus":1}', "line 3 is not a journal record: unknown field `Bogus`, "
                             "expected one of `Seq`, `Reset`, `Rows` at line 1 column 16"),
    (b'{"Seq":2}', "line 3 names no row and is no Reset"),
    (b'{"Seq":2,"Rows":[{"Table":"Bogus","Key":"k","Row":{}}]}',
     "line 3 names the table Bogus, which no room has"),
])
def test_a_damaged_line_in_the_middle_stops_start_up(tmp_path, line, problem):
    state, journal, lines, _ = journal_of_two(tmp_path)
    after = lines[2].replace(b'"Seq":2', b'"Seq":3')
    journal.write_bytes(lines[0] + lines[1] + line + b"\n" + after)
    refused(tmp_path, state, journal, f"{problem}; {HINT}")


def test_a_gap_a_repeat_and_a_step_back_each_stop_start_up(tmp_path):
    state, journal, lines, _ = journal_of_two(tmp_path)
    journal.write_bytes(lines[0] + lines[1] + lines[2].replace(b'"Seq":2', b'"Seq":4'))
    refused(tmp_path, state, journal,
            f"line 3 has Seq 4 where Seq 2 belongs: the records between are missing; {HINT}")
    journal.write_bytes(lines[0] + lines[1] + lines[2].replace(b'"Seq":2', b'"Seq":1'))
    refused(tmp_path, state, journal, f"line 3 repeats Seq 1: a change would be applied twice; {HINT}")
    journal.write_bytes(lines[0] + lines[1] + lines[2] + lines[1])
    refused(tmp_path, state, journal,
            f"line 4 has Seq 1 after Seq 2: the journal's records are out of order; {HINT}")


def test_a_row_the_api_refuses_stops_start_up_before_any_file_changes(tmp_path):
    state, journal, lines, first = journal_of_two(tmp_path)
    record = json.loads(lines[2])
    record["Rows"][0]["Row"]["GameSession"]["MaximumPlayerSessionCount"] = -1
    key = record["Rows"][0]["Key"]
    journal.write_bytes(lines[0] + lines[1] + json.dumps(record).encode() + b"\n")
    refused(tmp_path, state, journal,
            f"line 3 has a row GameSessions {key[:64]}...: breaks the API's rules: 1 validation error detected: "
            "Value '-1' at 'maximumPlayerSessionCount' failed to satisfy constraint: "
            f"Member must have value greater than or equal to 0; {HINT}")
    # A player session whose game session says it holds none.
    record = json.loads(lines[2])
    record["Rows"].append({"Table": "PlayerSessions", "Key": "psess-x", "Row": {
        "PlayerSessionId": "psess-x", "PlayerId": "p", "GameSessionId": key, "Status": "ACTIVE"}})
    journal.write_bytes(lines[0] + lines[1] + json.dumps(record).encode() + b"\n")
    refused(tmp_path, state, journal,
            f"line 3 leaves the game session {key[:64]}... that says CurrentPlayerSessionCount 0, "
            f"but 1 of its PlayerSessions are RESERVED or ACTIVE; {HINT}")


def test_a_journal_of_an_unknown_version_stops_start_up(tmp_path):
    state, journal, lines, _ = journal_of_two(tmp_path)
    journal.write_bytes(b'{"Journal":3}\n' + lines[1] + lines[2])
    refused(tmp_path, state, journal,
            "line 1 says journal version 3, which this emulator does not read (it reads versions 1 to 2); "
            "start the emulator that wrote it")


RULES = json.dumps({"ruleLanguageVersion": "1.0",
                    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
                              {"name": "blue", "minPlayers": 1, "maxPlayers": 1}]})


def test_what_ended_is_forgotten_past_its_retention_for_good(tmp_path):
    state = tmp_path / "state.json"
    args = ["--state", str(state), "--retention", "60", "--max-terminated-game-sessions", "2"]
    e = Emulator(tmp_path, *args)
    gl = e.client()
    gl.create_matchmaking_rule_set(Name="duel", RuleSetBody=RULES)
    gl.create_matchmaking_configuration(Name="solo", RuleSetName="duel", RequestTimeoutSeconds=600,
                                        AcceptanceRequired=False, FlexMatchMode="STANDALONE")
    for t, p in (("t-1", "ana"), ("t-2", "bo")):
        gl.start_matchmaking(TicketId=t, ConfigurationName="solo", Players=[{"PlayerId": p}])
    http(e.url, "/_emulator/matchmaking/step", {})
    assert [t["Status"] for t in gl.describe_matchmaking(TicketIds=["t-1", "t-2"])["TicketList"]] == ["COMPLETED"] * 2
    gl.create_game_session_queue(Name="q", Destinations=[
        {"DestinationArn": f"arn:aws:gamelift:us-west-2:123456789012:fleet/{FLEET}"}])
    gl.start_game_session_placement(PlacementId="p-1", GameSessionQueueName="q", MaximumPlayerSessionCount=2)
    ended = []
    for i in range(4):
        gs = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name=f"ended-{i}")["GameSession"]
        gl.create_player_session(GameSessionId=gs["GameSessionId"], PlayerId=f"player-{i}")
        gl.terminate_game_session(GameSessionId=gs["GameSessionId"], TerminationMode="FORCE_TERMINATE")
        ended.append(gs["GameSessionId"])
    # Past two TERMINATED sessions, the oldest to end go, with their players.
    names = [s.get("Name", "") for s in gl.describe_game_sessions(FleetId=FLEET)["GameSessions"]]
    assert [n for n in names if n.startswith("ended")] == ["ended-2", "ended-3"]
    assert gl.describe_player_sessions(PlayerId="player-0")["PlayerSessions"] == []
    assert len(gl.describe_player_sessions(PlayerId="player-3")["PlayerSessions"]) == 1
    # Within the retention the ended ticket and placement are kept ...
    http(e.url, "/_emulator/clock/advance", {"Seconds": 50})
    assert len(gl.describe_matchmaking(TicketIds=["t-1"])["TicketList"]) == 1
    assert gl.describe_game_session_placement(PlacementId="p-1")["GameSessionPlacement"]["Status"] == "FULFILLED"
    # ... and past it forgotten at once.
    http(e.url, "/_emulator/clock/advance", {"Seconds": 20})
    assert gl.describe_matchmaking(TicketIds=["t-1", "t-2"])["TicketList"] == []
    status, _, body = aws(e.url, "DescribeGameSessionPlacement", {"PlacementId": "p-1"})
    assert (status, json.loads(body)["__type"]) == (400, "NotFoundException")
    kept = json.loads(http(e.url, "/_emulator/health")[2])["Kept"]
    assert (kept["Tickets"], kept["Placements"]) == (0, 0)
    # Forgetting is journaled: after kill -9 they stay forgotten.
    kill(e)
    again = Emulator(tmp_path, *args)
    kept = json.loads(http(again.url, "/_emulator/health")[2])["Kept"]
    assert (kept["Tickets"], kept["Placements"]) == (0, 0)
    names = [s.get("Name", "") for s in again.client().describe_game_sessions(FleetId=FLEET)["GameSessions"]]
    assert [n for n in names if n.startswith("ended")] == ["ended-2", "ended-3"]
    assert again.stop() == 0
