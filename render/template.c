/* template.c — the template language (templates/README.md).
 *
 * A template is line-oriented:
 *   # comment
 *   ZONE: text with {{ path | filter:arg }} and [b]bold[/b] [i]…[/i] [u]…[/u]
 *   @if COND / @elif COND / @else / @end
 *   @each NAME in PATH / @end             (loop.index, loop.first, loop.last)
 *   @row header|signature / @cell left|right / @end
 *   @set title|author|subject|keywords|date TEXT
 *   @require PATH [MESSAGE]              (the record must have PATH)
 *   @append TEXT                         (add TEXT to the last body paragraph,
 *                                         replacing a final "." or ";": "./.")
 *   @end_mark                            (@append the rule file's end_mark)
 *   @table PATH                          (a table block from a record table)
 *   @section NAME                        (a new page of the rule file's [page NAME])
 * It is parsed once into a tree; every path is checked against the record
 * schema and every zone against the style at load time, so a template error
 * surfaces before any record is read.  Values become text runs only. */
#include "template.h"
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct filter { const char *name, *arg; } filter;
typedef struct expr {
    const char **seg; int nseg;     /* path segments */
    filter *f; int nf;
    const char *lit;                /* a literal instead of a path */
} expr;

typedef enum { SEG_TEXT, SEG_EXPR, SEG_FLAG } seg_kind;
typedef struct seg { seg_kind kind; const char *text; expr *e; unsigned flag; } seg;

typedef struct cond {              /* or-of-and tree */
    enum { C_ATOM, C_NOT, C_AND, C_OR } kind;
    expr *e; const char *cmp; bool neq;  /* C_ATOM: e [== / != cmp] */
    struct cond *l, *r;
} cond;

typedef enum { N_PARA, N_IF, N_EACH, N_ROW, N_CELL, N_SET, N_REQUIRE, N_APPEND, N_TABLE, N_SECTION } node_kind;
typedef struct node node;
struct node {
    node_kind kind;
    int line;
    node *next;
    /* N_PARA / N_SET */
    const vb_zone *zone;
    const char *key;               /* N_SET */
    seg *segs; int nseg;
    /* N_IF: branches */
    cond **conds; node **bodies; int nbranch; node *els; bool in_else;
    /* N_EACH */
    const char *var; expr *list;
    bool scoped;                   /* pushed a loop-variable scope (popped at @end) */
    node *body;
    /* N_ROW / N_CELL */
    int rowkind, cell;
    const vb_page_geom *geom;      /* N_SECTION */
    /* N_TABLE: the zones of its header rows and other cells */
    const vb_zone *thead, *tcell;
};

struct vb_template {
    const char *path;
    const vb_style *style;
    node *root;
};

/* ---- parsing ---- */

typedef struct scope { const char *var; const char *schema; } scope;

typedef struct pctx {
    vb_arena *a;
    const char *path;
    const vb_style *style;
    const vb_schema *schema;       /* paths are checked against it */
    const vb_doctype *type;        /* the type it is the form of: doc., docnum's abbreviation */
    const char *top;               /* the template's own path: @include is beside it */
    vb_diag *d;
    int line;
    const char *lstart;            /* start of the current line, for columns */
    bool ok;
    scope scopes[VB_TPL_MAX_DEPTH];
    int nscope;
} pctx;

