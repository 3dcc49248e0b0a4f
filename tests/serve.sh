#!/usr/bin/env bash
# tests/serve.sh — `vanban serve` over real HTTP with curl (docs/serve.md):
# refused starts (a non-loopback address without a password, bad options),
# the pages and the schema, Host and Origin checks (403), basic auth (401),
# an oversize body (413), a bad record (422 with each message's JSON path),
# a preview (a PDF of the right page count, the same bytes twice), downloads,
# a batch (202, the progress stream to its end, the zip and its report), a
# full queue (503), no path from the URL ever opened, SIGTERM stopping the
# server; and the outgoing register (--db): Lấy số numbering 01, 02, …
# over HTTP, the same record keeping its number, a failing record leaving
# no gap, a vanban batch --register on the same file at the same time, the
# Sổ đăng ký listing, the documents made again, 409 without --db.  Ends "serve: N passed, N failed".
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
printf 'not a register\n' >"$T_TMP/notes.txt"
timeout 20 "$VANBAN" serve --db "$T_TMP/notes.txt" --listen "127.0.0.1:$(free_port)" >"$T_TMP/out" 2>&1
[ $? = 1 ] && grep -q "notes.txt: not a vanban register" "$T_TMP/out" &&
    pass "--db with a file that is not a register: exit 1 naming it" || fail "--db notes.txt" "$(cat "$T_TMP/out")"
timeout 20 "$VANBAN" serve --queue x >"$T_TMP/out" 2>&1
[ $? = 2 ] && pass "--queue x: usage error" || fail "--queue x: usage error" "$(cat "$T_TMP/out")"

# ---- the main server ----------------------------------------------------------
# in a time zone not UTC: the batch zip must not depend on it
if TZ=Asia/Ho_Chi_Minh start main -j 2; then
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
    # the web app is in Vietnamese, whatever the server's locale (this one
    # runs under C.UTF-8, tests/lib.sh): the record reader's own message
    if locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\?8'; then
        python3 - "$T_TMP/body" <<'EOF' && pass "422 messages in Vietnamese under a server in C.UTF-8" || fail "422 messages not in Vietnamese" "$(cat "$T_TMP/body")"
import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
m = {e["path"]: e["message"] for e in b["errors"]}
assert m["/resolution/date"] == 'cần ngày dạng năm-tháng-ngày (YYYY-MM-DD, ví dụ 2024-12-20), nhưng nhận được "28/12/2021"', m
EOF
    else skip "the vi_VN.UTF-8 locale is not generated: the web app's messages are the server's language"; fi
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

    # no --db: no register, said in the schema and by the register's endpoints
    code 409 "Lấy số without --db" --data-binary @"$SAMPLE" "$U/api/number/resolution"
    grep -q 'không có sổ đăng ký' "$T_TMP/body" && grep -q -- '--db' "$T_TMP/body" &&
        pass "409 says in Vietnamese that there is no register (--db)" || fail "409 message" "$(cat "$T_TMP/body")"
    code 409 "Sổ đăng ký without --db" "$U/api/register"
    curl -s "$U/api/schema" | grep -q '"register": false' && pass "the schema says there is no register" ||
        fail "the schema has no \"register\": false"

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
    python3 - "$T_TMP/lo.zip" <<'EOF' && pass "the zip's entries dated SOURCE_DATE_EPOCH in UTC, whatever the server's TZ" || fail "zip entry times depend on TZ"
import sys, time, zipfile
want = time.gmtime(1700000000)[:6]
got = {i.date_time for i in zipfile.ZipFile(sys.argv[1]).infolist()}
assert got == {want}, (got, want)
EOF
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

# ---- the outgoing register: vanban serve --db ----------------------------------
# state records of one issuer and year, without numbers: r1, r2, r3, and rbad,
# whose subject has a character the fonts lack (it reads, but cannot render)
python3 - samples/anbinh-hdnd-2024-12-20.json "$T_TMP/reg" <<'EOF'
import json, os, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
os.makedirs(out + "/batch", exist_ok=True)
def rec(rid, **kw):
    r = json.loads(json.dumps(base))
    r["id"] = rid
    for part in ("resolution", "minutes"):
        r[part].pop("number", None)
    r["resolution"].update(kw)
    return r
