#!/usr/bin/env python3
"""blank-number.py — the room left for a number written by hand.

usage: tests/blank-number.py FILE.pdf CODE [MIN_MM]

An unnumbered document prints its number line as "Số:" + blank + "/NQ-…"
(state) or "Số" + blank + "-NQ/…" (Party); the clerk writes the number
there after signing.  Reads the first page back with MuPDF (`mutool draw
-F stext`), finds the line that starts with "Số" and holds CODE (e.g.
"/NQ-HĐND", "-BB/ĐUK"), and measures the empty room between the last
visible character before the blank and the first of CODE: at least MIN_MM
(default 10) mm.  Prints what it measured; exits 1 when the room is too
small or the line is not there, 2 on a usage error or an unreadable file.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

PT_PER_MM = 72 / 25.4


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip().split("\n")[2], file=sys.stderr)
        return 2
    path, code = sys.argv[1], sys.argv[2]
    min_mm = float(sys.argv[3]) if len(sys.argv) == 4 else 10.0
    run = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", path, "1"], capture_output=True)
    if run.returncode != 0:
        print("%s: mutool: %s" % (path, run.stderr.decode(errors="replace").strip()), file=sys.stderr)
        return 2
    root = ET.fromstring(run.stdout)
    for line in root.iter("line"):
        chars = [(c.get("c"), [float(v) for v in c.get("quad").split()]) for c in line.iter("char")]
        text = "".join(c for c, _ in chars)
        if not text.startswith("Số") or code not in text:
            continue
        at = text.index(code)
        before = [q for c, q in chars[:at] if not c.isspace()]
        if not before:
            continue
        # quad: ul ur ll lr corners; x of the right end of the last visible
        # character before the blank, of the left end of CODE's first one
        gap = (chars[at][1][0] - before[-1][2]) / PT_PER_MM
        shown = text[:at].rstrip() + " [%.1f mm] " % gap + text[at:]
        path = os.path.basename(path)
        if gap >= min_mm:
            print("%s: %s: room for the number %.1f mm (at least %.0f)" % (path, shown, gap, min_mm))
            return 0
        print("%s: %s: room for the number %.1f mm, less than %.0f" % (path, shown, gap, min_mm))
        return 1
    print("%s: no line \"Số…%s\" on page 1" % (path, code))
    return 1


sys.exit(main())
