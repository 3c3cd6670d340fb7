# The one release build, shared by scripts/install.sh, scripts/package-deb.sh, scripts/demo.sh
# and the tests that run them (scripts/test.sh builds it before the tests): fedplan with the
# Swift runtime linked in, and swift-argument-parser's man page generator, in one build folder
# of its own (the static runtime must not mix with the test build in .build/, which a running
# `swift test` keeps locked). A later call finds it up to date and only links nothing anew.
# Source it, then: release_build (sets RELEASE_BIN and MANUAL_TOOL).
release_build() {
  local scratch=.build/installed
  swift build -c release --product fedplan --static-swift-stdlib --scratch-path "$scratch"
  # The same folder and flags: swift-argument-parser is compiled once for both.
  swift build -c release --product generate-manual --static-swift-stdlib --scratch-path "$scratch" >/dev/null
  RELEASE_BIN=$scratch/release/fedplan
  MANUAL_TOOL=$scratch/release/generate-manual
}
