#!/usr/bin/env python3
"""Pack + unpack throughput: the reference's compiled Struct against CPython's
struct.Struct, on the course's record (i32sf), sixteen q's (16q) and a 64-byte s (64s).

    python3 solutions/struct_codec/bench/throughput.py

Run from anywhere in the repository, with any python3 (it says which). It builds and
runs the Rust side (`cargo run --release -p struct_codec-solution --example throughput`),
times CPython on the same records in the same run, and prints both rates and the ratio,
and beside them the rate of the Rust pair's heap allocations alone: the ceiling that the
API (a new Vec for each packed record and each unpacked list) and the allocator set.
"""

import os
import platform
import struct
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# The same records as throughput.rs.
CASES = [
    ("i32sf", (1, b"Tom", 1.75)),
    ("16q", tuple(i * 1_000_000_007 - 8_000_000_000 for i in range(16))),
    ("64s", (bytes(range(64)),)),
]


def python_rate(fmt, values):
    """Pack + unpack pairs per CPU second: the best of seven runs of at least 0.2 s each.

    CPU time of this thread (time.thread_time(), the clock the Rust side reads from
    /proc/thread-self/schedstat), so that other work on a busy machine does not count.
    """
    s = struct.Struct(fmt)
    pack, unpack = s.pack, s.unpack
    best = 0.0
    for _ in range(7):
        pairs = 0
        start = time.thread_time()
        elapsed = 0.0
        while elapsed < 0.2:
            for _ in range(1000):
                unpack(pack(*values))
            pairs += 1000
            elapsed = time.thread_time() - start
        best = max(best, pairs / elapsed)
    return best


def rust_rates():
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "struct_codec-solution", "--example", "throughput"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    rates = {}
    for line in out.splitlines():
        fmt, packing, allocations = line.split("\t")
        rates[fmt] = (float(packing), float(allocations))
    return rates


def main():
    rust = rust_rates()  # build and run first, so the build does not disturb CPython's timing
    print(f"CPython {platform.python_version()} struct.Struct against the Rust reference's Struct "
          f"(release build), pack + unpack pairs per CPU second, best of 7 x 0.2 s:")
    print(f"{'format':8} {'CPython':>12} {'Rust':>12} {'ratio':>7}   {'allocations alone':>17} {'ratio':>7}")
    for fmt, values in CASES:
        py = python_rate(fmt, values)
        packing, allocations = rust[fmt]
        print(f"{fmt:8} {py:12,.0f} {packing:12,.0f} {packing / py:6.1f}x   {allocations:17,.0f} {allocations / py:6.1f}x")
    print("(allocations alone: the heap allocations one Rust pair makes, the record, the list of values and\n"
          " a copy of each bytes value, and nothing else: the best rate any Struct with this API could reach\n"
          " with this allocator)")


if __name__ == "__main__":
    main()
