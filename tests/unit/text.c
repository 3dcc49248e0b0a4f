/* Unit tests for text.c: Vietnamese text conventions.
 * Expected strings are written out in full so a regression in utf8proc or
 * in our conventions shows as a visible diff. */
#include "text.h"
#include "check.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* vb_utf8_valid over a byte array (may contain NUL), returning the bad
 * offset or -1 when valid. */
static long bad_at(const char *s, size_t len)
{
    size_t off = 12345;
    if (vb_utf8_valid(s, len, &off)) return -1;
    return (long)off;
}
#define BAD(lit) bad_at(lit, sizeof lit - 1)

static void test_utf8(vb_arena *a)
{
    (void)a;
    /* valid */
    CHECK(BAD("") == -1);
    CHECK(BAD("Nghị quyết Đảng ủy") == -1);
    CHECK(BAD("\x7F") == -1);
    CHECK(BAD("\xC2\x80") == -1);                     /* U+0080, smallest 2-byte */
    CHECK(BAD("\xE0\xA0\x80") == -1);                 /* U+0800, smallest 3-byte */
    CHECK(BAD("\xED\x9F\xBF") == -1);                 /* U+D7FF, just below surrogates */
    CHECK(BAD("\xEE\x80\x80") == -1);                 /* U+E000, just above */
    CHECK(BAD("\xEF\xBF\xBF") == -1);                 /* U+FFFF is valid UTF-8 */
    CHECK(BAD("\xF0\x90\x80\x80") == -1);             /* U+10000 */
    CHECK(BAD("\xF4\x8F\xBF\xBF") == -1);             /* U+10FFFF, the last */
    CHECK(vb_utf8_valid(NULL, 0, NULL));
    CHECK(!vb_utf8_valid(NULL, 3, NULL));
    /* invalid: offset of the first byte of the bad sequence */
    CHECK(BAD("\xC0\x80") == 0);                      /* overlong NUL */
    CHECK(BAD("\xC1\xBF") == 0);                      /* overlong 2-byte */
    CHECK(BAD("ab\xE0\x80\x80") == 2);                /* overlong 3-byte */
    CHECK(BAD("\xE0\x9F\xBF") == 0);                  /* overlong U+07FF */
    CHECK(BAD("\xF0\x8F\xBF\xBF") == 0);              /* overlong 4-byte */
    CHECK(BAD("\xED\xA0\x80") == 0);                  /* U+D800 surrogate */
    CHECK(BAD("xy\xED\xBF\xBF") == 2);                /* U+DFFF surrogate */
    CHECK(BAD("\xF4\x90\x80\x80") == 0);              /* U+110000 */
    CHECK(BAD("\xF5\x80\x80\x80") == 0);
    CHECK(BAD("\xFF") == 0);
    CHECK(BAD("\xE1\xBB") == 0);                      /* truncated ố */
    CHECK(BAD("Đảng \xE1\xBB") == 8);
    CHECK(BAD("\xE1\xBB" "A") == 0);                  /* truncated, then ASCII */
    CHECK(BAD("\x80") == 0);                          /* lone continuation */
    CHECK(BAD("abc\x80") == 3);
    CHECK(BAD("ab\0cd") == 2);                        /* NUL is rejected */
    CHECK(BAD("\0") == 0);
    /* only len bytes are examined */
    CHECK(bad_at("ab\xE1\xBB\x91", 2) == -1);
    CHECK(bad_at("ab\xE1\xBB\x91", 4) == 2);
    CHECK(bad_at("ab\xE1\xBB\x91", 5) == -1);

    /* next / put / count */
    int32_t cp = -1;
    CHECK(vb_utf8_next("A", &cp) == 1 && cp == 'A');
    CHECK(vb_utf8_next("\xC4\x91", &cp) == 2 && cp == 0x111);          /* đ */
    CHECK(vb_utf8_next("\xE1\xBB\xB1", &cp) == 3 && cp == 0x1EF1);     /* ự */
    CHECK(vb_utf8_next("\xF0\x9F\x98\x80", &cp) == 4 && cp == 0x1F600);
    CHECK(vb_utf8_next("", &cp) == 1 && cp == 0);
    /* ill-formed input: one byte, U+FFFD, never past the NUL */
    CHECK(vb_utf8_next("\xE1\xBB", &cp) == 1 && cp == 0xFFFD);
    CHECK(vb_utf8_next("\x80", &cp) == 1 && cp == 0xFFFD);
    char out[4];
    CHECK(vb_utf8_put('A', out) == 1 && out[0] == 'A');
    CHECK(vb_utf8_put(0x111, out) == 2 && memcmp(out, "\xC4\x91", 2) == 0);
    CHECK(vb_utf8_put(0x1EF1, out) == 3 && memcmp(out, "\xE1\xBB\xB1", 3) == 0);
    CHECK(vb_utf8_put(0x10FFFF, out) == 4 && memcmp(out, "\xF4\x8F\xBF\xBF", 4) == 0);
    CHECK(vb_utf8_put(0xD800, out) == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0);
    CHECK(vb_utf8_put(0x110000, out) == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0);
    CHECK(vb_utf8_put(-5, out) == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0);
    /* round trip over every scalar value */
    bool rt = true;
    for (int32_t c = 1; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char buf[5] = {0};
        int n = vb_utf8_put(c, buf);
        int32_t back;
        size_t off;
        if (vb_utf8_next(buf, &back) != n || back != c || !vb_utf8_valid(buf, (size_t)n, &off)) {
            rt = false;
            break;
        }
    }
    CHECK(rt);
    /* every lead byte above ASCII with every second byte and the third
     * bytes where the ranges change: vb_utf8_next (which decodes two- and
     * three-byte letters itself) takes exactly what vb_utf8_valid takes */
    static const unsigned char thirds[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF };
    bool agree = true;
    for (unsigned b0 = 0x80; b0 <= 0xFF && agree; b0++)
        for (unsigned b1 = 0; b1 <= 0xFF && agree; b1++)
            for (size_t t = 0; t < sizeof thirds && agree; t++) {
                char buf[5] = { (char)b0, (char)b1, (char)thirds[t], (char)0x80, 0 };
                int want = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
                size_t off;
                bool valid = vb_utf8_valid(buf, (size_t)want, &off);
                int32_t got;
                int n = vb_utf8_next(buf, &got);
                char again[4];
                if (valid) agree = n == want && vb_utf8_put(got, again) == want && memcmp(again, buf, (size_t)want) == 0;
                else agree = n == 1 && got == 0xFFFD;
                if (!agree) fprintf(stderr, "utf8_next: %02X %02X %02X: %d U+%04X\n", b0, b1, thirds[t], n, (unsigned)got);
            }
    CHECK(agree);
    CHECK(vb_utf8_count("") == 0);
    CHECK(vb_utf8_count("Đảng ủy") == 7);
    CHECK(vb_utf8_count(NULL) == 0);
}

