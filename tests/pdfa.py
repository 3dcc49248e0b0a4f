#!/usr/bin/env python3
"""Structural checks of PDF/A-2b (ISO 19005-2 level B) on one file.

    tests/pdfa.py FILE.pdf [-v]

No PDF/A validator is packaged in Debian, so these are the rules of
19005-2 that vanban's output could break, read back through qpdf's JSON
(qpdf --json=2, streams raw, Flate undone here) and fontTools; the
document says which rules are covered and which are not (docs/pdfa.md).
Prints "FAIL: CHECK: detail" for each broken rule ("ok: CHECK" too with
-v) and exits 1 when any is broken, 2 when the file cannot be read at all.
The check names are what tests/pdfa.sh looks for when it breaks a file
on purpose.
"""
import base64
import datetime
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

from fontTools.ttLib import TTFont

failures = []
verbose = False


def fail(check, detail):
    failures.append(check)
    print(f"FAIL: {check}: {detail}")


def ok(check):
    if verbose:
        print(f"ok: {check}")


# ---- reading qpdf's JSON ----

class Doc:
    def __init__(self, path):
        out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=none", path],
                             capture_output=True)
        # qpdf exits 3 for warnings, which the checks below report themselves
        if out.returncode not in (0, 3):
            raise SystemExit(f"FAIL: qpdf: cannot read {path}: {out.stderr.decode(errors='replace').strip()}")
        self.warnings = out.stderr.decode(errors="replace").strip() if out.returncode == 3 else ""
        j = json.loads(out.stdout)
        self.objs = j["qpdf"][1]
        self.trailer = self.objs["trailer"]["value"]

    def get(self, ref):
        """The value of a reference "N 0 R" (a stream: its {'dict':..., 'data':...}), else ref itself."""
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            o = self.objs.get("obj:" + ref)
            if o is None:
                return None
            return o["stream"] if "stream" in o else o["value"]
        return ref

    def is_stream(self, ref):
        o = self.get(ref)
        return isinstance(o, dict) and "dict" in o and "data" in o

    def data(self, ref):
        """A stream's data with its filters undone (only Flate is ever expected)."""
        s = self.get(ref)
        raw = base64.b64decode(s.get("data", ""))
        filt = s["dict"].get("/Filter")
        filters = filt if isinstance(filt, list) else [filt] if filt else []
        for f in filters:
            if f == "/FlateDecode":
                raw = zlib.decompress(raw)
            else:
                raise ValueError(f"filter {f} not undone here")
        return raw


def text(v):
    """A PDF string from qpdf's JSON ("u:..." text, "b:..." hex bytes) as str."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        if b[:2] == b"\xfe\xff":
            return b[2:].decode("utf-16-be")
        return b.decode("latin-1")
    return None


def pdf_date(s):
    """D:YYYYMMDDHHmmSS with Z or +HH'mm' (ISO 32000-1, 7.9.4) -> aware datetime; None without a zone."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|([+-])(\d\d)'(\d\d)'?)?", s or "")
    if not m or not m.group(7):
        return None
    tz = datetime.timezone.utc
    if m.group(7) != "Z":
        off = datetime.timedelta(hours=int(m.group(9)), minutes=int(m.group(10)))
        tz = datetime.timezone(off if m.group(8) == "+" else -off)
    return datetime.datetime(*(int(m.group(i)) for i in range(1, 7)), tzinfo=tz)


