#!/usr/bin/env bash
# Replications saved by `--variance-reduction auto`: for every shipped scenario and the
# headline metrics, the ratio of replications plain Monte Carlo needs for a target
# half-width to those auto needs, (plain half-width / auto half-width)² from one run
# (replications needed grow with the variance; the t quantiles of the two differ by
# under 1 % at these counts). Not a timed test: a table for BENCHMARKS.md.
#
#   benches/variance-reduction.sh [REPLICATIONS] [SEED]     (default 2048, seed 1)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2048}
seed=${2:-1}
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for scenario in scenarios/*.toml; do
  name=$(basename "$scenario" .toml)
  target/release/feidi run "$scenario" -n "$n" --seed "$seed" --variance-reduction auto \
    --out "$out/$name" >/dev/null
done
python3 - "$out" "$n" <<'PY'
import json, os, statistics, sys
out, n = sys.argv[1], sys.argv[2]
metrics = ["landed_home_real", "landing_rate", "home_tax_yuan", "cost_yuan", "cost_per_real_landing_yuan"]
print(f"| scenario | {' | '.join(metrics)} |")
print("| --- |" + " --- |" * len(metrics))
ratios = []
for name in sorted(os.listdir(out)):
    summary = json.load(open(os.path.join(out, name, "summary.json")))
    cells = []
    for m in metrics:
        entry = summary["metrics"].get(m)
        record = (entry or {}).get("variance_reduction")
        if not record or record.get("narrowing") is None:
            cells.append("—")
            continue
        ratio = record["narrowing"] ** 2
        ratios.append(ratio)
        cells.append(f"{ratio:.2f}" + ("" if record["method"] == "control" else " (plain)"))
    print(f"| {name} | {' | '.join(cells)} |")
print(f"\n{len(ratios)} figures, {n} replications each: median {statistics.median(ratios):.2f}, "
      f"smallest {min(ratios):.2f}, largest {max(ratios):.2f}")
PY
