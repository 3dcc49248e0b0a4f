/* pdf.c — the PDF backend: lay the document out and draw the pages with
 * libharu (2.3.0).
 *
 * libharu is used without longjmp: its error handler only records the first
 * error in a context struct, and every call's status is checked; a failure
 * becomes one diagnostic "pdf: libharu error 0x%04X (detail %u)".
 *
 * libharu writes the file: header, catalogue, page tree, information
 * dictionary, every object and stream (Flate-compressed), cross-reference
 * table and trailer.  Two things we make ourselves with its object API,
 * because its own versions are slow or wrong for us:
 *
 *  - Fonts.  libharu 2.3.0's UTF-8 CID fonts look up all 65,536 BMP code
 *    points in the font and write a 128 KiB CIDToGIDMap for every font of
 *    every document (most of the time of a whole render went there), and
 *    its ToUnicode stream is not a valid ToUnicode CMap.  Here each face is
 *    subset with HarfBuzz (vb_font_subset) to the code points the document
 *    sets, and written as a Type0 font with Identity-H encoding over a
 *    CIDFontType2: CIDs 1..n are the face's code points in increasing
 *    order, so the CIDToGIDMap stream is 2(n+1) bytes, /W lists the n
 *    widths (whole units of 1/1000 em, as MuPDF reads only integers; the
 *    content stream places every word exactly all the same), /ToUnicode
 *    maps every CID back to its one code point, and FontFile2 is the subset.
 *  - Page content.  A line's words go into one TJ array with the pen
 *    moved exactly to each word's place, rules are "x y m x y l S":
 *    integer milli-points printed exactly, so positions are those of the
 *    layout to the thousandth of a point.
 *
 * Output is reproducible: no /ID (only written with encryption), dates come
 * from the document (or SOURCE_DATE_EPOCH), subset tags are a hash of the
 * face and its code points, and object order follows the layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <libdeflate.h>

#include "backend.h"
#include "layout.h"

#define BMP_WORDS (0x10000 / 64)

typedef struct pdf_ctx {
    HPDF_STATUS err;            /* first libharu error, 0 if none */
    HPDF_STATUS detail;
} pdf_ctx;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_ctx *c = user;
    if (c->err == 0) { c->err = error_no ? error_no : 0xFFFF; c->detail = detail_no; }
}

/* Record a libharu failure as the diagnostic (once). */
static void hpdf_fail(pdf_ctx *c, vb_diag *d, HPDF_STATUS st)
{
    if (c->err == 0) { c->err = st ? st : 0xFFFF; c->detail = 0; }
    vb_error(d, VB_EXIT_SYSTEM, "pdf: libharu error 0x%04X (detail %u)",
             (unsigned)c->err, (unsigned)c->detail);
}

/* Evaluate a libharu call; on failure report and jump to `fail`. */
#define HPDF_TRY(call) do { HPDF_STATUS st_ = (call); \
    if (st_ != HPDF_OK || ctx.err) { hpdf_fail(&ctx, d, st_); goto fail; } } while (0)
#define HPDF_NEED(ptr) do { if (!(ptr) || ctx.err) { hpdf_fail(&ctx, d, 0); goto fail; } } while (0)

/* ---- code point sets ---- */

typedef struct cpset {
    uint64_t w[BMP_WORDS];
    uint16_t rank[BMP_WORDS];  /* members below w[i]'s first (cpset_list sets it) */
    size_t n;
} cpset;

static void cpset_add(cpset *s, uint32_t cp)
{
    uint64_t bit = (uint64_t)1 << (cp & 63);
    if (!(s->w[cp >> 6] & bit)) { s->w[cp >> 6] |= bit; s->n++; }
}

/* The set as a sorted array (malloc'd); fills in the ranks for cid_of. */
static uint32_t *cpset_list(cpset *s)
{
    uint32_t *a = vb_xmalloc((s->n ? s->n : 1) * sizeof *a);
    size_t k = 0;
    for (uint32_t i = 0; i < BMP_WORDS; i++) {
        s->rank[i] = (uint16_t)k;
        for (uint64_t w = s->w[i]; w; w &= w - 1)
            a[k++] = i * 64 + (uint32_t)__builtin_ctzll(w);
    }
    return a;
}

