#!/usr/bin/env bash
# tests/serve.sh — `vanban serve` over real HTTP with curl (docs/serve.md):
# refused starts (a non-loopback address without a password, bad options),
# the pages and the schema, Host and Origin checks (403), basic auth (401),
# an oversize body (413), a bad record (422 with each message's JSON path),
# a preview (a PDF of the right page count, the same bytes twice), downloads,
# a batch (202, the progress stream to its end, the zip and its report), a
# full queue (503), no path from the URL ever opened, and SIGTERM stopping
# the server.  Ends "serve: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init serve

export SOURCE_DATE_EPOCH=1700000000
T_NEED="the HTTP checks" have curl python3 pdfinfo unzip || t_done

SAMPLE=samples/haiphong-2021-12-28.json     # its resolution has 4 pages
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME ARGS...: a server in the background on a free port; sets PORT,
# PID.  Waits for its "http://" line (at most 30 s: the engines load fonts).
start() {
    local name=$1; shift
    PORT=$(free_port)
    "$VANBAN" serve --listen "127.0.0.1:$PORT" --quiet "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" &
    PID=$!
    for _ in $(seq 300); do
        grep -q "http://" "$T_TMP/$name.out" 2>/dev/null && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    fail "$name: the server did not start" "$(cat "$T_TMP/$name.err")"
    return 1
}
stop() {     # PID: SIGTERM, then it must be gone within 10 s with status 0
    kill -TERM "$1" 2>/dev/null
    local rc
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$1" 2>/dev/null; then fail "SIGTERM: the server still runs after 10 s"; kill -KILL "$1"; return; fi
    wait "$1"; rc=$?
    [ "$rc" = 0 ] && pass "SIGTERM stops the server cleanly (exit 0)" || fail "SIGTERM: exit $rc, expected 0"
}
# code WANT WHAT CURL-ARGS...: the HTTP status of a request
code() {
    local want=$1 what=$2 got; shift 2
    got=$(curl -s -o "$T_TMP/body" -D "$T_TMP/headers" -w '%{http_code}' --max-time 60 "$@")
    [ "$got" = "$want" ] && pass "$what: $want" || fail "$what: HTTP $got, expected $want" "$(head -c 400 "$T_TMP/body")"
}

# ---- refused starts -----------------------------------------------------------
# (under timeout: a server that wrongly starts would never return)
timeout 20 "$VANBAN" serve --listen "0.0.0.0:$(free_port)" >"$T_TMP/out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "not a loopback address: give --password-file" "$T_TMP/out" &&
    pass "a non-loopback address without --password-file is refused (exit 2)" ||
    fail "0.0.0.0 without a password: exit $rc" "$(cat "$T_TMP/out")"
timeout 20 "$VANBAN" serve --listen "example.org:80" >"$T_TMP/out" 2>&1
[ $? = 2 ] && grep -q "numeric address" "$T_TMP/out" && pass "--listen with a host name: usage error" ||
    fail "--listen example.org:80 is a usage error" "$(cat "$T_TMP/out")"
printf 'no colon here\n' >"$T_TMP/pw-bad"
timeout 20 "$VANBAN" serve --password-file "$T_TMP/pw-bad" --listen "127.0.0.1:$(free_port)" >"$T_TMP/out" 2>&1
[ $? = 1 ] && grep -q "pw-bad: expected one line \"user:password\"" "$T_TMP/out" &&
    pass "a bad password file: exit 1 naming it" || fail "a bad password file" "$(cat "$T_TMP/out")"
timeout 20 "$VANBAN" serve --db "$T_TMP/register.db" --listen "127.0.0.1:$(free_port)" >"$T_TMP/out" 2>&1
[ $? = 2 ] && grep -q "register is not in this build yet" "$T_TMP/out" && [ ! -e "$T_TMP/register.db" ] &&
    pass "--db is refused until the register is built in (exit 2, no file made)" || fail "--db" "$(cat "$T_TMP/out")"
