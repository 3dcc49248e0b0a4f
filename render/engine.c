/* engine.c — loading the record format and types, styles, templates and
 * fonts once; building and writing documents (vb_engine_render: record ->
 * type -> model -> layout -> bytes, for render and batch alike). */
#include "engine.h"
#include "font.h"
#include "style.h"
#include "template.h"
#include "layout.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif
#ifndef VB_LOCALEDIR
#define VB_LOCALEDIR VB_DATADIR "/locale"
#endif

typedef struct tpl_entry { vb_convention conv; const char *type; vb_template *t; } tpl_entry;

struct vb_engine {
    vb_arena *a;
    const char *datadir;
    vb_fonts *fonts;
    vb_style style[2];
    bool style_loaded[2];
    tpl_entry *tpls; size_t ntpl, cap;
    vb_schema schema;                          /* the record format and types */
    const char **types[2]; size_t ntypes[2];   /* type names per convention */
    vb_render_opts opts;                       /* passed to every backend */
};

static const char *conv_dir(vb_convention c) { return c == VB_PARTY ? "party" : "state"; }

static bool is_dir(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISDIR(st.st_mode); }

/* buf = the executable's folder + "/" + rel; true when that is a folder
 * (how a build tree or an unpacked copy finds its own files). */
static bool beside_exe(char buf[PATH_MAX], const char *rel)
{
    ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);
    if (n <= 0) return false;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash || (size_t)(slash - buf) + 1 + strlen(rel) >= PATH_MAX) return false;
    snprintf(slash + 1, (size_t)(PATH_MAX - (slash + 1 - buf)), "%s", rel);
    return is_dir(buf);
}

/* Where the data lives: $VANBAN_DATA, else the folder of the executable
 * when it holds templates/ (a build tree), else the installed VB_DATADIR. */
const char *vb_find_datadir(void)
{
    static char buf[PATH_MAX];
    const char *env = getenv("VANBAN_DATA");
    if (env && *env) return env;
    if (beside_exe(buf, "templates")) { *strrchr(buf, '/') = 0; return buf; }
    return VB_DATADIR;
}

/* Where the translations live (DIR/vi/LC_MESSAGES/vanban.mo), found like
 * the data: $VANBAN_LOCALEDIR; else locale/ beside the executable (a
 * build folder such as build-san/) or build/locale beside it (./vanban in
 * the source tree, where make compiles po/vi.po); else DATA/locale of the
 * data folder found by vb_find_datadir; else the installed VB_LOCALEDIR. */
const char *vb_find_localedir(void)
{
    static char buf[PATH_MAX];
    const char *env = getenv("VANBAN_LOCALEDIR");
    if (env && *env) return env;
    if (beside_exe(buf, "locale") || beside_exe(buf, "build/locale")) return buf;
    const char *data = vb_find_datadir();
    if (strlen(data) < sizeof buf - 8) {
        snprintf(buf, sizeof buf, "%s/locale", data);
        if (is_dir(buf)) return buf;
    }
    return VB_LOCALEDIR;
}

void vb_i18n_init(void)
{
    /* LC_MESSAGES only, never LC_ALL: LC_NUMERIC would put decimal commas
     * into PDF content streams and LC_CTYPE/LC_COLLATE could change what
     * is written; the output must not depend on the user's locale. */
    setlocale(LC_MESSAGES, "");
    bindtextdomain("vanban", vb_find_localedir());
    bind_textdomain_codeset("vanban", "UTF-8");   /* whatever LC_CTYPE is (C) */
    /* strerror's texts too, else glibc writes them in ASCII with '?' */
    bind_textdomain_codeset("libc", "UTF-8");
    textdomain("vanban");
}

bool vb_engine_open(const char *datadir, const char *fonts_dir, vb_engine **out, vb_diag *d)
{
    vb_engine *e = vb_xcalloc(1, sizeof *e);
    e->a = vb_arena_new();
    e->datadir = vb_strdup(e->a, datadir ? datadir : vb_find_datadir());
    char *tdir = vb_sprintf(e->a, "%s/templates", e->datadir);
    if (!is_dir(tdir)) {
        vb_error(d, VB_EXIT_SYSTEM, "%s: no templates folder here (set VANBAN_DATA or --data)", tdir);
        vb_engine_close(e);
        return false;
    }
    if (!vb_schema_load(e->a, e->datadir, &e->schema, d)) { vb_engine_close(e); return false; }
    for (int c = 0; c < 2; c++) {
        e->types[c] = vb_alloc(e->a, (e->schema.ntypes + 1) * sizeof *e->types[c]);
        for (size_t i = 0; i < e->schema.ntypes; i++)
            if (e->schema.types[i].conv == (vb_convention)c) e->types[c][e->ntypes[c]++] = e->schema.types[i].name;
    }
    const char *fd = fonts_dir ? fonts_dir : vb_sprintf(e->a, "%s/fonts", e->datadir);
    if (!vb_fonts_open(fd, "Times New Roman", &e->fonts, d)) { vb_engine_close(e); return false; }
    *out = e;
    return true;
}

