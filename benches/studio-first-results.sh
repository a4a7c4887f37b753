#!/usr/bin/env bash
# Time from "Run" to first results in feidi studio: starts the studio on a scratch copy
# of scenarios/, asks for a run of SCENARIO (default dazu-chengdu) with N replications
# (default 256) as the page does, and waits for it; prints the wall-clock time the page
# waits (request to summary and charts), and the run's own time to summary.json.
# Repeats ROUNDS times (default 5); each round is a new variant.
# Usage: benches/studio-first-results.sh FEIDI_BINARY [SCENARIO] [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
feidi=$(realpath "$1")
scenario=${2:-dazu-chengdu}
n=${3:-256}
rounds=${4:-5}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp -r scenarios "$work/scenarios"
cd "$work"
"$feidi" studio >studio.out 2>studio.err &
server=$!
url=""
for _ in $(seq 1 50); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' studio.out || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat studio.err; exit 1; }
for round in $(seq 1 "$rounds"); do
  python3 - "$url" "$scenario" "$n" "$round" <<'EOF'
import json, sys, time, urllib.request
url, scenario, n, round_ = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url + path, data=data), timeout=600) as r:
        return json.load(r)
t0 = time.perf_counter()
job = call("api/run", {"path": f"scenarios/{scenario}.toml", "replications": n, "seed": 1})["job"]
while True:
    status = call(f"api/job?id={job}&wait=30000")
    if status["state"] != "running":
        break
waited = time.perf_counter() - t0
if status["state"] != "done":
    sys.exit(status.get("error"))
r = status["result"]
print(f"round {round_}: {waited:.3f} s from Run to summary and charts on the page; "
      f"summary.json after {r['seconds_to_results']:.3f} s; {r['replications']} replications")
EOF
done
