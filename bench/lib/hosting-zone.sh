# Used by bench/live-check.sh. Source it with $fedplan (the
# binary) and $work (a scratch folder) set; it sources scripts/lib/nsd.sh.
. scripts/lib/nsd.sh

# A hosting plan whose records all live in one zone, example.net. (tenants and Edge alike).
describe() { scripts/make-hosting-example.py "$1" | sed 's/\.example\b/.example.net/g'; printf 'zones: [example.net]\n'; }

# serve_hosting_zone N: writes $work/big.yaml (N SIP domains), serves its exported zone from a
# local NSD (rrl-ratelimit: 0) on $port (sets port and NSD_PID), and writes the questions
# fedplan asks, one "name type" a line (dnsperf's format), to $work/queries.txt.
serve_hosting_zone() {
  describe "$1" > "$work/big.yaml"
  "$fedplan" dns export "$work/big.yaml" -o "$work/export/" >/dev/null 2>&1
  complete_zone example.net "$work/export/example.net.zone" > "$work/example.net.zone"
  port=$(free_port)
  start_nsd "$work" "$port" example.net
  "$fedplan" dns plan "$work/big.yaml" --format json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); seen=set()
for z in d["zones"]:
    for r in z["records"]:
        k=(r["name"], r["type"])
        if k not in seen: seen.add(k); print(r["name"], r["type"])' > "$work/queries.txt"
}
