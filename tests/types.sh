#!/usr/bin/env bash
# tests/types.sh — document types as data (templates/README.md, "Document
# types"): `vanban types` lists each type with its title, abbreviation and
# condition; a new type with fields of its own, added as files in a copy
# of templates/ (--data), is read by the record reader, checked, rendered
# as PDF and DOCX, and made by `check` and `batch` exactly for the records
# that hold it.  Ends "types: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init types

export SOURCE_DATE_EPOCH=1700000000
SAMPLE=samples/haiphong-2021-12-28.json

# ---- vanban types on the repository's data ----
"$VANBAN" types >"$T_TMP/types" 2>&1
rc=$?
[ $rc = 0 ] && pass "vanban types exits 0" || fail "vanban types exits 0" "got $rc: $(head -3 "$T_TMP/types")"
# the shipped types: exactly the type files of each convention
shipped() { for f in templates/$1/*.type; do f=${f##*/}; echo "${f%.type}"; done | LC_ALL=C sort | tr '\n' ' '; }
party=$(shipped party) state=$(shipped state)
for want in "party: ${party% }" "state: ${state% }" \
            "  notice       THÔNG BÁO     TB    when the record has notice" \
            "  minutes      BIÊN BẢN      BB    when the record has meeting" \
            "  resolution   NGHỊ QUYẾT    NQ    when the record has resolution"; do
    grep -qxF -- "$want" "$T_TMP/types" && pass "vanban types: $want" ||
        fail "vanban types has the line: $want" "$(cat "$T_TMP/types")"
done

# ---- a new type, as files only ----
D=$T_TMP/data
mkdir -p "$D" && cp -r templates "$D/" || { fail "copy templates/"; t_done; }
cat >"$D/templates/parts/program.fields" <<'EOF'
# A programme (chương trình, CTr): a type the repository does not ship, with a part of its own.
program  object | Chương trình | The programme.
program.number  int:1..999999999 | Số | Its number.
program.date  date  required | Ngày | Its date.
program.subject  text  required | Trích yếu | What it is about.
program.points  list  nonempty required | Nội dung | The tasks.
program.points.*  text | Nhiệm vụ
program.signer  text  required | Người ký | Who signs.
EOF
cat >"$D/templates/party/program.type" <<'EOF'
name = program
title = CHƯƠNG TRÌNH
abbr = CTr
part = program
holds = program
template = program.tpl
EOF
cat >"$D/templates/party/program.tpl" <<'EOF'
@row header
@cell left
issuer: {{issuer.name}}
star: *
@cell right
title: Đảng Cộng sản Việt Nam
@end
@row header
@cell left
number: {{program.number|docnum:CTr}}
@cell right
date_line: {{place}}, {{program.date|date}}
@end
type_name: Chương trình
summary: {{program.subject}}
@each p in program.points
body: {{p}}
@end
@row signature
@cell left
recipients_title: Nơi nhận:
@cell right
sig_name: {{program.signer}}
@end
EOF
python3 - "$SAMPLE" "$T_TMP/with.json" "$T_TMP/bad.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["id"] = "with-program"
r["program"] = {"number": 7, "date": "2021-12-30", "subject": "thực hiện Nghị quyết Hội nghị lần thứ Bảy",
               "points": ["Thống nhất đánh giá kết quả năm 2021.", "Giao Văn phòng theo dõi."],
               "signer": "Đỗ Quang Khoa"}
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
only = {k: r[k] for k in ("convention", "issuer", "place", "program")}
only["id"] = "only-program"
json.dump(only, open(sys.argv[2].replace("with.json", "only.json"), "w", encoding="utf-8"), ensure_ascii=False)
r["program"]["date"] = "30/12/2021"
del r["program"]["subject"]
json.dump(r, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
EOF

"$VANBAN" types --data "$D" >"$T_TMP/types2" 2>&1
# the repository's list with the new type in its place (names sorted)
party=$(sed -n 's/^party: //p' "$T_TMP/types" | tr ' ' '\n' | { cat; echo program; } | LC_ALL=C sort | tr '\n' ' ')
grep -qxF "party: ${party% }" "$T_TMP/types2" &&
grep -qxF "  program      CHƯƠNG TRÌNH  CTr   when the record has program" "$T_TMP/types2" &&
grep -qxF "$(grep '^state: ' "$T_TMP/types")" "$T_TMP/types2" &&
    pass "vanban types --data lists the new type, in its convention only" ||
    fail "vanban types --data lists the new type" "$(cat "$T_TMP/types2")"

for fmt in pdf docx; do
    out=$T_TMP/program.$fmt
    "$VANBAN" render "$T_TMP/with.json" -t program -o "$out" --data "$D" 2>"$T_TMP/err"
    rc=$?
    [ $rc = 0 ] && [ -s "$out" ] && pass "render the new type as $fmt" ||
        fail "render the new type as $fmt" "exit $rc: $(head -3 "$T_TMP/err")"
done
head -c 5 "$T_TMP/program.pdf" | grep -q '%PDF-' && pass "the new type's PDF is a PDF" || fail "the new type's PDF is a PDF"
if have pdftotext; then
    txt=$(pdftotext -raw "$T_TMP/program.pdf" - 2>/dev/null)
    for want in "Số 07-CTr/ĐUK" "ngày 30 tháng 12 năm 2021" "thực hiện Nghị quyết Hội nghị lần thứ Bảy" \
                "Giao Văn phòng theo dõi." "Đỗ Quang Khoa"; do
        case $txt in *"$want"*) pass "the new type's PDF reads its own field: $want" ;;
                     *) fail "the new type's PDF has: $want" "$txt" ;; esac
    done
