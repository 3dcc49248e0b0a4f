/* batch.c — vanban batch: many records, many documents, in parallel.
 *
 *     vanban batch samples/ more.jsonl -o out/ [-t resolution,minutes]
 *                  [-f pdf,docx] [-j N] [--report FILE.json] [--skip-done]
 *                  [--shard I/N] [--pdfa [--icc FILE]] [--data DIR] [--fonts DIR]
 *                  [--register FILE [--reserve PLAN]] [--numbers PLAN]
 *
 * Inputs are `.json` files (one record) and `.jsonl` files (one record a
 * line); a folder stands for its `.json` and `.jsonl` files (not its
 * subfolders), in byte order of their names.  Every record found is a
 * unit of work; the units, in input order, are what --shard divides.
 *
 * Workers are threads, each with its own vb_engine (fonts, styles and
 * templates loaded once per worker; engines are never shared: FreeType is
 * not thread-safe).  A worker takes the next unit, parses the record once
 * and, for each document type it holds (or of -t), makes every format
 * through vb_engine_render, the entry `vanban render` uses too (one model,
 * one layout: the page count comes from it, for DOCX too), and writes each
 * atomically to OUT/<id>.<type>.<format>.
 *
 * Two records with the same id would write the same files: the first in
 * input order is rendered, every later one is an error.  To decide that
 * whatever the timing, a worker that has parsed unit i waits (briefly:
 * only for parsing, never for rendering) until units 0..i-1 are parsed.
 *
 * Interruption: SIGINT, SIGTERM and SIGHUP are blocked in every thread
 * and taken by the main thread with sigtimedwait (which also paces the
 * progress bar).  On one, no new output is started, the main thread waits
 * for writes in progress (each complete or removed), removes registered
 * temporary files and dies of the same signal.  Finished outputs are whole
 * files; nothing partial or temporary is left (SIGKILL excepted).
 *
 * With --register, each document is numbered in the register (register.h)
 * in input order: a unit takes its turn after the units before it, and
 * its documents' numbers are taken, rendered, written and committed one
 * at a time (the gate is held over the writes and the commit, so an
 * interruption never leaves an output whose number is not registered).
 * --reserve takes the numbers into a plan without rendering; --numbers
 * renders with a plan's numbers and no register (docs/register.md). */
#include "vb.h"
#include "engine.h"
#include "layout.h"
#include "record.h"
#include "register.h"
#include "sign.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int vb_batch_main(int argc, char **argv);

#define MAX_WORKERS 64
#define MAX_TYPES 16
#define MAX_FORMATS 4

/* ---- inputs ---- */
typedef struct in_file {
    char *path;                 /* as given, or folder/name */
    bool jsonl;
    struct timespec mtime;
} in_file;

typedef struct unit {           /* one record */
    uint32_t file;              /* index into files */
    int line;                   /* JSON Lines: 1-based; 0 for a .json file */
    off_t off;                  /* JSON Lines: where the line starts */
    size_t len;                 /* JSON Lines: its length (no newline) */
} unit;

/* ---- options and shared state ---- */
static struct {
    const char *outdir, *report, *data, *fonts;
    const char *types[MAX_TYPES]; size_t ntypes;
    const vb_backend *formats[MAX_FORMATS]; size_t nformats;
    int jobs;
    bool skip_done;
    unsigned long shard_i, shard_n;     /* 1-based; 0 = no sharding */
    const char *register_file, *reserve, *numbers;
    vb_register *reg;                   /* used under the turn only */
    const char *icc;                    /* --icc */
    vb_render_opts render;              /* --pdfa: every worker's engine gets it */
    bool sign;                          /* --sign: every PDF signed as written */
    vb_sign_cli sc;
} opt;
static vb_buf icc_profile;              /* read once, shared read-only by the workers */

static in_file *files; static size_t nfiles, capfiles;
static unit *units; static size_t nunits, capunits;
static size_t records_total;            /* before sharding */

static bool tty;                        /* stderr is a terminal: progress bar */
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;      /* stderr */
static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;     /* engine loading */
static pthread_mutex_t stat_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t next_unit;                /* atomic */
static int workers_done;                /* atomic */

static struct {
    size_t records_done, records_bad, records_empty;
    size_t docs_ok, docs_failed, docs_skipped;
    uint64_t pages, bytes;
    int exit_code;
} st;

static char **report_parts;             /* per unit, with --report */
static char **plan_parts;               /* per unit, with --reserve */

/* ---- the register: units take their numbers in input order ---- */
static pthread_mutex_t turn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static size_t turn_next;
static void turn_wait(size_t u)
{
    pthread_mutex_lock(&turn_mu);
    while (turn_next != u) pthread_cond_wait(&turn_cv, &turn_mu);
    pthread_mutex_unlock(&turn_mu);
}
static void turn_done(size_t u)
{
    pthread_mutex_lock(&turn_mu);
    turn_next = u + 1;
    pthread_cond_broadcast(&turn_cv);
    pthread_mutex_unlock(&turn_mu);
}

/* ---- duplicate ids, decided in input order ---- */
static pthread_mutex_t pub_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pub_cv = PTHREAD_COND_INITIALIZER;
static unsigned char *published;
static size_t watermark;                /* units [0, watermark) are published */
typedef struct id_slot { char *id; size_t unit; } id_slot;
static id_slot *ids; static size_t ids_cap, ids_n;

/* ---- the gate: writes in progress vs. an interruption ---- */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_writers;
static bool stopping;

/* "vanban batch --help"; every option listed here must be in docs/vanban.1
 * too (tests/cli.sh compares them). */
static void usage(FILE *f)
{
    fprintf(f, _("usage: vanban batch INPUT... -o DIR [-t TYPE,...] [-f pdf,docx] [-j N]\n"
          "                    [--report FILE.json] [--skip-done] [--shard I/N]\n"
          "                    [--pdfa [--icc FILE]] [--data DIR] [--fonts DIR] [--sign --key KEY ...]\n"
          "                    [--register FILE [--reserve PLAN]] [--numbers PLAN]\n"
          "Render every record of the inputs into DIR/<id>.<type>.<format> (docs/batch.md).\n"
          "INPUT is a .json record, a .jsonl file (one record a line) or a folder of them.\n"
          "  -o, --output DIR      the output folder (made if missing)\n"
          "  -t, --type T1,T2      document types (default: every one the record holds)\n"
          "  -f, --format F1,F2    pdf, docx or pdf,docx (default: pdf)\n"
          "  -j, --jobs N          workers (default: one a core)\n"
          "      --report FILE     a JSON report of every record and document\n"
          "      --skip-done       keep outputs already there, render the rest\n"
          "      --shard I/N       only the records whose index is I-1 modulo N\n"
          "      --pdfa            PDF files are PDF/A-2b, for archiving (docs/pdfa.md)\n"
          "      --icc FILE        the sRGB ICC profile of --pdfa (default: %s)\n"
          "      --data DIR        the folder holding templates/ (default: $VANBAN_DATA)\n"
          "      --fonts DIR       font files to use before fontconfig (default: DATA/fonts)\n"
          "      --register FILE   number every document without one in this register (SQLite),\n"
          "                        check the numbers records give (docs/register.md)\n"
          "      --reserve PLAN    with --register: only take the numbers, into PLAN, for --numbers\n"
          "      --numbers PLAN    the numbers of a plan (a sharded batch: no shared register)\n"
          "      --sign            sign every PDF (the key is loaded once a worker)\n"
          "  --                    every later argument is an input\n"
          "  -h, --help            this help\n"
          "%s"
          "Exit status: 0 ok, 1 a record failed (or an --icc file is not an RGB profile),\n"
          "2 usage, 3 output or system error (also a profile that cannot be read),\n"
          "4 key or certificate, 5 time-stamping authority.\n"), VB_SRGB_ICC, gettext(vb_sign_usage));
}

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("vanban batch: ", stderr);
    fprintf(stderr, gettext(fmt), arg);
    fputc('\n', stderr);
    usage(stderr);
    return VB_EXIT_USAGE;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void worse(int *code, int c) { if (c > *code) *code = c; }

