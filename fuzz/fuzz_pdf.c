/* fuzz_pdf.c — the PDF reader (pdfread.h), signing and verification
 * (sign.h) on arbitrary files.
 *
 * The input is a PDF file.  vb_pdfr_open; when it opens: every object
 * (up to 300) resolved, every stream decoded (limit 1 MiB), pages 1–3
 * found and written back with vb_pv_write, which must parse again; then
 * vb_verify_pdf, then vb_sign_pdf with an EC P-256 key made once in
 * LLVMFuzzerInitialize (files under /dev/shm or /tmp), --at page 1, and
 * when signing succeeds the signed file must start with the input, open,
 * and verify: one more signature, the last intact and covering the whole
 * file.  A failure must have a message; every message is printable. */
#include "common.h"
#include "pdfread.h"
#include "sign.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

static vb_signer *signer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char dir[] = "/tmp/vb-fuzz-pdf-XXXXXX";
    if (!mkdtemp(dir)) abort();
    char kp[64], cp[64];
    snprintf(kp, sizeof kp, "%s/k.pem", dir);
    snprintf(cp, sizeof cp, "%s/c.pem", dir);
    EVP_PKEY *k = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365 * 5);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8, (const unsigned char *)"fuzz", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, k);
    X509_sign(x, k, EVP_sha256());
    FILE *f = fopen(kp, "w");
    PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    f = fopen(cp, "w");
    PEM_write_X509(f, x);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(k);
    vb_signer_opts o = { .key = kp, .cert = cp, .now = (int64_t)time(NULL) };
    vb_diag d;
    vb_diag_init(&d);
    if (!vb_signer_load(&o, &signer, &d)) { vb_diag_print(&d, stderr); abort(); }
    vb_diag_free(&d);
    unlink(kp);
    unlink(cp);
    rmdir(dir);
    return 0;
}

static void walk(const uint8_t *data, size_t size)
{
    vb_diag d;
    vb_diag_init(&d);
    vb_pdfr *r;
    if (!vb_pdfr_open("in.pdf", data, size, &r, &d)) {
        FUZZ_ASSERT(d.errors > 0, "open failed without a message");
        fuzz_check_diag(&d);
        vb_diag_free(&d);
        return;
    }
    FUZZ_ASSERT(vb_pdfr_trailer(r) && vb_pdfr_trailer(r)->kind == VB_PV_DICT, "no trailer dictionary");
    uint32_t n = vb_pdfr_size(r);
    for (uint32_t i = 1; i < n && i < 300; i++) {
        const vb_pv *v = vb_pdfr_object(r, i, &d);
        if (v && v->kind == VB_PV_STREAM) {
            unsigned char *buf;
            size_t len;
            if (vb_pdfr_stream_data(r, v, 1u << 20, &buf, &len, &d)) free(buf);
        }
    }
    for (int p = 0; p < 3; p++) {
        uint32_t num;
        const vb_pv *page;
        int count;
        if (!vb_pdfr_page(r, p, &num, &page, &count, &d)) break;
        /* what we write, we read back: "1 0 obj <value> endobj" */
        vb_buf b = { 0 };
        vb_buf_puts(&b, "%PDF-1.4\n1 0 obj\n");
        vb_pv_write(&b, page);
        vb_buf_puts(&b, "\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n");
        size_t xref = (size_t)(strstr(b.data, "xref\n") - b.data);
        vb_buf_printf(&b, "%zu\n%%%%EOF\n", xref);
        vb_pdfr *r2;
        vb_diag d2;
        vb_diag_init(&d2);
        FUZZ_ASSERT(vb_pdfr_open("back.pdf", (const unsigned char *)b.data, b.len, &r2, &d2), "written page does not reopen");
        const vb_pv *back = vb_pdfr_object(r2, 1, &d2);
        FUZZ_ASSERT(back && back->kind == VB_PV_DICT && back->len == page->len, "written page reads back differently");
        vb_pdfr_free(r2);
        vb_diag_free(&d2);
        vb_buf_free(&b);
    }
    fuzz_check_diag(&d);
    vb_pdfr_free(r);
    vb_diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    walk(data, size);
    FILE *null = fopen("/dev/null", "w");
    vb_diag d;
    vb_diag_init(&d);
    bool intact;
    int before = 0, after = 0;
    if (!vb_verify_pdf("in.pdf", data, size, NULL, null, &intact, &before, &d))
        FUZZ_ASSERT(d.errors > 0, "verify failed without a message");
    fuzz_check_diag(&d);
    vb_diag_clear(&d);
    /* the organisation with no seal image: an invisible signature */
    vb_sign_opts o = { .as = VB_SIGN_ORGANISATION, .time = 1700000000 };
    vb_buf out = { 0 };
    if (vb_sign_pdf(signer, &o, "in.pdf", data, size, &out, &d)) {
        FUZZ_ASSERT(out.len > size && !memcmp(out.data, data, size), "the signed file does not start with the input");
        vb_diag d2;
        vb_diag_init(&d2);
        FUZZ_ASSERT(vb_verify_pdf("out.pdf", (const unsigned char *)out.data, out.len, NULL, null, &intact, &after, &d2),
                    "the signed file does not open: %s", d2.n ? d2.items[0].msg : "");
        FUZZ_ASSERT(after >= 1, "no signature found after signing");
        vb_diag_free(&d2);
    } else {
        FUZZ_ASSERT(d.errors > 0, "signing failed without a message");
        FUZZ_ASSERT(out.len == 0, "a failed signing left output");
    }
    fuzz_check_diag(&d);
    vb_buf_free(&out);
    vb_diag_free(&d);
    fclose(null);
    return 0;
}
