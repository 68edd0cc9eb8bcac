#!/usr/bin/env python3
"""The matchmaker off the request path: what a pass costs the other clients.

Runs the release emulator with `--matchmaking-interval 0` (passes only when
stepped) and measures, interleaved round by round:

- idle: DescribeGameSessions and StartMatchmaking (a probe configuration
  whose tickets never match, so its pool costs a pass nothing) with no
  pass running;
- during a pass: the same calls while another client steps the matchmaker
  over POOL searching one-player tickets (4v4, latency + comparison +
  distance, 1% unmatchable), loaded afresh before each round.

Prints the median and p99 of each call in each phase and their ratios
(the goal: p99 during a pass at most 2x idle), the pass's own time, then
StartMatchmaking and one pass with a rule set of 60 KB.

    cargo build --release -p gamelift-emulator
    python3 emulator/benches/matchmaker.py            # POOL=10000 ROUNDS=7
    POOL=2000 ROUNDS=3 python3 emulator/benches/matchmaker.py   # a quick run
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "gamelift-emulator"
POOL = int(os.environ.get("POOL", 10_000))
ROUNDS = int(os.environ.get("ROUNDS", 7))
FLEET = "fleet-bench"

RULES = {"ruleLanguageVersion": "1.0",
         "playerAttributes": [{"name": "skill", "type": "number"}, {"name": "mode", "type": "string"}],
         "teams": [{"name": "red", "minPlayers": 4, "maxPlayers": 4}, {"name": "blue", "minPlayers": 4, "maxPlayers": 4}],
         "rules": [{"name": "near", "type": "latency", "maxLatency": 150},
                   {"name": "mode", "type": "comparison", "operation": "=",
                    "measurements": "flatten(teams[*].players.attributes[mode])"},
                   {"name": "close", "type": "distance", "maxDistance": 50,
                    "measurements": "flatten(teams[*].players.attributes[skill])"}]}
# Tickets that never match: each alone breaks a hereditary rule.
PROBE = {"ruleLanguageVersion": "1.0", "playerAttributes": [{"name": "skill", "type": "number", "default": 0}],
         "teams": [{"name": "all", "minPlayers": 2, "maxPlayers": 2}],
         "rules": [{"name": "never", "type": "comparison", "operation": ">", "referenceValue": 1e9,
                    "measurements": "flatten(teams[*].players.attributes[skill])"}]}


def big_rules():
    """A rule set just under the 65,535-character limit: hundreds of rules
    over long expressions (what the old matcher took 28 s over)."""
    rules = []
    expr = "avg(flatten(teams[*].players.attributes[skill]))"
    n = 0
    while True:
        rule = {"name": f"r{n}", "type": "distance", "maxDistance": 1000,
                "measurements": [expr] * 4, "referenceValue": expr}
        body = json.dumps({**RULES, "rules": RULES["rules"] + rules + [rule]})
        if len(body) > 60_000:
            return json.dumps({**RULES, "rules": RULES["rules"] + rules})
        rules.append(rule)
        n += 1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One kept-alive connection, AWS JSON 1.1."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, op, body):
        self.conn.request("POST", "/", json.dumps(body),
                          {"X-Amz-Target": f"GameLift.{op}", "Content-Type": "application/x-amz-json-1.1"})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{op}: {response.status} {data[:300]!r}")
        return json.loads(data)

    def step(self):
        self.conn.request("POST", "/_emulator/matchmaking/step", "{}", {"Content-Type": "application/json"})
        return json.loads(self.conn.getresponse().read())


def load(port, configuration, n, tag):
    """`n` one-player tickets in `configuration`, from 4 connections."""
    rng = random.Random(tag)
    players = []
    for i in range(n):
        ms = 300 if i % 100 == 0 else rng.randrange(20, 120)
        players.append({"PlayerId": f"{tag}-{i}", "LatencyInMs": {"us-west-2": ms},
                        "PlayerAttributes": {"skill": {"N": rng.randrange(1000)},
                                             "mode": {"S": rng.choice(["ranked", "casual"])}}})

    def work(t):
        c = Client(port)
        for i in range(t, n, 4):
            c.call("StartMatchmaking", {"TicketId": f"{tag}-{i}", "ConfigurationName": configuration,
                                        "Players": [players[i]]})
    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def q(xs):
    return statistics.median(xs), statistics.quantiles(xs, n=100)[98]


def main():
    port = free_port()
    proc = subprocess.Popen([str(BINARY), "--port", str(port), "--fleet", FLEET, "--matchmaking-interval", "0"],
                            stderr=open("/tmp/mm-err.log","w"))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        c = Client(port)
        for name, rules in (("bench", RULES), ("probe", PROBE)):
            c.call("CreateMatchmakingRuleSet", {"Name": name, "RuleSetBody": json.dumps(rules)})
            c.call("CreateMatchmakingConfiguration", {"Name": name, "RuleSetName": name, "RequestTimeoutSeconds": 43200,
                                                      "AcceptanceRequired": False, "FlexMatchMode": "STANDALONE"})
        for i in range(20):
            c.call("CreateGameSession", {"FleetId": FLEET, "MaximumPlayerSessionCount": 8, "Name": f"room-{i}"})
        probe = [0]

        def calls(client, until):
            """DescribeGameSessions and StartMatchmaking in turn until `until()`; their times (ms)."""
            describe, start = [], []
            while not until() or len(describe) < 20:
                t0 = time.perf_counter()
                client.call("DescribeGameSessions", {"FleetId": FLEET})
                t1 = time.perf_counter()
                probe[0] += 1
                client.call("StartMatchmaking", {"TicketId": f"probe-{probe[0]}", "ConfigurationName": "probe",
                                                 "Players": [{"PlayerId": f"probe-{probe[0]}"}]})
                t2 = time.perf_counter()
                describe.append((t1 - t0) * 1e3)
                start.append((t2 - t1) * 1e3)
                if len(describe) >= 400 and until():
                    break
            return describe, start

        idle = ([], [])
        busy = ([], [])
        passes = []
        stepper = Client(port)
        for r in range(ROUNDS):
            load(port, "bench", POOL, f"r{r}")
            # Idle: no pass.
            n = [0]
            d, s = calls(c, lambda: n.__setitem__(0, n[0] + 1) or n[0] > 400)
            idle[0].extend(d)
            idle[1].extend(s)
            # During a pass.
            done = threading.Event()
            report = {}

            def run():
                t0 = time.perf_counter()
                report.update(stepper.step())
                passes.append((time.perf_counter() - t0, report.get("Matches", 0)))
                done.set()
            th = threading.Thread(target=run)
            th.start()
            d, s = calls(c, done.is_set)
            th.join()
            busy[0].extend(d)
            busy[1].extend(s)
        print(f"pool {POOL} tickets, {ROUNDS} rounds")
        pass_s = statistics.median(p[0] for p in passes)
        print(f"pass: median {pass_s * 1e3:.0f} ms, {statistics.median(p[1] for p in passes):.0f} matches")
        for name, i in (("DescribeGameSessions", 0), ("StartMatchmaking", 1)):
            (ip50, ip99), (bp50, bp99) = q(idle[i]), q(busy[i])
            print(f"{name}: idle p50 {ip50:.3f} ms p99 {ip99:.3f} ms; during a pass p50 {bp50:.3f} ms "
                  f"p99 {bp99:.3f} ms; p99 ratio {bp99 / ip99:.2f} (goal <= 2)")
        # A rule set of 60 KB.
        body = big_rules()
        c.call("CreateMatchmakingRuleSet", {"Name": "big", "RuleSetBody": body})
        c.call("CreateMatchmakingConfiguration", {"Name": "big", "RuleSetName": "big", "RequestTimeoutSeconds": 43200,
                                                  "AcceptanceRequired": False, "FlexMatchMode": "STANDALONE"})
        times = []
        for i in range(200):
            t0 = time.perf_counter()
            c.call("StartMatchmaking", {"TicketId": f"big-{i}", "ConfigurationName": "big",
                                        "Players": [{"PlayerId": f"big-{i}", "LatencyInMs": {"us-west-2": 50},
                                                     "PlayerAttributes": {"skill": {"N": 500}, "mode": {"S": "ranked"}}}]})
            times.append((time.perf_counter() - t0) * 1e3)
        t0 = time.perf_counter()
        made = stepper.step()
        big_pass = time.perf_counter() - t0
        p50, p99 = q(times)
        rules = len(json.loads(body)["rules"])
        print(f"60 KB rule set ({len(body)} characters, {rules} rules): StartMatchmaking p50 "
              f"{p50:.3f} ms p99 {p99:.3f} ms; a pass over its 200 tickets {big_pass * 1e3:.0f} ms, {made}")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    sys.exit(main())