timeout 20 "$VANBAN" serve --queue x >"$T_TMP/out" 2>&1
[ $? = 2 ] && pass "--queue x: usage error" || fail "--queue x: usage error" "$(cat "$T_TMP/out")"

# ---- the main server ----------------------------------------------------------
if start main -j 2; then
    U=http://127.0.0.1:$PORT
    code 200 "GET /" "$U/"
    grep -q '<html lang="vi">' "$T_TMP/body" && pass "the page is in Vietnamese" || fail "GET / is not the Vietnamese page"
    grep -qi '^content-security-policy:.*default-src .self.' "$T_TMP/headers" && pass "pages carry a Content-Security-Policy" ||
        fail "no Content-Security-Policy header"
    code 200 "GET /app.js" "$U/app.js"
    code 404 "GET a path outside the web files" --path-as-is "$U/../../../etc/passwd"
    code 404 "GET a file of the data folder" "$U/templates/core.fields"
    code 200 "GET /api/schema" "$U/api/schema"
    python3 - "$T_TMP/body" <<'EOF' && pass "the schema names both conventions, their types and labelled fields" || fail "the schema JSON"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert set(s["conventions"]) == {"state", "party"}
names = {(t["convention"], t["name"]) for t in s["types"]}
assert ("state", "resolution") in names and ("party", "minutes") in names, names
f = {x["path"]: x for x in s["fields"]}
assert f["resolution.date"]["label"] == "Ngày ban hành" and f["resolution.date"]["type"] == "date"
assert f["resolution.subject"]["required"] and f["meeting.guests.*.name"]["part"] == ""
assert f["resolution.body.*.rows.*.*"]["type"] == "cell"
assert not any(x["path"] == "meeting.members.absent" for x in s["fields"]), "a derived field in the form"
EOF

    # Host and Origin: DNS rebinding and cross-site posts
    code 403 "a foreign Host" -H "Host: attacker.example:$PORT" "$U/"
    code 403 "a cross-site POST (Origin)" -H "Origin: http://attacker.example" --data-binary @"$SAMPLE" "$U/api/preview/resolution"
    code 403 "a cross-site POST (Sec-Fetch-Site)" -H "Sec-Fetch-Site: cross-site" --data-binary @"$SAMPLE" "$U/api/preview/resolution"
    code 200 "a same-origin POST" -H "Origin: $U" --data-binary @"$SAMPLE" "$U/api/preview/resolution"
    code 200 "Host localhost" -H "Host: localhost:$PORT" "$U/api/schema"
    code 405 "PUT" -X PUT --data-binary @"$SAMPLE" "$U/api/preview/resolution"

    # oversize body: the record limit (4 MiB) plus one byte
    head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T_TMP/big"
    code 413 "a body over the record limit" --data-binary @"$T_TMP/big" "$U/api/preview/resolution"

    # a bad record: every message with its JSON path, values escaped
    python3 - "$SAMPLE" "$T_TMP/bad.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
