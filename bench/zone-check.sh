#!/usr/bin/env bash
# Zone-file check benchmark: for one DOMAINS-domain hosting plan (default 10,000), generated zones
# of RECORDS records (default 1,000,000) in several shapes, each checked by
# `fedplan dns check --zone-file` in every output format, beside Knot's scanner alone
# (bench/ceiling/zscanner-ceiling.c) and nsd-checkzone on the same file in the same run (and
# kzonecheck and named-checkzone on the shapes of CHECKERS). Wall time and peak memory from
# /usr/bin/time -v.
# Shapes (SHAPES, default all four):
#   present      the plan's records plus friendly filler (host$i, www$i, txt$i): the near-miss
#                comparisons never run;
#   short-names  filler at short names beside planned labels: hosts h1, h2, ... next to the
#                planned sip and xmpp under edge.fourthcoffee.example.net., and www, mail, sip1,
#                sop, _sip._tcp, _sipfederationtls._udp, _xmpps-server._tcp ... under every
#                planned tenant domain: every owner runs the near-miss comparisons;
#   dnames       the present zone with 2,000 DNAMEs above planned names (_tcp.tenantN DNAME
#                _tcp.tenantN.shared.example.net., where the SRV records are; none written under
#                the DNAMEs, so the zone loads in nsd-checkzone and kzonecheck), each DNAME just
#                before the records it points to;
#   dnames-last  the same DNAMEs written at the end of the file, after everything they point
#                to: the worst order, where a second pass reads again what they point to
#                (only the chunks of the file that hold it: ZoneChunks).
# Targets: fedplan wall time <= 3 x Knot's scanner alone and <= 0.35 x nsd-checkzone's, peak
# memory <= 64 MiB in every format, whatever the zone's size and shape.
# Usage: [RUNS=3] [CALLGRIND=1] [SHAPES="present short-names dnames dnames-last"] [FORMATS="text json sarif junit github"]
#        [CHECKERS="present"] bench/zone-check.sh [RECORDS] [DOMAINS]
# CALLGRIND=1 also counts instructions of fedplan (--format text --quiet) and nsd-checkzone with
# valgrind (about 2 minutes a shape).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
domains=${2:-10000}
RUNS=${RUNS:-3}
SHAPES=${SHAPES:-present short-names dnames dnames-last}
FORMATS=${FORMATS:-text json sarif junit github}
CHECKERS=${CHECKERS:-present}  # shapes on which kzonecheck and named-checkzone run too (slow)
scripts/setup.sh
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
# The binary as scripts/install.sh builds it: the Swift runtime linked in statically. Shared Swift
# libraries would add about 7 MiB of resident pages (relocated metadata) to the peak.
. scripts/lib/release.sh && release_build >/dev/null
fedplan=$PWD/$RELEASE_BIN
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{ scripts/make-hosting-example.py "$domains" | sed 's/\.example\b/.example.net/g'; printf 'zones: [example.net]\n'; } > "$work/plan.yaml"
"$fedplan" dns export "$work/plan.yaml" -o "$work/export/" >/dev/null 2>&1 || true
cc -O2 bench/ceiling/zscanner-ceiling.c -o "$work/zscanner-ceiling" $(pkg-config --cflags --libs libzscanner)

