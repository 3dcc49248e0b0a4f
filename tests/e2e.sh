#!/usr/bin/env bash
# tests/e2e.sh — end to end: every sample record × every document type of
# its convention (`vanban types`), through the real binary and real PDF
# readers.  For each one:
#   golden    --dump model / --dump layout equal tests/golden/<sample>.<type>.*
#             (and --dump layout with breaking = greedy, *.greedy.layout)
#             (UPDATE=1 tests/e2e.sh rewrites them; review the diff)
#   pdf       qpdf --check; pdffonts: every font embedded, subset, mapped to
#             Unicode; pdfinfo: the dump's page count
#   text      the text of pdftotext -raw and mutool, white space folded,
#             holds every paragraph of the model dump exactly, in NFC;
#             plain pdftotext (reading-order heuristics) its words in order
#   placement tests/placement.py (positions, sizes, styles, rules) against
#             conventions.md, with the layout dump's rules compared too
#   determinism  two renders byte-identical; SOURCE_DATE_EPOCH: identical,
#             its own CreationDate; TZ and locale change nothing
#   nfd       the record converted to NFD gives the same PDF and model
# and once: atomic output (missing, read-only, not-a-directory targets, a
# directory as output: exit 3, the path named, nothing left behind; a failed
# render keeps the old file), a self-test of placement.py against
# deliberately broken rule files (it must fail them), the blank number line
# of a record without numbers (>= 10 mm read back from the PDF,
# tests/blank-number.py) and the end mark taken from a copy of the rule
# files (--data) with end_mark changed.
# Environment: VANBAN (binary, default ./vanban), UPDATE=1, VERBOSE=1, CI=true.
. "$(dirname "$0")/lib.sh"
t_init e2e

GOLDEN=tests/golden
mkdir -p "$GOLDEN"
# the rule files with breaking = greedy: its golden dumps (*.greedy.layout)
# keep the line-by-line breaker, that tests/docx.sh compares with
# LibreOffice, exactly as it was before total fit became the default
GREEDY=$T_TMP/greedy
t_greedy_data "$GREEDY" || { fail "a copy of the rule files with breaking = greedy"; t_done; }
SDE=1700000000 SDE_ISO=2023-11-14T22:13:20Z
unset SOURCE_DATE_EPOCH     # set only where a check sets it

# ---- helpers --------------------------------------------------------------


conv_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1],encoding="utf-8"))["convention"])' "$1"; }

# vb_ok WHAT ARGS...: run the binary, stderr in $T_TMP/err; a failure if it fails
vb_ok() {
    local what=$1
    shift
    if "$VANBAN" "$@" 2>"$T_TMP/err"; then
        return 0
    else
        local rc=$?
        fail "$what: vanban $* exited $rc" "$(head -20 "$T_TMP/err")"
        return 1
    fi
}

golden() {    # FILE-MADE GOLDEN-NAME
    local got=$1 want=$GOLDEN/$2
    if [ "${UPDATE:-}" = 1 ]; then
        if [ -f "$want" ] && cmp -s "$got" "$want"; then pass "golden $2"
        else cp "$got" "$want"; echo "updated: $want"; pass "golden $2 (updated)"; fi
    elif [ ! -f "$want" ]; then
        fail "golden $2: $want is missing (make it with UPDATE=1 tests/e2e.sh, then review it)"
    elif cmp -s "$got" "$want"; then
        pass "golden $2"
    else
        fail "golden $2 differs (UPDATE=1 tests/e2e.sh rewrites it if the change is right)" \
             "$(diff -u "$want" "$got" | head -40)"
    fi
    GOLDEN_SEEN="$GOLDEN_SEEN $2 "
}

