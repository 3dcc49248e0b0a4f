/* table.c — fitting a table's columns to the text width (see table.h). */
#include "table.h"

#include <stdlib.h>
#include <string.h>

/* Natural width of a cell on one line, and its widest word (at spaces). */
static void cell_widths(const vb_para *p, const vb_fonts *fonts, int32_t *nat, int32_t *word)
{
    int32_t line = 0, w = 0;
    *word = 0;
    for (const vb_run *r = p->runs; r; r = r->next) {
        vb_face face = vb_face_for(vb_run_flags(p, r));
        const char *s = r->text;
        while (*s) {
            size_t n = strcspn(s, " ");
            int32_t piece = 0, miss = 0;
            /* a character the font lacks is reported by the layout */
            vb_font_measure(fonts, face, p->zone->size, s, n, &piece, &miss);
            w += piece;
            line += piece;
            if (w > *word) *word = w;
            s += n;
            if (*s == ' ') {
                int32_t sp = 0;
                vb_font_measure(fonts, face, p->zone->size, " ", 1, &sp, &miss);
                line += sp;
                w = 0;
                s++;
            }
        }
    }
    *nat = line;
}

void vb_table_widths(const vb_doc *doc, const vb_table *t, const vb_fonts *fonts,
                     int32_t width, int32_t *out)
{
    int n = t->ncols;
    if (n <= 0) return;
    /* a point to spare, so that Word's and LibreOffice's rounding never
     * wraps a cell the layout sets on one line */
    int32_t pad = 2 * doc->style->table_pad_x + VB_PT;
    int64_t *nat = calloc((size_t)n, sizeof *nat), *least = calloc((size_t)n, sizeof *least);
    if (!nat || !least) abort();
    for (int k = 0; k < n; k++) {
        for (int r = 0; r < t->nrows; r++) {
            int32_t cn, cw;
            cell_widths(t->rows[r].cell[k], fonts, &cn, &cw);
            if (cn > nat[k]) nat[k] = cn;
            /* numbers are never wrapped; headings over them are */
            if (t->number[k] && t->rows[r].kind != VB_TROW_HEADER) cw = cn;
            if (cw > least[k]) least[k] = cw;
        }
        nat[k] += pad;
        least[k] += pad;
        if (least[k] > nat[k]) least[k] = nat[k];
    }
    int64_t sum_nat = 0, sum_least = 0, text_nat = 0, text_least = 0, num_nat = 0, num_least = 0;
    for (int k = 0; k < n; k++) {
        sum_nat += nat[k];
        sum_least += least[k];
        if (t->number[k]) { num_nat += nat[k]; num_least += least[k]; }
        else { text_nat += nat[k]; text_least += least[k]; }
    }
    int64_t sum = 0;
    if (sum_nat <= width) {
        int64_t extra = width - sum_nat, base = text_nat ? text_nat : sum_nat;
        for (int k = 0; k < n; k++) {
            bool gets = !text_nat || !t->number[k];
            out[k] = (int32_t)(nat[k] + (gets && base ? extra * nat[k] / base : 0));
        }
    } else if (num_least + text_nat <= width) {
        /* the text on one line; the headings over the numbers wrap, as
         * little as the room left allows */
        int64_t room = width - num_least - text_nat, slack = num_nat - num_least;
        for (int k = 0; k < n; k++)
            out[k] = (int32_t)(!t->number[k] ? nat[k] :
                               least[k] + (slack ? (nat[k] - least[k]) * room / slack : 0));
    } else if (sum_least <= width) {
        /* numbers at their least; the text columns wrap, each giving up a
         * share of what it can give */
        int64_t excess = num_least + text_nat - width, slack = text_nat - text_least;
        for (int k = 0; k < n; k++)
            out[k] = (int32_t)(t->number[k] ? least[k] :
                               nat[k] - (slack ? (nat[k] - least[k]) * excess / slack : 0));
    } else {
        for (int k = 0; k < n; k++) out[k] = (int32_t)(least[k] * width / sum_least);
    }
    /* rounding: the widest column takes the last few mpt */
    int wide = 0;
    for (int k = 0; k < n; k++) { sum += out[k]; if (out[k] > out[wide]) wide = k; }
    out[wide] += (int32_t)(width - sum);
    free(nat);
    free(least);
}
