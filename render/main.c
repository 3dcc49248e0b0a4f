/* main.c — the command line: render, check, fonts (and batch, batch.c). */
#include "vb.h"
#include "engine.h"
#include "font.h"
#include "layout.h"
#include "record.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vb_batch_main(int argc, char **argv);

static void usage(FILE *f)
{
    fputs("usage: vanban render RECORD.json -t TYPE [-o OUT.pdf|OUT.docx] [-f pdf|docx]\n"
          "                     [--dump model|layout] [--data DIR] [--fonts DIR]\n"
          "       vanban check RECORD.json... [--data DIR] [--fonts DIR]\n"
          "       vanban batch INPUT... -o DIR [-t T1,T2] [-f pdf,docx] [-j N] [--report FILE.json]\n"
          "                     [--skip-done] [--shard I/N] [--data DIR] [--fonts DIR]\n"
          "       vanban fonts [--fonts DIR]\n"
          "       vanban types\n"
          "TYPE is a template name: resolution, minutes, … (vanban types lists them).\n"
          "Exit status: 0 ok, 1 bad input, 2 usage, 3 output or system error.\n", f);
}

static void on_signal(int sig)
{
    vb_tmp_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

void vb_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static int finish(vb_diag *d, int code)
{
    vb_diag_print(d, stderr);
    if (code == 0 && d->errors) code = d->exit_code ? d->exit_code : VB_EXIT_INPUT;
    vb_diag_free(d);
    return code;
}

static int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *type = NULL, *outp = NULL, *fmt = NULL, *dump = NULL, *data = NULL, *fonts = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!strcmp(a, "-t") || !strcmp(a, "--type")) dst = &type;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) dst = &outp;
        else if (!strcmp(a, "-f") || !strcmp(a, "--format")) dst = &fmt;
        else if (!strcmp(a, "--dump")) dst = &dump;
        else if (!strcmp(a, "--data")) dst = &data;
        else if (!strcmp(a, "--fonts")) dst = &fonts;
        else if (a[0] == '-' && a[1]) { fprintf(stderr, "vanban render: unknown option %s\n", a); usage(stderr); return VB_EXIT_USAGE; }
        else if (!in) { in = a; continue; }
        else { fprintf(stderr, "vanban render: one record at a time (use vanban batch for many)\n"); return VB_EXIT_USAGE; }
        if (i + 1 >= argc) { fprintf(stderr, "vanban render: %s needs a value\n", a); return VB_EXIT_USAGE; }
        *dst = argv[++i];
    }
    if (!in) { fprintf(stderr, "vanban render: no record given\n"); usage(stderr); return VB_EXIT_USAGE; }
    if (!type) { fprintf(stderr, "vanban render: say which document with -t (resolution, minutes, …)\n"); return VB_EXIT_USAGE; }
    if (dump && strcmp(dump, "model") && strcmp(dump, "layout")) { fprintf(stderr, "vanban render: --dump takes model or layout\n"); return VB_EXIT_USAGE; }
    if (!outp && !dump) { fprintf(stderr, "vanban render: say where to write with -o FILE.pdf or FILE.docx\n"); return VB_EXIT_USAGE; }
    const vb_backend *be = NULL;
    if (fmt) {
        be = vb_backend_find(fmt);
        if (!be) { fprintf(stderr, "vanban render: unknown format \"%s\" (pdf or docx)\n", fmt); return VB_EXIT_USAGE; }
    } else if (outp) {
        be = vb_backend_for_path(outp);
        if (!be) { fprintf(stderr, "vanban render: %s: cannot tell the format from the extension; use .pdf, .docx or -f\n", outp); return VB_EXIT_USAGE; }
    }

    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_engine *e = NULL;
    vb_doc *doc = NULL;
    vb_buf out = {0};
    int code = 0;
    vb_record r;
    if (!vb_record_load(a, in, &r, &d)) goto done;
    if (!vb_engine_open(data, fonts, &e, &d)) goto done;
    if (!vb_engine_build(e, &r, type, &doc, &d)) goto done;
    if (dump && !strcmp(dump, "model")) vb_doc_dump(doc, stdout);
    if (dump && !strcmp(dump, "layout")) {
        vb_layout *l;
        if (!vb_layout_run(doc, vb_engine_fonts(e), &l, &d)) goto done;
        vb_layout_dump(l, stdout);
        vb_layout_free(l);
    }
    if (outp) {
        if (!vb_engine_write(e, doc, be, &out, &d)) goto done;
        if (!vb_write_atomic(outp, out.data, out.len, &d)) goto done;
    }
done:
    code = d.errors ? (d.exit_code ? d.exit_code : VB_EXIT_INPUT) : 0;
    vb_buf_free(&out);
    vb_doc_free(doc);
    vb_engine_close(e);
    vb_arena_free(a);
    return finish(&d, code);
}

