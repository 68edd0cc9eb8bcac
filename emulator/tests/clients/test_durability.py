"""The state file survives a crash: every answered change is in the journal
before its answer is sent, and a save that fails keeps the last good state.
How the journal is read back, damage and all, is test_journal.py's."""

import json
import os
import signal
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest

from conftest import free_port
from test_program import FLEET, Emulator, aws, http, run_cli


def details(e):
    status, _, body = aws(e.url, "DescribeGameSessionDetails", {"FleetId": FLEET})
    assert status == 200
    return json.loads(body)["GameSessionDetails"]


def players(gl, gid):
    return gl.describe_player_sessions(GameSessionId=gid)["PlayerSessions"]


def kill(e):
    e.proc.send_signal(signal.SIGKILL)
    e.proc.wait(timeout=10)
    e.log.close()


def test_kill_9_loses_nothing_that_was_answered(tmp_path):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state), "--activation", "never")
    gl = e.client()
    answered = {}
    # Every kind of change the emulator accepts.
    a = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=6, Name="a", IdempotencyToken="tok-a",
                               GameProperties=[{"Key": "mode", "Value": "ranked"}])["GameSession"]
    b = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="b")["GameSession"]
    c = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="c")["GameSession"]
    for gs in (a, b, c):
        http(e.url, "/_emulator/game-sessions/activate", {"GameSessionId": gs["GameSessionId"]})
    answered[a["GameSessionId"]] = gl.update_game_session(
        GameSessionId=a["GameSessionId"], Name="a2", ProtectionPolicy="FullProtection",
        GameProperties=[{"Key": "map", "Value": "harbor"}])["GameSession"]
    joined = gl.create_player_sessions(GameSessionId=a["GameSessionId"], PlayerIds=["p1", "p2", "p3"])["PlayerSessions"]
    http(e.url, "/_emulator/player-sessions/remove", {"PlayerSessionId": joined[1]["PlayerSessionId"]})
    gl.create_player_session(GameSessionId=b["GameSessionId"], PlayerId="q1")
    gl.terminate_game_session(GameSessionId=c["GameSessionId"], TerminationMode="FORCE_TERMINATE")
    before = details(e)
    before_players = {gs["GameSessionId"]: players(gl, gs["GameSessionId"]) for gs in (a, b, c)}
    assert [p["Status"] for p in before_players[a["GameSessionId"]]] == ["ACTIVE", "COMPLETED", "ACTIVE"]
    kill(e)
    assert not state.exists(), "no snapshot was written: the journal alone holds the changes"

    again = Emulator(tmp_path, "--state", str(state), "--activation", "never")
    gl = again.client()
    assert details(again) == before
    assert {gid: players(gl, gid) for gid in before_players} == before_players
    restored = {gs["GameSessionId"]: gs for gs in gl.describe_game_sessions(FleetId=FLEET)["GameSessions"]}
    for gid, answer in answered.items():
        for key, value in answer.items():
            if key != "CurrentPlayerSessionCount":
                assert restored[gid][key] == value, key
    # The idempotency token outlives the crash, and ports are not handed out twice.
    replay = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=6, Name="a", IdempotencyToken="tok-a",
                                    GameProperties=[{"Key": "mode", "Value": "ranked"}])["GameSession"]
    assert replay["GameSessionId"] == a["GameSessionId"]
    d = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]
    http(again.url, "/_emulator/game-sessions/activate", {"GameSessionId": d["GameSessionId"]})
    live = [x["GameSession"]["Port"] for x in details(again) if x["GameSession"]["Status"] == "ACTIVE"]
    assert len(live) == 3 and len(set(live)) == 3
    # The start folded the journal into a fresh snapshot.
    assert json.loads(state.read_text())["JournalSequence"] > 0
    assert again.stop() == 0


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_stop_under_concurrent_writes_loses_no_answer(tmp_path, sig):
    """Writers rename their own sessions in sequence; after kill -9, or a
    graceful stop whose grace period cuts requests off, each session holds
    its last answered name or one sent after it: an answered write is never
    missing from the file."""
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    ids = [e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
           for _ in range(8)]
    last_answered = {gid: -1 for gid in ids}
    last_sent = {gid: -1 for gid in ids}
    stop = threading.Event()

    def writer(gid):
        n = 0
        while not stop.is_set() and n < 100000:
            last_sent[gid] = n
            try:
                status, _, _ = aws(e.url, "UpdateGameSession", {"GameSessionId": gid, "Name": f"n{n}"})
            except Exception:
                return
            if status != 200:
                return
            last_answered[gid] = n
            n += 1

    threads = [threading.Thread(target=writer, args=(gid,)) for gid in ids]
    for t in threads:
        t.start()
    time.sleep(1.5)
    e.proc.send_signal(sig)
    e.proc.wait(timeout=20)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    e.log.close()
    assert min(last_answered.values()) > 5, "the writers made progress"

    again = Emulator(tmp_path, "--state", str(state))
    names = {d["GameSession"]["GameSessionId"]: d["GameSession"]["Name"] for d in details(again)}
    for gid in ids:
        n = int(names[gid][1:])
        assert last_answered[gid] <= n <= last_sent[gid], (gid, n, last_answered[gid], last_sent[gid])
    assert again.stop() == 0


def test_a_state_file_in_a_missing_directory_stops_start_up(tmp_path):
    state = tmp_path / "nowhere" / "state.json"
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr == (f"gamelift-emulator: state file {state}: {state}.journal cannot be written: "
                             "No such file or directory (os error 2)\n")


