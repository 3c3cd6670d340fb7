#!/usr/bin/env bash
# Runs the libFuzzer fuzz targets: scripts/fuzz.sh [TARGET...] [-t SECONDS]
#   TARGET: description, zone-file, answer (default: all three, one after another)
#   -t SECONDS: time per target (default 60)
# Builds `fedplan-fuzz` with -sanitize=fuzzer,address into .build-fuzz/. The committed seeds
# (FuzzTarget.seedFolders) start each run; what the fuzzer learns goes to
# .build-fuzz/corpus/TARGET, crashes to .build-fuzz/crashes/. Replay a crash with the plain
# build: `swift run fedplan-fuzz TARGET FILE`, then add the file to
# Tests/Fixtures/fuzz/TARGET/ so the test suite keeps it as a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) seconds=$2; shift 2 ;;
    description|zone-file|answer) targets+=("$1"); shift ;;
    *) echo "usage: scripts/fuzz.sh [description|zone-file|answer]... [-t SECONDS]" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(description zone-file answer)
scripts/setup.sh >/dev/null
# lld: gold fails on this link ("internal error in format_file_lineno").
flags=(-Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
swift build --scratch-path .build-fuzz -c release --product fedplan-fuzz "${flags[@]}" 2>&1 | grep -v "Cannot export" || true
binary=$(swift build --scratch-path .build-fuzz -c release "${flags[@]}" --show-bin-path)/fedplan-fuzz
[ -x "$binary" ] || { echo "fedplan-fuzz did not build" >&2; exit 1; }
mkdir -p .build-fuzz/crashes
declare -A seeds=(
  [description]="examples Tests/Fixtures/invalid Tests/Fixtures/fuzz/description"
  [zone-file]="Tests/Fixtures/zones Tests/Fixtures/fuzz/zone-file"
  [answer]="Tests/Fixtures/fuzz/answer"
)
declare -A dictionaries=([description]=yaml [zone-file]=zone [answer]=)
# Tests/Fixtures/fuzz/lsan.supp: a known ldns leak, and the fixed plan of the zone-file and
# answer targets, which LeakSanitizer cannot see referenced (the reason is in the file). Suppressing the ldns one
# needs whole stacks through libldns, which has no frame pointers: the slow unwinder.
declare -A unwind=([description]=1 [zone-file]=0 [answer]=1)
status=0
for target in "${targets[@]}"; do
  corpus=.build-fuzz/corpus/$target
  mkdir -p "$corpus"
  dict=${dictionaries[$target]}
  echo "== $target, $seconds s"
  # The Swift runtime's own backtracer would race libFuzzer's crash handling: off.
  ASAN_OPTIONS=fast_unwind_on_malloc=${unwind[$target]} LSAN_OPTIONS=suppressions=$PWD/Tests/Fixtures/fuzz/lsan.supp \
  SWIFT_BACKTRACE=enable=no FEDPLAN_FUZZ_TARGET=$target \
    "$binary" "$corpus" ${seeds[$target]} -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix=".build-fuzz/crashes/$target-" -print_final_stats=1 \
      ${dict:+-dict=Tests/Fixtures/fuzz/$dict.dict} 2>&1 | tee ".build-fuzz/$target.log" | grep -E "^#[0-9]+ +(INITED|DONE)|stat::|ERROR|Test unit" || true
  if ls .build-fuzz/crashes/"$target"-* >/dev/null 2>&1; then status=1; echo "crashes: $(ls .build-fuzz/crashes/"$target"-*)"; fi
done
exit $status