/* Check records completely: the record itself, then every document it
 * holds is built and laid out (so a character the fonts lack is found
 * here too), without writing anything. */
static int cmd_check(int argc, char **argv)
{
    const char *data = NULL, *fonts = NULL;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--data") || !strcmp(argv[i], "--fonts")) && i + 1 < argc) {
            if (argv[i][2] == 'd') data = argv[++i]; else fonts = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "vanban check: unknown option %s\n", argv[i]);
            return VB_EXIT_USAGE;
        } else nfiles++;
    }
    if (!nfiles) { fprintf(stderr, "vanban check: no record given\n"); return VB_EXIT_USAGE; }
    int code = 0;
    vb_engine *e = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") || !strcmp(argv[i], "--fonts")) { i++; continue; }
        vb_diag d;
        vb_diag_init(&d);
        vb_arena *a = vb_arena_new();
        vb_record r;
        bool ok = vb_record_load(a, argv[i], &r, &d);
        if (ok && !e && !vb_engine_open(data, fonts, &e, &d)) ok = false;
        vb_buf held = {0};
        if (ok) {
            const char **types;
            size_t n = vb_engine_types(e, r.convention, &types);
            /* the record's own documents first, in the reference order */
            const char *order[64];
            size_t m = 0;
            if (r.has_resolution) order[m++] = "resolution";
            if (r.has_minutes) order[m++] = "minutes";
            for (size_t k = 0; k < n && m < 64; k++)
                if (strcmp(types[k], "resolution") && strcmp(types[k], "minutes")) order[m++] = types[k];
            types = order;
            n = m;
            for (size_t k = 0; k < n; k++) {
                if (!strcmp(types[k], "resolution") && !r.has_resolution) continue;
                if (!strcmp(types[k], "minutes") && !r.has_minutes) continue;
                vb_doc *doc = NULL;
                vb_layout *l = NULL;
                if (vb_engine_build(e, &r, types[k], &doc, &d) && vb_layout_run(doc, vb_engine_fonts(e), &l, &d))
                    vb_buf_printf(&held, "%s%s", held.len ? ", " : "", types[k]);
                else ok = false;
                vb_layout_free(l);
                vb_doc_free(doc);
            }
        }
        vb_diag_print(&d, stderr);
        if (ok) printf("%s: ok (%s)\n", argv[i], held.len ? held.data : "no document");
        else if ((d.exit_code ? d.exit_code : VB_EXIT_INPUT) > code) code = d.exit_code ? d.exit_code : VB_EXIT_INPUT;
        vb_buf_free(&held);
        vb_diag_free(&d);
        vb_arena_free(a);
    }
    vb_engine_close(e);
    return code;
}

static int cmd_fonts(int argc, char **argv)
{
    const char *fonts = NULL, *data = NULL;
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--fonts")) fonts = argv[++i];
        else if (!strcmp(argv[i], "--data")) data = argv[++i];
    }
    vb_diag d;
    vb_diag_init(&d);
    vb_engine *e = NULL;
    if (!vb_engine_open(data, fonts, &e, &d)) return finish(&d, d.exit_code);
    static const char *names[] = { "regular", "bold", "italic", "bold italic" };
    vb_fonts *f = vb_engine_fonts(e);
    printf("font for \"%s\":\n", vb_fonts_docx_family(f));
    for (int i = 0; i < VB_FACE_COUNT; i++)
        printf("  %-12s %s (%s %s)\n", names[i], vb_fonts_file(f, (vb_face)i), vb_fonts_family(f, (vb_face)i),
               vb_fonts_style(f, (vb_face)i));
    vb_engine_close(e);
    return finish(&d, 0);
}

static int cmd_types(int argc, char **argv)
{
    (void)argc; (void)argv;
    vb_diag d;
    vb_diag_init(&d);
    vb_engine *e = NULL;
    if (!vb_engine_open(NULL, NULL, &e, &d)) return finish(&d, d.exit_code);
    for (int c = 0; c < 2; c++) {
        const char **t;
        size_t n = vb_engine_types(e, (vb_convention)c, &t);
        printf("%s:", c == VB_PARTY ? "party" : "state");
        for (size_t i = 0; i < n; i++) printf(" %s", t[i]);
        printf("\n");
    }
    vb_engine_close(e);
    return finish(&d, 0);
}

int main(int argc, char **argv)
{
    vb_install_signals();
    if (argc < 2) { usage(stderr); return VB_EXIT_USAGE; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "render")) return cmd_render(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch")) return vb_batch_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "fonts")) return cmd_fonts(argc - 1, argv + 1);
    if (!strcmp(cmd, "types")) return cmd_types(argc - 1, argv + 1);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) { printf("vanban %s\n", VB_VERSION); return 0; }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { usage(stdout); return 0; }
    fprintf(stderr, "vanban: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return VB_EXIT_USAGE;
}
