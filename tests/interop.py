#!/usr/bin/env python3
"""Interoperability checks of vanban's DOCX output; tests/docx.sh runs them.

  interop.py styles FILE.docx MODEL STYLE
      python-docx (Debian's python3-docx) opens the file: every paragraph
      with text has a named VB_ paragraph style that styles.xml defines,
      the paragraphs say exactly what the model dump says (so & < > " '
      survive), Times New Roman, A4 and the margins of the rule file STYLE,
      a PAGE field in the default header and an empty first-page header.

  interop.py compare OURS.pdf THEIRS.pdf MODEL
      our PDF against the PDF LibreOffice made of the DOCX, both read back
      with MuPDF (mutool draw -F stext): the same number of pages, the same
      words on every page, page numbers from page 2 only, every line where
      ours is, and the header, signature and "Nơi nhận" blocks where
      conventions.md puts them.

MODEL is `vanban render … --dump model`.  Every check prints one line,
"pass: WHAT" or "fail: WHAT: WHY"; the exit status is 0 unless the
command line is wrong (2) or a module is missing (3).
"""
import difflib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4          # points per mm
TOL = 2.0               # mm: how far a line of the DOCX may sit from ours
BORDER_LINES = 8        # a borderline break reflows at most this many lines (see cmd_compare)
BORDER_RUNS = 1         # and this many a document
LEVEL_TOL = 2.0         # mm: "Nơi nhận:" against the first signature line


def out(ok, what, why=""):
    print(("pass: " if ok else "fail: ") + what + ("" if ok or not why else ": " + why))
    return ok


def fold(s):
    return " ".join(s.split())


def squeeze(s):
    return "".join(s.split())


# ---- the model dump -------------------------------------------------------

# a run: the dump escapes \" \\ \n \t \r inside its quotes
RUN = re.compile(r' (?:\[[biu]+\])?"((?:[^"\\]|\\.)*)"')


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), s)


def read_model(path):
    """Paragraphs in document order: dicts with zone, text, row (None,
    'header' or 'signature'), row index, cell (0 left, 1 right)."""
    paras, row, rowno, cell = [], None, -1, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 1                                   # "document …"
    while i < len(lines) and re.match(r"(title|author): ", lines[i]):
        i += 1                              # metadata, before any block
    # a text with line ends spreads over several dump lines: join them
    joined = []
    for line in lines[i:]:
        if joined and not re.match(r'(row (header|signature)|  cell (left|right)|table \d+ columns:|  row (header|body|total)$|section \S+ '
                                   r'| *[a-z_0-9]+: (\[[biu]+\])?"| *[a-z_0-9]+:$)', line):
            joined[-1] += "\n" + line
        else:
            joined.append(line)
    for line in joined:
        if not line.strip():
            continue
        m = re.match(r"row (header|signature)$", line)
        if m:
            row, rowno, cell = m.group(1), rowno + 1, None
            continue
        if re.match(r"section \S+ ", line):   # a new page of its own geometry (an appendix)
            row, cell = None, None
            continue
        # a table: its cells are paragraphs of rows "table" (header rows
        # "table-header": they repeat on every page the table continues on)
        if re.match(r"table \d+ columns:", line):
            row, cell = "table", None
            continue
        m = re.match(r"  row (header|body|total)$", line)
        if m and row in ("table", "table-header"):
            row, rowno = "table-header" if m.group(1) == "header" else "table", rowno + 1
            continue
        m = re.match(r"  cell (left|right)$", line)
        if m:
            cell = 0 if m.group(1) == "left" else 1
            continue
        m = re.match(r"( *)([a-z_0-9]+):(( (?:\[[biu]+\])?\".*\")+)$", line, re.S)
        if not m:
            continue
        if not m.group(1):
            row, cell = None, None
        text = unescape("".join(RUN.findall(m.group(3))))
        paras.append({"zone": m.group(2), "text": text, "row": row,
                      "rowno": rowno if row else None, "cell": cell})
    return paras


# ---- styles: python-docx -----------------------------------------------------

