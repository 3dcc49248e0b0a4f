/* backend.h — output formats.  A backend is a table entry {name, extension,
 * write, write_layout}; it walks the model (or the pages laid out from it)
 * and writes the whole file into memory, which the caller then writes
 * atomically.  Backends do not call each other. */
#ifndef VB_BACKEND_H
#define VB_BACKEND_H

#include "model.h"
#include "font.h"

struct vb_layout;
typedef struct vb_backend {
    const char *name;          /* "pdf", "docx" */
    const char *extension;     /* ".pdf", ".docx" */
    bool (*write)(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);
    /* backends that draw pages: the same file from a layout already made
     * (vb_engine_render lays a document out once); NULL for the others */
    bool (*write_layout)(const struct vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         vb_buf *out, vb_diag *d);
} vb_backend;

bool vb_pdf_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);
bool vb_docx_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);

/* The PDF of a layout already made. */
bool vb_pdf_write_layout(const struct vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         vb_buf *out, vb_diag *d);

extern const vb_backend vb_backends[];    /* terminated by {NULL} */
const vb_backend *vb_backend_find(const char *name);          /* "pdf" */
const vb_backend *vb_backend_for_path(const char *path);      /* by extension */

#endif
