/* fuzz_numsym.c — the numbers and symbols a clerk types (`vanban register
 * FILE withdraw|check NUMBER-SYMBOL`, the plans of sharded batches):
 * vb_reg_parse_numsym on arbitrary bytes.
 *
 * Accepted: the number is 1..999999999, the canonical form is valid UTF-8
 * and NFC, has no space or control character, starts with the number (two
 * digits at least) and parses again to itself (idempotent).  Rejected:
 * exactly one message, naming what was parsed.  Every message printable. */
#include "common.h"
#include "register.h"
#include "text.h"

#include <inttypes.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) { (void)argc; (void)argv; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = fuzz_cstr(data, size);
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    int64_t n = -1;
    const char *canon = NULL;
    if (vb_reg_parse_numsym(a, "arg", s, &n, &canon, &d)) {
        FUZZ_ASSERT(d.n == 0, "accepted with %zu messages", d.n);
        FUZZ_ASSERT(n >= 1 && n <= 999999999, "number %" PRId64, n);
        size_t len = strlen(canon), bad;
        FUZZ_ASSERT(vb_utf8_valid(canon, len, &bad), "canonical form not UTF-8 at %zu", bad);
        FUZZ_ASSERT(vb_nfc_quick(canon) || !strcmp(vb_nfc(a, canon), canon), "canonical form not NFC: %s", canon);
        for (const unsigned char *p = (const unsigned char *)canon; *p; p++)
            FUZZ_ASSERT(*p > 0x20 && *p != 0x7f, "space or control 0x%02X in %s", *p, canon);
        char num[16];
        snprintf(num, sizeof num, "%02" PRId64, n);
        FUZZ_ASSERT(!strncmp(canon, num, strlen(num)) && (canon[strlen(num)] == '/' || canon[strlen(num)] == '-'),
                    "canonical form %s does not start with %s and a separator", canon, num);
        int64_t n2;
        const char *c2;
        FUZZ_ASSERT(vb_reg_parse_numsym(a, "again", canon, &n2, &c2, &d), "canonical form %s rejected", canon);
        FUZZ_ASSERT(n2 == n && !strcmp(c2, canon), "not idempotent: %s -> %s", canon, c2);
    } else {
        FUZZ_ASSERT(d.errors == 1 && d.n == 1, "rejected with %zu errors, %zu messages", d.errors, d.n);
        FUZZ_ASSERT(!strncmp(d.items[0].msg, "arg: ", 5), "message does not name it: %s", d.items[0].msg);
    }
    fuzz_check_diag(&d);
    vb_diag_free(&d);
    vb_arena_free(a);
    free(s);
    return 0;
}
