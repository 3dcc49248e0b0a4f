/* check.h — the smallest test harness: CHECK(cond), CHECK_STR(got, want),
 * CHECK_SKIP(what).  Each unit program ends with CHECK_DONE(), which prints
 * "unit NAME: N passed, N failed" and returns non-zero on any failure.
 * Paths are relative to the repository root, where tests/run-all.sh runs
 * the unit binaries. */
#ifndef VB_CHECK_H
#define VB_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int check_pass, check_fail;
#define CHECK(c) do { if (c) check_pass++; else { check_fail++; \
    fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
    if (g_ && w_ && strcmp(g_, w_) == 0) check_pass++; else { check_fail++; \
    fprintf(stderr, "%s:%d: FAIL: %s\n   got: %s\n  want: %s\n", __FILE__, __LINE__, \
            #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)
/* A check that cannot run here (a tool or a file is missing): a visible
 * note, and a failure under CI=true, where every check must run (as the
 * shell runners' skip does). */
#define CHECK_SKIP(what) do { const char *ci_ = getenv("CI"); \
    if (ci_ && strcmp(ci_, "true") == 0) { check_fail++; \
        fprintf(stderr, "%s:%d: FAIL: %s (CI=true: nothing may be skipped)\n", __FILE__, __LINE__, what); } \
    else printf("skip: %s\n", what); } while (0)
#define CHECK_DONE(name) (printf("unit %s: %d passed, %d failed\n", name, check_pass, check_fail), \
    check_fail ? 1 : 0)
#endif