static void test_nfc_case(vb_arena *a)
{
    /* NFD -> NFC */
    CHECK_STR(vb_nfc(a, "\xC4\x90" "a" "\xCC\x89" "ng"), "\xC4\x90\xE1\xBA\xA3" "ng");   /* Đảng */
    CHECK_STR(vb_nfc(a, "\xC4\x90" "a" "\xCC\x89" "ng"), "Đảng");
    CHECK_STR(vb_nfc(a, "Nghi" "\xCC\xA3" " quye" "\xCC\x82\xCC\x81" "t"), "Nghị quyết");
    CHECK_STR(vb_nfc(a, "u" "\xCC\x89" "y"), "\xE1\xBB\xA7" "y");                          /* ủy */
    /* dot below and circumflex in either order compose to the same ệ */
    CHECK_STR(vb_nfc(a, "e" "\xCC\xA3\xCC\x82"), "\xE1\xBB\x87");
    CHECK_STR(vb_nfc(a, "e" "\xCC\x82\xCC\xA3"), "\xE1\xBB\x87");
    /* ư with hook above: o/u horn is a combining mark too */
    CHECK_STR(vb_nfc(a, "u" "\xCC\x9B\xCC\x89"), "ử");
    CHECK_STR(vb_nfc(a, "Đảng ủy Khối"), "Đảng ủy Khối");   /* NFC unchanged */
    CHECK_STR(vb_nfc(a, ""), "");
    CHECK(vb_nfc(a, NULL) == NULL);
    CHECK(vb_nfc(a, "\xC0\x80") == NULL);                     /* ill-formed: no result */
    CHECK(vb_nfc_quick("Đảng ủy Khối — “Nghị quyết” …"));
    CHECK(!vb_nfc_quick("Nghi" "\xCC\xA3"));                   /* a combining mark */
    CHECK(!vb_nfc_quick("\xC0\x80"));
    CHECK(!vb_nfc_quick("\xE2\x84\xA6"));                      /* U+2126 Ω becomes U+03A9 */

    /* upper */
    CHECK_STR(vb_upper(a, "đảng ủy khối"), "ĐẢNG ỦY KHỐI");
    CHECK_STR(vb_upper(a, "Đảng ủy Khối"), "ĐẢNG ỦY KHỐI");
    CHECK_STR(vb_upper(a, "ư"), "Ư");
    CHECK_STR(vb_upper(a, "ơ"), "Ơ");
    CHECK_STR(vb_upper(a, "ỷ"), "Ỷ");
    CHECK_STR(vb_upper(a, "ặ"), "Ặ");
    CHECK_STR(vb_upper(a, "ự"), "Ự");
    CHECK_STR(vb_upper(a, "uỷ ban"), "UỶ BAN");               /* old tone placement kept */
    CHECK_STR(vb_upper(a, "ủy ban"), "ỦY BAN");
    CHECK_STR(vb_upper(a, "hoà / hòa"), "HOÀ / HÒA");
    CHECK_STR(vb_upper(a, "nghị quyết số 15-nq/đuk (2021)"), "NGHỊ QUYẾT SỐ 15-NQ/ĐUK (2021)");
    /* NFD input comes out NFC */
    CHECK_STR(vb_upper(a, "\xC4\x91" "a" "\xCC\x89" "ng"), "ĐẢNG");
    static const char vi_lower[] =
        "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ "
        "ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ bcdđghklmnpqrstvx";
    static const char vi_upper[] =
        "AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ "
        "ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ BCDĐGHKLMNPQRSTVX";
    CHECK_STR(vb_upper(a, vi_lower), vi_upper);
    CHECK_STR(vb_upper(a, vi_upper), vi_upper);
    CHECK_STR(vb_lower(a, vi_upper), vi_lower);
    CHECK_STR(vb_lower(a, vi_lower), vi_lower);
    CHECK_STR(vb_lower(a, "ĐẢNG ỦY KHỐI"), "đảng ủy khối");
    CHECK_STR(vb_lower(a, "UỶ BAN"), "uỷ ban");
    CHECK_STR(vb_upper(a, ""), "");
    CHECK(vb_upper(a, NULL) == NULL);
    CHECK(vb_lower(a, NULL) == NULL);
    /* characters with no case are untouched, including emoji and CJK */
    CHECK_STR(vb_upper(a, "1.234,5 % – “” 😀 中"), "1.234,5 % – “” 😀 中");

    /* capfirst */
    CHECK_STR(vb_capfirst(a, "về nhiệm vụ"), "Về nhiệm vụ");
    CHECK_STR(vb_capfirst(a, "đảng ủy"), "Đảng ủy");
    CHECK_STR(vb_capfirst(a, "ủy ban"), "Ủy ban");
    CHECK_STR(vb_capfirst(a, "“về nhiệm vụ”"), "“Về nhiệm vụ”");
    CHECK_STR(vb_capfirst(a, "(ư)"), "(Ư)");
    CHECK_STR(vb_capfirst(a, "\"ặ\""), "\"Ặ\"");
    CHECK_STR(vb_capfirst(a, "Về"), "Về");
    CHECK_STR(vb_capfirst(a, "\xE1\xBB" "\x81" " x"), "Ề x");          /* ề spelled in bytes */
    CHECK_STR(vb_capfirst(a, "e" "\xCC\x82\xCC\x80" "m"), "Ềm");       /* NFD input */
    CHECK_STR(vb_capfirst(a, "123 ..."), "123 ...");
    CHECK_STR(vb_capfirst(a, ""), "");
    CHECK(vb_capfirst(a, NULL) == NULL);
}

