#!/usr/bin/env python3
"""Check the appendices (phụ lục, Decree 30 form 2.1) of a rendered PDF,
read back with MuPDF through placement.py's reader.

usage: appendix.py FILE.pdf RECORD.json [--layout DUMP]

For each appendix of the record's resolution: it starts a page of its own
(nothing of the document or of the appendix before it on that page), and
that page opens with its label ("Phụ lục I", "Phụ lục" for a single one,
or "Phụ lục " + its own number), bold 14 pt, centred on the page's text
block; then its title in capitals, bold; then the reference line
"(Kèm theo Nghị quyết số … ngày … của …)" in italic, filled from the
resolution (its number line without "Số", its date in words, the issuer),
with a rule under it; the page is A4, landscape (297 x 210 mm) exactly
when the appendix says so, and every line inside that page's margins.
With --layout, the dump's pages have the PDF's sizes.  The expected texts
are written here from conventions.md, not read from the templates.
Ends with "appendix FILE: N passed, N failed"."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import placement  # noqa: E402

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
MARGIN_TOL, CENTRE_TOL = 0.5, 1.0


def expected_ref(rec):
    r = rec["resolution"]
    y, m, d = r.get("date", rec.get("meeting", {}).get("date", "")).split("-")
    conv, code = rec["convention"], rec["issuer"]["code"]
    n = r.get("number")
    if conv == "party":
        num = ("%02d" % n if n else "") + "-NQ/" + code
    else:
        num = ("%02d" % n if n else "") + "/NQ-" + code
    return "(Kèm theo Nghị quyết số %s ngày %s tháng %s năm %s của %s)" % (num, d, m, y, rec["issuer"]["name"])


def fold(s):
    return " ".join(s.replace("\u00a0", " ").split())


def main():
    args = sys.argv[1:]
    layout = None
    if "--layout" in args:
        i = args.index("--layout")
        layout = args[i + 1]
        del args[i:i + 2]
    pdf, recpath = args
    rec = json.load(open(recpath, encoding="utf-8"))
    apps = rec["resolution"].get("appendices", [])
    name = os.path.basename(pdf)
    ck = placement.Checker("appendix " + name)
    pages = placement.read_pdf(pdf)
    want_ref = fold(expected_ref(rec))
    # the appendices' pages, in order: the pages whose first line (below
    # the page number) is a label
    label_re = re.compile(r"Phụ lục(?: \S+)?$")
    starts = []
    for pg in pages:
        left, right, top, bottom, centre = placement.frame(pg)
        segs = sorted((s for s in pg["segs"] if s.top >= top - MARGIN_TOL), key=lambda s: (s.y, s.x0))
        if segs and label_re.fullmatch(segs[0].text):
            starts.append((pg, segs))
    ck.ok(len(starts) == len(apps), "%d appendices, each from the top of a page of its own" % len(apps),
          "%d pages start with a label: %s" % (len(starts), [pg["no"] for pg, _ in starts]))
    ck.ok(not starts or starts[0][0]["no"] > 1, "the appendices come after the document's own pages")
    for k, (a, (pg, segs)) in enumerate(zip(apps, starts)):
        no = pg["no"]
        left, right, top, bottom, centre = placement.frame(pg)
        label = segs[0]
        if "number" in a:
            want = "Phụ lục " + a["number"]
        elif len(apps) == 1:
            want = "Phụ lục"
        else:
            want = "Phụ lục " + ROMAN[k]
        ck.ok(label.text == want, "page %d: the label %r" % (no, want), label.text)
        ck.ok(label.bold and not label.italic and label.size == 14, "page %d: the label bold, upright, 14 pt" % no,
              "%s %s" % (label.sizes, label.style()))
        ck.ok(placement.near(label.mid, centre, CENTRE_TOL), "page %d: the label centred on the text block (%.1f mm)"
              % (no, centre), "centre %.2f" % label.mid)
        # the title: the bold lines after the label, before the italic reference
        rest = segs[1:]
        title = []
        while rest and rest[0].bold and not rest[0].italic:
            title.append(rest.pop(0))
        want_title = a["title"].upper()
        ck.ok(fold(" ".join(s.text for s in title)) == fold(want_title), "page %d: the title in capitals" % no,
              " / ".join(s.text for s in title))
        ck.ok(title and all(placement.near(s.mid, centre, CENTRE_TOL) for s in title),
              "page %d: the title centred" % no)
        ref = []
        while rest and rest[0].italic:
            ref.append(rest.pop(0))
        got = fold(" ".join(s.text for s in ref))
        if rec["resolution"].get("number"):
            ck.ok(got == want_ref, "page %d: %r" % (no, want_ref), got)
        else:
            # the blank-number form: room for the number written by hand
            m = re.fullmatch(r"\(Kèm theo Nghị quyết số(.*?)([-/]NQ[-/]\S+) (ngày .*)\)", got)
            ck.ok(m is not None and fold(want_ref).endswith(fold(m.group(2) + " " + m.group(3)) + ")"),
                  "page %d: the reference line, with the blank number form" % no, got)
        ck.ok(ref and all(placement.near(s.mid, centre, CENTRE_TOL) for s in ref),
              "page %d: the reference line centred" % no)
        if ref:
            last = ref[-1]
            rules = [r for r in pg["rules"] if last.y < r[2] <= last.y + 6]
            ck.ok(bool(rules) and placement.near((rules[0][0] + rules[0][1]) / 2, centre, CENTRE_TOL),
                  "page %d: a rule under the reference line, centred" % no, rules or "none")
            ck.ok(not rest or rest[0].y > last.y, "page %d: the content after the reference line" % no)
        # the page: A4, landscape exactly when the appendix says
        land = bool(a.get("landscape"))
        w, h = (297.0, 210.0) if land else (210.0, 297.0)
        ck.ok(placement.near(pg["w"], w, 0.5) and placement.near(pg["h"], h, 0.5),
              "page %d is %s A4 (%.0f x %.0f mm)" % (no, "landscape" if land else "portrait", w, h),
              "%.2f x %.2f" % (pg["w"], pg["h"]))
    # every page of an appendix: inside its own margins, its number centred
    # over its own text block; the next appendix's first page ends it
    first_app = starts[0][0]["no"] if starts else len(pages) + 1
    for pg in pages:
        if pg["no"] < first_app:
            continue
        left, right, top, bottom, centre = placement.frame(pg)
        body = [s for s in pg["segs"] if s.top >= top - MARGIN_TOL]
        out = [s for s in body if s.x0 < left - MARGIN_TOL or s.x1 > right + MARGIN_TOL or s.bottom > bottom + MARGIN_TOL]
        ck.ok(not out, "page %d: every line inside its margins (x %.0f-%.0f, y %.0f-%.0f mm)"
              % (pg["no"], left, right, top, bottom), out[:3] or None)
        num = [s for s in pg["segs"] if s.bottom < top]
        ck.ok(len(num) == 1 and num[0].text == str(pg["no"]) and placement.near(num[0].mid, centre, CENTRE_TOL),
              "page %d: its number, centred over its own text block (%.1f mm)" % (pg["no"], centre), num or "none")
    if layout:
        dump = placement.read_dump(layout)
        ck.ok([(round(p["w"]), round(p["h"])) for p in dump] == [(round(p["w"]), round(p["h"])) for p in pages],
              "the layout dump's page sizes are the PDF's", "%s vs %s" % ([(p["w"], p["h"]) for p in dump],
                                                                       [(p["w"], p["h"]) for p in pages]))
    print("appendix %s: %d passed, %d failed" % (name, ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
