/* text.h — Vietnamese text conventions: UTF-8 checks, NFC, case mapping,
 * dates, numbers, document numbers, heading numbering.
 *
 * Pure functions over UTF-8 strings; results are allocated in the arena
 * given.  Uses utf8proc for normalisation and case mapping. */
#ifndef VB_TEXT_H
#define VB_TEXT_H

#include "vb.h"

typedef enum { VB_PARTY, VB_STATE } vb_convention;

/* Valid UTF-8?  On failure *bad_offset is the byte offset of the first bad
 * byte.  Overlong forms, surrogates and code points > U+10FFFF are invalid. */
bool vb_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Decode one code point at s (valid UTF-8 assumed); returns bytes used. */
int vb_utf8_next(const char *s, int32_t *cp);
/* Encode cp into out (4 bytes max); returns bytes written. */
int vb_utf8_put(int32_t cp, char *out);
/* Number of code points. */
size_t vb_utf8_count(const char *s);

/* NFC normalisation (input must be valid UTF-8). */
char *vb_nfc(vb_arena *a, const char *s);
/* True when s is well-formed and needs no normalisation (a fast test that
 * may say false for some NFC strings; vb_nfc uses it). */
bool vb_nfc_quick(const char *s);
/* Upper-case every letter keeping all diacritics, result NFC:
 * "Đảng ủy Khối" -> "ĐẢNG ỦY KHỐI"; "ư"->"Ư", "ỷ"->"Ỷ". Non-letters kept. */
char *vb_upper(vb_arena *a, const char *s);
/* Lower-case likewise. */
char *vb_lower(vb_arena *a, const char *s);
/* Upper-case only the first letter: "về nhiệm vụ" -> "Về nhiệm vụ". */
char *vb_capfirst(vb_arena *a, const char *s);

/* Date checks: "YYYY-MM-DD" with a real calendar date (leap years). */
bool vb_parse_date(const char *s, int *y, int *m, int *d);
/* "HH:MM", 00:00-23:59. */
bool vb_parse_time(const char *s, int *h, int *min);

/* "ngày 05 tháng 01 năm 2022", "ngày 28 tháng 12 năm 2021": day < 10 and
 * months 1-2 padded with 0, months 3-12 never. */
char *vb_date_words(vb_arena *a, int y, int m, int d);
/* "05/01/2022"-style short date used in running text: "28/12/2021". */
char *vb_date_short(vb_arena *a, int y, int m, int d);
/* "08 giờ 00 phút", "14 giờ 30 phút": both padded; NULL outside 00:00-23:59. */
char *vb_time_words(vb_arena *a, int h, int min);

/* Integer with "." thousands separators: 27701 -> "27.701", -1234 -> "-1.234". */
char *vb_format_int(vb_arena *a, int64_t v);
/* Fixed-point decimal with "," before decimals and "." thousands:
 * vb_format_decimal(a, 9429, 2) -> "94,29"; (12345678, 2) -> "123.456,78". */
char *vb_format_decimal(vb_arena *a, int64_t scaled, int decimals);
/* Percentage part*100/base rounded half up to 2 decimals, as "94,29%";
 * trailing zeros kept ("100,00%").  base == 0 gives NULL. */
char *vb_percent(vb_arena *a, int64_t part, int64_t base);

/* Document number line.
 *   party: "Số 15-NQ/ĐUK"    state: "Số: 15/NQ-HĐND"
 * number < 10 padded to two digits ("05"); number <= 0 means "not yet
 * numbered" and prints the blank form that offices fill in by hand:
 * "Số" VB_DOCNUM_BLANK "-NQ/ĐUK", "Số:" VB_DOCNUM_BLANK "/NQ-HĐND".
 * type_code may be NULL for a state letter (công văn): "Số: 12/UBND". */
#define VB_DOCNUM_BLANK "\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0" \
                        "\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0"   /* 12 x U+00A0 */
char *vb_docnum(vb_arena *a, vb_convention c, int64_t number,
                const char *type_code, const char *issuer_code);
/* Two-digit padded number: 5 -> "05", 15 -> "15", 123 -> "123". */
char *vb_num2(vb_arena *a, int64_t n);

/* Numbering. */
char *vb_roman(vb_arena *a, int64_t n);          /* 1 -> "I", 4 -> "IV", 1..3999 */
/* Vietnamese alphabet order a b c d đ e g h i k l m n o p q r s t u v x y,
 * then "aa", "ab"... beyond: n=1 -> "a", n=5 -> "đ", n=6 -> "e", n=7 -> "g". */
char *vb_alpha(vb_arena *a, int64_t n);
/* Apply a numbering format from a style file: "%R" roman, "%r" lower roman,
 * "%d" arabic, "%a" Vietnamese letter, "%%" a percent sign; everything else
 * literal.  vb_numfmt(a, "%R- ", 2) -> "II- "; "Điều %d. " -> "Điều 3. ". */
char *vb_numfmt(vb_arena *a, const char *fmt, int64_t n);

/* Characters that XML 1.0 forbids (C0 controls except TAB LF CR, U+FFFE,
 * U+FFFF, lone surrogates) — true if s contains any; *cp gets the first. */
bool vb_has_xml_forbidden(const char *s, int32_t *cp);
/* Invisible or direction-changing characters that make printed text lie:
 * zero-width (U+200B..U+200D, U+2060, U+FEFF) and bidi controls
 * (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F). */
bool vb_has_invisible(const char *s, int32_t *cp);

#endif