for rid in ("r1", "r2", "r3"):
    json.dump(rec(rid), open(f"{out}/{rid}.json", "w", encoding="utf-8"), ensure_ascii=False)
json.dump(rec("rbad", subject="về dự toán 中"), open(f"{out}/rbad.json", "w", encoding="utf-8"), ensure_ascii=False)
noid = rec("x")
del noid["id"]
json.dump(noid, open(f"{out}/noid.json", "w", encoding="utf-8"), ensure_ascii=False)
for rid in ("b1", "b2"):
    r = rec(rid)
    json.dump(r, open(f"{out}/batch/{rid}.json", "w", encoding="utf-8"), ensure_ascii=False)
EOF
numsym() { python3 -c 'import json,sys; b=json.load(open(sys.argv[1], encoding="utf-8")); print(b.get("numsym"), b.get("again"))' "$T_TMP/body" 2>/dev/null; }
with() {     # FILE PATH=VALUE...: the record with those fields set, on stdout
    python3 - "$@" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    *p, last = k.split(".")
    o = r
    for x in p: o = o[x]
    o[last] = int(v) if v.isdigit() else v
print(json.dumps(r, ensure_ascii=False))
EOF
}
if start reg -j 2 --db "$T_TMP/so-di.db"; then
    U=http://127.0.0.1:$PORT
    [ -f "$T_TMP/so-di.db" ] && pass "--db makes the register when it is missing" || fail "no register file made"
    curl -s "$U/api/schema" | grep -q '"register": true' && pass "the schema says the register is there" || fail "schema: register"
    code 200 "Lấy số: r1's resolution" --data-binary @"$T_TMP/reg/r1.json" "$U/api/number/resolution"
    [ "$(numsym)" = "01/NQ-HĐND False" ] && pass "the first number is 01/NQ-HĐND" || fail "first number" "$(cat "$T_TMP/body")"
    cp "$T_TMP/body" "$T_TMP/n1.json"
    code 200 "Lấy số: r2's resolution" --data-binary @"$T_TMP/reg/r2.json" "$U/api/number/resolution"
    [ "$(numsym)" = "02/NQ-HĐND False" ] && pass "the next is 02/NQ-HĐND" || fail "second number" "$(cat "$T_TMP/body")"
    code 200 "Lấy số: r1's resolution again" --data-binary @"$T_TMP/reg/r1.json" "$U/api/number/resolution"
    [ "$(numsym)" = "01/NQ-HĐND True" ] && pass "the same record and type again keeps 01 (again: true)" || fail "again" "$(cat "$T_TMP/body")"
    # the record as the page sends it after Lấy số: with its number
    code 200 "Lấy số: r2 with the number it was given" --data-binary "$(with "$T_TMP/reg/r2.json" resolution.number=2)" "$U/api/number/resolution"
    [ "$(numsym)" = "02/NQ-HĐND True" ] && pass "a record that carries its number keeps it" || fail "r2 with number" "$(cat "$T_TMP/body")"
    code 422 "Lấy số: r1's number given to r3" --data-binary "$(with "$T_TMP/reg/r3.json" resolution.number=1)" "$U/api/number/resolution"
    grep -q '"path": "/resolution/number"' "$T_TMP/body" && grep -q 'r1' "$T_TMP/body" &&
        pass "a number another document holds: 422 at /resolution/number naming that record" || fail "duplicate" "$(cat "$T_TMP/body")"
    code 422 "Lấy số: a record the fonts cannot render" --data-binary @"$T_TMP/reg/rbad.json" "$U/api/number/resolution"
    grep -q '中' "$T_TMP/body" && pass "the failed render's message names the character" || fail "rbad message" "$(cat "$T_TMP/body")"
    code 422 "Lấy số: a bad date" --data-binary "$(with "$T_TMP/reg/r3.json" resolution.date=20/12/2024)" "$U/api/number/resolution"
    grep -q '"path": "/resolution/date"' "$T_TMP/body" && pass "a bad record: 422 with the message at /resolution/date" || fail "bad date" "$(cat "$T_TMP/body")"
    code 200 "Lấy số: r3's resolution" --data-binary @"$T_TMP/reg/r3.json" "$U/api/number/resolution"
    [ "$(numsym)" = "03/NQ-HĐND False" ] && pass "after the failures r3 gets 03: no gap" || fail "gap" "$(cat "$T_TMP/body")"
    code 200 "Lấy số: r1's minutes" --data-binary @"$T_TMP/reg/r1.json" "$U/api/number/minutes"
    [ "$(numsym)" = "04/BB-HĐND False" ] && pass "the minutes of r1 take 04 of the same series (issuer and year)" || fail "minutes" "$(cat "$T_TMP/body")"
    code 200 "Lấy số: a record without an id" --data-binary @"$T_TMP/reg/noid.json" "$U/api/number/resolution"
    noid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T_TMP/body" 2>/dev/null)
    [ "$(numsym)" = "05/NQ-HĐND False" ] && [[ $noid =~ ^hoso-[0-9a-f]{10}$ ]] &&
        pass "a record without an id gets 05 and an id ($noid) for the page to keep" || fail "no id" "$(cat "$T_TMP/body")"
    code 200 "Lấy số: the same record with the id it was given" --data-binary "$(with "$T_TMP/reg/noid.json" id="$noid")" "$U/api/number/resolution"
    [ "$(numsym)" = "05/NQ-HĐND True" ] && pass "with the id it was given it keeps 05" || fail "given id" "$(cat "$T_TMP/body")"
    # cross-site and rebinding on the new POST
    code 403 "Lấy số from another site (Origin)" -H "Origin: http://attacker.example" --data-binary @"$T_TMP/reg/r3.json" "$U/api/number/resolution"
    code 403 "Lấy số from another site (Sec-Fetch-Site)" -H "Sec-Fetch-Site: cross-site" --data-binary @"$T_TMP/reg/r3.json" "$U/api/number/resolution"
    code 403 "Lấy số with a foreign Host" -H "Host: attacker.example:$PORT" --data-binary @"$T_TMP/reg/r3.json" "$U/api/number/resolution"
    code 413 "Lấy số with a body over the record limit" --data-binary @"$T_TMP/big" "$U/api/number/resolution"
    code 404 "Lấy số of an unknown type" --data-binary @"$T_TMP/reg/r3.json" "$U/api/number/Bad.Type"

    # a vanban batch --register on the same file while the web app takes numbers
    for i in 1 2 3; do with "$T_TMP/reg/r3.json" id=w$i >"$T_TMP/reg/w$i.json"; done
    "$VANBAN" batch "$T_TMP/reg/batch" -o "$T_TMP/reg/out" -f pdf --register "$T_TMP/so-di.db" >"$T_TMP/batch.out" 2>&1 &
    BPID=$!
    WP=()
    for i in 1 2 3; do
        curl -s -o "$T_TMP/w$i.out" -w '%{http_code}\n' --max-time 120 --data-binary @"$T_TMP/reg/w$i.json" "$U/api/number/resolution" >"$T_TMP/wcode$i" &
        WP+=($!)
    done
    wait $BPID; brc=$?
    wait "${WP[@]}"
    codes=$(cat "$T_TMP"/wcode? | sort -u | tr '\n' ' ')
    [ "$brc" = 0 ] && [ "$codes" = "200 " ] && pass "a batch --register and 3 web takers at once: all succeed" ||
        fail "batch beside the web app: batch exit $brc, HTTP $codes" "$(cat "$T_TMP/batch.out")"

    # Sổ đăng ký: the year's lines, newest first
    code 200 "Sổ đăng ký (GET /api/register)" "$U/api/register"
    python3 - "$T_TMP/body" <<'EOF' && pass "the listing: 12 lines 01–12 of 2024 (the batch: 2 records × 2 documents), newest first, each number once, web lines kept, batch lines not" || fail "listing" "$(head -c 1500 "$T_TMP/body")"