/* vb_nfc_quick's promise, checked against utf8proc for every code point it
 * accepts: alone it is unchanged by NFC, and so is every ordered pair of
 * them (each string "a b0 a b1 ... a bn" holds the pairs (a,bi) and (bi,a)). */
static void test_nfc_quick_exhaustive(void)
{
    int32_t *set = malloc(0x110000 * sizeof *set);
    size_t n = 0, bad = 0;
    for (int32_t cp = 1; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        char s[8] = { 0 };
        vb_utf8_put(cp, s);
        if (!vb_nfc_quick(s)) continue;
        set[n++] = cp;
        utf8proc_uint8_t *o = NULL;
        utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &o,
                                            UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (len < 0 || strcmp((const char *)o, s) != 0) bad++;
        free(o);
    }
    CHECK(n > 900 && n < 1200);
    char *buf = malloc(n * 8 + 1);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        char a[5] = { 0 };
        int al = vb_utf8_put(set[i], a);
        for (size_t j = 0; j < n; j++) {
            memcpy(buf + k, a, (size_t)al); k += (size_t)al;
            k += (size_t)vb_utf8_put(set[j], buf + k);
        }
        buf[k] = 0;
        utf8proc_uint8_t *o = NULL;
        utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)buf, 0, &o,
                                            UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (len < 0 || strcmp((const char *)o, buf) != 0) bad++;
        free(o);
    }
    CHECK(bad == 0);
    printf("unit text: vb_nfc_quick accepts %zu code points; NFC keeps each and all %zu pairs\n",
           n, n * n);
    free(buf);
    free(set);
}

