/* sign.h — PAdES signatures (ETSI EN 319 142-1, baseline B-B, and B-T
 * with a time-stamping authority) as an incremental update of any PDF,
 * with the visible appearance Decree 30/2020/NĐ-CP Appendix I §II.7–8
 * prescribes; and their verification.
 *
 * The update appends objects after the file's %%EOF and never rewrites a
 * byte before it, so earlier signatures stay valid and the base file's
 * conformance (PDF/A) is kept: the signature field is printable (/F 132),
 * there is no JavaScript, images carry their transparency as /SMask.
 * The CMS is detached SignedData over the /ByteRange, SHA-256, with the
 * content-type, message-digest and signing-certificate-v2 attributes and
 * no signing-time attribute (PAdES puts the claimed time in /M). */
#ifndef VB_SIGN_H
#define VB_SIGN_H

#include "vb.h"
#include "font.h"

/* exit codes of sign and verify beyond vb.h's (docs/signing.md) */
enum {
    VB_EXIT_KEY = 4,      /* key, certificate or token: wrong passphrase, mismatch, expired, missing */
    VB_EXIT_TSA = 5       /* the time-stamping authority did not answer or refused */
};

/* What a signature shows (Appendix I §II.7–8, Part II). */
typedef enum {
    VB_SIGN_PERSON,          /* signature image between position and name */
    VB_SIGN_ORGANISATION,    /* seal at its real size over the left third of the signature */
    VB_SIGN_ANNEX,           /* no image: number and time, top right of page 1 */
    VB_SIGN_COPY             /* no image: form of copy, copying body, time, top right of page 1 */
} vb_sign_as;

/* The key material of one signer, loaded once (a batch worker keeps it). */
typedef struct vb_signer vb_signer;

typedef struct vb_signer_opts {
    const char *key;         /* PEM or PKCS#12 file, or a pkcs11: URI */
    const char *cert;        /* PEM certificate (optional for PKCS#12) */
    const char *chain;       /* PEM file of intermediate (and root) certificates, or NULL */
    const char *pass_file;   /* passphrase of the key file (first line), or NULL: $VANBAN_KEY_PASS */
    const char *pin_file;    /* PIN of the token (first line), or NULL: $VANBAN_PIN */
    const char *module;      /* PKCS#11 module (.so), or NULL: $VANBAN_PKCS11_MODULE, else p11-kit's */
    bool pss;                /* RSASSA-PSS instead of PKCS#1 v1.5 */
    bool allow_expired;      /* sign with a certificate outside its validity (tests only) */
    int64_t now;             /* the time the validity is checked at (Unix seconds) */
} vb_signer_opts;

/* Load and check: the key matches the certificate, RSA of 2048 bits and
 * up or ECDSA P-256 and up, the certificate valid at o->now.  Failures are
 * VB_EXIT_KEY (VB_EXIT_SYSTEM when a file cannot be read), naming the
 * file; a passphrase or PIN is never printed. */
bool vb_signer_load(const vb_signer_opts *o, vb_signer **out, vb_diag *d);
void vb_signer_free(vb_signer *s);
const char *vb_signer_name(const vb_signer *s);    /* the certificate's CN */

/* The space the layout reserved for the signature, in mpt from the top
 * left corner of page `page` (0-based). */
typedef struct vb_sign_box { int page; int32_t x, y, w, h; } vb_sign_box;

typedef struct vb_sign_opts {
    vb_sign_as as;
    const char *signature_image;   /* PNG (person) */
    const char *seal_image;        /* PNG (organisation) */
    int32_t seal_size;             /* mpt, 20–60 mm */
    const char *reason, *location;
    const char *tsa_url;           /* NULL: B-B; else B-T */
    int tsa_timeout;               /* seconds */
    bool have_box;                 /* box is where the images go */
    vb_sign_box box;
    bool at_point;                 /* box is a point (--at): the image's centre */
    const char *number;            /* annex: "Số: 12/NQ-HĐND" */
    const char *copy_form;         /* copy: "SAO Y", "SAO LỤC", "TRÍCH SAO" */
    const char *organisation;      /* copy: the copying body */
    const vb_fonts *fonts;         /* annex and copy: the text's font (Times New Roman) */
    int64_t time;                  /* signing time, Unix seconds */
} vb_sign_opts;

/* The seal sizes the rules allow (conventions §7: "real size"). */
#define VB_SEAL_MIN VB_MM(20)
#define VB_SEAL_MAX VB_MM(60)

/* Read a PNG file for an appearance: false (VB_EXIT_INPUT) when it is not
 * a PNG, naming the file. Checked before anything is signed. */
bool vb_sign_check_image(const char *path, vb_diag *d);

/* Sign in[0..len) (named `name` in messages): out gets the whole signed
 * file (in, then the update).  Nothing is written anywhere. */
bool vb_sign_pdf(const vb_signer *s, const vb_sign_opts *o, const char *name,
                 const unsigned char *in, size_t len, vb_buf *out, vb_diag *d);

/* Verify every signature of a PDF and print one block per signature to
 * `out` (a FILE *): signer, time, algorithm, whether it covers the whole
 * file, whether its bytes are intact.  *intact gets whether all are (and
 * there is at least one).  False only when the file cannot be read. */
bool vb_verify_pdf(const char *name, const unsigned char *data, size_t len, const char *ca_file,
                   void *out, bool *intact, int *count, vb_diag *d);
/* (ca_file: PEM roots to verify each signer's chain to, or NULL: not checked) */

/* The sidecar JSON written beside a rendered PDF (OUT.pdf.vbsig) so that
 * `vanban sign` finds the signature block of a PDF rendered earlier. */
bool vb_sidecar_write(const char *pdf_path, const vb_sign_box *box, const char *number,
                      const char *organisation, vb_diag *d);
/* Read it when present: false when absent (no message) or bad (a message). */
bool vb_sidecar_read(const char *pdf_path, vb_sign_box *box, char **number, char **organisation,
                     bool *present, vb_diag *d);

/* ---- the signing options of sign, render --sign and batch --sign ---- */
typedef struct vb_sign_cli {
    vb_signer_opts key;
    vb_sign_opts sig;
    const char *at;            /* --at PAGE,X,Y (mm from the top left corner) */
    const char *as;
    const char *seal_size;
} vb_sign_cli;
/* The usage lines of these options, for --help. */
extern const char *const vb_sign_usage;   /* N_(): print through gettext */
void vb_sign_cli_init(vb_sign_cli *c);
/* The option at argv[*i]: 1 taken (and *i moved past its value), 0 not a
 * signing option, -1 a usage error (its message in d, VB_EXIT_USAGE). */
int vb_sign_cli_option(vb_sign_cli *c, int argc, char **argv, int *i, vb_diag *d);
/* After parsing: check the values (--as, --seal-size 20–60 mm, --at, a
 * key given), set the signing time (now, or $VANBAN_SIGN_TIME for
 * reproducible tests) and read the images' headers. */
bool vb_sign_cli_finish(vb_sign_cli *c, vb_diag *d);

#endif
