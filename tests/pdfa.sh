#!/usr/bin/env bash
# tests/pdfa.sh — `--pdfa` (PDF/A-2b, docs/pdfa.md): every sample as every
# type it holds, rendered and batched with --pdfa, passes the structural
# checks of tests/pdfa.py (qpdf's JSON, fontTools, Ghostscript); output is
# deterministic; a missing or wrong ICC profile and misused options are
# refused with their exit codes and no output.  Then the checks themselves
# are shown to fail: each is run on a copy of a good file broken in the
# one place it looks at.  Ends "pdfa: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init pdfa

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ICC=/usr/share/color/icc/sRGB.icc      # render/backend.h VB_SRGB_ICC
OUT=$T_TMP/out
mkdir -p "$OUT"
unset SOURCE_DATE_EPOCH

T_NEED="the PDF/A checks" have qpdf gs || t_done
if ! "$PY" -c 'import fontTools' 2>/dev/null; then
    skip "fontTools is not installed for $PY (apt-get install python3-fonttools): PDF/A checks skipped"
    t_done
fi
if [ ! -r "$ICC" ]; then
    skip "$ICC is not installed (apt-get install icc-profiles-free): PDF/A checks skipped"
    t_done
fi

checks() {    # WHAT FILE: tests/pdfa.py passes on FILE
    local out
    if out=$("$PY" tests/pdfa.py "$2" 2>&1); then pass "$1"; else fail "$1" "$out"; fi
}