/* CID of a code point of the face: its index in the sorted list + 1, or 0
 * when absent; in constant time, for every character of every page. */
static unsigned cid_of(const cpset *s, uint32_t cp)
{
    if (cp > 0xFFFF) return 0;
    uint64_t w = s->w[cp >> 6], bit = (uint64_t)1 << (cp & 63);
    if (!(w & bit)) return 0;
    return s->rank[cp >> 6] + (unsigned)__builtin_popcountll(w & (bit - 1)) + 1;
}

/* ---- numbers ---- */

/* v thousandths, printed exactly and shortest: 14000 -> "14", -1500 -> "-1.5" */
static void put_milli(vb_buf *b, int64_t v)
{
    /* by hand, not snprintf: a page has thousands of these, and snprintf
     * was most of the time of writing the page content */
    char tmp[32], *e = tmp + sizeof tmp, *q = e;
    bool neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int frac = (int)(u % 1000);
    u /= 1000;
    if (frac) {
        int digits = 3;
        while (frac % 10 == 0) { frac /= 10; digits--; }
        for (int k = 0; k < digits; k++) { *--q = (char)('0' + frac % 10); frac /= 10; }
        *--q = '.';
    }
    do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) *--q = '-';
    vb_buf_add(b, q, (size_t)(e - q));
}

/* font units -> glyph-space units (1/1000 em), rounded */
static int32_t em_units(int64_t units, int32_t upem)
{
    int64_t v = units * 1000;
    return (int32_t)(v >= 0 ? (v + upem / 2) / upem : -((-v + upem / 2) / upem));
}

/* ---- fonts ---- */

typedef struct pdf_face {
    const cpset *set;          /* the face's code points */
    uint32_t *cps;             /* the same, sorted; CID i+1 is cps[i] */
    size_t n;
    int64_t *w;                /* width of CID i+1 in 1/1,000,000 em (/W * 1000) */
    vb_buf wtext;              /* "/W [1 [...]]" written by the CIDFont's hook */
    HPDF_Dict font;            /* the Type0 font dictionary */
} pdf_face;

/* The widths as one line of text (dict->attr) rather than an array of a
 * few hundred libharu number objects per face. */
static HPDF_STATUS write_widths(HPDF_Dict dict, HPDF_Stream stream)
{
    return HPDF_Stream_WriteStr(stream, (const char *)dict->attr);
}

/* ---- streams ----
 * We compress streams ourselves, with libdeflate: libharu deflates with
 * zlib at level 6, and zlib took a third of a whole render even at level
 * 4; libdeflate makes the same zlib-format streams two to three times as
 * fast, a little smaller.  libharu then stores the bytes as they are
 * (filter NONE drops any /Filter key at write time), and the dictionary's
 * write hook adds the /Filter. */
/* Level 4, not 6: measured on 40 bench documents' streams, page content
 * deflates 38% faster for 3.7% more bytes, fonts 21% faster for 0.8%
 * more (a whole document: about 8% less time, 2% more bytes). */
#define PDF_DEFLATE_LEVEL 4

typedef struct pdf_w {
    HPDF_Doc pdf;
    struct libdeflate_compressor *z;   /* one per document */
    void *zbuf;
    size_t zcap;
} pdf_w;

static void pdf_w_free(pdf_w *w)
{
    if (w->z) libdeflate_free_compressor(w->z);
    free(w->zbuf);
}

static HPDF_STATUS write_flate_key(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Put data, deflated, into the stream dictionary s. */
static bool put_deflated(pdf_w *w, HPDF_Dict s, const void *data, size_t len)
{
    if (!w->z && !(w->z = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL))) vb_oom();
    size_t cap = libdeflate_zlib_compress_bound(w->z, len);
    if (cap > w->zcap) {
        w->zbuf = vb_xrealloc(w->zbuf, cap);
        w->zcap = cap;
    }
    size_t n = libdeflate_zlib_compress(w->z, data, len, w->zbuf, cap);
    if (n == 0) return false;
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_flate_key;
    return HPDF_Stream_Write(s->stream, w->zbuf, (HPDF_UINT)n) == HPDF_OK;
}

