#!/usr/bin/env bash
# tests/appendix.sh — appendices (phụ lục, Decree 30 form 2.1; conventions.md
# §6), in PDF and DOCX, both conventions.
#
# The sample samples/anbinh-dautucong-2024-12-20.json (Nghị quyết
# 33/NQ-HĐND) has two: Phụ lục I portrait, Phụ lục II landscape with a
# table of 7 columns.  Its PDF read back (tests/appendix.py, MuPDF): each
# appendix from the top of a page of its own after the signature, the
# label "Phụ lục I"/"Phụ lục II" bold and centred, the title in capitals,
# "(Kèm theo Nghị quyết số 33/NQ-HĐND ngày 20 tháng 12 năm 2024 của Hội
# đồng nhân dân xã An Bình)" italic with a rule under it, the landscape
# page 297 x 210 mm (MediaBox 841.89 x 595.276 pt) with its text inside its
# own margins and its number centred over its own text block;
# placement.py on the whole document.  Variants made here: one appendix
# ("Phụ lục" alone, as the rule files say), a `number` of its own, the
# resolution unnumbered (the blank number form in the reference line), a
# Party resolution with two appendices.  The DOCX: a section a part, the
# landscape one w:orient="landscape" with w and h swapped; it validates
# (../shared/tools/validate-docx, skipped where absent) and LibreOffice
# lays it out on as many pages as our PDF, the landscape page at the same
# place.  Bad input (an appendix without title, an unknown @section) is in
# tests/bad/.
. "$(dirname "$0")/lib.sh"
t_init appendix

REC=samples/anbinh-dautucong-2024-12-20.json
PARTY_SRC=samples/haiphong-2021-12-28.json
SOFFICE=${SOFFICE:-soffice}
VALIDATOR=$T_ROOT/../shared/tools/validate-docx
O=$T_TMP/nq

check "render the PDF" "$VANBAN" render "$REC" -t resolution -o "$O.pdf"
check "render the DOCX" "$VANBAN" render "$REC" -t resolution -o "$O.docx"
check "dump the layout" sh -c '"$1" render "$2" -t resolution --dump layout >"$3"' sh "$VANBAN" "$REC" "$O.layout"
check "dump the model" sh -c '"$1" render "$2" -t resolution --dump model >"$3"' sh "$VANBAN" "$REC" "$O.model"
[ -s "$O.pdf" ] && [ -s "$O.docx" ] || t_done

# the model: a section before each appendix, of the rule file's geometry
secs=$(grep -o '^section [a-z]* [0-9.x]*mm' "$O.model" | tr '\n' ';')
[ "$secs" = "section appendix 210.00x297.00mm;section landscape 297.00x210.00mm;" ] \
    && pass "model: a section appendix, then a section landscape" || fail "model: the two sections" "$secs"
sizes=$(grep -o '^page [0-9]* [0-9.x]*mm' "$O.layout" | tr '\n' ';')
[ "$sizes" = "page 1 210.00x297.00mm;page 2 210.00x297.00mm;page 3 210.00x297.00mm;page 4 297.00x210.00mm;" ] \
    && pass "layout dump: three portrait pages, then a landscape one" || fail "layout dump: the page sizes" "$sizes"

# variants of the record
python3 - "$REC" "$PARTY_SRC" "$T_TMP" <<'EOF' && pass "the variants of the record" || fail "the variants of the record"
import copy, json, sys
src, party_src, out = sys.argv[1:4]
base = json.load(open(src, encoding="utf-8"))
def write(name, r):
    json.dump(r, open("%s/%s.json" % (out, name), "w", encoding="utf-8"), ensure_ascii=False)
r = copy.deepcopy(base); r["resolution"]["appendices"] = r["resolution"]["appendices"][:1]; write("single", r)
r = copy.deepcopy(base); r["resolution"]["appendices"][1]["number"] = "02"; write("own-number", r)
r = copy.deepcopy(base); del r["resolution"]["number"]; write("unnumbered", r)
p = json.load(open(party_src, encoding="utf-8"))
p["resolution"]["appendices"] = copy.deepcopy(base["resolution"]["appendices"])
p["resolution"]["appendices"][0]["title"] = "Chỉ tiêu chủ yếu năm 2022 của Đảng bộ Khối"
write("party", p)
EOF

