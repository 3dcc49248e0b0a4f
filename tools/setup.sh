#!/usr/bin/env bash
# Set up vanban on Debian 12 (run as root, or with sudo available):
# install the Debian packages the build, the fonts and the tests need,
# build the binary and render every sample into out/.
#   tools/setup.sh            everything
#   tools/setup.sh --deps     only the packages (used by tools/test.sh and CI)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PKGS="build-essential pkg-config libhpdf-dev libzip-dev libdeflate-dev libfreetype-dev libfontconfig-dev
  libutf8proc-dev libjansson-dev libharfbuzz-dev libicu-dev fonts-liberation2"
TEST_PKGS="qpdf poppler-utils mupdf-tools ghostscript jing libxml2-utils unzip zip python3 python3-docx
  valgrind clang libclang-rt-14-dev libreoffice-writer-nogui time"

missing=()
for p in $BUILD_PKGS $TEST_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "${1:-}" = "--deps" ] && exit 0

make -j"$(nproc)" vanban
tools/render-samples.sh
