#!/usr/bin/env bash
# tests/batch.sh — vanban batch (docs/batch.md): inputs (folders, JSON
# Lines with a bad line), -t/-f file names, --report, --skip-done, --shard,
# duplicate ids, exit codes, an interruption that leaves nothing partial,
# outputs identical to `vanban render` and to another -j, and no progress
# bar when stderr is not a terminal.  Ends "batch: N passed, N failed".
. "$(dirname "$0")/lib.sh"
t_init batch

export SOURCE_DATE_EPOCH=1700000000     # render and batch alike
export TMPDIR=$T_TMP/tmp                # pdf.c's font files: none may stay
mkdir -p "$TMPDIR"
B=$T_TMP                                # short name

# names DIR: the files in DIR, sorted, one a line
names() { files_left "$1"; }

# expected DIR|FILE... -- TYPES FORMATS: the output names batch must write
# for these records (ids as record.c gives them; types the record holds,
# by the conditions `vanban types` lists: TYPE=FIELD).
expected() {
    VB_HOLDS=$("$VANBAN" types | sed -n 's/^  \([a-z0-9_-]*\) .* when the record has \([^ ]*\)$/\1=\2/p' | sort -u) \
    python3 - "$@" <<'EOF'
import json, os, sys
holds = [l.split("=", 1) for l in os.environ["VB_HOLDS"].split()]
def has(rec, path):
    for k in path.split("."):
        if not isinstance(rec, dict) or rec.get(k) is None:
            return False
        rec = rec[k]
    return True
args = sys.argv[1:]
k = args.index("--")
inputs, types, formats = args[:k], args[k + 1], args[k + 2]
files = []
for p in inputs:
    if os.path.isdir(p):
        files += [os.path.join(p, n) for n in sorted(os.listdir(p))
                  if not n.startswith(".") and (n.endswith(".json") or n.endswith(".jsonl"))]
    else:
        files.append(p)
out = set()
def type_conditions(conv):
    """(name, holds) of each type file of a convention: a record holds the
    type when the holds path is present (templates/README.md)."""
    d = os.path.join("templates", conv or "")
    if not conv or not os.path.isdir(d):
        return []
    got = []
    for n in os.listdir(d):
        if n.endswith(".type"):
            kv = dict((a.strip(), b.strip()) for a, b in
                      (l.split("=", 1) for l in open(os.path.join(d, n), encoding="utf-8")
                       if "=" in l and not l.lstrip().startswith("#")))
            got.append((kv["name"].strip(), kv["holds"].strip()))
    return got
def has_path(rec, path):
    for k in path.split("."):
        if not isinstance(rec, dict) or rec.get(k) is None:
            return False
        rec = rec[k]
    return True
def add(rec, default_id):
    rid = rec.get("id", default_id)
    held = [t for t, h in sorted(type_conditions(rec.get("convention"))) if has_path(rec, h)]
    want = held if types == "-" else [t for t in types.split(",") if t in held]
    for t in want:
        for f in formats.split(","):
            out.add("%s.%s.%s" % (rid, t, f))
for p in files:
    base = os.path.basename(p).rsplit(".", 1)[0]
    if p.endswith(".jsonl"):
        for i, line in enumerate(open(p, encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and "convention" in rec:
                add(rec, "%s-%d" % (base, i))
    else:
        rec = json.load(open(p, encoding="utf-8"))
        if isinstance(rec, dict) and "convention" in rec and "issuer" in rec:
            add(rec, base)
print("\n".join(sorted(out)))
EOF
}

# same_names WHAT DIR EXPECTED
same_names() {
    local got
    got=$(names "$2")
    if [ "$got" = "$3" ]; then pass "$1"; else fail "$1" "$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$got") | head -20)"; fi
}

# no_leftovers WHAT DIR: no *.tmp-* in DIR, nothing in $TMPDIR
no_leftovers() {
    local left
    left=$( (cd "$2" && find . -name '*.tmp-*'); find "$TMPDIR" -mindepth 1)
    if [ -z "$left" ]; then pass "$1"; else fail "$1" "$left"; fi
}

# complete DIR: every PDF and DOCX in DIR is a whole file
complete_files() {
    python3 - "$1" <<'EOF'
import glob, os, sys, zipfile
bad = []
for f in glob.glob(os.path.join(sys.argv[1], "*")):
    data = open(f, "rb").read()
    if f.endswith(".pdf"):
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-32:]:
            bad.append(f)
    elif f.endswith(".docx"):
        try:
            if zipfile.ZipFile(f).testzip() is not None:
                bad.append(f)
        except zipfile.BadZipFile:
            bad.append(f)
    else:
        bad.append(f + " (not an output)")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}

