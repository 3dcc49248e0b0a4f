#!/usr/bin/env bash
# tests/register.sh — the outgoing register (docs/register.md):
# `vanban register FILE …` and `vanban batch --register/--reserve/--numbers`.
#  - numbers: the next of the series (state: issuer + year, from 01; a new
#    year starts at 01 again; Party: issuer + type + term), written into the
#    document (pdftotext reads it back), in input order with -j 2;
#  - eight vanban processes at once on one register: every number once,
#    none missing;
#  - a batch run again numbers nothing twice; a failed render leaves no gap;
#  - a number a record gives is checked: a duplicate names both documents,
#    exit 1 for that record, the others rendered;
#  - withdraw: marked, never given again, not twice;
#  - send, note, copies: the columns a clerk fills in, shown by list, print
#    and export-csv, kept when a document is registered again; refused for
#    a number not there, a withdrawn document, a malformed value;
#  - the printed register (landscape PDF, pdftotext, qpdf, reproducible) and
#    the CSV (python3 csv; no cell a spreadsheet would run as a formula);
#  - sharded batches: --reserve a plan, --numbers per shard, confirm;
#  - bad input: a file that is not SQLite, SQLite but not a register, a
#    register locked too long (exit 3, nothing written), a bad series rule.
# Ends "register: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init register

export SOURCE_DATE_EPOCH=1700000000
R=$T_TMP
BASE=$T_ROOT/samples/draft-unnumbered.json      # state, An Bình, 2024-12-20, no numbers
PARTY=$T_ROOT/samples/haiphong-2021-12-28.json

# mk OUT ID [key=value...]: a copy of BASE (or of $SRC) with that id and
# those changes: date=YYYY-MM-DD (resolution and meeting), number=N
# (resolution), term=T (issuer), subject=TEXT; MK_SRC: another record than BASE
mk() {
    python3 - "$@" <<'EOF'
import json, os, sys
out, rid, *kv = sys.argv[1:]
path = os.environ.get("MK_SRC") or os.environ["BASE"]
r = json.load(open(path, encoding="utf-8"))
r["id"] = rid
# the numbering of the resolution and the minutes is what is tested: the
# sample's other documents (report, notice, …) are left out
for k in [k for k in r if k not in ("convention", "id", "issuer", "place", "meeting", "resolution", "minutes")]:
    del r[k]
for part in ("resolution", "minutes"):
    if isinstance(r.get(part), dict): r[part].pop("number", None)
for a in kv:
    k, v = a.split("=", 1)
    if k == "date": r["meeting"]["date"] = v; r["resolution"]["date"] = v
    elif k == "number": r["resolution"]["number"] = int(v)
    elif k == "mnumber": r.setdefault("minutes", {})["number"] = int(v)
    elif k == "term": r["issuer"]["term"] = v
    elif k == "subject": r["resolution"]["subject"] = v
    elif k == "issuer": r["issuer"]["name"] = v
json.dump(r, open(out, "w", encoding="utf-8"), ensure_ascii=False)
EOF
}
export BASE

# numline PDF: the number and symbol the document prints ("07/NQ-HĐND")
numline() { pdftotext -l 1 "$1" - 2>/dev/null | sed -n 's/^Số:\{0,1\} *\([0-9][0-9]*[-/][^ ]*\).*/\1/p' | head -1; }
# regnums DB [WHERE]: the numbers and symbols of the register, one a line, by number
regnums() { python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
w = sys.argv[2] if len(sys.argv) > 2 else "1"
for (s,) in db.execute("SELECT numsym FROM docs WHERE " + w + " ORDER BY series, number"): print(s)
' "$@"; }

if ! T_NEED="reading numbers back from the PDFs" have pdftotext python3; then t_done; fi

# ---- init, list ---------------------------------------------------------------
DB=$R/r.db
"$VANBAN" register "$DB" init >"$R/out" 2>&1 && [ -s "$DB" ] && pass "init makes a register" ||
    fail "init makes a register" "$(cat "$R/out")"
"$VANBAN" register "$DB" init >"$R/out" 2>&1 && pass "init again: still a register" || fail "init twice" "$(cat "$R/out")"
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); m=db.execute("PRAGMA journal_mode").fetchone()[0]; sys.exit(m != "wal")' "$DB" &&
    pass "the register is in WAL mode" || fail "the register is in WAL mode"
[ -z "$("$VANBAN" register "$DB" list)" ] && pass "an empty register lists nothing" || fail "an empty register lists nothing"

