#!/usr/bin/env bash
# tools/bench.sh — `make bench`: how fast vanban batch is, and how much
# memory and disk it takes.  Prints figures only; nothing is asserted (the
# exit status is non-zero only when something fails to run).
#
#   tools/bench.sh                  everything (a few minutes)
#   BENCH_BIG=2000 tools/bench.sh   fewer documents for the memory check
#   JOBS=4 tools/bench.sh           workers (default: nproc)
#   PROFILE=1 tools/bench.sh        also perf stat and callgrind on 20 documents
#
# Steps: a corpus (tools/gen-corpus.py: 200 records as .json + 40 in a
# .jsonl, 1 to 15 pages each) in a temporary folder; vanban batch over it as
# PDF and as DOCX with -j JOBS under /usr/bin/time -v (the PDF also to
# /dev/shm, a tmpfs, for a line on disk against memory); the line breaking of
# the PDF, total fit against greedy (VANBAN_LINE_STATS, tools/line-stats.py); the seed resolution
# PDF; ms per document for each sample; peak RSS for 100 and for BENCH_BIG
# (default 10,000) short resolutions; LibreOffice (if installed) converting
# 20 of our DOCX to PDF against our time for the same 20 PDFs.
set -u
cd "$(dirname "$0")/.."
VANBAN=${VANBAN:-./vanban}
export VANBAN_DATA=${VANBAN_DATA:-$PWD}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export LC_ALL=C.UTF-8
JOBS=${JOBS:-$(nproc)}
BIG=${BENCH_BIG:-10000}
[ -x "$VANBAN" ] || { echo "bench: $VANBAN is not built (make vanban)" >&2; exit 3; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)" >&2; exit 3; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX") || exit 3
SHM=
trap 'rm -rf "$T" ${SHM:+"$SHM"}' EXIT
trap 'rm -rf "$T" ${SHM:+"$SHM"}; trap - INT; kill -INT $$' INT

die() { echo "bench: $*" >&2; exit 1; }

# run NAME ARGS...: vanban batch under /usr/bin/time -v; sets S_* from the
# summary line and RSS_KB from time's report.
run() {
    local name=$1
    shift
    /usr/bin/time -v -o "$T/$name.time" "$VANBAN" batch "$@" 2>"$T/$name.err"
    local rc=$?
    [ "$rc" = 0 ] || { tail -5 "$T/$name.err" >&2; die "vanban batch $* failed (exit $rc)"; }
    local line
    line=$(grep '^batch: ' "$T/$name.err" | tail -1)
    read -r S_DOCS S_PAGES S_BYTES S_SECS <<<"$(printf '%s\n' "$line" |
        sed -E 's/^batch: ([0-9]+) documents, ([0-9]+) pages, ([0-9]+) bytes .* in ([0-9.]+) s .*/\1 \2 \3 \4/')"
    RSS_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/$name.time")
    S_CPU=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$T/$name.time")
}

# figures LABEL: one block from the last run
figures() {
    awk -v l="$1" -v d="$S_DOCS" -v p="$S_PAGES" -v b="$S_BYTES" -v s="$S_SECS" -v r="$RSS_KB" \
        -v c="$S_CPU" -v j="$JOBS" -v n="$(nproc)" 'BEGIN {
        printf "%s\n", l
        printf "  documents           %d (%d pages)\n", d, p
        printf "  time                %.2f s\n", s
        printf "  documents/s         %.1f\n", (s > 0 ? d / s : 0)
        printf "  pages/s             %.1f\n", (s > 0 ? p / s : 0)
        # CPU time hardly depends on what else the machine runs: pages per
        # CPU second times the cores used is what an idle machine would do
        # (the workers scale 2.05x on 2 cores), a figure to compare runs by
        printf "  CPU time            %.2f s (user + system)\n", c
        printf "  pages/CPU-s         %.1f (x %d cores: %.1f pages/s idle)\n", (c > 0 ? p / c : 0), (j < n ? j : n), (c > 0 ? p / c * (j < n ? j : n) : 0)
        printf "  peak RSS            %.1f MiB\n", r / 1024
        printf "  bytes per page      %d\n", (p > 0 ? b / p : 0)
        printf "  KB per document     %.1f\n", (d > 0 ? b / 1024 / d : 0)
    }'
}

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