SAMPLE_NAMES=$(expected samples -- - pdf)

# ---- the samples folder and a JSON Lines file with a bad line ----------
python3 - "$B/more.jsonl" <<'EOF'
import json, sys
rec = json.load(open("samples/namdinh-hdnd-2023-01-05.json", encoding="utf-8"))
ok = dict(rec, id="more-ok")
noid = {k: v for k, v in rec.items() if k != "id"}
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(json.dumps(ok, ensure_ascii=False) + "\n")
    f.write("\n")                                         # blank: no record
    f.write('{"convention": "party", "issuer": \n')      # line 3: bad JSON
    f.write(json.dumps(noid, ensure_ascii=False) + "\n") # line 4: id more-4
EOF
"$VANBAN" batch samples/ "$B/more.jsonl" -o "$B/o1" -j 2 --report "$B/o1.json" 2>"$B/o1.err"
rc=$?
[ "$rc" = 1 ] && pass "a bad line: exit 1" || fail "a bad line: exit 1, got $rc" "$(cat "$B/o1.err")"
grep -q "more.jsonl:3:" "$B/o1.err" && pass "the bad line is reported as FILE:3" ||
    fail "the bad line is reported as FILE:3" "$(cat "$B/o1.err")"
[ "$(grep -c 'more.jsonl:[0-9]' "$B/o1.err")" = "$(grep -c 'more.jsonl:3:' "$B/o1.err")" ] &&
    pass "only line 3 is reported" || fail "only line 3 is reported" "$(cat "$B/o1.err")"
same_names "samples/ and more.jsonl: every other record rendered" "$B/o1" "$(expected samples "$B/more.jsonl" -- - pdf)"
grep -q "^batch: .* documents, .* pages, .* bytes .* in .* s" "$B/o1.err" && pass "a summary line" ||
    fail "a summary line" "$(tail -3 "$B/o1.err")"

# ---- --report -----------------------------------------------------------
if python3 -m json.tool "$B/o1.json" >/dev/null 2>"$B/json.err"; then pass "--report is valid JSON"
else fail "--report is valid JSON" "$(cat "$B/json.err")"; fi
check "--report: one entry per document (and one per bad record), each right" python3 - "$B/o1.json" "$B/o1" <<'EOF'
import json, os, subprocess, sys
r = json.load(open(sys.argv[1]))
out = sorted(os.listdir(sys.argv[2]))
ok = [e for e in r if e["ok"]]
bad = [e for e in r if not e["ok"]]
assert sorted(os.path.basename(e["output"]) for e in ok) == out, "ok entries are not the files written"
assert len(bad) == 1 and bad[0]["line"] == 3 and bad[0]["input"].endswith("more.jsonl"), bad
assert bad[0]["errors"] and all("more.jsonl:3:" in m for m in bad[0]["errors"]), bad[0]
keys = {"input", "line", "id", "type", "format", "output", "pages", "bytes", "ok", "skipped", "errors", "warnings"}
for e in r:
    assert set(e) == keys, sorted(e)
for e in ok:
    assert e["bytes"] == os.path.getsize(e["output"]), e
    assert e["format"] == "pdf" and e["output"].endswith(".%s.pdf" % e["type"]), e
    assert e["errors"] == [] and not e["skipped"], e
    assert (e["line"] is None) == e["input"].endswith(".json"), e
    try:
        info = subprocess.run(["pdfinfo", e["output"]], capture_output=True, text=True).stdout
        pages = int([l for l in info.splitlines() if l.startswith("Pages:")][0].split()[1])
        assert e["pages"] == pages, (e, pages)
    except FileNotFoundError:
        assert isinstance(e["pages"], int) and e["pages"] >= 1, e
EOF

# ---- -t / -f: exactly the expected names ---------------------------------
for combo in "resolution pdf" "minutes docx" "resolution,minutes pdf,docx" "minutes,resolution docx,pdf" "- docx" "resolution -"; do
    set -- $combo
    args=() t=$1 f=$2
    [ "$t" != - ] && args+=(-t "$t")
    [ "$f" != - ] && args+=(-f "$f")
    [ "$f" = - ] && f=pdf
    rm -rf "$B/o2"
    "$VANBAN" batch samples -o "$B/o2" "${args[@]}" 2>"$B/o2.err"
    rc=$?
    [ "$rc" = 0 ] || fail "-t $1 -f $2: exit 0, got $rc" "$(cat "$B/o2.err")"
    same_names "-t $1 -f $2: the expected files" "$B/o2" "$(expected samples -- "$t" "$f")"
done

