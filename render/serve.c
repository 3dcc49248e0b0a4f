/* serve.c — the request handler of `vanban serve` (serve.h), no sockets. */
#include "serve.h"
#include "engine.h"
#include "record.h"
#include "register.h"
#include "schema.h"
#include "zipmem.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_STATIC 32
#define MAX_STATIC_BYTES (2u << 20)
#define MAX_LOADED 32           /* (convention, type) pairs an engine has loaded */
#define MAX_HELD 16

typedef struct static_file { char *name; const char *type; char *data; size_t len; } static_file;

typedef struct unit { const char *name; int line; const char *data; size_t len; } unit;
typedef struct entry { char *name; vb_buf bytes; } entry;

typedef struct job {
    unsigned long id;           /* 0: free slot */
    vb_server *s;
    pthread_t th;
    bool started, finished;
    char *input;                /* the upload, owned; units point into it */
    unit *units; size_t nunits;
    char **names;               /* file names, sanitised */
    size_t done, failed, docs;
    unsigned long version;      /* bumped on every change, for the stream */
    vb_buf zip;
} job;

typedef struct slot {
    vb_engine *e;
    bool busy;
    char loaded[MAX_LOADED][48];
    size_t nloaded;
} slot;

struct vb_server {
    vb_serve_opts o;
    slot *slots; size_t nslots;
    pthread_mutex_t mu;         /* slots, waiting, jobs */
    pthread_cond_t free_cv;     /* an engine came free */
    pthread_cond_t job_cv;      /* a job moved on */
    pthread_mutex_t load_mu;    /* the engine loads a template when first used: one at a time */
    size_t waiting;
    bool stopping;
    const vb_schema *schema;
    vb_buf schema_json;
    static_file files[MAX_STATIC]; size_t nfiles;
    char *hosts[VB_SERVE_MAX_HOSTS + 8]; size_t nhosts;
    job jobs[VB_SERVE_MAX_JOBS];
    unsigned long next_job;
    int64_t zip_time;
    vb_register *reg;           /* --db: the outgoing register, else NULL */
    pthread_mutex_t reg_mu;     /* a vb_register is used by one thread at a time (register.h) */
    locale_t vi;                /* LC_MESSAGES of vi_VN.UTF-8, or 0 when not installed */
};

/* ---- small helpers ---- */

static void json_str(vb_buf *b, const char *s)
{
    vb_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') { vb_buf_putc(b, '\\'); vb_buf_putc(b, (char)*p); }
        else if (*p == '\n') vb_buf_puts(b, "\\n");
        else if (*p < 0x20) vb_buf_printf(b, "\\u%04x", *p);
        /* "</" would end a <script>; JSON is never inlined, but cheap to avoid */
        else if (*p == '<') vb_buf_puts(b, "\\u003c");
        else vb_buf_putc(b, (char)*p);
    }
    vb_buf_putc(b, '"');
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y) return false;
    }
    return *a == *b;
}

static void set_header(vb_response *r, const char *name, const char *fmt, const char *arg)
{
    if (r->nheaders >= VB_SERVE_MAX_HEADERS) return;
    vb_buf v = { 0 };
    vb_buf_printf(&v, fmt, arg);
    r->hname[r->nheaders] = name;
    r->hvalue[r->nheaders++] = (char *)vb_buf_cstr(&v);
}

/* A plain answer: a status and a short JSON message for the page to show. */
static void answer(vb_response *r, int status, const char *msg)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
    vb_buf_free(&r->body);
    vb_buf_puts(&r->body, "{\"error\": ");
    json_str(&r->body, msg);
    vb_buf_puts(&r->body, "}\n");
}

void vb_response_free(vb_response *r)
{
    vb_buf_free(&r->body);
    for (size_t i = 0; i < r->nheaders; i++) free(r->hvalue[i]);
    r->nheaders = 0;
}

/* Only [A-Za-z0-9._-]: output and zip entry names, Content-Disposition. */
static char *safe_name(const char *s, size_t n)
{
    if (n > 100) n = 100;
    char *o = vb_xmalloc(n + 2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  (c == '.' && k > 0 && o[k - 1] != '.');
        o[k++] = ok ? c : '_';
    }
    if (!k) o[k++] = '_';
    o[k] = 0;
    return o;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the schema as JSON, for the forms ---- */

static const char *ftype_name(const vb_field *f)
{
    switch (f->type) {
    case VB_F_OBJ: return "object";
    case VB_F_LIST: return "list";
    case VB_F_TEXT: return "text";
    case VB_F_TEXTS: return "texts";
    case VB_F_INT: return "int";
    case VB_F_DATE: return "date";
    case VB_F_TIME: return "time";
    case VB_F_CONV: return "convention";
    case VB_F_ID: return "id";
    case VB_F_CELL: return "cell";
    case VB_F_BOOL: return "bool";
    }
    return "text";
}

/* The part a field belongs to: "" for core.fields, PART for parts/PART.fields. */
static void put_part(vb_buf *b, const char *file)
{
    const char *base = file ? strrchr(file, '/') : NULL;
    base = base ? base + 1 : file ? file : "";
    size_t n = strlen(base);
    bool in_parts = file && base - file >= 6 && !strncmp(base - 6, "parts/", 6);
    if (!in_parts || n < 8) { json_str(b, ""); return; }
    char *p = vb_xstrdup(base);
    p[n - 7] = 0;                       /* ".fields" */
    json_str(b, p);
    free(p);
}

static void schema_json(vb_server *s, vb_engine *e)
{
    vb_buf *b = &s->schema_json;
    const vb_schema *sc = s->schema;
    vb_buf_puts(b, "{\"conventions\": [\"state\", \"party\"],\n \"types\": [");
    bool first = true;
    for (int c = VB_STATE; c >= VB_PARTY; c--) {
        const char **names;
        size_t n = vb_engine_types(e, (vb_convention)c, &names);
        for (size_t i = 0; i < n; i++) {
            const vb_doctype *t = vb_engine_type(e, (vb_convention)c, names[i]);
            if (!t) continue;
            vb_buf_puts(b, first ? "\n  {" : ",\n  {");
            first = false;
            vb_buf_puts(b, "\"convention\": "); json_str(b, c == VB_PARTY ? "party" : "state");
            vb_buf_puts(b, ", \"name\": "); json_str(b, t->name);
            vb_buf_puts(b, ", \"title\": "); json_str(b, t->title);
            vb_buf_puts(b, ", \"abbr\": "); json_str(b, t->abbr);
            vb_buf_puts(b, ", \"part\": "); json_str(b, t->part);
            vb_buf_puts(b, ", \"holds\": "); json_str(b, t->holds);
            vb_buf_putc(b, '}');
        }
    }
    vb_buf_puts(b, "],\n \"fields\": [");
    first = true;
    for (size_t i = 0; i < sc->nfields; i++) {
        const vb_field *f = &sc->fields[i];
        if (f->flags & VB_F_DERIVED) continue;   /* computed: never typed in */
        vb_buf_puts(b, first ? "\n  {" : ",\n  {");
        first = false;
        vb_buf_puts(b, "\"path\": "); json_str(b, f->path);
        vb_buf_puts(b, ", \"type\": "); json_str(b, ftype_name(f));
        vb_buf_puts(b, ", \"part\": "); put_part(b, f->file);
        vb_buf_puts(b, ", \"label\": "); json_str(b, f->label);
        vb_buf_printf(b, ", \"required\": %s, \"nonempty\": %s, \"as_list\": %s",
                      f->flags & VB_F_REQ ? "true" : "false", f->flags & VB_F_NONEMPTY ? "true" : "false",
                      f->flags & VB_F_AS_LIST ? "true" : "false");
        if (f->flags & VB_F_REQ_WITH) { vb_buf_puts(b, ", \"required_with\": "); json_str(b, f->req_with); }
        if (f->type == VB_F_INT) vb_buf_printf(b, ", \"min\": %lld, \"max\": %lld", (long long)f->min, (long long)f->max);
        if (f->default_from) { vb_buf_puts(b, ", \"default_from\": "); json_str(b, f->default_from); }
        if (f->doc) { vb_buf_puts(b, ", \"doc\": "); json_str(b, f->doc); }
        vb_buf_putc(b, '}');
    }
    vb_buf_puts(b, "],\n \"limits\": {");
    vb_buf_printf(b, "\"record_bytes\": %u, \"batch_bytes\": %u},\n \"register\": %s}\n", VB_MAX_RECORD_BYTES,
                  VB_SERVE_MAX_BATCH_BYTES, s->o.db ? "true" : "false");
}

/* ---- the web files ---- */

static const char *content_type(const char *name)
{
    static const struct { const char *ext, *type; } t[] = {
        { ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" }, { ".svg", "image/svg+xml" },
        { ".png", "image/png" }, { ".ico", "image/x-icon" }, { ".json", "application/json" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(dot, t[i].ext)) return t[i].type;
    return NULL;
}

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const static_file *)a)->name, ((const static_file *)b)->name);
}

