/* record.c — reading and checking a meeting record (see record.h).
 *
 * The order of work:
 *   1. byte checks before any JSON parsing: size, byte-order marks, NUL
 *      bytes, UTF-8 validity, nesting depth (a flat scan, so that deep
 *      nesting can never reach a recursive parser);
 *   2. jansson parses (duplicate keys rejected; the path is recovered by a
 *      small scan so the message can name it);
 *   3. one schema table (`schema` below) drives the check of the whole tree,
 *      reporting every problem, and the construction of the vb_value tree
 *      with every string in NFC;
 *   4. cross-field rules and derived fields (record.h) are added by hooks
 *      that run after an object's own fields are checked.
 * The same table answers vb_record_known_path and produces the field
 * reference in docs/record-format.md (vb_record_fields_markdown). */
#include "record.h"

#include <jansson.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * The schema
 * ------------------------------------------------------------------- */

typedef enum {
    T_OBJ,      /* JSON object */
    T_LIST,     /* JSON array; items described by "PATH.*" */
    T_TEXT,     /* string */
    T_TEXTS,    /* string, or array of strings ("PATH.*") */
    T_INT,      /* JSON integer in min..max */
    T_DATE,     /* "YYYY-MM-DD", a real calendar date */
    T_TIME,     /* "HH:MM" */
    T_CONV,     /* "party" | "state" */
    T_ID,       /* output base name */
    T_CELL      /* table cell: text, a number, or null (empty) */
} ftype;

enum {
    F_REQ = 1,        /* must be present (within its parent) */
    F_REQ_RES = 2,    /* must be present when the record has a resolution */
    F_NONEMPTY = 4,   /* list: at least one item; text: not blank if given */
    F_DERIVED = 8     /* computed by vanban; never read from the record */
};

typedef struct field {
    const char *path;    /* dotted, "*" for list items */
    ftype type;
    unsigned flags;
    int64_t min, max;    /* T_INT */
    const char *doc;     /* meaning, for docs/record-format.md */
    const char *derive;  /* derived value or default, for the docs */
} field;

#define NUM VB_MAX_NUMBER
#define F(path, type, flags, doc) { path, type, flags, 0, 0, doc, NULL }
#define I(path, flags, lo, hi, doc) { path, T_INT, flags, lo, hi, doc, NULL }
#define D(path, type, doc, derive) { path, type, F_DERIVED, 0, 0, doc, derive }
#define PEOPLE(list, what)                                                   \
    F(list, T_LIST, 0, what),                                                \
    F(list ".*", T_OBJ, 0, NULL),                                            \
    F(list ".*.name", T_TEXT, F_REQ, "Full name."),                          \
    F(list ".*.title", T_TEXT, 0, "Post or title, printed after the name.")

