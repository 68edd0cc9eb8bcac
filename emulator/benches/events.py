#!/usr/bin/env python3
"""Event delivery off the request path: what subscribers cost requests.

Runs the release emulator with a queue that notifies an SNS topic, and a
client thread that makes placements all along (each publishes a
PlacementFulfilled event). Round by round, interleaved, the topic has:

- none: no subscriber;
- failing: a subscriber that answers 500 to everything (each message is
  tried 4 times, so the queue grows and retries are scheduled);
- slow: a subscriber that takes 2 s to answer each message (deliveries
  pile up behind it).

In each phase another connection times DescribeGameSessions (one session
by id) REQUESTS times. Prints the median and p99 of each phase and their
ratios to `none` (the goal: no slower with a bad subscriber), and how many
events were published and delivered.

    cargo build --release -p gamelift-emulator
    python3 emulator/benches/events.py              # ROUNDS=5 REQUESTS=2000
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "target" / "release" / "gamelift-emulator"
ROUNDS = int(os.environ.get("ROUNDS", 5))
REQUESTS = int(os.environ.get("REQUESTS", 2000))
TOPIC = "arn:aws:sns:us-west-2:123456789012:bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, op, body):
        self.conn.request("POST", "/", json.dumps(body), {"Content-Type": "application/x-amz-json-1.1",
                                                         "X-Amz-Target": f"GameLift.{op}"})
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{op}: {r.status} {data[:200]!r}")
        return json.loads(data)

    def control(self, method, path, body=None):
        self.conn.request(method, path, json.dumps(body) if body is not None else None,
                          {"Content-Type": "application/json"})
        r = self.conn.getresponse()
        return json.loads(r.read() or b"{}")


def listener(status, delay):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if delay:
                time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def main():
    if not BINARY.exists():
        sys.exit(f"build it first: cargo build --release -p gamelift-emulator ({BINARY})")
    port = free_port()
    emulator = subprocess.Popen([str(BINARY), "--port", str(port), "--fleet", "fleet-bench"],
                                stderr=subprocess.DEVNULL)
    stop = threading.Event()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        api = Api(port)
        api.call("CreateGameSessionQueue", {"Name": "q", "NotificationTarget": TOPIC, "Destinations": [
            {"DestinationArn": "arn:aws:gamelift:us-west-2:123456789012:fleet/fleet-bench"}]})
        probe = api.call("CreateGameSession", {"FleetId": "fleet-bench", "MaximumPlayerSessionCount": 4})
        probe_id = probe["GameSession"]["GameSessionId"]
        placed = [0]

        def place():
            client = Api(port)
            n = 0
            while not stop.is_set():
                n += 1
                client.call("StartGameSessionPlacement", {"PlacementId": f"p-{n}", "GameSessionQueueName": "q",
                                                          "MaximumPlayerSessionCount": 2})
                placed[0] = n
                time.sleep(0.005)

        threading.Thread(target=place, daemon=True).start()
        failing, failing_url = listener(500, 0)
        slow, slow_url = listener(200, 2.0)
        phases = {"none": None, "failing": failing_url, "slow": slow_url}
        times = {k: [] for k in phases}
        timer = Api(port)
        current = None
        for _ in range(ROUNDS):
            for phase, url in phases.items():
                if current:
                    timer.control("DELETE", "/_emulator/sns/subscriptions", {"SubscriptionArn": current})
                    current = None
                if url:
                    current = timer.control("POST", "/_emulator/sns/subscriptions",
                                            {"TopicArn": TOPIC, "Endpoint": url, "AutoConfirm": True})["SubscriptionArn"]
                time.sleep(0.5)
                for _ in range(REQUESTS):
                    t0 = time.perf_counter()
                    timer.call("DescribeGameSessions", {"GameSessionId": probe_id})
                    times[phase].append((time.perf_counter() - t0) * 1000)
        stop.set()
        health = timer.control("GET", "/_emulator/health")
        base50, base99 = statistics.median(times["none"]), pct(times["none"], 99)
        print(f"DescribeGameSessions while placements publish events ({ROUNDS} rounds x {REQUESTS}, interleaved):")
        for phase, values in times.items():
            p50, p99 = statistics.median(values), pct(values, 99)
            print(f"  {phase:8} p50 {p50:.3f} ms  p99 {p99:.3f} ms   ratio to none: p50 {p50 / base50:.2f}  p99 {p99 / base99:.2f}")
        print(f"  placements made: {placed[0]}, events kept: {health['Kept']['Events']}, "
              f"messages waiting: {health['Kept']['SnsMessagesWaiting']}")
        failing.shutdown()
        slow.shutdown()
    finally:
        stop.set()
        emulator.terminate()
        emulator.wait(30)


if __name__ == "__main__":
    main()