static int diag_code(const vb_diag *d)
{
    if (!d->errors) return 0;
    return d->exit_code == VB_EXIT_SYSTEM ? VB_EXIT_SYSTEM : VB_EXIT_INPUT;
}

/* ---- JSON output ---- */
static void json_str(vb_buf *b, const char *s)
{
    if (!s) { vb_buf_puts(b, "null"); return; }
    vb_buf_putc(b, '"');
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { vb_buf_putc(b, '\\'); vb_buf_putc(b, (char)c); i++; }
        else if (c == '\n') { vb_buf_puts(b, "\\n"); i++; }
        else if (c == '\t') { vb_buf_puts(b, "\\t"); i++; }
        else if (c < 0x20 || c == 0x7f) { vb_buf_printf(b, "\\u%04x", c); i++; }
        else if (c < 0x80) { vb_buf_putc(b, (char)c); i++; }
        else {
            /* file names need not be UTF-8: a bad byte becomes U+FFFD */
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            size_t bad;
            if (n > 1 && i + n <= len && vb_utf8_valid(s + i, n, &bad)) { vb_buf_add(b, s + i, n); i += n; }
            else { vb_buf_puts(b, "\\ufffd"); i++; }
        }
    }
    vb_buf_putc(b, '"');
}

static void json_msgs(vb_buf *b, const vb_diag *d, size_t from, vb_severity sev)
{
    vb_buf_putc(b, '[');
    bool first = true;
    for (size_t i = from; i < d->n; i++) {
        if (d->items[i].sev != sev) continue;
        if (!first) vb_buf_puts(b, ", ");
        json_str(b, d->items[i].msg);
        first = false;
    }
    vb_buf_putc(b, ']');
}

/* ---- reading the command line ---- */
static char *list_copies[2];            /* what -t and -f names point into */

static bool split_list(const char *arg, const char **out, size_t *n, size_t max, int which)
{
    char *copy = list_copies[which] = vb_xstrdup(arg);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        bool seen = false;
        for (size_t i = 0; i < *n; i++) if (!strcmp(out[i], t)) seen = true;
        if (seen) continue;
        if (*n == max) return false;
        out[(*n)++] = t;
    }
    return *n > 0;
}

static bool parse_ulong(const char *s, unsigned long *v)
{
    if (!*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return !errno && !*end;
}

/* ---- collecting the inputs ---- */
static void add_file(const char *path, bool jsonl, const struct stat *sb)
{
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 16;
        files = vb_xrealloc(files, capfiles * sizeof *files);
    }
    files[nfiles++] = (in_file){ vb_xstrdup(path), jsonl, sb->st_mtim };
}

static void add_unit(uint32_t file, int line, off_t off, size_t len)
{
    if (nunits == capunits) {
        capunits = capunits ? capunits * 2 : 64;
        units = vb_xrealloc(units, capunits * sizeof *units);
    }
    units[nunits++] = (unit){ file, line, off, len };
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The same file named twice (a folder and a file in it) is read once. */
typedef struct seen_file { dev_t dev; ino_t ino; } seen_file;
static seen_file *seen; static size_t nseen, capseen;
static bool seen_before(const struct stat *sb)
{
    for (size_t i = 0; i < nseen; i++)
        if (seen[i].dev == sb->st_dev && seen[i].ino == sb->st_ino) return true;
    if (nseen == capseen) { capseen = capseen ? capseen * 2 : 64; seen = vb_xrealloc(seen, capseen * sizeof *seen); }
    seen[nseen++] = (seen_file){ sb->st_dev, sb->st_ino };
    return false;
}

static void input_error(int code, const char *fmt, const char *a, const char *b)
{
    fputs("vanban batch: ", stderr);
    fprintf(stderr, gettext(fmt), a, b);
    fputc('\n', stderr);
    worse(&st.exit_code, code);
}

static void collect_path(const char *path, bool from_folder)
{
    struct stat sb;
    if (stat(path, &sb) != 0) { input_error(VB_EXIT_SYSTEM, "%s: cannot open: %s", path, strerror(errno)); return; }
    if (S_ISDIR(sb.st_mode)) {
        if (from_folder) return;        /* not recursive */
        DIR *dp = opendir(path);
        if (!dp) { input_error(VB_EXIT_SYSTEM, "%s: cannot open: %s", path, strerror(errno)); return; }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(dp))) {
            if (de->d_name[0] == '.') continue;
            if (!ends_with(de->d_name, ".json") && !ends_with(de->d_name, ".jsonl")) continue;
            if (n == cap) { cap = cap ? cap * 2 : 64; names = vb_xrealloc(names, cap * sizeof *names); }
            names[n++] = vb_xstrdup(de->d_name);
        }
        closedir(dp);
        qsort(names, n, sizeof *names, cmp_names);
        size_t pl = strlen(path);
        bool slash = pl > 0 && path[pl - 1] == '/';
        for (size_t i = 0; i < n; i++) {
            char *p = vb_xmalloc(pl + strlen(names[i]) + 2);
            sprintf(p, "%s%s%s", path, slash ? "" : "/", names[i]);
            collect_path(p, true);
            free(p);
            free(names[i]);
        }
        free(names);
        return;
    }
    if (!S_ISREG(sb.st_mode)) {
        input_error(VB_EXIT_SYSTEM, "%s: not a regular file or folder%s", path, "");
        return;
    }
    if (seen_before(&sb)) return;
    add_file(path, ends_with(path, ".jsonl"), &sb);
}

/* Units of the inputs: a .json file is one; a .jsonl file one per line
 * that is not blank (found by reading it once; workers read their line). */
static void collect_units(void)
{
    for (size_t f = 0; f < nfiles; f++) {
        if (!files[f].jsonl) { add_unit((uint32_t)f, 0, 0, 0); continue; }
        FILE *fp = fopen(files[f].path, "rb");
        if (!fp) { input_error(VB_EXIT_SYSTEM, "%s: cannot open: %s", files[f].path, strerror(errno)); continue; }
        static char buf[1 << 16];
        off_t pos = 0, start = 0;
        int line = 1;
        bool blank = true;
        size_t n;
        for (;;) {
            n = fread(buf, 1, sizeof buf, fp);
            for (size_t i = 0; i < n; i++, pos++) {
                char c = buf[i];
                if (c == '\n') {
                    if (!blank) add_unit((uint32_t)f, line, start, (size_t)(pos - start));
                    line++;
                    start = pos + 1;
                    blank = true;
                } else if (c != ' ' && c != '\t' && c != '\r') blank = false;
            }
            if (n < sizeof buf) break;
        }
        if (ferror(fp)) input_error(VB_EXIT_SYSTEM, "%s: read error: %s", files[f].path, strerror(errno));
        else if (!blank) add_unit((uint32_t)f, line, start, (size_t)(pos - start));
        fclose(fp);
    }
}

static bool mkdirs(const char *dir)
{
    char *p = vb_xstrdup(dir);
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) ok = false;
            *s = c;
            if (!c) break;
        }
    }
    struct stat sb;
    if (ok && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) { ok = false; errno = ENOTDIR; }
    free(p);
    return ok;
}

/* ---- progress and messages ---- */
static double t_start;