static void test_dates(vb_arena *a)
{
    int y = 0, m = 0, d = 0, h = 0, mi = 0;
    CHECK(vb_parse_date("2021-12-28", &y, &m, &d) && y == 2021 && m == 12 && d == 28);
    CHECK(vb_parse_date("2024-02-29", &y, &m, &d) && y == 2024 && m == 2 && d == 29);
    CHECK(vb_parse_date("2000-02-29", &y, &m, &d));             /* divisible by 400 */
    CHECK(!vb_parse_date("2100-02-29", &y, &m, &d));            /* divisible by 100 */
    CHECK(!vb_parse_date("2023-02-29", &y, &m, &d));
    CHECK(!vb_parse_date("2021-02-30", &y, &m, &d));
    CHECK(!vb_parse_date("2021-04-31", &y, &m, &d));
    CHECK(vb_parse_date("2021-01-31", &y, &m, &d));
    CHECK(!vb_parse_date("2021-13-01", &y, &m, &d));
    CHECK(!vb_parse_date("2021-00-10", &y, &m, &d));
    CHECK(!vb_parse_date("2021-01-00", &y, &m, &d));
    CHECK(vb_parse_date("1900-01-01", &y, &m, &d));
    CHECK(!vb_parse_date("1899-12-31", &y, &m, &d));
    CHECK(vb_parse_date("2999-12-31", &y, &m, &d));
    CHECK(!vb_parse_date("3000-01-01", &y, &m, &d));
    CHECK(!vb_parse_date("28/12/2021", &y, &m, &d));
    CHECK(!vb_parse_date("2021-1-05", &y, &m, &d));
    CHECK(!vb_parse_date("2021-12-28 ", &y, &m, &d));
    CHECK(!vb_parse_date("2021-12-2", &y, &m, &d));
    CHECK(!vb_parse_date("2021-12-28T00:00", &y, &m, &d));
    CHECK(!vb_parse_date(" 2021-12-28", &y, &m, &d));
    CHECK(!vb_parse_date("+021-12-28", &y, &m, &d));
    CHECK(!vb_parse_date("2021", &y, &m, &d));
    CHECK(!vb_parse_date("", &y, &m, &d));
    CHECK(!vb_parse_date(NULL, &y, &m, &d));
    CHECK(!vb_parse_date("２０２１-12-28", &y, &m, &d));      /* fullwidth digits */
    y = m = d = 7;
    CHECK(!vb_parse_date("2021-02-30", &y, &m, &d) && y == 7 && m == 7 && d == 7);
    CHECK(vb_parse_date("2022-01-05", NULL, NULL, NULL));

    CHECK(vb_parse_time("08:00", &h, &mi) && h == 8 && mi == 0);
    CHECK(vb_parse_time("00:00", &h, &mi) && h == 0 && mi == 0);
    CHECK(vb_parse_time("23:59", &h, &mi) && h == 23 && mi == 59);
    CHECK(vb_parse_time("14:30", &h, &mi) && h == 14 && mi == 30);
    CHECK(!vb_parse_time("24:00", &h, &mi));
    CHECK(!vb_parse_time("25:00", &h, &mi));
    CHECK(!vb_parse_time("8:00", &h, &mi));
    CHECK(!vb_parse_time("08:60", &h, &mi));
    CHECK(!vb_parse_time("08:0", &h, &mi));
    CHECK(!vb_parse_time("08:00:00", &h, &mi));
    CHECK(!vb_parse_time("08h00", &h, &mi));
    CHECK(!vb_parse_time("", &h, &mi));
    CHECK(!vb_parse_time(NULL, &h, &mi));

    CHECK_STR(vb_date_words(a, 2022, 1, 5), "ngày 05 tháng 01 năm 2022");
    CHECK_STR(vb_date_words(a, 2021, 12, 28), "ngày 28 tháng 12 năm 2021");
    CHECK_STR(vb_date_words(a, 2019, 6, 29), "ngày 29 tháng 6 năm 2019");
    CHECK_STR(vb_date_words(a, 2020, 2, 1), "ngày 01 tháng 02 năm 2020");
    CHECK_STR(vb_date_words(a, 2020, 3, 9), "ngày 09 tháng 3 năm 2020");
    CHECK_STR(vb_date_words(a, 2020, 10, 10), "ngày 10 tháng 10 năm 2020");
    CHECK_STR(vb_date_words(a, 2024, 2, 29), "ngày 29 tháng 02 năm 2024");
    CHECK(vb_date_words(a, 2021, 2, 30) == NULL);
    CHECK(vb_date_words(a, 2021, 13, 1) == NULL);
    CHECK(vb_date_words(a, 2021, 0, 1) == NULL);

    CHECK_STR(vb_date_short(a, 2021, 12, 28), "28/12/2021");
    CHECK_STR(vb_date_short(a, 2022, 1, 5), "05/01/2022");
    CHECK_STR(vb_date_short(a, 2017, 2, 6), "06/02/2017");
    CHECK_STR(vb_date_short(a, 2019, 6, 29), "29/06/2019");
    CHECK(vb_date_short(a, 2100, 2, 29) == NULL);

    CHECK_STR(vb_time_words(a, 8, 0), "08 giờ 00 phút");
    CHECK_STR(vb_time_words(a, 14, 30), "14 giờ 30 phút");
    CHECK_STR(vb_time_words(a, 0, 5), "00 giờ 05 phút");
    CHECK(vb_time_words(a, 24, 0) == NULL);
    CHECK(vb_time_words(a, 8, 60) == NULL);
    CHECK(vb_time_words(a, -1, 0) == NULL);
}

