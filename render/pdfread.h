/* pdfread.h — a small, bounded reader of existing PDF files: what an
 * incremental update (a signature) needs, no more.
 *
 * It reads the cross-reference chain from the last startxref (tables,
 * cross-reference streams, hybrid files, /Prev chains), objects by number
 * (also inside object streams), and parses values: null, booleans,
 * numbers, names, strings, arrays, dictionaries, references, streams.
 * Streams are decoded for FlateDecode (with PNG predictors), the only
 * filter object and xref streams use in practice.  It does not repair a
 * damaged file: a cross-reference that does not lead to objects is an
 * error, so we never append to a file we have misread.  Every loop is
 * bounded by the file's size; nesting is limited to VB_PDFR_DEPTH.
 * All values live in the reader's arena. */
#ifndef VB_PDFREAD_H
#define VB_PDFREAD_H

#include "vb.h"

#define VB_PDFR_DEPTH 64

typedef enum {
    VB_PV_NULL, VB_PV_BOOL, VB_PV_NUM, VB_PV_NAME, VB_PV_STR,
    VB_PV_ARRAY, VB_PV_DICT, VB_PV_REF, VB_PV_STREAM
} vb_pv_kind;

typedef struct vb_pv vb_pv;
struct vb_pv {
    vb_pv_kind kind;
    bool b;
    double num;              /* VB_PV_NUM */
    const char *raw;         /* VB_PV_NUM: the token as written (rewritten unchanged) */
    const char *s;           /* VB_PV_NAME (decoded, no slash), VB_PV_STR (bytes) */
    size_t len;              /* VB_PV_STR length; VB_PV_ARRAY/DICT item count */
    vb_pv **items;           /* VB_PV_ARRAY items; VB_PV_DICT values */
    const char **keys;       /* VB_PV_DICT keys (decoded names) */
    uint32_t ref_num;        /* VB_PV_REF */
    uint32_t ref_gen;
    vb_pv *dict;             /* VB_PV_STREAM: its dictionary */
    size_t data_off, data_len;   /* VB_PV_STREAM: raw data in the file */
};

typedef struct vb_pdfr vb_pdfr;

/* Open data[0..len) (not copied: it must outlive the reader).  `name`
 * is for messages.  Fails (VB_EXIT_INPUT) for a file that is not a PDF,
 * whose cross-reference cannot be read, or that is encrypted. */
bool vb_pdfr_open(const char *name, const unsigned char *data, size_t len, vb_pdfr **out, vb_diag *d);
void vb_pdfr_free(vb_pdfr *r);

const vb_pv *vb_pdfr_trailer(const vb_pdfr *r);   /* the newest trailer dictionary */
size_t vb_pdfr_startxref(const vb_pdfr *r);       /* offset of the newest section */
bool vb_pdfr_xref_is_stream(const vb_pdfr *r);    /* newest section is a stream */
uint32_t vb_pdfr_size(const vb_pdfr *r);          /* the first unused object number */

/* Object num, parsed (NULL, with a diagnostic, when it cannot be read;
 * a free or absent object is the null value, as the standard says). */
const vb_pv *vb_pdfr_object(vb_pdfr *r, uint32_t num, vb_diag *d);
/* v itself, or the object it refers to. */
const vb_pv *vb_pdfr_resolve(vb_pdfr *r, const vb_pv *v, vb_diag *d);
/* Dictionary entry (of a dictionary or a stream's dictionary), or NULL. */
const vb_pv *vb_pv_get(const vb_pv *dict, const char *key);
/* A stream's data, decoded (Flate and predictors; no filter: as is).
 * Fails for other filters and for more than `limit` bytes. */
bool vb_pdfr_stream_data(vb_pdfr *r, const vb_pv *stream, size_t limit, unsigned char **out,
                         size_t *len, vb_diag *d);

/* Page `index` (0-based) of the page tree: its object number and
 * dictionary; the page count in *count.  False when there is no such page. */
bool vb_pdfr_page(vb_pdfr *r, int index, uint32_t *num, const vb_pv **page, int *count, vb_diag *d);

/* Write v in PDF syntax (names and strings escaped; numbers as read). */
void vb_pv_write(vb_buf *b, const vb_pv *v);

#endif
