#!/usr/bin/env bash
# tests/i18n.sh — the command line in Vietnamese (gettext, po/vi.po;
# docs/i18n.md):
#   - every message of render/*.c is in po/vi.po, translated, not fuzzy
#     (tools/po-update.sh --check on a fresh extraction), and a message
#     added to the sources without a translation is caught (self-test on
#     a copy); msgfmt --check accepts po/vi.po;
#   - under LANG=vi_VN.UTF-8, LC_MESSAGES=vi_VN.UTF-8 alone and LC_ALL: a
#     bad record, a missing file, usage errors and --help in Vietnamese
#     (exact strings), with the exit codes of English; under LANG=C.UTF-8
#     and with no locale variable at all, English;
#   - every case of tests/bad/ gives the same exit code in Vietnamese and a
#     message that is not the English one;
#   - PDF, DOCX, the layout dump and batch outputs byte-identical under
#     the Vietnamese locale and the C locale.
# Without the vi_VN.UTF-8 locale (tools/setup.sh generates it) the checks
# that need it say skip: (a failure under CI=true).
. "$(dirname "$0")/lib.sh"
t_init i18n

VI=vi_VN.UTF-8
# run ENV... -- ARGS...: vanban with exactly these locale variables (the
# others unset); stdout, stderr and the exit code in $T_TMP/{out,err,rc}
run() {
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env -u LANG -u LC_ALL -u LC_MESSAGES -u LANGUAGE "${envs[@]}" "$VANBAN" "$@" \
        >"$T_TMP/out" 2>"$T_TMP/err"
    echo $? >"$T_TMP/rc"
}
rc() { cat "$T_TMP/rc"; }
# expect WHAT CODE FILE TEXT: the last run exited CODE and FILE (out|err) holds TEXT
expect() {
    local what=$1 code=$2 file=$3 text=$4
    if [ "$(rc)" = "$code" ] && grep -qF -- "$text" "$T_TMP/$file"; then pass "$what"
    else fail "$what" "want exit $code and in std$file: $text" "got exit $(rc); stdout: $(head -3 "$T_TMP/out")" \
                 "stderr: $(head -5 "$T_TMP/err")"; fi
}

