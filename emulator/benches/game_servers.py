#!/usr/bin/env python3
"""Game servers over WebSocket: how fast a session reaches its process and
becomes ACTIVE, and what connected processes cost the emulator.

Runs the release emulator, sets up an Anywhere fleet over JSON 1.1, and
measures:

1. latency, ROUNDS times: from the CreateGameSession call (a kept-alive
   HTTP connection) to the CreateGameSession push arriving at a ready
   process, and to the 200 of that process's ActivateGameSession (the
   session is ACTIVE then). The process then sends ProcessReady again (a
   restarted game reusing its id: the session ends INTERRUPTED and the
   process is ready for the next round). PROCESSES processes take turns.
2. load: PROCS processes connect and send ProcessReady, then heartbeat
   every BEAT seconds (the SDK heartbeats every 60 s; 1 s is 60 times
   that). Reports the emulator's resident memory before and after, per
   process, and its CPU over WINDOW seconds of heartbeats.

Needs the `websockets` package (the test venv has it:
target/tmp/clients-venv/bin/python, or `pip install websockets==15.0.1`).

    cargo build --release -p gamelift-emulator
    python3 emulator/benches/game_servers.py
    ROUNDS=100 PROCS=200 python3 emulator/benches/game_servers.py   # quick
"""

import asyncio
import http.client
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import websockets
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "gamelift-emulator"
ROUNDS = int(os.environ.get("ROUNDS", 1000))
PROCESSES = int(os.environ.get("PROCESSES", 8))
PROCS = int(os.environ.get("PROCS", 1000))
BEAT = float(os.environ.get("BEAT", 1.0))
WINDOW = float(os.environ.get("WINDOW", 20.0))
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """JSON 1.1 over one kept-alive connection."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, op, body):
        self.conn.request("POST", "/", json.dumps(body), {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"GameLift.{op}",
        })
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{op}: {r.status} {data[:300]!r}")
        return json.loads(data)


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


class Process:
    """A game server process speaking the SDK's frames."""

    count = 0

    def __init__(self, url, fleet, compute, token):
        self.query = urllib.parse.urlencode(sorted({
            "Authorization": token, "ComputeId": compute, "FleetId": fleet,
            "IdempotencyToken": str(uuid.uuid4()), "pID": f"process-{uuid.uuid4()}",
            "sdkLanguage": "Go", "sdkVersion": "5.6.0"}.items()))
        self.url = url
        Process.count += 1
        self.port = 10000 + Process.count
        self.pending = {}
        self.pushed = None
        self.ws = None

    async def open(self):
        self.ws = await connect(f"{self.url}?{self.query}", max_size=None, compression=None,
                                ping_interval=None, open_timeout=60)
        asyncio.get_running_loop().create_task(self.read())

    async def read(self):
        try:
            async for message in self.ws:
                at = time.perf_counter()
                frame = json.loads(message)
                rid = frame.get("RequestId", "")
                if rid in self.pending:
                    self.pending.pop(rid).set_result((at, frame))
                elif frame.get("Action") == "CreateGameSession" and self.pushed:
                    self.pushed.set_result((at, frame))
        except websockets.exceptions.ConnectionClosed:
            pass

    async def call(self, action, **fields):
        rid = str(uuid.uuid4())
        future = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        await self.ws.send(json.dumps({"Action": action, "RequestId": rid, **fields}))
        at, frame = await asyncio.wait_for(future, 30)
        if frame.get("StatusCode") != 200:
            raise RuntimeError(f"{action}: {frame}")
        return at

    async def ready(self):
        await self.call("ActivateServerProcess", SdkVersion="5.6.0", SdkLanguage="Go", Port=self.port, LogPaths=[])

    async def heartbeats(self, stop):
        await asyncio.sleep(random.uniform(0, BEAT))
        while not stop.is_set():
            await self.call("HeartbeatServerProcess", HealthStatus=True)
            await asyncio.sleep(BEAT)


