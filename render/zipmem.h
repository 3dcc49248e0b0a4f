/* zipmem.h — a zip archive written into memory with libzip: the DOCX
 * package (docx.c) and the zip of a batch in the web app (serve.c). */
#ifndef VB_ZIPMEM_H
#define VB_ZIPMEM_H

#include "vb.h"
#include <time.h>

typedef struct vb_zip_entry {
    const char *name;          /* the entry's name in the archive, UTF-8 */
    const char *data;          /* NULL with len 0: an empty entry */
    size_t len;
} vb_zip_entry;

/* The entries in this order into out.  level 1..9: deflate at that level;
 * 0: libzip's own choice.  Every entry gets mtime (as libzip takes it:
 * see vb_zip_time).  False with "WHAT: …" in d (VB_EXIT_SYSTEM). */
bool vb_zip_memory(const char *what, const vb_zip_entry *e, size_t n, int level, time_t mtime, vb_buf *out,
                   vb_diag *d);

/* libzip turns entry times into DOS fields with localtime(): the instant
 * whose local time reads as the UTC time of t, so that the bytes do not
 * depend on TZ; clamped to the DOS years 1980..2099. */
time_t vb_zip_time(int64_t t);

#endif
