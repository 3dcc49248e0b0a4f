/* Tables: the column fitter (vb_table_widths) on its three cases, and the
 * layout of many generated tables: no row split across pages, the header
 * rows first on every page the table continues on, every cell's text
 * inside its cell and the margins, every row boxed; the [table] keys of a
 * rule file checked with file:line; @table checked at load. */
#include "check.h"
#include "layout.h"
#include "table.h"
#include "template.h"
#include "record.h"
#include "style.h"
#include "model.h"
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static vb_schema SC;     /* the repository's record format */
static unsigned seed = 4242;
static unsigned rnd(unsigned n) { seed = seed * 1103515245u + 12345u; return (seed >> 16) % n; }

static const char *WORDS[] = { "Chi", "thường", "xuyên", "đầu", "tư", "phát", "triển", "ngân", "sách",
    "xã", "hoạt", "động", "của", "Ủy", "ban", "nhân", "dân", "Hội", "đồng", "sự", "nghiệp", "giáo", "dục" };

static char *words(vb_arena *a, int n)
{
    char *s = vb_alloc(a, (size_t)n * 16 + 1);
    for (int i = 0; i < n; i++) { if (i) strcat(s, " "); strcat(s, WORDS[rnd(sizeof WORDS / sizeof *WORDS)]); }
    return s;
}

/* A table of ncols columns, the last ones numbers; `wide` makes its text
 * long enough to wrap. */
static vb_table *make_table(vb_doc *doc, const vb_style *st, int ncols, int nrows, int wide)
{
    const vb_zone *hz = vb_style_zone(st, "table_header"), *cz = vb_style_zone(st, "table_cell");
    vb_table *t = vb_doc_table(doc, ncols, "t.json: /resolution/body/0");
    vb_trow *h = vb_table_row(doc, t, VB_TROW_HEADER, hz);
    for (int k = 0; k < ncols; k++) {
        bool num = k >= 2;
        vb_table_col(t, k, k == 0 ? VB_ALIGN_CENTER : num ? VB_ALIGN_RIGHT : VB_ALIGN_LEFT, num);
        vb_para_text(doc, h->cell[k], k == 0 ? "STT" : num ? "Dự toán năm 2025 (đồng)" : words(doc->arena, 2), 0);
    }
    for (int r = 0; r < nrows; r++) {
        vb_trow *row = vb_table_row(doc, t, r == nrows - 1 ? VB_TROW_TOTAL : VB_TROW_BODY, cz);
        for (int k = 0; k < ncols; k++) {
            char num[32];
            snprintf(num, sizeof num, "%u.%03u.000", 1 + rnd(900), rnd(1000));
            const char *text = k == 0 ? vb_sprintf(doc->arena, "%d", r + 1) : k >= 2 ? num
                             : words(doc->arena, 2 + (int)rnd((unsigned)wide));
            if (rnd(9) == 0 && k > 0) continue;    /* a blank cell */
            vb_para_text(doc, row->cell[k], text, r == nrows - 1 ? VB_BOLD : 0);
        }
    }
    return t;
}

static int32_t measure(const vb_fonts *f, const vb_para *p)
{
    int32_t w = 0, m = 0;
    if (p->runs) vb_font_measure(f, vb_face_for(vb_run_flags(p, p->runs)), p->zone->size, p->runs->text,
                                 strlen(p->runs->text), &w, &m);
    return w;
}

