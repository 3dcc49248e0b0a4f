#!/usr/bin/env bash
# tests/table.sh — table blocks end to end, on the budget table of
# samples/anbinh-hdnd-2024-12-20.json (40 rows over two pages), read back
# by readers that are not ours:
#   pdf        the header row opens both pages of the table (pdftotext);
#              numbers printed the Vietnamese way, totals bold (mutool
#              stext); vertical and horizontal strokes (mutool trace);
#              every cell's text inside its cell, every row boxed, no row
#              past the foot, the header repeated (tests/placement.py
#              --only tables, on the PDF and on the layout dump)
#   docx       a real w:tbl: a w:tblGrid of 4 columns, w:tblHeader on the two
#              header rows only, w:cantSplit on every row, single ½ pt
#              borders; ../shared/tools/validate-docx
#   libreoffice  its rendering of the DOCX has the header row at the top
#              of the table on both pages, and the same rows on each page
#              as our PDF
# A missing tool is a visible skip, a failure under CI=true.
. "$(dirname "$0")/lib.sh"
t_init table

REC=samples/anbinh-hdnd-2024-12-20.json
SOFFICE=${SOFFICE:-soffice}
VALIDATOR=$T_ROOT/../shared/tools/validate-docx
O=$T_TMP/nq
HEAD_RE='^ *STT +Nội dung chi +Dự toán năm +Tỷ trọng'

check "render the PDF" "$VANBAN" render "$REC" -t resolution -o "$O.pdf"
check "render the DOCX" "$VANBAN" render "$REC" -t resolution -o "$O.docx"
check "dump the layout" sh -c '"$1" render "$2" -t resolution --dump layout >"$3"' sh "$VANBAN" "$REC" "$O.layout"
[ -s "$O.pdf" ] && [ -s "$O.docx" ] || t_done

# rows of the table on each page of a PDF, as pdftotext -layout lays them:
# the lines that start with a row number (1, 2…, I, II…)
rows_per_page() {   # PDF PAGES
    local p
    for p in $(seq 1 "$2"); do
        pdftotext -f "$p" -l "$p" -layout "$1" - 2>/dev/null | grep -cE '^ *([0-9]+|[IVX]+) {2,}[^ ]' || true
    done | tr '\n' ' '
}

if T_NEED="the PDF read back" have pdftotext pdfinfo; then
    pages=$(pdfinfo "$O.pdf" | sed -n 's/^Pages: *//p')
    [ "$pages" = 3 ] && pass "the resolution has 3 pages" || fail "the resolution has 3 pages" "got $pages"
    for p in 1 2; do
        if pdftotext -f $p -l $p -layout "$O.pdf" - | grep -qE "$HEAD_RE"; then
            pass "PDF page $p: the table's header row"
        else
            fail "PDF page $p: the table's header row" "$(pdftotext -f $p -l $p -layout "$O.pdf" - | head -5)"
        fi
    done
    n=$(pdftotext -f 3 -l 3 -layout "$O.pdf" - | grep -cE "$HEAD_RE")
    [ "$n" = 0 ] && pass "PDF page 3 (after the table): no header row" || fail "PDF page 3: no header row" "$n"
    txt=$(pdftotext -layout "$O.pdf" -)
    for want in "4.710.000.000" "2.418.600.000" "13.695.900.000" "34,39" "15,70" "100,00"; do
        case $txt in *"$want"*) pass "number printed as $want" ;; *) fail "number printed as $want" ;; esac
    done
    case $txt in *4710000000*|*34.39*) fail "no number printed as in JSON" ;; *) pass "no number printed as in JSON" ;; esac
    rows=$(rows_per_page "$O.pdf" 2)
    set -- $rows
    [ $(( ${1:-0} + ${2:-0} )) = 40 ] && [ "${1:-0}" -gt 0 ] && pass "PDF: the 40 rows over pages 1 and 2 ($rows)" \
        || fail "PDF: the 40 rows over pages 1 and 2" "$rows"
fi

