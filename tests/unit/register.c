/* Unit tests for register.c: numbers and symbols as typed, the [register]
 * rule of the rule files, numbering through prepare/finish (next, no gap
 * after a failed render, the same number for the same document, a
 * duplicate), four threads with a connection each taking numbers at once,
 * withdraw, what a clerk fills in after issuing (send, note, copies:
 * vb_reg_fill_in, kept on a re-registration, its refusals), CSV quoting
 * and formula neutralising, the printed register's model, and the record
 * kept with a line (vanban serve), replaced when the document is numbered
 * again with one, dropped when again without one (a batch).  Run from the
 * repository root (it reads templates/ and samples/). */
#include "check.h"
#include "register.h"
#include "record.h"
#include "schema.h"
#include "style.h"
#include "model.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static vb_arena *A;
static vb_diag D;
static vb_schema S;
static char DIR_[64];

static const char *msg0(void) { return D.n ? D.items[0].msg : "(no message)"; }
static bool has_msg(const char *part) { for (size_t i = 0; i < D.n; i++) if (strstr(D.items[i].msg, part)) return true; return false; }

static void test_numsym(void)
{
    int64_t n;
    const char *c;
    struct { const char *in, *canon; int64_t n; } good[] = {
        { "07/NQ-HĐND", "07/NQ-HĐND", 7 },
        { "7/NQ-HĐND", "07/NQ-HĐND", 7 },
        { "Số: 05/QĐ-UBND", "05/QĐ-UBND", 5 },
        { "Số 15-NQ/ĐUK", "15-NQ/ĐUK", 15 },
        { "  123 / NQ-HĐND  ", "123/NQ-HĐND", 123 },
        { "999999999-NQ/TW", "999999999-NQ/TW", 999999999 },
        { "S\xe1\xbb\x91:\xc2\xa0\xc2\xa0" "12/UBND", "12/UBND", 12 },
        /* NFD: "HĐND" is the same, "Số" with a combining acute and hook */
        { "So\xcc\x82\xcc\x81: 3/QĐ-UBND", "03/QĐ-UBND", 3 },
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        vb_diag_clear(&D);
        c = NULL;
        CHECK(vb_reg_parse_numsym(A, "t", good[i].in, &n, &c, &D));
        CHECK_STR(c, good[i].canon);
        CHECK(n == good[i].n);
    }
    const char *bad[] = { "", "NQ-HĐND", "0/NQ", "00/NQ", "1234567890/NQ", "07/", "07/NQ HĐND", "07NQ", "07 NQ",
                          "\xff/NQ", "07/NQ\t", "-5/NQ", "Số:" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vb_diag_clear(&D);
        CHECK(!vb_reg_parse_numsym(A, "arg", bad[i], &n, &c, &D));
        CHECK(D.errors == 1 && !strncmp(msg0(), "arg: ", 5));
    }
}

static void test_style_rule(void)
{
    vb_style st;
    vb_diag_clear(&D);
    CHECK(vb_style_load(A, "templates/state/style", &st, &D));
    CHECK(st.reg_series == (VB_SERIES_ISSUER | VB_SERIES_YEAR));
    CHECK(vb_style_load(A, "templates/party/style", &st, &D));
    CHECK(st.reg_series == (VB_SERIES_ISSUER | VB_SERIES_TYPE | VB_SERIES_TERM));
    const char *bad[] = { "issuer+year+term", "year", "issuer+issuer", "issuer+month", "", "issuer+" "+year" };
    char *p = vb_sprintf(A, "%s/style", DIR_);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(p, "w");
        if (!f) { perror(p); exit(1); }
        fprintf(f, "convention = state\n[register]\nseries = %s\n", bad[i]);
        fclose(f);
        vb_diag_clear(&D);
        bool ok = vb_style_load(A, p, &st, &D);
        /* "issuer++year" has an empty component: strtok skips it, so it is issuer+year */
        if (!strcmp(bad[i], "issuer++year")) { CHECK(ok); continue; }
        CHECK(!ok);
        CHECK(strstr(msg0(), ":3: series takes issuer") != NULL);
    }
    FILE *f = fopen(p, "w");
    fprintf(f, "convention = state\n[register]\nreset = yearly\n");
    fclose(f);
    vb_diag_clear(&D);
    CHECK(!vb_style_load(A, p, &st, &D));
    CHECK(strstr(msg0(), ":3: unknown [register] key reset") != NULL);
}

