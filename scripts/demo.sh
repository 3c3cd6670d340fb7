#!/usr/bin/env bash
# The main job end to end on the DNS load-balanced pool example (examples/dns-lb-pool):
# validate and plan the description, export the zones, serve them from a local NSD on a
# loopback port (contoso.com and northwind.example as exported, fabrikam.com as an admin got
# it wrong: examples/dns-lb-pool/demo/fabrikam.com.zone), then `fedplan dns check` against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The release build scripts/install.sh makes too (one build folder for both).
. scripts/lib/release.sh
release_build >/dev/null
fedplan=$RELEASE_BIN
example="examples/dns-lb-pool/fedplan.yaml"
work="$(mktemp -d)"
nsd_pid=""
cleanup() { [ -n "$nsd_pid" ] && kill "$nsd_pid" 2>/dev/null && wait "$nsd_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "fedplan validate $example"
"$fedplan" validate "$example" || true   # warnings only: exit code 0

step "fedplan dns plan $example"
"$fedplan" dns plan "$example" 2>/dev/null

step "fedplan dns export $example -o $work/export/"
"$fedplan" dns export "$example" -o "$work/export/" 2>&1 | grep -v -e warning -e expected || true

# Zones for NSD: the exports with a SOA and NS in front; fabrikam.com with its mistakes.
. scripts/lib/nsd.sh
port=$(free_port)
for zone in contoso.com northwind.example; do complete_zone "$zone" "$work/export/$zone.zone" > "$work/$zone.zone"; done
cp examples/dns-lb-pool/demo/fabrikam.com.zone "$work/"
step "NSD serving contoso.com, fabrikam.com and northwind.example on 127.0.0.1:$port"
start_nsd "$work" "$port" contoso.com fabrikam.com northwind.example
nsd_pid=$NSD_PID

step "fedplan dns check $example --resolver 127.0.0.1:$port"
set +e
"$fedplan" dns check "$example" --resolver "127.0.0.1:$port"
status=$?
set -e
echo "(exit code $status: 1 means error findings, as expected for fabrikam.com)"