static void test_numbers(vb_arena *a)
{
    CHECK_STR(vb_format_int(a, 0), "0");
    CHECK_STR(vb_format_int(a, 7), "7");
    CHECK_STR(vb_format_int(a, 999), "999");
    CHECK_STR(vb_format_int(a, 1000), "1.000");
    CHECK_STR(vb_format_int(a, 27701), "27.701");
    CHECK_STR(vb_format_int(a, 123456), "123.456");
    CHECK_STR(vb_format_int(a, 1234567), "1.234.567");
    CHECK_STR(vb_format_int(a, -1234), "-1.234");
    CHECK_STR(vb_format_int(a, -999), "-999");
    CHECK_STR(vb_format_int(a, INT64_MAX), "9.223.372.036.854.775.807");
    CHECK_STR(vb_format_int(a, INT64_MIN), "-9.223.372.036.854.775.808");

    CHECK_STR(vb_format_decimal(a, 9429, 2), "94,29");
    CHECK_STR(vb_format_decimal(a, 12345678, 2), "123.456,78");
    CHECK_STR(vb_format_decimal(a, 5, 2), "0,05");
    CHECK_STR(vb_format_decimal(a, -5, 2), "-0,05");
    CHECK_STR(vb_format_decimal(a, 0, 2), "0,00");
    CHECK_STR(vb_format_decimal(a, 100000, 2), "1.000,00");
    CHECK_STR(vb_format_decimal(a, 12345, 0), "12.345");
    CHECK_STR(vb_format_decimal(a, 15, 1), "1,5");
    CHECK_STR(vb_format_decimal(a, -1234567, 3), "-1.234,567");
    CHECK_STR(vb_format_decimal(a, INT64_MIN, 2), "-92.233.720.368.547.758,08");
    CHECK_STR(vb_format_decimal(a, 1, 20), "0,00000000000000000001");
    CHECK(vb_format_decimal(a, 1, -1) == NULL);

    CHECK_STR(vb_percent(a, 33, 35), "94,29%");
    CHECK_STR(vb_percent(a, 35, 35), "100,00%");
    CHECK_STR(vb_percent(a, 0, 35), "0,00%");
    CHECK_STR(vb_percent(a, 1, 3), "33,33%");
    CHECK_STR(vb_percent(a, 2, 3), "66,67%");
    CHECK_STR(vb_percent(a, 1, 8), "12,50%");
    CHECK_STR(vb_percent(a, 1, 20000), "0,01%");            /* 0,005: half rounds up */
    CHECK_STR(vb_percent(a, 1, 20001), "0,00%");            /* just below half */
    CHECK_STR(vb_percent(a, 1, 19999), "0,01%");
    CHECK_STR(vb_percent(a, 1, 200), "0,50%");
    CHECK_STR(vb_percent(a, 1, 6), "16,67%");               /* 16,666... */
    CHECK_STR(vb_percent(a, 999999999, 999999999), "100,00%");
    CHECK_STR(vb_percent(a, 999999998, 999999999), "100,00%");
    CHECK_STR(vb_percent(a, 500000000, 999999999), "50,00%");
    CHECK_STR(vb_percent(a, INT64_MAX, INT64_MAX), "100,00%");
    CHECK_STR(vb_percent(a, INT64_MAX - 1, INT64_MAX), "100,00%");
    CHECK_STR(vb_percent(a, INT64_MAX, 1), "922.337.203.685.477.580.700,00%");
    CHECK_STR(vb_percent(a, 70, 35), "200,00%");
    CHECK_STR(vb_percent(a, -1, 3), "-33,33%");
    CHECK_STR(vb_percent(a, -1, 80000), "0,00%");           /* no "-0,00%" */
    CHECK(vb_percent(a, 1, 0) == NULL);
    CHECK(vb_percent(a, 1, -3) == NULL);
}

