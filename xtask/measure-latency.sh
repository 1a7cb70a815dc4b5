#!/usr/bin/env bash
# What a learner waits for, measured on a fresh clone of this repository:
#   cold: from `git clone` to the first report of `cargo xtask check <kata>`
#         (crates already in ~/.cargo count as downloaded; the build is from nothing);
#   warm: the median of five `cargo xtask check <kata>` runs, each after an edit to the
#         stub that changes its public API's value (so the suite must be rebuilt).
# Usage: xtask/measure-latency.sh [kata]   (default: sort)
set -euo pipefail
kata=${1:-sort}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"

seconds() { /usr/bin/env python3 -c 'import sys,time; print(f"{time.time()-float(sys.argv[1]):.2f}")' "$1"; }

start=$(date +%s.%N)
cargo xtask check "$kata" >/dev/null 2>&1 || true
echo "cold first report: $(seconds "$start") s"

stub="exercises/$kata/src/lib.rs"
times=()
for i in 1 2 3 4 5; do
  printf '\n/// Changed by the latency measurement.\npub const MEASURED_EDIT: u32 = %d;\n' "$i" >>"$stub"
  start=$(date +%s.%N)
  cargo xtask check "$kata" >/dev/null 2>&1 || true
  times+=("$(seconds "$start")")
  git checkout --quiet -- "$stub"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "warm checks after an edit: $(echo "$sorted" | tr '\n' ' ')s"
echo "median warm check: $(echo "$sorted" | sed -n 3p) s"
