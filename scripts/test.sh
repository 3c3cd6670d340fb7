#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine: installs what is missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# octoDNS from PyPI, in a virtual environment of its own: the tests read every octoDNS export
# back with its YamlProvider.
venv=.build/octodns-venv
if ! "$venv/bin/python" -c "import octodns" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "octodns>=1.10"
fi
swift build --build-tests
# One test at a time: the live-check tests start real servers and use short timeouts, and on
# a 2-core machine parallel suites would compete with them for the CPU.
swift test --no-parallel "$@"
