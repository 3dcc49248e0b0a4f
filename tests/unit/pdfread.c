/* unit-pdfread — the PDF reader (pdfread.h) on syntax it must get right,
 * a qpdf file with object and cross-reference streams (PNG predictor),
 * files it must refuse; and vb_layout_signature_box on a sample. */
#include "check.h"
#include "pdfread.h"
#include "engine.h"
#include "layout.h"
#include "record.h"
#include "schema.h"

#include <stdio.h>
#include <string.h>

/* a one-object file: "1 0 obj BODY endobj", a correct xref and trailer */
static size_t one_object(char *buf, size_t cap, const char *body, const char *trailer_extra)
{
    int n = snprintf(buf, cap, "%%PDF-1.7\n1 0 obj\n%s\nendobj\n", body);
    size_t x = (size_t)n;
    n += snprintf(buf + n, cap - (size_t)n, "xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
                  "trailer\n<< /Size 2 /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n", trailer_extra, x);
    return (size_t)n;
}

static void syntax(void)
{
    char buf[2048];
    size_t len = one_object(buf, sizeof buf,
        "<< /Type /Catalog /A#20B (x\\(y\\)\\101\\\nz) /H <4142 43> /Arr [1 -2.50 /N [true false null] << /K 3 0 R >>] "
        "/Ref 7 0 R /E << >> >>", "");
    vb_diag d;
    vb_diag_init(&d);
    vb_pdfr *r;
    CHECK(vb_pdfr_open("t.pdf", (const unsigned char *)buf, len, &r, &d));
    if (!r) return;
    const vb_pv *o = vb_pdfr_object(r, 1, &d);
    CHECK(o && o->kind == VB_PV_DICT && o->len == 6);
    const vb_pv *v = vb_pv_get(o, "A B");                       /* #20 is a space */
    CHECK(v && v->kind == VB_PV_STR && v->len == 6 && !memcmp(v->s, "x(y)Az", 6));   /* \101 = A, \<newline> nothing */
    v = vb_pv_get(o, "H");
    CHECK(v && v->kind == VB_PV_STR && v->len == 3 && !memcmp(v->s, "ABC", 3));
    v = vb_pv_get(o, "Arr");
    CHECK(v && v->kind == VB_PV_ARRAY && v->len == 5);
    if (v && v->len == 5) {
        CHECK(v->items[1]->kind == VB_PV_NUM && v->items[1]->num == -2.5);
        CHECK_STR(v->items[1]->raw, "-2.50");                  /* written back as read */
        CHECK(v->items[2]->kind == VB_PV_NAME && !strcmp(v->items[2]->s, "N"));
        CHECK(v->items[3]->kind == VB_PV_ARRAY && v->items[3]->len == 3);
        CHECK(v->items[4]->kind == VB_PV_DICT && vb_pv_get(v->items[4], "K")->ref_num == 3);
    }
    v = vb_pv_get(o, "Ref");
    CHECK(v && v->kind == VB_PV_REF && v->ref_num == 7 && v->ref_gen == 0);
    CHECK(vb_pdfr_object(r, 7, &d)->kind == VB_PV_NULL);       /* absent: null, as the standard says */
    vb_buf b = { 0 };
    vb_pv_write(&b, o);
    CHECK_STR(vb_buf_cstr(&b), "<< /Type /Catalog /A#20B <78287929417A> /H <414243> "
              "/Arr [1 -2.50 /N [true false null] << /K 3 0 R >>] /Ref 7 0 R /E << >> >>");
    vb_buf_free(&b);
    CHECK(d.errors == 0);
    vb_pdfr_free(r);
    vb_diag_free(&d);
}