static void perr(pctx *c, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(pctx *c, const char *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    va_end(ap);
    int col = at && c->lstart ? (int)vb_utf8_count(vb_strndup(c->a, c->lstart, (size_t)(at - c->lstart))) + 1 : 1;
    vb_error(c->d, VB_EXIT_INPUT, "%s:%d:%d: %s", c->path, c->line, col, msg);
    c->ok = false;
}

static const char *skipws(const char *p) { while (*p == ' ' || *p == '\t') p++; return p; }
static bool identc(char ch) { return isalnum((unsigned char)ch) || ch == '_' || ch == '#'; }

static const char *known_filters[] = {
    "upper", "lower", "capfirst", "lowerfirst", "date", "date_short", "time", "int", "num2",
    "num", "docnum", "docref", "blank", "default", "join", "trim_punct", "prefix", "suffix", NULL
};

/* Check a path against the record schema, through loop variables. */
static void check_path(pctx *c, const char *at, expr *e)
{
    if (e->lit) return;
    char buf[512] = "";
    int i0 = 0;
    if (!strcmp(e->seg[0], "loop")) {
        if (c->nscope == 0) { perr(c, at, "\"loop\" used outside @each"); return; }
        if (e->nseg != 2 || (strcmp(e->seg[1], "index") && strcmp(e->seg[1], "first") &&
                             strcmp(e->seg[1], "last") && strcmp(e->seg[1], "count")))
            perr(c, at, "loop has only index, first, last and count");
        return;
    }
    for (int s = c->nscope - 1; s >= 0; s--)
        if (!strcmp(c->scopes[s].var, e->seg[0])) {
            snprintf(buf, sizeof buf, "%s.*", c->scopes[s].schema);
            i0 = 1;
            break;
        }
    for (int i = i0; i < e->nseg; i++) {
        const char *sg = e->seg[i];
        bool num = *sg && strspn(sg, "0123456789") == strlen(sg);
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", n ? "." : "", num ? "*" : sg);
    }
    if (!vb_schema_known_path(c->schema, buf)) {
        char shown[512] = "";
        for (int i = 0; i < e->nseg; i++) {
            size_t n = strlen(shown);
            snprintf(shown + n, sizeof shown - n, "%s%s", i ? "." : "", e->seg[i]);
        }
        perr(c, at, "unknown field \"%s\" (not in the record format)", shown);
    }
}

static const char *schema_of(pctx *c, expr *e)
{
    char buf[512] = "";
    int i0 = 0;
    for (int s = c->nscope - 1; s >= 0; s--)
        if (!strcmp(c->scopes[s].var, e->seg[0])) { snprintf(buf, sizeof buf, "%s.*", c->scopes[s].schema); i0 = 1; break; }
    for (int i = i0; i < e->nseg; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", n ? "." : "", e->seg[i]);
    }
    return vb_strdup(c->a, buf);
}

/* A quoted literal "…" at p; returns the end or NULL. */
static const char *parse_quoted(pctx *c, const char *p, const char **out)
{
    const char *q = strchr(p + 1, '"');
    if (!q) { perr(c, p, "unclosed quote"); return NULL; }
    *out = vb_strndup(c->a, p + 1, (size_t)(q - p - 1));
    return q + 1;
}

/* path | filter:arg | filter  — stops at `stop` chars or end. */
static const char *parse_expr(pctx *c, const char *p, expr **out, bool filters_ok)
{
    expr *e = vb_alloc(c->a, sizeof *e);
    const char *start = p = skipws(p);
    if (*p == '"') {
        p = parse_quoted(c, p, &e->lit);
        if (!p) return NULL;
    } else {
        const char *segs[32];
        int n = 0;
        for (;;) {
            const char *s = p;
            while (identc(*p)) p++;
            if (p == s) { perr(c, p, "expected a field name"); return NULL; }
            if (n == 32) { perr(c, s, "path too long"); return NULL; }
            segs[n++] = vb_strndup(c->a, s, (size_t)(p - s));
            if (*p != '.') break;
            p++;
        }
        /* doc.PATH: the part of the record this type reads (a loop
         * variable named doc would shadow it) */
        bool shadowed = false;
        for (int s = 0; s < c->nscope; s++) shadowed |= !strcmp(c->scopes[s].var, segs[0]);
        if (!strcmp(segs[0], "doc") && !shadowed) {
            if (c->type) segs[0] = c->type->part;
            else { perr(c, start, "\"doc\" (the document's part) is only for the template of a type"); return NULL; }
        }
        e->seg = vb_alloc(c->a, (size_t)n * sizeof *e->seg);
        memcpy(e->seg, segs, (size_t)n * sizeof *segs);
        e->nseg = n;
    }
    p = skipws(p);
    filter fs[16];
    int nf = 0;
    while (filters_ok && *p == '|') {
        p = skipws(p + 1);
        const char *s = p;
        while (identc(*p)) p++;
        if (p == s) { perr(c, p, "expected a filter name after |"); return NULL; }
        if (nf == 16) { perr(c, s, "too many filters"); return NULL; }
        fs[nf].name = vb_strndup(c->a, s, (size_t)(p - s));
        fs[nf].arg = NULL;
        bool known = false;
        for (int i = 0; known_filters[i]; i++) if (!strcmp(known_filters[i], fs[nf].name)) known = true;
        if (!known) perr(c, s, "unknown filter \"%s\"", fs[nf].name);
        if (*p == ':') {
            p++;
            if (*p == '"') { p = parse_quoted(c, p, &fs[nf].arg); if (!p) return NULL; }
            else {
                const char *as = p;
                while (*p && *p != '|' && *p != '}' && *p != ' ') p++;
                fs[nf].arg = vb_strndup(c->a, as, (size_t)(p - as));
            }
        }
        const char *nm = fs[nf].name;
        /* the number line's abbreviation is the type's: docnum alone */
        if ((!strcmp(nm, "docnum") || !strcmp(nm, "docref")) && !fs[nf].arg && c->type) fs[nf].arg = c->type->abbr;
        if ((!strcmp(nm, "num") || !strcmp(nm, "docnum") || !strcmp(nm, "docref") || !strcmp(nm, "default") || !strcmp(nm, "join") ||
             !strcmp(nm, "prefix") || !strcmp(nm, "suffix")) && !fs[nf].arg)
            perr(c, s, "filter \"%s\" needs an argument (%s:…)", nm, nm);
        if (!strcmp(nm, "num") && fs[nf].arg && strcmp(fs[nf].arg, "h1") && strcmp(fs[nf].arg, "h2") &&
            strcmp(fs[nf].arg, "h3") && strcmp(fs[nf].arg, "article") && strcmp(fs[nf].arg, "appendix") &&
            strcmp(fs[nf].arg, "appendix_single"))
            perr(c, s, "num takes h1, h2, h3, article, appendix or appendix_single");
        nf++;
        p = skipws(p);
    }
    e->f = vb_alloc(c->a, (size_t)(nf ? nf : 1) * sizeof *e->f);
    memcpy(e->f, fs, (size_t)nf * sizeof *fs);
    e->nf = nf;
    check_path(c, start, e);
    *out = e;
    return p;
}

static const char *parse_cond(pctx *c, const char *p, cond **out);

static const char *parse_atom(pctx *c, const char *p, cond **out)
{
    p = skipws(p);
    cond *k = vb_alloc(c->a, sizeof *k);
    if (!strncmp(p, "not ", 4)) {
        k->kind = C_NOT;
        p = parse_atom(c, p + 4, &k->l);
        *out = k;
        return p;
    }
    k->kind = C_ATOM;
    p = parse_expr(c, p, &k->e, false);
    if (!p) return NULL;
    p = skipws(p);
    if ((p[0] == '=' || p[0] == '!') && p[1] == '=') {
        k->neq = p[0] == '!';
        p = skipws(p + 2);
        if (*p == '"') { p = parse_quoted(c, p, &k->cmp); if (!p) return NULL; }
        else {
            const char *s = p;
            while (identc(*p)) p++;
            if (p == s) { perr(c, p, "expected a value to compare with"); return NULL; }
            k->cmp = vb_strndup(c->a, s, (size_t)(p - s));
        }
    }
    *out = k;
    return p;
}

static const char *parse_and(pctx *c, const char *p, cond **out)
{
    p = parse_atom(c, p, out);
    while (p && !strncmp(skipws(p), "and ", 4)) {
        cond *k = vb_alloc(c->a, sizeof *k);
        k->kind = C_AND; k->l = *out;
        p = parse_atom(c, skipws(p) + 4, &k->r);
        *out = k;
    }
    return p;
}

static const char *parse_cond(pctx *c, const char *p, cond **out)
{
    p = parse_and(c, p, out);
    while (p && !strncmp(skipws(p), "or ", 3)) {
        cond *k = vb_alloc(c->a, sizeof *k);
        k->kind = C_OR; k->l = *out;
        p = parse_and(c, skipws(p) + 3, &k->r);
        *out = k;
    }
    return p;
}

/* Paragraph text: literal text, {{ expr }}, [b] [/b] [i] [/i] [u] [/u], \x escapes. */
static void parse_text(pctx *c, const char *p, seg **out, int *nout)
{
    int cap = 8, n = 0;
    seg *s = vb_alloc(c->a, (size_t)cap * sizeof *s);
    vb_buf lit = {0};
    unsigned open = 0;
    const char *open_at[8] = {0};
#define PUSH(S) do { if (n == cap) { seg *ns = vb_alloc(c->a, (size_t)cap * 2 * sizeof *ns); \
        memcpy(ns, s, (size_t)cap * sizeof *ns); s = ns; cap *= 2; } s[n++] = (S); } while (0)
