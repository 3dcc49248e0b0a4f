#!/usr/bin/env python3
"""Summarise a VANBAN_LINE_STATS file (render/layout.c writes it):

  tools/line-stats.py STATS [LABEL]

prints the word-space stretch of the justified lines (share of the natural
space: mean, 95th percentile, maximum; negative = shrunk) and how many
paragraphs of two lines or more end on one short word."""
import sys

stretch, last1, paras = [], 0, 0
with open(sys.argv[1]) as f:
    for ln in f:
        kind, v = ln.split()[:2]
        if kind == "L":
            stretch.append(int(v) / 100.0)      # per cent
        elif kind == "P":
            paras += 1
            last1 += int(v)
stretch.sort()
n = len(stretch)
label = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
if n == 0:
    print("%s: no justified lines" % label)
    sys.exit(0)
p95 = stretch[min(n - 1, (95 * n + 99) // 100 - 1)]    # nearest rank
print("%-10s justified lines %6d  stretch mean %5.1f%%  p95 %5.1f%%  max %6.1f%%  shrunk lines %5d  "
      "one-word last lines %4d of %d paragraphs"
      % (label, n, sum(stretch) / n, p95, stretch[-1], sum(1 for s in stretch if s < 0), last1, paras))
