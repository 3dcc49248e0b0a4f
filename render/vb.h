/* vb.h — shared basics of vanban: arena, diagnostics, generic values.
 *
 * Every other module includes this.  Conventions: public names start with
 * vb_ / VB_, types have no _t suffix, out-of-memory aborts (vb_oom), and
 * functions that can fail on bad input or I/O return bool and add a
 * diagnostic to a vb_diag collector.  Lengths used by layout are integer
 * milli-points (1/1000 pt, VB_PT), so all geometry is exact and dumpable. */
#ifndef VB_H
#define VB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <libintl.h>

/* Messages are English in the source and translated by gettext at the few
 * places that print or collect them (po/vi.po; docs/i18n.md).  N_ marks a
 * string that is translated later, where it is used. */
#define _(s) gettext(s)
#define N_(s) (s)

#define VB_VERSION "0.1.0"

/* ---- exit codes (documented in README.md) ---- */
enum {
    VB_EXIT_OK = 0,
    VB_EXIT_INPUT = 1,    /* bad record, template, style or font coverage */
    VB_EXIT_USAGE = 2,    /* bad command line */
    VB_EXIT_SYSTEM = 3    /* output or system failure (I/O, missing font file) */
};

/* ---- units: integer milli-points ---- */
#define VB_PT 1000                       /* 1 pt */
#define VB_MM_NUM 72000                  /* 1 mm = 72000/25.4 mpt */
#define VB_MM(x) ((int32_t)((x) * 72000.0 / 25.4 + ((x) >= 0 ? 0.5 : -0.5)))
static inline double vb_to_mm(int32_t v) { return v * 25.4 / 72000.0; }
static inline double vb_to_pt(int32_t v) { return v / 1000.0; }

/* ---- memory ---- */
_Noreturn void vb_oom(void);
void *vb_xmalloc(size_t n);
void *vb_xcalloc(size_t n, size_t m);
void *vb_xrealloc(void *p, size_t n);
char *vb_xstrdup(const char *s);

/* An arena owns every string and node of one document; freeing it frees all. */
typedef struct vb_arena vb_arena;
vb_arena *vb_arena_new(void);
void vb_arena_free(vb_arena *a);
void *vb_alloc(vb_arena *a, size_t n);            /* zeroed, 16-aligned */
char *vb_strdup(vb_arena *a, const char *s);
char *vb_strndup(vb_arena *a, const char *s, size_t n);
char *vb_sprintf(vb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable byte buffer (heap, not arena). */
typedef struct vb_buf { char *data; size_t len, cap; } vb_buf;
void vb_buf_add(vb_buf *b, const void *p, size_t n);
void vb_buf_puts(vb_buf *b, const char *s);
void vb_buf_putc(vb_buf *b, char c);
void vb_buf_printf(vb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *vb_buf_cstr(vb_buf *b);               /* NUL-terminated view */
void vb_buf_free(vb_buf *b);

/* ---- diagnostics ----
 * Each message is already complete ("haiphong.json: /meeting/date: expected
 * YYYY-MM-DD, got \"28/12/2021\"").  The collector keeps them in order and
 * remembers the worst exit code asked for. */
typedef enum { VB_ERROR, VB_WARNING } vb_severity;
typedef struct vb_diag_item { vb_severity sev; char *msg; } vb_diag_item;
typedef struct vb_diag {
    vb_diag_item *items;
    size_t n, cap;
    size_t errors;
    int exit_code;            /* worst code seen: VB_EXIT_INPUT or VB_EXIT_SYSTEM */
} vb_diag;
void vb_diag_init(vb_diag *d);
void vb_diag_free(vb_diag *d);
void vb_error(vb_diag *d, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vb_warn(vb_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vb_diag_print(const vb_diag *d, void *file /* FILE* */);
void vb_diag_clear(vb_diag *d);

/* ---- generic values: what templates read ----
 * record.c turns a JSON record into this tree (strings NFC, validated) and
 * adds derived fields; template.c reads it by path. */
typedef enum { VB_NULL, VB_BOOL, VB_INT, VB_STR, VB_LIST, VB_MAP } vb_kind;
typedef struct vb_value vb_value;
struct vb_value {
    vb_kind kind;
    bool b;
    int64_t i;
    const char *s;              /* VB_STR: NFC UTF-8 */
    size_t n;                   /* VB_LIST / VB_MAP: number of items */
    vb_value **items;           /* VB_LIST items / VB_MAP values */
    const char **keys;          /* VB_MAP keys, insertion order */
};
vb_value *vb_value_new(vb_arena *a, vb_kind kind);
vb_value *vb_value_str(vb_arena *a, const char *s);
vb_value *vb_value_int(vb_arena *a, int64_t i);
void vb_value_push(vb_arena *a, vb_value *list, vb_value *v);
void vb_value_set(vb_arena *a, vb_value *map, const char *key, vb_value *v);
vb_value *vb_value_get(const vb_value *map, const char *key);   /* NULL if absent */
/* Dotted path with list indices: "meeting.chair.0.name". NULL if absent. */
vb_value *vb_value_path(const vb_value *root, const char *path);

/* ---- files ---- */
/* Read a whole file (limit bytes); on failure adds a VB_EXIT_SYSTEM or
 * VB_EXIT_INPUT (too large) diagnostic naming the file. */
bool vb_read_file(const char *path, size_t limit, char **out, size_t *len, vb_diag *d);
/* Write atomically: a temporary file beside `path`, fsync'd, then renamed.
 * On failure nothing is left behind. */
bool vb_write_atomic(const char *path, const void *data, size_t len, vb_diag *d);
/* Remove the temporary files of vb_write_atomic calls under way (called
 * from signal handlers too). */
void vb_tmp_cleanup(void);

/* The time written into document metadata: SOURCE_DATE_EPOCH when set and
 * valid (true), else false and the caller uses the document's own date, so
 * outputs are reproducible either way. */
bool vb_source_date(int64_t *t);

#endif
