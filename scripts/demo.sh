#!/usr/bin/env bash
# The main job end to end on the DNS load-balanced pool example: validate the description,
# show the plan with its reasons, export zone snippets and load them in NSD's checker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product fedplan >/dev/null
fedplan=".build/release/fedplan"
example="examples/dns-lb-pool/fedplan.yaml"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "fedplan validate $example"
"$fedplan" validate "$example" || true   # warnings are expected here; exit code 0

step "fedplan dns plan $example"
"$fedplan" dns plan "$example" 2>/dev/null

step "fedplan dns export $example -o $out/"
"$fedplan" dns export "$example" -o "$out/" 2>&1 | grep -v warning || true
cat "$out/contoso.com.zone"

step "nsd-checkzone on each exported zone (with a SOA and NS added)"
for file in "$out"/*.zone; do
  zone=$(basename "$file" .zone)
  {
    echo "$zone. 3600 IN SOA ns1.$zone. hostmaster.$zone. 1 3600 900 604800 300"
    echo "$zone. 3600 IN NS ns1.$zone."
    echo "ns1.$zone. 3600 IN A 192.0.2.53"
    cat "$file"
  } > "$out/$zone.full"
  nsd-checkzone "$zone" "$out/$zone.full"
done

step "fedplan dns export --format nsupdate --zone fabrikam.com"
"$fedplan" dns export "$example" --format nsupdate --zone fabrikam.com 2>/dev/null