pdf_checks() {    # LABEL PDF PAGES
    local label=$1 pdf=$2 pages=$3 out
    if T_NEED="PDF syntax check" have qpdf; then
        if out=$(qpdf --check "$pdf" 2>&1); then pass "$label: qpdf --check"
        else fail "$label: qpdf --check" "$(printf '%s' "$out" | tail -10)"; fi
    fi
    if T_NEED="font embedding check" have pdffonts; then
        if out=$(pdffonts "$pdf" 2>&1); then
            local bad
            bad=$(printf '%s\n' "$out" | awk 'NR > 2 { n++; if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") print }
                                               END { if (!n) print "no fonts at all" }')
            if [ -z "$bad" ]; then pass "$label: fonts embedded, subset, Unicode-mapped"
            else fail "$label: every font emb=yes sub=yes uni=yes (pdffonts)" "$out"; fi
        else
            fail "$label: pdffonts failed" "$out"
        fi
    fi
    if T_NEED="page count, CreationDate" have pdfinfo; then
        local n
        n=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
        if [ "$n" = "$pages" ]; then pass "$label: $pages pages"
        else fail "$label: pdfinfo says ${n:-?} pages, the layout dump $pages"; fi
        if pdfinfo "$pdf" 2>/dev/null | grep -q '^Page size: *595.276 x 841.89 pts (A4)'; then pass "$label: A4"
        else fail "$label: page size A4" "$(pdfinfo "$pdf" 2>&1 | grep '^Page size')"; fi
    fi
}

text_checks() {   # LABEL PDF MODEL
    local label=$1 pdf=$2 model=$3 out
    if T_NEED="text extraction" have pdftotext; then
        # plain: the reading order most users get; -raw: the content stream
        # order, no heuristics, so it must hold every paragraph exactly
        if pdftotext -enc UTF-8 "$pdf" "$T_TMP/text.poppler" 2>"$T_TMP/err" \
           && drop_page_numbers "$T_TMP/text.poppler" \
           && out=$(model_in_text "$model" "$T_TMP/text.poppler" pdftotext reading-order); then
            pass "$label: pdftotext holds every paragraph, NFC"
        else
            fail "$label: pdftotext text holds every paragraph of the model (words in order), NFC" "$out" "$(head -5 "$T_TMP/err")"
        fi
        if pdftotext -raw -enc UTF-8 "$pdf" "$T_TMP/text.raw" 2>"$T_TMP/err" \
           && drop_page_numbers "$T_TMP/text.raw" \
           && out=$(model_in_text "$model" "$T_TMP/text.raw" "pdftotext -raw" exact); then
            pass "$label: pdftotext -raw holds every paragraph exactly, NFC"
        else
            fail "$label: pdftotext -raw text holds every paragraph of the model exactly, NFC" "$out" "$(head -5 "$T_TMP/err")"
        fi
    fi
    # Ghostscript reads ToUnicode maps its own way (it garbled every
    # bfrange whose destination is above U+00FF): a third reader
    if T_NEED="text extraction (Ghostscript)" have gs; then
        rm -f "$T_TMP"/gs-page-*.txt
        # a file a page (CRLF lines), joined with form feeds as pdftotext's
        if gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile="$T_TMP/gs-page-%04d.txt" "$pdf" 2>"$T_TMP/err" \
           && python3 -c 'import sys; open(sys.argv[1], "w", encoding="utf-8").write("\f".join(open(p, encoding="utf-8").read().replace("\r", "") for p in sorted(sys.argv[2:])))' \
                "$T_TMP/text.gs" "$T_TMP"/gs-page-*.txt \
           && drop_page_numbers "$T_TMP/text.gs" \
           && out=$(model_in_text "$model" "$T_TMP/text.gs" "gs txtwrite" reading-order); then
            pass "$label: Ghostscript text holds every paragraph, NFC"
        else
            fail "$label: Ghostscript text holds every paragraph of the model (words in order), NFC" "$out" "$(head -5 "$T_TMP/err")"
        fi
    fi
    if T_NEED="text extraction, placement" have mutool; then
        if mutool draw -F txt -o "$T_TMP/text.mupdf" "$pdf" 2>"$T_TMP/err" \
           && drop_page_numbers "$T_TMP/text.mupdf" \
           && out=$(model_in_text "$model" "$T_TMP/text.mupdf" mutool exact); then
            pass "$label: mutool text holds every paragraph exactly, NFC"
        else
            fail "$label: mutool text holds every paragraph of the model exactly, NFC" "$out" "$(grep -v 'ICC support' "$T_TMP/err" | head -5)"
        fi
    fi
}

placement() {     # LABEL PDF CONV PAGES LAYOUT [--only …]
    local label=$1 pdf=$2 conv=$3 pages=$4 layout=$5 out
    shift 5
    T_NEED="placement checks" have mutool || return 0
    if out=$(python3 tests/placement.py "$pdf" --convention "$conv" --expect-pages "$pages" --layout "$layout" "$@" 2>&1); then
        pass "$label: placement"
        [ -z "${VERBOSE:-}" ] || printf '%s\n' "$out" | tail -1 | sed 's/^/    /'
    else
        fail "$label: placement ($conv conventions)" "$out"
    fi
}

creation_date() { pdfinfo -isodates "$1" 2>/dev/null | sed -n 's/^CreationDate: *//p'; }

# ---- every sample × every type ---------------------------------------------

GOLDEN_SEEN=" "
mkdir -p "$T_TMP/nfd" "$T_TMP/out"
samples=(samples/*.json)
[ -e "${samples[0]}" ] || { fail "no samples/*.json"; t_done; }
for rec in "${samples[@]}"; do
    name=$(basename "$rec" .json)
    if ! conv=$(conv_of "$rec" 2>"$T_TMP/err"); then
        fail "$rec: cannot read its convention" "$(cat "$T_TMP/err")"
        continue
    fi
    types=$("$VANBAN" types | sed -n "s/^$conv: //p")
    if [ -z "$types" ]; then fail "$rec: vanban types lists nothing for $conv"; continue; fi
    # the types the record holds, as vanban check lists them: ", a, b,"
    holds=$("$VANBAN" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/, \1,/p')
    if [ -z "$holds" ]; then fail "$rec: vanban check accepts it and lists its types"; continue; fi
    # the same record typed decomposed (NFD), under the same file name
    python3 -c 'import sys,unicodedata; d=open(sys.argv[1],encoding="utf-8").read(); open(sys.argv[2],"w",encoding="utf-8").write(unicodedata.normalize("NFD",d))' \
        "$rec" "$T_TMP/nfd/$name.json"
    nfd=$T_TMP/nfd/$name.json
    if cmp -s "$rec" "$nfd"; then fail "$rec: its NFD form should differ from it (no diacritics?)"; fi

    for type in $types; do
        label="$name $type"
        out=$T_TMP/out/$name.$type
        # a record need not hold every document; then there is nothing to test
        # a record need not hold every document: then the render is refused
        # as bad input (exit 1, saying so), and only where vanban check and
        # the golden files agree that it is not there
        "$VANBAN" render "$rec" -t "$type" --dump model >"$out.model" 2>"$T_TMP/err"
        rc=$?
        if [ $rc != 0 ]; then
            # named by the type or by its condition (minutes: "has no \"meeting\"")
            cond=$("$VANBAN" types | sed -n "/^$conv: /,/^[a-z]*: /s/^  $type  *.* when the record has \([^ ]*\)$/\1/p" | head -1)
            if [ $rc = 1 ] && grep -q "has no \"\($type\|${cond:-$type}\)\"" "$T_TMP/err"; then
                case $holds in
                    *" $type,"*) fail "$label: vanban check lists $type, render says it is not there" "$(head -3 "$T_TMP/err")" ;;
                    *) if [ -e "$GOLDEN/$name.$type.model" ] || [ -e "$GOLDEN/$name.$type.layout" ]; then
                           if [ "${UPDATE:-}" = 1 ]; then echo "note: $label: not in the record any more; its golden files go"
                           else fail "$label: a golden file says it renders, but: $(head -1 "$T_TMP/err")"; fi
                       else
                           echo "note: $label: $(head -1 "$T_TMP/err")"
                           pass "$label: not in the record: refused with exit 1"
                       fi ;;
                esac
                continue
            fi
            fail "$label: --dump model (exit $rc)" "$(head -20 "$T_TMP/err")"
            continue
        fi
        case $holds in
            *" $type,"*) ;;
            *) fail "$label: renders although vanban check does not list $type" ;;
        esac
        [ -s "$T_TMP/err" ] && fail "$label: --dump model printed warnings" "$(head -5 "$T_TMP/err")"
        golden "$out.model" "$name.$type.model"
        vb_ok "$label: --dump layout" render "$rec" -t "$type" --dump layout >"$out.layout" || continue
        golden "$out.layout" "$name.$type.layout"
        vb_ok "$label: --dump layout, greedy" render "$rec" -t "$type" --data "$GREEDY" --dump layout >"$out.greedy.layout" &&
            golden "$out.greedy.layout" "$name.$type.greedy.layout"
        pages=$(grep -c '^page ' "$out.layout")

        vb_ok "$label: render PDF" render "$rec" -t "$type" -o "$out.pdf" || continue
        if [ -s "$out.pdf" ] && head -c 5 "$out.pdf" | grep -q '^%PDF-'; then pass "$label: a PDF is made"
        else fail "$label: $out.pdf is a PDF"; continue; fi
        [ -s "$T_TMP/err" ] && fail "$label: render printed something on stderr" "$(head -5 "$T_TMP/err")"
        case $(files_left "$T_TMP/out") in
            *.tmp-*) fail "$label: a *.tmp-* file was left" "$(files_left "$T_TMP/out")" ;;
        esac

        pdf_checks "$label" "$out.pdf" "$pages"
        text_checks "$label" "$out.pdf" "$out.model"
        placement "$label" "$out.pdf" "$conv" "$pages" "$out.layout"

        # determinism
        "$VANBAN" render "$rec" -t "$type" -o "$out.again.pdf" 2>/dev/null
        if cmp -s "$out.pdf" "$out.again.pdf"; then pass "$label: two renders are byte-identical"
        else fail "$label: two renders are byte-identical" "$(cmp "$out.pdf" "$out.again.pdf" 2>&1)"; fi
        TZ=Pacific/Kiritimati LC_ALL=C "$VANBAN" render "$rec" -t "$type" -o "$out.tz.pdf" 2>/dev/null
        if cmp -s "$out.pdf" "$out.tz.pdf"; then pass "$label: time zone and locale change nothing"
        else fail "$label: TZ=Pacific/Kiritimati LC_ALL=C gives the same bytes" "$(cmp "$out.pdf" "$out.tz.pdf" 2>&1)"; fi
        SOURCE_DATE_EPOCH=$SDE "$VANBAN" render "$rec" -t "$type" -o "$out.sde1.pdf" 2>/dev/null
        SOURCE_DATE_EPOCH=$SDE "$VANBAN" render "$rec" -t "$type" -o "$out.sde2.pdf" 2>/dev/null
        if [ -s "$out.sde1.pdf" ] && cmp -s "$out.sde1.pdf" "$out.sde2.pdf"; then
            pass "$label: SOURCE_DATE_EPOCH renders are byte-identical"
        else
            fail "$label: two renders with SOURCE_DATE_EPOCH=$SDE are byte-identical"
        fi
        if T_NEED="CreationDate check" have pdfinfo; then
            d0=$(creation_date "$out.pdf") d1=$(creation_date "$out.sde1.pdf")
            if [ "$d1" = "$SDE_ISO" ] && [ -n "$d0" ] && [ "$d0" != "$d1" ]; then
                pass "$label: SOURCE_DATE_EPOCH sets CreationDate"
            else
                fail "$label: CreationDate is $SDE_ISO with SOURCE_DATE_EPOCH=$SDE and another date without" \
                     "with: ${d1:-none}, without: ${d0:-none}"
            fi
        fi

        # NFD input: the very same document
        if "$VANBAN" render "$nfd" -t "$type" -o "$out.nfd.pdf" 2>"$T_TMP/err" && cmp -s "$out.pdf" "$out.nfd.pdf"; then
            pass "$label: NFD record gives a byte-identical PDF"
        else
            fail "$label: the NFD form of $rec gives a byte-identical PDF" "$(head -5 "$T_TMP/err")" \
                 "$(cmp "$out.pdf" "$out.nfd.pdf" 2>&1)"
        fi
        if "$VANBAN" render "$nfd" -t "$type" --dump model 2>/dev/null | cmp -s - "$out.model"; then
            pass "$label: NFD record gives the same model"
        else
            fail "$label: the NFD form of $rec gives the same --dump model"
        fi
    done
done

# golden files nobody makes any more
for g in "$GOLDEN"/*; do
    [ -e "$g" ] || continue
    case $GOLDEN_SEEN in
        *" $(basename "$g") "*) ;;
        *) if [ "${UPDATE:-}" = 1 ]; then rm -f "$g"; echo "removed: $g (no sample/type makes it)"
           else fail "$g: no sample/type makes it any more (UPDATE=1 removes it)"; fi ;;
    esac
done

# The first sample of each convention, for the checks below that need one
# record a convention: firsts holds "CONVENTION RECORD" pairs.
firsts=() seen=" "
for rec in "${samples[@]}"; do
    conv=$(conv_of "$rec" 2>/dev/null) || continue
    case $seen in *" $conv "*) continue ;; esac
    seen="$seen$conv "
    firsts+=("$conv $rec")
done
[ ${#firsts[@]} = 2 ] || fail "a sample of each convention for the blank number and end mark checks (has:$seen)"

# ---- an unnumbered document keeps room for the number ------------------------
# The first sample of each convention, without its numbers: the number line
# must keep about 14 mm blank between "Số:" / "Số" and "/NQ-…" / "-NQ/…",
# as read back from the PDF (tests/blank-number.py), for the clerk to write
# the number in by hand; collapsed spaces would leave about 1 mm.
if T_NEED="the blank number check" have mutool; then
    for first in "${firsts[@]}"; do
        conv=${first%% *} rec=${first#* }
        name=$(basename "$rec" .json)
        set -- $(t_unnumbered "$rec" "$T_TMP/unnumbered-$name.json")
        for tc in resolution:NQ minutes:BB; do
            type=${tc%%:*}
            "$VANBAN" check "$T_TMP/unnumbered-$name.json" 2>/dev/null | grep -q "[(, ]$type[,)]" || continue
            pdf=$T_TMP/unnumbered-$name.$type.pdf
            vb_ok "$name $type without a number" render "$T_TMP/unnumbered-$name.json" -t "$type" -o "$pdf" || continue
            if out=$(python3 tests/blank-number.py "$pdf" "$(number_code "$1" "${tc#*:}" "$2")" 10 2>&1); then
                pass "$name $type without a number: $out"
            else
                fail "$name $type without a number: at least 10 mm blank for the number" "$out"
            fi
        done
    done
fi

# ---- the end mark comes from the rule file ------------------------------------
# A copy of the rule files with the two end marks swapped (Party "./.",
# state "."), through --data: the last paragraph before the signature must
# end with the copy's mark, in every document of the first sample of each
# convention, so no template writes the mark itself.
EM=$T_TMP/endmark
mkdir -p "$EM" && cp -r templates "$EM/"
sed -i 's|^end_mark = .*|end_mark = "./."|' "$EM/templates/party/style"
sed -i 's|^end_mark = .*|end_mark = "."|' "$EM/templates/state/style"
if grep -q '^end_mark = "\./\."$' "$EM/templates/party/style" && grep -q '^end_mark = "\."$' "$EM/templates/state/style"; then
    for first in "${firsts[@]}"; do
        conv=${first%% *} rec=${first#* }
        name=$(basename "$rec" .json)
        for type in resolution minutes; do
            "$VANBAN" check "$rec" 2>/dev/null | grep -q "[(, ]$type[,)]" || continue
            vb_ok "$name $type, end marks swapped" render "$rec" -t "$type" --data "$EM" --dump model >"$EM/$name.$type.model" || continue
            last=$(sed -n '/^row signature/{x;p;q};h' "$EM/$name.$type.model")
            case $conv:$last in
                party:*'./."' | state:*[!/]'."') pass "$name $type: the end mark is the rule file's" ;;
                *) fail "$name $type: ends with end_mark of the rule file copy ($conv: $(sed -n 's/^end_mark = //p' "$EM/templates/$conv/style"))" \
                        "last paragraph: ${last: -60}" ;;
            esac
        done
    done
else
    fail "a copy of the rule files with end_mark swapped (the rule files' end_mark lines changed?)"
fi

# ---- atomic output ----------------------------------------------------------

rec=${samples[0]}
# expect_write_fail WHAT DIR TARGET [RUNNER...]: exit 3, the target named,
# nothing at all left in DIR
expect_write_fail() {
    local what=$1 dir=$2 target=$3 rc
    shift 3
    "$@" "$VANBAN" render "$T_TMP/atomic/rec.json" -t resolution -o "$target" >/dev/null 2>"$T_TMP/err"
    rc=$?
    if [ "$rc" = 3 ]; then pass "atomic: $what: exit 3"
    else fail "atomic: $what: exit 3" "got exit $rc: $(head -3 "$T_TMP/err")"; fi
    if grep -qF -- "$target" "$T_TMP/err"; then pass "atomic: $what: the message names $target"
    else fail "atomic: $what: the message names $target" "$(head -3 "$T_TMP/err")"; fi
    local left=
    [ -d "$dir" ] && left=$(files_left "$dir")
    if [ -z "$left" ]; then pass "atomic: $what: nothing left behind"
    else fail "atomic: $what: nothing left in $dir" "$left"; fi
}
mkdir -p "$T_TMP/atomic"
cp "$rec" "$T_TMP/atomic/rec.json"
# the record must hold a resolution for these
if "$VANBAN" check "$T_TMP/atomic/rec.json" >/dev/null 2>&1; then
    expect_write_fail "missing directory" "$T_TMP/atomic/missing" "$T_TMP/atomic/missing/x.pdf"
    : >"$T_TMP/atomic/afile"
    mkdir -p "$T_TMP/atomic/d1"
    expect_write_fail "a file where the directory should be" "$T_TMP/atomic/d1" "$T_TMP/atomic/afile/x.pdf"
    mkdir -p "$T_TMP/atomic/isdir.pdf"
    expect_write_fail "the output is a directory" "$T_TMP/atomic/isdir.pdf" "$T_TMP/atomic/isdir.pdf"
    mkdir -p "$T_TMP/atomic/ro"
    chmod 555 "$T_TMP/atomic/ro"
    if [ "$(id -u)" != 0 ]; then
        expect_write_fail "read-only directory" "$T_TMP/atomic/ro" "$T_TMP/atomic/ro/x.pdf"
    elif command -v setpriv >/dev/null; then
        # root writes anywhere: run as nobody, from world-readable copies of
        # the binary, the data and the record, into ro/ (not writable)
        A=$T_TMP/atomic
        mkdir -p "$A/bin" "$A/data" "$A/rw"
        cp "$VANBAN" "$A/bin/vanban"
        cp -r templates "$A/data/"
        [ -d fonts ] && cp -r fonts "$A/data/"
        chmod -R a+rX "$T_TMP"
        chmod 777 "$A/rw"
        as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env VANBAN_DATA="$A/data" "$@"; }
        if as_nobody "$A/bin/vanban" render "$A/rec.json" -t resolution -o "$A/rw/x.pdf" 2>"$T_TMP/err"; then
            VANBAN=$A/bin/vanban expect_write_fail "read-only directory (as nobody)" "$A/ro" "$A/ro/x.pdf" as_nobody
        else
            skip "atomic: read-only directory: as nobody, vanban cannot run here ($(head -1 "$T_TMP/err"))"
        fi
        rm -rf "$A/bin" "$A/data" "$A/rw"
    else
        skip "atomic: read-only directory: running as root without setpriv"
    fi
    # a failed render leaves the file already there untouched; a good one replaces it
    printf 'old\n' >"$T_TMP/atomic/keep.pdf"
    printf '{"convention": "party",' >"$T_TMP/atomic/bad.json"
    "$VANBAN" render "$T_TMP/atomic/bad.json" -t resolution -o "$T_TMP/atomic/keep.pdf" 2>/dev/null
    rc=$?
    if [ $rc = 1 ] && [ "$(cat "$T_TMP/atomic/keep.pdf")" = old ]; then pass "atomic: bad input keeps the old output"
    else fail "atomic: bad input: exit 1 and the old output kept" "exit $rc, file now $(wc -c <"$T_TMP/atomic/keep.pdf") bytes"; fi
    if "$VANBAN" render "$T_TMP/atomic/rec.json" -t resolution -o "$T_TMP/atomic/keep.pdf" 2>/dev/null \
       && head -c 5 "$T_TMP/atomic/keep.pdf" | grep -q '^%PDF-'; then pass "atomic: a good render replaces the old output"
    else fail "atomic: a good render replaces the old output"; fi
    case $(files_left "$T_TMP/atomic") in
        *.tmp-*) fail "atomic: *.tmp-* files left" "$(files_left "$T_TMP/atomic")" ;;
        *) pass "atomic: no *.tmp-* files left" ;;
    esac
else
    fail "atomic: $rec passes vanban check"
fi

# ---- placement.py must fail broken documents ---------------------------------
# Copies of the rule files with one rule broken each; placement.py checks
# against conventions.md, so it must notice.  (templates/ itself is not touched.)
if T_NEED="placement self-test" have mutool; then
    selftest() {   # LABEL SAMPLE CONV SED-SCRIPT EXPECTED-FAILURE-TEXT
        local label=$1 sample=$2 conv=$3 script=$4 want=$5 d=$T_TMP/data-$RANDOM out
        mkdir -p "$d"
        cp -r templates "$d/"
        [ -d fonts ] && cp -r fonts "$d/"
        sed -i "$script" "$d/templates/$conv/style"
        if cmp -s "$d/templates/$conv/style" "templates/$conv/style"; then
            fail "placement self-test $label: the sed script changed nothing (style file changed?)"
            return
        fi
        if ! "$VANBAN" render "$sample" -t resolution --data "$d" -o "$d/x.pdf" 2>"$T_TMP/err"; then
            fail "placement self-test $label: render" "$(head -5 "$T_TMP/err")"
            return
        fi
        "$VANBAN" render "$sample" -t resolution --data "$d" --dump layout >"$d/x.layout" 2>/dev/null
        out=$(python3 tests/placement.py "$d/x.pdf" --convention "$conv" --layout "$d/x.layout" 2>&1)
        if [ $? = 1 ] && printf '%s\n' "$out" | grep -q "^FAIL: .*$want"; then
            pass "placement self-test $label"
        else
            fail "placement self-test $label: placement.py should fail with \"$want\"" "$(printf '%s\n' "$out" | tail -8)"
        fi
    }
    party= state=
    for rec in "${samples[@]}"; do
        # a resolution of two pages or more: the page number check needs page 2
        [ "$(grep -c '^page ' "$T_TMP/out/$(basename "$rec" .json).resolution.layout" 2>/dev/null)" -ge 2 ] 2>/dev/null || continue
        case $(conv_of "$rec" 2>/dev/null) in
            party) [ -n "$party" ] || party=$rec ;;
            state) [ -n "$state" ] || state=$rec ;;
        esac
    done
    if [ -n "$party" ]; then
        selftest "left margin 25 mm" "$party" party 's/^margin_left = .*/margin_left = 25mm/' "inside the margins"
        selftest "title 14 pt" "$party" party '/^\[zone title\]/,/^$/ s/^size = .*/size = 14pt/' "15 pt bold"
        selftest "no underline under Nơi nhận" "$party" party '/^\[zone recipients_title\]/,/^$/ s/^style = .*/style = regular/' "underlined"
        selftest "title rule too short" "$party" party '/^\[zone title\]/,/^$/ s/^rule = .*/rule = 90%/' "as long as the text"
        selftest "body left-aligned" "$party" party '/^\[zone body\]/,/^$/ s/^align = .*/align = left/' "end at 195 mm"
    fi
    if [ -n "$state" ]; then
        selftest "issuer rule 60%" "$state" state '/^\[zone issuer\]/,/^$/ s/^rule = .*/rule = 60%/' "1/3 to 1/2"
        selftest "motto 14 pt" "$state" state '/^\[zone motto\]/,/^$/ s/^size = .*/size = 14pt/' "motto: 13 pt"
        selftest "Nơi nhận not italic" "$state" state '/^\[zone recipients_title\]/,/^$/ s/^style = .*/style = bold/' "12 pt bold italic"
        selftest "page number at 25 mm" "$state" state 's/^page_number_y = .*/page_number_y = 25mm/' "alone in the top margin"
    fi
fi

# ---- decision, letter, report, proposal ---------------------------------------
# The samples that hold them (the An Bình People's Committee, the Hải Phòng
# report): without numbers each keeps the blank for the clerk; with the end
# marks swapped each ends with the copy's mark; and placement.py must fail
# copies of the rule files (or of a template) with a rule of these forms
# broken.
T2_STATE=samples/anbinh-ubnd-2024-12.json T2_PARTY=samples/haiphong-2021-12-28.json
if [ -f "$T2_STATE" ] && [ -f "$T2_PARTY" ]; then
    t2_unnumbered() {   # RECORD OUT: the record without the numbers of these types
        python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
for part in ("decision", "letter", "report", "proposal"):
    if isinstance(r.get(part), dict): r[part].pop("number", None)
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
' "$1" "$2"
    }
    t2_unnumbered "$T2_STATE" "$T_TMP/t2-state.json"
    t2_unnumbered "$T2_PARTY" "$T_TMP/t2-party.json"
    if T_NEED="the blank number check" have mutool; then
        t2_unnumbered samples/thudaumot-dangbo-2025-10.json "$T_TMP/t2-party2.json"
        for tc in state:decision:/QĐ-UBND state:letter:/UBND-TCKT state:proposal:/TTr-UBND party:report:-BC/ĐUK \
                  party2:decision:-QĐ/ĐU party2:letter:-CV/ĐU party2:proposal:-TTr/ĐU; do
            IFS=: read -r conv type code <<<"$tc"
            pdf=$T_TMP/t2-$conv.$type.pdf
            vb_ok "$conv $type without a number" render "$T_TMP/t2-$conv.json" -t "$type" -o "$pdf" || continue
            if out=$(python3 tests/blank-number.py "$pdf" "$code" 10 2>&1); then pass "$conv $type without a number: $out"
            else fail "$conv $type without a number: at least 10 mm blank before $code" "$out"; fi
        done
    fi
    for tc in state:decision state:letter state:proposal party:report; do
        conv=${tc%%:*} type=${tc#*:}
        rec=$T2_STATE; [ "$conv" = party ] && rec=$T2_PARTY
        vb_ok "$conv $type, end marks swapped" render "$rec" -t "$type" --data "$EM" --dump model >"$EM/t2.$type.model" || continue
        last=$(sed -n '/^row signature/{x;p;q};h' "$EM/t2.$type.model")
        case $conv:$last in
            party:*'./."' | state:*[!/]'."') pass "$conv $type: the end mark is the rule file's" ;;
            *) fail "$conv $type: ends with end_mark of the rule file copy" "last paragraph: ${last: -60}" ;;
        esac
    done
    # The Party's letter, decision and proposal of a second body (the sample
    # samples/thudaumot-dangbo-2025-10.json holds those of a ward's Đảng ủy):
    # a record made here from the Hải Phòng one (its issuer and meeting).
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
out = {k: r[k] for k in ("convention", "issuer", "place", "meeting")}
sig = {"authority": "T/M Ban Thường vụ", "position": "Phó Bí thư", "name": "Lê Hữu Toản"}
out["letter"] = {
    "number": 95, "date": "2022-01-05",
    "about": "về việc triển khai Nghị quyết Hội nghị lần thứ Bảy Ban Chấp hành Đảng bộ Khối",
    "to": ["Các đảng ủy, chi bộ cơ sở trực thuộc", "Các ban, Văn phòng, Ủy ban Kiểm tra Đảng ủy Khối"],
    "body": [{"paragraph": "Thực hiện Nghị quyết số 15-NQ/ĐUK, ngày 28/12/2021 của Ban Chấp hành Đảng bộ Khối về nhiệm vụ, giải pháp trọng tâm năm 2022, Ban Thường vụ Đảng ủy Khối đề nghị các đồng chí bí thư cấp ủy cơ sở tổ chức quán triệt Nghị quyết đến đảng viên và xây dựng kế hoạch thực hiện, gửi về Văn phòng Đảng ủy Khối trước ngày 31/01/2022."}],
    "recipients": ["Lưu Văn phòng Đảng ủy Khối"], "signature": sig}
out["decision"] = {
    "number": 212, "date": "2022-01-05",
    "subject": "về việc thành lập Tổ giúp việc theo dõi thực hiện Nghị quyết Hội nghị lần thứ Bảy",
    "authority": "Ban Thường vụ Đảng ủy Khối",
    "bases": ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ Khối Doanh nghiệp thành phố khóa III, nhiệm kỳ 2020 - 2025;"],
    "proposer": "Văn phòng Đảng ủy Khối",
    "body": [{"article": "Thành lập Tổ giúp việc theo dõi thực hiện Nghị quyết số 15-NQ/ĐUK, ngày 28/12/2021 của Ban Chấp hành Đảng bộ Khối, do đồng chí Chánh Văn phòng Đảng ủy Khối làm tổ trưởng."},
             {"article": "Tổ giúp việc tham mưu Ban Thường vụ định kỳ sơ kết, đánh giá việc thực hiện Nghị quyết; tự giải thể khi hoàn thành nhiệm vụ."},
             {"article": "Văn phòng Đảng ủy Khối, các ban của Đảng ủy Khối và các đồng chí có tên tại Điều 1 thi hành Quyết định này."}],
    "recipients": ["Như Điều 3", "Lưu Văn phòng Đảng ủy Khối"], "signature": sig}
out["proposal"] = {
    "number": 31, "date": "2021-12-20",
    "subject": "về việc ban hành Nghị quyết về nhiệm vụ, giải pháp trọng tâm năm 2022",
    "to": "Ban Chấp hành Đảng bộ Khối Doanh nghiệp thành phố",
    "body": [{"paragraph": "Ban Thường vụ Đảng ủy Khối kính trình Ban Chấp hành Đảng bộ Khối xem xét, thông qua dự thảo Nghị quyết về nhiệm vụ, giải pháp trọng tâm năm 2022 tại Hội nghị lần thứ Bảy, gồm 7 nhóm nhiệm vụ, giải pháp đã được các ban của Đảng ủy Khối chuẩn bị và tiếp thu ý kiến góp ý của các tổ chức cơ sở đảng."}],
    "recipients": ["Lưu Văn phòng Đảng ủy Khối"], "signature": sig}
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
' "$T2_PARTY" "$T_TMP/t2-party-set.json"
    for type in letter decision proposal; do
        out=$T_TMP/t2-party-set.$type
        vb_ok "party $type (made here)" render "$T_TMP/t2-party-set.json" -t "$type" -o "$out.pdf" || continue
        vb_ok "party $type (made here): --dump layout" render "$T_TMP/t2-party-set.json" -t "$type" --dump layout >"$out.layout" || continue
        placement "party $type (made here)" "$out.pdf" party "$(grep -c '^page ' "$out.layout")" "$out.layout"
    done
    if T_NEED="the blank number check" have mutool; then
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1],encoding="utf-8")); r["letter"].pop("number"); json.dump(r,open(sys.argv[1],"w",encoding="utf-8"),ensure_ascii=False)' "$T_TMP/t2-party-set.json"
        if vb_ok "party letter without a number" render "$T_TMP/t2-party-set.json" -t letter -o "$T_TMP/t2-party-set.nonum.pdf"; then
            if out=$(python3 tests/blank-number.py "$T_TMP/t2-party-set.nonum.pdf" "-CV/ĐUK" 10 2>&1); then pass "party letter without a number: $out"
            else fail "party letter without a number: at least 10 mm blank before -CV/ĐUK" "$out"; fi
        fi
    fi
    if T_NEED="placement self-test" have mutool; then
        t2_selftest() {   # LABEL RECORD TYPE CONV FILE SED-SCRIPT EXPECTED-FAILURE-TEXT (FILE under templates/CONV)
            local label=$1 rec=$2 type=$3 conv=$4 file=$5 script=$6 want=$7 d=$T_TMP/t2data-$RANDOM out
            mkdir -p "$d" && cp -r templates "$d/"
            [ -d fonts ] && cp -r fonts "$d/"
            sed -i "$script" "$d/templates/$conv/$file"
            if cmp -s "$d/templates/$conv/$file" "templates/$conv/$file"; then
                fail "placement self-test $label: the sed script changed nothing ($file changed?)"; return
            fi
            if ! "$VANBAN" render "$rec" -t "$type" --data "$d" -o "$d/x.pdf" 2>"$T_TMP/err"; then
                fail "placement self-test $label: render" "$(head -5 "$T_TMP/err")"; return
            fi
            "$VANBAN" render "$rec" -t "$type" --data "$d" --dump layout >"$d/x.layout" 2>/dev/null
            out=$(python3 tests/placement.py "$d/x.pdf" --convention "$conv" --layout "$d/x.layout" 2>&1)
            if [ $? = 1 ] && printf '%s\n' "$out" | grep -q "^FAIL: .*$want"; then pass "placement self-test $label"
            else fail "placement self-test $label: placement.py should fail with \"$want\"" "$(printf '%s\n' "$out" | tail -8)"; fi
            rm -rf "$d"
        }
        S=$T2_STATE P=$T2_PARTY
        t2_selftest "addressees' dashes not under the first" "$S" letter state style '/^\[zone addressee_list\]/,/^$/ s/^indent_left = .*/indent_left = 40mm/' "dashes in one column"
        t2_selftest "V/v 14 pt" "$S" letter state style '/^\[zone letter_summary\]/,/^$/ s/^size = .*/size = 14pt/' "letter: summary line"
        t2_selftest "V/v right under the number" "$S" letter state style '/^\[zone letter_summary\]/,/^$/ s/^space_before = .*/space_before = 0pt/' "6 pt"
        t2_selftest "V/v in the body" "$S" letter state letter.tpl 's/^letter_summary: \(.*\)/@end\nbody: \1\n@row header\n@cell left/' "under the number"
        t2_selftest "Kính gửi italic" "$S" proposal state style '/^\[zone addressee\]/,/^$/ s/^align = .*/style = italic/' "13-14 pt upright"
        t2_selftest "no Như trên" "$S" letter state signature_to.inc 's/^recipient: - Như trên;$/recipient: - Như trên nữa;/' "Như trên"
        t2_selftest "last addressee ends ;" "$S" letter state addressee.inc 's/^addressee_list: - {{t|trim_punct}}\.$/addressee_list: - {{t|trim_punct}};/' "the last '.'"
        t2_selftest "authority not in capitals" "$S" decision state style '/^\[zone authority\]/,/^$/ s/^upper = .*/upper = no/' "authority in capitals"
        t2_selftest "bases upright" "$S" decision state style '/^\[zone basis\]/,/^$/ s/^style = .*/style = regular/' "lines italic"
        t2_selftest "articles not indented" "$S" decision state style '/^\[zone article\]/,/^$/ s/^indent_first = .*/indent_first = 0mm/' "indented 10 mm"
        t2_selftest "summary rule 60%" "$S" proposal state style '/^\[zone summary\]/,/^$/ s/^rule = .*/rule = 60%/' "summary rule 1/3-1/2"
        t2_selftest "Party summary regular" "$P" report party style '/^\[zone summary\]/,/^$/ s/^style = .*/style = regular/' "summary .* bold"
        t2_selftest "Party summary without its dashes" "$P" report party report.tpl 's/^summary_mark: -----$/summary_mark: ~/' "dash line under the summary"
        # the Party's decision, letter and proposal of samples/thudaumot-dangbo-2025-10.json
        P2=samples/thudaumot-dangbo-2025-10.json
        t2_selftest "Party bases without their dashes" "$P2" decision party decision.tpl 's/^basis: - {{b}}$/basis: {{b}}/' "'- Căn cứ …' lines (Party)"
        t2_selftest "Party proposer after the enacting line" "$P2" decision party decision.tpl '/^basis: - Theo đề nghị/d; s/^@include body.inc$/body: - Theo đề nghị của {{decision.proposer}},\n@include body.inc/' "Theo đề nghị của"
        t2_selftest "Party letter summary upright" "$P2" letter party style '/^\[zone letter_summary\]/,/^$/ s/^style = .*/style = regular/' "letter: summary line"
        t2_selftest "Party letter: Kính gửi in the body" "$P2" letter party addressee.inc 's/^addressee: Kính gửi: - /body: Kính gửi: - /' "addressees' dashes in one column"
        t2_selftest "Party proposal: no Như trên" "$P2" proposal party signature_to.inc 's/^recipient: - Như trên,$/recipient: - Như dưới,/' "Như trên"
    fi