def anywhere(api, name, processes):
    """An Anywhere fleet with a compute for every 50 processes (a compute
    holds at most 50); answers the fleet, the SDK endpoint, and each
    process's compute and token."""
    api.call("CreateLocation", {"LocationName": f"custom-{name}"})
    fleet = api.call("CreateFleet", {"Name": name, "ComputeType": "ANYWHERE",
                                     "Locations": [{"Location": f"custom-{name}"}]})["FleetAttributes"]["FleetId"]
    computes = []
    for c in range((processes + 49) // 50):
        compute = api.call("RegisterCompute", {"FleetId": fleet, "ComputeName": f"{name}-{c}", "IpAddress": "127.0.0.1",
                                               "Location": f"custom-{name}"})["Compute"]
        token = api.call("GetComputeAuthToken", {"FleetId": fleet, "ComputeName": f"{name}-{c}"})["AuthToken"]
        computes.append((compute["ComputeName"], token))
    endpoint = compute["GameLiftServiceSdkEndpoint"]
    return fleet, endpoint, [computes[n // 50] for n in range(processes)]


async def latency(api, fleet, url, on):
    processes = [Process(url, fleet, compute, token) for compute, token in on]
    for p in processes:
        await p.open()
        await p.ready()
    loop = asyncio.get_running_loop()
    body = {"FleetId": fleet, "MaximumPlayerSessionCount": 8}
    to_push, to_active = [], []
    for i in range(ROUNDS):
        # The process ready longest takes the session: the one that
        # hosted least recently, so the processes take turns.
        waiting = loop.create_future()
        for p in processes:
            p.pushed = waiting
        start = time.perf_counter()
        await loop.run_in_executor(None, api.call, "CreateGameSession", body)
        pushed_at, frame = await asyncio.wait_for(waiting, 30)
        holder = next(p for p in processes if frame["Port"] == p.port)
        active_at = await holder.call("ActivateGameSession", GameSessionId=frame["GameSessionId"])
        to_push.append((pushed_at - start) * 1000)
        to_active.append((active_at - start) * 1000)
        await holder.ready()
    for p in processes:
        await p.ws.close()
    return to_push, to_active


async def load(pid, fleet, url, on):
    before = rss_kib(pid)
    processes = [Process(url, fleet, compute, token) for compute, token in on]
    for i in range(0, PROCS, 50):
        await asyncio.gather(*(p.open() for p in processes[i:i + 50]))
        await asyncio.gather(*(p.ready() for p in processes[i:i + 50]))
    connected = rss_kib(pid)
    stop = asyncio.Event()
    tasks = [asyncio.get_running_loop().create_task(p.heartbeats(stop)) for p in processes]
    await asyncio.sleep(BEAT * 2)
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(WINDOW)
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    beating = rss_kib(pid)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for p in processes:
        await p.ws.close()
    return before, connected, beating, (cpu1 - cpu0) / (t1 - t0)


def main():
    if not BINARY.exists():
        sys.exit(f"build it first: cargo build --release -p gamelift-emulator ({BINARY})")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = free_port()
    emulator = subprocess.Popen([str(BINARY), "--port", str(port), "--heartbeat-timeout", "600"],
                                stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        api = Api(port)
        to_push, to_active = asyncio.run(latency(api, *anywhere(api, "latency", PROCESSES)))
        print(f"CreateGameSession -> push arrives     ({ROUNDS} rounds, {PROCESSES} processes): "
              f"p50 {statistics.median(to_push):.3f} ms  p99 {pct(to_push, 99):.3f} ms")
        print(f"CreateGameSession -> ACTIVE (200 to ActivateGameSession):        "
              f"p50 {statistics.median(to_active):.3f} ms  p99 {pct(to_active, 99):.3f} ms")
        before, connected, beating, cpu = asyncio.run(load(emulator.pid, *anywhere(api, "load", PROCS)))
        print(f"{PROCS} processes heartbeating every {BEAT:g} s ({PROCS / BEAT:.0f} heartbeats/s):")
        print(f"  resident memory: {before} KiB before, {connected} KiB connected and ready, "
              f"{beating} KiB after {WINDOW:g} s of heartbeats")
        print(f"  per process: {(beating - before) / PROCS:.1f} KiB")
        print(f"  emulator CPU: {cpu * 100:.1f}% of one core, {cpu * 1e6 / (PROCS / BEAT):.1f} us per heartbeat; "
              f"at the SDK's 60 s: {cpu * 100 * BEAT / 60:.2f}% for {PROCS} processes")
    finally:
        emulator.terminate()
        emulator.wait(30)


if __name__ == "__main__":
    main()