/* A new stream object holding data, deflated. */
static HPDF_Dict new_stream(pdf_w *w, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!s || !put_deflated(w, s, data, len)) return NULL;
    return s;
}

/* The ToUnicode CMap: CID i+1 -> cps[i].  Runs of consecutive code points
 * below U+0100 become bfrange lines when the CIDs do not cross a multiple
 * of 256 (only the last byte may count up); every other code point gets a
 * bfchar line: Ghostscript (10.0) misreads a bfrange whose destination is
 * above U+00FF, though the CMap rules allow it. */
static void tounicode_cmap(vb_buf *b, const uint32_t *cps, size_t n)
{
    vb_buf_puts(b,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    typedef struct { unsigned cid; uint32_t lo, hi; } run;
    run *runs = vb_xmalloc((n ? n : 1) * sizeof *runs);
    size_t nr = 0, nsingle = 0, nrange = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned cid = (unsigned)i + 1;
        if (nr && cps[i] < 0x100 && runs[nr - 1].hi + 1 == cps[i] && (runs[nr - 1].lo >> 8) == (cps[i] >> 8)
            && (runs[nr - 1].cid >> 8) == (cid >> 8))
            runs[nr - 1].hi = cps[i];
        else
            runs[nr++] = (run){ cid, cps[i], cps[i] };
    }
    for (size_t i = 0; i < nr; i++) *(runs[i].lo == runs[i].hi ? &nsingle : &nrange) += 1;
    for (int pass = 0; pass < 2; pass++) {
        size_t total = pass == 0 ? nsingle : nrange, done = 0, i = 0;
        while (done < total) {
            size_t chunk = total - done > 100 ? 100 : total - done;
            vb_buf_printf(b, "%zu %s\n", chunk, pass == 0 ? "beginbfchar" : "beginbfrange");
            for (size_t k = 0; k < chunk; i++) {
                bool single = runs[i].lo == runs[i].hi;
                if (single != (pass == 0)) continue;
                if (single)
                    vb_buf_printf(b, "<%04X> <%04X>\n", runs[i].cid, (unsigned)runs[i].lo);
                else
                    vb_buf_printf(b, "<%04X> <%04X> <%04X>\n", runs[i].cid,
                                  runs[i].cid + (unsigned)(runs[i].hi - runs[i].lo),
                                  (unsigned)runs[i].lo);
                k++;
            }
            vb_buf_puts(b, pass == 0 ? "endbfchar\n" : "endbfrange\n");
            done += chunk;
        }
    }
    vb_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    free(runs);
}

/* A subset tag: six capital letters from a hash of the face's name and its
 * code points (ISO 32000-1, 9.6.4), the same for the same document. */
static void subset_tag(const char *psname, const uint32_t *cps, size_t n, char tag[7])
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = psname; *p; p++) { h ^= (unsigned char)*p; h *= 1099511628211ULL; }
    for (size_t i = 0; i < n; i++) { h ^= cps[i]; h *= 1099511628211ULL; }
    for (int i = 0; i < 6; i++) { tag[i] = (char)('A' + h % 26); h /= 26; }
    tag[6] = 0;
}

/* A new dictionary that is an object of its own, with /Type and, when
 * given, /Subtype. */
static HPDF_Dict new_object(HPDF_Doc pdf, const char *type, const char *subtype)
{
    HPDF_Dict o = HPDF_Dict_New(pdf->mmgr);
    if (!o || HPDF_Xref_Add(pdf->xref, o) != HPDF_OK ||
        HPDF_Dict_AddName(o, "Type", type) != HPDF_OK ||
        (subtype && HPDF_Dict_AddName(o, "Subtype", subtype) != HPDF_OK))
        return NULL;
    return o;
}

