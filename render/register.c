/* register.c — the outgoing register in SQLite (register.h, docs/register.md).
 *
 * Tables: meta (format, version, term), series (the last number given in
 * each series), docs (one line a document; UNIQUE(series, number), so even
 * a bug here cannot give one number twice).  Every change runs in
 * BEGIN IMMEDIATE: the write lock is taken first, so two takers never
 * read the same `last`. */
#include "register.h"
#include "model.h"
#include "text.h"

#include <errno.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REG_FORMAT "vanban-register"
#define REG_VERSION "1"

struct vb_register {
    sqlite3 *db;
    char *path;
    int timeout_ms;
};

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS series(key TEXT PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS docs("
    " seq INTEGER PRIMARY KEY, series TEXT NOT NULL, number INTEGER NOT NULL, numsym TEXT NOT NULL,"
    " date TEXT NOT NULL, convention TEXT NOT NULL, issuer TEXT NOT NULL, year INTEGER NOT NULL,"
    " term TEXT NOT NULL, type TEXT NOT NULL, type_title TEXT NOT NULL, summary TEXT NOT NULL,"
    " signer TEXT NOT NULL, recipients TEXT NOT NULL, keeper TEXT NOT NULL, copies INTEGER NOT NULL,"
    " sent TEXT NOT NULL, received TEXT NOT NULL, notes TEXT NOT NULL, record TEXT NOT NULL,"
    " source TEXT NOT NULL, outputs TEXT NOT NULL, copies_fixed INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL CHECK(status IN ('issued','withdrawn','reserved')), registered TEXT NOT NULL,"
    " UNIQUE(series, number));"
    "CREATE INDEX IF NOT EXISTS docs_record ON docs(record, type);"
    "CREATE INDEX IF NOT EXISTS docs_numsym ON docs(numsym);"
    "INSERT OR IGNORE INTO meta VALUES('format', '" REG_FORMAT "'), ('version', '" REG_VERSION "');";

#define DOC_COLS "seq, series, number, numsym, date, convention, issuer, year, term, type, type_title, summary, " \
                 "signer, recipients, keeper, copies, sent, received, notes, record, source, outputs, status"

static const char *shown(vb_arena *a, const char *s);
/* The records vanban serve keeps with its lines (vb_reg_kept). */
#define KEPT_SQL "CREATE TABLE IF NOT EXISTS kept(seq INTEGER PRIMARY KEY REFERENCES docs(seq), record TEXT NOT NULL)"

/* ---- errors ---- */
static bool db_fail(vb_register *r, vb_diag *d, int rc, const char *doing)
{
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        vb_error(d, VB_EXIT_SYSTEM, "%s: the register is locked by another program (waited %d ms, "
                 "VANBAN_REGISTER_TIMEOUT); nothing was changed, try again", r->path, r->timeout_ms);
    else if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        vb_error(d, VB_EXIT_INPUT, "%s: not a vanban register (not an SQLite database: %s)", r->path,
                 sqlite3_errstr(rc));
    else
        vb_error(d, VB_EXIT_SYSTEM, "%s: %s: %s", r->path, doing, r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc));
    return false;
}

static bool exec(vb_register *r, const char *sql, vb_diag *d)
{
    int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK || db_fail(r, d, rc, sql);
}

static bool prep(vb_register *r, const char *sql, sqlite3_stmt **st, vb_diag *d)
{
    int rc = sqlite3_prepare_v2(r->db, sql, -1, st, NULL);
    return rc == SQLITE_OK || db_fail(r, d, rc, "reading");
}

/* Into WAL mode.  SQLite does not call the busy handler while it turns a
 * new file to WAL (it holds a read lock then, and waiting could deadlock),
 * so several programs opening a new register at once would see "locked"
 * at once: wait here instead, up to the register's timeout. */
static bool set_wal(vb_register *r, vb_diag *d)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int pause = 1;; pause = pause < 64 ? pause * 2 : 64) {
        int rc = sqlite3_exec(r->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return true;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long ms = (t1.tv_sec - t0.tv_sec) * 1000L + (t1.tv_nsec - t0.tv_nsec) / 1000000L;
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || ms >= r->timeout_ms)
            return db_fail(r, d, rc, "PRAGMA journal_mode=WAL");
        sqlite3_sleep(pause);
    }
}

