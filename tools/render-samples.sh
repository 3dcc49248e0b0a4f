#!/usr/bin/env bash
# Render every sample record into out/: each document type of its
# convention, as PDF and as DOCX.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
for rec in samples/*.json; do
  name=$(basename "$rec" .json)
  conv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["convention"])' "$rec")
  for type in $(./vanban types | sed -n "s/^$conv: //p"); do
    for fmt in pdf docx; do
      if ./vanban render "$rec" -t "$type" -o "out/$name.$type.$fmt" 2>/tmp/vanban-err.$$; then
        echo "out/$name.$type.$fmt"
      elif grep -q 'has no "resolution"\|has no "meeting"' /tmp/vanban-err.$$; then
        :   # this record does not hold that document
      else
        cat /tmp/vanban-err.$$ >&2; rm -f /tmp/vanban-err.$$; exit 1
      fi
    done
  done
done
rm -f /tmp/vanban-err.$$