echo "vanban bench: $(uname -srm), $(nproc) cores online, -j $JOBS, $("$VANBAN" --version)"
echo "command: vanban batch CORPUS -o OUT -f pdf|docx -j $JOBS (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
echo

python3 tools/gen-corpus.py "$T/corpus" --count 200 --jsonl 40 --seed 1 >/dev/null || die "gen-corpus failed"
"$VANBAN" check "$T"/corpus/*.json >/dev/null 2>"$T/check.err" || { head "$T/check.err" >&2; die "the corpus does not pass vanban check"; }
echo "corpus: 240 records (200 .json, 40 in one .jsonl), both conventions, seed 1"

run pdf "$T/corpus" -o "$T/out-pdf" -f pdf -j "$JOBS" --report "$T/pdf.json"
figures "PDF (-j $JOBS)"
python3 - "$T/pdf.json" <<'EOF'
import json, sys
r = [e for e in json.load(open(sys.argv[1])) if e["ok"]]
pages = sorted(e["pages"] for e in r)
print("  pages per document  %d to %d, median %d" % (pages[0], pages[-1], pages[len(pages) // 2]))
EOF

# the same to a tmpfs (/dev/shm) when there is one: no disk under the
# fsync of each file, so the difference is what the disk costs
if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
    disk_pages=$S_PAGES disk_secs=$S_SECS disk_cpu=$S_CPU
    SHM=$(mktemp -d /dev/shm/vanban-bench.XXXXXX) || die "cannot make a folder in /dev/shm"
    run pdf-shm "$T/corpus" -o "$SHM/out" -f pdf -j "$JOBS"
    rm -rf "$SHM"
    SHM=
    awk -v dp="$disk_pages" -v ds="$disk_secs" -v dc="$disk_cpu" -v p="$S_PAGES" -v s="$S_SECS" -v c="$S_CPU" 'BEGIN {
        printf "  output on disk      %.1f pages/s, CPU %.2f s (%.2f s per 1,000 pages)\n", dp / ds, dc, dc * 1000 / dp
        printf "  output on tmpfs     %.1f pages/s, CPU %.2f s (%.2f s per 1,000 pages)\n", p / s, c, c * 1000 / p
    }'
fi

# line breaking: the corpus as PDF again (not timed), once with the rule
# files as they are (total fit) and once with a copy set to greedy; layout.c
# writes what every justified line did to VANBAN_LINE_STATS
mkdir -p "$T/greedy"
cp -r templates "$T/greedy/"
sed -i 's/^breaking *= *total-fit *$/breaking = greedy/' "$T"/greedy/templates/*/style
grep -q '^breaking = greedy$' "$T"/greedy/templates/party/style "$T"/greedy/templates/state/style >/dev/null ||
    die "the rule files do not say breaking = total-fit"
for b in greedy total-fit; do
    data=$PWD
    [ "$b" = greedy ] && data=$T/greedy
    rm -f "$T/lines-$b"
    VANBAN_LINE_STATS=$T/lines-$b "$VANBAN" batch "$T/corpus" -o "$T/lines-out-$b" -f pdf -j "$JOBS" --data "$data" \
        --report "$T/lines-$b.json" 2>"$T/lines-$b.err" || { tail -5 "$T/lines-$b.err" >&2; die "batch with $b breaking failed"; }
    rm -rf "$T/lines-out-$b"
done
echo "line breaking of justified paragraphs, the same corpus as PDF (tools/line-stats.py;"
echo "stretch: of the natural word space, per line; a short word: one narrower than 4 em)"
python3 tools/line-stats.py --compare "$T/lines-greedy" "$T/lines-greedy.json" "$T/lines-total-fit" "$T/lines-total-fit.json" ||
    die "line-stats failed"
echo