if T_NEED="strokes and fonts read back" have mutool; then
    trace=$(mutool draw -F trace -o - "$O.pdf" 2>/dev/null)
    v=$(printf '%s\n' "$trace" | python3 -c '
import sys, re, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
for page in root.iter("page"):
    n = 0
    for sp in page.iter("stroke_path"):
        pts = [(float(p.get("x")), float(p.get("y"))) for p in sp if p.tag in ("moveto", "lineto")]
        n += sum(1 for a, b in zip(pts, pts[1:]) if abs(a[0] - b[0]) < 0.01 and abs(a[1] - b[1]) > 1)
    print(n, end=" ")')
    set -- $v
    # 5 borders a row (4 columns): the 2 header rows and 7 rows on page 1,
    # the header rows again and 33 rows and the totals on page 2
    [ "${1:-0}" = 45 ] && [ "${2:-0}" = 180 ] && [ "${3:-1}" = 0 ] \
        && pass "vertical strokes on the table's pages only ($v)" || fail "vertical strokes on the table's pages only" "$v"
    lw=$(printf '%s\n' "$trace" | grep -o 'linewidth="[^"]*"' | sort -u | tr '\n' ' ')
    case $lw in *'linewidth="0.5"'*|*'linewidth=".5"'*) pass "strokes 0.5 pt wide" ;; *) fail "strokes 0.5 pt wide" "$lw" ;; esac
    # the totals row is bold: its label and its number in a bold face
    bold=$(mutool draw -F stext -o - "$O.pdf" 2>/dev/null | python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
for line in root.iter("line"):
    for font in line.iter("font"):
        t = "".join(c.get("c", "") for c in font.iter("char"))
        if "Tổng chi ngân sách xã" in t or "13.695.900.000" in t:
            print(font.get("name"), t.strip(), sep=": ")')
    if printf '%s\n' "$bold" | grep -q 'Bold: Tổng chi ngân sách xã' && printf '%s\n' "$bold" | grep -q 'Bold: 13.695.900.000'; then
        pass "the totals row is bold"
    else
        fail "the totals row is bold" "$bold"
    fi
    if out=$(python3 tests/placement.py "$O.pdf" --convention state --layout "$O.layout" --only tables,rules 2>&1); then
        pass "placement: cells inside their cells, rows boxed and whole, header repeated ($(printf '%s' "$out" | tail -1))"
    else
        fail "placement of the table" "$out"
    fi
fi

# ---- DOCX ------------------------------------------------------------------
if T_NEED="the DOCX's XML" have unzip; then
    xml=$(unzip -p "$O.docx" word/document.xml)
    count() { printf '%s' "$xml" | grep -o "$1" | wc -l; }
    [ "$(count '<w:tblBorders><w:top w:val="single"')" = 1 ] && pass "DOCX: one ruled table" \
        || fail "DOCX: one ruled table" "$(count '<w:tblBorders><w:top w:val="single"')"
    grid=$(printf '%s' "$xml" | grep -o '<w:tblGrid>.*</w:tblGrid>' | grep -o '<w:gridCol ' | wc -l)
    # the header and signature rows are tables too: theirs have 1 to 3 columns
    printf '%s' "$xml" | grep -q '<w:tblGrid>\(<w:gridCol w:w="[0-9]*"/>\)\{4\}</w:tblGrid>' \
        && pass "DOCX: a grid of 4 columns" || fail "DOCX: a grid of 4 columns" "$grid gridCol in all"
    [ "$(count '<w:tblHeader/>')" = 2 ] && pass "DOCX: w:tblHeader on the 2 header rows" \
        || fail "DOCX: w:tblHeader on the 2 header rows" "$(count '<w:tblHeader/>')"
    # the ruled table: 2 header rows, 40 rows, 1 total, none split
    tbl=$(printf '%s' "$xml" | grep -o '<w:tbl><w:tblPr><w:tblW[^>]*><w:tblInd[^>]*><w:tblBorders><w:top w:val="single".*' | sed 's|</w:tbl>.*||')
    a=$(printf '%s' "$tbl" | grep -o '<w:tr>' | wc -l) b=$(printf '%s' "$tbl" | grep -o '<w:tr><w:trPr><w:cantSplit/>' | wc -l)
    [ "$a" = 43 ] && [ "$b" = 43 ] && pass "DOCX: 43 rows, w:cantSplit on every one" \
        || fail "DOCX: 43 rows, w:cantSplit on every one" "$a rows, $b cantSplit"
    [ "$(count '<w:insideV w:val="single" w:sz="4"')" = 1 ] && pass "DOCX: single ½ pt borders (sz 4)" \
        || fail "DOCX: single ½ pt borders (sz 4)"
    printf '%s' "$xml" | grep -q '<w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">4.710.000.000' \
        && pass "DOCX: numbers right-aligned" || fail "DOCX: numbers right-aligned"
fi
if [ ! -x "$VALIDATOR" ]; then
    skip "schema check: ../shared/tools/validate-docx is not there"
elif T_NEED="schema validation" have jing xmllint unzip; then
    check "DOCX validates (validate-docx)" "$VALIDATOR" "$O.docx"
fi

# ---- LibreOffice's rendering of the DOCX ------------------------------------
if T_NEED="LibreOffice's rendering" have "$SOFFICE" pdftotext; then
    if log=$(timeout 300 "$SOFFICE" -env:UserInstallation=file://"$T_TMP/lo-profile" --headless \
                 --convert-to pdf --outdir "$T_TMP/lo" "$O.docx" 2>&1) && [ -s "$T_TMP/lo/nq.pdf" ]; then
        pass "LibreOffice converts the DOCX"
        for p in 1 2; do
            if pdftotext -f $p -l $p -layout "$T_TMP/lo/nq.pdf" - | grep -qE "$HEAD_RE"; then
                pass "LibreOffice page $p: the table's header row (w:tblHeader repeated)"
            else
                fail "LibreOffice page $p: the table's header row" "$(pdftotext -f $p -l $p -layout "$T_TMP/lo/nq.pdf" - | head -5)"
            fi
        done
        a=$(rows_per_page "$O.pdf" 2) b=$(rows_per_page "$T_TMP/lo/nq.pdf" 2)
        [ "$a" = "$b" ] && pass "LibreOffice breaks the table where our PDF does (rows a page: $a)" \
            || fail "LibreOffice breaks the table where our PDF does" "ours $a, LibreOffice $b"
    else
        fail "LibreOffice converts the DOCX" "$log"
    fi
fi

t_done
