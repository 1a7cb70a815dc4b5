#!/usr/bin/env bash
# What criterion costs to build from nothing (release, as `cargo xtask bench` builds
# it), without its default features (what benches/ uses) and with them, each in a
# fresh target folder. Wall time depends on how busy the machine is; CPU time less so.
# Crates already in ~/.cargo count as downloaded. Uses this repository's Cargo.lock.
# Usage: benches/measure-criterion-build.sh
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for variant in lean default; do
  mkdir -p "$work/$variant/src"
  if [ "$variant" = lean ]; then
    dep='criterion = { version = "0.8", default-features = false }'
  else
    dep='criterion = "0.8"'
  fi
  printf '[package]\nname = "criterion-%s"\nversion = "0.1.0"\nedition = "2024"\n[dependencies]\n%s\n[workspace]\n' \
    "$variant" "$dep" >"$work/$variant/Cargo.toml"
  echo 'fn main() { let _ = criterion::Criterion::default(); }' >"$work/$variant/src/main.rs"
  cp "$repo/Cargo.lock" "$work/$variant/"
  (cd "$work/$variant" && cargo fetch --quiet)
  /usr/bin/time -f "criterion, $variant features: wall %e s, CPU %U s user + %S s system" \
    cargo build --release --quiet --manifest-path "$work/$variant/Cargo.toml" \
    --target-dir "$work/$variant/target"
done
