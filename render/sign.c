/* sign.c — PAdES signing as an incremental update, and verification
 * (sign.h).  OpenSSL 3 for keys, certificates, CMS and time stamps;
 * libpng for the images; pdfread.c to find what the update changes. */
/* The PKCS#11 engine API is deprecated in OpenSSL 3 but is what Debian 12
 * has (pkcs11-provider is in bookworm-backports only): docs/signing.md. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "sign.h"
#include "pdfread.h"
#include "pdfobj.h"
#include "text.h"

#include <jansson.h>
#include <libdeflate.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1t.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

/* ---- the words verify prints: all in one place, for a translation ---- */
enum { M_SIG, M_SIGNER, M_TIME, M_ALG, M_COVERS_ALL, M_COVERS_PART, M_INTACT, M_BROKEN, M_TST, M_NOTST,
       M_CHAIN_OK, M_CHAIN_BAD, M_CHAIN_NONE, M_NONE, M_SUMMARY_OK, M_SUMMARY_BAD };
static const char *const MSG[] = {
    [M_SIG] = "signature %d (%s)",
    [M_SIGNER] = "  signer:     %s",
    [M_TIME] = "  time:       %s",
    [M_ALG] = "  algorithm:  %s",
    [M_COVERS_ALL] = "  covers:     the whole file (%zu bytes)",
    [M_COVERS_PART] = "  covers:     bytes 0 to %zu of %zu (later updates follow)",
    [M_INTACT] = "  bytes:      intact",
    [M_BROKEN] = "  bytes:      NOT INTACT (%s)",
    [M_TST] = "  time-stamp: %s",
    [M_NOTST] = "  time-stamp: none",
    [M_CHAIN_OK] = "  chain:      verified to the given root",
    [M_CHAIN_BAD] = "  chain:      NOT verified (%s)",
    [M_CHAIN_NONE] = "  chain:      not checked (no --ca given)",
    [M_NONE] = "%s: no signatures",
    [M_SUMMARY_OK] = "%s: %d signature(s), all intact",
    [M_SUMMARY_BAD] = "%s: %d signature(s), NOT all intact",
};

/* The signed attributes as DER (a SET OF, sorted), for hashing: what
 * OpenSSL's CMS_Attributes_Sign is, which it does not export. */
typedef STACK_OF(X509_ATTRIBUTE) VB_ATTRS;
DECLARE_ASN1_ITEM(VB_ATTRS)
ASN1_ITEM_TEMPLATE(VB_ATTRS) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_ORDER, 0, VB_ATTRS, X509_ATTRIBUTE)
ASN1_ITEM_TEMPLATE_END(VB_ATTRS)

typedef struct img {
    uint32_t w, h;
    unsigned char *rgb, *alpha;
    bool has_alpha;
    char *path;                    /* cached: the file, and its samples deflated */
    unsigned char *zrgb, *zalpha;
    size_t lrgb, lalpha;
} img;
static void img_free(img *im);

struct vb_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) *chain;
    ENGINE *engine;
    bool pss;
    char cn[256];
    /* the images of the last documents, decoded and deflated once: a batch
     * worker signs every document with the same ones (a signer is one
     * worker's, never shared between threads) */
    img cache[2];
};

/* the last OpenSSL error, as text, for a message */
static const char *ssl_err(char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    if (!e) { snprintf(buf, n, "no detail"); return buf; }
    ERR_error_string_n(e, buf, n);
    ERR_clear_error();
    return buf;
}

/* first line of a file (a passphrase or PIN), or the variable */
static bool secret(const char *file, const char *env, char **out, vb_diag *d)
{
    *out = NULL;
    if (file) {
        char *data;
        size_t len;
        if (!vb_read_file(file, 4096, &data, &len, d)) return false;
        size_t n = strcspn(data, "\r\n");
        data[n] = 0;
        *out = data;
        return true;
    }
    const char *e = getenv(env);
    if (e) *out = vb_xstrdup(e);
    return true;
}

static void secret_free(char *s)
{
    if (s) { OPENSSL_cleanse(s, strlen(s)); free(s); }
}

static int pass_cb(char *buf, int size, int rw, void *u)
{
    (void)rw;
    const char *p = u;
    if (!p) return -1;                 /* never prompt on the terminal */
    int n = (int)strlen(p);
    if (n > size) n = size;
    memcpy(buf, p, (size_t)n);
    return n;
}

static bool load_chain(const char *path, STACK_OF(X509) *sk, vb_diag *d)
{
    BIO *b = BIO_new_file(path, "rb");
    if (!b) { vb_error(d, VB_EXIT_SYSTEM, "%s: cannot read the certificate chain", path); return false; }
    X509 *x;
    int n = 0;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) { sk_X509_push(sk, x); n++; }
    ERR_clear_error();
    BIO_free(b);
    if (!n) { vb_error(d, VB_EXIT_KEY, "%s: no PEM certificate in the chain file", path); return false; }
    return true;
}

static X509 *load_cert(const char *path, vb_diag *d)
{
    BIO *b = BIO_new_file(path, "rb");
    if (!b) { vb_error(d, VB_EXIT_SYSTEM, "%s: cannot read the certificate", path); return NULL; }
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    if (!x) { (void)BIO_reset(b); x = d2i_X509_bio(b, NULL); }
    BIO_free(b);
    ERR_clear_error();
    if (!x) vb_error(d, VB_EXIT_KEY, "%s: not a certificate (PEM or DER)", path);
    return x;
}

static bool load_token_key(vb_signer *s, const vb_signer_opts *o, vb_diag *d)
{
    char *pin = NULL;
    const char *module = o->module ? o->module : getenv("VANBAN_PKCS11_MODULE");
    bool ok = false;
    if (!secret(o->pin_file, "VANBAN_PIN", &pin, d)) return false;
    ENGINE *e = ENGINE_by_id("pkcs11");
    if (!e) {
        vb_error(d, VB_EXIT_KEY, "%s: the PKCS#11 engine is not installed (Debian: libengine-pkcs11-openssl)", o->key);
        goto out;
    }
    if (module && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) {
        vb_error(d, VB_EXIT_KEY, "%s: the PKCS#11 module %s cannot be used", o->key, module);
        ENGINE_free(e);
        goto out;
    }
    if (pin && !ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) {
        ENGINE_free(e);
        vb_error(d, VB_EXIT_KEY, "%s: the PIN cannot be given to the token", o->key);
        goto out;
    }
    if (!ENGINE_init(e)) {
        ENGINE_free(e);
        vb_error(d, VB_EXIT_KEY, "%s: the PKCS#11 module%s%s does not load", o->key, module ? " " : "", module ? module : "");
        goto out;
    }
    s->engine = e;
    s->key = ENGINE_load_private_key(e, o->key, NULL, NULL);
    if (!s->key) {
        char eb[256];
        vb_error(d, VB_EXIT_KEY, "%s: no such key on a token, or a wrong PIN (is the token plugged in?): %s",
                 o->key, ssl_err(eb, sizeof eb));
        goto out;
    }
    ok = true;
out:
    secret_free(pin);
    return ok;
}

static bool load_file_key(vb_signer *s, const vb_signer_opts *o, vb_diag *d)
{
    char *data = NULL, *pass = NULL;
    size_t len;
    bool ok = false;
    if (!vb_read_file(o->key, 1u << 20, &data, &len, d)) return false;
    if (!secret(o->pass_file, "VANBAN_KEY_PASS", &pass, d)) goto out;
    if (memmem(data, len, "-----BEGIN", 10)) {
        BIO *b = BIO_new_mem_buf(data, (int)len);
        s->key = PEM_read_bio_PrivateKey(b, NULL, pass_cb, pass);
        BIO_free(b);
        ERR_clear_error();
        if (!s->key) {
            bool enc = memmem(data, len, "ENCRYPTED", 9) != NULL;
            if (enc && !pass) vb_error(d, VB_EXIT_KEY, "%s: the key is encrypted: give its passphrase with --pass-file FILE or $VANBAN_KEY_PASS", o->key);
            else if (enc) vb_error(d, VB_EXIT_KEY, "%s: cannot decrypt the key: wrong passphrase", o->key);
            else vb_error(d, VB_EXIT_KEY, "%s: no private key in this PEM file", o->key);
            goto out;
        }
    } else {
        const unsigned char *p = (const unsigned char *)data;
        PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
        if (!p12) { ERR_clear_error(); vb_error(d, VB_EXIT_KEY, "%s: not a key file (PEM or PKCS#12)", o->key); goto out; }
        if (!PKCS12_verify_mac(p12, pass ? pass : "", -1) && !(pass == NULL && PKCS12_verify_mac(p12, NULL, 0))) {
            PKCS12_free(p12);
            ERR_clear_error();
            if (pass) vb_error(d, VB_EXIT_KEY, "%s: wrong passphrase for the PKCS#12 file", o->key);
            else vb_error(d, VB_EXIT_KEY, "%s: wrong passphrase for the PKCS#12 file (give it with --pass-file FILE "
                          "or $VANBAN_KEY_PASS)", o->key);
            goto out;
        }
        X509 *cert = NULL;
        STACK_OF(X509) *ca = NULL;
        int r = PKCS12_parse(p12, pass ? pass : "", &s->key, &cert, &ca);
        PKCS12_free(p12);
        if (!r || !s->key) {
            char eb[256];
            vb_error(d, VB_EXIT_KEY, "%s: cannot read the PKCS#12 file: %s", o->key, ssl_err(eb, sizeof eb));
            X509_free(cert);
            sk_X509_pop_free(ca, X509_free);
            goto out;
        }
        if (!s->cert) s->cert = cert; else X509_free(cert);
        for (int i = 0; ca && i < sk_X509_num(ca); i++) sk_X509_push(s->chain, X509_dup(sk_X509_value(ca, i)));
        sk_X509_pop_free(ca, X509_free);
    }
    ok = true;
out:
    secret_free(pass);
    if (data) { OPENSSL_cleanse(data, len); free(data); }
    return ok;
}