def style_margins(path):
    """[page] lengths of a rule file, in mm (not those of a [page NAME],
    an appendix's section)."""
    vals, section = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        m = re.match(r"\[([^\]]*)\]", line)
        if m:
            section = " ".join(m.group(1).split())
            continue
        m = re.match(r"(\w+)\s*=\s*([\d.]+)\s*(mm|cm|pt)$", line)
        if section == "page" and m:
            v = float(m.group(2))
            vals[m.group(1)] = v * 10 if m.group(3) == "cm" else v / MM if m.group(3) == "pt" else v
    return vals


def page_field(hdr, qn):
    """(True, "") when a paragraph of the header holds a field Word and
    LibreOffice evaluate to the page number: w:fldSimple w:instr="PAGE",
    or the runs fldChar begin, instrText PAGE, fldChar separate, fldChar
    end in this order.  The word PAGE as text, or an instruction without
    its markers, is no field."""
    seen = []
    for p in hdr.iter(qn("w:p")):
        for fs in p.iter(qn("w:fldSimple")):
            if fs.get(qn("w:instr"), "").split()[:1] == ["PAGE"]:
                return True, ""
        state, marks = 0, []
        for el in p.iter():
            if el.tag == qn("w:fldChar"):
                kind = el.get(qn("w:fldCharType"))
                marks.append(kind)
                if state == 0 and kind == "begin":
                    state = 1
                elif state == 2 and kind == "separate":
                    state = 3
                elif state == 3 and kind == "end":
                    return True, ""
                else:
                    state = 0
            elif el.tag == qn("w:instrText"):
                marks.append("instr " + (el.text or "").strip())
                state = 2 if state == 1 and (el.text or "").split()[:1] == ["PAGE"] else 0
        seen.append(" / ".join(marks) or "no field")
    return False, "; ".join(seen) or "no paragraph"


def cmd_styles(docx_path, model_path, style_path):
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        print("interop.py: python-docx is missing (apt-get install python3-docx)", file=sys.stderr)
        return 3
    name = docx_path.rsplit("/", 1)[-1]
    try:
        d = docx.Document(docx_path)
    except Exception as e:                  # noqa: BLE001 - any failure to open is the finding
        out(False, f"{name}: python-docx opens it", repr(e))
        return 0
    out(True, f"{name}: python-docx opens it")
    defined = {s.style_id: s for s in d.styles}

    paras = []
    def walk(parent):
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                paras.append(Paragraph(child, d))
            elif child.tag == qn("w:tbl"):
                for row in Table(child, d).rows:
                    for c in row.cells:
                        walk(c._tc)
    walk(d.element.body)

    with_text = [p for p in paras if p.text.strip()]
    bad = []
    used = set()
    for p in with_text:
        sid = p._p.pPr.pStyle.val if p._p.pPr is not None and p._p.pPr.pStyle is not None else None
        used.add(sid)
        s = defined.get(sid)
        if not sid or not sid.startswith("VB_") or s is None or s.type != docx.enum.style.WD_STYLE_TYPE.PARAGRAPH:
            bad.append(f"{sid!r} on {fold(p.text)[:50]!r}")
    out(not bad and bool(with_text), f"{name}: every paragraph has a defined VB_ paragraph style ({len(used)} styles)",
        "; ".join(bad[:3]) or "no paragraph")
    custom = [sid for sid in used if sid in defined and defined[sid].element.get(qn("w:customStyle")) == "1"]
    named = [sid for sid in used if sid in defined and defined[sid].name and defined[sid].name.startswith("VB ")]
    out(len(custom) == len(used) and len(named) == len(used), f"{name}: the VB_ styles are custom, named \"VB …\"",
        f"{sorted(used - set(custom))} not custom, {sorted(used - set(named))} unnamed")

    model = [fold(p["text"]) for p in read_model(model_path)]
    got = [fold(p.text) for p in with_text]
    if got == model:
        out(True, f"{name}: the paragraphs say what the model says ({len(got)})")
    else:
        k = next((i for i, (a, b) in enumerate(zip(got, model)) if a != b), min(len(got), len(model)))
        out(False, f"{name}: the paragraphs say what the model says",
            f"paragraph {k + 1}: docx {got[k] if k < len(got) else None!r} / model {model[k] if k < len(model) else None!r}")

    fonts = d.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:rFonts"))
    face = fonts.get(qn("w:ascii")) if fonts is not None else None
    out(face == "Times New Roman", f"{name}: default font Times New Roman", f"got {face!r}")

    want = style_margins(style_path)
    s = d.sections[0]
    got_mm = {"width": s.page_width.mm, "height": s.page_height.mm, "margin_top": s.top_margin.mm,
              "margin_bottom": s.bottom_margin.mm, "margin_left": s.left_margin.mm, "margin_right": s.right_margin.mm}
    off = [f"{k} {got_mm[k]:.2f} mm, rule file {want[k]:.2f}" for k in got_mm if k in want and abs(got_mm[k] - want[k]) > 0.05]
    out(not off and len(want) >= 6, f"{name}: page size and margins of {style_path}", "; ".join(off) or "rule file not read")

    hdr = s.header._element if s.header is not None else None
    ok, why = page_field(hdr, qn) if hdr is not None else (False, "no default header")
    out(ok, f"{name}: the header holds a PAGE field (fldSimple, or fldChar begin/separate/end around it)", why)
    first = s.first_page_header
    first_text = "".join(t.text or "" for t in first._element.iter(qn("w:t"))) + \
        "".join(t.text or "" for t in first._element.iter(qn("w:instrText")))
    out(s.different_first_page_header_footer and not first_text.strip(),
        f"{name}: titlePg with an empty first-page header", f"titlePg {s.different_first_page_header_footer}, {first_text!r}")
    return 0


