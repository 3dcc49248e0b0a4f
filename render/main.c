/* main.c — the command line: render, check, fonts (and batch, batch.c;
 * serve, httpd.c; register, regcmd.c). */
#include "vb.h"
#include "engine.h"
#include "font.h"
#include "layout.h"
#include "record.h"
#include "register.h"
#include "sign.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vb_batch_main(int argc, char **argv);
int vb_serve_main(int argc, char **argv);
int vb_register_main(int argc, char **argv);

/* Each command's usage, printed by "vanban COMMAND --help" (stdout, exit 0)
 * and after a usage error (stderr, exit 2).  Every option listed here must
 * be in docs/vanban.1 too: tests/cli.sh compares them. */
static const char *const usage_top =
    N_("usage: vanban COMMAND [OPTION]... [ARG]...\n"
    "Formal Vietnamese documents (Decree 30/2020/ND-CP, Guide 36-HD/VPTW) from JSON records.\n"
    "Commands:\n"
    "  render   one record into one PDF or DOCX document\n"
    "  check    validate records and lay out their documents, writing nothing\n"
    "  batch    many records into a folder, in parallel\n"
    "  serve    the web app for clerks: forms, live preview, downloads, batches\n"
    "  register the outgoing register: init, list, withdraw, send, note, copies, export-csv, print\n"
    "  sign     sign a PDF (PAdES), with the signature or seal image where the rules put it\n"
    "  verify   check every signature of a PDF\n"
    "  fonts    the font files used\n"
    "  types    the document types of each convention\n"
    "  help     the usage of a command: vanban help COMMAND, or vanban COMMAND --help\n"
    "Options:\n"
    "  -h, --help      this help\n"
    "      --version   the version\n"
    "Exit status: 0 ok, 1 bad input, 2 usage, 3 output or system error,\n"
    "4 key or certificate (sign), 5 time-stamping authority (sign).\n"
    "Messages are in Vietnamese when LANG (or LC_ALL, LC_MESSAGES) is vi_VN.UTF-8.\n"
    "See vanban(1) for files and environment (VANBAN_DATA, SOURCE_DATE_EPOCH, LANG).\n");

static const char *const usage_render =
    N_("usage: vanban render RECORD.json -t TYPE [-o OUT.pdf|OUT.docx] [-f pdf|docx]\n"
    "                     [--pdfa [--icc FILE]] [--dump model|layout] [--register FILE]\n"
    "                     [--data DIR] [--fonts DIR] [--sidecar] [--sign --key KEY ...]\n"
    "Render one record as one document, written atomically.\n"
    "  -t, --type TYPE       the document: resolution, minutes, ... (vanban types)\n"
    "  -o, --output FILE     where to write; .pdf or .docx gives the format\n"
    "  -f, --format FORMAT   pdf or docx, whatever the extension\n"
    "      --pdfa            write PDF/A-2b, for archiving (docs/pdfa.md)\n"
    "      --icc FILE        the sRGB ICC profile of --pdfa (default: %s)\n"
    "      --dump WHAT       print the document model or the layout to stdout (model, layout)\n"
    "      --register FILE   number it in this register (docs/register.md) when the record has no number\n"
    "      --data DIR        the folder holding templates/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
    "      --sidecar         also write OUT.pdf.vbsig: where the signature block is, for vanban sign\n"
    "      --sign            sign the PDF as it is written, with the options below\n"
    "  -h, --help            this help\n"
    "%s"
    "Exit status: 0 ok, 1 bad input (also an --icc file that is not an RGB profile),\n"
    "2 usage, 3 output or system error (also a profile that cannot be read),\n"
    "4 key or certificate, 5 time-stamping authority.\n");

/* put_usage gives every usage the ICC path and the signing options, in
 * that order: this one shows only the second ("%1$.0s" prints nothing) */