bool vb_signer_load(const vb_signer_opts *o, vb_signer **out, vb_diag *d)
{
    vb_signer *s = vb_xcalloc(1, sizeof *s);
    s->chain = sk_X509_new_null();
    s->pss = o->pss;
    *out = NULL;
    if (o->cert && !(s->cert = load_cert(o->cert, d))) goto fail;
    if (o->chain && !load_chain(o->chain, s->chain, d)) goto fail;
    if (!strncmp(o->key, "pkcs11:", 7)) {
        if (!s->cert) { vb_error(d, VB_EXIT_USAGE, "%s: a token key needs --cert (the signer's certificate file)", o->key); goto fail; }
        if (!load_token_key(s, o, d)) goto fail;
    } else if (!load_file_key(s, o, d)) goto fail;
    if (!s->cert) { vb_error(d, VB_EXIT_KEY, "%s: no certificate: give it with --cert", o->key); goto fail; }
    const char *cname = o->cert ? o->cert : o->key;
    if (EVP_PKEY_eq(X509_get0_pubkey(s->cert), s->key) != 1) {
        ERR_clear_error();
        vb_error(d, VB_EXIT_KEY, "%s: the key does not match the certificate %s", o->key, cname);
        goto fail;
    }
    int id = EVP_PKEY_get_base_id(s->key), bits = EVP_PKEY_get_bits(s->key);
    if (id == EVP_PKEY_RSA ? bits < 2048 : id == EVP_PKEY_EC ? bits < 256 : true) {
        vb_error(d, VB_EXIT_KEY, "%s: a %d-bit %s key; Circular 15/2025/TT-BKHCN asks for RSA of 2048 bits and up or ECDSA of 256 bits and up",
                 o->key, bits, id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : "non-RSA, non-EC");
        goto fail;
    }
    if (s->pss && id != EVP_PKEY_RSA) { vb_error(d, VB_EXIT_USAGE, "%s: --pss needs an RSA key", o->key); goto fail; }
    time_t now = (time_t)o->now;
    if (!o->allow_expired) {
        if (X509_cmp_time(X509_get0_notBefore(s->cert), &now) > 0) {
            vb_error(d, VB_EXIT_KEY, "%s: the certificate is not valid yet (refused before signing; --allow-expired for tests)", cname);
            goto fail;
        }
        if (X509_cmp_time(X509_get0_notAfter(s->cert), &now) < 0) {
            vb_error(d, VB_EXIT_KEY, "%s: the certificate has expired (refused before signing; --allow-expired for tests)", cname);
            goto fail;
        }
    }
    X509_NAME_get_text_by_NID(X509_get_subject_name(s->cert), NID_commonName, s->cn, sizeof s->cn);
    *out = s;
    return true;
fail:
    vb_signer_free(s);
    return false;
}

void vb_signer_free(vb_signer *s)
{
    if (!s) return;
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    if (s->engine) { ENGINE_finish(s->engine); ENGINE_free(s->engine); }
    img_free(&s->cache[0]);
    img_free(&s->cache[1]);
    free(s);
}

const char *vb_signer_name(const vb_signer *s) { return s->cn; }

/* ---- images ---- */


static bool png_load(const char *path, img *im, vb_diag *d)
{
    memset(im, 0, sizeof *im);
    char *data;
    size_t len;
    if (!vb_read_file(path, 64u << 20, &data, &len, d)) return false;
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    if (len < 8 || memcmp(data, sig, 8)) {
        free(data);
        vb_error(d, VB_EXIT_INPUT, "%s: not a PNG image (the rules ask for PNG with a transparent background)", path);
        return false;
    }
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    bool ok = false;
    unsigned char *rgba = NULL;
    if (!png_image_begin_read_from_memory(&pi, data, len)) goto bad;
    if (pi.width == 0 || pi.height == 0 || pi.width > 8000 || pi.height > 8000) goto bad;
    pi.format = PNG_FORMAT_RGBA;
    rgba = vb_xmalloc(PNG_IMAGE_SIZE(pi));
    if (!png_image_finish_read(&pi, NULL, rgba, 0, NULL)) goto bad;
    im->w = pi.width;
    im->h = pi.height;
    size_t n = (size_t)im->w * im->h;
    im->rgb = vb_xmalloc(3 * n);
    im->alpha = vb_xmalloc(n);
    for (size_t i = 0; i < n; i++) {
        memcpy(im->rgb + 3 * i, rgba + 4 * i, 3);
        im->alpha[i] = rgba[4 * i + 3];
        if (im->alpha[i] != 255) im->has_alpha = true;
    }
    ok = true;
    goto out;
bad:
    vb_error(d, VB_EXIT_INPUT, "%s: the PNG image cannot be read (%s)", path, pi.message[0] ? pi.message : "damaged or too large");
out:
    png_image_free(&pi);
    free(rgba);
    free(data);
    return ok;
}

static void img_free(img *im)
{
    free(im->rgb); free(im->alpha); free(im->path); free(im->zrgb); free(im->zalpha);
    memset(im, 0, sizeof *im);
}

static unsigned char *deflate_all(const unsigned char *p, size_t n, size_t *out)
{
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    if (!z) vb_oom();
    size_t cap = libdeflate_zlib_compress_bound(z, n);
    unsigned char *b = vb_xmalloc(cap);
    *out = libdeflate_zlib_compress(z, p, n, b, cap);
    libdeflate_free_compressor(z);
    return b;
}

/* The image at path, decoded and deflated, from the signer's cache slot. */
static const img *cached_image(vb_signer *s, int slot, const char *path, vb_diag *d)
{
    img *c = &s->cache[slot];
    if (c->path && !strcmp(c->path, path)) return c;
    img_free(c);
    if (!png_load(path, c, d)) return NULL;
    c->path = vb_xstrdup(path);
    c->zrgb = deflate_all(c->rgb, (size_t)c->w * c->h * 3, &c->lrgb);
    if (c->has_alpha) c->zalpha = deflate_all(c->alpha, (size_t)c->w * c->h, &c->lalpha);
    free(c->rgb); free(c->alpha);
    c->rgb = c->alpha = NULL;
    return c;
}

bool vb_sign_check_image(const char *path, vb_diag *d)
{
    img im;
    if (!png_load(path, &im, d)) return false;
    img_free(&im);
    return true;
}

/* ---- the update ---- */

typedef struct upd {
    vb_buf *out;
    uint32_t next;                     /* the next free object number */
    uint32_t *num; size_t *off; size_t n, cap;
    struct libdeflate_compressor *z;
} upd;

static uint32_t upd_new(upd *u) { return u->next++; }

static vb_buf *upd_begin(upd *u, uint32_t num)
{
    if (u->n == u->cap) {
        u->cap = u->cap ? 2 * u->cap : 16;
        u->num = vb_xrealloc(u->num, u->cap * sizeof *u->num);
        u->off = vb_xrealloc(u->off, u->cap * sizeof *u->off);
    }
    u->num[u->n] = num;
    u->off[u->n++] = u->out->len;
    vb_buf_printf(u->out, "%u 0 obj\n", (unsigned)num);
    return u->out;
}

static void upd_end(upd *u) { vb_buf_puts(u->out, "\nendobj\n"); }

static void upd_stream(upd *u, uint32_t num, const char *entries, const void *data, size_t len, bool deflate)
{
    vb_buf *b = upd_begin(u, num);
    if (deflate) {
        if (!u->z && !(u->z = libdeflate_alloc_compressor(6))) vb_oom();
        size_t cap = libdeflate_zlib_compress_bound(u->z, len);
        unsigned char *z = vb_xmalloc(cap);
        size_t zl = libdeflate_zlib_compress(u->z, data, len, z, cap);
        vb_buf_printf(b, "<< %s /Filter /FlateDecode /Length %zu >>\nstream\n", entries ? entries : "", zl);
        vb_buf_add(b, z, zl);
        free(z);
    } else {
        vb_buf_printf(b, "<< %s /Length %zu >>\nstream\n", entries ? entries : "", len);
        vb_buf_add(b, data, len);
    }
    vb_buf_puts(b, "\nendstream");
    upd_end(u);
}

/* a stream whose data is deflated already */
static void upd_zstream(upd *u, uint32_t num, const char *entries, const unsigned char *z, size_t zl)
{
    vb_buf *b = upd_begin(u, num);
    vb_buf_printf(b, "<< %s /Filter /FlateDecode /Length %zu >>\nstream\n", entries, zl);
    vb_buf_add(b, z, zl);
    vb_buf_puts(b, "\nendstream");
    upd_end(u);
}

