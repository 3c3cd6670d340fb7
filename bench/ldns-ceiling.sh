#!/usr/bin/env bash
# The ceiling for issue 3's throughput target: one thread doing only the ldns work a checker
# must do per query (build, send, receive, parse, records to text), in C, beside dnsperf,
# against the same NSD and the same 20,004 questions as bench/live-check.sh (a).
# Usage: bench/ldns-ceiling.sh [DOMAINS]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-10000}
scripts/setup.sh >/dev/null
command -v dnsperf >/dev/null || { apt-get install -y -qq dnsperf >/dev/null; }
swift build -c release --product fedplan >/dev/null
fedplan=$PWD/.build/release/fedplan
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -o "$work/ldns-ceiling" bench/ceiling/ldns-ceiling.c $(pkg-config --cflags --libs ldns)
. bench/lib/hosting-zone.sh
serve_hosting_zone "$domains"
pids+=("$NSD_PID")
questions=$(wc -l < "$work/queries.txt")
for round in 1 2 3; do
  echo "round $round ($questions questions)"
  start=$(date +%s.%N)
  "$fedplan" dns check "$work/big.yaml" --resolver "127.0.0.1:$port" --concurrency 100 --quiet >/dev/null || true
  printf '    fedplan dns check (whole run):   %.0f queries/s\n' "$(echo "$questions / ($(date +%s.%N) - $start)" | bc -l)"
  printf '    ldns, one thread, 100 in flight: %s\n' "$("$work/ldns-ceiling" "$port" "$work/queries.txt")"
  printf '    dnsperf -q 100:                  %s queries/s\n' \
    "$(dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -n 1 -q 100 2>&1 | awk '/Queries per second/ {print int($4)}')"
done