static void test_docnum(vb_arena *a)
{
    CHECK_STR(vb_docnum(a, VB_PARTY, 15, "NQ", "ĐUK"), "Số 15-NQ/ĐUK");
    CHECK_STR(vb_docnum(a, VB_PARTY, 5, "NQ", "ĐUK"), "Số 05-NQ/ĐUK");
    CHECK_STR(vb_docnum(a, VB_PARTY, 123, "BB", "ĐUK"), "Số 123-BB/ĐUK");
    CHECK_STR(vb_docnum(a, VB_STATE, 15, "NQ", "HĐND"), "Số: 15/NQ-HĐND");
    CHECK_STR(vb_docnum(a, VB_STATE, 5, "QĐ", "UBND"), "Số: 05/QĐ-UBND");
    /* unnumbered: twelve no-break spaces (14 mm at 13 pt), which neither
     * our layout nor Word collapses, where the clerk writes the number */
#define NB12 "\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0"
    CHECK_STR(vb_docnum(a, VB_PARTY, 0, "NQ", "ĐUK"), "Số" NB12 "-NQ/ĐUK");
    CHECK_STR(vb_docnum(a, VB_PARTY, -3, "NQ", "ĐUK"), "Số" NB12 "-NQ/ĐUK");
    CHECK_STR(vb_docnum(a, VB_STATE, 0, "NQ", "HĐND"), "Số:" NB12 "/NQ-HĐND");
    CHECK_STR(vb_docnum(a, VB_STATE, 12, NULL, "UBND"), "Số: 12/UBND");
    CHECK_STR(vb_docnum(a, VB_STATE, 0, NULL, "UBND"), "Số:" NB12 "/UBND");
    CHECK(vb_utf8_count(VB_DOCNUM_BLANK) == 12 && !strchr(VB_DOCNUM_BLANK, ' '));
#undef NB12
    CHECK_STR(vb_docnum(a, VB_STATE, 12, "", "UBND"), "Số: 12/UBND");
    CHECK(vb_docnum(a, VB_STATE, 12, "NQ", NULL) == NULL);

    CHECK_STR(vb_num2(a, 5), "05");
    CHECK_STR(vb_num2(a, 0), "00");
    CHECK_STR(vb_num2(a, 15), "15");
    CHECK_STR(vb_num2(a, 123), "123");
}

