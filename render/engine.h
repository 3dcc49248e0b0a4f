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

/* Is `type` a document type with a template for this convention? */
bool vb_engine_has_type(vb_engine *e, vb_convention c, const char *type);
/* Document types available for a convention (names of *.tpl), sorted;
 * the folder is read once per engine. */
size_t vb_engine_types(vb_engine *e, vb_convention c, const char ***out);

/* Record -> model (template + style of the record's convention). */
bool vb_engine_build(vb_engine *e, const vb_record *r, const char *type, vb_doc **out, vb_diag *d);
/* Model -> file bytes through a backend. */
bool vb_engine_write(vb_engine *e, const vb_doc *doc, const vb_backend *b, vb_buf *out, vb_diag *d);

#endif
