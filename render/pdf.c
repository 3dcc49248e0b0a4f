/* pdf.c — the PDF backend: lay the document out, then write every object
 * of the file ourselves through pdfobj.c (header, numbered objects,
 * streams, cross-reference table, trailer).  No PDF library: the fonts and
 * the page content were always ours, and the file structure is small
 * enough to own, so nothing here depends on a library's internals, and
 * later additions (incremental updates for signatures, XMP metadata) write
 * into a structure we control.
 *
 *  - Fonts.  Each face is subset with HarfBuzz (vb_font_subset) to the
 *    code points the document sets, and written as a Type0 font with
 *    Identity-H encoding over a CIDFontType2: CIDs 1..n are the face's code
 *    points in increasing order, so the CIDToGIDMap stream is 2(n+1) bytes,
 *    /W lists the n widths (whole units of 1/1000 em, as MuPDF reads only
 *    integers; the content stream places every word exactly all the same),
 *    /ToUnicode maps every CID back to its one code point, and FontFile2 is
 *    the subset.
 *  - Page content.  A line's words go into one TJ array with the pen
 *    moved exactly to each word's place, rules are "x y m x y l S":
 *    integer milli-points printed exactly, so positions are those of the
 *    layout to the thousandth of a point.
 *
 * Objects: 1 catalogue, 2 page tree, 3 information dictionary, then per
 * face its six objects, one resource dictionary shared by every page, and
 * per page the page and its content stream.
 *
 * Output is reproducible: /ID is a hash of the file, dates come from the
 * document (or SOURCE_DATE_EPOCH), subset tags are a hash of the face and
 * its code points, and object order follows the layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "layout.h"
#include "pdfobj.h"
#include "text.h"

#define BMP_WORDS (0x10000 / 64)

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
    uint32_t font;             /* the Type0 font's object number, 0 if unused */
} pdf_face;

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

/* Embed face k: subset, FontFile2, descriptor, CIDToGIDMap,
 * CIDFontType2 with its widths, ToUnicode and the Type0 font, whose
 * number goes into pf->font.  False, with a diagnostic, when subsetting
 * fails. */