static void test_numbering(vb_arena *a)
{
    CHECK_STR(vb_roman(a, 1), "I");
    CHECK_STR(vb_roman(a, 2), "II");
    CHECK_STR(vb_roman(a, 4), "IV");
    CHECK_STR(vb_roman(a, 9), "IX");
    CHECK_STR(vb_roman(a, 14), "XIV");
    CHECK_STR(vb_roman(a, 40), "XL");
    CHECK_STR(vb_roman(a, 90), "XC");
    CHECK_STR(vb_roman(a, 400), "CD");
    CHECK_STR(vb_roman(a, 1994), "MCMXCIV");
    CHECK_STR(vb_roman(a, 2021), "MMXXI");
    CHECK_STR(vb_roman(a, 3888), "MMMDCCCLXXXVIII");
    CHECK_STR(vb_roman(a, 3999), "MMMCMXCIX");
    CHECK_STR(vb_roman(a, 0), "0");
    CHECK_STR(vb_roman(a, 4000), "4000");
    CHECK_STR(vb_roman(a, -7), "-7");
    CHECK_STR(vb_roman(a, INT64_MIN), "-9223372036854775808");

    CHECK_STR(vb_alpha(a, 1), "a");
    CHECK_STR(vb_alpha(a, 4), "d");
    CHECK_STR(vb_alpha(a, 5), "đ");
    CHECK_STR(vb_alpha(a, 6), "e");
    CHECK_STR(vb_alpha(a, 7), "g");
    CHECK_STR(vb_alpha(a, 9), "i");
    CHECK_STR(vb_alpha(a, 10), "k");
    CHECK_STR(vb_alpha(a, 20), "u");
    CHECK_STR(vb_alpha(a, 21), "v");
    CHECK_STR(vb_alpha(a, 22), "x");
    CHECK_STR(vb_alpha(a, 23), "y");
    CHECK_STR(vb_alpha(a, 24), "aa");
    CHECK_STR(vb_alpha(a, 25), "ab");
    CHECK_STR(vb_alpha(a, 28), "ađ");
    CHECK_STR(vb_alpha(a, 46), "ay");
    CHECK_STR(vb_alpha(a, 47), "ba");
    CHECK_STR(vb_alpha(a, 552), "yy");
    CHECK_STR(vb_alpha(a, 553), "aaa");
    CHECK_STR(vb_alpha(a, 0), "0");
    /* bijective base 23 of 2^63-1, worked out independently */
    CHECK_STR(vb_alpha(a, INT64_MAX), "seuddhmpdaibmb");
    /* every letter of 1..23 in order */
    {
        vb_buf b = {0};
        for (int i = 1; i <= 23; i++) vb_buf_puts(&b, vb_alpha(a, i));
        CHECK_STR(vb_buf_cstr(&b), "abcdđeghiklmnopqrstuvxy");
        vb_buf_free(&b);
    }

    CHECK_STR(vb_numfmt(a, "%R- ", 2), "II- ");
    CHECK_STR(vb_numfmt(a, "%R. ", 14), "XIV. ");
    CHECK_STR(vb_numfmt(a, "%r)", 4), "iv)");
    CHECK_STR(vb_numfmt(a, "Điều %d. ", 3), "Điều 3. ");
    CHECK_STR(vb_numfmt(a, "%a) ", 5), "đ) ");
    CHECK_STR(vb_numfmt(a, "%a) ", 24), "aa) ");
    CHECK_STR(vb_numfmt(a, "%d%%", 50), "50%");
    CHECK_STR(vb_numfmt(a, "%d.%d", 7), "7.7");
    CHECK_STR(vb_numfmt(a, "Mục %x", 1), "Mục %x");
    CHECK_STR(vb_numfmt(a, "50%", 1), "50%");
    CHECK_STR(vb_numfmt(a, "%", 1), "%");
    CHECK_STR(vb_numfmt(a, "%%R", 1), "%R");
    CHECK_STR(vb_numfmt(a, "%R", 0), "0");
    CHECK_STR(vb_numfmt(a, "%r", 4000), "4000");
    CHECK_STR(vb_numfmt(a, "%d", -12345), "-12345");
    CHECK_STR(vb_numfmt(a, "", 1), "");
    CHECK_STR(vb_numfmt(a, "%\xC3\xA9", 1), "%\xC3\xA9");   /* % before a multibyte char */
    CHECK(vb_numfmt(a, NULL, 1) == NULL);
}

static void test_checks(void)
{
    int32_t cp = 0;
    CHECK(!vb_has_xml_forbidden("Đảng ủy\tkhối\r\n", &cp));
    CHECK(!vb_has_xml_forbidden("", &cp));
    CHECK(!vb_has_xml_forbidden(NULL, &cp));
    CHECK(!vb_has_xml_forbidden("\x7F \xC2\x85 \xEF\xBF\xBD \xF4\x8F\xBF\xBF", &cp));   /* DEL, NEL, FFFD, 10FFFF */
    CHECK(vb_has_xml_forbidden("ab\x01" "c", &cp) && cp == 0x01);
    CHECK(vb_has_xml_forbidden("\x0B", &cp) && cp == 0x0B);
    CHECK(vb_has_xml_forbidden("x\x1F\x02", &cp) && cp == 0x1F);
    CHECK(vb_has_xml_forbidden("x\xEF\xBF\xBE", &cp) && cp == 0xFFFE);
    CHECK(vb_has_xml_forbidden("x\xEF\xBF\xBF", &cp) && cp == 0xFFFF);
    CHECK(vb_has_xml_forbidden("\xED\xA0\x80", &cp) && cp == 0xD800);   /* defensive */
    CHECK(vb_has_xml_forbidden("\xED\xBF\xBF", &cp) && cp == 0xDFFF);
    CHECK(vb_has_xml_forbidden("\xE1\xBB", &cp) && cp == 0xFFFD);       /* not UTF-8 */
    CHECK(vb_has_xml_forbidden("\xED\xA0", &cp));                       /* truncated */
    CHECK(vb_has_xml_forbidden("\x01", NULL));

    CHECK(!vb_has_invisible("Đảng ủy khối\t\n", &cp));
    CHECK(!vb_has_invisible(NULL, &cp));
    CHECK(!vb_has_invisible("\xE2\x80\x8A \xE2\x80\x90 \xE2\x80\xAF", &cp));   /* U+200A, U+2010, U+202F */
    CHECK(vb_has_invisible("a\xE2\x80\x8B" "b", &cp) && cp == 0x200B);
    CHECK(vb_has_invisible("\xE2\x80\x8C", &cp) && cp == 0x200C);
    CHECK(vb_has_invisible("\xE2\x80\x8D", &cp) && cp == 0x200D);
    CHECK(vb_has_invisible("\xE2\x80\x8E", &cp) && cp == 0x200E);
    CHECK(vb_has_invisible("\xE2\x80\x8F", &cp) && cp == 0x200F);
    CHECK(vb_has_invisible("\xE2\x80\xAA", &cp) && cp == 0x202A);
    CHECK(vb_has_invisible("\xE2\x80\xAE", &cp) && cp == 0x202E);
    CHECK(vb_has_invisible("\xE2\x81\xA0", &cp) && cp == 0x2060);
    CHECK(vb_has_invisible("\xE2\x81\xA6", &cp) && cp == 0x2066);
    CHECK(vb_has_invisible("\xE2\x81\xA9", &cp) && cp == 0x2069);
    CHECK(vb_has_invisible("\xEF\xBB\xBF" "Số", &cp) && cp == 0xFEFF);
    CHECK(!vb_has_invisible("\xE2\x81\xA1\xE2\x81\xA5", &cp));          /* U+2061, U+2065 */
    CHECK(vb_has_invisible("\xE2\x80\x8B", NULL));
}