import json, sys
b = json.load(open(sys.argv[1], encoding="utf-8"))
assert b["year"] == 2024 and b["years"] == [2024], (b["year"], b["years"])
e = b["entries"]
seqs = [x["seq"] for x in e]
assert seqs == sorted(seqs, reverse=True), seqs
assert sorted(x["number"] for x in e) == list(range(1, 13)), [x["number"] for x in e]
first = [x for x in e if x["record"] == "r1" and x["type"] == "resolution"][0]
assert first["numsym"] == "01/NQ-HĐND" and first["date"] == "2024-12-20" and first["status"] == "issued"
assert first["type_title"] == "NGHỊ QUYẾT" and first["summary"] and first["signer"]
assert first["kept"] and first["pdf"] == "/api/register/doc/%d/pdf" % first["seq"]
batch = [x for x in e if x["record"] in ("b1", "b2")]
assert len(batch) == 4 and not any(x["kept"] for x in batch), batch
assert first["copies"] >= 1 and first["sent"] == "" and first["received"] == "", first
EOF
    # filled in after issuing, from the command line: shown in the listing
    "$VANBAN" register "$T_TMP/so-di.db" send 01/NQ-HĐND --date 2024-12-21 --to "Văn phòng xã" >/dev/null 2>&1 &&
        "$VANBAN" register "$T_TMP/so-di.db" copies 01/NQ-HĐND 7 >/dev/null 2>&1
    code 200 "Sổ đăng ký after register send and copies" "$U/api/register"
    python3 - "$T_TMP/body" <<'EOF' && pass "the listing shows the date sent, who received it and the copies" || fail "listing after send" "$(head -c 1500 "$T_TMP/body")"