void vb_engine_close(vb_engine *e)
{
    if (!e) return;
    if (e->fonts) vb_fonts_close(e->fonts);
    free(e->tpls);
    vb_arena_free(e->a);
    free(e);
}

const char *vb_engine_datadir(const vb_engine *e) { return e->datadir; }
vb_fonts *vb_engine_fonts(vb_engine *e) { return e->fonts; }

static const vb_style *get_style(vb_engine *e, vb_convention c, vb_diag *d)
{
    if (!e->style_loaded[c]) {
        char *p = vb_sprintf(e->a, "%s/templates/%s/style", e->datadir, conv_dir(c));
        if (!vb_style_load(e->a, p, &e->style[c], d)) return NULL;
        if (e->style[c].convention != c) {
            vb_error(d, VB_EXIT_INPUT, "%s: says convention %s but lives in the %s folder", p,
                     conv_dir(e->style[c].convention), conv_dir(c));
            return NULL;
        }
        e->style_loaded[c] = true;
    }
    return &e->style[c];
}

const vb_style *vb_engine_style(vb_engine *e, vb_convention c, vb_diag *d) { return get_style(e, c, d); }

const vb_schema *vb_engine_schema(const vb_engine *e) { return &e->schema; }

const vb_doctype *vb_engine_type(const vb_engine *e, vb_convention c, const char *type)
{
    return type ? vb_schema_type(&e->schema, c, type) : NULL;
}

bool vb_engine_has_type(vb_engine *e, vb_convention c, const char *type)
{
    return vb_engine_type(e, c, type) != NULL;
}

size_t vb_engine_types(vb_engine *e, vb_convention c, const char ***out)
{
    *out = e->types[c];
    return e->ntypes[c];
}

size_t vb_engine_held(vb_engine *e, const vb_record *r, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < e->ntypes[r->convention] && n < cap; i++) {
        const vb_doctype *t = vb_engine_type(e, r->convention, e->types[r->convention][i]);
        if (vb_schema_holds(t, r->root)) out[n++] = t->name;
    }
    return n;
}

static vb_template *get_template(vb_engine *e, vb_convention c, const char *type, const vb_style *st, vb_diag *d)
{
    for (size_t i = 0; i < e->ntpl; i++)
        if (e->tpls[i].conv == c && !strcmp(e->tpls[i].type, type)) return e->tpls[i].t;
    vb_template *t;
    if (!vb_template_load(e->a, vb_engine_type(e, c, type)->tpl, st, &e->schema, vb_engine_type(e, c, type), &t, d)) return NULL;
    if (e->ntpl == e->cap) { e->cap = e->cap ? e->cap * 2 : 8; e->tpls = vb_xrealloc(e->tpls, e->cap * sizeof *e->tpls); }
    e->tpls[e->ntpl++] = (tpl_entry){ c, vb_strdup(e->a, type), t };
    return t;
}

void vb_engine_set_render_opts(vb_engine *e, const vb_render_opts *o)
{
    e->opts = *o;
}

bool vb_engine_build(vb_engine *e, const vb_record *r, const char *type, vb_doc **out, vb_diag *d)
{
    const vb_doctype *dt = vb_engine_type(e, r->convention, type);
    if (!dt) {
        const char **types;
        size_t n = vb_engine_types(e, r->convention, &types);
        vb_buf b = {0};
        for (size_t i = 0; i < n; i++) { if (i) vb_buf_puts(&b, ", "); vb_buf_puts(&b, types[i]); }
        vb_error(d, VB_EXIT_USAGE, "vanban: unknown document type \"%s\" for the %s convention (have: %s)", type,
                 conv_dir(r->convention), vb_buf_cstr(&b));
        vb_buf_free(&b);
        /* a template alone, as before types were files: say what is missing */
        bool plain = strlen(type) <= 40 && !strchr(type, '/') && *type != '.';
        char p[PATH_MAX];
        if (plain && (size_t)snprintf(p, sizeof p, "%s/templates/%s/%s.tpl", e->datadir, conv_dir(r->convention),
                                      type) < sizeof p && access(p, R_OK) == 0)
            vb_error(d, VB_EXIT_USAGE, "%s: a template without %s.type beside it is not a document type "
                     "(templates/README.md, \"Document types\")", p, type);
        return false;
    }
    const vb_style *st = get_style(e, r->convention, d);
    if (!st) return false;
    vb_template *t = get_template(e, r->convention, type, st, d);
    if (!t) return false;
    vb_doc *doc = vb_doc_new(st);
    doc->type = vb_strdup(doc->arena, type);
    if (!vb_template_render(t, r, doc, d)) { vb_doc_free(doc); return false; }
    /* a template need not @require its part: the type's condition decides */
    if (!vb_schema_holds(dt, r->root)) {
        vb_error(d, VB_EXIT_INPUT, "%s%s: this record has no \"%s\"; it holds no %s", r->file,
                 r->line ? vb_sprintf(doc->arena, ":%d", r->line) : "", dt->holds, dt->name);
        vb_doc_free(doc);
        return false;
    }
    int64_t when;
    if (vb_source_date(&when)) doc->date = when;
    else if (getenv("SOURCE_DATE_EPOCH") && *getenv("SOURCE_DATE_EPOCH"))
        vb_warn(d, "SOURCE_DATE_EPOCH=\"%.40s\" is not a number of seconds since 1970; the document's own date is used",
                getenv("SOURCE_DATE_EPOCH"));
    *out = doc;
    return true;
}