static void rollback(vb_register *r)
{
    if (!sqlite3_get_autocommit(r->db)) sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- opening ---- */
/* copies_fixed: the clerk gave the number of copies (vanban register FILE
 * copies), so a document registered again keeps it.  A register made
 * before it gets the column when opened; older vanbans ignore it. */
static bool has_copies_fixed(vb_register *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT copies_fixed FROM docs LIMIT 0", -1, &st, NULL) != SQLITE_OK) return false;
    sqlite3_finalize(st);
    return true;
}

static bool add_copies_fixed(vb_register *r, vb_diag *d)
{
    if (!exec(r, "BEGIN IMMEDIATE", d)) return false;
    /* another program may have added it while this one waited */
    if (!has_copies_fixed(r) && !exec(r, "ALTER TABLE docs ADD COLUMN copies_fixed INTEGER NOT NULL DEFAULT 0", d)) {
        rollback(r);
        return false;
    }
    if (!exec(r, "COMMIT", d)) { rollback(r); return false; }
    return true;
}

bool vb_reg_open(const char *path, bool create, vb_register **out, vb_diag *d)
{
    vb_register *r = vb_xcalloc(1, sizeof *r);
    r->path = vb_xstrdup(path);
    r->timeout_ms = VB_REG_TIMEOUT_MS;
    const char *env = getenv("VANBAN_REGISTER_TIMEOUT");
    if (env && *env) {
        char *end;
        long ms = strtol(env, &end, 10);
        if (*end || ms < 0 || ms > 3600000)
            vb_warn(d, "VANBAN_REGISTER_TIMEOUT=\"%.40s\" is not a number of milliseconds (0..3600000); "
                    "%d is used", env, VB_REG_TIMEOUT_MS);
        else r->timeout_ms = (int)ms;
    }
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists && !create) {
        vb_error(d, VB_EXIT_INPUT, "%s: no such register (make it with: vanban register %s init)", path, path);
        goto fail;
    }
    if (exists && !S_ISREG(sb.st_mode)) {
        vb_error(d, VB_EXIT_INPUT, "%s: not a vanban register (not a file)", path);
        goto fail;
    }
    int rc = sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), NULL);
    if (rc != SQLITE_OK) { db_fail(r, d, rc, "cannot open"); goto fail; }
    sqlite3_busy_timeout(r->db, r->timeout_ms);
    sqlite3_extended_result_codes(r->db, 0);
    /* WAL: readers never wait for the writer; FULL: a number given is on
     * disk when the commit returns (a power cut cannot give it again) */
    if (!set_wal(r, d) || !exec(r, "PRAGMA synchronous=FULL", d)) goto fail;
    sqlite3_stmt *st;
    if (!prep(r, "SELECT count(*) FROM sqlite_master", &st, d)) goto fail;
    rc = sqlite3_step(st);
    long tables = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) { db_fail(r, d, rc, "reading"); goto fail; }
    if (tables == 0 && create) {
        /* a new file (or an empty one): the tables, once, under the lock */
        if (!exec(r, "BEGIN IMMEDIATE", d)) goto fail;
        if (!exec(r, schema_sql, d) || !exec(r, "COMMIT", d)) { rollback(r); goto fail; }
    }
    const char *fmt = NULL;
    char ver[16] = "";
    if (sqlite3_prepare_v2(r->db, "SELECT key, value FROM meta WHERE key IN ('format','version')", -1, &st, NULL) ==
        SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
            if (!k || !v) continue;
            if (!strcmp(k, "format") && !strcmp(v, REG_FORMAT)) fmt = REG_FORMAT;
            if (!strcmp(k, "version")) snprintf(ver, sizeof ver, "%s", v);
        }
        sqlite3_finalize(st);
    }
    if (!fmt) {
        if (create) vb_error(d, VB_EXIT_INPUT, "%s: an SQLite database, but not a vanban register (no meta table "
                             "saying %s)", path, REG_FORMAT);
        else vb_error(d, VB_EXIT_INPUT, "%s: an SQLite database, but not a vanban register (no meta table saying "
                      "%s); make one with: vanban register FILE init", path, REG_FORMAT);
        goto fail;
    }
    if (strcmp(ver, REG_VERSION)) {
        vb_error(d, VB_EXIT_INPUT, "%s: a register of version %s; this vanban reads version %s", path,
                 *ver ? ver : "(none)", REG_VERSION);
        goto fail;
    }
    if (!has_copies_fixed(r) && !add_copies_fixed(r, d)) goto fail;
    *out = r;
    return true;
fail:
    vb_reg_close(r);
    return false;
}

void vb_reg_close(vb_register *r)
{
    if (!r) return;
    if (r->db) { rollback(r); sqlite3_close(r->db); }
    free(r->path);
    free(r);
}

const char *vb_reg_path(const vb_register *r) { return r->path; }

static const char *col(vb_arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return vb_strdup(a, t ? (const char *)t : "");
}

const char *vb_reg_term(vb_register *r, vb_arena *a)
{
    sqlite3_stmt *st;
    const char *t = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT value FROM meta WHERE key='term'", -1, &st, NULL) != SQLITE_OK) return NULL;
    if (sqlite3_step(st) == SQLITE_ROW) t = col(a, st, 0);
    sqlite3_finalize(st);
    return t;
}

/* "2020-2025": two years, the second after the first. */
static bool term_ok(const char *t)
{
    int y1, y2, n = 0;
    return t && strlen(t) == 9 && sscanf(t, "%4d-%4d%n", &y1, &y2, &n) == 2 && n == 9 && t[4] == '-' &&
           y1 >= 1900 && y2 > y1 && y2 <= 9999;
}

bool vb_reg_set_term(vb_register *r, const char *term, vb_diag *d)
{
    if (!term_ok(term)) {
        vb_error(d, VB_EXIT_USAGE, "%s: a term is two years, \"2020-2025\"; got \"%s\"", r->path, term ? term : "");
        return false;
    }
    sqlite3_stmt *st;
    if (!exec(r, "BEGIN IMMEDIATE", d)) return false;
    if (!prep(r, "INSERT INTO meta VALUES('term', ?1) ON CONFLICT(key) DO UPDATE SET value=excluded.value", &st, d)) {
        rollback(r);
        return false;
    }
    sqlite3_bind_text(st, 1, term, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { db_fail(r, d, rc, "writing"); rollback(r); return false; }
    if (!exec(r, "COMMIT", d)) { rollback(r); return false; }
    return true;
}

/* ---- a document's line ---- */
static const char *str_at(const vb_value *root, const char *path)
{
    const vb_value *v = vb_value_path(root, path);
    return v && v->kind == VB_STR ? v->s : NULL;
}

/* A recipient line without its list dash and final ";" or ".". */
static const char *recipient_text(vb_arena *a, const char *s)
{
    while (*s == ' ' || *s == '-') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ';' || s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ' ')) n--;
    return vb_strndup(a, s, n);
}

