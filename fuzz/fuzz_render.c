/* fuzz_render.c — a whole render of a record, in memory: parse, build each
 * document type the record has (through the real templates), write it as
 * PDF and as DOCX into a vb_buf.  Must not crash or leak, and must fail
 * only with a message.  The engine (fonts, styles, templates) is opened
 * once, with the repository as data folder.  Inputs are kept small by
 * fuzz/run.sh (-max_len) so that each run stays short. */
#include "common.h"
#include "engine.h"
#include "record.h"
#include "backend.h"

static vb_engine *g_engine;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    vb_diag d;
    vb_diag_init(&d);
    if (!vb_engine_open(fuzz_repo(), NULL, &g_engine, &d)) {
        vb_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_render: cannot open the engine (set VANBAN_DATA to the repository)\n");
        exit(1);
    }
    vb_diag_free(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_engine) LLVMFuzzerInitialize(NULL, NULL);
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_record r;
    if (vb_record_parse(vb_engine_schema(g_engine), a, "fuzz.json", 0, (const char *)data, size, &r, &d)) {
        const char *types[64];
        size_t nt = vb_engine_held(g_engine, &r, types, 64);
        for (size_t t = 0; t < nt; t++) {
            vb_doc *doc = NULL;
            size_t e0 = d.errors;
            if (!vb_engine_build(g_engine, &r, types[t], &doc, &d)) {
                FUZZ_ASSERT(d.errors > e0, "build failed without a message");
                continue;
            }
            for (const vb_backend *be = vb_backends; be->name; be++) {
                vb_buf out = {0};
                size_t e1 = d.errors;
                if (be->write(doc, vb_engine_fonts(g_engine), &out, &d)) {
                    FUZZ_ASSERT(out.len > 4, "%s: empty output", be->name);
                    if (!strcmp(be->name, "pdf")) FUZZ_ASSERT(!memcmp(out.data, "%PDF", 4), "not a PDF");
                    else FUZZ_ASSERT(!memcmp(out.data, "PK", 2), "not a zip");
                } else {
                    FUZZ_ASSERT(d.errors > e1, "%s: failed without a message", be->name);
                    FUZZ_ASSERT(d.exit_code == VB_EXIT_INPUT, "%s: system error on a valid record", be->name);
                }
                vb_buf_free(&out);
            }
            vb_doc_free(doc);
        }
    }
    fuzz_check_diag(&d);
    vb_diag_free(&d);
    vb_arena_free(a);
    return 0;
}
