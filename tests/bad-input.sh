#!/usr/bin/env bash
# tests/bad-input.sh — bad records and bad command lines must fail cleanly:
# the right exit code, a message that names the file and the field, and no
# output file (nor a *.tmp-* leftover) anywhere.
#
# The corpus is tests/bad/: each case is an input file NAME.json (any
# extension) and NAME.expect:
#     line 1   the exit code
#     line 2   a substring of stderr, exact; {in} is the input as passed,
#              {dir} the case's empty output folder, {out} = {dir}/out.pdf,
#              {bold_font} / {regular_font} the font files `vanban fonts` uses
#     then, optionally, "key: value" lines and "# comments":
#     args: render {in} -t resolution -o {out}     (the default command line)
#     check: N   what `vanban check {in}` must exit with; by default a record
#                rejected with exit 1 (default command line) must be rejected
#                by check too, with the same message
# Cases too big to commit (a 10,000-character word, a 5 MiB record…) and
# layout stress records are made here at run time.
. "$(dirname "$0")/lib.sh"
t_init bad-input

BAD=tests/bad
fonts=$("$VANBAN" fonts 2>/dev/null)
bold_font=$(printf '%s\n' "$fonts" | sed -n 's/^ *bold  *\([^ ]*\).*/\1/p' | head -1)
regular_font=$(printf '%s\n' "$fonts" | sed -n 's/^ *regular  *\([^ ]*\).*/\1/p' | head -1)
bold_font=${bold_font##*/} regular_font=${regular_font##*/}
[ -n "$bold_font" ] && [ -n "$regular_font" ] || fail "vanban fonts names a regular and a bold font file" "$fonts"

subst() {     # TEXT: the placeholders of an .expect file filled in
    local s=$1
    s=${s//\{in\}/$C_IN}
    s=${s//\{out\}/$C_DIR/out.pdf}
    s=${s//\{dir\}/$C_DIR}
    s=${s//\{bold_font\}/$bold_font}
    s=${s//\{regular_font\}/$regular_font}
    printf '%s' "$s"
}

# run_case NAME INPUT CODE MESSAGE [ARGS-TEMPLATE] [CHECK-CODE]
run_case() {
    local name=$1 code=$3 args_t=${5:-"render {in} -t resolution -o {out}"} check_code=${6:-} rc w
    C_IN=$2 C_DIR=$T_TMP/case-$name
    mkdir -p "$C_DIR"
    local msg
    msg=$(subst "$4")
    local args=()
    for w in $args_t; do args+=("$(subst "$w")"); done
    "$VANBAN" "${args[@]}" >"$C_DIR.stdout" 2>"$C_DIR.stderr"
    rc=$?
    local err
    err=$(cat "$C_DIR.stderr")
    if [ "$rc" = "$code" ]; then pass "$name: exit $code"
    else fail "$name: exit $code" "got exit $rc from: vanban ${args[*]}" "$err"; fi
    if [ -z "$msg" ]; then
        fail "$name: the .expect file gives no message"
    elif grep -qF -- "$msg" "$C_DIR.stderr"; then pass "$name: message"
    else fail "$name: stderr holds: $msg" "got: $err"; fi
    if grep -qE 'Sanitizer|runtime error:|Segmentation|Aborted|core dumped' "$C_DIR.stderr"; then
        fail "$name: a crash or sanitizer report" "$err"
    fi
    local left
    left=$(files_left "$C_DIR")
    if [ -z "$left" ]; then pass "$name: no output left"
    else fail "$name: nothing left in the output folder" "$left"; fi
    # the record checker agrees with render about records
    if [ -z "$check_code" ] && [ "$code" = 1 ] && [ -z "${5:-}" ]; then check_code=1; fi
    if [ -n "$check_code" ]; then
        "$VANBAN" check "$C_IN" >/dev/null 2>"$C_DIR.check"
        rc=$?
        if [ "$rc" = "$check_code" ]; then pass "$name: vanban check exits $check_code"
        else fail "$name: vanban check exits $check_code" "got $rc: $(head -3 "$C_DIR.check")"; fi
        if [ "$check_code" = 1 ] && ! grep -qF -- "$msg" "$C_DIR.check"; then
            fail "$name: vanban check gives the same message" "got: $(head -3 "$C_DIR.check")"
        fi
    fi
}

# ---- the corpus -------------------------------------------------------------

n=0
for exp in "$BAD"/*.expect; do
    [ -e "$exp" ] || break
    name=$(basename "$exp" .expect)
    input=
    for f in "$BAD/$name".*; do
        [ "$f" = "$exp" ] || { input=$f; break; }
    done
    if [ -z "$input" ]; then fail "$name: $exp has no input file $BAD/$name.*"; continue; fi
    code= msg= args= check= i=0
    while IFS= read -r line || [ -n "$line" ]; do
        i=$((i + 1))
        case $i:$line in
            1:*) code=$line ;;
            2:*) msg=$line ;;
            *:'#'*|*:) ;;
            *:args:\ *) args=${line#args: } ;;
            *:check:\ *) check=${line#check: } ;;
            *) fail "$exp:$i: unknown line: $line" ;;
        esac
    done <"$exp"
    case $code in
        [0-9]) ;;
        *) fail "$exp: line 1 must be an exit code, got '$code'"; continue ;;
    esac
    run_case "$name" "$input" "$code" "$msg" "$args" "$check"
    n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "no cases in $BAD"
for f in "$BAD"/*; do
    case $f in *.expect) continue ;; esac
    [ -e "${f%.*}.expect" ] || fail "$f has no ${f%.*}.expect"
done

# ---- cases made at run time -------------------------------------------------

party= state=
for rec in samples/*.json; do
    case $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1],encoding="utf-8")).get("convention"))' "$rec") in
        party) [ -n "$party" ] || party=$rec ;;
        state) [ -n "$state" ] || state=$rec ;;
    esac
done
G=$T_TMP/gen
mkdir -p "$G"
if [ -z "$party" ]; then
    fail "a Party sample in samples/ to build the generated cases from"
else
    python3 - "$party" "$G" "$state" 2>"$T_TMP/gen.err" <<'EOF'
import copy, json, sys
src, out, state = sys.argv[1:4]
base = json.load(open(src, encoding="utf-8"))
def write(name, r):
    with open("%s/%s.json" % (out, name), "w", encoding="utf-8") as f:
        json.dump(r, f, ensure_ascii=False, indent=1)
def mod(name, fn):
    r = copy.deepcopy(base); fn(r); write(name, r)
# a 10,000-character word of Vietnamese letters, every tone and vowel
letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
word = "".join(letters[i % len(letters)] for i in range(10000))
mod("giant-word-body", lambda r: r["resolution"]["body"].insert(1, {"paragraph": "Từ " + word + " cuối."}))
mod("giant-word-subject", lambda r: r["resolution"].__setitem__("subject", "về " + word))
# beyond the limits of docs/record-format.md
mod("too-many-items", lambda r: r["resolution"].__setitem__("recipients", ["Nơi nhận"] * 5001))
mod("string-too-long", lambda r: r["resolution"]["body"].insert(1, {"paragraph": "ư " * 30000}))
mod("record-too-big", lambda r: r["resolution"].__setitem__("body", [{"paragraph": "xin chào " * 6000}] * 100))
# layout stress (each was a bug once): a signature row taller than a page,
# long place names, a wide superior body beside the Quốc hiệu
mod("many-recipients", lambda r: r["resolution"].__setitem__("recipients", ["Nơi nhận số %d" % i for i in range(150)]))
mod("long-place", lambda r: r.__setitem__("place", "Thành phố Buôn Ma Thuột"))
mod("one-word-place", lambda r: r.__setitem__("place", word[:300]))
if state:
    r = json.load(open(state, encoding="utf-8"))
    r["issuer"].update({"superior": "Ủy ban nhân dân tỉnh Nam Định", "name": "Sở Kế hoạch và Đầu tư", "code": "SKHĐT"})
    write("state-wide-superior", r)
EOF
    rc=$?
    if [ $rc = 0 ]; then pass "the generator of the made-up records runs"
    else fail "the generator of the made-up records runs (exit $rc)" "$(head -10 "$T_TMP/gen.err")"; fi
fi
[ -n "$state" ] || fail "a state sample in samples/ to build the state case from"

# gen NAME: the made-up record exists; a case that vanished is a failure,
# never a silent skip
gen() {
    if [ -s "$G/$1.json" ]; then return 0; fi
    fail "gen-$1: the made-up record $G/$1.json was made"
    return 1
}

# made-up records that must fail
gen too-many-items &&
    run_case gen-too-many-items "$G/too-many-items.json" 1 '{in}: /resolution/recipients: expected at most 5000 items, got 5001'
gen string-too-long && run_case gen-string-too-long "$G/string-too-long.json" 1 \
        '{in}: /resolution/body/1/paragraph: expected text of at most 65536 bytes, got 90000 bytes'
# the date line never wraps: a place of one 300-character word fits no column
gen one-word-place && run_case gen-one-word-place "$G/one-word-place.json" 1 \
        '{in}: /place: "'"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["place"][:80])' "$G/one-word-place.json")"'…": its date_line line needs '
if gen record-too-big; then
    size=$(wc -c <"$G/record-too-big.json")
    if [ "$size" -gt 4194304 ]; then
        run_case gen-record-too-big "$G/record-too-big.json" 1 '{in}: file is larger than the limit of 4194304 bytes'
    else
        fail "gen-record-too-big: the made-up record should exceed 4 MiB" "it has $size bytes"
    fi
fi

# made-up records that must render: giant words (split between characters
# at line ends, hence "unspaced" text), a signature row taller than a page,
# long place names, a wide superior body beside the Quốc hiệu
succeed() {   # NAME RECORD CONVENTION exact|unspaced
    local name=$1 rec=$2 conv=$3 mode=$4 dir=$T_TMP/case-$1 out
    mkdir -p "$dir"
    if "$VANBAN" render "$rec" -t resolution -o "$dir/out.pdf" 2>"$dir.stderr"; then
        pass "$name: renders (exit 0)"
    else
        fail "$name: renders (exit 0)" "got exit $?: $(head -5 "$dir.stderr")"
        return 1
    fi
    case $(files_left "$dir") in
        out.pdf) pass "$name: exactly one PDF made" ;;
        *) fail "$name: exactly one PDF made, nothing else" "$(files_left "$dir")" ;;
    esac
    # no line lost: every paragraph is in the text, exactly
    if T_NEED="text of made-up records" have pdftotext; then
        "$VANBAN" render "$rec" -t resolution --dump model >"$dir.model" 2>/dev/null
        if pdftotext -raw -enc UTF-8 "$dir/out.pdf" "$dir.txt" 2>/dev/null && drop_page_numbers "$dir.txt" \
           && out=$(model_in_text "$dir.model" "$dir.txt" "pdftotext -raw" "$mode"); then
            pass "$name: every paragraph is in the PDF text"
        else
            fail "$name: every paragraph is in the PDF text (pdftotext -raw)" "$out"
        fi
    fi
    if T_NEED="placement of made-up records" have mutool; then
        "$VANBAN" render "$rec" -t resolution --dump layout >"$dir.layout" 2>/dev/null
        if out=$(python3 tests/placement.py "$dir/out.pdf" --convention "$conv" --layout "$dir.layout" 2>&1); then
            pass "$name: every page inside the margins, placement ok"
        else
            fail "$name: placement" "$out"
            return 1
        fi
    fi
}
# (every paragraph, the giant word too, must be in the text: succeed checks it)
gen giant-word-body && succeed gen-giant-word-body "$G/giant-word-body.json" party unspaced
gen giant-word-subject && succeed gen-giant-word-subject "$G/giant-word-subject.json" party unspaced
gen many-recipients && succeed gen-many-recipients "$G/many-recipients.json" party exact
gen long-place && succeed gen-long-place "$G/long-place.json" party exact
gen state-wide-superior && succeed gen-state-wide-superior "$G/state-wide-superior.json" state exact

# nothing was ever written next to the inputs
left=$(find "$BAD" "$G" -name '*.tmp-*' 2>/dev/null)
if [ -z "$left" ]; then pass "no *.tmp-* file next to the inputs"
else fail "no *.tmp-* file next to the inputs" "$left"; fi

t_done
