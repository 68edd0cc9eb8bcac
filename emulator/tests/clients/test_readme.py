"""The emulator README's shell and Python snippets, pasted in order against
a running emulator, as a new user would (the port is the test's own)."""

import re
import subprocess
import sys
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
    assert len(shell) == 2 and len(python) == 1

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