static bool load_web(vb_server *s, const char *datadir, vb_diag *d)
{
    char *dir = NULL;
    if (asprintf(&dir, "%s/templates/web", datadir) < 0) vb_oom();
    DIR *dp = opendir(dir);
    bool ok = false;
    if (!dp) {
        vb_error(d, VB_EXIT_SYSTEM, "%s: cannot open the web files: %s", dir, strerror(errno));
        goto done;
    }
    struct dirent *de;
    while ((de = readdir(dp))) {
        const char *type = content_type(de->d_name);
        if (de->d_name[0] == '.' || !type) continue;
        if (s->nfiles == MAX_STATIC) {
            vb_error(d, VB_EXIT_INPUT, "%s: more than %d web files", dir, MAX_STATIC);
            goto done;
        }
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) vb_oom();
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) { free(path); continue; }
        static_file *f = &s->files[s->nfiles];
        bool r = vb_read_file(path, MAX_STATIC_BYTES, &f->data, &f->len, d);
        free(path);
        if (!r) goto done;
        f->name = vb_xstrdup(de->d_name);
        f->type = type;
        s->nfiles++;
    }
    qsort(s->files, s->nfiles, sizeof s->files[0], cmp_files);
    ok = true;
    bool has_index = false;
    for (size_t i = 0; i < s->nfiles; i++) has_index |= !strcmp(s->files[i].name, "index.html");
    if (!has_index) { vb_error(d, VB_EXIT_SYSTEM, "%s: no index.html", dir); ok = false; }
done:
    if (dp) closedir(dp);
    free(dir);
    return ok;
}

/* ---- the server ---- */

static void add_host(vb_server *s, const char *fmt, const char *h, unsigned port)
{
    if (s->nhosts >= sizeof s->hosts / sizeof s->hosts[0]) return;
    char *v = NULL;
    if (asprintf(&v, fmt, h, port) < 0) vb_oom();
    s->hosts[s->nhosts++] = v;
}

bool vb_server_new(const vb_serve_opts *o, vb_server **out, vb_diag *d)
{
    vb_server *s = vb_xcalloc(1, sizeof *s);
    s->o = *o;
    if (!s->o.workers) s->o.workers = 1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->load_mu, NULL);
    pthread_mutex_init(&s->reg_mu, NULL);
    pthread_cond_init(&s->free_cv, NULL);
    pthread_cond_init(&s->job_cv, NULL);
    s->next_job = 1;
    /* the web app is in Vietnamese whatever the server's locale: every
     * thread answering it formats its messages under this one (the
     * documents do not depend on it: LC_MESSAGES only) */
    s->vi = newlocale(LC_MESSAGES_MASK, "vi_VN.UTF-8", (locale_t)0);
    if (!s->vi)
        fprintf(stderr, _("vanban serve: the vi_VN.UTF-8 locale is not installed, so the web app shows messages in the "
                          "server's language (tools/setup.sh generates it)\n"));
    *out = s;
    s->slots = vb_xcalloc(s->o.workers, sizeof *s->slots);
    for (unsigned i = 0; i < s->o.workers; i++) {
        if (!vb_engine_open(o->data, o->fonts, &s->slots[i].e, d)) return false;
        s->nslots++;
    }
    s->schema = vb_engine_schema(s->slots[0].e);
    schema_json(s, s->slots[0].e);
    if (!load_web(s, vb_engine_datadir(s->slots[0].e), d)) return false;
    /* made when missing, as batch --register does; SQLite's locks make it
     * safe beside other vanban processes on the same file */
    if (o->db && !vb_reg_open(o->db, true, &s->reg, d)) return false;
    /* the names a browser on this machine uses, the address listened on,
     * and those given with --allow-host (a proxy's) */
    const char *h = o->host ? o->host : "127.0.0.1";
    bool v6 = strchr(h, ':') != NULL;
    add_host(s, "127.0.0.1:%.0s%u", "", o->port);
    add_host(s, "localhost:%.0s%u", "", o->port);
    add_host(s, "[::1]:%.0s%u", "", o->port);
    add_host(s, v6 ? "[%s]:%u" : "%s:%u", h, o->port);
    for (size_t i = 0; i < o->nallow; i++) add_host(s, "%s%.0u", o->allow[i], 0);
    int64_t t;
    s->zip_time = vb_source_date(&t) ? t : 315532800;
    return true;
}

void vb_server_stop(vb_server *s)
{
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->job_cv);
    pthread_cond_broadcast(&s->free_cv);
    pthread_mutex_unlock(&s->mu);
}

bool vb_server_stopping(const vb_server *s)
{
    return __atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE);
}

static void job_free(job *j)
{
    free(j->input);
    free(j->units);
    if (j->names) for (size_t i = 0; j->names[i]; i++) free(j->names[i]);
    free(j->names);
    vb_buf_free(&j->zip);
    memset(j, 0, sizeof *j);
}

