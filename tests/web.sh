#!/usr/bin/env bash
# tests/web.sh — the web app in a real browser: tests/web/app.test.mjs
# drives Debian's chromium (playwright-core from npm, pinned by
# tests/web/package-lock.json, installed here with `npm ci`) against a
# `vanban serve` on a free loopback port.  Screenshots of every step are
# kept in $WEB_ARTIFACTS (default tests/web/artifacts/, git-ignored), with
# the downloaded PDF, DOCX, JSON and zip.  Skips with a visible message when
# node, npm or chromium is missing (a failure under CI=true).
# Ends "web: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init web

export SOURCE_DATE_EPOCH=1700000000
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { T_NEED="the browser test" have chromium; t_done; }
T_NEED="the browser test" have node npm curl pdftotext unzip python3 || t_done
export CHROMIUM T_ROOT
export WEB_ARTIFACTS=${WEB_ARTIFACTS:-$T_ROOT/tests/web/artifacts}
rm -rf "$WEB_ARTIFACTS"
mkdir -p "$WEB_ARTIFACTS"
# the schema validator of the shared conventions, when this checkout has it
VALIDATE_DOCX=${VALIDATE_DOCX:-}
for v in "$T_ROOT/../shared/tools/validate-docx" /work/shared/tools/validate-docx; do
    [ -z "$VALIDATE_DOCX" ] && [ -x "$v" ] && VALIDATE_DOCX=$v
done
[ -n "$VALIDATE_DOCX" ] || skip "validate-docx (../shared/tools) not found: the DOCX is checked with unzip only"
export VALIDATE_DOCX

# playwright-core, exactly as the lock file says; again only when it changed
if [ ! -d tests/web/node_modules/playwright-core ] || [ tests/web/package-lock.json -nt tests/web/node_modules/.package-lock.json ]; then
    if (cd tests/web && npm ci --no-audit --no-fund --loglevel=error) >"$T_TMP/npm.log" 2>&1; then
        pass "npm ci installed playwright-core"
    else
        if [ "${CI:-}" = true ]; then fail "npm ci in tests/web" "$(tail -5 "$T_TMP/npm.log")"
        else skip "npm ci in tests/web failed (no network?); the browser test is skipped: $(tail -1 "$T_TMP/npm.log")"; fi
        t_done
    fi
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# with a register of its own: Lấy số and Sổ đăng ký are part of the session
"$VANBAN" serve --listen "127.0.0.1:$PORT" -j 2 --quiet --db "$T_TMP/so-di.db" >"$T_TMP/serve.out" 2>"$T_TMP/serve.err" &
PID=$!
for _ in $(seq 300); do grep -q "http://" "$T_TMP/serve.out" 2>/dev/null && break; sleep 0.1; done
if ! grep -q "http://" "$T_TMP/serve.out"; then
    fail "vanban serve started" "$(cat "$T_TMP/serve.err")"
    kill "$PID" 2>/dev/null
    t_done
fi
# and one without a register: the Lấy số button must be disabled there
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VANBAN" serve --listen "127.0.0.1:$PORT2" -j 1 --quiet >"$T_TMP/serve2.out" 2>"$T_TMP/serve2.err" &
PID2=$!
for _ in $(seq 300); do grep -q "http://" "$T_TMP/serve2.out" 2>/dev/null && break; sleep 0.1; done
export VANBAN_URL_NODB=http://127.0.0.1:$PORT2/
export VANBAN_URL=http://127.0.0.1:$PORT/
export VANBAN_BIN=$VANBAN     # `vanban check` names the documents a record holds
timeout 300 node tests/web/app.test.mjs >"$T_TMP/node.out" 2>&1
rc=$?
while IFS= read -r line; do
    case $line in
        "ok: "*) pass "${line#ok: }" ;;
        "FAIL: "*) fail "${line#FAIL: }" ;;
        "    "*) echo "$line" ;;
    esac
done <"$T_TMP/node.out"
if [ "$rc" != 0 ] && ! grep -q '^FAIL: ' "$T_TMP/node.out"; then
    fail "the browser test ran to its end (exit $rc)" "$(tail -15 "$T_TMP/node.out")"
fi
kill -TERM "$PID2"
wait "$PID2" || fail "the server without a register: its exit after SIGTERM"
kill -TERM "$PID"
wait "$PID" && pass "the server stopped cleanly after the session" || fail "the server's exit after SIGTERM"
echo "screenshots and downloads: $WEB_ARTIFACTS"
t_done
