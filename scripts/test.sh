#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what is missing, builds, tests.
# Arguments go to `swift test` (e.g. --filter FaultTests); then the tests named run one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
step_started=$SECONDS
step() { echo "test.sh: $1 took $((SECONDS - step_started)) s (at $SECONDS s)" >&2; step_started=$SECONDS; }
scripts/setup.sh
step "setup"
mkdir -p .build

# The one release build the install, package and demo scripts and the command-line tests share
# (scripts/lib/release.sh), started at once beside the test build: its whole-module
# optimisation keeps one core busy for long stretches while the other idles (alone on 2 cores
# it used 185 s of CPU in 134 s), and the test build fills that core.
# Its output goes to a log, shown when it fails.
release_log=.build/release-build.log
(
  . scripts/lib/release.sh
  release_build
) >"$release_log" 2>&1 &
release_pid=$!
release_wait() {
  if ! wait "$release_pid"; then
    cat "$release_log" >&2
    echo "test.sh: the release build failed (its output is above, and in $release_log)" >&2
    exit 1
  fi
  step "waiting for the release build"
  # Built from this tree just now: the scripts the tests run (install, package, man pages)
  # take it as it is instead of asking SwiftPM again (scripts/lib/release.sh).
  export FEDPLAN_RELEASE_READY=1
}
trap 'kill "$release_pid" 2>/dev/null || true' EXIT

# octoDNS from PyPI, in a virtual environment of its own: the tests read every octoDNS export
# back with its YamlProvider. Made during the test build too (pip mostly waits).
venv=.build/octodns-venv
octodns_log=.build/octodns-venv.log
(
  if ! "$venv/bin/python" -c "import octodns" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "octodns>=1.10"
  fi
) >"$octodns_log" 2>&1 &
octodns_pid=$!
trap 'kill "$release_pid" "$octodns_pid" 2>/dev/null || true' EXIT
# Niced, so that the release build gets a core whenever it can use one: it is the longest chain
# of the run, and the test build fills what it leaves idle. (Measured in the whole command: the
# test build ends at 132 s, the release build at 226 s; the tests that need no release binary
# run in between.)
# No debug information: nothing reads it here, and it costs a tenth of the build. (The index
# store stays: SwiftPM finds the XCTest tests on Linux through it.) `swift test` gets the same
# flags, or it would build everything again.
flags=(-Xswiftc -gnone)
nice -n 10 swift build --build-tests "${flags[@]}"
step "the test build"
if ! wait "$octodns_pid"; then
  cat "$octodns_log" >&2
  echo "test.sh: octoDNS could not be installed into $venv (its output is above)" >&2
  exit 1
fi
step "waiting for octoDNS"

# Tests named in the arguments run against the release binary, the one that is installed and
# packaged: it is the product, and it needs half the CPU of the debug one in these tests
# (measured: 12 s against 22 s of CPU for seven of the suites), which on 2 cores is wall time.
release_bin="$PWD/.build/installed/release/fedplan"
if [ $# -gt 0 ]; then
  release_wait
  FEDPLAN_BIN="$release_bin" swift test "${flags[@]}" --skip-build --no-parallel "$@"
  exit
fi

# From here, tests run in groups side by side, each with its output in a log shown when it
# ends (`--ignore-lock`: with --skip-build nothing is built, and a second `swift test` would
# otherwise wait for the first to end):
# - the core and DNS tests, which use the CPU only (no servers, no timeouts);
# - the command-line suites that mostly wait (on servers, timeouts, pacing: `waiting` below),
#   on the test build's fedplan, while the release build finishes: they are the longest chains
#   of the run (suites marked .serialized, up to a minute each), and the debug binary costs them
#   almost nothing, since fedplan works for milliseconds in each test;
# - then the other command-line suites, on the release binary (the product: the install,
#   package and man page tests, and the heavy checks, where it needs half the CPU of the
#   debug one).
# Each server gets ports of its own (`freePort`), whichever process starts it. Each test case
# runs on a thread of its own (Tests/FedplanCLITests/OwnThread.swift), so the width is how many
# run at once: enough for the waiting chains to overlap, not so many that a busy machine turns
# a server's answer into a timeout (tests that expect an answer allow it 3 s).
waiting='FedplanCLITests\.(FaultTests|FaultModeTests|StoppingTests|CNAMEChainTests|CertCheckTests|DANECheckTests|DNSSECLiveTests|WildcardLiveTests|ApexBoundTests|LiveCheckTests|CheckFormatTests|CheckFlagTests|LiveAnswerTests|DiffTests|TeamsOnlyTests|AuthoritativeTests|ZoneCutTests|PartnerTests|ProgressTests|NSUpdateTests)/'
declare -A group_pid=() group_log=()
start_group() {
  local name=$1
  shift
  group_log[$name]=.build/tests-${name// /-}.log
  "$@" >"${group_log[$name]}" 2>&1 &
  group_pid[$name]=$!
}
finish_group() {
  local name=$1 status=0
  wait "${group_pid[$name]}" || status=$?
  unset "group_pid[$name]"
  if [ "$status" -ne 0 ]; then
    cat "${group_log[$name]}" >&2
    echo "test.sh: the $name tests failed (their output is above, and in ${group_log[$name]})" >&2
    exit 1
  fi
  grep -E 'Test run with|Executed [0-9]+ test' "${group_log[$name]}" >&2 || true
  step "the $name tests"
}
trap 'kill "$release_pid" "$octodns_pid" "${group_pid[@]}" 2>/dev/null || true' EXIT
start_group "core and DNS" swift test "${flags[@]}" --skip-build --ignore-lock --filter 'FedplanCoreTests|FedplanDNSTests'
start_group "waiting command-line" env SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 \
  swift test "${flags[@]}" --skip-build --ignore-lock --filter "$waiting"
release_wait
FEDPLAN_BIN="$release_bin" SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=6 \
  swift test "${flags[@]}" --skip-build --ignore-lock --skip "FedplanCoreTests|FedplanDNSTests|$waiting"
step "the other command-line tests"
finish_group "core and DNS"
finish_group "waiting command-line"
trap - EXIT