else
    fail "the samples of decision, letter, report, proposal ($T2_STATE, $T2_PARTY)"
fi

# ---- types1: placement.py must fail broken forms of the conference set ------
# A copy of the data (and of the record) with one thing broken: a rule file
# zone, a template line or a fact of the record; placement.py's "forms"
# checks must notice.
if T_NEED="placement self-test of the forms" have mutool; then
    form_selftest() {   # LABEL SAMPLE CONV TYPE FILE SED-SCRIPT EXPECTED-FAILURE-TEXT
        local label=$1 sample=$2 conv=$3 type=$4 file=$5 script=$6 want=$7 d=$T_TMP/form-$RANDOM out target
        mkdir -p "$d"
        cp -r templates "$d/"
        [ -d fonts ] && cp -r fonts "$d/"
        cp "$sample" "$d/rec.json"
        case $file in record) target=$d/rec.json ;; *) target=$d/templates/$conv/$file ;; esac
        cp "$target" "$d/before"
        sed -i "$script" "$target"
        if cmp -s "$target" "$d/before"; then
            fail "forms self-test $label: the sed script changed nothing ($file changed?)"
            return
        fi
        if ! "$VANBAN" render "$d/rec.json" -t "$type" --data "$d" -o "$d/x.pdf" 2>"$T_TMP/err"; then
            fail "forms self-test $label: render" "$(head -5 "$T_TMP/err")"
            return
        fi
        "$VANBAN" render "$d/rec.json" -t "$type" --data "$d" --dump layout >"$d/x.layout" 2>/dev/null
        out=$(python3 tests/placement.py "$d/x.pdf" --convention "$conv" --layout "$d/x.layout" 2>&1)
        if [ $? = 1 ] && printf '%s\n' "$out" | grep -q "^FAIL: .*$want"; then
            pass "forms self-test $label"
        else
            fail "forms self-test $label: placement.py should fail with \"$want\"" "$(printf '%s\n' "$out" | tail -8)"
        fi
    }
    hp=samples/haiphong-2021-12-28.json nd=samples/namdinh-hdnd-2023-01-05.json
    form_selftest "notice: summary not bold" "$hp" party notice style \
        '/^\[zone summary\]/,/^$/ s/^style = .*/style = regular/' "a summary under the type name, bold"
    form_selftest "plan: summary rule 1/4" "$nd" state plan style \
        '/^\[zone summary\]/,/^$/ s/^rule = .*/rule = 1\/4/' "summary's rule 1/3 to 1/2"
    form_selftest "plan: parts not bold" "$nd" state plan style \
        '/^\[zone heading1\]/,/^$/ s/^style = .*/style = regular/' "plan: bold parts"
    form_selftest "invitation: no 'Tới dự:'" "$hp" party invitation invitation.tpl \
        '/^body: Tới dự:/d' "the lines of Form 1.7 in order"
    form_selftest "invitation: dated after the meeting" "$hp" party invitation record \
        's/"date": "2021-12-22"/"date": "2021-12-29"/' "dated before the meeting"
    form_selftest "vote count: a share not of its base" "$nd" state vote_count vote_count.tpl \
        's/đạt {{r.pct|blank}}/đạt 99,99%/' "votes = "
    form_selftest "notice: no end mark" "$nd" state notice style \
        's/^end_mark = .*/end_mark = ""/' "content ends with ./."
fi

t_done
