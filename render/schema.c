/* schema.c — the record format and the document types, read from the data
 * folder and checked on load (see schema.h; formats in templates/README.md). */
#include "schema.h"
#include "text.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct lctx {
    vb_arena *a;
    vb_diag *d;
    vb_schema *s;
    size_t cap_f, cap_t;
    size_t errors;
    const char *gdir;              /* templates/groups: shared groups of fields */
    int gdepth;                    /* groups using groups, at most VB_MAX_GROUP_DEPTH */
} lctx;

#define VB_MAX_GROUP_DEPTH 4

static void load_fields(lctx *c, const char *path, const char *part, const char *prefix);

__attribute__((format(printf, 4, 5)))
static void lerr(lctx *c, const char *file, int line, const char *fmt, ...)
{
    char *text;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, gettext(fmt), ap) < 0) vb_oom();
    va_end(ap);
    /* the text quotes the file, which may hold anything: controls,
     * invisible characters and bytes that are not UTF-8 are written as
     * \uXXXX, so that a message is safe on a terminal */
    vb_buf safe = { 0 };
    for (const char *t = text; *t; ) {
        unsigned char u = (unsigned char)*t;
        size_t n = u < 0x80 ? 1 : u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : 2, bad;
        int32_t cp = u;
        if (u >= 0x80) {
            if (strnlen(t, n) < n || !vb_utf8_valid(t, n, &bad)) { cp = 0xFFFD; n = 1; }
            else vb_utf8_next(t, &cp);
        }
        bool hide = (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFD ||
                    (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || cp == 0x2028 ||
                    cp == 0x2029 || cp == 0x2060 || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
        if (hide) vb_buf_printf(&safe, "\\u%04X", (unsigned)cp);
        else vb_buf_add(&safe, t, n);
        t += n;
    }
    vb_error(c->d, VB_EXIT_INPUT, "%s:%d: %s", file, line, vb_buf_cstr(&safe));
    vb_buf_free(&safe);
    free(text);
    c->errors++;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

const char *const vb_computations[] = { "meeting", "numbering", "block", "table", "ballots", NULL };

int vb_schema_find(const vb_schema *s, const char *path)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i].path, path)) return (int)i;
    return -1;
}

/* "a.0.b" -> "a.*.b"; false when it is not a dotted path. */
static bool normalise(const char *path, char *norm, size_t cap)
{
    size_t o = 0;
    if (!path || !*path) return false;
    for (const char *p = path; *p;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0) return false;
        bool digits = strspn(p, "0123456789") >= n;
        const char *seg = digits ? "*" : p;
        size_t sn = digits ? 1 : n;
        if (o + sn + 2 > cap) return false;
        if (o) norm[o++] = '.';
        memcpy(norm + o, seg, sn);
        o += sn;
        p += n;
        if (dot) { p++; if (!*p) return false; }
    }
    norm[o] = 0;
    return true;
}

bool vb_schema_known_path(const vb_schema *s, const char *path)
{
    char norm[256];
    return normalise(path, norm, sizeof norm) && vb_schema_find(s, norm) >= 0;
}

const vb_doctype *vb_schema_type(const vb_schema *s, vb_convention c, const char *name)
{
    for (size_t i = 0; i < s->ntypes; i++)
        if (s->types[i].conv == c && !strcmp(s->types[i].name, name)) return &s->types[i];
    return NULL;
}

bool vb_schema_holds(const vb_doctype *t, const vb_value *root)
{
    return root && vb_value_path(root, t->holds) != NULL;
}

/* ---- fields files ---- */

static bool seg_ok(const char *s, size_t n)
{
    if (n == 1 && *s == '*') return true;
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return false;
    return true;
}

static bool path_ok(const char *p)
{
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!seg_ok(p, n)) return false;
        if (!dot) return true;
        p = dot + 1;
    }
}

static bool parse_type(const char *t, vb_field *f)
{
    static const struct { const char *name; vb_ftype type; } names[] = {
        { "object", VB_F_OBJ }, { "list", VB_F_LIST }, { "text", VB_F_TEXT }, { "texts", VB_F_TEXTS },
        { "date", VB_F_DATE }, { "time", VB_F_TIME }, { "convention", VB_F_CONV }, { "id", VB_F_ID },
        { "int", VB_F_INT }, { "cell", VB_F_CELL }, { "bool", VB_F_BOOL },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(t, names[i].name)) { f->type = names[i].type; return true; }
    long long lo, hi;
    int used = 0;
    if (sscanf(t, "int:%lld..%lld%n", &lo, &hi, &used) == 2 && t[used] == 0 && lo <= hi) {
        f->type = VB_F_INT;
        f->min = lo;
        f->max = hi;
        return true;
    }
    return false;
}

