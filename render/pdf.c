/* pdf.c — the PDF backend: lay the document out and draw the pages with
 * libharu (2.3.0).
 *
 * libharu is used without longjmp: its error handler only records the first
 * error in a context struct, and every call's status is checked; a failure
 * becomes one diagnostic "pdf: libharu error 0x%04X (detail %u)".
 *
 * Fonts: the code points set in each face are collected over all pages, the
 * face is subset with HarfBuzz (vb_font_subset) and the subset loaded into
 * libharu as an embedded CID TrueType font with the UTF-8 encoder, so text
 * is Unicode.  libharu 2.3.0 can only load TrueType from a file: the subset
 * goes to a private mkstemp file that is unlinked as soon as libharu has
 * opened it (it keeps the FILE open and reads the glyphs at save time).
 *
 * libharu 2.3.0 writes, as the ToUnicode map of a UTF-8 font, a copy of its
 * encoding CMap ("begincidrange", not valid in a ToUnicode stream; poppler
 * warns).  With that encoder a character's CID is its UTF-16 code, so we
 * replace the stream's content with a proper bfchar/bfrange ToUnicode CMap
 * of the code points used.
 *
 * Output is reproducible: no /ID (only written with encryption), dates come
 * from the document (or SOURCE_DATE_EPOCH), and object order follows the
 * layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

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

typedef struct cpset { uint64_t w[BMP_WORDS]; size_t n; } cpset;

static void cpset_add(cpset *s, uint32_t cp)
{
    uint64_t bit = (uint64_t)1 << (cp & 63);
    if (!(s->w[cp >> 6] & bit)) { s->w[cp >> 6] |= bit; s->n++; }
}

/* The set as a sorted array (malloc'd). */
static uint32_t *cpset_list(const cpset *s)
{
    uint32_t *a = vb_xmalloc((s->n ? s->n : 1) * sizeof *a);
    size_t k = 0;
    for (uint32_t i = 0; i < BMP_WORDS; i++)
        for (uint64_t w = s->w[i]; w; w &= w - 1)
            a[k++] = i * 64 + (uint32_t)__builtin_ctzll(w);
    return a;
}

/* ---- fonts ---- */

/* Write the subset to a private temporary file, have libharu load it
 * (embedded) and unlink it again.  No file survives this function. */
static const char *load_subset(HPDF_Doc pdf, const vb_buf *ttf, vb_diag *d, bool *hpdf_failed)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char path[4096];
    if (snprintf(path, sizeof path, "%s/vanban-font-XXXXXX", dir) >= (int)sizeof path) {
        vb_error(d, VB_EXIT_SYSTEM, "pdf: TMPDIR path too long");
        return NULL;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        vb_error(d, VB_EXIT_SYSTEM, "pdf: cannot create a temporary file in %s: %s", dir, strerror(errno));
        return NULL;
    }
    vb_tmp_register(path);
    const char *p = ttf->data;
    size_t left = ttf->len;
    bool ok = true;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) { if (errno == EINTR) continue; ok = false; break; }
        p += w; left -= (size_t)w;
    }
    int saved = errno;
    if (close(fd) != 0 && ok) { ok = false; saved = errno; }
    const char *name = NULL;
    if (!ok)
        vb_error(d, VB_EXIT_SYSTEM, "pdf: %s: cannot write: %s", path, strerror(saved));
    else {
        /* libharu opens the file here and keeps it open until HPDF_Free
         * (glyphs are copied at save time), so unlinking now is safe. */
        name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        if (!name) *hpdf_failed = true;
    }
    unlink(path);
    vb_tmp_unregister(path);
    return name;
}

/* Replace libharu's ToUnicode stream content by a real ToUnicode CMap:
 * CID = UTF-16 code unit = code point (BMP only). */
