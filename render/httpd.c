/* httpd.c — `vanban serve`: the handler of serve.c behind libmicrohttpd. */
#include "serve.h"
#include "record.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
#define MHD_RESULT int
#else
#define MHD_RESULT enum MHD_Result
#endif

#define CONN_TIMEOUT_S 30       /* an idle or slow connection is closed */
#define CONN_LIMIT 64           /* connections at once (one thread each) */

static const char usage_serve[] = N_(
    "usage: vanban serve [--listen HOST:PORT] [--data DIR] [--fonts DIR] [--db FILE]\n"
    "                    [--password-file FILE] [--allow-host NAME] [-j N] [--queue N] [--quiet]\n"
    "The web app for clerks: forms for every document type, live preview, downloads,\n"
    "batches and, with --db, the outgoing register in the browser (docs/serve.md).\n"
    "Stops cleanly on Ctrl-C.\n"
    "      --listen HOST:PORT  where to listen (default 127.0.0.1:8080); an address that\n"
    "                          is not loopback needs --password-file\n"
    "      --data DIR          the folder holding templates/ (default: $VANBAN_DATA)\n"
    "      --fonts DIR         font files to use before fontconfig (default: DATA/fonts)\n"
    "      --db FILE           the outgoing register (docs/register.md), made when missing:\n"
    "                          Lấy số numbers the document, Sổ đăng ký lists the register\n"
    "      --password-file FILE  one line \"user:password\": HTTP basic auth for every request\n"
    "      --allow-host NAME   another Host the browser may use (a proxy's name[:port])\n"
    "  -j, --jobs N            engines rendering at once (default: CPUs, at most 4)\n"
    "      --queue N           requests that may wait for an engine; more get 503 (default 16)\n"
    "      --quiet             no line on stderr for each request\n"
    "  -h, --help              this help\n"
    "Exit status: 0 stopped by a signal, 1 bad data, password file or a --db file that is\n"
    "not a register, 2 usage, 3 cannot listen, read the data or open the register.\n");

typedef struct conn {
    vb_buf body;
    size_t limit;
    bool too_large;
    int64_t t0;
} conn;

typedef struct stream {
    vb_server *s;
    unsigned long job, seen;
    vb_buf pending;
    size_t off;
} stream;

static bool quiet;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *st = cls;
    while (st->off == st->pending.len) {
        st->pending.len = st->off = 0;
        if (!vb_serve_job_event(st->s, st->job, &st->seen, 1000, &st->pending) && !st->pending.len)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = st->pending.len - st->off;
    if (n > max) n = max;
    memcpy(buf, st->pending.data + st->off, n);
    st->off += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *st = cls;
    vb_buf_free(&st->pending);
    free(st);
}

static void free_body(void *p) { free(p); }

