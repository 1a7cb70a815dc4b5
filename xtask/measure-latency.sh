#!/usr/bin/env bash
# What a learner waits for, measured on a fresh clone of this repository (its committed
# state):
#   cold:     from a fresh `git clone` (done) to the first report of `cargo xtask check <kata>`
#             (crates already in ~/.cargo count as downloaded; the build is from nothing);
#   stub:     `cargo xtask check <kata>` on the stub (every test fails fast), each run
#             after appending a comment to the learner's lib.rs (so it is rebuilt);
#   passing:  the same with the reference copied into the stub (every test passes).
#   parts:    where the passing check's time goes, each the median of RUNS runs:
#             starting the runner (`cargo xtask --version`: cargo's checks of xtask),
#             a check with nothing to rebuild, rebuilding the lib and suite after an
#             edit (`cargo test --no-run`), and the suite's tests in one process.
#   side by side: the runner's own cost, against bare cargo on the very same suite:
#             ROUNDS alternating rounds (default 11) with every test passing, each round
#             appending a comment to the learner's lib.rs and timing the check, then
#             appending another and timing `cargo test -q -p <kata> --test <kata>`; both
#             medians, their difference and their ratio, and the median of each round's
#             own difference. Alternating, so a busy spell of the machine slows both
#             alike. Then the same without edits (nothing to rebuild): the runner's own
#             cost without rustc's time, the noisiest part, in either.
# The warm cases are the median of RUNS runs (default 7; for an even RUNS, the lower of
# the middle two), with every run listed.
# ONLY=side: the side by side alone, in a clone whose target folder starts as a copy
# of this checkout's (so only the workspace's own crates are built, not every crate).
# ONLY=rebuild: where rustc's time goes in the suite's rebuild after an edit (rustc's
# passes: macro expansion, type checking, monomorphisation, code generation, link),
# in such a clone too.
# REF=<commit>: measure that commit of the repository (e.g. REF=main, for a before and
# after), with this script.
# Usage: xtask/measure-latency.sh [kata]        RUNS=9 xtask/measure-latency.sh sort
#        ONLY=side ROUNDS=11 xtask/measure-latency.sh sort
#        ONLY=rebuild RUNS=5 xtask/measure-latency.sh sort
set -euo pipefail
kata=${1:-sort}
runs=${RUNS:-7}
rounds=${ROUNDS:-11}
only=${ONLY:-all}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
git -C "$work/clone" checkout --quiet "${REF:-HEAD}"
if [[ $only != all && -d "$repo/target" ]]; then
  cp -a "$repo/target" "$work/clone/target"
fi
cd "$work/clone"
# The clone builds in its own target/, whatever the caller's environment says.
unset CARGO_TARGET_DIR