/* Every function on awkward input: no crash, no out-of-bounds read (run
 * under ASan).  Strings end right at the bad byte on purpose. */
static void test_robust(vb_arena *a)
{
    static const char *const inputs[] = {
        "", "\xE1", "\xE1\xBB", "\xF0\x9F", "\xED", "\xED\xA0", "\x80", "\xC0",
        "\xFF\xFE", "%", "\xCC\x89", "\xCC\x89\xCC\x89\x61", "ß", "ǆ", "\xCD\x85",
        "\xEF\xBB\xBF", "\xF4\x8F\xBF\xBF",
    };
    /* which of them are UTF-8 (lone lead bytes, a truncated sequence, a
     * surrogate's start, a continuation byte, C0, FF FE are not) */
    static const bool valid[] = {
        true, false, false, false, false, false, false, false,
        false, true, true, true, true, true, true,
        true, true,
    };
    _Static_assert(sizeof valid / sizeof valid[0] == sizeof inputs / sizeof inputs[0], "one flag per input");
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *s = inputs[i];
        /* copy to an exact-size heap block so ASan sees any overrun */
        size_t n = strlen(s);
        char *h = malloc(n + 1);
        memcpy(h, s, n + 1);
        int32_t cp;
        size_t off = 99;
        bool ok = vb_utf8_valid(h, n, &off);
        if (ok != valid[i]) fprintf(stderr, "input %zu: vb_utf8_valid says %d\n", i, ok);
        CHECK(ok == valid[i]);
        if (!ok) CHECK(off == 0);               /* each goes wrong at its first byte */
        CHECK(vb_utf8_count(h) <= n);
        /* text functions refuse what is not UTF-8 and give back UTF-8 */
        const char *out[] = { vb_nfc(a, h), vb_upper(a, h), vb_lower(a, h), vb_capfirst(a, h) };
        for (size_t k = 0; k < sizeof out / sizeof *out; k++) {
            if (!ok) CHECK(out[k] == NULL);
            else CHECK(out[k] && vb_utf8_valid(out[k], strlen(out[k]), NULL));
        }
        /* no such string is a date or a time */
        CHECK(!vb_parse_date(h, NULL, NULL, NULL));
        CHECK(!vb_parse_time(h, NULL, NULL));
        /* a format without a directive is copied as it is */
        const char *f = vb_numfmt(a, h, 3);
        CHECK(f && (strchr(h, '%') || strcmp(f, h) == 0));
        (void)vb_has_xml_forbidden(h, &cp);
        (void)vb_has_invisible(h, &cp);
        /* the codes are copied into the number line whatever they are */
        const char *num = vb_docnum(a, VB_PARTY, 1, h, h);
        char want[64];
        if (*h) snprintf(want, sizeof want, "Số 01-%s/%s", h, h);
        else snprintf(want, sizeof want, "Số 01/");         /* no type code */
        CHECK_STR(num, want);
        free(h);
    }
    /* lone combining mark and U+0345 (changes ordering when upper-cased) */
    CHECK_STR(vb_upper(a, "\xCC\x89"), "\xCC\x89");
    CHECK_STR(vb_upper(a, "\xCD\x85"), "\xCE\x99");     /* U+0345 upper-cases to U+0399 'Ι' */
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    test_utf8(a);
    test_nfc_quick_exhaustive();
    test_nfc_case(a);
    test_dates(a);
    test_numbers(a);
    test_docnum(a);
    test_numbering(a);
    test_checks();
    test_robust(a);
    vb_arena_free(a);
    return CHECK_DONE("text");
}
