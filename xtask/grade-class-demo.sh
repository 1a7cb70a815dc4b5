#!/usr/bin/env bash
# A class of N students made from `cargo xtask export`, graded with `cargo xtask class`,
# and the class table checked: what xtask/GRADING.md's figures for a class run come from.
#
# The students (each a git repository with one commit, as a clone is):
#   00-stubs          the export as it is
#   01-broken         sort's reference, and stack's with a type error (does not compile)
#   02-cheat          stack's reference reading libtest's command line (std::env::args):
#                     flagged, its points withheld
#   03-runner-cheat   the stubs, with a weakened tests/sort.rs, an `xtask` alias in
#                     .cargo/config.toml and an edited runner: none of it is read
#   04-mutant         sort's reference with a known-wrong quick sort (a mutant)
#   05 and on         the references of the first K katas (by name), K = 1, 2, 3, ...
# Each reference kata must score 100 (or be withheld, for the cheat), each stub kata what
# the stubs student scores, the broken kata 0 with "does not compile".
#
# Usage: xtask/grade-class-demo.sh [N [JOBS]]     (N at least 6; default 20 students,
#        JOBS default the number of cores). WORK=/some/folder keeps the class and its
#        results there (default: a temporary folder, removed at the end); rerunning with
#        the same WORK grades nothing again (every result is complete for its commit).
set -euo pipefail
students=${1:-20}
jobs=${2:-$(nproc)}
[ "$students" -ge 6 ] || { echo "N must be at least 6" >&2; exit 2; }
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
class=$work/class
results=$work/results
cd "$repo"
cargo build --quiet --manifest-path xtask/Cargo.toml
xtask=$repo/target/debug/xtask
if [ -n "${CARGO_TARGET_DIR:-}" ]; then xtask=$CARGO_TARGET_DIR/debug/xtask; fi

commit() {
  git -C "$1" init --quiet
  git -C "$1" add -A
  git -C "$1" -c user.name=student -c user.email=student@example.invalid \
    -c commit.gpgsign=false commit --quiet -m "$2"
}
solve() { # solve STUDENT KATA: the reference in place of the stub
  rm -rf "$1/exercises/$2/src"
  cp -a "$repo/solutions/$2/src" "$1/exercises/$2/src"
}

if [ ! -d "$class" ]; then
  "$xtask" export --student "$work/export" >/dev/null
  mapfile -t katas < <(ls "$work/export/exercises")
  mkdir -p "$class"
  for ((i = 0; i < students; i++)); do
    case $i in
      0) name=00-stubs ;;
      1) name=01-broken ;;
      2) name=02-cheat ;;
      3) name=03-runner-cheat ;;
      4) name=04-mutant ;;
      *) name=$(printf '%02d-first-%d' "$i" $(( (i - 5) % ${#katas[@]} + 1 ))) ;;
    esac
    dir=$class/$name
    cp -a "$work/export" "$dir"
    case $name in
      01-broken)
        solve "$dir" sort
        solve "$dir" stack
        printf '\npub fn broken() -> u32 {\n    "not a number"\n}\n' >>"$dir/exercises/stack/src/lib.rs"
        ;;
      02-cheat)
        solve "$dir" stack
        # The first step of forging libtest's log: finding its path on the command line.
        sed -i '0,/    pub fn new() -> Self {/s//    pub fn new() -> Self {\n        let _log = std::env::args().count();/' \
          "$dir/exercises/stack/src/lib.rs"
        ;;
      03-runner-cheat)
        printf '#[test]\nfn sorts() {}\n' >"$dir/tests/sort.rs"
        printf '[alias]\nxtask = "run --package full-marks --"\n' >"$dir/.cargo/config.toml"
        printf '\nfn main() { println!("100%%"); }\n' >>"$dir/xtask/src/main.rs"
        ;;
      04-mutant)
        solve "$dir" sort
        patch --quiet -p1 -d "$dir" --input="$repo/tests/mutants/sort/first_element_pivot.patch" \
          "exercises/sort/src/lib.rs"
        ;;
      *)
        if [ "$i" -ge 5 ]; then
          for ((k = 0; k < (i - 5) % ${#katas[@]} + 1; k++)); do solve "$dir" "${katas[k]}"; done
        fi
        ;;
    esac
    commit "$dir" "$name"
  done
fi

start=$(date +%s)
status=0
"$xtask" class "$class" --results "$results" --format markdown --jobs "$jobs" || status=$?
end=$(date +%s)
echo "graded $students students with $jobs jobs in $((end - start)) s (exit $status; load now: $(cut -d' ' -f1-3 /proc/loadavg))"

# The checks, from each student's JSON report and the class table.
fail=0
expect() { # expect WHAT ACTUAL WANTED
  if [ "$2" != "$3" ]; then echo "WRONG: $1: $2, not $3" >&2; fail=1; fi
}
kata() { # kata STUDENT KATA JQ_EXPRESSION
  jq -r --arg k "$2" ".katas[] | select(.name == \$k) | $3" "$results/students/$1/grade.json"
}
for dir in "$class"/*/; do
  name=$(basename "$dir")
  if [ ! -f "$results/students/$name/grade.json" ]; then
    expect "$name's report" missing present
    continue
  fi
  for src in "$dir"exercises/*/src; do
    k=$(basename "$(dirname "$src")")
    case $name/$k in
      01-broken/stack) expect "$name: $k" "$(kata "$name" "$k" .status)" does-not-compile ;;
      02-cheat/stack)
        expect "$name: $k flagged and withheld" \
          "$(kata "$name" "$k" '[.withheld, .reaches[0].kind] | map(tostring) | join(" ")')" "true env" ;;
      04-mutant/sort) expect "$name: $k partly passes" "$(kata "$name" "$k" '.score > 0 and .score < 100')" true ;;
      *)
        if diff -rq "$src" "$repo/solutions/$k/src" >/dev/null; then
          expect "$name: $k (the reference)" "$(kata "$name" "$k" .score)" 100
        else
          expect "$name: $k (the stub)" "$(kata "$name" "$k" .score)" "$(kata 00-stubs "$k" .score)"
        fi ;;
    esac
  done
done
expect "rows in the class table" "$(($(wc -l <"$results/class.csv") - 1))" "$students"
expect "the cheat flagged in the class table" "$(grep -c '^02-cheat,.*stack: env' "$results/class.csv")" 1
[ "$fail" = 0 ] && echo "class table checked: every score as expected, the cheat flagged"
echo "table: $results/class.csv, $results/class.md"
exit "$fail"
