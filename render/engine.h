/* engine.h — one renderer: the fonts, styles and templates loaded once and
 * reused for every document (a batch worker owns one engine; engines are
 * not shared between threads: FreeType faces are not thread-safe). */
#ifndef VB_ENGINE_H
#define VB_ENGINE_H

#include "vb.h"
#include "record.h"
#include "model.h"
#include "backend.h"

typedef struct vb_engine vb_engine;

/* datadir holds templates/ (and fonts/); NULL: $VANBAN_DATA, else the
 * folder of the executable when it holds templates/ (a build tree), else
 * the installed VB_DATADIR.  fonts_dir overrides datadir/fonts. */
bool vb_engine_open(const char *datadir, const char *fonts_dir, vb_engine **out, vb_diag *d);
void vb_engine_close(vb_engine *e);
const char *vb_engine_datadir(const vb_engine *e);
struct vb_fonts *vb_engine_fonts(vb_engine *e);

/* The record format and the document types (schema.h), read at open. */
const vb_schema *vb_engine_schema(const vb_engine *e);
/* The document type `type` of a convention, or NULL. */
const vb_doctype *vb_engine_type(const vb_engine *e, vb_convention c, const char *type);
bool vb_engine_has_type(vb_engine *e, vb_convention c, const char *type);
/* Document types of a convention (templates/CONV/NAME.type), sorted. */
size_t vb_engine_types(vb_engine *e, vb_convention c, const char ***out);
/* The types a record holds (its condition is met), sorted: at most cap. */
size_t vb_engine_held(vb_engine *e, const vb_record *r, const char **out, size_t cap);

/* The rule file of a convention (loaded when first asked for), or NULL
 * with its errors in d. */
const struct vb_style *vb_engine_style(vb_engine *e, vb_convention c, vb_diag *d);

/* What every later vb_engine_render asks of the backends (--pdfa); copied,
 * but o->icc must live as long as the engine is used.  Default: all zero. */
void vb_engine_set_render_opts(vb_engine *e, const vb_render_opts *o);

/* Record -> model (template + style of the record's convention). */
bool vb_engine_build(vb_engine *e, const vb_record *r, const char *type, vb_doc **out, vb_diag *d);
/* Model -> file bytes through a backend. */
bool vb_engine_write(vb_engine *e, const vb_doc *doc, const vb_backend *b, vb_buf *out, vb_diag *d);

/* The one entry from a record to files: record -> type -> model -> (one
 * layout, when a backend draws pages or want_pages) -> the bytes of each
 * format.  outs[k] gets format k's bytes, messages and page count (-1 when
 * not laid out); the caller frees bytes and msgs.  Messages of building
 * the model go to d.  False when the model or any format failed. */
typedef struct vb_output {
    vb_buf bytes;
    vb_diag msgs;
    long pages;
    bool ok;
    /* where the layout reserved room for the signature (vb_layout_signature_box),
     * for signing right after rendering and for the sidecar */
    bool has_sigbox;
    int sig_page;
    int32_t sig_box[4];
    char author[256];          /* the issuing body, for the sidecar */
    char number[128];          /* the number line as printed ("Số: 07/NQ-HĐND"), when it has
                                  a number: the annex line of signing (conventions §7) */
} vb_output;
bool vb_engine_render(vb_engine *e, const vb_record *r, const char *type, const vb_backend *const *formats,
                      size_t nformats, bool want_pages, vb_output *outs, vb_diag *d);

/* Where the data lives: $VANBAN_DATA, else the folder of the executable
 * when it holds templates/ (a build tree), else the installed VB_DATADIR. */
const char *vb_find_datadir(void);

/* Messages in the user's language (gettext, domain "vanban"): sets
 * LC_MESSAGES from the environment (LC_ALL, LC_MESSAGES, LANG) and nothing
 * else, and binds the domain to vb_find_localedir().  Called once by main. */
void vb_i18n_init(void);
const char *vb_find_localedir(void);

#endif