static MHD_RESULT on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload, size_t *upload_size, void **ctx)
{
    (void)version;
    vb_server *s = cls;
    conn *cc = *ctx;
    if (!cc) {
        cc = vb_xcalloc(1, sizeof *cc);
        cc->t0 = now_us();
        cc->limit = vb_serve_body_limit(method, url);
        *ctx = cc;
        /* a body announced too large is never read */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > cc->limit) cc->too_large = true;
        else return MHD_YES;
    } else if (*upload_size) {
        if (cc->body.len + *upload_size > cc->limit) cc->too_large = true;
        if (!cc->too_large) vb_buf_add(&cc->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    vb_request q = {
        .method = method, .path = url,
        .host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
        .origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
        .fetch_site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site"),
        .authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        .body = cc->body.data, .body_len = cc->body.len, .body_too_large = cc->too_large,
    };
    vb_response r = { 0 };
    vb_serve_handle(s, &q, &r);
    struct MHD_Response *resp;
    if (r.stream_job) {
        stream *st = vb_xcalloc(1, sizeof *st);
        st->s = s;
        st->job = r.stream_job;
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
    } else {
        size_t len = r.body.len;
        void *data = r.body.data ? r.body.data : vb_xcalloc(1, 1);
        r.body = (vb_buf){ 0 };
        resp = MHD_create_response_from_buffer_with_free_callback(len, data, free_body);
    }
    if (!resp) { vb_response_free(&r); return MHD_NO; }
    if (r.type) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.type);
    for (size_t i = 0; i < r.nheaders; i++) MHD_add_response_header(resp, r.hname[i], r.hvalue[i]);
    /* the pages load nothing from elsewhere; nor may anything frame them */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; object-src 'self'; frame-src 'self' blob:; img-src 'self' blob: data:; frame-ancestors 'self'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (cc->too_large) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    MHD_RESULT ret = MHD_queue_response(c, (unsigned)r.status, resp);
    MHD_destroy_response(resp);
    if (!quiet)
        fprintf(stderr, "serve: %s %s %d %.1f ms\n", method, url, r.status, (double)(now_us() - cc->t0) / 1000.0);
    vb_response_free(&r);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
    (void)cls; (void)c; (void)toe;
    conn *cc = *ctx;
    if (!cc) return;
    vb_buf_free(&cc->body);
    free(cc);
    *ctx = NULL;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* "HOST:PORT" or "[V6]:PORT"; numeric addresses only (no name lookups),
 * "localhost" being 127.0.0.1.  host gets the address without brackets. */
static bool parse_listen(const char *a, struct sockaddr_storage *ss, char *host, size_t hcap, unsigned *port)
{
    const char *colon;
    size_t hl;
    if (a[0] == '[') {
        const char *rb = strchr(a, ']');
        if (!rb || rb[1] != ':') return false;
        hl = (size_t)(rb - a - 1);
        if (hl >= hcap) return false;
        memcpy(host, a + 1, hl);
        colon = rb + 1;
    } else {
        colon = strrchr(a, ':');
        if (!colon) return false;
        hl = (size_t)(colon - a);
        if (hl >= hcap || memchr(a, ':', hl)) return false;
        memcpy(host, a, hl);
    }
    host[hl] = 0;
    char *e;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &e, 10);
    if (!colon[1] || *e || errno || p < 1 || p > 65535) return false;
    *port = (unsigned)p;
    memset(ss, 0, sizeof *ss);
    if (!strcmp(host, "localhost")) snprintf(host, hcap, "127.0.0.1");
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)p);
        return true;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)p);
        return true;
    }
    return false;
}

static int serve_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vanban serve: ");
    fprintf(stderr, gettext(fmt), arg);
    fputc('\n', stderr);
    fputs(gettext(usage_serve), stderr);
    return VB_EXIT_USAGE;
}

/* The password file: one line "user:password" (a final newline allowed). */
static bool read_password(const char *path, char **out, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(path, 4096, &data, &len, d)) return false;
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r')) data[--len] = 0;
    if (!len || !strchr(data, ':') || data[0] == ':' || memchr(data, '\n', len) || strlen(data) != len) {
        vb_error(d, VB_EXIT_INPUT, "%s: expected one line \"user:password\"", path);
        free(data);
        return false;
    }
    *out = data;
    return true;
}

