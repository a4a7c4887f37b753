#!/usr/bin/env bash
# Compares feidi's event-loop throughput on the four-stage reference model with the
# hand-written loop in ../shared/bench-reference, alternating the two several times in
# one session so that both see the same machine load. Prints each run, the ratio of the
# medians and the ratio of the best runs (feidi / reference). Both time the event loop
# alone, set-up excluded. The host of a shared virtual machine adds noise of ±15 % from
# run to run; the best run of each is the least disturbed estimate.
#
# Usage: benches/compare-reference.sh [ROUNDS] (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
reference=${REFERENCE_DIR:-../shared/bench-reference}
cargo build --release -q
cargo build --release -q --manifest-path "$reference/Cargo.toml" --target-dir target/bench-reference
feidi_rates=()
reference_rates=()
for ((i = 0; i < rounds; i++)); do
  f=$(target/release/feidi bench --runs 1 --seed $((42 + i)) | awk '/^run/ {print $(NF-2)}')
  r=$(target/bench-reference/release/four-stage-reference 200000 $((42 + i)) | awk '{for (k = 1; k <= NF; k++) if ($k == "M") print $(k-1)}')
  echo "round $i: feidi $f M events/s, reference $r M events/s"
  feidi_rates+=("$f")
  reference_rates+=("$r")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
fm=$(median "${feidi_rates[@]}")
rm=$(median "${reference_rates[@]}")
best() { printf '%s\n' "$@" | sort -g | tail -n 1; }
fb=$(best "${feidi_rates[@]}")
rb=$(best "${reference_rates[@]}")
echo "median: feidi $fm, reference $rm M events/s; ratio $(awk -v f="$fm" -v r="$rm" 'BEGIN {printf "%.3f", f / r}')"
echo "best:   feidi $fb, reference $rb M events/s; ratio $(awk -v f="$fb" -v r="$rb" 'BEGIN {printf "%.3f", f / r}')"