bool vb_reg_describe(vb_arena *a, const vb_style *st, const vb_doctype *t, const vb_record *rec,
                     const char *term, vb_reg_entry *e, vb_diag *d)
{
    memset(e, 0, sizeof *e);
    const char *where = rec->line ? vb_sprintf(a, "%s:%d", rec->file, rec->line) : rec->file;
    const vb_value *root = rec->root;
    const vb_value *part = vb_value_get(root, t->part);
    e->convention = rec->convention == VB_PARTY ? "party" : "state";
    e->issuer = str_at(root, "issuer.name");
    if (!e->issuer) e->issuer = "";
    e->type = t->name;
    e->type_title = t->title;
    e->record = rec->id;
    e->source = where;
    e->status = "issued";
    e->sent = e->received = e->notes = e->outputs = "";
    /* the date: the part's own, else the meeting's (as the templates print it) */
    const char *date = part ? str_at(part, "date") : NULL;
    if (!date) date = str_at(root, "meeting.date");
    int y, m, dd;
    if (!date || !vb_parse_date(date, &y, &m, &dd)) {
        vb_error(d, VB_EXIT_INPUT, "%s: /%s/date: the register needs the document's date (or meeting.date)", where,
                 t->part);
        return false;
    }
    e->date = date;
    e->year = y;
    e->term = "";
    if (st->reg_series & VB_SERIES_TERM) {
        const char *own = str_at(root, "issuer.term");
        if (own && !term_ok(own)) {
            vb_error(d, VB_EXIT_INPUT, "%s: /issuer/term: a term is two years, \"2020-2025\"; got \"%s\"", where, own);
            return false;
        }
        e->term = own ? own : term;
        if (!e->term) {
            vb_error(d, VB_EXIT_INPUT, "%s: /issuer/term: %s numbers by term (series = %s); give the committee's "
                     "term in the record (\"issuer\": {\"term\": \"2020-2025\"}) or to the register "
                     "(vanban register FILE term 2020-2025)", where, st->path, st->reg_series_text);
            return false;
        }
    }
    vb_buf k = {0};
    vb_buf_printf(&k, "%s|%s", e->convention, e->issuer);
    if (st->reg_series & VB_SERIES_TYPE) vb_buf_printf(&k, "|%s", t->name);
    if (st->reg_series & VB_SERIES_YEAR) vb_buf_printf(&k, "|%d", y);
    if (st->reg_series & VB_SERIES_TERM) vb_buf_printf(&k, "|%s", e->term);
    e->series = vb_strdup(a, vb_buf_cstr(&k));
    vb_buf_free(&k);
    /* type and summary: the part's subject, else the meeting's title */
    const char *subj = part ? str_at(part, "subject") : NULL;
    if (!subj) subj = str_at(root, "meeting.title");
    e->summary = subj ? subj : "";
    /* the signer: one signature block, or the columns of the minutes */
    const char *pos = part ? str_at(part, "signature.position") : NULL, *name = part ? str_at(part, "signature.name") : NULL;
    vb_buf b = {0};
    if (name) vb_buf_printf(&b, "%s%s%s", pos ? pos : "", pos ? " " : "", name);
    const vb_value *sigs = part ? vb_value_get(part, "signatures") : NULL;
    for (size_t i = 0; sigs && sigs->kind == VB_LIST && i < sigs->n; i++) {
        const char *nm = str_at(sigs->items[i], "name");
        if (!nm) continue;
        if (b.len) vb_buf_puts(&b, "; ");
        vb_buf_puts(&b, nm);
    }
    e->signer = vb_strdup(a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    /* recipients: one copy a line; the file copy's line ("Lưu: VT, …",
     * "Lưu Văn phòng …") is the keeper column */
    const vb_value *rc = part ? vb_value_get(part, "recipients") : NULL;
    const char *keeper = "";
    for (size_t i = 0; rc && rc->kind == VB_LIST && i < rc->n; i++) {
        if (rc->items[i]->kind != VB_STR) continue;
        const char *line = recipient_text(a, rc->items[i]->s);
        e->copies++;
        if (!strncmp(line, "Lưu", strlen("Lưu"))) { keeper = line; continue; }
        if (b.len) vb_buf_puts(&b, "; ");
        vb_buf_puts(&b, line);
    }
    e->recipients = vb_strdup(a, vb_buf_cstr(&b));
    e->keeper = keeper;
    vb_buf_free(&b);
    return true;
}

/* "Số: 07/NQ-HĐND" -> "07/NQ-HĐND" through the one formatter of number lines. */
static const char *numsym_of(vb_arena *a, const vb_record *rec, const vb_doctype *t, int64_t n)
{
    const char *code = str_at(rec->root, "issuer.code");
    const char *s = vb_docnum(a, rec->convention, n, *t->abbr ? t->abbr : NULL, code ? code : "");
    const char *canon = s;
    vb_diag tmp;
    vb_diag_init(&tmp);
    int64_t num;
    if (!vb_reg_parse_numsym(a, "number", s, &num, &canon, &tmp)) canon = s;
    vb_diag_free(&tmp);
    return canon;
}

static void bind_entry(sqlite3_stmt *st, const vb_reg_entry *e)
{
    const char *txt[] = { e->series, e->numsym, e->date, e->convention, e->issuer, e->term, e->type, e->type_title,
                          e->summary, e->signer, e->recipients, e->keeper, e->sent, e->received, e->notes,
                          e->record, e->source, e->outputs, e->status };
    for (int i = 0; i < 19; i++) sqlite3_bind_text(st, i + 1, txt[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 20, e->number);
    sqlite3_bind_int(st, 21, e->year);
    sqlite3_bind_int(st, 22, e->copies);
}

/* Where each column of DOC_COLS goes in a vb_reg_entry, in that order:
 * one table instead of a line a column. */
#define S_(f) { offsetof(vb_reg_entry, f), 's' }
#define I_(f) { offsetof(vb_reg_entry, f), sizeof ((vb_reg_entry *)0)->f == sizeof(int) ? 'i' : 'l' }
static const struct { size_t off; char kind; } doc_cols[] = {
    I_(seq), S_(series), I_(number), S_(numsym), S_(date), S_(convention), S_(issuer), I_(year), S_(term),
    S_(type), S_(type_title), S_(summary), S_(signer), S_(recipients), S_(keeper), I_(copies), S_(sent),
    S_(received), S_(notes), S_(record), S_(source), S_(outputs), S_(status),
};
#undef S_
#undef I_

static void read_entry(vb_arena *a, sqlite3_stmt *st, vb_reg_entry *e)
{
    for (int i = 0; i < (int)(sizeof doc_cols / sizeof *doc_cols); i++) {
        char *f = (char *)e + doc_cols[i].off;
        if (doc_cols[i].kind == 's') *(const char **)f = col(a, st, i);
        else if (doc_cols[i].kind == 'i') *(int *)f = sqlite3_column_int(st, i);
        else *(int64_t *)f = sqlite3_column_int64(st, i);
    }
}

/* The line of (series, number), or of this record and type in the series
 * (not withdrawn): true when found. */
static bool lookup(vb_register *r, vb_arena *a, const char *sql, const vb_reg_entry *key, vb_reg_entry *out, int *rcp)
{
    sqlite3_stmt *st;
    *rcp = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
    if (*rcp != SQLITE_OK) return false;
    sqlite3_bind_text(st, 1, key->series, -1, SQLITE_STATIC);
    if (strstr(sql, "?3")) {
        sqlite3_bind_text(st, 2, key->record, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, key->type, -1, SQLITE_STATIC);
    } else sqlite3_bind_int64(st, 2, key->number);
    int rc = sqlite3_step(st);
    bool found = rc == SQLITE_ROW;
    if (found) read_entry(a, st, out);
    *rcp = found || rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_finalize(st);
    return found;
}

bool vb_reg_prepare(vb_register *r, vb_arena *a, const vb_style *sty, const vb_doctype *t, const vb_record *rec,
                    vb_reg_ticket *tk, vb_diag *d)
{
    memset(tk, 0, sizeof *tk);
    if (!vb_reg_describe(a, sty, t, rec, vb_reg_term(r, a), &tk->e, d)) return false;
    vb_reg_entry *e = &tk->e;
    vb_value *part = vb_value_get(rec->root, t->part);
    const vb_value *given = part ? vb_value_get(part, "number") : NULL;
    int rc;
    if (!exec(r, "BEGIN IMMEDIATE", d)) return false;
    tk->open = true;
    vb_reg_entry old;
    if (given && given->kind == VB_INT && given->i > 0) {
        /* a number the record gives: free in its series, or this very document's */
        tk->given = true;
        e->number = given->i;
        e->numsym = numsym_of(a, rec, t, e->number);
        if (lookup(r, a, "SELECT " DOC_COLS " FROM docs WHERE series=?1 AND number=?2", e, &old, &rc)) {
            bool same = !strcmp(old.record, e->record) && !strcmp(old.type, e->type);
            if (!same || !strcmp(old.status, "withdrawn")) {
                vb_error(d, VB_EXIT_INPUT, "%s: /%s/number: %s is already in the register %s: %s of record \"%s\" "
                         "(%s, %s)%s; a number is given once in its series", e->source, t->part, e->numsym, r->path,
                         old.type, old.record, old.source, old.status,
                         same ? ", withdrawn: a withdrawn number is never given again" : "");
                rollback(r);
                tk->open = false;
                return false;
            }
            tk->again = true;
            tk->was_issued = !strcmp(old.status, "issued");
            e->seq = old.seq;
        }
    } else if (lookup(r, a, "SELECT " DOC_COLS " FROM docs WHERE series=?1 AND record=?2 AND type=?3 "
                      "AND status!='withdrawn' ORDER BY seq DESC LIMIT 1", e, &old, &rc)) {
        /* issued (or reserved) before: the same number again, so that a
         * batch run twice or resumed numbers nothing twice */
        tk->again = true;
        tk->was_issued = !strcmp(old.status, "issued");
        e->seq = old.seq;
        e->number = old.number;
    } else if (rc == SQLITE_OK) {
        sqlite3_stmt *st;
        if (!prep(r, "SELECT last FROM series WHERE key=?1", &st, d)) { rollback(r); tk->open = false; return false; }
        sqlite3_bind_text(st, 1, e->series, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        int64_t last = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
        if (last >= VB_MAX_NUMBER) {
            vb_error(d, VB_EXIT_INPUT, "%s: the series %s is full (%d numbers)", r->path, e->series, VB_MAX_NUMBER);
            rollback(r);
            tk->open = false;
            return false;
        }
        e->number = last + 1;
    }
    if (rc != SQLITE_OK) { db_fail(r, d, rc, "reading"); rollback(r); tk->open = false; return false; }
    e->numsym = numsym_of(a, rec, t, e->number);
    vb_reg_set_number(a, rec, t, e->number);
    return true;
}

void vb_reg_set_number(vb_arena *a, const vb_record *rec, const vb_doctype *t, int64_t number)
{
    vb_value *part = vb_value_get(rec->root, t->part);
    if (!part || part->kind != VB_MAP) {
        part = vb_value_new(a, VB_MAP);
        vb_value_set(a, rec->root, t->part, part);
    }
    vb_value_set(a, part, "number", vb_value_int(a, number));
}

/* The kept table is missing (a register no record was kept in yet)? */
static bool has_no_kept(vb_register *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='kept'", -1, &st, NULL))
        return false;
    bool none = sqlite3_step(st) != SQLITE_ROW;
    sqlite3_finalize(st);
    return none;
}

bool vb_reg_finish(vb_register *r, vb_reg_ticket *tk, bool ok, const char *outputs, const char *status, vb_diag *d)
{
    if (!tk->open) return false;
    tk->open = false;
    if (!ok) { rollback(r); return true; }
    vb_reg_entry *e = &tk->e;
    e->outputs = outputs ? outputs : "";
    e->status = status ? status : "issued";
    if (tk->was_issued) e->status = "issued";     /* reserving an issued document keeps it issued */
    sqlite3_stmt *st;
    /* the time it was entered: SOURCE_DATE_EPOCH makes it reproducible */
    int64_t now;
    if (!vb_source_date(&now)) now = (int64_t)time(NULL);
    time_t tt = (time_t)now;
    struct tm tmv;
    char when[32];
    gmtime_r(&tt, &tmv);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    const char *sql = tk->again
        ? "UPDATE docs SET series=?1, numsym=?2, date=?3, convention=?4, issuer=?5, term=?6, type=?7, type_title=?8,"
          " summary=?9, signer=?10, recipients=?11, keeper=?12, record=?16, source=?17, outputs=?18, status=?19,"
          /* the copies a clerk gave stay */
          " number=?20, year=?21, copies=CASE WHEN copies_fixed THEN copies ELSE ?22 END WHERE seq=?23"
        : "INSERT INTO docs(series, numsym, date, convention, issuer, term, type, type_title, summary, signer,"
          " recipients, keeper, sent, received, notes, record, source, outputs, status, number, year, copies,"
          " registered) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?24)";
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        bind_entry(st, e);
        if (tk->again) sqlite3_bind_int64(st, 23, e->seq);
        else sqlite3_bind_text(st, 24, when, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    int64_t seq = tk->again ? e->seq : sqlite3_last_insert_rowid(r->db);
    e->seq = seq;
    if (rc == SQLITE_OK && tk->keep_record) {
        /* made here, not by init: registers made before records were kept
         * get the table when they first keep one */
        rc = sqlite3_exec(r->db, KEPT_SQL, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_prepare_v2(r->db, "INSERT OR REPLACE INTO kept(seq, record) VALUES(?1, ?2)", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, seq);
            sqlite3_bind_text(st, 2, tk->keep_record, (int)tk->keep_len, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
    } else if (rc == SQLITE_OK && tk->again) {
        /* issued again without a record (a batch): an older kept one is no longer this document */
        rc = sqlite3_prepare_v2(r->db, "DELETE FROM kept WHERE seq=?1", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, seq);
            rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        } else if (has_no_kept(r)) rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(r->db, "INSERT INTO series VALUES(?1, ?2) ON CONFLICT(key) "
                                                 "DO UPDATE SET last=max(last, excluded.last)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, e->series, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, e->number);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        db_fail(r, d, rc, "recording the document");
        rollback(r);
        return false;
    }
    return true;
}

bool vb_reg_get(vb_register *r, vb_arena *a, int64_t seq, vb_reg_entry *out, bool *found, vb_diag *d)
{
    sqlite3_stmt *st;
    *found = false;
    if (!prep(r, "SELECT " DOC_COLS " FROM docs WHERE seq=?1", &st, d)) return false;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) { *found = true; read_entry(a, st, out); }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE || db_fail(r, d, rc, "reading");
}

bool vb_reg_kept(vb_register *r, vb_arena *a, int64_t seq, const char **json, size_t *len, bool *found,
                 vb_diag *d)
{
    *found = false;
    if (json) *json = NULL;
    if (len) *len = 0;
    if (has_no_kept(r)) return true;
    sqlite3_stmt *st;
    if (!prep(r, "SELECT record FROM kept WHERE seq=?1", &st, d)) return false;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (json) *json = vb_strndup(a, t ? t : "", n);
        if (len) *len = n;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE || db_fail(r, d, rc, "reading");
}

/* ---- reading and changing lines ---- */
bool vb_reg_list(vb_register *r, vb_arena *a, int year, vb_reg_entry **out, size_t *n, vb_diag *d)
{
    sqlite3_stmt *st;
    /* a printed register runs by series (one an issuer and year, or type
     * and term), then by number */
    if (!prep(r, "SELECT " DOC_COLS " FROM docs WHERE ?1 = 0 OR year = ?1 ORDER BY convention, issuer, year, "
              "series, number", &st, d))
        return false;
    sqlite3_bind_int(st, 1, year);
    size_t cap = 16, k = 0;
    vb_reg_entry *v = vb_alloc(a, cap * sizeof *v);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            vb_reg_entry *nv = vb_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, cap * sizeof *v);
            v = nv;
            cap *= 2;
        }
        read_entry(a, st, &v[k++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(r, d, rc, "reading");
    *out = v;
    *n = k;
    return true;
}

/* The lines written numsym (in year, when year > 0): how many, the first. */
static bool by_numsym(vb_register *r, vb_arena *a, const char *numsym, int year, vb_reg_entry *first, size_t *count,
                      vb_buf *years, vb_diag *d)
{
    vb_arena *tmp = a;
    int64_t num;
    const char *canon;
    if (!vb_reg_parse_numsym(tmp, "number and symbol", numsym, &num, &canon, d)) return false;
    sqlite3_stmt *st;
    if (!prep(r, "SELECT " DOC_COLS " FROM docs WHERE numsym=?1 AND (?2 = 0 OR year = ?2) ORDER BY seq", &st, d))
        return false;
    sqlite3_bind_text(st, 1, canon, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, year);
    *count = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        vb_reg_entry e;
        read_entry(a, st, &e);
        if (!*count) *first = e;
        if (years) vb_buf_printf(years, "%s%d (%s)", *count ? ", " : "", e.year, e.record);
        (*count)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(r, d, rc, "reading");
    return true;
}

bool vb_reg_find(vb_register *r, vb_arena *a, const char *numsym, int year, vb_reg_entry *found, bool *ok,
                 vb_diag *d)
{
    size_t n;
    *ok = false;
    vb_buf years = {0};
    bool good = by_numsym(r, a, numsym, year, found, &n, &years, d);
    if (good && n > 1) {
        vb_error(d, VB_EXIT_INPUT, "%s: %s is in the register %zu times: %s; say which with --year", r->path, numsym, n,
                 vb_buf_cstr(&years));
        good = false;
    }
    vb_buf_free(&years);
    *ok = good && n == 1;
    return good;
}

/* The one line written numsym (in year), inside the caller's transaction:
 * none, or several, is an error naming it. */
static bool the_line(vb_register *r, vb_arena *a, const char *numsym, int year, vb_reg_entry *e, vb_diag *d)
{
    size_t n;
    vb_buf years = {0};
    bool ok = by_numsym(r, a, numsym, year, e, &n, &years, d);
    if (ok && n == 0) {
        if (year) vb_error(d, VB_EXIT_INPUT, "%s: %s is not in the register for %d", r->path, numsym, year);
        else vb_error(d, VB_EXIT_INPUT, "%s: %s is not in the register", r->path, numsym);
        ok = false;
    }
    if (ok && n > 1) {
        vb_error(d, VB_EXIT_INPUT, "%s: %s is in the register %zu times: %s; say which with --year", r->path, numsym,
                 n, vb_buf_cstr(&years));
        ok = false;
    }
    vb_buf_free(&years);
    return ok;
}

bool vb_reg_withdraw(vb_register *r, const char *numsym, int year, const char *why, vb_diag *d)
{
    vb_arena *a = vb_arena_new();
    bool ok = false;
    vb_reg_entry e;
    if (!exec(r, "BEGIN IMMEDIATE", d) || !the_line(r, a, numsym, year, &e, d)) goto done;
    if (!strcmp(e.status, "withdrawn")) {
        vb_error(d, VB_EXIT_INPUT, "%s: %s (record \"%s\") is withdrawn already", r->path, e.numsym, e.record);
        goto done;
    }
    sqlite3_stmt *st;
    if (!prep(r, "UPDATE docs SET status='withdrawn', notes=?1 WHERE seq=?2", &st, d)) goto done;
    const char *note = vb_sprintf(a, "%s%sĐã thu hồi%s%s", e.notes, *e.notes ? "; " : "", why && *why ? ": " : "",
                                  why && *why ? why : "");
    sqlite3_bind_text(st, 1, note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, e.seq);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { db_fail(r, d, rc, "writing"); goto done; }
    ok = exec(r, "COMMIT", d);
done:
    if (!ok) rollback(r);
    vb_arena_free(a);
    return ok;
}

/* A text a clerk typed for a column: valid UTF-8, on one line (a tab or a
 * line break would split the line of `list` and of the printed cell), NFC,
 * without the spaces around it, not empty, at most 500 characters.  Out:
 * the clean text in a; `what` is the option or action that gave it. */
static const char *clerk_text(vb_register *r, vb_arena *a, const char *numsym, const char *what, const char *s,
                              vb_diag *d)
{
    size_t bad;
    if (!vb_utf8_valid(s, strlen(s), &bad)) {
        vb_error(d, VB_EXIT_USAGE, "%s: %s: %s: invalid UTF-8 at byte %zu", r->path, numsym, what, bad);
        return NULL;
    }
    s = vb_nfc(a, s);
    int chars = 0;
    for (const char *p = s; *p; chars++) {
        int32_t cp;
        int k = vb_utf8_next(p, &cp);
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            vb_error(d, VB_EXIT_USAGE, "%s: %s: %s: U+%04X is a control character; write the text on one line, "
                     "without tabs", r->path, numsym, what, (unsigned)cp);
            return NULL;
        }
        p += k > 0 ? k : 1;
    }
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    if (!n) {
        vb_error(d, VB_EXIT_USAGE, "%s: %s: %s: the text is empty", r->path, numsym, what);
        return NULL;
    }
    if (chars > 500) {
        vb_error(d, VB_EXIT_USAGE, "%s: %s: %s: the text has %d characters; at most 500 fit a column of the "
                 "register", r->path, numsym, what, chars);
        return NULL;
    }
    return vb_strndup(a, s, n);
}

bool vb_reg_fill_in(vb_register *r, vb_arena *a, const char *numsym, int year, const vb_reg_fill *f,
                    vb_reg_entry *before, vb_diag *d)
{
    const char *sent = NULL, *to = NULL, *note = NULL;
    if (f->sent && !vb_parse_date(f->sent, NULL, NULL, NULL)) {
        vb_error(d, VB_EXIT_USAGE, "%s: %s: --date: the day it was sent is YYYY-MM-DD, such as 2024-12-21; got "
                 "\"%s\"", r->path, numsym, shown(a, f->sent));
        return false;
    }
    if (f->copies && (f->copies < 1 || f->copies > VB_REG_MAX_COPIES)) {
        vb_error(d, VB_EXIT_USAGE, "%s: %s: copies: %d is not a number of copies (1 to %d)", r->path, numsym,
                 f->copies, VB_REG_MAX_COPIES);
        return false;
    }
    if ((f->received && !(to = clerk_text(r, a, numsym, "--to", f->received, d))) ||
        (f->note && !(note = clerk_text(r, a, numsym, "note", f->note, d))))
        return false;
    sent = f->sent;
    vb_reg_entry e;
    bool ok = false;
    if (!exec(r, "BEGIN IMMEDIATE", d) || !the_line(r, a, numsym, year, &e, d)) goto done;
    if ((sent || to || f->copies) && strcmp(e.status, "issued")) {
        if (!strcmp(e.status, "withdrawn"))
            vb_error(d, VB_EXIT_INPUT, "%s: %s (record \"%s\") is withdrawn: it is not sent and its copies stay as "
                     "they were; only a note can be added to it", r->path, e.numsym, e.record);
        else
            vb_error(d, VB_EXIT_INPUT, "%s: %s (record \"%s\") is reserved, not issued yet (confirm its plan "
                     "first); only a note can be added to it", r->path, e.numsym, e.record);
        goto done;
    }
    if (sent && strcmp(sent, e.date) < 0) {
        vb_error(d, VB_EXIT_INPUT, "%s: %s is dated %s; it cannot have been sent on %s", r->path, e.numsym, e.date,
                 sent);
        goto done;
    }
    /* a note goes after those there (a withdrawal's reason is never lost) */
    if (note) note = *e.notes ? vb_sprintf(a, "%s; %s", e.notes, note) : note;
    sqlite3_stmt *st;
    if (!prep(r, "UPDATE docs SET sent=coalesce(?1, sent), received=coalesce(?2, received),"
              " notes=coalesce(?3, notes), copies=coalesce(?4, copies),"
              " copies_fixed=CASE WHEN ?4 IS NULL THEN copies_fixed ELSE 1 END WHERE seq=?5", &st, d))
        goto done;
    const char *txt[] = { sent, to, note };
    for (int i = 0; i < 3; i++)
        if (txt[i]) sqlite3_bind_text(st, i + 1, txt[i], -1, SQLITE_TRANSIENT);
    if (f->copies) sqlite3_bind_int(st, 4, f->copies);
    sqlite3_bind_int64(st, 5, e.seq);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { db_fail(r, d, rc, "writing"); goto done; }
    ok = exec(r, "COMMIT", d);
    if (ok && before) *before = e;
done:
    if (!ok) rollback(r);
    return ok;
}

bool vb_reg_confirm(vb_register *r, const char *record, const char *type, const char *numsym, size_t *changed,
                    vb_diag *d)
{
    sqlite3_stmt *st;
    *changed = 0;
    if (!exec(r, "BEGIN IMMEDIATE", d)) return false;
    if (!prep(r, "UPDATE docs SET status='issued' WHERE record=?1 AND type=?2 AND numsym=?3 AND status!='withdrawn'",
              &st, d)) { rollback(r); return false; }
    sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, numsym, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { db_fail(r, d, rc, "writing"); rollback(r); return false; }
    *changed = (size_t)sqlite3_changes(r->db);
    if (!exec(r, "COMMIT", d)) { rollback(r); return false; }
    return true;
}

/* ---- plans ---- */
typedef struct plan_line { const char *record, *type; int64_t number; int line; } plan_line;
struct vb_reg_plan {
    vb_arena *a;
    const char *path;
    plan_line *v;
    size_t n;
};

static void plan_field(vb_buf *b, const char *s)
{
    for (; *s; s++) vb_buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

void vb_reg_plan_line(const vb_reg_ticket *tk, vb_buf *out)
{
    const vb_reg_entry *e = &tk->e;
    plan_field(out, e->record);
    vb_buf_putc(out, '\t');
    plan_field(out, e->type);
    vb_buf_printf(out, "\t%lld\t", (long long)e->number);
    plan_field(out, e->numsym);
    vb_buf_putc(out, '\t');
    plan_field(out, e->source);
    vb_buf_putc(out, '\n');
}

static int plan_cmp(const void *x, const void *y)
{
    const plan_line *p = x, *q = y;
    int c = strcmp(p->record, q->record);
    return c ? c : strcmp(p->type, q->type);
}

bool vb_reg_plan_load(const char *path, vb_reg_plan **out, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(path, 256u << 20, &data, &len, d)) return false;
    vb_reg_plan *p = vb_xcalloc(1, sizeof *p);
    p->a = vb_arena_new();
    p->path = vb_strdup(p->a, path);
    size_t cap = 64;
    p->v = vb_xmalloc(cap * sizeof *p->v);
    bool ok = true;
    int line = 0;
    for (char *s = data, *nl; s && *s; s = nl ? nl + 1 : NULL) {
        nl = strchr(s, '\n');
        if (nl) *nl = 0;
        line++;
        if (!*s || *s == '#') continue;
        char *f[3];
        int k = 0;
        for (char *q = s; k < 3 && q; k++) {
            f[k] = q;
            char *t = strchr(q, '\t');
            if (t) *t = 0;
            q = t ? t + 1 : NULL;
        }
        char *end = NULL;
        long long n = k == 3 ? strtoll(f[2], &end, 10) : 0;
        if (k < 3 || !*f[0] || !*f[1] || !end || *end || n < 1 || n > VB_MAX_NUMBER) {
            vb_error(d, VB_EXIT_INPUT, "%s:%d: expected record, type, number, number and symbol, source, "
                     "tab-separated (a plan of vanban batch --reserve)", path, line);
            ok = false;
            continue;
        }
        if (p->n == cap) { cap *= 2; p->v = vb_xrealloc(p->v, cap * sizeof *p->v); }
        p->v[p->n++] = (plan_line){ vb_strdup(p->a, f[0]), vb_strdup(p->a, f[1]), n, line };
    }
    free(data);
    qsort(p->v, p->n, sizeof *p->v, plan_cmp);
    for (size_t i = 1; ok && i < p->n; i++)
        if (!plan_cmp(&p->v[i - 1], &p->v[i])) {
            vb_error(d, VB_EXIT_INPUT, "%s:%d: record \"%s\" (%s) is in the plan twice (first at line %d)", path,
                     p->v[i].line > p->v[i - 1].line ? p->v[i].line : p->v[i - 1].line, p->v[i].record, p->v[i].type,
                     p->v[i].line < p->v[i - 1].line ? p->v[i].line : p->v[i - 1].line);
            ok = false;
        }
    if (!ok) { vb_reg_plan_free(p); return false; }
    *out = p;
    return true;
}

void vb_reg_plan_free(vb_reg_plan *p)
{
    if (!p) return;
    free(p->v);
    vb_arena_free(p->a);
    free(p);
}

bool vb_reg_plan_apply(const vb_reg_plan *p, vb_arena *a, const vb_doctype *t, const vb_record *rec, vb_diag *d)
{
    plan_line key = { rec->id, t->name, 0, 0 };
    const plan_line *hit = bsearch(&key, p->v, p->n, sizeof *p->v, plan_cmp);
    const char *where = rec->line ? vb_sprintf(a, "%s:%d", rec->file, rec->line) : rec->file;
    vb_value *part = vb_value_get(rec->root, t->part);
    const vb_value *given = part ? vb_value_get(part, "number") : NULL;
    bool has = given && given->kind == VB_INT && given->i > 0;
    if (!hit) {
        if (has) return true;     /* numbered in the record: nothing to take */
        vb_error(d, VB_EXIT_INPUT, "%s: record \"%s\" (%s) has no number and is not in the plan %s "
                 "(reserve again: vanban batch ... --register FILE --reserve PLAN)", where, rec->id, t->name, p->path);
        return false;
    }
    if (has && given->i != hit->number) {
        vb_error(d, VB_EXIT_INPUT, "%s: /%s/number: %lld, but the plan %s:%d gives %lld", where, t->part,
                 (long long)given->i, p->path, hit->line, (long long)hit->number);
        return false;
    }
    vb_reg_set_number(a, rec, t, hit->number);
    return true;
}

/* ---- numbers and symbols as typed ---- */
/* What the user typed, for a message: control characters as \u00XX, so
 * that none reaches the terminal (fuzz_numsym found a raw 0x1A). */
static const char *shown(vb_arena *a, const char *s)
{
    vb_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) vb_buf_printf(&b, "\\u%04X", *p);
        else vb_buf_putc(&b, (char)*p);
    }
    const char *r = vb_strdup(a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return r;
}

bool vb_reg_parse_numsym(vb_arena *a, const char *what, const char *s, int64_t *number, const char **canon,
                         vb_diag *d)
{
    size_t bad;
    if (!s || !vb_utf8_valid(s, strlen(s), &bad)) {
        vb_error(d, VB_EXIT_INPUT, "%s: invalid UTF-8 at byte %zu", what, s ? bad : 0);
        return false;
    }
    const char *orig = s;
    s = vb_nfc(a, s);
    while (*s == ' ') s++;
    static const char so[] = "S\xE1\xBB\x91";     /* "Số" */
    if (!strncmp(s, so, sizeof so - 1)) {
        s += sizeof so - 1;
        if (*s == ':') s++;
        /* the blank and ordinary spaces a number line has after "Số" */
        for (;;) {
            if (*s == ' ') s++;
            else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) s += 2;
            else break;
        }
    }
    int64_t n = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        if (digits < 10) n = n * 10 + (*s - '0');
        digits++;
        s++;
    }
    while (*s == ' ') s++;
    char sep = *s;
    if (!digits || digits > 9 || n < 1 || (sep != '/' && sep != '-')) {
        vb_error(d, VB_EXIT_INPUT, "%s: \"%s\" is not a number and symbol such as 07/NQ-HĐND (state) or "
                 "15-NQ/ĐUK (Party)", what, shown(a, orig));
        return false;
    }
    s++;
    while (*s == ' ') s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ') len--;
    bool ok = len > 0;
    for (const char *p = s; ok && p < s + len;) {
        int32_t cp;
        int k = vb_utf8_next(p, &cp);
        if (k <= 0 || cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xA0) ok = false;
        p += k > 0 ? k : 1;
    }
    if (!ok) {
        if (len) vb_error(d, VB_EXIT_INPUT, "%s: \"%s\": the symbol after the number is written without spaces "
                          "(07/NQ-HĐND)", what, shown(a, orig));
        else vb_error(d, VB_EXIT_INPUT, "%s: \"%s\": the symbol after the number is missing (07/NQ-HĐND)",
                      what, shown(a, orig));
        return false;
    }
    *number = n;
    *canon = vb_sprintf(a, "%02lld%c%.*s", (long long)n, sep, (int)len, s);
    return true;
}

/* ---- CSV ---- */
static const char *const col_titles[] = {
    "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"
};

/* "-5", "+84912345678", "12,5": a number, which a spreadsheet reads as a
 * number and never runs. */
static bool plain_number(const char *s)
{
    if (*s == '+' || *s == '-') s++;
    int digits = 0, seps = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') digits++;
        else if ((*s == '.' || *s == ',') && digits && !seps) seps++;
        else return false;
    }
    return digits && s[-1] != '.' && s[-1] != ',';
}

