#!/usr/bin/env bash
# Runs the sync suite against one mutant of the reference, with any `cargo test`
# arguments after the patch: the model-check tier of a mutant, which the runner's
# `verify` cannot run yet (see tests/mutants/sync/, the `TIER: model` header).
#
#   tests/stress/sync-mutant.sh tests/mutants/sync/NAME.patch --features model
#
# The patched copy is built in target/sync-mutant/, a workspace of its own that shares
# the repository's target folder (only the kata and its suite are compiled again); it
# is laid out afresh for each new mutant, so cargo sees new files and rebuilds. Nothing
# outside target/ is written. Exits with cargo test's status: non-zero
# when the suite rejects the mutant.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
patch_file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
scratch=$root/target/sync-mutant
# The same mutant of the same reference as last time: keep the layout, so cargo has
# nothing to rebuild.
laid_out() {
    cmp -s "$patch_file" "$scratch/mutant.patch" &&
        diff -rq "$root/solutions/sync/src" "$scratch/reference" >/dev/null 2>&1
}
if ! laid_out; then
    rm -rf "$scratch"
    mkdir -p "$scratch/solutions/sync"
    cp -r "$root/solutions/sync/src" "$scratch/reference"
    cp -r "$root/solutions/sync/src" "$scratch/solutions/sync/src"
    patch --quiet -p1 -d "$scratch" < "$patch_file"
    sed "s|^members = .*|members = [\"solutions/sync\"]|" "$root/Cargo.toml" > "$scratch/Cargo.toml"
    cp "$root/Cargo.lock" "$scratch/Cargo.lock"
    # A package name of its own: cargo names a path crate's build the same from any
    # copy of the tree, so under the reference's name (or under `sync-mutant`, the
    # runner's scratch crate) this build would replace that one's.
    sed -e "s|\.\./\.\./tests/sync\.rs|$root/tests/sync.rs|" \
        -e 's|^name = "sync-solution"|name = "sync-stress-mutant"|' \
        "$root/solutions/sync/Cargo.toml" > "$scratch/solutions/sync/Cargo.toml"
    cp "$patch_file" "$scratch/mutant.patch"
fi
cd "$root"
CARGO_TARGET_DIR=$root/target exec cargo test --manifest-path "$scratch/Cargo.toml" \
    -p sync-stress-mutant --test sync "$@"
