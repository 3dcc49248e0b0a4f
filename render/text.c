/* text.c — Vietnamese text conventions: UTF-8 checks, NFC, case mapping,
 * dates, numbers, document numbers, heading numbering.
 *
 * Every string walk is bounded by the terminating NUL (decoding stops at a
 * byte that is not a continuation byte), so no input — even invalid UTF-8,
 * which callers are supposed to have rejected — makes us read past the end.
 * Arithmetic is integer-only so printed figures are exact and reproducible. */
#include "text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* 128-bit arithmetic: GCC/Clang extension; keeps vb_percent exact for any
 * int64 counts. __extension__ silences -pedantic. */
__extension__ typedef unsigned __int128 vb_u128;

/* ---- UTF-8 ---- */

/* Length of the well-formed sequence at s (at most `avail` bytes looked at),
 * or 0 if it is ill-formed.  Follows the Unicode table of well-formed byte
 * sequences (Table 3-7), which excludes overlongs, surrogates and values
 * above U+10FFFF by restricting the second byte's range. */
static int utf8_seq(const unsigned char *s, size_t avail, int32_t *cp)
{
    unsigned c = s[0];
    int n;
    unsigned lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
    int32_t v;
    if (c < 0x80) { *cp = (int32_t)c; return 1; }
    if (c < 0xC2) return 0;                               /* stray continuation or C0/C1 overlong */
    if (c < 0xE0) { n = 2; v = c & 0x1F; }
    else if (c < 0xF0) {
        n = 3; v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;                         /* overlong below U+0800 */
        else if (c == 0xED) hi = 0x9F;                    /* surrogates U+D800..DFFF */
    } else if (c < 0xF5) {
        n = 4; v = c & 0x07;
        if (c == 0xF0) lo = 0x90;                         /* overlong below U+10000 */
        else if (c == 0xF4) hi = 0x8F;                    /* above U+10FFFF */
    } else return 0;
    for (int i = 1; i < n; i++) {
        /* A NUL terminator is not a continuation byte, so this never steps
         * past the end of a C string. */
        if ((size_t)i >= avail) return 0;
        unsigned b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return 0;
        v = (v << 6) | (int32_t)(b & 0x3F);
    }
    *cp = v;
    return n;
}

bool vb_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    size_t dummy;
    if (!bad_offset) bad_offset = &dummy;
    if (!s) { *bad_offset = 0; return len == 0; }
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* Records never contain NUL; one here means binary garbage or a
         * truncated C string, so report it like any other bad byte. */
        if (u[i] == 0) { *bad_offset = i; return false; }
        if (u[i] < 0x80) { i++; continue; }       /* most bytes: no call */
        int32_t cp;
        /* The offset reported is where the ill-formed sequence starts (the
         * lead byte of a truncated or overlong character), which is what a
         * user can find in an editor. */
        int n = utf8_seq(u + i, len - i, &cp);
        if (!n) { *bad_offset = i; return false; }
        i += (size_t)n;
    }
    return true;
}

