#!/usr/bin/env bash
# Installs fedplan under a prefix (default /usr/local):
#   PREFIX/bin/fedplan                                   release build, Swift runtime linked in
#   PREFIX/share/man/man1/fedplan*.1                     man pages (swift-argument-parser's plugin)
#   PREFIX/share/bash-completion/completions/fedplan     completions for bash,
#   PREFIX/share/zsh/site-functions/_fedplan             zsh
#   PREFIX/share/fish/vendor_completions.d/fedplan.fish  and fish
#   PREFIX/share/doc/fedplan/                            README, LICENSE, docs
#   PREFIX/share/doc/fedplan/examples/                   the example descriptions the README's tour uses
# The binary needs only Debian's runtime libraries (ldns, libzscanner, libidn2, OpenSSL,
# libstdc++), not the Swift toolchain: it runs with an empty environment.
# Usage: scripts/install.sh [--prefix DIR] [--destdir DIR]
#   --destdir DIR  stage the files under DIR/PREFIX (for packaging), as `make DESTDIR=` does.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
destdir=""
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --destdir) destdir=${2:?--destdir needs a folder}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $prefix in /*) ;; *) prefix=$PWD/$prefix ;; esac
root=$destdir$prefix

scripts/setup.sh
. scripts/lib/release.sh
release_build
binary=$RELEASE_BIN

# Man pages from the command definitions, one per command (fedplan.1, fedplan.dns.check.1, ...).
manuals=$(mktemp -d)
trap 'rm -rf "$manuals"' EXIT
scripts/man-pages.sh "$binary" "$manuals"

install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
  "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" "$root/share/doc/fedplan"
install -m 0755 -s "$binary" "$root/bin/fedplan"
install -m 0644 "$manuals"/fedplan*.1 "$root/share/man/man1/"
"$binary" --generate-completion-script bash > "$root/share/bash-completion/completions/fedplan"
"$binary" --generate-completion-script zsh > "$root/share/zsh/site-functions/_fedplan"
"$binary" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/fedplan.fish"
install -m 0644 README.md LICENSE "$root/share/doc/fedplan/"
cp -r docs "$root/share/doc/fedplan/"
# The README's tour runs `fedplan validate examples/single-edge/fedplan.yaml`: ship the examples.
cp -r examples "$root/share/doc/fedplan/"
find "$root/share/doc/fedplan/examples" -type f -exec chmod 0644 {} +
echo "installed fedplan $("$root/bin/fedplan" --version | head -1) under $root"