# ---- numbering in input order, into the documents -----------------------------
mkdir -p "$R/in1"
for i in 1 2 3 4 5 6; do mk "$R/in1/r$i.json" "r$i"; done
"$VANBAN" batch "$R/in1" -o "$R/out1" -t resolution -j 2 --register "$DB" >"$R/out" 2>&1
rc=$?
[ $rc = 0 ] && pass "batch --register: exit 0" || fail "batch --register: exit $rc" "$(cat "$R/out")"
got=$(for i in 1 2 3 4 5 6; do numline "$R/out1/r$i.resolution.pdf"; done | tr '\n' ' ')
[ "$got" = "01/NQ-HĐND 02/NQ-HĐND 03/NQ-HĐND 04/NQ-HĐND 05/NQ-HĐND 06/NQ-HĐND " ] &&
    pass "numbers 01..06 in input order with -j 2, printed in each document" ||
    fail "numbers in input order, printed in each document" "got: $got"
cp "$DB" "$R/before-rerun.db"
"$VANBAN" batch "$R/in1" -o "$R/out1" -t resolution --register "$DB" >"$R/out" 2>&1
n=$(regnums "$DB" | wc -l)
got=$(for i in 1 2 3 4 5 6; do numline "$R/out1/r$i.resolution.pdf"; done | tr '\n' ' ')
[ "$n" = 6 ] && [ "$got" = "01/NQ-HĐND 02/NQ-HĐND 03/NQ-HĐND 04/NQ-HĐND 05/NQ-HĐND 06/NQ-HĐND " ] &&
    pass "the same batch again: the same numbers, no new line" || fail "the same batch again" "lines $n, got $got"
line=$("$VANBAN" register "$DB" check 04/NQ-HĐND)
case $line in *r4*issued*|*issued*r4*) pass "check 04/NQ-HĐND: r4, issued" ;; *) fail "check 04/NQ-HĐND" "$line" ;; esac
"$VANBAN" register "$DB" check "Số: 4/NQ-HĐND" >/dev/null 2>&1 && pass "check takes \"Số: 4/NQ-HĐND\" too" ||
    fail "check takes \"Số: 4/NQ-HĐND\""
"$VANBAN" register "$DB" check 99/NQ-HĐND >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "not in the register" "$R/err" && pass "check of a number not there: exit 1" ||
    fail "check 99/NQ-HĐND: exit $rc" "$(cat "$R/err")"

# ---- a failed render leaves no gap ---------------------------------------------
mkdir -p "$R/in2"
mk "$R/in2/a.json" a
mk "$R/in2/b.json" b subject="về việc 中 văn bản"      # U+4E2D: in no font, found at render
mk "$R/in2/c.json" c
"$VANBAN" batch "$R/in2" -o "$R/out2" -t resolution --register "$DB" >"$R/out" 2>&1; rc=$?
a=$(numline "$R/out2/a.resolution.pdf"); c=$(numline "$R/out2/c.resolution.pdf")
[ $rc = 1 ] && [ ! -e "$R/out2/b.resolution.pdf" ] && [ "$a" = 07/NQ-HĐND ] && [ "$c" = 08/NQ-HĐND ] &&
    ! regnums "$DB" "record='b'" | grep -q . &&
    pass "a render that fails takes no number: 07, then 08 (exit 1, no output)" ||
    fail "a failed render leaves no gap" "exit $rc, a=$a c=$c" "$(grep -v '^batch:' "$R/out" | head -3)"

# ---- vanban render --register: one document --------------------------------------
mk "$R/one.json" one
"$VANBAN" render "$R/one.json" -t resolution -o "$R/one.pdf" --register "$DB" >"$R/out" 2>&1; rc=$?
[ $rc = 0 ] && [ "$(numline "$R/one.pdf")" = 09/NQ-HĐND ] && grep -qx "$R/one.pdf: 09/NQ-HĐND" "$R/out" &&
    pass "render --register: the next number, printed in the document and on stdout" ||
    fail "render --register: exit $rc" "$(cat "$R/out")" "$(numline "$R/one.pdf")"
mk "$R/bad1.json" bad1 subject="về 中"
"$VANBAN" render "$R/bad1.json" -t resolution -o "$R/bad1.pdf" --register "$DB" >"$R/out" 2>&1; rc=$?
mk "$R/two.json" two number=9
"$VANBAN" render "$R/two.json" -t resolution -o "$R/two.pdf" --register "$DB" >"$R/err2" 2>&1; rc2=$?
[ $rc = 1 ] && [ ! -e "$R/bad1.pdf" ] && ! regnums "$DB" "record='bad1'" | grep -q . &&
    [ $rc2 = 1 ] && [ ! -e "$R/two.pdf" ] && grep -q 'record "one"' "$R/err2" &&
    pass "render --register: a failed render takes no number; a duplicate is refused, no output" ||
    fail "render --register failures" "exit $rc: $(cat "$R/out")" "exit $rc2: $(cat "$R/err2")"
