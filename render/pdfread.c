/* pdfread.c — a bounded reader of existing PDF files (pdfread.h). */
#include "pdfread.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what one cross-reference entry says */
typedef struct xent { uint8_t type; uint8_t set; uint32_t idx; uint64_t off; } xent;

struct vb_pdfr {
    vb_arena *a;
    const char *name;
    const unsigned char *p;
    size_t len;
    size_t startxref;
    bool xref_stream;
    const vb_pv *trailer;
    xent *x;
    uint32_t nx;
    const vb_pv **cache;       /* parsed objects by number */
    uint8_t *busy;             /* being read (a reference loop is an error) */
    /* the last object stream decoded */
    uint32_t os_num;
    unsigned char *os_data;
    size_t os_len;
};

/* The most objects a file may declare: bounded so that a tiny file
 * cannot make us allocate for a billion entries. */
#define MAX_OBJECTS 8388607u
#define MAX_SECTIONS 4096

static bool is_ws(unsigned char c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
static bool is_delim(unsigned char c) { return strchr("()<>[]{}/%", c) && c; }
static bool is_regular(unsigned char c) { return !is_ws(c) && !is_delim(c); }

typedef struct lex { vb_pdfr *r; size_t i, end; } lex;

static void skip_ws(lex *l)
{
    while (l->i < l->end) {
        unsigned char c = l->r->p[l->i];
        if (is_ws(c)) l->i++;
        else if (c == '%') { while (l->i < l->end && l->r->p[l->i] != '\n' && l->r->p[l->i] != '\r') l->i++; }
        else break;
    }
}

/* the keyword at l->i (a run of regular characters) is kw */
static bool at_kw(lex *l, const char *kw)
{
    size_t n = strlen(kw);
    if (l->i + n > l->end || memcmp(l->r->p + l->i, kw, n)) return false;
    return l->i + n == l->end || !is_regular(l->r->p[l->i + n]);
}

static vb_pv *pv_new(vb_pdfr *r, vb_pv_kind k) { vb_pv *v = vb_alloc(r->a, sizeof *v); v->kind = k; return v; }

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool parse_value(lex *l, vb_pv **out, int depth);

/* an unsigned integer token at l->i, without moving on failure */
static bool peek_uint(lex *l, size_t *at, uint64_t *v)
{
    size_t i = *at;
    uint64_t n = 0;
    int digits = 0;
    while (i < l->end && l->r->p[i] >= '0' && l->r->p[i] <= '9' && digits < 18) { n = n * 10 + (l->r->p[i] - '0'); i++; digits++; }
    if (!digits || (i < l->end && is_regular(l->r->p[i]))) return false;
    *at = i;
    *v = n;
    return true;
}

static bool parse_string(lex *l, vb_pv *v)
{
    vb_buf b = { 0 };
    int nest = 1;
    l->i++;
    while (l->i < l->end) {
        unsigned char c = l->r->p[l->i++];
        if (c == '(') nest++;
        else if (c == ')') { if (!--nest) break; }
        else if (c == '\\') {
            if (l->i >= l->end) break;
            c = l->r->p[l->i++];
            switch (c) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r': if (l->i < l->end && l->r->p[l->i] == '\n') l->i++; continue;
            case '\n': continue;
            default:
                if (c >= '0' && c <= '7') {
                    int o = c - '0';
                    for (int k = 0; k < 2 && l->i < l->end && l->r->p[l->i] >= '0' && l->r->p[l->i] <= '7'; k++)
                        o = o * 8 + (l->r->p[l->i++] - '0');
                    c = (unsigned char)o;
                }
            }
        }
        vb_buf_putc(&b, (char)c);
    }
    bool ok = nest == 0;
    v->kind = VB_PV_STR;
    v->len = b.len;
    v->s = vb_strndup(l->r->a, b.data ? b.data : "", b.len);
    vb_buf_free(&b);
    return ok;
}

static bool parse_hexstring(lex *l, vb_pv *v)
{
    vb_buf b = { 0 };
    int hi = -1;
    l->i++;
    bool ok = false;
    while (l->i < l->end) {
        unsigned char c = l->r->p[l->i++];
        if (c == '>') { ok = true; break; }
        if (is_ws(c)) continue;
        int h = hexval(c);
        if (h < 0) break;
        if (hi < 0) hi = h; else { vb_buf_putc(&b, (char)(hi << 4 | h)); hi = -1; }
    }
    if (hi >= 0) vb_buf_putc(&b, (char)(hi << 4));
    v->kind = VB_PV_STR;
    v->len = b.len;
    v->s = vb_strndup(l->r->a, b.data ? b.data : "", b.len);
    vb_buf_free(&b);
    return ok;
}

