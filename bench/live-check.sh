#!/usr/bin/env bash
# Live-check benchmarks, each printing fedplan's figure beside the reference from the same run.
#  (a) throughput: a 10,000-domain hosting plan in one zone served by a local NSD
#      (rrl-ratelimit: 0); fedplan's queries per second vs dnsperf on the same server and
#      the same query names, in RUNS rounds (default 3), in every output format (FORMATS,
#      default "text json sarif junit github"; each writes its whole report to a file). Each
#      fedplan run is compared with the faster of the dnsperf runs just before and after it;
#      the summary gives each format's median and worst ratio over the rounds.
#      Targets: at least 0.6x dnsperf for the whole run in every format, and 1.0x for the
#      query phase alone (from `dns check --timings`).
#  (c) DNSSEC cost: the same unsigned zone checked with validation (the default: one DNSKEY
#      question per zone) and with --no-dnssec, alternately in the same run, RUNS rounds.
#      Target: within 10% (docs/dnssec.md, "Cost"). With CALLGRIND=1, also the instruction
#      counts of both (valgrind --tool=callgrind), which a loaded machine does not change.
#  (b) latency: every answer delayed 50 ms by Tests/Fixtures/servers/faultserver.py (delay
#      mode, in front of the same NSD); 3-domain and 1,000-domain checks. Targets: < 0.4 s
#      and < 3 s. Reference: the same questions asked one after another with kdig.
# Usage: [RUNS=N] [FORMATS="text json"] [SKIP_LATENCY=1] bench/live-check.sh [DOMAINS]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-10000}
scripts/setup.sh
command -v dnsperf >/dev/null || { apt-get install -y -qq dnsperf >/dev/null; }
# The binary as scripts/install.sh builds it: the Swift runtime linked in statically, which
# also starts in half the time (no relocation of the shared Swift libraries: 7 ms, not 13).
. scripts/lib/release.sh && release_build >/dev/null
fedplan=$PWD/$RELEASE_BIN
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }

. bench/lib/hosting-zone.sh
serve_hosting_zone "$domains"
pids+=("$NSD_PID")
describe 1000 > "$work/k.yaml"
describe 3 > "$work/three.yaml"

# (a) The questions fedplan asks, in dnsperf's format: $work/queries.txt (the same names and
# types, each once, as fedplan asks them). dnsperf's rate on this machine moves by half between
# runs a few seconds apart, so each fedplan run is bracketed by dnsperf runs, just before and
# just after it, and compared with the faster of the two (the stricter reference); the summary
# gives each format's median ratio over the rounds, and its worst.
questions=$(wc -l < "$work/queries.txt")
dnsperf_rate() {
  dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -n 1 -q 100 2>&1 | awk '/Queries per second/ {print int($4)}'
}
declare -A ratios
echo
echo "(a) throughput, $domains SIP domains, $questions questions, one NSD on loopback (2 cores shared)"
for round in $(seq "${RUNS:-3}"); do
  before=$(dnsperf_rate)
  echo "  round $round: dnsperf -q 100: $before queries/s"
  for format in ${FORMATS:-text json sarif junit github}; do
    start=$(now)
    "$fedplan" dns check "$work/big.yaml" --resolver "127.0.0.1:$port" --concurrency 100 --timings --format "$format" \
      > "$work/check.$format" 2> "$work/timings.txt" || true
    elapsed=$(echo "$(now) - $start" | bc)
    after=$(dnsperf_rate)
    theirs=$(( before > after ? before : after ))
    ours=$(echo "$questions / $elapsed" | bc)
    phase=$(sed -n 's/.*queries \([0-9.]*\) s (.*/\1/p' "$work/timings.txt")
    phaseRate=$(echo "$questions / $phase" | bc)
    ratio=$(printf '%.2f' "$(echo "scale=4; $ours / $theirs" | bc)")
    ratios[$format]+="$ratio "
    printf '    %-7s whole run %7s queries/s (%.3f s, %s bytes): %s x dnsperf %s (target >= 0.6); query phase %7s/s: %s x (target >= 1.0)\n' \
      "$format" "$ours" "$elapsed" "$(wc -c < "$work/check.$format")" "$ratio" "$theirs" \
      "$phaseRate" "$(printf '%.2f' "$(echo "scale=4; $phaseRate / $theirs" | bc)")"
    echo "            dnsperf after it: $after queries/s"
    before=$after
  done
  printf '    %s\n' "$(cat "$work/timings.txt")"
