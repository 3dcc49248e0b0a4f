/* model.h — the document model: what a document says, before layout.
 *
 * A document is a list of blocks.  A block is a paragraph (a zone and its
 * styled runs) or a two-column row (the header, a signature row) whose two
 * cells hold paragraphs.  Backends walk this model: the PDF backend lays it
 * out itself (layout.h); the DOCX backend writes it as WordprocessingML and
 * lets Word reflow it.  Everything lives in the document's arena. */
#ifndef VB_MODEL_H
#define VB_MODEL_H

#include <stdio.h>
#include "vb.h"
#include "style.h"

typedef struct vb_run {
    const char *text;          /* NFC UTF-8, never NULL */
    unsigned flags;            /* added to the zone's flags: VB_BOLD… */
    const char *src;           /* where a value came from ("r.json: /meeting/title"),
                                  for messages; NULL for template text */
    struct vb_run *next;
} vb_run;

typedef struct vb_para {
    const vb_zone *zone;
    vb_run *runs, *last_run;
    struct vb_para *next;
} vb_para;

typedef enum { VB_ROW_HEADER, VB_ROW_SIGNATURE } vb_row_kind;

typedef struct vb_row {
    vb_row_kind kind;
    vb_para *cell[2], *cell_last[2];   /* 0 left, 1 right */
} vb_row;

typedef enum { VB_BLOCK_PARA, VB_BLOCK_ROW } vb_block_kind;

typedef struct vb_block {
    vb_block_kind kind;
    vb_para *para;             /* VB_BLOCK_PARA */
    vb_row *row;               /* VB_BLOCK_ROW */
    struct vb_block *next;
} vb_block;

typedef struct vb_doc {
    vb_arena *arena;
    const vb_style *style;
    const char *type;          /* "resolution", "minutes" */
    /* metadata */
    const char *title;         /* e.g. "Nghị quyết về nhiệm vụ…" */
    const char *author;        /* the issuing body */
    const char *subject;
    const char *keywords;
    int64_t date;              /* creation time, Unix seconds (reproducible) */
    vb_block *first, *last;
    /* building state */
    vb_row *open_row;
    int open_cell;
} vb_doc;

vb_doc *vb_doc_new(const vb_style *style);    /* owns a fresh arena */
void vb_doc_free(vb_doc *doc);                /* frees everything */

/* Append a paragraph of `zone` to the document, or to the open row's
 * current cell. */
vb_para *vb_doc_para(vb_doc *doc, const vb_zone *zone);
/* Append text to a paragraph; adjacent runs with equal flags merge.  When
 * the zone is `upper`, the text is upper-cased here. */
void vb_para_text(vb_doc *doc, vb_para *p, const char *text, unsigned flags);
/* The same for a record value: `src` names its file and JSON path, so a
 * problem found later (a character the font lacks) can name the field.
 * Such runs are not merged with their neighbours. */
void vb_para_value(vb_doc *doc, vb_para *p, const char *text, unsigned flags, const char *src);
/* Rows: begin, choose cell 0/1 (paragraphs go there), end. */
void vb_doc_row_begin(vb_doc *doc, vb_row_kind kind);
void vb_doc_row_cell(vb_doc *doc, int cell);
void vb_doc_row_end(vb_doc *doc);

/* Effective flags of a run: zone flags | run flags. */
static inline unsigned vb_run_flags(const vb_para *p, const vb_run *r)
{ return p->zone->flags | r->flags; }

/* Text dump for golden tests: one line per paragraph with its zone and
 * runs, rows shown with their cells. */
void vb_doc_dump(const vb_doc *doc, FILE *out);
/* A string in a dump: " \ and line breaks escaped. */
void vb_dump_string(const char *s, FILE *out);

#endif
