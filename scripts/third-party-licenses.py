#!/usr/bin/env python3
"""Write the licence texts of every crate compiled into feidi's binary (normal dependencies
only, for one target) to one text file, for the release archives.

usage: third-party-licenses.py TARGET_TRIPLE OUT_FILE
Fails if a crate ships no licence file, so nothing is left out silently."""
import json
import os
import subprocess
import sys

target, out_path = sys.argv[1], sys.argv[2]
meta = json.loads(subprocess.check_output(
    ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", target]))
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = meta["resolve"]["root"]

# Walk normal (and build: they run at build time only, so skip them) dependencies.
seen, stack = set(), [root]
while stack:
    pid = stack.pop()
    for dep in nodes[pid]["deps"]:
        if any(k["kind"] is None for k in dep["dep_kinds"]) and dep["pkg"] not in seen:
            seen.add(dep["pkg"])
            stack.append(dep["pkg"])

missing = []
with open(out_path, "w", encoding="utf-8") as out:
    out.write("Third-party software compiled into feidi, with its licence texts.\n"
              "The Rust standard library is licensed under MIT OR Apache-2.0 (texts in\n"
              "LICENSE-MIT and LICENSE-APACHE beside this file).\n\n")
    for pid in sorted(seen, key=lambda i: (packages[i]["name"], packages[i]["version"])):
        p = packages[pid]
        d = os.path.dirname(p["manifest_path"])
        files = sorted(f for f in os.listdir(d)
                       if f.upper().startswith(("LICENSE", "LICENCE", "COPYING", "UNLICENSE")))
        if not files:
            missing.append(f'{p["name"]} {p["version"]}')
            continue
        out.write("=" * 78 + f'\n{p["name"]} {p["version"]} — {p.get("license")}\n' + "=" * 78 + "\n")
        for f in files:
            path = os.path.join(d, f)
            if os.path.isfile(path):
                out.write(f"--- {f}\n")
                with open(path, encoding="utf-8", errors="replace") as fh:
                    out.write(fh.read().rstrip() + "\n\n")
print(f"{len(seen)} crates' licences written to {out_path}")
if missing:
    sys.exit("crates with no licence file: " + ", ".join(missing))