#define FLUSH() do { if (lit.len) { seg t = { SEG_TEXT, vb_strndup(c->a, lit.data, lit.len), NULL, 0 }; PUSH(t); lit.len = 0; } } while (0)
    while (*p) {
        if (*p == '\\' && p[1]) { vb_buf_add(&lit, p + 1, 1); p += 2; continue; }
        if (p[0] == '{' && p[1] == '{') {
            FLUSH();
            expr *e = NULL;
            const char *q = parse_expr(c, p + 2, &e, true);
            if (!q) break;
            q = skipws(q);
            if (q[0] != '}' || q[1] != '}') { perr(c, q, "expected }}"); break; }
            seg t = { SEG_EXPR, NULL, e, 0 };
            PUSH(t);
            p = q + 2;
            continue;
        }
        if (*p == '[') {
            bool close = p[1] == '/';
            const char *t = p + 1 + close;
            unsigned f = *t == 'b' ? VB_BOLD : *t == 'i' ? VB_ITALIC : *t == 'u' ? VB_UNDERLINE : 0;
            if (f && t[1] == ']') {
                FLUSH();
                int bit = f == VB_BOLD ? 0 : f == VB_ITALIC ? 1 : 2;
                if (close && !(open & f)) perr(c, p, "[/%c] without [%c]", *t, *t);
                if (!close && (open & f)) perr(c, p, "[%c] is already open", *t);
                if (close) open &= ~f; else { open |= f; open_at[bit] = p; }
                seg sg = { SEG_FLAG, NULL, NULL, open };
                PUSH(sg);
                p = t + 2;
                continue;
            }
        }
        vb_buf_add(&lit, p, 1);
        p++;
    }
    FLUSH();
    for (int b = 0; b < 3; b++)
        if (open & (1u << b)) perr(c, open_at[b], "unclosed [%c]", "biu"[b]);
#undef PUSH
#undef FLUSH
    vb_buf_free(&lit);
    *out = s;
    *nout = n;
}

typedef struct frame { node *n; node **tail; } frame;
typedef struct pstate {            /* the open blocks, across included files */
    frame st[VB_TPL_MAX_DEPTH + 1];
    int depth;
    bool in_row;
    int includes;                  /* @include nesting, at most VB_TPL_MAX_INCLUDE */
} pstate;

/* A template file, whole and valid UTF-8. */
static bool read_source(const char *path, char **data, vb_diag *d)
{
    size_t len, bad;
    if (!vb_read_file(path, 1 << 20, data, &len, d)) return false;
    if (!vb_utf8_valid(*data, len, &bad)) {
        vb_error(d, VB_EXIT_INPUT, "%s: invalid UTF-8 at byte %zu", path, bad);
        free(*data);
        return false;
    }
    return true;
}

static void parse_source(pctx *c, pstate *ps, char *data);

/* @include FILE.inc: the lines of a file beside the template, in place.
 * What every form of a convention shares (the header, the signature)
 * is written once; a block opened in a file closes in it. */
static void include_file(pctx *c, pstate *ps, const char *name)
{
    size_t n = strlen(name);
    bool plain = n > 4 && n <= 64 && !strcmp(name + n - 4, ".inc");
    for (size_t i = 0; plain && i < n - 4; i++)
        plain = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-';
    if (!plain) { perr(c, name, "@include takes a FILE.inc beside the template (a-z 0-9 _ -)"); return; }
    if (ps->includes == VB_TPL_MAX_INCLUDE) { perr(c, name, "@include nested deeper than %d", VB_TPL_MAX_INCLUDE); return; }
    const char *slash = strrchr(c->top, '/');
    char *path = slash ? vb_sprintf(c->a, "%.*s/%s", (int)(slash - c->top), c->top, name) : vb_strdup(c->a, name);
    char *data;
    if (access(path, R_OK) != 0) { perr(c, name, "@include %s: no such file (%s)", name, path); return; }
    if (!read_source(path, &data, c->d)) { c->ok = false; return; }
    const char *path0 = c->path, *lstart0 = c->lstart;
    int line0 = c->line;
    c->path = path;
    c->line = 0;
    ps->includes++;
    parse_source(c, ps, data);
    ps->includes--;
    c->path = path0;
    c->line = line0;
    c->lstart = lstart0;
    free(data);
}

