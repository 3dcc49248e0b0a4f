/* pdfobj.c — the structure of a PDF file: see pdfobj.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>

#include "pdfobj.h"
#include "text.h"

/* libdeflate, not zlib: the same zlib-format streams two to three times as
 * fast and a little smaller; zlib had taken a third of a whole render even
 * at level 4 (docs/batch.md, Profile). */
/* Level 4, not 6: measured on 40 bench documents' streams, page content
 * deflates 38% faster for 3.7% more bytes, fonts 21% faster for 0.8%
 * more (a whole document: about 8% less time, 2% more bytes). */
#define PDF_DEFLATE_LEVEL 4
#define UNWRITTEN ((size_t)-1)

static void misuse(vb_pdf_file *f, const char *fmt, unsigned num)
{
    if (f->error) return;
    char msg[128];
    snprintf(msg, sizeof msg, fmt, num);
    f->error = vb_xstrdup(msg);
}

void vb_pdf_file_begin_version(vb_pdf_file *f, vb_buf *out, const char *version)
{
    memset(f, 0, sizeof *f);
    f->out = out;
    f->start = out->len;
    /* the second line's bytes above 127 tell transfer programs the file is
     * binary (7.5.2); PDF/A-2 (6.1.2) wants at least four of them there */
    vb_buf_printf(out, "%%PDF-%s\n%%\xE2\xE3\xCF\xD3\n", version);
}

void vb_pdf_file_begin(vb_pdf_file *f, vb_buf *out)
{
    vb_pdf_file_begin_version(f, out, "1.4");
}

uint32_t vb_pdf_obj_new(vb_pdf_file *f)
{
    if (f->nobj + 1 >= f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->offset = vb_xrealloc(f->offset, f->cap * sizeof *f->offset);
    }
    f->offset[++f->nobj] = UNWRITTEN;
    return f->nobj;
}

vb_buf *vb_pdf_obj_begin(vb_pdf_file *f, uint32_t num)
{
    if (f->open) misuse(f, "pdf: object %u begun inside another", num);
    if (num == 0 || num > f->nobj) misuse(f, "pdf: object %u was never reserved", num);
    else if (f->offset[num] != UNWRITTEN) misuse(f, "pdf: object %u written twice", num);
    else f->offset[num] = f->out->len - f->start;
    f->open = num;
    vb_buf_printf(f->out, "%u 0 obj\n", (unsigned)num);
    return f->out;
}

void vb_pdf_obj_end(vb_pdf_file *f)
{
    if (!f->open) misuse(f, "pdf: object end without a beginning (%u)", 0);
    f->open = 0;
    vb_buf_puts(f->out, "\nendobj\n");
}

void vb_pdf_stream(vb_pdf_file *f, uint32_t num, const char *entries, const void *data, size_t len)
{
    if (!f->z && !(f->z = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL))) vb_oom();
    size_t cap = libdeflate_zlib_compress_bound(f->z, len);
    if (cap > f->zcap) {
        f->zbuf = vb_xrealloc(f->zbuf, cap);
        f->zcap = cap;
    }
    /* with a buffer of the bound's size, compression cannot run short */
    size_t n = libdeflate_zlib_compress(f->z, data, len, f->zbuf, cap);
    if (n == 0) { misuse(f, "pdf: deflating stream %u failed", num); return; }
    vb_buf *b = vb_pdf_obj_begin(f, num);
    vb_buf_printf(b, "<< /Length %zu /Filter /FlateDecode", n);
    if (entries && *entries) { vb_buf_putc(b, ' '); vb_buf_puts(b, entries); }
    vb_buf_puts(b, " >>\nstream\n");
    vb_buf_add(b, f->zbuf, n);
    vb_buf_puts(b, "\nendstream");
    vb_pdf_obj_end(f);
}

void vb_pdf_stream_raw(vb_pdf_file *f, uint32_t num, const char *entries, const void *data, size_t len)
{
    vb_buf *b = vb_pdf_obj_begin(f, num);
    vb_buf_printf(b, "<< /Length %zu", len);
    if (entries && *entries) { vb_buf_putc(b, ' '); vb_buf_puts(b, entries); }
    vb_buf_puts(b, " >>\nstream\n");
    vb_buf_add(b, data, len);
    vb_buf_puts(b, "\nendstream");
    vb_pdf_obj_end(f);
}

