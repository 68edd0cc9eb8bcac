#!/usr/bin/env bash
# Load run of the emulator on loopback beside a floor, with wrk (Debian
# package `wrk`): UpdateGameSession at 1 and 64 concurrent connections, over
# AWS JSON 1.1 and Smithy RPC v2 CBOR. The floor is a minimal axum server
# (examples/floor.rs) answering a fixed body of the size of the emulator's
# answer, loaded with the same tool and settings. The cases interleave,
# ROUNDS times (3 by default), DURATION seconds each (10 by default); at 64
# connections over JSON an emulator with logging off (RUST_LOG=off) takes
# its turn too, to measure what the log costs; and CreatePlayerSession runs
# over JSON at 1 and 64 connections, joining new players to 20,000
# sessions of 200 slots; and SearchGameSessions over JSON at 1 and 64
# connections, on an emulator of its own holding 10,000 sessions of one
# fleet (8 properties each, one in ten TERMINATED), with a three-condition
# filter and a sort; and UpdateGameSession over JSON on an emulator with
# a state file (--state, in a temporary directory: every change journaled
# before its answer), beside the same update without one, over JSON and
# CBOR at 64 connections, to measure what durability costs; and, on the emulator holding 10,000 sessions,
# UpdateGameSession at 64 connections alone and while 64 other connections
# search it. Prints one line per run.
#
#   bash emulator/benches/load.sh
#   ONLY='10k|search' ROUNDS=3 DURATION=5 bash emulator/benches/load.sh   # a focused run
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build --quiet --release -p gamelift-emulator --bin gamelift-emulator --example floor
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return; sleep 0.05; done; echo "port $1 never opened" >&2; exit 1; }

port=$(free_port)
quiet_port=$(free_port)
floor_json_port=$(free_port)
floor_cbor_port=$(free_port)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -f "${json_script:-}" "${cbor_script:-}" "${join_script:-}" "${search_script:-}"; rm -rf "${state_dir:-}"; }
trap cleanup EXIT
target/release/gamelift-emulator --port "$port" 2>"${EMULATOR_LOG:-/dev/null}" & emulator=$!
RUST_LOG=off target/release/gamelift-emulator --port "$quiet_port" 2>/dev/null & quiet=$!
search_port=$(free_port)
target/release/gamelift-emulator --port "$search_port" 2>/dev/null & searcher=$!
durable_port=$(free_port)
state_dir=$(mktemp -d)
target/release/gamelift-emulator --port "$durable_port" --state "$state_dir/state.json" 2>/dev/null & durable=$!
pids+=("$emulator" "$quiet" "$searcher" "$durable")
wait_port "$port"; wait_port "$quiet_port"; wait_port "$search_port"; wait_port "$durable_port"

# Whether a focused run (ONLY=REGEX) wants a case like $1: the setups of
# cases it does not want are skipped.
wants() { [ -z "${ONLY:-}" ] || [[ "$1" =~ $ONLY ]]; }

# 10,000 sessions of one fleet to search, one in ten terminated.
wants "emulator search json c64" || wants "10k update json c64" || SKIP_SEARCH=1
[ -n "${SKIP_SEARCH:-}" ] || python3 - "$search_port" <<'PY'
import http.client, json, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
def call(op, body):
    conn.request("POST", "/", json.dumps(body), {"X-Amz-Target": f"GameLift.{op}", "Content-Type": "application/x-amz-json-1.1"})
    return json.loads(conn.getresponse().read())
for i in range(10000):
    props = [{"Key": k, "Value": v} for k, v in [("region", "eu"), ("skill", str(i % 50)), ("map", ["harbor", "desert", "arctic"][i % 3]),
             ("language", "en"), ("mode", ["ranked", "casual", "coop"][i % 3]), ("season", "7"), ("build", "1.42.0"), ("voice", "on")]]
    gid = call("CreateGameSession", {"FleetId": "fleet-search", "Name": f"game {i}", "MaximumPlayerSessionCount": 4 + i % 13, "GameProperties": props})["GameSession"]["GameSessionId"]
    if i % 10 == 9:
        call("TerminateGameSession", {"GameSessionId": gid, "TerminationMode": "FORCE_TERMINATE"})
PY
search_script=$(mktemp --suffix .lua)
cat >"$search_script" <<'LUA'
wrk.method = "POST"
wrk.headers["X-Amz-Target"] = "GameLift.SearchGameSessions"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.body = [[{"FleetId":"fleet-search","FilterExpression":"gameSessionProperties.mode = 'ranked' AND maximumSessions >= 8 AND hasAvailablePlayerSessions = true","SortExpression":"creationTimeMillis DESC"}]]
LUA

call() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, urllib.request
port, target, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body.encode(), method="POST",
    headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
print(urllib.request.urlopen(req).read().decode())
PY
}