def xmp_date(s):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(Z|[+-]\d\d:\d\d)", s or "")
    if not m:
        return None
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def walk(v, path="", seen=None):
    """Every (path, key, value) of dictionaries under v, following no references."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield path, k, x
            yield from walk(x, path + k)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x, path + "[]")


NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}


def xmp_props(root):
    """Simple and first-item values of the properties of every rdf:Description."""
    props = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for k, v in desc.attrib.items():           # properties written as attributes
            props[k] = v
        for el in desc:
            li = el.find(f".//{{{NS['rdf']}}}li")
            if li is not None:
                items = el.findall(f".//{{{NS['rdf']}}}li")
                props[el.tag] = (li.text or "", len(items), li.get("{http://www.w3.org/XML/1998/namespace}lang"))
            else:
                props[el.tag] = el.text or ""
    return props


def q(prefix, name):
    return f"{{{NS[prefix]}}}{name}"


# ---- content streams ----

TOKEN = re.compile(rb"\s*(?:(\()|(<<|>>)|(<)|(\[|\])|(/[^\s/\[\]()<>{}%]*)|([^\s/\[\]()<>{}%]+)|(%[^\r\n]*))")


def tokens(data):
    """(kind, value) tokens of a content stream: 'str' (bytes), 'name', 'op' (or number), '[', ']'."""
    i, n = 0, len(data)
    while i < n:
        m = TOKEN.match(data, i)
        if not m or m.end() == i:
            i += 1
            continue
        if m.group(1):                              # literal string, with escapes and nesting
            j, depth, out = m.end(), 1, bytearray()
            while j < n and depth:
                c = data[j]
                if c == 0x5C and j + 1 < n:
                    e = data[j + 1]
                    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
                    if e in esc:
                        out.append(esc[e]); j += 2
                    elif 0x30 <= e <= 0x37:
                        k = j + 1
                        while k < n and k < j + 4 and 0x30 <= data[k] <= 0x37:
                            k += 1
                        out.append(int(data[j + 1:k], 8) & 255); j = k
                    elif e in (10, 13):
                        j += 2
                    else:
                        out.append(e); j += 2
                    continue
                if c == 0x28:
                    depth += 1
                elif c == 0x29:
                    depth -= 1
                    if not depth:
                        j += 1
                        break
                out.append(c); j += 1
            yield "str", bytes(out)
            i = j
        elif m.group(3):                            # hex string
            j = data.index(b">", m.end())
            h = re.sub(rb"\s", b"", data[m.end():j])
            yield "str", bytes.fromhex((h + b"0" * (len(h) % 2)).decode())
            i = j + 1
        else:
            if m.group(4):
                yield m.group(4).decode(), None
            elif m.group(5):
                yield "name", m.group(5).decode("latin-1")
            elif m.group(6):
                yield "op", m.group(6).decode("latin-1")
            i = m.end()


# ---- the checks ----

def check_file_bytes(raw):
    if re.match(rb"%PDF-1\.[0-7]\r?\n", raw) and raw.startswith(b"%PDF-1.7"):
        ok("header")
    else:
        fail("header", f"the file begins {raw[:9]!r}, not %PDF-1.7 and an end of line")
    m = re.match(rb"%PDF-1\.\d\r?\n%([^\r\n]*)\r?\n", raw)
    if m and sum(1 for c in m.group(1)[:4] if c > 127) == 4:
        ok("binary-comment")
    else:
        fail("binary-comment", "the second line is not a comment of four bytes above 127 (6.1.2)")
    if re.search(rb"%%EOF\r?\n?\Z", raw):
        ok("eof")
    else:
        fail("eof", "bytes after the last %%EOF (6.1.3)")


def check_trailer(doc):
    ids = doc.trailer.get("/ID")
    if isinstance(ids, list) and len(ids) == 2 and all(isinstance(x, str) and x[:2] in ("b:", "u:") for x in ids):
        ok("id")
    else:
        fail("id", f"the trailer has no /ID of two strings (6.1.3): {ids!r}")
    if "/Encrypt" in doc.trailer:
        fail("encrypt", "the trailer has /Encrypt (6.1.3)")


def check_metadata(doc, info):
    cat = doc.get(doc.trailer.get("/Root"))
    mref = cat.get("/Metadata") if isinstance(cat, dict) else None
    if not mref or not doc.is_stream(mref):
        fail("xmp", "the catalogue has no /Metadata stream (6.6.2.1)")
        return
    s = doc.get(mref)
    if s["dict"].get("/Type") != "/Metadata" or s["dict"].get("/Subtype") != "/XML":
        fail("xmp", f"the metadata stream is not /Type /Metadata /Subtype /XML: {s['dict']}")
    if "/Filter" in s["dict"]:
        fail("xmp", f"the metadata stream is filtered ({s['dict']['/Filter']}); vanban writes it plain")
    raw = base64.b64decode(s["data"])
    head = re.match(rb"<\?xpacket begin=\"(\xEF\xBB\xBF)?\" id=\"W5M0MpCehiHzreSzNTczkc9d\"\?>", raw)
    if not head or not re.search(rb"<\?xpacket end=\"[rw]\"\?>\s*\Z", raw):
        fail("xmp-packet", "no xpacket header without bytes/encoding, or no xpacket trailer (6.6.2.2)")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        fail("xmp-parse", f"the XMP is not well-formed XML: {e}")
        return
    ok("xmp")
    p = xmp_props(root)
    part, conf = p.get(q("pdfaid", "part")), p.get(q("pdfaid", "conformance"))
    if part == "2" and conf == "B":
        ok("pdfaid")
    else:
        fail("pdfaid", f"pdfaid:part {part!r}, pdfaid:conformance {conf!r}: not 2 and B")

    # 6.6.2.3.1: each entry of the information dictionary equals its XMP property
    pairs = [("/Title", q("dc", "title"), "alt"), ("/Author", q("dc", "creator"), "seq"),
             ("/Subject", q("dc", "description"), "alt"), ("/Keywords", q("pdf", "Keywords"), "simple"),
             ("/Creator", q("xmp", "CreatorTool"), "simple"), ("/Producer", q("pdf", "Producer"), "simple")]
    bad = []
    for key, prop, kind in pairs:
        iv = text(info.get(key)) if key in info else None
        xv = p.get(prop)
        if kind != "simple" and xv is not None:
            val, count, lang = xv
            if kind == "alt" and lang != "x-default":
                bad.append(f"{prop} has no x-default item")
            if kind == "seq" and count != 1:
                bad.append(f"{prop} has {count} items, Author one")
            xv = val
        if iv != xv:
            bad.append(f"Info {key} {iv!r} but XMP {prop.split('}')[1]} {xv!r}")
    for key, prop in (("/CreationDate", q("xmp", "CreateDate")), ("/ModDate", q("xmp", "ModifyDate"))):
        iv, xv = text(info.get(key)), p.get(prop)
        if iv is None and xv is None:
            continue
        di, dx = pdf_date(iv) if iv else None, xmp_date(xv) if xv else None
        if di is None or dx is None or di != dx:
            bad.append(f"Info {key} {iv!r} but XMP {prop.split('}')[1]} {xv!r}")
    if p.get(q("xmp", "CreateDate")) and not xmp_date(p.get(q("xmp", "MetadataDate"))):
        bad.append("dated, but no xmp:MetadataDate")
    for b in bad:
        fail("xmp-info", b)
    if not bad:
        ok("xmp-info")


def check_output_intent(doc):
    cat = doc.get(doc.trailer.get("/Root"))
    ois = [doc.get(x) for x in doc.get(cat.get("/OutputIntents", [])) or []]
    pdfa = [o for o in ois if isinstance(o, dict) and o.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        fail("output-intent", "no /OutputIntents entry with /S /GTS_PDFA1 (6.2.3)")
        return
    oi = pdfa[0]
    if "/OutputConditionIdentifier" not in oi:
        fail("output-intent", "the OutputIntent has no /OutputConditionIdentifier")
    prof = oi.get("/DestOutputProfile")
    if len({str(o.get("/DestOutputProfile")) for o in pdfa}) != 1:
        fail("output-intent", "OutputIntents with different profiles (6.2.3)")
    if not prof or not doc.is_stream(prof):
        fail("icc", "the OutputIntent has no /DestOutputProfile stream")
        return
    ok("output-intent")
    icc = doc.data(prof)
    n = doc.get(prof)["dict"].get("/N")
    size = int.from_bytes(icc[0:4], "big") if len(icc) >= 4 else 0
    problems = []
    if len(icc) < 132 or icc[36:40] != b"acsp":
        problems.append("no 'acsp' signature: not an ICC profile")
    else:
        if size != len(icc):
            problems.append(f"header size {size}, data {len(icc)} bytes")
        if icc[8] not in (2, 4):
            problems.append(f"ICC version {icc[8]}, PDF/A-2 takes 2 or 4")
        if icc[16:20] != b"RGB ":
            problems.append(f"colour space {icc[16:20]!r}, not 'RGB '")
        if icc[12:16] not in (b"mntr", b"prtr"):
            problems.append(f"class {icc[12:16]!r}, neither 'mntr' nor 'prtr'")
        if n != 3:
            problems.append(f"/N {n} for an RGB profile")
    for pr in problems:
        fail("icc", pr)
    if not problems:
        ok("icc")


def fonts_of(doc):
    """Every font dictionary reachable from the pages' resources: {ref: dict}."""
    found = {}
    for key, o in doc.objs.items():
        v = o.get("value")
        if isinstance(v, dict) and v.get("/Type") == "/Font":
            found[key[4:]] = v
    return found