/* 128 bits from the file's bytes, for /ID: two multiply-rotate lanes over
 * little-endian 8-byte words (the same on every machine), then a
 * finaliser.  Not cryptographic; the ID only has to tell documents apart
 * and be the same for the same document. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27; x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static void file_hash(const unsigned char *p, size_t n, unsigned char id[16])
{
    uint64_t a = 0x9E3779B97F4A7C15ULL ^ n, b = 0xC2B2AE3D27D4EB4FULL + n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--) w = (w << 8) | p[i + (size_t)k];
        a = (a ^ w) * 0x87C37B91114253D5ULL; a = (a << 31) | (a >> 33);
        b = (b + w) * 0x4CF5AD432745937FULL; b = (b << 27) | (b >> 37);
    }
    uint64_t w = 0;
    for (size_t k = n; k > i; k--) w = (w << 8) | p[k - 1];
    a = mix64(a ^ w); b = mix64(b + w + a);
    a = mix64(a + b);
    for (int k = 0; k < 8; k++) {
        id[k] = (unsigned char)(a >> (8 * k));
        id[8 + k] = (unsigned char)(b >> (8 * k));
    }
}

bool vb_pdf_file_end(vb_pdf_file *f, uint32_t root, uint32_t info, vb_diag *d)
{
    if (f->open) misuse(f, "pdf: object %u left open", f->open);
    if (root == 0 || root > f->nobj) misuse(f, "pdf: no catalogue (root %u)", root);
    for (uint32_t i = 1; i <= f->nobj && !f->error; i++)
        if (f->offset[i] == UNWRITTEN) misuse(f, "pdf: object %u was reserved and never written", i);
    if (f->error) {
        vb_error(d, VB_EXIT_SYSTEM, "%s", f->error);
        return false;
    }
    vb_buf *b = f->out;
    unsigned char id[16];
    file_hash((const unsigned char *)b->data + f->start, b->len - f->start, id);
    size_t xref = b->len - f->start;
    /* every entry is exactly 20 bytes, ending in space + LF (7.5.4) */
    vb_buf_printf(b, "xref\n0 %u\n0000000000 65535 f \n", (unsigned)f->nobj + 1);
    for (uint32_t i = 1; i <= f->nobj; i++) vb_buf_printf(b, "%010zu 00000 n \n", f->offset[i]);
    vb_buf_printf(b, "trailer\n<< /Size %u /Root %u 0 R", (unsigned)f->nobj + 1, (unsigned)root);
    if (info) vb_buf_printf(b, " /Info %u 0 R", (unsigned)info);
    char hex[33];
    for (int k = 0; k < 16; k++) snprintf(hex + 2 * k, 3, "%02X", id[k]);
    vb_buf_printf(b, " /ID [<%s> <%s>] >>\nstartxref\n%zu\n%%%%EOF\n", hex, hex, xref);
    return true;
}

void vb_pdf_file_free(vb_pdf_file *f)
{
    if (f->z) libdeflate_free_compressor(f->z);
    free(f->zbuf);
    free(f->offset);
    free(f->error);
    memset(f, 0, sizeof *f);
}

/* ---- values ---- */

void vb_pdf_milli(vb_buf *b, int64_t v)
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

void vb_pdf_text(vb_buf *b, const char *s)
{
    static const char hexd[] = "0123456789ABCDEF";
    vb_buf_puts(b, "<FEFF");
    while (*s) {
        int32_t cp;
        s += vb_utf8_next(s, &cp);
        unsigned u[2] = { (unsigned)cp, 0 };
        int n = 1;
        if (cp >= 0x10000) {
            u[0] = 0xD800 + (((unsigned)cp - 0x10000) >> 10);
            u[1] = 0xDC00 + (((unsigned)cp - 0x10000) & 0x3FF);
            n = 2;
        }
        for (int i = 0; i < n; i++) {
            char four[4] = { hexd[u[i] >> 12 & 15], hexd[u[i] >> 8 & 15], hexd[u[i] >> 4 & 15],
                             hexd[u[i] & 15] };
            vb_buf_add(b, four, 4);
        }
    }
    vb_buf_putc(b, '>');
}

static bool utc(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return (int64_t)tt == t && gmtime_r(&tt, tm) && tm->tm_year + 1900 >= 1 && tm->tm_year + 1900 <= 9999;
}

bool vb_pdf_date(vb_buf *b, int64_t t)
{
    struct tm tm;
    if (!utc(t, &tm)) return false;
    vb_buf_printf(b, "(D:%04d%02d%02d%02d%02d%02dZ)", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return true;
}

bool vb_pdf_date_iso(vb_buf *b, int64_t t)
{
    struct tm tm;
    if (!utc(t, &tm)) return false;
    vb_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return true;
}