bool vb_engine_write(vb_engine *e, const vb_doc *doc, const vb_backend *b, vb_buf *out, vb_diag *d)
{
    return b->write(doc, e->fonts, out, d);
}

/* The text of the paragraph of zone "number" (the header's number line),
 * into buf; empty when there is none or it holds no digit (an unnumbered
 * draft: its blank is not a number to sign). */
static void doc_number(const vb_doc *doc, char *buf, size_t n)
{
    buf[0] = 0;
    for (const vb_block *b = doc->first; b; b = b->next) {
        const vb_para *first = b->kind == VB_BLOCK_PARA ? b->para : NULL;
        for (int c = 0; c < 2 && !first; c++)
            if (b->kind == VB_BLOCK_ROW && b->row->kind == VB_ROW_HEADER)
                for (const vb_para *p = b->row->cell[c]; p && !first; p = p->next)
                    if (p->zone && p->zone->name && !strcmp(p->zone->name, "number")) first = p;
        if (!first || !first->zone || !first->zone->name || strcmp(first->zone->name, "number")) continue;
        size_t len = 0;
        for (const vb_run *r = first->runs; r; r = r->next) {
            size_t k = strlen(r->text);
            if (len + k >= n) return;       /* longer than any number line: none */
            memcpy(buf + len, r->text, k);
            len += k;
        }
        buf[len] = 0;
        if (!strpbrk(buf, "0123456789")) buf[0] = 0;
        return;
    }
}

bool vb_engine_render(vb_engine *e, const vb_record *r, const char *type, const vb_backend *const *formats,
                      size_t nformats, bool want_pages, vb_output *outs, vb_diag *d)
{
    for (size_t k = 0; k < nformats; k++) {
        outs[k] = (vb_output){ .pages = -1 };
        vb_diag_init(&outs[k].msgs);
    }
    vb_doc *doc = NULL;
    if (!vb_engine_build(e, r, type, &doc, d)) return false;
    bool need_layout = want_pages;
    for (size_t k = 0; k < nformats; k++) need_layout |= formats[k]->write_layout != NULL;
    /* one layout: the backends that draw pages write from it, and it gives
     * the page count of every format; its messages belong to those
     * backends (the DOCX writer lays out no pages) */
    vb_layout *l = NULL;
    vb_diag ld;
    vb_diag_init(&ld);
    long pages = -1;
    if (need_layout) {
        if (vb_layout_run(doc, e->fonts, &l, &ld)) pages = (long)l->npages;
        else if (l) { vb_layout_free(l); l = NULL; }
    }
    bool all = true;
    for (size_t k = 0; k < nformats; k++) {
        vb_output *o = &outs[k];
        const vb_backend *b = formats[k];
        if (b->write_layout) {
            for (size_t i = 0; i < ld.n; i++) {
                if (ld.items[i].sev == VB_ERROR) vb_error(&o->msgs, ld.exit_code, "%s", ld.items[i].msg);
                else vb_warn(&o->msgs, "%s", ld.items[i].msg);
            }
            o->ok = l && b->write_layout(l, doc, e->fonts, &e->opts, &o->bytes, &o->msgs);
        } else {
            o->ok = b->write(doc, e->fonts, &o->bytes, &o->msgs);
        }
        if (o->ok) o->pages = pages;
        if (o->ok && l) o->has_sigbox = vb_layout_signature_box(doc, l, e->fonts, &o->sig_page, o->sig_box);
        if (doc->author) snprintf(o->author, sizeof o->author, "%s", doc->author);
        doc_number(doc, o->number, sizeof o->number);
        all &= o->ok;
    }
    vb_diag_free(&ld);
    vb_layout_free(l);
    vb_doc_free(doc);
    return all;
}

/* ---- the backend table ---- */
const vb_backend vb_backends[] = {
    { "pdf", ".pdf", vb_pdf_write, vb_pdf_write_layout },
    { "docx", ".docx", vb_docx_write, NULL },
    { NULL, NULL, NULL, NULL }
};

const vb_backend *vb_backend_find(const char *name)
{
    for (const vb_backend *b = vb_backends; b->name; b++)
        if (!strcmp(b->name, name)) return b;
    return NULL;
}

const vb_backend *vb_backend_for_path(const char *path)
{
    size_t n = strlen(path);
    for (const vb_backend *b = vb_backends; b->name; b++) {
        size_t k = strlen(b->extension);
        if (n > k && !strcasecmp(path + n - k, b->extension)) return b;
    }
    return NULL;
}