static void clear_bar(void) { if (tty) fputs("\r\033[K", stderr); }

static void human_time(char *out, size_t n, double s)
{
    if (s < 0 || s > 1e7) { snprintf(out, n, "?"); return; }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void draw_bar(void)
{
    pthread_mutex_lock(&stat_mu);
    size_t done = st.records_done, docs = st.docs_ok + st.docs_failed, failed = st.docs_failed + st.records_bad;
    pthread_mutex_unlock(&stat_mu);
    double el = now_s() - t_start;
    double rate = el > 0 ? docs / el : 0;
    char eta[32] = "?";
    if (done > 0) human_time(eta, sizeof eta, el / done * (nunits - done));
    int width = 80;
    struct winsize ws;
    if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) width = ws.ws_col;
    char text[200], fails[48] = "";
    if (failed) snprintf(fails, sizeof fails, _(" (%zu failed)"), failed);
    int tl = snprintf(text, sizeof text, _(" %zu/%zu records, %zu docs%s, %.1f docs/s, ETA %s"),
                      done, nunits, docs, fails, rate, eta);
    int barw = 24;                      /* a fixed width, or none when it does not fit */
    if (barw + 2 + tl > width - 1) barw = 0;
    char line[512];
    int k = 0;
    if (barw) {
        int fill = nunits ? (int)((double)done / nunits * barw) : barw;
        line[k++] = '[';
        for (int i = 0; i < barw; i++) line[k++] = i < fill ? '#' : '.';
        line[k++] = ']';
    }
    snprintf(line + k, sizeof line - (size_t)k, "%s", text);
    if ((int)strlen(line) > width - 1) {
        int cut = width - 1;             /* not inside a UTF-8 character (translations) */
        while (cut > 0 && ((unsigned char)line[cut] & 0xC0) == 0x80) cut--;
        line[cut] = 0;
    }
    pthread_mutex_lock(&out_mu);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    pthread_mutex_unlock(&out_mu);
}

static void print_diag(const vb_diag *d)
{
    if (!d->n) return;
    pthread_mutex_lock(&out_mu);
    clear_bar();
    vb_diag_print(d, stderr);
    fflush(stderr);
    pthread_mutex_unlock(&out_mu);
}

/* ---- duplicate ids ---- */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ull; }
    return h;
}

static id_slot *id_find(const char *id)
{
    size_t m = ids_cap - 1;
    for (size_t i = hash_str(id) & m;; i = (i + 1) & m)
        if (!ids[i].id || !strcmp(ids[i].id, id)) return &ids[i];
}

static void id_claim(const char *id, size_t u)
{
    if ((ids_n + 1) * 2 > ids_cap) {
        id_slot *old = ids;
        size_t oc = ids_cap;
        ids_cap = ids_cap ? ids_cap * 2 : 1024;
        ids = vb_xcalloc(ids_cap, sizeof *ids);
        for (size_t i = 0; i < oc; i++) if (old[i].id) *id_find(old[i].id) = old[i];
        free(old);
    }
    id_slot *s = id_find(id);
    if (!s->id) { s->id = vb_xstrdup(id); s->unit = u; ids_n++; }
    else if (u < s->unit) s->unit = u;
}

/* Publish unit u's id (NULL: the record failed), wait until every earlier
 * unit is published, and say which earlier unit holds the same id. */
static bool publish(size_t u, const char *id, size_t *first)
{
    pthread_mutex_lock(&pub_mu);
    published[u] = 1;
    if (id) id_claim(id, u);
    while (watermark < nunits && published[watermark]) watermark++;
    pthread_cond_broadcast(&pub_cv);
    while (watermark < u) pthread_cond_wait(&pub_cv, &pub_mu);
    bool dup = false;
    if (id) { id_slot *s = id_find(id); if (s->unit != u) { dup = true; *first = s->unit; } }
    pthread_mutex_unlock(&pub_mu);
    return dup;
}

/* ---- the gate ---- */
static bool gate_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    bool ok = !stopping;
    if (ok) gate_writers++;
    pthread_mutex_unlock(&gate_mu);
    return ok;
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    if (--gate_writers == 0) pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

/* ---- a worker ---- */
typedef struct worker {
    pthread_t th;
    vb_engine *e;
    vb_signer *signer;          /* --sign: this worker's key, loaded once */
    bool started;
    char loaded[2 * MAX_TYPES][48];     /* (convention, type) built before */
    size_t nloaded;
} worker;

/* Has this worker's engine built this convention and type before?  (Then
 * its style and template are loaded.)  With mark, notes that it has. */
static bool worker_loaded(worker *w, vb_convention c, const char *type, bool mark)
{
    char key[48];
    snprintf(key, sizeof key, "%d:%s", (int)c, type);
    for (size_t i = 0; i < w->nloaded; i++) if (!strcmp(w->loaded[i], key)) return true;
    if (mark && w->nloaded < 2 * MAX_TYPES) memcpy(w->loaded[w->nloaded++], key, sizeof key);
    return false;
}

static const char *where(vb_arena *a, const unit *u)
{
    return u->line ? vb_sprintf(a, "%s:%d", files[u->file].path, u->line) : files[u->file].path;
}

