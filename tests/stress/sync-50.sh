#!/usr/bin/env bash
# The reference against its own suite N times in a row (default 50), with a CPU spinner
# on every core the whole time: a test that depends on luck or on an idle machine fails
# here long before a learner meets it. Each round runs the ordinary check
# (`cargo xtask check sync --solution`) and the model-check tier
# (`cargo test -p sync-solution --features model --test sync`).
#
#   tests/stress/sync-50.sh [N]
#
# Prints each failure, then how many rounds passed; exits non-zero unless all did.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-50}
# Built before the spinners start, so no round pays for a build.
cargo xtask check sync --solution >/dev/null 2>&1
cargo test -p sync-solution --features model --test sync --no-run >/dev/null 2>&1

spinners=()
stop_spinners() {
    for pid in "${spinners[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap stop_spinners EXIT
for _ in $(seq "$(nproc)"); do
    (while :; do :; done) &
    spinners+=("$!")
done

checks=0
models=0
started=$(date +%s)
for round in $(seq "$rounds"); do
    if out=$(cargo xtask check sync --solution 2>&1); then
        checks=$((checks + 1))
    else
        echo "round $round: cargo xtask check sync --solution failed:"
        tail -40 <<<"$out"
    fi
    if out=$(cargo test -p sync-solution --features model --test sync 2>&1); then
        models=$((models + 1))
    else
        echo "round $round: the model tier failed:"
        tail -40 <<<"$out"
    fi
done
echo "with $(nproc) spinners, in $(($(date +%s) - started)) s:" \
    "check passed $checks of $rounds, model tier passed $models of $rounds"
[ "$checks" -eq "$rounds" ] && [ "$models" -eq "$rounds" ]
