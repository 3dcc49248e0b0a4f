/* fuzz_schema.c — the record format's data files on arbitrary text.
 *
 * vb_schema_load reads a data folder, so the target keeps one of its own
 * (under /dev/shm when there is one): templates/ with every file of the
 * repository linked in, except the three the input replaces.  The input
 * is split at lines "%%" into core.fields, parts/resolution.fields and
 * party/resolution.type (missing pieces: the repository's own).  When the
 * files load, both samples are read against the schema they make, so that
 * any field table the files can declare reaches the record reader.  Every
 * message must be printable; a failed load or read must say why. */
#include "common.h"
#include "record.h"
#include "schema.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[256];                  /* the data folder */
static char g_repo[4096];
static const char *const g_own[3] = { "core.fields", "parts/resolution.fields", "party/resolution.type" };

static void link_all(const char *from, const char *to)
{
    DIR *dir = opendir(from);
    if (!dir) { perror(from); exit(1); }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        char src[8192], dst[8192];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        struct stat st;
        if (stat(src, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (mkdir(dst, 0700) != 0) { perror(dst); exit(1); }
            link_all(src, dst);
        } else if (symlink(src, dst) != 0) { perror(dst); exit(1); }
    }
    closedir(dir);
}

static void remove_all(const char *path)
{
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_all(p);
            else unlink(p);
        }
        closedir(dir);
    }
    rmdir(path);
}

static void cleanup(void) { if (g_dir[0]) remove_all(g_dir); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    snprintf(g_repo, sizeof g_repo, "%s", fuzz_repo());
    struct stat st;
    snprintf(g_dir, sizeof g_dir, "%s/vanban-fuzz-schema.XXXXXX",
             stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp");
    if (!mkdtemp(g_dir)) { perror("mkdtemp"); exit(1); }
    atexit(cleanup);
    char from[4096 + 16], to[300];
    snprintf(from, sizeof from, "%s/templates", g_repo);
    snprintf(to, sizeof to, "%s/templates", g_dir);
    if (mkdir(to, 0700) != 0) { perror(to); exit(1); }
    link_all(from, to);
    return 0;
}

/* Replace templates/NAME with len bytes of data (the link goes). */
static void put(const char *name, const uint8_t *data, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/templates/%s", g_dir, name);
    unlink(p);
    FILE *f = fopen(p, "wb");
    if (!f) { perror(p); abort(); }
    if (len && fwrite(data, 1, len, f) != len) abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_dir[0]) LLVMFuzzerInitialize(NULL, NULL);
    /* the pieces, at lines "%%" */
    size_t start = 0;
    int piece = 0;
    for (size_t i = 0; i <= size && piece < 3; i++) {
        bool cut = i + 3 <= size && data[i] == '%' && data[i + 1] == '%' && data[i + 2] == '\n' &&
                   (i == 0 || data[i - 1] == '\n');
        if (cut || i == size) {
            put(g_own[piece++], data + start, i - start);
            start = i + 3;
            i += 2;
        }
    }
    for (; piece < 3; piece++) {              /* the repository's own */
        char src[8192], dst[512];
        snprintf(src, sizeof src, "%s/templates/%s", g_repo, g_own[piece]);
        snprintf(dst, sizeof dst, "%s/templates/%s", g_dir, g_own[piece]);
        unlink(dst);
        if (symlink(src, dst) != 0) abort();
    }

    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_schema s;
    if (vb_schema_load(a, g_dir, &s, &d)) {
        FUZZ_ASSERT(d.errors == 0, "loaded with %zu errors", d.errors);
        for (size_t i = 0; i < s.nfields; i++)
            FUZZ_ASSERT(s.fields[i].path && *s.fields[i].path, "field %zu has no path", i);
        static const char *recs[] = { "samples/haiphong-2021-12-28.json", "samples/namdinh-hdnd-2023-01-05.json" };
        for (int k = 0; k < 2; k++) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", g_repo, recs[k]);
            vb_record r;
            size_t e0 = d.errors;
            if (!vb_record_load(&s, a, path, &r, &d)) FUZZ_ASSERT(d.errors > e0, "a record refused without a message");
        }
    } else {
        FUZZ_ASSERT(d.errors > 0, "load failed without a message");
    }
    fuzz_check_diag(&d);
    vb_diag_free(&d);
    vb_arena_free(a);
    return 0;
}
