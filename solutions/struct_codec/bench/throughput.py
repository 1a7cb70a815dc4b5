#!/usr/bin/env python3
"""Pack + unpack throughput: the reference's compiled Struct against CPython's
struct.Struct, on the course's record (i32sf), sixteen q's (16q) and a 64-byte s (64s).

    python3 solutions/struct_codec/bench/throughput.py

Run from anywhere in the repository, with any python3 (it says which). It builds and
runs the Rust side (`cargo run --release -p struct_codec-solution --example throughput`),
times CPython on the same records in the same run, and prints the rates and ratios of
two pairs:

- pack + unpack: a new record and a new list of values each time (Python's s.pack and
  s.unpack, Rust's Struct::pack and Struct::unpack), and beside them the rate of the
  Rust pair's heap allocations alone, the ceiling that this API and the allocator set;
- buffers kept from pair to pair: Python's s.pack_into into a bytearray and
  s.unpack_from it, Rust's Struct::pack_to into a cleared Vec<u8> and Struct::unpack_to
  into a Vec<Value>, with no allocation at all once both have grown. Its last column
  compares it with CPython's pack + unpack, the faster of CPython's two pairs.
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


def best_rate(pairs):
    """Pairs per CPU second: the best of seven runs of at least 0.2 s each. pairs(n)
    does n pairs.

    CPU time of this thread (time.thread_time(), the clock the Rust side reads from
    /proc/thread-self/schedstat), so that other work on a busy machine does not count.
    """
    best = 0.0
    for _ in range(7):
        done = 0
        start = time.thread_time()
        elapsed = 0.0
        while elapsed < 0.2:
            pairs(1000)
            done += 1000
            elapsed = time.thread_time() - start
        best = max(best, done / elapsed)
    return best


def python_rates(fmt, values):
    """CPython's two pairs: pack + unpack (a new bytes and a new tuple each time), and
    pack_into a bytearray kept from pair to pair + unpack_from it. Each is a plain loop
    over bound methods held in local variables (the default arguments), with no call
    of ours inside: the fastest way to call them from Python."""
    s = struct.Struct(fmt)
    buffer = bytearray(s.size)

    def allocating(n, pack=s.pack, unpack=s.unpack, values=values):
        for _ in range(n):
            unpack(pack(*values))

    def reusing(n, pack_into=s.pack_into, unpack_from=s.unpack_from, buffer=buffer, values=values):
        for _ in range(n):
            pack_into(buffer, 0, *values)
            unpack_from(buffer)

    return best_rate(allocating), best_rate(reusing)


def rust_rates():
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "struct_codec-solution", "--example", "throughput"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    rates = {}
    for line in out.splitlines():
        fmt, allocating, reusing, allocations = line.split("\t")
        rates[fmt] = (float(allocating), float(reusing), float(allocations))
    return rates


def five(ratio):
    """Does a ratio meet issue 13's requirement, at least 5 times CPython's rate?"""
    return "yes" if ratio >= 5 else "no"


def main():
    rust = rust_rates()  # build and run first, so the build does not disturb CPython's timing
    python = {fmt: python_rates(fmt, values) for fmt, values in CASES}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"CPython {platform.python_version()} struct.Struct against the Rust reference's Struct "
          f"(release build), pairs per CPU second, best of 7 x 0.2 s (load average {load}):")
    print()
    print("pack + unpack (each pair makes a new record and a new list of values; the issue's figure):")
    print(f"{'format':8} {'CPython':>12} {'Rust':>12} {'ratio':>7} {'5x?':>4}   {'Rust allocations alone':>22} {'ratio':>7}")
    for fmt, _ in CASES:
        py = python[fmt][0]
        allocating, _, allocations = rust[fmt]
        print(f"{fmt:8} {py:12,.0f} {allocating:12,.0f} {allocating / py:6.1f}x {five(allocating / py):>4}   "
              f"{allocations:22,.0f} {allocations / py:6.1f}x")
    print("(allocations alone: the heap allocations one Rust pair makes, the record, the list of values and\n"
          " a copy of each bytes value, and nothing else: the best rate a pack and unpack that return new\n"
          " vectors could reach with this allocator)")
    print()
    print("buffers kept from pair to pair: CPython pack_into(bytearray, 0, ...) + unpack_from(it),")
    print("Rust pack_to(&values, &mut record) after record.clear() + unpack_to(&record, &mut values):")
    print(f"{'format':8} {'CPython':>12} {'Rust':>12} {'ratio':>7} {'5x?':>4}   "
          f"{'against CPython pack + unpack':>29} {'5x?':>4}")
    for fmt, _ in CASES:
        py_allocating, py_reusing = python[fmt]
        reusing = rust[fmt][1]
        print(f"{fmt:8} {py_reusing:12,.0f} {reusing:12,.0f} {reusing / py_reusing:6.1f}x "
              f"{five(reusing / py_reusing):>4}   {reusing / py_allocating:28.1f}x {five(reusing / py_allocating):>4}")


if __name__ == "__main__":
    main()