/* The lines of one file into the open blocks of ps. */
static void parse_source(pctx *c, pstate *ps, char *data)
{
    int base = ps->depth;
    char *p = data;
    vb_buf joined = {0};
    int first_line = 0;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        c->line++;
        size_t l = strlen(p);
        if (l && p[l - 1] == '\r') p[--l] = 0;
        /* a trailing backslash joins the next line */
        if (!joined.len) first_line = c->line;
        if (l && p[l - 1] == '\\' && !(l > 1 && p[l - 2] == '\\')) {
            vb_buf_add(&joined, p, l - 1);
            p = nl ? nl + 1 : NULL;
            continue;
        }
        vb_buf_add(&joined, p, l);
        p = nl ? nl + 1 : NULL;
        int this_line = c->line;
        c->line = first_line;
        char *ln = (char *)skipws(vb_strndup(c->a, joined.data, joined.len));
        joined.len = 0;
        c->lstart = ln;
        if (!*ln || *ln == '#') { c->line = this_line; continue; }
        node *n = NULL;
        if (*ln == '@') {
            char *w = ln + 1, *rest = w;
            while (*rest && !isspace((unsigned char)*rest)) rest++;
            char word[16] = "";
            snprintf(word, sizeof word, "%.*s", (int)(rest - w), w);
            rest = (char *)skipws(rest);
            if (!strcmp(word, "end")) {
                if (ps->depth == 0) perr(c, ln, "@end without an open block");
                else if (ps->depth == base && ps->includes)
                    perr(c, ln, "@end closes a block that the including file opened");
                else {
                    if (ps->st[ps->depth].n->kind == N_ROW) ps->in_row = false;
                    if (ps->st[ps->depth].n->kind == N_EACH && ps->st[ps->depth].n->scoped) c->nscope--;
                    ps->depth--;
                }
                c->line = this_line;
                continue;
            }
            if (!strcmp(word, "else") || !strcmp(word, "elif")) {
                node *ifn = ps->depth ? ps->st[ps->depth].n : NULL;
                if (!ifn || ifn->kind != N_IF || ifn->in_else) { perr(c, ln, "@%s without @if", word); c->line = this_line; continue; }
                if (!strcmp(word, "else")) { ifn->in_else = true; ps->st[ps->depth].tail = &ifn->els; }
                else {
                    cond *k = NULL;
                    const char *q = parse_cond(c, rest, &k);
                    if (q && *skipws(q)) perr(c, q, "unexpected text after the condition");
                    int b = ifn->nbranch++;
                    cond **nc = vb_alloc(c->a, (size_t)ifn->nbranch * sizeof *nc);
                    node **nb = vb_alloc(c->a, (size_t)ifn->nbranch * sizeof *nb);
                    memcpy(nc, ifn->conds, (size_t)b * sizeof *nc);
                    memcpy(nb, ifn->bodies, (size_t)b * sizeof *nb);
                    nc[b] = k; nb[b] = NULL;
                    ifn->conds = nc; ifn->bodies = nb;
                    ps->st[ps->depth].tail = &ifn->bodies[b];
                }
                c->line = this_line;
                continue;
            }
            if (!strcmp(word, "include")) {
                include_file(c, ps, rest);
                c->line = this_line;
                continue;
            }
            n = vb_alloc(c->a, sizeof *n);
            n->line = c->line;
            bool opens = true;
            if (!strcmp(word, "if")) {
                n->kind = N_IF;
                cond *k = NULL;
                const char *q = parse_cond(c, rest, &k);
                if (q && *skipws(q)) perr(c, q, "unexpected text after the condition");
                n->nbranch = 1;
                n->conds = vb_alloc(c->a, sizeof *n->conds); n->conds[0] = k;
                n->bodies = vb_alloc(c->a, sizeof *n->bodies);
            } else if (!strcmp(word, "each")) {
                n->kind = N_EACH;
                const char *s = rest, *q = rest;
                while (identc(*q)) q++;
                if (q == s || strncmp(skipws(q), "in ", 3)) { perr(c, rest, "expected @each NAME in PATH"); c->line = this_line; continue; }
                n->var = vb_strndup(c->a, s, (size_t)(q - s));
                q = skipws(skipws(q) + 3);
                const char *e = parse_expr(c, q, &n->list, false);
                if (e && *skipws(e)) perr(c, e, "unexpected text after the list");
                if (n->list && !n->list->lit && c->nscope < VB_TPL_MAX_DEPTH) {
                    c->scopes[c->nscope].var = n->var;
                    c->scopes[c->nscope].schema = schema_of(c, n->list);
                    c->nscope++;
                    n->scoped = true;
                } else if (c->nscope >= VB_TPL_MAX_DEPTH) {
                    perr(c, ln, "blocks nested deeper than %d", VB_TPL_MAX_DEPTH);
                    c->line = this_line;
                    continue;
                }
            } else if (!strcmp(word, "row")) {
                n->kind = N_ROW;
                if (ps->in_row) perr(c, ln, "@row inside a @row");
                if (!strcmp(rest, "header")) n->rowkind = VB_ROW_HEADER;
                else if (!strcmp(rest, "signature")) n->rowkind = VB_ROW_SIGNATURE;
                else perr(c, rest, "@row takes header or signature");
                ps->in_row = true;
            } else if (!strcmp(word, "cell")) {
                n->kind = N_CELL;
                opens = false;
                if (!ps->in_row) perr(c, ln, "@cell outside a @row");
                if (!strcmp(rest, "left")) n->cell = 0;
                else if (!strcmp(rest, "right")) n->cell = 1;
                else perr(c, rest, "@cell takes left or right");
            } else if (!strcmp(word, "set")) {
                n->kind = N_SET;
                opens = false;
                const char *s = rest, *q = rest;
                while (identc(*q)) q++;
                n->key = vb_strndup(c->a, s, (size_t)(q - s));
                if (strcmp(n->key, "title") && strcmp(n->key, "author") && strcmp(n->key, "subject") &&
                    strcmp(n->key, "keywords") && strcmp(n->key, "date"))
                    perr(c, s, "@set takes title, author, subject, keywords or date");
                parse_text(c, skipws(q), &n->segs, &n->nseg);
            } else if (!strcmp(word, "append")) {
                n->kind = N_APPEND;
                opens = false;
                parse_text(c, rest, &n->segs, &n->nseg);
            } else if (!strcmp(word, "end_mark")) {
                /* the content's end mark is a rule ("./." state, "." Party),
                 * so it comes from the rule file, not the template */
                n->kind = N_APPEND;
                opens = false;
                if (*rest) perr(c, rest, "@end_mark takes nothing (the mark is end_mark in %s)", c->style->path);
                n->segs = vb_alloc(c->a, sizeof *n->segs);
                n->segs[0] = (seg){ SEG_TEXT, c->style->end_mark, NULL, 0 };
                n->nseg = 1;
            } else if (!strcmp(word, "table")) {
                n->kind = N_TABLE;
                opens = false;
                if (ps->in_row) perr(c, ln, "@table inside a @row");
                const char *q = parse_expr(c, rest, &n->list, false);
                if (q && *skipws(q)) perr(c, q, "unexpected text after the table's path");
                if (n->list && n->list->lit) perr(c, rest, "@table takes the path of a table");
                else if (n->list) {
                    /* the path must name a table: something with columns */
                    expr cols = *n->list;
                    cols.seg = vb_alloc(c->a, (size_t)(cols.nseg + 1) * sizeof *cols.seg);
                    memcpy(cols.seg, n->list->seg, (size_t)cols.nseg * sizeof *cols.seg);
                    cols.seg[cols.nseg++] = "columns";
                    if (c->ok) check_path(c, rest, &cols);
                }
                n->thead = vb_style_zone(c->style, "table_header");
                n->tcell = vb_style_zone(c->style, "table_cell");
                if (!n->thead || !n->tcell)
                    perr(c, ln, "@table needs the zones table_header and table_cell (not in %s)", c->style->path);
            } else if (!strcmp(word, "section")) {
                /* a page geometry is a rule: the template names it, the
                 * rule file says what it is */
                n->kind = N_SECTION;
                opens = false;
                if (ps->in_row) perr(c, ln, "@section inside a @row");
                size_t nl = strlen(rest);
                while (nl && isspace((unsigned char)rest[nl - 1])) nl--;
                const char *name = vb_strndup(c->a, rest, nl);
                if (!*name) perr(c, ln, "@section takes the name of a [page NAME] of %s", c->style->path);
                else if (!(n->geom = vb_style_page(c->style, name)))
                    perr(c, rest, "unknown page section \"%s\" (no [page %s] in %s)", name, name, c->style->path);
            } else if (!strcmp(word, "require")) {
                n->kind = N_REQUIRE;
                opens = false;
                const char *q = parse_expr(c, rest, &n->list, false);
                if (q) n->key = vb_strdup(c->a, skipws(q));
            } else {
                perr(c, ln, "unknown directive @%s", word);
                c->line = this_line;
                continue;
            }
            *ps->st[ps->depth].tail = n;
            ps->st[ps->depth].tail = &n->next;
            if (opens) {
                if (ps->depth == VB_TPL_MAX_DEPTH) { perr(c, ln, "blocks nested deeper than %d", VB_TPL_MAX_DEPTH); break; }
                ps->depth++;
                ps->st[ps->depth].n = n;
                ps->st[ps->depth].tail = n->kind == N_IF ? &n->bodies[0] : &n->body;
            }
            c->line = this_line;
            continue;
        }
        /* ZONE: text */
        const char *q = ln;
        while (isalnum((unsigned char)*q) || *q == '_') q++;
        if (q == ln || *q != ':') { perr(c, ln, "expected ZONE: text, or a directive (@if, @each, @row, @cell, @end, @set)"); c->line = this_line; continue; }
        n = vb_alloc(c->a, sizeof *n);
        n->kind = N_PARA;
        n->line = c->line;
        char *zn = vb_strndup(c->a, ln, (size_t)(q - ln));
        n->zone = vb_style_zone(c->style, zn);
        if (!n->zone) perr(c, ln, "unknown zone \"%s\" (not in %s)", zn, c->style->path);
        q++;
        if (*q == ' ') q++;
        parse_text(c, q, &n->segs, &n->nseg);
        *ps->st[ps->depth].tail = n;
        ps->st[ps->depth].tail = &n->next;
        c->line = this_line;
    }
    if (ps->depth > base && c->ok) {
        c->line = ps->st[ps->depth].n->line;
        c->lstart = NULL;
        perr(c, NULL, "this block is never closed with @end");
        ps->depth = base;
    }
    vb_buf_free(&joined);
}

