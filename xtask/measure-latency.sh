#!/usr/bin/env bash
# What a learner waits for, measured on a fresh clone of this repository (its committed
# state):
#   cold:     from `git clone` to the first report of `cargo xtask check <kata>`
#             (crates already in ~/.cargo count as downloaded; the build is from nothing);
#   stub:     `cargo xtask check <kata>` on the stub (every test fails fast), each run
#             after appending a comment to the learner's lib.rs (so it is rebuilt);
#   passing:  the same with the reference copied into the stub (every test passes).
# The warm cases are the median of RUNS runs (default 7), with the fastest and slowest.
# Usage: xtask/measure-latency.sh [kata]        RUNS=9 xtask/measure-latency.sh sort
set -euo pipefail
kata=${1:-sort}
runs=${RUNS:-7}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
# The clone builds in its own target/, whatever the caller's environment says.
unset CARGO_TARGET_DIR

now() { date +%s.%N; }
since() { python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.2f}")' "$1"; }

start=$(now)
cargo xtask check "$kata" >/dev/null 2>&1 || true
echo "cold first report: $(since "$start") s"

stub="exercises/$kata/src/lib.rs"
# Median of `runs` checks, each after appending a comment to the learner's lib.rs.
warm() {
  local label=$1 times=() i start sorted
  cargo xtask check "$kata" >/dev/null 2>&1 || true # settle the build first
  for ((i = 1; i <= runs; i++)); do
    printf '\n// Edited by the latency measurement (%d).\n' "$i" >>"$stub"
    start=$(now)
    cargo xtask check "$kata" >/dev/null 2>&1 || true
    times+=("$(since "$start")")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$label: median $(echo "$sorted" | sed -n "$(((runs + 1) / 2))p") s" \
    "(fastest $(echo "$sorted" | head -1) s, slowest $(echo "$sorted" | tail -1) s;" \
    "all: $(echo "$sorted" | tr '\n' ' '))"
}

warm "warm check, stub (tests fail fast)"
cp "solutions/$kata/src/lib.rs" "$stub"
warm "warm check, every test passing"
git checkout --quiet -- "$stub"