static bool read_unit(const unit *u, char **data, size_t *len, vb_diag *d)
{
    const in_file *f = &files[u->file];
    if (!u->line) return vb_read_file(f->path, VB_MAX_RECORD_BYTES, data, len, d);
    if (u->len > VB_MAX_RECORD_BYTES) {
        vb_error(d, VB_EXIT_INPUT, "%s:%d: record is too large: %zu bytes, at most %u", f->path, u->line,
                 u->len, VB_MAX_RECORD_BYTES);
        return false;
    }
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { vb_error(d, VB_EXIT_SYSTEM, "%s: cannot open: %s", f->path, strerror(errno)); return false; }
    char *buf = vb_xmalloc(u->len + 1);
    size_t got = 0;
    while (got < u->len) {
        ssize_t r = pread(fd, buf + got, u->len - got, u->off + (off_t)got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    int saved = errno;
    close(fd);
    if (got < u->len) {
        vb_error(d, VB_EXIT_SYSTEM, "%s:%d: cannot read the line (did the file change?): %s", f->path, u->line,
                 got ? "short read" : strerror(saved));
        free(buf);
        return false;
    }
    size_t n = u->len;
    if (n && buf[n - 1] == '\r') n--;       /* CRLF files */
    buf[n] = 0;
    *data = buf;
    *len = n;
    return true;
}

/* The types to render for a record: those it holds (each type's condition,
 * as `vanban check` lists them), or of -t those it holds; a -t type its
 * convention does not have stays, so that it is reported. */
static size_t record_types(vb_engine *e, const vb_record *r, const char **out)
{
    if (!opt.ntypes) return vb_engine_held(e, r, out, MAX_TYPES);
    size_t n = 0;
    for (size_t i = 0; i < opt.ntypes; i++) {
        const vb_doctype *t = vb_engine_type(e, r->convention, opt.types[i]);
        if (t && !vb_schema_holds(t, r->root)) continue;
        out[n++] = opt.types[i];
    }
    return n;
}

static bool newer(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

typedef struct doc_result {
    const char *type, *format, *output;
    long pages;                 /* -1: unknown */
    long long bytes;            /* -1: none */
    bool ok, skipped;
    vb_diag *build;             /* messages of building its type (shared), or NULL */
    vb_diag msgs;               /* its own messages */
    vb_buf file;                /* made, to be written by a writer thread */
    bool to_write;
} doc_result;

static void diag_append(vb_diag *dst, const vb_diag *src)
{
    if (!src) return;
    for (size_t i = 0; i < src->n; i++) {
        if (src->items[i].sev == VB_ERROR) vb_error(dst, src->exit_code, "%s", src->items[i].msg);
        else vb_warn(dst, "%s", src->items[i].msg);
    }
}

static void report_doc(vb_buf *rb, const unit *u, const char *id, const doc_result *r, const vb_diag *rec_d)
{
    if (!rb) return;
    if (rb->len) vb_buf_puts(rb, ",\n");
    vb_buf_puts(rb, "  {\"input\": ");
    json_str(rb, files[u->file].path);
    if (u->line) vb_buf_printf(rb, ", \"line\": %d", u->line);
    else vb_buf_puts(rb, ", \"line\": null");
    vb_buf_puts(rb, ", \"id\": "); json_str(rb, id);
    vb_buf_puts(rb, ", \"type\": "); json_str(rb, r->type);
    vb_buf_puts(rb, ", \"format\": "); json_str(rb, r->format);
    vb_buf_puts(rb, ", \"output\": "); json_str(rb, r->output);
    if (r->pages >= 0) vb_buf_printf(rb, ", \"pages\": %ld", r->pages); else vb_buf_puts(rb, ", \"pages\": null");
    if (r->bytes >= 0) vb_buf_printf(rb, ", \"bytes\": %lld", r->bytes); else vb_buf_puts(rb, ", \"bytes\": null");
    vb_buf_printf(rb, ", \"ok\": %s, \"skipped\": %s", r->ok ? "true" : "false", r->skipped ? "true" : "false");
    /* the record's messages, its type's, then its own */
    vb_diag all;
    vb_diag_init(&all);
    diag_append(&all, rec_d);
    diag_append(&all, r->build);
    diag_append(&all, &r->msgs);
    vb_buf_puts(rb, ", \"errors\": "); json_msgs(rb, &all, 0, VB_ERROR);
    vb_buf_puts(rb, ", \"warnings\": "); json_msgs(rb, &all, 0, VB_WARNING);
    vb_buf_putc(rb, '}');
    vb_diag_free(&all);
}

static void count_doc(const doc_result *r)
{
    pthread_mutex_lock(&stat_mu);
    if (r->skipped) st.docs_skipped++;
    else if (r->ok) {
        st.docs_ok++;
        if (r->pages > 0) st.pages += (uint64_t)r->pages;
        if (r->bytes > 0) st.bytes += (uint64_t)r->bytes;
    } else st.docs_failed++;
    pthread_mutex_unlock(&stat_mu);
}

/* ---- the register's part of one document (register.h) ---- */
static vb_reg_plan *plan;               /* --numbers */

/* Before the render: the document's number, taken (or checked) in the
 * register, or the plan's.  False: the document fails, bd says why. */
static bool number_doc(worker *w, vb_arena *a, const vb_record *rec, const char *type, vb_reg_ticket *tk,
                       vb_diag *bd)
{
    const vb_doctype *t = vb_engine_type(w->e, rec->convention, type);
    if (plan) return vb_reg_plan_apply(plan, a, t, rec, bd);
    pthread_mutex_lock(&load_mu);
    const vb_style *sty = vb_engine_style(w->e, rec->convention, bd);
    pthread_mutex_unlock(&load_mu);
    return sty && vb_reg_prepare(opt.reg, a, sty, t, rec, tk, bd);
}

/* After the writes (inside the gate): the line is committed when every
 * format was written; otherwise, or when the commit fails, no output may
 * keep a number the register does not hold: those written are removed. */
static void register_doc(vb_reg_ticket *tk, doc_result *res, const size_t *idx, size_t nf, bool interrupted)
{
    bool all = !interrupted;
    vb_buf names = { 0 };
    for (size_t i = 0; i < nf; i++) {
        all &= res[idx[i]].ok;
        vb_buf_printf(&names, "%s%s", i ? "; " : "", res[idx[i]].output);
    }
    vb_diag rd;
    vb_diag_init(&rd);
    bool committed = vb_reg_finish(opt.reg, tk, all, vb_buf_cstr(&names), "issued", &rd) && all;
    vb_buf_free(&names);
    for (size_t i = 0; i < nf; i++) {
        doc_result *r = &res[idx[i]];
        diag_append(&r->msgs, &rd);
        if (committed || !r->ok) continue;
        unlink(r->output);
        r->ok = false;
        r->pages = r->bytes = -1;
        int code = diag_code(&rd) ? diag_code(&rd) : VB_EXIT_INPUT;
        if (interrupted) continue;
        if (rd.errors) vb_error(&r->msgs, code, "%s: removed: number %s was not registered (the register failed)",
                                r->output, tk->e.numsym);
        else vb_error(&r->msgs, code, "%s: removed: number %s was not registered (another format failed)",
                      r->output, tk->e.numsym);
    }
    vb_diag_free(&rd);
}

/* Build and lay out the formats of one document type; what is made is
 * left in res[k].file for the writers.  With a register, the files are
 * written here, and the number committed, under the gate.  Returns false
 * when interrupted. */
static bool do_type(worker *w, vb_arena *a, const unit *u, const vb_record *rec, const char *type,
                    doc_result *res, vb_diag *bd)
{
    const in_file *f = &files[u->file];
    bool todo = false;
    size_t ol = strlen(opt.outdir);
    bool slash = ol && opt.outdir[ol - 1] == '/';
    for (size_t k = 0; k < opt.nformats; k++) {
        const vb_backend *b = opt.formats[k];
        res[k] = (doc_result){ type, b->name, vb_sprintf(a, "%s%s%s.%s%s", opt.outdir, slash ? "" : "/",
                                                         rec->id, type, b->extension), -1, -1, false, false,
                               bd, { 0 }, { 0 }, false };
        vb_diag_init(&res[k].msgs);
        struct stat sb;
        if (opt.skip_done && stat(res[k].output, &sb) == 0 && S_ISREG(sb.st_mode) && newer(&sb.st_mtim, &f->mtime)) {
            res[k].skipped = res[k].ok = true;
            res[k].bytes = (long long)sb.st_size;
        } else todo = true;
    }
    if (opt.reserve) {
        /* --reserve: the number only, into the plan; nothing is rendered */
        vb_reg_ticket tk;
        for (size_t k = 0; k < opt.nformats; k++) res[k].skipped = false;
        if (!vb_engine_has_type(w->e, rec->convention, type)) {
            vb_error(bd, VB_EXIT_INPUT, "%s: there is no \"%s\" document for the %s convention", where(a, u), type,
                     rec->convention == VB_PARTY ? "party" : "state");
            return true;
        }
        if (!number_doc(w, a, rec, type, &tk, bd) || !vb_reg_finish(opt.reg, &tk, true, "", "reserved", bd)) return true;
        vb_buf pl = { 0 };
        vb_reg_plan_line(&tk, &pl);
        size_t ui = (size_t)(u - units);
        char *old = plan_parts[ui];
        plan_parts[ui] = vb_xmalloc((old ? strlen(old) : 0) + pl.len + 1);
        sprintf(plan_parts[ui], "%s%s", old ? old : "", vb_buf_cstr(&pl));
        free(old);
        vb_buf_free(&pl);
        for (size_t k = 0; k < opt.nformats; k++) { res[k].ok = res[k].skipped = true; res[k].output = NULL; }
        return true;
    }
    if (!todo) return true;

    bool loaded = worker_loaded(w, rec->convention, type, false);
    if (!vb_engine_has_type(w->e, rec->convention, type)) {
        vb_error(bd, VB_EXIT_INPUT, "%s: there is no \"%s\" document for the %s convention", where(a, u),
                 type, rec->convention == VB_PARTY ? "party" : "state");
        return true;
    }
    vb_reg_ticket tk;
    if ((opt.reg || plan) && !number_doc(w, a, rec, type, &tk, bd)) return true;
    /* the formats still to make, through the engine's one entry */
    const vb_backend *fmts[MAX_FORMATS];
    size_t idx[MAX_FORMATS], nf = 0;
    for (size_t k = 0; k < opt.nformats; k++)
        if (!res[k].skipped) { idx[nf] = k; fmts[nf++] = opt.formats[k]; }
    vb_output outs[MAX_FORMATS];
    /* the engine loads a style or template when first used: that is
     * serialised (style.c parses with strtok) */
    if (!loaded) pthread_mutex_lock(&load_mu);
    bool built = vb_engine_render(w->e, rec, type, fmts, nf, true, outs, bd);
    if (!loaded) {
        pthread_mutex_unlock(&load_mu);
        /* a model built at least once: the template loaded */
        for (size_t i = 0; i < nf; i++) if (outs[i].ok) built = true;
        if (built) worker_loaded(w, rec->convention, type, true);
    }
    for (size_t i = 0; i < nf; i++) {
        doc_result *r = &res[idx[i]];
        vb_output *o = &outs[i];
        diag_append(&r->msgs, &o->msgs);
        if (o->ok && opt.sign && w->signer && !strcmp(fmts[i]->name, "pdf")) {
            /* signed here, in the worker (CPU), before the writers get it */
            vb_sign_opts so = opt.sc.sig;
            if (o->has_sigbox && !so.have_box)
                so.have_box = true, so.box = (vb_sign_box){ o->sig_page, o->sig_box[0], o->sig_box[1], o->sig_box[2], o->sig_box[3] };
            if (!so.organisation && o->author[0]) so.organisation = o->author;
            if (!so.number && o->number[0]) so.number = o->number;
            so.fonts = vb_engine_fonts(w->e);
            vb_buf sb = { 0 };
            if (vb_sign_pdf(w->signer, &so, r->output, (const unsigned char *)o->bytes.data, o->bytes.len, &sb, &r->msgs)) {
                vb_buf_free(&o->bytes);
                o->bytes = sb;
            } else {
                vb_buf_free(&sb);
                o->ok = false;
            }
        }
        vb_diag_free(&o->msgs);
        if (o->ok) {
            /* written by a writer thread (writer_main); ok once it is */
            r->pages = o->pages;
            r->file = o->bytes;
            r->to_write = true;
        } else vb_buf_free(&o->bytes);
    }
    if (!opt.reg) return true;
    /* with a register: written here, the gate held over every write and
     * the commit, so no output keeps a number the register lacks */
    bool interrupted = !gate_enter();
    for (size_t i = 0; i < nf; i++) {
        doc_result *r = &res[idx[i]];
        if (r->to_write && !interrupted) {
            r->ok = vb_write_atomic(r->output, r->file.data, r->file.len, &r->msgs);
            if (r->ok) r->bytes = (long long)r->file.len;
        }
        r->to_write = false;
        vb_buf_free(&r->file);
    }
    register_doc(&tk, res, idx, nf, interrupted);
    if (!interrupted) gate_leave();
    return !interrupted;
}

/* ---- writing: the writer threads ----
 * A worker that has made a record's documents hands them to a small pool
 * of writer threads and goes on with the next record, so that the fsync of
 * each file (milliseconds on a disk, during which no CPU is used) never
 * keeps a core from rendering.  Each file is still written by
 * vb_write_atomic: whole, synced, then renamed.  The record is finished
 * (reported, counted, its messages printed) by whichever thread writes its
 * last file. */
#define WRITERS 4               /* fsyncs under way at once (2 and 8 were no faster: docs/batch.md) */
#define QUEUE_CAP 32            /* files made and waiting: bounds the memory held */

typedef struct pending {        /* a record whose files are being written */
    size_t ui;
    vb_arena *a;                /* the record's (ids, paths) */
    vb_diag rd;                 /* the record's messages */
    const char *id;
    size_t nt;
    vb_diag bd[MAX_TYPES];      /* building each type */
    doc_result res[MAX_TYPES][MAX_FORMATS];
    int left;                   /* files not yet written (atomic) */
    bool interrupted;           /* a write could not start (atomic) */
} pending;

typedef struct job { pending *p; doc_result *r; } job;
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_put = PTHREAD_COND_INITIALIZER, q_take = PTHREAD_COND_INITIALIZER;
static job queue[QUEUE_CAP];
static size_t q_head, q_len;
static bool q_closed;
static int writers_started;
static size_t in_flight;                /* atomic: records handed on and not finished */

/* Report, count and print a record once every file of it is written. */
static void finish_unit(pending *p)
{
    const unit *u = &units[p->ui];
    bool interrupted = __atomic_load_n(&p->interrupted, __ATOMIC_ACQUIRE);
    vb_buf rb = { 0 };
    int code = 0;
    vb_diag msgs;                       /* the documents' messages, in order */
    vb_diag_init(&msgs);
    for (size_t ti = 0; ti < p->nt; ti++) {
        diag_append(&msgs, &p->bd[ti]);
        for (size_t k = 0; k < opt.nformats; k++) {
            doc_result *r = &p->res[ti][k];
            if (!r->ok) r->pages = -1;
            if (!interrupted) {
                if (!r->ok) {
                    int c = diag_code(&r->msgs);
                    worse(&c, diag_code(&p->bd[ti]));
                    worse(&code, c ? c : VB_EXIT_INPUT);
                }
                if (report_parts) report_doc(&rb, u, p->id, r, &p->rd);
                count_doc(r);
            }
            diag_append(&msgs, &r->msgs);
            vb_diag_free(&r->msgs);
            vb_buf_free(&r->file);
        }
        vb_diag_free(&p->bd[ti]);
    }
    /* the record's warnings, then its documents' messages, together */
    diag_append(&p->rd, &msgs);
    vb_diag_free(&msgs);
    print_diag(&p->rd);
    if (report_parts) report_parts[p->ui] = rb.data ? rb.data : vb_xstrdup("");
    pthread_mutex_lock(&stat_mu);
    if (!p->nt) st.records_empty++;
    if (!interrupted) st.records_done++;
    worse(&st.exit_code, code);
    pthread_mutex_unlock(&stat_mu);
    vb_diag_free(&p->rd);
    vb_arena_free(p->a);
    free(p);
    __atomic_sub_fetch(&in_flight, 1, __ATOMIC_ACQ_REL);
}

/* Write one file of a record; the last one finishes the record.  No write
 * starts once an interruption has begun (the gate). */
static void write_one(const job *j)
{
    doc_result *r = j->r;
    if (!gate_enter()) __atomic_store_n(&j->p->interrupted, true, __ATOMIC_RELEASE);
    else {
        r->ok = vb_write_atomic(r->output, r->file.data, r->file.len, &r->msgs);
        gate_leave();
        if (r->ok) r->bytes = (long long)r->file.len;
    }
    vb_buf_free(&r->file);
    if (__atomic_sub_fetch(&j->p->left, 1, __ATOMIC_ACQ_REL) == 0) finish_unit(j->p);
}

static void *writer_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&q_mu);
        while (!q_len && !q_closed) pthread_cond_wait(&q_take, &q_mu);
        if (!q_len) { pthread_mutex_unlock(&q_mu); break; }
        job j = queue[q_head];
        q_head = (q_head + 1) % QUEUE_CAP;
        q_len--;
        pthread_cond_signal(&q_put);
        pthread_mutex_unlock(&q_mu);
        write_one(&j);
    }
    return NULL;
}

