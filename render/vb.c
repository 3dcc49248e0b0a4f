/* vb.c — arena, buffers, diagnostics, values, files. */
#include "vb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Noreturn void vb_oom(void)
{
    static const char msg[] = "vanban: out of memory\n";
    (void)!write(2, msg, sizeof msg - 1);
    abort();
}

void *vb_xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) vb_oom(); return p; }
void *vb_xcalloc(size_t n, size_t m) { void *p = calloc(n ? n : 1, m ? m : 1); if (!p) vb_oom(); return p; }
void *vb_xrealloc(void *p, size_t n) { p = realloc(p, n ? n : 1); if (!p) vb_oom(); return p; }
char *vb_xstrdup(const char *s) { size_t n = strlen(s) + 1; char *p = vb_xmalloc(n); memcpy(p, s, n); return p; }

/* ---- arena: a chain of blocks; big requests get their own block ---- */
typedef struct vb_chunk { struct vb_chunk *next; size_t used, size; max_align_t data[]; } vb_chunk;
struct vb_arena { vb_chunk *head; size_t next_size; };

vb_arena *vb_arena_new(void)
{
    vb_arena *a = vb_xcalloc(1, sizeof *a);
    a->next_size = 16 * 1024;
    return a;
}

void vb_arena_free(vb_arena *a)
{
    if (!a) return;
    for (vb_chunk *c = a->head, *n; c; c = n) { n = c->next; free(c); }
    free(a);
}

void *vb_alloc(vb_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    vb_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = a->next_size;
        if (size < n) size = n;
        c = malloc(sizeof *c + size);
        if (!c) vb_oom();
        c->used = 0; c->size = size;
        if (a->head && n > a->next_size / 2) {
            /* keep the current block for small allocations */
            c->next = a->head->next; a->head->next = c;
        } else {
            c->next = a->head; a->head = c;
            if (a->next_size < (1u << 20)) a->next_size *= 2;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *vb_strndup(vb_arena *a, const char *s, size_t n)
{
    char *p = vb_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *vb_strdup(vb_arena *a, const char *s) { return s ? vb_strndup(a, s, strlen(s)) : NULL; }

char *vb_sprintf(vb_arena *a, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = vb_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return p;
}

/* ---- buffers ---- */
void vb_buf_add(vb_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        b->data = vb_xrealloc(b->data, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}
void vb_buf_puts(vb_buf *b, const char *s) { vb_buf_add(b, s, strlen(s)); }
void vb_buf_putc(vb_buf *b, char c) { vb_buf_add(b, &c, 1); }
void vb_buf_printf(vb_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) { va_end(aq); return; }
    if ((size_t)n < sizeof tmp) vb_buf_add(b, tmp, (size_t)n);
    else {
        char *p = vb_xmalloc((size_t)n + 1);
        vsnprintf(p, (size_t)n + 1, fmt, aq);
        vb_buf_add(b, p, (size_t)n);
        free(p);
    }
    va_end(aq);
}
const char *vb_buf_cstr(vb_buf *b) { if (!b->data) vb_buf_add(b, "", 0); return b->data; }
void vb_buf_free(vb_buf *b) { free(b->data); b->data = NULL; b->len = b->cap = 0; }

/* ---- diagnostics ---- */
void vb_diag_init(vb_diag *d) { memset(d, 0, sizeof *d); }
void vb_diag_clear(vb_diag *d)
{
    for (size_t i = 0; i < d->n; i++) free(d->items[i].msg);
    d->n = 0; d->errors = 0; d->exit_code = 0;
}
void vb_diag_free(vb_diag *d) { vb_diag_clear(d); free(d->items); memset(d, 0, sizeof *d); }

static void diag_add(vb_diag *d, vb_severity sev, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    fmt = gettext(fmt);         /* the one translation of every vb_error/vb_warn */
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *msg = vb_xmalloc(n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, aq);
    va_end(aq);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->items = vb_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    d->items[d->n].sev = sev;
    d->items[d->n].msg = msg;
    d->n++;
}

void vb_error(vb_diag *d, int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, VB_ERROR, fmt, ap);
    va_end(ap);
    d->errors++;
    if (exit_code > d->exit_code) d->exit_code = exit_code;
}

void vb_warn(vb_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(d, VB_WARNING, fmt, ap);
    va_end(ap);
}

void vb_diag_print(const vb_diag *d, void *file)
{
    FILE *f = file;
    for (size_t i = 0; i < d->n; i++)
        fprintf(f, "%s%s\n", d->items[i].sev == VB_WARNING ? _("warning: ") : "", d->items[i].msg);
}

/* ---- values ---- */
vb_value *vb_value_new(vb_arena *a, vb_kind kind)
{
    vb_value *v = vb_alloc(a, sizeof *v);
    v->kind = kind;
    return v;
}
vb_value *vb_value_str(vb_arena *a, const char *s)
{
    vb_value *v = vb_value_new(a, VB_STR);
    v->s = vb_strdup(a, s ? s : "");
    return v;
}
vb_value *vb_value_int(vb_arena *a, int64_t i)
{
    vb_value *v = vb_value_new(a, VB_INT);
    v->i = i;
    return v;
}

/* Lists and maps grow by doubling inside the arena: capacity is 4, then
 * each power of two; the old storage is left to the arena. */
static bool value_full(size_t n) { return n == 0 || (n >= 4 && (n & (n - 1)) == 0); }

static void value_grow(vb_arena *a, vb_value *v, bool keys)
{
    size_t cap = v->n ? v->n * 2 : 4;
    vb_value **items = vb_alloc(a, cap * sizeof *items);
    if (v->n) memcpy(items, v->items, v->n * sizeof *items);
    v->items = items;
    if (keys) {
        const char **k = vb_alloc(a, cap * sizeof *k);
        if (v->n) memcpy(k, v->keys, v->n * sizeof *k);
        v->keys = k;
    }
}

void vb_value_push(vb_arena *a, vb_value *list, vb_value *v)
{
    if (value_full(list->n)) value_grow(a, list, false);
    list->items[list->n++] = v;
}

void vb_value_set(vb_arena *a, vb_value *map, const char *key, vb_value *v)
{
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) { map->items[i] = v; return; }
    if (value_full(map->n)) value_grow(a, map, true);
    map->keys[map->n] = vb_strdup(a, key);
    map->items[map->n++] = v;
}

vb_value *vb_value_get(const vb_value *map, const char *key)
{
    if (!map || map->kind != VB_MAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) return map->items[i];
    return NULL;
}

vb_value *vb_value_path(const vb_value *root, const char *path)
{
    const vb_value *v = root;
    const char *p = path;
    char key[128];
    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n == 0 || n >= sizeof key) return NULL;
        memcpy(key, p, n); key[n] = 0;
        if (v->kind == VB_LIST) {
            char *end;
            unsigned long idx = strtoul(key, &end, 10);
            if (*end || idx >= v->n) return NULL;
            v = v->items[idx];
        } else {
            v = vb_value_get(v, key);
        }
        p += n + (dot ? 1 : 0);
    }
    return (vb_value *)v;
}

