#!/usr/bin/env bash
# Load run of the emulator on loopback: UpdateGameSession at 1 and 64
# concurrent connections, over AWS JSON 1.1 and over Smithy RPC v2 CBOR,
# with wrk (Debian package `wrk`), bounded to DURATION seconds per run.
# Prints requests/s and latency percentiles.
#
#   bash benches/load.sh            # DURATION=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build --quiet --release --example emulator
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/release/examples/emulator --port "$port" 2>"${EMULATOR_LOG:-/dev/null}" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done

call() {
  python3 - "$port" "$1" "$2" <<'PY'
import json, sys, urllib.request
port, target, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body.encode(), method="POST",
    headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1"})
print(urllib.request.urlopen(req).read().decode())
PY
}

props=$(python3 -c 'import json; print(json.dumps([{"Key": f"key{i:04}", "Value": f"value-{i:04}"} for i in range(8)]))')
created=$(call GameLift.CreateGameSession "{\"FleetId\":\"fleet-load\",\"MaximumPlayerSessionCount\":10,\"Name\":\"load\",\"GameProperties\":$props}")
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["GameSession"]["GameSessionId"])' "$created")

json_script=$(mktemp --suffix .lua)
cbor_script=$(mktemp --suffix .lua)
trap 'kill $emulator 2>/dev/null || true; rm -f "$json_script" "$cbor_script"' EXIT

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
response = function(status, headers, body)
  if status ~= 200 then error("status " .. status .. ": " .. body) end
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
response = function(status, headers, body)
  if status ~= 200 then error("status " .. status) end
end
LUA

for protocol in json cbor; do
  script=$json_script
  [ "$protocol" = cbor ] && script=$cbor_script
  for connections in 1 64; do
    threads=$(( connections < 2 ? 1 : 2 ))
    echo "== UpdateGameSession over $protocol, $connections connection(s), ${DURATION}s"
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s "$script" "http://127.0.0.1:$port/" \
      | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx|errors"
  done
done