# Seconds from $1 to now. Both ends are read from bash's own clock ($EPOCHREALTIME), so
# no program's start-up is counted (a python3 behind a pyenv shim takes 0.1 s to start,
# which an earlier version of this script counted in every figure).
export LC_NUMERIC=C # a point before the microseconds, whatever the locale
now() { echo "$EPOCHREALTIME"; }
since() {
  local end=$EPOCHREALTIME
  awk -v a="$1" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

# The machine's own speed, to tell a slower machine (a busy host under a virtual
# machine runs the same loop up to a third slower from one minute to the next) from a
# slower check: one core's time for a fixed loop, at the start and at the end.
calibrate() {
  local start
  start=$(now)
  awk 'BEGIN { for (i = 0; i < 20000000; i++) s += i }'
  echo "$1: a fixed loop took $(since "$start") s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
calibrate "machine at the start"

stub="exercises/$kata/src/lib.rs"
# The median of the numbers on stdin (for an even count, the lower of the middle two).
median() {
  local sorted
  sorted=$(sort -n)
  echo "$sorted" | sed -n "$((($(echo "$sorted" | wc -l) + 1) / 2))p"
}

# The side by side: the check and bare cargo, each after its own edit, in turns.
side_by_side() {
  local check=() bare=() i start m_check m_bare
  cp "solutions/$kata/src/lib.rs" "$stub"
  cargo xtask check "$kata" >/dev/null 2>&1 || true # settle both builds first
  cargo test -q --package "$kata" --test "$kata" >/dev/null 2>&1 || true
  for ((i = 1; i <= rounds; i++)); do
    printf '\n// Edited by the latency measurement (check %d).\n' "$i" >>"$stub"
    start=$(now)
    cargo xtask check "$kata" >/dev/null 2>&1 || true
    check+=("$(since "$start")")
    printf '\n// Edited by the latency measurement (cargo test %d).\n' "$i" >>"$stub"
    start=$(now)
    cargo test -q --package "$kata" --test "$kata" >/dev/null 2>&1 || true
    bare+=("$(since "$start")")
  done
  m_check=$(printf '%s\n' "${check[@]}" | median)
  m_bare=$(printf '%s\n' "${bare[@]}" | median)
  echo "side by side, $rounds alternating rounds, every test passing:"
  echo "  cargo xtask check $kata: median $m_check s (all: $(printf '%s\n' "${check[@]}" | sort -n | tr '\n' ' '))"
  echo "  cargo test -q -p $kata --test $kata: median $m_bare s (all: $(printf '%s\n' "${bare[@]}" | sort -n | tr '\n' ' '))"
  awk -v c="$m_check" -v b="$m_bare" \
    'BEGIN { printf "  the runner adds %.2f s to bare cargo test (ratio %.2f)\n", c - b, c / b }'
  # Each round's own difference: a slow spell of the host slows both of its runs alike,
  # so their median is steadier than the difference of the two medians.
  echo "  each round's difference, median: $(paired "${check[*]}" "${bare[*]}") s"
  # With nothing to rebuild, rustc's time (the noisiest part) drops out of both.
  check=() bare=()
  for ((i = 1; i <= rounds; i++)); do
    start=$(now)
    cargo xtask check "$kata" >/dev/null 2>&1 || true
    check+=("$(since "$start")")
    start=$(now)
    cargo test -q --package "$kata" --test "$kata" >/dev/null 2>&1 || true
    bare+=("$(since "$start")")
  done
  echo "  with nothing to rebuild: check median $(printf '%s\n' "${check[@]}" | median) s," \
    "cargo test $(printf '%s\n' "${bare[@]}" | median) s;" \
    "each round's difference, median: $(paired "${check[*]}" "${bare[*]}") s"
  git checkout --quiet -- "$stub"
}

# The median of the differences of two lists of times, given as two words of
# space-separated numbers, pair by pair.
paired() {
  local -a a b
  local i
  read -r -a a <<<"$1"
  read -r -a b <<<"$2"
  for ((i = 0; i < ${#a[@]}; i++)); do
    awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN { printf "%.2f\n", x - y }'
  done | median
}

# Where rustc's time goes when the suite is rebuilt after an edit of the learner's crate,
# from rustc's own -Z time-passes (a nightly flag, allowed on stable by RUSTC_BOOTSTRAP=1
# for this measurement only): the median of RUNS rebuilds, pass by pass.
rebuild_breakdown() {
  local passes=(expand_crate type_check_crate MIR_borrow_checking
    monomorphization_collector_graph_walk codegen_to_LLVM_IR LLVM_passes codegen_crate
    serialize_dep_graph link total) i log pass
  log=$(mktemp)
  cp "solutions/$kata/src/lib.rs" "$stub"
  rustc_passes() {
    # rustc's report is on stderr; the build's own output is not wanted.
    { RUSTC_BOOTSTRAP=1 cargo rustc -q --profile test --package "$kata" --test "$kata" \
      -- -Z time-passes >/dev/null; } 2>&1
  }
  rustc_passes >/dev/null || true # the flag makes a session of its own: settle it first
  for ((i = 1; i <= runs; i++)); do
    printf '\n// Edited by the latency measurement (rebuild %d).\n' "$i" >>"$stub"
    rustc_passes >>"$log" || true
  done
  echo "the suite's rebuild after an edit, rustc's passes (median of $runs, seconds):"
  for pass in "${passes[@]}"; do
    echo "  $pass: $(awk -v p="$pass" '$NF == p { sub(";", "", $2); print $2 }' "$log" | median)"
  done
  rm -f "$log"
  git checkout --quiet -- "$stub"
}

if [[ $only == side ]]; then
  side_by_side
  calibrate "machine at the end"
  exit 0
fi
if [[ $only == rebuild ]]; then
  rebuild_breakdown
  calibrate "machine at the end"
  exit 0
fi

start=$(now)
cargo xtask check "$kata" >/dev/null 2>&1 || true
echo "cold first report: $(since "$start") s"

# Median of `runs` runs of a command (default: a check), each after appending a
# comment to the learner's lib.rs (EDIT=no: without editing).
warm() {
  local label=$1 times=() i start sorted
  shift
  [[ $# -gt 0 ]] || set -- cargo xtask check "$kata"
  "$@" >/dev/null 2>&1 || true # settle the build first
  for ((i = 1; i <= runs; i++)); do
    [[ ${EDIT:-yes} == no ]] || printf '\n// Edited by the latency measurement (%d).\n' "$i" >>"$stub"
    start=$(now)
    "$@" >/dev/null 2>&1 || true
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

echo "where the passing check's time goes:"
EDIT=no warm "  starting the runner" cargo xtask --version
EDIT=no warm "  a check with nothing to rebuild" cargo xtask check "$kata"
warm "  rebuilding the lib and the suite" cargo test --no-run --package "$kata" --test "$kata"
suite=$(cargo test --no-run --message-format=json --package "$kata" --test "$kata" 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("kind") == ["test"]: print(m["executable"])')
EDIT=no warm "  the suite's tests, one process on its threads" "$suite"
git checkout --quiet -- "$stub"
side_by_side
calibrate "machine at the end"
