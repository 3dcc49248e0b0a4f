# tests/lib.sh — helpers shared by the shell runners in tests/.  Source it
# first thing:
#
#     . "$(dirname "$0")/lib.sh"
#     t_init e2e                      # the runner's name, a scratch dir $T_TMP
#     pass "what"; fail "what" [detail lines…]; skip "what (why)"
#     have qpdf mutool || { …; }      # false, with a skip line, when missing
#     t_done                          # "e2e: N passed, N failed", exit status
#
# After sourcing, the working directory is the repository root, $VANBAN is
# the binary (absolute; from the environment, default ./vanban) and
# VANBAN_DATA points at the repository so a binary outside it (make check's
# build-san/vanban) still finds templates/.  Scratch files go under $T_TMP,
# removed on exit, also on Ctrl-C.  CI=true turns a skip into a failure:
# CI must run every check.

T_CALLER_PWD=$PWD
VANBAN=${VANBAN:-./vanban}
case $VANBAN in
    /*) ;;
    */*) VANBAN=$T_CALLER_PWD/$VANBAN ;;
    *) VANBAN=$(command -v "$VANBAN" || echo "$T_CALLER_PWD/$VANBAN") ;;
esac
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$T_ROOT" || exit 3
export VANBAN
export VANBAN_DATA=${VANBAN_DATA:-$T_ROOT}
# The C locale for every tool and English messages from vanban, which the
# runners compare.  Through LANG with every LC_* and LANGUAGE unset, not
# LC_ALL: a runner can then set LANG or LC_MESSAGES for one command
# (tests/i18n.sh), which LC_ALL would override.
unset LC_ALL LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY LC_MESSAGES LC_PAPER LC_NAME \
      LC_ADDRESS LC_TELEPHONE LC_MEASUREMENT LC_IDENTIFICATION LANGUAGE
export LANG=C.UTF-8
# the unit binaries run-all.sh starts read CI from their environment too
[ -z "${CI+set}" ] || export CI
T_PASS=0 T_FAIL=0 T_SKIP=0 T_NAME=test T_TMP=

t_init() {    # NAME
    T_NAME=$1
    T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vanban-$T_NAME.XXXXXX") || exit 3
    trap 't_cleanup' EXIT
    trap 't_cleanup; trap - INT; kill -INT $$' INT
    trap 't_cleanup; exit 143' TERM
    if [ ! -x "$VANBAN" ]; then
        fail "the binary $VANBAN exists (make vanban, or set VANBAN)"
        t_done
    fi
}

t_cleanup() {
    if [ -n "$T_TMP" ] && [ -d "$T_TMP" ]; then
        chmod -R u+rwx "$T_TMP" 2>/dev/null
        rm -rf "$T_TMP"
    fi
}

