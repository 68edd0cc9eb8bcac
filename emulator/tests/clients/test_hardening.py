"""What a hostile client or a hostile web page cannot do: reach the control
API from another site, reach the emulator through a rebound DNS name,
starve others with slow control requests, hold the machine's memory with
stalled uploads, or plant links beside the state file."""

import json
import os
import socket
import stat
import threading
import time

import pytest

from test_program import FLEET, Emulator, aws, emulator, http  # noqa: F401 (a fixture)


def count(e):
    return json.loads(http(e.url, "/_emulator/health")[2])["GameSessions"]


def test_a_foreign_page_cannot_reset_or_drive_the_control_api(emulator):
    emulator.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=2)
    # What a page on another site can send without a preflight: text/plain, a form, or no type.
    for headers in ({"Content-Type": "text/plain"},
                    {"Content-Type": "application/x-www-form-urlencoded"},
                    {"Content-Type": ""}):
        status, _, body = http(emulator.url, "/_emulator/reset", b"{}", headers)
        assert (status, json.loads(body)) == (415, {"__type": "UnsupportedMediaTypeException",
                                                    "Message": "A control request needs Content-Type: application/json"})
    status, _, body = http(emulator.url, "/_emulator/reset", b"{}",
                           {"Content-Type": "application/json", "Origin": "http://evil.example"})
    assert (status, json.loads(body)) == (403, {"__type": "AccessDeniedException",
                                                "Message": "The control API takes no request from another site's page"})
    status, _, _ = http(emulator.url, "/_emulator/health", headers={"Origin": "null"})
    assert status == 403
    assert count(emulator) == 1, "nothing was reset"
    # The emulator's own origin, and a plain JSON request, are served.
    host = emulator.url.removeprefix("http://")
    status, _, body = http(emulator.url, "/_emulator/reset", b"", {"Content-Type": "application/json; charset=utf-8",
                                                                     "Origin": f"http://{host}"})
    assert (status, json.loads(body)) == (200, {"GameSessionsRemoved": 1})


def raw(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_a_rebound_dns_name_is_refused_and_ip_addresses_and_allowed_names_are_served(tmp_path):
    e = Emulator(tmp_path, "--allow-host", "gamelift")
    body = b'{"FleetId": "fleet-1a2b3c4d"}'
    describe = (b"POST / HTTP/1.1\r\nHost: %s\r\nX-Amz-Target: GameLift.DescribeGameSessions\r\n"
                b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: " + str(len(body)).encode()
                + b"\r\nConnection: close\r\n\r\n" + body)
    port = str(e.port).encode()
    for host in (b"evil.example:" + port, b"gamelift.evil.example", b"localhost.evil.example:" + port):
        answer = raw(e.port, describe % host)
        assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n"), answer
    answer = raw(e.port, (b"POST /_emulator/reset HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 0\r\nConnection: close\r\n\r\n"))
    assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    for host in (b"127.0.0.1:" + port, b"localhost:" + port, b"LOCALHOST", b"[::1]:" + port, b"10.1.2.3",
                 b"gamelift:" + port, b"GameLift"):
        answer = raw(e.port, describe % host)
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), (host, answer)
    e.stop()
    everyone = Emulator(tmp_path, "--allow-host", "*")
    assert raw(everyone.port, describe % b"any.name.example").startswith(b"HTTP/1.1 200 OK\r\n")
    everyone.stop()


def test_the_refusal_names_the_host_bounded_and_escaped(emulator):
    answer = raw(emulator.port, (b"GET /_emulator/health HTTP/1.1\r\nHost: " + b"x" * 300 + b"\r\nConnection: close\r\n\r\n"))
    assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as s:
        s.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        body = b""
        while chunk := s.recv(65536):
            body += chunk
    message = json.loads(body.split(b"\r\n\r\n", 1)[1])["Message"]
    assert message == "Host evil.example is not one this emulator answers to; start it with --allow-host NAME to allow a name"