static void refused(const char *what, const char *data, size_t len, const char *msg)
{
    vb_diag d;
    vb_diag_init(&d);
    vb_pdfr *r = NULL;
    bool ok = vb_pdfr_open("t.pdf", (const unsigned char *)data, len, &r, &d);
    CHECK(!ok && r == NULL);
    CHECK(d.n == 1 && strstr(d.items[0].msg, msg) && d.exit_code == VB_EXIT_INPUT);
    if (ok || d.n != 1 || !strstr(d.items[0].msg, msg)) printf("  (%s: %s)\n", what, d.n ? d.items[0].msg : "no message");
    vb_pdfr_free(r);
    vb_diag_free(&d);
}

static void bad_files(void)
{
    char buf[2048];
    refused("text", "hello world, no pdf", 19, "not a PDF");
    refused("8 bytes", "%PDF-1.4", 8, "no startxref");
    size_t len = one_object(buf, sizeof buf, "<< /Type /Catalog >>", "/Encrypt << /Filter /Standard >>");
    refused("encrypted", buf, len, "encrypted");
    len = one_object(buf, sizeof buf, "<< /Type /Catalog >>", "");
    refused("cut", buf, len - 20, "startxref");
    /* startxref pointing into the middle of an object */
    char *sx = strstr(buf, "startxref\n");
    memcpy(sx + 10, "12", 2);
    refused("wrong offset", buf, len, "cross-reference");
}

static void qpdf_file(void)
{
    char *data;
    size_t len;
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_read_file("fuzz/corpus/pdf/objstm.pdf", 1 << 20, &data, &len, &d));
    vb_pdfr *r;
    if (data && vb_pdfr_open("objstm.pdf", (const unsigned char *)data, len, &r, &d)) {
        CHECK(vb_pdfr_xref_is_stream(r));
        uint32_t num;
        const vb_pv *page;
        int count;
        CHECK(vb_pdfr_page(r, 0, &num, &page, &count, &d) && count == 1);
        const vb_pv *mb = vb_pv_get(page, "MediaBox");
        CHECK(mb && mb->kind == VB_PV_ARRAY && mb->len == 4 && mb->items[3]->num > 841);
        CHECK(!vb_pdfr_page(r, 1, &num, &page, &count, &d) && strstr(d.items[d.n - 1].msg, "no page 2"));
        vb_pdfr_free(r);
    } else CHECK(!"objstm.pdf opens");
    free(data);
    vb_diag_free(&d);
}

static void signature_box(void)
{
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_schema s;
    vb_record rec;
    vb_engine *e = NULL;
    vb_doc *doc = NULL;
    vb_layout *l = NULL;
    if (vb_schema_load(a, ".", &s, &d) && vb_record_load(&s, a, "samples/haiphong-2021-12-28.json", &rec, &d) &&
        vb_engine_open(".", NULL, &e, &d) && vb_engine_build(e, &rec, "resolution", &doc, &d) &&
        vb_layout_run(doc, vb_engine_fonts(e), &l, &d)) {
        int page = -1;
        int32_t box[4];
        CHECK(vb_layout_signature_box(doc, l, vb_engine_fonts(e), &page, box));
        CHECK(page == (int)l->npages - 1);                   /* the signature row ends this sample */
        /* the right cell; about sig_name's 64 pt space_before high (the
         * line's own leading added, the ascender and descender taken off) */
        CHECK(box[0] > doc->style->margin_left && box[0] + box[2] == doc->style->page_w - doc->style->margin_right);
        CHECK(box[3] > 56 * VB_PT && box[3] < 72 * VB_PT);
        /* nothing of the signature row's right cell inside the box */
        bool clear = true;
        for (size_t k = 0; k < l->pages[page].nfrags; k++) {
            const vb_frag *f = &l->pages[page].frags[k];
            if (f->x >= box[0] && f->y > box[1] && f->y < box[1] + box[3]) clear = false;
        }
        CHECK(clear);
    } else CHECK(!"the sample lays out");
    vb_layout_free(l);
    vb_doc_free(doc);
    vb_engine_close(e);
    vb_arena_free(a);
    vb_diag_free(&d);
}

int main(void)
{
    syntax();
    bad_files();
    qpdf_file();
    signature_box();
    return CHECK_DONE("pdfread");
}