import json, sys
e = json.load(open(sys.argv[1], encoding="utf-8"))["entries"]
x = [x for x in e if x["numsym"] == "01/NQ-HĐND"][0]
assert (x["sent"], x["received"], x["copies"]) == ("2024-12-21", "Văn phòng xã", 7), x
EOF
    code 200 "Sổ đăng ký of 2023 (none)" "$U/api/register/2023"
    grep -q '"entries": \[\]' "$T_TMP/body" && pass "a year with no document lists none" || fail "2023" "$(cat "$T_TMP/body")"
    code 404 "Sổ đăng ký of year 0" "$U/api/register/0"
    # the issued document made again: the bytes of vanban render with that number
    seq1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seq"])' "$T_TMP/n1.json")
    code 200 "the PDF of 01/NQ-HĐND again" "$U/api/register/doc/$seq1/pdf"
    cp "$T_TMP/body" "$T_TMP/again.pdf"
    grep -qi 'content-disposition: attachment; filename="r1.resolution.pdf"' "$T_TMP/headers" && pass "named r1.resolution.pdf" || fail "name" "$(cat "$T_TMP/headers")"
    with "$T_TMP/reg/r1.json" resolution.number=1 >"$T_TMP/reg/r1n.json"
    "$VANBAN" render "$T_TMP/reg/r1n.json" -t resolution -o "$T_TMP/r1n.pdf" 2>/dev/null
    cmp -s "$T_TMP/again.pdf" "$T_TMP/r1n.pdf" && pdftotext "$T_TMP/again.pdf" - | grep -q '01/NQ-HĐND' &&
        pass "the document made again is vanban render's with number 01 (and prints 01/NQ-HĐND)" || fail "made again differs"
    code 200 "the DOCX of 01/NQ-HĐND again" "$U/api/register/doc/$seq1/docx"
    head -c 2 "$T_TMP/body" | grep -q PK && pass "the DOCX again is a zip package" || fail "DOCX again"
    bseq=$(curl -s "$U/api/register" | python3 -c 'import json,sys; print([x["seq"] for x in json.load(sys.stdin)["entries"] if x["record"]=="b1"][0])')
    code 404 "a batch's line cannot be made again" "$U/api/register/doc/$bseq/pdf"
    grep -q 'b1.resolution.pdf' "$T_TMP/body" && pass "404 names the files the batch wrote" || fail "batch line 404" "$(cat "$T_TMP/body")"
    code 404 "an unknown line" "$U/api/register/doc/9999/pdf"
    code 404 "an unknown format again" "$U/api/register/doc/$seq1/odt"
    "$VANBAN" register "$T_TMP/so-di.db" list >"$T_TMP/list" 2>&1 && [ "$(grep -c 'NQ-HĐND\|BB-HĐND' "$T_TMP/list")" -ge 12 ] &&
        pass "vanban register list reads the register the web app wrote" || fail "register list" "$(cat "$T_TMP/list")"
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