done
echo "  whole run / the faster neighbouring dnsperf run, over ${RUNS:-3} rounds (target >= 0.6 in every format):"
for format in ${FORMATS:-text json sarif junit github}; do
  printf '    %-7s median %s, worst %s  (%s)\n' "$format" \
    "$(tr ' ' '\n' <<< "${ratios[$format]}" | sed '/^$/d' | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')" \
    "$(tr ' ' '\n' <<< "${ratios[$format]}" | sed '/^$/d' | sort -n | head -1)" "${ratios[$format]% }"
done
# Peak memory of each format's whole run (a run of its own, outside the timed ones: GNU time's
# own process would be in their figures otherwise).
printf '  peak memory, target <= 64 MiB:'
for format in ${FORMATS:-text json sarif junit github}; do
  /usr/bin/time -f '%M' -o "$work/peak.txt" "$fedplan" dns check "$work/big.yaml" --resolver "127.0.0.1:$port" \
    --concurrency 100 --format "$format" > /dev/null 2>&1 || true
  printf ' %s %.1f MiB' "$format" "$(echo "scale=2; $(tail -1 "$work/peak.txt") / 1024" | bc)"
done
echo

# (c) DNSSEC validation on the unsigned zone vs --no-dnssec, from the same run.
echo
echo "(c) DNSSEC validation cost, $domains SIP domains, unsigned zone (one DNSKEY question per zone)"
best_on=999; best_off=999
for round in $(seq "${RUNS:-3}"); do
  for mode in on off; do
    flag=(); [ "$mode" = off ] && flag=(--no-dnssec)
    start=$(now)
    "$fedplan" dns check "$work/big.yaml" --resolver "127.0.0.1:$port" --concurrency 100 "${flag[@]}" --quiet >/dev/null || true
    t=$(echo "$(now) - $start" | bc)
    if [ "$mode" = on ]; then best_on=$(echo "if ($t < $best_on) $t else $best_on" | bc); else best_off=$(echo "if ($t < $best_off) $t else $best_off" | bc); fi
  done
done
printf '    validating %.3f s, --no-dnssec %.3f s (best of %s): %s x (target <= 1.10)\n' "$best_on" "$best_off" "${RUNS:-3}" \
  "$(echo "scale=3; $best_on / $best_off" | bc)"
if [ -n "${CALLGRIND:-}" ]; then
  # valgrind cannot read the debug information of the static build: count a stripped copy.
  cp "$fedplan" "$work/fedplan-stripped" && strip -g "$work/fedplan-stripped"
  for mode in on off; do
    flag=(); [ "$mode" = off ] && flag=(--no-dnssec)
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/fedplan-stripped" dns check "$work/big.yaml" \
      --resolver "127.0.0.1:$port" --concurrency 100 --timeout 30 "${flag[@]}" --quiet 2>&1 >/dev/null | awk '/Collected/ {print $NF}')
    eval "ir_$mode=$ir"
  done
  printf '    callgrind: validating %s instructions, --no-dnssec %s: %s x\n' "$ir_on" "$ir_off" "$(echo "scale=4; $ir_on / $ir_off" | bc)"
fi

# (b) Latency through a 50 ms delaying proxy.
[ -n "${SKIP_LATENCY:-}" ] && exit 0
proxy=$(free_port)
(cd "$work" && exec python3 "$OLDPWD/Tests/Fixtures/servers/faultserver.py" delay "$proxy" "$port" 0.05 >/dev/null) & pids+=($!)
sleep 0.5
echo
echo "(b) latency, every answer delayed 50 ms"
for spec in "three.yaml:3:0.4" "k.yaml:1000:3"; do
  IFS=: read -r file n target <<< "$spec"
  best=999
  for _ in 1 2 3; do
    start=$(now)
    "$fedplan" dns check "$work/$file" --resolver "127.0.0.1:$proxy" --concurrency 1000 --quiet >/dev/null || true
    t=$(echo "$(now) - $start" | bc); best=$(echo "if ($t < $best) $t else $best" | bc)
  done
  q=$("$fedplan" dns plan "$work/$file" --format json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len({(r["name"],r["type"]) for z in d["zones"] for r in z["records"]}))')
  printf '    %4s domains (%4s questions): fedplan %.3f s (target < %s s); one query after another: %.1f s\n' \
    "$n" "$q" "$best" "$target" "$(echo "$q * 0.05" | bc)"
done
start=$(now)
head -10 "$work/queries.txt" | while read -r name type; do kdig @127.0.0.1 -p "$proxy" +time=2 "$name" "$type" >/dev/null; done
printf '    measured reference: 10 questions asked one after another with kdig: %.3f s\n' "$(echo "$(now) - $start" | bc)"
