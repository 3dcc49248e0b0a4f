/* zipmem.c — a zip archive in memory (zipmem.h). */
#include "zipmem.h"

#include <stdlib.h>
#include <zip.h>

time_t vb_zip_time(int64_t t)
{
    if (t < 315532800) t = 315532800;            /* 1980-01-01 */
    if (t > 4102444799LL) t = 4102444799LL;      /* 2099-12-31 */
    time_t tt = (time_t)t;
    struct tm g;
    gmtime_r(&tt, &g);
    g.tm_isdst = -1;
    time_t l = mktime(&g);
    return l == (time_t)-1 ? tt : l;
}

static bool zip_fail(vb_diag *d, const char *prefix, const char *what, zip_error_t *ze)
{
    vb_error(d, VB_EXIT_SYSTEM, "%s: %s: %s", prefix, what, ze ? zip_error_strerror(ze) : "failed");
    return false;
}

bool vb_zip_memory(const char *what, const vb_zip_entry *e, size_t n, int level, time_t mtime, vb_buf *out,
                   vb_diag *d)
{
    bool ok = false;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    if (!src) { zip_fail(d, what, "cannot create the archive buffer", &ze); goto done; }
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) { zip_fail(d, what, "cannot open the archive", &ze); zip_source_free(src); src = NULL; goto done; }
    /* the buffer outlives zip_close: it is read back below */
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *ps = zip_source_buffer(za, e[i].data ? e[i].data : "", e[i].len, 0);
        if (!ps) { zip_fail(d, what, e[i].name, zip_get_error(za)); goto fail; }
        zip_int64_t idx = zip_file_add(za, e[i].name, ps, ZIP_FL_ENC_UTF_8);
        if (idx < 0) { zip_source_free(ps); zip_fail(d, what, e[i].name, zip_get_error(za)); goto fail; }
        if ((level > 0 && zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, (zip_uint32_t)level) < 0) ||
            zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) < 0) {
            zip_fail(d, what, e[i].name, zip_get_error(za));
            goto fail;
        }
    }
    if (zip_close(za) < 0) { zip_fail(d, what, "cannot finish the archive", zip_get_error(za)); goto fail; }
    za = NULL;
    zip_stat_t zs;
    if (zip_source_open(src) < 0) { zip_fail(d, what, "cannot read the archive", zip_source_error(src)); goto done; }
    if (zip_source_stat(src, &zs) < 0 || !(zs.valid & ZIP_STAT_SIZE)) {
        zip_fail(d, what, "cannot size the archive", zip_source_error(src));
        zip_source_close(src);
        goto done;
    }
    {
        size_t total = (size_t)zs.size, got = 0;
        char *tmp = vb_xmalloc(total ? total : 1);
        while (got < total) {
            zip_int64_t rd = zip_source_read(src, tmp + got, total - got);
            if (rd <= 0) break;
            got += (size_t)rd;
        }
        zip_source_close(src);
        if (got == total) vb_buf_add(out, tmp, total);
        free(tmp);
        if (got != total) { zip_fail(d, what, "short read of the archive", zip_source_error(src)); goto done; }
    }
    ok = true;
    goto done;
fail:
    if (za) zip_discard(za);
done:
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    return ok;
}