# ---- every sample, every type it holds -------------------------------------
GOOD=
for rec in samples/*.json; do
    name=$(basename "$rec" .json)
    types=$("$VANBAN" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr -d ',')
    [ -n "$types" ] || { fail "$rec: vanban check lists the types it holds"; continue; }
    for t in $types; do
        pdf=$OUT/$name.$t.pdf
        if ! err=$("$VANBAN" render "$rec" -t "$t" --pdfa -o "$pdf" 2>&1); then
            fail "$name $t: render --pdfa" "$err"
            continue
        fi
        checks "$name $t: PDF/A-2b structure" "$pdf"
        check "$name $t: qpdf --check" qpdf --check "$pdf"
        [ -n "$GOOD" ] || GOOD=$pdf
        # the same document without --pdfa differs only by what PDF/A adds:
        # the same pages, in the same numbers of objects less two
        "$VANBAN" render "$rec" -t "$t" -o "$OUT/plain.pdf" 2>/dev/null
        a=$(qpdf --show-npages "$pdf") b=$(qpdf --show-npages "$OUT/plain.pdf")
        [ "$a" = "$b" ] && pass "$name $t: --pdfa keeps the $a pages" ||
            fail "$name $t: --pdfa keeps the pages" "pdfa $a, plain $b"
    done
done
[ -n "$GOOD" ] || { fail "at least one PDF/A file was made"; t_done; }

# ---- without --pdfa: what it was ---------------------------------------------
rec=samples/haiphong-2021-12-28.json
"$VANBAN" render "$rec" -t resolution -o "$OUT/plain.pdf"
if head -c 9 "$OUT/plain.pdf" | grep -q '^%PDF-1.4' && ! grep -aq '/Metadata\|/OutputIntents' "$OUT/plain.pdf"; then
    pass "without --pdfa: %PDF-1.4, no metadata stream, no OutputIntent"
else
    fail "without --pdfa: %PDF-1.4, no metadata stream, no OutputIntent"
fi

# ---- determinism ---------------------------------------------------------------
"$VANBAN" render "$rec" -t resolution --pdfa -o "$OUT/d1.pdf"
TZ=Asia/Ho_Chi_Minh "$VANBAN" render "$rec" -t resolution --pdfa -o "$OUT/d2.pdf"
check "--pdfa twice (another TZ): byte-identical" cmp "$OUT/d1.pdf" "$OUT/d2.pdf"
SOURCE_DATE_EPOCH=1700000000 "$VANBAN" render "$rec" -t resolution --pdfa -o "$OUT/s1.pdf"
SOURCE_DATE_EPOCH=1700000000 "$VANBAN" render "$rec" -t resolution --pdfa -o "$OUT/s2.pdf"
check "--pdfa with SOURCE_DATE_EPOCH twice: byte-identical" cmp "$OUT/s1.pdf" "$OUT/s2.pdf"
checks "--pdfa with SOURCE_DATE_EPOCH: PDF/A-2b structure" "$OUT/s1.pdf"
n=$(grep -ac '2023-11-14T22:13:20Z' "$OUT/s1.pdf")
if [ "$n" = 3 ] && grep -aq '(D:20231114221320Z) /ModDate (D:20231114221320Z)' "$OUT/s1.pdf"; then
    pass "SOURCE_DATE_EPOCH: CreateDate, ModifyDate, MetadataDate and the Info dates are its instant"
else
    fail "SOURCE_DATE_EPOCH: CreateDate, ModifyDate, MetadataDate and the Info dates are its instant" \
        "$(grep -a 'Date' "$OUT/s1.pdf" | head -8)"
fi
if cmp -s "$OUT/d1.pdf" "$OUT/s1.pdf"; then fail "SOURCE_DATE_EPOCH changes the dates (and /ID)"
else pass "SOURCE_DATE_EPOCH changes the dates (and /ID)"; fi
id1=$(grep -ao '/ID \[<[0-9A-F]*>' "$OUT/d1.pdf") id2=$(grep -ao '/ID \[<[0-9A-F]*>' "$OUT/s1.pdf")
[ -n "$id1" ] && [ "$id1" != "$id2" ] && pass "/ID follows the content" || fail "/ID follows the content" "$id1 / $id2"

# ---- batch ---------------------------------------------------------------------
if err=$("$VANBAN" batch samples -o "$OUT/batch" -f pdf,docx --pdfa -j 2 2>&1); then
    pass "batch --pdfa -f pdf,docx"
    np=0
    for pdf in "$OUT"/batch/*.pdf; do
        np=$((np + 1))
        checks "batch $(basename "$pdf"): PDF/A-2b structure" "$pdf"
    done
    [ "$np" -ge 11 ] && pass "batch --pdfa wrote $np PDF files" || fail "batch --pdfa wrote the PDF files" "only $np"
    ls "$OUT"/batch/*.docx >/dev/null 2>&1 && pass "batch --pdfa still writes DOCX beside" ||
        fail "batch --pdfa still writes DOCX beside"
    "$VANBAN" render "$rec" -t minutes --pdfa -o "$OUT/r.pdf"
    same=
    for b in "$OUT"/batch/*.minutes.pdf; do cmp -s "$OUT/r.pdf" "$b" && same=$b; done
    [ -n "$same" ] && pass "batch --pdfa = render --pdfa, byte for byte ($(basename "$same"))" ||
        fail "batch --pdfa = render --pdfa, byte for byte: no batch file is render's $rec minutes"
else
    fail "batch --pdfa -f pdf,docx" "$err"
fi

# ---- bad input -------------------------------------------------------------------
expect() {    # WHAT CODE PATTERN COMMAND...: exit CODE, stderr matching PATTERN, no $OUT/bad.*
    local what=$1 code=$2 pat=$3 out rc
    shift 3
    rm -rf "$OUT"/bad.*
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" != "$code" ]; then fail "$what: exit $code" "got $rc: $out"
    elif ! printf '%s' "$out" | grep -q -- "$pat"; then fail "$what: the message says \"$pat\"" "$out"
    elif ls "$OUT"/bad.* >/dev/null 2>&1; then fail "$what: no output" "$(ls "$OUT"/bad.*)"
    else pass "$what: exit $code, \"$pat\", nothing written"; fi
}
expect "--icc a file that is not there" 3 "$T_TMP/none.icc: cannot open" \
    "$VANBAN" render "$rec" -t resolution --pdfa --icc "$T_TMP/none.icc" -o "$OUT/bad.pdf"
expect "--icc a file that is not an ICC profile" 1 "$rec: not an ICC profile" \
    "$VANBAN" render "$rec" -t resolution --pdfa --icc "$rec" -o "$OUT/bad.pdf"
"$PY" - "$ICC" "$T_TMP/gray.icc" "$T_TMP/short.icc" <<'EOF'
import sys
p = bytearray(open(sys.argv[1], "rb").read())
g = bytearray(p); g[16:20] = b"GRAY"
open(sys.argv[2], "wb").write(g)
open(sys.argv[3], "wb").write(p[:-10])
EOF
expect "--icc a grey profile" 1 "gray.icc: not an RGB profile" \
    "$VANBAN" render "$rec" -t resolution --pdfa --icc "$T_TMP/gray.icc" -o "$OUT/bad.pdf"
expect "--icc a truncated profile" 1 "short.icc: the size in its header is not the file's" \
    "$VANBAN" render "$rec" -t resolution --pdfa --icc "$T_TMP/short.icc" -o "$OUT/bad.pdf"
expect "--pdfa with DOCX output" 2 "--pdfa is for PDF output" \
    "$VANBAN" render "$rec" -t resolution --pdfa -o "$OUT/bad.docx"
expect "--icc without --pdfa" 2 "give --pdfa too" \
    "$VANBAN" render "$rec" -t resolution --icc "$ICC" -o "$OUT/bad.pdf"
expect "batch --pdfa, --icc a file that is not there" 3 "none.icc: cannot open" \
    "$VANBAN" batch "$rec" -o "$OUT/bad.batch" --pdfa --icc "$T_TMP/none.icc"
expect "batch --pdfa -f docx" 2 "--pdfa is for PDF output" \
    "$VANBAN" batch "$rec" -o "$OUT/bad.batch" --pdfa -f docx
expect "batch --icc without --pdfa" 2 "give --pdfa too" \
    "$VANBAN" batch "$rec" -o "$OUT/bad.batch" --icc "$ICC"

# ---- the checks fail on broken files -------------------------------------------------
# A good file with bytes replaced by as many others (the cross-reference table
# stays right), or, where the bytes are compressed, its qpdf --qdf form
# (streams plain, objects one by one, offsets mended by fix-qdf) so edited.
SRC=$OUT/s1.pdf
qpdf --qdf --object-streams=disable "$SRC" "$T_TMP/qdf.pdf"
broken() {    # CHECK FROM TO [qdf]: tests/pdfa.py reports CHECK on the file with the first FROM
              # made TO (spaces added to TO up to FROM's length)
    local want=$1 from=$2 to=$3 src=$SRC out
    [ "${4:-}" = qdf ] && src=$T_TMP/qdf.pdf
    if ! "$PY" - "$src" "$T_TMP/broken.pdf" "$from" "$to" <<'EOF'
import os, sys
data = open(sys.argv[1], "rb").read()
a, b = os.fsencode(sys.argv[3]), os.fsencode(sys.argv[4])
b += b" " * (len(a) - len(b))
assert len(a) == len(b) and a in data, (a, b)
open(sys.argv[2], "wb").write(data.replace(a, b, 1))
EOF
    then fail "broken file for $want: \"$from\" is in the file"; return; fi
    [ "${4:-}" = qdf ] && { fix-qdf "$T_TMP/broken.pdf" > "$T_TMP/fixed.pdf"; mv "$T_TMP/fixed.pdf" "$T_TMP/broken.pdf"; }
    out=$("$PY" tests/pdfa.py "$T_TMP/broken.pdf" 2>&1)
    if printf '%s\n' "$out" | grep -q "^FAIL: $want:"; then pass "pdfa.py finds $want broken (\"$from\" -> \"$to\")"
    else fail "pdfa.py finds $want broken (\"$from\" -> \"$to\")" "$out"; fi
}
checks "qpdf --qdf form of a good file still passes (the broken ones below start from it)" "$T_TMP/qdf.pdf"
broken header '%PDF-1.7' '%PDF-1.4'
broken binary-comment $'\xE2\xE3\xCF\xD3' 'abcd'
broken id '/ID [' '/IX ['
broken pdfaid '<pdfaid:part>2<' '<pdfaid:part>1<'
broken pdfaid '<pdfaid:conformance>B<' '<pdfaid:conformance>A<'
broken xmp '/Metadata ' '/Metadatx '
broken xmp-parse '</rdf:RDF>' '</rdf:RDX>'
broken xmp-info '<pdf:Producer>vanban' '<pdf:Producer>vanbaN'
broken xmp-info '<xmp:CreateDate>2023-11-14T22' '<xmp:CreateDate>2023-11-14T23'
broken xmp-info '(D:20231114221320Z) /ModDate' '(D:20231114221321Z) /ModDate'
broken xmp-info '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">' '<dc:title><rdf:Alt><rdf:li xml:lang="vi-VN-x-a">'
broken output-intent '/GTS_PDFA1' '/GTS_PDFX1'
broken icc '/N 3' '/N 1'
broken icc 'mntrRGB ' 'abstRGB ' qdf
broken icc 'mntrRGB ' 'mntrCMYK' qdf
broken font-embedded '/FontFile2' '/FontFileX'
broken font-widths '/W [1 [250' '/W [1 [350'
broken tounicode '/ToUnicode' '/ToUnicodX'
broken cidtogidmap '/CIDToGIDMap 8 0 R' '/CIDToGIDMap /Iden'
broken colour $'BT\n' $'k\n ' qdf
broken lzw '/Identity-H' '/LZWDecode '
broken forbidden '/Type /Catalog' '/JS ()'
broken forbidden '/Type /Catalog' '/Encrypt 3 0 R'
broken annotations "/Creator (vanban $("$VANBAN" --version | cut -d' ' -f2))" '/Type /Annot /F 0'
# an unknown operator where the font is set: every Ghostscript stops on it
# (10.05 reads a broken string '[(' silently, 10.0 did not)
broken gs $' Tf\n' $' Tq\n' qdf
# ---- signing keeps it PDF/A (docs/pdfa.md, "Signing a PDF/A file") -----------------
# A --pdfa resolution signed by the person, then the organisation; an annex
# and a copy; render --pdfa --sign and batch --pdfa --sign: every signed
# file passes the same checks, and the checks of what a signature adds
# (the widget, its appearance, the images, the signature value, the /ID)
# ran on it.  Test certificates and images made here.
if T_NEED="the checks of signed PDF/A files" have openssl; then
    K=$T_TMP/k
    mkdir -p "$K"
    ossl() { openssl "$@" 2>>"$K/openssl.err"; }
    if ossl req -x509 -newkey rsa:2048 -nodes -keyout "$K/root.key" -out "$K/root.pem" -days 3650 \
            -subj "/CN=vanban PDF-A Test Root" -addext basicConstraints=critical,CA:true &&
       ossl req -newkey rsa:2048 -nodes -keyout "$K/person.key" -out "$K/person.csr" -subj "/CN=Nguyễn Văn An" -utf8 &&
       ossl x509 -req -in "$K/person.csr" -CA "$K/root.pem" -CAkey "$K/root.key" -set_serial 11 -days 3650 -out "$K/person.pem" &&
       ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$K/org.key" -out "$K/org.csr" \
            -subj "/CN=Hội đồng nhân dân xã An Bình" -utf8 &&
       ossl x509 -req -in "$K/org.csr" -CA "$K/root.pem" -CAkey "$K/root.key" -set_serial 12 -days 3650 -out "$K/org.pem"; then
        pass "signed PDF/A: test certificates made"
    else fail "signed PDF/A: openssl could not make the test certificates" "$(cat "$K/openssl.err")"; t_done; fi
    # a blue signature and a red seal, RGBA with a transparent background
    "$PY" - "$K" <<'EOF2'
import math, struct, sys, zlib
def png(path, w, h, f):
    rows = b''.join(b'\0' + b''.join(bytes(f(x, y)) for x in range(w)) for y in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/sig.png', 150, 50, lambda x, y: (25, 45, 190, 255) if abs(y - 25 - 14 * math.sin(x / 9)) < 2 else (0, 0, 0, 0))
png(sys.argv[1] + '/seal.png', 120, 120, lambda x, y: (210, 20, 30, 255) if 50 < math.hypot(x - 60, y - 60) < 58 else (0, 0, 0, 0))
EOF2
    export VANBAN_SIGN_TIME=$(( $(date +%s) + 2 ))
    SG=$OUT/signed
    mkdir -p "$SG"
    srec=samples/anbinh-hdnd-2024-12-20.json
    PERSON=(--key "$K/person.key" --cert "$K/person.pem" --signature-image "$K/sig.png")
    ORG=(--key "$K/org.key" --cert "$K/org.pem")
    signed_checks() {    # WHAT FILE [BASE]: pdfa.py passes on FILE and its signature checks ran;
                         # with BASE, FILE is BASE and an update that left Info and XMP alone
        local out
        if ! out=$("$PY" tests/pdfa.py -v "$2" 2>&1); then fail "$1: PDF/A-2b structure after signing" "$out"; return; fi
        local c missing=
        for c in signatures annotations images id-kept; do
            grep -qx "ok: $c" <<<"$out" || missing="$missing $c"
        done
        [ -z "$missing" ] && pass "$1: PDF/A-2b structure after signing (signatures, annotations, images, /ID checked)" ||
            fail "$1: the checks of a signed file did not run:$missing" "$out"
        [ -n "${3:-}" ] || return 0
        if out=$("$PY" - "$3" "$2" <<'EOF2'
import json, subprocess, sys
def j(p):
    o = json.loads(subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", p], capture_output=True).stdout)["qpdf"][1]
    t = o["trailer"]["value"]
    cat = o["obj:" + t["/Root"]]["value"]
    return o.get("obj:" + t.get("/Info", ""), {}), o["obj:" + cat["/Metadata"]], t["/ID"][0]
b, s = j(sys.argv[1]), j(sys.argv[2])
for what, x, y in zip(("the information dictionary", "the XMP metadata", "the first /ID string"), b, s):
    if x != y: sys.exit(f"signing changed {what}")
EOF2
        ); then pass "$1: Info, XMP and the first /ID string as the unsigned file's"
        else fail "$1: Info, XMP and /ID kept" "$out"; fi
    }
    if "$VANBAN" render "$srec" -t resolution --pdfa --sidecar -o "$SG/nq.pdf" &&
       "$VANBAN" sign "$SG/nq.pdf" -o "$SG/nq.p.pdf" "${PERSON[@]}" &&
       "$VANBAN" sign "$SG/nq.p.pdf" -o "$SG/nq.po.pdf" "${ORG[@]}" --as organisation --seal-image "$K/seal.png" &&
       "$VANBAN" sign "$SG/nq.pdf" -o "$SG/nq.an.pdf" "${ORG[@]}" --as annex --number "Số: 32/NQ-HĐND" &&
       "$VANBAN" sign "$SG/nq.pdf" -o "$SG/nq.cp.pdf" "${ORG[@]}" --as copy --copy-form "SAO Y" &&
       "$VANBAN" render "$srec" -t resolution --pdfa --sidecar --sign "${PERSON[@]}" -o "$SG/rs.pdf" &&
       "$VANBAN" sign "$SG/rs.pdf" -o "$SG/rs.o.pdf" "${ORG[@]}" --as organisation --seal-image "$K/seal.png" &&
       "$VANBAN" batch "$srec" samples/haiphong-2021-12-28.json -t resolution -o "$SG/b" --pdfa --sign "${PERSON[@]}" -j 2 \
            >/dev/null 2>"$K/batch.err"
    then
        pass "signed PDF/A: sign (person, organisation, annex, copy), render --pdfa --sign, batch --pdfa --sign"
        checks "signed PDF/A: the unsigned --pdfa file" "$SG/nq.pdf"
        signed_checks "signed PDF/A: person" "$SG/nq.p.pdf" "$SG/nq.pdf"
        signed_checks "signed PDF/A: person, then organisation" "$SG/nq.po.pdf" "$SG/nq.pdf"
        signed_checks "signed PDF/A: annex (information lines)" "$SG/nq.an.pdf" "$SG/nq.pdf"
        signed_checks "signed PDF/A: copy (information lines)" "$SG/nq.cp.pdf" "$SG/nq.pdf"
        signed_checks "signed PDF/A: render --pdfa --sign" "$SG/rs.pdf"
        signed_checks "signed PDF/A: render --pdfa --sign, then the organisation" "$SG/rs.o.pdf"
        nb=0
        for f in "$SG"/b/*.pdf; do nb=$((nb + 1)); signed_checks "signed PDF/A: batch $(basename "$f")" "$f"; done
        [ "$nb" = 2 ] && pass "batch --pdfa --sign wrote 2 signed PDF files" || fail "batch --pdfa --sign wrote 2 files, not $nb"
        # the font of the annex and copy lines: embedded, and what the line shows is in it
        if have pdffonts; then
            if pdffonts "$SG/nq.cp.pdf" | awk 'NR>2 {n++; if ($(NF-4)!="yes") bad=1} END {exit bad || n < 5}'; then
                pass "signed PDF/A: the copy line's font is embedded (pdffonts)"
            else fail "signed PDF/A: the copy line's font is embedded" "$(pdffonts "$SG/nq.cp.pdf")"; fi
        fi
        # the checks of what signing adds fail on a signed file broken in the one place each looks at
        SRC=$SG/nq.po.pdf
        broken annotations '/F 132' '/F 134'
        broken annotations '/F 132' '/F 388'
        broken annot-ap '/AP << /N' '/AP << /D'
        broken annot-ap ' /AP << /N ' ' /XP << /N '
        broken forms '/Type /Annot /Subtype /Widget' '/Subtype /Widget /A <<>>'
        broken images '/DeviceGray' '/DeviceCMYK'
        broken images '/BitsPerComponent 8 /SMask' '/Interpolate true /SMask'
        broken signatures '/ByteRange [0 ' '/ByteRange [1 '
        broken signatures '/Contents <3082' '/Contents <3182'
        broken signatures '/SubFilter /ETSI.CAdES.detached' '/SubFilter /ETSI.CAdES.detacheX'
        last=$(grep -ao '/ByteRange \[0 [0-9]* [0-9]* [0-9]*' "$SRC" | tail -1)
        broken signatures "$last" "${last% *} $(( ${last##* } - 1 ))"
        id=$(grep -ao '/ID \[<[0-9A-F]' "$SRC" | head -1)
        broken id "$id" "/ID [<$( [ "${id: -1}" = 0 ] && echo 1 || echo 0)"
        acro=$(grep -ao '/Fields \[[0-9 R]*\] /SigFlags 3 >>' "$SRC" | tail -1)    # the two fields'
        broken forms "$acro" '/Fields[]/NeedAppearances true>>'
        SRC=$SG/nq.cp.pdf
        apfont=$(grep -ao '/Font << /F1 [0-9]* 0 R >>' "$SRC" | tail -1)
        broken font-embedded "$apfont" "${apfont/F1/F9}"
    else
        fail "signed PDF/A: signing the --pdfa files" "$(cat "$K/batch.err")"
    fi
    unset VANBAN_SIGN_TIME
fi
t_done