# ---- compare: two PDFs through MuPDF ---------------------------------------

def pdf_lines(path):
    """Text lines in content order: page, x0, x1, top, base (mm), text."""
    run = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", path], capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"mutool cannot read {path}: {run.stderr.decode(errors='replace').strip()[:200]}")
    xml = run.stdout
    root = ET.fromstring(xml)
    lines = []
    for pno, page in enumerate(root.iter("page"), start=1):
        for line in page.iter("line"):
            x0, y0, x1, y1 = (float(v) / MM for v in line.get("bbox").split())
            for chars in split_cells([c for c in line.iter("char")]):
                text = "".join(c.get("c", "") for c in chars)
                if not text.strip():
                    continue
                ink = [c for c in chars if c.get("c", " ").strip()]
                if len(ink) < len([c for c in line.iter("char") if c.get("c", " ").strip()]):
                    x0, x1 = char_x(ink[0])[0], char_x(ink[-1])[1]
                base = float((ink or chars)[0].get("origin", "0 %f" % (y1 * MM)).split()[1]) / MM
                lines.append({"page": pno, "x0": x0, "x1": x1, "top": y0, "base": base, "text": text})
    return lines


CELL_GAP = 3.0   # mm: wider blank between two characters of one line separates two cells


def char_x(c):
    q = [float(v) / MM for v in c.get("quad").split()]
    return min(q[0], q[4]), max(q[2], q[6])


def split_cells(chars):
    """MuPDF takes the texts of neighbouring table cells on one baseline for
    one line or for several, depending on how the writer grouped them (ours
    one text object a line, LibreOffice one a cell): split a line where the
    blank between two characters is wider than CELL_GAP, so both read the same."""
    out, cur, last = [], [], None
    for c in chars:
        if c.get("c", " ").strip() and c.get("quad"):
            a, b = char_x(c)
            if last is not None and a - last > CELL_GAP and cur:
                out.append(cur)
                cur = []
            last = b
        cur.append(c)
    if cur:
        out.append(cur)
    return out