/* Embed face k: subset, FontFile2, descriptor, CIDFontType2, ToUnicode and
 * the Type0 font.  False on failure: subsetting adds a diagnostic, a
 * libharu failure adds none (the caller reports it). */
static bool embed_face(pdf_w *w, const vb_fonts *fonts, vb_face k, pdf_face *pf, vb_diag *d)
{
    HPDF_Doc pdf = w->pdf;
    HPDF_MMgr mm = pdf->mmgr;
    vb_buf ttf = { 0 }, b = { 0 };
    uint16_t *gids = vb_xmalloc((pf->n ? pf->n : 1) * sizeof *gids);
    bool ok = false;
    if (!vb_font_subset(fonts, k, pf->cps, pf->n, &ttf, gids, d)) goto out;

    vb_font_desc fd;
    vb_font_describe(fonts, k, &fd);
    const char *ps = vb_fonts_psname(fonts, k);
    char tag[7];
    subset_tag(ps, pf->cps, pf->n, tag);
    char name[160];
    snprintf(name, sizeof name, "%s+%.120s", tag, *ps ? ps : "Font");
    for (char *c = name; *c; c++)            /* keep the name a plain PDF name */
        if (*c <= ' ' || *c >= 0x7F || strchr("()<>[]{}/%#", *c)) *c = '-';

    HPDF_Dict file = new_stream(w, ttf.data, ttf.len);
    if (!file || HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)ttf.len) != HPDF_OK) goto out;

    HPDF_Dict desc = new_object(pdf, "FontDescriptor", NULL);
    if (!desc) goto out;
    /* flags: 1 fixed pitch, 2 serif, 4 symbolic (the glyphs are not all in
     * the standard Latin set), 64 italic */
    HPDF_INT32 flags = 4 | (fd.fixed_pitch ? 1 : 0) | (fd.serif ? 2 : 0) | (fd.italic ? 64 : 0);
    HPDF_Array bbox = HPDF_Array_New(mm);
    if (!bbox) goto out;
    /* StemV is not in TrueType; the usual estimate from the weight class */
    int32_t stemv = 50 + (fd.weight / 65) * (fd.weight / 65);
    if (HPDF_Dict_AddName(desc, "FontName", name) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Flags", flags) != HPDF_OK ||
        HPDF_Dict_Add(desc, "FontBBox", bbox) != HPDF_OK ||
        HPDF_Array_AddNumber(bbox, em_units(fd.bbox[0], fd.upem)) != HPDF_OK ||
        HPDF_Array_AddNumber(bbox, em_units(fd.bbox[1], fd.upem)) != HPDF_OK ||
        HPDF_Array_AddNumber(bbox, em_units(fd.bbox[2], fd.upem)) != HPDF_OK ||
        HPDF_Array_AddNumber(bbox, em_units(fd.bbox[3], fd.upem)) != HPDF_OK ||
        HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)(fd.italic_angle / 1000.0)) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Ascent", em_units(fd.ascent, fd.upem)) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "Descent", em_units(fd.descent, fd.upem)) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "CapHeight", em_units(fd.cap_height, fd.upem)) != HPDF_OK ||
        HPDF_Dict_AddNumber(desc, "StemV", stemv) != HPDF_OK ||
        HPDF_Dict_Add(desc, "FontFile2", file) != HPDF_OK)
        goto out;

    /* CIDToGIDMap: two bytes, big-endian, per CID from 0 */
    size_t maplen = 2 * (pf->n + 1);
    unsigned char *map = vb_xcalloc(maplen, 1);
    for (size_t i = 0; i < pf->n; i++) {
        map[2 * (i + 1)] = (unsigned char)(gids[i] >> 8);
        map[2 * (i + 1) + 1] = (unsigned char)(gids[i] & 0xFF);
    }
    HPDF_Dict cidmap = new_stream(w, map, maplen);
    free(map);
    if (!cidmap) goto out;

    HPDF_Dict cid = new_object(pdf, "Font", "CIDFontType2");
    HPDF_Dict sysinfo = HPDF_Dict_New(mm);
    if (!cid || !sysinfo) goto out;
    if (HPDF_Dict_AddName(cid, "BaseFont", name) != HPDF_OK ||
        HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo) != HPDF_OK ||
        HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL)) != HPDF_OK ||
        HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL)) != HPDF_OK ||
        HPDF_Dict_AddNumber(sysinfo, "Supplement", 0) != HPDF_OK ||
        HPDF_Dict_Add(cid, "FontDescriptor", desc) != HPDF_OK ||
        HPDF_Dict_Add(cid, "CIDToGIDMap", cidmap) != HPDF_OK)
        goto out;
    pf->w = vb_xmalloc((pf->n ? pf->n : 1) * sizeof *pf->w);
    vb_buf_puts(&pf->wtext, "/W [1 [");
    for (size_t i = 0; i < pf->n; i++) {
        int32_t adv = vb_font_advance(fonts, k, pf->cps[i]);
        if (adv < 0) adv = vb_font_advance(fonts, k, 0x20);   /* U+00A0 as measured */
        pf->w[i] = (int64_t)em_units(adv, fd.upem) * 1000;
        if (i) vb_buf_putc(&pf->wtext, ' ');
        put_milli(&pf->wtext, pf->w[i]);
    }
    vb_buf_puts(&pf->wtext, "]]\012");
    cid->attr = (void *)vb_buf_cstr(&pf->wtext);
    cid->write_fn = write_widths;

    tounicode_cmap(&b, pf->cps, pf->n);
    HPDF_Dict tu = new_stream(w, b.data, b.len);
    if (!tu) goto out;

    HPDF_Dict t0 = new_object(pdf, "Font", "Type0");
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    if (!t0 || !desc_fonts) goto out;
    if (HPDF_Dict_AddName(t0, "BaseFont", name) != HPDF_OK ||
        HPDF_Dict_AddName(t0, "Encoding", "Identity-H") != HPDF_OK ||
        HPDF_Dict_Add(t0, "DescendantFonts", desc_fonts) != HPDF_OK ||
        HPDF_Array_Add(desc_fonts, cid) != HPDF_OK ||
        HPDF_Dict_Add(t0, "ToUnicode", tu) != HPDF_OK)
        goto out;
    pf->font = t0;
    ok = true;