def test_slow_control_requests_do_not_starve_other_clients(tmp_path):
    # 256 file descriptors and 260 control requests whose bodies never finish.
    e = Emulator(tmp_path, "--request-timeout", "1", limit_files=256)
    slow = []
    try:
        for _ in range(260):
            s = socket.socket()
            s.settimeout(5)
            try:
                s.connect(("127.0.0.1", e.port))
                s.sendall(b"POST /_emulator/reset HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 100\r\n\r\n{")
            except OSError:
                s.close()
                continue
            slow.append(s)
        started = time.monotonic()
        gs = e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)["GameSession"]
        assert gs["Status"] == "ACTIVE"
        assert time.monotonic() - started < 15
        answer = slow[0].recv(65536)
        assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer
        assert b"The request body did not arrive within 1 s" in answer
        assert count(e) == 1, "no slow reset ran"
    finally:
        for s in slow:
            s.close()
        assert e.stop() == 0


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_stalled_uploads_hold_at_most_the_in_flight_budget(tmp_path):
    e = Emulator(tmp_path, "--request-timeout", "5")
    body = b"{" + b" " * (1900 * 1024)
    stalled, answers = [], []

    def upload():
        s = socket.socket()
        s.settimeout(20)
        s.connect(("127.0.0.1", e.port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: GameLift.DescribeGameSessions\r\n"
                  b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2000000\r\n\r\n")
        try:
            s.sendall(body)  # and never the rest
        except OSError:
            pass
        stalled.append(s)

    threads = [threading.Thread(target=upload) for _ in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(1)
    peak = rss_kib(e.proc.pid)
    # 60 x 1.9 MB sent: about 32 fit in 64 MiB; the rest are refused at once.
    for s in stalled:
        try:
            answers.append(s.recv(65536).split(b"\r\n", 1)[0])
        except OSError:
            answers.append(b"")
        s.close()
    refused = [a for a in answers if a == b"HTTP/1.1 503 Service Unavailable"]
    timed_out = [a for a in answers if a == b"HTTP/1.1 408 Request Timeout"]
    assert 20 <= len(refused) <= 40 and len(refused) + len(timed_out) == 60, answers
    assert peak < 200 * 1024, f"{peak} KiB resident with 114 MB sent"
    # The budget is back once the uploads are gone.
    gs = e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)["GameSession"]
    assert gs["Status"] == "ACTIVE"
    assert e.stop() == 0


def test_the_state_file_is_private_and_planted_links_are_refused(tmp_path):
    state = tmp_path / "state.json"
    e = Emulator(tmp_path, "--state", str(state))
    e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)
    assert stat.S_IMODE((tmp_path / "state.json.journal").stat().st_mode) == 0o600
    # A link planted under the temporary file's name is not followed.
    target = tmp_path / "target"
    target.write_text("untouched")
    planted = tmp_path / f"state.json.{e.proc.pid}.tmp"
    planted.symlink_to(target)
    assert e.stop() == 1
    assert target.read_text() == "untouched" and planted.is_symlink()
    assert (f"gamelift-emulator: the state was not saved at shutdown: {state} cannot be written: "
            "File exists (os error 17)\n") in e.log_path.read_text()
    planted.unlink()
    # Saved without the link: 0600, and the mode of an existing file is kept.
    e = Emulator(tmp_path, "--state", str(state))
    assert e.stop() == 0
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    state.chmod(0o640)
    e = Emulator(tmp_path, "--state", str(state))
    e.client().create_game_session(FleetId=FLEET, MaximumPlayerSessionCount=1)
    assert e.stop() == 0
    assert stat.S_IMODE(state.stat().st_mode) == 0o640


@pytest.mark.parametrize("name", ["state.json", "state.json.journal"])
def test_a_state_file_that_is_a_link_stops_start_up(tmp_path, name):
    from conftest import free_port
    from test_program import run_cli
    target = tmp_path / "elsewhere"
    target.write_text("")
    (tmp_path / name).symlink_to(target)
    state = tmp_path / "state.json"
    result = run_cli("--port", str(free_port()), "--state", str(state))
    assert result.returncode == 1
    assert result.stderr == f"gamelift-emulator: state file {tmp_path / name}: is a symbolic link; name the file itself\n"
    assert target.read_text() == ""


def test_paging_resumes_after_the_last_session_while_others_end(gamelift):
    """Sessions that end between pages make no later page skip one."""
    fleet = "fleet-0c0ffee0"
    ids = [gamelift.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2, Name=f"p{i}")["GameSession"]["GameSessionId"]
           for i in range(9)]
    for call, args in ((gamelift.describe_game_sessions, {"StatusFilter": "ACTIVE"}),
                       (gamelift.search_game_sessions, {"SortExpression": "creationTimeMillis ASC"})):
        seen, token = [], None
        while True:
            page = call(FleetId=fleet, Limit=3, **args, **({"NextToken": token} if token else {}))
            returned = [g["GameSessionId"] for g in page["GameSessions"]]
            seen += returned
            # What was just returned ends before the next page is asked for.
            for gid in returned:
                gamelift.terminate_game_session(GameSessionId=gid, TerminationMode="FORCE_TERMINATE")
            token = page.get("NextToken")
            if not token:
                break
        assert seen == ids, call.__name__
        # Live again for the next call: new sessions, same fleet.
        ids = [gamelift.create_game_session(FleetId=fleet, MaximumPlayerSessionCount=2)["GameSession"]["GameSessionId"]
               for _ in range(9)]