# The same 8-property session, under the same id, in both emulators.
props=$(python3 -c 'import json; print(json.dumps([{"Key": f"key{i:04}", "Value": f"value-{i:04}"} for i in range(8)]))')
create="{\"FleetId\":\"fleet-load\",\"MaximumPlayerSessionCount\":10,\"Name\":\"load\",\"GameSessionId\":\"gs-load\",\"GameProperties\":$props}"
created=$(call "$port" GameLift.CreateGameSession "$create")
call "$quiet_port" GameLift.CreateGameSession "$create" >/dev/null
call "$durable_port" GameLift.CreateGameSession "$create" >/dev/null
call "$search_port" GameLift.CreateGameSession "$create" >/dev/null
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["GameSession"]["GameSessionId"])' "$created")

# CreatePlayerSession needs sessions that do not fill over three rounds:
# 20,000 sessions of 200 slots (4 million joins), each join a new player of
# session n % 20000.
sessions_file=$(mktemp)
wants "emulator join json c64" || echo "gs-none" >"$sessions_file"
wants "emulator join json c64" && python3 - "$port" "$sessions_file" <<'PY'
import http.client, json, sys
port, out = sys.argv[1], sys.argv[2]
conn = http.client.HTTPConnection("127.0.0.1", int(port))
ids = []
for i in range(20000):
    body = json.dumps({"FleetId": "fleet-players", "MaximumPlayerSessionCount": 200, "IdempotencyToken": f"players-{i}"})
    conn.request("POST", "/", body, {"X-Amz-Target": "GameLift.CreateGameSession", "Content-Type": "application/x-amz-json-1.1"})
    ids.append(json.loads(conn.getresponse().read())["GameSession"]["GameSessionId"])
open(out, "w").write("\n".join(ids))
PY
join_script=$(mktemp --suffix .lua)
{
  echo 'wrk.method = "POST"'
  echo 'wrk.headers["X-Amz-Target"] = "GameLift.CreatePlayerSession"'
  echo 'wrk.headers["Content-Type"] = "application/x-amz-json-1.1"'
  echo 'local ids = {'
  sed 's/.*/"&",/' "$sessions_file"
  echo '}'
  # Each wrk thread numbers its own players, and each run is its own (the
  # clock's second in tid), so no player joins a session twice.
  echo 'local threads = 0'
  echo 'function setup(thread) thread:set("tid", string.format("%d-%d", os.time(), threads)); threads = threads + 1 end'
  echo 'local n = 0'
  echo 'request = function()'
  echo '  n = n + 1'
  echo '  local body = string.format([[{"GameSessionId":"%s","PlayerId":"player-%s-%d"}]], ids[(n % #ids) + 1], tid or "0", n)'
  echo '  return wrk.format(nil, nil, nil, body)'
  echo 'end'
} >"$join_script"
rm -f "$sessions_file"

# The floor answers as many bytes as the emulator does to a typical update.
typical="{\"GameSessionId\":\"$id\",\"Name\":\"load 1\",\"GameProperties\":[{\"Key\":\"key0001\",\"Value\":\"v1\"},{\"Key\":\"key0003\",\"Value\":\"v1\"},{\"Key\":\"key0005\",\"Value\":\"v1\"},{\"Key\":\"mode\",\"Value\":\"m1\"}]}"
json_bytes=$(call "$port" GameLift.UpdateGameSession "$typical" | wc -c)
json_bytes=$((json_bytes - 1))
cbor_bytes=$(python3 - "$json_bytes" <<'PY'
import sys
# A CBOR answer is about 0.93 of the JSON one for this shape (measured with
# the emulator's own encoder); the exact size barely moves the floor.
print(int(int(sys.argv[1]) * 0.93))
PY
)
target/release/examples/floor --port "$floor_json_port" --bytes "$json_bytes" & floor_json=$!
target/release/examples/floor --port "$floor_cbor_port" --bytes "$cbor_bytes" & floor_cbor=$!
pids+=("$floor_json" "$floor_cbor")
wait_port "$floor_json_port"; wait_port "$floor_cbor_port"
echo "UpdateGameSession answer: $json_bytes bytes in JSON; floor bodies $json_bytes (JSON) and $cbor_bytes (CBOR) bytes"

json_script=$(mktemp --suffix .lua)
cbor_script=$(mktemp --suffix .lua)

# A typical update, different on every request: a new name, 3 changed
# values and a fourth key.
cat >"$json_script" <<LUA
wrk.method = "POST"
wrk.headers["X-Amz-Target"] = "GameLift.UpdateGameSession"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"GameSessionId":"$id","Name":"load %d","GameProperties":[{"Key":"key0001","Value":"v%d"},{"Key":"key0003","Value":"v%d"},{"Key":"key0005","Value":"v%d"},{"Key":"mode","Value":"m%d"}]}',
    n, n, n, n, n)
  return wrk.format(nil, nil, nil, body)