static bool embed_face(vb_pdf_file *pf_file, const vb_fonts *fonts, vb_face k, pdf_face *pf,
                       vb_diag *d)
{
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

    uint32_t file = vb_pdf_obj_new(pf_file);
    char entries[48];
    snprintf(entries, sizeof entries, "/Length1 %zu", ttf.len);
    vb_pdf_stream(pf_file, file, entries, ttf.data, ttf.len);

    uint32_t desc = vb_pdf_obj_new(pf_file);
    vb_buf *o = vb_pdf_obj_begin(pf_file, desc);
    /* flags: 1 fixed pitch, 2 serif, 4 symbolic (the glyphs are not all in
     * the standard Latin set), 64 italic */
    int flags = 4 | (fd.fixed_pitch ? 1 : 0) | (fd.serif ? 2 : 0) | (fd.italic ? 64 : 0);
    /* StemV is not in TrueType; the usual estimate from the weight class */
    int32_t stemv = 50 + (fd.weight / 65) * (fd.weight / 65);
    vb_buf_printf(o, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] "
                  "/ItalicAngle ", name, flags,
                  (int)em_units(fd.bbox[0], fd.upem), (int)em_units(fd.bbox[1], fd.upem),
                  (int)em_units(fd.bbox[2], fd.upem), (int)em_units(fd.bbox[3], fd.upem));
    vb_pdf_milli(o, fd.italic_angle);
    vb_buf_printf(o, " /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %u 0 R >>",
                  (int)em_units(fd.ascent, fd.upem), (int)em_units(fd.descent, fd.upem),
                  (int)em_units(fd.cap_height, fd.upem), (int)stemv, (unsigned)file);
    vb_pdf_obj_end(pf_file);

    /* CIDToGIDMap: two bytes, big-endian, per CID from 0 */
    size_t maplen = 2 * (pf->n + 1);
    unsigned char *map = vb_xcalloc(maplen, 1);
    for (size_t i = 0; i < pf->n; i++) {
        map[2 * (i + 1)] = (unsigned char)(gids[i] >> 8);
        map[2 * (i + 1) + 1] = (unsigned char)(gids[i] & 0xFF);
    }
    uint32_t cidmap = vb_pdf_obj_new(pf_file);
    vb_pdf_stream(pf_file, cidmap, NULL, map, maplen);
    free(map);

    uint32_t cid = vb_pdf_obj_new(pf_file);
    o = vb_pdf_obj_begin(pf_file, cid);
    vb_buf_printf(o, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  "/FontDescriptor %u 0 R /CIDToGIDMap %u 0 R\n/W [1 [",
                  name, (unsigned)desc, (unsigned)cidmap);
    pf->w = vb_xmalloc((pf->n ? pf->n : 1) * sizeof *pf->w);
    for (size_t i = 0; i < pf->n; i++) {
        int32_t adv = vb_font_advance(fonts, k, pf->cps[i]);
        if (adv < 0) adv = vb_font_advance(fonts, k, 0x20);   /* U+00A0 as measured */
        pf->w[i] = (int64_t)em_units(adv, fd.upem) * 1000;
        if (i) vb_buf_putc(o, ' ');
        vb_pdf_milli(o, pf->w[i]);
    }
    vb_buf_puts(o, "]] >>");
    vb_pdf_obj_end(pf_file);

    tounicode_cmap(&b, pf->cps, pf->n);
    uint32_t tu = vb_pdf_obj_new(pf_file);
    vb_pdf_stream(pf_file, tu, NULL, b.data, b.len);

    pf->font = vb_pdf_obj_new(pf_file);
    o = vb_pdf_obj_begin(pf_file, pf->font);
    vb_buf_printf(o, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                  "/DescendantFonts [%u 0 R] /ToUnicode %u 0 R >>",
                  name, (unsigned)cid, (unsigned)tu);
    vb_pdf_obj_end(pf_file);
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
            if (target != pen) vb_pdf_milli(b, pen - target);
            vb_buf_putc(b, '(');
            pen = target + put_codes(b, pf, f->text);
            vb_buf_putc(b, ')');
            prev_end = end;
            continue;
        }
        if (in_tj) { vb_buf_puts(b, "] TJ\n"); in_tj = false; }
        if (!same_font) {
            vb_buf_printf(b, "/F%d ", (int)f->face + 1);
            vb_pdf_milli(b, f->size);
            vb_buf_puts(b, " Tf\n");
            cur_face = (int)f->face; cur_size = f->size;
        }
        vb_pdf_milli(b, x - tx);
        vb_buf_putc(b, ' ');
        vb_pdf_milli(b, y - ty);
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
            vb_pdf_milli(b, r->width);
            vb_buf_puts(b, " w\n");
            cur_width = r->width;
        }
        int64_t y = (int64_t)page_h - r->y;
        /* a vertical rule (table borders) runs from y down to y2 */
        int64_t y2 = r->y2 ? (int64_t)page_h - r->y2 : y;
        vb_pdf_milli(b, r->x1); vb_buf_putc(b, ' '); vb_pdf_milli(b, y); vb_buf_puts(b, " m ");
        vb_pdf_milli(b, r->x2); vb_buf_putc(b, ' '); vb_pdf_milli(b, y2); vb_buf_puts(b, " l S\n");
    }
    return true;
}

/* ---- PDF/A ---- */

/* A copy of s with the C0 controls XML 1.0 cannot hold (all but tab, LF
 * and CR) made spaces. */
static char *meta_clean(const char *s)
{
    char *c = vb_xstrdup(s);
    for (char *p = c; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') *p = ' ';
    return c;
}

/* s as XML character data; tab, LF and CR as references, which an XML
 * reader keeps as they are (a literal CR it would make LF). */
static void xml_text(vb_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': vb_buf_puts(b, "&amp;"); break;
        case '<': vb_buf_puts(b, "&lt;"); break;
        case '>': vb_buf_puts(b, "&gt;"); break;
        case '\t': vb_buf_puts(b, "&#9;"); break;
        case '\n': vb_buf_puts(b, "&#10;"); break;
        case '\r': vb_buf_puts(b, "&#13;"); break;
        default: vb_buf_putc(b, *s);
        }
    }
}

/* The XMP packet of a PDF/A-2b file (ISO 19005-2, 6.6): its PDF/A
 * identification, and the information dictionary's entries again, each as
 * the property 6.6.2.3 pairs it with (Title dc:title, Author dc:creator,
 * Subject dc:description, Keywords pdf:Keywords, Creator xmp:CreatorTool,
 * Producer pdf:Producer, the dates xmp:CreateDate and xmp:ModifyDate),
 * with the same text and the same instant.  No padding: later changes
 * (signatures) are incremental updates, never edits in place. */