zone() {  # shape: writes $work/example.net.zone
  python3 - "$1" "$work/export/example.net.zone" "$records" "$domains" > "$work/example.net.zone" <<'PY'
import sys
shape, snippet, total, domains = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
edge = "edge.fourthcoffee.example.net."
# dnames: the first 2,000 tenants (at most half) answer through a DNAME at their _tcp label;
# dnames-last writes the DNAMEs at the very end of the file, after what they point to, so that
# every name they substitute becomes wanted after its records went past (a second pass reads
# them again: before the chunk index, the whole file).
dnamed = [f"tenant{t:03d}" for t in range(1, min(2000, domains // 2) + 1)] if shape.startswith("dnames") else []
last = shape == "dnames-last"
hidden = tuple(f".{t}.example.net." for t in dnamed)
print("$ORIGIN example.net.\n$TTL 3600")
print("@ IN SOA ns1 hostmaster 2026112101 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.1")
n = 3
for line in open(snippet):
    if line.strip() and not line.startswith((";", "$")):
        if hidden and line.split()[0].endswith(hidden):
            continue  # below its DNAME: not written (nsd and Knot refuse data under a DNAME)
        print(line.rstrip()); n += 1
for t in dnamed:
    if not last:
        print(f"_tcp.{t}.example.net. IN DNAME _tcp.{t}.shared.example.net.")
    print(f"_sipfederationtls._tcp.{t}.shared.example.net. 1800 IN SRV 0 0 5061 sip.{edge}")
    print(f"_xmpp-server._tcp.{t}.shared.example.net. 1800 IN SRV 0 0 5269 xmpp.{edge}")
    n += 3
# short-names: beside the planned tenant labels, real services (registered _service._proto names,
# never near misses), other service-like names and short hosts; all pass the near-miss length
# filter against a planned part, or are one edit from a planned label.
beside = ["www", "mail", "sip1", "sop", "sip", "xmpp", "_sip._tcp", "_sip._udp", "_sips._tcp", "_sip._tls",
          "_sipfederationtls._udp", "_sipinternaltls._tcp", "_sipinternal._tcp", "_xmpp-client._tcp",
          "_xmpps-client._tcp", "_xmpps-server._tcp", "_stun._udp", "_turn._udp", "_autodiscover._tcp",
          "_sipfedtls._tcp", "_xmpp-relay._tcp", "_conference._tcp"]
i = 0
while n < total:
    if shape == "short-names":
        if i % 4 == 0:  # h1, h2, ... beside the planned sip and xmpp of the Edge
            print(f"h{i // 4}.{edge} IN A 198.51.{(i >> 8) & 255}.{i & 255}")
        else:
            j = i - i // 4 - 1
            t, label = j % domains + 1, beside[(j // domains) % len(beside)]
            owner = f"{label}.tenant{t:03d}.example.net."
            if label.startswith("_"):
                print(f"{owner} IN SRV 0 {j // (domains * len(beside)) % 65536} 5061 h{j % 1000}.{edge}")
            else:
                print(f"{owner} IN A 203.0.{(j >> 8) & 255}.{j & 255}")
    else:
        k = i % 4
        if k == 0: print(f"host{i} IN A 198.51.{(i >> 8) & 255}.{i & 255}")
        elif k == 1: print(f"host{i} 300 IN AAAA 2001:db8::{(i >> 16) & 0xffff:x}:{i & 0xffff:x}")
        elif k == 2: print(f"www{i} IN CNAME host{i - 2}")
        else: print(f'txt{i} IN TXT "filler record {i}"')
    n += 1; i += 1
    if last and n == total - len(dnamed):
        break
for t in dnamed if last else []:
    print(f"_tcp.{t}.example.net. IN DNAME _tcp.{t}.shared.example.net.")
PY
}

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
  printf '    %-24s %7.2f s  %7s MiB  (exit %s; best wall time of %s runs, highest peak)\n' "$label" "$best" "$peak" "$rc" "$RUNS"
  last_best=$best last_peak=$peak
}
instructions() {  # command...: instructions executed, counted by callgrind (repeatable, unlike time)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $NF}'
}
if [[ ${CALLGRIND:-0} == 1 ]]; then
  command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
  # valgrind cannot read the debug information of the static build: count a stripped copy.
  cp "$fedplan" "$work/fedplan-stripped" && strip -g "$work/fedplan-stripped"
fi

echo "zone check: a $domains-domain plan, one zone file of $records records per shape; RUNS=$RUNS"
for shape in $SHAPES; do
  zone "$shape"
  echo "  $shape: $(wc -l < "$work/example.net.zone") lines"
  # The references first: each fedplan line carries its ratios to them.
  measure "zscanner alone" "$work/zscanner-ceiling" example.net "$work/example.net.zone"
  scanner=$last_best
  measure "nsd-checkzone" nsd-checkzone example.net "$work/example.net.zone"
  nsd=$last_best
  for format in $FORMATS; do
    quiet=(); [[ $format == text ]] && quiet=(--quiet)
    measure "fedplan --format $format" "$fedplan" dns check "$work/plan.yaml" --zone-file "$work/example.net.zone" \
      --format "$format" "${quiet[@]}"
    [[ $format == text ]] && tail -1 "$work/out.txt" | sed 's/^/        /'
    awk -v f="$last_best" -v z="$scanner" -v n="$nsd" -v m="$last_peak" 'BEGIN {
      printf "        %.2f x zscanner alone (target <= 3) %s, %.3f x nsd-checkzone (<= 0.35) %s, peak %s\n",
        f / z, f / z <= 3 ? "ok" : "MISSED", f / n, f / n <= 0.35 ? "ok" : "MISSED", m <= 64 ? "ok" : "MISSED" }'
  done
  if [[ " $CHECKERS " == *" $shape "* ]]; then
    measure "kzonecheck" kzonecheck -o example.net "$work/example.net.zone"
    measure "named-checkzone" named-checkzone -q example.net "$work/example.net.zone"
  fi
  if [[ ${CALLGRIND:-0} == 1 ]]; then  # the same comparison in instructions, which this noisy machine cannot blur
    ours=$(instructions "$work/fedplan-stripped" dns check "$work/plan.yaml" --zone-file "$work/example.net.zone" --quiet)
    theirs=$(instructions nsd-checkzone example.net "$work/example.net.zone")
    scan=$(instructions "$work/zscanner-ceiling" example.net "$work/example.net.zone")
    awk -v a="$ours" -v b="$theirs" -v c="$scan" 'BEGIN {
      printf "        instructions: fedplan %.2fe9, nsd-checkzone %.2fe9 (%.2f x), zscanner alone %.2fe9 (%.2f x)\n",
        a / 1e9, b / 1e9, a / b, c / 1e9, a / c }'
  fi
done
echo "  targets: fedplan wall time <= 3 x zscanner alone and <= 0.35 x nsd-checkzone's, peak <= 64 MiB in every format"
