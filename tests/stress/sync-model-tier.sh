#!/usr/bin/env bash
# The model-check tier against mutants: for each one, which tests find it, at which of
# the seeded runs, and how long the first of them takes on its own; each mutant REPEAT
# times (default 3) to show that the fixed seed finds it the same way every time.
#
#   tests/stress/sync-model-tier.sh                    # the `TIER: model` mutants
#   tests/stress/sync-model-tier.sh tests/mutants/sync/acquire_if_not_while.patch
#   REPEAT=10 tests/stress/sync-model-tier.sh
#
# Builds each mutant once (tests/stress/sync-mutant.sh), then runs its tests again.
set -uo pipefail
cd "$(dirname "$0")/../.."
repeat=${REPEAT:-3}
if [ $# -eq 0 ]; then
    set -- $(grep -l '^TIER: model' tests/mutants/sync/*.patch)
fi
for patch in "$@"; do
    name=$(basename "$patch" .patch)
    tests/stress/sync-mutant.sh "$patch" --features model --no-run >/dev/null 2>&1 ||
        { echo "$name: does not build"; continue; }
    for _ in $(seq "$repeat"); do
        # A mutant that spins without a lock or wait never reaches the model checker's
        # scheduler, so nothing inside the run can stop it: the runner's timeout would.
        out=$(RUST_BACKTRACE=0 timeout 60 tests/stress/sync-mutant.sh "$patch" --features model 2>&1)
        status=$?
        failed=$(grep -o '^test [a-z_:]* \.\.\. FAILED' <<<"$out" | cut -d' ' -f2 | tr '\n' ' ')
        found=$(grep -o 'run [0-9]* of [0-9]*' <<<"$out" | head -1)
        took=$(grep -o 'finished in [0-9.]*s' <<<"$out" | tail -1)
        if [ "$status" -eq 124 ]; then
            echo "$name: hangs under the model tier (stopped after 60 s)"
        elif [ -n "$failed" ]; then
            # The first test that found it, run alone: how long finding it takes.
            first=${failed%% *}
            alone=$(RUST_BACKTRACE=0 timeout 60 tests/stress/sync-mutant.sh "$patch" \
                --features model -- --exact "$first" 2>&1 |
                grep -o 'finished in [0-9.]*s' | tail -1)
            echo "$name: found by ${failed}at ${found:-?} (${first} alone: ${alone:-?})"
        else
            echo "$name: NOT FOUND by the model tier; ${took:-?}"
        fi
    done
done