/* Hand a record's files to the writers (waiting while the queue is full);
 * without writer threads, write them here. */
static void submit(pending *p)
{
    size_t n = 0;
    for (size_t ti = 0; ti < p->nt; ti++)
        for (size_t k = 0; k < opt.nformats; k++) n += p->res[ti][k].to_write;
    __atomic_add_fetch(&in_flight, 1, __ATOMIC_ACQ_REL);
    if (!n) { finish_unit(p); return; }
    /* +1 until every job is queued, so no writer finishes p meanwhile */
    p->left = (int)n + 1;
    for (size_t ti = 0; ti < p->nt; ti++)
        for (size_t k = 0; k < opt.nformats; k++) {
            doc_result *r = &p->res[ti][k];
            if (!r->to_write) continue;
            job j = { p, r };
            if (!writers_started) { write_one(&j); continue; }
            pthread_mutex_lock(&q_mu);
            while (q_len == QUEUE_CAP) pthread_cond_wait(&q_put, &q_mu);
            queue[(q_head + q_len) % QUEUE_CAP] = j;
            q_len++;
            pthread_cond_signal(&q_take);
            pthread_mutex_unlock(&q_mu);
        }
    if (__atomic_sub_fetch(&p->left, 1, __ATOMIC_ACQ_REL) == 0) finish_unit(p);
}

