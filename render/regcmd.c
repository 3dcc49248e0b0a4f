/* regcmd.c — `vanban register FILE ACTION`: the command line of the
 * outgoing register (register.h does the work; docs/register.md). */
#include "vb.h"
#include "engine.h"
#include "register.h"
#include "style.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vb_register_main(int argc, char **argv);

/* Every option listed here must be in docs/vanban.1 too (tests/cli.sh). */
static const char usage_register[] = N_(
    "usage: vanban register FILE ACTION [ARG...] [--year Y] [-o OUT] [--term T] [--reason TEXT]\n"
    "                       [--date YYYY-MM-DD] [--to WHO] [--convention party|state] [--data DIR]\n"
    "                       [--fonts DIR]\n"
    "The outgoing register (so dang ky van ban di) in the SQLite file FILE (docs/register.md).\n"
    "Actions:\n"
    "  init                  make FILE a register (nothing changes when it is one)\n"
    "  term T                the Party term numbers run in when a record gives none: 2020-2025\n"
    "  list                  one line a document: number and symbol, date, type, status, record, summary,\n"
    "                        copies, date sent, received by, notes\n"
    "  check NUMBER-SYMBOL   is it in the register? (exit 0 yes, 1 no)\n"
    "  withdraw NUMBER-SYMBOL  mark a document withdrawn; its number is never given again\n"
    "  confirm PLAN          the numbers a plan of vanban batch reserved become issued\n"
    "  send NUMBER-SYMBOL --date YYYY-MM-DD [--to WHO]\n"
    "                        record the day the document was sent and who received it\n"
    "  note NUMBER-SYMBOL TEXT  add a note to the document's line\n"
    "  copies NUMBER-SYMBOL N   the number of copies made of the document\n"
    "  export-csv            the register as CSV (to stdout, or -o FILE.csv)\n"
    "  print                 the register as a PDF (or DOCX) table to bind: -o register.pdf\n"
    "Options:\n"
    "      --year Y          only the documents dated in year Y (list, export-csv, print); which of two\n"
    "                        documents written the same (check, withdraw, send, note, copies)\n"
    "  -o, --output FILE     where export-csv and print write\n"
    "      --term T          with init: the register's Party term\n"
    "      --reason TEXT     with withdraw: why, kept in the notes column\n"
    "      --date YYYY-MM-DD with send: the day it was sent\n"
    "      --to WHO          with send: the unit or person who received it (signs in the printed register)\n"
    "      --convention C    with print: whose rule file lays it out (default: the documents')\n"
    "      --data DIR        the folder holding templates/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
    "  -h, --help            this help\n"
    "  --                    what follows is arguments, not options (a note that starts with -)\n"
    "Environment: VANBAN_REGISTER_TIMEOUT, how long to wait for another writer's lock (ms, default 60000).\n"
    "Exit status: 0 ok, 1 bad input (not a register, a number not found, a duplicate, a withdrawn document),\n"
    "2 usage (also a malformed date, number of copies or text), 3 output or system error (the register\n"
    "locked too long, cannot write).\n");

/* A usage error: the message, then the usage, on stderr (fmt is
 * translated: tools/po-update.sh knows reg_usage_error). */
static int reg_usage_error(const char *fmt, const char *arg)
{
    fputs("vanban register: ", stderr);
    fprintf(stderr, gettext(fmt), arg);
    fputc('\n', stderr);
    fputs(_(usage_register), stderr);
    return VB_EXIT_USAGE;
}

static int done(vb_diag *d, int code)
{
    vb_diag_print(d, stderr);
    if (code == 0 && d->errors) code = d->exit_code ? d->exit_code : VB_EXIT_INPUT;
    vb_diag_free(d);
    return code;
}

/* confirm: every line of a plan (record, type, number, numsym, source,
 * tab-separated) that is reserved in the register becomes issued. */
static bool confirm(vb_register *r, const char *plan, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(plan, 64u << 20, &data, &len, d)) return false;
    vb_arena *a = vb_arena_new();
    size_t nlines = 0, changed = 0;
    bool ok = true;
    int line = 0;
    for (char *p = data, *nl; ok && p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl) *nl = 0;
        line++;
        if (!*p || *p == '#') continue;
        char *f[5];
        int k = 0;
        for (char *q = p; k < 5; k++) {
            f[k] = q;
            char *t = strchr(q, '\t');
            if (!t) { k++; break; }
            *t = 0;
            q = t + 1;
        }
        int64_t n;
        const char *canon;
        if (k < 4 || !vb_reg_parse_numsym(a, vb_sprintf(a, "%s:%d", plan, line), f[3], &n, &canon, d)) {
            if (k < 4) vb_error(d, VB_EXIT_INPUT, "%s:%d: expected record, type, number, number and symbol, "
                                "source, tab-separated (a plan of vanban batch --reserve)", plan, line);
            ok = false;
            break;
        }
        nlines++;
        size_t c;
        if (!vb_reg_confirm(r, f[0], f[1], canon, &c, d)) { ok = false; break; }
        if (!c) {
            vb_error(d, VB_EXIT_INPUT, "%s:%d: %s of record \"%s\" (%s) is not reserved in %s (withdrawn, or "
                     "never there)", plan, line, canon,
                     f[0], f[1], vb_reg_path(r));
            ok = false;
        }
        changed += c;
    }
    if (ok) printf(_("%s: %zu numbers of the plan issued\n"), vb_reg_path(r), changed);
    free(data);
    vb_arena_free(a);
    return ok && nlines == changed;
}