static const field schema[] = {
    F("convention", T_CONV, F_REQ,
      "`party` (Guide 36-HD/VPTW) or `state` (Decree 30/2020/NĐ-CP): which "
      "conventions lay out the documents."),
    F("id", T_ID, 0,
      "Base name of the output files. Default: the record's file name "
      "without extension (JSON Lines: name-LINE; `record` when there is no name)."),
    F("issuer", T_OBJ, F_REQ, "The body that issues the documents."),
    F("issuer.superior", T_TEXT, 0,
      "The body above the issuer (upper header line); no line when absent."),
    F("issuer.superior_code", T_TEXT, 0, "Short code of the superior body."),
    F("issuer.name", T_TEXT, F_REQ, "Name of the issuing body."),
    F("issuer.code", T_TEXT, F_REQ,
      "Short code used in document numbers, e.g. `ĐUK`, `HĐND`."),
    F("place", T_TEXT, F_REQ_RES,
      "Place name of the date line (\"Hải Phòng, ngày …\"), which is never wrapped: "
      "a place too long for the header's right column is an error naming its width "
      "(about 120 mm for the whole line)."),

    F("meeting", T_OBJ, 0,
      "The meeting; the minutes (biên bản) are built from it."),
    F("meeting.title", T_TEXT, F_REQ,
      "Name of the meeting, e.g. \"Hội nghị lần thứ Bảy Ban Chấp hành …\"."),
    F("meeting.date", T_DATE, F_REQ, "Day of the meeting."),
    F("meeting.start", T_TIME, 0, "Starting time."),
    F("meeting.end", T_TIME, 0, "Closing time; not before `start`."),
    F("meeting.venue", T_TEXT, 0, "Where the meeting was held."),
    PEOPLE("meeting.chair", "Who chaired (chủ trì / chủ tọa)."),
    PEOPLE("meeting.secretary", "Who kept the minutes (thư ký)."),
    PEOPLE("meeting.guests", "Invited guests (đại biểu khách mời)."),
    F("meeting.members", T_OBJ, 0, "Attendance of the members of the body."),
    I("meeting.members.total", F_REQ, 0, NUM,
      "Full membership of the body; the base of vote percentages."),
    I("meeting.members.present", 0, 0, NUM,
      "Members present; at most `total`."),
    { "meeting.members.unit", T_TEXT, 0, 0, 0,
      "What is counted when it is not people, e.g. \"cổ phần\" at a "
      "shareholders' meeting (totals and votes are then share counts).",
      "`đồng chí` (party) or `thành viên` (state) when absent" },
    D("meeting.members.absent", T_INT, "Members absent.", "`total - present` (only when `present` is given)"),
    F("meeting.absent", T_LIST, 0, "Absent members, by name."),
    F("meeting.absent.*", T_OBJ, 0, NULL),
    F("meeting.absent.*.name", T_TEXT, F_REQ, "Full name."),
    F("meeting.absent.*.title", T_TEXT, 0, "Post or title."),
    F("meeting.absent.*.reason", T_TEXT, 0, "Reason given, e.g. \"đi công tác\"."),
    F("meeting.agenda", T_LIST, 0, "Items of the agenda, in order."),
    F("meeting.agenda.*", T_TEXT, 0, NULL),
    F("meeting.documents", T_LIST, 0, "Papers used at the meeting."),
    F("meeting.documents.*", T_TEXT, 0, NULL),
    F("meeting.proceedings", T_LIST, 0, "Speeches, in order."),
    F("meeting.proceedings.*", T_OBJ, 0, NULL),
    F("meeting.proceedings.*.speaker", T_TEXT, F_REQ, "Who spoke."),
    F("meeting.proceedings.*.title", T_TEXT, 0, "The speaker's post."),
    F("meeting.proceedings.*.text", T_TEXT, F_REQ, "Summary of the speech."),
    F("meeting.votes", T_LIST, 0, "Votes taken, one per motion."),
    F("meeting.votes.*", T_OBJ, 0, NULL),
    F("meeting.votes.*.motion", T_TEXT, F_REQ, "What was voted on."),
    I("meeting.votes.*.for", F_REQ, 0, NUM, "Votes for (tán thành)."),
    I("meeting.votes.*.against", 0, 0, NUM,
      "Votes against (không tán thành); 0 when absent."),
    I("meeting.votes.*.abstain", 0, 0, NUM,
      "Other / no opinion (ý kiến khác); 0 when absent."),
    { "meeting.votes.*.base", T_INT, 0, 1, NUM,
      "Base of this vote's percentages, when it is not `members.total`.",
      "`members.total` when absent" },
    D("meeting.votes.*.voted", T_INT, "Votes cast.", "`for + against + abstain`"),
    D("meeting.votes.*.for_pct", T_TEXT, "Share of votes for, e.g. \"94,29%\".",
      "`for` / `base` as a percentage, two decimals rounded half up; absent when the base is 0 or unknown"),
    D("meeting.votes.*.against_pct", T_TEXT, "Share of votes against.",
      "`against` / `base`, as `for_pct`"),
    D("meeting.votes.*.abstain_pct", T_TEXT, "Share of other opinions.",
      "`abstain` / `base`, as `for_pct`"),
    F("meeting.conclusion", T_LIST, 0, "The chair's conclusions, one paragraph each."),
    F("meeting.conclusion.*", T_TEXT, 0, NULL),
    F("meeting.notes", T_TEXT, 0, "Other information for the minutes."),

    F("resolution", T_OBJ, 0, "The resolution (nghị quyết) the meeting adopted."),
    I("resolution.number", 0, 1, NUM,
      "Document number; absent: not yet numbered (blank number printed)."),
    { "resolution.date", T_DATE, 0, 0, 0,
      "Date of the resolution; required when there is no meeting.",
      "`meeting.date` when absent" },
    F("resolution.subject", T_TEXT, F_REQ,
      "What it is about, lower-case start: \"về nhiệm vụ …\"."),
    F("resolution.authority", T_TEXT, 0,
      "State form: the issuing authority line, e.g. \"Hội đồng nhân dân tỉnh Nam Định\"."),
    F("resolution.preamble", T_TEXTS, F_NONEMPTY,
      "Opening paragraph(s) of a Party resolution; templates always see a "
      "list (a single text becomes one paragraph)."),
    F("resolution.preamble.*", T_TEXT, 0, NULL),
    F("resolution.bases", T_LIST, 0, "Legal bases (\"Căn cứ …;\"), one per line."),
    F("resolution.bases.*", T_TEXT, 0, NULL),
    F("resolution.enacting", T_TEXT, 0, "Text that replaces \"QUYẾT NGHỊ:\"."),
    F("resolution.body", T_LIST, F_REQ | F_NONEMPTY,
      "The content: blocks, each with exactly one of `heading`, "
      "`paragraph`, `items`, `article`, `columns` (a table)."),
    F("resolution.body.*", T_OBJ, 0, NULL),
    F("resolution.body.*.heading", T_TEXT, F_NONEMPTY,
      "A heading, numbered by the renderer (I., 1., a) …)."),
    { "resolution.body.*.level", T_INT, 0, 1, 3,
      "Heading level: 1 top, 2, 3. Only with `heading`.", "1 for a heading" },
    F("resolution.body.*.paragraph", T_TEXT, F_NONEMPTY, "A paragraph."),
    F("resolution.body.*.items", T_LIST, F_NONEMPTY, "A dash list."),
    F("resolution.body.*.items.*", T_TEXT, 0, NULL),
    F("resolution.body.*.article", T_TEXTS, F_NONEMPTY,
      "An article (\"Điều 1.\"): its text, or a list of paragraphs."),
    F("resolution.body.*.article.*", T_TEXT, 0, NULL),
    F("resolution.body.*.title", T_TEXT, 0,
      "Article title, after \"Điều N.\". Only with `article`."),
    F("resolution.body.*.columns", T_LIST, F_NONEMPTY,
      "A table: its columns, left to right (see Tables below)."),
    F("resolution.body.*.columns.*", T_OBJ, 0, NULL),
    F("resolution.body.*.columns.*.title", T_TEXT, F_REQ,
      "Column heading, in the header row."),
    F("resolution.body.*.columns.*.kind", T_TEXT, 0,
      "`text` or `number`: numbers are printed the Vietnamese way "
      "(`1.250.000.000`, `7,5`) and never wrapped. Default: text."),
    F("resolution.body.*.columns.*.align", T_TEXT, 0,
      "`left`, `center` or `right`. Default: right for numbers, left for text."),
    I("resolution.body.*.columns.*.decimals", 0, 0, 6,
      "Decimals a number column prints (`7,50`). Default: as many as each number has."),
    I("resolution.body.*.header_rows", 0, 1, 5,
      "Rows repeated at the top of every page: the column titles, and "
      "the first `header_rows` - 1 of `rows` (a row of column numbers). Default: 1."),
    F("resolution.body.*.rows", T_LIST, F_NONEMPTY,
      "The table's rows, each a list of cells, one a column (fewer are blank)."),
    F("resolution.body.*.rows.*", T_LIST, F_NONEMPTY, NULL),
    F("resolution.body.*.rows.*.*", T_CELL, 0, NULL),
    F("resolution.body.*.totals", T_LIST, 0,
      "Totals rows, after the rows, printed bold; cells as in `rows`."),
    F("resolution.body.*.totals.*", T_LIST, F_NONEMPTY, NULL),
    F("resolution.body.*.totals.*.*", T_CELL, 0, NULL),
    D("resolution.body.*.kind", T_TEXT, "Block kind.",
      "`heading`, `paragraph`, `items`, `article` or `table`"),
    D("resolution.body.*.number", T_INT, "Ordinal of a heading or article.",
      "headings: counted per level, reset by a heading of a higher level; "
      "articles: 1, 2, … through the body"),
    D("resolution.body.*.paragraphs", T_LIST, "Article text as paragraphs.",
      "`article` as a list (a single text becomes one paragraph)"),
    D("resolution.body.*.paragraphs.*", T_TEXT, NULL, NULL),
    F("resolution.recipients", T_LIST, 0, "Nơi nhận, one line each."),
    F("resolution.recipients.*", T_TEXT, 0, NULL),
    F("resolution.signature", T_OBJ, F_REQ, "The signing block."),
    F("resolution.signature.authority", T_TEXT, 0,
      "On whose behalf: \"T/M Ban Chấp hành\"."),
    F("resolution.signature.position", T_TEXT, F_REQ, "Post of the signer."),
    F("resolution.signature.name", T_TEXT, F_REQ, "Name of the signer."),

    F("minutes", T_OBJ, 0,
      "Extra data for the minutes; needs `meeting`."),
    I("minutes.number", 0, 1, NUM, "Document number of the minutes."),
    F("minutes.date", T_DATE, 0, "Date of the minutes' date line."),
    F("minutes.recipients", T_LIST, 0, "Nơi nhận of the minutes."),
    F("minutes.recipients.*", T_TEXT, 0, NULL),
    F("minutes.signatures", T_LIST, 0, "Signature columns, left to right."),
    F("minutes.signatures.*", T_OBJ, 0, NULL),
    F("minutes.signatures.*.role", T_TEXT, F_REQ,
      "Column heading: \"Thư ký\", \"Chủ trì hội nghị\"."),
    F("minutes.signatures.*.authority", T_TEXT, 0, "On whose behalf."),
    F("minutes.signatures.*.position", T_TEXT, 0, "Post of the signer."),
    F("minutes.signatures.*.name", T_TEXT, 0, "Name of the signer."),
};
#define NSCHEMA ((int)(sizeof schema / sizeof schema[0]))
#define ROOT (-1)

static const char *field_path(int fi) { return fi == ROOT ? "" : schema[fi].path; }

/* The last segment of a field's path: a static string, usable as a key. */
static const char *field_key(int fi)
{
    const char *p = schema[fi].path, *dot = strrchr(p, '.');
    return dot ? dot + 1 : p;
}

