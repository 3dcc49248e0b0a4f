/* fuzz_serve.c — the request handler of `vanban serve` (serve.h) without a
 * socket: arbitrary method, path, headers and body.  Input:
 *   METHOD SP PATH LF, then "Name: value" LF lines (Host, Origin,
 *   Sec-Fetch-Site, Authorization; others ignored), an empty line, the body.
 * The first byte's low bit picks a server with a password ("clerk:secret")
 * and no register, or one without a password and with a temporary register
 * (--db, in a folder made at start and removed at exit), so that Lấy số
 * (/api/number/TYPE) and Sổ đăng ký (/api/register…) are reached with one
 * and answered 409 by the other.  Checks beyond "no crash, no leak": a status the handler
 * documents; a body always; never 500 (the engine is sound, so a failure
 * is the request's); a 200 preview is a PDF; JSON answers carry no raw
 * control character; a batch job is followed to its end (the progress
 * stream, then the zip, which starts "PK"); a number taken is JSON with
 * its "numsym" and its PDF can be fetched again from the register. */
#include "common.h"
#include "serve.h"

#include <unistd.h>

static vb_server *g_srv[2];
static char g_dir[] = "/tmp/fuzz_serve.XXXXXX";
static char g_db[64];

/* at exit: the job threads joined, so that valgrind sees no stack lost;
 * the temporary register removed */
static void free_servers(void)
{
    for (int i = 0; i < 2; i++) vb_server_free(g_srv[i]);
    static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; g_db[0] && i < sizeof ext / sizeof ext[0]; i++) {
        char f[80];
        snprintf(f, sizeof f, "%s%s", g_db, ext[i]);
        unlink(f);
    }
    if (g_db[0]) rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    atexit(free_servers);
    if (!mkdtemp(g_dir)) { perror("fuzz_serve: mkdtemp"); exit(1); }
    snprintf(g_db, sizeof g_db, "%s/so-di.db", g_dir);
    for (int i = 0; i < 2; i++) {
        vb_serve_opts o = { .data = fuzz_repo(), .host = "127.0.0.1", .port = 8080, .workers = 1,
                            .queue = 0, .quiet = true, .password = i ? "clerk:secret" : NULL,
                            .db = i ? NULL : g_db };
        vb_diag d;
        vb_diag_init(&d);
        if (!vb_server_new(&o, &g_srv[i], &d)) {
            vb_diag_print(&d, stderr);
            fprintf(stderr, "fuzz_serve: cannot start the handler (set VANBAN_DATA to the repository)\n");
            exit(1);
        }
        vb_diag_free(&d);
    }
    return 0;
}

static char *field(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) || line[k] != ':') return NULL;
    line += k + 1; n -= k + 1;
    while (n && *line == ' ') { line++; n--; }
    char *v = malloc(n + 1);
    memcpy(v, line, n);
    v[n] = 0;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_srv[0]) LLVMFuzzerInitialize(NULL, NULL);
    if (!size) return 0;
    vb_server *s = g_srv[data[0] & 1];
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    char *method = NULL, *path = NULL, *hdr[4] = { 0 };
    static const char *const names[4] = { "Host", "Origin", "Sec-Fetch-Site", "Authorization" };
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *sp = nl ? memchr(p, ' ', (size_t)(nl - p)) : NULL;
    if (!sp) return 0;
    method = strndup(p, (size_t)(sp - p));
    path = strndup(sp + 1, (size_t)(nl - sp - 1));
    p = nl + 1;
    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        if (nl == p) { p++; break; }
        for (int i = 0; i < 4; i++)
            if (!hdr[i]) hdr[i] = field(p, (size_t)(nl - p), names[i]);
        p = nl + (nl < end);
    }
    /* the strings the transport hands over are NUL-terminated: a NUL
     * inside ends them there, as it would in libmicrohttpd */
    vb_request q = { .method = method, .path = path, .host = hdr[0], .origin = hdr[1], .fetch_site = hdr[2],
                     .authorization = hdr[3], .body = p, .body_len = (size_t)(end - p) };
    vb_response r = { 0 };
    vb_serve_handle(s, &q, &r);
    static const int ok[] = { 200, 202, 400, 401, 403, 404, 405, 409, 413, 422, 503 };
    bool known = false;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) known |= r.status == ok[i];
    FUZZ_ASSERT(known, "status %d", r.status);
    FUZZ_ASSERT(r.type && (r.body.len > 0 || r.stream_job), "status %d without a body", r.status);
    if (r.status == 200 && !strncmp(path, "/api/preview/", 13))
        FUZZ_ASSERT(r.body.len > 4 && !memcmp(r.body.data, "%PDF", 4), "a preview that is not a PDF");
    if (!strncmp(r.type, "application/json", 16))
        for (size_t i = 0; i < r.body.len; i++)
            FUZZ_ASSERT((unsigned char)r.body.data[i] >= 0x20 || r.body.data[i] == '\n', "raw control byte in JSON");
    if (r.status == 200 && !strncmp(path, "/api/number/", 12)) {
        FUZZ_ASSERT(s == g_srv[0], "a number taken without a register");
        const char *n = strstr(r.body.data, "\"numsym\": \"");
        const char *q2 = strstr(r.body.data, "\"pdf\": \"");
        FUZZ_ASSERT(n && q2, "a number taken without numsym or pdf");
        char dpath[80];
        snprintf(dpath, sizeof dpath, "%.60s", q2 + strlen("\"pdf\": \""));
        char *qe = strchr(dpath, '"');
        FUZZ_ASSERT(qe, "pdf address not closed");
        *qe = 0;
        vb_request dq = { .method = "GET", .path = dpath, .host = "127.0.0.1:8080" };
        vb_response dr = { 0 };
        vb_serve_handle(s, &dq, &dr);
        FUZZ_ASSERT(dr.status == 200 && dr.body.len > 4 && !memcmp(dr.body.data, "%PDF", 4),
                    "the numbered document made again: status %d", dr.status);
        vb_response_free(&dr);
    }
    if (s != g_srv[0] && (!strncmp(path, "/api/number/", 12) || !strncmp(path, "/api/register", 13)))
        FUZZ_ASSERT(r.status != 200, "the register answered without --db");
    if (r.status == 202) {
        /* follow the job: events until the last, then the zip */
        unsigned long id = strtoul(r.body.data + strlen("{\"job\": "), NULL, 10), seen = 0;
        vb_buf ev = { 0 };
        int guard = 0;
        while (vb_serve_job_event(s, id, &seen, 1000, &ev) && guard++ < 100000) ev.len = 0;
        vb_buf_free(&ev);
        FUZZ_ASSERT(seen == (unsigned long)-1, "the progress stream ended before the job did");
        char zpath[64];
        snprintf(zpath, sizeof zpath, "/api/batch/%lu/zip", id);
        vb_request zq = { .method = "GET", .path = zpath, .host = "127.0.0.1:8080",
                          .authorization = hdr[3] };
        vb_response zr = { 0 };
        vb_serve_handle(s, &zq, &zr);
        FUZZ_ASSERT(zr.status == 200 && zr.body.len > 2 && !memcmp(zr.body.data, "PK", 2), "zip: status %d", zr.status);
        vb_response_free(&zr);
    }
    vb_response_free(&r);
    free(method);
    free(path);
    for (int i = 0; i < 4; i++) free(hdr[i]);
    return 0;
}