bool vb_template_load(vb_arena *a, const char *path, const vb_style *style, const vb_schema *schema,
                      const vb_doctype *type, vb_template **out, vb_diag *d)
{
    char *data;
    if (!read_source(path, &data, d)) return false;
    pctx c = { .a = a, .path = path, .top = path, .style = style, .schema = schema, .type = type, .d = d, .ok = true };
    vb_template *t = vb_alloc(a, sizeof *t);
    t->path = vb_strdup(a, path);
    t->style = style;
    pstate *ps = vb_alloc(a, sizeof *ps);
    ps->st[0].n = NULL;
    ps->st[0].tail = &t->root;
    parse_source(&c, ps, data);
    free(data);
    if (!c.ok) return false;
    *out = t;
    return true;
}

/* ---- rendering ---- */

typedef struct loopv { const char *var; const vb_value *list; size_t i; const char *ptr; } loopv;
typedef struct rctx {
    const vb_template *t;
    const vb_record *r;
    vb_doc *doc;
    vb_diag *d;
    loopv loops[VB_TPL_MAX_DEPTH];
    int nloop;
    size_t paras;
    size_t steps;                  /* nodes run and loop turns, see VB_TPL_MAX_STEPS */
    bool ok;
} rctx;

static const vb_value *resolve(rctx *c, const expr *e)
{
    vb_arena *a = c->doc->arena;
    if (e->lit) return vb_value_str(a, e->lit);
    const vb_value *v = NULL;
    int i0 = 0;
    if (!strcmp(e->seg[0], "loop") && c->nloop) {
        loopv *l = &c->loops[c->nloop - 1];
        const char *k = e->seg[1];
        if (!strcmp(k, "index")) return vb_value_int(a, (int64_t)l->i + 1);
        if (!strcmp(k, "count")) return vb_value_int(a, (int64_t)l->list->n);
        vb_value *b = vb_value_new(a, VB_BOOL);
        b->b = !strcmp(k, "first") ? l->i == 0 : l->i + 1 == l->list->n;
        return b;
    }
    for (int s = c->nloop - 1; s >= 0; s--)
        if (!strcmp(c->loops[s].var, e->seg[0])) { v = c->loops[s].list->items[c->loops[s].i]; i0 = 1; break; }
    if (!i0) v = c->r->root;
    for (int i = i0; v && i < e->nseg; i++) {
        if (v->kind == VB_LIST) {
            char *end;
            unsigned long idx = strtoul(e->seg[i], &end, 10);
            v = (*end || idx >= v->n) ? NULL : v->items[idx];
        } else v = vb_value_get(v, e->seg[i]);
    }
    return v;
}

