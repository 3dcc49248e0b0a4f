#!/usr/bin/env bash
# tests/cli.sh — the command line as the platform expects it:
#  - `vanban --help`, `vanban COMMAND --help` and `-h` (and `vanban help
#    COMMAND`) print that command's usage to stdout, nothing to stderr, exit
#    0, even with no data folder;
#  - an unknown option exits 2 with the message and the usage on stderr;
#  - every option a usage lists is accepted by its command;
#  - docs/vanban.1 lints clean (mandoc -T lint; man --warnings too when
#    man is installed), names every option and command the usages list, and
#    lists no option that no usage has;
#  - `make install DESTDIR=…` puts the binary, the data, the Vietnamese
#    messages and the man page in place (the installed binary reads its
#    messages, under LANG=vi_VN.UTF-8), and `make uninstall` takes them away.
#  - tools/render-samples.sh (the end of the quick start's tools/setup.sh)
#    renders every document each sample holds, in both formats.
. "$(dirname "$0")/lib.sh"
t_init cli

MAN=docs/vanban.1
COMMANDS="render check batch serve register sign verify fonts types"

# ---- --help and -h ---------------------------------------------------------
# With VANBAN_DATA on a missing folder: help needs no data.
for cmd in "" $COMMANDS; do
    for flag in --help -h; do
        label="vanban${cmd:+ $cmd} $flag"
        VANBAN_DATA=$T_TMP/none "$VANBAN" $cmd $flag >"$T_TMP/out" 2>"$T_TMP/err"
        rc=$?
        want="usage: vanban ${cmd:-COMMAND}"
        if [ "$rc" = 0 ] && [ ! -s "$T_TMP/err" ] && head -1 "$T_TMP/out" | grep -qF "$want"; then
            pass "$label"
        else
            fail "$label: exit 0, \"$want\" on stdout, nothing on stderr; got exit $rc" \
                 "stdout: $(head -3 "$T_TMP/out")" "stderr: $(head -3 "$T_TMP/err")"
        fi
    done
    cp "$T_TMP/out" "$T_TMP/usage.${cmd:-top}"
    if [ -n "$cmd" ]; then
        "$VANBAN" help "$cmd" >"$T_TMP/out" 2>"$T_TMP/err"
        if [ $? = 0 ] && [ ! -s "$T_TMP/err" ] && cmp -s "$T_TMP/out" "$T_TMP/usage.$cmd"; then
            pass "vanban help $cmd is vanban $cmd --help"
        else
            fail "vanban help $cmd prints what vanban $cmd --help does" "$(diff "$T_TMP/usage.$cmd" "$T_TMP/out" | head -5)"
        fi
    fi
done
"$VANBAN" help >"$T_TMP/out" 2>&1 && cmp -s "$T_TMP/out" "$T_TMP/usage.top" &&
    pass "vanban help is vanban --help" || fail "vanban help is vanban --help"

# ---- usage errors: exit 2, message and usage on stderr, nothing on stdout --
usage_error() {   # LABEL WANT-IN-STDERR ARGS...
    local label=$1 want=$2
    shift 2
    "$VANBAN" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
    local rc=$?
    if [ "$rc" = 2 ] && [ ! -s "$T_TMP/out" ] && grep -qF -- "$want" "$T_TMP/err" &&
       grep -q '^usage: vanban' "$T_TMP/err"; then
        pass "$label"
    else
        fail "$label: exit 2, \"$want\" and the usage on stderr, nothing on stdout; got exit $rc" \
             "stdout: $(head -3 "$T_TMP/out")" "stderr: $(head -3 "$T_TMP/err")"
    fi
}
for cmd in $COMMANDS; do
    usage_error "vanban $cmd --no-such-option" "vanban $cmd: unknown option --no-such-option" $cmd --no-such-option
done
usage_error "vanban --no-such-option" 'unknown command "--no-such-option"' --no-such-option
usage_error "vanban (no command)" "" 
usage_error "vanban help a b" "vanban help: takes one command" help a b
usage_error "vanban types x (an argument)" "vanban types: takes no arguments" types x
usage_error "vanban fonts --fonts (no value)" "vanban fonts: --fonts needs a value" fonts --fonts