/* Render every requested document of one record, and hand them on. */
static void do_unit(worker *w, size_t ui)
{
    const unit *u = &units[ui];
    const in_file *f = &files[u->file];
    pending *p = vb_xcalloc(1, sizeof *p);
    p->ui = ui;
    p->a = vb_arena_new();
    vb_arena *a = p->a;
    vb_diag_init(&p->rd);
    char *data = NULL;
    size_t len = 0;
    vb_record rec;
    bool ok = read_unit(u, &data, &len, &p->rd) &&
              vb_record_parse(vb_engine_schema(w->e), a, f->path, u->line, data, len, &rec, &p->rd);
    free(data);
    size_t first = 0;
    if (publish(ui, ok ? rec.id : NULL, &first)) {
        vb_error(&p->rd, VB_EXIT_INPUT, "%s: id \"%s\" is already used by %s; this record is not rendered "
                 "(it would overwrite that one's files)", where(a, u), rec.id, where(a, &units[first]));
        p->id = rec.id;
        ok = false;
    }
    if (opt.reg) turn_wait(ui);         /* numbers are taken in input order */
    if (!ok) {
        if (opt.reg) turn_done(ui);
        doc_result r = { .pages = -1, .bytes = -1 };
        vb_buf rb = { 0 };
        if (report_parts) {
            report_doc(&rb, u, p->id, &r, &p->rd);
            report_parts[ui] = rb.data;
        }
        print_diag(&p->rd);
        pthread_mutex_lock(&stat_mu);
        st.records_bad++;
        st.records_done++;
        worse(&st.exit_code, diag_code(&p->rd) ? diag_code(&p->rd) : VB_EXIT_INPUT);
        pthread_mutex_unlock(&stat_mu);
        vb_diag_free(&p->rd);
        vb_arena_free(a);
        free(p);
        return;
    }
    p->id = rec.id;
    const char *types[MAX_TYPES];
    p->nt = record_types(w->e, &rec, types);
    for (size_t ti = 0; ti < p->nt; ti++) {
        vb_diag_init(&p->bd[ti]);
        if (p->interrupted) {           /* a register's write could not start: the rest not made */
            for (size_t k = 0; k < opt.nformats; k++) p->res[ti][k] = (doc_result){ .pages = -1, .bytes = -1 };
            continue;
        }
        if (!do_type(w, a, u, &rec, types[ti], p->res[ti], &p->bd[ti])) p->interrupted = true;
    }
    if (opt.reg) turn_done(ui);
    submit(p);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    if (!w->e) {
        vb_diag d;
        vb_diag_init(&d);
        pthread_mutex_lock(&load_mu);
        bool ok = vb_engine_open(opt.data, opt.fonts, &w->e, &d);
        pthread_mutex_unlock(&load_mu);
        if (!ok) {
            print_diag(&d);
            pthread_mutex_lock(&stat_mu);
            worse(&st.exit_code, VB_EXIT_SYSTEM);
            pthread_mutex_unlock(&stat_mu);
            vb_diag_free(&d);
            __atomic_add_fetch(&workers_done, 1, __ATOMIC_ACQ_REL);
            return NULL;
        }
        vb_diag_free(&d);
        vb_engine_set_render_opts(w->e, &opt.render);
    }
    if (opt.sign && !w->signer) {
        vb_diag d;
        vb_diag_init(&d);
        if (!vb_signer_load(&opt.sc.key, &w->signer, &d)) {
            print_diag(&d);
            pthread_mutex_lock(&stat_mu);
            worse(&st.exit_code, d.exit_code ? d.exit_code : VB_EXIT_SYSTEM);
            pthread_mutex_unlock(&stat_mu);
            vb_diag_free(&d);
            __atomic_add_fetch(&workers_done, 1, __ATOMIC_ACQ_REL);
            return NULL;
        }
        vb_diag_free(&d);
    }
    for (;;) {
        pthread_mutex_lock(&gate_mu);
        bool stop = stopping;
        pthread_mutex_unlock(&gate_mu);
        if (stop) break;
        size_t ui = __atomic_fetch_add(&next_unit, 1, __ATOMIC_ACQ_REL);
        if (ui >= nunits) break;
        do_unit(w, ui);
    }
    __atomic_add_fetch(&workers_done, 1, __ATOMIC_ACQ_REL);
    return NULL;
}

/* ---- the report ---- */
static int write_report(void)
{
    vb_buf b = { 0 };
    vb_buf_puts(&b, "[\n");
    bool first = true;
    for (size_t i = 0; i < nunits; i++) {
        if (!report_parts[i] || !*report_parts[i]) continue;
        if (!first) vb_buf_puts(&b, ",\n");
        vb_buf_puts(&b, report_parts[i]);
        first = false;
    }
    vb_buf_puts(&b, first ? "]\n" : "\n]\n");
    vb_diag d;
    vb_diag_init(&d);
    bool ok = vb_write_atomic(opt.report, b.data, b.len, &d);
    print_diag(&d);
    vb_diag_free(&d);
    vb_buf_free(&b);
    return ok ? 0 : VB_EXIT_SYSTEM;
}

static void summary(double secs)
{
    char size[32];
    double mb = st.bytes / 1048576.0;
    if (mb >= 1) snprintf(size, sizeof size, "%.1f MiB", mb);
    else snprintf(size, sizeof size, "%.1f KiB", st.bytes / 1024.0);
    fprintf(stderr, _("batch: %zu documents, %llu pages, %llu bytes (%s) in %.2f s (%.1f documents/s, %.1f pages/s); "
              "%zu failed, %zu skipped, %zu bad records"),
            st.docs_ok, (unsigned long long)st.pages, (unsigned long long)st.bytes, size, secs,
            secs > 0 ? st.docs_ok / secs : 0.0, secs > 0 ? st.pages / secs : 0.0,
            st.docs_failed, st.docs_skipped, st.records_bad);
    if (st.records_empty) fprintf(stderr, _(", %zu records without a requested document"), st.records_empty);
    if (opt.shard_n) fprintf(stderr, _("; shard %lu/%lu: %zu of %zu records"), opt.shard_i, opt.shard_n, nunits, records_total);
    fputc('\n', stderr);
}

/* Before any record: print why the batch cannot start, free what worker
 * 0 holds, and give the exit code (the diagnostics', else `fallback`). */
