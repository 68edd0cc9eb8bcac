"""The emulator README's shell and Python snippets, pasted in order against
a running emulator, as a new user would (the port is the test's own)."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

README = ROOT / "emulator" / "README.md"


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


def test_the_shell_and_python_snippets_work_in_order(endpoint, tmp_path):
    port = endpoint.rsplit(":", 1)[1]
    local = lambda text: text.replace("127.0.0.1:9080", f"127.0.0.1:{port}")
    shell = [b for b in blocks("sh") if "cargo install" not in b]
    python = blocks("python")
    assert len(shell) == 3 and len(python) == 1

    # The first shell block, then boto3, then the control API block, in one
    # shell so that GAME_SESSION_ID carries over, as in a terminal.
    script = tmp_path / "readme.sh"
    script.write_text("set -euo pipefail\n" + local(shell[0]) + "\necho '== python'\n"
                      + f"{sys.executable} - <<'PY'\n" + local(python[0]) + "PY\n"
                      + "echo '== control'\n" + local(shell[1]))
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout.split("== python\n")[1]
    python_out, control = out.split("== control\n")
    lines = python_out.splitlines()
    assert lines[0] == "Friday night [{'Key': 'difficulty', 'Value': 'novice'}]"
    # The port is 7777 on a fresh emulator; this one is shared with other tests.
    assert re.fullmatch(r"127\.0\.0\.1 \d+ ec2-127-0-0-1\.compute\.amazonaws\.com", lines[1]), lines[1]
    assert lines[2] == "127.0.0.1 True ec2-127-0-0-1.compute.amazonaws.com"
    assert lines[3:] == ["True", "FULFILLED ['player-2']", "[('COMPLETED', 'red'), ('COMPLETED', 'blue')]"]
    lines = control.splitlines()
    assert lines[0].startswith('{"GameSessions":') and lines[0].endswith(',"Status":"ok"}')
    assert lines[1] == "TERMINATING"
    assert '"Status":"TERMINATED"' in lines[2]
    assert re.fullmatch(r'\{"GameSessionsRemoved":\d+\}', lines[3])
    assert lines[4] == '{"Capacity":500,"IndexedKeys":0,"LeftOutKeys":[]}'


def test_the_anywhere_steps_give_what_a_game_server_needs(tmp_path):
    """"Run your game server against it": the AWS CLI steps, pasted into a
    shell, leave GAMELIFT_SDK_* set; a game server started from that shell
    (the project's, speaking the SDK's frames) becomes READY and is given
    the session a backend then makes."""
    from test_program import Emulator, http

    e = Emulator(tmp_path)
    server = None
    try:
        block = [b for b in blocks("sh") if "cargo install" not in b][2].replace("127.0.0.1:9080", f"127.0.0.1:{e.port}")
        script = tmp_path / "anywhere.sh"
        script.write_text("set -euo pipefail\n" + block + "\necho '== env'\nenv | grep '^GAMELIFT_SDK_' | sort\n")
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        shown, env = done.stdout.split("== env\n")
        lines = shown.splitlines()
        assert lines[0] == "arn:aws:gamelift:us-west-2:123456789012:location/custom-home"
        assert lines[1] == f"ws://127.0.0.1:{e.port}"
        sdk = dict(line.split("=", 1) for line in env.splitlines())
        assert sorted(sdk) == ["GAMELIFT_SDK_AUTH_TOKEN", "GAMELIFT_SDK_FLEET_ID", "GAMELIFT_SDK_HOST_ID",
                               "GAMELIFT_SDK_PROCESS_ID", "GAMELIFT_SDK_WEBSOCKET_URL"]
        assert sdk["GAMELIFT_SDK_HOST_ID"] == "my-pc"
        server = subprocess.Popen([sys.executable, str(Path(__file__).parent / "game_server.py"), "--auto", "--port", "4321"],
                                  env={**os.environ, **sdk}, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        while True:
            processes = json.loads(http(e.url, "/_emulator/processes")[2])["Processes"]
            if [p["Status"] for p in processes] == ["READY"]:
                break
            assert time.monotonic() < deadline, processes
            time.sleep(0.05)
        gl = e.client()
        gs = gl.create_game_session(FleetId=sdk["GAMELIFT_SDK_FLEET_ID"], MaximumPlayerSessionCount=4)["GameSession"]
        assert gs["Status"] == "ACTIVATING"
        while True:
            gs = gl.describe_game_sessions(GameSessionId=gs["GameSessionId"])["GameSessions"][0]
            if gs["Status"] == "ACTIVE":
                break
            assert time.monotonic() < deadline, gs
            time.sleep(0.05)
        assert (gs["IpAddress"], gs["Port"], gs["Location"]) == ("127.0.0.1", 4321, "custom-home")
    finally:
        if server:
            server.terminate()
            server.wait(10)
        e.stop()