int vb_utf8_next(const char *s, int32_t *cp)
{
    int32_t dummy;
    if (!cp) cp = &dummy;
    if (!s) { *cp = 0; return 0; }
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) { *cp = u[0]; return 1; }   /* most text: no call */
    /* Vietnamese letters outside ASCII: two bytes (U+0080..07FF) or three
     * with a lead byte that has no overlong or surrogate form (U+1Exx is
     * E1 BA/BB xx); decoded here, the same as utf8_seq would */
    if (u[0] >= 0xC2 && u[0] < 0xE0 && (u[1] & 0xC0) == 0x80) {
        *cp = (int32_t)((u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu));
        return 2;
    }
    if (u[0] >= 0xE1 && u[0] < 0xF0 && u[0] != 0xED && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *cp = (int32_t)((u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
        return 3;
    }
    /* avail = 4: the decoder stops at the first non-continuation byte
     * (including the terminating NUL), so it cannot overrun. */
    int n = utf8_seq((const unsigned char *)s, 4, cp);
    if (n) return n;
    /* Ill-formed: consume one byte so callers' loops always progress. */
    *cp = 0xFFFD;
    return 1;
}

int vb_utf8_put(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    /* Anything unencodable becomes U+FFFD rather than invalid output. */
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) { o[0] = (unsigned char)c; return 1; }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

size_t vb_utf8_count(const char *s)
{
    size_t n = 0;
    if (!s) return 0;
    while (*s) { int32_t cp; s += vb_utf8_next(s, &cp); n++; }
    return n;
}

/* ---- normalisation and case ---- */

/* True when s is well-formed and certainly NFC already: every character
 * is a starter that NFC leaves alone and that cannot combine with a
 * neighbour in this set — Latin below U+0300, the precomposed Vietnamese
 * letters (U+1E00..U+1EFF) and general punctuation.  Nearly every record
 * string is; it then skips utf8proc (a tenth of a whole render).  The unit
 * test checks every code point of the set against utf8proc. */
bool vb_nfc_quick(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        if (*u < 0x80) { u++; continue; }
        int32_t cp;
        int n = utf8_seq(u, 4, &cp);
        if (!n) return false;
        if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x205E)))
            return false;
        u += n;
    }
    return true;
}

/* NFC of s copied into the arena; NULL if utf8proc rejects the input
 * (ill-formed UTF-8, or too long to map). */
static char *nfc_into(vb_arena *a, const char *s)
{
    if (vb_nfc_quick(s)) return vb_strdup(a, s);
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n == UTF8PROC_ERROR_NOMEM) vb_oom();
    if (n < 0 || !out) { free(out); return NULL; }
    char *r = vb_strndup(a, (const char *)out, (size_t)n);
    free(out);
    return r;
}

char *vb_nfc(vb_arena *a, const char *s)
{
    if (!s) return NULL;
    return nfc_into(a, s);
}

static bool is_letter(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return true;
    default:
        return false;
    }
}

/* Map case code point by code point on the NFC form.  Simple (1:1) mappings
 * only: precomposed Vietnamese letters map to their precomposed partners, so
 * every diacritic and the user's tone placement (ủy / uỷ) survive untouched.
 * The result is re-normalised because a few mappings elsewhere in Unicode
 * (e.g. U+0345) change canonical ordering.  `only_first` stops after the
 * first letter (vb_capfirst). */