if T_NEED="the PDF read back" have mutool pdfinfo pdftotext; then
    if out=$(python3 tests/appendix.py "$O.pdf" "$REC" --layout "$O.layout" 2>&1); then
        pass "appendices read back: $(printf '%s' "$out" | tail -1)"
    else
        fail "appendices read back" "$out"
    fi
    if out=$(python3 tests/placement.py "$O.pdf" --convention state --layout "$O.layout" 2>&1); then
        pass "placement.py on the sample: $(printf '%s' "$out" | tail -1)"
    else
        fail "placement.py on the sample" "$(printf '%s' "$out" | grep -E 'FAIL|placement' | head -20)"
    fi
    boxes=$(pdfinfo -f 1 -l 4 -box "$O.pdf" | sed -n 's/^Page *\([0-9]*\) MediaBox: *//p' | tr -s ' ' | tr '\n' ';')
    [ "$boxes" = "0.00 0.00 595.28 841.89;0.00 0.00 595.28 841.89;0.00 0.00 595.28 841.89;0.00 0.00 841.89 595.28;" ] \
        && pass "PDF: page 4's MediaBox is 842 x 595 pt, the others 595 x 842" || fail "PDF: the MediaBoxes" "$boxes"
    for v in single own-number unnumbered party; do
        conv=state; [ $v = party ] && conv=party
        if "$VANBAN" render "$T_TMP/$v.json" -t resolution -o "$T_TMP/$v.pdf" 2>"$T_TMP/$v.err" &&
           "$VANBAN" render "$T_TMP/$v.json" -t resolution --dump layout >"$T_TMP/$v.layout" 2>>"$T_TMP/$v.err"; then
            if out=$(python3 tests/appendix.py "$T_TMP/$v.pdf" "$T_TMP/$v.json" --layout "$T_TMP/$v.layout" 2>&1); then
                pass "$v: appendices read back: $(printf '%s' "$out" | tail -1)"
            else
                fail "$v: appendices read back" "$out"
            fi
            if out=$(python3 tests/placement.py "$T_TMP/$v.pdf" --convention $conv --layout "$T_TMP/$v.layout" 2>&1); then
                pass "$v: placement.py"
            else
                fail "$v: placement.py" "$(printf '%s' "$out" | grep -E 'FAIL|placement' | head -10)"
            fi
        else
            fail "$v: renders" "$(cat "$T_TMP/$v.err")"
        fi
    done
    # the blank number: as on the number line, room for the number by hand
    if [ -s "$T_TMP/unnumbered.pdf" ]; then
        if python3 tests/blank-number.py "$T_TMP/unnumbered.pdf" /NQ-HĐND >"$T_TMP/bn.out" 2>&1; then
            pass "unnumbered: the number line keeps its blank"
        else
            fail "unnumbered: the number line keeps its blank" "$(cat "$T_TMP/bn.out")"
        fi
    fi
    # the reference line of an unnumbered resolution keeps the blank of the
    # number line (12 no-break spaces) before "/NQ-HĐND"
    if "$VANBAN" render "$T_TMP/unnumbered.json" -t resolution --dump model 2>/dev/null |
           grep -q '^appendix_ref: "(Kèm theo Nghị quyết số            /NQ-HĐND ngày 20 tháng 12 năm 2024 của'; then
        pass "unnumbered: the reference line keeps the blank for the number"
    else
        fail "unnumbered: the reference line keeps the blank for the number" \
            "$("$VANBAN" render "$T_TMP/unnumbered.json" -t resolution --dump model 2>&1 | grep appendix_ref | head -1)"
    fi
    t1=$(pdftotext -f 3 -l 3 -layout "$T_TMP/single.pdf" - 2>/dev/null | grep -c 'Phụ lục I')
    [ "$t1" = 0 ] && pass "single: no Roman number after 'Phụ lục'" || fail "single: no Roman number after 'Phụ lục'"
