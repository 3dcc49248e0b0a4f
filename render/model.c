/* model.c — building and dumping the document model. */
#include "model.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

vb_doc *vb_doc_new(const vb_style *style)
{
    vb_arena *a = vb_arena_new();
    vb_doc *doc = vb_alloc(a, sizeof *doc);
    doc->arena = a;
    doc->style = style;
    doc->open_cell = -1;
    return doc;
}

void vb_doc_free(vb_doc *doc)
{
    if (doc) vb_arena_free(doc->arena);
}

static void add_block(vb_doc *doc, vb_block *b)
{
    if (doc->last) doc->last->next = b; else doc->first = b;
    doc->last = b;
}

vb_para *vb_doc_para(vb_doc *doc, const vb_zone *zone)
{
    vb_para *p = vb_alloc(doc->arena, sizeof *p);
    p->zone = zone;
    if (doc->open_row && doc->open_cell >= 0) {
        int c = doc->open_cell;
        vb_row *r = doc->open_row;
        if (r->cell_last[c]) r->cell_last[c]->next = p; else r->cell[c] = p;
        r->cell_last[c] = p;
    } else {
        vb_block *b = vb_alloc(doc->arena, sizeof *b);
        b->kind = VB_BLOCK_PARA;
        b->para = p;
        add_block(doc, b);
    }
    return p;
}

void vb_para_value(vb_doc *doc, vb_para *p, const char *text, unsigned flags, const char *src)
{
    if (!text || !*text) return;
    if (p->zone->upper) text = vb_upper(doc->arena, text);
    vb_run *last = p->last_run;
    if (last && last->flags == flags && !last->src && !src) {
        last->text = vb_sprintf(doc->arena, "%s%s", last->text, text);
        return;
    }
    vb_run *r = vb_alloc(doc->arena, sizeof *r);
    r->text = vb_strdup(doc->arena, text);
    r->flags = flags;
    r->src = src ? vb_strdup(doc->arena, src) : NULL;
    if (last) last->next = r; else p->runs = r;
    p->last_run = r;
}

void vb_para_text(vb_doc *doc, vb_para *p, const char *text, unsigned flags)
{
    vb_para_value(doc, p, text, flags, NULL);
}

void vb_doc_row_begin(vb_doc *doc, vb_row_kind kind)
{
    vb_row *r = vb_alloc(doc->arena, sizeof *r);
    r->kind = kind;
    vb_block *b = vb_alloc(doc->arena, sizeof *b);
    b->kind = VB_BLOCK_ROW;
    b->row = r;
    add_block(doc, b);
    doc->open_row = r;
    doc->open_cell = 0;
}

void vb_doc_row_cell(vb_doc *doc, int cell) { if (doc->open_row) doc->open_cell = cell ? 1 : 0; }
void vb_doc_row_end(vb_doc *doc) { doc->open_row = NULL; doc->open_cell = -1; }

vb_table *vb_doc_table(vb_doc *doc, int ncols, const char *src)
{
    vb_table *t = vb_alloc(doc->arena, sizeof *t);
    t->ncols = ncols;
    t->align = vb_alloc(doc->arena, (size_t)ncols * sizeof *t->align);
    t->number = vb_alloc(doc->arena, (size_t)ncols * sizeof *t->number);
    for (int i = 0; i < ncols; i++) { t->align[i] = VB_ALIGN_LEFT; t->number[i] = false; }
    t->src = src ? vb_strdup(doc->arena, src) : NULL;
    vb_block *b = vb_alloc(doc->arena, sizeof *b);
    b->kind = VB_BLOCK_TABLE;
    b->table = t;
    add_block(doc, b);
    return t;
}

void vb_doc_section(vb_doc *doc, const vb_page_geom *geom)
{
    vb_block *b = vb_alloc(doc->arena, sizeof *b);
    b->kind = VB_BLOCK_SECTION;
    b->geom = geom;
    add_block(doc, b);
}

void vb_table_col(vb_table *t, int col, vb_align align, bool number)
{
    if (col < 0 || col >= t->ncols) return;
    t->align[col] = align;
    t->number[col] = number;
}

