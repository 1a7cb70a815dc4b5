#!/usr/bin/env bash
# What grade's second pass costs: clippy on a kata's library with the runner's
# configuration (xtask/src/instructor/grade/resolved.rs), which `grade` runs for each
# kata with passing tests whose tokens were clean. Measured on a fresh clone of this
# repository (its committed state), each reference copied over its stub (what a
# student who solved it submits), the way `grade --submission` pays it: the library
# new (each student's copy is), its dependencies already built. For each kata, the
# median of RUNS runs (default 5), the library touched before each:
#   pass:   `cargo clippy --lib` with the configuration and the lints `grade` uses;
#   check:  `cargo check --lib` of the same library, for scale: the least any pass of
#           the compiler over it costs.
# The configuration is the one the runner writes for a kata that declares nothing
# (`uses`), read from the table in resolved.rs; a kata's own lacks a few lines.
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

# The runner's table, `(kind, Table::Methods|Types|Macros, &[paths])`, as clippy.toml.
mkdir -p "$work/conf"
python3 - xtask/src/instructor/grade/resolved.rs >"$work/conf/clippy.toml" <<'EOF'
import re, sys
source = open(sys.argv[1]).read()
table = source[source.index("const DISALLOWED"):source.index("enum Table")]
keys = {"Methods": "disallowed-methods", "Types": "disallowed-types", "Macros": "disallowed-macros"}
rows = {key: [] for key in keys}
for kind, which, paths in re.findall(r'\(\s*"(\w+)",\s*Table::(\w+),\s*&\[(.*?)\],?\s*\)', table, re.S):
    rows[which] += [(path, kind) for path in re.findall(r'"([^"]+)"', paths)]
for which, key in keys.items():
    print(f"{key} = [")
    for path, kind in rows[which]:
        print(f'  {{ path = "{path}", reason = "xtask-reach:{kind}" }},')
    print("]")
EOF

median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# Seconds that "$@" takes, the median of $runs runs, exercises/$kata/src/lib.rs touched
# before each.
timed() {
  for _ in $(seq "$runs"); do
    touch "exercises/$kata/src/lib.rs"
    start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    echo "$end - $start" | bc
  done | median
}

echo "building the libraries once (dependencies included)..." >&2
for kata in "${katas[@]}"; do
  cargo check --quiet --lib --package "$kata" >&2
done
printf '%-14s %8s %8s\n' kata pass check
for kata in "${katas[@]}"; do
  pass=$(timed env CLIPPY_CONF_DIR="$work/conf" cargo clippy --quiet --message-format=json \
    --lib --package "$kata" -- -A warnings -A clippy::all \
    --force-warn clippy::disallowed_methods --force-warn clippy::disallowed_types \
    --force-warn clippy::disallowed_macros)
  check=$(timed cargo check --quiet --lib --package "$kata")
  printf '%-14s %8.2f %8.2f\n' "$kata" "$pass" "$check"
done