static char *map_case(vb_arena *a, const char *s, bool upper, bool only_first)
{
    if (!s) return NULL;
    char *n = nfc_into(a, s);
    if (!n) return NULL;
    vb_buf b = {0};
    const char *p = n;
    bool done = false;
    while (*p) {
        int32_t cp;
        int len = vb_utf8_next(p, &cp);
        if (!done && (!only_first || is_letter(cp))) {
            int32_t m = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
            char enc[4];
            vb_buf_add(&b, enc, (size_t)vb_utf8_put(m, enc));
            if (only_first) done = true;
        } else {
            vb_buf_add(&b, p, (size_t)len);
        }
        p += len;
    }
    char *r = nfc_into(a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

char *vb_upper(vb_arena *a, const char *s) { return map_case(a, s, true, false); }
char *vb_lower(vb_arena *a, const char *s) { return map_case(a, s, false, false); }
/* Skips leading quotes, brackets, digits and spaces: the first *letter* is
 * what a reader sees as the start of the sentence. */
char *vb_capfirst(vb_arena *a, const char *s) { return map_case(a, s, true, true); }

/* ---- dates and times ---- */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;   /* also stops at NUL */
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Same rule for parsing and printing, so a date we print is one we accept. */
static bool valid_date(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
    int max = mdays[m - 1] + (m == 2 && leap(y));
    return d <= max;
}

bool vb_parse_date(const char *s, int *y, int *m, int *d)
{
    int yy, mm, dd;
    /* Checked left to right with short-circuit: a short string fails at its
     * NUL before anything beyond it is read. */
    if (!s || !digits(s, 4, &yy) || s[4] != '-' || !digits(s + 5, 2, &mm) ||
        s[7] != '-' || !digits(s + 8, 2, &dd) || s[10] != '\0')
        return false;
    if (!valid_date(yy, mm, dd)) return false;
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return true;
}

bool vb_parse_time(const char *s, int *h, int *min)
{
    int hh, mi;
    if (!s || !digits(s, 2, &hh) || s[2] != ':' || !digits(s + 3, 2, &mi) || s[5] != '\0')
        return false;
    if (hh > 23 || mi > 59) return false;
    if (h) *h = hh;
    if (min) *min = mi;
    return true;
}

/* Invalid dates give NULL rather than printing "tháng 13" on a signed
 * document. */
char *vb_date_words(vb_arena *a, int y, int m, int d)
{
    if (!valid_date(y, m, d)) return NULL;
    /* Convention (Nghị định 30/2020, Quy định 66-QĐ/TW): days below 10 and
     * months 1, 2 take a leading zero so nobody can add a digit by hand. */
    if (m <= 2) return vb_sprintf(a, "ngày %02d tháng %02d năm %d", d, m, y);
    return vb_sprintf(a, "ngày %02d tháng %d năm %d", d, m, y);
}

char *vb_date_short(vb_arena *a, int y, int m, int d)
{
    if (!valid_date(y, m, d)) return NULL;
    return vb_sprintf(a, "%02d/%02d/%d", d, m, y);
}

char *vb_time_words(vb_arena *a, int h, int min)
{
    if (h < 0 || h > 23 || min < 0 || min > 59) return NULL;
    return vb_sprintf(a, "%02d giờ %02d phút", h, min);
}

/* ---- numbers ---- */

/* Sign + magnitude with `decimals` fractional digits, "." every three
 * integer digits and "," before the fraction, then `suffix`.  Magnitude is
 * unsigned 128-bit so INT64_MIN and percentages of huge counts are exact. */
static char *fmt_fixed(vb_arena *a, bool neg, vb_u128 mag, int decimals, const char *suffix)
{
    char dig[64];                     /* 2^128 has 39 digits */
    int nd = 0;
    do { dig[nd++] = (char)('0' + (int)(mag % 10)); mag /= 10; } while (mag);
    while (nd < decimals + 1) dig[nd++] = '0';   /* "0,05": at least one integer digit */
    /* dig[] is little-endian. */
    int nint = nd - decimals;
    char out[160];
    int o = 0;
    if (neg) out[o++] = '-';
    for (int i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0) out[o++] = '.';
        out[o++] = dig[nd - 1 - i];
    }
    if (decimals > 0) {
        out[o++] = ',';
        for (int i = nint; i < nd; i++) out[o++] = dig[nd - 1 - i];
    }
    out[o] = 0;
    return vb_sprintf(a, "%s%s", out, suffix);
}

static vb_u128 mag64(int64_t v)
{
    /* -(v+1)+1 avoids negating INT64_MIN. */
    return v < 0 ? (vb_u128)(uint64_t)(-(v + 1)) + 1 : (vb_u128)(uint64_t)v;
}

char *vb_format_int(vb_arena *a, int64_t v)
{
    return fmt_fixed(a, v < 0, mag64(v), 0, "");
}

/* decimals outside 0..30 is a caller bug; NULL makes it visible. */
char *vb_format_decimal(vb_arena *a, int64_t scaled, int decimals)
{
    if (decimals < 0 || decimals > 30) return NULL;
    return fmt_fixed(a, scaled < 0, mag64(scaled), decimals, "");
}

char *vb_percent(vb_arena *a, int64_t part, int64_t base)
{
    if (base <= 0) return NULL;
    /* round(|part| * 10000 / base) half up, in hundredths of a percent;
     * |part| * 20000 < 2^78, far inside 128 bits. */
    vb_u128 b = (vb_u128)(uint64_t)base;
    vb_u128 q = (mag64(part) * 20000 + b) / (2 * b);
    /* Half away from zero for negatives (symmetry); no "-0,00%". */
    return fmt_fixed(a, part < 0 && q != 0, q, 2, "%");
}

/* ---- document numbers ---- */

char *vb_num2(vb_arena *a, int64_t n)
{
    return vb_sprintf(a, "%02" PRId64, n);
}

char *vb_docnum(vb_arena *a, vb_convention c, int64_t number,
                const char *type_code, const char *issuer_code)
{
    if (!issuer_code) return NULL;
    /* " 15" after "Số"/"Số:"; an unnumbered draft gets VB_DOCNUM_BLANK
     * no-break spaces there instead: room for the clerk to write the number
     * by hand after signing.  No-break, because the layout and Word collapse
     * or break at ordinary spaces; twelve, because at 13-14 pt they are
     * 13.8-14.8 mm (U+00A0 is 1/4 em in Times and Liberation Serif), enough
     * to write "07" by hand. */
    const char *num = number > 0 ? vb_sprintf(a, " %02" PRId64, number) : VB_DOCNUM_BLANK;
    bool typed = type_code && *type_code;
    if (c == VB_PARTY) {
        /* Party (Quy định 66-QĐ/TW): "Số 15-NQ/ĐUK", number-type/issuer. */
        if (typed) return vb_sprintf(a, "Số%s-%s/%s", num, type_code, issuer_code);
        return vb_sprintf(a, "Số%s/%s", num, issuer_code);
    }
    /* State (Nghị định 30/2020): "Số: 15/NQ-HĐND", number/type-issuer;
     * a công văn has no type: "Số: 12/UBND". */
    if (typed) return vb_sprintf(a, "Số:%s/%s-%s", num, type_code, issuer_code);
    return vb_sprintf(a, "Số:%s/%s", num, issuer_code);
}

/* ---- numbering ---- */

static void roman_into(char *out, int64_t n)
{
    static const struct { int v; const char *s; } t[] = {
        { 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" }, { 100, "C" },
        { 90, "XC" }, { 50, "L" }, { 40, "XL" }, { 10, "X" }, { 9, "IX" },
        { 5, "V" }, { 4, "IV" }, { 1, "I" },
    };
    char *o = out;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        while (n >= t[i].v) { size_t l = strlen(t[i].s); memcpy(o, t[i].s, l); o += l; n -= t[i].v; }
    *o = 0;
}

/* Out of range (no roman numeral for 0, negatives or >= 4000): the arabic
 * number is still a readable heading, better than nothing. */
char *vb_roman(vb_arena *a, int64_t n)
{
    if (n < 1 || n > 3999) return vb_sprintf(a, "%" PRId64, n);
    char buf[32];                     /* longest: MMMDCCCLXXXVIII, 15 chars */
    roman_into(buf, n);
    return vb_strdup(a, buf);
}

/* The 23 letters used to number points (điểm) in Vietnamese legal text:
 * no f, j, w, z; đ after d; no ă, â, ê, ô, ơ, ư. */
static const char *const alpha23[23] = {
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
};

/* Bijective base 23: 1 -> a, 23 -> y, 24 -> aa, 25 -> ab.  n <= 0 has no
 * letter; the arabic number is returned as for vb_roman. */
char *vb_alpha(vb_arena *a, int64_t n)
{
    if (n < 1) return vb_sprintf(a, "%" PRId64, n);
    const char *digs[32];             /* 23^14 > 2^63: at most 14 letters */
    int nd = 0;
    uint64_t v = (uint64_t)n;
    while (v) { v--; digs[nd++] = alpha23[v % 23]; v /= 23; }
    char buf[64];
    size_t o = 0;
    while (nd) { const char *d = digs[--nd]; size_t l = strlen(d); memcpy(buf + o, d, l); o += l; }
    buf[o] = 0;
    return vb_strdup(a, buf);
}

char *vb_numfmt(vb_arena *a, const char *fmt, int64_t n)
{
    if (!fmt) return NULL;
    vb_buf b = {0};
    char tmp[32];
    for (const char *p = fmt; *p; p++) {
        /* Unknown directives and a lone trailing '%' are copied literally:
         * a style file typo shows up in print instead of vanishing. */
        if (*p != '%' || !p[1]) { vb_buf_putc(&b, *p); continue; }
        switch (p[1]) {
        case 'R': case 'r':
            if (n >= 1 && n <= 3999) {
                roman_into(tmp, n);
                if (p[1] == 'r') for (char *t = tmp; *t; t++) *t = (char)(*t - 'A' + 'a');
                vb_buf_puts(&b, tmp);
            } else {
                vb_buf_printf(&b, "%" PRId64, n);
            }
            break;
        case 'd': vb_buf_printf(&b, "%" PRId64, n); break;
        case 'a': vb_buf_puts(&b, vb_alpha(a, n)); break;
        case '%': vb_buf_putc(&b, '%'); break;
        default: vb_buf_putc(&b, '%'); vb_buf_putc(&b, p[1]); break;
        }
        p++;
    }
    char *r = vb_strdup(a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

/* ---- character checks ---- */

/* Lenient decoder for the scanners: surrogates encoded as ED A0..BF xx are
 * decoded as themselves (so they can be reported by value); any other
 * ill-formed byte becomes U+FFFD with *bad set. */
static int scan_next(const char *s, int32_t *cp, bool *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    *bad = false;
    if (u[0] < 0x80) { *cp = u[0]; return 1; }     /* most text: no call */
    if (u[0] == 0xED && u[1] >= 0xA0 && u[1] <= 0xBF && u[2] >= 0x80 && u[2] <= 0xBF) {
        *cp = 0xD000 | ((int32_t)(u[1] & 0x3F) << 6) | (int32_t)(u[2] & 0x3F);
        return 3;
    }
    int n = utf8_seq(u, 4, cp);
    if (n) return n;
    *cp = 0xFFFD;
    *bad = true;
    return 1;
}

bool vb_has_xml_forbidden(const char *s, int32_t *cp)
{
    int32_t dummy;
    if (!cp) cp = &dummy;
    if (!s) return false;
    while (*s) {
        int32_t c;
        bool bad;
        /* ASCII needs no decoding: only its controls are forbidden */
        unsigned char b = (unsigned char)*s;
        if (b < 0x80) {
            if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) { *cp = b; return true; }
            s++;
            continue;
        }
        s += scan_next(s, &c, &bad);
        /* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
         * [#x10000-#x10FFFF].  Bytes that are not UTF-8 at all cannot be
         * written either; they are reported as U+FFFD. */
        if (bad || (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) ||
            (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF) {
            *cp = c;
            return true;
        }
    }
    return false;
}

bool vb_has_invisible(const char *s, int32_t *cp)
{
    int32_t dummy;
    if (!cp) cp = &dummy;
    if (!s) return false;
    while (*s) {
        int32_t c;
        bool bad;
        /* every character looked for is U+2xxx (lead byte E2) or U+FEFF
         * (EF): other bytes, continuation bytes included, are passed over
         * without decoding (this ran over every string of every record) */
        unsigned char b = (unsigned char)*s;
        if (b != 0xE2 && b != 0xEF) { s++; continue; }
        s += scan_next(s, &c, &bad);
        if ((c >= 0x200B && c <= 0x200F) ||      /* ZWSP ZWNJ ZWJ LRM RLM */
            (c >= 0x202A && c <= 0x202E) ||      /* bidi embeddings/overrides */
            c == 0x2060 ||                        /* word joiner */
            (c >= 0x2066 && c <= 0x2069) ||      /* bidi isolates */
            c == 0xFEFF) {                        /* BOM / ZWNBSP */
            *cp = c;
            return true;
        }
    }
    return false;
}