# ---- 1, 2: the catalogue -----------------------------------------------------
T_NEED="the extraction of the messages and the catalogue checks"
if have xgettext msgmerge msgattrib msgfmt; then
    if out=$(tools/po-update.sh --check 2>&1); then
        pass "po/vi.po: every message of render/*.c, translated, none fuzzy ($(printf '%s' "$out" | head -1))"
    else
        fail "po/vi.po has every message of render/*.c translated (tools/po-update.sh to update it)" "$out"
    fi
    if out=$(msgfmt --check -o /dev/null po/vi.po 2>&1); then pass "msgfmt --check po/vi.po"
    else fail "msgfmt --check po/vi.po" "$out"; fi
    # the check must see a new English message: a copy of the sources with one more
    mkdir -p "$T_TMP/src/tools" "$T_TMP/src/render"
    cp tools/po-update.sh "$T_TMP/src/tools/" && cp -r po templates "$T_TMP/src/" && cp render/*.c render/*.h "$T_TMP/src/render/"
    printf '%s\n' 'void vb_i18n_selftest(vb_diag *d);' \
        'void vb_i18n_selftest(vb_diag *d) { vb_error(d, 1, "%s: a message nobody translated", "x"); }' \
        >>"$T_TMP/src/render/vb.c"
    out=$("$T_TMP/src/tools/po-update.sh" --check 2>&1)
    if [ $? = 1 ] && printf '%s' "$out" | grep -qF 'untranslated: msgid "%s: a message nobody translated"'; then
        pass "self-test: a message added without a translation fails the check and is named"
    else fail "self-test: a message added without a translation fails the check and is named" "$out"; fi
    # …and a translation that loses a conversion fails msgfmt --check
    sed '0,/^msgstr "%s: không mở được: %s"$/s//msgstr "không mở được: %s"/' po/vi.po >"$T_TMP/bad.po"
    if cmp -s po/vi.po "$T_TMP/bad.po"; then fail "self-test: po/vi.po has the translation of \"%s: cannot open: %s\""
    elif msgfmt --check -o /dev/null "$T_TMP/bad.po" 2>/dev/null; then
        fail "self-test: msgfmt --check refuses a translation that drops a %s"
    else pass "self-test: msgfmt --check refuses a translation that drops a %s"; fi
fi
mo=$(dirname "$VANBAN")/build/locale/vi/LC_MESSAGES/vanban.mo
[ -f "$mo" ] || mo=$(dirname "$VANBAN")/locale/vi/LC_MESSAGES/vanban.mo
if [ -f "$mo" ] && [ ! po/vi.po -nt "$mo" ]; then pass "the compiled catalogue is beside the binary and up to date ($mo)"
else fail "the compiled catalogue is beside the binary and newer than po/vi.po (make vanban)" "looked for $mo"; fi

# ---- English: LANG=C.UTF-8, and no locale variable at all --------------------
bad=tests/bad/date-format.json
for envset in "LANG=C.UTF-8" "LANGUAGE=vi"; do
    label=${envset%%=*}; [ "$envset" = LANGUAGE=vi ] && label="no locale (LANGUAGE=vi alone is ignored)"
    run "$envset" -- render "$bad" -t resolution -o "$T_TMP/x.pdf"
    expect "$label: a bad record in English" 1 err "$bad: /resolution/date: expected YYYY-MM-DD, got \"28/12/2021\""
    run "$envset" -- render "$T_TMP/none.json" -t resolution -o "$T_TMP/x.pdf"
    expect "$label: a missing file in English" 3 err "$T_TMP/none.json: cannot open: No such file or directory"
    run "$envset" -- render "$bad" --bogus
    expect "$label: a usage error in English" 2 err "vanban render: unknown option --bogus"
    run "$envset" -- --help
    expect "$label: --help in English" 0 out "usage: vanban COMMAND [OPTION]... [ARG]..."
done

# ---- 5: the Vietnamese locale must exist ------------------------------------
if ! locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\?8'; then
    skip "the $VI locale is not generated (tools/setup.sh: locale-gen); the Vietnamese checks are skipped"
    t_done
fi

# ---- 3: Vietnamese, by LANG, by LC_MESSAGES alone, by LC_ALL ------------------
for envset in "LANG=$VI" "LC_MESSAGES=$VI" "LC_ALL=$VI" "LANG=C.UTF-8 LC_MESSAGES=$VI"; do
    label=${envset// /, }
    # shellcheck disable=SC2086  # envset is words on purpose
    run $envset -- render "$bad" -t resolution -o "$T_TMP/x.pdf"
    expect "$label: a bad record in Vietnamese" 1 err "$bad: /resolution/date: cần ngày dạng năm-tháng-ngày (YYYY-MM-DD, ví dụ 2024-12-20), nhưng nhận được \"28/12/2021\""
    # shellcheck disable=SC2086
    run $envset -- render "$T_TMP/none.json" -t resolution -o "$T_TMP/x.pdf"
    expect "$label: a missing file in Vietnamese" 3 err "$T_TMP/none.json: không mở được: "
    # shellcheck disable=SC2086
    run $envset -- render "$bad" --bogus
    expect "$label: a usage error in Vietnamese" 2 err "vanban render: tùy chọn không xác định: --bogus"
    expect "$label: the usage after it in Vietnamese" 2 err "cách dùng: vanban render RECORD.json -t TYPE"
    # shellcheck disable=SC2086
    run $envset -- --help
    expect "$label: --help in Vietnamese" 0 out "cách dùng: vanban LỆNH [TÙY_CHỌN]... [ĐỐI_SỐ]..."
    expect "$label: --help says how to get Vietnamese" 0 out "Thông báo bằng tiếng Việt khi LANG (hoặc LC_ALL, LC_MESSAGES) là vi_VN.UTF-8."
done
run "LANG=$VI" -- check "$bad"
expect "check: the bad record in Vietnamese" 1 err "$bad: /resolution/date: cần ngày dạng năm-tháng-ngày (YYYY-MM-DD, ví dụ 2024-12-20), nhưng nhận được \"28/12/2021\""
run "LANG=$VI" -- render tests/bad/date-impossible.json -t resolution -o "$T_TMP/x.pdf"
expect "a date that does not exist, in Vietnamese" 1 err "(không có ngày này)"
run "LANG=$VI" -- render samples/haiphong-2021-12-28.json
expect "render without -t, in Vietnamese" 2 err "vanban render: hãy cho biết loại văn bản bằng -t (resolution, minutes, …)"
run "LANG=$VI" -- batch
expect "batch with no input, in Vietnamese" 2 err "vanban batch: chưa có đầu vào (tệp bản ghi, tệp .jsonl hoặc thư mục)"
expect "batch's usage in Vietnamese" 2 err "cách dùng: vanban batch INPUT... -o DIR"
run "LANG=$VI" -- batch --help
expect "batch --help in Vietnamese, with the default profile filled in" 0 out "(mặc định: /"
# every command's own usage, and a usage error of serve, in Vietnamese
for cmd in render check batch serve register sign verify fonts types; do
    run "LANG=$VI" -- $cmd --help
    expect "$cmd --help in Vietnamese" 0 out "cách dùng: vanban $cmd"
done
run "LANG=$VI" -- serve -j 99
expect "serve's usage error in Vietnamese" 2 err "vanban serve: -j nhận từ 1 đến 64, nhưng nhận được \"99\""
run "LANG=$VI" -- frobnicate
expect "an unknown command in Vietnamese" 2 err "vanban: lệnh không xác định \"frobnicate\""
run "LANG=$VI" -- render "$T_TMP/none.json" -t resolution -o "$T_TMP/x.pdf"
# glibc's own texts (strerror) come as UTF-8 too, not as ASCII with '?'
if iconv -f UTF-8 -t UTF-8 "$T_TMP/err" >/dev/null 2>&1 && ! grep -q '?' "$T_TMP/err"; then
    pass "strerror's text is UTF-8 under LC_CTYPE=C"
else fail "strerror's text is UTF-8 under LC_CTYPE=C" "$(cat "$T_TMP/err")"; fi

# every bad-input case: the same exit code, and not the English message
n=0 same=()
for exp in tests/bad/*.expect; do
    name=$(basename "$exp" .expect)
    input=
    for f in tests/bad/"$name".*; do [ "$f" = "$exp" ] || { input=$f; break; }; done
    [ -n "$input" ] || continue
    args_t=$(sed -n 's/^args: //p' "$exp")
    args_t=${args_t:-"render {in} -t resolution -o {out}"}
    mkdir -p "$T_TMP/c"
    args=()
    for w in $args_t; do
        w=${w//\{in\}/$input}; w=${w//\{out\}/$T_TMP/c/out.pdf}; w=${w//\{dir\}/$T_TMP/c}
        args+=("$w")
    done
    run "LANG=C.UTF-8" -- "${args[@]}"; cp "$T_TMP/err" "$T_TMP/err.en"; rc_en=$(rc)
    run "LANG=$VI" -- "${args[@]}"
    rm -rf "$T_TMP/c"
    n=$((n + 1))
    if [ "$(rc)" != "$rc_en" ]; then same+=("$name: exit $(rc) in Vietnamese, $rc_en in English")
    elif cmp -s "$T_TMP/err" "$T_TMP/err.en"; then same+=("$name: the same message in both: $(head -1 "$T_TMP/err.en")")
    fi
done
if [ "$n" -gt 0 ] && [ ${#same[@]} = 0 ]; then pass "the $n cases of tests/bad/: same exit code, message translated"
else fail "every case of tests/bad/ has its exit code and a translated message ($n cases)" "${same[@]}"; fi

# ---- 4: the outputs do not depend on the locale ---------------------------------
for rec in samples/haiphong-2021-12-28.json samples/anbinh-hdnd-2024-12-20.json; do
    [ -f "$rec" ] || { fail "$rec exists"; continue; }
    b=$(basename "$rec" .json)
    for f in pdf docx; do
        run "LANG=C.UTF-8" -- render "$rec" -t resolution -o "$T_TMP/$b.c.$f"
        run "LC_ALL=$VI" -- render "$rec" -t resolution -o "$T_TMP/$b.vi.$f"
        if [ -s "$T_TMP/$b.c.$f" ] && cmp -s "$T_TMP/$b.c.$f" "$T_TMP/$b.vi.$f"; then
            pass "$b.$f: byte-identical under LC_ALL=$VI and the C locale"
        else fail "$b.$f: byte-identical under LC_ALL=$VI and the C locale" "$(cmp "$T_TMP/$b.c.$f" "$T_TMP/$b.vi.$f" 2>&1)"; fi
    done
    run "LANG=C.UTF-8" -- render "$rec" -t resolution --dump layout; cp "$T_TMP/out" "$T_TMP/$b.c.layout"
    run "LC_ALL=$VI" -- render "$rec" -t resolution --dump layout
    if [ -s "$T_TMP/out" ] && cmp -s "$T_TMP/out" "$T_TMP/$b.c.layout"; then pass "$b: the layout dump is the same under $VI"
    else fail "$b: the layout dump is the same under $VI" "$(diff "$T_TMP/$b.c.layout" "$T_TMP/out" | head -5)"; fi
done
env -u LC_ALL LANG=C.UTF-8 "$VANBAN" batch samples/ -f pdf,docx -o "$T_TMP/batch.c" -j 2 >/dev/null 2>&1
env LC_ALL=$VI "$VANBAN" batch samples/ -f pdf,docx -o "$T_TMP/batch.vi" -j 2 >/dev/null 2>"$T_TMP/batch.err"
if [ -n "$(ls "$T_TMP/batch.c" 2>/dev/null)" ] && diff -r "$T_TMP/batch.c" "$T_TMP/batch.vi" >/dev/null; then
    pass "batch: every output byte-identical under $VI ($(ls "$T_TMP/batch.c" | wc -l) files)"
else fail "batch: every output byte-identical under $VI" "$(diff -rq "$T_TMP/batch.c" "$T_TMP/batch.vi" 2>&1 | head -5)"; fi
if grep -q '^lô: ' "$T_TMP/batch.err"; then pass "batch: the summary in Vietnamese"
else fail "batch: the summary in Vietnamese" "$(tail -2 "$T_TMP/batch.err")"; fi

t_done
