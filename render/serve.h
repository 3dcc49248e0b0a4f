/* serve.h — `vanban serve`: the web app for clerks (docs/serve.md).
 *
 * Two halves.  serve.c is the request handler: a request (method, path, the
 * few headers it reads, the body) in, a response (status, type, headers,
 * bytes) out, no socket, so the fuzz target (fuzz/fuzz_serve.c) drives it
 * directly.  httpd.c puts it behind libmicrohttpd (one thread a
 * connection, bounded) and is the `vanban serve` command.
 *
 * Rendering goes through a pool of engines (engine.h), one per worker,
 * loaded once; a request that finds every engine busy waits in a bounded
 * queue, and gets 503 when the queue is full.  Pages and assets are the
 * files of DATA/templates/web, read once at start: a request path is only
 * ever looked up in that table, never opened. */
#ifndef VB_SERVE_H
#define VB_SERVE_H

#include "vb.h"

/* Batch uploads (several files in one request) may hold this much; a
 * single record is limited to VB_MAX_RECORD_BYTES like on the command line. */
#define VB_SERVE_MAX_BATCH_BYTES (32u << 20)
#define VB_SERVE_MAX_JOBS 8           /* batch jobs kept (running or done) */
#define VB_SERVE_MAX_HOSTS 8          /* --allow-host names */

typedef struct vb_serve_opts {
    const char *data;          /* data folder (NULL: as the other commands) */
    const char *fonts;         /* fonts folder override, or NULL */
    const char *db;            /* the register (issue 12 point 3): refused until it is built in */
    const char *host;          /* listen address as given: "127.0.0.1" */
    unsigned port;
    const char *password;      /* "user:password", or NULL for none */
    const char *allow[VB_SERVE_MAX_HOSTS];  /* more Host names (a proxy's) */
    size_t nallow;
    unsigned workers;          /* engines */
    unsigned queue;            /* requests that may wait for an engine */
    bool quiet;                /* no access log on stderr */
} vb_serve_opts;

typedef struct vb_server vb_server;

/* Open the engines, read the web files and the schema.  False with the
 * reason in d (VB_EXIT_INPUT for bad data, VB_EXIT_SYSTEM for files). */
bool vb_server_new(const vb_serve_opts *o, vb_server **out, vb_diag *d);
/* Stop the batch jobs (they finish the record under way) and free all. */
void vb_server_free(vb_server *s);
/* Tell long answers (progress streams) to end: the server is stopping. */
void vb_server_stop(vb_server *s);
bool vb_server_stopping(const vb_server *s);

typedef struct vb_request {
    const char *method;        /* "GET", "POST", ... */
    const char *path;          /* without the query string */
    const char *host;          /* the headers read, NULL when absent */
    const char *origin;
    const char *fetch_site;    /* Sec-Fetch-Site */
    const char *authorization;
    const char *body;
    size_t body_len;
    bool body_too_large;       /* the transport stopped reading it */
} vb_request;

#define VB_SERVE_MAX_HEADERS 4
typedef struct vb_response {
    int status;
    const char *type;          /* Content-Type */
    vb_buf body;
    const char *hname[VB_SERVE_MAX_HEADERS];
    char *hvalue[VB_SERVE_MAX_HEADERS];   /* heap, freed by vb_response_free */
    size_t nheaders;
    /* a progress stream (text/event-stream): the job to follow, else 0 */
    unsigned long stream_job;
} vb_response;

/* The largest body the handler accepts for this method and path, so the
 * transport can answer 413 before reading it. */
size_t vb_serve_body_limit(const char *method, const char *path);
/* Answer one request.  Always fills r (status and body); never blocks long
 * except while waiting in the queue for an engine. */
void vb_serve_handle(vb_server *s, const vb_request *q, vb_response *r);
void vb_response_free(vb_response *r);

/* Progress streams: the next event of job `id` after `seen` changes, into
 * out ("data: {...}\n\n"); waits up to wait_ms for a change.  Returns false
 * when the stream is over (the job finished and its last event was sent,
 * the job is gone, or the server stops). */
bool vb_serve_job_event(vb_server *s, unsigned long id, unsigned long *seen, int wait_ms, vb_buf *out);

/* `vanban serve ARGS`: parse, start, wait for SIGINT/SIGTERM, stop. */
int vb_serve_main(int argc, char **argv);

#endif
