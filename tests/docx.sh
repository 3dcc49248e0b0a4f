#!/usr/bin/env bash
# tests/docx.sh — the DOCX backend end to end, against readers that are not
# ours.  For every sample record × every document type it holds (resolution,
# minutes; `vanban check` says which), rendered with the rule files set to
# greedy line breaking, LibreOffice's own:
#   render     -t TYPE -o X.pdf and -o X.docx work; -f forces the format
#   schema     ../shared/tools/validate-docx (ISO 29500 transitional, jing)
#   styles     python-docx (Debian's python3-docx, /usr/bin/python3) opens it;
#              named VB_ styles, the model's text (& < > " ' intact),
#              Times New Roman, A4 and the rule file's margins, PAGE field,
#              titlePg (tests/interop.py styles)
#   interop    LibreOffice headless converts every DOCX in one call; the
#              result has our PDF's page count, the same words on every page,
#              every line within 2 mm of ours, page numbers from page 2 only,
#              header / signature / "Nơi nhận" where conventions.md puts them
#              (tests/interop.py compare)
#   blank      the first sample of each convention without its numbers:
#              LibreOffice's page keeps >= 10 mm blank on the number line
#              (tests/blank-number.py), room for the number written by hand
# and once: byte-identical output (twice; SOURCE_DATE_EPOCH; two TZ values),
# the zip's entry times, characters XML forbids rejected by the record
# reader, atomic output (a failure leaves no temporary file, an old file
# stays as it was).
# A missing tool is a visible skip here and a failure under CI=true.
# Environment: VANBAN (default ./vanban), CI=true, VERBOSE=1, KEEP=DIR (keep
# the outputs there), SOFFICE (default soffice), SAMPLES (the records to go
# over, default samples/*.json: one sample's checks without the others').
. "$(dirname "$0")/lib.sh"
t_init docx

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
SOFFICE=${SOFFICE:-soffice}
OUT=${KEEP:-$T_TMP/out}
mkdir -p "$OUT" "$T_TMP/lo"
VALIDATOR=$T_ROOT/../shared/tools/validate-docx
SDE=1700000000 SDE_ISO=2023-11-14T22:13:20Z
SAMPLES=${SAMPLES:-samples/*.json}

# ---- render every sample as every type it holds ---------------------------
# with the rule files set to greedy breaking (tests/lib.sh t_greedy_data):
# LibreOffice breaks lines one at a time, so our PDF is compared with its
# rendering of the DOCX under the same breaking; total fit, our default, is
# checked by e2e.sh and tests/unit/layout.c
GREEDY=$T_TMP/greedy
t_greedy_data "$GREEDY" && pass "a copy of the rule files with breaking = greedy" ||
    { fail "a copy of the rule files with breaking = greedy"; t_done; }

docs=()
for rec in $SAMPLES; do
    name=$(basename "$rec" .json)
    have_types=$("$VANBAN" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr -d ' ' | tr ',' ' ')
    [ -n "$have_types" ] || { fail "$rec: vanban check accepts it"; continue; }
    conv=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["convention"])' "$rec")
    for type in $have_types; do
        base=$OUT/$name.$type
        if err=$("$VANBAN" render "$rec" -t "$type" --data "$GREEDY" -o "$base.pdf" 2>&1) &&
           err=$("$VANBAN" render "$rec" -t "$type" --data "$GREEDY" -o "$base.docx" 2>&1) &&
           err=$("$VANBAN" render "$rec" -t "$type" --data "$GREEDY" --dump model 2>&1 >"$base.model"); then
            pass "render $name.$type"
            docs+=("$base")
            echo "$conv" >"$base.conv"
        else
            fail "render $name -t $type" "$err"
        fi
    done
done
[ ${#docs[@]} -gt 0 ] || { fail "nothing rendered"; t_done; }

for base in "${docs[@]}"; do
    n=${base##*/}
    [ "$(head -c 2 "$base.docx")" = PK ] && pass "$n.docx is a zip" || fail "$n.docx is a zip"
    [ "$(head -c 5 "$base.pdf")" = %PDF- ] && pass "$n.pdf is a PDF" || fail "$n.pdf is a PDF"
done

