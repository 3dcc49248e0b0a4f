#!/usr/bin/env bash
# tests/fuzz-regress.sh — what fuzzing found, replayed in every `make test`,
# and the documented limits tried with pathological inputs.  No clang
# needed: see fuzz/README.md.
#
# 1. Replay.  Each fuzz target (fuzz/fuzz_*.c) is built with the ordinary
#    compiler ($CC, default cc) and linked with fuzz/replay.c, a main() that
#    feeds it files, against the library of the build under test
#    ($VB_UNIT_DIR/libvanban.a, default build/; when that library is
#    sanitized, as in `make check`, so is the driver).  Every input in
#    fuzz/regress/<target>/ (inputs that once crashed, leaked or hung) and
#    in fuzz/corpus/<target>/ (the seeds) must run through the target's own
#    invariants without a crash, each in a process of its own, within 60 s.
# 2. Limits.  The limits of record.h (VB_MAX_*) and template.h
#    (VB_TPL_MAX_*) must be enforced with a message, and pathological but
#    valid inputs must finish: a 1 MB string, 100,000 list items, deep
#    nesting, a 3.9 MB record whose text is one paragraph, thousands of
#    recipients in the signature row, templates with 32 nested @each over
#    the longest lists.  Every case runs under `timeout 60` (a hang is a
#    failure); times are printed ("time: …"), never asserted.
# Ends with "fuzz-regress: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init fuzz-regress

UNIT_DIR=${VB_UNIT_DIR:-build}
case $UNIT_DIR in /*) ;; *) UNIT_DIR=$T_CALLER_PWD/$UNIT_DIR; [ -d "$UNIT_DIR" ] || UNIT_DIR=$T_ROOT/${VB_UNIT_DIR:-build} ;; esac
LIMIT=60
CC=${CC:-cc}
PKGS=$(sed -n 's/^PKGS *= *//p' Makefile)     # the Makefile's dependencies
[ -n "$PKGS" ] || PKGS="freetype2 fontconfig libzip jansson libutf8proc harfbuzz harfbuzz-subset"

now_ms() { date +%s%3N; }

# run_case NAME WANT_EXIT WANT_TEXT COMMAND...: the command ends within the
# limit with that exit status and (when WANT_TEXT is not empty) says it.
run_case() {
    local name=$1 want=$2 text=$3 t0 rc ms
    shift 3
    t0=$(now_ms)
    timeout "$LIMIT" "$@" >"$T_TMP/out" 2>&1
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    if [ "$rc" = 124 ]; then
        fail "$name: did not finish within ${LIMIT} s" "$(tail -5 "$T_TMP/out")"
    elif [ "$rc" != "$want" ]; then
        fail "$name: exit $rc, expected $want" "$(head -8 "$T_TMP/out")"
    elif [ -n "$text" ] && ! grep -qF -- "$text" "$T_TMP/out"; then
        fail "$name: no message containing \"$text\"" "$(head -8 "$T_TMP/out")"
    else
        pass "$name"
        printf 'time: %s: %d.%03d s\n' "$name" $((ms / 1000)) $((ms % 1000))
    fi
}

# ---- 1. replay -------------------------------------------------------
lib=$UNIT_DIR/libvanban.a
if [ ! -f "$lib" ]; then
    fail "no $lib to link the replay drivers with (make units, or set VB_UNIT_DIR)"
elif ! pkg_flags=$(pkg-config --cflags --libs $PKGS 2>/dev/null); then
    fail "pkg-config cannot find $PKGS"