/* A record of a sample, its number removed. */
static bool load(vb_arena *a, const char *path, vb_record *r)
{
    vb_diag d;
    vb_diag_init(&d);
    bool ok = vb_record_load(&S, a, path, r, &d);
    vb_diag_free(&d);
    if (!ok) return false;
    vb_value *res = vb_value_get(r->root, "resolution");
    if (res) vb_value_set(a, res, "number", vb_value_int(a, 0));
    return true;
}

static int64_t take(vb_register *reg, vb_arena *a, const vb_style *st, const vb_doctype *t, vb_record *r, bool ok)
{
    vb_reg_ticket tk;
    if (!vb_reg_prepare(reg, a, st, t, r, &tk, &D)) return -1;
    int64_t n = tk.e.number;
    const vb_value *v = vb_value_path(r->root, "resolution.number");
    if (!v || v->kind != VB_INT || v->i != n) return -2;     /* the number is in the record for the render */
    if (!vb_reg_finish(reg, &tk, ok, "out.pdf", "issued", &D)) return -3;
    return n;
}

static void unnumber(vb_arena *a, vb_record *r)
{
    vb_value_set(a, vb_value_get(r->root, "resolution"), "number", vb_value_int(a, 0));
}

typedef struct th { int k; const vb_style *st; const vb_doctype *t; int64_t got[25]; bool ok; } th;
static const char *REG;

static void *taker(void *arg)
{
    th *x = arg;
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_register *reg;
    vb_record r;
    x->ok = vb_reg_open(REG, true, &reg, &d) && load(a, "samples/draft-unnumbered.json", &r);
    for (int i = 0; x->ok && i < 25; i++) {
        r.id = vb_sprintf(a, "t%d-%d", x->k, i);
        unnumber(a, &r);
        vb_reg_ticket tk;
        x->ok = vb_reg_prepare(reg, a, x->st, x->t, &r, &tk, &d) && vb_reg_finish(reg, &tk, true, "", "issued", &d);
        x->got[i] = tk.e.number;
    }
    if (d.n) vb_diag_print(&d, stderr);
    if (x->ok) vb_reg_close(reg);
    vb_diag_free(&d);
    vb_arena_free(a);
    return NULL;
}

/* send, note, copies (vb_reg_fill_in) on the register test_numbering
 * made: 12/NQ-HĐND of record "f" issued, 11 withdrawn. */