/* What send, note and copies wrote, and what it replaced. */
static void said_filled(const char *file, const vb_reg_entry *was, const vb_reg_fill *f)
{
    if (f->sent) {
        const char *to = f->received ? f->received : was->received;
        if (*to) printf(_("%s: %s sent on %s to %s\n"), file, was->numsym, f->sent, to);
        else printf(_("%s: %s sent on %s\n"), file, was->numsym, f->sent);
        if (*was->sent && *was->received)
            printf(_("%s: %s: it said sent on %s to \"%s\" before\n"), file, was->numsym, was->sent, was->received);
        else if (*was->sent) printf(_("%s: %s: it said sent on %s before\n"), file, was->numsym, was->sent);
    }
    if (f->note) printf(_("%s: %s: note added\n"), file, was->numsym);
    if (f->copies) printf(_("%s: %s: %d copies (it said %d)\n"), file, was->numsym, f->copies, was->copies);
}

int vb_register_main(int argc, char **argv)
{
    const char *pos[4] = { NULL, NULL, NULL, NULL };
    int npos = 0;
    const char *year_s = NULL, *outp = NULL, *term = NULL, *reason = NULL, *conv = NULL, *data = NULL, *fonts = NULL,
               *date = NULL, *to = NULL;
    bool only_args = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!only_args && !strcmp(a, "--")) { only_args = true; continue; }   /* a note such as "-5" */
        if (only_args) {
            if (npos < 4) { pos[npos++] = a; continue; }
            return reg_usage_error("one action at a time; \"%s\" is one argument too many", a);
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(_(usage_register), stdout); return 0; }
        if (!strcmp(a, "--year")) dst = &year_s;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) dst = &outp;
        else if (!strcmp(a, "--term")) dst = &term;
        else if (!strcmp(a, "--reason")) dst = &reason;
        else if (!strcmp(a, "--convention")) dst = &conv;
        else if (!strcmp(a, "--data")) dst = &data;
        else if (!strcmp(a, "--fonts")) dst = &fonts;
        else if (!strcmp(a, "--date")) dst = &date;
        else if (!strcmp(a, "--to")) dst = &to;
        else if (a[0] == '-' && a[1]) return reg_usage_error("unknown option %s", a);
        else if (npos < 4) { pos[npos++] = a; continue; }
        else return reg_usage_error("one action at a time; \"%s\" is one argument too many", a);
        if (i + 1 >= argc) return reg_usage_error("%s needs a value", a);
        *dst = argv[++i];
    }
    if (npos < 2) return reg_usage_error("say the register FILE and an action (init, list, print, ...)%s", "");
    const char *file = pos[0], *act = pos[1], *arg = pos[2], *arg2 = pos[3];
    static const char *const acts[] = { "init", "term", "list", "check", "withdraw", "confirm", "send", "note",
                                        "copies", "export-csv", "print", NULL };
    static const int nargs[] = { 0, 1, 0, 1, 1, 1, 1, 2, 2, 0, 0 };
    int ai = -1;
    for (int k = 0; acts[k]; k++) if (!strcmp(act, acts[k])) ai = k;
    if (ai < 0) return reg_usage_error("unknown action \"%s\"", act);
    if (nargs[ai] == 1 && !arg) return reg_usage_error("%s needs its argument", act);
    if (nargs[ai] == 2 && !arg2) return reg_usage_error("%s needs two arguments: the number and symbol, then the "
                                                        "value", act);
    if (nargs[ai] == 0 && arg) return reg_usage_error("\"%s\" takes no argument", act);
    if (nargs[ai] < 2 && arg2) return reg_usage_error("one action at a time; \"%s\" is one argument too many", arg2);
    if ((date || to) && strcmp(act, "send")) return reg_usage_error("--date and --to go with send, not with %s", act);
    if (!strcmp(act, "send") && !date) return reg_usage_error("send needs --date YYYY-MM-DD, the day %s was sent", arg);
    vb_reg_fill fill = { .sent = date, .received = to };
    if (!strcmp(act, "note")) fill.note = arg2;
    if (!strcmp(act, "copies")) {
        char *end;
        long c = strtol(arg2, &end, 10);
        if (*end || end == arg2 || c < 1 || c > VB_REG_MAX_COPIES)
            return reg_usage_error("copies takes a number of copies from 1 to 9999, got \"%s\"", arg2);
        fill.copies = (int)c;
    }
    int year = 0;
    if (year_s) {
        char *end;
        long y = strtol(year_s, &end, 10);
        if (*end || y < 1900 || y > 9999) return reg_usage_error("--year takes a year such as 2024, got \"%s\"", year_s);
        year = (int)y;
    }
    if (!strcmp(act, "print") && !outp) return reg_usage_error("print needs -o FILE.pdf (or .docx)%s", "");
    if (conv && strcmp(conv, "party") && strcmp(conv, "state"))
        return reg_usage_error("--convention takes party or state, got \"%s\"", conv);
    const vb_backend *be = NULL;
    if (!strcmp(act, "print")) {
        be = vb_backend_for_path(outp);
        if (!be) return reg_usage_error("%s: print writes .pdf or .docx", outp);
    }

    vb_diag d;
    vb_diag_init(&d);
    vb_register *r = NULL;
    vb_arena *a = vb_arena_new();
    vb_engine *e = NULL;
    vb_doc *doc = NULL;
    vb_buf buf = {0};
    int code = 0;
    if (!vb_reg_open(file, !strcmp(act, "init"), &r, &d)) goto out;
    if (!strcmp(act, "init")) {
        if (term && !vb_reg_set_term(r, term, &d)) goto out;
        if (term) printf(_("%s: a register, term %s\n"), file, term);
        else printf(_("%s: a register\n"), file);
    } else if (!strcmp(act, "term")) {
        if (!vb_reg_set_term(r, arg, &d)) goto out;
        printf(_("%s: term %s\n"), file, arg);
    } else if (!strcmp(act, "list")) {
        vb_reg_entry *v;
        size_t n;
        if (!vb_reg_list(r, a, year, &v, &n, &d)) goto out;
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", v[i].numsym, v[i].date, v[i].type, v[i].status,
                   v[i].record, v[i].summary, v[i].copies, v[i].sent, v[i].received, v[i].notes);
    } else if (!strcmp(act, "check")) {
        vb_reg_entry x;
        bool found;
        if (!vb_reg_find(r, a, arg, year, &x, &found, &d)) goto out;
        if (!found) { vb_error(&d, VB_EXIT_INPUT, "%s: %s is not in the register", file, arg); goto out; }
        printf("%s\t%s\t%s\t%s\t%s\t%s\n", x.numsym, x.date, x.type, x.status, x.record, x.source);
    } else if (!strcmp(act, "withdraw")) {
        if (!vb_reg_withdraw(r, arg, year, reason, &d)) goto out;
        printf(_("%s: %s withdrawn\n"), file, arg);
    } else if (fill.sent || fill.note || fill.copies) {    /* send, note, copies */
        vb_reg_entry was;
        if (!vb_reg_fill_in(r, a, arg, year, &fill, &was, &d)) goto out;
        said_filled(file, &was, &fill);
    } else if (!strcmp(act, "confirm")) {
        if (!confirm(r, arg, &d)) goto out;
    } else if (!strcmp(act, "export-csv")) {
        vb_reg_entry *v;
        size_t n;
        if (!vb_reg_list(r, a, year, &v, &n, &d)) goto out;
        vb_reg_csv(v, n, &buf);
        if (outp) { if (!vb_write_atomic(outp, buf.data, buf.len, &d)) goto out; }
        else if (fwrite(buf.data, 1, buf.len, stdout) != buf.len || fflush(stdout)) {
            vb_error(&d, VB_EXIT_SYSTEM, "stdout: cannot write");
            goto out;
        }
    } else {   /* print */
        vb_reg_entry *v;
        size_t n;
        if (!vb_reg_list(r, a, year, &v, &n, &d)) goto out;
        /* the documents' convention lays it out, unless told: state when mixed */
        vb_convention c = VB_STATE;
        if (conv) c = !strcmp(conv, "party") ? VB_PARTY : VB_STATE;
        else if (n) {
            c = VB_PARTY;
            for (size_t i = 0; i < n; i++) if (strcmp(v[i].convention, "party")) c = VB_STATE;
        }
        if (!vb_engine_open(data, fonts, &e, &d)) goto out;
        const vb_style *st = vb_engine_style(e, c, &d);
        if (!st || !vb_reg_print(st, v, n, year, &doc, &d)) goto out;
        if (!vb_engine_write(e, doc, be, &buf, &d)) goto out;
        if (!vb_write_atomic(outp, buf.data, buf.len, &d)) goto out;
        if (n == 1) printf(_("%s: 1 document, written to %s\n"), file, outp);
        else printf(_("%s: %zu documents, written to %s\n"), file, n, outp);
    }
out:
    code = d.errors ? (d.exit_code ? d.exit_code : VB_EXIT_INPUT) : 0;
    vb_buf_free(&buf);
    vb_doc_free(doc);
    vb_engine_close(e);
    vb_reg_close(r);
    vb_arena_free(a);
    return done(&d, code);
}