end
LUA

# The same update in CBOR, encoded here: text strings, maps and arrays.
cat >"$cbor_script" <<LUA
wrk.method = "POST"
wrk.path = "/service/GameLift/operation/UpdateGameSession"
wrk.headers["smithy-protocol"] = "rpc-v2-cbor"
wrk.headers["Content-Type"] = "application/cbor"
wrk.headers["Accept"] = "application/cbor"
local function text(s)
  local n = #s
  if n < 24 then return string.char(0x60 + n) .. s end
  if n < 256 then return string.char(0x78, n) .. s end
  return string.char(0x79, math.floor(n / 256), n % 256) .. s
end
local function property(k, v)
  return string.char(0xa2) .. text("Key") .. text(k) .. text("Value") .. text(v)
end
local n = 0
request = function()
  n = n + 1
  local body = string.char(0xa3)
    .. text("GameSessionId") .. text("$id")
    .. text("Name") .. text("load " .. n)
    .. text("GameProperties") .. string.char(0x84)
    .. property("key0001", "v" .. n) .. property("key0003", "v" .. n)
    .. property("key0005", "v" .. n) .. property("mode", "m" .. n)
  return wrk.format(nil, nil, nil, body)
end
LUA

# CPU time (user + system, in clock ticks) a process has used.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# One wrk run against the server process $5: prints "label requests/s p50
# p99 server-CPU-per-request".
load() {
  local label=$1 url=$2 script=$3 connections=$4 pid=$5
  # ONLY=REGEX runs the cases whose label matches it, for a focused run.
  if [ -n "${ONLY:-}" ] && ! [[ "$label" =~ $ONLY ]]; then return; fi
  local threads=$(( connections < 2 ? 1 : 2 ))
  local before after
  before=$(cpu_ticks "$pid")
  wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s "$script" "$url" >"$tmp_out"
  after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx" "$tmp_out"; then echo "$label: non-2xx answers" >&2; cat "$tmp_out" >&2; exit 1; fi
  awk -v label="$label" -v ticks=$((after - before)) -v hz="$ticks_per_second" '
    /Requests\/sec/ {rps=$2}
    / requests in / {n=$1}
    $1=="50%" {p50=$2}
    $1=="99%" {p99=$2}
    END {printf "%-26s %8.0f req/s  p50 %8s  p99 %8s  cpu %5.1f us/req\n", label, rps, p50, p99, ticks / hz * 1e6 / n}' "$tmp_out"
}
tmp_out=$(mktemp)
tmp_bg=$(mktemp)
trap 'cleanup; rm -f "$tmp_out" "$tmp_bg"' EXIT

# Updates on the emulator holding 10,000 sessions while 64 other
# connections search it: the update line, then the searches' line.
load_with_searches() {
  local label=$1
  if [ -n "${ONLY:-}" ] && ! [[ "$label" =~ $ONLY ]]; then return; fi
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "$search_script" "http://127.0.0.1:$search_port/" >"$tmp_bg" &
  local bg=$!
  load "$label" "http://127.0.0.1:$search_port/" "$json_script" 64 "$searcher"
  wait "$bg"
  awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
    END {printf "%-26s %8.0f req/s  p50 %8s  p99 %8s\n", "  (searches beside it)", rps, p50, p99}' "$tmp_bg"
}

for round in $(seq "$ROUNDS"); do
  echo "== round $round"
  for protocol in json cbor; do
    script=$json_script
    [ "$protocol" = cbor ] && script=$cbor_script
    floor=$floor_json_port floor_pid=$floor_json
    [ "$protocol" = cbor ] && floor=$floor_cbor_port floor_pid=$floor_cbor
    for connections in 1 64; do
      load "emulator $protocol c$connections" "http://127.0.0.1:$port/" "$script" "$connections" "$emulator"
      load "floor $protocol c$connections" "http://127.0.0.1:$floor/" "$script" "$connections" "$floor_pid"
      if [ "$protocol" = json ] && [ "$connections" = 64 ]; then
        load "emulator-nolog json c64" "http://127.0.0.1:$quiet_port/" "$json_script" 64 "$quiet"
      fi
      if [ "$protocol" = json ] || [ "$connections" = 64 ]; then
        load "emulator-state $protocol c$connections" "http://127.0.0.1:$durable_port/" "$script" "$connections" "$durable"
      fi
      if [ "$protocol" = json ]; then
        load "emulator join json c$connections" "http://127.0.0.1:$port/" "$join_script" "$connections" "$emulator"
        load "emulator search json c$connections" "http://127.0.0.1:$search_port/" "$search_script" "$connections" "$searcher"
        if [ "$connections" = 64 ]; then
          load "10k update json c64" "http://127.0.0.1:$search_port/" "$json_script" 64 "$searcher"
          load_with_searches "10k update+search c64"
        fi
      fi
    done
  done
done