static const char *parse_name(lex *l)
{
    vb_buf b = { 0 };
    l->i++;
    while (l->i < l->end && is_regular(l->r->p[l->i])) {
        unsigned char c = l->r->p[l->i++];
        if (c == '#' && l->i + 1 < l->end && hexval(l->r->p[l->i]) >= 0 && hexval(l->r->p[l->i + 1]) >= 0) {
            c = (unsigned char)(hexval(l->r->p[l->i]) << 4 | hexval(l->r->p[l->i + 1]));
            l->i += 2;
        }
        vb_buf_putc(&b, (char)c);
    }
    const char *s = vb_strndup(l->r->a, b.data ? b.data : "", b.len);
    vb_buf_free(&b);
    return s;
}

typedef struct pvlist { vb_pv **v; const char **k; size_t n, cap; } pvlist;
static void pvlist_add(pvlist *L, const char *k, vb_pv *v)
{
    if (L->n == L->cap) {
        L->cap = L->cap ? 2 * L->cap : 8;
        L->v = vb_xrealloc(L->v, L->cap * sizeof *L->v);
        L->k = vb_xrealloc(L->k, L->cap * sizeof *L->k);
    }
    L->k[L->n] = k;
    L->v[L->n++] = v;
}
static void pvlist_move(vb_pdfr *r, pvlist *L, vb_pv *v, bool keys)
{
    v->len = L->n;
    v->items = vb_alloc(r->a, (L->n ? L->n : 1) * sizeof *v->items);
    if (L->n) memcpy(v->items, L->v, L->n * sizeof *v->items);
    if (keys) {
        v->keys = vb_alloc(r->a, (L->n ? L->n : 1) * sizeof *v->keys);
        if (L->n) memcpy(v->keys, L->k, L->n * sizeof *v->keys);
    }
    free(L->v);
    free(L->k);
}

static bool parse_value(lex *l, vb_pv **out, int depth)
{
    vb_pdfr *r = l->r;
    if (depth > VB_PDFR_DEPTH) return false;
    skip_ws(l);
    if (l->i >= l->end) return false;
    unsigned char c = r->p[l->i];
    vb_pv *v = pv_new(r, VB_PV_NULL);
    *out = v;
    if (c == '/') { v->kind = VB_PV_NAME; v->s = parse_name(l); return true; }
    if (c == '(') return parse_string(l, v);
    if (c == '<' && l->i + 1 < l->end && r->p[l->i + 1] == '<') {
        pvlist L = { 0 };
        l->i += 2;
        for (;;) {
            skip_ws(l);
            if (l->i + 1 < l->end && r->p[l->i] == '>' && r->p[l->i + 1] == '>') { l->i += 2; break; }
            if (l->i >= l->end || r->p[l->i] != '/') { pvlist_move(r, &L, v, true); return false; }
            const char *k = parse_name(l);
            vb_pv *val;
            if (!parse_value(l, &val, depth + 1)) { pvlist_move(r, &L, v, true); return false; }
            pvlist_add(&L, k, val);
        }
        v->kind = VB_PV_DICT;
        pvlist_move(r, &L, v, true);
        return true;
    }
    if (c == '<') return parse_hexstring(l, v);
    if (c == '[') {
        pvlist L = { 0 };
        l->i++;
        for (;;) {
            skip_ws(l);
            if (l->i < l->end && r->p[l->i] == ']') { l->i++; break; }
            vb_pv *val;
            if (!parse_value(l, &val, depth + 1)) { v->kind = VB_PV_ARRAY; pvlist_move(r, &L, v, false); return false; }
            pvlist_add(&L, NULL, val);
        }
        v->kind = VB_PV_ARRAY;
        pvlist_move(r, &L, v, false);
        return true;
    }
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        /* "n g R" is a reference; else a number */
        size_t at = l->i;
        uint64_t n1, n2;
        if (peek_uint(l, &at, &n1)) {
            size_t at2 = at;
            lex t = { r, at2, l->end };
            skip_ws(&t);
            at2 = t.i;
            if (peek_uint(l, &at2, &n2)) {
                t.i = at2;
                skip_ws(&t);
                if (at_kw(&t, "R") && n1 <= MAX_OBJECTS && n2 <= 65535) {
                    v->kind = VB_PV_REF;
                    v->ref_num = (uint32_t)n1;
                    v->ref_gen = (uint32_t)n2;
                    l->i = t.i + 1;
                    return true;
                }
            }
        }
        size_t s = l->i;
        while (l->i < l->end && is_regular(r->p[l->i])) l->i++;
        char tmp[64];
        size_t n = l->i - s;
        if (n >= sizeof tmp) return false;
        memcpy(tmp, r->p + s, n);
        tmp[n] = 0;
        char *endp;
        v->kind = VB_PV_NUM;
        v->num = strtod(tmp, &endp);
        v->raw = vb_strdup(r->a, tmp);
        return *endp == 0;
    }
    if (at_kw(l, "true")) { v->kind = VB_PV_BOOL; v->b = true; l->i += 4; return true; }
    if (at_kw(l, "false")) { v->kind = VB_PV_BOOL; l->i += 5; return true; }
    if (at_kw(l, "null")) { l->i += 4; return true; }
    return false;
}

