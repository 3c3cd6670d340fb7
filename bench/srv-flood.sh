#!/usr/bin/env bash
# Hostile answers: 100 SIP domains whose SRV name is answered with 1,000 records each (none of
# them the planned target, so every planned SRV record is a mismatch that shows what was
# found), served by a local NSD (UDP truncates, the answers come over TCP). Prints the whole
# run's time, the split from `--timings` (queries vs checking and report), peak memory and
# the size of each output format. Targets (issue 24): <= 20 s, <= 200 MiB, <= 2 MB of JSON.
# Usage: bench/srv-flood.sh [DOMAINS [TARGETS]]   (default 100 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-100}
targets=${2:-1000}
scripts/setup.sh
. scripts/lib/release.sh && release_build >/dev/null
fedplan=$PWD/$RELEASE_BIN
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap "cp $work/out.* $KEEP/ 2>/dev/null; cleanup" EXIT
. scripts/lib/nsd.sh

{
  echo "version: 1"
  printf 'sip_domains: ['; for d in $(seq "$domains"); do printf '%sd%s.flood.test' "$([ "$d" = 1 ] || echo ', ')" "$d"; done; echo ']'
  echo "edge:"
  echo "  access_edge: sip.edge.flood.test"
  echo "  servers:"
  echo "    - {name: edge01, access_ip: [131.107.155.10]}"
} > "$work/flood.yaml"
{
  echo "flood.test. 3600 IN SOA ns1.flood.test. hostmaster.flood.test. 1 3600 900 604800 300"
  echo "flood.test. 3600 IN NS ns1.flood.test."
  echo "ns1.flood.test. 3600 IN A 192.0.2.53"
  echo "sip.edge.flood.test. 3600 IN A 131.107.155.10"
  awk -v d="$domains" -v t="$targets" 'BEGIN { for (i = 1; i <= d; i++) for (k = 1; k <= t; k++)
    printf "_sipfederationtls._tcp.d%d.flood.test. 3600 IN SRV 0 0 5061 target-%d.d%d.flood.test.\n", i, k, i }'
} > "$work/flood.test.zone"
port=$(free_port)
start_nsd "$work" "$port" flood.test
pids+=("$NSD_PID")

echo "$domains SIP domains, each SRV name answered with $targets records, one NSD on loopback"
for format in text json sarif junit github; do
  # Run where the description is, as an admin does: findings name `flood.yaml`, not a temporary path.
  (cd "$work" && /usr/bin/time -f '%e %M' -o time.txt "$fedplan" dns check flood.yaml --resolver "127.0.0.1:$port" \
    --format "$format" --timings > "out.$format" 2> timings.txt) || true
  read -r seconds kib < <(tail -1 "$work/time.txt")
  bytes=$(wc -c < "$work/out.$format")
  printf '  %-6s %6.2f s  %6.1f MiB peak  %9d bytes   %s\n' "$format" "$seconds" "$(echo "scale=1; $kib / 1024" | bc)" "$bytes" \
    "$(grep -v '^fedplan:' "$work/timings.txt" | tail -1)"
done
echo "  targets: <= 20 s, <= 200 MiB, JSON <= 2000000 bytes"
