#!/usr/bin/env bash
# fuzz/run.sh — build the libFuzzer targets and run each one in turn
# (`make fuzz`).  See fuzz/README.md.
#
#   FUZZ_SECONDS=60          seconds per target (default 60)
#   FUZZ_TARGETS="record template text render schema pdfa serve numsym pdf"   which targets, in order
#   FUZZ_BUILD_ONLY=1        build and stop
#   FUZZ_CC=clang            the compiler (needs libFuzzer: libclang-rt-dev)
#
# Everything built or written while fuzzing lives in fuzz/build/ (ignored by
# git): objects, the four binaries, the growing corpora, logs.  Seeds are
# read from fuzz/corpus/<target>/ and fuzz/regress/<target>/; an input that
# crashes, leaks, times out or runs out of memory is moved to
# fuzz/regress/<target>/, where tests/fuzz-regress.sh replays it in every
# `make test`.  Targets run one after another, one process each (-jobs=1
# -workers=1): the machine is shared.  Exit status 1 when anything was found.
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
secs=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-record template text render schema pdfa serve numsym pdf}
cc=${FUZZ_CC:-clang}
out=fuzz/build

if ! command -v "$cc" >/dev/null; then
  echo "fuzz: $cc not found; install clang and libclang-rt-dev (tools/setup.sh --deps)" >&2
  exit 2
fi
# the Makefile's PKGS (so a new dependency needs no change here)
pkgs=$(sed -n 's/^PKGS *= *//p' Makefile)
[ -n "$pkgs" ] || pkgs="freetype2 fontconfig libzip jansson libutf8proc harfbuzz harfbuzz-subset"
pkg_cflags=$(pkg-config --cflags $pkgs) || { echo "fuzz: pkg-config failed for: $pkgs" >&2; exit 2; }
pkg_libs=$(pkg-config --libs $pkgs)

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $SAN -Wall -Wextra -Wno-unused-parameter"
DEFS=(-DVB_DATADIR="\"$repo\"" -DVB_FUZZ_REPO="\"$repo\"" -Irender)

# ---- build: the library objects (all of render/ but main.c), then targets
mkdir -p "$out/obj"
objs=()
status=0
for src in render/*.c; do
  [ "$src" = render/main.c ] && continue
  obj="$out/obj/$(basename "${src%.c}").o"
  objs+=("$obj")
  stale=0
  [ -f "$obj" ] || stale=1
  if [ $stale = 0 ]; then
    for dep in "$src" render/*.h; do [ "$dep" -nt "$obj" ] && { stale=1; break; }; done
  fi
  [ $stale = 0 ] && continue
  echo "fuzz: cc $src"
  # shellcheck disable=SC2086
  $cc $CFLAGS "${DEFS[@]}" $pkg_cflags -c "$src" -o "$obj" || status=1
done
[ $status = 0 ] || { echo "fuzz: build failed" >&2; exit 2; }
for t in $targets; do
  src="fuzz/fuzz_$t.c"
  [ -f "$src" ] || { echo "fuzz: no target $t ($src)" >&2; exit 2; }
  bin="$out/fuzz_$t"
  stale=0
  [ -x "$bin" ] || stale=1
  if [ $stale = 0 ]; then
    for dep in "$src" fuzz/common.h "${objs[@]}"; do [ "$dep" -nt "$bin" ] && { stale=1; break; }; done
  fi
  [ $stale = 0 ] && continue
  echo "fuzz: link $bin"
  # shellcheck disable=SC2086
  $cc $CFLAGS "${DEFS[@]}" $pkg_cflags -Ifuzz "$src" "${objs[@]}" -o "$bin" \
      $pkg_libs -lpthread -lm || { echo "fuzz: link of $t failed" >&2; exit 2; }
done
[ "${FUZZ_BUILD_ONLY:-}" = 1 ] && { echo "fuzz: built ($targets) in $out/"; exit 0; }

# ---- run
# Per target: the largest input (bytes) and the time one input may take (s).
opts() {
  case $1 in
    record)   echo "-max_len=16384 -timeout=10" ;;
    template) echo "-max_len=8192 -timeout=10" ;;
    text)     echo "-max_len=1024 -timeout=5" ;;
    numsym)   echo "-max_len=256 -timeout=5" ;;
    render)   echo "-max_len=8192 -timeout=30" ;;
    pdfa)     echo "-max_len=8192 -timeout=10" ;;
    serve)    echo "-max_len=16384 -timeout=30" ;;
    pdf)      echo "-max_len=65536 -timeout=20" ;;
  esac
}
export VANBAN_DATA="$repo"
summary=()
found_any=0
for t in $targets; do
  work="$out/run-$t"
  mkdir -p "$work" "$out/corpus/$t" "$out/artifacts/$t" "fuzz/corpus/$t" "fuzz/regress/$t"
  rm -f "$work"/fuzz-*.log
  echo "fuzz: $t for ${secs}s ($(opts "$t"))"
  # -jobs=1 -workers=1: one child process, its output in $work/fuzz-0.log.
  # New corpus entries go to the first folder (fuzz/build/), never to the
  # seeds in git.
  # shellcheck disable=SC2046
  (cd "$work" && "$repo/$out/fuzz_$t" -jobs=1 -workers=1 -max_total_time="$secs" \
      -print_final_stats=1 -rss_limit_mb=2048 -dict="$repo/fuzz/dict/$t.dict" \
      -artifact_prefix="$repo/$out/artifacts/$t/" $(opts "$t") \
      "$repo/$out/corpus/$t" "$repo/fuzz/corpus/$t" "$repo/fuzz/regress/$t" \
      >"$repo/$out/$t.log" 2>&1)
  rc=$?
  log="$work/fuzz-0.log"
  [ -f "$log" ] || log="$out/$t.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  new=0
  for f in "$out/artifacts/$t"/*; do
    [ -f "$f" ] || continue
    case $(basename "$f") in
      crash-*|leak-*|timeout-*|oom-*) ;;
      *) continue ;;
    esac
    # moved, so that the next run does not report it again
    mv -f "$f" "fuzz/regress/$t/"
    echo "fuzz: $t: new finding saved as fuzz/regress/$t/$(basename "$f")"
    new=$((new + 1))
  done
  if [ $new -gt 0 ]; then
    found_any=1
    grep -m1 -A25 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|invariant broken' "$log" | head -40
    summary+=("$(printf '%-9s %12s runs  FOUND %d (see fuzz/regress/%s/, log %s)' "$t" "${runs:-?}" "$new" "$t" "$log")")
  elif [ "$rc" != 0 ]; then
    found_any=1
    summary+=("$(printf '%-9s %12s runs  FAILED (exit %s, log %s)' "$t" "${runs:-?}" "$rc" "$log")")
  else
    summary+=("$(printf '%-9s %12s runs  nothing found' "$t" "${runs:-?}")")
  fi
done
echo "fuzz: summary (${secs}s per target)"
for line in "${summary[@]}"; do echo "  $line"; done
exit $found_any