static int setup_failed(vb_diag *d, int fallback, worker *ws, const char **inputs)
{
    vb_diag_print(d, stderr);
    int rc = d->exit_code ? d->exit_code : fallback;
    vb_diag_free(d);
    vb_engine_close(ws[0].e);
    vb_signer_free(ws[0].signer);
    free(ws);
    free(inputs);
    return rc;
}

int vb_batch_main(int argc, char **argv)
{
    const char **inputs = vb_xcalloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    const char *types_arg = NULL, *formats_arg = NULL, *jobs_arg = NULL, *shard_arg = NULL;
    bool only_inputs = false, sign_opts = false;
    vb_sign_cli_init(&opt.sc);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (only_inputs || a[0] != '-' || !a[1]) { inputs[ninputs++] = a; continue; }
        if (!strcmp(a, "--")) { only_inputs = true; continue; }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); free(inputs); return 0; }
        if (!strcmp(a, "--skip-done")) { opt.skip_done = true; continue; }
        if (!strcmp(a, "--pdfa")) { opt.render.pdfa = true; continue; }
        if (!strcmp(a, "--sign")) { opt.sign = true; continue; }
        {
            vb_diag od;
            vb_diag_init(&od);
            int t = vb_sign_cli_option(&opt.sc, argc, argv, &i, &od);
            if (t < 0) { fprintf(stderr, "vanban batch: %s\n", od.items[0].msg); vb_diag_free(&od); free(inputs); return VB_EXIT_USAGE; }
            vb_diag_free(&od);
            if (t > 0) { sign_opts = true; continue; }
        }
        if (!strncmp(a, "-j", 2) && a[2]) { jobs_arg = a + 2; continue; }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) dst = &opt.outdir;
        else if (!strcmp(a, "-t") || !strcmp(a, "--type")) dst = &types_arg;
        else if (!strcmp(a, "-f") || !strcmp(a, "--format")) dst = &formats_arg;
        else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) dst = &jobs_arg;
        else if (!strcmp(a, "--report")) dst = &opt.report;
        else if (!strcmp(a, "--shard")) dst = &shard_arg;
        else if (!strcmp(a, "--register")) dst = &opt.register_file;
        else if (!strcmp(a, "--reserve")) dst = &opt.reserve;
        else if (!strcmp(a, "--numbers")) dst = &opt.numbers;
        else if (!strcmp(a, "--data")) dst = &opt.data;
        else if (!strcmp(a, "--fonts")) dst = &opt.fonts;
        else if (!strcmp(a, "--icc")) dst = &opt.icc;
        else { free(inputs); return bad_usage("unknown option %s", a); }
        if (i + 1 >= argc) { free(inputs); return bad_usage("%s needs a value", a); }
        *dst = argv[++i];
    }
    int rc = VB_EXIT_USAGE;
    if (!ninputs) { free(inputs); return bad_usage("no input given (record files, .jsonl files or folders)%s", ""); }
    if (opt.reserve && !opt.register_file) { free(inputs); return bad_usage("--reserve needs --register FILE%s", ""); }
    if (opt.numbers && opt.register_file) {
        free(inputs);
        return bad_usage("--numbers renders with a plan's numbers, without a register: not with --register%s", "");
    }
    if (opt.reserve && shard_arg) { free(inputs); return bad_usage("--reserve takes the numbers of every shard: not with --shard%s", ""); }
    if (opt.reserve && !opt.outdir) opt.outdir = ".";     /* nothing is written there */
    if (!opt.outdir || !*opt.outdir) { free(inputs); return bad_usage("say where to write with -o DIR%s", ""); }
    if (types_arg && !split_list(types_arg, opt.types, &opt.ntypes, MAX_TYPES, 0)) {
        free(inputs); return bad_usage("-t takes document types separated by commas, got \"%s\"", types_arg);
    }
    const char *fnames[MAX_FORMATS];
    size_t nf = 0;
    if (!split_list(formats_arg ? formats_arg : "pdf", fnames, &nf, MAX_FORMATS, 1)) {
        free(inputs); return bad_usage("-f takes pdf, docx or pdf,docx, got \"%s\"", formats_arg);
    }
    for (size_t i = 0; i < nf; i++) {
        const vb_backend *b = vb_backend_find(fnames[i]);
        if (!b) { free(inputs); return bad_usage("unknown format \"%s\" (pdf or docx)", fnames[i]); }
        opt.formats[opt.nformats++] = b;
    }
    if (opt.icc && !opt.render.pdfa) { free(inputs); return bad_usage("--icc is the profile of --pdfa; give --pdfa too%s", ""); }
    bool has_pdf = false;
    for (size_t i = 0; i < opt.nformats; i++) has_pdf |= !strcmp(opt.formats[i]->name, "pdf");
    if (opt.render.pdfa && !has_pdf) { free(inputs); return bad_usage("--pdfa is for PDF output; -f has no pdf%s", ""); }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    opt.jobs = ncpu > 0 ? (int)(ncpu < MAX_WORKERS ? ncpu : MAX_WORKERS) : 1;
    if (jobs_arg) {
        unsigned long j;
        if (!parse_ulong(jobs_arg, &j) || j < 1) { free(inputs); return bad_usage("-j takes a number of workers (1 or more), got \"%s\"", jobs_arg); }
        if (j > MAX_WORKERS) {
            fprintf(stderr, _("vanban batch: -j %lu: at most %d workers; using %d\n"), j, MAX_WORKERS, MAX_WORKERS);
            j = MAX_WORKERS;
        }
        opt.jobs = (int)j;
    }
    if (shard_arg) {
        const char *slash = strchr(shard_arg, '/');
        char ibuf[32];
        unsigned long si, sn;
        if (!slash || (size_t)(slash - shard_arg) >= sizeof ibuf) { free(inputs); return bad_usage("--shard takes I/N, e.g. 2/8, got \"%s\"", shard_arg); }
        memcpy(ibuf, shard_arg, (size_t)(slash - shard_arg));
        ibuf[slash - shard_arg] = 0;
        if (!parse_ulong(ibuf, &si) || !parse_ulong(slash + 1, &sn) || sn < 1 || si < 1 || si > sn) {
            free(inputs); return bad_usage("--shard takes I/N with 1 <= I <= N, e.g. 2/8, got \"%s\"", shard_arg);
        }
        opt.shard_i = si;
        opt.shard_n = sn;
    }

    if (sign_opts && !opt.sign) { free(inputs); return bad_usage("signing options need --sign%s", ""); }
    /* one engine now: it checks the data and the types, then serves worker 0 */
    vb_diag d;
    vb_diag_init(&d);
    worker *ws = vb_xcalloc((size_t)opt.jobs, sizeof *ws);
    /* the key and images are checked before any record: worker 0 keeps the key */
    if (opt.sign && !(vb_sign_cli_finish(&opt.sc, &d) && vb_signer_load(&opt.sc.key, &ws[0].signer, &d)))
        return setup_failed(&d, VB_EXIT_USAGE, ws, inputs);
    if (!vb_engine_open(opt.data, opt.fonts, &ws[0].e, &d)) return setup_failed(&d, VB_EXIT_SYSTEM, ws, inputs);
    if (opt.render.pdfa) {
        /* once for every worker: a missing profile stops the batch before any output */
        if (!vb_pdf_icc_load(opt.icc ? opt.icc : VB_SRGB_ICC, &icc_profile, &d)) {
            if (!opt.icc) vb_error(&d, d.exit_code, "vanban batch: --pdfa needs an sRGB profile: install "
                                                     "icc-profiles-free or give one with --icc FILE");
            return setup_failed(&d, d.exit_code, ws, inputs);
        }
        opt.render.icc = (const unsigned char *)icc_profile.data;
        opt.render.icc_len = icc_profile.len;
        vb_engine_set_render_opts(ws[0].e, &opt.render);
    }
    vb_diag_free(&d);
    if (!opt.data) opt.data = vb_engine_datadir(ws[0].e);    /* found once, here */
    if ((opt.register_file && !vb_reg_open(opt.register_file, true, &opt.reg, &d)) ||
        (opt.numbers && !vb_reg_plan_load(opt.numbers, &plan, &d)))
        return setup_failed(&d, VB_EXIT_INPUT, ws, inputs);
    vb_diag_free(&d);
    for (size_t i = 0; i < opt.ntypes; i++) {
        if (vb_engine_has_type(ws[0].e, VB_PARTY, opt.types[i]) || vb_engine_has_type(ws[0].e, VB_STATE, opt.types[i])) continue;
        vb_buf have = { 0 };
        for (int c = 0; c < 2; c++) {
            const char **t;
            size_t n = vb_engine_types(ws[0].e, (vb_convention)c, &t);
            for (size_t k = 0; k < n; k++)
                if (!strstr(vb_buf_cstr(&have), t[k])) vb_buf_printf(&have, "%s%s", have.len ? ", " : "", t[k]);
        }
        fprintf(stderr, _("vanban batch: unknown document type \"%s\" (have: %s)\n"), opt.types[i], vb_buf_cstr(&have));
        vb_buf_free(&have);
        vb_engine_close(ws[0].e);
        vb_signer_free(ws[0].signer);
        free(ws); free(inputs);
        return VB_EXIT_USAGE;
    }

    /* the inputs, then the units of this shard */
    struct stat report_sb;
    bool have_report_sb = opt.report && stat(opt.report, &report_sb) == 0;
    if (have_report_sb) seen_before(&report_sb);      /* a report is never read as a record */
    for (size_t i = 0; i < ninputs; i++) collect_path(inputs[i], false);
    free(inputs);
    collect_units();
    records_total = nunits;
    if (!records_total)
        fprintf(stderr, _("vanban batch: warning: no record in the inputs (.json files, .jsonl lines)\n"));
    if (opt.shard_n) {
        size_t k = 0;
        for (size_t i = 0; i < nunits; i++)
            if (i % opt.shard_n == opt.shard_i - 1) units[k++] = units[i];
        nunits = k;
    }
    if (!mkdirs(opt.outdir)) {
        fprintf(stderr, _("vanban batch: %s: cannot create the output folder: %s\n"), opt.outdir, strerror(errno));
        vb_engine_close(ws[0].e);
        vb_signer_free(ws[0].signer);
        free(ws);
        return VB_EXIT_SYSTEM;
    }
    published = vb_xcalloc(nunits ? nunits : 1, 1);
    if (opt.report) report_parts = vb_xcalloc(nunits ? nunits : 1, sizeof *report_parts);
    if (opt.reserve) plan_parts = vb_xcalloc(nunits ? nunits : 1, sizeof *plan_parts);
    int nw = opt.jobs;
    if ((size_t)nw > nunits) nw = nunits ? (int)nunits : 1;
    for (int i = 1; i < opt.jobs; i++) ws[i].e = NULL;

    /* workers; the main thread takes the signals and draws the progress */
    tty = isatty(2);
    t_start = now_s();
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    pthread_t writers[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        /* none started: the workers write their files themselves */
        if (pthread_create(&writers[i], NULL, writer_main, NULL) != 0) break;
        writers_started++;
    }
    int started = 0;
    for (int i = 0; i < nw; i++) {
        if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i]) != 0) {
            fprintf(stderr, _("vanban batch: cannot start worker %d: %s\n"), i + 1, strerror(errno));
            worse(&st.exit_code, VB_EXIT_SYSTEM);
            break;
        }
        ws[i].started = true;
        started++;
    }
    double last_draw = 0;
    while (__atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) < started ||
           __atomic_load_n(&in_flight, __ATOMIC_ACQUIRE) > 0) {
        struct timespec wait = { 0, 20 * 1000 * 1000 };   /* the end is seen within 20 ms */
        int sig = sigtimedwait(&sigs, NULL, &wait);
        if (sig > 0) {
            /* no new write starts; wait for those under way, then remove
             * what is registered (temporary files) and die of the signal */
            pthread_mutex_lock(&gate_mu);
            stopping = true;
            while (gate_writers > 0) pthread_cond_wait(&gate_cv, &gate_mu);
            vb_tmp_cleanup();
            pthread_mutex_lock(&out_mu);
            clear_bar();
            pthread_mutex_lock(&stat_mu);
            fprintf(stderr, _("vanban batch: interrupted (%s) after %zu of %zu records; every output written is "
                      "complete: rerun with --skip-done to go on\n"), strsignal(sig), st.records_done, nunits);
            pthread_mutex_unlock(&stat_mu);
            fflush(stderr);
            signal(sig, SIG_DFL);
            sigset_t one;
            sigemptyset(&one);
            sigaddset(&one, sig);
            raise(sig);
            pthread_sigmask(SIG_UNBLOCK, &one, NULL);
            _exit(128 + sig);       /* not reached */
        }
        double t = now_s();
        if (tty && t - last_draw >= 0.1) { draw_bar(); last_draw = t; }
    }
    for (int i = 0; i < nw; i++) if (ws[i].started) pthread_join(ws[i].th, NULL);
    pthread_mutex_lock(&q_mu);
    q_closed = true;
    pthread_cond_broadcast(&q_take);
    pthread_mutex_unlock(&q_mu);
    for (int i = 0; i < writers_started; i++) pthread_join(writers[i], NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    double secs = now_s() - t_start;
    if (tty) { clear_bar(); fflush(stderr); }

    rc = st.exit_code;
    if (st.records_done < nunits && rc == 0) rc = VB_EXIT_SYSTEM;    /* no worker could run */
    if (opt.report) {
        int r = write_report();
        worse(&rc, r);
    }
    summary(secs);
    if (opt.reserve) {
        /* the plan, in input order, written whole or not at all */
        vb_buf pb = { 0 };
        size_t lines = 0;
        vb_buf_printf(&pb, "# vanban plan: numbers reserved in %s; record, type, number, number and symbol, source\n",
                      opt.register_file);
        for (size_t i = 0; i < nunits; i++)
            if (plan_parts[i]) {
                vb_buf_puts(&pb, plan_parts[i]);
                for (const char *q = plan_parts[i]; *q; q++) lines += *q == '\n';
                free(plan_parts[i]);
            }
        vb_diag_init(&d);
        if (vb_write_atomic(opt.reserve, pb.data, pb.len, &d))
            fprintf(stderr, "batch: %zu numbers reserved in %s, plan %s\n", lines, opt.register_file, opt.reserve);
        else worse(&rc, VB_EXIT_SYSTEM);
        vb_diag_print(&d, stderr);
        vb_diag_free(&d);
        vb_buf_free(&pb);
        free(plan_parts);
    }
    vb_reg_close(opt.reg);
    vb_reg_plan_free(plan);

    for (int i = 0; i < opt.jobs; i++) { vb_engine_close(ws[i].e); vb_signer_free(ws[i].signer); }
    vb_buf_free(&icc_profile);
    free(ws);
    if (report_parts) for (size_t i = 0; i < nunits; i++) free(report_parts[i]);
    free(report_parts);
    free(published);
    for (size_t i = 0; i < ids_cap; i++) free(ids[i].id);
    free(ids);
    for (size_t i = 0; i < nfiles; i++) free(files[i].path);
    free(files);
    free(units);
    free(seen);
    free(list_copies[0]);
    free(list_copies[1]);
    return rc;
}