static const char *const usage_sign =
    N_("usage: vanban sign IN.pdf -o OUT.pdf --key KEY [--cert CERT] [--chain FILE]\n"
    "                   [--as person|organisation|annex|copy] [--signature-image PNG]\n"
    "                   [--seal-image PNG --seal-size 36mm] [--at PAGE,X,Y] [--tsa URL] ...\n"
    "Sign a PDF as an incremental update (PAdES B-B, B-T with --tsa), written atomically.\n"
    "The images go where IN.pdf.vbsig says (written by vanban render; see its help), or --at.\n"
    "  -o, --output FILE     where to write (may not be IN.pdf)\n"
    "      --data DIR        the folder holding fonts/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
    "  -h, --help            this help\n"
    "%1$.0s%2$s"
    "Exit status: 0 ok, 1 bad input (not a PDF, encrypted, not a PNG), 2 usage,\n"
    "3 output or system error, 4 key or certificate (wrong passphrase, key and\n"
    "certificate differ, expired or not yet valid, token missing), 5 the\n"
    "time-stamping authority did not answer.\n");

static const char *const usage_verify =
    N_("usage: vanban verify FILE.pdf [--ca ROOTS.pem]\n"
    "List every signature: signer, time, algorithm, whether it covers the whole\n"
    "file and whether its bytes are intact.\n"
    "      --ca FILE         also verify each signer's chain to these PEM roots\n"
    "  -h, --help            this help\n"
    "Exit status: 0 every signature intact (and chained to --ca), 1 a signature\n"
    "not intact, no signature, or not a PDF, 2 usage, 3 the file cannot be read.\n");

static const char *const usage_check =
    N_("usage: vanban check RECORD.json... [--data DIR] [--fonts DIR]\n"
    "Validate each record and build and lay out every document it holds, writing nothing;\n"
    "prints \"RECORD: ok (TYPES)\" for each good one.\n"
    "      --data DIR        the folder holding templates/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
    "  -h, --help            this help\n"
    "Exit status: 0 all good, 1 a bad record, 2 usage, 3 a file that cannot be read.\n");

static const char *const usage_fonts =
    N_("usage: vanban fonts [--data DIR] [--fonts DIR]\n"
    "Print the font file used for each face (regular, bold, italic, bold italic).\n"
    "      --data DIR        the folder holding templates/ and fonts/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
    "  -h, --help            this help\n"
    "Exit status: 0 ok, 2 usage, 3 a face not found.\n");

static const char *const usage_types =
    N_("usage: vanban types [--data DIR]\n"
    "Print the document types of each convention (party, state): a line of their\n"
    "names, then one line a type: its title as printed, the abbreviation of its\n"
    "number line and the field a record must have to hold it.\n"
    "      --data DIR        the folder holding templates/ (default: $VANBAN_DATA)\n"
    "  -h, --help            this help\n"
    "Exit status: 0 ok, 1 a mistake in a type or fields file, 2 usage,\n"
    "3 no templates folder.\n");

static bool is_help(const char *a) { return !strcmp(a, "-h") || !strcmp(a, "--help"); }

/* A usage, translated; the one %s some of them hold is the default profile. */
static void put_usage(const char *usage, FILE *f)
{
    fprintf(f, gettext(usage), VB_SRGB_ICC, gettext(vb_sign_usage));
}

/* A usage error: the message, then the command's usage, on stderr. */
static int usage_error(const char *cmd, const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "vanban %s: ", cmd);
    fprintf(stderr, gettext(fmt), arg);
    fputc('\n', stderr);
    put_usage(usage, stderr);
    return VB_EXIT_USAGE;
}

/* Options of fonts and types: only --data and --fonts (when `fonts_ok`),
 * each with a value.  Returns -1 to go on, else the exit code. */
