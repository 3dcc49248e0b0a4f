#!/usr/bin/env bash
# Run the unit tests and a render of every sample (each type, each format)
# under valgrind: any memory error or definite leak fails.  Part of
# `make check`.  usage: tools/valgrind-check.sh ./vanban build
# Every command must end with the exit code it documents (README: 0 ok,
# 1 bad input); valgrind's own code (99), any other code and a signal
# (128+N) are failures.
set -u
bin=${1:-./vanban} units=${2:-build}
cd "$(dirname "$0")/.."
# English messages, which run() looks for (tests/lib.sh does the same)
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8
if ! command -v valgrind >/dev/null; then
  if [ "${CI:-}" = true ]; then echo "valgrind: not installed"; echo "valgrind: 0 passed, 1 failed"; exit 1; fi
  echo "skip: valgrind not installed"; echo "valgrind: 0 passed, 0 failed"; exit 0
fi
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --suppressions=tools/valgrind.supp)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
run() {   # name, expected exit code, message stderr must hold ("" for none), command...
  local name=$1 want=$2 msg=$3 rc why=
  shift 3
  "${VG[@]}" "$@" >"$tmp/out" 2>&1
  rc=$?
  if [ $rc = 99 ]; then why="a memory error or leak"
  elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128))"
  elif [ $rc != "$want" ]; then why="expected exit $want"
  elif [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/out"; then why="no \"$msg\" in its output"
  fi
  if [ -z "$why" ]; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAIL (valgrind, exit $rc: $why): $name"; head -40 "$tmp/out"; fi
}
found=0
for u in "$units"/unit-*; do
  [ -f "$u" ] && [ -x "$u" ] || continue
  found=1
  run "$(basename "$u")" 0 "" "$u"
done
[ $found = 1 ] || { fail=$((fail+1)); echo "FAIL (valgrind): no unit-* binaries in $units (make units)"; }
for rec in samples/*.json; do
  # the types the record holds render (exit 0); the others are refused
  # as bad input (exit 1, saying so)
  holds=$("$bin" check "$rec" 2>/dev/null | sed -n 's/.*: ok (\(.*\))$/, \1,/p')
  [ -n "$holds" ] || { fail=$((fail+1)); echo "FAIL (valgrind): vanban check $rec lists no document type"; continue; }
  for type in resolution minutes; do
    for fmt in pdf docx; do
      case $holds in
        *" $type,"*) run "$rec $type $fmt" 0 "" "$bin" render "$rec" -t "$type" -o "$tmp/x.$fmt" ;;
        *) # refused naming what is missing: the type's condition (vanban types)
           cond=$("$bin" types | awk -v t="$type" '$1 == t { print $NF; exit }')
           run "$rec $type $fmt (not in the record)" 1 "has no \"${cond:-$type}\"" "$bin" render "$rec" -t "$type" -o "$tmp/x.$fmt" ;;
      esac
    done
  done
done
# bad input must fail cleanly: exit 1 with a message naming the file
run "bad record" 1 "tests/unit/check.h:1:1: invalid JSON" "$bin" check tests/unit/check.h
# vanban serve: a session over HTTP (a preview, a bad record, a DOCX, a
# foreign Host, a batch followed to its zip), then SIGTERM: exit 0, no leak
if command -v curl >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${VG[@]}" "$bin" serve --listen "127.0.0.1:$port" -j 2 --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
  vpid=$!
  for _ in $(seq 600); do grep -q "http://" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
  u=http://127.0.0.1:$port
  sc=""
  sc+=" $(curl -s -o "$tmp/p.pdf" -w '%{http_code}' --data-binary @samples/haiphong-2021-12-28.json "$u/api/preview/resolution")"
  sc+=" $(curl -s -o /dev/null -w '%{http_code}' --data-binary '{"convention":"state","issuer":1}' "$u/api/preview/resolution")"
  sc+=" $(curl -s -o /dev/null -w '%{http_code}' --data-binary @samples/namdinh-hdnd-2023-01-05.json "$u/api/render/minutes/docx")"
  sc+=" $(curl -s -o /dev/null -w '%{http_code}' -H 'Host: rebind.example' "$u/")"
  python3 - "$tmp/up" <<'PY'
import sys
p = sys.argv[1]; rec = open("samples/namdinh-hdnd-2023-01-05.json", "rb").read().replace(b"\n", b"") + b"\n"
open(p, "wb").write(b"vanban-batch 1\nb.jsonl\n" + str(len(rec)).encode() + b"\n" + rec + b"\n")
PY
  job=$(curl -s --data-binary @"$tmp/up" "$u/api/batch" | sed -n 's/.*"job": \([0-9]*\).*/\1/p')
  curl -s -N --max-time 300 "$u/api/batch/$job/events" >/dev/null
  sc+=" $(curl -s -o /dev/null -w '%{http_code}' "$u/api/batch/$job/zip")"
  kill -TERM "$vpid"
  wait "$vpid"
  rc=$?
  if [ "$sc" = " 200 422 200 403 200" ] && [ $rc = 0 ]; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAIL (valgrind, exit $rc): vanban serve session, statuses$sc (want 200 422 200 403 200)"; head -40 "$tmp/serve.err"; fi
else
  echo "skip: curl not installed: vanban serve is not run under valgrind"
  [ "${CI:-}" = true ] && fail=$((fail+1))
fi
# signing (tests/sign.sh has the full checks): a key made here, the person
# with a signature image, the organisation's seal after it, a copy line,
# verify, and a key that does not match its certificate
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 30 -subj "/CN=vg" 2>/dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k2.pem" -out "$tmp/c2.pem" -days 30 -subj "/CN=vg2" 2>/dev/null
  python3 - "$tmp/s.png" <<'EOF'
import struct, sys, zlib
rows = b''.join(b'\0' + b''.join(bytes((200, 0, 0, 255 if (x + y) % 7 == 0 else 0)) for x in range(60)) for y in range(20))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 60, 20, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
EOF
  run "render --sidecar" 0 "" "$bin" render samples/haiphong-2021-12-28.json -t resolution -o "$tmp/u.pdf" --sidecar
  run "sign --as person" 0 "" "$bin" sign "$tmp/u.pdf" -o "$tmp/p.pdf" --key "$tmp/k.pem" --cert "$tmp/c.pem" --signature-image "$tmp/s.png"
  run "sign --as organisation" 0 "" "$bin" sign "$tmp/p.pdf" -o "$tmp/po.pdf" --key "$tmp/k2.pem" --cert "$tmp/c2.pem" --as organisation --seal-image "$tmp/s.png"
  run "sign --as copy" 0 "" "$bin" sign "$tmp/u.pdf" -o "$tmp/cp.pdf" --key "$tmp/k2.pem" --cert "$tmp/c2.pem" --as copy --copy-form "SAO Y" --organisation "Văn phòng"
  run "verify" 0 "all intact" "$bin" verify "$tmp/po.pdf"
  run "sign with a key that is not the certificate's" 4 "does not match" "$bin" sign "$tmp/u.pdf" -o "$tmp/x.pdf" --key "$tmp/k.pem" --cert "$tmp/c2.pem" --signature-image "$tmp/s.png"
  run "render --sign" 0 "" "$bin" render samples/haiphong-2021-12-28.json -t resolution -o "$tmp/rs.pdf" --sign --key "$tmp/k.pem" --cert "$tmp/c.pem" --signature-image "$tmp/s.png"
fi
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