"$VANBAN" register "$DB" withdraw 09/NQ-HĐND >/dev/null       # so that the numbers below stay as they were

# ---- several processes at once ----------------------------------------------------
PDB=$R/p.db
"$VANBAN" register "$PDB" init >/dev/null
for p in 1 2 3 4 5 6 7 8; do
    mkdir -p "$R/par/$p"
    for i in 1 2 3; do mk "$R/par/$p/p$p-$i.json" "p$p-$i"; done
done
pids=()
for p in 1 2 3 4 5 6 7 8; do
    # a long wait: under a sanitizer on a loaded machine a process may poll
    # through many others' renders (SQLite's busy wait is not a queue)
    VANBAN_REGISTER_TIMEOUT=600000 "$VANBAN" batch "$R/par/$p" -o "$R/parout" -t resolution -j 1 --register "$PDB" >"$R/par/$p.log" 2>&1 &
    pids+=($!)
done
prc=0
for pid in "${pids[@]}"; do wait "$pid" || prc=1; done
[ $prc = 0 ] && pass "8 processes on one register: every one exit 0" ||
    fail "8 processes on one register" "$(cat "$R"/par/*.log | grep -v '^batch:' | head -5)"
want=$(seq -f '%02g/NQ-HĐND' 1 24 | sort)
got=$(regnums "$PDB" | sort)
[ "$got" = "$want" ] && pass "8 processes x 3 documents: 01..24, each once, none missing" ||
    fail "8 processes: numbers 01..24 each once" "$(diff <(echo "$want") <(echo "$got") | head -6)"