/* an image XObject with its soft mask: the object number of the image */
static uint32_t put_image(upd *u, const img *im)
{
    uint32_t smask = 0, num;
    char e[200];
    if (im->has_alpha) {
        smask = upd_new(u);
        snprintf(e, sizeof e, "/Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceGray /BitsPerComponent 8",
                 (unsigned)im->w, (unsigned)im->h);
        upd_zstream(u, smask, e, im->zalpha, im->lalpha);
    }
    num = upd_new(u);
    int n = snprintf(e, sizeof e, "/Type /XObject /Subtype /Image /Width %u /Height %u /ColorSpace /DeviceRGB /BitsPerComponent 8",
                     (unsigned)im->w, (unsigned)im->h);
    if (smask) snprintf(e + n, sizeof e - (size_t)n, " /SMask %u 0 R", (unsigned)smask);
    upd_zstream(u, num, e, im->zrgb, im->lrgb);
    return num;
}

/* A dictionary with one entry replaced or added (the others as they were). */
static vb_pv *dict_with(vb_arena *a, const vb_pv *dict, const char *key, vb_pv *val)
{
    vb_pv *n = vb_alloc(a, sizeof *n);
    n->kind = VB_PV_DICT;
    size_t cnt = dict && dict->kind == VB_PV_DICT ? dict->len : 0;
    n->items = vb_alloc(a, (cnt + 1) * sizeof *n->items);
    n->keys = vb_alloc(a, (cnt + 1) * sizeof *n->keys);
    bool found = false;
    for (size_t i = 0; i < cnt; i++) {
        n->keys[n->len] = dict->keys[i];
        n->items[n->len++] = strcmp(dict->keys[i], key) ? dict->items[i] : (found = true, val);
    }
    if (!found) { n->keys[n->len] = key; n->items[n->len++] = val; }
    return n;
}

static vb_pv *pv_ref(vb_arena *a, uint32_t num)
{
    vb_pv *v = vb_alloc(a, sizeof *v);
    v->kind = VB_PV_REF;
    v->ref_num = num;
    return v;
}

static vb_pv *pv_int(vb_arena *a, long n)
{
    vb_pv *v = vb_alloc(a, sizeof *v);
    v->kind = VB_PV_NUM;
    v->num = (double)n;
    v->raw = vb_sprintf(a, "%ld", n);
    return v;
}

/* an array of `old` (resolved, may be NULL) with `add` appended */
static vb_pv *array_plus(vb_arena *a, const vb_pv *old, vb_pv *add)
{
    vb_pv *n = vb_alloc(a, sizeof *n);
    n->kind = VB_PV_ARRAY;
    size_t cnt = old && old->kind == VB_PV_ARRAY ? old->len : 0;
    n->items = vb_alloc(a, (cnt + 1) * sizeof *n->items);
    for (size_t i = 0; i < cnt; i++) n->items[n->len++] = old->items[i];
    n->items[n->len++] = add;
    return n;
}

static bool num_of(const vb_pv *v, double *out)
{
    if (!v || v->kind != VB_PV_NUM) return false;
    *out = v->num;
    return true;
}

/* the page's MediaBox, inherited through /Parent */
static bool media_box(vb_pdfr *r, const vb_pv *page, double box[4], vb_diag *d)
{
    for (int depth = 0; page && depth < VB_PDFR_DEPTH; depth++) {
        const vb_pv *mb = vb_pdfr_resolve(r, vb_pv_get(page, "MediaBox"), d);
        if (mb && mb->kind == VB_PV_ARRAY && mb->len == 4) {
            for (int k = 0; k < 4; k++) {
                const vb_pv *x = vb_pdfr_resolve(r, mb->items[k], d);
                if (!num_of(x, &box[k])) return false;
            }
            return box[2] > box[0] && box[3] > box[1];
        }
        page = vb_pdfr_resolve(r, vb_pv_get(page, "Parent"), d);
    }
    return false;
}

/* PDF text string of UTF-8 (UTF-16BE with BOM, hex) */
static void put_text(vb_buf *b, const char *s) { vb_pdf_text(b, s); }

/* ISO 8601 in Vietnam's time (+07:00), as the rules ask for the copy line */
static void iso_vn(char *buf, size_t n, int64_t t)
{
    time_t tt = (time_t)(t + 7 * 3600);
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
}

/* ---- a small font for the information lines of annexes and copies ---- */

typedef struct tfont { uint32_t *cps; uint16_t *gids; size_t n; } tfont;

static bool text_font(upd *u, const vb_fonts *f, const char **lines, int nl, uint32_t *font_num, tfont *tf, vb_diag *d)
{
    memset(tf, 0, sizeof *tf);
    size_t cap = 0;
    for (int i = 0; i < nl; i++) cap += strlen(lines[i]);
    tf->cps = vb_xmalloc((cap + 1) * sizeof *tf->cps);
    for (int i = 0; i < nl; i++)
        for (const char *p = lines[i]; *p;) {
            int32_t cp;
            p += vb_utf8_next(p, &cp);
            size_t k;
            for (k = 0; k < tf->n && tf->cps[k] != (uint32_t)cp; k++) ;
            if (k == tf->n) tf->cps[tf->n++] = (uint32_t)cp;
        }
    tf->gids = vb_xmalloc((tf->n + 1) * sizeof *tf->gids);
    vb_buf ttf = { 0 }, b = { 0 };
    if (!vb_font_subset(f, VB_FACE_REGULAR, tf->cps, tf->n, &ttf, tf->gids, d)) { vb_buf_free(&ttf); return false; }
    vb_font_desc fd;
    vb_font_describe(f, VB_FACE_REGULAR, &fd);
    /* the name's tag from the glyphs, so the same text gives the same bytes */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < tf->n; i++) { h ^= tf->cps[i]; h *= 1099511628211ULL; }
    char name[160], tag[7];
    for (int i = 0; i < 6; i++) { tag[i] = (char)('A' + h % 26); h /= 26; }
    tag[6] = 0;
    snprintf(name, sizeof name, "%s+%.100s", tag, vb_fonts_psname(f, VB_FACE_REGULAR));
    for (char *c = name; *c; c++)
        if (*c <= ' ' || *c >= 0x7F || strchr("()<>[]{}/%#", *c)) *c = '-';
    uint32_t file = upd_new(u);
    char e[64];
    snprintf(e, sizeof e, "/Length1 %zu", ttf.len);
    upd_stream(u, file, e, ttf.data, ttf.len, true);
    vb_buf_free(&ttf);
    uint32_t desc = upd_new(u);
    vb_buf *o = upd_begin(u, desc);
    /* 1/1000 em, rounded as pdf.c rounds: /W then differs from the program's
     * advance by at most 0.5 (PDF/A-2 6.2.11.5), truncation gave up to 1 */
#define EM(x) ((long)(((int64_t)(x) * 1000 + ((int64_t)(x) >= 0 ? fd.upem / 2 : -(fd.upem / 2))) / fd.upem))
    vb_buf_printf(o, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%ld %ld %ld %ld] /ItalicAngle 0 "
                  "/Ascent %ld /Descent %ld /CapHeight %ld /StemV 80 /FontFile2 %u 0 R >>", name, 4 | (fd.serif ? 2 : 0),
                  EM(fd.bbox[0]), EM(fd.bbox[1]), EM(fd.bbox[2]), EM(fd.bbox[3]), EM(fd.ascent), EM(fd.descent),
                  EM(fd.cap_height), (unsigned)file);
    upd_end(u);
    uint32_t cid = upd_new(u);
    o = upd_begin(u, cid);
    /* CIDs are the subset's glyph ids: /CIDToGIDMap /Identity */
    vb_buf_printf(o, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
                  "/Ordering (Identity) /Supplement 0 >> /FontDescriptor %u 0 R /CIDToGIDMap /Identity /W [",
                  name, (unsigned)desc);
    for (size_t i = 0; i < tf->n; i++) {
        int32_t adv = vb_font_advance(f, VB_FACE_REGULAR, tf->cps[i]);
        vb_buf_printf(o, "%u [%ld] ", (unsigned)tf->gids[i], EM(adv < 0 ? 0 : adv));
    }
#undef EM
    vb_buf_puts(o, "] >>");
    upd_end(u);
    vb_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (size_t i = 0; i < tf->n; i += 100) {
        size_t m = tf->n - i < 100 ? tf->n - i : 100;
        vb_buf_printf(&b, "%zu beginbfchar\n", m);
        for (size_t k = i; k < i + m; k++) {
            uint32_t cp = tf->cps[k];
            if (cp >= 0x10000) {
                uint32_t v = cp - 0x10000;
                vb_buf_printf(&b, "<%04X> <%04X%04X>\n", tf->gids[k], (unsigned)(0xD800 + (v >> 10)), (unsigned)(0xDC00 + (v & 0x3FF)));
            } else vb_buf_printf(&b, "<%04X> <%04X>\n", tf->gids[k], (unsigned)cp);
        }
        vb_buf_puts(&b, "endbfchar\n");
    }
    vb_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    uint32_t tu = upd_new(u);
    upd_stream(u, tu, NULL, b.data, b.len, true);
    vb_buf_free(&b);
    *font_num = upd_new(u);
    o = upd_begin(u, *font_num);
    vb_buf_printf(o, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%u 0 R] "
                  "/ToUnicode %u 0 R >>", name, (unsigned)cid, (unsigned)tu);
    upd_end(u);
    return true;
}

static void tfont_free(tfont *t) { free(t->cps); free(t->gids); }