/* Is schema[i] a direct child of parent? */
static bool is_child(int parent, int i)
{
    const char *pp = field_path(parent), *p = schema[i].path;
    size_t n = strlen(pp);
    if (n) {
        if (strncmp(p, pp, n) != 0 || p[n] != '.') return false;
        p += n + 1;
    }
    return strchr(p, '.') == NULL;
}

static int find_child(int parent, const char *key)
{
    if (!*key || strchr(key, '.')) return -1;
    for (int i = 0; i < NSCHEMA; i++)
        if (is_child(parent, i) && strcmp(field_key(i), key) == 0) return i;
    return -1;
}

bool vb_record_known_path(const char *path)
{
    if (!path || !*path) return false;
    /* Numeric segments are list indexes: the same as "*". */
    char norm[256];
    size_t o = 0;
    for (const char *p = path; *p;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0) return false;
        bool digits = strspn(p, "0123456789") >= n;
        const char *seg = digits ? "*" : p;
        size_t sn = digits ? 1 : n;
        if (o + sn + 2 > sizeof norm) return false;
        if (o) norm[o++] = '.';
        memcpy(norm + o, seg, sn);
        o += sn;
        p += n;
        if (dot) { p++; if (!*p) return false; }
    }
    norm[o] = 0;
    for (int i = 0; i < NSCHEMA; i++)
        if (strcmp(schema[i].path, norm) == 0) return true;
    return false;
}

/* ---------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------- */

#define MAX_MESSAGES 100   /* per record; then one "… more" line */

typedef struct ctx {
    vb_arena *a;
    vb_diag *d;
    const char *file;
    int line;
    json_t *root;
    vb_buf ptr;              /* JSON pointer of the value being checked */
    size_t errors, shown, hidden_errors, hidden_warnings;
} ctx;

