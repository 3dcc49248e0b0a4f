/* fuzz_template.c — the template engine on arbitrary template text.
 *
 * vb_template_load reads a path, so the input goes into a memfd and is
 * loaded through /proc/self/fd/N (no temporary file to clean up).  It is
 * checked against templates/party/style; when it loads, both sample
 * records (one per convention) are rendered through it into a model,
 * which is dumped (to /dev/null) and laid out into pages, so that any
 * sequence of zones and rows a template can make reaches the layout.
 * Set up once: the style, the records and the fonts. */
#include "common.h"
#include "record.h"
#include "style.h"
#include "template.h"
#include "model.h"
#include "font.h"
#include "layout.h"

#include <sys/mman.h>
#include <unistd.h>

static vb_arena *g_arena;
static vb_style g_style;
static vb_schema g_schema;
static vb_record g_rec[2];
static int g_nrec;
static int g_fd = -1;
static char g_path[64];
static FILE *g_null;
static vb_fonts *g_fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *repo = fuzz_repo();
    g_arena = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/party/style", repo);
    if (!vb_style_load(g_arena, path, &g_style, &d)) {
        vb_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_template: cannot load %s (set VANBAN_DATA to the repository)\n", path);
        exit(1);
    }
    if (!vb_schema_load(g_arena, repo, &g_schema, &d)) {
        vb_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_template: cannot load the record format\n");
        exit(1);
    }
    static const char *recs[] = { "samples/haiphong-2021-12-28.json", "samples/namdinh-hdnd-2023-01-05.json" };
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", repo, recs[i]);
        if (vb_record_load(&g_schema, g_arena, path, &g_rec[g_nrec], &d)) g_nrec++;
    }
    if (!g_nrec) { vb_diag_print(&d, stderr); fprintf(stderr, "fuzz_template: no sample record\n"); exit(1); }
    char fdir[4096];
    snprintf(fdir, sizeof fdir, "%s/fonts", repo);
    if (!vb_fonts_open(fdir, g_style.font_family, &g_fonts, &d)) {
        vb_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_template: no fonts\n");
        exit(1);
    }
    vb_diag_free(&d);
    g_fd = memfd_create("fuzz.tpl", 0);
    if (g_fd < 0) { perror("memfd_create"); exit(1); }
    snprintf(g_path, sizeof g_path, "/proc/self/fd/%d", g_fd);
    g_null = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (g_fd < 0) LLVMFuzzerInitialize(NULL, NULL);
    if (ftruncate(g_fd, 0) != 0) abort();
    size_t off = 0;
    while (off < size) {
        ssize_t w = pwrite(g_fd, data + off, size - off, (off_t)off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_template *t = NULL;
    bool ok = vb_template_load(a, g_path, &g_style, &g_schema, vb_schema_type(&g_schema, VB_PARTY, "resolution"), &t, &d);
    if (ok) {
        FUZZ_ASSERT(t != NULL, "loaded without a template");
        for (int i = 0; i < g_nrec; i++) {
            vb_doc *doc = vb_doc_new(&g_style);
            doc->type = "fuzz";
            if (vb_template_render(t, &g_rec[i], doc, &d)) {
                if (g_null) vb_doc_dump(doc, g_null);
                /* layout only for documents of ordinary size: a template
                 * may legitimately make 200,000 paragraphs, whose layout
                 * would only be slow (tests/fuzz-regress.sh times those) */
                size_t nblocks = 0, e0 = d.errors;
                for (const vb_block *b = doc->first; b; b = b->next) {
                    nblocks++;
                    if (b->kind == VB_BLOCK_ROW)
                        for (int k = 0; k < 2; k++)
                            for (const vb_para *p = b->row->cell[k]; p; p = p->next) nblocks++;
                }
                vb_layout *l = NULL;
                if (nblocks > 3000) {
                    /* skip */
                } else if (vb_layout_run(doc, g_fonts, &l, &d)) {
                    FUZZ_ASSERT(l && l->npages >= 1, "a layout without pages");
                    vb_layout_free(l);
                } else {
                    FUZZ_ASSERT(d.errors > e0, "layout failed without a message");
                }
                for (const vb_block *b = doc->first; b; b = b->next) {
                    FUZZ_ASSERT(b->kind == VB_BLOCK_PARA ? b->para != NULL : b->row != NULL, "empty block");
                    if (b->kind == VB_BLOCK_PARA) FUZZ_ASSERT(b->para->zone, "paragraph without a zone");
                }
            } else {
                FUZZ_ASSERT(d.errors > 0, "render failed without a message");
            }
            vb_doc_free(doc);
        }
    } else {
        FUZZ_ASSERT(d.errors > 0, "template rejected without a message");
    }
    vb_diag_free(&d);
    vb_arena_free(a);
    return 0;
}
