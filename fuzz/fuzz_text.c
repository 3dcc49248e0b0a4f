/* fuzz_text.c — the text layer (text.h) on arbitrary arguments.
 *
 * Input layout: 8 bytes integer A, 8 bytes integer B, 1 byte C (small
 * options), then up to four strings separated by NUL bytes (missing bytes
 * read as zero, missing strings as "").  Every function of text.h is called
 * with them, and the results are checked against simple references:
 * vb_utf8_valid against utf8proc's decoder, vb_format_int against printf,
 * dates printed back as parsed, case mapping keeping valid UTF-8, vb_nfc
 * equal to utf8proc's NFC (vb_nfc_quick lets it skip utf8proc). */
#include "common.h"
#include "text.h"

#include <inttypes.h>
#include <utf8proc.h>

static int64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return (int64_t)v;
}

/* Reference validator: utf8proc's decoder, and no NUL (records never hold
 * one; vb_utf8_valid rejects it). */
static bool ref_valid(const uint8_t *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == 0) { *bad = i; return false; }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp < 0) { *bad = i; return false; }
        i += (size_t)n;
    }
    return true;
}

static void check_utf8(const char *what, const char *r)
{
    if (!r) return;
    size_t bad;
    FUZZ_ASSERT(vb_utf8_valid(r, strlen(r), &bad), "%s gave invalid UTF-8 at %zu", what, bad);
}