/* Room for one more of n elements of size `size` in an arena array of
 * *cap (doubling from `first`); returns the array, maybe moved. */
static void *arena_grow(vb_arena *a, void *arr, size_t n, size_t *cap, size_t first, size_t size)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : first;
    void *m = vb_alloc(a, nc * size);
    if (n) memcpy(m, arr, n * size);
    *cap = nc;
    return m;
}

static void add_field(lctx *c, const vb_field *f)
{
    vb_schema *s = c->s;
    s->fields = arena_grow(c->a, s->fields, s->nfields, &c->cap_f, 128, sizeof *s->fields);
    s->fields[s->nfields++] = *f;
}

static const char *const conv_names[] = { "party", "state" };   /* by vb_convention */

/* PATH default[CONV] = TEXT: the text a field takes when a record of that
 * convention leaves it out (the unit of the minutes' counts: "đồng chí" for
 * a Party body, "thành viên" for a state one).  False when the line is not
 * one of these. */
static bool default_line(lctx *c, const char *file, int line, char *text, const char *prefix)
{
    size_t pl = strcspn(text, " \t");
    char *rest = text + pl + strspn(text + pl, " \t");
    if (strncmp(rest, "default[", 8)) return false;
    char *conv = rest + 8, *close = strchr(conv, ']');
    char *eq = close ? close + 1 + strspn(close + 1, " \t") : NULL;
    if (!close || *eq != '=') {
        lerr(c, file, line, "expected PATH default[CONVENTION] = TEXT");
        return true;
    }
    *close = 0;
    text[pl] = 0;
    char *value = trim(eq + 1);
    const char *path = prefix ? vb_sprintf(c->a, "%s.%s", prefix, text) : text;
    int ci = -1;
    for (int k = 0; k < 2; k++) if (!strcmp(conv, conv_names[k])) ci = k;
    if (ci < 0) {
        lerr(c, file, line, "default[%s]: unknown convention \"%s\" (party, state)", conv, conv);
        return true;
    }
    int fi = vb_schema_find(c->s, path);
    if (fi < 0) {
        lerr(c, file, line, "default[%s] for \"%s\": no such field is declared before this line", conv, path);
        return true;
    }
    vb_field *f = &c->s->fields[fi];
    if (f->type != VB_F_TEXT || strchr(path, '*') || (f->flags & (VB_F_DERIVED | VB_F_REQ))) {
        lerr(c, file, line, "default[%s]: \"%s\" is not a text field outside lists that a record may leave out",
             conv, path);
        return true;
    }
    if (f->conv_default[ci]) {
        lerr(c, file, line, "default[%s] of \"%s\" given twice (first at %s:%d)", conv, path, f->file,
             f->conv_default_line[ci]);
        return true;
    }
    /* the docs' default is made from these lines: not written twice */
    if (f->derive && !f->conv_default[!ci]) {
        lerr(c, file, line, "default[%s]: \"%s\" already has a default in its fourth column (%s:%d); "
             "keep one of the two", conv, path, f->file, f->line);
        return true;
    }
    if (!*value) {
        lerr(c, file, line, "default[%s] of \"%s\" is empty", conv, path);
        return true;
    }
    f->conv_default[ci] = vb_strdup(c->a, value);
    f->conv_default_line[ci] = line;
    /* what docs/record-format.md says of it */
    f->derive = f->conv_default[0] && f->conv_default[1]
        ? vb_sprintf(c->a, "`%s` (party) or `%s` (state) when absent", f->conv_default[0], f->conv_default[1])
        : vb_sprintf(c->a, "`%s` (%s) when absent", f->conv_default[ci], conv);
    return true;
}