# -f forces the format whatever the name says
rec=samples/haiphong-2021-12-28.json
"$VANBAN" render "$rec" -t resolution -f docx -o "$T_TMP/forced" 2>/dev/null
[ "$(head -c 2 "$T_TMP/forced" 2>/dev/null)" = PK ] && pass "-f docx writes a DOCX to a name without extension" \
    || fail "-f docx writes a DOCX to a name without extension"
"$VANBAN" render "$rec" -t minutes -f pdf -o "$T_TMP/forced.docx" 2>/dev/null
[ "$(head -c 5 "$T_TMP/forced.docx" 2>/dev/null)" = %PDF- ] && pass "-f pdf wins over the .docx extension" \
    || fail "-f pdf wins over the .docx extension"

# ---- schema (in the background, two at a time: jing is slow to start) ----

vpid=
if [ ! -x "$VALIDATOR" ]; then
    skip "schema check: ../shared/tools/validate-docx is not there"
elif T_NEED="schema validation" have jing xmllint unzip; then
    printf '%s\0' "${docs[@]}" | xargs -0 -P 2 -I{} sh -c '"$1" "$2.docx" >"$2.valid" 2>&1; echo $? >"$2.valid.rc"' \
        sh "$VALIDATOR" {} &
    vpid=$!
fi

# ---- python-docx -----------------------------------------------------------

# run tests/interop.py and turn its "pass: …" / "fail: …" lines into ours
interop() {
    local line rc
    "$PY" tests/interop.py "$@" >"$T_TMP/interop.out" 2>&1
    rc=$?
    while IFS= read -r line; do
        case $line in
            "pass: "*) pass "${line#pass: }" ;;
            "fail: "*) fail "${line#fail: }" ;;
            *) [ -z "$line" ] || echo "    $line" ;;
        esac
    done <"$T_TMP/interop.out"
    [ $rc = 0 ] || fail "tests/interop.py $1 ${2##*/} exits $rc"
}

if "$PY" -c 'import docx' 2>/dev/null; then
    for base in "${docs[@]}"; do
        interop styles "$base.docx" "$base.model" "templates/$(cat "$base.conv")/style"
    done
else
    skip "python-docx is not installed for $PY (apt-get install python3-docx); style checks skipped"
fi

# ---- LibreOffice: one conversion for every file, then the comparison -------

# the first sample of each convention without its numbers (tests/lib.sh
# t_unnumbered): converted with the rest, then LibreOffice's page must keep
# at least 10 mm blank on the number line for the number written by hand
unnumbered=()    # "DOCX CODE"
seen=" "
mkdir -p "$T_TMP/unnumbered"
for rec in $SAMPLES; do
    name=$(basename "$rec" .json)
    set -- $(t_unnumbered "$rec" "$T_TMP/unnumbered/$name.json")
    case $seen in *" $1 "*) continue ;; esac
    seen="$seen$1 "
    for tc in resolution:NQ minutes:BB; do
        type=${tc%%:*}
        "$VANBAN" check "$T_TMP/unnumbered/$name.json" 2>/dev/null | grep -q "[(, ]$type[,)]" || continue
        d=$T_TMP/unnumbered/$name-unnumbered.$type.docx
        if err=$("$VANBAN" render "$T_TMP/unnumbered/$name.json" -t "$type" -o "$d" 2>&1); then
            unnumbered+=("$d $(number_code "$1" "${tc#*:}" "$2")")
        else
            fail "render $name -t $type without a number" "$err"
        fi
    done
done
[ "$SAMPLES" != "samples/*.json" ] ||     # a chosen few may be of one convention
case $seen in " party state " | " state party ") ;; *) fail "a sample of each convention to render without a number (has:$seen)" ;; esac

