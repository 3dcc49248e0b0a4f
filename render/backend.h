/* backend.h — output formats.  A backend is a table entry {name, extension,
 * write, write_layout}; it walks the model (or the pages laid out from it)
 * and writes the whole file into memory, which the caller then writes
 * atomically.  Backends do not call each other. */
#ifndef VB_BACKEND_H
#define VB_BACKEND_H

#include "model.h"
#include "font.h"

struct vb_layout;

/* What the caller asks of a backend beyond the document itself; all zero
 * (or NULL) is the plain output, byte for byte what it was before. */
typedef struct vb_render_opts {
    /* PDF/A-2b (ISO 19005-2, level B; docs/pdfa.md): XMP metadata, an
     * sRGB OutputIntent, PDF 1.7.  The PDF backend only. */
    bool pdfa;
    const unsigned char *icc;  /* with pdfa: the profile (vb_pdf_icc_load), not owned */
    size_t icc_len;
} vb_render_opts;

typedef struct vb_backend {
    const char *name;          /* "pdf", "docx" */
    const char *extension;     /* ".pdf", ".docx" */
    bool (*write)(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);
    /* backends that draw pages: the same file from a layout already made
     * (vb_engine_render lays a document out once); NULL for the others */
    bool (*write_layout)(const struct vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         const vb_render_opts *opt, vb_buf *out, vb_diag *d);
} vb_backend;

bool vb_pdf_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);
bool vb_docx_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d);

/* The PDF of a layout already made; opt may be NULL. */
bool vb_pdf_write_layout(const struct vb_layout *l, const vb_doc *doc, const vb_fonts *fonts,
                         const vb_render_opts *opt, vb_buf *out, vb_diag *d);

/* Where --pdfa looks for its sRGB profile when --icc is not given: the
 * sRGB.icc of Debian's icc-profiles-free (the same path on Debian 12 and
 * 13); the build may set another with VB_SRGB_ICC. */
#ifndef VB_SRGB_ICC
#define VB_SRGB_ICC "/usr/share/color/icc/sRGB.icc"
#endif
/* Read an ICC profile for the PDF/A OutputIntent into out and check its
 * header (ICC.1 7.2): the size it gives is the file's, the signature
 * 'acsp', version 2 or 4, data colour space RGB, class display ('mntr')
 * or output ('prtr').  A file that cannot be read: VB_EXIT_SYSTEM (the
 * profile is part of the installation); one that is not such a profile:
 * VB_EXIT_INPUT; both name the file. */
bool vb_pdf_icc_load(const char *path, vb_buf *out, vb_diag *d);

extern const vb_backend vb_backends[];    /* terminated by {NULL} */
const vb_backend *vb_backend_find(const char *name);          /* "pdf" */
const vb_backend *vb_backend_for_path(const char *path);      /* by extension */

#endif