static bool invisible_cp(int32_t c)
{
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

/* Append s (valid UTF-8) so that it is safe on a terminal: controls and
 * invisible characters become \uXXXX; at most `max` characters, then "…". */
static void put_safe(vb_buf *b, const char *s, size_t len, size_t max, bool json_quote)
{
    size_t count = 0;
    const char *end = s + len;
    while (s < end) {
        if (count++ == max) { vb_buf_puts(b, "…"); return; }
        unsigned char u = (unsigned char)*s;
        int32_t cp;
        int n = 1;
        if (u < 0x80) cp = u;
        else {
            size_t bad;
            size_t avail = (size_t)(end - s);
            n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2;
            if ((size_t)n > avail || !vb_utf8_valid(s, (size_t)n, &bad)) { cp = 0xFFFD; n = 1; }
            else vb_utf8_next(s, &cp);
        }
        if (json_quote && (cp == '"' || cp == '\\')) { vb_buf_putc(b, '\\'); vb_buf_putc(b, (char)cp); }
        else if (cp == '\n' && json_quote) vb_buf_puts(b, "\\n");
        else if (cp == '\t' && json_quote) vb_buf_puts(b, "\\t");
        else if (cp < 0x20 || invisible_cp(cp) || cp == 0xFFFD) vb_buf_printf(b, "\\u%04" PRIX32, (uint32_t)cp);
        else vb_buf_add(b, s, (size_t)n);
        s += n;
    }
}

static void put_quoted(vb_buf *b, const char *s, size_t len)
{
    vb_buf_putc(b, '"');
    put_safe(b, s, len, 60, true);
    vb_buf_putc(b, '"');
}

static void put_prefix(vb_buf *b, const char *file, int line)
{
    if (line > 0) vb_buf_printf(b, "%s:%d: ", file, line);
    else vb_buf_printf(b, "%s: ", file);
}

static void emit(ctx *c, bool err, vb_buf *msg)
{
    if (err) c->errors++;
    if (c->shown >= MAX_MESSAGES) {
        if (err) c->hidden_errors++; else c->hidden_warnings++;
    } else {
        c->shown++;
        if (err) vb_error(c->d, VB_EXIT_INPUT, "%s", vb_buf_cstr(msg));
        else vb_warn(c->d, "%s", vb_buf_cstr(msg));
    }
    vb_buf_free(msg);
}

/* "FILE: /json/pointer[/sub]: message" */
static void vreport(ctx *c, bool err, const char *sub, const char *fmt, va_list ap)
{
    vb_buf m = {0};
    put_prefix(&m, c->file, c->line);
    if (c->ptr.len) vb_buf_add(&m, c->ptr.data, c->ptr.len);
    if (sub) vb_buf_printf(&m, "/%s", sub);
    if (!c->ptr.len && !sub) vb_buf_putc(&m, '/');
    vb_buf_puts(&m, ": ");
    char *text;
    if (vasprintf(&text, fmt, ap) < 0) vb_oom();
    vb_buf_puts(&m, text);
    free(text);
    emit(c, err, &m);
}

__attribute__((format(printf, 3, 4)))
static void error_at(ctx *c, const char *sub, const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vreport(c, true, sub, fmt, ap); va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warn_at(ctx *c, const char *sub, const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vreport(c, false, sub, fmt, ap); va_end(ap);
}

/* JSON pointer segments: "~" -> "~0", "/" -> "~1" (RFC 6901), and made
 * safe for a terminal. */
static size_t ptr_push_key(ctx *c, const char *key)
{
    size_t saved = c->ptr.len;
    vb_buf_putc(&c->ptr, '/');
    vb_buf seg = {0};
    for (const char *k = key; *k; k++) {
        if (*k == '~') vb_buf_puts(&seg, "~0");
        else if (*k == '/') vb_buf_puts(&seg, "~1");
        else vb_buf_putc(&seg, *k);
    }
    put_safe(&c->ptr, seg.data ? seg.data : "", seg.len, 80, false);
    vb_buf_free(&seg);
    return saved;
}

static size_t ptr_push_index(ctx *c, size_t i)
{
    size_t saved = c->ptr.len;
    vb_buf_printf(&c->ptr, "/%zu", i);
    return saved;
}

static void ptr_pop(ctx *c, size_t saved) { c->ptr.len = saved; }

/* What a value is, for "got …".  Numbers are shown as numbers only where a
 * number was expected; elsewhere "a number". */
static char *describe(ctx *c, json_t *j, bool show_number)
{
    vb_buf b = {0};
    switch (json_typeof(j)) {
    case JSON_STRING:
        put_quoted(&b, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER:
        if (show_number) vb_buf_printf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        else vb_buf_puts(&b, "a number");
        break;
    case JSON_REAL:
        if (show_number) {
            char num[64];
            snprintf(num, sizeof num, "%.15g", json_real_value(j));
            if (!strpbrk(num, ".eEn")) strcat(num, ".0");
            vb_buf_puts(&b, num);
        } else vb_buf_puts(&b, "a number");
        break;
    case JSON_TRUE: vb_buf_puts(&b, "true"); break;
    case JSON_FALSE: vb_buf_puts(&b, "false"); break;
    case JSON_NULL: vb_buf_puts(&b, "null"); break;
    case JSON_ARRAY: vb_buf_puts(&b, "a list"); break;
    case JSON_OBJECT: vb_buf_puts(&b, "an object"); break;
    }
    char *r = vb_strdup(c->a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

static void expected(ctx *c, const char *what, json_t *j, bool show_number)
{
    error_at(c, NULL, "expected %s, got %s", what, describe(c, j, show_number));
}

/* ---------------------------------------------------------------------
 * Checking values
 * ------------------------------------------------------------------- */

static bool check_value(ctx *c, int fi, json_t *j, bool required, vb_value **out);

/* Blank: empty or only white space (ASCII, no-break, ideographic). */
static bool blank(const char *s)
{
    while (*s) {
        unsigned char u = (unsigned char)*s;
        if (u == ' ' || u == '\t' || u == '\n' || u == '\r') { s++; continue; }
        int32_t cp;
        int n = vb_utf8_next(s, &cp);
        if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
            cp == 0x205F || cp == 0x3000) { s += n; continue; }
        return false;
    }
    return true;
}

static bool check_text(ctx *c, json_t *j, bool required, vb_value **out)
{
    *out = NULL;
    if (!json_is_string(j)) { expected(c, "text", j, false); return false; }
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    int32_t cp;
    if (n > VB_MAX_STRING_BYTES) {
        error_at(c, NULL, "expected text of at most %u bytes, got %zu bytes",
                 VB_MAX_STRING_BYTES, n);
        return false;
    }
    if (vb_has_xml_forbidden(s, &cp)) {
        error_at(c, NULL, "character U+%04" PRIX32 " is not allowed in a document; remove it",
                 (uint32_t)cp);
        return false;
    }
    if (vb_has_invisible(s, &cp)) {
        error_at(c, NULL, "invisible character U+%04" PRIX32 "; remove it", (uint32_t)cp);
        return false;
    }
    if (blank(s)) {
        if (required) { error_at(c, NULL, "must not be empty"); return false; }
        return true;                     /* optional and blank: absent */
    }
    char *nfc = vb_nfc(c->a, s);
    *out = vb_value_str(c->a, nfc ? nfc : s);
    return true;
}

static bool check_int(ctx *c, const field *f, json_t *j, vb_value **out)
{
    *out = NULL;
    if (!json_is_integer(j) || json_integer_value(j) < f->min || json_integer_value(j) > f->max) {
        char what[80];
        snprintf(what, sizeof what, "a whole number %" PRId64 "..%" PRId64, f->min, f->max);
        expected(c, what, j, true);
        return false;
    }
    *out = vb_value_int(c->a, json_integer_value(j));
    return true;
}

static bool date_shape(const char *s)
{
    static const char pat[] = "dddd-dd-dd";
    for (int i = 0; i < 10; i++)
        if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-') return false;
    return s[10] == 0;
}

static bool check_date(ctx *c, json_t *j, vb_value **out)
{
    *out = NULL;
    int y, m, d;
    if (!json_is_string(j)) { expected(c, "YYYY-MM-DD", j, false); return false; }
    const char *s = json_string_value(j);
    if (!vb_parse_date(s, &y, &m, &d)) {
        error_at(c, NULL, "expected YYYY-MM-DD, got %s%s", describe(c, j, false),
                 date_shape(s) ? " (no such date)" : "");
        return false;
    }
    *out = vb_value_str(c->a, s);
    return true;
}

static bool check_time(ctx *c, json_t *j, vb_value **out)
{
    *out = NULL;
    int h, m;
    if (!json_is_string(j) || !vb_parse_time(json_string_value(j), &h, &m)) {
        expected(c, "HH:MM (00:00 to 23:59)", j, false);
        return false;
    }
    *out = vb_value_str(c->a, json_string_value(j));
    return true;
}

static bool valid_id(const char *s, size_t n)
{
    if (n < 1 || n > 100 || s[0] == '.' || strstr(s, "..")) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

static bool check_id(ctx *c, json_t *j, vb_value **out)
{
    *out = NULL;
    if (!json_is_string(j) || !valid_id(json_string_value(j), json_string_length(j))) {
        expected(c, "a file name of 1 to 100 characters A-Z a-z 0-9 . _ - "
                    "(not starting with \".\", no \"..\")", j, false);
        return false;
    }
    *out = vb_value_str(c->a, json_string_value(j));
    return true;
}

static bool check_list(ctx *c, int fi, json_t *j, vb_value **out)
{
    *out = NULL;
    const field *f = &schema[fi];
    if (!json_is_array(j)) { expected(c, "a list", j, false); return false; }
    size_t n = json_array_size(j);
    if (n > VB_MAX_LIST_ITEMS) {
        error_at(c, NULL, "expected at most %d items, got %zu", VB_MAX_LIST_ITEMS, n);
        return false;
    }
    if (n == 0 && (f->flags & F_NONEMPTY)) { error_at(c, NULL, "must not be empty"); return false; }
    int item = find_child(fi, "*");
    vb_value *list = vb_value_new(c->a, VB_LIST);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        size_t saved = ptr_push_index(c, i);
        vb_value *v;
        json_t *ij = json_array_get(j, i);
        if (!check_value(c, item, ij, true, &v)) ok = false;
        /* A failed item keeps its place (null) so that indexes in later
         * messages stay those of the record. */
        vb_value_push(c->a, list, v ? v : vb_value_new(c->a, VB_NULL));
        ptr_pop(c, saved);
    }
    *out = list;
    return ok;
}

static bool check_texts(ctx *c, int fi, json_t *j, vb_value **out)
{
    if (json_is_string(j)) return check_text(c, j, true, out);
    if (json_is_array(j)) return check_list(c, fi, j, out);
    *out = NULL;
    expected(c, "text or a list of text", j, false);
    return false;
}

static void object_hook(ctx *c, int fi, json_t *j, vb_value *map);

static bool field_required(ctx *c, int fi)
{
    if (schema[fi].flags & F_REQ) return true;
    if (schema[fi].flags & F_REQ_RES) {
        json_t *r = json_object_get(c->root, "resolution");
        return r && !json_is_null(r);
    }
    return false;
}

static bool check_object(ctx *c, int fi, json_t *j, vb_value **out)
{
    *out = NULL;
    if (!json_is_object(j)) { expected(c, "an object", j, false); return false; }
    size_t errors0 = c->errors;
    vb_value *map = vb_value_new(c->a, VB_MAP);
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        size_t saved = ptr_push_key(c, key);
        int k = find_child(fi, key);
        if (k < 0)
            warn_at(c, NULL, "unknown field, ignored");
        else if (schema[k].flags & F_DERIVED)
            warn_at(c, NULL, "computed by vanban; the value given is ignored");
        else if (!json_is_null(v)) {
            vb_value *val;
            check_value(c, k, v, field_required(c, k) || (schema[k].flags & F_NONEMPTY), &val);
            if (val) vb_value_set(c->a, map, field_key(k), val);
        }
        ptr_pop(c, saved);
    }
    for (int k = 0; k < NSCHEMA; k++) {
        if (!is_child(fi, k) || !field_required(c, k)) continue;
        json_t *cv = json_object_get(j, field_key(k));
        if (!cv || json_is_null(cv)) error_at(c, field_key(k), "required field is missing");
    }
    object_hook(c, fi, j, map);
    if (c->errors != errors0) return false;
    *out = map;
    return true;
}

/* Check j against schema[fi]; *out gets the converted value (NULL when
 * invalid, or optional text left blank).  Lists are returned even when an
 * item failed, so that hooks can still check the valid items. */
static bool check_value(ctx *c, int fi, json_t *j, bool required, vb_value **out)
{
    const field *f = &schema[fi];
    switch (f->type) {
    case T_OBJ: return check_object(c, fi, j, out);
    case T_LIST: return check_list(c, fi, j, out);
    case T_TEXT: return check_text(c, j, required, out);
    case T_TEXTS: return check_texts(c, fi, j, out);
    case T_INT: return check_int(c, f, j, out);
    case T_DATE: return check_date(c, j, out);
    case T_TIME: return check_time(c, j, out);
    case T_ID: return check_id(c, j, out);
    case T_CELL:
        /* the column decides what a cell may hold (hook_table) */
        if (json_is_null(j)) { *out = vb_value_str(c->a, ""); return true; }
        if (json_is_string(j)) {
            bool ok = check_text(c, j, false, out);
            if (ok && !*out) *out = vb_value_str(c->a, "");
            return ok;
        }
        if (json_is_number(j)) { *out = vb_value_str(c->a, ""); return true; }
        *out = NULL;
        expected(c, "text or a number", j, false);
        return false;
    case T_CONV:
        *out = NULL;
        if (json_is_string(j) && (strcmp(json_string_value(j), "party") == 0 ||
                                  strcmp(json_string_value(j), "state") == 0)) {
            *out = vb_value_str(c->a, json_string_value(j));
            return true;
        }
        expected(c, "\"party\" or \"state\"", j, false);
        return false;
    }
    *out = NULL;
    return false;
}

/* ---------------------------------------------------------------------
 * Cross-field rules and derived fields
 * ------------------------------------------------------------------- */

static bool get_int(const vb_value *map, const char *key, int64_t *out)
{
    vb_value *v = vb_value_get(map, key);
    if (!v || v->kind != VB_INT) return false;
    *out = v->i;
    return true;
}

/* An optional count: absent counts 0; given but invalid makes the caller
 * skip its checks (the field's own error is reported already). */
static bool opt_count(json_t *j, const vb_value *map, const char *key, int64_t *out)
{
    *out = 0;
    json_t *v = json_object_get(j, key);
    if (!v || json_is_null(v)) return true;
    return get_int(map, key, out);
}

static void hook_meeting(ctx *c, json_t *j, vb_value *map)
{
    /* start <= end */
    vb_value *st = vb_value_get(map, "start"), *en = vb_value_get(map, "end");
    int sh, sm, eh, em;
    if (st && en && vb_parse_time(st->s, &sh, &sm) && vb_parse_time(en->s, &eh, &em) &&
        sh * 60 + sm > eh * 60 + em)
        error_at(c, "end", "expected a time not before the start (%s), got \"%s\"", st->s, en->s);

    /* present <= total; derived absent */
    vb_value *members = vb_value_get(map, "members");
    int64_t total = -1, present = -1;
    if (members && members->kind == VB_MAP) {
        get_int(members, "total", &total);
        get_int(members, "present", &present);
        if (total >= 0 && present > total) {
            error_at(c, "members/present", "%" PRId64 " present, but only %" PRId64
                     " members in total", present, total);
            present = -1;
        } else if (total >= 0 && present >= 0) {
            vb_value_set(c->a, members, "absent", vb_value_int(c->a, total - present));
        }
    }

    /* votes: counts against attendance; derived base, voted, percentages */
    vb_value *votes = vb_value_get(map, "votes");
    json_t *jvotes = json_object_get(j, "votes");
    if (!votes || votes->kind != VB_LIST || !json_is_array(jvotes)) return;
    for (size_t i = 0; i < votes->n; i++) {
        vb_value *v = votes->items[i];
        json_t *jv = json_array_get(jvotes, i);
        if (!v || v->kind != VB_MAP || !jv) continue;
        int64_t vfor, against, abstain, base = -1;
        if (!get_int(v, "for", &vfor) || !opt_count(jv, v, "against", &against) ||
            !opt_count(jv, v, "abstain", &abstain))
            continue;
        int64_t voted = vfor + against + abstain;
        char sub[64];
        bool bad = false;
        if (present >= 0 && vfor > present) {
            snprintf(sub, sizeof sub, "votes/%zu/for", i);
            error_at(c, sub, "%" PRId64 " votes for, but only %" PRId64 " members present",
                     vfor, present);
            bad = true;
        } else if (present >= 0 && voted > present) {
            snprintf(sub, sizeof sub, "votes/%zu", i);
            error_at(c, sub, "%" PRId64 " votes in all (for, against, abstain), but only %"
                     PRId64 " members present", voted, present);
            bad = true;
        }
        bool own_base = get_int(v, "base", &base);
        if (!own_base) {
            json_t *jb = json_object_get(jv, "base");
            if (jb && !json_is_null(jb)) continue;       /* invalid, reported */
            base = total;
        }
        if (!bad && base >= 0 && voted > base) {
            snprintf(sub, sizeof sub, "votes/%zu", i);
            if (own_base)
                error_at(c, sub, "%" PRId64 " votes in all (for, against, abstain), but the "
                         "base is only %" PRId64, voted, base);
            else
                error_at(c, sub, "%" PRId64 " votes in all (for, against, abstain), but only %"
                         PRId64 " members in total", voted, base);
            bad = true;
        }
        if (bad) continue;
        vb_value_set(c->a, v, "voted", vb_value_int(c->a, voted));
        if (base > 0) {
            vb_value_set(c->a, v, "base", vb_value_int(c->a, base));
            vb_value_set(c->a, v, "for_pct", vb_value_str(c->a, vb_percent(c->a, vfor, base)));
            vb_value_set(c->a, v, "against_pct", vb_value_str(c->a, vb_percent(c->a, against, base)));
            vb_value_set(c->a, v, "abstain_pct", vb_value_str(c->a, vb_percent(c->a, abstain, base)));
        } else if (base == 0) {
            vb_value_set(c->a, v, "base", vb_value_int(c->a, 0));
        }
    }
}

/* The key that makes each kind of block; a table is made by "columns". */
static const char *const block_keys[] = { "heading", "paragraph", "items", "article", "columns" };
static const char *const block_kinds[] = { "heading", "paragraph", "items", "article", "table" };
#define NBLOCK_KINDS 5

/* A number cell as printed: "1.250.000.000", "7,5"; `decimals` < 0: as
 * many as the number has (at most 6). */
static const char *format_cell_number(vb_arena *a, json_t *j, int decimals)
{
    if (json_is_integer(j) && decimals <= 0) return vb_format_int(a, json_integer_value(j));
    double x = json_number_value(j);
    if (decimals < 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.6f", x);
        size_t n = strlen(buf);
        while (n && buf[n - 1] == '0') n--;
        char *dot = strchr(buf, '.');
        decimals = dot ? (int)(buf + n - dot - 1) : 0;
        if (decimals < 0) decimals = 0;
    }
    double scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    /* no more digits than a double holds (15): fewer decimals, never an
     * out-of-range conversion */
    while (decimals > 0 && (x * scale >= 1e15 || x * scale <= -1e15)) { decimals--; scale /= 10; }
    double v = x * scale;
    int64_t scaled = (int64_t)(v + (v >= 0 ? 0.5 : -0.5));
    return decimals ? vb_format_decimal(a, scaled, decimals) : vb_format_int(a, scaled);
}

/* Cells against their columns: no more cells than columns, numbers only
 * (or blank) in number columns; every cell becomes its printed text, the
 * rows padded to the columns with blank cells. */
static void table_rows(ctx *c, const char *key, json_t *jrows, vb_value *rows, json_t *jcols,
                       const bool *number, const int *decimals, int ncols, size_t header)
{
    if (!rows || rows->kind != VB_LIST || !json_is_array(jrows)) return;
    for (size_t r = 0; r < rows->n && r < json_array_size(jrows); r++) {
        vb_value *row = rows->items[r];
        json_t *jr = json_array_get(jrows, r);
        if (!row || row->kind != VB_LIST || !json_is_array(jr)) continue;
        char sub[96];
        if (row->n > (size_t)ncols) {
            snprintf(sub, sizeof sub, "%s/%zu", key, r);
            error_at(c, sub, "%zu cells, but the table has %d column%s", row->n, ncols, ncols == 1 ? "" : "s");
            continue;
        }
        for (size_t k = 0; k < row->n; k++) {
            json_t *jc = json_array_get(jr, k);
            vb_value *v = row->items[k];
            if (!v || v->kind != VB_STR) continue;      /* its own error is reported */
            if (json_is_number(jc)) {
                if (!number[k] && json_is_integer(jc)) {
                    /* a number in a text column is an ordinal or a year: as typed */
                    row->items[k] = vb_value_str(c->a, vb_sprintf(c->a, "%" PRId64, (int64_t)json_integer_value(jc)));
                    continue;
                }
                double x = json_number_value(jc);
                if (!(x > -1e15 && x < 1e15)) {
                    snprintf(sub, sizeof sub, "%s/%zu/%zu", key, r, k);
                    error_at(c, sub, "expected a number of at most 15 digits, got %g", x);
                    continue;
                }
                row->items[k] = vb_value_str(c->a, format_cell_number(c->a, jc, decimals[k]));
            } else if (number[k] && *v->s && r >= header) {
                /* header rows (column numbers "1", "3 = 2/1") are text */
                json_t *jt = json_object_get(json_array_get(jcols, k), "title");
                snprintf(sub, sizeof sub, "%s/%zu/%zu", key, r, k);
                error_at(c, sub, "expected a number (column %zu, \"%s\", is a number column), got \"%s\"",
                         k + 1, json_is_string(jt) ? json_string_value(jt) : "", v->s);
            }
        }
        while (row->n < (size_t)ncols) vb_value_push(c->a, row, vb_value_str(c->a, ""));
    }
}

static void hook_table(ctx *c, json_t *j, vb_value *map)
{
    vb_value *cols = vb_value_get(map, "columns");
    json_t *jcols = json_object_get(j, "columns");
    if (!cols || cols->kind != VB_LIST || !json_is_array(jcols) || cols->n == 0) return;
    int ncols = (int)cols->n;
    bool *number = vb_alloc(c->a, (size_t)ncols * sizeof *number);
    int *decimals = vb_alloc(c->a, (size_t)ncols * sizeof *decimals);
    for (int k = 0; k < ncols; k++) {
        vb_value *col = cols->items[k];
        decimals[k] = -1;
        if (!col || col->kind != VB_MAP) continue;
        char sub[64];
        vb_value *kind = vb_value_get(col, "kind"), *align = vb_value_get(col, "align");
        if (kind && strcmp(kind->s, "text") && strcmp(kind->s, "number")) {
            snprintf(sub, sizeof sub, "columns/%d/kind", k);
            error_at(c, sub, "expected \"text\" or \"number\", got \"%s\"", kind->s);
        }
        number[k] = kind && !strcmp(kind->s, "number");
        if (!kind) vb_value_set(c->a, col, "kind", vb_value_str(c->a, "text"));
        if (align && strcmp(align->s, "left") && strcmp(align->s, "center") && strcmp(align->s, "right")) {
            snprintf(sub, sizeof sub, "columns/%d/align", k);
            error_at(c, sub, "expected \"left\", \"center\" or \"right\", got \"%s\"", align->s);
        }
        if (!align) vb_value_set(c->a, col, "align", vb_value_str(c->a, number[k] ? "right" : "left"));
        int64_t dec;
        if (get_int(col, "decimals", &dec)) {
            if (!number[k]) {
                snprintf(sub, sizeof sub, "columns/%d/decimals", k);
                error_at(c, sub, "only a number column has decimals");
            }
            decimals[k] = (int)dec;
        }
    }
    int64_t hr = 1;
    if (!get_int(map, "header_rows", &hr)) vb_value_set(c->a, map, "header_rows", vb_value_int(c->a, 1));
    table_rows(c, "rows", json_object_get(j, "rows"), vb_value_get(map, "rows"), jcols, number, decimals, ncols,
               (size_t)(hr - 1));
    table_rows(c, "totals", json_object_get(j, "totals"), vb_value_get(map, "totals"), jcols, number, decimals, ncols, 0);
    vb_value *rows = vb_value_get(map, "rows");
    if (rows && rows->kind == VB_LIST && hr > 1 && (size_t)(hr - 1) >= rows->n)
        error_at(c, "header_rows", "%" PRId64 " header rows leave no row of the table's body "
                 "(it has %zu rows)", hr, rows->n);
}

static void hook_block(ctx *c, json_t *j, vb_value *map)
{
    const char *kind = NULL, *seen[NBLOCK_KINDS];
    int count = 0;
    for (int k = 0; k < NBLOCK_KINDS; k++) {
        json_t *v = json_object_get(j, block_keys[k]);
        if (v && !json_is_null(v)) { seen[count++] = block_keys[k]; kind = block_kinds[k]; }
    }
    char found[128] = "";
    for (int k = 0; k < count; k++) {
        if (k) strcat(found, k == count - 1 ? " and " : ", ");
        strcat(found, "\"");
        strcat(found, seen[k]);
        strcat(found, "\"");
    }
    if (count == 0) {
        error_at(c, NULL, "a block needs one of \"heading\", \"paragraph\", \"items\", \"article\" "
                 "or \"columns\" (a table)");
        return;
    }
    if (count > 1) {
        error_at(c, NULL, "a block has exactly one of \"heading\", \"paragraph\", \"items\", "
                 "\"article\" or \"columns\"; this one has %s", found);
        return;
    }
    json_t *lv = json_object_get(j, "level"), *tv = json_object_get(j, "title");
    if (lv && !json_is_null(lv) && strcmp(kind, "heading") != 0)
        error_at(c, "level", "only a heading has a level");
    if (tv && !json_is_null(tv) && strcmp(kind, "article") != 0)
        error_at(c, "title", "only an article has a title");
    static const char *const table_keys[] = { "rows", "totals", "header_rows" };
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(j, table_keys[k]);
        if (v && !json_is_null(v) && strcmp(kind, "table") != 0)
            error_at(c, table_keys[k], "only a table (a block with \"columns\") has %s", table_keys[k]);
    }
    vb_value_set(c->a, map, "kind", vb_value_str(c->a, kind));
    if (strcmp(kind, "table") == 0) {
        json_t *jr = json_object_get(j, "rows");
        if (!jr || json_is_null(jr)) error_at(c, "rows", "required field is missing (a table needs rows)");
        hook_table(c, j, map);
    }
    if (strcmp(kind, "heading") == 0 && !vb_value_get(map, "level") && (!lv || json_is_null(lv)))
        vb_value_set(c->a, map, "level", vb_value_int(c->a, 1));
    vb_value *art = vb_value_get(map, "article");
    if (art && art->kind == VB_STR) {
        vb_value *list = vb_value_new(c->a, VB_LIST);
        vb_value_push(c->a, list, art);
        vb_value_set(c->a, map, "paragraphs", list);
    } else if (art && art->kind == VB_LIST) {
        vb_value_set(c->a, map, "paragraphs", art);
    }
}

static void hook_resolution(ctx *c, vb_value *map)
{
    vb_value *pre = vb_value_get(map, "preamble");
    if (pre && pre->kind == VB_STR) {
        vb_value *list = vb_value_new(c->a, VB_LIST);
        vb_value_push(c->a, list, pre);
        vb_value_set(c->a, map, "preamble", list);
    }
    vb_value *body = vb_value_get(map, "body");
    if (!body || body->kind != VB_LIST) return;
    int64_t level[4] = {0}, article = 0;
    for (size_t i = 0; i < body->n; i++) {
        vb_value *b = body->items[i];
        vb_value *kind = vb_value_get(b, "kind");
        if (!kind) continue;
        if (strcmp(kind->s, "heading") == 0) {
            int64_t l;
            if (!get_int(b, "level", &l) || l < 1 || l > 3) continue;
            level[l]++;
            for (int k = (int)l + 1; k <= 3; k++) level[k] = 0;
            vb_value_set(c->a, b, "number", vb_value_int(c->a, level[l]));
        } else if (strcmp(kind->s, "article") == 0) {
            vb_value_set(c->a, b, "number", vb_value_int(c->a, ++article));
        }
    }
}

static void hook_root(ctx *c, json_t *j, vb_value *map)
{
    json_t *jm = json_object_get(j, "meeting"), *jr = json_object_get(j, "resolution"),
           *jmin = json_object_get(j, "minutes");
    bool has_m = jm && !json_is_null(jm), has_r = jr && !json_is_null(jr);
    if (!has_m && !has_r)
        error_at(c, NULL, "record has neither a meeting nor a resolution");
    if (jmin && !json_is_null(jmin) && !has_m)
        error_at(c, "minutes", "minutes need the meeting block");

    vb_value *meeting = vb_value_get(map, "meeting");
    vb_value *res = vb_value_get(map, "resolution");
    vb_value *conv = vb_value_get(map, "convention");

    if (has_r && json_is_object(jr)) {
        json_t *jd = json_object_get(jr, "date");
        if (!jd || json_is_null(jd)) {
            vb_value *md = meeting ? vb_value_get(meeting, "date") : NULL;
            if (md && res) vb_value_set(c->a, res, "date", md);
            else if (!has_m)
                error_at(c, "resolution/date",
                         "required field is missing (there is no meeting date to take it from)");
        }
    }
    vb_value *members = meeting ? vb_value_get(meeting, "members") : NULL;
    if (members && conv && !vb_value_get(members, "unit"))
        vb_value_set(c->a, members, "unit",
                     vb_value_str(c->a, strcmp(conv->s, "party") == 0 ? "đồng chí" : "thành viên"));
}

static void object_hook(ctx *c, int fi, json_t *j, vb_value *map)
{
    const char *p = field_path(fi);
    if (!*p) hook_root(c, j, map);
    else if (strcmp(p, "meeting") == 0) hook_meeting(c, j, map);
    else if (strcmp(p, "resolution") == 0) hook_resolution(c, map);
    else if (strcmp(p, "resolution.body.*") == 0) hook_block(c, j, map);
}

/* ---------------------------------------------------------------------
 * Byte checks and parsing
 * ------------------------------------------------------------------- */

/* 1-based line and column (in characters) of a byte offset. */
static void line_col(const char *data, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char u = (unsigned char)data[i];
        if (u == '\n') { (*line)++; *col = 1; }
        else if ((u & 0xC0) != 0x80) (*col)++;
    }
}

__attribute__((format(printf, 4, 5)))
static void file_error(ctx *c, int line, int col, const char *fmt, ...)
{
    vb_buf m = {0};
    /* JSON Lines: the record is one line of the file, so its position is
     * that line and the column within it. */
    if (c->line > 0) line = c->line;
    vb_buf_puts(&m, c->file);
    if (line > 0) vb_buf_printf(&m, ":%d", line);
    if (line > 0 && col > 0) vb_buf_printf(&m, ":%d", col);
    vb_buf_puts(&m, ": ");
    char *text;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0) vb_oom();
    va_end(ap);
    vb_buf_puts(&m, text);
    free(text);
    emit(c, true, &m);
}

