#!/usr/bin/env python3
"""placement.py — check where a rendered PDF puts its text and rules.

usage: tests/placement.py FILE.pdf --convention party|state
                          [--expect-pages N] [--layout DUMP] [--only LIST]

Reads the PDF back with MuPDF (`mutool draw -F stext` for the text,
`mutool draw -F trace` for the strokes), so it sees what a reader sees,
whatever wrote the file.  Positions are in mm from the top-left corner of
the page; y is the baseline.  The expected figures are written here from
../shared/conventions.md (Decree 30/2020/NĐ-CP for state, Guide 36-HD/VPTW
for Party documents) on purpose, not read from templates/*/style: the
checker is an independent witness of the rule files.

--layout DUMP   the output of `vanban render … --dump layout` for the same
                document: its rules must be the PDF's strokes, and the rule
                checks are run on its fragments too.
--only LIST     comma-separated groups to run: page, margins, pagenum,
                header, type, body, signature, justify, rules, words, tables,
                forms (the conference set's own lines, conventions.md §6: decision,
                letter, report, proposal, notice, invitation, plan, vote count)
                (default all; rules and words compare with --layout).
                A record that is not a resolution or minutes (e.g. a giant
                word) is checked with --only page,margins,pagenum.

Prints one line per failed check and ends with
`placement FILE: N passed, N failed`; exits 1 on any failure, 2 on a
usage error or an unreadable file.
"""
import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

PT_PER_MM = 72 / 25.4
# Times New Roman and Liberation Serif (hhea): ascender 1825, descender 443 of 2048
ASCENT, DESCENT = 1825 / 2048, 443 / 2048

# ---- the rules, from conventions.md ----------------------------------
PAGE_W, PAGE_H = 210.0, 297.0            # A4
LEFT, RIGHT, TOP, BOTTOM = 30.0, 195.0, 20.0, 277.0   # 30/15/20/20 mm margins
CENTRE = (LEFT + RIGHT) / 2              # centre of the text block
PAGE_MID = PAGE_W / 2                    # centre of the page
INDENT = 10.0                            # first-line indent of body text
MARGIN_TOL = 0.5
CENTRE_TOL = 1.0
RULE_TOL = 0.3
JUSTIFY_TOL = 0.3
BASELINE_TOL = 0.5
GAP_SPLIT = 3.0   # a gap wider than this on one baseline separates two columns
HEADER_GAP = 8.0  # the two header columns never closer: less reads as one line (the rule files' header_min_gap)


def frame(pg):
    """The text block of a page, by its own size: an appendix may be a
    landscape A4 page (conventions.md §6, form 2.1), with the same margins,
    the page turned.  (left, right, top, bottom, centre) in mm."""
    right = pg["w"] - (PAGE_W - RIGHT)
    bottom = pg["h"] - (PAGE_H - BOTTOM)
    return LEFT, right, TOP, bottom, (LEFT + right) / 2

CONV = {
    "party": {
        "title": ["ĐẢNG CỘNG SẢN VIỆT NAM"], "title_size": 15,
        "issuer_size": 14, "number_size": 14, "number_re": r"Số (?:\d{2,}| *)-[A-ZĐ][A-Za-zĐ]*/\S+",
        "date_size": 14, "type_size": 16, "recipients_size": 14,
        "recipients_bold": False, "recipients_italic": False,
        "pagenum_size": 14,
    },
    "state": {
        "title": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        "title_size": 12, "motto": "Độc lập - Tự do - Hạnh phúc", "motto_size": 13,
        "issuer_size": 12, "number_size": 13, "number_re": r"Số: (?:\d{2,}| *)/[A-ZĐ][A-Za-zĐ]*(?:-\S+)?",
        "date_size": 13, "type_size": 14, "recipients_size": 12,
        "recipients_bold": True, "recipients_italic": True,
        "pagenum_size": (13, 14),
    },
}
DATE_RE = r".+, ngày \d{2} tháng (?:0[12]|[3-9]|1[0-2]) năm \d{4}"
TYPE_NAMES = {"NGHỊ QUYẾT": "resolution", "BIÊN BẢN": "minutes"}
BODY_SIZE = 14
GROUPS = ["page", "margins", "pagenum", "header", "type", "body", "signature", "justify", "rules", "words", "tables",
          "forms"]


class Seg:
    """A run of text on one baseline, split from its neighbours by a column gap."""

    def __init__(self, page, y, chars):
        self.page, self.y = page, y
        self.chars = chars            # (c, x0, x1, top, bottom, font, size)
        ink = [ch for ch in chars if ch[0].strip()] or chars
        self.text = "".join(ch[0] for ch in chars).strip()
        self.x0, self.x1 = ink[0][1], ink[-1][2]
        self.top = min(ch[3] for ch in chars)
        self.bottom = max(ch[4] for ch in chars)
        self.fonts = sorted({ch[5] for ch in ink})
        self.sizes = sorted({round(ch[6], 2) for ch in ink})
        self.bold = all(is_bold(ch[5]) for ch in ink)
        self.italic = all(is_italic(ch[5]) for ch in ink)

    @property
    def width(self):
        return self.x1 - self.x0

    @property
    def mid(self):
        return (self.x0 + self.x1) / 2

    @property
    def size(self):
        return self.sizes[0] if len(self.sizes) == 1 else None

    def style(self):
        return ("B" if self.bold else "") + ("I" if self.italic else "") or "R"

    def __repr__(self):
        return "p%d y=%.2f x=%.2f-%.2f %s %s %r" % (self.page, self.y, self.x0, self.x1,
                                                   "/".join("%g" % s for s in self.sizes), self.style(), short(self.text))


def short(t, n=50):
    return t if len(t) <= n else t[:n] + "…"


def is_bold(font):
    f = font.lower()
    return "bold" in f or "black" in f or ",bol" in f


def is_italic(font):
    f = font.lower()
    return "ital" in f or "oblique" in f or f.endswith(",i")   # mutool cuts names short