fi

if T_NEED="the DOCX's XML" have unzip; then
    xml=$(unzip -p "$O.docx" word/document.xml)
    secs=$(printf '%s' "$xml" | grep -o '<w:sectPr>.*\?</w:sectPr>' | grep -o '<w:pgSz [^>]*>' | tr '\n' ';')
    want='<w:pgSz w:w="11906" w:h="16838"/>;<w:pgSz w:w="11906" w:h="16838"/>;<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>;'
    [ "$secs" = "$want" ] && pass "DOCX: three sections, the last landscape with w and h swapped" \
        || fail "DOCX: three sections, the last landscape" "$secs"
    n=$(printf '%s' "$xml" | grep -o '<w:pPr><w:spacing[^>]*/><w:rPr>[^/]*/><[^/]*/></w:rPr><w:sectPr>' | wc -l)
    [ "$n" = 2 ] && pass "DOCX: the first two sections end in a paragraph that carries their w:sectPr" \
        || fail "DOCX: the first two sections end in a paragraph that carries their w:sectPr" "$n"
    [ "$(printf '%s' "$xml" | grep -o '<w:titlePg/>' | wc -l)" = 1 ] \
        && pass "DOCX: only the first section hides its first page's number (w:titlePg)" \
        || fail "DOCX: only the first section hides its first page's number"
    [ "$(printf '%s' "$xml" | grep -o '<w:pgNumType w:start="1"/>' | wc -l)" = 1 ] \
        && pass "DOCX: page numbers run on through the sections" || fail "DOCX: page numbers run on through the sections"
fi
if [ ! -x "$VALIDATOR" ]; then
    skip "schema check: ../shared/tools/validate-docx is not there"
elif T_NEED="schema validation" have jing xmllint unzip; then
    check "DOCX validates (validate-docx)" "$VALIDATOR" "$O.docx"
fi

if T_NEED="LibreOffice's rendering" have "$SOFFICE" pdfinfo pdftotext; then
    if log=$(timeout 300 "$SOFFICE" -env:UserInstallation=file://"$T_TMP/lo-profile" --headless \
                 --convert-to pdf --outdir "$T_TMP/lo" "$O.docx" 2>&1) && [ -s "$T_TMP/lo/nq.pdf" ]; then
        pass "LibreOffice converts the DOCX"
        sizes() { pdfinfo -f 1 -l 99 "$1" | sed -n 's/^Page *[0-9]* size: *\([0-9]*\)[.0-9]* x \([0-9]*\).*/\1x\2/p' | tr '\n' ' '; }
        a=$(sizes "$O.pdf") b=$(sizes "$T_TMP/lo/nq.pdf")
        [ "$a" = "$b" ] && pass "LibreOffice: as many pages as ours, the landscape one at the same place ($a)" \
            || fail "LibreOffice: the same pages as ours" "ours $a" "LibreOffice $b"
        for p in 3 4; do
            want="Phụ lục I"; [ $p = 4 ] && want="Phụ lục II"
            first=$(pdftotext -f $p -l $p -layout "$T_TMP/lo/nq.pdf" - | grep -v '^ *[0-9]* *$' | head -1 | sed 's/^ *//; s/ *$//')
            [ "$first" = "$want" ] && pass "LibreOffice page $p opens with '$want'" \
                || fail "LibreOffice page $p opens with '$want'" "got '$first'"
        done
        if T_NEED="LibreOffice's rendering read back" have mutool; then
            if out=$(python3 tests/appendix.py "$T_TMP/lo/nq.pdf" "$REC" 2>&1); then
                pass "LibreOffice's rendering: appendices read back: $(printf '%s' "$out" | tail -1)"
            else
                fail "LibreOffice's rendering: appendices read back" "$out"
            fi
        fi
    else
        fail "LibreOffice converts the DOCX" "$log"
    fi
fi

t_done
