#!/usr/bin/env bash
# Builds a Debian package: OUTDIR/fedplan_<version>_<arch>.deb, installing under /usr what
# scripts/install.sh installs (binary with the Swift runtime linked in, man pages, completions,
# README, LICENSE and docs under /usr/share/doc/fedplan). `Depends` comes from dpkg-shlibdeps:
# every shared library the binary needs (ldns, libzscanner, libidn2, OpenSSL, libstdc++, libc).
# Usage: scripts/package-deb.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/package-deb.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# dpkg-shlibdeps is in dpkg-dev.
if ! command -v dpkg-shlibdeps >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dpkg-dev >/dev/null
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
scripts/install.sh --prefix /usr --destdir "$root" >/dev/null
version=$("$root/usr/bin/fedplan" --version | head -1)
arch=$(dpkg --print-architecture)

# Debian's layout for documentation: a copyright file and a compressed changelog.
doc=$root/usr/share/doc/fedplan
rm "$doc/LICENSE"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: fedplan"
  echo
  echo "Files: *"
  echo "Copyright: 2026 the fedplan authors"
  echo "License: GPL-3+"
  echo " On Debian systems, the full text of the GNU General Public License version 3 can be"
  echo " found in /usr/share/common-licenses/GPL-3."
} > "$doc/copyright"
printf 'fedplan (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- fedplan authors <fedplan@users.noreply.github.com>  %s\n' \
  "$version" "$version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n > "$doc/changelog.gz"
gzip -9n "$root"/usr/share/man/man1/*.1
# Completions are sourced, not run: no interpreter line.
sed -i '1{/^#!/d}' "$root/usr/share/bash-completion/completions/fedplan"
# Yams compiles libyaml in; there is no way to link Debian's libyaml instead.
mkdir -p "$root/usr/share/lintian/overrides"
echo "fedplan: embedded-library libyaml [usr/bin/fedplan]" > "$root/usr/share/lintian/overrides/fedplan"
find "$root" -type d -exec chmod 0755 {} +

# dpkg-shlibdeps reads debian/control of a source tree: a minimal one is enough.
mkdir -p "$stage/debian"
printf 'Source: fedplan\n\nPackage: fedplan\nArchitecture: any\n' > "$stage/debian/control"
depends=$(cd "$stage" && dpkg-shlibdeps -O -eroot/usr/bin/fedplan 2>/dev/null | sed -n 's/^shlibs:Depends=//p')

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: fedplan
Version: $version
Architecture: $arch
Maintainer: fedplan authors <fedplan@users.noreply.github.com>
Depends: $depends
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Description: plan and verify the public DNS records of SIP and XMPP federation
 fedplan reads one description of a Lync Server 2013 or Skype for Business
 Edge deployment, plans every DNS record federation needs with the reason it
 exists, exports zone snippets, nsupdate scripts and octoDNS files, and checks
 zone files and live DNS servers against the plan.
EOF
package=$out/fedplan_${version}_${arch}.deb
# FEDPLAN_DEB_XZ_LEVEL: xz's level, dpkg-deb's default (6) when unset. The tests use 0: the same
# format in a sixth of the time (the static binary is 60 MB).
dpkg-deb --root-owner-group -Zxz ${FEDPLAN_DEB_XZ_LEVEL:+-z"$FEDPLAN_DEB_XZ_LEVEL"} --build "$root" "$package" >/dev/null
echo "$package"