static void test_widths(const vb_style *st, const vb_fonts *fonts)
{
    int32_t W = st->page_w - st->margin_left - st->margin_right, w[8];
    /* fits: the room left goes to the text column; numbers stay natural */
    vb_doc *doc = vb_doc_new(st);
    vb_table *t = make_table(doc, st, 3, 5, 1);
    vb_table_widths(doc, t, fonts, W, w);
    CHECK(w[0] + w[1] + w[2] == W);
    int32_t num = 0;
    for (int r = 1; r < t->nrows; r++) { int32_t x = measure(fonts, t->rows[r].cell[2]); if (x > num) num = x; }
    CHECK(w[2] >= num + 2 * st->table_pad_x);
    CHECK(w[1] > w[0] && w[1] > w[2]);
    CHECK(w[0] >= measure(fonts, t->rows[0].cell[0]) + 2 * st->table_pad_x);
    vb_doc_free(doc);

    /* too wide: the numbers keep their widest number, the text wraps */
    doc = vb_doc_new(st);
    t = make_table(doc, st, 5, 6, 40);
    vb_table_widths(doc, t, fonts, W, w);
    int32_t sum = 0;
    for (int k = 0; k < 5; k++) sum += w[k];
    CHECK(sum == W);
    for (int k = 2; k < 5; k++) {
        int32_t widest = 0;
        for (int r = 1; r < t->nrows; r++) { int32_t x = measure(fonts, t->rows[r].cell[k]); if (x > widest) widest = x; }
        CHECK(w[k] >= widest + 2 * st->table_pad_x);
    }
    CHECK(w[1] < W / 2);   /* 40-word cells would want far more */
    vb_doc_free(doc);

    /* not even the least widths fit: everything scaled, still the text width */
    doc = vb_doc_new(st);
    t = make_table(doc, st, 8, 3, 3);
    vb_table_widths(doc, t, fonts, VB_MM(60), w);
    sum = 0;
    for (int k = 0; k < 8; k++) { sum += w[k]; CHECK(w[k] > 0); }
    CHECK(sum == VB_MM(60));
    vb_doc_free(doc);
}

/* The rows of a table laid out: frags carry line = row index. */
static void test_layout(const vb_style *st, const vb_fonts *fonts)
{
    int32_t left = st->margin_left, right = st->page_w - st->margin_right, bottom = st->page_h - st->margin_bottom;
    int split = 0, no_header = 0, outside = 0, unboxed = 0, tables = 0, continued = 0, docs = 0;
    const vb_zone *body = vb_style_zone(st, "body");
    for (int n = 0; n < 30; n++) {
        vb_doc *doc = vb_doc_new(st);
        vb_para_text(doc, vb_doc_para(doc, body), words(doc->arena, 20 + (int)rnd(300)), 0);
        int ncols = 3 + (int)rnd(3), nrows = 1 + (int)rnd(120);
        vb_table *t = make_table(doc, st, ncols, nrows, 1 + (int)rnd(25));
        vb_para_text(doc, vb_doc_para(doc, body), words(doc->arena, 30), 0);
        vb_layout *l = NULL;
        vb_diag d;
        vb_diag_init(&d);
        if (!vb_layout_run(doc, fonts, &l, &d)) { CHECK(!"a table lays out"); vb_diag_free(&d); vb_doc_free(doc); continue; }
        docs++;
        tables++;
        int *page_of = malloc((size_t)t->nrows * sizeof *page_of);
        for (int r = 0; r < t->nrows; r++) page_of[r] = -1;
        for (size_t p = 0; p < l->npages; p++) {
            const vb_page *pg = &l->pages[p];
            int first_row = -1;
            for (size_t i = 0; i < pg->nfrags; i++) {
                const vb_frag *f = &pg->frags[i];
                if (f->block != 1) continue;
                if (first_row < 0) first_row = f->line;
                /* a header frag on a later page is the repeated header */
                if (f->line > 0) {
                    if (page_of[f->line] >= 0 && page_of[f->line] != (int)p) split++;
                    page_of[f->line] = (int)p;
                }
                /* inside its cell: between two vertical rules at its baseline */
                int32_t lo = -1, hi = -1;
                for (size_t k = 0; k < pg->nrules; k++) {
                    const vb_line_seg *r = &pg->rules[k];
                    if (!r->y2 || f->y < r->y || f->y > r->y2) continue;
                    if (r->x1 <= f->x && r->x1 > lo) lo = r->x1;
                    if (r->x1 >= f->x + f->width && (hi < 0 || r->x1 < hi)) hi = r->x1;
                }
                if (lo < 0 || hi < 0 || f->x < left || f->x + f->width > right || f->y > bottom) outside++;
            }
            if (first_row >= 0 && p > 0 && first_row != 0) no_header++;
            if (first_row == 0 && p > 0) {
                /* the page starts with the header: is it a continuation? */
                bool earlier = false;
                for (int r = 1; r < t->nrows; r++) if (page_of[r] >= 0 && page_of[r] < (int)p) earlier = true;
                if (earlier) continued++;
            }
            /* every row boxed: as many horizontal rules of the table's width
             * as rows on the page, plus one */
            int rows_here = 0, hrules = 0;
            bool header_here = false;
            for (size_t i = 0; i < pg->nfrags; i++)
                if (pg->frags[i].block == 1 && pg->frags[i].line == 0) header_here = true;
            for (int r = 1; r < t->nrows; r++) if (page_of[r] == (int)p) rows_here++;
            for (size_t k = 0; k < pg->nrules; k++)
                if (!pg->rules[k].y2 && pg->rules[k].x1 == left && pg->rules[k].x2 == right) hrules++;
            if (rows_here + header_here > 0 && hrules != rows_here + header_here + 1) unboxed++;
        }
        for (int r = 1; r < t->nrows; r++) if (page_of[r] < 0 && t->rows[r].cell[0]->runs) split++;
        free(page_of);
        vb_layout_free(l);
        vb_diag_free(&d);
        vb_doc_free(doc);
    }
    printf("  %d documents, %d tables, %d continued on a later page\n", docs, tables, continued);
    CHECK(docs == 30);
    CHECK(continued > 3);    /* the generator makes tables that span pages */
    CHECK(split == 0);
    CHECK(no_header == 0);
    CHECK(outside == 0);
    CHECK(unboxed == 0);
}