def pdf_rules(path):
    """Horizontal strokes (rules, underlines): (page, x1, x2, y) in mm,
    each once (a reader may be handed the same stroke twice)."""
    run = subprocess.run(["mutool", "draw", "-F", "trace", "-o", "-", path], capture_output=True)
    if run.returncode != 0:
        raise RuntimeError(f"mutool cannot trace {path}: {run.stderr.decode(errors='replace').strip()[:200]}")
    rules = []
    for pno, page in enumerate(ET.fromstring(run.stdout).iter("page"), start=1):
        seen = set()
        for sp in page.iter("stroke_path"):
            a, b, c, d, e, f = (float(v) for v in sp.get("transform", "1 0 0 1 0 0").split())
            pts = [(float(q.get("x")), float(q.get("y"))) for q in sp if q.tag in ("moveto", "lineto")]
            pts = [((a * x + c * y + e) / MM, (b * x + d * y + f) / MM) for x, y in pts]
            for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
                if abs(ya - yb) < 0.01 and abs(xa - xb) > 0.5:
                    key = (pno, round(min(xa, xb), 2), round(max(xa, xb), 2), round(ya, 2))
                    if key not in seen:
                        seen.add(key)
                        rules.append(key)
    return rules


def is_page_number(line):
    return line["text"].strip().isdigit() and line["base"] < 18.0


def assign(lines, paras):
    """Map each text line to the model paragraph it starts in, walking both
    in order (white space ignored; a line may run on into the next
    paragraph when a reader joins two cells' lines).  Returns (indices or
    None, why)."""
    k, rest, mapping = 0, squeeze(paras[0]["text"]) if paras else "", []
    header_lines = {}        # a line of a table's header rows: where it was first
    header_count = {}        # how many of the header rows' lines read so (two cells' "(đồng)")
    rests = {}               # cells of a table row a reader took out of order: what is left of them
    def in_table(j):
        return j < len(paras) and paras[j]["row"] in ("table", "table-header")
    page, at_top = None, False
    for ln in lines:
        t, first = squeeze(ln["text"]), None
        if ln["page"] != page:
            page, at_top, again = ln["page"], True, {}
        # the header rows again (each line as often as they hold it), at the top of a later page
        if at_top and t in header_lines and header_lines[t][1] < page and again.get(t, 0) < header_count[t]:
            again[t] = again.get(t, 0) + 1
            mapping.append(header_lines[t][0])
            continue
        at_top = False
        while t:
            while k < len(paras) and not rest:
                k += 1
                rest = rests.pop(k, squeeze(paras[k]["text"])) if k < len(paras) else ""
            n = 0
            if k < len(paras):
                while n < len(t) and n < len(rest) and t[n] == rest[n]:
                    n += 1
            if n == 0 or (n < len(t) and n < len(rest)):
                # the cells of one table row may come in another order
                alt = None
                for j in range(k + 1, len(paras)):
                    if not (in_table(k) and in_table(j) and paras[j]["rowno"] == paras[k]["rowno"]):
                        break
                    r = rests.get(j, squeeze(paras[j]["text"]))
                    m = 0
                    while m < len(t) and m < len(r) and t[m] == r[m]:
                        m += 1
                    if m > 0 and (m == len(t) or m == len(r)):
                        alt = (j, m, r)
                        break
                if alt is None:
                    want = rest[:40] if k < len(paras) else "(end of document)"
                    return None, f"page {ln['page']}: line {ln['text'][:50]!r} where the model continues {want!r}"
                j, m, r = alt
                rests[j] = r[m:]
                first = j if first is None else first
                t = t[m:]
                continue
            first = k if first is None else first
            t, rest = t[n:], rest[n:]
        mapping.append(first)
        if first is not None and paras[first]["row"] == "table-header":
            key = squeeze(ln["text"])
            if header_lines.setdefault(key, (first, ln["page"]))[1] == ln["page"]:
                header_count[key] = header_count.get(key, 0) + 1
    return mapping, ""