int vb_serve_main(int argc, char **argv)
{
    vb_serve_opts o = { .host = "127.0.0.1", .port = 8080, .queue = 16 };
    const char *listen = NULL, *pwfile = NULL;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.workers = ncpu < 1 ? 1 : ncpu > 4 ? 4 : (unsigned)ncpu;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(gettext(usage_serve), stdout); return 0; }
        if (!strcmp(a, "--quiet")) { o.quiet = true; continue; }
        if (!strcmp(a, "--listen")) dst = &listen;
        else if (!strcmp(a, "--data")) dst = &o.data;
        else if (!strcmp(a, "--fonts")) dst = &o.fonts;
        else if (!strcmp(a, "--db")) dst = &o.db;
        else if (!strcmp(a, "--password-file")) dst = &pwfile;
        else if (!strcmp(a, "--allow-host") || !strcmp(a, "-j") || !strcmp(a, "--jobs") || !strcmp(a, "--queue")) {
            if (i + 1 >= argc) return serve_usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--allow-host")) {
                if (o.nallow == VB_SERVE_MAX_HOSTS) return serve_usage_error("at most 8 --allow-host%s", "");
                if (!*v || strpbrk(v, " /\r\n\t")) return serve_usage_error("--allow-host: not a host name: \"%s\"", v);
                o.allow[o.nallow++] = v;
                continue;
            }
            char *e;
            errno = 0;
            unsigned long n = strtoul(v, &e, 10);
            bool q = !strcmp(a, "--queue");
            if (!*v || *e || errno || *v == '-' || n > (q ? 1000 : 64) || (!q && n < 1))
                return q ? serve_usage_error("--queue takes 0 to 1000, got \"%s\"", v)
                         : serve_usage_error("-j takes 1 to 64, got \"%s\"", v);
            if (q) o.queue = (unsigned)n; else o.workers = (unsigned)n;
            continue;
        } else if (a[0] == '-') return serve_usage_error("unknown option %s", a);
        else return serve_usage_error("takes no arguments, got \"%s\"", a);
        if (i + 1 >= argc) return serve_usage_error("%s needs a value", a);
        *dst = argv[++i];
    }
    quiet = o.quiet;
    struct sockaddr_storage ss;
    char host[64];
    if (!parse_listen(listen ? listen : "127.0.0.1:8080", &ss, host, sizeof host, &o.port))
        return serve_usage_error("--listen takes HOST:PORT with a numeric address, e.g. 127.0.0.1:8080, got \"%s\"", listen);
    o.host = host;
    vb_diag d;
    vb_diag_init(&d);
    char *password = NULL;
    if (pwfile && !read_password(pwfile, &password, &d)) {
        vb_diag_print(&d, stderr);
        vb_diag_free(&d);
        return VB_EXIT_INPUT;
    }
    if (!is_loopback(&ss) && !password) {
        fprintf(stderr, _("vanban serve: %s is not a loopback address: give --password-file too "
                          "(and put a TLS proxy in front, docs/serve.md)\n"), host);
        return VB_EXIT_USAGE;
    }
    o.password = password;

    /* every thread started from here on leaves the signals to sigwait below */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    vb_server *s = NULL;
    int code = 0;
    struct MHD_Daemon *mhd = NULL;
    if (!vb_server_new(&o, &s, &d)) {
        code = d.exit_code ? d.exit_code : VB_EXIT_INPUT;
        goto done;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    mhd = MHD_start_daemon(flags, (uint16_t)o.port, NULL, NULL, on_request, s,
                           MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                           MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
                           MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
                           MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                           MHD_OPTION_END);
    if (!mhd) {
        vb_error(&d, VB_EXIT_SYSTEM, "vanban serve: cannot listen on %s:%u (in use, or not an address of this machine)",
                 host, o.port);
        code = VB_EXIT_SYSTEM;
        goto done;
    }
    printf(strchr(host, ':') ? _("vanban serve: http://[%s]:%u/ (%u workers; Ctrl-C stops)\n")
                             : _("vanban serve: http://%s:%u/ (%u workers; Ctrl-C stops)\n"),
           host, o.port, o.workers);
    if (o.db) printf(_("vanban serve: the outgoing register is %s\n"), o.db);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, _("vanban serve: %s, stopping\n"), strsignal(sig));
done:
    /* streams end first, so that stopping the daemon does not wait for them */
    if (s) vb_server_stop(s);
    if (mhd) MHD_stop_daemon(mhd);
    vb_server_free(s);
    free(password);
    vb_diag_print(&d, stderr);
    vb_diag_free(&d);
    return code;
}
