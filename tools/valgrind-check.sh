#!/usr/bin/env bash
# Run the unit tests and a render of every sample (each type, each format)
# under valgrind: any memory error or definite leak fails.  Part of
# `make check`.  usage: tools/valgrind-check.sh ./vanban build
# Every command must end with the exit code it documents (README: 0 ok,
# 1 bad input); valgrind's own code (99), any other code and a signal
# (128+N) are failures.
set -u
bin=${1:-./vanban} units=${2:-build}
cd "$(dirname "$0")/.."
# English messages, which run() looks for (tests/lib.sh does the same)
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8
if ! command -v valgrind >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "valgrind: not installed"; echo "valgrind: 0 passed, 1 failed"; exit 1; fi
  echo "skip: valgrind not installed"; echo "valgrind: 0 passed, 0 failed"; exit 0
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --suppressions=tools/valgrind.supp)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
run() {   # name, expected exit code, message stderr must hold ("" for none), command...
  local name=$1 want=$2 msg=$3 rc why=
  shift 3
  "${VG[@]}" "$@" >"$tmp/out" 2>&1
  rc=$?
  if [ $rc = 99 ]; then why="a memory error or leak"
  elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128))"
  elif [ $rc != "$want" ]; then why="expected exit $want"
  elif [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/out"; then why="no \"$msg\" in its output"
  fi
  if [ -z "$why" ]; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAIL (valgrind, exit $rc: $why): $name"; head -40 "$tmp/out"; fi
}
found=0
for u in "$units"/unit-*; do
  [ -f "$u" ] && [ -x "$u" ] || continue
  found=1
  run "$(basename "$u")" 0 "" "$u"
done
[ $found = 1 ] || { fail=$((fail+1)); echo "FAIL (valgrind): no unit-* binaries in $units (make units)"; }
for rec in samples/*.json; do
  # the types the record holds render (exit 0); the others are refused
  # as bad input (exit 1, saying so)
  holds=$("$bin" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/, \1,/p')
  [ -n "$holds" ] || { fail=$((fail+1)); echo "FAIL (valgrind): vanban check $rec lists no document type"; continue; }
  for type in resolution minutes; do
    for fmt in pdf docx; do
      case $holds in
        *" $type,"*) run "$rec $type $fmt" 0 "" "$bin" render "$rec" -t "$type" -o "$tmp/x.$fmt" ;;
        *) run "$rec $type $fmt (not in the record)" 1 "has no \"$type\"" "$bin" render "$rec" -t "$type" -o "$tmp/x.$fmt" ;;
      esac
    done
  done
done
# bad input must fail cleanly: exit 1 with a message naming the file
run "bad record" 1 "tests/unit/check.h:1:1: invalid JSON" "$bin" check tests/unit/check.h
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