static void strings(vb_arena *a, const char *s)
{
    size_t len = strlen(s), bad;
    bool valid = vb_utf8_valid(s, len, &bad);
    int32_t cp;
    (void)vb_has_xml_forbidden(s, &cp);
    (void)vb_has_invisible(s, &cp);
    size_t count = vb_utf8_count(s);
    FUZZ_ASSERT(count <= len, "%zu code points in %zu bytes", count, len);
    size_t steps = 0;
    for (const char *p = s; *p; steps++) {
        int n = vb_utf8_next(p, &cp);
        FUZZ_ASSERT(n >= 1 && n <= 4 && (size_t)n <= strlen(p), "vb_utf8_next took %d bytes", n);
        char enc[4];
        int m = vb_utf8_put(cp, enc);
        FUZZ_ASSERT(m >= 1 && m <= 4, "vb_utf8_put wrote %d bytes", m);
        if (valid) FUZZ_ASSERT(m == n && !memcmp(enc, p, (size_t)n), "decode/encode differ");
        p += n;
    }
    FUZZ_ASSERT(steps == count, "vb_utf8_count %zu, walk %zu", count, steps);

    /* Robust on anything (text.c promises not to overrun), exact on valid. */
    char *nfc = vb_nfc(a, s), *up = vb_upper(a, s), *lo = vb_lower(a, s), *cap = vb_capfirst(a, s);
    if (valid) {
        FUZZ_ASSERT(nfc && up && lo && cap, "NULL from NFC or case mapping of valid text");
        check_utf8("vb_nfc", nfc);
        check_utf8("vb_upper", up);
        check_utf8("vb_lower", lo);
        check_utf8("vb_capfirst", cap);
        char *nfc2 = vb_nfc(a, nfc);
        FUZZ_ASSERT(nfc2 && !strcmp(nfc, nfc2), "NFC not idempotent");
        /* vb_nfc skips utf8proc for text it deems NFC already: the same
         * result as utf8proc itself */
        utf8proc_uint8_t *ref = NULL;
        utf8proc_ssize_t rn = utf8proc_map((const utf8proc_uint8_t *)s, 0, &ref,
                                           UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (rn >= 0 && ref) FUZZ_ASSERT(!strcmp((const char *)ref, nfc), "vb_nfc differs from utf8proc");
        if (vb_nfc_quick(s)) FUZZ_ASSERT(!strcmp(s, nfc), "vb_nfc_quick accepted text NFC changes");
        free(ref);
        char *up2 = vb_upper(a, nfc);
        FUZZ_ASSERT(up2 && !strcmp(up, up2), "upper(s) != upper(nfc(s))");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t head[17] = {0};
    memcpy(head, data, size < 17 ? size : 17);
    int64_t A = get64(head), B = get64(head + 8);
    unsigned C = head[16];
    const uint8_t *rest = size > 17 ? data + 17 : data;
    size_t rlen = size > 17 ? size - 17 : 0;

    /* vb_utf8_valid against the reference, on the raw bytes */
    size_t bad = (size_t)-1, rbad = (size_t)-1;
    bool v = vb_utf8_valid((const char *)rest, rlen, &bad), rv = ref_valid(rest, rlen, &rbad);
    FUZZ_ASSERT(v == rv, "vb_utf8_valid %d, reference %d", v, rv);
    if (!v) FUZZ_ASSERT(bad == rbad, "bad offset %zu, reference %zu", bad, rbad);

    /* up to four NUL-separated strings */
    char *buf = fuzz_cstr(rest, rlen);
    const char *s[4] = { "", "", "", "" };
    int ns = 0;
    for (size_t i = 0, start = 0; i <= rlen && ns < 4; i++)
        if (i == rlen || buf[i] == 0) { s[ns++] = buf + start; start = i + 1; }

    vb_arena *a = vb_arena_new();
    for (int i = 0; i < ns; i++) strings(a, s[i]);

    /* dates and times */
    int y, m, d, h, mi;
    if (vb_parse_date(s[0], &y, &m, &d)) {
        char *w = vb_date_words(a, y, m, d), *sh = vb_date_short(a, y, m, d);
        FUZZ_ASSERT(w && sh, "a parsed date does not print");
        char back[16];
        snprintf(back, sizeof back, "%02d/%02d/%04d", d, m, y);
        FUZZ_ASSERT(!strcmp(sh, back), "date_short %s for %s", sh, s[0]);
        FUZZ_ASSERT(strlen(s[0]) == 10, "date of %zu bytes accepted", strlen(s[0]));
    }
    if (vb_parse_time(s[1], &h, &mi)) {
        FUZZ_ASSERT(h >= 0 && h <= 23 && mi >= 0 && mi <= 59, "time %d:%d", h, mi);
        FUZZ_ASSERT(vb_time_words(a, h, mi), "a parsed time does not print");
    }
    check_utf8("vb_date_words", vb_date_words(a, (int)A, (int)(A >> 32), (int)B));
    check_utf8("vb_date_short", vb_date_short(a, (int)B, (int)(B >> 32), (int)A));
    check_utf8("vb_time_words", vb_time_words(a, (int)A, (int)B));

    /* numbers: vb_format_int without its dots is printf's %lld */
    char *fi = vb_format_int(a, A), ref[32], plain[64];
    snprintf(ref, sizeof ref, "%" PRId64, A);
    size_t o = 0;
    for (const char *p = fi; *p && o < sizeof plain - 1; p++) if (*p != '.') plain[o++] = *p;
    plain[o] = 0;
    FUZZ_ASSERT(!strcmp(plain, ref), "vb_format_int(%s) = %s", ref, fi);
    int dec = (int)(C % 40) - 4;
    char *fd = vb_format_decimal(a, B, dec);
    FUZZ_ASSERT((fd != NULL) == (dec >= 0 && dec <= 30), "vb_format_decimal(%d decimals)", dec);
    check_utf8("vb_format_decimal", fd);
    char *pc = vb_percent(a, A, B);
    FUZZ_ASSERT((pc != NULL) == (B > 0), "vb_percent base %" PRId64, B);
    if (pc) FUZZ_ASSERT(pc[strlen(pc) - 1] == '%' && strchr(pc, ','), "vb_percent: %s", pc);
    check_utf8("vb_num2", vb_num2(a, A));

    /* document numbers and numbering */
    char *dn = vb_docnum(a, (C & 1) ? VB_STATE : VB_PARTY, A, (C & 2) ? NULL : s[2], (C & 4) ? NULL : s[3]);
    FUZZ_ASSERT((dn != NULL) == !(C & 4), "vb_docnum without an issuer code");
    char *ro = vb_roman(a, A);
    FUZZ_ASSERT(ro, "vb_roman NULL");
    if (A >= 1 && A <= 3999) {
        FUZZ_ASSERT(strlen(ro) <= 15 && strspn(ro, "IVXLCDM") == strlen(ro), "vb_roman(%" PRId64 ") = %s", A, ro);
    }
    char *al = vb_alpha(a, A);
    FUZZ_ASSERT(al, "vb_alpha NULL");
    check_utf8("vb_alpha", al);
    if (A >= 1) FUZZ_ASSERT(vb_utf8_count(al) <= 14, "vb_alpha(%" PRId64 ") = %s", A, al);
    char *nf = vb_numfmt(a, s[0], B);
    FUZZ_ASSERT(nf, "vb_numfmt NULL");
    check_utf8("vb_numfmt", v ? nf : NULL);

    vb_arena_free(a);
    free(buf);
    return 0;
}