static void put_glyphs(vb_buf *b, const tfont *tf, const char *s)
{
    vb_buf_putc(b, '<');
    for (const char *p = s; *p;) {
        int32_t cp;
        p += vb_utf8_next(p, &cp);
        for (size_t k = 0; k < tf->n; k++)
            if (tf->cps[k] == (uint32_t)cp) { vb_buf_printf(b, "%04X", tf->gids[k]); break; }
    }
    vb_buf_putc(b, '>');
}

/* ---- CMS ---- */

static bool pss_alg(CMS_SignerInfo *si)
{
    /* RSASSA-PSS-params: SHA-256, MGF1 with SHA-256, salt 32 (RFC 4055) */
    RSA_PSS_PARAMS *pp = RSA_PSS_PARAMS_new();
    X509_ALGOR *mgfhash = X509_ALGOR_new();
    bool ok = false;
    ASN1_STRING *mgfstr = NULL, *pstr = NULL;
    if (!pp || !mgfhash) goto out;
    pp->hashAlgorithm = X509_ALGOR_new();
    X509_ALGOR_set_md(pp->hashAlgorithm, EVP_sha256());
    X509_ALGOR_set_md(mgfhash, EVP_sha256());
    if (!(mgfstr = ASN1_item_pack(mgfhash, ASN1_ITEM_rptr(X509_ALGOR), NULL))) goto out;
    pp->maskGenAlgorithm = X509_ALGOR_new();
    X509_ALGOR_set0(pp->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1), V_ASN1_SEQUENCE, mgfstr);
    mgfstr = NULL;
    pp->saltLength = ASN1_INTEGER_new();
    ASN1_INTEGER_set(pp->saltLength, 32);
    if (!(pstr = ASN1_item_pack(pp, ASN1_ITEM_rptr(RSA_PSS_PARAMS), NULL))) goto out;
    X509_ALGOR *psig;
    CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &psig);
    X509_ALGOR_set0(psig, OBJ_nid2obj(NID_rsassaPss), V_ASN1_SEQUENCE, pstr);
    pstr = NULL;
    ok = true;
out:
    RSA_PSS_PARAMS_free(pp);
    X509_ALGOR_free(mgfhash);
    ASN1_STRING_free(mgfstr);
    ASN1_STRING_free(pstr);
    return ok;
}

/* RFC 3161: a time-stamp token over the signature value, from url */
static bool timestamp(const char *url, int timeout, const unsigned char *sig, size_t siglen,
                      unsigned char **tok, int *toklen, vb_diag *d)
{
    unsigned char h[32];
    SHA256(sig, siglen, h);
    TS_REQ *req = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    ASN1_INTEGER *nonce = ASN1_INTEGER_new();
    BIO *rb = NULL, *resp = NULL;
    TS_RESP *tr = NULL;
    bool ok = false;
    unsigned char nb[8];
    char eb[256];
    X509_ALGOR_set_md(alg, EVP_sha256());
    TS_MSG_IMPRINT_set_algo(mi, alg);
    TS_MSG_IMPRINT_set_msg(mi, h, 32);
    TS_REQ_set_version(req, 1);
    TS_REQ_set_msg_imprint(req, mi);
    TS_REQ_set_cert_req(req, 1);
    if (RAND_bytes(nb, 8) != 1) goto out;
    nb[0] &= 0x7F;
    BIGNUM *bn = BN_bin2bn(nb, 8, NULL);
    BN_to_ASN1_INTEGER(bn, nonce);
    BN_free(bn);
    TS_REQ_set_nonce(req, nonce);
    rb = BIO_new(BIO_s_mem());
    i2d_TS_REQ_bio(rb, req);
    char *host = NULL, *port = NULL, *path = NULL;
    int ssl = 0;
    if (!OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || ssl) {
        vb_error(d, VB_EXIT_USAGE, "%s: not a plain http:// address of a time-stamping authority", url);
        OPENSSL_free(host); OPENSSL_free(port); OPENSSL_free(path);
        goto out;
    }
    resp = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL,
                              "application/timestamp-query", rb, "application/timestamp-reply", 1 /* read the whole DER */, 1u << 20, timeout, 0);
    OPENSSL_free(host); OPENSSL_free(port); OPENSSL_free(path);
    if (!resp) {
        vb_error(d, VB_EXIT_TSA, "%s: the time-stamping authority did not answer within %d s (%s)", url, timeout, ssl_err(eb, sizeof eb));
        goto out;
    }
    tr = d2i_TS_RESP_bio(resp, NULL);
    if (!tr) {
        vb_error(d, VB_EXIT_TSA, "%s: the answer is not an RFC 3161 time-stamp response: %s", url, ssl_err(eb, sizeof eb));
        goto out;
    }
    long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(tr)));
    if (status > 1 || !TS_RESP_get_token(tr)) {
        vb_error(d, VB_EXIT_TSA, "%s: the time-stamping authority refused (status %ld) or sent no token", url, status);
        goto out;
    }
    /* the token must be over what we sent */
    TS_TST_INFO *ti = TS_RESP_get_tst_info(tr);
    const ASN1_OCTET_STRING *got = ti ? TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(ti)) : NULL;
    if (!got || ASN1_STRING_length(got) != 32 || memcmp(ASN1_STRING_get0_data(got), h, 32) ||
        ASN1_INTEGER_cmp(TS_TST_INFO_get_nonce(ti), nonce)) {
        vb_error(d, VB_EXIT_TSA, "%s: the time-stamp token is not for this signature", url);
        goto out;
    }
    *tok = NULL;
    *toklen = i2d_PKCS7(TS_RESP_get_token(tr), tok);
    ok = *toklen > 0;
out:
    TS_RESP_free(tr);
    BIO_free(resp);
    BIO_free(rb);
    TS_REQ_free(req);
    TS_MSG_IMPRINT_free(mi);
    X509_ALGOR_free(alg);
    ASN1_INTEGER_free(nonce);
    ERR_clear_error();
    return ok;
}

/* The CMS SignedData over digest (SHA-256 of the byte range), DER. */
static bool make_cms(const vb_signer *s, const unsigned char digest[32], const vb_sign_opts *o,
                     unsigned char **der, int *derlen, vb_diag *d)
{
    char eb[256];
    bool ok = false;
    unsigned char *abuf = NULL, *sig = NULL, *tok = NULL;
    VB_ATTRS *attrs = NULL;
    EVP_MD_CTX *mc = NULL;
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
    if (!cms) goto ssl;
    /* CMS_CADES: the signing-certificate-v2 attribute */
    CMS_SignerInfo *si = CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
                                         CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | CMS_CADES);
    if (!si) goto ssl;
    for (int i = 0; i < sk_X509_num(s->chain); i++)
        if (!CMS_add1_cert(cms, sk_X509_value(s->chain, i))) ERR_clear_error();   /* a duplicate */
    if (CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) < 0 &&
        !CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1))
        goto ssl;
    if (!CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest, 32)) goto ssl;
    if (s->pss && !pss_alg(si)) goto ssl;
    /* sign the DER of the attributes ourselves: OpenSSL's CMS_SignerInfo_sign
     * would add a signing-time attribute, which PAdES baseline forbids */
    attrs = sk_X509_ATTRIBUTE_new_null();
    for (int i = 0; i < CMS_signed_get_attr_count(si); i++) sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i));
    int alen = ASN1_item_i2d((ASN1_VALUE *)attrs, &abuf, ASN1_ITEM_rptr(VB_ATTRS));
    if (alen <= 0) goto ssl;
    mc = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    if (EVP_DigestSignInit(mc, &pc, EVP_sha256(), NULL, s->key) <= 0) goto ssl;
    if (s->pss && (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) <= 0 ||
                   EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 32) <= 0 || EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha256()) <= 0))
        goto ssl;
    size_t siglen = 0;
    if (EVP_DigestSign(mc, NULL, &siglen, abuf, (size_t)alen) <= 0) goto ssl;
    sig = OPENSSL_malloc(siglen);
    if (EVP_DigestSign(mc, sig, &siglen, abuf, (size_t)alen) <= 0) goto ssl;
    ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)siglen);
    if (o->tsa_url) {
        int toklen;
        if (!timestamp(o->tsa_url, o->tsa_timeout, sig, siglen, &tok, &toklen, d)) goto out;
        if (!CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, tok, toklen)) goto ssl;
    }
    *der = NULL;
    *derlen = i2d_CMS_ContentInfo(cms, der);
    if (*derlen <= 0) goto ssl;
    ok = true;
    goto out;
ssl:
    vb_error(d, VB_EXIT_KEY, "signing failed: %s", ssl_err(eb, sizeof eb));
out:
    sk_X509_ATTRIBUTE_free(attrs);
    OPENSSL_free(abuf);
    OPENSSL_free(sig);
    OPENSSL_free(tok);
    EVP_MD_CTX_free(mc);
    CMS_ContentInfo_free(cms);
    return ok;
}

/* ---- where the appearance goes ---- */

/* the existing person signature's widget on page pn: its /Rect */
static bool person_rect(vb_pdfr *r, const vb_pv *page, double rect[4], vb_diag *d)
{
    const vb_pv *annots = vb_pdfr_resolve(r, vb_pv_get(page, "Annots"), d);
    for (size_t i = 0; annots && annots->kind == VB_PV_ARRAY && i < annots->len; i++) {
        const vb_pv *w = vb_pdfr_resolve(r, annots->items[i], d);
        const vb_pv *t = vb_pv_get(w, "T"), *re = vb_pv_get(w, "Rect");
        if (!t || t->kind != VB_PV_STR || t->len < 6 || memcmp(t->s, "person", 6) || !re || re->kind != VB_PV_ARRAY || re->len != 4)
            continue;
        bool ok = true;
        for (int k = 0; k < 4; k++) ok = ok && num_of(re->items[k], &rect[k]);
        if (ok && rect[2] > rect[0]) return true;
    }
    return false;
}