static HPDF_STATUS fix_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream) return HPDF_OK;            /* nothing to fix */
    vb_buf b = { 0 };
    vb_buf_puts(&b,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* runs of consecutive code points within one high byte -> bfrange */
    typedef struct { uint32_t lo, hi; } run;
    run *runs = vb_xmalloc((n ? n : 1) * sizeof *runs);
    size_t nr = 0, nsingle = 0, nrange = 0;
    for (size_t i = 0; i < n; i++) {
        if (nr && runs[nr - 1].hi + 1 == cps[i] && (runs[nr - 1].lo >> 8) == (cps[i] >> 8))
            runs[nr - 1].hi = cps[i];
        else
            runs[nr++] = (run){ cps[i], cps[i] };
    }
    for (size_t i = 0; i < nr; i++) *(runs[i].lo == runs[i].hi ? &nsingle : &nrange) += 1;
    for (int pass = 0; pass < 2; pass++) {
        size_t total = pass == 0 ? nsingle : nrange, done = 0;
        size_t i = 0;
        while (done < total) {
            size_t chunk = total - done > 100 ? 100 : total - done;
            vb_buf_printf(&b, "%zu %s\n", chunk, pass == 0 ? "beginbfchar" : "beginbfrange");
            for (size_t k = 0; k < chunk; i++) {
                bool single = runs[i].lo == runs[i].hi;
                if (single != (pass == 0)) continue;
                if (single)
                    vb_buf_printf(&b, "<%04X> <%04X>\n", (unsigned)runs[i].lo, (unsigned)runs[i].lo);
                else
                    vb_buf_printf(&b, "<%04X> <%04X> <%04X>\n", (unsigned)runs[i].lo,
                                  (unsigned)runs[i].hi, (unsigned)runs[i].lo);
                k++;
            }
            vb_buf_puts(&b, pass == 0 ? "endbfchar\n" : "endbfrange\n");
            done += chunk;
        }
    }
    vb_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    free(runs);
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_STATUS st = HPDF_Stream_WriteStr(tu->stream, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return st;
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

/* Draw a laid-out document into a PDF; appends the file to out. */
static bool pdf_write_layout(const vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                             vb_buf *out, vb_diag *d)
{
    pdf_ctx ctx = { 0, 0 };
    HPDF_Doc pdf = NULL;
    cpset *used = vb_xcalloc(VB_FACE_COUNT, sizeof *used);
    uint32_t *cps[VB_FACE_COUNT] = { 0 };
    HPDF_Font font[VB_FACE_COUNT] = { 0 };
    vb_buf sub = { 0 };
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
        cps[k] = cpset_list(&used[k]);
        for (size_t i = 0; i < used[k].n; i++) {
            char ch[5] = { 0 };
            vb_utf8_put((int32_t)cps[k][i], ch);
            if (!vb_font_check(fonts, (vb_face)k, ch, NULL, d)) goto fail;
        }
    }

    /* 2. the document */
    pdf = HPDF_New(on_hpdf_error, &ctx);
    HPDF_NEED(pdf);
    HPDF_TRY(HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL));
    HPDF_TRY(HPDF_UseUTFEncodings(pdf));
    HPDF_TRY(HPDF_SetCurrentEncoder(pdf, "UTF-8"));   /* info strings as UTF-16 */

    for (int k = 0; k < VB_FACE_COUNT; k++) {
        if (!used[k].n) continue;
        sub.len = 0;
        if (!vb_font_subset(fonts, (vb_face)k, cps[k], used[k].n, &sub, d)) goto fail;
        bool hpdf_failed = false;
        const char *name = load_subset(pdf, &sub, d, &hpdf_failed);
        if (!name) { if (hpdf_failed) hpdf_fail(&ctx, d, 0); goto fail; }
        HPDF_NEED(name);
        font[k] = HPDF_GetFont(pdf, name, "UTF-8");
        HPDF_NEED(font[k]);
        HPDF_TRY(fix_tounicode(font[k], cps[k], used[k].n));
    }

    int64_t when;
    if (!vb_source_date(&when)) when = doc ? doc->date : 0;
    if (when > 0) {
        HPDF_Date dt = unix_to_date(when);
        HPDF_TRY(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt));
        HPDF_TRY(HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt));
    }
    if (doc) {
        struct { HPDF_InfoType t; const char *v; } info[] = {
            { HPDF_INFO_TITLE, doc->title }, { HPDF_INFO_AUTHOR, doc->author },
            { HPDF_INFO_SUBJECT, doc->subject }, { HPDF_INFO_KEYWORDS, doc->keywords },
        };
        for (size_t i = 0; i < sizeof info / sizeof info[0]; i++)
            if (info[i].v && *info[i].v) HPDF_TRY(HPDF_SetInfoAttr(pdf, info[i].t, info[i].v));
    }
    HPDF_TRY(HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "vanban " VB_VERSION));

    /* 3. pages */
    for (size_t pi = 0; pi < l->npages; pi++) {
        const vb_page *pg = &l->pages[pi];
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_NEED(page);
        HPDF_TRY(HPDF_Page_SetWidth(page, pt(page_w)));
        HPDF_TRY(HPDF_Page_SetHeight(page, pt(page_h)));
        bool in_text = false;
        int cur_face = -1;
        int32_t cur_size = -1;
        for (size_t fi = 0; fi < pg->nfrags; fi++) {
            const vb_frag *f = &pg->frags[fi];
            if (!f->text || !*f->text) continue;
            if (!in_text) { HPDF_TRY(HPDF_Page_BeginText(page)); in_text = true; }
            if ((int)f->face != cur_face || f->size != cur_size) {
                HPDF_TRY(HPDF_Page_SetFontAndSize(page, font[f->face], pt(f->size)));
                cur_face = (int)f->face; cur_size = f->size;
            }
            HPDF_TRY(HPDF_Page_TextOut(page, pt(f->x), pt(page_h - f->y), f->text));
        }
        if (in_text) HPDF_TRY(HPDF_Page_EndText(page));
        int32_t cur_width = -1;
        for (size_t ri = 0; ri < pg->nrules; ri++) {
            const vb_line_seg *r = &pg->rules[ri];
            if (r->width != cur_width) {
                HPDF_TRY(HPDF_Page_SetLineWidth(page, pt(r->width)));
                cur_width = r->width;
            }
            HPDF_TRY(HPDF_Page_MoveTo(page, pt(r->x1), pt(page_h - r->y)));
            HPDF_TRY(HPDF_Page_LineTo(page, pt(r->x2), pt(page_h - r->y)));
            HPDF_TRY(HPDF_Page_Stroke(page));
        }
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
    for (int k = 0; k < VB_FACE_COUNT; k++) free(cps[k]);
    free(used);
    vb_buf_free(&sub);
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
