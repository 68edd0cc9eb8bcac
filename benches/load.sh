#!/usr/bin/env bash
# Load run of the emulator on loopback: UpdateGameSession at 1 and 64
# concurrent connections, with wrk (Debian package `wrk`), bounded to
# DURATION seconds per run. Prints requests/s and latency percentiles.
#
#   bash benches/load.sh            # DURATION=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build --quiet --release --example emulator
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
target/release/examples/emulator --port "$port" 2>/dev/null &
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

script=$(mktemp --suffix .lua)
cat >"$script" <<LUA
-- A typical update: a new name, 3 changed values and a fourth key, which
-- change on every request.
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

for connections in 1 64; do
  threads=$(( connections < 2 ? 1 : 2 ))
  echo "== UpdateGameSession, $connections connection(s), ${DURATION}s"
  wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s "$script" "http://127.0.0.1:$port/" \
    | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx|errors"
done
rm -f "$script"