static void xmp_packet(vb_buf *b, const char *title, const char *author, const char *subject,
                       const char *keywords, int64_t when)
{
    vb_buf_puts(b,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\"\n"
        "  xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
        "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "  xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        "  xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
        "<pdfaid:part>2</pdfaid:part>\n"
        "<pdfaid:conformance>B</pdfaid:conformance>\n"
        "<dc:format>application/pdf</dc:format>\n");
    if (title && *title) {
        vb_buf_puts(b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        xml_text(b, title);
        vb_buf_puts(b, "</rdf:li></rdf:Alt></dc:title>\n");
    }
    if (author && *author) {
        vb_buf_puts(b, "<dc:creator><rdf:Seq><rdf:li>");
        xml_text(b, author);
        vb_buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (subject && *subject) {
        vb_buf_puts(b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
        xml_text(b, subject);
        vb_buf_puts(b, "</rdf:li></rdf:Alt></dc:description>\n");
    }
    if (keywords && *keywords) {
        vb_buf_puts(b, "<pdf:Keywords>");
        xml_text(b, keywords);
        vb_buf_puts(b, "</pdf:Keywords>\n");
    }
    vb_buf_puts(b, "<pdf:Producer>vanban " VB_VERSION "</pdf:Producer>\n"
                   "<xmp:CreatorTool>vanban " VB_VERSION "</xmp:CreatorTool>\n");
    if (when > 0) {
        /* one instant, written as the information dictionary's (UTC) */
        static const char *const keys[] = { "CreateDate", "ModifyDate", "MetadataDate" };
        for (int i = 0; i < 3; i++) {
            vb_buf_printf(b, "<xmp:%s>", keys[i]);
            vb_pdf_date_iso(b, when);
            vb_buf_printf(b, "</xmp:%s>\n", keys[i]);
        }
    }
    vb_buf_puts(b, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

bool vb_pdf_icc_load(const char *path, vb_buf *out, vb_diag *d)
{
    char *data;
    size_t len;
    /* the profiles PDF/A asks for are a few kilobytes; 4 MB holds any sane one */
    if (!vb_read_file(path, 4u << 20, &data, &len, d)) return false;
    const unsigned char *p = (const unsigned char *)data;
    const char *why = NULL;
    uint32_t size = len >= 4 ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
    if (len < 132 || memcmp(p + 36, "acsp", 4)) why = "not an ICC profile (no 'acsp' signature at byte 36)";
    else if (size != len) why = "the size in its header is not the file's (a truncated or padded file)";
    else if (p[8] != 2 && p[8] != 4) why = "an ICC version other than 2 or 4, which PDF/A-2 does not take";
    else if (memcmp(p + 16, "RGB ", 4)) why = "not an RGB profile (PDF/A OutputIntent here must be RGB: "
                                              "the pages use DeviceGray and DeviceRGB)";
    else if (memcmp(p + 12, "mntr", 4) && memcmp(p + 12, "prtr", 4))
        why = "neither a display ('mntr') nor an output ('prtr') profile";
    if (why) {
        vb_error(d, VB_EXIT_INPUT, "%s: %s", path, why);
        free(data);
        return false;
    }
    vb_buf_free(out);
    out->data = data;
    out->len = len;
    out->cap = len + 1;
    return true;
}

/* ---- the document ---- */

/* ISO 32000-1, Annex C.2: readers take pages of 3 to 14,400 units a side. */
#define PDF_PAGE_MIN (3 * VB_PT)
#define PDF_PAGE_MAX (14400 * VB_PT)

/* Draw a laid-out document into a PDF; appends the file to out. */
static bool pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                             const vb_render_opts *opt, vb_buf *out, vb_diag *d)
{
    cpset *used = vb_xcalloc(VB_FACE_COUNT, sizeof *used);
    pdf_face faces[VB_FACE_COUNT] = { { 0 } };
    vb_buf content = { 0 };
    vb_pdf_file f = { 0 };
    uint32_t *kids = NULL;
    size_t out_len0 = out->len;
    bool ok = false;

    int32_t page_w = l->page_w > 0 ? l->page_w : doc && doc->style ? doc->style->page_w : 0;
    int32_t page_h = l->page_h > 0 ? l->page_h : doc && doc->style ? doc->style->page_h : 0;
    if (page_w <= 0 || page_h <= 0 || l->npages == 0) {
        vb_error(d, VB_EXIT_SYSTEM, "pdf: the layout has no pages");
        goto fail;
    }
    if (page_w < PDF_PAGE_MIN || page_h < PDF_PAGE_MIN || page_w > PDF_PAGE_MAX || page_h > PDF_PAGE_MAX) {
        vb_buf_puts(&content, "pdf: a page of ");
        vb_pdf_milli(&content, page_w);
        vb_buf_puts(&content, " x ");
        vb_pdf_milli(&content, page_h);
        vb_error(d, VB_EXIT_SYSTEM, "%s pt is outside the 3 to 14400 pt a side PDF readers take",
                 vb_buf_cstr(&content));
        goto fail;
    }

    /* 1. code points per face */
    for (size_t pi = 0; pi < l->npages; pi++) {
        const vb_page *pg = &l->pages[pi];
        for (size_t fi = 0; fi < pg->nfrags; fi++) {
            const vb_frag *fr = &pg->frags[fi];
            if ((unsigned)fr->face >= VB_FACE_COUNT) {
                vb_error(d, VB_EXIT_SYSTEM, "pdf: fragment with an invalid face %d", (int)fr->face);
                goto fail;
            }
            for (const char *s = fr->text; s && *s;) {
                int32_t scp;
                s += vb_utf8_next(s, &scp);
                uint32_t cp = (uint32_t)scp;
                if (cp > 0xFFFF) {
                    char ch[5] = { 0 };
                    vb_utf8_put((int32_t)cp, ch);
                    if (!vb_font_check(fonts, fr->face, ch, NULL, d)) goto fail;
                    vb_error(d, VB_EXIT_INPUT, "U+%04X '%s' is outside the Basic Multilingual Plane, "
                             "which the PDF writer cannot set", (unsigned)cp, ch);
                    goto fail;
                }
                cpset_add(&used[fr->face], cp);
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

    /* 2. catalogue, information dictionary and, for PDF/A, the XMP
     * metadata and the OutputIntent's profile */
    bool pdfa = opt && opt->pdfa;
    if (pdfa && (!opt->icc || !opt->icc_len)) {
        vb_error(d, VB_EXIT_SYSTEM, "pdf: PDF/A asked for without an ICC profile");
        goto fail;
    }
    if (pdfa) vb_pdf_file_begin_version(&f, out, "1.7");
    else vb_pdf_file_begin(&f, out);
    uint32_t catalog = vb_pdf_obj_new(&f), pages = vb_pdf_obj_new(&f), info = vb_pdf_obj_new(&f);
    uint32_t xmp_obj = pdfa ? vb_pdf_obj_new(&f) : 0, icc_obj = pdfa ? vb_pdf_obj_new(&f) : 0;
    vb_buf *o = vb_pdf_obj_begin(&f, catalog);
    vb_buf_printf(o, "<< /Type /Catalog /Pages %u 0 R", (unsigned)pages);
    if (pdfa)
        /* GTS_PDFA1 is the subtype PDF/A-1, -2 and -3 all name (19005-2, 6.2.3) */
        vb_buf_printf(o, " /Metadata %u 0 R\n/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
                      "/OutputConditionIdentifier (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) "
                      "/Info (sRGB IEC61966-2.1) /DestOutputProfile %u 0 R >>]",
                      (unsigned)xmp_obj, (unsigned)icc_obj);
    vb_buf_puts(o, " >>");
    vb_pdf_obj_end(&f);

    o = vb_pdf_obj_begin(&f, info);
    vb_buf_puts(o, "<< /Creator (vanban " VB_VERSION ") /Producer (vanban " VB_VERSION ")");
    int64_t when;
    if (!vb_source_date(&when)) when = doc ? doc->date : 0;
    if (when > 0) {
        size_t mark = o->len;
        vb_buf_puts(o, "\n/CreationDate ");
        if (vb_pdf_date(o, when)) {
            vb_buf_puts(o, " /ModDate ");
            vb_pdf_date(o, when);
        } else { o->len = mark; when = 0; }
    }
    struct { const char *key, *v; } items[] = {
        { "Title", doc ? doc->title : NULL }, { "Author", doc ? doc->author : NULL },
        { "Subject", doc ? doc->subject : NULL }, { "Keywords", doc ? doc->keywords : NULL },
    };
    enum { N_ITEMS = sizeof items / sizeof items[0] };
    /* PDF/A: the XML of the metadata cannot hold most C0 controls, and the
     * two copies must say the same: a space in both */
    char *clean[N_ITEMS] = { NULL };
    for (size_t i = 0; i < N_ITEMS; i++)
        if (items[i].v && *items[i].v) {
            if (pdfa) items[i].v = clean[i] = meta_clean(items[i].v);
            vb_buf_printf(o, "\n/%s ", items[i].key);
            vb_pdf_text(o, items[i].v);
        }
    vb_buf_puts(o, " >>");
    vb_pdf_obj_end(&f);

    if (pdfa) {
        content.len = 0;
        xmp_packet(&content, items[0].v, items[1].v, items[2].v, items[3].v, when);
        vb_pdf_stream_raw(&f, xmp_obj, "/Type /Metadata /Subtype /XML", content.data, content.len);
        vb_pdf_stream(&f, icc_obj, "/N 3", opt->icc, opt->icc_len);
    }
    for (size_t i = 0; i < N_ITEMS; i++) free(clean[i]);

    /* 3. fonts, and the resources every page shares */
    for (int k = 0; k < VB_FACE_COUNT; k++)
        if (faces[k].n && !embed_face(&f, fonts, (vb_face)k, &faces[k], d)) goto fail;
    uint32_t res = vb_pdf_obj_new(&f);
    o = vb_pdf_obj_begin(&f, res);
    vb_buf_puts(o, "<< /Font <<");
    for (int k = 0; k < VB_FACE_COUNT; k++)
        if (faces[k].font) vb_buf_printf(o, " /F%d %u 0 R", k + 1, (unsigned)faces[k].font);
    vb_buf_puts(o, " >> >>");
    vb_pdf_obj_end(&f);

    /* 4. pages */
    kids = vb_xmalloc(l->npages * sizeof *kids);
    for (size_t pi = 0; pi < l->npages; pi++) {
        content.len = 0;
        if (!page_content(&l->pages[pi], page_h, faces, &content, d)) goto fail;
        kids[pi] = vb_pdf_obj_new(&f);
        uint32_t c = vb_pdf_obj_new(&f);
        o = vb_pdf_obj_begin(&f, kids[pi]);
        vb_buf_printf(o, "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 ", (unsigned)pages);
        vb_pdf_milli(o, page_w);
        vb_buf_putc(o, ' ');
        vb_pdf_milli(o, page_h);
        vb_buf_printf(o, "] /Resources %u 0 R /Contents %u 0 R >>", (unsigned)res, (unsigned)c);
        vb_pdf_obj_end(&f);
        vb_pdf_stream(&f, c, NULL, content.data, content.len);
    }
    o = vb_pdf_obj_begin(&f, pages);
    vb_buf_puts(o, "<< /Type /Pages /Kids [");
    for (size_t pi = 0; pi < l->npages; pi++) vb_buf_printf(o, "%s%u 0 R", pi ? " " : "", (unsigned)kids[pi]);
    vb_buf_printf(o, "] /Count %zu >>", l->npages);
    vb_pdf_obj_end(&f);

    /* 5. cross-reference table and trailer */
    ok = vb_pdf_file_end(&f, catalog, info, d);

fail:
    if (!ok) out->len = out_len0;
    vb_pdf_file_free(&f);
    for (int k = 0; k < VB_FACE_COUNT; k++) {
        free(faces[k].cps);
        free(faces[k].w);
    }
    free(kids);
    free(used);
    vb_buf_free(&content);
    return ok;
}

bool vb_pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         const vb_render_opts *opt, vb_buf *out, vb_diag *d)
{
    return pdf_write_layout(l, doc, fonts, opt, out, d);
}

bool vb_pdf_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d)
{
    vb_layout *l = NULL;
    if (!vb_layout_run(doc, fonts, &l, d)) {
        if (l) vb_layout_free(l);
        return false;
    }
    bool ok = pdf_write_layout(l, doc, fonts, NULL, out, d);
    vb_layout_free(l);
    return ok;
}