/* Scan the structure (strings, brackets) up to byte `stop`; return false
 * at the first bracket nested deeper than VB_MAX_DEPTH (*at = its offset).
 * When path is given, it receives the JSON pointer of the key or item being
 * read at `stop` (used to name a duplicate key). */
typedef struct frame { bool object; size_t index; size_t key_off, key_len; } frame;

static bool scan(const char *s, size_t len, size_t stop, size_t *at, vb_buf *path)
{
    frame st[VB_MAX_DEPTH + 1];
    int depth = 0;
    size_t str_start = 0, last_str = 0, last_str_len = 0;
    bool in_str = false, esc = false, have_str = false;
    for (size_t i = 0; i < len && i < stop; i++) {
        char ch = s[i];
        if (in_str) {
            if (esc) esc = false;
            else if (ch == '\\') esc = true;
            else if (ch == '"') {
                in_str = false;
                have_str = true;
                last_str = str_start;
                last_str_len = i - str_start;
            }
            continue;
        }
        switch (ch) {
        case '"': in_str = true; str_start = i + 1; break;
        case '{': case '[':
            if (depth == VB_MAX_DEPTH) { *at = i; return false; }
            st[depth].object = ch == '{';
            st[depth].index = 0;
            st[depth].key_len = 0;
            st[depth].key_off = 0;
            depth++;
            have_str = false;
            break;
        case '}': case ']': if (depth) depth--; have_str = false; break;
        case ',': if (depth) st[depth - 1].index++; have_str = false; break;
        case ':':
            if (depth && have_str) { st[depth - 1].key_off = last_str; st[depth - 1].key_len = last_str_len; }
            have_str = false;
            break;
        default: break;
        }
    }
    if (path) {
        /* At `stop` (just after a duplicate key): the innermost object's
         * pending key is the last string read. */
        for (int k = 0; k < depth; k++) {
            bool last = k == depth - 1;
            if (st[k].object) {
                size_t off = last ? last_str : st[k].key_off;
                size_t n = last ? last_str_len : st[k].key_len;
                vb_buf_putc(path, '/');
                put_safe(path, s + off, n, 80, false);
            } else {
                vb_buf_printf(path, "/%zu", st[k].index);
            }
        }
    }
    return true;
}

