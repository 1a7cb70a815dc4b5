#!/usr/bin/env bash
# The peak address space (VmSize) of one process running the whole sync suite on the
# reference, with glibc's default number of malloc arenas and with two: the figures
# behind `memory_mib` in exercises/sync/Cargo.toml.
#
#   tests/stress/sync-address-space.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(cargo test -p sync-solution --test sync --no-run --message-format=json 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*\)".*"fresh".*/\1/p' | grep '/sync-' | head -1)
for arenas in default 2; do
    if [ "$arenas" = default ]; then
        "$bin" --test-threads=1 -q >/dev/null 2>&1 &
    else
        MALLOC_ARENA_MAX=$arenas "$bin" --test-threads=1 -q >/dev/null 2>&1 &
    fi
    pid=$!
    peak=0
    # Sampled every 50 ms while the suite runs (a look, not a wait for something).
    while kill -0 "$pid" 2>/dev/null; do
        size=$(awk '/^VmSize/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        if [ -n "$size" ] && [ "$size" -gt "$peak" ]; then peak=$size; fi
        sleep 0.05
    done
    wait "$pid" || true
    echo "malloc arenas: $arenas   peak address space: $((peak / 1024)) MiB"
done