/* One field line: PATH TYPE [FLAG...] | label | meaning [| default] */
static void field_line(lctx *c, const char *file, int line, char *text, const char *part, const char *prefix)
{
    if (default_line(c, file, line, text, prefix)) return;
    vb_field f = { .file = file, .line = line };
    const char *group = NULL;
    char *bar = strchr(text, '|');
    char *cols[3] = { NULL, NULL, NULL };
    if (bar) {
        *bar = 0;
        char *p = bar + 1;
        for (int k = 0; k < 3 && p; k++) {
            char *nb = k < 2 ? strchr(p, '|') : NULL;
            if (nb) *nb = 0;
            cols[k] = trim(p);
            p = nb ? nb + 1 : NULL;
        }
    }
    char *save = NULL;
    char *path = strtok_r(text, " \t", &save), *type = strtok_r(NULL, " \t", &save);
    if (!path || !type) { lerr(c, file, line, "expected PATH TYPE [FLAG...] | label | meaning"); return; }
    /* a group's paths are relative to the field that uses it */
    if (prefix) path = vb_sprintf(c->a, "%s.%s", prefix, path);
    if (!path_ok(path)) {
        lerr(c, file, line, "\"%s\" is not a field path (dotted words of a-z 0-9 _, \"*\" for list items)", path);
        return;
    }
    if (part && strcmp(path, part) && (strncmp(path, part, strlen(part)) || path[strlen(part)] != '.')) {
        lerr(c, file, line, "field \"%s\" is outside the part \"%s\" this file declares", path, part);
        return;
    }
    if (!parse_type(type, &f)) {
        lerr(c, file, line, "unknown field type \"%s\" (object, list, text, texts, int:MIN..MAX, date, "
             "time, convention, id, cell, bool)", type);
        return;
    }
    for (char *fl; (fl = strtok_r(NULL, " \t", &save));) {
        if (!strcmp(fl, "required")) f.flags |= VB_F_REQ;
        else if (!strcmp(fl, "nonempty")) f.flags |= VB_F_NONEMPTY;
        else if (!strcmp(fl, "derived")) f.flags |= VB_F_DERIVED;
        else if (!strcmp(fl, "as-list")) f.flags |= VB_F_AS_LIST;
        else if (!strncmp(fl, "compute:", 8)) {
            bool known = false;
            for (const char *const *k = vb_computations; *k; k++) known |= !strcmp(*k, fl + 8);
            if (!known) {
                lerr(c, file, line, "unknown computation \"%s\" (meeting, numbering, block, table, ballots)", fl + 8);
                return;
            }
            int n = 0;
            while (n < VB_MAX_COMPUTE && f.compute[n]) {
                if (!strcmp(f.compute[n], fl + 8)) {
                    lerr(c, file, line, "compute:%s given twice", fl + 8);
                    return;
                }
                n++;
            }
            if (n == VB_MAX_COMPUTE) {
                lerr(c, file, line, "more than %d computations on one field", VB_MAX_COMPUTE);
                return;
            }
            /* the table computation reads the kind the block computation gives */
            if (!strcmp(fl + 8, "table") && !(n && !strcmp(f.compute[n - 1], "block"))) {
                lerr(c, file, line, "compute:table needs compute:block just before it (the block's kind)");
                return;
            }
            f.compute[n] = vb_strdup(c->a, fl + 8);
        } else if (!strncmp(fl, "fields:", 7) && fl[7]) {
            group = fl + 7;
            bool plain = strlen(group) <= 40;
            for (const char *g = group; *g; g++) plain &= (*g >= 'a' && *g <= 'z') || (*g >= '0' && *g <= '9') || *g == '_';
            if (!plain) { lerr(c, file, line, "fields:%s: a group's name is up to 40 of a-z 0-9 _", group); return; }
        } else if (!strncmp(fl, "default-from:", 13) && fl[13]) {
            f.default_from = vb_strdup(c->a, fl + 13);
        } else if (!strncmp(fl, "required-with:", 14) && fl[14]) {
            f.flags |= VB_F_REQ_WITH;
            f.req_with = vb_strdup(c->a, fl + 14);
        } else if (!strncmp(fl, "needs:", 6) && fl[6]) {
            if (strchr(path, '.')) {
                lerr(c, file, line, "needs:%s: only a part (a top-level field) needs another, not \"%s\"",
                     fl + 6, path);
                return;
            }
            if (!strcmp(fl + 6, path)) {
                lerr(c, file, line, "needs:%s: a part cannot need itself", fl + 6);
                return;
            }
            f.needs = vb_strdup(c->a, fl + 6);
        } else {
            lerr(c, file, line, "unknown flag \"%s\" (required, required-with:FIELD, nonempty, derived, "
                 "as-list, compute:NAME, default-from:FIELD, fields:GROUP, needs:PART)", fl);
            return;
        }
    }
    if (f.compute[0] && f.type != VB_F_OBJ) {
        lerr(c, file, line, "compute:%s is for objects", f.compute[0]);
        return;
    }
    if ((f.flags & VB_F_AS_LIST) && f.type != VB_F_TEXTS) {
        lerr(c, file, line, "as-list is for texts");
        return;
    }
    if (f.default_from && strchr(path, '*')) {
        lerr(c, file, line, "default-from: only for a field outside lists");
        return;
    }
    if (f.type == VB_F_INT && !f.min && !f.max && !(f.flags & VB_F_DERIVED)) {
        lerr(c, file, line, "a number read from the record needs its range: int:MIN..MAX");
        return;
    }
    int dup = vb_schema_find(c->s, path);
    if (dup >= 0) {
        lerr(c, file, line, "field \"%s\" declared twice (first at %s:%d)", path,
             c->s->fields[dup].file, c->s->fields[dup].line);
        return;
    }
    /* the parent first: the reader walks the tree from the root */
    const char *dot = strrchr(path, '.');
    if (dot) {
        char *parent = vb_strndup(c->a, path, (size_t)(dot - path));
        int pi = vb_schema_find(c->s, parent);
        vb_ftype want = strcmp(dot + 1, "*") ? VB_F_OBJ : VB_F_LIST;
        if (pi < 0) {
            lerr(c, file, line, "field \"%s\": its parent \"%s\" is not declared before it", path, parent);
            return;
        }
        vb_ftype pt = c->s->fields[pi].type;
        if (!(pt == want || (want == VB_F_LIST && pt == VB_F_TEXTS))) {
            lerr(c, file, line, "field \"%s\": its parent \"%s\" is not %s", path, parent,
                 want == VB_F_OBJ ? "an object" : "a list");
            return;
        }
    }
    f.path = vb_strdup(c->a, path);
    f.label = cols[0] && *cols[0] ? vb_strdup(c->a, cols[0]) : NULL;
    f.doc = cols[1] && *cols[1] ? vb_strdup(c->a, cols[1]) : NULL;
    f.derive = cols[2] && *cols[2] ? vb_strdup(c->a, cols[2]) : NULL;
    add_field(c, &f);
    if (group) {
        if (f.type != VB_F_OBJ && f.type != VB_F_LIST) {
            lerr(c, file, line, "fields:%s is for an object or a list", group);
            return;
        }
        if (c->gdepth == VB_MAX_GROUP_DEPTH) {
            lerr(c, file, line, "fields:%s: groups use groups more than %d deep", group, VB_MAX_GROUP_DEPTH);
            return;
        }
        char *gpath = vb_sprintf(c->a, "%s/%s.fields", c->gdir, group);
        if (access(gpath, R_OK) != 0) {
            lerr(c, file, line, "fields:%s: no such group (%s)", group, gpath);
            return;
        }
        c->gdepth++;
        load_fields(c, gpath, part, f.path);
        c->gdepth--;
    }
}