static bool truthy(const vb_value *v)
{
    if (!v) return false;
    switch (v->kind) {
    case VB_NULL: return false;
    case VB_BOOL: return v->b;
    case VB_INT: return v->i != 0;
    case VB_STR: for (const char *p = v->s; *p; p++) if (!isspace((unsigned char)*p)) return true; return false;
    case VB_LIST: case VB_MAP: return v->n > 0;
    }
    return false;
}

static const char *to_text(vb_arena *a, const vb_value *v)
{
    if (!v) return "";
    switch (v->kind) {
    case VB_STR: return v->s;
    case VB_INT: return vb_sprintf(a, "%lld", (long long)v->i);
    case VB_BOOL: return v->b ? "true" : "";
    case VB_LIST: {
        vb_buf b = {0};
        for (size_t i = 0; i < v->n; i++) { if (i) vb_buf_puts(&b, ", "); vb_buf_puts(&b, to_text(a, v->items[i])); }
        const char *s = vb_strdup(a, vb_buf_cstr(&b));
        vb_buf_free(&b);
        return s;
    }
    default: return "";
    }
}

static const vb_value *apply(rctx *c, const filter *f, const vb_value *v)
{
    vb_arena *a = c->doc->arena;
    const vb_style *st = c->t->style;
    const char *n = f->name;
    const char *s = to_text(a, v);
    if (!strcmp(n, "blank")) return truthy(v) ? v : vb_value_str(a, st->blank);
    if (!strcmp(n, "default")) return truthy(v) ? v : vb_value_str(a, f->arg);
    /* text around a value only when there is a value: "{{p.title|prefix:", "}}" */
    if (!strcmp(n, "prefix")) return truthy(v) ? vb_value_str(a, vb_sprintf(a, "%s%s", f->arg, s)) : NULL;
    if (!strcmp(n, "suffix")) return truthy(v) ? vb_value_str(a, vb_sprintf(a, "%s%s", s, f->arg)) : NULL;
    if (!strcmp(n, "join")) {
        if (!v || v->kind != VB_LIST) return v;
        vb_buf b = {0};
        for (size_t i = 0; i < v->n; i++) { if (i) vb_buf_puts(&b, f->arg); vb_buf_puts(&b, to_text(a, v->items[i])); }
        const vb_value *r = vb_value_str(a, vb_buf_cstr(&b));
        vb_buf_free(&b);
        return r;
    }
    if (!strcmp(n, "docnum") || !strcmp(n, "docref")) {
        int64_t num = v && v->kind == VB_INT ? v->i : 0;
        const vb_value *code = vb_value_path(c->r->root, "issuer.code");
        const char *dn = vb_docnum(a, c->r->convention, num, *f->arg ? f->arg : NULL, code ? to_text(a, code) : "");
        /* docref: the number line without its "Số"/"Số:", for a reference
         * ("Nghị quyết số 32/NQ-HĐND"): what follows keeps the leading
         * space, or the blank of an unnumbered draft */
        if (n[3] == 'r' && dn) {
            if (!strncmp(dn, "Số:", strlen("Số:"))) dn += strlen("Số:");
            else if (!strncmp(dn, "Số", strlen("Số"))) dn += strlen("Số");
        }
        return vb_value_str(a, dn);
    }
    if (!v) return NULL;   /* the rest leave a missing value missing */
    if (!strcmp(n, "upper")) return vb_value_str(a, vb_upper(a, s));
    if (!strcmp(n, "lower")) return vb_value_str(a, vb_lower(a, s));
    if (!strcmp(n, "capfirst")) return vb_value_str(a, vb_capfirst(a, s));
    if (!strcmp(n, "lowerfirst")) {
        int32_t cp;
        if (!*s) return v;
        int k = vb_utf8_next(s, &cp);
        char first[8];
        memcpy(first, s, (size_t)k); first[k] = 0;
        return vb_value_str(a, vb_sprintf(a, "%s%s", vb_lower(a, first), s + k));
    }
    if (!strcmp(n, "trim_punct")) {
        size_t l = strlen(s);
        while (l && strchr(";,. \t", s[l - 1])) l--;
        return vb_value_str(a, vb_strndup(a, s, l));
    }
    if (!strcmp(n, "date") || !strcmp(n, "date_short")) {
        int y, m, dd;
        if (!vb_parse_date(s, &y, &m, &dd)) return v;
        return vb_value_str(a, n[4] ? vb_date_short(a, y, m, dd) : vb_date_words(a, y, m, dd));
    }
    if (!strcmp(n, "time")) {
        int h, mi;
        if (!vb_parse_time(s, &h, &mi)) return v;
        return vb_value_str(a, vb_time_words(a, h, mi));
    }
    if (!strcmp(n, "int")) return v->kind == VB_INT ? vb_value_str(a, vb_format_int(a, v->i)) : v;
    if (!strcmp(n, "num2")) return v->kind == VB_INT ? vb_value_str(a, vb_num2(a, v->i)) : v;
    if (!strcmp(n, "num")) {
        if (v->kind != VB_INT) return v;
        const char *fmt = !strcmp(f->arg, "h1") ? st->num_h1 : !strcmp(f->arg, "h2") ? st->num_h2 :
                          !strcmp(f->arg, "h3") ? st->num_h3 : !strcmp(f->arg, "appendix") ? st->num_appendix :
                          !strcmp(f->arg, "appendix_single") ? st->num_appendix_single : st->num_article;
        return vb_value_str(a, vb_numfmt(a, fmt, v->i));
    }
    return v;
}