/* how many signature fields the form has (to name the new one) */
static int count_fields(vb_pdfr *r, const vb_pv *acro, vb_diag *d)
{
    const vb_pv *f = vb_pdfr_resolve(r, vb_pv_get(acro, "Fields"), d);
    return f && f->kind == VB_PV_ARRAY ? (int)f->len : 0;
}

bool vb_sign_pdf(const vb_signer *s, const vb_sign_opts *o, const char *name,
                 const unsigned char *in, size_t len, vb_buf *out, vb_diag *d)
{
    vb_pdfr *r = NULL;
    vb_arena *a = vb_arena_new();
    upd u = { .out = out };
    img none = { 0 };
    const img *sigp = &none, *sealp = &none;
    tfont tf = { 0 };
    vb_signer *sm = (vb_signer *)s;    /* its image cache only */
    vb_buf ap = { 0 }, tmp = { 0 };
    unsigned char *der = NULL;
    bool ok = false;
    out->len = 0;
    if (!vb_pdfr_open(name, in, len, &r, d)) goto done;
    const vb_pv *trailer = vb_pdfr_trailer(r);
    const vb_pv *root = vb_pv_get(trailer, "Root");
    const vb_pv *cat = vb_pdfr_resolve(r, root, d);
    if (!root || root->kind != VB_PV_REF || !cat || cat->kind != VB_PV_DICT) {
        vb_error(d, VB_EXIT_INPUT, "%s: no document catalog (/Root)", name);
        goto done;
    }
    bool text_kind = o->as == VB_SIGN_ANNEX || o->as == VB_SIGN_COPY;
    int pageix = text_kind ? 0 : o->have_box ? o->box.page : 0;
    uint32_t pagenum;
    const vb_pv *page;
    int npages;
    if (!vb_pdfr_page(r, pageix, &pagenum, &page, &npages, d)) goto done;
    double mb[4];
    if (!media_box(r, page, mb, d)) { vb_error(d, VB_EXIT_INPUT, "%s: page %d has no valid /MediaBox", name, pageix + 1); goto done; }
    double pw = mb[2] - mb[0], ph = mb[3] - mb[1];
    if (o->as == VB_SIGN_PERSON && o->signature_image && !(sigp = cached_image(sm, 0, o->signature_image, d))) goto done;
    if (o->as == VB_SIGN_ORGANISATION && o->seal_image && !(sealp = cached_image(sm, 1, o->seal_image, d))) goto done;
    const img sigimg = *sigp, sealimg = *sealp;
    const vb_pv *acro_ref = vb_pv_get(cat, "AcroForm");
    const vb_pv *acro = vb_pdfr_resolve(r, acro_ref, d);
    int nfields = count_fields(r, acro, d);

    /* the whole original file, then a line break if it lacks one */
    vb_buf_add(out, in, len);
    if (len && in[len - 1] != '\n' && in[len - 1] != '\r') vb_buf_putc(out, '\n');
    u.next = vb_pdfr_size(r);

    /* ---- the appearance: rect in PDF user space, ap its content ---- */
    double rect[4] = { 0, 0, 0, 0 }, base0 = 0;
    uint32_t apnum = 0, im1 = 0, font = 0;
    const char *lines[3];
    int nl = 0;
    char when[40];
    iso_vn(when, sizeof when, o->time);
    if (o->as == VB_SIGN_PERSON && sigimg.w) {
        double bx, by, bw, bh;     /* the space, PDF units, bottom-left */
        if (o->at_point) {
            bw = 42.0 * 72 / 25.4; bh = bw * sigimg.h / sigimg.w;
            bx = mb[0] + o->box.x / 1000.0 - bw / 2; by = mb[3] - o->box.y / 1000.0 - bh / 2;
        } else if (o->have_box) {
            bx = mb[0] + o->box.x / 1000.0; bw = o->box.w / 1000.0; bh = o->box.h / 1000.0;
            by = mb[3] - (o->box.y + o->box.h) / 1000.0;
        } else { vb_error(d, VB_EXIT_USAGE, "%s: where the signature goes is not known: give --at PAGE,X,Y (or render with --sidecar)", name); goto done; }
        /* scaled into the space, aspect kept, centred */
        double sc = bw / sigimg.w < bh / sigimg.h ? bw / sigimg.w : bh / sigimg.h;
        double iw = sigimg.w * sc, ih = sigimg.h * sc;
        rect[0] = bx + (bw - iw) / 2; rect[1] = by + (bh - ih) / 2; rect[2] = rect[0] + iw; rect[3] = rect[1] + ih;
    } else if (o->as == VB_SIGN_ORGANISATION && sealimg.w) {
        double sig[4], size = o->seal_size / 1000.0;
        if (person_rect(r, page, sig, d)) ;
        else if (o->have_box && !o->at_point) {
            sig[0] = mb[0] + o->box.x / 1000.0; sig[2] = sig[0] + o->box.w / 1000.0;
            sig[1] = mb[3] - (o->box.y + o->box.h) / 1000.0; sig[3] = sig[1] + o->box.h / 1000.0;
            /* no signature image yet: take one as wide as high as the space, centred */
            double c = (sig[0] + sig[2]) / 2, hw = (sig[3] - sig[1]);
            sig[0] = c - hw; sig[2] = c + hw;
        } else if (o->at_point) {
            sig[0] = sig[2] = mb[0] + o->box.x / 1000.0 + size / 2;   /* --at: the seal's centre */
            sig[1] = sig[3] = mb[3] - o->box.y / 1000.0;
        } else { vb_error(d, VB_EXIT_USAGE, "%s: where the seal goes is not known: give --at PAGE,X,Y (or render with --sidecar)", name); goto done; }
        /* the seal over the left third of the signature: its right edge a third
         * of the way in, centred on the signature's height */
        double sw = size, sh = size * sealimg.h / sealimg.w;
        if (sh > size) { sh = size; sw = size * sealimg.w / sealimg.h; }
        double right = sig[0] + (sig[2] - sig[0]) / 3, cy = (sig[1] + sig[3]) / 2;
        rect[0] = right - sw; rect[2] = right; rect[1] = cy - sh / 2; rect[3] = cy + sh / 2;
    } else if (text_kind) {
        if (o->as == VB_SIGN_ANNEX) {
            if (!o->number) { vb_error(d, VB_EXIT_USAGE, "%s: --as annex needs the document's number and symbol (--number, or the sidecar)", name); goto done; }
            lines[nl++] = o->number;
        } else {
            if (!o->copy_form || !o->organisation) { vb_error(d, VB_EXIT_USAGE, "%s: --as copy needs --copy-form and --organisation", name); goto done; }
            /* the rules print the information "in lower case" (Appendix I):
             * the form's name as a sentence, "Sao y", not the paper stamp's
             * capitals */
            lines[nl++] = !strcmp(o->copy_form, "SAO Y") ? "Sao y" : !strcmp(o->copy_form, "SAO LỤC") ? "Sao lục"
                          : !strcmp(o->copy_form, "TRÍCH SAO") ? "Trích sao" : o->copy_form;
            lines[nl++] = o->organisation;
        }
        lines[nl++] = when;
        if (!o->fonts) { vb_error(d, VB_EXIT_SYSTEM, "%s: no font for the information line", name); goto done; }
        double wmax = 0;
        for (int i = 0; i < nl; i++) {
            int32_t w, miss;
            if (!vb_font_measure(o->fonts, VB_FACE_REGULAR, 10 * VB_PT, lines[i], strlen(lines[i]), &w, &miss)) {
                vb_error(d, VB_EXIT_INPUT, "%s: U+%04X is not in the font %s", lines[i], (unsigned)miss, vb_fonts_file(o->fonts, VB_FACE_REGULAR));
                goto done;
            }
            if (w / 1000.0 > wmax) wmax = w / 1000.0;
        }
        /* top right corner of page 1 (ô 14), above the text area (whose top
         * margin is 20 mm and more): 15 mm from the right edge, the first
         * baseline 7 mm from the top, 12 pt apart */
        double right = mb[2] - 15 * 72 / 25.4;
        base0 = mb[3] - 7 * 72 / 25.4;
        rect[0] = right - wmax - 2; rect[2] = right + 2; rect[3] = base0 + 9; rect[1] = base0 - 12.0 * (nl - 1) - 4;
    }
    double rw = rect[2] - rect[0], rh = rect[3] - rect[1];
    if (rw > 0 && rh > 0) {
        vb_buf_puts(&tmp, "");
        if (sigimg.w || sealimg.w) {
            im1 = put_image(&u, sigimg.w ? &sigimg : &sealimg);
            vb_buf_printf(&ap, "q %.3f 0 0 %.3f 0 0 cm /Im1 Do Q\n", rw, rh);
        } else {
            if (!text_font(&u, o->fonts, lines, nl, &font, &tf, d)) goto done;
            vb_buf_puts(&ap, "0 g BT /F1 10 Tf\n");
            for (int i = 0; i < nl; i++) {
                int32_t w, miss;
                vb_font_measure(o->fonts, VB_FACE_REGULAR, 10 * VB_PT, lines[i], strlen(lines[i]), &w, &miss);
                vb_buf_printf(&ap, "1 0 0 1 %.3f %.3f Tm ", rw - 2 - w / 1000.0, base0 - 12.0 * i - rect[1]);
                put_glyphs(&ap, &tf, lines[i]);
                vb_buf_puts(&ap, " Tj\n");
            }
            vb_buf_puts(&ap, "ET\n");
        }
        apnum = upd_new(&u);
        char e[300];
        if (im1) snprintf(e, sizeof e, "/Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << /XObject << /Im1 %u 0 R >> >>", rw, rh, (unsigned)im1);
        else snprintf(e, sizeof e, "/Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << /Font << /F1 %u 0 R >> >>", rw, rh, (unsigned)font);
        upd_stream(&u, apnum, e, ap.data, ap.len, true);
    }

    /* ---- the signature value, with room for the CMS ---- */
    size_t room = 3000 + (size_t)EVP_PKEY_get_size(s->key) * 2 + (size_t)i2d_X509(s->cert, NULL);
    for (int i = 0; i < sk_X509_num(s->chain); i++) room += (size_t)i2d_X509(sk_X509_value(s->chain, i), NULL);
    if (o->tsa_url) room += 12000;
    uint32_t signum = upd_new(&u);
    vb_buf *b = upd_begin(&u, signum);
    vb_buf_puts(b, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [");
    size_t br_at = b->len;
    vb_buf_printf(b, "%-40s", "0 0 0 0");
    vb_buf_puts(b, "] /Contents <");
    size_t c_start = b->len - 1;
    for (size_t i = 0; i < room; i++) vb_buf_puts(b, "00");
    vb_buf_puts(b, ">");
    size_t c_end = b->len;
    vb_buf_puts(b, " /M ");
    vb_pdf_date(b, o->time);
    if (o->reason) { vb_buf_puts(b, " /Reason "); put_text(b, o->reason); }
    if (o->location) { vb_buf_puts(b, " /Location "); put_text(b, o->location); }
    if (s->cn[0]) { vb_buf_puts(b, " /Name "); put_text(b, s->cn); }
    vb_buf_puts(b, " >>");
    upd_end(&u);

    /* ---- the field and its widget, one object ---- */
    static const char *const kind_name[] = { "person", "organisation", "annex", "copy" };
    uint32_t wnum = upd_new(&u);
    b = upd_begin(&u, wnum);
    vb_buf_printf(b, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s %d) /V %u 0 R /F 132 /P %u 0 R /Rect [%.3f %.3f %.3f %.3f]",
                  kind_name[o->as], nfields + 1, (unsigned)signum, (unsigned)pagenum, rect[0], rect[1], rect[2], rect[3]);
    if (apnum) vb_buf_printf(b, " /AP << /N %u 0 R >>", (unsigned)apnum);
    vb_buf_puts(b, " >>");
    upd_end(&u);
    (void)pw; (void)ph;

    /* ---- the page with the widget among its annotations ---- */
    const vb_pv *annots_v = vb_pv_get(page, "Annots");
    if (annots_v && annots_v->kind == VB_PV_REF) {
        /* an indirect array: rewrite the array, not the page */
        const vb_pv *arr = vb_pdfr_resolve(r, annots_v, d);
        b = upd_begin(&u, annots_v->ref_num);
        vb_pv_write(b, array_plus(a, arr, pv_ref(a, wnum)));
        upd_end(&u);
    } else {
        vb_pv *np = dict_with(a, page, "Annots", array_plus(a, annots_v, pv_ref(a, wnum)));
        b = upd_begin(&u, pagenum);
        vb_pv_write(b, np);
        upd_end(&u);
    }
    /* ---- the form: /Fields gets the field; SigFlags 3 (signatures, append only) ---- */
    {
        const vb_pv *fields = vb_pdfr_resolve(r, vb_pv_get(acro, "Fields"), d);
        vb_pv *na = dict_with(a, acro && acro->kind == VB_PV_DICT ? acro : NULL, "Fields", array_plus(a, fields, pv_ref(a, wnum)));
        na = dict_with(a, na, "SigFlags", pv_int(a, 3));
        uint32_t anum = acro_ref && acro_ref->kind == VB_PV_REF ? acro_ref->ref_num : upd_new(&u);
        b = upd_begin(&u, anum);
        vb_pv_write(b, na);
        upd_end(&u);
        if (!acro_ref || acro_ref->kind != VB_PV_REF) {
            b = upd_begin(&u, root->ref_num);
            vb_pv_write(b, dict_with(a, cat, "AcroForm", pv_ref(a, anum)));
            upd_end(&u);
        }
    }

    /* ---- cross-reference of the update, in the form the file uses ---- */
    const vb_pv *info = vb_pv_get(trailer, "Info"), *id = vb_pv_get(trailer, "ID");
    vb_buf tr = { 0 };
    vb_buf_printf(&tr, "/Size %u /Root %u 0 R", (unsigned)u.next + (vb_pdfr_xref_is_stream(r) ? 1 : 0), (unsigned)root->ref_num);
    if (info) { vb_buf_puts(&tr, " /Info "); vb_pv_write(&tr, info); }
    if (id) { vb_buf_puts(&tr, " /ID "); vb_pv_write(&tr, id); }
    vb_buf_printf(&tr, " /Prev %zu", vb_pdfr_startxref(r));
    /* sorted by number, one subsection each (they are few) */
    for (size_t i = 1; i < u.n; i++)
        for (size_t k = i; k > 0 && u.num[k - 1] > u.num[k]; k--) {
            uint32_t t = u.num[k]; u.num[k] = u.num[k - 1]; u.num[k - 1] = t;
            size_t to = u.off[k]; u.off[k] = u.off[k - 1]; u.off[k - 1] = to;
        }
    size_t xref_at = out->len;
    if (!vb_pdfr_xref_is_stream(r)) {
        vb_buf_puts(out, "xref\n");
        for (size_t i = 0; i < u.n; i++) vb_buf_printf(out, "%u 1\n%010zu 00000 n \n", (unsigned)u.num[i], u.off[i]);
        vb_buf_printf(out, "trailer\n<< %s >>\nstartxref\n%zu\n%%%%EOF\n", vb_buf_cstr(&tr), xref_at);
    } else {
        uint32_t xnum = u.next;
        vb_buf data = { 0 }, idx = { 0 };
        for (size_t i = 0; i <= u.n; i++) {
            uint32_t num = i < u.n ? u.num[i] : xnum;
            size_t off = i < u.n ? u.off[i] : xref_at;
            unsigned char e[7] = { 1, (unsigned char)(off >> 24), (unsigned char)(off >> 16), (unsigned char)(off >> 8), (unsigned char)off, 0, 0 };
            vb_buf_add(&data, e, 7);
            vb_buf_printf(&idx, "%s%u 1", i ? " " : "", (unsigned)num);
        }
        vb_buf_printf(out, "%u 0 obj\n<< /Type /XRef %s /W [1 4 2] /Index [%s] /Length %zu >>\nstream\n", (unsigned)xnum,
                      vb_buf_cstr(&tr), vb_buf_cstr(&idx), data.len);
        vb_buf_add(out, data.data, data.len);
        vb_buf_printf(out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_at);
        vb_buf_free(&data);
        vb_buf_free(&idx);
    }
    vb_buf_free(&tr);
    if (out->len > 0xFFFFFFFFu) { vb_error(d, VB_EXIT_INPUT, "%s: files of 4 GiB and more are not signed", name); goto done; }

    /* ---- the byte range, its digest, the CMS in the gap ---- */
    size_t br[4] = { 0, c_start, c_end, out->len - c_end };
    char brs[48];
    int n = snprintf(brs, sizeof brs, "0 %zu %zu %zu", br[1], br[2], br[3]);
    memcpy(out->data + br_at, brs, (size_t)n);
    unsigned char digest[32];
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    EVP_DigestInit_ex(mc, EVP_sha256(), NULL);
    EVP_DigestUpdate(mc, out->data, br[1]);
    EVP_DigestUpdate(mc, out->data + br[2], br[3]);
    EVP_DigestFinal_ex(mc, digest, NULL);
    EVP_MD_CTX_free(mc);
    int derlen;
    if (!make_cms(s, digest, o, &der, &derlen, d)) goto done;
    if ((size_t)derlen > room) {
        vb_error(d, VB_EXIT_SYSTEM, "%s: the signature (%d bytes) is larger than the room made for it (%zu)", name, derlen, room);
        goto done;
    }
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < derlen; i++) {
        out->data[c_start + 1 + 2 * i] = hex[der[i] >> 4];
        out->data[c_start + 2 + 2 * i] = hex[der[i] & 15];
    }
    ok = true;
done:
    if (!ok) out->len = 0;
    OPENSSL_free(der);
    tfont_free(&tf);
    vb_buf_free(&ap);
    vb_buf_free(&tmp);
    free(u.num);
    free(u.off);
    if (u.z) libdeflate_free_compressor(u.z);
    vb_pdfr_free(r);
    vb_arena_free(a);
    return ok;
}

