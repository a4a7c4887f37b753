#!/usr/bin/env bash
# Coverage of `--variance-reduction auto` intervals on a shipped scenario, whose truth is
# not known in closed form: K runs of N replications (seeds 1..K) against one long run of
# 32,768 replications with `control` (seed 999), for the headline metrics. Not a timed
# test: a check whose figures docs/analysis.md ("Is it honest?") quotes. About 15 minutes
# for kunshan-jiakuntai with N = 256 and K = 300 on one core.
#
#   benches/variance-reduction-coverage.sh SCENARIO_NAME [N] [K]
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
n=${2:-256}
k=${3:-300}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
feidi=target/release/feidi
"$feidi" run "scenarios/$name.toml" -n 32768 --seed 999 --variance-reduction control --json \
  --threads 1 --out "$out/truth" >"$out/truth.json"
for seed in $(seq 1 "$k"); do
  "$feidi" run "scenarios/$name.toml" -n "$n" --seed "$seed" --variance-reduction auto --json \
    --threads 1 --out "$out/run" --force >"$out/run-$seed.json"
done
python3 - "$out" "$k" <<'PY'
import json, sys
out, k = sys.argv[1], int(sys.argv[2])
truth = json.load(open(f"{out}/truth.json"))["metrics"]
for m in ["landed_home_real", "landing_rate", "admitted", "cost_yuan", "home_tax_yuan",
          "cost_per_real_landing_yuan"]:
    if m not in truth:
        continue
    t = truth[m]["mean"]
    runs = [json.load(open(f"{out}/run-{s}.json"))["metrics"][m] for s in range(1, k + 1)]
    covered = sum(r["ci_low"] <= t <= r["ci_high"] for r in runs)
    plain = [r["variance_reduction"] for r in runs if "plain_ci_low" in r.get("variance_reduction", {})]
    plain_covered = sum(v["plain_ci_low"] <= t <= v["plain_ci_high"] for v in plain)
    print(f"{m}: auto covered {covered}/{k} ({covered / k:.1%}); "
          f"plain intervals of the same runs {plain_covered}/{len(plain)}")
PY
