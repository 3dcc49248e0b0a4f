/* layout.h — our own typesetting of a document model into pages.
 *
 * Lines are broken at Unicode line-break opportunities (UAX #14 through
 * ICU, or a fast path for plain text that agrees with it), measured with
 * FreeType metrics; a word wider than the line is split between
 * characters.  Justified paragraphs are broken by total fit or greedily as
 * the rule file's `breaking` says (other zones greedily), and justified by
 * widening word spaces (or, under total fit, narrowing them; the last line
 * of a paragraph is left-aligned); VANBAN_LINE_STATS=FILE appends what
 * every justified line did to FILE (docs/batch.md); headings keep
 * with the next lines; no single widow or orphan line; the signature row is
 * never alone on a page; a table's rows are never split, and its header
 * rows open every page it continues on; a section break (an appendix)
 * starts a new page of its own geometry, page numbers running on.  All positions are integer mpt from the top-left
 * corner of the page; y is the text baseline. */
#ifndef VB_LAYOUT_H
#define VB_LAYOUT_H

#include <stdio.h>
#include "model.h"
#include "font.h"

typedef struct vb_frag {       /* a piece of text set in one face and size */
    int32_t x, y;              /* left end of the baseline */
    int32_t width;             /* its advance width */
    int32_t size;
    vb_face face;
    const char *text;          /* NUL-terminated, may end with one space */
    int32_t block;             /* which block of the model (0-based; -1: page number) */
    int32_t line;              /* which line of its paragraph (rows: 0) */
} vb_frag;

typedef struct vb_line_seg {   /* a rule: a straight stroke */
    int32_t x1, x2, y;         /* horizontal: y = centre of the stroke */
    int32_t width;             /* stroke width */
    int32_t y2;                /* 0: horizontal; else vertical, at x1 == x2
                                  from y down to y2 (table borders) */
} vb_line_seg;

typedef struct vb_page {
    vb_page_geom geom;         /* its size and margins (width 0: the layout's
                                  page_w x page_h, for pages made by hand) */
    vb_frag *frags;  size_t nfrags, capf;
    vb_line_seg *rules; size_t nrules, capr;
} vb_page;

typedef struct vb_layout {
    vb_arena *arena;           /* owned */
    int32_t page_w, page_h;    /* of the first page; an appendix's pages may differ */
    vb_page *pages; size_t npages, cap;
} vb_layout;

/* The most pages one document may have: beyond it the layout stops with a
 * clear error instead of running on (a 4 MiB record makes about 1,000). */
#define VB_MAX_PAGES 2000

/* Where a line may start in text[0..len] (NUL-terminated): marks[i] = 1
 * at each break opportunity, marks[0] and marks[len] included (len + 1
 * bytes).  From the Unicode rules through ICU, or, for plain text
 * (letters, digits, spaces, , . ; :, a dash alone, a percent after a
 * digit) and icu_only false, from a fast path that must agree with ICU;
 * tests compare the two. */
void vb_break_opportunities(const char *text, size_t len, bool icu_only, unsigned char *marks);

/* Lay the document out.  Fails (VB_EXIT_INPUT) when a character is not in
 * the font, naming it and the font file, or past VB_MAX_PAGES pages. */
bool vb_layout_run(const vb_doc *doc, const vb_fonts *fonts, vb_layout **out, vb_diag *d);
void vb_layout_free(vb_layout *l);
/* Text dump: "page N" then one line per fragment and rule, in mm with two
 * decimals; exact and stable for golden tests. */
void vb_layout_dump(const vb_layout *l, FILE *out);

/* Where the lines of paragraph p start when it is set in a column `colw`
 * wide, as the layout sets it: byte offsets into its runs' text joined
 * (in order), starts[0] = 0.  Fills at most `max` of them and returns
 * the number of lines.  The DOCX writer puts a line break at each, for
 * header names (name_breaks), so Word breaks them where the PDF does. */
int vb_line_starts(const vb_doc *doc, const vb_para *p, const vb_fonts *fonts, int32_t colw, size_t *starts, int max);

/* The two columns of a row, in mpt from the left margin: the left cell is
 * [0, *left_w] and the right cell [*right_x, text width].  Header rows
 * share one split, fitted so that every nowrap line (title, motto, number,
 * date line) is one line in its column and the texts of the two columns
 * stand at least header_min_gap apart; body names wrap balanced, as few
 * lines as can be (zones with name_breaks: before the unit word, never
 * inside a fixed phrase), the split as near header_left as that allows (within
 * header_left_min and header_left_max); right_x > left_w when the texts
 * need a gutter to keep header_min_gap.  Signature rows use the style's
 * signature_left.  Both backends use this, so PDF and DOCX agree. */
void vb_row_columns(const vb_doc *doc, const vb_row *row, const vb_fonts *fonts,
                    int32_t *left_w, int32_t *right_x);
/* Whether the header can be fitted; if not (a place name too long for any
 * column) adds the error (VB_EXIT_INPUT) naming the record field and the
 * widths, as vb_layout_run does.  For the DOCX writer, which lays out
 * nothing itself. */
bool vb_header_fits(const vb_doc *doc, const vb_fonts *fonts, vb_diag *d);

/* The space the layout reserved for the signature and the seal (Decree
 * 30 Appendix I, ô 7c and 8): in the right cell of the last signature
 * row, between the signer's position line (its descender) and name line
 * (its ascender) -- the largest gap between two lines of that cell, which
 * the sig_name zone's space_before makes.  *page is 0-based; box is x, y
 * (top), w, h in mpt from the top left corner of the page.  False when the
 * document has no signature row with two lines in its right cell. */
bool vb_layout_signature_box(const vb_doc *doc, const vb_layout *l, const vb_fonts *fonts,
                             int *page, int32_t box[4]);

#endif
