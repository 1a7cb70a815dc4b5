#!/usr/bin/env bash
# The worked examples of xtask/GRADING.md's format sections: the sort kata alone, half
# done (its reference with one mistake, the mutant MUTANT, default
# bubble_calls_std_sort), graded once in every machine format with `--points sort=8`.
# Each report is printed in turn (JSON cut to its first entries, base64 decoded), from a
# fresh clone of this repository's committed state.
# The clone builds where cargo's settings say: set CARGO_TARGET_DIR to an absolute
# folder to reuse a warm build.
# Usage: xtask/formats-example.sh        MUTANT=quick_pivot_first xtask/formats-example.sh
set -euo pipefail
mutant=${MUTANT:-bubble_calls_std_sort}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"

# The sort kata alone (and the benches' shared kit, which the workspace's glob needs).
for dir in exercises/* solutions/* benches/*; do
  case "$dir" in */sort | benches/kit) ;; *) rm -rf "$dir" ;; esac
done
for suite in tests/*.rs; do
  [ "$suite" = tests/sort.rs ] || rm -f "$suite"
done
cp solutions/sort/src/lib.rs exercises/sort/src/lib.rs
tail -n +2 "tests/mutants/sort/$mutant.patch" | patch --quiet exercises/sort/src/lib.rs

mkdir out
cargo xtask grade --points sort=8 \
  --format json --out out/grade.json \
  --format junit --out out/grade.xml \
  --format classroom --out out/classroom.env \
  --format gradescope --out out/gradescope.json \
  --format prairielearn --out out/prairielearn.json

python3 - <<'PY'
import base64, json

def cut(value, keep=2):
    """A JSON value with every list cut to its first `keep` entries."""
    if isinstance(value, list):
        return [cut(v, keep) for v in value[:keep]] + ([f"... {len(value) - keep} more"] if len(value) > keep else [])
    if isinstance(value, dict):
        return {k: cut(v, keep) for k, v in value.items()}
    return value

for name in ["grade.json", "gradescope.json", "prairielearn.json"]:
    print(f"== {name}")
    print(json.dumps(cut(json.load(open(f"out/{name}"))), ensure_ascii=False, indent=2))
print("== grade.xml (first lines)")
print("".join(open("out/grade.xml").readlines()[:16]))
print("== classroom.env")
for line in open("out/classroom.env"):
    key, value = line.rstrip("\n").split("=", 1)
    if key.endswith("_RESULTS"):
        result = json.loads(base64.b64decode(value))
        tests = result["tests"]
        passed = sum(t["status"] == "pass" for t in tests)
        print(f"{key} = base64 of", json.dumps(cut(result), ensure_ascii=False))
        print(f"  the reporter's row: {passed} / {len(tests)} * {result['max_score']} =",
              passed / len(tests) * result["max_score"],
              "; Classroom receives", sum(t["score"] for t in tests))
    else:
        print(line.rstrip("\n"))
PY
