/* Unit tests for pdfobj.c: the file structure (every cross-reference
 * offset lands on its object, startxref on the table), streams that inflate
 * back to their data with the right /Length, /ID that follows the content
 * and only the content, refused misuse, and the value writers. */
#include <stdlib.h>
#include <unistd.h>

#include <libdeflate.h>

#include "backend.h"
#include "check.h"
#include "pdfobj.h"

static const char *milli(int64_t v)
{
    static vb_buf b;
    b.len = 0;
    vb_pdf_milli(&b, v);
    return vb_buf_cstr(&b);
}

/* A one-page file; objects written out of number order on purpose, as
 * pdf.c does with the page tree.  `text` goes into the page content. */
static void small_file(vb_buf *out, const char *text)
{
    vb_pdf_file f;
    vb_diag d; vb_diag_init(&d);
    vb_pdf_file_begin(&f, out);
    uint32_t cat = vb_pdf_obj_new(&f), pages = vb_pdf_obj_new(&f), page = vb_pdf_obj_new(&f),
             content = vb_pdf_obj_new(&f), info = vb_pdf_obj_new(&f);
    CHECK(cat == 1 && pages == 2 && info == 5);
    vb_buf *o = vb_pdf_obj_begin(&f, cat);
    vb_buf_printf(o, "<< /Type /Catalog /Pages %u 0 R >>", pages);
    vb_pdf_obj_end(&f);
    vb_buf c = { 0 };
    vb_buf_printf(&c, "BT /F1 12 Tf 72 720 Td (%s) Tj ET\n", text);
    vb_pdf_stream(&f, content, NULL, c.data, c.len);
    vb_buf_free(&c);
    o = vb_pdf_obj_begin(&f, page);
    vb_buf_printf(o, "<< /Type /Page /Parent %u 0 R /MediaBox [0 0 595.276 841.89] "
                  "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
                  "/Contents %u 0 R >>", pages, content);
    vb_pdf_obj_end(&f);
    o = vb_pdf_obj_begin(&f, info);
    vb_buf_puts(o, "<< /Title ");
    vb_pdf_text(o, "Biên bản");
    vb_buf_puts(o, " /CreationDate ");
    CHECK(vb_pdf_date(o, 1700000000));
    vb_buf_puts(o, " >>");
    vb_pdf_obj_end(&f);
    o = vb_pdf_obj_begin(&f, pages);
    vb_buf_printf(o, "<< /Type /Pages /Kids [%u 0 R] /Count 1 >>", page);
    vb_pdf_obj_end(&f);
    CHECK(vb_pdf_file_end(&f, cat, info, &d));
    CHECK(d.n == 0);
    vb_pdf_file_free(&f);
    vb_diag_free(&d);
}

/* The n-th occurrence of needle in the file, from `from`. */
static const char *find(const vb_buf *b, size_t from, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = from; i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0) return b->data + i;
    return NULL;
}

static void test_structure(void)
{
    vb_buf b = { 0 };
    vb_buf_puts(&b, "junk before");   /* the file need not start the buffer */
    size_t base = b.len;
    small_file(&b, "Hello");
    const char *file = b.data + base;
    size_t len = b.len - base;
    CHECK(memcmp(file, "%PDF-1.4\n%", 10) == 0);
    CHECK(len > 20 && memcmp(b.data + b.len - 6, "%%EOF\n", 6) == 0);

    const char *sx = find(&b, base, "startxref\n");
    CHECK(sx != NULL);
    if (!sx) { vb_buf_free(&b); return; }
    size_t xref = (size_t)strtoull(sx + 10, NULL, 10);
    CHECK(xref < len && memcmp(file + xref, "xref\n0 6\n", 9) == 0);
    /* each entry 20 bytes; each offset on "i 0 obj" */
    const char *e = file + xref + 9;
    CHECK(memcmp(e, "0000000000 65535 f \n", 20) == 0);
    for (unsigned i = 1; i <= 5; i++) {
        e += 20;
        CHECK(e[10] == ' ' && memcmp(e + 11, "00000 n \n", 9) == 0);
        size_t off = (size_t)strtoull(e, NULL, 10);
        char want[32];
        int n = snprintf(want, sizeof want, "%u 0 obj\n", i);
        CHECK(off < xref && memcmp(file + off, want, (size_t)n) == 0);
    }
    const char *tr = "trailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R /ID [<";
    CHECK(memcmp(e + 20, tr, strlen(tr)) == 0);
    const char *id = find(&b, base, "/ID [<");
    CHECK(id && memcmp(id + 6, id + 6 + 32 + 3, 32) == 0 && id[38] == '>');   /* two equal IDs */

    /* the stream: /Length is the bytes between the keywords, and they
     * inflate to the content */
    const char *ls = find(&b, base, "<< /Length ");
    CHECK(ls != NULL);
    if (ls) {
        size_t slen = (size_t)strtoull(ls + 11, NULL, 10);
        CHECK(strncmp(strchr(ls, '>'), ">> >>", 2) == 0);
        const char *data = strstr(ls, "stream\n") + 7;
        CHECK(memcmp(data + slen, "\nendstream\nendobj\n", 18) == 0);
        struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
        char plain[256];
        size_t got = 0;
        CHECK(libdeflate_zlib_decompress(z, data, slen, plain, sizeof plain, &got) == LIBDEFLATE_SUCCESS);
        const char *want = "BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n";
        CHECK(got == strlen(want) && memcmp(plain, want, got) == 0);
        libdeflate_free_decompressor(z);
    }

    /* the same calls, the same bytes; other content, another /ID */
    vb_buf again = { 0 }, other = { 0 };
    small_file(&again, "Hello");
    small_file(&other, "Hellp");
    CHECK(again.len == len && memcmp(again.data, file, len) == 0);
    const char *id2 = find(&other, 0, "/ID [<");
    CHECK(id2 && id && memcmp(id + 6, id2 + 6, 32) != 0);

    /* readers take it */
    if (system("command -v qpdf >/dev/null 2>&1") == 0) {
        char path[] = "/tmp/vanban-unit-pdfobj-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        if (fd >= 0) {
            CHECK(write(fd, file, len) == (ssize_t)len);
            close(fd);
            char cmd[128];
            snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1", path);
            CHECK(system(cmd) == 0);    /* exit 0: no errors and no warnings */
            unlink(path);
        }
    } else {
        const char *ci = getenv("CI");
        printf("unit pdfobj: qpdf not available, the file is not checked by a reader\n");
        CHECK(!(ci && strcmp(ci, "true") == 0));
    }
    vb_buf_free(&b); vb_buf_free(&again); vb_buf_free(&other);
}

