#!/usr/bin/env bash
# tests/run-all.sh — the whole suite, as `make test` and `make check` run it:
# every unit test binary ($VB_UNIT_DIR/unit-*, default build/), then
# tests/e2e.sh, tests/bad-input.sh and every other tests/*.sh runner (found
# by glob, so a new runner joins by being there; lib.sh and this file are
# not runners).  Each runner ends with "NAME: N passed, N failed"; this adds
# them up and ends with "total: N passed, N failed".  A runner that exits
# non-zero, or prints no such line, counts as one more failure.
# Environment: VANBAN (the binary, default ./vanban), VB_UNIT_DIR, and what
# the runners read (UPDATE, VERBOSE, CI).
. "$(dirname "$0")/lib.sh"
t_init total

UNIT_DIR=${VB_UNIT_DIR:-build}
case $UNIT_DIR in /*) ;; *) [ -d "$UNIT_DIR" ] || UNIT_DIR=$T_CALLER_PWD/$UNIT_DIR ;; esac

SUM_PASS=0 SUM_FAIL=0
declare -a RESULTS=()

run_one() {   # LABEL COMMAND...: run, show its output, add up its summary
    local label=$1 log=$T_TMP/log rc line p f
    shift
    echo "== $label"
    "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[^ ].*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL: $label printed no \"NAME: N passed, N failed\" line (exit $rc)"
        SUM_FAIL=$((SUM_FAIL + 1))
        RESULTS+=("$label: no summary, exit $rc")
        return
    fi
    p=$(printf '%s' "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
    f=$(printf '%s' "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL: $label exited $rc although it counted no failure"
        f=1
        line="$line (but exited $rc: 1 failure)"
    fi
    SUM_PASS=$((SUM_PASS + p)) SUM_FAIL=$((SUM_FAIL + f))
    RESULTS+=("$line")
}

units=("$UNIT_DIR"/unit-*)
if [ -e "${units[0]}" ]; then
    for u in "${units[@]}"; do
        [ -x "$u" ] && [ -f "$u" ] || continue
        run_one "$(basename "$u")" "$u"
    done
else
    skip "no unit test binaries in $UNIT_DIR (make units)"
    [ "${CI:-}" = true ] && { SUM_FAIL=$((SUM_FAIL + 1)); RESULTS+=("units: none found"); }
fi

runners=(tests/e2e.sh tests/bad-input.sh)
for r in tests/*.sh; do
    case $r in
        tests/lib.sh|tests/run-all.sh|tests/e2e.sh|tests/bad-input.sh) ;;
        *) runners+=("$r") ;;
    esac
done
for r in "${runners[@]}"; do
    if [ ! -f "$r" ]; then
        echo "FAIL: $r is missing"
        SUM_FAIL=$((SUM_FAIL + 1))
        continue
    fi
    run_one "$r" bash "$r"
done

echo "== summary"
for l in "${RESULTS[@]}"; do echo "  $l"; done
echo "total: $SUM_PASS passed, $SUM_FAIL failed"
[ "$SUM_FAIL" = 0 ]