out:
    free(gids);
    vb_buf_free(&ttf);
    vb_buf_free(&b);
    return ok;
}

/* ---- page content ---- */

/* Append the two-byte codes of text to a literal string: ( ) \ are
 * syntax, and a reader would turn a bare CR into LF.  Returns the advance
 * in 1/1,000,000 em. */
static int64_t put_codes(vb_buf *b, const pdf_face *pf, const char *text)
{
    int64_t adv = 0;
    size_t n = strlen(text);
    /* at most 4 bytes a code point (two, each escaped): room made once,
     * then written straight into the buffer */
    if (b->len + 4 * n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + 4 * n + 1) cap *= 2;
        b->data = vb_xrealloc(b->data, cap);
        b->cap = cap;
    }
    char *o = b->data + b->len;
    for (const char *s = text; *s;) {
        int32_t cp;
        if ((unsigned char)*s < 0x80) cp = *s++;
        else s += vb_utf8_next(s, &cp);
        unsigned cid = cid_of(pf->set, (uint32_t)cp);
        if (cid) adv += pf->w[cid - 1];
        for (int sh = 8; sh >= 0; sh -= 8) {
            unsigned char c = (unsigned char)(cid >> sh);
            if (c == '(' || c == ')' || c == '\\') { *o++ = '\\'; *o++ = (char)c; }
            else if (c == '\r') { *o++ = '\\'; *o++ = 'r'; }
            else *o++ = (char)c;
        }
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = 0;
    return adv;
}

/* The content stream of one page.  y grows downwards in the layout and
 * upwards in PDF.  The words of a line in one face and size share one TJ
 * array; the number before a word moves the pen from where the previous
 * word ended to where the layout put this one.  Pen positions are kept in
 * units of size/1,000,000 pt (the unit of those numbers and of /W), so
 * every word lands within a millionth of a point of its place. */
