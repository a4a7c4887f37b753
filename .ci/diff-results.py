#!/usr/bin/env python3
"""Names every value that differs between two summary.json or two series.csv files.

usage: diff-results.py A B [--within REL [--quantiles-within QREL]]
Exit 1 if any value differs; with --within, exit 0 when every difference is between two
numbers, not both integers, whose relative difference is at most REL (QREL for the
quantile columns p5 ... p95, where a last-digit change can reorder near-tied replications
and so pick a neighbouring one); counts, text and the files' shape must be equal."""
import csv
import json
import sys

args = sys.argv[1:]
within = qwithin = None
if "--within" in args:
    i = args.index("--within")
    within = qwithin = float(args[i + 1])
    del args[i:i + 2]
if "--quantiles-within" in args:
    i = args.index("--quantiles-within")
    qwithin = float(args[i + 1])
    del args[i:i + 2]
a, b = args
diffs = []  # (where, metric, x, y)
if a.endswith(".json"):
    def walk(x, y, path):
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                walk(x.get(k), y.get(k), f"{path}.{k}" if path else k)
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (p, q) in enumerate(zip(x, y)):
                walk(p, q, f"{path}[{i}]")
        elif x != y:
            diffs.append((path, path.rsplit(".", 1)[0], x, y))
    with open(a, encoding="utf-8-sig") as fa, open(b, encoding="utf-8-sig") as fb:
        walk(json.load(fa), json.load(fb), "")
else:
    with open(a, encoding="utf-8-sig", newline="") as fa, open(b, encoding="utf-8-sig", newline="") as fb:
        ra, rb = list(csv.reader(fa)), list(csv.reader(fb))
    header = ra[0] if ra else []
    if len(ra) != len(rb):
        diffs.append(("row count", "", len(ra), len(rb)))
    for i, (x, y) in enumerate(zip(ra, rb)):
        if len(x) != len(y):
            diffs.append((f"row {i + 1} length", "", len(x), len(y)))
        for j, (p, q) in enumerate(zip(x, y)):
            if p != q:
                col = header[j] if j < len(header) else j
                diffs.append((f"row {i + 1} ({','.join(x[:2])}) column {col}", x[0], p, q))


def number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    try:
        return float(v) if isinstance(v, str) and v.strip() else None
    except ValueError:
        return None


import re

quantile = re.compile(r"(\.|column )p\d+$")
worst, hard, rel, over = 0.0, [], [], []
for where, _, x, y in diffs:
    p, q = number(x), number(y)
    if p is None or q is None or (float(p).is_integer() and float(q).is_integer()):
        hard.append(where)
        print(f"  integer, text or shape: {where}: {x} vs {y}")
        continue
    r = abs(p - q) / max(abs(p), abs(q))
    rel.append((r, where, x, y))
    worst = max(worst, r)
    if within is not None and r > (qwithin if quantile.search(where) else within):
        over.append(where)
for r, where, x, y in sorted(rel, reverse=True)[:5]:
    print(f"  largest relative ({r:.1e}): {where}: {x} vs {y}")
for where, _, x, y in diffs[:60]:
    print(f"  {where}: {x} vs {y}")
if len(diffs) > 60:
    print(f"  ... {len(diffs) - 60} more")
per_metric = {}
for _, metric, _, _ in diffs:
    per_metric[metric] = per_metric.get(metric, 0) + 1
if diffs:
    print("  differing values per metric: " + ", ".join(f"{m} {n}" for m, n in sorted(per_metric.items())))
print(f"  {len(diffs)} value(s) differ; {len(hard)} of them integer, text or shape; "
      f"largest relative difference of the others {worst:.2e}")
if not diffs:
    sys.exit(0)
if within is not None and not hard and not over:
    print(f"  every difference is within {within:g} relative (quantiles {qwithin:g})")
    sys.exit(0)
if over:
    print(f"  {len(over)} beyond the bound: " + ", ".join(over[:10]))
sys.exit(1)