@contextmanager
def small_disk(tmp_path, size):
    """A tmpfs of `size` at tmp_path/disk: a disk that fills up or turns read-only."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def health(e):
    return json.loads(http(e.url, "/_emulator/health")[2])


def wait_health(e, want, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = health(e)["StateFile"]
        if want(got):
            return got
        time.sleep(0.05)
    pytest.fail(f"the health endpoint still says {health(e)['StateFile']!r}")


def test_a_full_disk_keeps_serving_reports_it_and_recovers(tmp_path):
    with small_disk(tmp_path, "256k") as disk:
        state = disk / "state.json"
        e = Emulator(tmp_path, "--state", str(state))
        gl = e.client()
        assert health(e)["StateFile"] == "ok"
        gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="first")
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"x" * 4096) > 0:
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        # Changes go on being answered from memory while the disk is full.
        for i in range(20):
            gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name=f"full-{i}",
                                   GameSessionData="d" * 2000)
        failure = wait_health(e, lambda s: s != "ok")
        # The journal's write failed, or since then the snapshot tried every second.
        assert failure in (f"{state}.journal cannot be written: No space left on device (os error 28)",
                           f"{state} cannot be written: No space left on device (os error 28)"), failure
        filler.unlink()
        wait_health(e, lambda s: s == "ok")
        time.sleep(0.2)  # the log is written every 50 ms
        log = e.log_text()
        assert log.count("serving on from memory") == 1, "the error is logged once"
        assert f"state file {state}: written again" in log
        kill(e)
        again = Emulator(tmp_path, "--state", str(state))
        names = [d["GameSession"]["Name"] for d in details(again)]
        assert names == ["first"] + [f"full-{i}" for i in range(20)], "the snapshot after recovery holds everything"
        assert again.stop() == 0


@contextmanager
def immutable(*paths):
    """Makes `paths` immutable (chattr +i): no write, not even root's, succeeds."""
    if os.geteuid() != 0:
        pytest.skip("chattr +i needs root")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=False)


def test_a_read_only_directory_keeps_the_last_good_state(tmp_path):
    directory = tmp_path / "state"
    directory.mkdir()
    state = directory / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    gl = e.client()
    gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="kept")
    journal = directory / "state.json.journal"
    kept = journal.read_bytes()
    with immutable(journal, directory):
        gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2, Name="in memory only")
        failure = wait_health(e, lambda s: s != "ok")
        assert failure in (f"{journal} cannot be written: Operation not permitted (os error 1)",
                           f"{state} cannot be written: Operation not permitted (os error 1)"), failure
        assert gl.describe_game_sessions(FleetId=FLEET)["GameSessions"][1]["Name"] == "in memory only"
        # A shutdown that cannot save says so, and the files hold the last good state.
        assert e.stop() == 1
        assert journal.read_bytes() == kept and not state.exists()
    log = e.log_path.read_text()
    assert log.count("serving on from memory") == 1, "the error is logged once"
    assert (f"gamelift-emulator: the state was not saved at shutdown: {state} cannot be written: "
            "Operation not permitted (os error 1)\n") in log
    again = Emulator(tmp_path, "--state", str(state))
    assert [d["GameSession"]["Name"] for d in details(again)] == ["kept"]
    assert again.stop() == 0


def test_a_read_only_directory_stops_start_up(tmp_path):
    with small_disk(tmp_path, "1m") as disk:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        state = disk / "state.json"
        result = run_cli("--port", str(free_port()), "--state", str(state))
        assert result.returncode == 1
        assert result.stderr == (f"gamelift-emulator: state file {state}: {state}.journal cannot be written: "
                                 "Read-only file system (os error 30)\n")


def test_a_large_journal_is_folded_into_the_snapshot_and_reads_back(tmp_path):
    """Past 64 MiB the journal is folded into the snapshot while serving;
    what reads back after kill -9 is what was served."""
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    gl = e.client()
    # Each update of this session writes a 250 KB record: 300 of them pass 64 MiB.
    gid = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2,
                                 GameSessionData="x" * 250000)["GameSession"]["GameSessionId"]
    other = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
    for n in range(300):
        assert aws(e.url, "UpdateGameSession", {"GameSessionId": gid, "Name": f"n{n}"})[0] == 200
    deadline = time.monotonic() + 10
    while not state.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state.exists(), "a compaction wrote the snapshot while serving"
    gl.update_game_session(GameSessionId=other, Name="after the snapshot")
    before = details(e)
    kill(e)
    assert (tmp_path / "state.json.journal").stat().st_size < 64 * 1024 * 1024
    again = Emulator(tmp_path, "--state", str(state))
    assert details(again) == before
    assert again.stop() == 0


def test_reservations_that_time_out_are_journaled_and_read_back(tmp_path):
    """A read that times reservations out writes it down, so the game
    session's later records agree with its player sessions after a crash."""
    state = tmp_path / "state.json"
    args = ("--state", str(state), "--player-acceptance", "manual", "--reservation-timeout", "1")
    e = Emulator(tmp_path, *args)
    gl = e.client()
    gid = gl.create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=4)["GameSession"]["GameSessionId"]
    gl.create_player_sessions(GameSessionId=gid, PlayerIds=["slow", "late"])
    time.sleep(1.3)
    assert gl.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]["CurrentPlayerSessionCount"] == 0
    gl.update_game_session(GameSessionId=gid, Name="after the time-out")
    kill(e)
    again = Emulator(tmp_path, *args)
    gl = again.client()
    gs = gl.describe_game_sessions(GameSessionId=gid)["GameSessions"][0]
    assert (gs["Name"], gs["CurrentPlayerSessionCount"]) == ("after the time-out", 0)
    assert [p["Status"] for p in players(gl, gid)] == ["TIMEDOUT", "TIMEDOUT"]
    assert again.stop() == 0