r["resolution"]["date"] = "28/12/2021"
del r["resolution"]["subject"]
r["meeting"]["start"] = "</script><b>"
json.dump(r, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
    code 422 "a bad record" --data-binary @"$T_TMP/bad.json" "$U/api/preview/resolution"
    python3 - "$T_TMP/body" <<'EOF' && pass "422: each error at its field path (/resolution/date, /resolution/subject, /meeting/start)" || fail "422 body" "$(cat "$T_TMP/body")"
import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
paths = {e["path"] for e in b["errors"]}
assert {"/resolution/date", "/resolution/subject", "/meeting/start"} <= paths, paths
assert all(e["message"] and not e["message"].startswith("record:") for e in b["errors"])
EOF
    grep -q '<' "$T_TMP/body" && fail "a value in a JSON answer is not escaped (raw <)" || pass "values in JSON answers are escaped (no raw <)"
    code 422 "a record without the part the type needs" --data-binary '{"convention":"state","issuer":{"name":"UBND","code":"UBND"},"meeting":{"title":"Họp","date":"2024-01-02"}}' "$U/api/preview/resolution"
    grep -q '"path": "/resolution"' "$T_TMP/body" && pass "the missing part is named at /resolution" || fail "no /resolution error" "$(cat "$T_TMP/body")"
    code 422 "not JSON" --data-binary '{"convention":' "$U/api/preview/resolution"
    code 404 "an unknown type" --data-binary @"$SAMPLE" "$U/api/preview/Bad.Type"

    # preview: a PDF, its pages and server time, the same bytes twice
    code 200 "preview" --data-binary @"$SAMPLE" "$U/api/preview/resolution"
    cp "$T_TMP/body" "$T_TMP/p1.pdf"
    pages=$(pdfinfo "$T_TMP/p1.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    hp=$(tr -d '\r' <"$T_TMP/headers" | awk -F': ' 'tolower($1)=="x-vanban-pages"{print $2}')
    [ "$pages" = 4 ] && [ "$hp" = 4 ] && pass "the preview is a 4-page PDF, X-Vanban-Pages says 4" ||
        fail "preview: pdfinfo says ${pages:-no PDF}, header ${hp:-none}"
    grep -qi '^server-timing: render;dur=' "$T_TMP/headers" && pass "Server-Timing gives the render time" || fail "no Server-Timing"
    curl -s -o "$T_TMP/p2.pdf" --data-binary @"$SAMPLE" "$U/api/preview/resolution"
    cmp -s "$T_TMP/p1.pdf" "$T_TMP/p2.pdf" && pass "two previews of one record are byte-identical" || fail "previews differ"
    "$VANBAN" render "$SAMPLE" -t resolution -o "$T_TMP/cli.pdf" 2>/dev/null
    cmp -s "$T_TMP/p1.pdf" "$T_TMP/cli.pdf" && pass "the preview is the PDF vanban render writes" || fail "preview differs from vanban render"

    # downloads
    code 200 "download DOCX" --data-binary @"$SAMPLE" "$U/api/render/minutes/docx"
    head -c 2 "$T_TMP/body" | grep -q PK && grep -qi 'content-disposition: attachment; filename="vanban.minutes.docx"' "$T_TMP/headers" &&
        pass "the DOCX comes as an attachment named ID.TYPE.docx (no id: vanban)" || fail "DOCX download" "$(cat "$T_TMP/headers")"
    code 404 "an unknown format" --data-binary @"$SAMPLE" "$U/api/render/minutes/odt"

    # batch: JSON Lines with a bad line, and a JSON file
    python3 - "$SAMPLE" samples/namdinh-hdnd-2023-01-05.json "$T_TMP/up" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
a2 = dict(a, id="second")
lines = "\n".join([json.dumps(a, ensure_ascii=False), "", '{"convention": "state", "issuer": 1}',
                   json.dumps(a2, ensure_ascii=False)]).encode() + b"\n"
one = json.dumps(b, ensure_ascii=False, indent=1).encode()
with open(sys.argv[3], "wb") as f:
    f.write(b"vanban-batch 1\n")
    for name, data in (("so-di.jsonl", lines), ("namdinh.json", one)):
        f.write(name.encode() + b"\n" + str(len(data)).encode() + b"\n" + data + b"\n")
EOF
    code 202 "start a batch" --data-binary @"$T_TMP/up" "$U/api/batch"
    job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job"])' "$T_TMP/body" 2>/dev/null)
    curl -s -N --max-time 120 "$U/api/batch/$job/events" >"$T_TMP/events"
    # the documents each good record holds, as vanban check lists them, in two formats
    holds_a=$("$VANBAN" check "$SAMPLE" | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr -d ,)
    holds_b=$("$VANBAN" check samples/namdinh-hdnd-2023-01-05.json | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr -d ,)
    ndocs=$(( ( 2 * $(echo $holds_a | wc -w) + $(echo $holds_b | wc -w) ) * 2 ))
    tail -3 "$T_TMP/events" | grep -q "\"done\": 4, \"total\": 4, \"failed\": 1, \"documents\": $ndocs, \"finished\": true" &&
        pass "the progress stream ends with 4/4 records, 1 failed, $ndocs documents" || fail "progress stream" "$(tail -5 "$T_TMP/events")"
    code 200 "download the batch zip" "$U/api/batch/$job/zip"
    cp "$T_TMP/body" "$T_TMP/lo.zip"
    unzip -Z1 "$T_TMP/lo.zip" 2>/dev/null | sort >"$T_TMP/zipnames"
    # ids as the command line gives them: the record's, else FILE-LINE
    { for id in second so-di-1; do
          for t in $holds_a; do printf '%s\n' "$id.$t.docx" "$id.$t.pdf"; done
      done
      for t in $holds_b; do printf '%s\n' "namdinh-hdnd-2023-01-05.$t.docx" "namdinh-hdnd-2023-01-05.$t.pdf"; done
    } | { cat; echo report.json; } | sort >"$T_TMP/want"
    cmp -s "$T_TMP/zipnames" "$T_TMP/want" &&
        pass "the zip holds every document of the good records and report.json" || fail "zip contents" "$(cat "$T_TMP/zipnames")"
    unzip -p "$T_TMP/lo.zip" report.json >"$T_TMP/report.json"
    python3 - "$T_TMP/report.json" <<'EOF' && pass "the report names the bad line (so-di.jsonl:3, /issuer)" || fail "report.json" "$(head -c 600 "$T_TMP/report.json")"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [e for e in r if not e["ok"]]
assert len(bad) == 1 and bad[0]["input"] == "so-di.jsonl" and bad[0]["line"] == 3, bad
assert any(m["path"] == "/issuer" for m in bad[0]["errors"]), bad[0]["errors"]
assert all(e["bytes"] > 0 for e in r if e["ok"])
EOF
    unzip -p "$T_TMP/lo.zip" so-di-1.resolution.pdf | cmp -s - "$T_TMP/p1.pdf" &&
        pass "a batch output is the preview's PDF" || fail "batch PDF differs from the preview"
    code 404 "the zip of an unknown job" "$U/api/batch/999/zip"
    code 400 "a malformed upload" --data-binary 'vanban-batch 1
x.json
99999
{}' "$U/api/batch"
    stop "$PID"
fi

# ---- a full queue: one engine, no waiting room ---------------------------------
if start queue -j 1 --queue 0; then
    U=http://127.0.0.1:$PORT
    for i in $(seq 12); do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 --data-binary @samples/stress-large.json "$U/api/preview/minutes" &
    done >"$T_TMP/codes"
    wait $(jobs -p | grep -v "^$PID$") 2>/dev/null
    sort "$T_TMP/codes" | uniq -c | tr '\n' ' ' >"$T_TMP/summary"
    n503=$(grep -c '^503$' "$T_TMP/codes"); n200=$(grep -c '^200$' "$T_TMP/codes")
    [ "$n503" -ge 1 ] && [ "$n200" -ge 1 ] && [ $((n503 + n200)) = 12 ] &&
        pass "12 previews at once with one engine and no queue: 200s and 503s only ($(cat "$T_TMP/summary"))" ||
        fail "full queue: expected 200 and 503 only, got $(cat "$T_TMP/summary")"
    stop "$PID"
fi

# ---- basic auth ------------------------------------------------------------------
printf 'clerk:mật-khẩu\n' >"$T_TMP/pw"
if start auth --password-file "$T_TMP/pw"; then
    U=http://127.0.0.1:$PORT
    code 401 "no credentials" "$U/"
    grep -qi '^www-authenticate: basic' "$T_TMP/headers" && pass "401 asks for basic auth" || fail "no WWW-Authenticate"
    code 401 "a wrong password" -u clerk:wrong "$U/"
    code 200 "the right password" -u 'clerk:mật-khẩu' "$U/api/schema"
    stop "$PID"
fi

t_done