void vb_server_free(vb_server *s)
{
    if (!s) return;
    vb_server_stop(s);
    for (size_t i = 0; i < VB_SERVE_MAX_JOBS; i++) {
        if (s->jobs[i].started) pthread_join(s->jobs[i].th, NULL);
        job_free(&s->jobs[i]);
    }
    for (size_t i = 0; i < s->nslots; i++) vb_engine_close(s->slots[i].e);
    vb_reg_close(s->reg);
    if (s->vi) freelocale(s->vi);
    pthread_mutex_destroy(&s->reg_mu);
    free(s->slots);
    for (size_t i = 0; i < s->nfiles; i++) { free(s->files[i].name); free(s->files[i].data); }
    for (size_t i = 0; i < s->nhosts; i++) free(s->hosts[i]);
    vb_buf_free(&s->schema_json);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->load_mu);
    pthread_cond_destroy(&s->free_cv);
    pthread_cond_destroy(&s->job_cv);
    free(s);
}

/* An engine for this request: waits in the queue (bounded unless `batch`,
 * whose one thread a job is bounded by the job table).  -1: queue full or
 * stopping. */
static int take_engine(vb_server *s, bool batch)
{
    pthread_mutex_lock(&s->mu);
    int k = -1;
    for (;;) {
        for (size_t i = 0; i < s->nslots && k < 0; i++)
            if (!s->slots[i].busy) k = (int)i;
        if (k >= 0 || s->stopping) break;
        if (!batch && s->waiting >= s->o.queue) break;
        s->waiting++;
        pthread_cond_wait(&s->free_cv, &s->mu);
        s->waiting--;
    }
    if (k >= 0) s->slots[k].busy = true;
    pthread_mutex_unlock(&s->mu);
    return k;
}

static void give_engine(vb_server *s, int k)
{
    pthread_mutex_lock(&s->mu);
    s->slots[k].busy = false;
    pthread_cond_signal(&s->free_cv);
    pthread_mutex_unlock(&s->mu);
}

/* vb_engine_render through slot k: the first use of a type loads its
 * template and style, which is serialised (style.c parses with strtok). */
static bool slot_render(vb_server *s, int k, const vb_record *r, const char *type, const vb_backend *const *fmts,
                        size_t nf, vb_output *outs, vb_diag *d)
{
    slot *sl = &s->slots[k];
    char key[48];
    snprintf(key, sizeof key, "%d:%s", (int)r->convention, type);
    bool loaded = false;
    for (size_t i = 0; i < sl->nloaded && !loaded; i++) loaded = !strcmp(sl->loaded[i], key);
    if (!loaded) pthread_mutex_lock(&s->load_mu);
    bool ok = vb_engine_render(sl->e, r, type, fmts, nf, true, outs, d);
    if (!loaded) {
        pthread_mutex_unlock(&s->load_mu);
        bool built = false;
        for (size_t i = 0; i < nf; i++) built |= outs[i].ok;
        if (built && sl->nloaded < MAX_LOADED) memcpy(sl->loaded[sl->nloaded++], key, sizeof key);
    }
    return ok;
}

/* ---- messages to the form: {"path": "/resolution/date", "message": ...} ---- */

/* The record reader's messages start "FILE: " or "FILE:LINE: " (record.h):
 * that prefix is dropped, the JSON path after it split off. */
static void put_msgs(vb_buf *b, const vb_diag *d, vb_severity sev, const char *file, bool *first)
{
    size_t fl = strlen(file);
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].sev != sev) continue;
        const char *m = d->items[i].msg;
        if (!strncmp(m, file, fl) && m[fl] == ':') {
            const char *t = m + fl + 1;
            while (*t >= '0' && *t <= '9') t++;
            if (t > m + fl + 1 && *t == ':') t++;
            if (*t == ' ') m = t + 1;
        }
        const char *end = m[0] == '/' ? strstr(m, ": ") : NULL;
        vb_buf_puts(b, *first ? "\n  {" : ",\n  {");
        *first = false;
        vb_buf_puts(b, "\"path\": ");
        if (end) {
            char *p = vb_xmalloc((size_t)(end - m) + 1);
            memcpy(p, m, (size_t)(end - m));
            p[end - m] = 0;
            json_str(b, p);
            free(p);
            m = end + 2;
        } else vb_buf_puts(b, "null");
        vb_buf_puts(b, ", \"message\": ");
        json_str(b, m);
        vb_buf_putc(b, '}');
    }
}

/* The name a record sent to the form endpoints has in messages, and its id
 * (so its downloads' names) when it gives none. */
#define FORM_FILE "vanban"

static void answer_msgs(vb_response *r, int status, const vb_diag *d)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
    vb_buf_free(&r->body);
    bool first = true;
    vb_buf_puts(&r->body, "{\"errors\": [");
    put_msgs(&r->body, d, VB_ERROR, FORM_FILE, &first);
    first = true;
    vb_buf_puts(&r->body, "],\n \"warnings\": [");
    put_msgs(&r->body, d, VB_WARNING, FORM_FILE, &first);
    vb_buf_puts(&r->body, "]}\n");
}

static void diag_append(vb_diag *dst, const vb_diag *src)
{
    for (size_t i = 0; i < src->n; i++) {
        if (src->items[i].sev == VB_ERROR) vb_error(dst, src->exit_code ? src->exit_code : VB_EXIT_INPUT, "%s", src->items[i].msg);
        else vb_warn(dst, "%s", src->items[i].msg);
    }
}

/* ---- one record: preview and download ---- */

/* The record of a form request and its document type; false: r holds the
 * 422 with the messages. */
static bool form_record(vb_server *s, const char *body, size_t len, vb_arena *a, const char *type, vb_record *rec,
                        const vb_doctype **dt, vb_diag *d, vb_response *r)
{
    if (!vb_record_parse(s->schema, a, FORM_FILE, 0, body ? body : "", len, rec, d)) {
        answer_msgs(r, 422, d);
        return false;
    }
    *dt = vb_schema_type(s->schema, rec->convention, type);
    if (!*dt) {
        vb_error(d, VB_EXIT_INPUT, "/convention: there is no \"%s\" document for the %s convention", type,
                 rec->convention == VB_PARTY ? "party" : "state");
        answer_msgs(r, 422, d);
        return false;
    }
    if (!vb_schema_holds(*dt, rec->root)) {
        char *p = vb_sprintf(a, "/%s", (*dt)->holds);
        for (char *c = p; *c; c++) if (*c == '.') *c = '/';
        vb_error(d, VB_EXIT_INPUT, "%s: needed for the %s (%s)", p, (*dt)->name, (*dt)->title);
        answer_msgs(r, 422, d);
        return false;
    }
    return true;
}

/* A rendered document as the answer: its bytes, pages, server time and name. */
static void send_doc(vb_response *r, vb_arena *a, vb_output *out, const vb_backend *be, const char *rec_id,
                     const char *type, bool attach, int64_t t0)
{
    r->status = 200;
    r->type = !strcmp(be->name, "pdf") ? "application/pdf"
            : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    vb_buf_free(&r->body);
    r->body = out->bytes;
    out->bytes = (vb_buf){ 0 };
    char num[64];
    snprintf(num, sizeof num, "%ld", out->pages);
    set_header(r, "X-Vanban-Pages", "%s", num);
    double ms = (double)(now_us() - t0) / 1000.0;
    snprintf(num, sizeof num, "render;dur=%.2f", ms);
    set_header(r, "Server-Timing", "%s", num);
    char *id = safe_name(rec_id, strlen(rec_id));
    char *fn = vb_sprintf(a, "%s.%s%s", id, type, be->extension);
    free(id);
    set_header(r, "Content-Disposition", attach ? "attachment; filename=\"%s\"" : "inline; filename=\"%s\"", fn);
}

