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
export LC_ALL=C.UTF-8
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

# files_left DIR: the names in DIR (outputs and *.tmp-* leftovers), one a line
files_left() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | sort); }

t_done() {
    echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ] && exit 0
    exit 1
}