# ---- usage errors: exit 2, nothing written -------------------------------
for bad in "-t bogus" "-f odt" "-j 0" "-j x" "--shard 0/3" "--shard 4/3" "--shard 1-3" "--bogus"; do
    rm -rf "$B/o3"
    "$VANBAN" batch samples -o "$B/o3" $bad >/dev/null 2>"$B/o3.err"
    rc=$?
    if [ "$rc" = 2 ] && [ ! -e "$B/o3" ]; then pass "usage: $bad: exit 2"
    else fail "usage: $bad: exit 2 and no output folder, got $rc" "$(cat "$B/o3.err")"; fi
done
"$VANBAN" batch samples >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && pass "usage: no -o: exit 2" || fail "usage: no -o: exit 2, got $rc"
"$VANBAN" batch -o "$B/o3" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && pass "usage: no input: exit 2" || fail "usage: no input: exit 2, got $rc"

# ---- output and system failures: exit 3 -----------------------------------
: >"$B/afile"
"$VANBAN" batch samples -o "$B/afile" 2>"$B/o4.err"; rc=$?
[ "$rc" = 3 ] && grep -q "afile" "$B/o4.err" && pass "-o names a file: exit 3, named" ||
    fail "-o names a file: exit 3, got $rc" "$(cat "$B/o4.err")"
rm -rf "$B/o4" && mkdir -p "$B/o4/haiphong-2021-12-28.resolution.pdf"   # a folder where a file goes
"$VANBAN" batch samples -o "$B/o4" 2>"$B/o4.err"; rc=$?
[ "$rc" = 3 ] && grep -q "haiphong-2021-12-28.resolution.pdf" "$B/o4.err" && pass "an output that cannot be written: exit 3" ||
    fail "an output that cannot be written: exit 3, got $rc" "$(cat "$B/o4.err")"
[ "$(names "$B/o4" | grep -c .)" = "$(printf '%s\n' "$SAMPLE_NAMES" | grep -c .)" ] &&
    pass "... and the other documents are written" || fail "... and the other documents are written" "$(names "$B/o4")"
no_leftovers "... and no temporary file is left" "$B/o4"
# the file is written by a writer thread after the worker has gone on: its
# failure must still reach the report, the only record of which file failed
rm -rf "$B/o4" && mkdir -p "$B/o4/haiphong-2021-12-28.resolution.pdf"
"$VANBAN" batch samples -o "$B/o4" --report "$B/o4.json" 2>/dev/null
if python3 - "$B/o4.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [e for e in r if e["output"] and e["output"].endswith("/haiphong-2021-12-28.resolution.pdf")]
good = [e for e in r if e not in bad]
sys.exit(not (len(bad) == 1 and not bad[0]["ok"] and bad[0]["pages"] is None and bad[0]["bytes"] is None
              and any("cannot write" in m for m in bad[0]["errors"])
              and good and all(e["ok"] and e["pages"] > 0 and e["bytes"] > 0 for e in good)))
EOF
then pass "... the report says which: ok false, no pages nor bytes, the message; the others ok"
else fail "... the report says which: ok false, no pages nor bytes, the message" "$(head -c 600 "$B/o4.json")"; fi
rm -rf "$B/o4"
"$VANBAN" batch samples "$B/absent.json" -o "$B/o4" 2>"$B/o4.err"; rc=$?
[ "$rc" = 3 ] && grep -q "absent.json: cannot open" "$B/o4.err" && pass "a missing input: exit 3, named" ||
    fail "a missing input: exit 3, got $rc" "$(cat "$B/o4.err")"
same_names "... and the other inputs are rendered" "$B/o4" "$SAMPLE_NAMES"

# ---- duplicate ids ---------------------------------------------------------
mkdir -p "$B/dup"
cp samples/haiphong-2021-12-28.json "$B/dup/a.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["id"]="a"; r["resolution"]["number"]=99
print(json.dumps(r, ensure_ascii=False))' samples/namdinh-hdnd-2023-01-05.json >"$B/dup/b.jsonl"
for j in 1 2; do
    rm -rf "$B/o5"
    "$VANBAN" batch "$B/dup" -o "$B/o5" -j $j --report "$B/o5.json" 2>"$B/o5.err"; rc=$?
    if [ "$rc" = 1 ] && grep -q 'b.jsonl:1: id "a" is already used by .*a.json' "$B/o5.err"; then
        pass "-j $j: a duplicate id: the later record is an error, exit 1"
    else fail "-j $j: a duplicate id: the later record is an error, exit 1 (got $rc)" "$(cat "$B/o5.err")"; fi
    "$VANBAN" render "$B/dup/a.json" -t resolution -o "$B/a.pdf" 2>/dev/null
    cmp -s "$B/a.pdf" "$B/o5/a.resolution.pdf" && pass "-j $j: ... and the first one's files are kept" ||
        fail "-j $j: ... and the first one's files are kept"