/* ---- verification ---- */

typedef struct sigfield { const vb_pv *v; const char *name; } sigfield;

static void collect(vb_pdfr *r, const vb_pv *fields, sigfield *out, int *n, int max, int depth, vb_diag *d)
{
    for (size_t i = 0; fields && fields->kind == VB_PV_ARRAY && i < fields->len && *n < max; i++) {
        const vb_pv *f = vb_pdfr_resolve(r, fields->items[i], d);
        if (!f || f->kind != VB_PV_DICT) continue;
        const vb_pv *kids = vb_pdfr_resolve(r, vb_pv_get(f, "Kids"), d);
        const vb_pv *ft = vb_pv_get(f, "FT"), *v = vb_pdfr_resolve(r, vb_pv_get(f, "V"), d);
        if (ft && ft->kind == VB_PV_NAME && !strcmp(ft->s, "Sig") && v && v->kind == VB_PV_DICT) {
            const vb_pv *t = vb_pv_get(f, "T");
            out[*n].v = v;
            out[*n].name = t && t->kind == VB_PV_STR ? t->s : "";
            (*n)++;
        }
        if (kids && depth < 16) collect(r, kids, out, n, max, depth + 1, d);
    }
}

/* "D:20261201103000Z" → "2026-12-01 10:30:00 Z" (as written) */
static void pdf_time_text(const vb_pv *m, char *buf, size_t n)
{
    if (!m || m->kind != VB_PV_STR) { snprintf(buf, n, "(none)"); return; }
    const char *s = m->s;
    if (!strncmp(s, "D:", 2)) s += 2;
    if (strlen(s) >= 14)
        snprintf(buf, n, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s %s", s, s + 4, s + 6, s + 8, s + 10, s + 12, s + 14);
    else snprintf(buf, n, "%.*s", (int)(m->len < n - 1 ? m->len : n - 1), m->s);
}

bool vb_verify_pdf(const char *name, const unsigned char *data, size_t len, const char *store_file,
                   void *outp, bool *intact, int *count, vb_diag *d)
{
    FILE *out = outp;
    vb_pdfr *r;
    *intact = false;
    *count = 0;
    if (!vb_pdfr_open(name, data, len, &r, d)) return false;
    const vb_pv *cat = vb_pdfr_resolve(r, vb_pv_get(vb_pdfr_trailer(r), "Root"), d);
    const vb_pv *acro = vb_pdfr_resolve(r, vb_pv_get(cat, "AcroForm"), d);
    sigfield sf[256];
    int n = 0;
    collect(r, vb_pdfr_resolve(r, vb_pv_get(acro, "Fields"), d), sf, &n, 256, 0, d);
    bool all = n > 0;
    for (int i = 0; i < n; i++) {
        const vb_pv *v = sf[i].v;
        const vb_pv *brv = vb_pv_get(v, "ByteRange"), *cv = vb_pv_get(v, "Contents");
        char why[400] = "";
        double br[4] = { -1, -1, -1, -1 };
        bool good = brv && brv->kind == VB_PV_ARRAY && brv->len == 4 && cv && cv->kind == VB_PV_STR;
        for (int k = 0; good && k < 4; k++) good = num_of(brv->items[k], &br[k]) && br[k] >= 0 && br[k] <= (double)len;
        if (good) good = br[0] == 0 && br[1] <= br[2] && br[2] + br[3] <= (double)len && br[1] >= 1 &&
                         data[(size_t)br[1]] == '<' && data[(size_t)br[2] - 1] == '>';
        if (!good) snprintf(why, sizeof why, "its /ByteRange does not frame its /Contents");
        fprintf(out, MSG[M_SIG], i + 1, sf[i].name);
        fputc('\n', out);
        CMS_ContentInfo *cms = NULL;
        const unsigned char *p = (const unsigned char *)(cv ? cv->s : "");
        if (good && !(cms = d2i_CMS_ContentInfo(NULL, &p, (long)cv->len))) {
            good = false;
            snprintf(why, sizeof why, "its /Contents is not a CMS signature");
        }
        char signer[256] = "?", alg[200] = "?", tst[100] = "";
        bool chain_checked = false, chain_ok = false;
        char chain_why[200] = "";
        if (cms) {
            STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
            CMS_SignerInfo *si = sk_CMS_SignerInfo_num(sis) == 1 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
            STACK_OF(X509) *certs = CMS_get1_certs(cms);
            if (si) {
                for (int k = 0; k < sk_X509_num(certs); k++)
                    if (!CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, k)))
                        X509_NAME_get_text_by_NID(X509_get_subject_name(sk_X509_value(certs, k)), NID_commonName, signer, sizeof signer);
                X509_ALGOR *dig, *sa;
                CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sa);
                const ASN1_OBJECT *o1, *o2;
                X509_ALGOR_get0(&o1, NULL, NULL, dig);
                X509_ALGOR_get0(&o2, NULL, NULL, sa);
                snprintf(alg, sizeof alg, "%s, %s", OBJ_nid2ln(OBJ_obj2nid(o1)), OBJ_nid2ln(OBJ_obj2nid(o2)));
                int ti = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
                if (ti >= 0) {
                    ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, ti), 0);
                    if (t && t->type == V_ASN1_SEQUENCE) {
                        const unsigned char *tp = t->value.sequence->data;
                        PKCS7 *p7 = d2i_PKCS7(NULL, &tp, t->value.sequence->length);
                        TS_TST_INFO *tinfo = p7 ? PKCS7_to_TS_TST_INFO(p7) : NULL;
                        const ASN1_GENERALIZEDTIME *gt = tinfo ? TS_TST_INFO_get_time(tinfo) : NULL;
                        snprintf(tst, sizeof tst, "%.*s (RFC 3161 token)", gt ? gt->length : 7, gt ? (const char *)gt->data : "present");
                        TS_TST_INFO_free(tinfo);
                        PKCS7_free(p7);
                    }
                }
            } else good = false, snprintf(why, sizeof why, "not exactly one signer");
            if (good) {
                BIO *content = BIO_new(BIO_s_mem());
                BIO_write(content, data, (int)br[1]);
                BIO_write(content, data + (size_t)br[2], (int)br[3]);
                if (CMS_verify(cms, NULL, NULL, content, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
                    char eb[256];
                    good = false;
                    snprintf(why, sizeof why, "the signature does not match the signed bytes: %s", ssl_err(eb, sizeof eb));
                }
                if (good && store_file) {
                    X509_STORE *st = X509_STORE_new();
                    chain_checked = true;
                    if (X509_STORE_load_file(st, store_file) == 1) {
                        (void)BIO_reset(content);
                        BIO_free(content);
                        content = BIO_new(BIO_s_mem());
                        BIO_write(content, data, (int)br[1]);
                        BIO_write(content, data + (size_t)br[2], (int)br[3]);
                        X509_VERIFY_PARAM_set_purpose(X509_STORE_get0_param(st), X509_PURPOSE_ANY);
                        chain_ok = CMS_verify(cms, NULL, st, content, NULL, CMS_BINARY) == 1;
                        if (!chain_ok) ssl_err(chain_why, sizeof chain_why);
                    } else snprintf(chain_why, sizeof chain_why, "%s cannot be read", store_file);
                    X509_STORE_free(st);
                }
                BIO_free(content);
            }
            sk_X509_pop_free(certs, X509_free);
            CMS_ContentInfo_free(cms);
        }
        ERR_clear_error();
        char when[80];
        pdf_time_text(vb_pv_get(v, "M"), when, sizeof when);
        fprintf(out, MSG[M_SIGNER], signer); fputc('\n', out);
        fprintf(out, MSG[M_TIME], when); fputc('\n', out);
        fprintf(out, MSG[M_ALG], alg); fputc('\n', out);
        if (br[2] >= 0 && br[2] + br[3] == (double)len) fprintf(out, MSG[M_COVERS_ALL], len);
        else fprintf(out, MSG[M_COVERS_PART], (size_t)(br[2] + br[3] > 0 ? br[2] + br[3] : 0), len);
        fputc('\n', out);
        if (tst[0]) fprintf(out, MSG[M_TST], tst); else fputs(MSG[M_NOTST], out);
        fputc('\n', out);
        if (!chain_checked) fputs(MSG[M_CHAIN_NONE], out);
        else if (chain_ok) fputs(MSG[M_CHAIN_OK], out);
        else fprintf(out, MSG[M_CHAIN_BAD], chain_why);
        fputc('\n', out);
        if (good) fputs(MSG[M_INTACT], out); else fprintf(out, MSG[M_BROKEN], why);
        fputc('\n', out);
        if (!good || (chain_checked && !chain_ok)) all = false;
    }
    if (!n) fprintf(out, MSG[M_NONE], name);
    else fprintf(out, all ? MSG[M_SUMMARY_OK] : MSG[M_SUMMARY_BAD], name, n);
    fputc('\n', out);
    *intact = all;
    *count = n;
    vb_pdfr_free(r);
    return true;
}

