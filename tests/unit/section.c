/* Sections: a rule file's [page NAME] geometries, and documents whose
 * pages differ (an appendix in landscape).  Each page knows its size and
 * margins; a section break starts a new page even with room left; every
 * line stays inside its own page's margins; justified lines reach its own
 * right margin; page numbers run on, centred over each page's own text
 * block; the PDF gives each page its own MediaBox. */
#include "check.h"
#include "layout.h"
#include "style.h"
#include "model.h"
#include "font.h"
#include "backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *TEXT = "Ủy ban nhân dân xã tổ chức thực hiện kế hoạch đầu tư công năm 2025; giải ngân vốn "
    "đúng tiến độ, quản lý chất lượng công trình, công khai danh mục và vốn bố trí cho từng công trình tại các thôn.";

/* The rule files of the repository: [page appendix] is [page] itself,
 * [page landscape] is A4 turned, with [page]'s margins. */
static void test_rule_files(vb_arena *a)
{
    const char *files[] = { "templates/state/style", "templates/party/style" };
    for (int i = 0; i < 2; i++) {
        vb_diag d;
        vb_diag_init(&d);
        vb_style st;
        CHECK(vb_style_load(a, files[i], &st, &d));
        const vb_page_geom *ap = vb_style_page(&st, "appendix"), *ls = vb_style_page(&st, "landscape");
        CHECK(ap && ls && !vb_style_page(&st, "sideways") && !vb_style_page(&st, ""));
        vb_page_geom g = vb_style_geom(&st);
        if (ap) CHECK(ap->width == g.width && ap->height == g.height && ap->margin_left == g.margin_left &&
                      ap->margin_top == g.margin_top && ap->page_number_y == g.page_number_y);
        if (ls) CHECK(ls->width == g.height && ls->height == g.width && ls->margin_left == g.margin_left &&
                      ls->margin_right == g.margin_right && ls->margin_top == g.margin_top &&
                      ls->margin_bottom == g.margin_bottom);
        CHECK_STR(st.num_appendix, "Phụ lục %R");
        CHECK_STR(st.num_appendix_single, "Phụ lục");
        vb_diag_free(&d);
    }
}