/* The one row that is split: one taller than a page, between lines, every
 * piece inside the page and its cell, the header rows above each piece. */
static void test_tall_row(const vb_style *st, const vb_fonts *fonts)
{
    vb_doc *doc = vb_doc_new(st);
    vb_table *t = make_table(doc, st, 3, 4, 2);
    vb_para *p = t->rows[2].cell[1];
    p->runs = p->last_run = NULL;
    vb_para_text(doc, p, words(doc->arena, 2500), 0);
    vb_layout *l = NULL;
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_layout_run(doc, fonts, &l, &d));
    if (l) {
        int32_t bottom = st->page_h - st->margin_bottom;
        int pages_with_row = 0, past = 0, header_first = 0;
        for (size_t pg = 0; pg < l->npages; pg++) {
            bool here = false, first_seen = false;
            for (size_t i = 0; i < l->pages[pg].nfrags; i++) {
                const vb_frag *f = &l->pages[pg].frags[i];
                if (f->block != 0) continue;
                if (!first_seen) { first_seen = true; if (f->line == 0) header_first++; }
                if (f->line == 2) here = true;
                if (f->y > bottom) past++;
            }
            for (size_t k = 0; k < l->pages[pg].nrules; k++) {
                const vb_line_seg *r = &l->pages[pg].rules[k];
                if ((r->y2 ? r->y2 : r->y) > bottom) past++;
            }
            pages_with_row += here;
        }
        printf("  a row of 2500 words over %d pages\n", pages_with_row);
        CHECK(pages_with_row >= 3);
        CHECK(past == 0);
        CHECK(header_first == (int)l->npages);
    }
    vb_layout_free(l);
    vb_diag_free(&d);
    vb_doc_free(doc);
}