static void do_render(vb_server *s, const vb_request *q, vb_response *r, const char *type, const char *fmt,
                      bool attach)
{
    const vb_backend *be = vb_backend_find(fmt);
    if (!be) { answer(r, 404, "định dạng không có (pdf hoặc docx)"); return; }
    int64_t t0 = now_us();
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_record rec;
    const vb_doctype *dt;
    vb_output out = { .pages = -1 };
    vb_diag_init(&out.msgs);
    int k = -1;
    if (!form_record(s, q->body, q->body_len, a, type, &rec, &dt, &d, r)) goto done;
    k = take_engine(s, false);
    if (k < 0) {
        answer(r, 503, "máy chủ đang bận, xin thử lại sau giây lát");
        set_header(r, "Retry-After", "%s", "1");
        goto done;
    }
    vb_diag_free(&out.msgs);
    bool ok = slot_render(s, k, &rec, type, &be, 1, &out, &d);
    give_engine(s, k);
    diag_append(&d, &out.msgs);
    if (!ok) { answer_msgs(r, d.exit_code == VB_EXIT_SYSTEM ? 500 : 422, &d); goto done; }
    send_doc(r, a, &out, be, rec.id, type, attach, t0);
done:
    vb_buf_free(&out.bytes);
    vb_diag_free(&out.msgs);
    vb_diag_free(&d);
    vb_arena_free(a);
}

/* ---- the outgoing register: Lấy số and Sổ đăng ký ---- */

static const char NO_REGISTER[] =
    "Máy chủ này chạy không có sổ đăng ký văn bản đi nên không lấy số được; "
    "hãy khởi động lại với vanban serve --db TỆP.";

/* An id for a record the form sent without one: the register finds a
 * document again by its record's id, and the page keeps it in the form
 * (Tên tệp), so the same record asks again under the same id. */
static const char *fresh_id(vb_arena *a)
{
    unsigned char b[5];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        static unsigned long n;
        uint64_t v = (uint64_t)now_us() ^ ((uint64_t)__atomic_add_fetch(&n, 1, __ATOMIC_RELAXED) << 40);
        for (size_t i = 0; i < sizeof b; i++) b[i] = (unsigned char)(v >> (8 * i));
    }
    return vb_sprintf(a, "hoso-%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4]);
}

/* The messages of src not already in dst (the PDF and the DOCX of one
 * record mostly say the same). */
static void diag_append_new(vb_diag *dst, const vb_diag *src)
{
    for (size_t i = 0; i < src->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < dst->n && !seen; j++) seen = !strcmp(dst->items[j].msg, src->items[i].msg);
        if (seen) continue;
        if (src->items[i].sev == VB_ERROR) vb_error(dst, src->exit_code ? src->exit_code : VB_EXIT_INPUT, "%s", src->items[i].msg);
        else vb_warn(dst, "%s", src->items[i].msg);
    }
}

/* POST /api/number/TYPE: the next number of the document's series (or the
 * one it has), put into the record, the PDF and the DOCX rendered with it,
 * and the line written only when both were made: a bad record takes no
 * number.  The register is held for one render, as vanban render does. */
static void do_number(vb_server *s, const vb_request *q, vb_response *r, const char *type)
{
    if (!s->reg) { answer(r, 409, NO_REGISTER); return; }
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_record rec;
    const vb_doctype *dt;
    vb_output outs[2];
    bool rendered = false, locked = false;
    int k = -1;
    vb_reg_ticket tk = { .open = false };
    if (!form_record(s, q->body, q->body_len, a, type, &rec, &dt, &d, r)) goto done;
    if (!vb_value_get(rec.root, "id")) {
        rec.id = fresh_id(a);
        vb_value_set(a, rec.root, "id", vb_value_str(a, rec.id));
    }
    /* the register first, then an engine: a taker waiting for another
     * program's lock holds no engine the previews need */
    pthread_mutex_lock(&s->reg_mu);
    locked = true;
    k = take_engine(s, false);
    if (k < 0) {
        answer(r, 503, "máy chủ đang bận, xin thử lại sau giây lát");
        set_header(r, "Retry-After", "%s", "1");
        goto done;
    }
    pthread_mutex_lock(&s->load_mu);
    const struct vb_style *st = vb_engine_style(s->slots[k].e, rec.convention, &d);
    pthread_mutex_unlock(&s->load_mu);
    if (!st) { answer_msgs(r, 500, &d); goto done; }
    if (!vb_reg_prepare(s->reg, a, st, dt, &rec, &tk, &d)) {
        answer_msgs(r, d.exit_code == VB_EXIT_SYSTEM ? 503 : 422, &d);
        goto done;
    }
    const vb_backend *fmts[2] = { vb_backend_find("pdf"), vb_backend_find("docx") };
    bool ok = slot_render(s, k, &rec, type, fmts, 2, outs, &d);
    rendered = true;
    ok = ok && outs[0].ok && outs[1].ok;
    diag_append_new(&d, &outs[0].msgs);
    diag_append_new(&d, &outs[1].msgs);
    char *id = safe_name(rec.id, strlen(rec.id));
    const char *outputs = vb_sprintf(a, "%s.%s.pdf; %s.%s.docx", id, type, id, type);
    free(id);
    /* the record as sent: Sổ đăng ký makes the document again from it */
    tk.keep_record = q->body;
    tk.keep_len = q->body_len;
    tk.e.source = "vanban serve";
    if (!vb_reg_finish(s->reg, &tk, ok, outputs, "issued", &d)) {
        answer_msgs(r, 503, &d);
        goto done;
    }
    if (!ok) { answer_msgs(r, d.exit_code == VB_EXIT_SYSTEM ? 500 : 422, &d); goto done; }
    r->status = 200;
    r->type = "application/json; charset=utf-8";
    vb_buf *b = &r->body;
    vb_buf_printf(b, "{\"number\": %lld, \"numsym\": ", (long long)tk.e.number);
    json_str(b, tk.e.numsym);
    vb_buf_puts(b, ", \"id\": ");
    json_str(b, rec.id);
    vb_buf_puts(b, ", \"type\": ");
    json_str(b, type);
    vb_buf_puts(b, ", \"part\": ");
    json_str(b, dt->part);
    vb_buf_printf(b, ", \"seq\": %lld, \"year\": %d, \"again\": %s, \"pages\": %ld,\n \"pdf\": \"/api/register/doc/%lld/pdf\", "
                  "\"docx\": \"/api/register/doc/%lld/docx\",\n \"warnings\": [",
                  (long long)tk.e.seq, tk.e.year, tk.again ? "true" : "false", outs[0].pages, (long long)tk.e.seq,
                  (long long)tk.e.seq);
    bool first = true;
    put_msgs(b, &d, VB_WARNING, FORM_FILE, &first);
    vb_buf_puts(b, "]}\n");
done:
    if (tk.open) vb_reg_finish(s->reg, &tk, false, NULL, NULL, &d);
    if (k >= 0) give_engine(s, k);
    if (locked) pthread_mutex_unlock(&s->reg_mu);
    if (rendered)
        for (int f = 0; f < 2; f++) { vb_buf_free(&outs[f].bytes); vb_diag_free(&outs[f].msgs); }
    vb_diag_free(&d);
    vb_arena_free(a);
}

