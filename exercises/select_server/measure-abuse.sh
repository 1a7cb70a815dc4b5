#!/usr/bin/env bash
# The chat server under abuse, measured on the real program (chat-server-ref, release):
#
#   cpu:    the server's CPU use while it is out of file descriptors: started under
#           `ulimit -n 64`, with 100 connections held open (none sends a byte), its
#           user + system time from /proc/<pid>/stat over WINDOW seconds (default 5),
#           as a share of one core. A server that spins on a failing `accept` uses a
#           whole core; one that stops polling its listener uses next to nothing.
#   memory: the server's peak resident memory (VmHWM in /proc/<pid>/status) when
#           CLIENTS clients (default 200) logged in each write BYTES of chat (default
#           4096) at once, less its resident memory before the burst.
#
# Usage: exercises/select_server/measure-abuse.sh [cpu|memory|both]
#        SERVER=path/to/chat-server exercises/select_server/measure-abuse.sh   (another build:
#        your own, `target/release/chat-server`, or an older reference)
# Linux only (/proc). The machine's other work changes the CPU figure little: a spinning
# server takes what a core gives it, an idle one nothing.
set -euo pipefail
what=${1:-both}
window=${WINDOW:-5}
clients=${CLIENTS:-200}
bytes=${BYTES:-4096}
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$repo"

cargo build -q --release -p select_server --example chat-abuse
abuse=target/release/examples/chat-abuse
if [[ -z ${SERVER:-} ]]; then
  cargo build -q --release -p select_server-solution --bin chat-server-ref
  SERVER=target/release/chat-server-ref
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the server on a free port (standard input closed: it keeps serving) and sets
# $server_pid and $addr from its banner on standard error.
start_server() {
  local limit=$1 log="$work/server-$RANDOM.err"
  (ulimit -n "$limit"; exec "$SERVER" 127.0.0.1:0 </dev/null 2>"$log") &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 100); do
    addr=$(sed -n 's/^chat server on \([0-9.:]*\):.*/\1/p' "$log")
    [[ -n $addr ]] && return
    sleep 0.1
  done
  echo "the server printed no banner: $(cat "$log")" >&2
  exit 1
}

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat,
# counted after the command name, which may hold spaces).
ticks() {
  local stat rest
  stat=$(cat "/proc/$1/stat")
  rest=${stat##*) }
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12]))
}

# A line of /proc/<pid>/status, in KiB.
kib() { awk '/^'"$2"':/ { print $2 }' "/proc/$1/status"; }

if [[ $what == cpu || $what == both ]]; then
  start_server 64
  "$abuse" hold 100 "$addr" $((window + 5)) >"$work/hold.out" &
  pids+=($!)
  for _ in $(seq 100); do grep -qs holding "$work/hold.out" && break; sleep 0.1; done
  grep -qs holding "$work/hold.out" || { echo "the connections were not made" >&2; exit 1; }
  sleep 1 # let the server reach the limit
  hz=$(getconf CLK_TCK)
  before=$(ticks "$server_pid")
  sleep "$window"
  after=$(ticks "$server_pid")
  awk -v d=$((after - before)) -v hz="$hz" -v w="$window" 'BEGIN {
    printf "cpu: under ulimit -n 64 with 100 connections held: %d ticks in %d s = %.1f %% of one core\n", d, w, 100 * d / (hz * w) }'
  kill "$server_pid"
fi

if [[ $what == memory || $what == both ]]; then
  start_server 4096
  base=$(kib "$server_pid" VmRSS)
  "$abuse" burst "$clients" "$bytes" "$addr"
  peak=$(kib "$server_pid" VmHWM)
  awk -v p="$peak" -v b="$base" 'BEGIN {
    printf "memory: peak resident %.1f MiB, %.1f MiB above the %.1f MiB before the clients came\n", p / 1024, (p - b) / 1024, b / 1024 }'
fi
