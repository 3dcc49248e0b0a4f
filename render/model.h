/* model.h — the document model: what a document says, before layout.
 *
 * A document is a list of blocks.  A block is a paragraph (a zone and its
 * styled runs), a two-column row (the header, a signature row) whose two
 * cells hold paragraphs, a ruled table whose cells are paragraphs, or a
 * section break: a new page with a geometry of its own (an appendix).  Backends walk this model: the PDF backend lays it
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

/* A ruled table: header rows (repeated at the top of every page the
 * table continues on), body rows, totals rows (bold).  Every cell is one
 * paragraph (zone table_header or table_cell; empty when it has no runs);
 * a column's alignment overrides its zone's. */
typedef enum { VB_TROW_HEADER, VB_TROW_BODY, VB_TROW_TOTAL } vb_trow_kind;

typedef struct vb_trow {
    vb_trow_kind kind;
    vb_para **cell;            /* ncols paragraphs, never NULL */
} vb_trow;

typedef struct vb_table {
    int ncols;
    vb_align *align;           /* per column */
    bool *number;              /* per column: numbers (never wrapped) */
    vb_trow *rows; int nrows, caprows;   /* header rows first */
    const char *src;           /* "r.json: /resolution/body/3", for messages */
} vb_table;

typedef enum { VB_BLOCK_PARA, VB_BLOCK_ROW, VB_BLOCK_TABLE, VB_BLOCK_SECTION } vb_block_kind;

typedef struct vb_block {
    vb_block_kind kind;
    vb_para *para;             /* VB_BLOCK_PARA */
    vb_row *row;               /* VB_BLOCK_ROW */
    vb_table *table;           /* VB_BLOCK_TABLE */
    const vb_page_geom *geom;  /* VB_BLOCK_SECTION: what follows starts a new
                                  page of this geometry (the style's) */
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

/* Tables: a table block of ncols columns (left-aligned text until
 * vb_table_col says otherwise), then its rows in order; a row's cells are
 * empty paragraphs of `zone` for vb_para_value to fill. */
vb_table *vb_doc_table(vb_doc *doc, int ncols, const char *src);
void vb_table_col(vb_table *t, int col, vb_align align, bool number);
vb_trow *vb_table_row(vb_doc *doc, vb_table *t, vb_trow_kind kind, const vb_zone *zone);

/* A section break: what follows starts on a new page of `geom` (a
 * [page NAME] of the style, which outlives the document). */
void vb_doc_section(vb_doc *doc, const vb_page_geom *geom);

/* Effective flags of a run: zone flags | run flags. */
static inline unsigned vb_run_flags(const vb_para *p, const vb_run *r)
{ return p->zone->flags | r->flags; }

/* Text dump for golden tests: one line per paragraph with its zone and
 * runs, rows shown with their cells. */
void vb_doc_dump(const vb_doc *doc, FILE *out);
/* A string in a dump: " \ and line breaks escaped. */
void vb_dump_string(const char *s, FILE *out);

#endif