/* Mistakes in [page NAME] are named by file:line. */
static void test_rule_errors(vb_arena *a)
{
    struct { const char *text, *want; } cases[] = {
        { "convention = state\n[page wide]\nwidht = 297mm\n", "%s:3: unknown [page wide] key widht" },
        { "convention = state\n[page wide]\nwidth = 297mm\n[page wide]\n", "%s:4: page section defined twice: wide" },
        { "convention = state\n[page]\nmargin_left = 30mm\n[page narrow]\nwidth = 60mm\n",
          "%s:4: [page narrow]: margins leave no room for text" },
        { "convention = state\n[page two words]\n", "%s:2: [page NAME] takes one word, got page two words" },
        { "convention = state\n[page wide]\nheight = 12 furlongs\n", "%s:3: expected a length such as 20mm, got 12 furlongs" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[] = "/tmp/vanban-unit-section-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        if (fd < 0) return;
        CHECK(write(fd, cases[i].text, strlen(cases[i].text)) == (ssize_t)strlen(cases[i].text));
        close(fd);
        vb_diag d;
        vb_diag_init(&d);
        vb_style st;
        CHECK(!vb_style_load(a, path, &st, &d));
        char want[256];
        snprintf(want, sizeof want, cases[i].want, path);
        CHECK_STR(d.n > 0 ? d.items[0].msg : NULL, want);
        unlink(path);
        vb_diag_free(&d);
    }
    /* keys a section leaves out are [page]'s, wherever [page] stands */
    char path[] = "/tmp/vanban-unit-section-XXXXXX";
    int fd = mkstemp(path);
    const char *text = "convention = party\n[page wide]\nwidth = 297mm\n[page]\nmargin_left = 25mm\npage_number_y = 11mm\n";
    CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    if (fd >= 0) close(fd);
    vb_diag d;
    vb_diag_init(&d);
    vb_style st;
    CHECK(vb_style_load(a, path, &st, &d));
    const vb_page_geom *w = vb_style_page(&st, "wide");
    CHECK(w && w->width == VB_MM(297) && w->height == VB_MM(297) && w->margin_left == VB_MM(25) &&
          w->page_number_y == VB_MM(11));
    unlink(path);
    vb_diag_free(&d);
}

static int32_t frag_end(const vb_frag *f) { return f->x + f->width; }

/* One portrait page of text, a landscape section of two pages or more, a
 * portrait appendix of one paragraph, and a section with nothing in it. */
static void test_layout(const vb_style *st, const vb_fonts *fonts)
{
    const vb_page_geom *ls = vb_style_page(st, "landscape"), *ap = vb_style_page(st, "appendix");
    if (!ls || !ap) { CHECK(!"the rule file has [page landscape] and [page appendix]"); return; }
    const vb_zone *body = vb_style_zone(st, "body");
    vb_doc *doc = vb_doc_new(st);
    vb_para_text(doc, vb_doc_para(doc, body), TEXT, 0);
    vb_doc_section(doc, ls);
    for (int i = 0; i < 24; i++) vb_para_text(doc, vb_doc_para(doc, body), TEXT, 0);
    vb_doc_section(doc, ap);
    vb_para_text(doc, vb_doc_para(doc, body), TEXT, 0);
    vb_doc_section(doc, ls);
    vb_layout *l = NULL;
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_layout_run(doc, fonts, &l, &d));
    if (!l) { vb_diag_free(&d); vb_doc_free(doc); return; }
    CHECK(l->npages >= 5);
    size_t n = l->npages;
    /* the first page holds one paragraph only: the section starts a new page */
    CHECK(l->pages[0].geom.width == st->page_w && l->pages[0].geom.height == st->page_h);
    for (size_t p = 1; p + 2 < n; p++) CHECK(l->pages[p].geom.width == ls->width && l->pages[p].geom.height == ls->height);
    CHECK(l->pages[n - 2].geom.width == ap->width && l->pages[n - 2].geom.height == ap->height);
    CHECK(l->pages[n - 1].geom.width == ls->width && l->pages[n - 1].nfrags == 1);   /* its number only */
    int32_t tol = 50;   /* mpt */
    for (size_t p = 0; p < n; p++) {
        const vb_page *pg = &l->pages[p];
        const vb_page_geom *g = &pg->geom;
        int32_t right = g->width - g->margin_right, bottom = g->height - g->margin_bottom, reach = 0;
        int nums = 0;
        for (size_t k = 0; k < pg->nfrags; k++) {
            const vb_frag *f = &pg->frags[k];
            if (f->block < 0) {
                /* the page number: this page's, centred over this page's text block */
                char want[24];
                snprintf(want, sizeof want, "%zu", p + 1);
                CHECK_STR(f->text, want);
                int32_t mid = g->margin_left + (g->width - g->margin_left - g->margin_right) / 2;
                CHECK(abs(f->x + f->width / 2 - mid) <= 1 && f->y == g->page_number_y);
                nums++;
                continue;
            }
            if (!(f->x >= g->margin_left - tol && frag_end(f) <= right + tol && f->y > g->margin_top && f->y <= bottom)) {
                CHECK(!"every line inside its own page's margins");
                fprintf(stderr, "  page %zu: \"%s\" at x %d..%d y %d\n", p + 1, f->text, f->x, frag_end(f), f->y);
            }
            if (frag_end(f) > reach) reach = frag_end(f);
        }
        CHECK(nums == (p == 0 ? 0 : 1));
        /* justified lines reach the page's own right margin */
        if (pg->nfrags > 1) CHECK(abs(reach - right) <= tol);
    }
    /* the PDF: a MediaBox for each page, its own size */
    vb_buf pdf = {0};
    CHECK(vb_pdf_write_layout(l, doc, fonts, NULL, &pdf, &d));
    /* compressed streams hold NUL bytes: search the whole buffer */
    size_t por = 0, land = 0;
    const char *end = pdf.data + pdf.len, *pk = "/MediaBox [0 0 595.276 841.89]", *lk = "/MediaBox [0 0 841.89 595.276]";
    for (const char *q = pdf.data; q && (q = memmem(q, (size_t)(end - q), pk, strlen(pk))); q++) por++;
    for (const char *q = pdf.data; q && (q = memmem(q, (size_t)(end - q), lk, strlen(lk))); q++) land++;
    CHECK(por == 2 && land == n - 2);
    if (por != 2 || land != n - 2) fprintf(stderr, "  MediaBox: %zu portrait, %zu landscape of %zu pages\n", por, land, n);
    vb_buf_free(&pdf);
    /* the dump names each page's size */
    char *dump = NULL;
    size_t dlen = 0;
    FILE *f = open_memstream(&dump, &dlen);
    vb_layout_dump(l, f);
    fclose(f);
    CHECK(strstr(dump, "page 1 210.00x297.00mm\n") && strstr(dump, "page 2 297.00x210.00mm\n"));
    free(dump);
    vb_layout_free(l);
    vb_diag_free(&d);
    vb_doc_free(doc);
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    test_rule_files(a);
    test_rule_errors(a);
    vb_style st;
    CHECK(vb_style_load(a, "templates/state/style", &st, &d));
    vb_fonts *fonts = NULL;
    CHECK(vb_fonts_open("fonts", "Times New Roman", &fonts, &d));
    if (fonts) test_layout(&st, fonts);
    vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("section");
}