vb_trow *vb_table_row(vb_doc *doc, vb_table *t, vb_trow_kind kind, const vb_zone *zone)
{
    if (t->nrows == t->caprows) {
        int cap = t->caprows ? t->caprows * 2 : 16;
        vb_trow *n = vb_alloc(doc->arena, (size_t)cap * sizeof *n);
        if (t->nrows) memcpy(n, t->rows, (size_t)t->nrows * sizeof *n);
        t->rows = n;
        t->caprows = cap;
    }
    vb_trow *r = &t->rows[t->nrows++];
    r->kind = kind;
    r->cell = vb_alloc(doc->arena, (size_t)t->ncols * sizeof *r->cell);
    for (int i = 0; i < t->ncols; i++) {
        r->cell[i] = vb_alloc(doc->arena, sizeof *r->cell[i]);
        r->cell[i]->zone = zone;
    }
    return r;
}

/* A string as the dumps show it: \" \\ \n \t escaped, so that one
 * paragraph is always one line of the dump. */
void vb_dump_string(const char *s, FILE *out)
{
    for (; *s; s++) {
        switch (*s) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        default: fputc(*s, out);
        }
    }
}

static void dump_para(const vb_para *p, const char *indent, FILE *out)
{
    fprintf(out, "%s%s:", indent, p->zone->name);
    /* neighbouring runs of one style print as one string */
    for (const vb_run *r = p->runs; r; ) {
        fputc(' ', out);
        if (r->flags) fprintf(out, "[%s%s%s]", r->flags & VB_BOLD ? "b" : "", r->flags & VB_ITALIC ? "i" : "",
                              r->flags & VB_UNDERLINE ? "u" : "");
        fputc('"', out);
        unsigned fl = r->flags;
        for (; r && r->flags == fl; r = r->next) vb_dump_string(r->text, out);
        fputc('"', out);
    }
    fputc('\n', out);
}

void vb_doc_dump(const vb_doc *doc, FILE *out)
{
    fprintf(out, "document %s (%s)\n", doc->type ? doc->type : "?", doc->style->name ? doc->style->name : "?");
    if (doc->title) fprintf(out, "title: %s\n", doc->title);
    if (doc->author) fprintf(out, "author: %s\n", doc->author);
    for (const vb_block *b = doc->first; b; b = b->next) {
        if (b->kind == VB_BLOCK_PARA) { dump_para(b->para, "", out); continue; }
        if (b->kind == VB_BLOCK_SECTION) {
            const vb_page_geom *g = b->geom;
            fprintf(out, "section %s %.2fx%.2fmm margins %.2f %.2f %.2f %.2f\n", g->name, vb_to_mm(g->width),
                    vb_to_mm(g->height), vb_to_mm(g->margin_top), vb_to_mm(g->margin_right), vb_to_mm(g->margin_bottom),
                    vb_to_mm(g->margin_left));
            continue;
        }
        if (b->kind == VB_BLOCK_TABLE) {
            static const char al[] = "lcrj";
            const vb_table *t = b->table;
            fprintf(out, "table %d columns:", t->ncols);
            for (int i = 0; i < t->ncols; i++) fprintf(out, " %c%s", al[t->align[i]], t->number[i] ? "#" : "");
            fputc('\n', out);
            for (int r = 0; r < t->nrows; r++) {
                static const char *const kinds[] = { "header", "body", "total" };
                fprintf(out, "  row %s\n", kinds[t->rows[r].kind]);
                for (int i = 0; i < t->ncols; i++) dump_para(t->rows[r].cell[i], "    ", out);
            }
            continue;
        }
        fprintf(out, "row %s\n", b->row->kind == VB_ROW_HEADER ? "header" : "signature");
        for (int c = 0; c < 2; c++) {
            fprintf(out, "  cell %s\n", c ? "right" : "left");
            for (const vb_para *p = b->row->cell[c]; p; p = p->next) dump_para(p, "    ", out);
        }
    }
}
