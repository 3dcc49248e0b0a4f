#!/usr/bin/env python3
"""header.py — header fitting as a property over generated headers.

usage: tests/header.py --vanban BIN --tmp DIR [--count N] [--lo N] [--seed S]
                       [--soffice CMD] [--keep]

Draws records (seeded, so every run draws the same ones) for both
conventions from the real names of tests/data/names.txt: place names
(provinces, old units, wards, long places), issuers of one to three lines
and an optional superior body, dates of every month; adds the regression
cases of issue 10; renders each as PDF and DOCX and reads the PDF back
with MuPDF (placement.py's reader).  For every document:

  - every one-line element is one line, whole: the date line, the number
    line, the national title and motto (state), ĐẢNG CỘNG SẢN VIỆT NAM
    (Party);
  - every header line lies inside its column, the columns being those the
    DOCX's table gives Word and LibreOffice (tcW of the left cell, the
    right cell's left margin as the gutter);
  - a left and a right header line that overlap vertically stand at least
    MIN_GAP apart (conventions in practice; the rule files' header_min_gap);
  - the body names (superior, issuer) read as their text in capitals, and
    wrap where a typesetter breaks them (wrap_problems): never inside a
    fixed phrase (KEEP_TOGETHER: "ỦY BAN NHÂN DÂN", "THÀNH PHỐ"); when a
    set of breaks that fits the column gives more lines starting with a
    unit word (BREAK_BEFORE: "TỈNH", "PHƯỜNG"), it was taken; among sets
    with as many, the widest line is the narrowest (balanced).  The cases
    where balancing alone broke them wrong read exactly as printed
    documents do: "HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH", "ĐẢNG BỘ / THÀNH
    PHỐ THỦ DẦU MỘT", "ỦY BAN NHÂN DÂN / TỈNH BÀ RỊA - VŨNG TÀU".

For the first --lo documents the DOCX files are converted by LibreOffice in
one call and its PDFs are held to the same checks, and to the same line
breaks of the body names as ours.  Ends with `header.py: N passed, N
failed`; exits 1 on a failure.
"""
import argparse
import copy
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import placement  # noqa: E402  (the MuPDF reader)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_GAP = 8.0          # mm between the texts of the two columns on one line
COL_TOL = 0.3          # a line may pass its column's edge by this (mm)
LO_COL_TOL = 0.6       # LibreOffice positions glyphs on its own grid
TITLES = {"party": ["ĐẢNG CỘNG SẢN VIỆT NAM"],
          "state": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"]}
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TYPE_NAMES = ("NGHỊ QUYẾT", "BIÊN BẢN")


class Count:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self, cond, what, detail=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: header: %s" % what)
            if detail:
                for ln in str(detail).split("\n"):
                    print("    " + ln)
        return cond


def read_names(path):
    secs, cur = {}, None
    for raw in open(path, encoding="utf-8"):
        ln = raw.strip()
        if not ln or ln.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", ln)
        if m:
            cur = secs.setdefault(m.group(1), [])
        elif cur is not None:
            cur.append(unicodedata.normalize("NFC", ln))
    return secs


def unit(p):
    """'Thành phố Huế' stays; 'Lâm Đồng' becomes 'tỉnh Lâm Đồng'."""
    return p[0].lower() + p[1:] if p.startswith("Thành phố") else "tỉnh " + p


def draw(rng, names, conv, i):
    """(superior or None, issuer, place) drawn from real names; the i-th
    record names the i-th provincial unit, so that every one is tried."""
    units = names["provinces"] + names["old_units"]
    prov = units[i % len(units)]
    ward = rng.choice(names["wards"])
    u = unit(prov)
    if conv == "party":
        issuers = ["Đảng ủy phường " + ward, "Đảng ủy xã " + ward, "Ban Thường vụ " + u.replace("tỉnh ", "Tỉnh ủy "),
                   "Đảng ủy các cơ quan Đảng " + u, "Ban Chấp hành Đảng bộ phường " + ward,
                   "Chi bộ Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường " + ward,
                   "Đảng ủy Ủy ban nhân dân " + u]
        supers = [None, "Đảng bộ " + u, "Đảng bộ phường " + ward, "Đảng bộ thành phố Thủ Dầu Một",
                  "Đảng bộ các cơ quan Đảng " + u]
    else:
        issuers = ["Ủy ban nhân dân phường " + ward, "Hội đồng nhân dân " + u, "Sở Nông nghiệp và Môi trường " + u,
                   "Ban Quản lý các khu công nghiệp " + u, "Ủy ban nhân dân xã " + ward,
                   "Trung tâm Kiểm soát bệnh tật " + u, "Sở Văn hóa, Thể thao và Du lịch " + u]
        supers = [None, "Ủy ban nhân dân " + u, "Ủy ban nhân dân phường " + ward, "Bộ Nông nghiệp và Môi trường"]
    issuers += names["bodies"]
    sup = rng.choice(supers)
    iss = rng.choice(issuers)
    # a third of the places from the long ones, the rest provinces and wards
    pool = names["places"] if rng.random() < 0.35 else names["provinces"] + names["old_units"] + names["wards"]
    return sup, iss, rng.choice(pool)


def vn_date(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return "ngày %02d tháng %s năm %d" % (d, "%02d" % m if m <= 2 else str(m), y)


def upper(s):
    return unicodedata.normalize("NFC", s.upper())


class Case:
    def __init__(self, name, conv, rec, typ, sup, iss, place, expect_superior_wraps=False, expect_lines=None):
        self.name, self.conv, self.rec, self.type = name, conv, rec, typ
        self.sup, self.iss, self.place = sup, iss, place
        self.expect_superior_wraps = expect_superior_wraps
        self.expect_lines = expect_lines or {}   # zone -> the lines a typesetter prints
        sec = rec.get(typ, {})
        date = sec.get("date") or rec["meeting"]["date"]
        self.date_line = None if (conv == "state" and typ == "minutes") else "%s, %s" % (place, vn_date(date))


def make_case(base, name, conv, typ, sup, iss, place, date=None, **kw):
    r = copy.deepcopy(base)
    r["id"] = name                     # one output name a case (vanban batch)
    r["place"] = place
    r["issuer"]["name"] = iss
    if sup:
        r["issuer"]["superior"] = sup
    else:
        r["issuer"].pop("superior", None)
    if date:
        for k in ("resolution", "minutes"):
            if k in r and "date" in r[k]:
                r[k]["date"] = date
        r["meeting"]["date"] = date
    return Case(name, conv, r, typ, sup, iss, place, **kw)


def docx_columns(path):
    """(left width, gutter) in mm of the DOCX's first table: what Word and
    LibreOffice are told the header columns are."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    tbl = xml[xml.index("<w:tbl>"):xml.index("</w:tbl>")]
    row = tbl[tbl.index("<w:tr>"):tbl.index("</w:tr>")]
    cells = re.findall(r"<w:tc>.*?</w:tc>", row)
    left = int(re.search(r'<w:tcW w:w="(\d+)"', cells[0]).group(1))
    m = re.search(r'<w:tcMar><w:left w:w="(\d+)"', cells[1])
    gutter = int(m.group(1)) if m else 0
    tw = 25.4 / 1440
    return left * tw, gutter * tw


def words_of(seg):
    """(text, x0, x1) of each word of a line, from the reader's chars."""
    out, cur = [], []
    for ch in seg.chars:
        if ch[0].strip():
            cur.append(ch)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return [("".join(c[0] for c in w), w[0][1], w[-1][2]) for w in out]


# Where a typesetter breaks a header name, written here from what printed
# documents do (a copy, on purpose, of what the rule files say): a line
# starts before the administrative unit, and a fixed phrase is never cut.
BREAK_BEFORE = ["TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU"]
KEEP_TOGETHER = ["HỘI ĐỒNG NHÂN DÂN", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN",
                 "ĐẶC KHU", "BAN CHẤP HÀNH", "ĐẢNG BỘ", "ĐẢNG ỦY", "ĐẢNG UỶ", "CHI BỘ", "KHU CÔNG NGHIỆP",
                 "KHU CHẾ XUẤT", "BAN QUẢN LÝ", "MẶT TRẬN TỔ QUỐC", "VIỆT NAM", "HỒ CHÍ MINH"]
FIT_TOL = 0.3          # a line counts as fitting its column when this much narrower (mm)
ENUM_WORDS, ENUM_LINES = 24, 6   # beyond these the layout keeps the balanced breaks


def phrase_starts(toks, phrases):
    """(start, end) word index spans where one of the phrases is spelt."""
    out = []
    for i in range(len(toks)):
        for ph in phrases:
            pw = ph.split()
            if toks[i:i + len(pw)] == pw:
                out.append((i, i + len(pw)))
    return out


def balance_problems(ws, width, colw):
    """The former rule, for names too long to enumerate: no line of one
    word when the name has words enough for two a line, and no single word
    moved across a break makes the widest line narrower."""
    nwords = sum(len(w) for w in ws)
    lone = [i for i, w in enumerate(ws) if len(w) == 1]
    if lone and nwords >= 2 * len(ws):
        return "line %d holds one word alone (%r) in a name of %d words on %d lines" % (
            lone[0] + 1, ws[lone[0]][0][0], nwords, len(ws))
    widest = max(width(w) for w in ws)
    for i in range(len(ws) - 1):
        for alt in ((ws[i][:-1], [ws[i][-1]] + ws[i + 1]), (ws[i] + [ws[i + 1][0]], ws[i + 1][1:])):
            if not alt[0] or not alt[1]:
                continue
            trial = ws[:i] + list(alt) + ws[i + 2:]
            tw = max(width(w) for w in trial)
            if tw < widest - 0.3 and max(width(alt[0]), width(alt[1])) <= colw:
                return "moving a word across break %d makes the widest line %.1f mm instead of %.1f mm: %s" % (
                    i + 1, tw, widest, " / ".join(" ".join(x[0] for x in w) for w in trial))
    return ""


def wrap_problems(lines, colw):
    """Why the lines of a wrapped name are not where a typesetter breaks
    them ('' if they are): (1) no break inside a KEEP_TOGETHER phrase;
    (2) of the sets of breaks giving as many lines, each line fitting the
    column, none inside a fixed phrase, none the Unicode rules forbid
    (before , . ; : ) or after (), none before a dash, none has more
    lines starting with a BREAK_BEFORE phrase; (3) of those with as many,
    none has a narrower widest line (balanced)."""
    ws = [words_of(s) for s in lines]
    if len(lines) < 2:
        return ""
    words = [w for ln in ws for w in ln]
    starts, k = [], 0
    for ln in ws:
        starts.append(k)
        k += len(ln)
    show = lambda st: " / ".join(" ".join(w[0] for w in words[a:b]) for a, b in zip(st, st[1:] + [len(words)]))
    toks = [upper(w[0].strip(",.;:()")) for w in words]
    inside = {j for a, b in phrase_starts(toks, KEEP_TOGETHER) for j in range(a + 1, b)}
    units = {a for a, b in phrase_starts(toks, BREAK_BEFORE)}
    cut = [j for j in starts[1:] if j in inside]
    if cut:
        return "a break inside a fixed phrase, before %r: %s" % (words[cut[0]][0], show(starts))
    gaps = [b[1] - a[2] for w in ws for a, b in zip(w, w[1:])]
    space = sum(gaps) / len(gaps) if gaps else 1.0

    def width(seq):
        return sum(w[2] - w[1] for w in seq) + space * (len(seq) - 1)
    if len(words) > ENUM_WORDS or len(lines) > ENUM_LINES:
        return balance_problems(ws, width, colw)
    # and a line never starts with the dash of "PHAN RANG - THÁP CHÀM"
    glue = {j for j in range(1, len(words)) if words[j][0][0] in ",.;:)-" or words[j - 1][0][-1] == "("}
    can = [j for j in range(1, len(words)) if j not in inside and j not in glue]
    n = len(lines)
    got_units = sum(1 for j in starts[1:] if j in units)
    got_wide = max(width(w) for w in ws)
    best = {}                          # units -> (widest, starts)

    def walk(st):
        if len(st) == n:
            spans = list(zip(st, st[1:] + [len(words)]))
            wide = max(width(words[a:b]) for a, b in spans)
            if wide > colw - FIT_TOL:
                return
            u = sum(1 for j in st[1:] if j in units)
            if u not in best or wide < best[u][0]:
                best[u] = (wide, list(st))
            return
        for j in can:
            if j > st[-1] and width(words[st[-1]:j]) <= colw - FIT_TOL:
                walk(st + [j])
    walk([0])
    if best and max(best) > got_units:
        u = max(best)
        return "%d of its lines could start with a unit word (%s), %d do: %s" % (
            u, show(best[u][1]), got_units, show(starts))
    if got_units in best and best[got_units][0] < got_wide - 0.3:
        return "as many lines start with a unit word and the widest line is %.1f mm, not %.1f mm: %s instead of %s" % (
            best[got_units][0], got_wide, show(best[got_units][1]), show(starts))
    return ""


def check_doc(ck, case, pdf, cols, label, ours_lines=None):
    """The checks on one PDF (ours or LibreOffice's).  Returns the lines of
    the body names, to compare LibreOffice's with ours."""
    name = "%s (%s)" % (case.name, label)
    try:
        pages = placement.read_pdf(pdf)
    except Exception as e:  # an unreadable PDF is a failure, not a crash
        ck.ok(False, "%s: MuPDF reads it" % name, e)
        return None
    segs = pages[0]["segs"] if pages else []
    tn = next((s for s in segs if s.text in TYPE_NAMES), None)
    if not ck.ok(tn is not None, "%s: the type name is on page 1" % name, "\n".join(map(repr, segs[:12]))):
        return None
    hdr = [s for s in segs if s.y < tn.y - 1]
    show = "\n".join(map(repr, hdr))
    L, g = cols
    left_x1, right_x0 = placement.LEFT + L, placement.LEFT + L + g
    split = (left_x1 + right_x0) / 2
    # one-line elements: each a line of its own, whole
    whole = [("the title", TITLES[case.conv])]
    if case.conv == "state":
        whole.append(("the motto", [MOTTO]))
    if case.date_line:
        whole.append(("the date line", [case.date_line]))
    for what, texts in whole:
        ck.ok(any(s.text in texts for s in hdr), "%s: %s %r is one line, whole" % (name, what, texts[0]), show)
    num_re = placement.CONV[case.conv]["number_re"]
    ck.ok(any(re.fullmatch(num_re, s.text) for s in hdr), "%s: the number line is one line, whole" % name, show)
    # every line in its column
    tol = COL_TOL if label == "vanban" else LO_COL_TOL
    out = [s for s in hdr if not ((s.x1 <= left_x1 + tol and s.x0 >= placement.LEFT - tol) or
                                  (s.x0 >= right_x0 - tol and s.x1 <= placement.RIGHT + tol))]
    ck.ok(not out, "%s: every header line inside its column (left %.1f-%.1f, right %.1f-%.1f mm)"
          % (name, placement.LEFT, left_x1, right_x0, placement.RIGHT), "\n".join(map(repr, out)))
    # a clear gap between lines of the two columns that overlap vertically
    lefts = [s for s in hdr if s.mid < split]
    rights = [s for s in hdr if s.mid >= split]
    close = ["%r\n  and %r: %.2f mm" % (a, b, b.x0 - a.x1) for a in lefts for b in rights
             if a.top < b.bottom and b.top < a.bottom and b.x0 - a.x1 < MIN_GAP - 0.05]
    ck.ok(not close, "%s: the two columns stand at least %g mm apart" % (name, MIN_GAP), "\n".join(close))
    # body names: their text, balanced
    num = next((s for s in lefts if re.fullmatch(num_re, s.text)), None)
    top = [s for s in lefts if num is None or s.y < num.y]
    got = {}
    for what, text, bold in (("superior", case.sup, False), ("issuer", case.iss, True)):
        if not text:
            continue
        lines = [s for s in top if s.bold == bold and s.text != "*"]
        got[what] = [s.text for s in lines]
        ck.ok(" ".join(s.text for s in lines) == upper(text), "%s: the %s reads %r" % (name, what, upper(text)),
              " / ".join(s.text for s in lines))
        why = wrap_problems(lines, L)
        ck.ok(not why, "%s: the %s wraps where a typesetter breaks it" % (name, what),
              why + "\n" + " / ".join(s.text for s in lines))
        if what in case.expect_lines:
            ck.ok(got[what] == case.expect_lines[what], "%s: the %s reads %s" % (
                name, what, " / ".join(case.expect_lines[what])), " / ".join(got[what]))
    if case.expect_superior_wraps:
        ck.ok(len(got.get("superior", [])) >= 2, "%s: the superior wraps (the date line does not)" % name,
              " / ".join(got.get("superior", [])))
    if ours_lines is not None:
        ck.ok(got == ours_lines, "%s: body names break where our PDF breaks them" % name,
              "ours %r\nLibreOffice %r" % (ours_lines, got))
    return got


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vanban", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--count", type=int, default=38, help="generated records per convention (38: every unit)")
    ap.add_argument("--lo", type=int, default=8, help="documents also read through LibreOffice (0: none)")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--soffice", default="soffice")
    a = ap.parse_args()
    ck = Count()
    names = read_names(os.path.join(ROOT, "tests/data/names.txt"))
    ck.ok(len(names.get("provinces", [])) == 34, "tests/data/names.txt holds the 34 provincial units",
          len(names.get("provinces", [])))
    bases = {"party": json.load(open(os.path.join(ROOT, "samples/haiphong-2021-12-28.json"), encoding="utf-8")),
             "state": json.load(open(os.path.join(ROOT, "samples/namdinh-hdnd-2023-01-05.json"), encoding="utf-8"))}
    types = {"party": ["resolution", "minutes"], "state": ["resolution", "minutes"]}
    # the regression cases of issue 10 first
    bq = "Ban Quản lý các khu công nghiệp và khu chế xuất tỉnh Bà Rịa - Vũng Tàu"
    cases = [
        make_case(bases["party"], "vungtau-party", "party", "resolution", "Đảng bộ tỉnh Bà Rịa - Vũng Tàu", bq,
                  "Thành phố Vũng Tàu", "2024-12-20"),
        make_case(bases["state"], "vungtau-state", "state", "resolution", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", bq,
                  "Thành phố Vũng Tàu", "2024-12-20"),
        make_case(bases["party"], "phucuong-party", "party", "resolution", "Đảng bộ thành phố Thủ Dầu Một",
                  "Đảng ủy phường Phú Cường", "Phú Cường", "2024-12-20", expect_superior_wraps=True,
                  expect_lines={"superior": ["ĐẢNG BỘ", "THÀNH PHỐ THỦ DẦU MỘT"]}),
        make_case(bases["state"], "baria-state", "state", "resolution", None,
                  "Ủy ban nhân dân thành phố Bà Rịa", "Thành phố Bà Rịa", "2024-12-20"),
        # where balancing alone broke them: "HỘI ĐỒNG NHÂN / DÂN TỈNH NAM
        # ĐỊNH", "ỦY BAN NHÂN DÂN TỈNH / BÀ RỊA - VŨNG TÀU"
        make_case(bases["state"], "namdinh-state", "state", "resolution", None,
                  "Hội đồng nhân dân tỉnh Nam Định", "Nam Định", "2023-01-05",
                  expect_lines={"issuer": ["HỘI ĐỒNG NHÂN DÂN", "TỈNH NAM ĐỊNH"]}),
        make_case(bases["state"], "baria-vungtau-state", "state", "resolution", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu",
                  "Sở Nông nghiệp và Môi trường", "Bà Rịa - Vũng Tàu", "2025-03-14",
                  expect_lines={"superior": ["ỦY BAN NHÂN DÂN", "TỈNH BÀ RỊA - VŨNG TÀU"]}),
    ]
    nreg = len(cases)
    rng = random.Random(a.seed)
    for conv in ("party", "state"):
        for i in range(a.count):
            sup, iss, place = draw(rng, names, conv, i)
            date = "%d-%02d-%02d" % (rng.choice((2024, 2025, 2026)), rng.randint(1, 12), rng.randint(1, 28))
            cases.append(make_case(bases[conv], "%s-%02d" % (conv, i + 1), conv, rng.choice(types[conv]),
                                   sup, iss, place, date))
    os.makedirs(a.tmp, exist_ok=True)
    done = []
    for c in cases:
        rec = os.path.join(a.tmp, c.name + ".json")
        with open(rec, "w", encoding="utf-8") as f:
            json.dump(c.rec, f, ensure_ascii=False, indent=1)
        base = os.path.join(a.tmp, c.name)
        ok = True
        for ext in ("pdf", "docx"):
            r = run([a.vanban, "render", rec, "-t", c.type, "-o", base + "." + ext])
            ok &= ck.ok(r.returncode == 0, "%s: renders as %s (exit 0)" % (c.name, ext),
                        "exit %d: %s" % (r.returncode, r.stderr.strip()))
        if not ok:
            continue
        try:
            cols = docx_columns(base + ".docx")
        except (ValueError, AttributeError, KeyError, zipfile.BadZipFile) as e:
            ck.ok(False, "%s: the DOCX has a header table" % c.name, e)
            continue
        lines = check_doc(ck, c, base + ".pdf", cols, "vanban")
        done.append((c, base, cols, lines))
    if a.lo > 0:
        # the regression cases and the first drawn ones of each convention
        pick = done[:nreg] + [d for d in done[nreg:] if d[0].conv == "party"][:max(a.lo - nreg, 0) // 2] + \
            [d for d in done[nreg:] if d[0].conv == "state"][:(max(a.lo - nreg, 0) + 1) // 2]
        lo_dir = os.path.join(a.tmp, "lo")
        os.makedirs(lo_dir, exist_ok=True)
        r = run(["timeout", "600", a.soffice, "-env:UserInstallation=file://" + os.path.join(a.tmp, "lo-profile"),
                 "--headless", "--convert-to", "pdf", "--outdir", lo_dir] + [d[1] + ".docx" for d in pick])
        ck.ok(r.returncode == 0, "LibreOffice converts %d DOCX files in one call" % len(pick), r.stderr.strip()[-2000:])
        for c, base, cols, lines in pick:
            lo_pdf = os.path.join(lo_dir, os.path.basename(base) + ".pdf")
            if ck.ok(os.path.exists(lo_pdf), "%s: LibreOffice made a PDF of its DOCX" % c.name):
                check_doc(ck, c, lo_pdf, cols, "LibreOffice", lines)
    print("header.py: %d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