const vb_pv *vb_pv_get(const vb_pv *dict, const char *key)
{
    if (dict && dict->kind == VB_PV_STREAM) dict = dict->dict;
    if (!dict || dict->kind != VB_PV_DICT) return NULL;
    for (size_t i = 0; i < dict->len; i++)
        if (!strcmp(dict->keys[i], key)) return dict->items[i];
    return NULL;
}

static const vb_pv *resolve_num(vb_pdfr *r, const vb_pv *v, vb_diag *d);

/* An indirect object at offset off: "num gen obj value [stream…]". */
static bool parse_indirect(vb_pdfr *r, uint64_t off, uint32_t want, const vb_pv **out, vb_diag *d)
{
    if (off >= r->len) goto bad;
    lex l = { r, (size_t)off, r->len };
    uint64_t n, g;
    skip_ws(&l);
    if (!peek_uint(&l, &l.i, &n)) goto bad;
    skip_ws(&l);
    if (!peek_uint(&l, &l.i, &g)) goto bad;
    skip_ws(&l);
    if (!at_kw(&l, "obj")) goto bad;
    if (want && n != want) goto bad;
    l.i += 3;
    vb_pv *v;
    if (!parse_value(&l, &v, 0)) goto bad;
    skip_ws(&l);
    if (v->kind == VB_PV_DICT && at_kw(&l, "stream")) {
        l.i += 6;
        if (l.i < l.end && r->p[l.i] == '\r') l.i++;
        if (l.i < l.end && r->p[l.i] == '\n') l.i++;
        size_t start = l.i;
        const vb_pv *lenv = resolve_num(r, vb_pv_get(v, "Length"), d);
        size_t dlen = (size_t)-1;
        if (lenv && lenv->kind == VB_PV_NUM && lenv->num >= 0 && lenv->num <= (double)(r->len - start)) {
            dlen = (size_t)lenv->num;
            lex t = { r, start + dlen, r->len };
            skip_ws(&t);
            if (!at_kw(&t, "endstream")) dlen = (size_t)-1;
        }
        if (dlen == (size_t)-1) {
            /* a wrong /Length: the data ends before the first endstream */
            const unsigned char *e = memmem(r->p + start, r->len - start, "endstream", 9);
            if (!e) goto bad;
            dlen = (size_t)(e - (r->p + start));
            while (dlen && (r->p[start + dlen - 1] == '\n' || r->p[start + dlen - 1] == '\r')) dlen--;
        }
        vb_pv *s = pv_new(r, VB_PV_STREAM);
        s->dict = v;
        s->data_off = start;
        s->data_len = dlen;
        v = s;
    }
    *out = v;
    return true;
bad:
    vb_error(d, VB_EXIT_INPUT, "%s: object %u: cannot be read at byte %llu", r->name, (unsigned)want,
             (unsigned long long)off);
    return false;
}

static bool inflate(const unsigned char *in, size_t n, size_t limit, unsigned char **out, size_t *olen)
{
    struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
    if (!z) vb_oom();
    size_t cap = n * 4 + 1024;
    if (cap > limit) cap = limit;
    for (;;) {
        unsigned char *buf = vb_xmalloc(cap ? cap : 1);
        size_t inused, got;
        enum libdeflate_result res = libdeflate_zlib_decompress_ex(z, in, n, buf, cap, &inused, &got);
        if (res == LIBDEFLATE_SUCCESS) { libdeflate_free_decompressor(z); *out = buf; *olen = got; return true; }
        free(buf);
        if (res != LIBDEFLATE_INSUFFICIENT_SPACE || cap >= limit) break;
        cap = cap * 2 > limit ? limit : cap * 2;
    }
    libdeflate_free_decompressor(z);
    return false;
}