def cmd_compare(ours_path, theirs_path, model_path):
    name = theirs_path.rsplit("/", 1)[-1]
    paras = read_model(model_path)
    try:
        ours, theirs = pdf_lines(ours_path), pdf_lines(theirs_path)
    except (RuntimeError, ET.ParseError) as e:
        out(False, f"{name}: MuPDF reads both PDFs", str(e))
        return 0
    np_o = max((l["page"] for l in ours), default=0)
    np_t = max((l["page"] for l in theirs), default=0)
    out(np_o == np_t and np_o > 0, f"{name}: {np_t} page{'s' if np_t != 1 else ''}, as our PDF", f"ours {np_o}, LibreOffice {np_t}")

    # page numbers: none on page 1, the right one on every later page
    bad = []
    for pno in range(1, np_t + 1):
        nums = [l for l in theirs if l["page"] == pno and is_page_number(l)]
        mine = [l for l in ours if l["page"] == pno and is_page_number(l)]
        if pno == 1 and nums:
            bad.append(f"page 1 shows {nums[0]['text']!r}")
        elif pno > 1 and [l["text"].strip() for l in nums] != [str(pno)]:
            bad.append(f"page {pno} shows {[l['text'] for l in nums]!r}")
        elif pno > 1 and mine and (abs(nums[0]["base"] - mine[0]["base"]) > TOL or
                                   abs(nums[0]["x0"] - mine[0]["x0"]) > TOL):
            bad.append(f"page {pno}: number at x {nums[0]['x0']:.1f} y {nums[0]['base']:.1f} mm, ours "
                       f"x {mine[0]['x0']:.1f} y {mine[0]['base']:.1f}")
    out(not bad, f"{name}: page numbers from page 2 only, where ours are", "; ".join(bad[:3]))

    body_o = [l for l in ours if not is_page_number(l)]
    body_t = [l for l in theirs if not is_page_number(l)]
    words_o = " ".join(l["text"] for l in body_o).split()
    words_t = " ".join(l["text"] for l in body_t).split()
    if words_o == words_t:
        out(True, f"{name}: the same text ({len(words_t)} words)")
    else:
        k = next((i for i, (a, b) in enumerate(zip(words_o, words_t)) if a != b), min(len(words_o), len(words_t)))
        out(False, f"{name}: the same text", f"word {k + 1}: ours {' '.join(words_o[k:k + 6])!r}, "
            f"LibreOffice {' '.join(words_t[k:k + 6])!r}")
    moved = []
    for pno in range(1, max(np_o, np_t) + 1):
        wo = " ".join(l["text"] for l in body_o if l["page"] == pno).split()
        wt = " ".join(l["text"] for l in body_t if l["page"] == pno).split()
        if wo != wt:
            moved.append(f"page {pno} starts {' '.join(wt[:5])!r} and ends {' '.join(wt[-5:])!r}, ours "
                         f"{' '.join(wo[:5])!r} … {' '.join(wo[-5:])!r}")
    out(not moved, f"{name}: every page holds the same words as ours (pages break at the same places)",
        "; ".join(moved[:2]))

    # line by line: the same lines, each within TOL of ours.  One leeway:
    # LibreOffice 25.2 (Debian 13) fits into a justified line a word that
    # ours, by our measure, misses by a hair, and 7.4 (Debian 12) does not;
    # so a run of at most BORDER_LINES lines (the rest of its paragraph
    # reflows) whose words are the same and
    # whose breaks moved by one word at most is a borderline break, named in
    # the output, allowed BORDER_RUNS times a document.  The pages must still
    # hold the same words (above).
    lines_o = [(l["page"], fold(l["text"])) for l in body_o]
    lines_t = [(l["page"], fold(l["text"])) for l in body_t]
    pairs, border, bad = [], [], ""
    sm = difflib.SequenceMatcher(a=lines_o, b=lines_t, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            pairs += list(zip(body_o[i1:i2], body_t[j1:j2]))
            continue
        a, b = lines_o[i1:i2], lines_t[j1:j2]
        wa = [w for _, t in a for w in t.split()]
        wb = [w for _, t in b for w in t.split()]
        shift = max((abs(len(x[1].split()) - len(y[1].split())) for x, y in zip(a, b)), default=99)
        if (wa == wb and len(a) == len(b) and 0 < len(a) <= BORDER_LINES and shift <= 1
                and [x[0] for x in a] == [y[0] for y in b]):
            border.append(f"p{b[0][0]} {b[0][1][:40]!r}: ours {len(a[0][1].split())} words, "
                          f"LibreOffice {len(b[0][1].split())}")
            continue
        if not bad:
            bad = f"line {i1 + 1}: ours {a[0] if a else None!r}, LibreOffice {b[0] if b else None!r}"
    if bad or len(border) > BORDER_RUNS:
        out(False, f"{name}: the same lines as ours", bad or f"{len(border)} borderline breaks: " + "; ".join(border[:3]))
    else:
        if border:
            out(True, f"{name}: the same lines as ours but {len(border)} borderline break"
                f"{'s' if len(border) != 1 else ''} ({'; '.join(border)})")
        worst, where = 0.0, ""
        for a, b in pairs:
            d = max(abs(a["x0"] - b["x0"]), abs(a["base"] - b["base"]))
            if d > worst:
                worst, where = d, f"p{b['page']} {b['text'][:40]!r}: x {b['x0']:.1f} y {b['base']:.1f}, " \
                                  f"ours x {a['x0']:.1f} y {a['base']:.1f}"
        out(worst <= TOL and len(pairs) > 0,
            f"{name}: {len(pairs)} lines, each within {TOL:g} mm of ours (worst {worst:.2f} mm)", where)

    # rules under headings and underlines: the same strokes, within 1 mm
    try:
        ro, rt = pdf_rules(ours_path), pdf_rules(theirs_path)
    except (RuntimeError, ET.ParseError) as e:
        out(False, f"{name}: MuPDF traces both PDFs", str(e))
        ro = rt = None
    if ro is not None:
        def near(r, others):
            return any(o[0] == r[0] and all(abs(o[i] - r[i]) <= 1.0 for i in (1, 2, 3)) for o in others)
        missing = [r for r in ro if not near(r, rt)]
        extra = [r for r in rt if not near(r, ro)]
        out(not missing and not extra and len(ro) > 0,
            f"{name}: the same {len(ro)} rule{'s' if len(ro) != 1 else ''} as ours (ends and height within 1 mm)",
            "; ".join([f"ours p{r[0]} x {r[1]:.1f}-{r[2]:.1f} y {r[3]:.1f} mm not in LibreOffice's" for r in missing[:2]] +
                      [f"LibreOffice p{r[0]} x {r[1]:.1f}-{r[2]:.1f} y {r[3]:.1f} mm not in ours" for r in extra[:2]])
            or "no rule at all")

    # the blocks conventions.md places
    mapping, why = assign(body_t, paras)
    if mapping is None:
        out(False, f"{name}: every line belongs to the model's paragraphs in order", why)
        return 0
    out(True, f"{name}: every line belongs to the model's paragraphs in order")
    for l, k in zip(body_t, mapping):
        l["para"] = paras[k]
        l["k"] = k
    # the text block of page 1 (an appendix may be a wider, landscape page)
    first = [l for l in body_o if l["page"] == 1] or body_o
    left = min(l["x0"] for l in first)
    right = max(l["x1"] for l in first)
    mid = (left + right) / 2

    def centre(l):
        return (l["x0"] + l["x1"]) / 2

    for i, l in enumerate(body_t):
        l["i"] = i

    def ours_of(l):
        return body_o[l["i"]] if lines_o == lines_t else None

    # Each block below is checked on the lines that belong to it; a block
    # the model has but no line belongs to is a failure, not a pass with
    # nothing checked.  Every document has a header and a signature row.
    def found(lines, what, model_has):
        if lines:
            return True
        out(False, f"{name}: {what}", "the model has none" if not model_has else
            "no line of LibreOffice's PDF belongs to it")
        return False

    # header: page 1, top, left cell left of the right cell
    head = [l for l in body_t if l["para"]["row"] == "header"]
    if found(head, "header at the top of page 1 in its two columns", any(p["row"] == "header" for p in paras)):
        problems = []
        if any(l["page"] != 1 for l in head):
            problems.append("not all on page 1")
        first_other = min((l["top"] for l in body_t if l["page"] == 1 and l["para"]["row"] != "header"), default=999)
        if max(l["base"] for l in head) > first_other:
            problems.append("below the first line of the body")
        for rowno in sorted({l["para"]["rowno"] for l in head}):
            lc = [l for l in head if l["para"]["rowno"] == rowno and l["para"]["cell"] == 0]
            rc = [l for l in head if l["para"]["rowno"] == rowno and l["para"]["cell"] == 1]
            if lc and rc and max(l["x1"] for l in lc) > min(l["x0"] for l in rc) + 0.5:
                problems.append(f"row {rowno + 1}: the columns overlap")
            if lc and max(centre(l) for l in lc) >= mid:
                problems.append(f"row {rowno + 1}: the left column is not in the left part")
            if rc and min(centre(l) for l in rc) <= mid:
                problems.append(f"row {rowno + 1}: the right column is not in the right part")
        far = [l for l in head if ours_of(l) and max(abs(l["x0"] - ours_of(l)["x0"]), abs(l["base"] - ours_of(l)["base"])) > TOL]
        if far:
            problems.append(f"{far[0]['text'][:30]!r} more than {TOL:g} mm from ours")
        out(not problems, f"{name}: header at the top of page 1 in its two columns ({len(head)} lines)",
            "; ".join(problems))

    # signature rows: each signature in its half
    sig = [l for l in body_t if l["para"]["row"] == "signature"]
    firsts = {}
    if found(sig, "signature blocks in their halves, as ours", any(p["row"] == "signature" for p in paras)):
        problems = []
        for l in sig:
            p = l["para"]
            if p["zone"].startswith("sig_"):
                if p["cell"] == 1 and centre(l) <= mid:
                    problems.append(f"{l['text'][:30]!r} is not in the right half")
                if p["cell"] == 0 and centre(l) >= mid:
                    problems.append(f"{l['text'][:30]!r} is not in the left half")
                firsts.setdefault((p["rowno"], p["cell"]), l)
            o = ours_of(l)
            if o and max(abs(l["x0"] - o["x0"]), abs(l["base"] - o["base"])) > TOL:
                problems.append(f"{l['text'][:30]!r} more than {TOL:g} mm from ours")
        rows = {}
        for l in sig:
            if l["para"]["zone"].startswith("sig_"):
                rows.setdefault(l["para"]["rowno"], set()).add(l["page"])
        if any(len(pages) > 1 for pages in rows.values()):
            problems.append("a signature block is split across pages")
        out(not problems, f"{name}: signature blocks in their halves, as ours ({len(sig)} lines)", "; ".join(problems[:3]))

    # Nơi nhận: left half; beside a signature, level with its first line;
    # after the signature row (minutes), under it
    nn = [l for l in body_t if l["para"]["zone"] == "recipients_title"]
    has_nn = any(p["zone"] == "recipients_title" for p in paras)
    if has_nn and found(nn, "\"Nơi nhận:\" in the left half", True):
        l = nn[0]
        p = l["para"]
        problems = []
        if l["x1"] >= mid:
            problems.append(f"ends at x {l['x1']:.1f} mm, past the middle {mid:.1f}")
        o = ours_of(l)
        if o and max(abs(l["x0"] - o["x0"]), abs(l["base"] - o["base"])) > TOL:
            problems.append(f"at x {l['x0']:.1f} y {l['base']:.1f} mm, ours x {o['x0']:.1f} y {o['base']:.1f}")
        if p["row"] == "signature":
            first = firsts.get((p["rowno"], 1))
            if not first:
                problems.append("no signature beside it")
            elif first["page"] != l["page"] or abs(first["base"] - l["base"]) > LEVEL_TOL:
                problems.append(f"baseline {l['base']:.1f} mm, first signature line {first['base']:.1f} mm "
                                f"(page {l['page']} / {first['page']})")
            where = "level with the first signature line"
        else:
            above = [s for s in sig if s["k"] < l["k"]]
            if above and (above[-1]["page"], above[-1]["base"]) >= (l["page"], l["base"]):
                problems.append("not under the signatures")
            where = "under the signatures" if above else "after the text"
        out(not problems, f"{name}: \"Nơi nhận:\" in the left half, {where}", "; ".join(problems))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "styles":
        return cmd_styles(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "compare":
        return cmd_compare(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
