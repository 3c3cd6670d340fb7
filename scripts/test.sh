#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what is missing, builds, tests.
# Arguments go to `swift test` (e.g. --filter FaultTests); then every test runs one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
step_started=$SECONDS
step() { echo "test.sh: $1 took $((SECONDS - step_started)) s" >&2; step_started=$SECONDS; }
scripts/setup.sh
step "setup"
# octoDNS from PyPI, in a virtual environment of its own: the tests read every octoDNS export
# back with its YamlProvider.
venv=.build/octodns-venv
if ! "$venv/bin/python" -c "import octodns" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "octodns>=1.10"
fi
step "octoDNS"
swift build --build-tests
step "the test build"
# The one release build the install, package and demo scripts share (InstallTests runs the
# first two): built here once, so that the tests find it up to date.
. scripts/lib/release.sh
release_build
step "the release build"
if [ $# -gt 0 ]; then
  swift test --skip-build --no-parallel "$@"
  exit
fi
# The core and DNS tests use the CPU only (no servers, no timeouts): in parallel. Then the
# command-line tests one at a time: they start real servers and use short timeouts, and on a
# 2-core machine parallel suites would compete with them for the CPU.
swift test --skip-build --filter 'FedplanCoreTests|FedplanDNSTests'
step "the core and DNS tests"
swift test --skip-build --no-parallel --skip 'FedplanCoreTests|FedplanDNSTests'
step "the command-line tests"