static bool precheck(ctx *c, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len > VB_MAX_RECORD_BYTES) {
        file_error(c, 0, 0, "record is too large: %zu bytes, at most %u", len, VB_MAX_RECORD_BYTES);
        return false;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        file_error(c, 0, 0, "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM");
        return false;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        file_error(c, 0, 0, "starts with a UTF-16 byte-order mark; save the file as UTF-8 without BOM");
        return false;
    }
    const char *nul = memchr(data, 0, len);
    if (nul) {
        file_error(c, 0, 0, "NUL character at byte %zu; a record is UTF-8 text (UTF-16 is not accepted)",
                   (size_t)(nul - data));
        return false;
    }
    size_t bad;
    if (!vb_utf8_valid(data, len, &bad)) {
        file_error(c, 0, 0, "invalid UTF-8 at byte %zu", bad);
        return false;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) i++;
    if (i == len) {
        file_error(c, 0, 0, "empty; expected a JSON object");
        return false;
    }
    size_t at;
    if (!scan(data, len, len, &at, NULL)) {
        int line, col;
        line_col(data, at, &line, &col);
        file_error(c, line, col, "nested more than %d levels deep", VB_MAX_DEPTH);
        return false;
    }
    return true;
}

static json_t *parse_json(ctx *c, const char *data, size_t len)
{
    json_error_t e;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
    if (j) return j;
    int line, col;
    size_t pos = e.position > 0 ? (size_t)e.position : 0;
    if (pos > len) pos = len;
    line_col(data, pos, &line, &col);
    if (e.line > 0) { line = e.line; col = e.column > 0 ? e.column : col; }
    vb_buf text = {0};
    enum json_error_code code = json_error_code(&e);
    if (code == json_error_duplicate_key) {
        vb_buf path = {0};
        size_t at;
        scan(data, len, pos, &at, &path);
        file_error(c, line, col, "%s: duplicate key; each field may appear only once",
                   vb_buf_cstr(&path));
        vb_buf_free(&path);
        return NULL;
    }
    if (code == json_error_null_character)
        vb_buf_puts(&text, "the escape \\u0000 (NUL) is not allowed");
    else
        put_safe(&text, e.text, strlen(e.text), 200, false);
    file_error(c, line, col, "invalid JSON: %s", vb_buf_cstr(&text));
    vb_buf_free(&text);
    return NULL;
}

