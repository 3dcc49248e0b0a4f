/* record.c — reading and checking a meeting record (see record.h).
 *
 * The order of work:
 *   1. byte checks before any JSON parsing: size, byte-order marks, NUL
 *      bytes, UTF-8 validity, nesting depth (a flat scan, so that deep
 *      nesting can never reach a recursive parser);
 *   2. jansson parses (duplicate keys rejected; the path is recovered by a
 *      small scan so the message can name it);
 *   3. the record format (schema.h, read from templates/core.fields and
 *      templates/parts/) drives the check of the whole tree, reporting
 *      every problem, and the construction of the vb_value tree with every
 *      string in NFC;
 *   4. cross-field rules and derived fields (record.h) are added by hooks,
 *      keyed by field path, that run after an object's own fields are
 *      checked: they are computations, not data.  Rules that are data run
 *      at the root: a part that needs another (needs:PART) and defaults by
 *      convention (default[CONV] lines).
 * The same format produces the field reference in docs/record-format.md
 * (vb_record_fields_markdown). */
#include "record.h"

#include <jansson.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * The schema (schema.h: read from templates/core.fields and parts/)
 * ------------------------------------------------------------------- */

typedef vb_field field;
#define T_OBJ VB_F_OBJ
#define T_LIST VB_F_LIST
#define T_TEXT VB_F_TEXT
#define T_TEXTS VB_F_TEXTS
#define T_INT VB_F_INT
#define T_DATE VB_F_DATE
#define T_TIME VB_F_TIME
#define T_CONV VB_F_CONV
#define T_ID VB_F_ID
#define T_CELL VB_F_CELL
#define T_BOOL VB_F_BOOL
#define F_REQ VB_F_REQ
#define F_NONEMPTY VB_F_NONEMPTY
#define F_DERIVED VB_F_DERIVED
#define ROOT (-1)

/* The last segment of a field's path, usable as a key. */
static const char *field_key(const vb_schema *s, int fi)
{
    const char *p = s->fields[fi].path, *dot = strrchr(p, '.');
    return dot ? dot + 1 : p;
}

/* Is field i a direct child of parent?  (From the parents the schema
 * loader found: comparing paths here was 5% of a whole batch.) */
static bool is_child(const vb_schema *s, int parent, int i)
{
    return s->parent[i] == parent;
}

static int find_child(const vb_schema *s, int parent, const char *key)
{
    if (!*key || strchr(key, '.')) return -1;
    for (int i = 0; i < (int)s->nfields; i++)
        if (is_child(s, parent, i) && strcmp(field_key(s, i), key) == 0) return i;
    return -1;
}

/* ---------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------- */

#define MAX_MESSAGES 100   /* per record; then one "… more" line */

typedef struct ctx {
    const vb_schema *s;
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
    if (vasprintf(&text, gettext(fmt), ap) < 0) vb_oom();
    vb_buf_puts(&m, text);
    free(text);
    emit(c, err, &m);
}