# ---- the options each usage lists -------------------------------------------
# Options are the -x and --word tokens of a usage text (synopsis and option
# lines), "--" included.
options_of() { grep -oE '(^|[][ ,|])--?[a-z][a-z-]*' "$1" | sed -E 's/^[][ ,|]//' | sort -u; }
: >"$T_TMP/all-options"
for cmd in "" $COMMANDS; do
    options_of "$T_TMP/usage.${cmd:-top}" >"$T_TMP/opts.${cmd:-top}"
    cat "$T_TMP/opts.${cmd:-top}" >>"$T_TMP/all-options"
    [ -s "$T_TMP/opts.${cmd:-top}" ] || fail "vanban${cmd:+ $cmd} --help lists no option"
    [ -n "$cmd" ] || continue
    bad=()
    while read -r opt; do
        VANBAN_DATA=$T_TMP/none "$VANBAN" "$cmd" "$opt" >/dev/null 2>"$T_TMP/err" </dev/null
        grep -q 'unknown option' "$T_TMP/err" && bad+=("$opt")
    done <"$T_TMP/opts.$cmd"
    [ ${#bad[@]} = 0 ] && pass "vanban $cmd accepts every option its usage lists" ||
        fail "vanban $cmd lists options it does not accept: ${bad[*]}"
done
for opt in $(cat "$T_TMP/opts.top"); do
    VANBAN_DATA=$T_TMP/none "$VANBAN" "$opt" >"$T_TMP/out" 2>"$T_TMP/err"
    [ $? = 0 ] && [ -s "$T_TMP/out" ] && [ ! -s "$T_TMP/err" ] && pass "vanban $opt" ||
        fail "vanban $opt: exit 0, output on stdout only" "$(cat "$T_TMP/err")"
done
echo "--" >>"$T_TMP/all-options"
sort -u -o "$T_TMP/all-options" "$T_TMP/all-options"

# ---- the man page -------------------------------------------------------------
if T_NEED="the man page lint and its option list" have mandoc; then
    lint=$(mandoc -T lint -W warning "$MAN" 2>&1)
    rc=$?
    [ "$rc" = 0 ] && [ -z "$lint" ] && pass "mandoc -T lint: $MAN is clean" ||
        fail "mandoc -T lint $MAN: exit $rc" "$lint"
    # the options tagged under OPTIONS (.TP, then the tag line) must be
    # exactly those the usages list: none undescribed, none stale
    awk '/^\.SH OPTIONS/{o=1; next} /^\.SH/{o=0} o && prev == ".TP" {print} {prev=$0}' "$MAN" |
        sed 's/\\-/-/g' | grep -oE '(^|[ "])(--?[a-z][a-z-]*|--$)' | sed -E 's/^[ "]//' | sort -u >"$T_TMP/man-options"
    missing=$(comm -23 "$T_TMP/all-options" "$T_TMP/man-options")
    [ -z "$missing" ] && pass "the man page describes every option of every usage ($(wc -l <"$T_TMP/all-options"))" ||
        fail "options in --help texts that $MAN does not describe under OPTIONS: $(echo $missing)"
    extra=$(comm -13 "$T_TMP/all-options" "$T_TMP/man-options")
    [ -z "$extra" ] && pass "every option the man page describes is in a usage" ||
        fail "options $MAN describes that no --help lists: $(echo $extra)"
    mandoc -T utf8 "$MAN" 2>/dev/null | sed 's/.\x08//g' >"$T_TMP/man.txt"
    tags=$(awk '/^\.SH COMMANDS/{o=1; next} /^\.SH/{o=0} o && prev == ".TP" {print} {prev=$0}' "$MAN")
    missing=()
    for cmd in $COMMANDS help; do
        printf '%s\n' "$tags" | grep -qx "\.B $cmd" || missing+=("$cmd")
    done
    [ ${#missing[@]} = 0 ] && pass "the man page describes every command" ||
        fail "commands $MAN does not describe under COMMANDS: ${missing[*]}"
    for sect in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES; do
        grep -qx "$sect" "$T_TMP/man.txt" && pass "man page section $sect" || fail "$MAN has no section $sect"
    done
    for word in VANBAN_DATA SOURCE_DATE_EPOCH LANG templates/ fonts/; do
        grep -qF -- "$word" "$T_TMP/man.txt" && pass "man page mentions $word" || fail "$MAN does not mention $word"
    done
fi
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    warn=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
    [ -z "$warn" ] && pass "man --warnings -l: no warnings" || fail "man --warnings -l $MAN" "$warn"
else
    echo "note: man or groff not installed: the page is linted by mandoc only"
fi

# ---- make install / uninstall -------------------------------------------------
if T_NEED="make install" have make; then
    D=$T_TMP/destdir
    P=${PREFIX:-/usr/local}
    # a make of our own, not the caller's flags (make test / make check)
    mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$T_ROOT" "$@"; }
    if out=$(mk install DESTDIR="$D" 2>&1); then
        pass "make install DESTDIR=…"
        [ -x "$D$P/bin/vanban" ] && cmp -s "$D$P/bin/vanban" "$T_ROOT/vanban" &&
            pass "binary installed in $P/bin" || fail "make install: no $P/bin/vanban (the built ./vanban)"
        tr -c '[:print:]' '\n' <"$D$P/bin/vanban" | grep -qx "$P/share/vanban" &&
            pass "the installed binary looks for its data in $P/share/vanban" ||
            fail "the installed binary does not have $P/share/vanban built in"
        bad=()
        for f in $(cd "$T_ROOT" && find templates -type f | sort); do
            cmp -s "$D$P/share/vanban/$f" "$T_ROOT/$f" || bad+=("$f")
        done
        [ -d "$D$P/share/vanban/fonts" ] || bad+=(fonts/)
        [ ${#bad[@]} = 0 ] && pass "templates and the fonts folder installed in $P/share/vanban" ||
            fail "make install: missing or different in $P/share/vanban: ${bad[*]}"
        cmp -s "$D$P/share/man/man1/vanban.1" "$MAN" && pass "man page installed in $P/share/man/man1" ||
            fail "make install: $P/share/man/man1/vanban.1 missing or different"
        got=$(VANBAN_DATA=$D$P/share/vanban "$D$P/bin/vanban" types 2>&1)
        [ "$got" = "$("$VANBAN" types 2>&1)" ] && pass "the installed binary reads the installed templates" ||
            fail "installed vanban types" "$got"
        mo=share/vanban/locale/vi/LC_MESSAGES/vanban.mo
        cmp -s "$D$P/$mo" "$T_ROOT/build/locale/vi/LC_MESSAGES/vanban.mo" && pass "the Vietnamese messages installed in $P/$mo" ||
            fail "make install: $P/$mo missing or not the built one"
        tr -c '[:print:]' '\n' <"$D$P/bin/vanban" | grep -qx "$P/share/vanban/locale" &&
            pass "the installed binary looks for its messages in $P/share/vanban/locale" ||
            fail "the installed binary does not have $P/share/vanban/locale built in"
        if locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\?8'; then
            got=$(VANBAN_DATA=$D$P/share/vanban LANG=vi_VN.UTF-8 "$D$P/bin/vanban" --help 2>&1)
            case $got in "cách dùng: vanban"*) pass "the installed binary reads the installed messages (LANG=vi_VN.UTF-8)" ;;
                *) fail "the installed binary reads the installed messages (LANG=vi_VN.UTF-8)" "$(printf '%s' "$got" | head -2)" ;; esac
        else skip "the vi_VN.UTF-8 locale is not generated: the installed messages are not read back"; fi
        if out=$(mk uninstall DESTDIR="$D" 2>&1); then
            left=$(cd "$D" && find . -type f | sed 's|^\./||')
            [ -z "$left" ] && pass "make uninstall removes every installed file" ||
                fail "make uninstall left files" "$left"
        else
            fail "make uninstall DESTDIR=…" "$out"
        fi
    else
        fail "make install DESTDIR=…" "$out"
    fi
fi

# ---- the quick start's first command renders every sample --------------
# tools/setup.sh ends with tools/render-samples.sh: each document a sample
# holds (vanban check), in both formats, and exit 0.
want=0
for rec in samples/*.json; do
    n=$("$VANBAN" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr ',' '\n' | grep -c .)
    want=$((want + 2 * n))
done
if out=$(OUT=$T_TMP/rs VANBAN=$VANBAN bash tools/render-samples.sh 2>&1); then
    got=$(find "$T_TMP/rs" -name '*.pdf' -size +1k -o -name '*.docx' -size +1k | wc -l)
    [ "$want" -gt 0 ] && [ "$got" = "$want" ] && pass "tools/render-samples.sh makes the $want documents the samples hold" ||
        fail "tools/render-samples.sh made $got documents, the samples hold $want"
else
    fail "tools/render-samples.sh (the quick start) failed" "$(printf '%s' "$out" | tail -3)"
fi

t_done