/* ---- the sidecar ---- */

bool vb_sidecar_write(const char *pdf_path, const vb_sign_box *box, const char *number,
                      const char *organisation, vb_diag *d)
{
    json_t *j = json_object();
    json_object_set_new(j, "vanban_signature_block", json_integer(1));
    json_object_set_new(j, "page", json_integer(box->page + 1));
    json_t *mm = json_array();
    int32_t v[4] = { box->x, box->y, box->w, box->h };
    for (int k = 0; k < 4; k++) json_array_append_new(mm, json_integer(v[k]));
    json_object_set_new(j, "box_mpt", mm);
    if (number) json_object_set_new(j, "number", json_string(number));
    if (organisation) json_object_set_new(j, "organisation", json_string(organisation));
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    char *path = vb_xmalloc(strlen(pdf_path) + 8);
    sprintf(path, "%s.vbsig", pdf_path);
    vb_buf b = { 0 };
    vb_buf_printf(&b, "%s\n", s);
    free(s);
    bool ok = vb_write_atomic(path, b.data, b.len, d);
    vb_buf_free(&b);
    free(path);
    return ok;
}

bool vb_sidecar_read(const char *pdf_path, vb_sign_box *box, char **number, char **organisation,
                     bool *present, vb_diag *d)
{
    char *path = vb_xmalloc(strlen(pdf_path) + 8);
    sprintf(path, "%s.vbsig", pdf_path);
    *present = false;
    *number = *organisation = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) { free(path); return false; }
    fclose(f);
    *present = true;
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    json_t *mm = j ? json_object_get(j, "box_mpt") : NULL, *pg = j ? json_object_get(j, "page") : NULL;
    bool ok = j && json_is_array(mm) && json_array_size(mm) == 4 && json_is_integer(pg) && json_integer_value(pg) >= 1 &&
              json_integer_value(pg) <= 2000 /* VB_MAX_PAGES */;
    if (ok) {
        int64_t v[4];
        for (int k = 0; k < 4; k++) {
            json_t *x = json_array_get(mm, (size_t)k);
            ok = ok && json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) < 10000000;
            v[k] = ok ? json_integer_value(x) : 0;
        }
        box->page = (int)json_integer_value(pg) - 1;
        box->x = (int32_t)v[0]; box->y = (int32_t)v[1]; box->w = (int32_t)v[2]; box->h = (int32_t)v[3];
        json_t *num = json_object_get(j, "number"), *org = json_object_get(j, "organisation");
        if (json_is_string(num)) *number = vb_xstrdup(json_string_value(num));
        if (json_is_string(org)) *organisation = vb_xstrdup(json_string_value(org));
    }
    if (!ok && j) vb_error(d, VB_EXIT_INPUT, "%s: expected {\"page\": N, \"box_mpt\": [x, y, w, h]}", path);
    else if (!ok) vb_error(d, VB_EXIT_INPUT, "%s: not JSON: %s", path, je.text);
    json_decref(j);
    free(path);
    return ok;
}