/* A line of the listing: the entry and whether its record is kept. */
typedef struct listed { const vb_reg_entry *e; bool kept; } listed;

static int cmp_seq_desc(const void *x, const void *y)
{
    int64_t a = ((const listed *)x)->e->seq, b = ((const listed *)y)->e->seq;
    return a < b ? 1 : a > b ? -1 : 0;
}

static void put_field(vb_buf *b, const char *name, const char *v)
{
    vb_buf_printf(b, ", \"%s\": ", name);
    json_str(b, v);
}

/* GET /api/register[/YEAR]: the lines of a year (default: the latest),
 * newest first, and the years the register holds. */
static void do_register_list(vb_server *s, vb_response *r, int year)
{
    if (!s->reg) { answer(r, 409, NO_REGISTER); return; }
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_reg_entry *e = NULL;
    size_t n = 0;
    pthread_mutex_lock(&s->reg_mu);
    bool ok = vb_reg_list(s->reg, a, 0, &e, &n, &d);
    listed *l = vb_alloc(a, (n ? n : 1) * sizeof *l);
    for (size_t i = 0; ok && i < n; i++) {
        l[i].e = &e[i];
        ok = vb_reg_kept(s->reg, a, e[i].seq, NULL, NULL, &l[i].kept, &d);
    }
    pthread_mutex_unlock(&s->reg_mu);
    if (!ok) { answer_msgs(r, 503, &d); goto done; }
    qsort(l, n, sizeof *l, cmp_seq_desc);
    int years[64];
    size_t ny = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < ny && !seen; j++) seen = years[j] == e[i].year;
        if (!seen && ny < sizeof years / sizeof years[0]) years[ny++] = e[i].year;
    }
    for (size_t i = 1; i < ny; i++)          /* newest year first */
        for (size_t j = i; j > 0 && years[j] > years[j - 1]; j--) { int t = years[j]; years[j] = years[j - 1]; years[j - 1] = t; }
    if (!year) {
        if (ny) year = years[0];
        else {
            time_t now = time(NULL);
            struct tm tm;
            localtime_r(&now, &tm);
            year = tm.tm_year + 1900;
        }
    }
    vb_buf *b = &r->body;
    r->status = 200;
    r->type = "application/json; charset=utf-8";
    vb_buf_printf(b, "{\"year\": %d, \"years\": [", year);
    for (size_t j = 0; j < ny; j++) vb_buf_printf(b, j ? ", %d" : "%d", years[j]);
    vb_buf_puts(b, "],\n \"entries\": [");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        const vb_reg_entry *x = l[i].e;
        if (x->year != year) continue;
        vb_buf_puts(b, first ? "\n  {" : ",\n  {");
        first = false;
        vb_buf_printf(b, "\"seq\": %lld, \"number\": %lld", (long long)x->seq, (long long)x->number);
        put_field(b, "numsym", x->numsym);
        put_field(b, "date", x->date);
        put_field(b, "convention", x->convention);
        put_field(b, "issuer", x->issuer);
        put_field(b, "type", x->type);
        put_field(b, "type_title", x->type_title);
        put_field(b, "summary", x->summary);
        put_field(b, "signer", x->signer);
        put_field(b, "status", x->status);
        /* what a clerk fills in after issuing (vanban register send, copies) */
        vb_buf_printf(b, ", \"copies\": %d", x->copies);
        put_field(b, "sent", x->sent);
        put_field(b, "received", x->received);
        put_field(b, "notes", x->notes);
        put_field(b, "record", x->record);
        put_field(b, "outputs", x->outputs);
        vb_buf_printf(b, ", \"kept\": %s", l[i].kept ? "true" : "false");
        if (l[i].kept)
            vb_buf_printf(b, ", \"pdf\": \"/api/register/doc/%lld/pdf\", \"docx\": \"/api/register/doc/%lld/docx\"",
                          (long long)x->seq, (long long)x->seq);
        vb_buf_putc(b, '}');
    }
    vb_buf_puts(b, "]}\n");
done:
    vb_diag_free(&d);
    vb_arena_free(a);
}

/* GET /api/register/doc/SEQ/FORMAT: the document of a line made again from
 * the record kept with it and the line's id and number: the same bytes as
 * when it was numbered, while the templates and fonts are the same. */
static void do_register_doc(vb_server *s, vb_response *r, int64_t seq, const char *fmt)
{
    if (!s->reg) { answer(r, 409, NO_REGISTER); return; }
    const vb_backend *be = vb_backend_find(fmt);
    if (!be) { answer(r, 404, "định dạng không có (pdf hoặc docx)"); return; }
    int64_t t0 = now_us();
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    vb_output out = { .pages = -1 };
    vb_diag_init(&out.msgs);
    vb_reg_entry got, *line = NULL;
    const char *json = NULL;
    size_t len = 0;
    bool kept = false, found = false;
    pthread_mutex_lock(&s->reg_mu);
    bool ok = vb_reg_get(s->reg, a, seq, &got, &found, &d);
    if (ok && found) line = &got;
    if (ok && line) ok = vb_reg_kept(s->reg, a, seq, &json, &len, &kept, &d);
    pthread_mutex_unlock(&s->reg_mu);
    if (!ok) { answer_msgs(r, 503, &d); goto done; }
    if (!line) { answer(r, 404, "không có văn bản này trong sổ đăng ký"); goto done; }
    if (!kept) {
        answer(r, 404, vb_sprintf(a, "Văn bản %s không được lấy số trong ứng dụng web nên sổ không lưu hồ sơ để "
                                     "dựng lại; các tệp đã ghi khi cấp số: %s.", line->numsym,
                                  *line->outputs ? line->outputs : "không rõ"));
        goto done;
    }
    vb_record rec;
    const vb_doctype *dt;
    if (!form_record(s, json, len, a, line->type, &rec, &dt, &d, r)) goto done;
    rec.id = line->record;
    vb_value_set(a, rec.root, "id", vb_value_str(a, rec.id));
    vb_reg_set_number(a, &rec, dt, line->number);
    int k = take_engine(s, false);
    if (k < 0) {
        answer(r, 503, "máy chủ đang bận, xin thử lại sau giây lát");
        set_header(r, "Retry-After", "%s", "1");
        goto done;
    }
    vb_diag_free(&out.msgs);
    ok = slot_render(s, k, &rec, line->type, &be, 1, &out, &d);
    give_engine(s, k);
    diag_append(&d, &out.msgs);
    if (!ok) { answer_msgs(r, d.exit_code == VB_EXIT_SYSTEM ? 500 : 422, &d); goto done; }
    send_doc(r, a, &out, be, rec.id, line->type, true, t0);
done:
    vb_buf_free(&out.bytes);
    vb_diag_free(&out.msgs);
    vb_diag_free(&d);
    vb_arena_free(a);
}