static bool page_content(const vb_page *pg, int32_t page_h, const pdf_face *faces,
                         vb_buf *b, vb_diag *d)
{
    bool in_text = false, in_tj = false;
    int cur_face = -1;
    int32_t cur_size = -1;
    int64_t tx = 0, ty = 0;                /* origin of the current text line */
    int64_t pen = 0;                       /* pen from tx, in size/1e6 pt */
    int32_t prev_end = 0;                  /* where the last fragment's own width ends, mpt */
    for (size_t fi = 0; fi < pg->nfrags; fi++) {
        const vb_frag *f = &pg->frags[fi];
        if (!f->text || !*f->text) continue;
        if (f->size <= 0) {
            vb_error(d, VB_EXIT_SYSTEM, "pdf: fragment with an invalid size %d", (int)f->size);
            return false;
        }
        if (!in_text) { vb_buf_puts(b, "BT\n"); in_text = true; tx = ty = 0; }
        int32_t end = f->x + f->width;
        bool same_font = (int)f->face == cur_face && f->size == cur_size;
        int64_t x = f->x, y = (int64_t)page_h - f->y;
        int64_t num = (x - tx) * 1000000, target = num >= 0
            ? (num + f->size / 2) / f->size : -((-num + f->size / 2) / f->size);
        const pdf_face *pf = &faces[f->face];
        /* the pen may also go back, into the trailing space of the word
         * before, when total fit set that space narrower than natural: as
         * long as the words do not overlap */
        if (in_tj && same_font && y == ty && (target >= pen || f->x >= prev_end)) {
            if (target != pen) put_milli(b, pen - target);
            vb_buf_putc(b, '(');
            pen = target + put_codes(b, pf, f->text);
            vb_buf_putc(b, ')');
            prev_end = end;
            continue;
        }
        if (in_tj) { vb_buf_puts(b, "] TJ\n"); in_tj = false; }
        if (!same_font) {
            vb_buf_printf(b, "/F%d ", (int)f->face + 1);
            put_milli(b, f->size);
            vb_buf_puts(b, " Tf\n");
            cur_face = (int)f->face; cur_size = f->size;
        }
        put_milli(b, x - tx);
        vb_buf_putc(b, ' ');
        put_milli(b, y - ty);
        vb_buf_puts(b, " Td [(");
        tx = x; ty = y;
        pen = put_codes(b, pf, f->text);
        vb_buf_putc(b, ')');
        prev_end = end;
        in_tj = true;
    }
    if (in_tj) vb_buf_puts(b, "] TJ\n");
    if (in_text) vb_buf_puts(b, "ET\n");
    int32_t cur_width = -1;
    for (size_t ri = 0; ri < pg->nrules; ri++) {
        const vb_line_seg *r = &pg->rules[ri];
        if (r->width != cur_width) {
            put_milli(b, r->width);
            vb_buf_puts(b, " w\n");
            cur_width = r->width;
        }
        int64_t y = (int64_t)page_h - r->y;
        put_milli(b, r->x1); vb_buf_putc(b, ' '); put_milli(b, y); vb_buf_puts(b, " m ");
        put_milli(b, r->x2); vb_buf_putc(b, ' '); put_milli(b, y); vb_buf_puts(b, " l S\n");
    }
    return true;
}

/* ---- the document ---- */

static HPDF_Date unix_to_date(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    HPDF_Date dt = { 1970, 1, 1, 0, 0, 0, 'Z', 0, 0 };
    if (gmtime_r(&tt, &tm) && tm.tm_year + 1900 >= 1 && tm.tm_year + 1900 <= 9999) {
        dt.year = tm.tm_year + 1900; dt.month = tm.tm_mon + 1; dt.day = tm.tm_mday;
        dt.hour = tm.tm_hour; dt.minutes = tm.tm_min; dt.seconds = tm.tm_sec;
    }
    return dt;
}

static inline HPDF_REAL pt(int32_t v) { return (HPDF_REAL)(v / 1000.0); }

