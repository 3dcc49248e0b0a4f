/* engine.c — loading styles, templates and fonts once; building and
 * writing documents. */
#include "engine.h"
#include "font.h"
#include "style.h"
#include "template.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VB_DATADIR
#define VB_DATADIR "/usr/local/share/vanban"
#endif

typedef struct tpl_entry { vb_convention conv; const char *type; vb_template *t; } tpl_entry;

struct vb_engine {
    vb_arena *a;
    const char *datadir;
    vb_fonts *fonts;
    vb_style style[2];
    bool style_loaded[2];
    tpl_entry *tpls; size_t ntpl, cap;
    const char **types[2]; size_t ntypes[2];   /* listed once per convention */
    bool types_listed[2];
};

static const char *conv_dir(vb_convention c) { return c == VB_PARTY ? "party" : "state"; }

static bool is_dir(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISDIR(st.st_mode); }

/* Where the data lives: $VANBAN_DATA, else the folder of the executable
 * when it holds templates/ (a build tree), else the installed VB_DATADIR. */
static const char *find_datadir(void)
{
    static char buf[PATH_MAX];
    const char *env = getenv("VANBAN_DATA");
    if (env && *env) return env;
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 32);
    if (n > 0) {
        buf[n] = 0;
        char *slash = strrchr(buf, '/');
        if (slash) {
            strcpy(slash, "/templates");
            if (is_dir(buf)) { *slash = 0; return buf; }
        }
    }
    return VB_DATADIR;
}

bool vb_engine_open(const char *datadir, const char *fonts_dir, vb_engine **out, vb_diag *d)
{
    vb_engine *e = vb_xcalloc(1, sizeof *e);
    e->a = vb_arena_new();
    e->datadir = vb_strdup(e->a, datadir ? datadir : find_datadir());
    char *tdir = vb_sprintf(e->a, "%s/templates", e->datadir);
    if (!is_dir(tdir)) {
        vb_error(d, VB_EXIT_SYSTEM, "%s: no templates folder here (set VANBAN_DATA or --data)", tdir);
        vb_engine_close(e);
        return false;
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

/* A type name is a plain word: it becomes part of a path. */
static bool type_ok(const char *t)
{
    if (!t || !*t || strlen(t) > 40) return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) return false;
    return true;
}

bool vb_engine_has_type(vb_engine *e, vb_convention c, const char *type)
{
    if (!type_ok(type)) return false;
    /* asked for every document of a batch: no allocation in the engine's arena */
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/templates/%s/%s.tpl", e->datadir, conv_dir(c), type) >= sizeof p) return false;
    return access(p, R_OK) == 0;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

size_t vb_engine_types(vb_engine *e, vb_convention c, const char ***out)
{
    /* a batch asks for every record: list the folder once, and allocate
     * nothing more in the engine's arena afterwards */
    int ci = c == VB_PARTY ? 0 : 1;
    if (e->types_listed[ci]) { *out = e->types[ci]; return e->ntypes[ci]; }
    char *dir = vb_sprintf(e->a, "%s/templates/%s", e->datadir, conv_dir(c));
    DIR *dp = opendir(dir);
    size_t n = 0, cap = 8;
    const char **v = vb_alloc(e->a, cap * sizeof *v);
    if (dp) {
        struct dirent *de;
        while ((de = readdir(dp))) {
            size_t l = strlen(de->d_name);
            if (l > 4 && !strcmp(de->d_name + l - 4, ".tpl")) {
                if (n == cap) { const char **nv = vb_alloc(e->a, cap * 2 * sizeof *nv); memcpy(nv, v, cap * sizeof *v); v = nv; cap *= 2; }
                v[n++] = vb_strndup(e->a, de->d_name, l - 4);
            }
        }
        closedir(dp);
    }
    qsort(v, n, sizeof *v, cmpstr);
    e->types[ci] = v; e->ntypes[ci] = n; e->types_listed[ci] = true;
    *out = v;
    return n;
}

static vb_template *get_template(vb_engine *e, vb_convention c, const char *type, const vb_style *st, vb_diag *d)
{
    for (size_t i = 0; i < e->ntpl; i++)
        if (e->tpls[i].conv == c && !strcmp(e->tpls[i].type, type)) return e->tpls[i].t;
    char *p = vb_sprintf(e->a, "%s/templates/%s/%s.tpl", e->datadir, conv_dir(c), type);
    vb_template *t;
    if (!vb_template_load(e->a, p, st, &t, d)) return NULL;
    if (e->ntpl == e->cap) { e->cap = e->cap ? e->cap * 2 : 8; e->tpls = vb_xrealloc(e->tpls, e->cap * sizeof *e->tpls); }
    e->tpls[e->ntpl++] = (tpl_entry){ c, vb_strdup(e->a, type), t };
    return t;
}

bool vb_engine_build(vb_engine *e, const vb_record *r, const char *type, vb_doc **out, vb_diag *d)
{
    if (!type_ok(type) || !vb_engine_has_type(e, r->convention, type)) {
        const char **types;
        size_t n = vb_engine_types(e, r->convention, &types);
        vb_buf b = {0};
        for (size_t i = 0; i < n; i++) { if (i) vb_buf_puts(&b, ", "); vb_buf_puts(&b, types[i]); }
        vb_error(d, VB_EXIT_USAGE, "vanban: unknown document type \"%s\" for the %s convention (have: %s)", type,
                 conv_dir(r->convention), vb_buf_cstr(&b));
        vb_buf_free(&b);
        return false;
    }
    const vb_style *st = get_style(e, r->convention, d);
    if (!st) return false;
    vb_template *t = get_template(e, r->convention, type, st, d);
    if (!t) return false;
    vb_doc *doc = vb_doc_new(st);
    doc->type = vb_strdup(doc->arena, type);
    if (!vb_template_render(t, r, doc, d)) { vb_doc_free(doc); return false; }
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

/* ---- the backend table ---- */
const vb_backend vb_backends[] = {
    { "pdf", ".pdf", vb_pdf_write },
    { "docx", ".docx", vb_docx_write },
    { NULL, NULL, NULL }
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
