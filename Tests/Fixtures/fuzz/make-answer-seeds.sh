#!/usr/bin/env bash
# Makes the seed replies of the `answer` fuzz target: real NSD answers (written by drill -w)
# to the two questions the target expects, from zones with the shapes that matter: a correct
# zone, CNAME chains and loops, NXDOMAIN, NODATA, escaped bytes in names. Run from anywhere;
# it rewrites Tests/Fixtures/fuzz/answer/*.bin.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$root/Tests/Fixtures/fuzz/answer
source "$root/scripts/lib/nsd.sh"
work=$(mktemp -d)
trap 'kill $NSD_PID 2>/dev/null || true; rm -rf "$work"' EXIT
head='$ORIGIN contoso.com.
@ 3600 IN SOA ns1 hostmaster 1 3600 900 604800 300
@ 3600 IN NS ns1
ns1 IN A 192.0.2.53'
declare -A zones=(
  [good]='_sipfederationtls._tcp IN SRV 0 0 5061 sip.contoso.com.
sip IN A 131.107.155.10
sip IN A 131.107.155.11'
  [chain]='_sipfederationtls._tcp IN CNAME alias1
alias1 IN CNAME alias2
alias2 IN SRV 0 0 5061 sip.contoso.com.
sip IN CNAME edge
edge IN A 131.107.155.10'
  [loop]='_sipfederationtls._tcp IN CNAME loop1
loop1 IN CNAME loop2
loop2 IN CNAME loop1
sip IN CNAME sip'
  [nodata]='_sipfederationtls._tcp IN TXT "v=none"
sip IN AAAA 2001:db8::10'
  [escaped]='_sipfederationtls._tcp IN SRV 0 0 5061 sip\027[31m\007.contoso.com.
_sipfederationtls._tcp IN SRV 10 5 5061 \000.\255.contoso.com.
sip IN A 10.0.0.1'
  [nxdomain]='other IN A 192.0.2.1'
)
# drill -w writes a commented hex dump; the fuzz target wants the bytes.
unhex() {
  python3 -c 'import sys; t="".join(l.split(";")[0] for l in open(sys.argv[1])); open(sys.argv[2],"wb").write(bytes.fromhex(t))' "$1" "$2"
}
for name in "${!zones[@]}"; do
  dir=$work/$name
  mkdir -p "$dir"
  printf '%s\n%s\n' "$head" "${zones[$name]}" > "$dir/contoso.com.zone"
  port=$(free_port)
  start_nsd "$dir" "$port" contoso.com
  drill -w "$dir/srv.hex" -p "$port" @127.0.0.1 _sipfederationtls._tcp.contoso.com SRV >/dev/null
  drill -w "$dir/a.hex" -p "$port" @127.0.0.1 sip.contoso.com A >/dev/null
  unhex "$dir/srv.hex" "$out/$name-srv.bin"
  unhex "$dir/a.hex" "$out/$name-a.bin"
  kill $NSD_PID; wait $NSD_PID 2>/dev/null || true
done
ls "$out"
