#!/usr/bin/env bash
# What grade's second pass costs: clippy on a kata's library with the runner's
# configuration (xtask/src/instructor/grade/resolved.rs), as `grade` pays it for a kata
# with passing tests. Measured on a fresh clone of this repository (its committed
# state), every reference copied over its stub (so every kata passes and is checked):
#   grade:  each kata's time in one `cargo xtask grade` of that clone (build, tests and
#           the pass), for scale;
#   pass:   the pass alone, its library touched first (a student's copy is always new,
#           its dependencies already built), the median of RUNS runs (default 5).
# The configuration is the one the runner wrote during that grading for a kata that
# declares nothing (`uses`): the longest; a kata's own differs by a few lines.
# The clone builds where cargo's settings say: set CARGO_TARGET_DIR to an absolute
# folder to reuse a warm build (the figures are of the pass, not of a first build).
# Usage: xtask/measure-clippy-pass.sh [kata...]        RUNS=9 xtask/measure-clippy-pass.sh sort
set -euo pipefail
runs=${RUNS:-5}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
export LC_NUMERIC=C

if [ $# -gt 0 ]; then
  katas=("$@")
else
  katas=()
  for dir in exercises/*/; do
    katas+=("$(basename "$dir")")
  done
fi
for kata in "${katas[@]}"; do
  cp -r "solutions/$kata/src/." "exercises/$kata/src/"
done

echo "grading the clone once (builds everything, writes the pass's configuration)..." >&2
cargo xtask grade --format json --out "$work/grade.json" >&2
target=$(cargo metadata --format-version 1 --no-deps --offline |
  python3 -c "import json,sys; print(json.load(sys.stdin)['target_directory'])")
conf=$(wc -c "$target"/xtask/clippy/*/clippy.toml | sort -n | grep -v ' total$' | tail -n 1 | awk '{print $2}')

seconds() { # the median of the numbers on stdin
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-14s %8s %8s\n' kata grade pass
for kata in "${katas[@]}"; do
  graded=$(python3 -c "import json,sys; print(next(k['seconds'] for k in json.load(open(sys.argv[1]))['katas'] if k['name']==sys.argv[2]))" "$work/grade.json" "$kata")
  for _ in $(seq "$runs"); do
    touch "exercises/$kata/src/lib.rs"
    start=$EPOCHREALTIME
    CLIPPY_CONF_DIR=$(dirname "$conf") cargo clippy --quiet --message-format=json --lib \
      --package "$kata" -- -A warnings -A clippy::all \
      --force-warn clippy::disallowed_methods --force-warn clippy::disallowed_types \
      --force-warn clippy::disallowed_macros >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    echo "$end - $start" | bc
  done | seconds | xargs printf '%-14s %8s %8.2f\n' "$kata" "$graded"
done