/* ---- batch jobs ---- */

/* The archive of a job's outputs, in memory: libzip's default compression,
 * every entry dated mt (UTC, whatever the server's TZ). */
static bool make_zip(const entry *en, size_t n, int64_t mt, vb_buf *out, vb_diag *d)
{
    vb_zip_entry *ze = vb_xcalloc(n ? n : 1, sizeof *ze);
    for (size_t i = 0; i < n; i++) ze[i] = (vb_zip_entry){ en[i].name, en[i].bytes.data, en[i].bytes.len };
    bool ok = vb_zip_memory("zip", ze, n, 0, vb_zip_time(mt), out, d);   /* TZ-free, as the DOCX */
    free(ze);
    return ok;
}

static void report_entry(vb_buf *rb, const unit *u, const char *id, const char *type, const char *fmt,
                         const char *output, long pages, long long bytes, const vb_diag *d)
{
    vb_buf_puts(rb, rb->len > 2 ? ",\n  {" : "\n  {");
    vb_buf_puts(rb, "\"input\": "); json_str(rb, u->name);
    if (u->line) vb_buf_printf(rb, ", \"line\": %d", u->line); else vb_buf_puts(rb, ", \"line\": null");
    vb_buf_puts(rb, ", \"id\": "); if (id) json_str(rb, id); else vb_buf_puts(rb, "null");
    vb_buf_puts(rb, ", \"type\": "); if (type) json_str(rb, type); else vb_buf_puts(rb, "null");
    vb_buf_puts(rb, ", \"format\": "); if (fmt) json_str(rb, fmt); else vb_buf_puts(rb, "null");
    vb_buf_puts(rb, ", \"output\": "); if (output) json_str(rb, output); else vb_buf_puts(rb, "null");
    if (pages >= 0) vb_buf_printf(rb, ", \"pages\": %ld", pages); else vb_buf_puts(rb, ", \"pages\": null");
    if (bytes >= 0) vb_buf_printf(rb, ", \"bytes\": %lld", bytes); else vb_buf_puts(rb, ", \"bytes\": null");
    vb_buf_printf(rb, ", \"ok\": %s", output ? "true" : "false");
    bool first = true;
    vb_buf_puts(rb, ", \"errors\": [");
    put_msgs(rb, d, VB_ERROR, u->name, &first);
    first = true;
    vb_buf_puts(rb, "], \"warnings\": [");
    put_msgs(rb, d, VB_WARNING, u->name, &first);
    vb_buf_puts(rb, "]}");
}

static void job_progress(job *j, bool failed, size_t docs)
{
    vb_server *s = j->s;
    pthread_mutex_lock(&s->mu);
    j->done++;
    j->failed += failed;
    j->docs += docs;
    j->version++;
    pthread_cond_broadcast(&s->job_cv);
    pthread_mutex_unlock(&s->mu);
}

static void job_work(job *j);

static void *job_run(void *arg)
{
    job *j = arg;
    if (j->s->vi) uselocale(j->s->vi);
    job_work(j);
    return NULL;
}

static void job_work(job *j)
{
    vb_server *s = j->s;
    static const char *const fmt_names[2] = { "pdf", "docx" };
    const vb_backend *fmts[2] = { vb_backend_find("pdf"), vb_backend_find("docx") };
    entry *en = NULL;
    size_t nen = 0, cap = 0;
    vb_buf rb = { 0 };
    vb_buf_putc(&rb, '[');
    for (size_t ui = 0; ui < j->nunits && !vb_server_stopping(s); ui++) {
        const unit *u = &j->units[ui];
        vb_diag d;
        vb_diag_init(&d);
        vb_arena *a = vb_arena_new();
        vb_record rec;
        bool failed = false;
        size_t docs = 0;
        if (u->len > VB_MAX_RECORD_BYTES) {
            vb_error(&d, VB_EXIT_INPUT, "%s:%d: the record has %zu bytes, more than the limit of %u", u->name,
                     u->line, u->len, VB_MAX_RECORD_BYTES);
            failed = true;
        } else if (!vb_record_parse(s->schema, a, u->name, u->line, u->data, u->len, &rec, &d)) failed = true;
        if (failed) {
            report_entry(&rb, u, NULL, NULL, NULL, NULL, -1, -1, &d);
            goto next;
        }
        const char *types[MAX_HELD];
        int k = take_engine(s, true);
        if (k < 0) { vb_diag_free(&d); vb_arena_free(a); break; }
        size_t nt = vb_engine_held(s->slots[k].e, &rec, types, MAX_HELD);
        if (!nt) {
            vb_error(&d, VB_EXIT_INPUT, "%s: the record holds no document", u->name);
            report_entry(&rb, u, rec.id, NULL, NULL, NULL, -1, -1, &d);
            failed = true;
        }
        for (size_t t = 0; t < nt; t++) {
            vb_diag td;
            vb_diag_init(&td);
            diag_append(&td, &d);
            vb_output outs[2];
            bool ok = slot_render(s, k, &rec, types[t], fmts, 2, outs, &td);
            for (int f = 0; f < 2; f++) {
                vb_diag fd;
                vb_diag_init(&fd);
                diag_append(&fd, &td);
                diag_append(&fd, &outs[f].msgs);
                char *name = vb_sprintf(a, "%s.%s%s", rec.id, types[t], fmts[f]->extension);
                bool dup = false;
                for (size_t e = 0; e < nen && !dup; e++) dup = !strcmp(en[e].name, name);
                if (dup) vb_error(&fd, VB_EXIT_INPUT, "%s: id \"%s\" is used by an earlier record", u->name, rec.id);
                bool good = ok && outs[f].ok && !dup;
                if (good) {
                    if (nen == cap) { cap = cap ? 2 * cap : 16; en = vb_xrealloc(en, cap * sizeof *en); }
                    en[nen].name = vb_xstrdup(name);
                    en[nen++].bytes = outs[f].bytes;
                    outs[f].bytes = (vb_buf){ 0 };
                    docs++;
                } else failed = true;
                report_entry(&rb, u, rec.id, types[t], fmt_names[f], good ? name : NULL, good ? outs[f].pages : -1,
                             good ? (long long)en[nen - 1].bytes.len : -1, &fd);
                vb_buf_free(&outs[f].bytes);
                vb_diag_free(&outs[f].msgs);
                vb_diag_free(&fd);
            }
            vb_diag_free(&td);
        }
        give_engine(s, k);
    next:
        vb_diag_free(&d);
        vb_arena_free(a);
        job_progress(j, failed, docs);
    }
    vb_buf_puts(&rb, "\n]\n");
    if (nen == cap) { cap = cap ? cap + 1 : 1; en = vb_xrealloc(en, cap * sizeof *en); }
    en[nen].name = vb_xstrdup("report.json");
    en[nen++].bytes = rb;
    vb_diag zd;
    vb_diag_init(&zd);
    vb_buf zip = { 0 };
    if (!make_zip(en, nen, s->zip_time, &zip, &zd)) vb_diag_print(&zd, stderr);
    vb_diag_free(&zd);
    for (size_t i = 0; i < nen; i++) { free(en[i].name); vb_buf_free(&en[i].bytes); }
    free(en);
    pthread_mutex_lock(&s->mu);
    j->zip = zip;
    j->finished = true;
    j->version++;
    pthread_cond_broadcast(&s->job_cv);
    pthread_mutex_unlock(&s->mu);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && ieq(s + n - m, suf);
}