/* Reserved and never written, written twice, left open: refused, with
 * the object named, and the caller drops the bytes. */
static void test_misuse(void)
{
    static const struct { int kind; const char *msg; } cases[] = {
        { 0, "pdf: object 2 was reserved and never written" },
        { 1, "pdf: object 1 written twice" },
        { 2, "pdf: object 2 left open" },
        { 3, "pdf: object 9 was never reserved" },
        { 4, "pdf: no catalogue (root 0)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vb_buf b = { 0 };
        vb_pdf_file f;
        vb_diag d; vb_diag_init(&d);
        vb_pdf_file_begin(&f, &b);
        uint32_t a = vb_pdf_obj_new(&f), c = vb_pdf_obj_new(&f);
        vb_pdf_obj_begin(&f, a); vb_buf_puts(&b, "<< >>"); vb_pdf_obj_end(&f);
        int kind = cases[i].kind;
        if (kind == 1) { vb_pdf_obj_begin(&f, a); vb_pdf_obj_end(&f); }
        if (kind == 3) { vb_pdf_obj_begin(&f, 9); vb_pdf_obj_end(&f); }
        if (kind == 2) vb_pdf_obj_begin(&f, c);                      /* and never ended */
        else if (kind != 0) { vb_pdf_obj_begin(&f, c); vb_pdf_obj_end(&f); }
        CHECK(!vb_pdf_file_end(&f, kind == 4 ? 0 : a, 0, &d));
        CHECK(d.n == 1 && d.exit_code == VB_EXIT_SYSTEM);
        if (d.n) CHECK_STR(d.items[0].msg, cases[i].msg);
        CHECK(find(&b, 0, "trailer") == NULL);
        vb_pdf_file_free(&f);
        vb_diag_free(&d);
        vb_buf_free(&b);
    }
}

static void test_values(void)
{
    CHECK_STR(milli(14000), "14");
    CHECK_STR(milli(-1500), "-1.5");
    CHECK_STR(milli(1), "0.001");
    CHECK_STR(milli(-1), "-0.001");
    CHECK_STR(milli(0), "0");
    CHECK_STR(milli(595276), "595.276");
    CHECK_STR(milli(841890), "841.89");
    CHECK_STR(milli(INT64_MIN), "-9223372036854775.808");

    vb_buf b = { 0 };
    vb_pdf_text(&b, "A\xE1\xBA\xA1\xF0\x9F\x98\x80");     /* A ạ U+1F600: a surrogate pair */
    CHECK_STR(vb_buf_cstr(&b), "<FEFF00411EA1D83DDE00>");
    b.len = 0;
    vb_pdf_text(&b, "");
    CHECK_STR(vb_buf_cstr(&b), "<FEFF>");
    b.len = 0;
    CHECK(vb_pdf_date(&b, 1700000000));
    CHECK_STR(vb_buf_cstr(&b), "(D:20231114221320Z)");
    b.len = 0;
    CHECK(vb_pdf_date(&b, 0));
    CHECK_STR(vb_buf_cstr(&b), "(D:19700101000000Z)");
    b.len = 0;
    CHECK(!vb_pdf_date(&b, INT64_C(1) << 50));        /* beyond the year 9999 */
    CHECK(b.len == 0);
    vb_buf_free(&b);
}

/* What --pdfa adds: the 1.7 header, an uncompressed stream kept byte for
 * byte, the XMP form of a date (the same instant as vb_pdf_date). */
static void test_pdfa_values(void)
{
    vb_buf b = { 0 };
    vb_pdf_file f;
    vb_diag d; vb_diag_init(&d);
    vb_pdf_file_begin_version(&f, &b, "1.7");
    CHECK(b.len == 15 && !memcmp(b.data, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 15));
    uint32_t cat = vb_pdf_obj_new(&f), xmp = vb_pdf_obj_new(&f);
    vb_buf *o = vb_pdf_obj_begin(&f, cat);
    vb_buf_puts(o, "<< /Type /Catalog >>");
    vb_pdf_obj_end(&f);
    static const char packet[] = "<x>\xC3\xA1 & ( \\ )</x>";
    vb_pdf_stream_raw(&f, xmp, "/Type /Metadata /Subtype /XML", packet, sizeof packet - 1);
    CHECK(vb_pdf_file_end(&f, cat, 0, &d));
    char head[96];
    snprintf(head, sizeof head, "2 0 obj\n<< /Length %zu /Type /Metadata /Subtype /XML >>\nstream\n",
             sizeof packet - 1);
    const char *s = strstr(vb_buf_cstr(&b), head);
    CHECK(s != NULL);
    CHECK(s && !memcmp(strstr(s, "stream\n") + 7, packet, sizeof packet - 1));
    CHECK(s && !memcmp(strstr(s, "stream\n") + 7 + sizeof packet - 1, "\nendstream", 10));
    vb_pdf_file_free(&f);
    vb_buf_free(&b);

    CHECK(vb_pdf_date_iso(&b, 1700000000));
    CHECK_STR(vb_buf_cstr(&b), "2023-11-14T22:13:20Z");
    b.len = 0;
    CHECK(!vb_pdf_date_iso(&b, INT64_C(1) << 50));
    CHECK(b.len == 0);
    vb_buf_free(&b);
    vb_diag_free(&d);
}

/* vb_pdf_icc_load: the header checks, each on a profile made here, and
 * the exit codes (3 for a file that is not there, 1 for a wrong one). */
static void test_icc(void)
{
    unsigned char p[132] = { 0 };
    p[2] = 0; p[3] = 132;                       /* size */
    p[8] = 2;                                   /* version 2 */
    memcpy(p + 12, "mntr", 4);
    memcpy(p + 16, "RGB ", 4);
    memcpy(p + 20, "XYZ ", 4);
    memcpy(p + 36, "acsp", 4);
    struct { int at; const char *bytes; const char *why; } bad[] = {
        { 36, "xxxx", "not an ICC profile" }, { 3, "\x80", "the size in its header" },
        { 8, "\x05", "version other than 2 or 4" }, { 16, "GRAY", "not an RGB profile" },
        { 12, "abst", "neither a display" },
    };
    char path[] = "/tmp/vanban-unit-icc.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    for (size_t i = 0; i <= sizeof bad / sizeof bad[0]; i++) {
        unsigned char q[132];
        memcpy(q, p, sizeof q);
        if (i < sizeof bad / sizeof bad[0]) memcpy(q + bad[i].at, bad[i].bytes, strlen(bad[i].bytes));
        FILE *w = fopen(path, "wb");
        CHECK(w && fwrite(q, 1, sizeof q, w) == sizeof q);
        if (w) fclose(w);
        vb_buf icc = { 0 };
        vb_diag d; vb_diag_init(&d);
        bool ok = vb_pdf_icc_load(path, &icc, &d);
        if (i == sizeof bad / sizeof bad[0]) {
            CHECK(ok && icc.len == 132 && d.n == 0);
        } else {
            CHECK(!ok && d.exit_code == VB_EXIT_INPUT && d.n == 1);
            CHECK(d.n == 1 && strstr(d.items[0].msg, bad[i].why) && strstr(d.items[0].msg, path));
        }
        vb_buf_free(&icc);
        vb_diag_free(&d);
    }
    unlink(path);
    vb_buf icc = { 0 };
    vb_diag d; vb_diag_init(&d);
    CHECK(!vb_pdf_icc_load(path, &icc, &d) && d.exit_code == VB_EXIT_SYSTEM);
    vb_diag_free(&d);
    /* the profile --pdfa uses by default, where it is installed */
    vb_diag_init(&d);
    if (access(VB_SRGB_ICC, R_OK) == 0) CHECK(vb_pdf_icc_load(VB_SRGB_ICC, &icc, &d) && icc.len > 132);
    else CHECK_SKIP("unit pdfobj: " VB_SRGB_ICC " is not installed (icc-profiles-free)");
    vb_buf_free(&icc);
    vb_diag_free(&d);
}

int main(void)
{
    test_structure();
    test_misuse();
    test_values();
    test_pdfa_values();
    test_icc();
    return CHECK_DONE("pdfobj");
}