run docx "$T/corpus" -o "$T/out-docx" -f docx -j "$JOBS"
figures "DOCX (-j $JOBS; pages are those of our layout)"
run pdf1 "$T/corpus" -o "$T/out-pdf1" -f pdf -j 1
echo "PDF with -j 1: $(awk -v d="$S_DOCS" -v s="$S_SECS" 'BEGIN { printf "%.1f documents/s, %.2f s", d / s, s }'), peak RSS $((RSS_KB / 1024)) MiB"
echo

# signing (docs/signing.md): the same -j 1 batch with --sign, an RSA-2048
# key from a PEM file and a signature image; the difference in CPU time per
# document is what signing costs (target: under 2 ms)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/sign.key" -out "$T/sign.pem" -days 30 \
    -subj "/CN=vanban bench" 2>/dev/null || die "openssl could not make the bench key"
python3 - "$T/sig.png" <<'EOF'
import struct, sys, zlib
w, h = 300, 100
rows = b''.join(b'\0' + b''.join(bytes((25, 45, 190, 255 if abs(y - 50 - (x % 40 - 20)) < 3 else 0)) for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
EOF
cpu0=$S_CPU docs0=$S_DOCS
run sign1 "$T/corpus" -o "$T/out-sign1" -f pdf -j 1 --sign --key "$T/sign.key" --cert "$T/sign.pem" --signature-image "$T/sig.png"
echo "PDF with -j 1 and --sign (RSA-2048 PKCS#1 v1.5 from a PEM file, a 300x100 signature image):"
awk -v c0="$cpu0" -v c1="$S_CPU" -v d="$S_DOCS" -v d0="$docs0" -v s="$S_SECS" 'BEGIN {
    printf "  %.1f documents/s, %.2f s; CPU %.2f s against %.2f s unsigned\n", d / s, s, c1, c0
    printf "  signing costs %.2f ms of CPU per document\n", (d > 0 && d == d0 ? (c1 - c0) * 1000 / d : -1) }'
openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048/ { printf "  (openssl speed: one RSA-2048 signature %.2f ms)\n", $4 * 1000 }'
rm -rf "$T/out-sign1"
echo

# the seed resolution
"$VANBAN" render samples/haiphong-2021-12-28.json -t resolution -o "$T/seed.pdf" || die "render of the seed failed"
seed_pages=$(python3 -c 'import re,sys; d=open(sys.argv[1],"rb").read(); print(len(re.findall(rb"/Type /Page[^s]", d)))' "$T/seed.pdf")
echo "seed resolution PDF (samples/haiphong-2021-12-28.json -t resolution): $(stat -c %s "$T/seed.pdf") bytes, $seed_pages pages"
echo

# ms per document for each sample: a render process each (start-up and
# font loading included, median of 5), and in a batch (-j 1, the record
# 50 times in a .jsonl, per document)
echo "ms per document, each sample:         render (process)   in a batch"
for rec in samples/*.json; do
    name=$(basename "$rec" .json)
    for type in resolution minutes; do
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if ("resolution" if sys.argv[2]=="resolution" else "meeting") in r else 1)' "$rec" "$type" || continue
        python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for i in range(50):
        r["id"] = "copy-%02d" % i
        f.write(json.dumps(r, ensure_ascii=False) + "\n")' "$rec" "$T/copies.jsonl"
        for fmt in pdf docx; do
            times=()
            for _ in 1 2 3 4 5; do
                t0=$(now)
                "$VANBAN" render "$rec" -t "$type" -o "$T/one.$fmt" 2>/dev/null || die "render $rec $type $fmt failed"
                t1=$(now)
                times+=("$(calc "($t1 - $t0) * 1000")")
            done
            med=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)
            rm -rf "$T/copies"
            run copies "$T/copies.jsonl" -o "$T/copies" -t "$type" -f "$fmt" -j 1
            printf '  %-44s %8.1f ms %12.1f ms\n' "$name $type $fmt" "$med" "$(calc "$S_SECS * 1000 / $S_DOCS")"
        done
    done
done
echo

# memory: does it stay flat with the number of documents?
python3 tools/gen-corpus.py "$T/corpus" --repeat "$T/small.jsonl" --total 100 --max-pages 3 >/dev/null || die "gen-corpus --repeat failed"
run rss100 "$T/small.jsonl" -o "$T/out-100" -t resolution -j "$JOBS"
rss100=$RSS_KB docs100=$S_DOCS
rm -rf "$T/out-100"
python3 tools/gen-corpus.py "$T/corpus" --repeat "$T/big.jsonl" --total "$BIG" --max-pages 3 >/dev/null || die "gen-corpus --repeat failed"
run rssbig "$T/big.jsonl" -o "$T/out-big" -t resolution -j "$JOBS"
echo "peak RSS, short resolutions (1-3 pages, -j $JOBS):"
echo "  $docs100 documents     $((rss100 / 1024)).$(( (rss100 % 1024) * 10 / 1024 )) MiB"
echo "  $S_DOCS documents   $((RSS_KB / 1024)).$(( (RSS_KB % 1024) * 10 / 1024 )) MiB  ($(awk -v d="$S_DOCS" -v s="$S_SECS" 'BEGIN { printf "%.1f documents/s", d / s }'))"
rm -rf "$T/out-big" "$T/big.jsonl"
echo

# LibreOffice: 20 of our DOCX to PDF, against our own 20 PDFs (-j 1 both)
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$T/lo-in"
    n=0
    for f in "$T"/corpus/corpus-*.json; do
        grep -q '"resolution"' "$f" || continue
        cp "$f" "$T/lo-in/"
        n=$((n + 1))
        [ $n = 20 ] && break
    done
    run lo-docx "$T/lo-in" -o "$T/lo-docx" -t resolution -f docx -j 1
    run lo-ours "$T/lo-in" -o "$T/lo-pdf" -t resolution -f pdf -j 1
    ours=$S_SECS ours_docs=$S_DOCS
    prof="file://$T/lo-profile"
    # a first conversion creates the profile: not timed
    soffice -env:UserInstallation="$prof" --headless --convert-to pdf --outdir "$T/lo-warm" \
        "$(ls "$T"/lo-docx/*.docx | head -1)" >/dev/null 2>&1
    t0=$(now)
    soffice -env:UserInstallation="$prof" --headless --convert-to pdf --outdir "$T/lo-out" "$T"/lo-docx/*.docx \
        >"$T/lo.log" 2>&1
    t1=$(now)
    got=$(ls "$T/lo-out" 2>/dev/null | grep -c '\.pdf$')
    lo=$(calc "$t1 - $t0")
    echo "LibreOffice $(soffice --version 2>/dev/null | awk '{print $2; exit}') headless, $got of $ours_docs of our DOCX to PDF (one process):"
    printf '  LibreOffice         %.2f s (%.0f ms per document)\n' "$lo" "$(calc "$lo * 1000 / $ours_docs")"
    printf '  vanban batch -j 1   %.2f s (%.0f ms per document), from the records\n' "$ours" "$(calc "$ours * 1000 / $ours_docs")"
    printf '  ratio               LibreOffice takes %.1fx our time\n' "$(calc "$lo / $ours")"
else
    echo "LibreOffice: soffice is not installed; no comparison"
fi

if [ -n "${PROFILE:-}" ]; then
    echo
    head -20 "$T/small.jsonl" >"$T/p20.jsonl"
    if command -v perf >/dev/null 2>&1; then
        echo "perf stat, 20 short resolutions as PDF, -j 1:"
        perf stat -e task-clock,context-switches,page-faults "$VANBAN" batch "$T/p20.jsonl" -o "$T/p-out" -t resolution -j 1 2>&1 |
            grep -E 'task-clock|context|faults|elapsed' | sed 's/^ */  /'
    fi
    if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then
        rm -rf "$T/p-out"
        valgrind --tool=callgrind --callgrind-out-file="$T/cg.out" "$VANBAN" batch "$T/p20.jsonl" -o "$T/p-out" \
            -t resolution -j 1 >/dev/null 2>&1
        echo "callgrind, the same run: inclusive instructions, top functions"
        callgrind_annotate --inclusive=yes "$T/cg.out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,27p' | cut -c1-120
    fi
fi
