#!/usr/bin/env python3
"""Churn: what the emulator keeps of what has ended, and what it costs.

Runs the release emulator and pushes 200,000 matchmaking tickets (1v1,
STANDALONE: each pair COMPLETED by the next matchmaker pass, a second at
most) and 50,000 game session placements
(each FULFILLED, its game session then terminated) through their whole
life, then moves the emulator's clock past every retention (an hour for
tickets and placements, 30 days for TERMINATED game sessions). Prints the
resident memory at the start (after a warm-up churn that is forgotten the
same way), after the churn, and after the clock moved; what the health
endpoint says is kept; and the median and p99 time of StartMatchmaking and
DescribeMatchmaking with an empty pool against with 50,000 ended tickets
kept (the ticket table is keyed by id: no call walks the ended ones).

    cargo build --release -p gamelift-emulator
    python3 emulator/benches/churn.py                 # TICKETS=200000 PLACEMENTS=50000
    TICKETS=20000 PLACEMENTS=5000 python3 emulator/benches/churn.py   # a quick run
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "gamelift-emulator"
TICKETS = int(os.environ.get("TICKETS", 200_000))
PLACEMENTS = int(os.environ.get("PLACEMENTS", 50_000))
THREADS = 4
RULES = json.dumps({"ruleLanguageVersion": "1.0",
                    "teams": [{"name": "red", "minPlayers": 1, "maxPlayers": 1},
                              {"name": "blue", "minPlayers": 1, "maxPlayers": 1}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One kept-alive connection, AWS JSON 1.1."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port)

    def call(self, op, body):
        self.conn.request("POST", "/", json.dumps(body),
                          {"X-Amz-Target": f"GameLift.{op}", "Content-Type": "application/x-amz-json-1.1"})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{op}: {response.status} {data[:300]!r}")
        return json.loads(data)

    def control(self, path, body=None):
        self.conn.request("POST" if body is not None else "GET", f"/_emulator/{path}",
                          json.dumps(body) if body is not None else None, {"Content-Type": "application/json"})
        return json.loads(self.conn.getresponse().read())


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def churn(port, tickets, placements, tag):
    """Pairs of tickets matched at once, and placements whose sessions end."""
    def work(t):
        c = Client(port)
        for n in range(t, tickets // 2, THREADS):
            for side in ("a", "b"):
                c.call("StartMatchmaking", {"TicketId": f"{tag}-{n}-{side}", "ConfigurationName": "duel",
                                            "Players": [{"PlayerId": f"{tag}-{n}-{side}"}]})
        for n in range(t, placements, THREADS):
            placed = c.call("StartGameSessionPlacement", {"PlacementId": f"{tag}-p{n}", "GameSessionQueueName": "q",
                                                           "MaximumPlayerSessionCount": 2})
            status = c.call("DescribeGameSessionPlacement", {"PlacementId": placed["GameSessionPlacement"]["PlacementId"]})
            arn = status["GameSessionPlacement"]["GameSessionArn"]
            c.call("TerminateGameSession", {"GameSessionId": arn, "TerminationMode": "FORCE_TERMINATE"})
    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def timed(c, tag, n=2000):
    """Median and p99 (ms) of StartMatchmaking, then of DescribeMatchmaking."""
    start, describe = [], []
    for i in range(n):
        t0 = time.perf_counter()
        c.call("StartMatchmaking", {"TicketId": f"{tag}-{i}", "ConfigurationName": "duel",
                                    "Players": [{"PlayerId": f"{tag}-{i}"}]})
        t1 = time.perf_counter()
        c.call("DescribeMatchmaking", {"TicketIds": [f"{tag}-{i}"]})
        t2 = time.perf_counter()
        start.append((t1 - t0) * 1e3)
        describe.append((t2 - t1) * 1e3)
    q = lambda xs: (statistics.median(xs), statistics.quantiles(xs, n=100)[98])
    return q(start), q(describe)


def main():
    port = free_port()
    proc = subprocess.Popen(os.environ.get("WRAP", "").split() + [str(BINARY), "--port", str(port), "--fleet", "fleet-churn",
                             "--max-terminated-game-sessions", "1000000"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        c = Client(port)
        c.call("CreateMatchmakingRuleSet", {"Name": "duel", "RuleSetBody": RULES})
        c.call("CreateMatchmakingConfiguration", {"Name": "duel", "RuleSetName": "duel", "RequestTimeoutSeconds": 600,
                                                  "AcceptanceRequired": False, "FlexMatchMode": "STANDALONE"})
        c.call("CreateGameSessionQueue", {"Name": "q", "Destinations": [
            {"DestinationArn": "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-churn"}]})
        past_everything = 31 * 86400
        churn(port, TICKETS // 20, PLACEMENTS // 20, "warm")
        c.control("matchmaking/step", {})
        c.control("clock/advance", {"Seconds": past_everything})
        # The housekeeping thread gives freed memory back within a second.
        time.sleep(float(os.environ.get("SETTLE", 2)))
        start = rss_kib(proc.pid)
        empty = timed(c, "empty")
        t0 = time.perf_counter()
        churn(port, TICKETS, PLACEMENTS, "churn")
        seconds = time.perf_counter() - t0
        c = Client(port)  # the first connection idled past the emulator's timeout
        c.control("matchmaking/step", {})
        full = rss_kib(proc.pid)
        kept = c.control("health")["Kept"]
        loaded = timed(c, "loaded")
        c.control("matchmaking/step", {})
        c.control("clock/advance", {"Seconds": past_everything})
        time.sleep(float(os.environ.get("SETTLE", 2)))
        after = rss_kib(proc.pid)
        forgotten = c.control("health")["Kept"]
        print(f"churned {TICKETS} tickets and {PLACEMENTS} placements in {seconds:.1f} s")
        print(f"kept after the churn: {kept}")
        print(f"kept after the clock moved past retention: {forgotten}")
        print(f"RSS start {start} KiB, after the churn {full} KiB "
              f"({(full - start) / start * 100:+.1f}%), after retention {after} KiB ({(after - start) / start * 100:+.1f}%)")
        for name, (e, l) in zip(("StartMatchmaking", "DescribeMatchmaking"), zip(empty, loaded)):
            print(f"{name}: empty pool p50 {e[0]:.3f} ms p99 {e[1]:.3f} ms; "
                  f"beside {kept['Tickets']} kept tickets p50 {l[0]:.3f} ms p99 {l[1]:.3f} ms")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    sys.exit(main())