/* ---- files ---- */
bool vb_read_file(const char *path, size_t limit, char **out, size_t *len, vb_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) { vb_error(d, VB_EXIT_SYSTEM, "%s: cannot open: %s", path, strerror(errno)); return false; }
    vb_buf b = {0};
    char tmp[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b.len + n > limit) {
            vb_error(d, VB_EXIT_INPUT, "%s: file is larger than the limit of %zu bytes", path, limit);
            ok = false;
            break;
        }
        vb_buf_add(&b, tmp, n);
    }
    if (ok && ferror(f)) { vb_error(d, VB_EXIT_SYSTEM, "%s: read error: %s", path, strerror(errno)); ok = false; }
    fclose(f);
    if (!ok) { vb_buf_free(&b); return false; }
    vb_buf_cstr(&b);
    *out = b.data;
    *len = b.len;
    return true;
}

/* Temporary files are tracked so that a signal handler can remove them:
 * an interrupted run never leaves a partial output behind. */
#define VB_MAX_TMP 64
static char vb_tmp_paths[VB_MAX_TMP][4096];
static volatile sig_atomic_t vb_tmp_used[VB_MAX_TMP];

/* Register and unregister take a lock (batch workers write at once); the
 * signal handler takes none: it only reads slots marked complete (1). */
static pthread_mutex_t vb_tmp_mu = PTHREAD_MUTEX_INITIALIZER;

static void tmp_register(const char *path)
{
    pthread_mutex_lock(&vb_tmp_mu);
    for (int i = 0; i < VB_MAX_TMP; i++) {
        sig_atomic_t expect = 0;
        if (__atomic_compare_exchange_n(&vb_tmp_used[i], &expect, 2, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            snprintf(vb_tmp_paths[i], sizeof vb_tmp_paths[i], "%s", path);
            __atomic_store_n(&vb_tmp_used[i], 1, __ATOMIC_RELEASE);
            pthread_mutex_unlock(&vb_tmp_mu);
            return;
        }
    }
    pthread_mutex_unlock(&vb_tmp_mu);
}

static void tmp_unregister(const char *path)
{
    pthread_mutex_lock(&vb_tmp_mu);
    for (int i = 0; i < VB_MAX_TMP; i++)
        if (__atomic_load_n(&vb_tmp_used[i], __ATOMIC_ACQUIRE) == 1 && strcmp(vb_tmp_paths[i], path) == 0) {
            __atomic_store_n(&vb_tmp_used[i], 0, __ATOMIC_RELEASE);
            break;
        }
    pthread_mutex_unlock(&vb_tmp_mu);
}

void vb_tmp_cleanup(void)
{
    for (int i = 0; i < VB_MAX_TMP; i++)
        if (__atomic_load_n(&vb_tmp_used[i], __ATOMIC_ACQUIRE) == 1) unlink(vb_tmp_paths[i]);
}

bool vb_write_atomic(const char *path, const void *data, size_t len, vb_diag *d)
{
    size_t pl = strlen(path);
    if (pl > 4000) { vb_error(d, VB_EXIT_SYSTEM, "%s: path too long", path); return false; }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) { vb_error(d, VB_EXIT_SYSTEM, "%s: cannot create: %s", path, strerror(errno)); return false; }
    tmp_register(tmp);
    const char *p = data;
    size_t left = len;
    bool ok = true;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) { if (errno == EINTR) continue; ok = false; break; }
        p += w; left -= (size_t)w;
    }
    if (ok && fchmod(fd, 0644) != 0) ok = false;
    if (ok && fsync(fd) != 0 && errno != EINVAL) ok = false;
    int saved = errno;
    if (close(fd) != 0 && ok) { ok = false; saved = errno; }
    if (ok && rename(tmp, path) != 0) { ok = false; saved = errno; }
    if (!ok) {
        unlink(tmp);
        vb_error(d, VB_EXIT_SYSTEM, "%s: cannot write: %s", path, strerror(saved));
    }
    tmp_unregister(tmp);
    return ok;
}

bool vb_source_date(int64_t *t)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) return false;
    *t = v;
    return true;
}