/* The JSON pointer of a path ("/resolution/body/3/paragraph"), through
 * loop variables; NULL for literals and loop counters. */
static const char *pointer(rctx *c, const expr *e)
{
    if (e->lit || !strcmp(e->seg[0], "loop")) return NULL;
    vb_buf b = {0};
    int i0 = 0;
    for (int s = c->nloop - 1; s >= 0; s--)
        if (!strcmp(c->loops[s].var, e->seg[0])) {
            vb_buf_printf(&b, "%s/%zu", c->loops[s].ptr ? c->loops[s].ptr : "", c->loops[s].i);
            i0 = 1;
            break;
        }
    for (int i = i0; i < e->nseg; i++) vb_buf_printf(&b, "/%s", e->seg[i]);
    const char *r = vb_strdup(c->doc->arena, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

static const char *eval(rctx *c, const expr *e)
{
    const vb_value *v = resolve(c, e);
    for (int i = 0; i < e->nf; i++) v = apply(c, &e->f[i], v);
    return to_text(c->doc->arena, v);
}

static bool test(rctx *c, const cond *k)
{
    switch (k->kind) {
    case C_NOT: return !test(c, k->l);
    case C_AND: return test(c, k->l) && test(c, k->r);
    case C_OR: return test(c, k->l) || test(c, k->r);
    case C_ATOM: break;
    }
    const vb_value *v = resolve(c, k->e);
    if (!k->cmp) return truthy(v);
    bool eq = v && !strcmp(to_text(c->doc->arena, v), k->cmp);
    return k->neq ? !eq : eq;
}

static void run_nodes(rctx *c, const node *n);

static void run_para(rctx *c, const node *n)
{
    if (++c->paras > VB_TPL_MAX_PARAS) {
        if (c->ok) vb_error(c->d, VB_EXIT_INPUT, "%s:%d: the document would exceed %d paragraphs", c->t->path, n->line, VB_TPL_MAX_PARAS);
        c->ok = false;
        return;
    }
    /* Build the runs first: a paragraph that comes out empty is dropped. */
    vb_doc *doc = c->doc;
    const char *texts[256], *srcs[256];
    unsigned flags[256];
    int k = 0;
    unsigned cur = 0;
    bool any = false;
    for (int i = 0; i < n->nseg && k < 256; i++) {
        const seg *s = &n->segs[i];
        if (s->kind == SEG_FLAG) { cur = s->flag; continue; }
        const char *t = s->kind == SEG_TEXT ? s->text : eval(c, s->e);
        if (!*t) continue;
        for (const char *q = t; *q; q++) if (!isspace((unsigned char)*q)) { any = true; break; }
        srcs[k] = NULL;
        if (s->kind == SEG_EXPR) {
            const char *ptr = pointer(c, s->e);
            if (ptr) srcs[k] = c->r->line > 0 ? vb_sprintf(c->doc->arena, "%s:%d: %s", c->r->file, c->r->line, ptr)
                                              : vb_sprintf(c->doc->arena, "%s: %s", c->r->file, ptr);
        }
        texts[k] = t; flags[k] = cur; k++;
    }
    if (!any) return;
    vb_para *p = vb_doc_para(doc, n->zone);
    for (int i = 0; i < k; i++) vb_para_value(doc, p, texts[i], flags[i], srcs[i]);
}

/* A record table (record.c has checked it and printed its numbers):
 * the column titles and the first header_rows - 1 rows as header rows,
 * then the rows, then the totals in bold. */
static void run_table(rctx *c, const node *n)
{
    const vb_value *t = resolve(c, n->list);
    const vb_value *cols = t && t->kind == VB_MAP ? vb_value_get(t, "columns") : NULL;
    if (!cols || cols->kind != VB_LIST || cols->n == 0) return;
    vb_doc *doc = c->doc;
    vb_arena *a = doc->arena;
    const char *ptr = pointer(c, n->list);
    const char *src = c->r->line > 0 ? vb_sprintf(a, "%s:%d: %s", c->r->file, c->r->line, ptr ? ptr : "")
                                     : vb_sprintf(a, "%s: %s", c->r->file, ptr ? ptr : "");
    int ncols = (int)cols->n;
    vb_table *tb = vb_doc_table(doc, ncols, src);
    vb_trow *head = vb_table_row(doc, tb, VB_TROW_HEADER, n->thead);
    for (int k = 0; k < ncols; k++) {
        const vb_value *col = cols->items[k];
        const vb_value *al = vb_value_get(col, "align"), *kind = vb_value_get(col, "kind"),
                       *title = vb_value_get(col, "title");
        vb_align align = !al ? VB_ALIGN_LEFT : !strcmp(al->s, "center") ? VB_ALIGN_CENTER :
                         !strcmp(al->s, "right") ? VB_ALIGN_RIGHT : VB_ALIGN_LEFT;
        vb_table_col(tb, k, align, kind && !strcmp(kind->s, "number"));
        if (title) vb_para_value(doc, head->cell[k], to_text(a, title), 0,
                                 vb_sprintf(a, "%s/columns/%d/title", src, k));
    }
    const vb_value *hr = vb_value_get(t, "header_rows");
    int64_t nhead = hr && hr->kind == VB_INT ? hr->i : 1;
    static const char *const keys[] = { "rows", "totals" };
    for (int part = 0; part < 2; part++) {
        const vb_value *rows = vb_value_get(t, keys[part]);
        if (!rows || rows->kind != VB_LIST) continue;
        for (size_t r = 0; r < rows->n; r++) {
            const vb_value *row = rows->items[r];
            if (!row || row->kind != VB_LIST) continue;
            if (++c->paras > VB_TPL_MAX_PARAS) {
                if (c->ok) vb_error(c->d, VB_EXIT_INPUT, "%s:%d: the document would exceed %d paragraphs", c->t->path, n->line, VB_TPL_MAX_PARAS);
                c->ok = false;
                return;
            }
            bool header = part == 0 && (int64_t)r + 1 < nhead;
            vb_trow *tr = vb_table_row(doc, tb, header ? VB_TROW_HEADER : part ? VB_TROW_TOTAL : VB_TROW_BODY,
                                       header ? n->thead : n->tcell);
            for (size_t k = 0; k < row->n && k < (size_t)ncols; k++)
                vb_para_value(doc, tr->cell[k], to_text(a, row->items[k]), part ? VB_BOLD : 0,
                              vb_sprintf(a, "%s/%s/%zu/%zu", src, keys[part], r, k));
        }
    }
}

/* The paragraph limit alone does not bound the work: loops nested over the
 * record's longest lists (5000 items, 32 deep) whose bodies make no
 * paragraph would run for ever.  Every node run and every loop turn is a
 * step; a render may take VB_TPL_MAX_STEPS (the shipped templates take a
 * few per paragraph, so no record within the limits comes near). */
static bool step(rctx *c, const node *n)
{
    if (++c->steps <= VB_TPL_MAX_STEPS) return true;
    if (c->ok)
        vb_error(c->d, VB_EXIT_INPUT, "%s:%d: the template does too much work for this record "
                 "(more than %zu steps: loops nested over long lists?)", c->t->path, n->line,
                 VB_TPL_MAX_STEPS);
    c->ok = false;
    return false;
}

static void run_nodes(rctx *c, const node *n)
{
    for (; n && c->ok && step(c, n); n = n->next) {
        switch (n->kind) {
        case N_PARA: run_para(c, n); break;
        case N_SET: {
            vb_buf b = {0};
            for (int i = 0; i < n->nseg; i++)
                if (n->segs[i].kind != SEG_FLAG)
                    vb_buf_puts(&b, n->segs[i].kind == SEG_TEXT ? n->segs[i].text : eval(c, n->segs[i].e));
            const char *v = vb_strdup(c->doc->arena, vb_buf_cstr(&b));
            vb_buf_free(&b);
            if (!strcmp(n->key, "title")) c->doc->title = v;
            else if (!strcmp(n->key, "author")) c->doc->author = v;
            else if (!strcmp(n->key, "subject")) c->doc->subject = v;
            else if (!strcmp(n->key, "keywords")) c->doc->keywords = v;
            else {
                int y, m, dd;
                if (vb_parse_date(v, &y, &m, &dd)) {
                    /* days from civil (proleptic Gregorian), UTC midnight */
                    int yy = y - (m <= 2);
                    int era = (yy >= 0 ? yy : yy - 399) / 400;
                    int yoe = yy - era * 400;
                    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
                    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
                    c->doc->date = ((int64_t)era * 146097 + doe - 719468) * 86400;
                }
            }
            break;
        }
        case N_APPEND: {
            vb_doc *doc = c->doc;
            if (!doc->last || doc->last->kind != VB_BLOCK_PARA) break;
            vb_para *p = doc->last->para;
            vb_buf b = {0};
            for (int i = 0; i < n->nseg; i++)
                if (n->segs[i].kind != SEG_FLAG)
                    vb_buf_puts(&b, n->segs[i].kind == SEG_TEXT ? n->segs[i].text : eval(c, n->segs[i].e));
            const char *add = vb_buf_cstr(&b);
            vb_run *r = p->last_run;
            if (r && *add) {
                size_t l = strlen(r->text);
                while (l && (r->text[l - 1] == ' ' || ((r->text[l - 1] == '.' || r->text[l - 1] == ';') && add[0] == '.'))) {
                    l--;
                    if (add[0] == '.') break;   /* drop one final stop only */
                }
                char *t = vb_alloc(doc->arena, l + strlen(add) + 1);
                memcpy(t, r->text, l);
                strcpy(t + l, add);
                r->text = t;
            }
            vb_buf_free(&b);
            break;
        }
        case N_REQUIRE:
            if (!truthy(resolve(c, n->list))) {
                const vb_record *r = c->r;
                char loc[64] = "";
                if (r->line > 0) snprintf(loc, sizeof loc, ":%d", r->line);
                vb_error(c->d, VB_EXIT_INPUT, "%s%s: %s", r->file, loc, /* the message is the template's (data): translated when the
                 * catalogue has it (tools/po-update.sh extracts @require lines) */
                         *n->key ? gettext(n->key) : _("the record lacks a field this document needs"));
                c->ok = false;
            }
            break;
        case N_IF: {
            int b;
            for (b = 0; b < n->nbranch; b++) if (test(c, n->conds[b])) { run_nodes(c, n->bodies[b]); break; }
            if (b == n->nbranch) run_nodes(c, n->els);
            break;
        }
        case N_EACH: {
            const vb_value *l = resolve(c, n->list);
            if (!l || l->kind != VB_LIST || c->nloop == VB_TPL_MAX_DEPTH) break;
            const char *ptr = pointer(c, n->list);
            loopv *lv = &c->loops[c->nloop++];
            lv->var = n->var; lv->list = l; lv->ptr = ptr;
            for (lv->i = 0; lv->i < l->n && c->ok && step(c, n); lv->i++) run_nodes(c, n->body);
            c->nloop--;
            break;
        }
        case N_ROW:
            vb_doc_row_begin(c->doc, (vb_row_kind)n->rowkind);
            run_nodes(c, n->body);
            vb_doc_row_end(c->doc);
            break;
        case N_CELL:
            vb_doc_row_cell(c->doc, n->cell);
            break;
        case N_TABLE: run_table(c, n); break;
        case N_SECTION: vb_doc_section(c->doc, n->geom); break;
        }
    }
}

bool vb_template_render(const vb_template *t, const vb_record *r, vb_doc *doc, vb_diag *d)
{
    rctx c = { .t = t, .r = r, .doc = doc, .d = d, .ok = true };
    run_nodes(&c, t->root);
    return c.ok;
}
