/* replay.c — a main() for fuzz targets built without libFuzzer: each
 * argument (a file, or a folder of files) is read and passed once to
 * LLVMFuzzerTestOneInput, after LLVMFuzzerInitialize when the target has
 * one.  A crash, a sanitizer report or a broken invariant aborts, so the
 * exit status says whether every input passed.  Used by
 * tests/fuzz-regress.sh with plain gcc (and by `make check` with ASan).
 *   usage: replay [-v] FILE|DIR...   */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose, count;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "replay: %s: cannot open\n", path); return 1; }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) { cap *= 2; buf = realloc(buf, cap); }
    }
    fclose(f);
    if (!buf) { fprintf(stderr, "replay: out of memory\n"); exit(1); }
    if (verbose) { fprintf(stderr, "replay: %s (%zu bytes)\n", path, n); fflush(stderr); }
    /* an exact-size copy, so a read past the end is one past the input */
    uint8_t *in = malloc(n ? n : 1);
    if (!in) exit(1);
    memcpy(in, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(in, n);
    free(in);
    count++;
    return 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) { fprintf(stderr, "replay: %s: not found\n", path); return 1; }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    DIR *dp = opendir(path);
    if (!dp) return 1;
    char **names = NULL; size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        size_t l = strlen(path) + strlen(de->d_name) + 2;
        names[n] = malloc(l);
        snprintf(names[n], l, "%s/%s", path, de->d_name);
        n++;
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, cmp);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat s2;
        if (stat(names[i], &s2) == 0 && S_ISREG(s2.st_mode)) bad |= run_file(names[i]);
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v")) { verbose = 1; continue; }
        bad |= run_path(argv[i]);
    }
    printf("replay: %d inputs\n", count);
    return bad;
}