fi
if python3 -c 'import zipfile,sys; t=zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode(); sys.exit(0 if "CTr/ĐUK" in t and "Giao Văn phòng theo dõi." in t and "Đỗ Quang Khoa" in t else 1)' "$T_TMP/program.docx"; then
    pass "the new type's DOCX holds its own fields"
else fail "the new type's DOCX holds its number, points and signer"; fi

# check and batch: exactly the documents each record holds: the sample's
# (as vanban check lists them without --data) and, in with.json, the notice
holds=$("$VANBAN" check "$SAMPLE" | sed -n 's/.*: ok (\(.*\))$/\1/p' | sed 's/, /\n/g')
holds_with=$( { printf '%s\n' "$holds"; echo notice; } | sort | paste -sd, | sed 's/,/, /g')
"$VANBAN" check "$T_TMP/with.json" "$SAMPLE" --data "$D" >"$T_TMP/check" 2>"$T_TMP/err"
rc=$?
# the sample holds what `vanban check` lists for it; with.json that and the new type
holds=$("$VANBAN" check "$SAMPLE" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/\1/p')
with=$(printf '%s\n' $(echo "$holds" | tr -d ,) program | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
[ $rc = 0 ] && [ -n "$holds" ] && grep -qxF "$T_TMP/with.json: ok ($with)" "$T_TMP/check" &&
grep -qxF "$SAMPLE: ok ($holds)" "$T_TMP/check" &&
    pass "check --data: the program where the record holds one, no error where it does not" ||
    fail "check --data lists what each record holds" "exit $rc: $(cat "$T_TMP/check" "$T_TMP/err")"
"$VANBAN" check "$T_TMP/only.json" --data "$D" >"$T_TMP/check" 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && grep -qxF "$T_TMP/only.json: ok (program)" "$T_TMP/check" &&
    pass "a record holding only the new type is a record" ||
    fail "a record holding only the new type: check ok (program)" "exit $rc: $(cat "$T_TMP/check" "$T_TMP/err")"
"$VANBAN" check "$T_TMP/only.json" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qE "^$T_TMP/only.json: /: record (has no|has neither|holds no document)" "$T_TMP/err" &&
    pass "without the type's files it holds nothing: the message names the conditions" ||
    fail "without the type's files only.json holds nothing" "exit $rc: $(head -3 "$T_TMP/err")"
mkdir -p "$T_TMP/out"
"$VANBAN" batch "$T_TMP/with.json" "$SAMPLE" -o "$T_TMP/out" -f pdf,docx --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
got=$(files_left "$T_TMP/out" | tr '\n' ' ')
want=$(for t in $(echo "$holds" | tr -d ,); do for f in docx pdf; do echo "haiphong-2021-12-28.$t.$f"; done; done
       for t in $(echo "$with" | tr -d ,); do for f in docx pdf; do echo "with-program.$t.$f"; done; done)
want=$(echo "$want" | LC_ALL=C sort | tr '\n' ' ')
[ $rc = 0 ] && [ "$got" = "$want" ] && pass "batch --data: the documents each record holds, no more" ||
    fail "batch --data makes the documents each record holds" "exit $rc, got: $got" "$(head -3 "$T_TMP/err")"
cmp -s "$T_TMP/out/with-program.program.pdf" "$T_TMP/program.pdf" &&
cmp -s "$T_TMP/out/with-program.program.docx" "$T_TMP/program.docx" &&
    pass "batch and render give the same bytes for the new type" ||
    fail "batch and render give the same bytes for the new type"

# the two rules that were C are data too: a part that needs another
# (needs:PART, as the minutes need the meeting) and a default by convention
# (default[CONV], the unit of the minutes' counts)
cp "$D/templates/parts/program.fields" "$T_TMP/program.fields"
sed -i 's/^program  object /program  object  needs:meeting /' "$D/templates/parts/program.fields"
"$VANBAN" check "$T_TMP/only.json" --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qxF "$T_TMP/only.json: /program: program needs the meeting block" "$T_TMP/err" &&
    pass "needs:meeting in the new part: a record with it but no meeting is exit 1, naming both" ||
    fail "needs:meeting: only.json is exit 1 with /program: program needs the meeting block" "exit $rc: $(head -3 "$T_TMP/err")"
"$VANBAN" check "$T_TMP/with.json" --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && pass "needs:meeting: a record with the meeting is fine" ||
    fail "needs:meeting: with.json (which has a meeting) is fine" "exit $rc: $(head -3 "$T_TMP/err")"
cp "$T_TMP/program.fields" "$D/templates/parts/program.fields"
# the minutes without the meeting: the same rule, from templates/parts/minutes.fields
python3 -c 'import json,sys; r=json.load(open(sys.argv[1],encoding="utf-8")); r["minutes"]={}; json.dump(r,open(sys.argv[2],"w",encoding="utf-8"),ensure_ascii=False)' \
    "$T_TMP/only.json" "$T_TMP/nomeeting.json"
"$VANBAN" check "$T_TMP/nomeeting.json" --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qxF "$T_TMP/nomeeting.json: /minutes: minutes need the meeting block" "$T_TMP/err" &&
    pass "the minutes without a meeting: exit 1, the message of before" ||
    fail "minutes without a meeting: /minutes: minutes need the meeting block" "exit $rc: $(head -3 "$T_TMP/err")"
sed -i 's/^minutes  object  needs:meeting /minutes  object /' "$D/templates/parts/minutes.fields"
"$VANBAN" check "$T_TMP/nomeeting.json" --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && pass "without needs:meeting in minutes.fields, minutes without a meeting are no error" ||
    fail "without needs:meeting, nomeeting.json passes check" "exit $rc: $(head -3 "$T_TMP/err")"
cp templates/parts/minutes.fields "$D/templates/parts/minutes.fields"
unit_line() { "$VANBAN" render "$1" -t minutes --dump model "${@:2}" 2>&1 | grep -m1 '^body: "Tổng số: '; }
sed -i 's/^meeting\.members\.unit  default\[party\] = .*/meeting.members.unit  default[party] = đảng viên/' "$D/templates/core.fields"
got=$(unit_line "$SAMPLE" --data "$D")
[ "$got" = 'body: "Tổng số: 35 đảng viên; có mặt: 33 đảng viên; vắng mặt: 2 đảng viên."' ] &&
[ "$(unit_line "$SAMPLE")" = 'body: "Tổng số: 35 đồng chí; có mặt: 33 đồng chí; vắng mặt: 2 đồng chí."' ] &&
    pass "default[party] of meeting.members.unit changed in core.fields: the minutes count đảng viên" ||
    fail "a changed default[party] unit shows in the minutes" "got: $got" "repository: $(unit_line "$SAMPLE")"
sed -i 's/^meeting\.members\.unit  default\[party\] = .*//' "$D/templates/core.fields"
got=$(unit_line "$SAMPLE" --data "$D")
[ "$got" = 'body: "Tổng số: 35 ; có mặt: 33 ; vắng mặt: 2 ."' ] &&
    pass "without a default[party] line, a Party record's unit is absent" ||
    fail "without default[party], the unit is absent" "got: $got"
cp templates/core.fields "$D/templates/core.fields"

# a record that does not hold it; a record with mistakes in its part
"$VANBAN" render "$SAMPLE" -t program -o "$T_TMP/no.pdf" --data "$D" 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qF "$SAMPLE: this record has no \"program\"; it holds no program" "$T_TMP/err" && [ ! -e "$T_TMP/no.pdf" ] &&
    pass "-t program on a record without one: exit 1, naming what is missing" ||
    fail "-t program on a record without one: exit 1 naming program" "exit $rc: $(head -3 "$T_TMP/err")"
"$VANBAN" check "$T_TMP/bad.json" --data "$D" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qxF "$T_TMP/bad.json: /program/date: expected YYYY-MM-DD, got \"30/12/2021\"" "$T_TMP/err" &&
grep -qxF "$T_TMP/bad.json: /program/subject: required field is missing" "$T_TMP/err" &&
    pass "the new part's fields are checked by the record reader" ||
    fail "the new part's fields are checked" "exit $rc: $(head -5 "$T_TMP/err")"
"$VANBAN" check "$T_TMP/with.json" >/dev/null 2>"$T_TMP/err"
rc=$?
[ $rc = 0 ] && grep -qxF "warning: $T_TMP/with.json: /program: unknown field, ignored" "$T_TMP/err" &&
    pass "without the type's files, its part is an unknown field (a warning)" ||
    fail "without the type's files, program is an unknown field" "exit $rc: $(head -3 "$T_TMP/err")"

# the new type's template is checked against its part at load
sed -i 's/{{program.subject}}/{{program.subjet}}/' "$D/templates/party/program.tpl"
"$VANBAN" render "$T_TMP/with.json" -t program -o "$T_TMP/x.pdf" --data "$D" 2>"$T_TMP/err"
rc=$?
[ $rc = 1 ] && grep -qF "$D/templates/party/program.tpl:15:12: unknown field \"program.subjet\" (not in the record format)" "$T_TMP/err" &&
    pass "a template path outside the type's part fails at load" ||
    fail "a template path outside the type's part fails at load" "exit $rc: $(head -3 "$T_TMP/err")"

# a template alone (the way types were added before) is not a type, and
# the message says what is missing
rm "$D/templates/party/program.type"
"$VANBAN" render "$T_TMP/with.json" -t program -o "$T_TMP/x.pdf" --data "$D" 2>"$T_TMP/err"
rc=$?
[ $rc = 2 ] && grep -qxF "$D/templates/party/program.tpl: a template without program.type beside it is not a document type (templates/README.md, \"Document types\")" "$T_TMP/err" &&
    pass "a template without its .type: exit 2, naming the missing file" ||
    fail "a template without its .type: exit 2 naming program.type" "exit $rc: $(head -3 "$T_TMP/err")"

# a mistake in a type folder stops check, batch and types too: exit 1,
# the file:line message, nothing written (render: tests/bad/)
for c in type-template-missing type-holds-unknown type-abbr-twice fields-unknown-type fields-twice \
         fields-needs-unknown fields-default-convention; do
    bd=tests/bad-data/data-$c
    want=$(sed -n 2p "tests/bad/$c.expect")
    o=$T_TMP/bad-$c
    "$VANBAN" check "$SAMPLE" --data "$bd" >/dev/null 2>"$T_TMP/e1"; r1=$?
    "$VANBAN" batch "$SAMPLE" -o "$o" --data "$bd" >/dev/null 2>"$T_TMP/e2"; r2=$?
    "$VANBAN" types --data "$bd" >/dev/null 2>"$T_TMP/e3"; r3=$?
    if [ "$r1$r2$r3" = 111 ] && grep -qxF -- "$want" "$T_TMP/e1" && grep -qF -- "$want" "$T_TMP/e2" &&
       grep -qxF -- "$want" "$T_TMP/e3" && [ -z "$(ls -A "$o" 2>/dev/null)" ]; then
        pass "$c: check, batch and types exit 1 with the file:line message, nothing written"
    else
        fail "$c: check, batch and types exit 1 with: $want" "exits $r1 $r2 $r3" "$(head -2 "$T_TMP/e1" "$T_TMP/e2" "$T_TMP/e3")"
    fi
done

t_done
