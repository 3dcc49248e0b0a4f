/* fuzz_pdfa.c — what --pdfa reads from outside: the ICC profile (--icc)
 * and the document's metadata text, which goes into the XMP packet.
 *
 * Input: the profile's bytes, then optionally a line "%%" and a title.
 * The profile goes into a memfd read as /proc/self/fd/N (vb_pdf_icc_load
 * takes a path).  Refused: with one message naming the file, a bad-input
 * exit.  Accepted: its header must be what the loader promises (checked
 * again here byte by byte); then the sample resolution, laid out once, is
 * written as PDF/A with the title set to the input's (when valid UTF-8),
 * and the XMP packet must stay well formed the simple ways a broken
 * escaper would show: no control byte but LF, every '&' one of the
 * references the writer uses, as many '<' as '>'. */
#include "common.h"
#include "backend.h"
#include "engine.h"
#include "layout.h"
#include "record.h"

#include <sys/mman.h>
#include <unistd.h>

static vb_engine *g_engine;
static vb_doc *g_doc;
static vb_layout *g_layout;
static int g_fd = -1;
static char g_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    vb_diag d;
    vb_diag_init(&d);
    static vb_arena *a;
    a = vb_arena_new();
    vb_record r;
    char rec[4096];
    snprintf(rec, sizeof rec, "%s/samples/haiphong-2021-12-28.json", fuzz_repo());
    if (!vb_engine_open(fuzz_repo(), NULL, &g_engine, &d) ||
        !vb_record_load(vb_engine_schema(g_engine), a, rec, &r, &d) ||
        !vb_engine_build(g_engine, &r, "resolution", &g_doc, &d) ||
        !vb_layout_run(g_doc, vb_engine_fonts(g_engine), &g_layout, &d)) {
        vb_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_pdfa: cannot lay out the sample (set VANBAN_DATA to the repository)\n");
        exit(1);
    }
    vb_diag_free(&d);
    g_fd = memfd_create("fuzz.icc", 0);
    if (g_fd < 0) { perror("memfd_create"); exit(1); }
    snprintf(g_path, sizeof g_path, "/proc/self/fd/%d", g_fd);
    return 0;
}

static void check_xmp(const vb_buf *pdf)
{
    const char *s = memmem(pdf->data, pdf->len, "<?xpacket begin", 15);
    FUZZ_ASSERT(s != NULL, "no XMP packet");
    const char *e = memmem(s, pdf->len - (size_t)(s - pdf->data), "<?xpacket end=\"w\"?>", 19);
    FUZZ_ASSERT(e != NULL, "the XMP packet does not end");
    e += 19;
    size_t lt = 0, gt = 0;
    static const char *const refs[] = { "&amp;", "&lt;", "&gt;", "&#9;", "&#10;", "&#13;" };
    for (const char *p = s; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        FUZZ_ASSERT(c >= 0x20 || c == '\n', "control byte 0x%02X in the XMP", c);
        lt += c == '<';
        gt += c == '>';
        if (c == '&') {
            bool known = false;
            for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
                known |= (size_t)(e - p) >= strlen(refs[i]) && !memcmp(p, refs[i], strlen(refs[i]));
            FUZZ_ASSERT(known, "a bare '&' in the XMP: %.12s", p);
        }
    }
    FUZZ_ASSERT(lt == gt, "%zu '<' but %zu '>' in the XMP", lt, gt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_fd < 0) LLVMFuzzerInitialize(NULL, NULL);
    const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
    size_t icc_len = sep ? (size_t)(sep - data) : size;
    if (ftruncate(g_fd, 0) != 0) abort();
    for (size_t off = 0; off < icc_len;) {
        ssize_t w = pwrite(g_fd, data + off, icc_len - off, (off_t)off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    vb_diag d;
    vb_diag_init(&d);
    vb_buf icc = { 0 };
    if (!vb_pdf_icc_load(g_path, &icc, &d)) {
        FUZZ_ASSERT(d.n == 1 && d.errors == 1, "%zu messages for one refusal", d.n);
        FUZZ_ASSERT(d.exit_code == VB_EXIT_INPUT, "exit %d for a profile that is there", d.exit_code);
        FUZZ_ASSERT(strstr(d.items[0].msg, g_path) != NULL, "the message does not name the file");
    } else {
        const unsigned char *p = (const unsigned char *)icc.data;
        FUZZ_ASSERT(icc.len == icc_len && icc.len >= 132, "loaded %zu bytes of %zu", icc.len, icc_len);
        FUZZ_ASSERT(((size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3]) == icc.len,
                    "the header's size is not the file's");
        FUZZ_ASSERT(!memcmp(p + 36, "acsp", 4) && !memcmp(p + 16, "RGB ", 4) && (p[8] == 2 || p[8] == 4) &&
                    (!memcmp(p + 12, "mntr", 4) || !memcmp(p + 12, "prtr", 4)), "a header the loader must refuse");
        char *title = sep ? fuzz_cstr(sep + 4, size - icc_len - 4) : NULL;
        size_t bad;
        const char *saved = g_doc->title;
        if (title && strlen(title) == size - icc_len - 4 && vb_utf8_valid(title, strlen(title), &bad))
            g_doc->title = title;
        vb_render_opts o = { .pdfa = true, .icc = p, .icc_len = icc.len };
        vb_buf out = { 0 };
        bool ok = vb_pdf_write_layout(g_layout, g_doc, vb_engine_fonts(g_engine), &o, &out, &d);
        FUZZ_ASSERT(ok, "PDF/A of the sample failed with an accepted profile");
        FUZZ_ASSERT(out.len > 15 && !memcmp(out.data, "%PDF-1.7\n", 9), "not a PDF 1.7 header");
        check_xmp(&out);
        g_doc->title = saved;
        vb_buf_free(&out);
        free(title);
    }
    fuzz_check_diag(&d);
    vb_buf_free(&icc);
    vb_diag_free(&d);
    return 0;
}