static int data_options(int argc, char **argv, const char *cmd, const char *usage, bool fonts_ok,
                        const char **data, const char **fonts)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) { put_usage(usage, stdout); return 0; }
        const char **dst = !strcmp(a, "--data") ? data : fonts_ok && !strcmp(a, "--fonts") ? fonts : NULL;
        if (!dst && a[0] == '-' && a[1]) return usage_error(cmd, usage, "unknown option %s", a);
        if (!dst) return usage_error(cmd, usage, "takes no arguments, got \"%s\"", a);
        if (i + 1 >= argc) return usage_error(cmd, usage, "%s needs a value", a);
        *dst = argv[++i];
    }
    return -1;
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
    const char *in = NULL, *type = NULL, *outp = NULL, *fmt = NULL, *dump = NULL, *data = NULL, *fonts = NULL,
               *regfile = NULL;
    const char *icc = NULL;
    bool pdfa = false;
    bool sidecar = false, sign = false, sign_opts = false;
    vb_sign_cli sc;
    vb_sign_cli_init(&sc);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (is_help(a)) { put_usage(usage_render, stdout); return 0; }
        if (!strcmp(a, "--pdfa")) { pdfa = true; continue; }
        if (!strcmp(a, "--sidecar")) { sidecar = true; continue; }
        if (!strcmp(a, "--sign")) { sign = true; continue; }
        vb_diag od;
        vb_diag_init(&od);
        int t = vb_sign_cli_option(&sc, argc, argv, &i, &od);
        if (t < 0) { fprintf(stderr, "vanban render: %s\n", od.items[0].msg); vb_diag_free(&od); return VB_EXIT_USAGE; }
        vb_diag_free(&od);
        if (t > 0) { sign_opts = true; continue; }
        if (!strcmp(a, "--icc")) dst = &icc;
        else if (!strcmp(a, "-t") || !strcmp(a, "--type")) dst = &type;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) dst = &outp;
        else if (!strcmp(a, "-f") || !strcmp(a, "--format")) dst = &fmt;
        else if (!strcmp(a, "--dump")) dst = &dump;
        else if (!strcmp(a, "--register")) dst = &regfile;
        else if (!strcmp(a, "--data")) dst = &data;
        else if (!strcmp(a, "--fonts")) dst = &fonts;
        else if (a[0] == '-' && a[1]) return usage_error("render", usage_render, "unknown option %s", a);
        else if (!in) { in = a; continue; }
        else { fprintf(stderr, _("vanban render: one record at a time (use vanban batch for many)\n")); return VB_EXIT_USAGE; }
        if (i + 1 >= argc) { fprintf(stderr, _("vanban render: %s needs a value\n"), a); return VB_EXIT_USAGE; }
        *dst = argv[++i];
    }
    if (icc && !pdfa) { fprintf(stderr, _("vanban render: --icc is the profile of --pdfa; give --pdfa too\n")); return VB_EXIT_USAGE; }
    if (!in) return usage_error("render", usage_render, "no record given%s", "");
    if (!type) { fprintf(stderr, _("vanban render: say which document with -t (resolution, minutes, …)\n")); return VB_EXIT_USAGE; }
    if (dump && strcmp(dump, "model") && strcmp(dump, "layout")) { fprintf(stderr, _("vanban render: --dump takes model or layout\n")); return VB_EXIT_USAGE; }
    if (!outp && !dump) { fprintf(stderr, _("vanban render: say where to write with -o FILE.pdf or FILE.docx\n")); return VB_EXIT_USAGE; }
    if (regfile && (dump || !outp)) { fprintf(stderr, _("vanban render: --register numbers a document written with -o, not a --dump\n")); return VB_EXIT_USAGE; }
    if (sign_opts && !sign) { fprintf(stderr, _("vanban render: signing options need --sign\n")); return VB_EXIT_USAGE; }
    const vb_backend *be = NULL;
    if (fmt) {
        be = vb_backend_find(fmt);
        if (!be) { fprintf(stderr, _("vanban render: unknown format \"%s\" (pdf or docx)\n"), fmt); return VB_EXIT_USAGE; }
    } else if (outp) {
        be = vb_backend_for_path(outp);
        if (!be) { fprintf(stderr, _("vanban render: %s: cannot tell the format from the extension; use .pdf, .docx or -f\n"), outp); return VB_EXIT_USAGE; }
    }
    if (pdfa && (!be || strcmp(be->name, "pdf"))) { fprintf(stderr, _("vanban render: --pdfa is for PDF output\n")); return VB_EXIT_USAGE; }

    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_engine *e = NULL;
    vb_doc *doc = NULL;
    vb_buf out = {0};
    int code = 0;
    vb_record r;
    vb_schema schema;
    vb_output o = { .pages = -1 };
    vb_buf profile = {0};
    vb_diag_init(&o.msgs);
    vb_register *reg = NULL;
    vb_reg_ticket tk = { .open = false };
    vb_signer *signer = NULL;
    vb_buf signed_pdf = { 0 };
    if ((sign || sidecar) && be && strcmp(be->name, "pdf")) {
        fprintf(stderr, "vanban render: --sign and --sidecar are for PDF output\n");
        code = VB_EXIT_USAGE;
        goto done;
    }
    /* the key and images are checked before anything is rendered */
    if (sign && !(vb_sign_cli_finish(&sc, &d) && vb_signer_load(&sc.key, &signer, &d))) goto done;
    /* the record is read before the fonts are opened: its mistakes come first */
    if (!vb_schema_load(a, data ? data : vb_find_datadir(), &schema, &d)) goto done;
    if (!vb_record_load(&schema, a, in, &r, &d)) goto done;
    if (!vb_engine_open(data, fonts, &e, &d)) goto done;
    if (pdfa) {
        if (!vb_pdf_icc_load(icc ? icc : VB_SRGB_ICC, &profile, &d)) {
            if (!icc) vb_error(&d, d.exit_code, "vanban render: --pdfa needs an sRGB profile: install icc-profiles-free "
                                                 "or give one with --icc FILE");
            goto done;
        }
        vb_engine_set_render_opts(e, &(vb_render_opts){ .pdfa = true, .icc = (const unsigned char *)profile.data,
                                                         .icc_len = profile.len });
    }
    if (dump) {
        if (!vb_engine_build(e, &r, type, &doc, &d)) goto done;
        if (!strcmp(dump, "model")) vb_doc_dump(doc, stdout);
        if (!strcmp(dump, "layout")) {
            vb_layout *l;
            if (!vb_layout_run(doc, vb_engine_fonts(e), &l, &d)) goto done;
            vb_layout_dump(l, stdout);
            vb_layout_free(l);
        }
    }
    if (outp) {
        vb_diag_free(&o.msgs);
        /* the register: the number is taken (or checked) before the render
         * and kept only when the output is written (register.h) */
        if (regfile) {
            const vb_doctype *dt = vb_engine_type(e, r.convention, type);
            /* an unknown type: the render below says so */
            const struct vb_style *st = dt ? vb_engine_style(e, r.convention, &d) : NULL;
            if (dt && (!st || !vb_reg_open(regfile, true, &reg, &d) || !vb_reg_prepare(reg, a, st, dt, &r, &tk, &d)))
                goto done;
        }
        bool ok = vb_engine_render(e, &r, type, &be, 1, false, &o, &d);
        for (size_t i = 0; i < o.msgs.n; i++) {
            if (o.msgs.items[i].sev == VB_ERROR) vb_error(&d, o.msgs.exit_code, "%s", o.msgs.items[i].msg);
            else vb_warn(&d, "%s", o.msgs.items[i].msg);
        }
        if (!ok) goto done;
        vb_buf *final = &o.bytes;
        if (sign) {
            if (o.has_sigbox && !sc.sig.have_box) {
                sc.sig.have_box = true;
                sc.sig.box = (vb_sign_box){ o.sig_page, o.sig_box[0], o.sig_box[1], o.sig_box[2], o.sig_box[3] };
            }
            if (!sc.sig.organisation && o.author[0]) sc.sig.organisation = o.author;
            if (!sc.sig.number && o.number[0]) sc.sig.number = o.number;
            sc.sig.fonts = vb_engine_fonts(e);
            if (!vb_sign_pdf(signer, &sc.sig, outp, (const unsigned char *)o.bytes.data, o.bytes.len, &signed_pdf, &d)) goto done;
            final = &signed_pdf;
        }
        if (!vb_write_atomic(outp, final->data, final->len, &d)) goto done;
        if (reg) {
            if (!vb_reg_finish(reg, &tk, true, outp, "issued", &d)) {
                unlink(outp);       /* no file may carry a number the register does not hold */
                goto done;
            }
            printf("%s: %s\n", outp, tk.e.numsym);
        }
        if (sidecar) {
            vb_sign_box box = { o.sig_page, o.sig_box[0], o.sig_box[1], o.sig_box[2], o.sig_box[3] };
            if (!o.has_sigbox) vb_warn(&d, "%s: the document has no signature block; no sidecar written", outp);
            else if (!vb_sidecar_write(outp, &box, o.number[0] ? o.number : NULL, o.author[0] ? o.author : NULL, &d)) goto done;
        }
    }
