#!/usr/bin/env bash
# Render every sample record into out/ (or $OUT): each document the record
# holds (the types `vanban check` lists for it), as PDF and as DOCX.  Any
# failure stops it with the message: the quick start must show it.
set -euo pipefail
cd "$(dirname "$0")/.."
VANBAN=${VANBAN:-./vanban}
out=${OUT:-out}
mkdir -p "$out"
for rec in samples/*.json; do
  name=$(basename "$rec" .json)
  # "FILE: ok (invitation, minutes, …)": the types this record holds
  types=$("$VANBAN" check "$rec" | sed -n 's/.*: ok (\(.*\))$/\1/p' | tr -d ,)
  [ -n "$types" ] || { echo "render-samples: vanban check $rec lists no document" >&2; exit 1; }
  for type in $types; do
    for fmt in pdf docx; do
      "$VANBAN" render "$rec" -t "$type" -o "$out/$name.$type.$fmt"
      echo "$out/$name.$type.$fmt"
    done
  done
done
