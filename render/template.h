/* template.h — document templates: the content and order of one document
 * type for one convention, read from templates/<convention>/<type>.tpl at
 * run time.  Syntax in templates/README.md.
 *
 * A template is parsed once into a small tree; rendering walks it against a
 * record and appends paragraphs and rows to a vb_doc.  Record values are
 * inserted as text runs only, so no value can change the structure.
 * Template errors name file:line:column. */
#ifndef VB_TEMPLATE_H
#define VB_TEMPLATE_H

#include "vb.h"
#include "style.h"
#include "record.h"
#include "model.h"
#include "schema.h"

typedef struct vb_template vb_template;

/* Parse and check a template against a style (zones must exist) and the
 * record schema (every path must be a known field).  type is the document
 * type it is the form of: `doc.` paths read its part, `docnum` without an
 * argument prints its abbreviation; NULL for a template of no type. */
bool vb_template_load(vb_arena *a, const char *path, const vb_style *style, const vb_schema *schema,
                      const vb_doctype *type, vb_template **out, vb_diag *d);
/* Fill the template from a record into doc. */
bool vb_template_render(const vb_template *t, const vb_record *r, vb_doc *doc, vb_diag *d);

/* Limits that keep a template from running away. */
#define VB_TPL_MAX_DEPTH   32        /* nested @if/@each */
#define VB_TPL_MAX_INCLUDE 8         /* nested @include */
#define VB_TPL_MAX_PARAS   200000    /* paragraphs one render may produce */
#define VB_TPL_MAX_STEPS   ((size_t)VB_TPL_MAX_PARAS * 10)   /* nodes run and loop turns */

#endif