done:
    if (reg && tk.open) vb_reg_finish(reg, &tk, false, NULL, NULL, &d);     /* failed: the number stays free */
    vb_reg_close(reg);
    vb_buf_free(&profile);
    vb_signer_free(signer);
    vb_buf_free(&signed_pdf);
    vb_buf_free(&o.bytes);
    vb_diag_free(&o.msgs);
    if (!code) code = d.errors ? (d.exit_code ? d.exit_code : VB_EXIT_INPUT) : 0;
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
        if (is_help(argv[i])) { put_usage(usage_check, stdout); return 0; }
        if (!strcmp(argv[i], "--data") || !strcmp(argv[i], "--fonts")) {
            if (i + 1 >= argc) return usage_error("check", usage_check, "%s needs a value", argv[i]);
            if (argv[i][2] == 'd') data = argv[++i]; else fonts = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("check", usage_check, "unknown option %s", argv[i]);
        } else nfiles++;
    }
    if (!nfiles) return usage_error("check", usage_check, "no record given%s", "");
    int code = 0;
    vb_engine *e = NULL;
    vb_arena *sa = vb_arena_new();
    vb_schema schema;
    vb_diag sd;
    vb_diag_init(&sd);
    if (!vb_schema_load(sa, data ? data : vb_find_datadir(), &schema, &sd)) {
        vb_arena_free(sa);
        return finish(&sd, sd.exit_code ? sd.exit_code : VB_EXIT_INPUT);
    }
    vb_diag_free(&sd);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") || !strcmp(argv[i], "--fonts")) { i++; continue; }
        vb_diag d;
        vb_diag_init(&d);
        vb_arena *a = vb_arena_new();
        vb_record r;
        bool ok = vb_record_load(&schema, a, argv[i], &r, &d);
        if (ok && !e && !vb_engine_open(data, fonts, &e, &d)) ok = false;
        vb_buf held = {0};
        if (ok) {
            /* exactly the documents the record holds, by their conditions */
            const char *types[64];
            size_t n = vb_engine_held(e, &r, types, 64);
            for (size_t k = 0; k < n; k++) {
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
        if (ok) printf("%s: ok (%s)\n", argv[i], held.len ? held.data : "no document")  /* read by scripts: not translated */;
        else if ((d.exit_code ? d.exit_code : VB_EXIT_INPUT) > code) code = d.exit_code ? d.exit_code : VB_EXIT_INPUT;
        vb_buf_free(&held);
        vb_diag_free(&d);
        vb_arena_free(a);
    }
    vb_engine_close(e);
    vb_arena_free(sa);
    return code;
}