# t_greedy_data DIR: a copy of templates/ in DIR/templates with every rule
# file set to `breaking = greedy`, for `vanban --data DIR`: the line
# breaking of Word and LibreOffice, so that our PDF can be compared with
# LibreOffice's rendering of our DOCX line by line.  Fails (non-zero) when a
# rule file does not say `breaking = total-fit`, so that the copy never
# silently keeps total fit.
t_greedy_data() {
    local d=$1 f
    mkdir -p "$d" && cp -r "$T_ROOT/templates" "$d/" || return 1
    for f in "$d"/templates/*/style; do
        grep -q '^breaking *= *total-fit *$' "$f" || { echo "t_greedy_data: $f does not say breaking = total-fit" >&2; return 1; }
        sed -i 's/^breaking *= *total-fit *$/breaking = greedy/' "$f" || return 1
    done
}

# t_unnumbered SRC DST: DST is the record SRC with no document number
# (resolution.number, minutes.number removed): the documents print the blank
# number line a clerk fills in by hand.  Prints "CONVENTION ISSUER-CODE".
t_unnumbered() {
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
for part in ("resolution", "minutes"):
    if isinstance(r.get(part), dict): r[part].pop("number", None)
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
print(r["convention"], r["issuer"]["code"])
' "$1" "$2"
}

# number_code CONVENTION TYPE-CODE ISSUER-CODE: what follows the number on
# the number line: "/NQ-HĐND" (state), "-NQ/ĐUK" (Party)
number_code() { if [ "$1" = party ]; then echo "-$2/$3"; else echo "/$2-$3"; fi; }

pass() { T_PASS=$((T_PASS + 1)); [ -z "${VERBOSE:-}" ] || echo "ok: $1"; }

fail() {      # WHAT [DETAIL...]: one FAIL line, then indented details
    T_FAIL=$((T_FAIL + 1))
    echo "FAIL: $T_NAME: $1"
    shift
    local l
    for l in "$@"; do printf '%s\n' "$l" | sed 's/^/    /'; done
}

skip() {      # WHAT: a visible skip; a failure under CI=true
    if [ "${CI:-}" = true ]; then
        fail "$1 (CI=true: nothing may be skipped)"
    else
        T_SKIP=$((T_SKIP + 1))
        echo "skip: $T_NAME: $1"
    fi
}

check() {     # WHAT COMMAND...: pass when the command succeeds
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$what"; else fail "$what" "$(printf '%s' "$out" | head -20)"; fi
}

# have TOOL...: true when every tool is installed; otherwise one skip line
# per missing tool (with what needs it, $T_NEED) and false.
T_SKIPPED_TOOLS=" "
have() {
    local t ok=0
    for t in "$@"; do
        if ! command -v "$t" >/dev/null 2>&1; then
            ok=1
            case $T_SKIPPED_TOOLS in
                *" $t "*) ;;    # said once is enough
                *) T_SKIPPED_TOOLS="$T_SKIPPED_TOOLS$t "
                   skip "$t is not installed; checks that need it are skipped (${T_NEED:-needed})" ;;
            esac
        fi
    done
    return $ok
}

# drop_page_numbers FILE: in the text a PDF reader extracted (pages split
# by form feeds), remove from every page N >= 2 the first line that is just
# "N" (its page number, wherever the reader put it), in place.  Then a
# paragraph that runs over a page break reads on unbroken.
drop_page_numbers() {
    python3 -c '
import sys
path = sys.argv[1]
pages = open(path, encoding="utf-8").read().split("\f")
for i in range(1, len(pages)):
    lines = pages[i].split("\n")
    for k, line in enumerate(lines):
        if line.strip() == str(i + 1):
            del lines[k]
            break
    pages[i] = "\n".join(lines)
open(path, "w", encoding="utf-8").write("\f".join(pages))
' "$1"
}

# model_in_text MODEL TEXT LABEL exact|reading-order|unspaced: every paragraph of a
# --dump model file is in TEXT (a PDF reader's output, page numbers
# dropped), white space folded, and TEXT is NFC; and TEXT holds nothing
# else: its characters (white space aside; hyphens too in reading-order
# mode) are exactly the model's, and in exact and unspaced modes every
# line of it is made of pieces of paragraphs.  Prints what is wrong.
model_in_text() {
    python3 -c '
import re, sys, unicodedata
model, textfile, label, mode = sys.argv[1:5]
def fold(s): return " ".join(s.split())
# "reading-order" (plain pdftotext): its heuristics join a line ending in
# "-" to the next as a hyphenated word, dropping the "-", and may interleave
# the two columns of a header or signature row line by line.  So hyphens
# are ignored, and a row paragraph need only have its words in order.
# "unspaced": a word longer than a line is split between characters, so
# white space is ignored altogether.
# A line may also break right after a hyphen ("Rịa-|Vũng", "42-|BB"): a
# reader then puts a space or a line break there, so none is required.
def norm(s):
    if mode == "reading-order": return fold(s.replace("-", " "))
    if mode == "unspaced": return "".join(s.split())
    return re.sub(r"- ", "-", fold(s))
paras = []    # (text, in a two-column row)
# the dump escapes \" \\ \n \t \r inside a string: one paragraph, one line
def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), s)
heads = []    # the characters of the header rows of each table: they repeat on every page it continues on
in_head = False
ncols = 0     # the most columns of a table: a reader joins the cells of a row on one line
for line in open(model, encoding="utf-8").read().split("\n"):
    if re.match(r"table \d+ columns:", line):
        heads.append(""); in_head = False
        ncols = max(ncols, int(line.split()[1]))
    elif re.match(r"  row (header|body|total)$", line): in_head = line.endswith("header")
    elif line[:1] not in ("", " "): in_head = False
    m = re.match(r"(\s*)[a-z_0-9]+:((?: (?:\[[biu]+\])?\"(?:[^\"\\]|\\.)*\")+)$", line)
    if m:
        runs = re.findall(r" (?:\[[biu]+\])?\"((?:[^\"\\]|\\.)*)\"", m.group(2))
        paras.append((fold(unescape("".join(runs))), len(m.group(1)) > 0))
        if in_head and heads: heads[-1] += paras[-1][0]
raw = open(textfile, encoding="utf-8").read()     # page numbers already dropped
text = norm(raw)
words = text.split()
def in_order(p):
    pos = 0
    for w in norm(p).split():
        try:
            pos = words.index(w, pos) + 1
        except ValueError:
            return False
    return True
bad = 0
if not paras:
    print("no paragraph in the model dump"); bad += 1
for p, in_row in paras:
    if norm(p) in text or (mode == "reading-order" and in_row and in_order(p)):
        continue
    bad += 1
    if bad <= 3:
        ws = norm(p).split()
        n = len(ws)
        while n > 0 and " ".join(ws[:n]) not in text:
            n -= 1
        print("missing: %r" % (p[:120]))
        print("  the text holds its first %d of %d words%s" % (n, len(ws),
              "; then: %r" % text[text.find(" ".join(ws[:n])):][:120] if n else ""))
# Nothing but the model: a stray or duplicated line adds characters.
# (Counted without white space; in reading-order mode without hyphens,
# which those readers drop at line ends.)
from collections import Counter
def chars(s):
    s = "".join(s.split())
    return Counter(s.replace("-", "") if mode == "reading-order" else s)
have, want = chars(raw), chars("".join(p for p, _ in paras))
extra = have - want
if extra and not (want - have):
    # the header rows of a table, repeated on the pages it continues on, are
    # in the text once a page
    for h in map(chars, heads):
        while h and all(extra[c] >= n for c, n in h.items()):
            extra -= h
    if not extra: have = want
if have != want:
    bad += 1
    more, less = have - want, want - have
    print("%s text holds %d characters, the model %d: more %s, fewer %s" % (label, sum(have.values()),
          sum(want.values()), "".join(sorted(more.elements()))[:60] or "none",
          "".join(sorted(less.elements()))[:60] or "none"))
# Every line is a piece of a paragraph, or (a reader joins the lines of
# two columns, or runs a line on into the next paragraph) of at most three
# paragraphs, or as many as the widest table has columns (the cells of a
# row share a baseline), white space ignored: greedy longest pieces.
if mode in ("exact", "unspaced"):
    limit = max(3, ncols)
    squeezed = "\0".join("".join(p.split()) for p, _ in paras)
    stray = 0
    for line in raw.replace("\f", "\n").split("\n"):
        l, pos, pieces = "".join(line.split()), 0, 0
        while pos < len(l) and pieces <= limit:
            lo, hi = 0, len(l) - pos
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if l[pos:pos + mid] in squeezed: lo = mid
                else: hi = mid - 1
            if lo == 0: break
            pos, pieces = pos + lo, pieces + 1
        if pos < len(l):
            stray += 1
            if stray <= 3:
                print("%s line %r is not made of pieces of the model paragraphs (at %r)" % (label, line[:100], l[pos:pos + 30]))
    if stray:
        bad += 1
if not unicodedata.is_normalized("NFC", raw):
    bad += 1
    odd = [w for w in raw.split() if not unicodedata.is_normalized("NFC", w)][:5]
    print("%s text is not NFC, e.g. %s" % (label, ", ".join("%r (%s)" % (w, " ".join("U+%04X" % ord(c) for c in w)) for w in odd)))
print("%s: %d paragraphs, %d problems" % (label, len(paras), bad))
sys.exit(1 if bad else 0)
' "$@"
}

# files_left DIR: the names in DIR (outputs and *.tmp-* leftovers), one a line
files_left() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | sort); }

t_done() {
    echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ] && exit 0
    exit 1
}
