#!/usr/bin/env bash
# Set up vanban on Debian 12 or 13 (run as root, or with sudo available):
# install the Debian packages the build, the fonts and the tests need,
# build the binary and render every sample into out/.
#   tools/setup.sh            everything
#   tools/setup.sh --deps     only the packages (used by tools/test.sh and CI)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PKGS="build-essential pkg-config libzip-dev libdeflate-dev libfreetype-dev libfontconfig-dev
  libutf8proc-dev libjansson-dev libharfbuzz-dev libicu-dev libmicrohttpd-dev libsqlite3-dev fonts-liberation2
  icc-profiles-free libssl-dev libpng-dev gettext locales"
TEST_PKGS="qpdf poppler-utils mupdf-tools ghostscript jing libxml2-utils unzip zip python3 python3-docx
  python3-fonttools valgrind clang libclang-rt-dev libreoffice-writer-nogui time mandoc curl chromium
  libnss3-tools softhsm2 libengine-pkcs11-openssl openssl"
# gettext: msgfmt compiles po/vi.po (and xgettext/msgmerge for
# tools/po-update.sh); locales: the vi_VN.UTF-8 locale, generated below,
# without which glibc's gettext never translates (tests/i18n.sh).
# icc-profiles-free: /usr/share/color/icc/sRGB.icc, the profile of --pdfa
# (the same package and path on Debian 12 and 13); python3-fonttools:
# tests/pdfa.py compares /W with the embedded fonts' widths.
# libclang-rt-dev (libFuzzer and the sanitizer runtimes for fuzz/) follows
# the release's default clang, like the clang package itself: 14 on Debian
# 12, 19 on Debian 13.  A release without that metapackage gets the
# versioned one of its default clang (rt_pkg below), never a fixed number.

# The versioned runtime package of the default clang: "1:19.0-63" -> libclang-rt-19-dev.
rt_pkg() {
  local v
  v=$(apt-cache policy clang 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*:\)\{0,1\}\([0-9]*\).*/\2/p')
  [ -n "$v" ] && echo "libclang-rt-$v-dev"
}

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
missing=()
for p in $BUILD_PKGS $TEST_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# the browser test (tests/web) drives chromium from Node: Debian's npm,
# unless a Node with its own npm is installed already
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  for i in "${!missing[@]}"; do
    if [ "${missing[$i]}" = libclang-rt-dev ] &&
       ! apt-cache show libclang-rt-dev 2>/dev/null | grep -q '^Package:'; then
      missing[$i]=$(rt_pkg) || { echo "setup: no libclang-rt package for this release's clang" >&2; exit 1; }
    fi
  done
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# vi_VN.UTF-8 for `LANG=vi_VN.UTF-8 vanban …`.  Debian 12's /etc/locale.gen
# lists it only as "# vi_VN UTF-8", which locale-gen would make as "vi_VN":
# add the line under the name users set (whatever the release lists), then
# generate (locale-gen of the locales package, on 12 and 13).
if ! locale -a 2>/dev/null | grep -ix 'vi_VN\.utf-\?8' >/dev/null; then
  [ -f /etc/locale.gen ] || $SUDO touch /etc/locale.gen
  grep -qx 'vi_VN.UTF-8 UTF-8' /etc/locale.gen || echo 'vi_VN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen >/dev/null
  locale -a | grep -ix 'vi_VN\.utf-\?8' >/dev/null || { echo "setup: could not generate the vi_VN.UTF-8 locale" >&2; exit 1; }
fi
[ "${1:-}" = "--deps" ] && exit 0

make -j"$(nproc)" vanban
tools/render-samples.sh
