/* table.h — the column widths of a table block, shared by the layout and
 * the DOCX writer so that both formats rule the same grid. */
#ifndef VB_TABLE_H
#define VB_TABLE_H

#include "model.h"
#include "font.h"

/* Widths in mpt of the columns of t, summing exactly to `width` (the text
 * width).  A column's natural width is its widest cell on one line, and
 * its least the widest word of its cells (a number column: its widest
 * number, never wrapped), both with the style's cell padding on either
 * side and 1 pt to spare (for the rounding of Word and LibreOffice).  When the natural widths fit, the room left goes to the text
 * columns in proportion to their natural widths (to every column when
 * there is none).  When they do not: the number columns go down to their
 * least first (their headings wrap, as little as the room left allows);
 * then the text columns wrap, each giving up a share of what it can give
 * (natural - least) in proportion to it; when even the least
 * widths do not fit, all are scaled down and words are cut. */
void vb_table_widths(const vb_doc *doc, const vb_table *t, const vb_fonts *fonts,
                     int32_t width, int32_t *out);

#endif
