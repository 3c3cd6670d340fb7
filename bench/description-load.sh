#!/usr/bin/env bash
# Loading and planning a large description: `fedplan validate` on generated hosting-style
# descriptions, beside PyYAML's libyaml-based loader reading the same file (the YAML parse
# alone, no validation) as the reference.
# Usage: bench/description-load.sh [COUNT ...]   (default: 10000 50000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product fedplan >/dev/null
fedplan=.build/release/fedplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(10000 50000)

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
best() { local b=999; for _ in 1 2 3; do t=$(seconds "$@"); b=$(echo "if ($t < $b) $t else $b" | bc); done; printf '%.3f' "$b"; }

printf '%-10s %-12s %-22s %-28s\n' "domains" "file" "fedplan validate (s)" "PyYAML CSafeLoader parse (s)"
for n in "${counts[@]}"; do
  file="$work/hosting-$n.yaml"
  scripts/make-hosting-example.py "$n" > "$file"
  ours=$(best "$fedplan" validate --quiet "$file")
  ref=$(best python3 -c "import yaml,sys; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)" "$file")
  printf '%-10s %-12s %-22s %-28s\n' "$n" "$(du -h "$file" | cut -f1)" "$ours" "$ref"
done