static int num_or(const vb_pv *v, int dflt)
{
    return v && v->kind == VB_PV_NUM && v->num >= 0 && v->num < 1e6 ? (int)v->num : dflt;
}

/* PNG predictors (ISO 32000-1, 7.4.4.4) in place: rows of `cols` samples */
static bool unpredict(unsigned char *data, size_t *len, const vb_pv *parms)
{
    int pred = num_or(vb_pv_get(parms, "Predictor"), 1);
    if (pred == 1) return true;
    if (pred < 10) return false;
    int colors = num_or(vb_pv_get(parms, "Colors"), 1), bpc = num_or(vb_pv_get(parms, "BitsPerComponent"), 8);
    int cols = num_or(vb_pv_get(parms, "Columns"), 1);
    if (colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || cols < 1) return false;
    size_t row = ((size_t)colors * bpc * cols + 7) / 8, bpp = ((size_t)colors * bpc + 7) / 8;
    size_t nrows = *len / (row + 1), o = 0;
    unsigned char *prev = vb_xcalloc(row, 1);
    for (size_t k = 0; k < nrows; k++) {
        unsigned char f = data[k * (row + 1)];
        unsigned char *cur = data + k * (row + 1) + 1;
        for (size_t i = 0; i < row; i++) {
            int a = i >= bpp ? data[o + i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            int x = cur[i];
            switch (f) {
            case 0: break;
            case 1: x += a; break;
            case 2: x += b; break;
            case 3: x += (a + b) / 2; break;
            case 4: {
                int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
                x += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                break;
            }
            default: free(prev); return false;
            }
            data[o + i] = (unsigned char)x;   /* o + i < k*(row+1)+1+i: never ahead of cur */
        }
        memcpy(prev, data + o, row);
        o += row;
    }
    free(prev);
    *len = o;
    return true;
}

bool vb_pdfr_stream_data(vb_pdfr *r, const vb_pv *s, size_t limit, unsigned char **out, size_t *len, vb_diag *d)
{
    if (!s || s->kind != VB_PV_STREAM) { vb_error(d, VB_EXIT_INPUT, "%s: a stream was expected", r->name); return false; }
    const vb_pv *f = vb_pdfr_resolve(r, vb_pv_get(s, "Filter"), d);
    const vb_pv *parms = vb_pdfr_resolve(r, vb_pv_get(s, "DecodeParms"), d);
    if (f && f->kind == VB_PV_ARRAY && f->len == 1) {
        f = f->items[0];
        if (parms && parms->kind == VB_PV_ARRAY) parms = parms->len == 1 ? parms->items[0] : NULL;
    }
    const unsigned char *raw = r->p + s->data_off;
    if (!f || f->kind == VB_PV_NULL) {
        if (s->data_len > limit) goto big;
        *out = vb_xmalloc(s->data_len + 1);
        memcpy(*out, raw, s->data_len);
        *len = s->data_len;
        return true;
    }
    if (f->kind != VB_PV_NAME || strcmp(f->s, "FlateDecode")) {
        vb_error(d, VB_EXIT_INPUT, "%s: a stream with a filter other than FlateDecode cannot be read", r->name);
        return false;
    }
    if (!inflate(raw, s->data_len, limit, out, len)) {
        vb_error(d, VB_EXIT_INPUT, "%s: a compressed stream is damaged or larger than %zu bytes", r->name, limit);
        return false;
    }
    if (parms && parms->kind == VB_PV_DICT && !unpredict(*out, len, parms)) {
        free(*out);
        vb_error(d, VB_EXIT_INPUT, "%s: a stream has a predictor that cannot be read", r->name);
        return false;
    }
    return true;
big:
    vb_error(d, VB_EXIT_INPUT, "%s: a stream is larger than %zu bytes", r->name, limit);
    return false;
}

static void xset(vb_pdfr *r, uint64_t num, uint8_t type, uint64_t off, uint32_t idx)
{
    if (num >= r->nx || r->x[num].set) return;    /* the newest section wins */
    r->x[num] = (xent){ type, 1, idx, off };
}

static bool grow_x(vb_pdfr *r, uint64_t size)
{
    if (size > MAX_OBJECTS) return false;
    if (size <= r->nx) return true;
    r->x = vb_xrealloc(r->x, size * sizeof *r->x);
    memset(r->x + r->nx, 0, (size - r->nx) * sizeof *r->x);
    r->nx = (uint32_t)size;
    return true;
}

static bool read_table(vb_pdfr *r, lex *l, const vb_pv **trailer)
{
    l->i += 4;
    for (;;) {
        skip_ws(l);
        if (at_kw(l, "trailer")) break;
        uint64_t start, count;
        if (!peek_uint(l, &l->i, &start)) return false;
        skip_ws(l);
        if (!peek_uint(l, &l->i, &count)) return false;
        if (count > r->len / 18 || start + count > MAX_OBJECTS) return false;
        if (!grow_x(r, start + count)) return false;
        for (uint64_t k = 0; k < count; k++) {
            uint64_t off, gen;
            skip_ws(l);
            if (!peek_uint(l, &l->i, &off)) return false;
            skip_ws(l);
            if (!peek_uint(l, &l->i, &gen)) return false;
            skip_ws(l);
            if (l->i >= l->end) return false;
            unsigned char t = r->p[l->i++];
            if (t != 'n' && t != 'f') return false;
            if (start + k == 0 && t == 'n') continue;
            xset(r, start + k, t == 'n' ? 1 : 0, off, 0);
        }
    }
    l->i += 7;
    vb_pv *t;
    if (!parse_value(l, &t, 0) || t->kind != VB_PV_DICT) return false;
    *trailer = t;
    return true;
}

static bool read_xref_stream(vb_pdfr *r, uint64_t off, const vb_pv **trailer, vb_diag *d)
{
    const vb_pv *s;
    /* not an object there: the caller says the cross-reference is bad */
    vb_diag quiet;
    vb_diag_init(&quiet);
    bool got = parse_indirect(r, off, 0, &s, &quiet);
    vb_diag_free(&quiet);
    if (!got) return false;
    const vb_pv *type = vb_pv_get(s, "Type");
    if (s->kind != VB_PV_STREAM || !type || type->kind != VB_PV_NAME || strcmp(type->s, "XRef")) return false;
    const vb_pv *w = vb_pv_get(s, "W"), *idx = vb_pv_get(s, "Index"), *size = vb_pv_get(s, "Size");
    if (!w || w->kind != VB_PV_ARRAY || w->len != 3 || !size || size->kind != VB_PV_NUM) return false;
    int wd[3];
    for (int k = 0; k < 3; k++) {
        wd[k] = num_or(w->items[k], -1);
        if (wd[k] < 0 || wd[k] > 8) return false;
    }
    if (size->num < 0 || size->num > MAX_OBJECTS || !grow_x(r, (uint64_t)size->num)) return false;
    unsigned char *data;
    size_t len;
    if (!vb_pdfr_stream_data(r, s, 64u << 20, &data, &len, d)) return false;
    size_t ew = (size_t)wd[0] + wd[1] + wd[2], pos = 0;
    bool ok = ew > 0;
    size_t nsub = idx && idx->kind == VB_PV_ARRAY ? idx->len / 2 : 1;
    for (size_t k = 0; ok && k < nsub; k++) {
        uint64_t first = 0, count = (uint64_t)size->num;
        if (idx && idx->kind == VB_PV_ARRAY) {
            if (idx->items[2 * k]->kind != VB_PV_NUM || idx->items[2 * k + 1]->kind != VB_PV_NUM ||
                idx->items[2 * k]->num < 0 || idx->items[2 * k + 1]->num < 0) { ok = false; break; }
            first = (uint64_t)idx->items[2 * k]->num;
            count = (uint64_t)idx->items[2 * k + 1]->num;
        }
        if (first + count > MAX_OBJECTS || !grow_x(r, first + count)) { ok = false; break; }
        for (uint64_t e = 0; e < count; e++) {
            if (pos + ew > len) { ok = false; break; }
            uint64_t f[3] = { 1, 0, 0 };
            for (int c = 0; c < 3; c++) {
                if (!wd[c]) continue;
                f[c] = 0;
                for (int b = 0; b < wd[c]; b++) f[c] = f[c] << 8 | data[pos++];
            }
            if (f[0] == 1 || f[0] == 2 || f[0] == 0) xset(r, first + e, (uint8_t)f[0], f[1], (uint32_t)f[2]);
        }
    }
    free(data);
    if (ok) *trailer = s->dict;
    return ok;
}

/* the offset after the last "startxref" in the last 1,024 bytes */
static bool find_startxref(vb_pdfr *r, uint64_t *off)
{
    if (r->len < 9) return false;
    size_t from = r->len > 1024 ? r->len - 1024 : 0;
    for (size_t i = r->len - 9; i + 1 > from; i--) {
        if (!memcmp(r->p + i, "startxref", 9)) {
            lex l = { r, i + 9, r->len };
            skip_ws(&l);
            return peek_uint(&l, &l.i, off);
        }
        if (i == 0) break;
    }
    return false;
}

bool vb_pdfr_open(const char *name, const unsigned char *data, size_t len, vb_pdfr **out, vb_diag *d)
{
    *out = NULL;
    size_t hdr = len < 1024 ? len : 1024;
    if (!data || len < 8 || !memmem(data, hdr, "%PDF-", 5)) {
        vb_error(d, VB_EXIT_INPUT, "%s: not a PDF file (no %%PDF- header)", name);
        return false;
    }
    vb_arena *a = vb_arena_new();
    vb_pdfr *r = vb_alloc(a, sizeof *r);
    r->a = a;
    r->name = vb_strdup(a, name);
    r->p = data;
    r->len = len;
    uint64_t off;
    if (!find_startxref(r, &off)) {
        vb_error(d, VB_EXIT_INPUT, "%s: no startxref at the end of the file (damaged or cut short)", name);
        goto fail;
    }
    r->startxref = (size_t)off;
    uint64_t seen[MAX_SECTIONS];
    int nseen = 0;
    for (int first = 1;; first = 0) {
        for (int k = 0; k < nseen; k++)
            if (seen[k] == off) goto chain_done;     /* a /Prev loop: stop, as readers do */
        if (nseen == MAX_SECTIONS || off >= len) goto badxref;
        seen[nseen++] = off;
        lex l = { r, (size_t)off, len };
        skip_ws(&l);
        const vb_pv *t = NULL;
        if (at_kw(&l, "xref")) {
            if (!read_table(r, &l, &t)) goto badxref;
            const vb_pv *xs = vb_pv_get(t, "XRefStm");
            const vb_pv *tt;
            if (xs && xs->kind == VB_PV_NUM && xs->num >= 0 && !read_xref_stream(r, (uint64_t)xs->num, &tt, d)) goto badxref;
        } else {
            if (!read_xref_stream(r, off, &t, d)) goto badxref;
            if (first) r->xref_stream = true;
        }
        if (first) r->trailer = t;
        const vb_pv *prev = vb_pv_get(t, "Prev");
        if (!prev || prev->kind != VB_PV_NUM || prev->num < 0) break;
        off = (uint64_t)prev->num;
    }
chain_done:
    if (vb_pv_get(r->trailer, "Encrypt")) {
        vb_error(d, VB_EXIT_INPUT, "%s: the file is encrypted; decrypt it first (e.g. qpdf --decrypt)", name);
        goto fail;
    }
    const vb_pv *size = vb_pv_get(r->trailer, "Size");
    if (!size || size->kind != VB_PV_NUM || size->num < 1 || size->num > MAX_OBJECTS) {
        vb_error(d, VB_EXIT_INPUT, "%s: the trailer has no valid /Size", name);
        goto fail;
    }
    if (!grow_x(r, (uint64_t)size->num)) goto badxref;
    r->cache = vb_alloc(a, r->nx * sizeof *r->cache);
    r->busy = vb_alloc(a, r->nx);
    r->os_num = 0;
    *out = r;
    return true;
badxref:
    vb_error(d, VB_EXIT_INPUT, "%s: the cross-reference at byte %llu cannot be read (damaged file?)", name,
             (unsigned long long)off);
fail:
    free(r->x);
    vb_arena_free(a);
    return false;
}

void vb_pdfr_free(vb_pdfr *r)
{
    if (!r) return;
    free(r->x);
    free(r->os_data);
    vb_arena_free(r->a);
}

const vb_pv *vb_pdfr_trailer(const vb_pdfr *r) { return r->trailer; }
size_t vb_pdfr_startxref(const vb_pdfr *r) { return r->startxref; }
bool vb_pdfr_xref_is_stream(const vb_pdfr *r) { return r->xref_stream; }
uint32_t vb_pdfr_size(const vb_pdfr *r)
{
    /* every section's /Size and entries counted: a file whose newest /Size
     * is too small must not make us reuse a number an older section has */
    return r->nx;
}

static const vb_pv NULL_PV = { .kind = VB_PV_NULL };

/* object idx of object stream osn */
static bool from_objstm(vb_pdfr *r, uint32_t osn, uint32_t num, uint32_t idx, const vb_pv **out, vb_diag *d)
{
    if (osn >= r->nx || r->x[osn].type != 1) return false;
    const vb_pv *s;
    if (!parse_indirect(r, r->x[osn].off, osn, &s, d)) return false;
    int n = num_or(vb_pv_get(s, "N"), -1), first = num_or(vb_pv_get(s, "First"), -1);
    if (s->kind != VB_PV_STREAM || n < 0 || first < 0 || idx >= (uint32_t)n) return false;
    if (r->os_num != osn) {
        free(r->os_data);
        r->os_data = NULL;
        r->os_num = 0;
        if (!vb_pdfr_stream_data(r, s, 64u << 20, &r->os_data, &r->os_len, d)) return false;
        r->os_num = osn;
    }
    /* parse the header with a lexer over the decoded data: swap buffers */
    vb_pdfr sub = *r;
    sub.p = r->os_data;
    sub.len = r->os_len;
    lex l = { &sub, 0, (size_t)first < r->os_len ? (size_t)first : r->os_len };
    uint64_t onum = 0, ooff = 0;
    for (uint32_t k = 0; k <= idx; k++) {
        skip_ws(&l);
        if (!peek_uint(&l, &l.i, &onum)) return false;
        skip_ws(&l);
        if (!peek_uint(&l, &l.i, &ooff)) return false;
    }
    if (onum != num || (uint64_t)first + ooff >= r->os_len) return false;
    lex v = { &sub, (size_t)(first + ooff), r->os_len };
    vb_pv *val;
    if (!parse_value(&v, &val, 0)) return false;
    *out = val;
    return true;
}

const vb_pv *vb_pdfr_object(vb_pdfr *r, uint32_t num, vb_diag *d)
{
    /* while the cross-reference is read (r->cache not made yet) a
     * reference cannot be followed: an indirect /Length is then found
     * from endstream */
    if (!r->cache || num == 0 || num >= r->nx || !r->x[num].set || r->x[num].type == 0) return &NULL_PV;
    if (r->cache[num]) return r->cache[num];
    if (r->busy[num]) {
        vb_error(d, VB_EXIT_INPUT, "%s: object %u refers to itself", r->name, (unsigned)num);
        return NULL;
    }
    r->busy[num] = 1;
    const vb_pv *v = NULL;
    bool ok;
    if (r->x[num].type == 1) ok = parse_indirect(r, r->x[num].off, num, &v, d);
    else {
        ok = from_objstm(r, (uint32_t)r->x[num].off, num, r->x[num].idx, &v, d);
        if (!ok) vb_error(d, VB_EXIT_INPUT, "%s: object %u: cannot be read from object stream %llu", r->name,
                          (unsigned)num, (unsigned long long)r->x[num].off);
    }
    r->busy[num] = 0;
    if (!ok) return NULL;
    r->cache[num] = v;
    return v;
}

static const vb_pv *resolve_num(vb_pdfr *r, const vb_pv *v, vb_diag *d)
{
    return vb_pdfr_resolve(r, v, d);
}

const vb_pv *vb_pdfr_resolve(vb_pdfr *r, const vb_pv *v, vb_diag *d)
{
    if (!v || v->kind != VB_PV_REF) return v;
    return vb_pdfr_object(r, v->ref_num, d);
}

static bool is_name(const vb_pv *v, const char *s) { return v && v->kind == VB_PV_NAME && !strcmp(v->s, s); }

bool vb_pdfr_page(vb_pdfr *r, int index, uint32_t *num, const vb_pv **page, int *count, vb_diag *d)
{
    const vb_pv *cat = vb_pdfr_resolve(r, vb_pv_get(r->trailer, "Root"), d);
    if (!cat || cat->kind != VB_PV_DICT) { vb_error(d, VB_EXIT_INPUT, "%s: no document catalog (/Root)", r->name); return false; }
    const vb_pv *pref = vb_pv_get(cat, "Pages");
    const vb_pv *node = vb_pdfr_resolve(r, pref, d);
    const vb_pv *tc = node ? vb_pdfr_resolve(r, vb_pv_get(node, "Count"), d) : NULL;
    *count = tc && tc->kind == VB_PV_NUM && tc->num >= 0 && tc->num < 1e7 ? (int)tc->num : 0;
    if (index < 0 || index >= *count) {
        vb_error(d, VB_EXIT_INPUT, "%s: there is no page %d (the document has %d)", r->name, index + 1, *count);
        return false;
    }
    int skip = index;
    uint32_t nodenum = pref && pref->kind == VB_PV_REF ? pref->ref_num : 0;
    for (int depth = 0; node && depth < VB_PDFR_DEPTH; depth++) {
        if (is_name(vb_pv_get(node, "Type"), "Page") || !vb_pv_get(node, "Kids")) {
            if (skip == 0 && nodenum) { *num = nodenum; *page = node; return true; }
            break;
        }
        const vb_pv *kids = vb_pdfr_resolve(r, vb_pv_get(node, "Kids"), d);
        if (!kids || kids->kind != VB_PV_ARRAY) break;
        const vb_pv *next = NULL;
        for (size_t k = 0; k < kids->len; k++) {
            const vb_pv *kid = vb_pdfr_resolve(r, kids->items[k], d);
            if (!kid || kid->kind != VB_PV_DICT) { next = NULL; break; }
            int n = 1;
            if (!is_name(vb_pv_get(kid, "Type"), "Page")) {
                const vb_pv *c = vb_pdfr_resolve(r, vb_pv_get(kid, "Count"), d);
                n = c && c->kind == VB_PV_NUM && c->num >= 0 ? (int)c->num : 0;
            }
            if (skip < n) {
                next = kid;
                nodenum = kids->items[k]->kind == VB_PV_REF ? kids->items[k]->ref_num : 0;
                break;
            }
            skip -= n;
        }
        node = next;
    }
    vb_error(d, VB_EXIT_INPUT, "%s: the page tree is damaged (page %d not found)", r->name, index + 1);
    return false;
}

void vb_pv_write(vb_buf *b, const vb_pv *v)
{
    static const char hex[] = "0123456789ABCDEF";
    switch (v->kind) {
    case VB_PV_NULL: vb_buf_puts(b, "null"); break;
    case VB_PV_BOOL: vb_buf_puts(b, v->b ? "true" : "false"); break;
    case VB_PV_NUM: vb_buf_puts(b, v->raw); break;
    case VB_PV_REF: vb_buf_printf(b, "%u %u R", (unsigned)v->ref_num, (unsigned)v->ref_gen); break;
    case VB_PV_NAME:
        vb_buf_putc(b, '/');
        for (const unsigned char *c = (const unsigned char *)v->s; *c; c++) {
            if (*c < 0x21 || *c > 0x7E || *c == '#' || is_delim(*c)) {
                vb_buf_putc(b, '#');
                vb_buf_putc(b, hex[*c >> 4]);
                vb_buf_putc(b, hex[*c & 15]);
            } else vb_buf_putc(b, (char)*c);
        }
        break;
    case VB_PV_STR:
        vb_buf_putc(b, '<');
        for (size_t i = 0; i < v->len; i++) {
            vb_buf_putc(b, hex[(unsigned char)v->s[i] >> 4]);
            vb_buf_putc(b, hex[(unsigned char)v->s[i] & 15]);
        }
        vb_buf_putc(b, '>');
        break;
    case VB_PV_ARRAY:
        vb_buf_putc(b, '[');
        for (size_t i = 0; i < v->len; i++) {
            if (i) vb_buf_putc(b, ' ');
            vb_pv_write(b, v->items[i]);
        }
        vb_buf_putc(b, ']');
        break;
    case VB_PV_DICT:
        vb_buf_puts(b, "<<");
        for (size_t i = 0; i < v->len; i++) {
            vb_pv name = { .kind = VB_PV_NAME, .s = v->keys[i] };
            vb_buf_putc(b, ' ');
            vb_pv_write(b, &name);
            vb_buf_putc(b, ' ');
            vb_pv_write(b, v->items[i]);
        }
        vb_buf_puts(b, " >>");
        break;
    case VB_PV_STREAM: vb_buf_puts(b, "null"); break;   /* streams are never written inline */
    }
}