/* A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first:
 * OWASP's "CSV injection") gets a ' in front, which the spreadsheet shows
 * as text; a plain number stays a number. */
static bool csv_formula(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

static void csv_cell(vb_buf *b, const char *s, bool last)
{
    vb_buf_putc(b, '"');
    if (csv_formula(s)) vb_buf_putc(b, '\'');
    for (; *s; s++) { if (*s == '"') vb_buf_putc(b, '"'); vb_buf_putc(b, *s); }
    vb_buf_putc(b, '"');
    vb_buf_puts(b, last ? "\r\n" : ",");
}

/* "Nghị quyết về …": the type's title in sentence case, then the summary. */
static const char *type_and_summary(vb_arena *a, const vb_reg_entry *e)
{
    const char *t = vb_capfirst(a, vb_lower(a, e->type_title));
    return *e->summary ? vb_sprintf(a, "%s %s", t, e->summary) : t;
}

void vb_reg_csv(const vb_reg_entry *e, size_t n, vb_buf *out)
{
    for (int k = 0; k < 10; k++) csv_cell(out, col_titles[k], false);
    const char *extra[] = { "record", "type", "series", "source", "outputs", "status" };
    for (int k = 0; k < 6; k++) csv_cell(out, extra[k], k == 5);
    vb_arena *a = vb_arena_new();
    for (size_t i = 0; i < n; i++) {
        const vb_reg_entry *x = &e[i];
        const char *cells[] = { x->numsym, x->date, type_and_summary(a, x), x->signer, x->recipients, x->keeper,
                                vb_sprintf(a, "%d", x->copies), x->sent, x->received, x->notes,
                                x->record, x->type, x->series, x->source, x->outputs, x->status };
        for (int k = 0; k < 16; k++) csv_cell(out, cells[k], k == 15);
    }
    vb_arena_free(a);
}

/* ---- the printed register ---- */
static const char *date_vn(vb_arena *a, const char *iso)
{
    int y, m, d;
    return iso && vb_parse_date(iso, &y, &m, &d) ? vb_sprintf(a, "%02d/%02d/%04d", d, m, y) : iso;
}

bool vb_reg_print(const vb_style *st, const vb_reg_entry *e, size_t n, int year, vb_doc **out, vb_diag *d)
{
    const char *zn[] = { "type_name", "summary", "table_header", "table_cell" };
    const vb_zone *z[4];
    for (int i = 0; i < 4; i++) {
        z[i] = vb_style_zone(st, zn[i]);
        if (!z[i]) {
            vb_error(d, VB_EXIT_INPUT, "%s: the printed register needs a [zone %s]", st->path, zn[i]);
            return false;
        }
    }
    vb_doc *doc = vb_doc_new(st);
    vb_arena *a = doc->arena;
    /* landscape: the same rules, the page turned (ten columns need the width) */
    vb_style *land = vb_alloc(a, sizeof *land);
    *land = *st;
    if (land->page_h > land->page_w) { land->page_w = st->page_h; land->page_h = st->page_w; }
    doc->style = land;
    doc->type = "register";
    doc->title = year ? vb_sprintf(a, "Sổ đăng ký văn bản đi năm %d", year) : "Sổ đăng ký văn bản đi";
    doc->author = n ? e[0].issuer : "";
    doc->subject = doc->title;
    doc->keywords = "";
    /* the time written into the file: SOURCE_DATE_EPOCH, else the day of
     * the last document, so the same register prints the same bytes */
    int64_t when = 0;
    if (!vb_source_date(&when)) {
        const char *last = "";
        for (size_t i = 0; i < n; i++) if (strcmp(e[i].date, last) > 0) last = e[i].date;
        int y, m, dd;
        if (vb_parse_date(last, &y, &m, &dd)) {
            struct tm tmv = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd };
            when = (int64_t)timegm(&tmv);
        }
    }
    doc->date = when;
    vb_para_text(doc, vb_doc_para(doc, z[0]), "Sổ đăng ký văn bản đi", 0);
    vb_buf sub = {0};
    if (n && *e[0].issuer) vb_buf_puts(&sub, e[0].issuer);
    for (size_t i = 1; i < n; i++)
        if (strcmp(e[i].issuer, e[i - 1].issuer)) { vb_buf_printf(&sub, ", %s", e[i].issuer); }
    if (year) vb_buf_printf(&sub, "%sNăm %d", sub.len ? " — " : "", year);
    if (sub.len) vb_para_text(doc, vb_doc_para(doc, z[1]), vb_buf_cstr(&sub), 0);
    vb_buf_free(&sub);
    vb_table *t = vb_doc_table(doc, 10, "register");
    vb_table_col(t, 6, VB_ALIGN_CENTER, true);
    vb_table_col(t, 1, VB_ALIGN_CENTER, false);
    vb_trow *h = vb_table_row(doc, t, VB_TROW_HEADER, z[2]);
    vb_trow *hn = vb_table_row(doc, t, VB_TROW_HEADER, z[2]);
    for (int k = 0; k < 10; k++) {
        vb_para_text(doc, h->cell[k], col_titles[k], 0);
        vb_para_text(doc, hn->cell[k], vb_sprintf(a, "(%d)", k + 1), 0);
    }
    for (size_t i = 0; i < n; i++) {
        const vb_reg_entry *x = &e[i];
        const char *notes = x->notes;
        if (!strcmp(x->status, "reserved"))
            notes = vb_sprintf(a, "%s%sSố đã giữ, chưa ban hành", notes, *notes ? "; " : "");
        const char *cells[] = { x->numsym, date_vn(a, x->date), type_and_summary(a, x), x->signer, x->recipients,
                                x->keeper, x->copies ? vb_sprintf(a, "%d", x->copies) : "", date_vn(a, x->sent),
                                x->received, notes };
        vb_trow *row = vb_table_row(doc, t, VB_TROW_BODY, z[3]);
        for (int k = 0; k < 10; k++)
            if (*cells[k]) vb_para_value(doc, row->cell[k], cells[k], 0, vb_sprintf(a, "%s: %s", x->numsym, col_titles[k]));
    }
    *out = doc;
    return true;
}