__attribute__((format(printf, 3, 4)))
static void error_at(ctx *c, const char *sub, const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vreport(c, true, sub, fmt, ap); va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void vreport_got(ctx *c, const char *fmt, ...)
{
    va_list ap; va_start(ap, fmt); vreport(c, true, NULL, fmt, ap); va_end(ap);
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
        else vb_buf_puts(&b, _("a number"));
        break;
    case JSON_REAL:
        if (show_number) {
            char num[64];
            snprintf(num, sizeof num, "%.15g", json_real_value(j));
            if (!strpbrk(num, ".eEn")) strcat(num, ".0");
            vb_buf_puts(&b, num);
        } else vb_buf_puts(&b, _("a number"));
        break;
    case JSON_TRUE: vb_buf_puts(&b, "true"); break;
    case JSON_FALSE: vb_buf_puts(&b, "false"); break;
    case JSON_NULL: vb_buf_puts(&b, "null"); break;
    case JSON_ARRAY: vb_buf_puts(&b, _("a list")); break;
    case JSON_OBJECT: vb_buf_puts(&b, _("an object")); break;
    }
    char *r = vb_strdup(c->a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

/* fmt is a whole sentence "expected …, got %s" (so that a translator sees
 * all of it); the %s is what the value is. */
static void expected(ctx *c, const char *fmt, json_t *j, bool show_number)
{
    vreport_got(c, fmt, describe(c, j, show_number));
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
    if (!json_is_string(j)) { expected(c, N_("expected text, got %s"), j, false); return false; }
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
        error_at(c, NULL, "expected a whole number %" PRId64 "..%" PRId64 ", got %s", f->min, f->max,
                 describe(c, j, true));
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
    if (!json_is_string(j)) { expected(c, N_("expected YYYY-MM-DD, got %s"), j, false); return false; }
    const char *s = json_string_value(j);
    if (!vb_parse_date(s, &y, &m, &d)) {
        if (date_shape(s)) error_at(c, NULL, "expected YYYY-MM-DD, got %s (no such date)", describe(c, j, false));
        else error_at(c, NULL, "expected YYYY-MM-DD, got %s", describe(c, j, false));
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
        expected(c, N_("expected HH:MM (00:00 to 23:59), got %s"), j, false);
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
        expected(c, N_("expected a file name of 1 to 100 characters A-Z a-z 0-9 . _ - "
                       "(not starting with \".\", no \"..\"), got %s"), j, false);
        return false;
    }
    *out = vb_value_str(c->a, json_string_value(j));
    return true;
}

static bool check_list(ctx *c, int fi, json_t *j, vb_value **out)
{
    *out = NULL;
    const field *f = &c->s->fields[fi];
    if (!json_is_array(j)) { expected(c, N_("expected a list, got %s"), j, false); return false; }
    size_t n = json_array_size(j);
    if (n > VB_MAX_LIST_ITEMS) {
        error_at(c, NULL, "expected at most %d items, got %zu", VB_MAX_LIST_ITEMS, n);
        return false;
    }
    if (n == 0 && (f->flags & F_NONEMPTY)) { error_at(c, NULL, "must not be empty"); return false; }
    int item = find_child(c->s, fi, "*");
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
    expected(c, N_("expected text or a list of text, got %s"), j, false);
    return false;
}

static void object_hook(ctx *c, int fi, json_t *j, vb_value *map);

static bool field_required(ctx *c, int fi)
{
    const field *f = &c->s->fields[fi];
    if (f->flags & F_REQ) return true;
    if (f->flags & VB_F_REQ_WITH) {
        json_t *r = json_object_get(c->root, f->req_with);
        return r && !json_is_null(r);
    }
    return false;
}

static bool check_object(ctx *c, int fi, json_t *j, vb_value **out)
{
    *out = NULL;
    if (!json_is_object(j)) { expected(c, N_("expected an object, got %s"), j, false); return false; }
    size_t errors0 = c->errors;
    vb_value *map = vb_value_new(c->a, VB_MAP);
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
        size_t saved = ptr_push_key(c, key);
        int k = find_child(c->s, fi, key);
        if (k < 0)
            warn_at(c, NULL, "unknown field, ignored");
        else if (c->s->fields[k].flags & F_DERIVED)
            warn_at(c, NULL, "computed by vanban; the value given is ignored");
        else if (!json_is_null(v)) {
            vb_value *val;
            check_value(c, k, v, field_required(c, k) || (c->s->fields[k].flags & F_NONEMPTY), &val);
            if (val) vb_value_set(c->a, map, field_key(c->s, k), val);
        }
        ptr_pop(c, saved);
    }
    for (int k = 0; k < (int)c->s->nfields; k++) {
        if (!is_child(c->s, fi, k) || !field_required(c, k)) continue;
        json_t *cv = json_object_get(j, field_key(c->s, k));
        if (!cv || json_is_null(cv)) error_at(c, field_key(c->s, k), "required field is missing");
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
    const field *f = &c->s->fields[fi];
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
        expected(c, N_("expected text or a number, got %s"), j, false);
        return false;
    case T_BOOL:
        *out = NULL;
        if (!json_is_boolean(j)) { expected(c, N_("expected true or false, got %s"), j, false); return false; }
        *out = vb_value_new(c->a, VB_BOOL);
        (*out)->b = json_is_true(j);
        return true;
    case T_CONV:
        *out = NULL;
        if (json_is_string(j) && (strcmp(json_string_value(j), "party") == 0 ||
                                  strcmp(json_string_value(j), "state") == 0)) {
            *out = vb_value_str(c->a, json_string_value(j));
            return true;
        }
        expected(c, N_("expected \"party\" or \"state\", got %s"), j, false);
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

/* compute:ballots — a vote count's ballots per item (its own or the shared
 * `ballots`), checked: received <= issued, valid + invalid = received;
 * each result's votes <= valid; percentages of the base (the item's
 * `base`, the count's `base`, else its valid ballots), as the meeting's. */
static bool ballots_ok(ctx *c, const char *at, const vb_value *b)
{
    int64_t issued, received, valid, invalid;
    if (!get_int(b, "issued", &issued) || !get_int(b, "received", &received) ||
        !get_int(b, "valid", &valid) || !get_int(b, "invalid", &invalid))
        return false;                       /* a field's own error is reported */
    char sub[96];
    bool ok = true;
    if (received > issued) {
        snprintf(sub, sizeof sub, "%s/received", at);
        error_at(c, sub, "%" PRId64 " ballots received, but only %" PRId64 " issued",
                 received, issued);
        ok = false;
    }
    if (valid + invalid != received) {
        snprintf(sub, sizeof sub, "%s/valid", at);
        error_at(c, sub, "%" PRId64 " valid and %" PRId64 " invalid ballots make %" PRId64
                 ", but %" PRId64 " were received", valid, invalid, valid + invalid, received);
        ok = false;
    }
    return ok;
}

static void hook_ballots(ctx *c, json_t *j, vb_value *map)
{
    vb_value *st = vb_value_get(map, "start"), *en = vb_value_get(map, "end");
    int sh, sm, eh, em;
    if (st && en && vb_parse_time(st->s, &sh, &sm) && vb_parse_time(en->s, &eh, &em) &&
        sh * 60 + sm > eh * 60 + em)
        error_at(c, "end", "expected a time not before the start (%s), got \"%s\"", st->s, en->s);
    vb_value *shared = vb_value_get(map, "ballots");
    json_t *jshared = json_object_get(j, "ballots");
    bool shared_ok = shared && ballots_ok(c, "ballots", shared);
    int64_t common_base = -1;
    if (!get_int(map, "base", &common_base) && json_object_get(j, "base") &&
        !json_is_null(json_object_get(j, "base")))
        return;                             /* invalid base, reported */
    vb_value *items = vb_value_get(map, "items");
    json_t *jitems = json_object_get(j, "items");
    if (!items || items->kind != VB_LIST || !json_is_array(jitems)) return;
    for (size_t i = 0; i < items->n; i++) {
        vb_value *it = items->items[i];
        json_t *jit = json_array_get(jitems, i);
        if (!it || it->kind != VB_MAP || !jit) continue;
        char at[64], sub[96];
        snprintf(at, sizeof at, "items/%zu/ballots", i);
        vb_value *b = vb_value_get(it, "ballots");
        json_t *jb = json_object_get(jit, "ballots");
        bool ok;
        if (b) ok = ballots_ok(c, at, b);
        else if (jb && !json_is_null(jb)) continue;      /* invalid, reported */
        else if (shared) { b = shared; ok = shared_ok; vb_value_set(c->a, it, "ballots", b); }
        else {
            if (!jshared || json_is_null(jshared))
                error_at(c, at, "required field is missing (neither this item nor the vote count "
                         "gives its ballots)");
            continue;
        }
        int64_t valid;
        if (!ok || !get_int(b, "valid", &valid)) continue;
        int64_t base = -1;
        bool base_valid = false;
        if (!get_int(it, "base", &base)) {
            json_t *jbase = json_object_get(jit, "base");
            if (jbase && !json_is_null(jbase)) continue;  /* invalid, reported */
            base = common_base;
        }
        if (base < 0) { base = valid; base_valid = true; }
        vb_value *res = vb_value_get(it, "results");
        if (!res || res->kind != VB_LIST) continue;
        bool bad = false;
        for (size_t k = 0; k < res->n; k++) {
            int64_t votes;
            if (!res->items[k] || !get_int(res->items[k], "votes", &votes) || votes <= valid) continue;
            snprintf(sub, sizeof sub, "items/%zu/results/%zu/votes", i, k);
            error_at(c, sub, "%" PRId64 " votes, but only %" PRId64 " valid ballots", votes, valid);
            bad = true;
        }
        if (bad) continue;
        vb_value_set(c->a, it, "pct_base", vb_value_int(c->a, base));
        vb_value_set(c->a, it, "base_valid", vb_value_int(c->a, base_valid));
        for (size_t k = 0; k < res->n && base > 0; k++) {
            int64_t votes;
            if (res->items[k] && get_int(res->items[k], "votes", &votes))
                vb_value_set(c->a, res->items[k], "pct", vb_value_str(c->a, vb_percent(c->a, votes, base)));
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
            {
                if (ncols == 1) error_at(c, sub, "%zu cells, but the table has 1 column", row->n);
                else error_at(c, sub, "%zu cells, but the table has %d columns", row->n, ncols);
            }
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

/* compute:table, after compute:block: a table block's cells against its
 * columns; the table's keys on any other kind of block are errors. */
static void hook_table(ctx *c, json_t *j, vb_value *map)
{
    vb_value *kv = vb_value_get(map, "kind");
    if (!kv || kv->kind != VB_STR) return;      /* not a block: its error is reported */
    bool table = strcmp(kv->s, "table") == 0;
    static const char *const table_keys[] = { "rows", "totals", "header_rows" };
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(j, table_keys[k]);
        if (v && !json_is_null(v) && !table)
            error_at(c, table_keys[k], "only a table (a block with \"columns\") has %s", table_keys[k]);
    }
    if (!table) return;
    json_t *jr = json_object_get(j, "rows");
    if (!jr || json_is_null(jr)) error_at(c, "rows", "required field is missing (a table needs rows)");
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

static bool computes(const field *f, const char *name)
{
    for (int k = 0; k < VB_MAX_COMPUTE && f->compute[k]; k++)
        if (!strcmp(f->compute[k], name)) return true;
    return false;
}

/* compute:block.  A block may be a table ("columns") only where its object
 * also names compute:table, which checks it; elsewhere the four kinds. */
static void hook_block(ctx *c, int fi, json_t *j, vb_value *map)
{
    int nkinds = computes(&c->s->fields[fi], "table") ? NBLOCK_KINDS : NBLOCK_KINDS - 1;
    const char *kind = NULL, *seen[NBLOCK_KINDS];
    int count = 0;
    for (int k = 0; k < nkinds; k++) {
        json_t *v = json_object_get(j, block_keys[k]);
        if (v && !json_is_null(v)) { seen[count++] = block_keys[k]; kind = block_kinds[k]; }
    }
    char found[128] = "", keys[128] = "";
    for (int k = 0; k < count; k++) {
        if (k) strcat(found, k == count - 1 ? _(" and ") : ", ");
        strcat(found, "\"");
        strcat(found, seen[k]);
        strcat(found, "\"");
    }
    /* "heading", "paragraph", "items" or "article" */
    for (int k = 0; k < nkinds; k++) {
        if (k) strcat(keys, k == nkinds - 1 ? _(" or ") : ", ");
        strcat(keys, "\"");
        strcat(keys, block_keys[k]);
        strcat(keys, "\"");
    }
    bool tables = nkinds == NBLOCK_KINDS;
    if (count == 0) {
        if (tables) error_at(c, NULL, "a block needs one of %s (a table)", keys);
        else error_at(c, NULL, "a block needs one of %s", keys);
        return;
    }
    if (count > 1) {
        error_at(c, NULL, "a block has exactly one of %s; this one has %s", keys, found);
        return;
    }
    json_t *lv = json_object_get(j, "level"), *tv = json_object_get(j, "title");
    if (lv && !json_is_null(lv) && strcmp(kind, "heading") != 0)
        error_at(c, "level", "only a heading has a level");
    if (tv && !json_is_null(tv) && strcmp(kind, "article") != 0)
        error_at(c, "title", "only an article has a title");
    vb_value_set(c->a, map, "kind", vb_value_str(c->a, kind));
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

/* compute:numbering — the headings (per level) and articles of `body`. */
static void hook_numbering(ctx *c, vb_value *map)
{
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

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The JSON value at a dotted path of objects, or NULL (null counts absent). */
static json_t *json_at(json_t *j, const char *path)
{
    char key[256];
    while (j && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key || !json_is_object(j)) return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        j = json_object_get(j, key);
        path += n + (dot != NULL);
    }
    return j && !json_is_null(j) ? j : NULL;
}

/* A record must hold at least one document: the condition of some type
 * (either convention: the record's own may be what is wrong) is met.
 * Named by the conditions' fields: "neither a meeting nor a resolution". */
static void holds_some(ctx *c, json_t *j)
{
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < c->s->ntypes; i++) {
        const char *h = c->s->types[i].holds;
        if (json_at(j, h)) return;
        bool seen = false;
        for (size_t k = 0; k < n; k++) seen |= !strcmp(names[k], h);
        if (!seen && n < 64) names[n++] = h;
    }
    if (!n) return;                 /* no types at all: nothing to hold */
    qsort(names, n, sizeof *names, cmp_cstr);
    vb_buf b = {0};
    if (n == 1) vb_buf_printf(&b, "record has no %s", names[0]);
    else if (n == 2) vb_buf_printf(&b, "record has neither a %s nor a %s", names[0], names[1]);
    else {
        vb_buf_puts(&b, "record holds no document: it has none of ");
        for (size_t k = 0; k < n; k++) vb_buf_printf(&b, "%s%s", k ? ", " : "", names[k]);
    }
    error_at(c, NULL, "%s", vb_buf_cstr(&b));
    vb_buf_free(&b);
}

/* default-from:PATH — an absent field takes the value at PATH; when
 * neither is there and PATH's top-level object is absent too, the field
 * is required ("resolution.date" from "meeting.date"). */
static void defaults_from(ctx *c, json_t *j, vb_value *root)
{
    for (size_t i = 0; i < c->s->nfields; i++) {
        const field *f = &c->s->fields[i];
        if (!f->default_from) continue;
        const char *dot = strrchr(f->path, '.');
        char *parent = dot ? vb_strndup(c->a, f->path, (size_t)(dot - f->path)) : NULL;
        json_t *jp = parent ? json_at(j, parent) : j;
        if (!jp || !json_is_object(jp) || json_at(j, f->path)) continue;
        vb_value *pv = parent ? vb_value_path(root, parent) : root;
        vb_value *src = vb_value_path(root, f->default_from);
        if (src && pv && pv->kind == VB_MAP) {
            vb_value_set(c->a, pv, dot ? dot + 1 : f->path, src);
            continue;
        }
        size_t top = strcspn(f->default_from, ".");
        char *topname = vb_strndup(c->a, f->default_from, top);
        if (json_at(j, topname)) continue;   /* there, but invalid: reported */
        char *sub = vb_strdup(c->a, f->path), *what = vb_strdup(c->a, f->default_from);
        for (char *p = sub; *p; p++) if (*p == '.') *p = '/';
        for (char *p = what; *p; p++) if (*p == '.' || *p == '_') *p = ' ';
        error_at(c, sub, "required field is missing (there is no %s to take it from)", what);
    }
}

/* needs:PART — a part that cannot do without another (the minutes are
 * built from the meeting): an error at the part when the other is absent. */
static void needs_parts(ctx *c, json_t *j)
{
    for (size_t i = 0; i < c->s->nfields; i++) {
        const field *f = &c->s->fields[i];
        if (!f->needs || !json_at(j, f->path) || json_at(j, f->needs)) continue;
        /* the part's name is an English noun: "minutes" is a plural */
        size_t n = strlen(f->path);
        if (f->path[n - 1] == 's') error_at(c, f->path, "%s need the %s block", f->path, f->needs);
        else error_at(c, f->path, "%s needs the %s block", f->path, f->needs);
    }
}

/* default[CONV] lines — an absent text of an object the record has takes
 * its convention's default ("đồng chí" or "thành viên" as the unit). */
static void conv_defaults(ctx *c, vb_value *root)
{
    vb_value *conv = vb_value_get(root, "convention");
    if (!conv || conv->kind != VB_STR) return;
    int ci = strcmp(conv->s, "party") == 0 ? VB_PARTY : VB_STATE;
    for (size_t i = 0; i < c->s->nfields; i++) {
        const field *f = &c->s->fields[i];
        if (!f->conv_default[ci]) continue;
        const char *dot = strrchr(f->path, '.');
        vb_value *pv = dot ? vb_value_path(root, vb_strndup(c->a, f->path, (size_t)(dot - f->path))) : root;
        const char *key = dot ? dot + 1 : f->path;
        if (pv && pv->kind == VB_MAP && !vb_value_get(pv, key))
            vb_value_set(c->a, pv, key, vb_value_str(c->a, f->conv_default[ci]));
    }
}

static void hook_root(ctx *c, json_t *j, vb_value *map)
{
    holds_some(c, j);
    needs_parts(c, j);
    defaults_from(c, j, map);
    conv_defaults(c, map);
}

/* After an object's own fields: texts its templates see as lists, then the
 * computation its fields file names (compute:NAME, schema.h). */
static void object_hook(ctx *c, int fi, json_t *j, vb_value *map)
{
    if (fi == ROOT) { hook_root(c, j, map); return; }
    for (int k = 0; k < (int)c->s->nfields; k++) {
        if (!(c->s->fields[k].flags & VB_F_AS_LIST) || !is_child(c->s, fi, k)) continue;
        vb_value *v = vb_value_get(map, field_key(c->s, k));
        if (v && v->kind == VB_STR) {
            vb_value *list = vb_value_new(c->a, VB_LIST);
            vb_value_push(c->a, list, v);
            vb_value_set(c->a, map, field_key(c->s, k), list);
        }
    }
    for (int k = 0; k < VB_MAX_COMPUTE && c->s->fields[fi].compute[k]; k++) {
        const char *cp = c->s->fields[fi].compute[k];
        if (!strcmp(cp, "meeting")) hook_meeting(c, j, map);
        else if (!strcmp(cp, "numbering")) hook_numbering(c, map);
        else if (!strcmp(cp, "block")) hook_block(c, fi, j, map);
        else if (!strcmp(cp, "table")) hook_table(c, j, map);
        else if (!strcmp(cp, "ballots")) hook_ballots(c, j, map);
    }
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
    if (vasprintf(&text, gettext(fmt), ap) < 0) vb_oom();
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

bool vb_record_parse(const vb_schema *s, vb_arena *a, const char *file, int line,
                     const char *data, size_t len, vb_record *out, vb_diag *d)
{
    memset(out, 0, sizeof *out);
    out->file = vb_strdup(a, file ? file : "-");
    out->line = line > 0 ? line : 0;
    ctx c = { .s = s, .a = a, .d = d, .file = out->file, .line = out->line };
    if (!data) data = "";
    bool ok = false;
    json_t *j = NULL;
    if (!precheck(&c, data, len) || !(j = parse_json(&c, data, len))) goto done;
    c.root = j;
    if (!json_is_object(j)) {
        expected(&c, N_("expected an object, got %s"), j, false);
        goto done;
    }
    vb_value *root;
    check_object(&c, ROOT, j, &root);
    if (c.errors == 0 && root) {
        vb_value *conv = vb_value_get(root, "convention");
        vb_value *id = vb_value_get(root, "id");
        out->root = root;
        out->convention = strcmp(conv->s, "party") == 0 ? VB_PARTY : VB_STATE;
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

bool vb_record_load(const vb_schema *s, vb_arena *a, const char *path, vb_record *out, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(path, VB_MAX_RECORD_BYTES, &data, &len, d)) {
        memset(out, 0, sizeof *out);
        out->file = vb_strdup(a, path);
        return false;
    }
    bool ok = vb_record_parse(s, a, path, 0, data, len, out, d);
    free(data);
    return ok;
}

/* ---------------------------------------------------------------------
 * Documentation: the field tables of docs/record-format.md come from here
 * (tests/unit/record.c checks that the file matches).  Not in record.h:
 * only the tests and documentation tools use it.
 * ------------------------------------------------------------------- */


static void type_text(const vb_schema *s, vb_buf *b, int i)
{
    const field *f = &s->fields[i];
    int item = (f->type == T_LIST || f->type == T_TEXTS) ? find_child(s, i, "*") : -1;
    switch (f->type) {
    case T_OBJ: vb_buf_puts(b, "object"); break;
    case T_LIST:
        vb_buf_puts(b, item >= 0 && s->fields[item].type == T_OBJ ? "list of objects" :
                       item >= 0 && s->fields[item].type == T_LIST ? "list of lists of cells" : "list of text");
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
    case T_BOOL: vb_buf_puts(b, "`true` or `false`"); break;
    }
    if ((f->flags & F_NONEMPTY) && (f->type == T_LIST || f->type == T_TEXTS))
        vb_buf_puts(b, ", not empty");
}

void vb_record_fields_markdown(const vb_schema *s, vb_buf *b)
{
    vb_buf_puts(b, "| Field | Type | Required | Meaning | Label |\n|---|---|---|---|---|\n");
    for (int i = 0; i < (int)s->nfields; i++) {
        const field *f = &s->fields[i];
        if ((f->flags & F_DERIVED) || !f->doc) continue;
        vb_buf_printf(b, "| `%s` | ", f->path);
        type_text(s, b, i);
        if (f->flags & F_REQ) vb_buf_puts(b, " | yes | ");
        else if (f->flags & VB_F_REQ_WITH) vb_buf_printf(b, " | with `%s` | ", f->req_with);
        else vb_buf_puts(b, " |  | ");
        vb_buf_puts(b, f->doc);
        if (f->needs) vb_buf_printf(b, " Needs `%s` (an error without it).", f->needs);
        if (f->derive) vb_buf_printf(b, " Default: %s.", f->derive);
        vb_buf_printf(b, " | %s |\n", f->label ? f->label : "");
    }
    vb_buf_puts(b, "\n| Derived field | Type | Meaning | Value |\n|---|---|---|---|\n");
    for (int i = 0; i < (int)s->nfields; i++) {
        const field *f = &s->fields[i];
        if (!f->derive || !f->doc) continue;
        vb_buf_printf(b, "| `%s` | ", f->path);
        type_text(s, b, i);
        vb_buf_printf(b, " | %s | %s |\n",
                      (f->flags & F_DERIVED) ? f->doc : "Default when the record gives none.",
                      f->derive);
    }
}