bad=0
for f in "$R"/parout/*.pdf; do
    id=$(basename "$f" .resolution.pdf)
    reg=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT numsym FROM docs WHERE record=?", (sys.argv[2],)).fetchone()[0])' "$PDB" "$id")
    [ "$(numline "$f")" = "$reg" ] || { bad=1; echo "  $id: pdf $(numline "$f"), register $reg"; }
done
[ $bad = 0 ] && pass "each of the 24 documents prints the number the register holds for it" ||
    fail "a document prints another number than the register's"

# ---- a number the record gives ----------------------------------------------------
mkdir -p "$R/in3"
mk "$R/in3/x1.json" x1 number=20
mk "$R/in3/x2.json" x2 number=20
mk "$R/in3/x3.json" x3
"$VANBAN" batch "$R/in3" -o "$R/out3" -t resolution --register "$DB" >"$R/out" 2>&1; rc=$?
[ $rc = 1 ] && [ -e "$R/out3/x1.resolution.pdf" ] && [ ! -e "$R/out3/x2.resolution.pdf" ] &&
    [ -e "$R/out3/x3.resolution.pdf" ] && pass "a duplicate number: exit 1 for that record, the others rendered" ||
    fail "a duplicate number: exit 1, the others rendered" "exit $rc; $(ls "$R/out3" 2>&1 | tr '\n' ' ')"
grep -q 'x2.json: /resolution/number: 20/NQ-HĐND is already in the register .*record "x1" (.*x1.json' "$R/out" &&
    pass "the duplicate's message names both documents" || fail "the duplicate's message names both" "$(grep -v '^batch:' "$R/out")"
[ "$(numline "$R/out3/x3.resolution.pdf")" = 21/NQ-HĐND ] && pass "after a given 20 the series goes on at 21" ||
    fail "after a given 20 the series goes on at 21" "$(numline "$R/out3/x3.resolution.pdf")"

# ---- withdraw ------------------------------------------------------------------------
"$VANBAN" register "$DB" withdraw 21/NQ-HĐND --reason "ban hành nhầm" >"$R/out" 2>&1 &&
    pass "withdraw 21/NQ-HĐND" || fail "withdraw 21/NQ-HĐND" "$(cat "$R/out")"
python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute("SELECT status, notes FROM docs WHERE numsym=?", ("21/NQ-HĐND",)).fetchone(); sys.exit(r != ("withdrawn", "Đã thu hồi: ban hành nhầm"))' "$DB" &&
    pass "withdrawn: marked, the reason in the notes" || fail "withdrawn: marked, the reason in the notes"
"$VANBAN" register "$DB" withdraw 21/NQ-HĐND >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "withdrawn already" "$R/err" && pass "withdraw twice: exit 1" || fail "withdraw twice: exit $rc" "$(cat "$R/err")"
"$VANBAN" register "$DB" withdraw 77/NQ-HĐND >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "not in the register" "$R/err" && pass "withdraw a number not there: exit 1" || fail "withdraw 77: exit $rc" "$(cat "$R/err")"
"$VANBAN" register "$DB" withdraw "NQ-HĐND" >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "not a number and symbol" "$R/err" && pass "withdraw NQ-HĐND (no number): exit 1, says so" ||
    fail "withdraw without a number: exit $rc" "$(cat "$R/err")"
mkdir -p "$R/in4"
mk "$R/in4/w1.json" w1
mk "$R/in4/w2.json" w2 number=21
"$VANBAN" batch "$R/in4" -o "$R/out4" -t resolution --register "$DB" >"$R/out" 2>&1; rc=$?
[ "$(numline "$R/out4/w1.resolution.pdf")" = 22/NQ-HĐND ] && pass "after withdrawing 21 the next number is 22, not 21" ||
    fail "a withdrawn number is never given again" "$(numline "$R/out4/w1.resolution.pdf")"
[ $rc = 1 ] && [ ! -e "$R/out4/w2.resolution.pdf" ] && grep -q "21/NQ-HĐND is already in the register.*withdrawn" "$R/out" &&
    pass "a record giving the withdrawn 21: refused" || fail "a record giving the withdrawn 21" "exit $rc" "$(grep -v '^batch:' "$R/out")"

# ---- a new year starts at 01 ----------------------------------------------------------
mkdir -p "$R/in5"
mk "$R/in5/y1.json" y1 date=2024-12-31
mk "$R/in5/y2.json" y2 date=2025-01-01
mk "$R/in5/y3.json" y3 date=2025-01-02
"$VANBAN" batch "$R/in5" -o "$R/out5" -t resolution --register "$DB" >"$R/out" 2>&1
got=$(for i in 1 2 3; do numline "$R/out5/y$i.resolution.pdf"; done | tr '\n' ' ')
[ "$got" = "23/NQ-HĐND 01/NQ-HĐND 02/NQ-HĐND " ] && pass "31 December 2024 gets 23; 1 January 2025 starts at 01" ||
    fail "year rollover" "got $got" "$(grep -v '^batch:' "$R/out")"
"$VANBAN" register "$DB" check 01/NQ-HĐND >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "2024 (r1), 2025 (y2)" "$R/err" && pass "check 01/NQ-HĐND in two years: asks for --year" ||
    fail "check 01/NQ-HĐND in two years" "exit $rc: $(cat "$R/err")"
[ "$("$VANBAN" register "$DB" list --year 2025 | cut -f1 | tr '\n' ' ')" = "01/NQ-HĐND 02/NQ-HĐND " ] &&
    pass "list --year 2025: that year only" || fail "list --year 2025" "$("$VANBAN" register "$DB" list --year 2025)"
"$VANBAN" register "$DB" check 01/NQ-HĐND --year 2025 | grep -q y2 && pass "check --year 2025" || fail "check --year 2025"

# ---- Party: per type within a term ------------------------------------------------------
export MK_SRC=$PARTY
mkdir -p "$R/in6"
mk "$R/in6/a.json" pa term=2020-2025
mk "$R/in6/b.json" pb term=2020-2025
mk "$R/in6/c.json" pc term=2025-2030
mk "$R/in6/d.json" pd
QDB=$R/q.db
"$VANBAN" register "$QDB" init >/dev/null
"$VANBAN" batch "$R/in6" -o "$R/out6" --register "$QDB" >"$R/out" 2>&1; rc=$?
got=$(for i in a b c; do for t in resolution minutes; do numline "$R/out6/p$i.$t.pdf"; done; done | tr '\n' ' ')
[ "$got" = "01-NQ/ĐUK 01-BB/ĐUK 02-NQ/ĐUK 02-BB/ĐUK 01-NQ/ĐUK 01-BB/ĐUK " ] &&
    pass "Party: each type from 01 within a term; a new term starts at 01" || fail "Party term series" "got $got"
[ $rc = 1 ] && [ ! -e "$R/out6/pd.resolution.pdf" ] && grep -q 'd.json: /issuer/term: .*party/style numbers by term' "$R/out" &&
    pass "Party record without a term, register without one: exit 1, names /issuer/term and the rule file" ||
    fail "Party record without a term" "exit $rc" "$(grep -v '^batch:' "$R/out")"
"$VANBAN" register "$QDB" term 2020-2025 >/dev/null && "$VANBAN" batch "$R/in6/d.json" -o "$R/out6" --register "$QDB" >"$R/out" 2>&1 &&
    [ "$(numline "$R/out6/pd.resolution.pdf")" = 03-NQ/ĐUK ] && pass "the register's term serves a record without one: 03-NQ/ĐUK" ||
    fail "the register's term" "$(numline "$R/out6/pd.resolution.pdf")" "$(cat "$R/out")"
"$VANBAN" register "$QDB" term 2025 >/dev/null 2>"$R/err"; rc=$?
[ $rc = 2 ] && grep -q "2020-2025" "$R/err" && pass "term 2025: exit 2, shows the form" || fail "term 2025: exit $rc" "$(cat "$R/err")"
unset MK_SRC

# ---- what a clerk fills in after issuing: send, note, copies ------------------------------
"$VANBAN" register "$DB" send 04/NQ-HĐND --date 2024-12-21 --to "Văn phòng UBND xã" >"$R/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -qx "$(basename "$DB"| sed 's/^/.*/'): 04/NQ-HĐND sent on 2024-12-21 to Văn phòng UBND xã" "$R/out" &&
    pass "send 04/NQ-HĐND --date --to: exit 0, says what it wrote" || fail "send: exit $rc" "$(cat "$R/out")"