def check_fonts(doc, used):
    """used: {type0 font ref: set of CIDs shown} from the content streams."""
    bad = 0
    fonts = fonts_of(doc)
    for ref, f in sorted(fonts.items()):
        sub = f.get("/Subtype")
        if sub == "/Type0":
            if "/ToUnicode" not in f:
                fail("tounicode", f"font {ref} has no /ToUnicode")
                bad += 1
            continue
        desc = doc.get(f.get("/FontDescriptor"))
        if not isinstance(desc, dict):
            fail("font-embedded", f"font {ref} ({sub}) has no font descriptor: not embedded (6.2.11.4.1)")
            bad += 1
            continue
        prog = next((desc[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in desc), None)
        if not prog or not doc.is_stream(prog):
            fail("font-embedded", f"font {ref} {f.get('/BaseFont')}: no FontFile, FontFile2 or FontFile3 (6.2.11.4.1)")
            bad += 1
            continue
        if sub != "/CIDFontType2":
            fail("font-kind", f"font {ref} is {sub}: these checks know only CIDFontType2")
            bad += 1
            continue
        tt = TTFont(io.BytesIO(doc.data(prog)))
        if tt["OS/2"].fsType & 0x0002:
            fail("font-license", f"font {ref}: OS/2 fsType {tt['OS/2'].fsType:#x} forbids embedding (6.2.11.4.1)")
            bad += 1
        upem = tt["head"].unitsPerEm
        order = tt.getGlyphOrder()
        hmtx = tt["hmtx"]
        cmap_ref = f.get("/CIDToGIDMap")
        if cmap_ref == "/Identity":
            gid_of = lambda cid: cid
        elif cmap_ref and doc.is_stream(cmap_ref):
            m = doc.data(cmap_ref)
            gid_of = lambda cid, m=m: int.from_bytes(m[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(m) else None
        else:
            fail("cidtogidmap", f"font {ref}: /CIDToGIDMap is neither /Identity nor a stream (6.2.11.3.2)")
            bad += 1
            continue
        if "/CIDSet" in desc:
            cs = doc.data(desc["/CIDSet"])
            for cid in range(len(order)):
                g = gid_of(cid)
                present = g is not None and g < len(order)
                if bool(cs[cid // 8] >> (7 - cid % 8) & 1 if cid // 8 < len(cs) else 0) != present:
                    fail("cidset", f"font {ref}: /CIDSet is wrong for CID {cid} (6.2.11.4.2)")
                    bad += 1
                    break
        widths = {}
        w = f.get("/W", [])
        i = 0
        while i < len(w):
            if isinstance(w[i + 1], list):
                for k, x in enumerate(w[i + 1]):
                    widths[w[i] + k] = x
                i += 2
            else:
                for c in range(w[i], w[i + 1] + 1):
                    widths[c] = w[i + 2]
                i += 3
        dw = f.get("/DW", 1000)
        parent = next((r for r, t0 in fonts.items() if t0.get("/Subtype") == "/Type0"
                       and ref in [str(x) for x in t0.get("/DescendantFonts", [])]), None)
        cids = set(widths) | used.get(parent, set())
        for cid in sorted(cids):
            g = gid_of(cid)
            if g is None or g >= len(order):
                fail("cidtogidmap", f"font {ref}: CID {cid} maps to no glyph of the program")
                bad += 1
                break
            if g == 0 and cid in used.get(parent, set()):
                fail("notdef", f"font {ref}: CID {cid} shown is .notdef (6.2.11.8)")
                bad += 1
                break
            prog_w = hmtx[order[g]][0] * 1000 / upem
            dict_w = widths.get(cid, dw)
            if abs(prog_w - dict_w) > 1:
                fail("font-widths", f"font {ref} {f.get('/BaseFont')}: CID {cid} (glyph {g}) /W {dict_w} "
                                    f"but the program {prog_w:.1f} (6.2.11.5)")
                bad += 1
                break
    if not fonts:
        fail("font-embedded", "no fonts at all (a document of vanban always has text)")
    elif not bad:
        ok("fonts")


def content_of(doc):
    """(where, owner, resources, content bytes, is_page) of every page, then of
    every form XObject a page or form uses and every annotation's appearance
    stream (a signature's text and images live there)."""
    root = doc.get(doc.trailer["/Root"])
    out = []
    seen = set()

    def forms(res, where):
        # the form XObjects of a resource dictionary, each once
        xo = doc.get(res.get("/XObject", {})) if isinstance(res, dict) else {}
        for name, ref in (xo or {}).items():
            form(ref, f"{where}, XObject {name}", res)

    def form(ref, where, parent_res):
        key = str(ref)
        if key in seen or not doc.is_stream(ref):
            return
        seen.add(key)
        s = doc.get(ref)
        if s["dict"].get("/Subtype") != "/Form":
            return
        res = doc.get(s["dict"].get("/Resources", parent_res))
        out.append((where, s["dict"], res, doc.data(ref), False))
        forms(res, where)

    def visit(node, inherited):
        node = doc.get(node)
        res = doc.get(node.get("/Resources", inherited))
        if node.get("/Type") == "/Pages":
            for k in node.get("/Kids", []):
                visit(k, res)
            return
        c = node.get("/Contents")
        refs = c if isinstance(c, list) else [c] if c else []
        num = sum(1 for x in out if x[4]) + 1
        out.append((f"page {num}", node, res, b"\n".join(doc.data(r) for r in refs), True))
        forms(res, f"page {num}")
        for a in doc.get(node.get("/Annots", [])) or []:
            ad = doc.get(a)
            ap = doc.get(ad.get("/AP", {})) if isinstance(ad, dict) else {}
            for kind, n in (ap or {}).items():
                streams = [n] if doc.is_stream(n) else list((doc.get(n) or {}).values()) if isinstance(doc.get(n), dict) else []
                for st in streams:
                    form(st, f"page {num}, annotation {a} {kind} appearance", None)

    visit(root["/Pages"], None)
    return out


def check_content(doc):
    used = {}
    colour_bad = []
    font_bad = []
    for where, owner, res, data, is_page in content_of(doc):
        fonts = doc.get(res.get("/Font", {})) if isinstance(res, dict) else {}
        fonts = fonts or {}
        cur = None
        stack = []
        for kind, v in tokens(data):
            if kind == "op":
                if v == "Tf" and stack and stack[0][0] == "name":
                    name = stack[0][1]
                    if name not in fonts:
                        # a font the resources do not define is one no reader has embedded
                        font_bad.append(f"{where}: text in font {name}, which its resources do not define (6.2.11.4.1)")
                    cur = str(fonts.get(name))
                    f = doc.get(fonts.get(name))
                    if isinstance(f, dict) and not embedded(doc, f):
                        font_bad.append(f"{where}: text in font {name} ({f.get('/BaseFont')}), not embedded (6.2.11.4.1)")
                elif v in ("k", "K"):
                    colour_bad.append(f"{where}: DeviceCMYK ({v}) without a CMYK OutputIntent (6.2.4.3)")
                elif v in ("cs", "CS") and stack and stack[-1][0] == "name" and \
                        stack[-1][1] not in ("/DeviceRGB", "/DeviceGray"):
                    colour_bad.append(f"{where}: colour space {stack[-1][1]} not checked here")
                elif v in ("Tj", "TJ", "'", '"'):
                    for s in (x for k2, x in stack if k2 == "str"):
                        used.setdefault(cur, set()).update(int.from_bytes(s[i:i + 2], "big")
                                                           for i in range(0, len(s) - 1, 2))
                if not re.fullmatch(r"[-+.\d]+", v):
                    stack = []
                    continue
            if kind == "]":
                continue
            stack.append((kind, v))
        for r in (doc.get(x) for x in (res.get("/ColorSpace", {}) or {}).values()) if isinstance(res, dict) else []:
            name = r[0] if isinstance(r, list) else r
            if name in ("/DeviceCMYK", "/DeviceN", "/Separation"):
                colour_bad.append(f"{where}: colour space resource {name}")
        if is_page and "/Group" in owner and doc.get(owner["/Group"]).get("/S") == "/Transparency":
            colour_bad.append(f"{where}: a transparency group (6.2.10: then /CS is needed; not written by vanban)")
    for c in colour_bad:
        fail("colour", c)
    for f in font_bad:
        fail("font-embedded", f)
    if not colour_bad:
        ok("colour")
    return used


def embedded(doc, f):
    """Whether a font dictionary's program is embedded (through its descendant for Type0)."""
    if f.get("/Subtype") == "/Type0":
        ds = doc.get(f.get("/DescendantFonts", [])) or []
        return bool(ds) and all(embedded(doc, doc.get(x) or {}) for x in ds)
    if f.get("/Subtype") == "/Type3":
        return True                     # glyphs are content streams
    desc = doc.get(f.get("/FontDescriptor"))
    return isinstance(desc, dict) and any(k in desc and doc.is_stream(desc[k])
                                          for k in ("/FontFile", "/FontFile2", "/FontFile3"))


FORBIDDEN_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript (6.6.1)", "/Encrypt": "encryption (6.1.3)",
                  "/AA": "additional actions (6.6.2)", "/EmbeddedFiles": "embedded files (not PDF/A-3)",
                  "/OPI": "OPI (6.2.9)", "/Alternates": "image alternates (6.2.8)",
                  "/PS": "PostScript XObjects (6.2.9)", "/NeedsRendering": "NeedsRendering (6.11)",
                  "/XFA": "XFA forms (6.4.2)", "/Perms": "permissions (6.1.12)"}
FORBIDDEN_NAMES = {"/LZWDecode": "LZW (6.1.7.2)", "/Crypt": "the Crypt filter (6.1.7.2)",
                   "/Launch": "Launch actions (6.5.1)", "/JavaScript": "JavaScript (6.6.1)",
                   "/ResetForm": "ResetForm (6.5.1)", "/ImportData": "ImportData (6.5.1)",
                   "/Sound": "sound (6.5.1)", "/Movie": "movies (6.5.1)", "/PostScript": "PostScript (6.2.9)"}


def check_forbidden(doc):
    bad = []
    for key, o in doc.objs.items():
        v = o["stream"]["dict"] if "stream" in o else o.get("value")
        for path, k, x in walk(v):
            if k in FORBIDDEN_KEYS:
                bad.append((("lzw" if k == "/LZWDecode" else "forbidden"), f"{key}: {k}: {FORBIDDEN_KEYS[k]}"))
            for name in (x if isinstance(x, list) else [x]):
                if isinstance(name, str) and name in FORBIDDEN_NAMES:
                    bad.append(("lzw" if name == "/LZWDecode" else "forbidden",
                                f"{key}: {k} {name}: {FORBIDDEN_NAMES[name]}"))
            # transparency beyond what 6.4 allows
            if k == "/SMask" and x != "/None" and "/Type" in v and v.get("/Type") == "/ExtGState":
                bad.append(("transparency", f"{key}: an ExtGState soft mask (6.4)"))
            if k == "/BM" and x not in ("/Normal", "/Compatible"):
                bad.append(("transparency", f"{key}: blend mode {x} (6.4)"))
        if isinstance(v, dict) and v.get("/Type") == "/Annot":
            flags = v.get("/F", 0)
            if not flags & 4 or flags & (1 | 2 | 32):
                bad.append(("annotations", f"{key}: annotation flags {flags}: print must be set, "
                                           "hidden, invisible and noview not (6.3.2)"))
            if v.get("/Subtype") in ("/Sound", "/Movie", "/Screen", "/3D", "/FileAttachment"):
                bad.append(("annotations", f"{key}: annotation {v.get('/Subtype')} (6.3.1)"))
    for check, detail in bad:
        fail(check, detail)
    if not bad:
        ok("forbidden")


def pages_of(doc):
    """Every page dictionary, in order."""
    out = []

    def visit(node):
        node = doc.get(node)
        if node.get("/Type") == "/Pages":
            for k in node.get("/Kids", []):
                visit(k)
        else:
            out.append(node)
    visit(doc.get(doc.trailer["/Root"])["/Pages"])
    return out


def check_annotations(doc):
    """6.3.2, 6.3.3, 6.4.1: every annotation of every page (also one without
    /Type) prints and is not hidden; has a normal appearance stream and no other
    (but Popup and Link, and one of zero size); a widget has no action; the
    form does not ask readers to make appearances."""
    bad = []
    for num, page in enumerate(pages_of(doc), 1):
        for ref in doc.get(page.get("/Annots", [])) or []:
            a = doc.get(ref)
            if not isinstance(a, dict):
                continue
            where = f"page {num}, annotation {ref} {a.get('/Subtype')} {text(a.get('/T')) or ''}".rstrip()
            flags = a.get("/F", 0)
            if not isinstance(flags, int) or not flags & 4 or flags & (1 | 2 | 32 | 256):
                bad.append(("annotations", f"{where}: flags {flags}: print must be set, invisible, hidden, "
                                           "noview and togglenoview not (6.3.2)"))
            rect = [x for x in doc.get(a.get("/Rect", [])) or []]
            sized = len(rect) == 4 and rect[0] != rect[2] and rect[1] != rect[3]
            ap = doc.get(a.get("/AP"))
            if a.get("/Subtype") in ("/Popup", "/Link"):
                pass
            elif ap is None:
                if sized:
                    bad.append(("annot-ap", f"{where}: no appearance dictionary /AP (6.3.3)"))
            elif not isinstance(ap, dict) or set(ap) != {"/N"}:
                bad.append(("annot-ap", f"{where}: /AP has {sorted(ap) if isinstance(ap, dict) else ap}, "
                                        "only /N allowed (6.3.3)"))
            else:
                btn = a.get("/FT") == "/Btn"
                n = ap["/N"]
                if not btn and not doc.is_stream(n):
                    bad.append(("annot-ap", f"{where}: /AP /N is not an appearance stream (6.3.3)"))
            if a.get("/Subtype") == "/Widget" and ("/A" in a or "/AA" in a):
                bad.append(("forms", f"{where}: a widget with an action (/A or /AA, 6.4.1)"))
    cat = doc.get(doc.trailer["/Root"])
    form = doc.get(cat.get("/AcroForm")) if isinstance(cat, dict) else None
    if isinstance(form, dict) and form.get("/NeedAppearances") is True:
        bad.append(("forms", "the form has /NeedAppearances true (6.4.1)"))
    for check, detail in bad:
        fail(check, detail)
    if not bad:
        ok("annotations")


IMAGE_FILTERS = {"/FlateDecode", "/DCTDecode", "/RunLengthDecode", "/CCITTFaxDecode", "/JBIG2Decode", "/JPXDecode"}


def check_images(doc):
    """6.2.8: every image XObject (a signature's or seal's too): no
    interpolation, a valid BitsPerComponent, a device colour space the RGB
    output intent covers, a soft mask that is a grey image, no rendering
    intent but the four of ISO 32000-1, a standard filter."""
    bad = []
    for key, o in doc.objs.items():
        if "stream" not in o:
            continue
        d = o["stream"]["dict"]
        if d.get("/Subtype") != "/Image":
            continue
        ref = key[4:]
        if d.get("/Interpolate") is True:
            bad.append(f"image {ref}: /Interpolate true (6.2.8)")
        if not d.get("/ImageMask") and d.get("/BitsPerComponent") not in (1, 2, 4, 8, 16) and \
                d.get("/Filter") != "/JPXDecode":
            bad.append(f"image {ref}: /BitsPerComponent {d.get('/BitsPerComponent')} (6.2.8)")
        cs = doc.get(d.get("/ColorSpace"))
        name = cs[0] if isinstance(cs, list) else cs
        if name in ("/DeviceCMYK", "/DeviceN", "/Separation"):
            bad.append(f"image {ref}: colour space {name} without a CMYK OutputIntent (6.2.4.3)")
        if d.get("/Intent") not in (None, "/AbsoluteColorimetric", "/RelativeColorimetric", "/Saturation",
                                    "/Perceptual"):
            bad.append(f"image {ref}: rendering intent {d.get('/Intent')} (6.2.5)")
        filt = d.get("/Filter")
        for f in filt if isinstance(filt, list) else [filt] if filt else []:
            if f not in IMAGE_FILTERS:
                bad.append(f"image {ref}: filter {f} (6.1.7.2)")
        if "/SMask" in d:
            m = doc.get(d["/SMask"])
            md = m.get("dict") if isinstance(m, dict) else None
            if not md or md.get("/Subtype") != "/Image" or md.get("/ColorSpace") != "/DeviceGray":
                bad.append(f"image {ref}: its /SMask is not a DeviceGray image (ISO 32000-1 11.6.5.3)")
    for b in bad:
        fail("images", b)
    if not bad:
        ok("images")


def der(b, i):
    """(tag, start of content, end of content) of the DER element at b[i]."""
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        if not 1 <= k <= 4:
            raise ValueError("indefinite or too long a length")
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    if i + n > len(b):
        raise ValueError("an element longer than the data")
    return tag, i, i + n


def der_children(b, start, end):
    out, i = [], start
    while i < end:
        t, s, e = der(b, i)
        out.append((t, s, e))
        i = e
    return out


SIGNED_DATA = bytes.fromhex("2a864886f70d010702")      # 1.2.840.113549.1.7.2


def cms_problem(c):
    """Why c (a signature's /Contents) is not a DER SignedData of one signer
    with its certificate (6.4.3), or None.  Zeros may pad it."""
    t, s, e = der(c, 0)
    if t != 0x30:
        return "not a DER SEQUENCE (ContentInfo)"
    if c[e:].strip(b"\0"):
        return "bytes other than zeros after the DER object"
    ci = der_children(c, s, e)
    if len(ci) < 2 or ci[0][0] != 0x06 or c[ci[0][1]:ci[0][2]] != SIGNED_DATA or ci[1][0] != 0xA0:
        return "not a ContentInfo of signedData"
    t, s2, e2 = der(c, ci[1][1])
    sd = der_children(c, s2, e2)
    if t != 0x30 or len(sd) < 4 or sd[0][0] != 0x02 or sd[1][0] != 0x31 or sd[2][0] != 0x30:
        return "not a SignedData"
    if not any(x[0] == 0xA0 and x[2] > x[1] for x in sd[3:]):
        return "no certificate (the signer's must be there)"
    if sd[-1][0] != 0x31:
        return "no signerInfos"
    n = len(der_children(c, sd[-1][1], sd[-1][2]))
    if n != 1:
        return f"{n} SignerInfos, one expected"
    return None


def check_signatures(doc, raw):
    """6.4.3: each signature's /ByteRange is the whole of its revision but
    its /Contents hex string, which is a DER PKCS#7/CMS SignedData of one
    signer with the certificate; a SubFilter PDF/A-2 knows; no digest
    references.  Returns how many signatures were seen."""
    bad = []
    sigs = []
    for key, o in doc.objs.items():
        v = o.get("value")
        if isinstance(v, dict) and (v.get("/Type") == "/Sig" or "/ByteRange" in v):
            sigs.append((key[4:], v))
    for ref, v in sigs:
        br = doc.get(v.get("/ByteRange"))
        if not (isinstance(br, list) and len(br) == 4 and all(isinstance(x, int) and x >= 0 for x in br)):
            bad.append(f"signature {ref}: /ByteRange {br!r} is not four integers")
            continue
        a0, a1, b0, b1 = br
        if a0 != 0 or not a1 < b0 <= len(raw) or b0 + b1 > len(raw) or raw[a1:a1 + 1] != b"<" or \
                raw[b0 - 1:b0] != b">" or re.search(rb"[^0-9A-Fa-f\s]", raw[a1 + 1:b0 - 1]):
            bad.append(f"signature {ref}: /ByteRange {br} does not leave out exactly the /Contents hex string")
            continue
        end = b0 + b1
        if not re.search(rb"%%EOF(\r\n|\n|\r)?\Z", raw[:end]) or \
                (raw[:end].endswith(b"%%EOF") and raw[end:end + 1] in (b"\r", b"\n")):
            bad.append(f"signature {ref}: /ByteRange ends at byte {end}, not at the end of a revision (its %%EOF)")
        c = bytes.fromhex(re.sub(rb"\s", b"", raw[a1 + 1:b0 - 1]).decode())
        try:
            why = cms_problem(c)
        except (ValueError, IndexError) as e:
            why = f"not DER: {e}"
        if why:
            bad.append(f"signature {ref}: /Contents {why}")
        if v.get("/SubFilter") not in ("/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161"):
            bad.append(f"signature {ref}: /SubFilter {v.get('/SubFilter')} (6.4.3)")
        for r in doc.get(v.get("/Reference", [])) or []:
            rd = doc.get(r)
            if isinstance(rd, dict) and set(rd) & {"/DigestLocation", "/DigestMethod", "/DigestValue"}:
                bad.append(f"signature {ref}: a /Reference with digest entries (6.4.3)")
    for b in bad:
        fail("signatures", b)
    if not bad and sigs:
        ok("signatures")
    return len(sigs)


def check_ids(raw):
    """14.4 of ISO 32000-1, 6.1.3: every revision's trailer (a trailer
    dictionary or a cross-reference stream's) keeps the first /ID string
    of the file's first revision: an update, a signature too, may change
    only the second."""
    firsts = []
    for m in re.finditer(rb"trailer\s*<<|/Type\s*/XRef\b", raw):
        seg = raw[m.start():m.start() + 4000]
        stop = re.search(rb"startxref|stream\r?\n", seg)
        seg = seg[:stop.start()] if stop else seg
        idm = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f\s]*)>", seg)
        if idm:
            firsts.append(re.sub(rb"\s", b"", idm.group(1)).upper())
    if len(set(firsts)) > 1:
        fail("id", f"the revisions' trailers differ in the first /ID string: {[f.decode() for f in firsts]}")
    elif firsts:
        ok("id-kept")


def check_limits(doc):
    """Implementation limits (6.1.13) on what the writer could make long."""
    bad = []
    for key, o in doc.objs.items():
        v = o["stream"]["dict"] if "stream" in o else o.get("value")
        for _, k, x in walk({"": v}):
            for s in (x if isinstance(x, list) else [x]):
                if isinstance(s, str) and s.startswith("/") and len(s.encode()) - 1 > 127:
                    bad.append(f"{key}: a name of {len(s.encode()) - 1} bytes (at most 127)")
                t = text(s) if isinstance(s, str) else None
                if t is not None and len(t.encode("utf-16-be")) + 2 > 32767:
                    bad.append(f"{key}: a string of more than 32767 bytes")
                if isinstance(s, int) and not -2**31 <= s < 2**31:
                    bad.append(f"{key}: the integer {s}")
    for b in bad:
        fail("limits", b)
    if not bad:
        ok("limits")


def check_gs(path):
    r = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-dPDFSTOPONERROR", "-sDEVICE=nullpage", path],
                       capture_output=True, text=True)
    msgs = (r.stdout + r.stderr).strip()
    if r.returncode != 0 or re.search(r"\*\*\*\*|Error", msgs):
        fail("gs", f"Ghostscript (exit {r.returncode}): {msgs[:400]}")
    else:
        ok("gs")


def main():
    global verbose
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    path = args[0]
    raw = open(path, "rb").read()
    check_file_bytes(raw)
    doc = Doc(path)
    if doc.warnings:
        fail("qpdf", doc.warnings[:400])
    info = doc.get(doc.trailer.get("/Info")) or {}
    used = {}

    def run(name, f, *a):
        # a file broken badly enough to upset a check is that check failing
        try:
            return f(*a)
        except Exception as e:          # noqa: BLE001
            fail(name, f"could not be checked: {type(e).__name__}: {e}")

    run("id", check_trailer, doc)
    run("xmp", check_metadata, doc, info)
    run("output-intent", check_output_intent, doc)
    used = run("colour", check_content, doc) or {}
    run("fonts", check_fonts, doc, used)
    run("forbidden", check_forbidden, doc)
    run("annotations", check_annotations, doc)
    run("images", check_images, doc)
    run("signatures", check_signatures, doc, raw)
    run("id", check_ids, raw)
    run("limits", check_limits, doc)
    run("gs", check_gs, path)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
