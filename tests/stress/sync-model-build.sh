#!/usr/bin/env bash
# What the model-check tier costs to build, from nothing, in a target folder of its
# own (target/model-build-measure, removed afterwards): first the ordinary check's
# build of the sync suite (what every learner pays), then the model tier's on top of it
# (shuttle and its dependencies, the kata and the suite again with the feature), then
# the model tier alone from nothing. Wall time and CPU time (user + system) each.
#
#   tests/stress/sync-model-build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=target/model-build-measure
TIMEFORMAT='%R s wall, %U s user + %S s system'
measure() {
    local what=$1
    shift
    echo "$what:"
    { time CARGO_TARGET_DIR=$dir "$@" >/dev/null 2>&1; } 2>&1 | sed 's/^/  /'
}
rm -rf "$dir"
measure "the ordinary check's build (cargo test -p sync-solution --test sync --no-run)" \
    cargo test -p sync-solution --test sync --no-run
measure "then the model tier's (the same with --features model)" \
    cargo test -p sync-solution --features model --test sync --no-run
rm -rf "$dir"
measure "the model tier's alone, from nothing" \
    cargo test -p sync-solution --features model --test sync --no-run
rm -rf "$dir"