def mutool(fmt, path):
    r = subprocess.run(["mutool", "draw", "-F", fmt, "-o", "-", path], capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("mutool draw -F %s %s: %s" % (fmt, path, r.stderr.decode(errors="replace").strip()))
    return r.stdout


def split_row(page, y, chars):
    """Chars of one baseline, sorted by x, cut into segments at wide gaps
    (column gutters).  Several wide gaps of one width are the stretched
    word spaces of a loose justified line, not gutters: no cut there."""
    chars.sort(key=lambda ch: ch[1])
    cuts, right = [], None          # (index, gap) where a wide gap starts a char
    for i, ch in enumerate(chars):
        if right is not None and ch[1] - right > GAP_SPLIT:
            cuts.append((i, ch[1] - right))
        if ch[0].strip() or right is None:
            right = ch[2]
        else:
            right = max(right, ch[1])   # a space does not close the gap
    gaps = [g for _, g in cuts]
    if len(gaps) >= 2 and max(gaps) - min(gaps) < 0.1:
        cuts = []
    bounds = [0] + [i for i, _ in cuts] + [len(chars)]
    segs = [Seg(page, y, chars[a:b]) for a, b in zip(bounds, bounds[1:])]
    return [s for s in segs if s.text]


def rows_to_segs(page, chars_by_y):
    out = []
    for y in sorted(chars_by_y):
        out.extend(split_row(page, y, chars_by_y[y]))
    return out


def cluster(chars):
    """Group (y, char) by baseline with a small tolerance."""
    rows = {}
    keys = []
    for y, ch in sorted(chars, key=lambda t: t[0]):
        if keys and abs(y - keys[-1]) < 0.1:
            rows[keys[-1]].append(ch)
        else:
            keys.append(y)
            rows[y] = [ch]
    return rows


def read_pdf(path):
    """Pages: list of dicts with w, h (mm), segs, rules [(x1, x2, y, width)],
    vrules [(x, y1, y2, width)] (table borders)."""
    root = ET.fromstring(mutool("stext", path))
    pages = []
    for pno, page in enumerate(root.iter("page"), start=1):
        chars = []
        for font in page.iter("font"):
            name, size = font.get("name", ""), float(font.get("size", "0"))
            for c in font.iter("char"):
                q = [float(v) for v in c.get("quad").split()]
                x0 = float(c.get("x")) / PT_PER_MM
                x1 = max(q[2], q[6]) / PT_PER_MM
                y = float(c.get("y")) / PT_PER_MM
                # the line box of the face (ascender and descender), not
                # its ink: MuPDF 1.21 gives that box as the quad, 1.25 the
                # ink; every face here is Times New Roman's metrics
                top, bottom = y - ASCENT * size / PT_PER_MM, y + DESCENT * size / PT_PER_MM
                chars.append((y, (c.get("c", ""), x0, x1, top, bottom, name, size)))
        pages.append({"no": pno, "w": float(page.get("width")) / PT_PER_MM,
                      "h": float(page.get("height")) / PT_PER_MM,
                      "chars": [(ch[0], ch[1], y) for y, ch in chars],
                      "segs": rows_to_segs(pno, cluster(chars)), "rules": [], "vrules": []})
    # strokes: <stroke_path transform="a b c d e f"><moveto x y/><lineto x y/>
    troot = ET.fromstring(mutool("trace", path))
    for pno, page in enumerate(troot.iter("page"), start=1):
        for sp in page.iter("stroke_path"):
            a, b, c, d, e, f = (float(v) for v in sp.get("transform", "1 0 0 1 0 0").split())
            pts = [(float(p.get("x")), float(p.get("y"))) for p in sp if p.tag in ("moveto", "lineto")]
            pts = [((a * x + c * y + e) / PT_PER_MM, (b * x + d * y + f) / PT_PER_MM) for x, y in pts]
            lw = float(sp.get("linewidth", "1")) * (abs(a * d - b * c) ** 0.5)
            for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
                if abs(ya - yb) < 0.01:
                    pages[pno - 1]["rules"].append((min(xa, xb), max(xa, xb), ya, lw))
                elif abs(xa - xb) < 0.01:
                    pages[pno - 1]["vrules"].append((xa, min(ya, yb), max(ya, yb), lw))
    return pages


DUMP_TEXT = re.compile(r'^  text x\s*([-\d.]+) y\s*([-\d.]+) w\s*([-\d.]+)\s+([\d.]+)(BI|B|I|R)\s+"(.*)"$')
DUMP_RULE = re.compile(r'^  rule x\s*([-\d.]+)-\s*([-\d.]+) y\s*([-\d.]+) w([\d.]+)pt$')
DUMP_VRULE = re.compile(r'^  vrule x\s*([-\d.]+) y\s*([-\d.]+)-\s*([-\d.]+) w([\d.]+)pt$')
DUMP_PAGE = re.compile(r'^page (\d+) ([\d.]+)x([\d.]+)mm$')


def read_dump(path):
    """The same shape as read_pdf, from a --dump layout file (fragments
    become chars; a fragment ending in a space carries it)."""
    pages = []
    rows = None
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            m = DUMP_PAGE.match(line)
            if m:
                if pages:
                    pages[-1]["segs"] = rows_to_segs(pages[-1]["no"], rows)
                pages.append({"no": int(m.group(1)), "w": float(m.group(2)), "h": float(m.group(3)),
                              "segs": [], "rules": [], "vrules": [], "frags": []})
                rows = {}
                continue
            m = DUMP_TEXT.match(line)
            if m:
                x, y, w, size = (float(m.group(i)) for i in range(1, 5))
                face = {"R": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}[m.group(5)]
                text = re.sub(r'\\(.)', lambda e: {"n": "\n", "t": "\t", "r": "\r"}.get(e.group(1), e.group(1)),
                              m.group(6))     # vb_dump_string's escapes
                pages[-1]["frags"].append((x, y, w, size, text))
                body = text.rstrip(" ")
                ch = (body, x, x + w, y - size * 0.891 / PT_PER_MM, y + size * 0.216 / PT_PER_MM, face, size)
                rows.setdefault(y, []).append(ch)
                if body != text:   # the trailing space: zero-width, at the end
                    rows[y].append((" ", x + w, x + w, ch[3], ch[4], face, size))
                continue
            m = DUMP_RULE.match(line)
            if m:
                x1, x2, y, w = (float(m.group(i)) for i in range(1, 5))
                pages[-1]["rules"].append((x1, x2, y, w))
                continue
            m = DUMP_VRULE.match(line)
            if m:
                pages[-1]["vrules"].append(tuple(float(m.group(i)) for i in range(1, 5)))
                continue
            if line.strip():
                raise RuntimeError("%s: unreadable line: %r" % (path, line))
    if pages:
        pages[-1]["segs"] = rows_to_segs(pages[-1]["no"], rows)
    # a dump fragment without a trailing space may still be followed by one
    # word of the same line (justified); Seg handles the joins by position.
    return pages


class Checker:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def ok(self, cond, what, got=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s: %s%s" % (self.name, what, "" if got is None else " (got %s)" % got))
        return cond


def near(a, b, tol):
    return abs(a - b) <= tol + 1e-9


class Doc:
    """The recognised parts of a document, found in one source (PDF or dump)."""

    def __init__(self, pages, conv):
        self.pages, self.conv, self.c = pages, conv, CONV[conv]
        p1 = pages[0]["segs"] if pages else []
        self.pagenums = {}
        for pg in pages:
            for s in pg["segs"]:
                if s.bottom < TOP and re.fullmatch(r"\d+", s.text):
                    self.pagenums.setdefault(pg["no"], []).append(s)
        self.title = self.first(p1, lambda s: s.text in self.c["title"])
        self.title_run_in = self.first(p1, lambda s: any(t in s.text for t in self.c["title"]))
        self.motto = self.first(p1, lambda s: s.text == self.c.get("motto"))
        self.number = self.first(p1, lambda s: s.text.startswith("Số") and s.mid < PAGE_MID
                                 and not re.search(", ngày ", s.text))
        # number and date lines closer than GAP_SPLIT read as one line
        self.number_date = self.first(p1, lambda s: re.fullmatch(r"Số:? \S+ .*, ngày .*", s.text))
        self.star = self.first(p1, lambda s: s.text == "*" and s.mid < PAGE_MID)
        self.type_name = self.first(p1, lambda s: s.text in TYPE_NAMES)
        self.kind = TYPE_NAMES.get(self.type_name.text) if self.type_name else None
        # the place and date: italic lines in the right column of the header,
        # one, or more when a long place name wraps
        self.date_lines = []
        cands = [s for s in p1 if s.mid > PAGE_MID and s.italic and not s.text.startswith("Số")
                 and (self.type_name is None or s.y < self.type_name.y)]
        for i in range(len(cands)):
            for j in range(i, len(cands)):
                if re.fullmatch(DATE_RE, " ".join(c.text for c in cands[i:j + 1])):
                    self.date_lines = cands[i:j + 1]
                    break
            if self.date_lines:
                break
        self.date = self.date_lines[0] if self.date_lines else None
        form_parts(self)
        # the issuer: bold lines in the left column of the header, above the
        # star (party) or the number line (state), below any superior line
        limit = self.star or self.number
        self.issuer = [s for s in p1 if limit and s.y < limit.y and s.mid < PAGE_MID and s.bold]
        # recipients title and the signature block (last pages)
        self.recipients = None
        for pg in pages:
            for s in pg["segs"]:
                if s.text == "Nơi nhận:":
                    self.recipients = s
        self.sig, self.recipient_lines = [], []
        r = self.recipients
        if r:
            self.sig = [s for s in self.page_segs(r.page) if s.y > r.y - 8 and s.mid > PAGE_MID
                        and s.bottom >= TOP]
            self.recipient_lines = [s for s in self.page_segs(r.page) if s.y > r.y and s.mid < PAGE_MID]

    @staticmethod
    def first(segs, pred):
        for s in segs:
            if pred(s):
                return s
        return None

    def page_segs(self, no):
        return self.pages[no - 1]["segs"] if 0 < no <= len(self.pages) else []

    def rules(self, no):
        return self.pages[no - 1]["rules"] if 0 < no <= len(self.pages) else []

    def rule_under(self, seg, within=4.0, pred=None):
        """The first rule on seg's page below its baseline (within mm) and
        overlapping it horizontally."""
        cands = [r for r in self.rules(seg.page) if seg.y < r[2] <= seg.y + within
                 and r[1] > seg.x0 - 1 and r[0] < seg.x1 + 1 and (pred is None or pred(r))]
        return min(cands, key=lambda r: r[2]) if cands else None


def check_page(ck, d, expect_pages):
    if expect_pages is not None:
        ck.ok(len(d.pages) == expect_pages, "page count %d" % expect_pages, len(d.pages))
    for pg in d.pages:
        portrait = near(pg["w"], PAGE_W, 0.5) and near(pg["h"], PAGE_H, 0.5)
        landscape = near(pg["w"], PAGE_H, 0.5) and near(pg["h"], PAGE_W, 0.5)
        # only an appendix (after the signature, so never page 1) is landscape
        ck.ok(portrait or (landscape and pg["no"] > 1),
              "page %d is A4 (210 x 297 mm, or 297 x 210 after page 1)" % pg["no"], "%.2f x %.2f" % (pg["w"], pg["h"]))


def check_margins(ck, d):
    for pg in d.pages:
        nums = d.pagenums.get(pg["no"], [])
        left, right, top, bottom, _ = frame(pg)
        bad = []
        for s in pg["segs"]:
            if s in nums:
                continue
            if (s.x0 < left - MARGIN_TOL or s.x1 > right + MARGIN_TOL
                    or s.top < top - MARGIN_TOL or s.bottom > bottom + MARGIN_TOL):
                bad.append(s)
        ck.ok(not bad, "page %d: every line inside the margins (x %.0f-%.0f, y %.0f-%.0f mm)"
              % (pg["no"], left, right, top, bottom),
              "; ".join("%r box x %.2f-%.2f y %.2f-%.2f" % (s, s.x0, s.x1, s.top, s.bottom) for s in bad[:3])
              if bad else None)


def check_pagenum(ck, d):
    for pg in d.pages:
        n = pg["no"]
        top = [s for s in pg["segs"] if s.bottom < TOP]
        if n == 1:
            ck.ok(not top, "page 1 has no page number (nothing in the top margin)", top or None)
            continue
        want = str(n)
        ok = len(top) == 1 and top[0].text == want
        ck.ok(ok, "page %d: its number %s alone in the top margin" % (n, want), top)
        if ok:
            s = top[0]
            centre = frame(pg)[4]
            ck.ok(near(s.mid, centre, CENTRE_TOL), "page %d: number centred over the text block (%.1f mm)"
                  % (n, centre), "centre %.2f" % s.mid)
            sizes = d.c["pagenum_size"]
            sizes = sizes if isinstance(sizes, tuple) else (sizes,)
            ck.ok(s.size in sizes and not s.bold and not s.italic,
                  "page %d: number upright, %s pt" % (n, "/".join(map(str, sizes))), "%s %s" % (s.sizes, s.style()))


def want_seg(ck, seg, what):
    return ck.ok(seg is not None, "%s is on page 1" % what, None if seg else "not found")


def check_style(ck, seg, what, size, bold, italic):
    style = " ".join(w for w, on in (("bold", bold), ("italic", italic)) if on) or "regular"
    ck.ok(seg.size == size and seg.bold == bold and seg.italic == italic, "%s: %g pt %s" % (what, size, style),
          "%s %s" % ("/".join("%g" % s for s in seg.sizes), seg.style()))


def check_header(ck, d):
    c = d.c
    p1 = d.page_segs(1)
    if d.title is None and d.title_run_in is not None:
        ck.ok(False, "the title stands apart from the left column (they are less than %g mm apart, so they read as one)"
              % GAP_SPLIT, repr(d.title_run_in))
        return
    if not want_seg(ck, d.title, "the title %r" % c["title"][0]):
        return
    t = d.title
    check_style(ck, t, "title %r" % t.text, c["title_size"], True, False)
    # by its centre: over a long place-and-date line, centred under it, the
    # title may start left of the page's middle
    ck.ok(t.mid > PAGE_MID, "title %r in the right half" % t.text, "x %.2f-%.2f" % (t.x0, t.x1))
    ck.ok(near(t.y, min(s.y for s in p1), BASELINE_TOL), "title %r on page 1's first line" % t.text,
          "baseline %.2f, first %.2f" % (t.y, min(s.y for s in p1)))
    if d.conv == "state" and want_seg(ck, d.motto, "the motto %r" % c["motto"]):
        m = d.motto
        check_style(ck, m, "motto", c["motto_size"], True, False)
        ck.ok(m.y > t.y and near(m.mid, t.mid, CENTRE_TOL), "motto centred under the title",
              "centre %.2f vs %.2f" % (m.mid, t.mid))
    if d.number is None and d.number_date is not None:
        ck.ok(False, "number and date lines stand apart (they are less than %g mm apart, so they read as one)"
              % GAP_SPLIT, repr(d.number_date))
        return
    # issuer, star, number
    ck.ok(bool(d.issuer), "issuer: bold line(s) in the left column of the header", None if d.issuer else "none")
    for s in d.issuer:
        check_style(ck, s, "issuer line %r" % s.text, c["issuer_size"], True, False)
        ck.ok(s.mid < PAGE_MID and s.x1 < t.x0, "issuer line %r in the left column" % s.text, s)
    if d.conv == "party":
        if want_seg(ck, d.star, "the star '*'") and d.issuer:
            iss = d.issuer[-1]
            ck.ok(d.star.y > iss.y and near(d.star.mid, iss.mid, CENTRE_TOL), "'*' centred below the issuer",
                  "star %r, issuer %r" % (d.star, iss))
    if want_seg(ck, d.number, "the number line"):
        n = d.number
        check_style(ck, n, "number %r" % n.text, c["number_size"], False, False)
        ck.ok(re.fullmatch(c["number_re"], n.text), "number %r has the form %s" % (n.text, c["number_re"]))
        if d.conv == "party":
            ck.ok(":" not in n.text, "Party number has no colon", n.text)
        if d.issuer:
            iss = max(d.issuer, key=lambda s: s.width)
            ck.ok(n.y > d.issuer[-1].y and near(n.mid, iss.mid, CENTRE_TOL), "number centred under the issuer",
                  "number centre %.2f, issuer %.2f" % (n.mid, iss.mid))
    # a state minutes form has no date line (Form 1.9); everything else has one
    if d.date is None and d.conv == "state" and d.kind == "minutes":
        return
    if want_seg(ck, d.date, "the place and date line"):
        dt = d.date
        if d.number:
            ck.ok(near(dt.y, d.number.y, BASELINE_TOL), "date line on the number line's baseline",
                  "%.2f vs %.2f" % (dt.y, d.number.y))
        for x in d.date_lines:
            check_style(ck, x, "date line %r" % x.text, c["date_size"], False, True)
            ck.ok(near(x.mid, t.mid, CENTRE_TOL), "date line %r centred under the title" % x.text,
                  "centre %.2f vs %.2f" % (x.mid, t.mid))


def check_header_gap(ck, dump):
    """From the layout dump: on page 1, above the type name, two fragments
    on one baseline that are not pieces of one line are the two header
    columns; they must stay HEADER_GAP apart."""
    if not dump.pages or not dump.type_name:
        return
    rows = {}
    for f in dump.pages[0].get("frags", []):
        if f[1] < dump.type_name.y:
            rows.setdefault(f[1], []).append(f)
    bad = []
    for y, fr in sorted(rows.items()):
        fr.sort()
        for a, b in zip(fr, fr[1:]):
            if a[4].endswith(" "):
                continue     # a word of the same line
            gap = b[0] - (a[0] + a[2])
            if gap < HEADER_GAP - 0.01:
                bad.append("y %.2f: %r ends %.2f mm before %r" % (y, short(a[4], 30), gap, short(b[4], 30)))
    ck.ok(not bad, "layout dump: header columns at least %g mm apart" % HEADER_GAP, "; ".join(bad) or None)


def check_type(ck, d):
    if d.kind == "letter":
        return check_letter_summary(ck, d)
    if not want_seg(ck, d.type_name, "the type name (%s)" % " / ".join(TYPE_NAMES)):
        return
    t = d.type_name
    check_style(ck, t, "type name %r" % t.text, d.c["type_size"], True, False)
    ck.ok(near(t.mid, CENTRE, CENTRE_TOL), "type name centred on the text block (%.1f mm)" % CENTRE,
          "centre %.2f" % t.mid)
    below = d.date or d.number
    ck.ok(below is None or t.y > below.y, "type name below the header")


def body_segs(d):
    """Segments between the type name (or the last "Kính gửi:" line) and
    the signature row."""
    start = d.addressees[-1] if d.addressees else d.type_name
    if not start:
        return []
    out = []
    end = d.recipients or (d.sig[0] if d.sig else None)
    for pg in d.pages:
        for s in pg["segs"]:
            if (s.page, s.y) <= (start.page, start.y):
                continue
            if end and (s.page, s.y) >= (end.page, end.y - 0.01):
                continue
            if s in d.pagenums.get(s.page, []):
                continue
            if in_table(pg, s):
                continue
            out.append(s)
    return out


def in_table(pg, s):
    """Is the segment inside a ruled table (between two of its vertical
    borders, at its baseline)?"""
    xs = [v[0] for v in pg.get("vrules", []) if v[1] <= s.y <= v[2]]
    return bool(xs) and min(xs) - 0.1 <= s.x0 and s.x1 <= max(xs) + 0.1


def table_rows(pg):
    """The rows of the tables on a page: [(top, bottom, [x of the borders])],
    from the vertical rules (one a border of a row)."""
    rows = {}
    for x, y1, y2, w in pg.get("vrules", []):
        rows.setdefault((round(y1, 2), round(y2, 2)), []).append(x)
    return [(t, b, sorted(xs)) for (t, b), xs in sorted(rows.items())]


def check_tables(ck, d):
    """Tables (body blocks): every cell's text inside its cell, the rows
    boxed (a rule along the top and the bottom of each row, as wide as the
    row), no row cut by the foot of a page, and on a page the table
    continues on, its header rows first (the same texts as where it began)."""
    first_rows = None   # the texts of the header row where the table began
    for pg in d.pages:
        rows = table_rows(pg)
        if not rows:
            first_rows = None
            continue
        segs = [s for s in pg["segs"] if in_table(pg, s)]
        outside = []
        for s in segs:
            cell = [r for r in rows if r[0] <= s.top + 0.05 and s.bottom <= r[1] + 0.05]
            xs = cell[0][2] if cell else []
            ok = cell and any(a - 0.05 <= s.x0 and s.x1 <= b + 0.05 for a, b in zip(xs, xs[1:]))
            if not ok:
                outside.append(s)
        ck.ok(not outside, "page %d: every table cell's text inside its cell" % pg["no"], outside[:3] or None)
        for t, b, xs in rows:
            hs = [r for r in pg["rules"] if near(r[0], xs[0], 0.05) and near(r[1], xs[-1], 0.05)]
            top = any(near(r[2], t, 0.05) for r in hs)
            bottom = any(near(r[2], b, 0.05) for r in hs)
            if not (top and bottom):
                ck.ok(False, "page %d: table row %.2f-%.2f boxed above and below" % (pg["no"], t, b))
                break
        else:
            ck.ok(True, "page %d: every table row boxed" % pg["no"])
        bottom = frame(pg)[3]
        ck.ok(all(b <= bottom + MARGIN_TOL for t, b, xs in rows), "page %d: no table row past the foot" % pg["no"])
        # the header: the texts of the first row on the page
        t0, b0, _ = rows[0]
        head = [s.text for s in segs if t0 <= s.top and s.bottom <= b0]
        if first_rows is not None and near(t0, TOP, 1.0):
            ck.ok(head == first_rows, "page %d: the table's header row repeated at the top" % pg["no"],
                  "%r, began with %r" % (head, first_rows))
        elif first_rows is None:
            first_rows = head
        # a table that ends well above the foot does not continue
        if rows[-1][1] < bottom - 30:
            first_rows = None


def check_body(ck, d):
    segs = body_segs(d)
    # state minutes and resolutions end with the signature row; minutes
    # signature columns are 14 pt too, so they may stay in the set
    bad = [s for s in segs if s.size != BODY_SIZE]
    ck.ok(bool(segs) and not bad, "body text is %d pt" % BODY_SIZE, bad[:3] if bad else (None if segs else "no body"))


def check_signature(ck, d):
    c = d.c
    if d.kind == "minutes":
        # conventions.md 4: two signature columns side by side (secretary
        # left, chair right), the recipients, if any, under them on the left
        last = d.pages[-1]["segs"]
        pairs = [(a, b) for a in last for b in last
                 if a.bold and b.bold and a.text == a.text.upper() and b.text == b.text.upper()
                 and near(a.y, b.y, 0.1) and a.x1 < PAGE_MID < b.x0 and len(a.text) > 2]
        ck.ok(bool(pairs), "minutes: two signature columns side by side on the last page, left and right of centre")
        r = d.recipients
        if r and pairs:
            check_style(ck, r, "'Nơi nhận:'", c["recipients_size"], c["recipients_bold"], c["recipients_italic"])
            ck.ok(near(r.x0, LEFT, 0.3), "'Nơi nhận:' flush left", "x %.2f" % r.x0)
            names = [x for x in last if x.y > pairs[0][0].y and x.y < r.y]
            ck.ok(r.page == d.pages[-1]["no"] and r.y > pairs[0][0].y and names,
                  "minutes: 'Nơi nhận:' under the signatures", "%r; roles %r" % (r, pairs[0]))
        return
    r = d.recipients
    if not ck.ok(r is not None, "'Nơi nhận:' is there"):
        return
    check_style(ck, r, "'Nơi nhận:'", c["recipients_size"], c["recipients_bold"], c["recipients_italic"])
    ck.ok(near(r.x0, LEFT, 0.3), "'Nơi nhận:' flush left", "x %.2f" % r.x0)
    if not ck.ok(bool(d.sig), "a signature block right of the page centre beside 'Nơi nhận:'"):
        return
    first = min(d.sig, key=lambda s: s.y)
    ck.ok(near(first.y, r.y, 1.0), "'Nơi nhận:' level with the first signature line %r" % first.text,
          "%.2f vs %.2f" % (r.y, first.y))
    ck.ok(re.match(r"(T/M|K/T|T/L|Q\.|TM\.|KT\.|TL\.|TUQ\.) ", first.text) or first.bold,
          "first signature line is an authority line", first.text)
    left = [s for s in d.sig if s.x0 < PAGE_MID]
    ck.ok(not left, "signature block right of the page centre (%.0f mm)" % PAGE_MID, left or None)
    mids = [s.mid for s in d.sig]
    ck.ok(max(mids) - min(mids) <= CENTRE_TOL, "signature lines centred on one axis",
          ", ".join("%.2f" % m for m in mids))
    for s in d.recipient_lines:
        ck.ok(s.x1 < min(x.x0 for x in d.sig), "recipient line %r left of the signature block" % s.text, s)


def check_justify(ck, d):
    segs = body_segs(d)
    rows = {}
    for s in segs:
        rows.setdefault((s.page, round(s.y, 2)), []).append(s)
    keys = sorted(rows)
    checked, bad = 0, []
    for k, nk in zip(keys, keys[1:]):
        if k[0] != nk[0]:
            continue
        cur, nxt = rows[k], rows[nk]
        x0 = min(s.x0 for s in cur)
        nx0 = min(s.x0 for s in nxt)
        if not (near(nx0, LEFT, 0.3) and x0 <= LEFT + INDENT + 0.5 and nk[1] - k[1] < 7.5):
            continue      # the next line does not continue a paragraph
        if len(cur) == 1 and " " not in cur[0].text:
            continue      # one word (or a piece of a giant one) cannot be spread
        checked += 1
        x1 = max(s.x1 for s in cur)
        if not near(x1, RIGHT, JUSTIFY_TOL):
            bad.append("p%d y %.2f ends at %.2f: %r" % (k[0], k[1], x1, short(" ".join(s.text for s in cur))))
    ck.ok(checked > 0 and not bad, "non-last lines of body paragraphs end at %.0f mm (±%.1f)" % (RIGHT, JUSTIFY_TOL),
          "; ".join(bad[:3]) if bad else (None if checked else "no paragraph of two lines found"))


def check_rules(ck, d, src):
    """Rule lengths (conventions.md §5): Party title rule = title width;
    state motto rule = motto width, issuer rule 1/3-1/2 of the issuer,
    centred; Party 'Nơi nhận:' is underlined."""
    def rule_of(seg, what, **kw):
        r = d.rule_under(seg, **kw)
        ck.ok(r is not None, "%s: %s: a rule under %r" % (src, what, seg.text))
        return r

    if d.conv == "party" and d.title:
        r = rule_of(d.title, "title rule")
        if r:
            ck.ok(near(r[0], d.title.x0, RULE_TOL) and near(r[1], d.title.x1, RULE_TOL),
                  "%s: rule under %r as long as the text (%.2f-%.2f)" % (src, d.title.text, d.title.x0, d.title.x1),
                  "%.2f-%.2f" % (r[0], r[1]))
            if d.date:
                ck.ok(r[2] < d.date.top, "%s: title rule above the date line" % src)
    if d.conv == "state" and d.motto:
        r = rule_of(d.motto, "motto rule")
        if r:
            ck.ok(near(r[0], d.motto.x0, RULE_TOL) and near(r[1], d.motto.x1, RULE_TOL),
                  "%s: rule under the motto as long as the text (%.2f-%.2f)" % (src, d.motto.x0, d.motto.x1),
                  "%.2f-%.2f" % (r[0], r[1]))
    if d.conv == "state" and d.issuer:
        last = d.issuer[-1]
        widest = max(d.issuer, key=lambda s: s.width)
        r = rule_of(last, "issuer rule", within=5.0)
        if r:
            ratio = (r[1] - r[0]) / widest.width
            ck.ok(1 / 3 - 0.005 <= ratio <= 1 / 2 + 0.005,
                  "%s: issuer rule 1/3 to 1/2 of the issuer's width (%.2f mm)" % (src, widest.width),
                  "%.2f mm = %.3f" % (r[1] - r[0], ratio))
            ck.ok(near((r[0] + r[1]) / 2, widest.mid, RULE_TOL), "%s: issuer rule centred under it" % src,
                  "rule centre %.2f, issuer %.2f" % ((r[0] + r[1]) / 2, widest.mid))
            if d.number:
                ck.ok(r[2] < d.number.top, "%s: issuer rule above the number line" % src)
    if d.conv == "party" and d.recipients:
        r = rule_of(d.recipients, "'Nơi nhận:' underlined", within=2.5)
        if r:
            ck.ok(near(r[0], d.recipients.x0, RULE_TOL) and near(r[1], d.recipients.x1, RULE_TOL),
                  "%s: 'Nơi nhận:' underlined along its width" % src, "%.2f-%.2f" % (r[0], r[1]))
    for pg in d.pages:
        left, right, top, bottom, _ = frame(pg)
        for v in pg.get("vrules", []):
            ck.ok(left - MARGIN_TOL <= v[0] <= right + MARGIN_TOL and top - MARGIN_TOL <= v[1] and v[2] <= bottom + 0.05,
                  "%s: page %d vertical rule inside the margins" % (src, pg["no"]), "x %.2f y %.2f-%.2f" % v[:3])
        for r in pg["rules"]:
            ck.ok(r[0] >= left - MARGIN_TOL and r[1] <= right + MARGIN_TOL and top - MARGIN_TOL <= r[2] <= bottom + 0.05,
                  "%s: page %d rule inside the margins" % (src, pg["no"]), "%.2f-%.2f y %.2f" % r[:3])


def check_same_rules(ck, pdf, dump):
    ck.ok(len(pdf) == len(dump), "the dump and the PDF have the same pages", "%d vs %d" % (len(dump), len(pdf)))
    for a, b in zip(pdf, dump):
        va, vb = sorted(a.get("vrules", [])), sorted(b.get("vrules", []))
        if va or vb:
            same = len(va) == len(vb) and all(all(near(x[i], y[i], 0.05) for i in range(3)) for x, y in zip(va, vb))
            ck.ok(same, "page %d: the PDF's vertical strokes are the dump's (%d)" % (a["no"], len(vb)),
                  "pdf %d, dump %d" % (len(va), len(vb)))
        ra, rb = sorted(a["rules"]), sorted(b["rules"])
        same = len(ra) == len(rb) and all(near(x[0], y[0], 0.05) and near(x[1], y[1], 0.05) and near(x[2], y[2], 0.05)
                                          for x, y in zip(ra, rb))
        ck.ok(same, "page %d: the PDF strokes are the dump's rules" % a["no"],
              "pdf %s, dump %s" % (["%.2f-%.2f y %.2f" % r[:3] for r in ra], ["%.2f-%.2f y %.2f" % r[:3] for r in rb]))


WORD_TOL = 0.015   # mm; the dump prints positions to 0.01 mm


def check_words(ck, pdf, dump):
    """Every fragment of the layout (a word of a justified line, or a run)
    starts where the layout put it: its first character is in the PDF at
    the fragment's x and baseline.  The TJ arrays of the content stream
    move the pen from word to word, so an error in their arithmetic (or a
    reader rounding /W) shows here as drift along a line."""
    ck.ok(len(pdf) == len(dump) and dump, "words: the dump and the PDF have the same pages",
          "%d vs %d" % (len(dump), len(pdf)))
    for a, b in zip(pdf, dump):
        by_char = {}
        for c, x, y in a["chars"]:
            by_char.setdefault(c, []).append((x, y))
        worst, where, n = 0.0, None, 0
        for x, y, w, size, text in b["frags"]:
            if not text or text[0] == " ":
                continue
            n += 1
            cands = by_char.get(text[0], [])
            off = min((abs(cx - x) + abs(cy - y) for cx, cy in cands), default=99.0)
            if off > worst:
                worst, where = off, "%r at x %.2f y %.2f" % (short(text, 30), x, y)
        # a page with no word to compare checks nothing: every page has text
        ck.ok(n > 0 and worst <= WORD_TOL, "page %d: all %d words start where the layout put them (within %.3f mm)"
              % (a["no"], n, WORD_TOL), "worst %.4f mm: %s" % (worst, where) if n else "no word on the page")


# ---- decision, letter, report, proposal (the conference set) -----------
# conventions.md §6: Form 1.2 (quyết định: the authority in capitals,
# "Căn cứ …;", "Theo đề nghị của …", "QUYẾT ĐỊNH:", "Điều 1."), Form 1.4
# (báo cáo, tờ trình: type name, summary, "Kính gửi:" before the content),
# Form 1.5 (công văn: no type name, "V/v …" under the number in the left
# column, 12-13 pt upright, 6 pt below it; Party: 12 pt italic, §2.3), and
# box 9a (§1.3): "Kính gửi:" 13-14 pt upright; one addressee on its line,
# several one a line "- …;", the last ".", the dashes in one column.
TYPE_NAMES.update({"QUYẾT ĐỊNH": "decision", "BÁO CÁO": "report", "TỜ TRÌNH": "proposal"})
LETTER_SUMMARY = {"state": ((12, 13), False), "party": ((12,), True)}   # sizes, italic
SIX_PT = 6 / PT_PER_MM


def form_parts(d):
    """Doc's parts of these forms: d.addressees (the "Kính gửi:" line and
    the addressee lines under it), d.letter_summary (a letter's summary
    lines under the number), d.kind "letter" for a document with no type
    name whose number has a summary under it."""
    p1 = d.pages[0]["segs"] if d.pages else []
    d.addressees, d.letter_summary = [], []
    first = d.first(p1, lambda s: s.text.startswith("Kính gửi:"))
    if first:
        d.addressees = [first]
        for s in p1:
            # the next lines, each starting with a dash, left of the text's end
            if s.y > d.addressees[-1].y and s.y - d.addressees[-1].y < 12 and s.text.startswith("- ") \
                    and s.x0 > LEFT + INDENT + 1:
                d.addressees.append(s)
            elif s.y > d.addressees[-1].y:
                if len(d.addressees) > 1 or s.y - first.y > 1:
                    break
    if d.type_name is None and d.number is not None:
        end = first.y if first else PAGE_H
        d.letter_summary = [s for s in p1 if d.number.y < s.y < end and s.mid < PAGE_MID and s.bottom >= TOP]
        if d.letter_summary:
            d.kind = "letter"


def check_letter_summary(ck, d):
    """A letter: no type name; its summary under the number, centred on it,
    6 pt below the number line."""
    sizes, italic = LETTER_SUMMARY[d.conv]
    vv = d.letter_summary
    if not ck.ok(bool(vv) and d.number is not None, "letter: its summary under the number in the left column"):
        return
    if d.conv == "state":
        ck.ok(vv[0].text.startswith("V/v "), "letter: the summary starts with 'V/v '", vv[0].text)
    for s in vv:
        ck.ok(s.size in sizes and not s.bold and s.italic == italic,
              "letter: summary line %r %s pt %s" % (short(s.text, 30), "/".join(map(str, sizes)),
                                                    "italic" if italic else "upright"),
              "%s %s" % (s.sizes, s.style()))
        ck.ok(near(s.mid, d.number.mid, CENTRE_TOL), "letter: summary line %r centred under the number"
              % short(s.text, 30), "centre %.2f, number %.2f" % (s.mid, d.number.mid))
    gap = vv[0].top - d.number.bottom
    ck.ok(SIX_PT - 0.3 <= gap <= SIX_PT + 3.0, "letter: the summary 6 pt (%.2f mm) below the number line" % SIX_PT,
          "%.2f mm between the boxes" % gap)
    hdr = [s for s in d.page_segs(1) if d.date and near(s.y, d.date.y, BASELINE_TOL) and s is not d.date
           and s.mid < PAGE_MID]
    ck.ok(all(s is d.number for s in hdr), "letter: nothing but the number left of the date line", hdr or None)
    below = [s for s in d.page_segs(1) if s.y > vv[-1].y]
    ck.ok(bool(below) and below[0].text.startswith("Kính gửi:"), "letter: 'Kính gửi:' follows the header",
          below[0] if below else "nothing")


def check_addressees(ck, d):
    a = d.addressees
    need = d.kind in ("letter", "proposal")
    if not a:
        ck.ok(not need, "%s: a 'Kính gửi:' line" % d.kind)
        return
    head = a[0]
    ck.ok(head.size in (13, 14) and not head.bold and not head.italic, "'Kính gửi:' 13-14 pt upright",
          "%s %s" % (head.sizes, head.style()))
    for s in a[1:]:
        ck.ok(s.size == head.size and s.style() == head.style(), "addressee %r as 'Kính gửi:'" % short(s.text, 30),
              "%s %s" % (s.sizes, s.style()))
    above = d.type_name or (d.letter_summary[-1] if d.letter_summary else None)
    ck.ok(above is not None and (head.page, head.y) > (above.page, above.y),
          "'Kính gửi:' below the %s" % ("type name and summary" if d.type_name else "header"))
    rest = body_segs(d)
    ck.ok(bool(rest) and (rest[0].page, rest[0].y) > (a[-1].page, a[-1].y), "'Kính gửi:' before the content")
    if len(a) == 1:
        ck.ok(not head.text.startswith("Kính gửi: - ") and head.text.endswith("."),
              "one addressee on the line of 'Kính gửi:', ending '.'", head.text)
        return
    ck.ok(head.text.startswith("Kính gửi: - "), "several addressees: the first on the line of 'Kính gửi:', after '- '",
          head.text)
    dash = next((ch for ch in head.chars if ch[0] == "-"), None)
    if dash is None:
        return
    off = [s for s in a[1:] if not near(s.x0, dash[1], 0.3)]
    ck.ok(not off, "the addressees' dashes in one column (x %.2f mm, under the first)" % dash[1],
          ["%r x %.2f" % (short(s.text, 30), s.x0) for s in off] or None)
    ends = [s.text[-1] for s in a]
    ck.ok(all(e == ";" for e in ends[:-1]) and ends[-1] == ".", "addressees end ';', the last '.'", ends)


def check_decision(ck, d):
    """Form 1.2 between the summary and the articles (state), the Party's
    bases and enacting line (Regulation 399-QĐ/TW)."""
    segs = body_segs(d)
    enact = [s for s in segs if s.bold and re.search(r"QUYẾT ĐỊNH:?$", s.text)]
    if not ck.ok(bool(enact), "decision: the enacting line ending 'QUYẾT ĐỊNH' (bold)", None if enact else "none"):
        return
    e = enact[0]
    ck.ok(near(e.mid, CENTRE, CENTRE_TOL), "decision: %r centred" % e.text, "centre %.2f" % e.mid)
    before = [s for s in segs if (s.page, s.y) < (e.page, e.y)]
    prop = [s for s in before if re.match(r"-? ?Theo đề nghị của ", s.text)]
    if d.conv == "state":
        ck.ok(e.text == "QUYẾT ĐỊNH:", "decision: 'QUYẾT ĐỊNH:' on its own line", e.text)
        auth = [s for s in before if s.bold and s.text == s.text.upper() and len(s.text) > 3]
        ck.ok(bool(auth) and near(auth[0].mid, CENTRE, CENTRE_TOL) and auth[0].size == BODY_SIZE,
              "decision: the authority in capitals, bold, centred, above the bases", auth[:1] or None)
        bases = [s for s in before if s.text.startswith("Căn cứ ")]
        ck.ok(bool(bases) and all(s.italic for s in bases) and all(near(s.x0, LEFT + INDENT, 0.3) for s in bases),
              "decision: 'Căn cứ …' lines italic, indented %g mm" % INDENT, bases[:2] or None)
        if auth and bases:
            ck.ok((auth[0].page, auth[0].y) < (bases[0].page, bases[0].y), "decision: the authority before the bases")
    else:
        bases = [s for s in before if s.text.startswith("- Căn cứ ")]
        ck.ok(bool(bases), "decision: '- Căn cứ …' lines (Party)", None if bases else "none")
    if prop:
        ck.ok(prop[0].italic == (d.conv == "state") and near(prop[0].x0, LEFT + INDENT, 0.3),
              "decision: 'Theo đề nghị của …' as the bases, just before the enacting line", prop[0])
        later = [s for s in before if (s.page, s.y) > (prop[0].page, prop[0].y) and near(s.x0, LEFT + INDENT, 0.3)]
        ck.ok(not later, "decision: 'Theo đề nghị của …' the last of the bases", later[:2] or None)
    # the proposer is one of the bases: never between the enacting line and the articles
    after = [s for s in segs if (s.page, s.y) > (e.page, e.y) and re.match(r"-? ?Theo đề nghị của ", s.text)]
    ck.ok(not after, "decision: 'Theo đề nghị của …' before the enacting line, not after it", after[:1] or None)
    arts = [s for s in segs if re.match(r"Điều \d+\.", s.text)]
    ck.ok(bool(arts) and (arts[0].page, arts[0].y) > (e.page, e.y) and arts[0].text.startswith("Điều 1."),
          "decision: 'Điều 1.' after the enacting line", arts[:1] or None)
    nums = [int(re.match(r"Điều (\d+)\.", s.text).group(1)) for s in arts]
    ck.ok(nums == list(range(1, len(nums) + 1)), "decision: articles numbered 1, 2, … in order", nums)
    for s in arts:
        ck.ok(near(s.x0, LEFT + INDENT, 0.3), "decision: %r indented %g mm" % (short(s.text, 20), INDENT), s.x0)
        first = [ch for ch in s.chars if ch[0].strip()][:len(re.match(r"Điều \d+\.", s.text).group(0).replace(" ", ""))]
        ck.ok(all(is_bold(ch[5]) for ch in first), "decision: %r: 'Điều N.' bold" % short(s.text, 20))


def check_summary(ck, d):
    """Form 1.4 and 1.2: the summary (one line or more) right under the
    type name, bold, centred; the state's rule under it 1/3-1/2 of its
    width, the Party's short dash line."""
    t = d.type_name
    if not t:
        return
    after = [s for s in d.page_segs(t.page) if s.y > t.y]
    lines = []
    for s in after:
        prev = lines[-1] if lines else t
        if not (s.bold and near(s.mid, CENTRE, CENTRE_TOL) and s.y - prev.y < 10) or s.text.startswith("Kính gửi:"):
            break
        rule = d.rule_under(prev, within=5.0) if lines else None
        if rule is not None and rule[2] < s.top:
            break     # the summary's rule: what follows is the authority (Form 1.2)
        lines.append(s)
    if not ck.ok(bool(lines), "%s: a summary under the type name, bold, centred" % d.kind, after[:1] or None):
        return
    sm, last = max(lines, key=lambda s: s.width), lines[-1]
    if d.conv == "state":
        ck.ok(lines[0].text[:1] == lines[0].text[:1].upper(), "%s: state summary starts with a capital" % d.kind,
              lines[0].text)
        r = d.rule_under(last, within=5.0)
        if ck.ok(r is not None, "%s: a rule under the summary" % d.kind):
            ratio = (r[1] - r[0]) / sm.width
            ck.ok(1 / 3 - 0.01 <= ratio <= 1 / 2 + 0.01 and near((r[0] + r[1]) / 2, CENTRE, CENTRE_TOL),
                  "%s: summary rule 1/3-1/2 of the summary, centred" % d.kind, "%.3f" % ratio)
    else:
        ck.ok(lines[0].text[:1] == lines[0].text[:1].lower(), "%s: Party summary starts lower case" % d.kind,
              lines[0].text)
        rest = after[len(lines):]
        mark = rest[0] if rest else None
        ck.ok(mark is not None and re.fullmatch(r"-{3,}", mark.text) and near(mark.mid, CENTRE, CENTRE_TOL),
              "%s: a short dash line under the summary" % d.kind, mark)


def check_forms_letters(ck, d):
    if d.kind not in ("decision", "report", "proposal", "letter"):
        return
    check_addressees(ck, d)
    if d.kind != "letter":
        check_summary(ck, d)
    if d.kind == "decision":
        check_decision(ck, d)
    if d.addressees and d.recipient_lines:
        want = "- Như trên" + (";" if d.conv == "state" else ",")
        r0 = d.recipient_lines[0].text
        ck.ok(r0 in (want, "- Như trên."), "%s: 'Nơi nhận:' starts %r (the addressees)" % (d.kind, want), r0)
# ---- types1: the forms of the conference set (conventions.md §6) -------
# notice (thông báo, Form 1.4), invitation (giấy mời, 1.7), plan (kế
# hoạch, 1.4), vote count (biên bản kiểm phiếu: a biên bản, so checked as
# the minutes are, two signature columns, no date line in a state one).
TYPE_NAMES.update({"THÔNG BÁO": "notice", "GIẤY MỜI": "invitation", "KẾ HOẠCH": "plan",
                   "BIÊN BẢN KIỂM PHIẾU": "minutes"})
FORM_TYPES = {"THÔNG BÁO", "GIẤY MỜI", "KẾ HOẠCH", "BIÊN BẢN KIỂM PHIẾU"}
SUMMARY_SIZE = {"party": (14, 15), "state": (13, 14)}   # §1.3 and §2.3
DATE_WORDS_RE = r"ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})"


def summary_segs(d):
    """The summary under the type name: the bold centred lines up to the
    rule (state) or the hyphen line (Party)."""
    t = d.type_name
    out = []
    for s in d.page_segs(t.page):
        if s.y <= t.y:
            continue
        if s.text.strip("-") == "" or not s.bold or not near(s.mid, CENTRE, CENTRE_TOL):
            break
        out.append(s)
        r = d.rule_under(s, within=5.0)
        if d.conv == "state" and r:
            break
    return out


def vn_pct(part, base):
    """conventions.md §4.3: two decimals, rounded half up, decimal comma."""
    q = (part * 20000 + base) // (2 * base)
    return "%d,%02d%%" % (q // 100, q % 100)


def check_forms(ck, d):
    t = d.type_name
    if t is None or t.text not in FORM_TYPES:
        return
    c = d.conv
    name = t.text
    # type name and the summary under it (box 5a)
    summ = summary_segs(d)
    if not ck.ok(bool(summ), "%s: a summary under the type name, bold and centred" % name):
        return
    lo, hi = SUMMARY_SIZE[c]
    for s in summ:
        ck.ok(lo <= s.size <= hi + 0.05 and s.bold and not s.italic,
              "%s: summary line %r %g-%g pt bold" % (name, short(s.text), lo, hi), "%.1f pt %s" % (s.size, s.style))
        ck.ok(near(s.mid, CENTRE, CENTRE_TOL), "%s: summary line %r centred" % (name, short(s.text)), "%.2f" % s.mid)
    ck.ok(summ[0].y > t.y and summ[0].y - t.y < 12, "%s: the summary right under the type name" % name,
          "%.2f mm below" % (summ[0].y - t.y))
    first = summ[0].text
    if name != "BIÊN BẢN KIỂM PHIẾU":
        # a Party summary starts in lower case ("kết luận của …"), a state one in capitals
        ck.ok(first[:1].islower() if c == "party" else first[:1].isupper(),
              "%s: the summary starts in %s case" % (name, "lower" if c == "party" else "upper"), first)
    if c == "state" and name == "BIÊN BẢN KIỂM PHIẾU":
        pass     # a state biên bản (Form 1.9, §4.1) has no rule under the meeting's name
    elif c == "state":
        widest = max(summ, key=lambda s: s.width)
        r = d.rule_under(summ[-1], within=5.0)
        if ck.ok(r is not None, "%s: a rule under the summary" % name):
            ratio = (r[1] - r[0]) / widest.width
            ck.ok(1 / 3 - 0.005 <= ratio <= 1 / 2 + 0.005 and near((r[0] + r[1]) / 2, widest.mid, RULE_TOL),
                  "%s: the summary's rule 1/3 to 1/2 of it, centred" % name, "%.3f" % ratio)
    else:
        segs = d.page_segs(t.page)
        after = [s for s in segs if s.y > summ[-1].y]
        ck.ok(bool(after) and re.fullmatch(r"-{3,}", after[0].text) is not None and near(after[0].mid, CENTRE, CENTRE_TOL),
              "%s: a centred hyphen line under the summary" % name, after[0] if after else None)

    body = body_segs(d)
    text = " ".join(s.text for s in body)
    # the content ends with the end mark: "./." state, "." Party (§1.3, §2.3)
    if name != "BIÊN BẢN KIỂM PHIẾU":
        last = [s for s in body if s.mid < RIGHT][-1:] if body else []
        end = last[0].text if last else ""
        ck.ok(end.endswith("./.") if c == "state" else (end.endswith(".") and not end.endswith("./.")),
              "%s: the content ends with %s" % (name, "./." if c == "state" else "'.'"), end)

    if name == "GIẤY MỜI":
        # Form 1.7: "… trân trọng kính mời:" / "Tới dự:" / "Chủ trì:" / "Thời gian:" / "Địa điểm:"
        order = ["trân trọng kính mời:", "Tới dự:", "Chủ trì:", "Thời gian:", "Địa điểm:"]
        at = [text.find(w) for w in order]
        ck.ok(all(a >= 0 for a in at) and at == sorted(at), "invitation: the lines of Form 1.7 in order",
              dict(zip(order, at)))
        for w in order[1:]:
            seg = next((s for s in body if s.text.startswith(w)), None)
            if ck.ok(seg is not None, "invitation: a line starting %r" % w):
                ck.ok(near(seg.x0, LEFT + INDENT, 0.3) and seg.size == BODY_SIZE,
                      "invitation: %r at the body's first-line indent, %d pt" % (w, BODY_SIZE),
                      "x %.2f, %.1f pt" % (seg.x0, seg.size))
        # the invitation is dated before the meeting it invites to
        m = re.search(r"Thời gian: \d{2} giờ \d{2} phút, " + DATE_WORDS_RE, text)
        dl = re.search(DATE_WORDS_RE, " ".join(x.text for x in d.date_lines))
        if ck.ok(m is not None and dl is not None, "invitation: the meeting's time and the date line read back"):
            meet = tuple(int(x) for x in reversed(m.groups()))
            sent = tuple(int(x) for x in reversed(dl.groups()))
            ck.ok(sent < meet, "invitation: dated before the meeting", "%s vs %s" % (sent, meet))
    if name == "KẾ HOẠCH":
        # parts numbered I., II. (state) / I-, II- (Party), bold, in order
        sep = r"\. " if c == "state" else r"- "
        heads = [s for s in body if re.match(r"[IVX]+" + sep, s.text)]
        ck.ok(len(heads) >= 2 and all(s.bold for s in heads), "plan: bold parts numbered I%s II%s …" % (sep[0], sep[0]),
              heads[:3])
        romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
        got = [re.match(r"[IVX]+", s.text).group(0) for s in heads]
        ck.ok(got == romans[:len(got)], "plan: parts in order", got)
        ck.ok(any(s.text.startswith("MỤC ĐÍCH") or "MỤC ĐÍCH, YÊU CẦU" in s.text for s in heads),
              "plan: a part MỤC ĐÍCH, YÊU CẦU", [s.text for s in heads])
    if name == "BIÊN BẢN KIỂM PHIẾU":
        # each item's ballots add up, and each share is its votes over the base
        items = re.split(r"\b\d+\.\d+\. ", text.split("Kết quả kiểm phiếu", 1)[-1])[1:]
        ck.ok(bool(items), "vote count: the items counted, numbered 2.1., 2.2. …")
        for k, it in enumerate(items, 1):
            b1 = re.search(r"Số phiếu phát ra: ([\d.]+) phiếu; số phiếu thu vào: ([\d.]+) phiếu", it)
            b2 = re.search(r"Số phiếu hợp lệ: ([\d.]+) phiếu; số phiếu không hợp lệ: ([\d.]+) phiếu", it)
            if not ck.ok(b1 is not None and b2 is not None, "vote count item %d: ballots issued, received, valid, invalid" % k,
                         short(it, 120)):
                continue
            issued, received = (int(x.replace(".", "")) for x in b1.groups())
            valid, invalid = (int(x.replace(".", "")) for x in b2.groups())
            ck.ok(received <= issued and valid + invalid == received,
                  "vote count item %d: received <= issued, valid + invalid = received" % k,
                  (issued, received, valid, invalid))
            bm = re.search(r"tỷ lệ so với tổng số ([\d.]+)", it)
            base = int(bm.group(1).replace(".", "")) if bm else valid
            ck.ok(bm is not None or "so với số phiếu hợp lệ" in it, "vote count item %d: the base named" % k)
            res = re.findall(r"\+ [^:+]+: ([\d.]+) phiếu, đạt (\d+,\d{2}%)", it)
            ck.ok(bool(res), "vote count item %d: the votes of each candidate or option" % k, short(it, 120))
            for votes, pct in res:
                v = int(votes.replace(".", ""))
                ck.ok(v <= valid and pct == vn_pct(v, base),
                      "vote count item %d: %s votes = %s of %d" % (k, votes, vn_pct(v, base), base), pct)


def main():
    ap = argparse.ArgumentParser(description="check the placement of a rendered PDF")
    ap.add_argument("pdf")
    ap.add_argument("--convention", required=True, choices=sorted(CONV))
    ap.add_argument("--expect-pages", type=int)
    ap.add_argument("--layout", help="the --dump layout output for the same document")
    ap.add_argument("--only", help="comma-separated groups: " + ",".join(GROUPS))
    ap.add_argument("--print", action="store_true", help="print the lines read, then check")
    a = ap.parse_args()
    groups = GROUPS if not a.only else a.only.split(",")
    for g in groups:
        if g not in GROUPS:
            ap.error("unknown group %r (have %s)" % (g, ",".join(GROUPS)))
    name = os.path.basename(a.pdf)
    try:
        pages = read_pdf(a.pdf)
        dump = read_dump(a.layout) if a.layout else None
    except (RuntimeError, ET.ParseError, OSError) as e:
        print("placement %s: %s" % (name, e))
        print("placement %s: 0 passed, 1 failed" % name)
        return 2
    if a.print:
        for pg in pages:
            print("page %d %.2fx%.2fmm" % (pg["no"], pg["w"], pg["h"]))
            for s in pg["segs"]:
                print("  ", s)
            for r in pg["rules"]:
                print("   rule %.2f-%.2f y %.2f w %.2fpt" % r)
    ck = Checker("placement " + name)
    d = Doc(pages, a.convention)
    if not ck.ok(bool(pages), "the PDF has pages"):
        groups = []
    for g in groups:
        if g == "page":
            check_page(ck, d, a.expect_pages)
        elif g == "margins":
            check_margins(ck, d)
        elif g == "pagenum":
            check_pagenum(ck, d)
        elif g == "header":
            check_header(ck, d)
        elif g == "type":
            check_type(ck, d)
        elif g == "body":
            check_body(ck, d)
        elif g == "signature":
            check_signature(ck, d)
        elif g == "justify":
            check_justify(ck, d)
        elif g == "rules":
            check_rules(ck, d, "pdf")
            if dump is not None:
                check_header_gap(ck, Doc(dump, a.convention))
                check_same_rules(ck, pages, dump)
                check_rules(ck, Doc(dump, a.convention), "layout dump")
        elif g == "tables":
            if any(pg.get("vrules") for pg in pages):
                check_tables(ck, d)
                if dump is not None:
                    check_tables(ck, Doc(dump, a.convention))
        elif g == "forms":
            check_forms_letters(ck, d)     # decision, letter, report, proposal
            check_forms(ck, d)             # notice, invitation, plan, vote count
        elif g == "words":
            if dump is not None:
                check_words(ck, pages, dump)
            elif a.only:
                ck.ok(False, "words: --only words needs --layout")
    print("placement %s: %d passed, %d failed" % (name, ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