done

# ---- batch equals render, byte for byte ------------------------------------
rm -rf "$B/o6"
"$VANBAN" batch samples "$B/more.jsonl" -o "$B/o6" -f pdf,docx -j 2 2>/dev/null
mkdir -p "$B/r"
python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); json.dump(r, open(sys.argv[2],"w"), ensure_ascii=False)' \
    "$B/more.jsonl" "$B/r/more-ok.json"
bad=
for rec in samples/*.json "$B/r/more-ok.json"; do
    id=$(python3 -c 'import json,os,sys; r=json.load(open(sys.argv[1])); print(r.get("id", os.path.basename(sys.argv[1])[:-5]))' "$rec")
    for out in "$B/o6/$id".*; do
        n=${out##*/}; rest=${n#"$id".}; type=${rest%%.*}; fmt=${rest##*.}
        "$VANBAN" render "$rec" -t "$type" -o "$B/r/$n" 2>/dev/null || bad="$bad render $n failed;"
        cmp -s "$out" "$B/r/$n" || bad="$bad $n differs;"
    done
done
[ "$(ls "$B/o6" | grep -c .)" -ge 16 ] || bad="$bad too few outputs;"
[ -z "$bad" ] && pass "batch outputs equal vanban render's (PDF and DOCX, .json and .jsonl)" ||
    fail "batch outputs equal vanban render's" "$bad"

# ---- a corpus: -j 1 vs -j 2, shards, --skip-done, an interruption -----------
python3 tools/gen-corpus.py "$B/corpus" --count 24 --jsonl 8 --seed 7 >/dev/null ||
    fail "tools/gen-corpus.py runs"
"$VANBAN" batch "$B/corpus" -o "$B/j1" -j 1 -f pdf,docx 2>"$B/j1.err"; rc1=$?
"$VANBAN" batch "$B/corpus" -o "$B/j2" -j 2 -f pdf,docx 2>"$B/j2.err"; rc2=$?
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && pass "the corpus renders (exit 0)" ||
    fail "the corpus renders (exit $rc1, $rc2)" "$(tail -5 "$B/j1.err")"
same_names "the corpus: the expected files" "$B/j1" "$(expected "$B/corpus" -- - pdf,docx)"
if diff -r "$B/j1" "$B/j2" >/dev/null && [ -n "$(names "$B/j1")" ]; then pass "-j 1 and -j 2 give identical files"
else fail "-j 1 and -j 2 give identical files" "$(diff -rq "$B/j1" "$B/j2" | head)"; fi

# shards: disjoint, together everything, same bytes
for i in 1 2 3; do
    "$VANBAN" batch "$B/corpus" -o "$B/s$i" --shard $i/3 -f pdf,docx 2>"$B/s$i.err" || fail "--shard $i/3: exit 0" "$(cat "$B/s$i.err")"
done
if [ -z "$(cat <(names "$B/s1") <(names "$B/s2") <(names "$B/s3") | sort | uniq -d)" ]; then pass "--shard 1/3..3/3 are disjoint"
else fail "--shard 1/3..3/3 are disjoint" "$(cat <(names "$B/s1") <(names "$B/s2") <(names "$B/s3") | sort | uniq -d | head)"; fi
mkdir -p "$B/sall" && cp "$B"/s1/* "$B"/s2/* "$B"/s3/* "$B/sall/"
if diff -r "$B/sall" "$B/j1" >/dev/null; then pass "--shard 1/3..3/3 together are the whole batch, byte for byte"
else fail "--shard 1/3..3/3 together are the whole batch" "$(diff -rq "$B/sall" "$B/j1" | head)"; fi
for i in 1 2 3; do [ -n "$(names "$B/s$i")" ] || fail "--shard $i/3 renders something"; done
grep -q "shard 2/3: [0-9]* of 32 records" "$B/s2.err" && pass "a shard says which part it did" ||
    fail "a shard says which part it did" "$(tail -1 "$B/s2.err")"

# --skip-done: a second run writes nothing; a touched record is rendered again
stamp() { (cd "$1" && find . -type f -printf '%P %T@\n' | sort); }
before=$(stamp "$B/j1")
sleep 0.05
"$VANBAN" batch "$B/corpus" -o "$B/j1" -f pdf,docx --skip-done --report "$B/skip.json" 2>"$B/skip.err"; rc=$?
after=$(stamp "$B/j1")
total=$(names "$B/j1" | grep -c .)
if [ "$rc" = 0 ] && [ "$before" = "$after" ] && grep -q "0 failed, $total skipped" "$B/skip.err"; then
    pass "--skip-done: nothing is rendered again"
else fail "--skip-done: nothing is rendered again (exit $rc)" "$(tail -2 "$B/skip.err")" "$(diff <(echo "$before") <(echo "$after") | head -5)"; fi
check "--skip-done: the report says skipped, with the size" python3 -c '
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r and all(e["ok"] and e["skipped"] and e["bytes"] == os.path.getsize(e["output"]) for e in r)' "$B/skip.json"
one=$(cd "$B/corpus" && ls corpus-*.json | head -1)
id=${one%.json}
sleep 0.05
touch "$B/corpus/$one"
"$VANBAN" batch "$B/corpus" -o "$B/j1" -f pdf,docx --skip-done 2>"$B/skip.err"; rc=$?
after2=$(stamp "$B/j1")
changed=$(diff <(echo "$after") <(echo "$after2") | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
want=$(names "$B/j1" | grep "^$id\." | tr '\n' ' ')
if [ "$rc" = 0 ] && [ -n "$want" ] && [ "$changed" = "$want" ]; then pass "--skip-done: a touched record is rendered again, only it"
else fail "--skip-done: a touched record is rendered again, only it" "changed: $changed" "want: $want"; fi
diff -r "$B/j1" "$B/j2" >/dev/null && pass "... and gives the same bytes" || fail "... and gives the same bytes"

# interruption: SIGTERM and SIGINT mid-batch leave whole files and no
# temporary file; --skip-done then completes the batch
for sig in TERM INT; do
    rm -rf "$B/k"
    "$VANBAN" batch "$B/corpus" -o "$B/k" -j 2 -f pdf,docx 2>"$B/k.err" &
    pid=$!
    for _ in $(seq 1 400); do      # until some outputs exist (at most 20 s)
        [ "$(ls "$B/k" 2>/dev/null | grep -c .)" -ge 6 ] && break
        sleep 0.05
    done
    kill -$sig $pid
    wait $pid
    rc=$?
    n=$(ls "$B/k" 2>/dev/null | grep -c '\.\(pdf\|docx\)$')
    want=$((128 + $(kill -l $sig)))
    if [ "$rc" = "$want" ] && grep -q "interrupted" "$B/k.err"; then pass "SIG$sig mid-batch: dies of it (exit $rc), says so"
    else fail "SIG$sig mid-batch: dies of it (exit $want), says so; got $rc" "$(tail -3 "$B/k.err")"; fi
    [ "$n" -lt "$total" ] && pass "SIG$sig came mid-batch ($n of $total written)" ||
        skip "SIG$sig came after the batch had finished ($n of $total): the machine is too fast for this check"
    no_leftovers "SIG$sig: no temporary file (*.tmp-*, fonts in TMPDIR)" "$B/k"
    if out=$(complete_files "$B/k"); then pass "SIG$sig: every output is a whole file"; else fail "SIG$sig: every output is a whole file" "$out"; fi
    "$VANBAN" batch "$B/corpus" -o "$B/k" -j 2 -f pdf,docx --skip-done 2>"$B/k.err"; rc=$?
    if [ "$rc" = 0 ] && diff -r "$B/k" "$B/j2" >/dev/null; then pass "SIG$sig: a rerun with --skip-done completes it, same bytes"
    else fail "SIG$sig: a rerun with --skip-done completes it (exit $rc)" "$(diff -rq "$B/k" "$B/j2" | head -5)"; fi
done

# ---- progress: none when stderr is not a terminal; a bar on a terminal -----
rm -rf "$B/p"
"$VANBAN" batch samples -o "$B/p" 2>"$B/p.err"
if [ "$(grep -c . "$B/p.err")" = 1 ] && grep -q "^batch: " "$B/p.err" && ! grep -q $'\r\|\033\|ETA' "$B/p.err"; then
    pass "stderr not a terminal: no progress bar, only the summary"
else fail "stderr not a terminal: no progress bar, only the summary" "$(cat -A "$B/p.err" | head -5)"; fi
if have script; then
    rm -rf "$B/p"
    script -qfec "'$VANBAN' batch '$B/corpus' -o '$B/p' -j 1" /dev/null >"$B/p.tty" 2>&1 </dev/null
    if grep -q "records, .* docs/s, ETA" "$B/p.tty"; then pass "stderr a terminal: a progress bar"
    else fail "stderr a terminal: a progress bar" "$(cat -A "$B/p.tty" | head -5)"; fi
fi

t_done
