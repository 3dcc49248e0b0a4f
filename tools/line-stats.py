#!/usr/bin/env python3
"""What the line breaker did, from VANBAN_LINE_STATS files (render/layout.c
writes them: "L S" for every justified line but a paragraph's last, S the
stretch of its word spaces in 1/10000 of their natural width, negative when
shrunk; "P R N" for every justified paragraph of N >= 2 lines, R = 1 when
its last line is one short word).

  tools/line-stats.py STATS                         one summary line
  tools/line-stats.py --compare GREEDY_STATS GREEDY_REPORT TF_STATS TF_REPORT
      the bench table: greedy against total fit, with the issue's targets;
      the reports are `vanban batch --report` files (pages per document)
"""
import json
import sys


def read(path):
    stretch, runts, paras = [], 0, 0
    with open(path) as f:
        for ln in f:
            t = ln.split()
            if t[0] == "L":
                stretch.append(int(t[1]) / 100.0)        # per cent
            elif t[0] == "P":
                paras += 1
                runts += int(t[1])
    stretch.sort()
    return stretch, runts, paras


def pct(s, q):
    """nearest-rank percentile of a sorted list"""
    return s[min(len(s) - 1, max(0, (q * len(s) + 99) // 100 - 1))] if s else 0.0


def mean(s):
    return sum(s) / len(s) if s else 0.0


def pages(path):
    with open(path) as f:
        return {e["output"].rsplit("/", 1)[-1]: e["pages"] for e in json.load(f) if e["ok"]}


if len(sys.argv) == 2:
    s, r, n = read(sys.argv[1])
    print("justified lines %d, stretch mean %.1f%% p95 %.1f%% max %.1f%%, %d shrunk, "
          "%d of %d paragraphs end on one short word"
          % (len(s), mean(s), pct(s, 95), s[-1] if s else 0, sum(1 for x in s if x < 0), r, n))
    sys.exit(0)
if len(sys.argv) != 6 or sys.argv[1] != "--compare":
    sys.exit(__doc__)
gs, gr, gn = read(sys.argv[2])
ts, tr, tn = read(sys.argv[4])
gp, tp = pages(sys.argv[3]), pages(sys.argv[5])
if set(gp) != set(tp):
    sys.exit("line-stats: the two reports hold different documents")
more = sum(1 for k in tp if tp[k] > gp[k])
fewer = sum(1 for k in tp if tp[k] < gp[k])


def change(a, b):
    return "%+.0f%%" % ((b - a) * 100.0 / a) if a else "-"


row = "  %-36s %9s %9s %7s  %s"
print(row % ("", "greedy", "total-fit", "change", ""))
print(row % ("justified lines", len(gs), len(ts), "", ""))
print(row % ("word-space stretch, mean", "%.1f%%" % mean(gs), "%.1f%%" % mean(ts), "", ""))
g95, t95 = pct(gs, 95), pct(ts, 95)
print(row % ("  95th percentile", "%.1f%%" % g95, "%.1f%%" % t95, change(g95, t95),
             "target -30%% or better: %s" % ("met" if t95 <= 0.7 * g95 else "NOT MET")))
print(row % ("  maximum", "%.1f%%" % (gs[-1] if gs else 0), "%.1f%%" % (ts[-1] if ts else 0), "", ""))
print(row % ("lines stretched past 100%", sum(1 for x in gs if x > 100), sum(1 for x in ts if x > 100), "", ""))
print(row % ("lines shrunk", sum(1 for x in gs if x < 0), sum(1 for x in ts if x < 0), "", ""))
print(row % ("paragraphs ending on one short word", gr, tr, change(gr, tr),
             "of %d; target -90%% or better: %s" % (gn, "met" if tr <= 0.1 * gr else "NOT MET")))
gt, tt = sum(gp.values()), sum(tp.values())
print(row % ("pages", gt, tt, change(gt, tt),
             "%d documents: %d with fewer pages, %d with more (target 0): %s"
             % (len(tp), fewer, more, "met" if more == 0 and tt <= gt else "NOT MET")))
