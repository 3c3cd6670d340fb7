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
scripts/make-hosting-example.py "$domains" | sed 's/\.example\b/.example.net/g' > "$work/big.yaml"
printf 'zones: [example.net]\n' >> "$work/big.yaml"
"$fedplan" dns export "$work/big.yaml" -o "$work/export/" >/dev/null 2>&1
. scripts/lib/nsd.sh
complete_zone example.net "$work/export/example.net.zone" > "$work/example.net.zone"
port=$(free_port)
start_nsd "$work" "$port" example.net
pids+=("$NSD_PID")
"$fedplan" dns plan "$work/big.yaml" --format json 2>/dev/null \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); seen=set()
for z in d["zones"]:
    for r in z["records"]:
        k=(r["name"], r["type"])
        if k not in seen: seen.add(k); print(r["name"], r["type"])' > "$work/queries.txt"
for round in 1 2 3; do
  echo "round $round"
  printf '    ldns, one thread, 100 in flight: %s\n' "$("$work/ldns-ceiling" "$port" "$work/queries.txt")"
  printf '    dnsperf -q 100:                  %s queries/s\n' \
    "$(dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -n 1 -q 100 2>&1 | awk '/Queries per second/ {print int($4)}')"
done