/* The upload: "vanban-batch 1\n", then for each file "NAME\nSIZE\n",
 * SIZE bytes and "\n".  A .jsonl (.ndjson) file is a record a line, any
 * other one record.  False with a message for a malformed upload. */
static bool parse_upload(job *j, const char *msgbuf_unused, const char **why)
{
    (void)msgbuf_unused;
    const char *p = j->input, *end = j->input + strlen(j->input);
    static const char magic[] = "vanban-batch 1\n";
    if (strncmp(p, magic, sizeof magic - 1)) { *why = "phần đầu của tệp tải lên không đúng"; return false; }
    p += sizeof magic - 1;
    size_t nfiles = 0, ucap = 0;
    j->names = vb_xcalloc(1, sizeof *j->names);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || nl == p) { *why = "thiếu tên tệp"; return false; }
        j->names = vb_xrealloc(j->names, (nfiles + 2) * sizeof *j->names);
        j->names[nfiles] = safe_name(p, (size_t)(nl - p));
        j->names[++nfiles] = NULL;
        const char *name = j->names[nfiles - 1];
        p = nl + 1;
        char *e;
        errno = 0;
        unsigned long long size = strtoull(p, &e, 10);
        if (e == p || *e != '\n' || errno || *p == '-' || size > (unsigned long long)(end - e - 1)) {
            *why = "kích thước tệp không đúng";
            return false;
        }
        const char *data = e + 1, *dend = data + size;
        p = dend;
        if (p < end && *p == '\n') p++;
        bool lines = has_suffix(name, ".jsonl") || has_suffix(name, ".ndjson");
        int line = 0;
        for (const char *q = data; q < dend;) {
            const char *qe = lines ? memchr(q, '\n', (size_t)(dend - q)) : NULL;
            if (!qe) qe = dend;
            line++;
            const char *t = q;
            while (t < qe && (*t == ' ' || *t == '\t' || *t == '\r')) t++;
            if (t < qe || !lines) {
                if (j->nunits == ucap) { ucap = ucap ? 2 * ucap : 16; j->units = vb_xrealloc(j->units, ucap * sizeof *j->units); }
                j->units[j->nunits++] = (unit){ name, lines ? line : 0, q, (size_t)(qe - q) };
            }
            q = qe + 1;
        }
    }
    if (!j->nunits) { *why = "không có hồ sơ nào trong các tệp tải lên"; return false; }
    return true;
}

static void do_batch(vb_server *s, const vb_request *q, vb_response *r)
{
    if (!q->body_len || memchr(q->body, 0, q->body_len)) { answer(r, 400, "tệp tải lên trống hoặc có byte 0"); return; }
    pthread_mutex_lock(&s->mu);
    job *j = NULL;
    for (size_t i = 0; i < VB_SERVE_MAX_JOBS && !j; i++) if (!s->jobs[i].id) j = &s->jobs[i];
    /* the table is full: the oldest finished job makes room */
    for (size_t i = 0; i < VB_SERVE_MAX_JOBS; i++)
        if (s->jobs[i].finished && (!j || (j->id && s->jobs[i].id < j->id))) j = &s->jobs[i];
    if (j && j->id) { if (j->started) pthread_join(j->th, NULL); job_free(j); }
    if (!j || s->stopping) {
        pthread_mutex_unlock(&s->mu);
        answer(r, 503, "đang chạy quá nhiều lô, xin thử lại sau");
        return;
    }
    j->id = s->next_job++;       /* reserves the slot */
    j->s = s;
    pthread_mutex_unlock(&s->mu);

    j->input = vb_xmalloc(q->body_len + 1);
    memcpy(j->input, q->body, q->body_len);
    j->input[q->body_len] = 0;
    const char *why = NULL;
    if (!parse_upload(j, NULL, &why)) {
        answer(r, 400, why);
        pthread_mutex_lock(&s->mu);
        job_free(j);
        pthread_mutex_unlock(&s->mu);
        return;
    }
    unsigned long id = j->id;
    size_t total = j->nunits;
    /* started under the lock: a finished job is only joined (to reuse its
     * slot) by someone holding it, who must see the thread as started */
    pthread_mutex_lock(&s->mu);
    j->started = pthread_create(&j->th, NULL, job_run, j) == 0;
    if (!j->started) job_free(j);
    pthread_mutex_unlock(&s->mu);
    if (!j->started && !j->id) { answer(r, 503, "không tạo được luồng xử lý"); return; }
    r->status = 202;
    r->type = "application/json; charset=utf-8";
    vb_buf_printf(&r->body, "{\"job\": %lu, \"total\": %zu}\n", id, total);
}

static job *find_job(vb_server *s, unsigned long id)
{
    for (size_t i = 0; i < VB_SERVE_MAX_JOBS; i++)
        if (id && s->jobs[i].id == id) return &s->jobs[i];
    return NULL;
}

bool vb_serve_job_event(vb_server *s, unsigned long id, unsigned long *seen, int wait_ms, vb_buf *out)
{
    /* *seen is the version sent plus one (0: nothing sent yet), ULONG_MAX
     * once the last event went out */
    const unsigned long last = (unsigned long)-1;
    if (*seen == last) return false;
    pthread_mutex_lock(&s->mu);
    job *j = find_job(s, id);
    if (j && j->version + 1 == *seen && !j->finished && !s->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        ts.tv_sec += wait_ms / 1000 + ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&s->job_cv, &s->mu, &ts);
        j = find_job(s, id);
    }
    bool more = false;
    if (j && !s->stopping) {
        more = true;
        if (j->version + 1 != *seen || j->finished) {
            vb_buf_printf(out, "data: {\"done\": %zu, \"total\": %zu, \"failed\": %zu, \"documents\": %zu, \"finished\": %s}\n\n",
                          j->done, j->nunits, j->failed, j->docs, j->finished ? "true" : "false");
            *seen = j->finished ? last : j->version + 1;
        } else vb_buf_puts(out, ": waiting\n\n");     /* a comment keeps the connection alive */
    }
    pthread_mutex_unlock(&s->mu);
    return more;
}

static void do_zip(vb_server *s, unsigned long id, vb_response *r)
{
    pthread_mutex_lock(&s->mu);
    job *j = find_job(s, id);
    if (!j) { pthread_mutex_unlock(&s->mu); answer(r, 404, "không có lô này"); return; }
    if (!j->finished) { pthread_mutex_unlock(&s->mu); answer(r, 409, "lô chưa xong"); return; }
    vb_buf_add(&r->body, j->zip.data ? j->zip.data : "", j->zip.len);
    pthread_mutex_unlock(&s->mu);
    r->status = 200;
    r->type = "application/zip";
    char name[64];
    snprintf(name, sizeof name, "vanban-lo-%lu.zip", id);
    set_header(r, "Content-Disposition", "attachment; filename=\"%s\"", name);
}

