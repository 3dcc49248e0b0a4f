#!/usr/bin/env bash
# Run the unit tests and a render of every sample (each type, each format)
# under valgrind: any memory error or definite leak fails.  Part of
# `make check`.  usage: tools/valgrind-check.sh ./vanban build
set -u
bin=${1:-./vanban} units=${2:-build}
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "valgrind: not installed"; echo "valgrind: 0 passed, 1 failed"; exit 1; fi
  echo "skip: valgrind not installed"; echo "valgrind: 0 passed, 0 failed"; exit 0
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --suppressions=tools/valgrind.supp)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
run() {   # name, command...
  local name=$1; shift
  if "${VG[@]}" "$@" >"$tmp/out" 2>&1; then pass=$((pass+1))
  else
    local rc=$?
    # a render of a document the record does not hold is not a memory failure
    if [ $rc != 99 ] && grep -q 'has no "' "$tmp/out"; then pass=$((pass+1)); return; fi
    fail=$((fail+1)); echo "FAIL (valgrind, exit $rc): $name"; head -40 "$tmp/out"
  fi
}
for u in "$units"/unit-*; do run "$(basename "$u")" "$u"; done
for rec in samples/*.json; do
  for type in resolution minutes; do
    for fmt in pdf docx; do
      run "$rec $type $fmt" "$bin" render "$rec" -t "$type" -o "$tmp/x.$fmt"
    done
  done
done
# bad input must fail cleanly (exit 1), not with a memory error (99)
if "${VG[@]}" "$bin" check tests/unit/check.h >"$tmp/out" 2>&1 || [ $? != 99 ]; then pass=$((pass+1))
else fail=$((fail+1)); echo "FAIL (valgrind): bad record"; head -40 "$tmp/out"; fi
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
