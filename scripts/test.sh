#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
# One test at a time: the live-check tests start real servers and use short timeouts, and on
# a 2-core machine parallel suites would compete with them for the CPU.
swift test --no-parallel "$@"
