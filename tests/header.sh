#!/usr/bin/env bash
# tests/header.sh — header fitting as a property (tests/header.py): records
# drawn (seeded) from the real names of tests/data/names.txt for both
# conventions, with the regression cases of issue 10, rendered as PDF and
# DOCX and read back with MuPDF, and the first HEADER_LO of them (default 8)
# through LibreOffice too, in one soffice call: no one-line element wraps,
# no header line leaves its column, the columns stand 8 mm apart, body
# names wrap where a typesetter breaks them (before the unit word, never
# inside a fixed phrase, balanced).  HEADER_COUNT records a convention (default 38, so
# that each of the 34 provinces and 4 old units names one in each).
# A missing mutool or soffice is a visible skip, a failure under CI=true.
. "$(dirname "$0")/lib.sh"
t_init header

SOFFICE=${SOFFICE:-soffice}
if T_NEED="reading the headers back" have mutool python3; then
    lo=${HEADER_LO:-8}
    T_NEED="the LibreOffice rendering of the DOCX headers" have "$SOFFICE" || lo=0
    python3 tests/header.py --vanban "$VANBAN" --tmp "$T_TMP/h" --count "${HEADER_COUNT:-38}" --lo "$lo" \
        --soffice "$SOFFICE" >"$T_TMP/out" 2>&1
    rc=$?
    grep -v '^header.py: ' "$T_TMP/out"
    summary=$(sed -n 's/^header.py: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$T_TMP/out")
    if [ -n "$summary" ]; then
        set -- $summary
        T_PASS=$((T_PASS + $1)) T_FAIL=$((T_FAIL + $2))
        [ "$rc" = 0 ] || [ "$2" -gt 0 ] || fail "tests/header.py exited $rc with no failure counted"
    else
        fail "tests/header.py ended with its summary line" "$(tail -5 "$T_TMP/out")"
    fi
fi
t_done