/* The file name without directory and extension; JSON Lines: name-LINE. */
static const char *default_id(vb_arena *a, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *id;
    if (n == 0 || (n == 1 && base[0] == '-') || (n <= 2 && strncmp(base, "..", n) == 0))
        id = vb_strdup(a, "record");
    else
        id = vb_strndup(a, base, n);
    if (line > 0) id = vb_sprintf(a, "%s-%d", id, line);
    return id;
}

bool vb_record_parse(vb_arena *a, const char *file, int line,
                     const char *data, size_t len, vb_record *out, vb_diag *d)
{
    memset(out, 0, sizeof *out);
    out->file = vb_strdup(a, file ? file : "-");
    out->line = line > 0 ? line : 0;
    ctx c = { .a = a, .d = d, .file = out->file, .line = out->line };
    if (!data) data = "";
    bool ok = false;
    json_t *j = NULL;
    if (!precheck(&c, data, len) || !(j = parse_json(&c, data, len))) goto done;
    c.root = j;
    if (!json_is_object(j)) {
        expected(&c, "an object", j, false);
        goto done;
    }
    vb_value *root;
    check_object(&c, ROOT, j, &root);
    if (c.errors == 0 && root) {
        vb_value *conv = vb_value_get(root, "convention");
        vb_value *id = vb_value_get(root, "id");
        out->root = root;
        out->convention = strcmp(conv->s, "party") == 0 ? VB_PARTY : VB_STATE;
        out->has_resolution = vb_value_get(root, "resolution") != NULL;
        out->has_minutes = vb_value_get(root, "meeting") != NULL;
        out->id = id ? id->s : default_id(a, out->file, out->line);
        ok = true;
    }
done:
    if (c.hidden_errors)
        vb_error(d, VB_EXIT_INPUT, "%s: %zu more problems not shown (%zu errors)", out->file,
                 c.hidden_errors + c.hidden_warnings, c.hidden_errors);
    else if (c.hidden_warnings)
        vb_warn(d, "%s: %zu more warnings not shown", out->file, c.hidden_warnings);
    json_decref(j);
    vb_buf_free(&c.ptr);
    if (!ok) out->root = NULL;
    return ok;
}

