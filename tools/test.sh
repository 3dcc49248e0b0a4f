#!/usr/bin/env bash
# Run the whole test suite as CI does: install what is missing, build
# warning-free, run the suite, then run it again under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --deps
make clean >/dev/null
make -j"$(nproc)" CFLAGS="-O2 -g -Werror" vanban
make test
make check
