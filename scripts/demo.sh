#!/usr/bin/env bash
# The main job end to end on the DNS load-balanced pool example (examples/dns-lb-pool):
# validate and plan the description, export the zones, serve them from a local NSD on a
# loopback port (contoso.com and northwind.example as exported, fabrikam.com as an admin got
# it wrong: examples/dns-lb-pool/demo/fabrikam.com.zone), then `fedplan dns check` against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product fedplan >/dev/null
fedplan=".build/release/fedplan"
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
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for zone in contoso.com northwind.example; do
  {
    echo "$zone. 3600 IN SOA ns1.$zone. hostmaster.$zone. 2026112101 3600 900 604800 300"
    echo "$zone. 3600 IN NS ns1.$zone."
    echo "ns1.$zone. 3600 IN A 192.0.2.53"
    cat "$work/export/$zone.zone"
  } > "$work/$zone.zone"
done
cp examples/dns-lb-pool/demo/fabrikam.com.zone "$work/"
cat > "$work/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$port
    username: ""
    chroot: ""
    zonesdir: "$work"
    database: ""
    pidfile: "$work/nsd.pid"
    logfile: "$work/nsd.log"
    xfrdfile: "$work/xfrd.state"
    zonelistfile: "$work/zone.list"
    xfrdir: "$work"
    rrl-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: contoso.com
    zonefile: contoso.com.zone
zone:
    name: fabrikam.com
    zonefile: fabrikam.com.zone
zone:
    name: northwind.example
    zonefile: northwind.example.zone
CONF
step "NSD serving contoso.com, fabrikam.com and northwind.example on 127.0.0.1:$port"
nsd -d -c "$work/nsd.conf" >/dev/null 2>&1 &
nsd_pid=$!
for _ in $(seq 50); do
  kdig @127.0.0.1 -p "$port" +time=1 +retry=0 contoso.com SOA 2>/dev/null | grep -q "status: NOERROR" && break
  sleep 0.1
done

step "fedplan dns check $example --resolver 127.0.0.1:$port"
set +e
"$fedplan" dns check "$example" --resolver "127.0.0.1:$port"
status=$?
set -e
echo "(exit code $status: 1 means error findings, as expected for fabrikam.com)"
