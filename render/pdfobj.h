/* pdfobj.h — the structure of a PDF file (ISO 32000-1, 7.5): header,
 * numbered indirect objects, Flate-compressed streams, the
 * cross-reference table and the trailer with /Root, /Info and /ID.
 *
 * pdf.c says what the objects are; this writes them.  Objects are numbered
 * when reserved (vb_pdf_obj_new) and may be written in any order, each
 * once; vb_pdf_file_end refuses a file with a reserved object missing, so
 * a file that is ended is whole.  Everything is appended to one vb_buf and
 * nothing depends on the clock or the machine: the same calls give the
 * same bytes.  An incremental update (a signature, new metadata) is a
 * later section appended after %%EOF; the offsets kept here are what it
 * will need. */
#ifndef VB_PDFOBJ_H
#define VB_PDFOBJ_H

#include "vb.h"

typedef struct vb_pdf_file {
    vb_buf *out;               /* the file is appended here */
    size_t start;              /* out->len when the file began */
    size_t *offset;            /* offset[i]: object i's place from start; (size_t)-1 not yet written */
    uint32_t nobj, cap;        /* objects 1..nobj are reserved */
    uint32_t open;             /* the object being written, 0 if none */
    char *error;               /* the first misuse found (heap), reported by vb_pdf_file_end */
    struct libdeflate_compressor *z;  /* one per file, made on first use */
    void *zbuf;
    size_t zcap;
} vb_pdf_file;

/* "%PDF-1.4" and the binary comment line; the file starts at out->len. */
void vb_pdf_file_begin(vb_pdf_file *f, vb_buf *out);
/* The same with another version, "1.7" for PDF/A-2 (which is based on
 * ISO 32000-1 and takes no header version above 1.7). */
void vb_pdf_file_begin_version(vb_pdf_file *f, vb_buf *out, const char *version);

/* A new object number (1, 2, ...), to be written later. */
uint32_t vb_pdf_obj_new(vb_pdf_file *f);

/* Start object num ("num 0 obj\n") and return the buffer its value is
 * written into; vb_pdf_obj_end closes it. */
vb_buf *vb_pdf_obj_begin(vb_pdf_file *f, uint32_t num);
void vb_pdf_obj_end(vb_pdf_file *f);

/* Object num as a stream of data written as it is, not compressed (XMP
 * metadata, which PDF/A wants readable by tools that do not know PDF). */
void vb_pdf_stream_raw(vb_pdf_file *f, uint32_t num, const char *entries, const void *data, size_t len);

/* Object num as a stream of data, deflated (zlib format, /FlateDecode);
 * `entries` (NULL or "/Length1 1234 ...") are added to its dictionary. */
void vb_pdf_stream(vb_pdf_file *f, uint32_t num, const char *entries, const void *data, size_t len);

/* Cross-reference table, trailer (/Size, /Root, /Info when non-zero, /ID:
 * two equal 16-byte strings from a hash of the file so far, so the same
 * document gets the same /ID), startxref and %%EOF.  False, with a
 * VB_EXIT_SYSTEM diagnostic, when an object was reserved and not written,
 * written twice or left open; the file is then not to be used. */
bool vb_pdf_file_end(vb_pdf_file *f, uint32_t root, uint32_t info, vb_diag *d);
void vb_pdf_file_free(vb_pdf_file *f);

/* ---- values ---- */
/* v thousandths, exactly and shortest: 14000 -> "14", -1500 -> "-1.5" */
void vb_pdf_milli(vb_buf *b, int64_t v);
/* A text string (7.9.2.2): UTF-8 -> <FEFF...> UTF-16BE, in hex. */
void vb_pdf_text(vb_buf *b, const char *utf8);
/* A date string (7.9.4) in UTC: (D:YYYYMMDDHHmmSSZ); false (nothing
 * written) for a time outside the years 1..9999. */
bool vb_pdf_date(vb_buf *b, int64_t unix_time);
/* The same instant as XMP writes it (ISO 8601): 2023-11-14T22:13:20Z. */
bool vb_pdf_date_iso(vb_buf *b, int64_t unix_time);

#endif
