/* fuzz_record.c — the record reader on arbitrary bytes.
 *
 * vb_record_parse must never crash, leak or hang, whatever the bytes; when
 * it accepts a record, the tree must keep record.h's promises: every string
 * valid UTF-8, already NFC, free of XML-forbidden and invisible characters;
 * a convention; an id.  Every message must be printable (fuzz_check_diag).
 * The input is also tried as a template path (vb_record_known_path). */
#include "common.h"
#include "record.h"
#include "text.h"

static void check_tree(vb_arena *a, const vb_value *v, int depth)
{
    FUZZ_ASSERT(depth <= VB_MAX_DEPTH + 2, "tree deeper than the limit: %d", depth);
    switch (v->kind) {
    case VB_STR: {
        size_t n = strlen(v->s), bad;
        int32_t cp;
        FUZZ_ASSERT(n <= VB_MAX_STRING_BYTES * 3, "string of %zu bytes", n);
        FUZZ_ASSERT(vb_utf8_valid(v->s, n, &bad), "string not UTF-8 at %zu", bad);
        FUZZ_ASSERT(!vb_has_xml_forbidden(v->s, &cp), "XML-forbidden U+%04X kept", (unsigned)cp);
        FUZZ_ASSERT(!vb_has_invisible(v->s, &cp), "invisible U+%04X kept", (unsigned)cp);
        const char *nfc = vb_nfc(a, v->s);
        FUZZ_ASSERT(nfc && !strcmp(nfc, v->s), "string not in NFC");
        break;
    }
    case VB_LIST:
        FUZZ_ASSERT(v->n <= VB_MAX_LIST_ITEMS, "list of %zu items", v->n);
        for (size_t i = 0; i < v->n; i++) {
            FUZZ_ASSERT(v->items[i] != NULL, "NULL list item %zu", i);
            check_tree(a, v->items[i], depth + 1);
        }
        break;
    case VB_MAP:
        for (size_t i = 0; i < v->n; i++) {
            FUZZ_ASSERT(v->keys[i] && v->items[i], "NULL map entry %zu", i);
            check_tree(a, v->items[i], depth + 1);
        }
        break;
    case VB_INT:
        /* derived sums (votes.*.voted) may reach three times the limit */
        FUZZ_ASSERT(v->i >= 0 && v->i <= 3 * (int64_t)VB_MAX_NUMBER, "number %lld", (long long)v->i);
        break;
    default:
        break;
    }
}

static vb_arena *g_arena;
static vb_schema g_schema;     /* the repository's record format */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_arena) {
        vb_diag sd;
        vb_diag_init(&sd);
        g_arena = vb_arena_new();
        if (!vb_schema_load(g_arena, fuzz_repo(), &g_schema, &sd)) {
            vb_diag_print(&sd, stderr);
            fprintf(stderr, "fuzz_record: cannot load the record format (set VANBAN_DATA to the repository)\n");
            exit(1);
        }
        vb_diag_free(&sd);
    }
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_record r;
    /* odd sizes read as a line of a JSON Lines file (messages differ) */
    int line = (size & 1) ? 12 : 0;
    bool ok = vb_record_parse(&g_schema, a, "fuzz.json", line, (const char *)data, size, &r, &d);
    fuzz_check_diag(&d);
    if (ok) {
        FUZZ_ASSERT(d.errors == 0, "accepted with %zu errors", d.errors);
        FUZZ_ASSERT(r.root && r.root->kind == VB_MAP, "accepted without a tree");
        FUZZ_ASSERT(r.id && *r.id, "accepted without an id");
        bool any = false;
        for (size_t i = 0; i < g_schema.ntypes; i++)
            any |= g_schema.types[i].conv == r.convention && vb_schema_holds(&g_schema.types[i], r.root);
        FUZZ_ASSERT(any, "accepted holding no document");
        FUZZ_ASSERT(r.convention == VB_PARTY || r.convention == VB_STATE, "bad convention");
        check_tree(a, r.root, 0);
    } else {
        FUZZ_ASSERT(d.errors > 0, "rejected without an error message");
        FUZZ_ASSERT(r.root == NULL, "rejected but a tree is returned");
    }
    vb_diag_free(&d);
    vb_arena_free(a);

    /* the same bytes as a dotted field path */
    if (size < 4096) {
        char *s = fuzz_cstr(data, size);
        (void)vb_schema_known_path(&g_schema, s);
        free(s);
    }
    return 0;
}