/* [table] keys: a bad value and an unknown key, each at its line. */
static void test_rule_file(vb_arena *a)
{
    char path[] = "/tmp/vanban-unit-table-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    const char *text = "convention = state\n[table]\nborder = 0.5pt\ncell_padding = 25mm\nbordr = 1pt\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    vb_diag d;
    vb_diag_init(&d);
    vb_style st;
    CHECK(!vb_style_load(a, path, &st, &d));
    CHECK(d.n == 2);
    char want[160];
    snprintf(want, sizeof want, "%s:4: expected a length from 0 to 20mm, got 25mm", path);
    CHECK_STR(d.n > 0 ? d.items[0].msg : NULL, want);
    snprintf(want, sizeof want, "%s:5: unknown [table] key bordr", path);
    CHECK_STR(d.n > 1 ? d.items[1].msg : NULL, want);
    unlink(path);
    vb_diag_free(&d);
}

static void test_template(vb_arena *a, const vb_style *st)
{
    struct { const char *tpl, *want; } cases[] = {
        { "@each b in resolution.body\n@table b\n@end\n", NULL },
        { "@table resolution.signature\n", "x.tpl:1:8: unknown field \"resolution.signature.columns\" (not in the record format)" },
        { "@table resolution.body.0|upper\n", "x.tpl:1:25: unexpected text after the table's path" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *f = fopen("x.tpl", "w");
        CHECK(f != NULL);
        if (!f) return;
        fputs(cases[i].tpl, f);
        fclose(f);
        vb_diag d;
        vb_diag_init(&d);
        vb_template *t = NULL;
        bool ok = vb_template_load(a, "x.tpl", st, &SC, NULL, &t, &d);
        if (!cases[i].want) CHECK(ok);
        else CHECK_STR(!ok && d.n ? d.items[0].msg : NULL, cases[i].want);
        vb_diag_free(&d);
    }
    /* a rule file without the table zones: @table says which it needs */
    FILE *f = fopen("x.tpl", "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs(cases[0].tpl, f);
    fclose(f);
    vb_style bare = *st;
    bare.nzones = 0;
    vb_diag d;
    vb_diag_init(&d);
    vb_template *t = NULL;
    CHECK(!vb_template_load(a, "x.tpl", &bare, &SC, NULL, &t, &d));
    bool named = false;
    for (size_t k = 0; k < d.n; k++) if (strstr(d.items[k].msg, "@table needs the zones table_header and table_cell")) named = true;
    CHECK(named);
    vb_diag_free(&d);
    unlink("x.tpl");
}

/* The record reader: a table block's derived fields, its numbers printed
 * the Vietnamese way, and its errors with the path of the cell. */
static void test_record(void)
{
    static const char *head =
        "{\"convention\":\"state\",\"issuer\":{\"name\":\"Hội đồng nhân dân xã An Bình\",\"code\":\"HĐND\"},"
        "\"place\":\"An Bình\",\"resolution\":{\"date\":\"2024-12-20\",\"subject\":\"về dự toán\","
        "\"signature\":{\"position\":\"Chủ tịch\",\"name\":\"A\"},\"body\":[";
    struct { const char *body, *want; } bad[] = {
        { "{\"columns\":[{\"title\":\"A\"}],\"rows\":[[\"x\",\"y\"]]}",
          "t.json: /resolution/body/0/rows/0: 2 cells, but the table has 1 column" },
        { "{\"columns\":[{\"title\":\"A\",\"kind\":\"number\"}],\"rows\":[[\"12a\"]]}",
          "t.json: /resolution/body/0/rows/0/0: expected a number (column 1, \"A\", is a number column), got \"12a\"" },
        { "{\"columns\":[{\"title\":\"A\"}],\"rows\":[]}", "t.json: /resolution/body/0/rows: must not be empty" },
        { "{\"columns\":[{\"title\":\"A\"}],\"rows\":[[]]}", "t.json: /resolution/body/0/rows/0: must not be empty" },
        { "{\"columns\":[{\"title\":\"A\"}]}", "t.json: /resolution/body/0/rows: required field is missing (a table needs rows)" },
        { "{\"paragraph\":\"p\",\"rows\":[[1]]}", "t.json: /resolution/body/0/rows: only a table (a block with \"columns\") has rows" },
        { "{\"columns\":[{\"title\":\"A\",\"decimals\":2}],\"rows\":[[1]]}",
          "t.json: /resolution/body/0/columns/0/decimals: only a number column has decimals" },
        { "{\"columns\":[{\"title\":\"A\"}],\"header_rows\":2,\"rows\":[[1]]}",
          "t.json: /resolution/body/0/header_rows: 2 header rows leave no row of the table's body (it has 1 rows)" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vb_arena *a = vb_arena_new();
        char *json = vb_sprintf(a, "%s%s]}}", head, bad[i].body);
        vb_record r;
        vb_diag d;
        vb_diag_init(&d);
        bool ok = vb_record_parse(&SC, a, "t.json", 0, json, strlen(json), &r, &d);
        const char *got = NULL;
        for (size_t k = 0; k < d.n; k++) if (d.items[k].sev == VB_ERROR) { got = d.items[k].msg; break; }
        CHECK(!ok);
        CHECK_STR(got, bad[i].want);
        vb_diag_free(&d);
        vb_arena_free(a);
    }
    vb_arena *a = vb_arena_new();
    char *json = vb_sprintf(a, "%s%s]}}", head,
        "{\"columns\":[{\"title\":\"STT\"},{\"title\":\"Số tiền\",\"kind\":\"number\"},"
        "{\"title\":\"%\",\"kind\":\"number\",\"decimals\":2}],"
        "\"rows\":[[1,1250000000,7.5],[2,-1234,null],[\"3\",\"\",100]],\"totals\":[[\"\",1249998766]]}");
    vb_record r;
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_record_parse(&SC, a, "t.json", 0, json, strlen(json), &r, &d));
    if (d.n) vb_diag_print(&d, stderr);
    const vb_value *b = vb_value_path(r.root, "resolution.body");
    const vb_value *t = b && b->kind == VB_LIST && b->n ? b->items[0] : NULL;
    CHECK_STR(t ? vb_value_path(t, "kind")->s : NULL, "table");
    const vb_value *hr = t ? vb_value_path(t, "header_rows") : NULL;
    CHECK(hr && hr->kind == VB_INT && hr->i == 1);
    const vb_value *rows = t ? vb_value_path(t, "rows") : NULL, *tot = t ? vb_value_path(t, "totals") : NULL;
    const char *want[3][3] = { { "1", "1.250.000.000", "7,50" }, { "2", "-1.234", "" }, { "3", "", "100,00" } };
    for (int i = 0; rows && i < 3; i++)
        for (int k = 0; k < 3; k++) CHECK_STR(rows->items[i]->items[k]->s, want[i][k]);
    CHECK(tot && tot->items[0]->n == 3);       /* padded to the columns */
    CHECK_STR(tot ? tot->items[0]->items[1]->s : NULL, "1.249.998.766");
    CHECK_STR(t ? vb_value_path(t, "columns.1.align")->s : NULL, "right");
    CHECK_STR(t ? vb_value_path(t, "columns.0.align")->s : NULL, "left");
    CHECK(vb_schema_known_path(&SC, "resolution.body.*.rows.*.*"));
    vb_diag_free(&d);
    vb_arena_free(a);
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_schema_load(a, ".", &SC, &d));
    vb_style st;
    CHECK(vb_style_load(a, "templates/state/style", &st, &d));
    CHECK(st.table_border == 500 && st.table_pad_x == VB_MM(1.5));
    vb_fonts *fonts = NULL;
    CHECK(vb_fonts_open("fonts", "Times New Roman", &fonts, &d));
    if (!fonts) return CHECK_DONE("table");
    test_record();
    test_widths(&st, fonts);
    test_layout(&st, fonts);
    test_tall_row(&st, fonts);
    test_rule_file(a);
    test_template(a, &st);
    vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("table");
}