else
    san=()
    # a sanitized library (make check) needs a sanitized driver
    if nm -A "$lib" 2>/dev/null | grep -q '__asan_'; then
        san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
        export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
    fi
    for t in record template text render schema; do
        drv=$T_TMP/replay-$t
        # shellcheck disable=SC2086
        if ! "$CC" -std=c11 -D_GNU_SOURCE -O1 -g "${san[@]}" -DVB_FUZZ_REPO="\"$T_ROOT\"" \
                -Irender -Ifuzz "fuzz/fuzz_$t.c" fuzz/replay.c "$lib" $pkg_flags -lpthread -lm \
                -o "$drv" >"$T_TMP/cc.log" 2>&1; then
            fail "replay driver for fuzz/fuzz_$t.c does not build" "$(head -20 "$T_TMP/cc.log")"
            continue
        fi
        n=0
        for f in fuzz/regress/"$t"/* fuzz/corpus/"$t"/*; do
            [ -f "$f" ] || continue
            n=$((n + 1))
            if timeout "$LIMIT" "$drv" "$f" >"$T_TMP/out" 2>&1; then
                pass "replay $f"
            else
                rc=$?
                [ "$rc" = 124 ] && why="did not finish within ${LIMIT} s" || why="exit $rc"
                fail "replay $f through fuzz_$t: $why" "$(grep -v '^replay:' "$T_TMP/out" | head -25)"
            fi
        done
        [ "$n" -gt 0 ] || fail "fuzz_$t: no inputs in fuzz/regress/$t or fuzz/corpus/$t"
    done
fi

# ---- 2. limits ---------------------------------------------------------
T_NEED="the limit cases generate their inputs with python3"
if have python3; then
    L=$T_TMP/lim
    mkdir -p "$L/data/templates/party"
    cp templates/party/style "$L/data/templates/party/style"
    python3 - "$L" <<'EOF'
import json, random, sys
L = sys.argv[1]
random.seed(7)
base = {"convention": "party",
        "issuer": {"name": "Đảng ủy Khối", "code": "ĐUK"}, "place": "Hải Phòng",
        "meeting": {"title": "Hội nghị", "date": "2021-12-28", "members": {"total": 35, "present": 33}},
        "resolution": {"number": 15, "subject": "về x", "body": [{"paragraph": "P"}],
                       "signature": {"authority": "T/M Ban Chấp hành", "position": "Bí thư", "name": "Đỗ Quang Khoa"}}}
words = ("Đảng ủy Khối doanh nghiệp thành phố Hải Phòng lãnh đạo chỉ đạo thực hiện "
         "nhiệm vụ chính trị năm kế hoạch phát triển kinh tế xã hội").split()
def text(nbytes):
    out, n = [], 0
    while True:
        w = random.choice(words)
        if n + len(w.encode()) + 1 > nbytes: return " ".join(out)
        out.append(w); n += len(w.encode()) + 1
def rec(name, **edits):
    r = json.loads(json.dumps(base))
    for path, v in edits.items():
        *parents, last = path.split("__")
        d = r
        for p in parents: d = d.setdefault(p, {})
        d[last] = v
    open(f"{L}/{name}.json", "w", encoding="utf-8").write(json.dumps(r, ensure_ascii=False))
def raw(name, s):
    open(f"{L}/{name}.json", "w", encoding="utf-8").write(s)

# record size: one byte over 4 MiB (white space after a valid record)
s = json.dumps(base, ensure_ascii=False)
raw("size-over", s + " " * (4 * 1024 * 1024 + 1 - len(s.encode())))
# strings
rec("string-1mb", meeting__title="a" * (1 << 20))
rec("string-at-limit", meeting__title="a" * 65536)
rec("string-over", meeting__title="a" * 65537)
# lists
rec("list-100k", meeting__agenda=["x"] * 100000)
rec("list-at-limit", meeting__agenda=["x"] * 5000)
rec("list-over", meeting__agenda=["x"] * 5001)
# nesting: the record object is level 1
def nested(levels):
    return "[" * levels + "]" * levels
s = json.dumps(base, ensure_ascii=False)[:-1]
raw("depth-at-limit", s + ', "extra": ' + nested(15) + "}")
raw("depth-over", s + ', "extra": ' + nested(16) + "}")
raw("depth-100k", s + ', "extra": ' + nested(100000) + "}")
# numbers
rec("number-at-limit", meeting__members={"total": 999999999})
rec("number-over", meeting__members={"total": 1000000000})
# 3.9 MB whose text is one paragraph: meeting.documents, joined by the minutes
rec("one-paragraph-3.9mb", meeting__documents=[text(65000) for _ in range(60)])
# 5000 body paragraphs, 3.9 MB
rec("body-5000", resolution__body=[{"paragraph": text(760)} for _ in range(5000)])
# one word of 64 KB (no space to break at)
rec("word-64k", resolution__body=[{"paragraph": "ệ" * 21000}])
# a signature row taller than many pages: 5000 recipients, 3.5 MB
rec("recipients-5000", resolution__recipients=[text(700) for _ in range(5000)])
# the longest lists for the templates: 5000 short blocks
rec("body-5000-short", resolution__body=[{"paragraph": "p"}] * 5000)

# templates over resolution.body
def tpl(name, depth, inner):
    lines = [f"@each v{i} in resolution.body" for i in range(depth)] + inner + ["@end"] * depth
    open(f"{L}/data/templates/party/{name}.tpl", "w").write("\n".join(lines) + "\n")
tpl("nest32", 32, ["body: {{v31.paragraph}}"])            # paragraph limit
tpl("nest32empty", 32, [])                                # no paragraph at all: step limit
tpl("nest31false", 31, ["@if v0.kind == nothing", "body: x", "@end"])   # 32 blocks
tpl("nest33", 33, ["body: x"])                            # nesting limit, at load
tpl("nest2", 2, ["body: {{v1.paragraph}}"])               # 25,000,000 > 200,000 paragraphs
open(f"{L}/data/templates/party/plain.tpl", "w").write("body: {{resolution.subject}}\n")   # no rule at all
open(f"{L}/data/templates/party/literal-each.tpl", "w").write(
    '@each x in "lit"\n@end\n@each y in resolution.body\nbody: {{y.paragraph}}\n@end\n')
EOF
    # a type is its .type file beside the template (templates/README.md)
    cp -r templates/core.fields templates/parts templates/groups "$L/data/templates/"
    for t in "$L"/data/templates/party/*.tpl; do
        n=$(basename "$t" .tpl)
        printf 'name = %s\ntitle = %s\npart = resolution\nholds = resolution\ntemplate = %s.tpl\n' \
            "$n" "$n" "$n" >"${t%.tpl}.type"
    done
    V=$VANBAN
    D=(--data "$L/data")
    run_case "record of 4 MiB + 1 byte rejected" 1 "larger than the limit of 4194304 bytes" "$V" check "$L/size-over.json"
    run_case "1 MB string rejected" 1 "expected text of at most 65536 bytes" "$V" check "$L/string-1mb.json"
    run_case "string of 65536 bytes accepted" 0 "" "$V" check "$L/string-at-limit.json"
    run_case "string of 65537 bytes rejected" 1 "at most 65536 bytes, got 65537" "$V" check "$L/string-over.json"
    run_case "100,000 list items rejected" 1 "expected at most 5000 items, got 100000" "$V" check "$L/list-100k.json"
    run_case "5000 list items accepted" 0 "" "$V" check "$L/list-at-limit.json"
    run_case "5001 list items rejected" 1 "expected at most 5000 items, got 5001" "$V" check "$L/list-over.json"
    run_case "nesting of 16 levels accepted" 0 "" "$V" check "$L/depth-at-limit.json"
    run_case "nesting of 17 levels rejected" 1 "nested more than 16 levels deep" "$V" check "$L/depth-over.json"
    run_case "nesting of 100,001 levels rejected" 1 "nested more than 16 levels deep" "$V" check "$L/depth-100k.json"
    run_case "number 999999999 accepted" 0 "" "$V" check "$L/number-at-limit.json"
    run_case "number 1000000000 rejected" 1 "expected a whole number 0..999999999, got 1000000000" "$V" check "$L/number-over.json"
    for fmt in pdf docx; do
        run_case "3.9 MB one-paragraph minutes as $fmt" 0 "" "$V" render "$L/one-paragraph-3.9mb.json" -t minutes -o "$L/o.$fmt"
        run_case "5000 body paragraphs (3.9 MB) as $fmt" 0 "" "$V" render "$L/body-5000.json" -t resolution -o "$L/o.$fmt"
        run_case "a 64 KB word as $fmt" 0 "" "$V" render "$L/word-64k.json" -t resolution -o "$L/o.$fmt"
        run_case "5000 recipients (3.5 MB) as $fmt" 0 "" "$V" render "$L/recipients-5000.json" -t resolution -o "$L/o.$fmt"
    done
    B=$L/body-5000-short.json
    run_case "32 nested @each making paragraphs: paragraph limit" 1 "would exceed 200000 paragraphs" \
        "$V" render "$B" -t nest32 "${D[@]}" --dump model
    run_case "32 nested @each making nothing: step limit" 1 "does too much work" \
        "$V" render "$B" -t nest32empty "${D[@]}" --dump model
    run_case "31 nested @each and a false @if: step limit" 1 "does too much work" \
        "$V" render "$B" -t nest31false "${D[@]}" --dump model
    run_case "33 nested @each rejected at load" 1 "blocks nested deeper than 32" \
        "$V" render "$B" -t nest33 "${D[@]}" --dump model
    run_case "2 nested @each over 5000 blocks: paragraph limit" 1 "would exceed 200000 paragraphs" \
        "$V" render "$B" -t nest2 "${D[@]}" --dump model
    run_case "@each over a literal, then over a list" 0 "" \
        "$V" render "$B" -t literal-each "${D[@]}" --dump model
    for fmt in pdf docx; do
        run_case "a document with no rule at all as $fmt" 0 "" \
            "$V" render "$B" -t plain "${D[@]}" -o "$L/plain.$fmt"
    done
fi

t_done
