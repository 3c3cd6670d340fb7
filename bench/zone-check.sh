#!/usr/bin/env bash
# Zone-file check benchmark: a generated zone of RECORDS records (default 1,000,000) that holds
# a DOMAINS-domain hosting plan (default 10,000) plus filler (A, AAAA, CNAME, TXT), checked by
# `fedplan dns check --zone-file`, beside nsd-checkzone, kzonecheck and named-checkzone on the
# same file in the same run. Wall time and peak memory from /usr/bin/time -v.
# Targets: wall time <= 0.5 x nsd-checkzone's, peak memory <= 64 MiB whatever the zone's size.
# Usage: [RUNS=3] [CALLGRIND=1] bench/zone-check.sh [RECORDS] [DOMAINS]
# CALLGRIND=1 also counts instructions of fedplan and nsd-checkzone with valgrind (about 2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
domains=${2:-10000}
scripts/setup.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
# The binary as scripts/install.sh builds it: the Swift runtime linked in statically. Shared Swift
# libraries would add about 7 MiB of resident pages (relocated metadata) to the peak.
swift build -c release --product fedplan --static-swift-stdlib --scratch-path .build/installed >/dev/null
fedplan=$PWD/.build/installed/release/fedplan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{ scripts/make-hosting-example.py "$domains" | sed 's/\.example\b/.example.net/g'; printf 'zones: [example.net]\n'; } > "$work/plan.yaml"
"$fedplan" dns export "$work/plan.yaml" -o "$work/export/" >/dev/null 2>&1 || true
python3 - "$work/export/example.net.zone" "$records" > "$work/example.net.zone" <<'PY'
import sys
snippet, total = sys.argv[1], int(sys.argv[2])
print("$ORIGIN example.net.\n$TTL 3600")
print("@ IN SOA ns1 hostmaster 2026112101 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.1")
n = 3
for line in open(snippet):
    if line.strip() and not line.startswith((";", "$")):
        print(line.rstrip()); n += 1
i = 0
while n < total:
    k = i % 4
    if k == 0: print(f"host{i} IN A 198.51.{(i >> 8) & 255}.{i & 255}")
    elif k == 1: print(f"host{i} 300 IN AAAA 2001:db8::{(i >> 16) & 0xffff:x}:{i & 0xffff:x}")
    elif k == 2: print(f"www{i} IN CNAME host{i - 2}")
    else: print(f'txt{i} IN TXT "filler record {i}"')
    n += 1; i += 1
PY

RUNS=${RUNS:-3}
measure() {  # label, command...: runs it RUNS times; prints "label  best wall s  peak MiB  exit"
  # The best of several runs for every tool alike: this machine's timings vary by up to 50%
  # from one run to the next, more than the differences being measured.
  local label=$1; shift
  local best="" peak=0 rc=0 r wall mib
  for ((r = 0; r < RUNS; r++)); do
    /usr/bin/time -v "$@" > "$work/out.txt" 2> "$work/time.txt" && rc=0 || rc=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$work/time.txt")
    mib=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt")
    if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$wall; fi
    if awk -v a="$mib" -v b="$peak" 'BEGIN {exit !(a > b)}'; then peak=$mib; fi
  done
  printf '    %-18s %7.2f s  %7s MiB  (exit %s; best wall time of %s runs, highest peak)\n' "$label" "$best" "$peak" "$rc" "$RUNS"
  last_best=$best
}
instructions() {  # command...: instructions executed, counted by callgrind (repeatable, unlike time)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $NF}'
}
echo "zone check: $(wc -l < "$work/example.net.zone") lines, a $domains-domain plan, one zone file"
measure "fedplan" "$fedplan" dns check "$work/plan.yaml" --zone-file "$work/example.net.zone" --quiet
tail -1 "$work/out.txt" | sed 's/^/      /'
fedplan_best=$last_best
measure "nsd-checkzone" nsd-checkzone example.net "$work/example.net.zone"
awk -v a="$fedplan_best" -v b="$last_best" 'BEGIN {printf "      fedplan / nsd-checkzone: %.2f x wall time (target <= 0.5)\n", a / b}'
if [[ ${CALLGRIND:-0} == 1 ]]; then  # the same comparison in instructions, which this noisy machine cannot blur
  command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
  # valgrind cannot read the debug information of the static build: count a stripped copy.
  cp "$fedplan" "$work/fedplan-stripped" && strip -g "$work/fedplan-stripped"
  ours=$(instructions "$work/fedplan-stripped" dns check "$work/plan.yaml" --zone-file "$work/example.net.zone" --quiet)
  theirs=$(instructions nsd-checkzone example.net "$work/example.net.zone")
  awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "      instructions: fedplan %.2fe9, nsd-checkzone %.2fe9: %.2f x\n", a / 1e9, b / 1e9, a / b}'
fi
cc -O2 bench/ceiling/zscanner-ceiling.c -o "$work/zscanner-ceiling" $(pkg-config --cflags --libs libzscanner)
measure "zscanner alone" "$work/zscanner-ceiling" example.net "$work/example.net.zone"
measure "kzonecheck" kzonecheck -o example.net "$work/example.net.zone"
measure "named-checkzone" named-checkzone -q example.net "$work/example.net.zone"
echo "    targets: fedplan wall time <= 0.5 x nsd-checkzone's, peak <= 64 MiB"