/* ---- checks before anything else ---- */

static int b64(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Does "Basic BASE64" decode to the password file's "user:password"?
 * Compared in time independent of where they differ. */
static bool auth_ok(const vb_server *s, const char *h)
{
    if (!s->o.password) return true;
    if (!h || strncmp(h, "Basic ", 6)) return false;
    h += 6;
    size_t n = strlen(h);
    if (n > 1024) return false;
    unsigned char dec[800];
    size_t k = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '=') break;
        int v = b64((unsigned char)h[i]);
        if (v < 0) return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; dec[k++] = (unsigned char)(acc >> bits); acc &= (1u << bits) - 1; }
    }
    size_t m = strlen(s->o.password);
    unsigned diff = (unsigned)(k ^ m);
    for (size_t i = 0; i < m; i++) diff |= (unsigned)(dec[i < k ? i : 0] ^ (unsigned char)s->o.password[i]);
    return k > 0 && diff == 0;
}

static bool host_ok(const vb_server *s, const char *h)
{
    if (!h) return false;
    for (size_t i = 0; i < s->nhosts; i++) if (ieq(h, s->hosts[i])) return true;
    return false;
}

static bool origin_ok(const vb_server *s, const char *o)
{
    if (!o) return true;                    /* not a browser (curl, the load test) */
    const char *h = !strncmp(o, "http://", 7) ? o + 7 : !strncmp(o, "https://", 8) ? o + 8 : NULL;
    return h && host_ok(s, h);
}

size_t vb_serve_body_limit(const char *method, const char *path)
{
    if (!method || strcmp(method, "POST") || !path) return 0;
    if (!strcmp(path, "/api/batch")) return VB_SERVE_MAX_BATCH_BYTES;
    return VB_MAX_RECORD_BYTES;
}

/* "/api/render/TYPE/FORMAT" and the like: the segments after prefix, each
 * [a-z0-9_-]+ (types and formats are names, never paths). */
static size_t segments(const char *path, const char *prefix, char seg[][48], size_t max)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n)) return 0;
    const char *p = path + n;
    size_t k = 0;
    while (*p && k < max) {
        size_t len = 0;
        while (p[len] && p[len] != '/') {
            char c = p[len];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') || len >= 47) return 0;
            len++;
        }
        if (!len) return 0;
        memcpy(seg[k], p, len);
        seg[k++][len] = 0;
        p += len;
        if (*p == '/') p++;
        if (*p == 0 && p[-1] == '/') return 0;
    }
    return *p ? 0 : k;
}

static void handle(vb_server *s, const vb_request *q, vb_response *r);

void vb_serve_handle(vb_server *s, const vb_request *q, vb_response *r)
{
    locale_t was = s->vi ? uselocale(s->vi) : (locale_t)0;
    handle(s, q, r);
    if (was) uselocale(was);
}

static void handle(vb_server *s, const vb_request *q, vb_response *r)
{
    r->status = 500;
    const char *m = q->method ? q->method : "";
    const char *path = q->path ? q->path : "";
    bool get = !strcmp(m, "GET") || !strcmp(m, "HEAD"), post = !strcmp(m, "POST");
    char seg[3][48];
    size_t n;
    if (!host_ok(s, q->host)) { answer(r, 403, "tên máy chủ (Host) không được phép"); return; }
    if (!auth_ok(s, q->authorization)) {
        answer(r, 401, "cần đăng nhập");
        set_header(r, "WWW-Authenticate", "%s", "Basic realm=\"vanban\", charset=\"UTF-8\"");
        return;
    }
    if (!get) {
        /* no posts from other sites: the browser says where the page came from */
        if (!origin_ok(s, q->origin) || (q->fetch_site && !strcmp(q->fetch_site, "cross-site"))) {
            answer(r, 403, "yêu cầu từ trang khác bị từ chối");
            return;
        }
    }
    if (!get && !post) { answer(r, 405, "phương thức không được hỗ trợ"); set_header(r, "Allow", "%s", "GET, HEAD, POST"); return; }
    if (q->body_too_large || q->body_len > vb_serve_body_limit(m, path)) {
        answer(r, 413, post ? "dữ liệu gửi lên quá lớn" : "yêu cầu GET không có nội dung");
        return;
    }
    if (get && !strncmp(path, "/api/", 5)) {
        if (!strcmp(path, "/api/schema")) {
            r->status = 200;
            r->type = "application/json; charset=utf-8";
            vb_buf_add(&r->body, s->schema_json.data, s->schema_json.len);
            return;
        }
        if (!strcmp(path, "/api/register")) { do_register_list(s, r, 0); return; }
        if ((n = segments(path, "/api/register/", seg, 3)) == 1 || (n == 3 && !strcmp(seg[0], "doc"))) {
            char *e;
            long long v = strtoll(seg[n == 1 ? 0 : 1], &e, 10);
            if (*e || v < 1 || (n == 1 && v > 9999)) { answer(r, 404, "không có địa chỉ này"); return; }
            if (n == 1) do_register_list(s, r, (int)v);
            else do_register_doc(s, r, (int64_t)v, seg[2]);
            return;
        }
        if (segments(path, "/api/batch/", seg, 3) == 2) {
            char *e;
            unsigned long id = strtoul(seg[0], &e, 10);
            if (*e || !id) { answer(r, 404, "không có lô này"); return; }
            if (!strcmp(seg[1], "zip")) { do_zip(s, id, r); return; }
            if (!strcmp(seg[1], "events")) {
                pthread_mutex_lock(&s->mu);
                bool found = find_job(s, id) != NULL;
                pthread_mutex_unlock(&s->mu);
                if (!found) { answer(r, 404, "không có lô này"); return; }
                r->status = 200;
                r->type = "text/event-stream";
                r->stream_job = id;
                set_header(r, "Cache-Control", "%s", "no-cache");
                return;
            }
        }
        answer(r, 404, "không có trang này");
        return;
    }
    if (get) {
        const char *name = !strcmp(path, "/") ? "index.html" : path[0] == '/' ? path + 1 : "";
        for (size_t i = 0; i < s->nfiles; i++) {
            if (strcmp(s->files[i].name, name)) continue;
            r->status = 200;
            r->type = s->files[i].type;
            vb_buf_add(&r->body, s->files[i].data, s->files[i].len);
            set_header(r, "Cache-Control", "%s", "no-cache");
            return;
        }
        answer(r, 404, "không có trang này");
        return;
    }
    if (!strcmp(path, "/api/batch")) { do_batch(s, q, r); return; }
    if ((n = segments(path, "/api/number/", seg, 1)) == 1) { do_number(s, q, r, seg[0]); return; }
    if ((n = segments(path, "/api/preview/", seg, 1)) == 1) { do_render(s, q, r, seg[0], "pdf", false); return; }
    if ((n = segments(path, "/api/render/", seg, 2)) == 2) { do_render(s, q, r, seg[0], seg[1], true); return; }
    answer(r, 404, "không có địa chỉ này");
}