bool vb_record_load(vb_arena *a, const char *path, vb_record *out, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(path, VB_MAX_RECORD_BYTES, &data, &len, d)) {
        memset(out, 0, sizeof *out);
        out->file = vb_strdup(a, path);
        return false;
    }
    bool ok = vb_record_parse(a, path, 0, data, len, out, d);
    free(data);
    return ok;
}

/* ---------------------------------------------------------------------
 * Documentation: the field tables of docs/record-format.md come from here
 * (tests/unit/record.c checks that the file matches).  Not in record.h:
 * only the tests and documentation tools use it.
 * ------------------------------------------------------------------- */


static void type_text(vb_buf *b, int i)
{
    const field *f = &schema[i];
    int item = (f->type == T_LIST || f->type == T_TEXTS) ? find_child(i, "*") : -1;
    switch (f->type) {
    case T_OBJ: vb_buf_puts(b, "object"); break;
    case T_LIST:
        vb_buf_puts(b, item >= 0 && schema[item].type == T_OBJ ? "list of objects" :
                       item >= 0 && schema[item].type == T_LIST ? "list of lists of cells" : "list of text");
        break;
    case T_TEXT: vb_buf_puts(b, "text"); break;
    case T_TEXTS: vb_buf_puts(b, "text or list of text"); break;
    case T_INT:
        if (f->flags & F_DERIVED) vb_buf_puts(b, "whole number");
        else vb_buf_printf(b, "whole number %" PRId64 "..%" PRId64, f->min, f->max);
        break;
    case T_DATE: vb_buf_puts(b, "date `YYYY-MM-DD`"); break;
    case T_TIME: vb_buf_puts(b, "time `HH:MM`"); break;
    case T_CONV: vb_buf_puts(b, "`party` or `state`"); break;
    case T_ID: vb_buf_puts(b, "file name"); break;
    case T_CELL: vb_buf_puts(b, "text or number"); break;
    }
    if ((f->flags & F_NONEMPTY) && (f->type == T_LIST || f->type == T_TEXTS))
        vb_buf_puts(b, ", not empty");
}

void vb_record_fields_markdown(vb_buf *b)
{
    vb_buf_puts(b, "| Field | Type | Required | Meaning |\n|---|---|---|---|\n");
    for (int i = 0; i < NSCHEMA; i++) {
        const field *f = &schema[i];
        if ((f->flags & F_DERIVED) || !f->doc) continue;
        vb_buf_printf(b, "| `%s` | ", f->path);
        type_text(b, i);
        vb_buf_printf(b, " | %s | %s", (f->flags & F_REQ) ? "yes" :
                      (f->flags & F_REQ_RES) ? "with `resolution`" : "", f->doc);
        if (f->derive) vb_buf_printf(b, " Default: %s.", f->derive);
        vb_buf_puts(b, " |\n");
    }
    vb_buf_puts(b, "\n| Derived field | Type | Meaning | Value |\n|---|---|---|---|\n");
    for (int i = 0; i < NSCHEMA; i++) {
        const field *f = &schema[i];
        if (!f->derive || !f->doc) continue;
        vb_buf_printf(b, "| `%s` | ", f->path);
        type_text(b, i);
        vb_buf_printf(b, " | %s | %s |\n",
                      (f->flags & F_DERIVED) ? f->doc : "Default when the record gives none.",
                      f->derive);
    }
}
