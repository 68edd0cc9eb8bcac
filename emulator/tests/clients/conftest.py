"""Starts the gamelift-emulator binary on a free loopback port for the session."""

import os
import socket
import subprocess
import time
from pathlib import Path

import boto3
import botocore.config
import pytest

ROOT = Path(__file__).resolve().parents[3]
BINARY = Path(os.environ.get("EMULATOR_BIN", ROOT / "target" / "debug" / "gamelift-emulator"))
LOG_DIR = Path(os.environ.get("EMULATOR_LOG_DIR", ROOT / "target"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, proc, what="the emulator did not start"):
    """Waits until `proc` accepts connections on `port`; fails if it exits or takes 20 s."""
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(what)
            time.sleep(0.05)


def start(activation):
    """Starts an emulator whose simulated game server does `activation`."""
    if not BINARY.exists():
        pytest.fail(f"build the emulator first: cargo build -p gamelift-emulator ({BINARY} is missing)")
    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = open(LOG_DIR / f"emulator-test-{activation}.log", "w")
    proc = subprocess.Popen([str(BINARY), "--port", str(port), "--activation", activation], stderr=log)
    wait_for(port, proc, f"the emulator did not start; see {log.name}")
    return proc, log, f"http://127.0.0.1:{port}"


def stop(proc, log):
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def endpoint():
    """The emulator, whose sessions become ACTIVE at once."""
    proc, log, url = start("active")
    yield url
    stop(proc, log)


@pytest.fixture(scope="session", params=["never", "fail"])
def stalled_endpoint(request):
    """An emulator whose sessions stay ACTIVATING, or fail to start (ERROR)."""
    proc, log, url = start(request.param)
    yield request.param, url
    stop(proc, log)


def make_client(endpoint, validate=True):
    return boto3.client(
        "gamelift",
        endpoint_url=endpoint,
        region_name="us-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=botocore.config.Config(
            parameter_validation=validate, retries={"max_attempts": 1, "mode": "standard"}
        ),
    )


@pytest.fixture(scope="session")
def gamelift(endpoint):
    """A boto3 client that validates parameters itself, as users run it."""
    return make_client(endpoint)


@pytest.fixture(scope="session")
def raw(endpoint):
    """A boto3 client that sends whatever it is given, for invalid requests."""
    return make_client(endpoint, validate=False)


@pytest.fixture
def session(gamelift):
    """A fresh ACTIVE session with two properties."""
    return gamelift.create_game_session(
        FleetId="fleet-1a2b3c4d",
        MaximumPlayerSessionCount=10,
        Name="Friday night",
        GameProperties=[{"Key": "difficulty", "Value": "novice"}, {"Key": "mode", "Value": "casual"}],
    )["GameSession"]


@pytest.fixture(autouse=True)
def end_emulators_left_running():
    """Ends every emulator a test started and left running (a test that failed)."""
    yield
    from test_program import STARTED
    while STARTED:
        e = STARTED.pop()
        if e.proc.poll() is None:
            e.proc.kill()
            e.proc.wait(timeout=10)