/* A text string for the information dictionary: UTF-16BE with its byte
 * order mark (written by libharu as a hex string), so any Vietnamese title
 * reads back exactly; libharu's own UTF-8 encoder would cost a 65,536-entry
 * table per document for four short strings. */
static void utf16_text(vb_buf *b, const char *s)
{
    b->len = 0;
    vb_buf_add(b, "\xFE\xFF", 2);
    while (*s) {
        int32_t cp;
        s += vb_utf8_next(s, &cp);
        unsigned u[2];
        int n = 1;
        if (cp >= 0x10000) {
            u[0] = 0xD800 + (((unsigned)cp - 0x10000) >> 10);
            u[1] = 0xDC00 + (((unsigned)cp - 0x10000) & 0x3FF);
            n = 2;
        } else u[0] = (unsigned)cp;
        for (int i = 0; i < n; i++) {
            char two[2] = { (char)(u[i] >> 8), (char)(u[i] & 0xFF) };
            vb_buf_add(b, two, 2);
        }
    }
}

/* Draw a laid-out document into a PDF; appends the file to out. */
static bool pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                             vb_buf *out, vb_diag *d)
{
    pdf_ctx ctx = { 0, 0 };
    HPDF_Doc pdf = NULL;
    cpset *used = vb_xcalloc(VB_FACE_COUNT, sizeof *used);
    pdf_face faces[VB_FACE_COUNT] = { { 0 } };
    vb_buf content = { 0 };
    pdf_w w = { 0 };
    size_t out_len0 = out->len;
    bool ok = false;

    int32_t page_w = l->page_w > 0 ? l->page_w : doc && doc->style ? doc->style->page_w : 0;
    int32_t page_h = l->page_h > 0 ? l->page_h : doc && doc->style ? doc->style->page_h : 0;
    if (page_w <= 0 || page_h <= 0 || l->npages == 0) {
        vb_error(d, VB_EXIT_SYSTEM, "pdf: the layout has no pages");
        goto fail;
    }

    /* 1. code points per face */
    for (size_t pi = 0; pi < l->npages; pi++) {
        const vb_page *pg = &l->pages[pi];
        for (size_t fi = 0; fi < pg->nfrags; fi++) {
            const vb_frag *f = &pg->frags[fi];
            if ((unsigned)f->face >= VB_FACE_COUNT) {
                vb_error(d, VB_EXIT_SYSTEM, "pdf: fragment with an invalid face %d", (int)f->face);
                goto fail;
            }
            for (const char *s = f->text; s && *s;) {
                int32_t scp;
                s += vb_utf8_next(s, &scp);
                uint32_t cp = (uint32_t)scp;
                if (cp > 0xFFFF) {
                    char ch[5] = { 0 };
                    vb_utf8_put((int32_t)cp, ch);
                    if (!vb_font_check(fonts, f->face, ch, NULL, d)) goto fail;
                    vb_error(d, VB_EXIT_INPUT, "U+%04X '%s' is outside the Basic Multilingual Plane, "
                             "which the PDF writer cannot set", (unsigned)cp, ch);
                    goto fail;
                }
                cpset_add(&used[f->face], cp);
            }
        }
    }
    for (int k = 0; k < VB_FACE_COUNT; k++) {
        if (!used[k].n) continue;
        faces[k].cps = cpset_list(&used[k]);
        faces[k].set = &used[k];
        faces[k].n = used[k].n;
        for (size_t i = 0; i < faces[k].n; i++)
            if (vb_font_advance(fonts, (vb_face)k, faces[k].cps[i]) < 0) {
                char ch[5] = { 0 };
                vb_utf8_put((int32_t)faces[k].cps[i], ch);
                if (!vb_font_check(fonts, (vb_face)k, ch, NULL, d)) goto fail;
            }
    }

    /* 2. the document */
    pdf = HPDF_New(on_hpdf_error, &ctx);
    HPDF_NEED(pdf);
    w.pdf = pdf;

    for (int k = 0; k < VB_FACE_COUNT; k++) {
        if (!faces[k].n) continue;
        size_t n0 = d->n;
        if (!embed_face(&w, fonts, (vb_face)k, &faces[k], d)) {
            if (d->n == n0) hpdf_fail(&ctx, d, 0);
            goto fail;
        }
    }

    /* the information dictionary; ASCII first, which makes pdf->info */
    HPDF_TRY(HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "vanban " VB_VERSION));
    int64_t when;
    if (!vb_source_date(&when)) when = doc ? doc->date : 0;
    if (when > 0) {
        HPDF_Date dt = unix_to_date(when);
        HPDF_TRY(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt));
        HPDF_TRY(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt));
    }
    if (doc) {
        HPDF_NEED(pdf->info);
        struct { const char *key, *v; } info[] = {
            { "Title", doc->title }, { "Author", doc->author },
            { "Subject", doc->subject }, { "Keywords", doc->keywords },
        };
        for (size_t i = 0; i < sizeof info / sizeof info[0]; i++)
            if (info[i].v && *info[i].v) {
                utf16_text(&content, info[i].v);
                HPDF_TRY(HPDF_Dict_Add(pdf->info, info[i].key,
                                       HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)content.data,
                                                       (HPDF_UINT)content.len)));
            }
    }

    /* 3. pages */
    for (size_t pi = 0; pi < l->npages; pi++) {
        const vb_page *pg = &l->pages[pi];
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_NEED(page);
        HPDF_TRY(HPDF_Page_SetWidth(page, pt(page_w)));
        HPDF_TRY(HPDF_Page_SetHeight(page, pt(page_h)));
        HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
        HPDF_NEED(res);
        HPDF_Dict fontres = HPDF_Dict_New(pdf->mmgr);
        HPDF_NEED(fontres);
        HPDF_TRY(HPDF_Dict_Add(res, "Font", fontres));
        for (int k = 0; k < VB_FACE_COUNT; k++)
            if (faces[k].font) {
                char key[8];
                snprintf(key, sizeof key, "F%d", k + 1);
                HPDF_TRY(HPDF_Dict_Add(fontres, key, faces[k].font));
            }
        content.len = 0;
        if (!page_content(pg, page_h, faces, &content, d)) goto fail;
        HPDF_Dict contents = HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_DICT);
        HPDF_NEED(contents && contents->stream);
        if (!put_deflated(&w, contents, content.data, content.len)) HPDF_NEED(NULL);
    }

    /* 4. save and copy out */
    HPDF_TRY(HPDF_SaveToStream(pdf));
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    HPDF_NEED(size);
    HPDF_TRY(HPDF_ResetStream(pdf));
    HPDF_UINT32 got = 0;
    while (got < size) {
        HPDF_BYTE chunk[8192];
        HPDF_UINT32 n = size - got < sizeof chunk ? size - got : (HPDF_UINT32)sizeof chunk;
        HPDF_STATUS st = HPDF_ReadFromStream(pdf, chunk, &n);
        if (n > 0) { vb_buf_add(out, chunk, n); got += n; }
        if (st == HPDF_STREAM_EOF && got == size) { ctx.err = 0; break; }
        if (st != HPDF_OK || n == 0) { hpdf_fail(&ctx, d, st); goto fail; }
    }
    ok = true;

fail:
    if (!ok) out->len = out_len0;
    if (pdf) HPDF_Free(pdf);
    pdf_w_free(&w);
    for (int k = 0; k < VB_FACE_COUNT; k++) {
        free(faces[k].cps);
        free(faces[k].w);
        vb_buf_free(&faces[k].wtext);
    }
    free(used);
    vb_buf_free(&content);
    return ok;
}

/* Exposed for the unit test only (no header declares it). */
bool vb_pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         vb_buf *out, vb_diag *d);
bool vb_pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         vb_buf *out, vb_diag *d)
{
    return pdf_write_layout(l, doc, fonts, out, d);
}

bool vb_pdf_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d)
{
    vb_layout *l = NULL;
    if (!vb_layout_run(doc, fonts, &l, d)) {
        if (l) vb_layout_free(l);
        return false;
    }
    bool ok = pdf_write_layout(l, doc, fonts, out, d);
    vb_layout_free(l);
    return ok;
}