/* The whole file (a mistake in the data folder is not the record's). */
static bool read_lines(lctx *c, const char *path, char **data)
{
    size_t len;
    if (!vb_read_file(path, 1 << 20, data, &len, c->d)) { c->errors++; return false; }
    return true;
}

/* A fields file; with a prefix, a group's file: its paths go under it. */
static void load_fields(lctx *c, const char *path, const char *part, const char *prefix)
{
    char *data;
    if (!read_lines(c, path, &data)) return;
    const char *file = vb_strdup(c->a, path);
    int line = 0;
    for (char *p = data, *nl; p; p = nl) {
        nl = strchr(p, '\n');
        if (nl) *nl++ = 0;
        line++;
        char *t = trim(p);
        if (!*t || *t == '#') continue;
        field_line(c, file, line, t, part, prefix);
    }
    free(data);
}

/* ---- type files ---- */

static void add_type(lctx *c, const vb_doctype *t)
{
    vb_schema *s = c->s;
    s->types = arena_grow(c->a, s->types, s->ntypes, &c->cap_t, 16, sizeof *s->types);
    s->types[s->ntypes++] = *t;
}

static void load_type(lctx *c, vb_convention conv, const char *dir, const char *name)
{
    char *path = vb_sprintf(c->a, "%s/%s.type", dir, name);
    char *data;
    if (!read_lines(c, path, &data)) return;
    vb_doctype t = { .conv = conv, .file = path };
    static const char *const keys[] = { "name", "title", "abbr", "part", "holds", "template" };
    const char *val[6] = { 0 };
    int at[6] = { 0 };
    size_t errors0 = c->errors;
    int line = 0, last = 1;        /* a missing key is named at the last line */
    for (char *p = data, *nl; p; p = nl) {
        nl = strchr(p, '\n');
        if (nl) *nl++ = 0;
        line++;
        char *s = trim(p);
        if (!*s || *s == '#') continue;
        last = line;
        char *eq = strchr(s, '=');
        if (!eq) { lerr(c, path, line, "expected KEY = VALUE"); continue; }
        *eq = 0;
        char *k = trim(s), *v = trim(eq + 1);
        int ki = -1;
        for (int i = 0; i < 6; i++) if (!strcmp(k, keys[i])) ki = i;
        if (ki < 0) { lerr(c, path, line, "unknown key \"%s\" (name, title, abbr, part, holds, template)", k); continue; }
        if (at[ki]) { lerr(c, path, line, "\"%s\" given twice (first on line %d)", k, at[ki]); continue; }
        val[ki] = vb_strdup(c->a, v);
        at[ki] = line;
    }
    free(data);
    for (int i = 0; i < 6; i++)
        if (i != 2 && (!val[i] || !*val[i]))
            lerr(c, path, last, "\"%s\" is missing", keys[i]);
    if (c->errors != errors0) return;
    t.name = val[0]; t.title = val[1]; t.abbr = val[2] ? val[2] : ""; t.part = val[3]; t.holds = val[4];
    if (strcmp(t.name, name))
        lerr(c, path, at[0], "name \"%s\" is not the file's name \"%s\"", t.name, name);
    /* the name is part of output file names: a plain word */
    bool plain = strlen(t.name) <= 40;
    for (const char *p = t.name; *p; p++)
        plain &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';
    if (!plain) lerr(c, path, at[0], "name \"%s\": a type's name is up to 40 of a-z 0-9 _ -", t.name);
    if (strchr(t.part, '.') || vb_schema_find(c->s, t.part) < 0)
        lerr(c, path, at[3], "part \"%s\" is not a top-level field of the record format", t.part);
    if (strchr(t.holds, '*') || vb_schema_find(c->s, t.holds) < 0)
        lerr(c, path, at[4], "condition names an unknown field \"%s\" (not in the record format)", t.holds);
    if (strchr(val[5], '/') || strcmp(val[5] + (strlen(val[5]) > 4 ? strlen(val[5]) - 4 : 0), ".tpl"))
        lerr(c, path, at[5], "template \"%s\" is not a FILE.tpl beside the type", val[5]);
    else {
        t.tpl = vb_sprintf(c->a, "%s/%s", dir, val[5]);
        if (access(t.tpl, R_OK) != 0)
            lerr(c, path, at[5], "template \"%s\" is missing (%s)", val[5], t.tpl);
    }
    for (size_t i = 0; i < c->s->ntypes && *t.abbr; i++) {
        const vb_doctype *o = &c->s->types[i];
        if (o->conv == conv && !strcmp(o->abbr, t.abbr))
            lerr(c, path, at[2], "abbreviation \"%s\" is already that of %s (%s)", t.abbr, o->name, o->file);
    }
    add_type(c, &t);
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Names of dir's files ending in ext, without it, sorted. */
static size_t list_dir(vb_arena *a, const char *dir, const char *ext, const char ***out)
{
    DIR *dp = opendir(dir);
    size_t n = 0, cap = 16, el = strlen(ext);
    const char **v = vb_alloc(a, cap * sizeof *v);
    if (dp) {
        struct dirent *de;
        while ((de = readdir(dp))) {
            size_t l = strlen(de->d_name);
            if (l <= el || strcmp(de->d_name + l - el, ext) || de->d_name[0] == '.') continue;
            if (n == cap) {
                const char **nv = vb_alloc(a, cap * 2 * sizeof *nv);
                memcpy(nv, v, cap * sizeof *v);
                v = nv;
                cap *= 2;
            }
            v[n++] = vb_strndup(a, de->d_name, l - el);
        }
        closedir(dp);
    }
    qsort(v, n, sizeof *v, cmpstr);
    *out = v;
    return n;
}

bool vb_schema_load(vb_arena *a, const char *datadir, vb_schema *out, vb_diag *d)
{
    memset(out, 0, sizeof *out);
    lctx c = { .a = a, .d = d, .s = out, .gdir = vb_sprintf(a, "%s/templates/groups", datadir) };
    char *tdir = vb_sprintf(a, "%s/templates", datadir);
    DIR *td = opendir(tdir);
    if (!td) {
        vb_error(d, VB_EXIT_SYSTEM, "%s: no templates folder here (set VANBAN_DATA or --data)", tdir);
        return false;
    }
    closedir(td);
    load_fields(&c, vb_sprintf(a, "%s/templates/core.fields", datadir), NULL, NULL);
    const char **parts;
    char *pdir = vb_sprintf(a, "%s/templates/parts", datadir);
    size_t np = list_dir(a, pdir, ".fields", &parts);
    for (size_t i = 0; i < np; i++)
        load_fields(&c, vb_sprintf(a, "%s/%s.fields", pdir, parts[i]), parts[i], NULL);
    out->parent = vb_alloc(a, (out->nfields ? out->nfields : 1) * sizeof *out->parent);
    for (size_t i = 0; i < out->nfields; i++) {
        const char *p = out->fields[i].path, *dot = strrchr(p, '.');
        out->parent[i] = dot ? vb_schema_find(out, vb_strndup(a, p, (size_t)(dot - p))) : -1;
        if (out->parent[i] == -1 && dot) out->parent[i] = -2;
    }
    for (size_t i = 0; i < out->nfields; i++) {
        const vb_field *f = &out->fields[i];
        int src = f->default_from ? vb_schema_find(out, f->default_from) : 0;
        if (src < 0 || (f->default_from && (strchr(f->default_from, '*') || out->fields[src].type != f->type)))
            lerr(&c, f->file, f->line, "default-from:%s names no field of the same type outside lists",
                 f->default_from);
        if (f->needs) {
            int n = vb_schema_find(out, f->needs);
            if (n < 0 || strchr(f->needs, '.') || out->fields[n].type != VB_F_OBJ)
                lerr(&c, f->file, f->line, "needs:%s names no top-level object of the record format", f->needs);
        }
        /* the reader checks a list's items against PATH.* */
        if (f->type == VB_F_LIST && vb_schema_find(out, vb_sprintf(a, "%s.*", f->path)) < 0)
            lerr(&c, f->file, f->line, "list \"%s\" has no items: declare them on a line %s.*", f->path, f->path);
        if (!(f->flags & VB_F_REQ_WITH)) continue;
        int w = vb_schema_find(out, f->req_with);
        if (w < 0 || strchr(f->req_with, '.'))
            lerr(&c, f->file, f->line, "required-with:%s names no top-level field", f->req_with);
    }
    /* the reader itself reads these two by name: they must be what it expects */
    int cv = vb_schema_find(out, "convention"), idf = vb_schema_find(out, "id");
    if (cv < 0 || out->fields[cv].type != VB_F_CONV || !(out->fields[cv].flags & VB_F_REQ))
        lerr(&c, vb_sprintf(a, "%s/templates/core.fields", datadir), cv < 0 ? 1 : out->fields[cv].line,
             "the record format needs \"convention convention required\"");
    if (idf >= 0 && out->fields[idf].type != VB_F_ID)
        lerr(&c, out->fields[idf].file, out->fields[idf].line, "field \"id\" must be of type id");
    if (c.errors) return false;
    for (int conv = 0; conv < 2; conv++) {
        char *dir = vb_sprintf(a, "%s/templates/%s", datadir, conv == VB_PARTY ? "party" : "state");
        const char **names;
        size_t n = list_dir(a, dir, ".type", &names);
        for (size_t i = 0; i < n; i++) load_type(&c, (vb_convention)conv, dir, names[i]);
    }
    return c.errors == 0;
}
