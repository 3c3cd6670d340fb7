# The one release build, shared by scripts/install.sh, scripts/package-deb.sh, scripts/demo.sh
# and the tests that run them (scripts/test.sh builds it before the tests): fedplan with the
# Swift runtime linked in, and swift-argument-parser's man page generator, in one build folder
# of its own (the static runtime must not mix with the test build in .build/, which a running
# `swift test` keeps locked). A later call finds it up to date and only links nothing anew.
# Source it, then: release_build (sets RELEASE_BIN and MANUAL_TOOL). The benchmarks use it too,
# so that no other flags rebuild the folder from scratch.
#
# FEDPLAN_RELEASE_READY=1 says the caller has just built it from this tree (scripts/test.sh sets
# it for the tests): then nothing is asked of SwiftPM. Its up-to-date check costs two `swift
# build` runs of 2–4 s each, and the install, package and man page tests call this six times.
release_build() {
  local scratch=.build/installed
  RELEASE_BIN=$scratch/release/fedplan
  MANUAL_TOOL=$scratch/release/generate-manual
  if [ "${FEDPLAN_RELEASE_READY:-}" = 1 ] && [ -x "$RELEASE_BIN" ] && [ -x "$MANUAL_TOOL" ]; then
    return 0
  fi
  # No debug information (-gnone): the installed and packaged binary is stripped, and writing it
  # cost a tenth of the build (measured: 200 s of CPU with it, 181 s without).
  swift build -c release --product fedplan --static-swift-stdlib -Xswiftc -gnone --scratch-path "$scratch"
  # The same folder and flags: swift-argument-parser is compiled once for both.
  swift build -c release --product generate-manual --static-swift-stdlib -Xswiftc -gnone --scratch-path "$scratch" >/dev/null
}