if T_NEED="the LibreOffice comparison" have "$SOFFICE" mutool; then
    files=()
    for base in "${docs[@]}"; do files+=("$base.docx"); done
    for u in "${unnumbered[@]}"; do files+=("${u%% *}"); done
    # a private profile: parallel and CI runs do not share one
    if log=$(timeout 600 "$SOFFICE" -env:UserInstallation=file://"$T_TMP/lo-profile" --headless \
                 --convert-to pdf --outdir "$T_TMP/lo" "${files[@]}" 2>&1); then
        pass "LibreOffice converts ${#files[@]} DOCX files"
    else
        fail "LibreOffice converts ${#files[@]} DOCX files" "$log"
    fi
    for base in "${docs[@]}"; do
        n=${base##*/}
        if [ -s "$T_TMP/lo/$n.pdf" ]; then
            [ -z "${KEEP:-}" ] || cp "$T_TMP/lo/$n.pdf" "$OUT/$n.lo.pdf"
            interop compare "$base.pdf" "$T_TMP/lo/$n.pdf" "$base.model"
        else
            fail "$n: LibreOffice made a PDF of it"
        fi
    done
    for u in "${unnumbered[@]}"; do
        n=$(basename "${u%% *}" .docx)
        if out=$("$PY" tests/blank-number.py "$T_TMP/lo/$n.pdf" "${u#* }" 10 2>&1); then
            pass "$n: LibreOffice keeps the blank number: $out"
        else
            fail "$n: LibreOffice keeps at least 10 mm blank for the number" "$out"
        fi
    done
fi

if [ -n "$vpid" ]; then
    wait "$vpid"
    for base in "${docs[@]}"; do
        if [ "$(cat "$base.valid.rc" 2>/dev/null)" = 0 ]; then
            pass "${base##*/}.docx is valid ISO 29500 transitional"
        else
            fail "${base##*/}.docx is valid ISO 29500 transitional" "$(head -20 "$base.valid" 2>/dev/null)"
        fi
    done
fi

# ---- the same record gives the same bytes ----------------------------------

rec=samples/stress-specials.json
det=$T_TMP/det
mkdir -p "$det"
(unset SOURCE_DATE_EPOCH; TZ=UTC "$VANBAN" render "$rec" -t minutes -o "$det/a.docx" &&
 TZ=UTC "$VANBAN" render "$rec" -t minutes -o "$det/b.docx" &&
 TZ=Asia/Ho_Chi_Minh "$VANBAN" render "$rec" -t minutes -o "$det/c.docx" &&
 TZ=America/New_York "$VANBAN" render "$rec" -t minutes -o "$det/d.docx") 2>/dev/null
cmp -s "$det/a.docx" "$det/b.docx" && pass "two renders are byte-identical" || fail "two renders are byte-identical"
cmp -s "$det/a.docx" "$det/c.docx" && cmp -s "$det/a.docx" "$det/d.docx" \
    && pass "TZ=Asia/Ho_Chi_Minh and TZ=America/New_York change nothing" \
    || fail "TZ=Asia/Ho_Chi_Minh and TZ=America/New_York change nothing"
(export SOURCE_DATE_EPOCH=$SDE
 TZ=UTC "$VANBAN" render "$rec" -t minutes -o "$det/e.docx" &&
 TZ=UTC "$VANBAN" render "$rec" -t minutes -o "$det/f.docx" &&
 TZ=Asia/Ho_Chi_Minh "$VANBAN" render "$rec" -t minutes -o "$det/g.docx" &&
 TZ=America/New_York "$VANBAN" render "$rec" -t minutes -o "$det/h.docx") 2>/dev/null
cmp -s "$det/e.docx" "$det/f.docx" && cmp -s "$det/e.docx" "$det/g.docx" && cmp -s "$det/e.docx" "$det/h.docx" \
    && pass "SOURCE_DATE_EPOCH: byte-identical, under three TZ values" \
    || fail "SOURCE_DATE_EPOCH: byte-identical, under three TZ values"
# the times inside: docProps and every zip entry carry the document's own
# date, or SOURCE_DATE_EPOCH (zip entries: its UTC wall time, 2 s steps)
TIMES_PY='
import sys, zipfile
path, iso = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
core = z.read("docProps/core.xml").decode()
y, mo, d, h, mi, s = (int(iso[a:b]) for a, b in ((0, 4), (5, 7), (8, 10), (11, 13), (14, 16), (17, 19)))
bad = [i.filename for i in z.infolist() if i.date_time != (y, mo, d, h, mi, s // 2 * 2)]
ok = (">%s</dcterms:created>" % iso) in core and (">%s</dcterms:modified>" % iso) in core and not bad
print("ok" if ok else "core.xml has it: %s; entries with other times: %s" % (iso in core, bad[:3]))
'
got=$("$PY" -c "$TIMES_PY" "$det/e.docx" "$SDE_ISO" 2>&1)
[ "$got" = ok ] && pass "SOURCE_DATE_EPOCH is the time in docProps and in every zip entry" \
    || fail "SOURCE_DATE_EPOCH is the time in docProps and in every zip entry" "$got"
got=$("$PY" -c "$TIMES_PY" "$det/a.docx" "2024-03-05T00:00:00Z" 2>&1)
[ "$got" = ok ] && pass "without SOURCE_DATE_EPOCH the meeting's date is the time" \
    || fail "without SOURCE_DATE_EPOCH the meeting's date is the time" "$got"

# ---- characters XML 1.0 forbids never reach a DOCX -------------------------

BAD_PY='
import json, sys
src, dst, field, ch = sys.argv[1], sys.argv[2], sys.argv[3], chr(int(sys.argv[4], 16))
r = json.load(open(src, encoding="utf-8"))
node = r
keys = field.split("/")
for k in keys[:-1]:
    node = node[int(k)] if isinstance(node, list) else node[k]
last = keys[-1]
if isinstance(node, list):
    node[int(last)] += ch
else:
    node[last] = node[last][:3] + ch + node[last][3:]
json.dump(r, open(dst, "w", encoding="utf-8"), ensure_ascii=True)
'
n=0
for case in "issuer/name 1" "meeting/title 1F" "meeting/guests/0/title 8" "meeting/proceedings/1/text B" \
            "meeting/agenda/0 FFFE" "resolution/body/1/paragraph FFFF" "resolution/signature/name C"; do
    set -- $case
    n=$((n + 1))
    "$PY" -c "$BAD_PY" samples/stress-specials.json "$T_TMP/bad$n.json" "$1" "$2"
    type=minutes
    case $1 in resolution/*) type=resolution ;; esac
    err=$("$VANBAN" render "$T_TMP/bad$n.json" -t $type -o "$T_TMP/bad$n.docx" 2>&1)
    rc=$?
    cp=$(printf 'U+%04X' $((16#$2)))     # the code point itself, as the message names it
    if [ $rc = 1 ] && [ ! -e "$T_TMP/bad$n.docx" ] && printf '%s' "$err" | grep -qF "/$1: character $cp is not allowed"; then
        pass "U+$2 in /$1 is rejected (exit 1, no file)"
    else
        fail "U+$2 in /$1 is rejected (exit 1, no file)" "exit $rc: $err"
    fi
done

# ---- atomic output ---------------------------------------------------------

at=$T_TMP/atomic
mkdir -p "$at/taken.docx"
err=$("$VANBAN" render samples/haiphong-2021-12-28.json -t minutes -o "$at/taken.docx" 2>&1)
rc=$?
left=$(files_left "$at")
if [ $rc = 3 ] && [ "$left" = taken.docx ]; then
    pass "a DOCX that cannot be renamed into place: exit 3, no temporary file left"
else
    fail "a DOCX that cannot be renamed into place: exit 3, no temporary file left" "exit $rc: $err" "left: $left"
fi
# (made here when SAMPLES left the Hải Phòng record out)
[ -s "$OUT/haiphong-2021-12-28.minutes.docx" ] ||
    "$VANBAN" render samples/haiphong-2021-12-28.json -t minutes --data "$GREEDY" -o "$OUT/haiphong-2021-12-28.minutes.docx" 2>/dev/null
cp "$OUT/haiphong-2021-12-28.minutes.docx" "$at/old.docx"
"$VANBAN" render "$T_TMP/bad1.json" -t minutes -o "$at/old.docx" >/dev/null 2>&1
rc=$?
left=$(files_left "$at" | tr '\n' ' ')
if [ $rc = 1 ] && cmp -s "$at/old.docx" "$OUT/haiphong-2021-12-28.minutes.docx" && [ "$left" = "old.docx taken.docx " ]; then
    pass "a failed render leaves the old DOCX as it was and nothing else"
else
    fail "a failed render leaves the old DOCX as it was and nothing else" "exit $rc, left: $left"
fi

t_done
