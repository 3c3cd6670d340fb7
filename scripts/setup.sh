#!/usr/bin/env bash
# Installs the Debian packages fedplan builds and tests with, only those that are missing.
# Used by scripts/test.sh and scripts/demo.sh; safe to run again.
set -euo pipefail

packages=(
  pkgconf          # pkg-config finds ldns for the CLDNS target
  libldns-dev      # ldns: every DNS wire and query operation
  libknot-dev      # libzscanner, Knot's zone scanner: reads every zone file
  libidn2-dev      # IDNA2008 + UTS #46: internationalized names in descriptions
  libssl-dev       # OpenSSL for `cert check` (libldns-dev needs it too)
  ldnsutils        # drill, ldns-read-zone; ldns-keygen and ldns-signzone sign a test zone
  nsd              # nsd-checkzone (and the authoritative server of the live-check tests)
  unbound          # recursive resolver for the live-check tests
  bind9-utils      # named-checkzone
  bind9-dnsutils   # nsupdate
  knot             # knotd: applies our nsupdate scripts in a test
  knot-dnsutils    # kdig
  knot-dnssecutils # kzonecheck
  openssl          # cert plan tests: openssl req reads our request configuration
  graphviz         # dot renders `dns plan --format dot` in a test
  python3-yaml     # PyYAML (YAML 1.1, what octoDNS reads with) reads our octoDNS exports back
  python3-venv     # a virtual environment for octoDNS from PyPI (scripts/test.sh)
  lintian          # the Debian package of scripts/package-deb.sh is checked with it
  dpkg-dev         # dpkg-shlibdeps works out the package's Depends
  man-db           # man -l and lexgrog read the generated man pages in a test (groff with it)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain needed)" >&2; exit 1; }