static int cmd_fonts(int argc, char **argv)
{
    const char *fonts = NULL, *data = NULL;
    int rc = data_options(argc, argv, "fonts", usage_fonts, true, &data, &fonts);
    if (rc >= 0) return rc;
    vb_diag d;
    vb_diag_init(&d);
    vb_engine *e = NULL;
    if (!vb_engine_open(data, fonts, &e, &d)) return finish(&d, d.exit_code);
    static const char *names[] = { "regular", "bold", "italic", "bold italic" };
    vb_fonts *f = vb_engine_fonts(e);
    printf(_("font for \"%s\":\n"), vb_fonts_docx_family(f));
    for (int i = 0; i < VB_FACE_COUNT; i++)
        printf("  %-12s %s (%s %s)\n", names[i], vb_fonts_file(f, (vb_face)i), vb_fonts_family(f, (vb_face)i),
               vb_fonts_style(f, (vb_face)i));
    vb_engine_close(e);
    return finish(&d, 0);
}

/* s and spaces to `width` characters (printf pads bytes, not UTF-8). */
static void put_padded(const char *s, int width)
{
    int n = 0;
    for (const char *p = s; *p; p++) n += ((unsigned char)*p & 0xC0) != 0x80;
    printf("%s%*s", s, width > n ? width - n : 1, "");
}