static void test_fill_in(vb_register *reg, const vb_style *st, const vb_doctype *t, vb_record *r)
{
    vb_reg_entry was, x;
    bool found;
    vb_diag_clear(&D);
    vb_reg_fill f = { .sent = "2024-12-21", .received = " Văn phòng UBND xã ", .copies = 4 };
    CHECK(vb_reg_fill_in(reg, A, "12/NQ-HĐND", 0, &f, &was, &D) && !*was.sent && was.copies >= 2);
    CHECK(vb_reg_find(reg, A, "12/NQ-HĐND", 0, &x, &found, &D) && found);
    CHECK_STR(x.sent, "2024-12-21");
    CHECK_STR(x.received, "Văn phòng UBND xã");     /* the spaces around it dropped */
    CHECK(x.copies == 4);
    /* registered again (the batch run twice): the clerk's columns stay */
    unnumber(A, r);
    r->id = "f";
    CHECK(take(reg, A, st, t, r, true) == 12);
    CHECK(vb_reg_find(reg, A, "12/NQ-HĐND", 0, &x, &found, &D) && x.copies == 4 && !strcmp(x.sent, "2024-12-21"));
    /* notes go after those there: the withdrawal's reason stays */
    vb_reg_fill n1 = { .note = "bản sao gửi lại" };
    CHECK(vb_reg_fill_in(reg, A, "11/NQ-HĐND", 0, &n1, NULL, &D));
    CHECK(vb_reg_find(reg, A, "11/NQ-HĐND", 0, &x, &found, &D));
    CHECK_STR(x.notes, "Đã thu hồi: nhầm \"số\"; bản sao gửi lại");
    /* refused: a withdrawn document sent or its copies changed (exit 1),
     * a number not there (1), a date before the document's (1), a
     * malformed date, number of copies or text (2); nothing changes */
    struct { const char *numsym; vb_reg_fill f; int code; const char *msg; } bad[] = {
        { "11/NQ-HĐND", { .sent = "2024-12-22" }, VB_EXIT_INPUT, "is withdrawn: it is not sent" },
        { "11/NQ-HĐND", { .copies = 2 }, VB_EXIT_INPUT, "is withdrawn" },
        { "40/NQ-HĐND", { .note = "x" }, VB_EXIT_INPUT, "40/NQ-HĐND is not in the register" },
        { "12/NQ-HĐND", { .sent = "2024-12-19" }, VB_EXIT_INPUT, "is dated 2024-12-20; it cannot have been sent on 2024-12-19" },
        { "12/NQ-HĐND", { .sent = "21/12/2024" }, VB_EXIT_USAGE, "--date: the day it was sent is YYYY-MM-DD" },
        { "12/NQ-HĐND", { .sent = "2024-02-30" }, VB_EXIT_USAGE, "--date: the day it was sent is YYYY-MM-DD" },
        { "12/NQ-HĐND", { .copies = 10000 }, VB_EXIT_USAGE, "10000 is not a number of copies" },
        { "12/NQ-HĐND", { .note = "  " }, VB_EXIT_USAGE, "note: the text is empty" },
        { "12/NQ-HĐND", { .note = "a\nb" }, VB_EXIT_USAGE, "note: U+000A is a control character" },
        { "12/NQ-HĐND", { .sent = "2024-12-22", .received = "\xff" }, VB_EXIT_USAGE, "--to: invalid UTF-8 at byte 0" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        vb_diag_clear(&D);
        CHECK(!vb_reg_fill_in(reg, A, bad[i].numsym, 0, &bad[i].f, NULL, &D));
        CHECK(D.exit_code == bad[i].code && has_msg(bad[i].msg));
        if (!has_msg(bad[i].msg)) fprintf(stderr, "  fill %zu: %s\n", i, msg0());
    }
    vb_diag_clear(&D);
    CHECK(vb_reg_find(reg, A, "12/NQ-HĐND", 0, &x, &found, &D) && x.copies == 4 && !strcmp(x.sent, "2024-12-21"));
    CHECK(vb_reg_find(reg, A, "11/NQ-HĐND", 0, &x, &found, &D) && !strcmp(x.status, "withdrawn") && !*x.sent);
}

/* export-csv: a cell a spreadsheet would run as a formula starts with a
 * ' (OWASP); plain numbers, and every other cell, stay as they are. */
static void test_csv_formula(void)
{
    struct { const char *in, *out; } cell[] = {
        { "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
        { "+1+1", "\"'+1+1\"" },
        { "-2+3", "\"'-2+3\"" },
        { "@SUM(A1:A9)", "\"'@SUM(A1:A9)\"" },
        { "\tcmd", "\"'\tcmd\"" },
        { "\rcmd", "\"'\rcmd\"" },
        { "-", "\"'-\"" },
        { "-5", "\"-5\"" },
        { "+84912345678", "\"+84912345678\"" },
        { "-12,5", "\"-12,5\"" },
        { "-1.", "\"'-1.\"" },
        { "Lưu: VT", "\"Lưu: VT\"" },
        { "a=1", "\"a=1\"" },
        { "", "\"\"" },
    };
    for (size_t i = 0; i < sizeof cell / sizeof *cell; i++) {
        vb_reg_entry e = { .series = "", .numsym = "01/NQ-X", .date = "2024-12-20", .convention = "state", .issuer = "",
                           .term = "", .type = "resolution", .type_title = "NGHỊ QUYẾT", .summary = "", .signer = "",
                           .recipients = "", .keeper = "", .sent = "", .received = "", .notes = cell[i].in,
                           .record = "r", .source = "", .outputs = "", .status = "issued" };
        vb_buf b = {0};
        vb_reg_csv(&e, 1, &b);
        /* the notes are the tenth cell of the second row */
        const char *row = strstr(vb_buf_cstr(&b), "\r\n") + 2;
        const char *p = row;
        bool quoted = false;
        for (int commas = 0; *p && commas < 9; p++) {
            if (*p == '"') quoted = !quoted;
            else if (*p == ',' && !quoted) commas++;
        }
        bool ok = !strncmp(p, cell[i].out, strlen(cell[i].out)) && p[strlen(cell[i].out)] == ',';
        CHECK(ok);
        if (!ok) fprintf(stderr, "  csv cell %zu: %.40s\n", i, p);
        vb_buf_free(&b);
    }
}

static void test_numbering(void)
{
    vb_style st;
    vb_diag_clear(&D);
    CHECK(vb_style_load(A, "templates/state/style", &st, &D));
    const vb_doctype *t = vb_schema_type(&S, VB_STATE, "resolution");
    CHECK(t != NULL);
    if (!t) return;
    const char *path = vb_sprintf(A, "%s/r.db", DIR_);
    vb_register *reg = NULL;
    CHECK(!vb_reg_open(path, false, &reg, &D) && has_msg("no such register"));
    vb_diag_clear(&D);
    CHECK(vb_reg_open(path, true, &reg, &D));
    if (!reg) return;
    vb_record r;
    CHECK(load(A, "samples/draft-unnumbered.json", &r));
    r.id = "a";
    CHECK(take(reg, A, &st, t, &r, true) == 1);
    unnumber(A, &r);
    r.id = "b";
    CHECK(take(reg, A, &st, t, &r, false) == 2);    /* the render failed: rolled back */
    unnumber(A, &r);
    CHECK(take(reg, A, &st, t, &r, true) == 2);     /* so 2 is still free: no gap */
    unnumber(A, &r);
    r.id = "a";
    CHECK(take(reg, A, &st, t, &r, true) == 1);     /* the same document again: its number */
    /* a number given by another record: a duplicate naming both */
    r.id = "c";
    vb_value_set(A, vb_value_get(r.root, "resolution"), "number", vb_value_int(A, 2));
    vb_diag_clear(&D);
    vb_reg_ticket tk;
    CHECK(!vb_reg_prepare(reg, A, &st, t, &r, &tk, &D));
    CHECK(has_msg("/resolution/number: 02/NQ-HĐND is already in the register") && has_msg("record \"b\""));
    /* the lock is released after the refusal: the next taker goes on */
    unnumber(A, &r);
    vb_diag_clear(&D);
    CHECK(take(reg, A, &st, t, &r, true) == 3);
    /* a given number beyond the series moves it on */
    r.id = "d";
    vb_value_set(A, vb_value_get(r.root, "resolution"), "number", vb_value_int(A, 10));
    CHECK(take(reg, A, &st, t, &r, true) == 10);
    r.id = "e";
    unnumber(A, &r);
    CHECK(take(reg, A, &st, t, &r, true) == 11);
    vb_reg_entry *v;
    size_t n;
    CHECK(vb_reg_list(reg, A, 0, &v, &n, &D) && n == 5);
    CHECK(n == 5 && !strcmp(v[0].numsym, "01/NQ-HĐND") && !strcmp(v[4].numsym, "11/NQ-HĐND"));
    CHECK(n == 5 && !strcmp(v[0].series, "state|Hội đồng nhân dân xã An Bình|2024") && v[0].year == 2024);
    CHECK(n == 5 && !strcmp(v[0].keeper, "Lưu: VT") && v[0].copies >= 2 && *v[0].signer && *v[0].recipients);
    CHECK(vb_reg_list(reg, A, 2025, &v, &n, &D) && n == 0);
    /* withdraw: marked, never given again, not twice */
    vb_diag_clear(&D);
    CHECK(vb_reg_withdraw(reg, "11/NQ-HĐND", 0, "nhầm \"số\"", &D));
    CHECK(!vb_reg_withdraw(reg, "11/NQ-HĐND", 0, NULL, &D) && has_msg("withdrawn already"));
    /* a record giving the withdrawn 11 is refused */
    r.id = "f";
    vb_diag_clear(&D);
    CHECK(take(reg, A, &st, t, &r, true) == -1 && has_msg("withdrawn: a withdrawn number is never given again") == false &&
          has_msg("11/NQ-HĐND is already in the register"));
    unnumber(A, &r);
    vb_diag_clear(&D);
    CHECK(take(reg, A, &st, t, &r, true) == 12);
    bool found;
    vb_reg_entry x;
    CHECK(vb_reg_find(reg, A, "Số: 11/NQ-HĐND", 0, &x, &found, &D) && found && !strcmp(x.status, "withdrawn"));
    CHECK(vb_reg_find(reg, A, "13/NQ-HĐND", 0, &x, &found, &D) && !found);
    /* CSV: quotes doubled, CRLF, one row a line */
    CHECK(vb_reg_list(reg, A, 0, &v, &n, &D) && n == 6);
    vb_buf csv = {0};
    vb_reg_csv(v, n, &csv);
    const char *c = vb_buf_cstr(&csv);
    CHECK(!strncmp(c, "\"Số, ký hiệu văn bản\",\"Ngày tháng văn bản\",", strlen("\"Số, ký hiệu văn bản\",\"Ngày tháng văn bản\",")));
    CHECK(strstr(c, "\"Đã thu hồi: nhầm \"\"số\"\"\"") != NULL);
    size_t rows = 0;
    for (const char *p = c; (p = strstr(p, "\r\n")); p += 2) rows++;
    CHECK(rows == 7);
    vb_buf_free(&csv);
    /* the printed register: a title, a subtitle, a table of 10 columns,
     * two header rows and one row a document, on a landscape page */
    vb_doc *doc = NULL;
    CHECK(vb_reg_print(&st, v, n, 2024, &doc, &D));
    if (doc) {
        const vb_block *b = doc->first;
        CHECK(b && b->kind == VB_BLOCK_PARA && b->next && b->next->kind == VB_BLOCK_PARA);
        const vb_block *tb = b && b->next ? b->next->next : NULL;
        CHECK(tb && tb->kind == VB_BLOCK_TABLE && tb->table->ncols == 10 && tb->table->nrows == 2 + 6);
        CHECK(doc->style->page_w > doc->style->page_h && st.page_w < st.page_h);
        vb_doc_free(doc);
    }
    test_fill_in(reg, &st, t, &r);
    vb_reg_close(reg);

    /* four threads, a connection each, 25 numbers each, at once (a long
     * wait: under valgrind a thread may poll through many others' turns) */
    setenv("VANBAN_REGISTER_TIMEOUT", "600000", 1);
    REG = vb_sprintf(A, "%s/t.db", DIR_);
    th ts[4];
    pthread_t tid[4];
    for (int k = 0; k < 4; k++) {
        ts[k] = (th){ .k = k, .st = &st, .t = t };
        pthread_create(&tid[k], NULL, taker, &ts[k]);
    }
    unsigned char seen[101] = {0};
    bool all = true;
    for (int k = 0; k < 4; k++) {
        pthread_join(tid[k], NULL);
        all &= ts[k].ok;
        for (int i = 0; i < 25; i++) if (ts[k].got[i] >= 1 && ts[k].got[i] <= 100) seen[ts[k].got[i]]++;
    }
    CHECK(all);
    int once = 0;
    for (int i = 1; i <= 100; i++) once += seen[i] == 1;
    CHECK(once == 100);
}

/* Several programs opening a register that does not exist yet, at the
 * same moment: each finds it made (and in WAL mode), none is refused as
 * "locked" (SQLite does not wait by itself while a file turns to WAL). */
static pthread_barrier_t BAR;
static void *opener(void *arg)
{
    bool *ok = arg;
    vb_diag d;
    vb_diag_init(&d);
    vb_register *reg = NULL;
    pthread_barrier_wait(&BAR);
    *ok = vb_reg_open(REG, true, &reg, &d);
    if (d.n) vb_diag_print(&d, stderr);
    if (reg) vb_reg_close(reg);
    vb_diag_free(&d);
    return NULL;
}

static void test_open_at_once(void)
{
    int refused = 0;
    for (int round = 0; round < 25; round++) {
        REG = vb_sprintf(A, "%s/new%d.db", DIR_, round);
        pthread_barrier_init(&BAR, NULL, 4);
        pthread_t tid[4];
        bool ok[4];
        for (int k = 0; k < 4; k++) pthread_create(&tid[k], NULL, opener, &ok[k]);
        for (int k = 0; k < 4; k++) { pthread_join(tid[k], NULL); refused += !ok[k]; }
        pthread_barrier_destroy(&BAR);
    }
    CHECK(refused == 0);
}

static void test_bad_files(void)
{
    vb_register *reg = NULL;
    char *p = vb_sprintf(A, "%s/text.db", DIR_);
    FILE *f = fopen(p, "w");
    fputs("not a database at all, but long enough to be read as a header......................\n", f);
    fclose(f);
    vb_diag_clear(&D);
    CHECK(!vb_reg_open(p, true, &reg, &D));
    CHECK(has_msg("text.db: not a vanban register (not an SQLite database"));
    CHECK(D.exit_code == VB_EXIT_INPUT);
    vb_diag_clear(&D);
    CHECK(!vb_reg_open(DIR_, true, &reg, &D) && has_msg("not a file"));
    /* a Party series needs a term: from the record or the register */
    vb_style st;
    CHECK(vb_style_load(A, "templates/party/style", &st, &D));
    const vb_doctype *t = vb_schema_type(&S, VB_PARTY, "resolution");
    vb_record r;
    CHECK(load(A, "samples/haiphong-2021-12-28.json", &r));
    vb_reg_entry e;
    vb_diag_clear(&D);
    CHECK(!vb_reg_describe(A, &st, t, &r, NULL, &e, &D) && has_msg("/issuer/term:"));
    vb_diag_clear(&D);
    CHECK(vb_reg_describe(A, &st, t, &r, "2020-2025", &e, &D));
    CHECK_STR(e.series, "party|Đảng ủy Khối Doanh nghiệp|resolution|2020-2025");
    vb_value_set(A, vb_value_get(r.root, "issuer"), "term", vb_value_str(A, "2020"));
    vb_diag_clear(&D);
    CHECK(!vb_reg_describe(A, &st, t, &r, "2020-2025", &e, &D) && has_msg("/issuer/term: a term is two years"));
    vb_value_set(A, vb_value_get(r.root, "issuer"), "term", vb_value_str(A, "2025-2030"));
    vb_diag_clear(&D);
    CHECK(vb_reg_describe(A, &st, t, &r, "2020-2025", &e, &D));
    CHECK_STR(e.term, "2025-2030");
}

/* The record kept with a line: read back by the line's seq; numbered
 * again with a record, the new one; again without (a batch), none; a
 * line never kept, none; an old register without the kept table, none. */
static void test_kept(void)
{
    vb_diag_clear(&D);
    vb_style st;
    CHECK(vb_style_load(A, "templates/state/style", &st, &D));
    const vb_doctype *t = vb_schema_type(&S, VB_STATE, "resolution");
    char *path = vb_sprintf(A, "%s/kept.db", DIR_);
    vb_register *reg = NULL;
    CHECK(vb_reg_open(path, true, &reg, &D));
    if (!reg || !t) return;
    vb_record r;
    CHECK(load(A, "samples/draft-unnumbered.json", &r));
    bool found = true;
    const char *json = NULL;
    size_t len = 1;
    CHECK(vb_reg_kept(reg, A, 1, &json, &len, &found, &D) && !found && !json && len == 0);   /* no table yet */
    vb_reg_ticket tk;
    CHECK(vb_reg_prepare(reg, A, &st, t, &r, &tk, &D));
    tk.keep_record = "{\"v\": 1}";
    tk.keep_len = 8;
    CHECK(vb_reg_finish(reg, &tk, true, "a.pdf", "issued", &D));
    int64_t seq = tk.e.seq;
    CHECK(seq == 1);
    CHECK(vb_reg_kept(reg, A, seq, &json, &len, &found, &D) && found && len == 8 && json && !strcmp(json, "{\"v\": 1}"));
    /* the same document again, with another record: that one is kept */
    unnumber(A, &r);
    CHECK(vb_reg_prepare(reg, A, &st, t, &r, &tk, &D) && tk.again && tk.e.seq == seq);
    tk.keep_record = "{\"v\": 22}";
    tk.keep_len = 9;
    CHECK(vb_reg_finish(reg, &tk, true, "a.pdf", "issued", &D) && tk.e.seq == seq);
    CHECK(vb_reg_kept(reg, A, seq, &json, NULL, &found, &D) && found && json && !strcmp(json, "{\"v\": 22}"));
    /* a failed render keeps nothing */
    vb_record r2;
    CHECK(load(A, "samples/draft-unnumbered.json", &r2));
    r2.id = "other";
    CHECK(vb_reg_prepare(reg, A, &st, t, &r2, &tk, &D) && !tk.again);
    tk.keep_record = "{}";
    tk.keep_len = 2;
    CHECK(vb_reg_finish(reg, &tk, false, NULL, NULL, &D));
    CHECK(vb_reg_kept(reg, A, seq + 1, NULL, NULL, &found, &D) && !found);
    /* again without a record (a batch renders it now): the old one is not this document any more */
    unnumber(A, &r);
    CHECK(vb_reg_prepare(reg, A, &st, t, &r, &tk, &D) && tk.again);
    CHECK(vb_reg_finish(reg, &tk, true, "out/a.pdf", "issued", &D));
    CHECK(vb_reg_kept(reg, A, seq, NULL, NULL, &found, &D) && !found);
    CHECK(D.errors == 0 || !fprintf(stderr, "    %s\n", msg0()));
    vb_reg_close(reg);
}

int main(void)
{
    A = vb_arena_new();
    vb_diag_init(&D);
    snprintf(DIR_, sizeof DIR_, "/tmp/vb-unit-register.%d", (int)getpid());
    if (system(vb_sprintf(A, "rm -rf %s && mkdir -p %s", DIR_, DIR_)) != 0) return 1;
    unsetenv("VANBAN_REGISTER_TIMEOUT");
    if (!vb_schema_load(A, ".", &S, &D)) { vb_diag_print(&D, stderr); return 1; }
    test_numsym();
    test_style_rule();
    test_numbering();
    test_csv_formula();
    test_kept();
    test_open_at_once();
    test_bad_files();
    if (system(vb_sprintf(A, "rm -rf %s", DIR_)) != 0) fprintf(stderr, "could not remove %s\n", DIR_);
    vb_diag_free(&D);
    vb_arena_free(A);
    return CHECK_DONE("register");
}
