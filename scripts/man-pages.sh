#!/usr/bin/env bash
# Writes fedplan's man pages into OUTDIR, one per command (fedplan.1, fedplan.dns.check.1, ...):
# swift-argument-parser's generator writes them from the command definitions, then
# scripts/lib/man-pages.py finishes them (NAME as whatis reads it, the real exit codes, every
# default). scripts/install.sh installs them; the tests read them.
# Usage: scripts/man-pages.sh FEDPLAN_BINARY OUTDIR
set -euo pipefail
binary=${1:?usage: scripts/man-pages.sh FEDPLAN_BINARY OUTDIR}
out=${2:?usage: scripts/man-pages.sh FEDPLAN_BINARY OUTDIR}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
mkdir -p "$out"
cd "$(dirname "$0")/.."
# The generator behind the GenerateManual plugin, run directly (the plugin would build in
# .build/, which a running `swift test` keeps locked), from the one release build
# (scripts/lib/release.sh): up to date after install.sh or test.sh, so nothing is compiled here.
. scripts/lib/release.sh
release_build >/dev/null
"$MANUAL_TOOL" "$binary" --multi-page --authors "the fedplan authors" \
  --output-directory "$out" >/dev/null
python3 scripts/lib/man-pages.py "$binary" "$out"