static int cmd_types(int argc, char **argv)
{
    const char *data = NULL;
    int rc = data_options(argc, argv, "types", usage_types, false, &data, NULL);
    if (rc >= 0) return rc;
    vb_diag d;
    vb_diag_init(&d);
    vb_engine *e = NULL;
    if (!vb_engine_open(data, NULL, &e, &d)) return finish(&d, d.exit_code);
    /* "party: a b" first (scripts read that line), then one line a type */
    for (int c = 0; c < 2; c++) {
        const char **t;
        size_t n = vb_engine_types(e, (vb_convention)c, &t);
        printf("%s:", c == VB_PARTY ? "party" : "state");
        for (size_t i = 0; i < n; i++) printf(" %s", t[i]);
        printf("\n");
        for (size_t i = 0; i < n; i++) {
            const vb_doctype *dt = vb_engine_type(e, (vb_convention)c, t[i]);
            printf("  %-12s ", dt->name);
            put_padded(dt->title, 14);
            put_padded(*dt->abbr ? dt->abbr : "-", 6);
            printf(_("when the record has %s\n"), dt->holds);
        }
    }
    vb_engine_close(e);
    return finish(&d, 0);
}

/* vanban sign IN.pdf -o OUT.pdf --key KEY ... */
static int cmd_sign(int argc, char **argv)
{
    const char *in = NULL, *outp = NULL, *data = NULL, *fonts_dir = NULL;
    vb_sign_cli sc;
    vb_sign_cli_init(&sc);
    vb_diag d;
    vb_diag_init(&d);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) { put_usage(usage_sign, stdout); vb_diag_free(&d); return 0; }
        int t = vb_sign_cli_option(&sc, argc, argv, &i, &d);
        if (t < 0) { fprintf(stderr, "vanban sign: %s\n", d.items[0].msg); vb_diag_free(&d); return VB_EXIT_USAGE; }
        if (t > 0) continue;
        const char **dst = !strcmp(a, "-o") || !strcmp(a, "--output") ? &outp : !strcmp(a, "--data") ? &data
                         : !strcmp(a, "--fonts") ? &fonts_dir : NULL;
        if (dst) {
            if (i + 1 >= argc) { vb_diag_free(&d); return usage_error("sign", usage_sign, "%s needs a value", a); }
            *dst = argv[++i];
        } else if (a[0] == '-' && a[1]) { vb_diag_free(&d); return usage_error("sign", usage_sign, "unknown option %s", a); }
        else if (!in) in = a;
        else { vb_diag_free(&d); return usage_error("sign", usage_sign, "one PDF at a time, got \"%s\" too", a); }
    }
    if (!in) { vb_diag_free(&d); return usage_error("sign", usage_sign, "no PDF given%s", ""); }
    if (!outp) { vb_diag_free(&d); return usage_error("sign", usage_sign, "say where to write with -o OUT.pdf%s", ""); }
    if (!strcmp(in, outp)) { vb_diag_free(&d); return usage_error("sign", usage_sign, "-o must differ from the input (%s): the input is kept as it was", in); }
    vb_signer *signer = NULL;
    vb_fonts *fonts = NULL;
    char *pdf = NULL, *number = NULL, *org = NULL;
    size_t len = 0;
    vb_buf out = { 0 };
    bool present = false;
    int code = 0;
    if (!vb_sign_cli_finish(&sc, &d)) goto done;
    if (!vb_read_file(in, (size_t)1 << 30, &pdf, &len, &d)) goto done;
    /* where the signature block is: --at, else the sidecar of a PDF we rendered */
    if (!sc.sig.have_box) {
        vb_sign_box box;
        if (vb_sidecar_read(in, &box, &number, &org, &present, &d)) { sc.sig.have_box = true; sc.sig.box = box; }
        else if (present) goto done;
        if (!sc.sig.number) sc.sig.number = number;
        if (!sc.sig.organisation) sc.sig.organisation = org;
    }
    if (sc.sig.as == VB_SIGN_ANNEX || sc.sig.as == VB_SIGN_COPY) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/fonts", data ? data : vb_find_datadir());
        if (!vb_fonts_open(fonts_dir ? fonts_dir : dir, "Times New Roman", &fonts, &d)) goto done;
        sc.sig.fonts = fonts;
    }
    if (!vb_signer_load(&sc.key, &signer, &d)) goto done;
    if (!vb_sign_pdf(signer, &sc.sig, in, (const unsigned char *)pdf, len, &out, &d)) goto done;
    if (!vb_write_atomic(outp, out.data, out.len, &d)) goto done;
    /* the sidecar follows the file, so the organisation can sign after the person */
    if (present && sc.sig.have_box && !sc.at) vb_sidecar_write(outp, &sc.sig.box, number, org, &d);