/* ---- command-line options ---- */

const char *const vb_sign_usage =
    N_("  Signing (docs/signing.md):\n"
    "      --key KEY             PEM or PKCS#12 key file, or pkcs11:token=...;object=... URI\n"
    "      --cert FILE           the signer's certificate (PEM or DER)\n"
    "      --chain FILE          intermediate (and root) certificates, PEM\n"
    "      --pass-file FILE      the key file's passphrase (else $VANBAN_KEY_PASS)\n"
    "      --pin-file FILE       the token's PIN (else $VANBAN_PIN)\n"
    "      --module FILE         the PKCS#11 module (else $VANBAN_PKCS11_MODULE)\n"
    "      --pss                 RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys)\n"
    "      --allow-expired       sign with a certificate outside its validity (tests)\n"
    "      --as WHO              person, organisation, annex or copy (default person)\n"
    "      --signature-image PNG the signature, between position and name (person)\n"
    "      --seal-image PNG      the seal, over the left third of the signature (organisation)\n"
    "      --seal-size SIZE      the seal's real diameter, 20mm to 60mm (default 36mm)\n"
    "      --at PAGE,X,Y         where the image's centre goes, mm from the top left corner\n"
    "      --number TEXT         annex: the number and symbol of the document\n"
    "      --copy-form FORM      copy: SAO Y, SAO LỤC or TRÍCH SAO\n"
    "      --organisation TEXT   copy: the copying body\n"
    "      --reason TEXT         the reason written into the signature\n"
    "      --location TEXT       the place written into the signature\n"
    "      --tsa URL             an RFC 3161 time-stamping authority (http://): PAdES B-T\n"
    "      --tsa-timeout SECONDS how long to wait for it (default 20)\n");

void vb_sign_cli_init(vb_sign_cli *c)
{
    memset(c, 0, sizeof *c);
    c->sig.seal_size = VB_MM(36);
    c->sig.tsa_timeout = 20;
}

int vb_sign_cli_option(vb_sign_cli *c, int argc, char **argv, int *i, vb_diag *d)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--pss")) { c->key.pss = true; return 1; }
    if (!strcmp(a, "--allow-expired")) { c->key.allow_expired = true; return 1; }
    static const char *const names[] = { "--key", "--cert", "--chain", "--pass-file", "--pin-file", "--module",
        "--as", "--signature-image", "--seal-image", "--seal-size", "--at", "--number", "--copy-form",
        "--organisation", "--reason", "--location", "--tsa", "--tsa-timeout" };
    size_t k;
    for (k = 0; k < sizeof names / sizeof *names && strcmp(a, names[k]); k++) ;
    if (k == sizeof names / sizeof *names) return 0;
    if (*i + 1 >= argc) { vb_error(d, VB_EXIT_USAGE, "%s needs a value", a); return -1; }
    const char *v = argv[++*i];
    const char **dst[] = { &c->key.key, &c->key.cert, &c->key.chain, &c->key.pass_file, &c->key.pin_file, &c->key.module,
        &c->as, &c->sig.signature_image, &c->sig.seal_image, &c->seal_size, &c->at, &c->sig.number, &c->sig.copy_form,
        &c->sig.organisation, &c->sig.reason, &c->sig.location, &c->sig.tsa_url, NULL };
    if (dst[k]) { *dst[k] = v; return 1; }
    char *end;
    long t = strtol(v, &end, 10);
    if (*end || t < 1 || t > 600) { vb_error(d, VB_EXIT_USAGE, "--tsa-timeout: expected seconds from 1 to 600, got \"%s\"", v); return -1; }
    c->sig.tsa_timeout = (int)t;
    return 1;
}

bool vb_sign_cli_finish(vb_sign_cli *c, vb_diag *d)
{
    if (!c->key.key) { vb_error(d, VB_EXIT_USAGE, "signing needs --key (a key file or a pkcs11: URI)"); return false; }
    static const char *const as[] = { "person", "organisation", "annex", "copy" };
    c->sig.as = VB_SIGN_PERSON;
    if (c->as) {
        int k;
        for (k = 0; k < 4 && strcmp(c->as, as[k]); k++) ;
        if (k == 4) { vb_error(d, VB_EXIT_USAGE, "--as: expected person, organisation, annex or copy, got \"%s\"", c->as); return false; }
        c->sig.as = (vb_sign_as)k;
    }
    if (c->seal_size) {
        char *end;
        double mm = strtod(c->seal_size, &end);
        if (end == c->seal_size || (*end && strcmp(end, "mm")) || !(mm >= 20 && mm <= 60)) {
            vb_error(d, VB_EXIT_USAGE, "--seal-size: expected 20mm to 60mm (the seal's real size), got \"%s\"", c->seal_size);
            return false;
        }
        c->sig.seal_size = VB_MM(mm);
    }
    if (c->sig.as == VB_SIGN_PERSON && !c->sig.signature_image) {
        vb_error(d, VB_EXIT_USAGE, "--as person needs --signature-image PNG");
        return false;
    }
    if (c->sig.as == VB_SIGN_ORGANISATION && !c->sig.seal_image) {
        vb_error(d, VB_EXIT_USAGE, "--as organisation needs --seal-image PNG");
        return false;
    }
    if (c->sig.copy_form && strcmp(c->sig.copy_form, "SAO Y") && strcmp(c->sig.copy_form, "SAO LỤC") &&
        strcmp(c->sig.copy_form, "TRÍCH SAO")) {
        vb_error(d, VB_EXIT_USAGE, "--copy-form: expected SAO Y, SAO LỤC or TRÍCH SAO, got \"%s\"", c->sig.copy_form);
        return false;
    }
    if (c->at) {
        int page, used = 0;
        double x, y;
        if (sscanf(c->at, "%d,%lf,%lf%n", &page, &x, &y, &used) != 3 || c->at[used] || page < 1 || page > 100000 ||
            !(x >= 0 && x <= 2000) || !(y >= 0 && y <= 2000)) {
            vb_error(d, VB_EXIT_USAGE, "--at: expected PAGE,X,Y (X and Y in mm from the top left corner), got \"%s\"", c->at);
            return false;
        }
        c->sig.have_box = c->sig.at_point = true;
        c->sig.box = (vb_sign_box){ page - 1, VB_MM(x), VB_MM(y), 0, 0 };
    }
    const char *fixed = getenv("VANBAN_SIGN_TIME");
    if (fixed && *fixed) {
        char *end;
        long long t = strtoll(fixed, &end, 10);
        if (*end || t < 0 || t > 253402300799LL) { vb_error(d, VB_EXIT_USAGE, "VANBAN_SIGN_TIME: expected Unix seconds, got \"%s\"", fixed); return false; }
        c->sig.time = t;
    } else c->sig.time = (int64_t)time(NULL);
    c->key.now = c->sig.time;
    if (c->sig.signature_image && !vb_sign_check_image(c->sig.signature_image, d)) return false;
    if (c->sig.seal_image && !vb_sign_check_image(c->sig.seal_image, d)) return false;
    return true;
}