"$VANBAN" register "$DB" note 04/NQ-HĐND '=HYPERLINK("http://x","bấm")' >"$R/out" 2>&1 &&
"$VANBAN" register "$DB" note 05/NQ-HĐND -- "-5" >>"$R/out" 2>&1 &&
"$VANBAN" register "$DB" copies 04/NQ-HĐND 5 >>"$R/out" 2>&1 && pass "note and copies: exit 0" || fail "note, copies" "$(cat "$R/out")"
got=$("$VANBAN" register "$DB" list | grep '^04/NQ-HĐND' | cut -f7-)
[ "$got" = "$(printf '5\t2024-12-21\tVăn phòng UBND xã\t=HYPERLINK("http://x","bấm")')" ] &&
    pass "list shows the copies, the date sent, who received it and the notes" || fail "list after send, note, copies" "$got"
# refused, each with its exit code and naming the document; nothing changes
refused() {   # LABEL CODE WANT ARGS...
    local label=$1 code=$2 want=$3; shift 3
    "$VANBAN" register "$DB" "$@" >/dev/null 2>"$R/err"; local rc=$?
    [ $rc = "$code" ] && grep -qF -- "$want" "$R/err" && pass "$label: exit $code" || fail "$label: exit $rc, want $code" "$(cat "$R/err")"
}
refused "send a number not in the register" 1 "77/NQ-HĐND is not in the register" send 77/NQ-HĐND --date 2024-12-21
refused "send a withdrawn document" 1 "21/NQ-HĐND (record \"x3\") is withdrawn" send 21/NQ-HĐND --date 2024-12-21
refused "copies of a withdrawn document" 1 "is withdrawn" copies 21/NQ-HĐND 3
refused "send before the document's date" 1 "04/NQ-HĐND is dated 2024-12-20; it cannot have been sent on 2024-12-19" send 04/NQ-HĐND --date 2024-12-19
refused "send --date 21/12/2024" 2 "--date: the day it was sent is YYYY-MM-DD" send 04/NQ-HĐND --date 21/12/2024
refused "send without --date" 2 "send needs --date YYYY-MM-DD" send 04/NQ-HĐND
refused "--to with note" 2 "--date and --to go with send, not with note" note 04/NQ-HĐND x --to y
refused "copies 0" 2 "copies takes a number of copies from 1 to 9999" copies 04/NQ-HĐND 0
refused "note without its text" 2 "note needs two arguments" note 04/NQ-HĐND
refused "a note with a line break" 2 "note: U+000A is a control character" note 04/NQ-HĐND "$(printf 'a\nb')"
got=$("$VANBAN" register "$DB" list | grep '^04/NQ-HĐND' | cut -f7-9)
[ "$got" = "$(printf '5\t2024-12-21\tVăn phòng UBND xã')" ] && pass "after the refusals the line is as it was" || fail "a refusal changed the line" "$got"
"$VANBAN" batch "$R/in1/r4.json" -o "$R/out1" -t resolution --register "$DB" >"$R/out" 2>&1
got=$("$VANBAN" register "$DB" list | grep '^04/NQ-HĐND' | cut -f4,7-9)
[ "$got" = "$(printf 'issued\t5\t2024-12-21\tVăn phòng UBND xã')" ] &&
    pass "the document registered again (a batch rerun): the clerk's copies, date and receiver stay" ||
    fail "a rerun changed what the clerk wrote" "$got" "$(cat "$R/out")"
# a register made before the clerk could set the copies gets the column when opened
cp "$DB" "$R/old.db"; [ -e "$DB-wal" ] && cp "$DB-wal" "$R/old.db-wal"
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("ALTER TABLE docs DROP COLUMN copies_fixed"); db.commit()' "$R/old.db"
"$VANBAN" register "$R/old.db" copies 05/NQ-HĐND 3 >"$R/out" 2>&1 && "$VANBAN" register "$R/old.db" list | grep -q "^05/NQ-HĐND.*	3	" &&
    pass "a register of before copies_fixed: opened, the column added, copies set" || fail "an older register" "$(cat "$R/out")"

# ---- the printed register and the CSV -----------------------------------------------------
if T_NEED="the printed register" have pdfinfo qpdf; then
    "$VANBAN" register "$DB" print -o "$R/reg.pdf" >"$R/out" 2>&1; rc=$?
    [ $rc = 0 ] && qpdf --check "$R/reg.pdf" >/dev/null 2>&1 && pass "print: a PDF qpdf accepts" ||
        fail "print: exit $rc" "$(cat "$R/out")"
    pdfinfo "$R/reg.pdf" | grep -q 'Page size: *841.89 x 595.276' && pass "print: A4 landscape" ||
        fail "print: A4 landscape" "$(pdfinfo "$R/reg.pdf" | grep 'Page size')"
    pdftotext -raw "$R/reg.pdf" "$R/reg.txt"
    miss=()
    # one-line texts as they are; the cells that wrap in a narrow column
    # (a reader interleaves the lines of neighbouring cells) word by word
    for w in "SỔ ĐĂNG KÝ VĂN BẢN ĐI" "(1)" "(10)" "20/12/2024" "31/12/2024" "01/01/2025" "21/12/2024"; do
        grep -qF "$w" "$R/reg.txt" || miss+=("$w")
    done
    for w in "Số, ký hiệu văn bản" "Đơn vị, người nhận bản lưu" "Ký nhận" "Ghi chú" "Đã thu hồi: ban hành nhầm" "Lưu: VT" \
             "Văn phòng UBND xã" '=HYPERLINK("http://x","bấm")'; do
        for x in $w; do grep -qF -- "$x" "$R/reg.txt" || miss+=("$x (of $w)"); done
    done
    for s in $(regnums "$DB"); do grep -qF "$s" "$R/reg.txt" || miss+=("$s"); done
    [ ${#miss[@]} = 0 ] && pass "print: pdftotext reads the title, the columns and every number ($(regnums "$DB" | wc -l))" ||
        fail "print: not in the text: ${miss[*]}"
    "$VANBAN" register "$DB" print -o "$R/reg2.pdf" >/dev/null 2>&1
    cmp -s "$R/reg.pdf" "$R/reg2.pdf" && pass "print: the same register prints the same bytes" || fail "print: not reproducible"
    "$VANBAN" register "$DB" print --year 2025 -o "$R/reg25.pdf" >/dev/null 2>&1
    pdftotext -raw "$R/reg25.pdf" - | grep -q "20/12/2024" && fail "print --year 2025 shows a 2024 document" ||
        pass "print --year 2025: that year only"
    "$VANBAN" register "$QDB" print -o "$R/party.pdf" >/dev/null 2>&1 && pdftotext -raw "$R/party.pdf" - | grep -qF "02-BB/ĐUK" &&
        pass "print: a Party register" || fail "print: a Party register"
fi
"$VANBAN" register "$DB" export-csv -o "$R/reg.csv" >"$R/out" 2>&1
python3 - "$R/reg.csv" "$DB" >"$R/csv.out" 2>&1 <<'EOF'
import csv, sqlite3, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head = rows[0]
want = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận văn bản",
        "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"]
assert head[:10] == want, head
db = sqlite3.connect(sys.argv[2])
n = db.execute("SELECT count(*) FROM docs").fetchone()[0]
assert len(rows) - 1 == n, (len(rows) - 1, n)
assert all(len(r) == len(head) for r in rows), "ragged rows"
byno = {r[0]: r for r in rows[1:]}
st = head.index("status")
assert byno["21/NQ-HĐND"][st] == "withdrawn", byno["21/NQ-HĐND"]
assert byno["21/NQ-HĐND"][9] == "Đã thu hồi: ban hành nhầm"
r = byno["04/NQ-HĐND"]
assert r[1] == "2024-12-20" and r[2].startswith("Nghị quyết về "), r
assert r[head.index("record")] == "r4" and r[5].startswith("Lưu"), r
assert int(r[6]) >= 2, r
# what the clerk filled in: copies, date sent, who received it; the note,
# a formula, neutralised with a ' (a plain number such as -5 stays)
assert r[6:10] == ["5", "2024-12-21", "Văn phòng UBND xã", "'=HYPERLINK(\"http://x\",\"bấm\")"], r[6:10]
assert byno["05/NQ-HĐND"][9] == "-5", byno["05/NQ-HĐND"]
for row in rows[1:]:
    for c in row:
        assert c[:1] not in ("=", "+", "-", "@", "\t", "\r") or c.lstrip("+-").replace(",", "").replace(".", "").isdigit(), (row[0], c)
print("ok", n)
EOF
grep -q '^ok' "$R/csv.out" && pass "export-csv: python3 csv reads $(cut -d' ' -f2 "$R/csv.out") lines, the Appendix IV columns, the statuses" ||
    fail "export-csv" "$(cat "$R/csv.out" "$R/out")"
"$VANBAN" register "$DB" export-csv | cmp -s - "$R/reg.csv" && pass "export-csv to stdout: the same bytes" || fail "export-csv to stdout"

# ---- sharded: reserve, shards with --numbers, confirm -----------------------------------------
SDB=$R/s.db
mkdir -p "$R/in7"
for i in 1 2 3 4 5; do mk "$R/in7/s$i.json" "s$i"; done
mkdir -p "$R/cwd"
(cd "$R/cwd" && "$VANBAN" batch "$R/in7" -t resolution --register "$SDB" --reserve "$R/plan.tsv") >"$R/out" 2>&1; rc=$?
[ $rc = 0 ] && [ "$(grep -vc '^#' "$R/plan.tsv")" = 5 ] && [ -z "$(ls -A "$R/cwd")" ] &&
    pass "--reserve: a plan of 5 numbers, nothing rendered" || fail "--reserve: exit $rc" "$(cat "$R/out")" "$(cat "$R/plan.tsv")"
[ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT group_concat(status) FROM docs").fetchone()[0])' "$SDB")" = "reserved,reserved,reserved,reserved,reserved" ] &&
    pass "--reserve: the register holds them as reserved" || fail "--reserve: not reserved in the register"
cp "$R/plan.tsv" "$R/plan1.tsv"
"$VANBAN" batch "$R/in7" -t resolution --register "$SDB" --reserve "$R/plan.tsv" >/dev/null 2>&1
cmp -s "$R/plan.tsv" "$R/plan1.tsv" && pass "--reserve again: the same plan, no new number" || fail "--reserve again" "$(diff "$R/plan1.tsv" "$R/plan.tsv")"
mv "$SDB" "$R/s-away.db"; [ -e "$SDB-wal" ] && mv "$SDB-wal" "$R/s-away.db-wal"
"$VANBAN" batch "$R/in7" -o "$R/out7" -t resolution --numbers "$R/plan.tsv" --shard 1/2 >"$R/o1" 2>&1 &&
"$VANBAN" batch "$R/in7" -o "$R/out7" -t resolution --numbers "$R/plan.tsv" --shard 2/2 >"$R/o2" 2>&1 &&
    pass "two shards with --numbers and no register: exit 0" || fail "shards with --numbers" "$(cat "$R/o1" "$R/o2")"
got=$(for i in 1 2 3 4 5; do numline "$R/out7/s$i.resolution.pdf"; done | tr '\n' ' ')
want=$(grep -v '^#' "$R/plan.tsv" | cut -f4 | tr '\n' ' ')
[ "$got" = "$want" ] && [ "$got" = "01/NQ-HĐND 02/NQ-HĐND 03/NQ-HĐND 04/NQ-HĐND 05/NQ-HĐND " ] &&
    pass "each shard's documents print the plan's numbers" || fail "shards print the plan's numbers" "got $got" "plan $want"
mk "$R/in7/s6.json" s6
"$VANBAN" batch "$R/in7/s6.json" -o "$R/out7" -t resolution --numbers "$R/plan.tsv" >"$R/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q 'not in the plan' "$R/out" && pass "--numbers: a record the plan lacks: exit 1" || fail "a record the plan lacks: exit $rc" "$(cat "$R/out")"
rm "$R/in7/s6.json"
mv "$R/s-away.db" "$SDB"; [ -e "$R/s-away.db-wal" ] && mv "$R/s-away.db-wal" "$SDB-wal"
"$VANBAN" register "$SDB" confirm "$R/plan.tsv" >"$R/out" 2>&1 &&
    [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT group_concat(DISTINCT status) FROM docs").fetchone()[0])' "$SDB")" = issued ] &&
    pass "confirm: the plan's numbers become issued" || fail "confirm" "$(cat "$R/out")"
"$VANBAN" register "$SDB" confirm "$R/plan.tsv" >/dev/null 2>"$R/err" && pass "confirm twice: harmless, exit 0" ||
    fail "confirm twice" "$(cat "$R/err")"
"$VANBAN" batch "$R/in7" -t resolution --register "$SDB" --reserve "$R/plan2.tsv" >/dev/null 2>&1
[ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT group_concat(DISTINCT status) FROM docs").fetchone()[0])' "$SDB")" = issued ] &&
    cmp -s <(grep -v '^#' "$R/plan.tsv") <(grep -v '^#' "$R/plan2.tsv") &&
    pass "--reserve of documents issued already: the same numbers, still issued" || fail "--reserve of issued documents"
"$VANBAN" register "$SDB" withdraw 05/NQ-HĐND >/dev/null
"$VANBAN" register "$SDB" confirm "$R/plan.tsv" >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "05/NQ-HĐND of record \"s5\" (resolution) is not reserved" "$R/err" &&
    pass "confirm of a withdrawn number: exit 1, names the plan line" || fail "confirm of a withdrawn number: exit $rc" "$(cat "$R/err")"

# ---- bad input ------------------------------------------------------------------------------
echo "just text, not a database" >"$R/text.db"
for act in list init; do
    "$VANBAN" register "$R/text.db" $act >/dev/null 2>"$R/err"; rc=$?
    [ $rc = 1 ] && grep -q "text.db: not a vanban register (not an SQLite database" "$R/err" &&
        pass "$act on a text file: exit 1, not a register" || fail "$act on a text file: exit $rc" "$(cat "$R/err")"
done
"$VANBAN" batch "$R/in1/r1.json" -o "$R/outx" --register "$R/text.db" >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && [ ! -e "$R/outx" ] && grep -q "not a vanban register" "$R/err" && pass "batch --register on a text file: exit 1, nothing written" ||
    fail "batch --register on a text file: exit $rc" "$(cat "$R/err")"
python3 -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("CREATE TABLE t(x)"); db.commit()' "$R/other.db"
"$VANBAN" register "$R/other.db" init >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && grep -q "an SQLite database, but not a vanban register" "$R/err" && pass "another SQLite database: exit 1, not a register" ||
    fail "another SQLite database: exit $rc" "$(cat "$R/err")"
"$VANBAN" register "$R/none.db" list >/dev/null 2>"$R/err"; rc=$?
[ $rc = 1 ] && [ ! -e "$R/none.db" ] && grep -q "no such register" "$R/err" && pass "list of a missing register: exit 1, nothing made" ||
    fail "list of a missing register: exit $rc" "$(cat "$R/err")"
# another writer holds the lock (BEGIN IMMEDIATE, as vanban does) longer than we wait
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(8)
' "$DB" "$R/locked" &
lpid=$!
for _ in $(seq 50); do [ -e "$R/locked" ] && break; sleep 0.1; done
mk "$R/lock.json" locked
t0=$(date +%s%N)
VANBAN_REGISTER_TIMEOUT=400 "$VANBAN" batch "$R/lock.json" -o "$R/outl" -t resolution --register "$DB" >"$R/out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null
[ $rc = 3 ] && grep -q "r.db: the register is locked by another program (waited 400 ms" "$R/out" && [ ! -e "$R/outl/lock.resolution.pdf" ] &&
    pass "a register locked by another writer: exit 3 after the timeout (${ms} ms), says so, nothing written" ||
    fail "a locked register: exit $rc" "$(cat "$R/out")"
mkdir -p "$R/data"; cp -r "$T_ROOT/templates" "$R/data/"
sed -i 's/^series = issuer+year$/series = issuer+month/' "$R/data/templates/state/style"
line=$(grep -n '^series = issuer+month' "$R/data/templates/state/style" | cut -d: -f1)
"$VANBAN" batch "$R/in1/r1.json" -o "$R/outd" -t resolution --register "$R/d.db" --data "$R/data" >"$R/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "templates/state/style:$line: series takes issuer" "$R/out" && pass "a bad series rule: exit 1, file:line" ||
    fail "a bad series rule: exit $rc" "$(cat "$R/out")"
"$VANBAN" batch "$R/in1" --reserve "$R/p.tsv" >/dev/null 2>"$R/err"; rc=$?
[ $rc = 2 ] && grep -q -- "--reserve needs --register" "$R/err" && pass "--reserve without --register: exit 2" || fail "--reserve without --register: exit $rc"

t_done