done:
    if (d.errors) code = d.exit_code ? d.exit_code : VB_EXIT_INPUT;
    vb_signer_free(signer);
    vb_fonts_close(fonts);
    free(pdf);
    free(number);
    free(org);
    vb_buf_free(&out);
    return finish(&d, code);
}

/* vanban verify FILE.pdf [--ca ROOTS.pem] */
static int cmd_verify(int argc, char **argv)
{
    const char *in = NULL, *ca = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) { put_usage(usage_verify, stdout); return 0; }
        if (!strcmp(a, "--ca")) {
            if (i + 1 >= argc) return usage_error("verify", usage_verify, "%s needs a value", a);
            ca = argv[++i];
        } else if (a[0] == '-' && a[1]) return usage_error("verify", usage_verify, "unknown option %s", a);
        else if (!in) in = a;
        else return usage_error("verify", usage_verify, "one PDF at a time, got \"%s\" too", a);
    }
    if (!in) return usage_error("verify", usage_verify, "no PDF given%s", "");
    vb_diag d;
    vb_diag_init(&d);
    char *pdf = NULL;
    size_t len;
    bool intact = false;
    int n = 0, code = 0;
    if (!vb_read_file(in, (size_t)1 << 30, &pdf, &len, &d)) goto done;
    if (!vb_verify_pdf(in, (const unsigned char *)pdf, len, ca, stdout, &intact, &n, &d)) goto done;
    if (!intact) code = VB_EXIT_INPUT;
done:
    free(pdf);
    if (!code && d.errors) code = d.exit_code ? d.exit_code : VB_EXIT_INPUT;
    return finish(&d, code);
}

/* Run command cmd with its arguments (argv[0] is the command's name). */
static int run(const char *cmd, int argc, char **argv)
{
    if (!strcmp(cmd, "render")) return cmd_render(argc, argv);
    if (!strcmp(cmd, "check")) return cmd_check(argc, argv);
    if (!strcmp(cmd, "batch")) return vb_batch_main(argc, argv);
    if (!strcmp(cmd, "serve")) return vb_serve_main(argc, argv);
    if (!strcmp(cmd, "register")) return vb_register_main(argc, argv);
    if (!strcmp(cmd, "fonts")) return cmd_fonts(argc, argv);
    if (!strcmp(cmd, "sign")) return cmd_sign(argc, argv);
    if (!strcmp(cmd, "verify")) return cmd_verify(argc, argv);
    if (!strcmp(cmd, "types")) return cmd_types(argc, argv);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) { printf("vanban %s\n", VB_VERSION); return 0; }
    if (is_help(cmd)) { put_usage(usage_top, stdout); return 0; }
    fprintf(stderr, _("vanban: unknown command \"%s\"\n"), cmd);
    put_usage(usage_top, stderr);
    return VB_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    vb_i18n_init();
    vb_install_signals();
    if (argc < 2) { put_usage(usage_top, stderr); return VB_EXIT_USAGE; }
    if (!strcmp(argv[1], "help")) {
        if (argc == 2) { put_usage(usage_top, stdout); return 0; }
        if (argc > 3) return usage_error("help", usage_top, "takes one command, got \"%s\" too", argv[3]);
        /* "vanban help render" is "vanban render --help" */
        char help[] = "--help";
        char *args[] = { argv[2], help, NULL };
        return run(argv[2], 2, args);
    }
    return run(argv[1], argc - 1, argv + 1);
}
