/* common.h — shared helpers of the fuzz targets (fuzz/README.md).
 *
 * Each target is one C file defining LLVMFuzzerTestOneInput (and, where it
 * needs set-up, LLVMFuzzerInitialize).  The same file builds two ways:
 *   - with clang -fsanitize=fuzzer,address,undefined (fuzz/run.sh), and
 *   - with plain gcc, linked with fuzz/replay.c, a main() that feeds each
 *     saved input to the target once (tests/fuzz-regress.sh, `make test`).
 * So nothing here may depend on libFuzzer.  A broken invariant calls
 * FUZZ_ASSERT, which prints what failed and aborts: a crash both ways. */
#ifndef VB_FUZZ_COMMON_H
#define VB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond, ...) do { if (!(cond)) { \
    fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* The repository (templates/, samples/): $VANBAN_DATA, else the folder the
 * build scripts compiled in (VB_FUZZ_REPO), else the current folder. */
#ifndef VB_FUZZ_REPO
#define VB_FUZZ_REPO "."
#endif
static inline const char *fuzz_repo(void)
{
    const char *e = getenv("VANBAN_DATA");
    return e && *e ? e : VB_FUZZ_REPO;
}

/* A NUL-terminated heap copy of the input (the product's string functions
 * take C strings). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* Every diagnostic must be printable: valid UTF-8, no control character
 * but tab (messages quote record text through an escaper). */
#include "text.h"
static inline void fuzz_check_diag(const vb_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const char *m = d->items[i].msg;
        size_t bad;
        FUZZ_ASSERT(m != NULL, "message %zu is NULL", i);
        FUZZ_ASSERT(vb_utf8_valid(m, strlen(m), &bad), "message not UTF-8 at %zu: %s", bad, m);
        for (const unsigned char *p = (const unsigned char *)m; *p; p++)
            FUZZ_ASSERT(*p >= 0x20 || *p == '\t', "control byte 0x%02X in message: %s", *p, m);
    }
    FUZZ_ASSERT(d->errors <= d->n, "%zu errors but %zu messages", d->errors, d->n);
}

#endif
