/* Unit test of render/font.c and render/pdf.c: font resolution, metrics,
 * missing-glyph messages, subsetting, and a PDF written from a layout built
 * by hand (vb_layout_run is another module's business). */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "check.h"
#include "font.h"
#include "layout.h"
#include "backend.h"

static const char *QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
static const char *TIEU_NGU = "Độc lập - Tự do - Hạnh phúc";

static bool file_exists(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static const char *base(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

static size_t dir_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) return (size_t)-1;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) n++;
    closedir(dp);
    return n;
}

/* All of a command's standard output, or NULL when it could not run. */
static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    vb_buf b = { 0 };
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) vb_buf_add(&b, chunk, n);
    int rc = pclose(p);
    vb_buf_cstr(&b);
    if (rc != 0) { vb_buf_free(&b); return NULL; }
    return b.data;
}

static void add_frag(vb_layout *l, vb_page *pg, int32_t x, int32_t y, int32_t size,
                     vb_face face, const char *text)
{
    if (pg->nfrags == pg->capf) {
        size_t cap = pg->capf ? pg->capf * 2 : 8;
        vb_frag *nf = vb_alloc(l->arena, cap * sizeof *nf);
        if (pg->nfrags) memcpy(nf, pg->frags, pg->nfrags * sizeof *nf);
        pg->frags = nf; pg->capf = cap;
    }
    pg->frags[pg->nfrags++] = (vb_frag){ x, y, 0, size, face, vb_strdup(l->arena, text), 0, 0 };
}

static void add_rule(vb_layout *l, vb_page *pg, int32_t x1, int32_t x2, int32_t y, int32_t w)
{
    if (pg->nrules == pg->capr) {
        size_t cap = pg->capr ? pg->capr * 2 : 4;
        vb_line_seg *nr = vb_alloc(l->arena, cap * sizeof *nr);
        if (pg->nrules) memcpy(nr, pg->rules, pg->nrules * sizeof *nr);
        pg->rules = nr; pg->capr = cap;
    }
    pg->rules[pg->nrules++] = (vb_line_seg){ x1, x2, y, w, 0 };
}

/* Append a line of fragments set one after another from x. */
static void add_line(vb_layout *l, vb_page *pg, const vb_fonts *f, int32_t x, int32_t y,
                     int32_t size, const vb_face *faces, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t w = 0;
        vb_font_measure(f, faces[i], size, words[i], strlen(words[i]), &w, NULL);
        add_frag(l, pg, x, y, size, faces[i], words[i]);
        pg->frags[pg->nfrags - 1].width = w;
        x += w;
    }
}

/* A two-page layout: quốc hiệu, tiêu ngữ with its rule, a few body words. */
static vb_layout *sample_layout(const vb_fonts *f, const char *extra)
{
    vb_arena *a = vb_arena_new();
    vb_layout *l = vb_alloc(a, sizeof *l);
    l->arena = a;
    l->page_w = VB_MM(210); l->page_h = VB_MM(297);
    l->npages = l->cap = 2;
    l->pages = vb_alloc(a, 2 * sizeof *l->pages);
    vb_page *p1 = &l->pages[0], *p2 = &l->pages[1];
    int32_t w = 0;
    add_frag(l, p1, VB_MM(100), VB_MM(20), 13 * VB_PT, VB_FACE_BOLD, QUOC_HIEU);
    vb_font_measure(f, VB_FACE_BOLD, 14 * VB_PT, TIEU_NGU, strlen(TIEU_NGU), &w, NULL);
    add_frag(l, p1, VB_MM(120), VB_MM(27), 14 * VB_PT, VB_FACE_BOLD, TIEU_NGU);
    add_rule(l, p1, VB_MM(120), VB_MM(120) + w, VB_MM(28.5), 500);
    static const vb_face body_faces[] = { VB_FACE_REGULAR, VB_FACE_REGULAR, VB_FACE_REGULAR };
    static const char *const body[] = { "Nghị ", "quyết ", "này." };
    add_line(l, p1, f, VB_MM(30), VB_MM(60), 14 * VB_PT, body_faces, body, 3);
    add_frag(l, p1, VB_MM(100), VB_MM(70), 14 * VB_PT, VB_FACE_ITALIC,
             "Hải Phòng, ngày 28 tháng 12 năm 2021");
    const vb_face art_faces[] = { VB_FACE_BOLD_ITALIC, VB_FACE_REGULAR, VB_FACE_REGULAR };
    const char *const art[] = { "Điều 2. ", "Tổ chức ", extra ? extra : "thực hiện." };
    add_line(l, p2, f, VB_MM(30), VB_MM(20), 14 * VB_PT, art_faces, art, 3);
    return l;
}

static void test_open(vb_fonts **out)
{
    vb_diag d; vb_diag_init(&d);
    vb_fonts *f = NULL;
    /* a missing fonts_dir is not an error */
    CHECK(vb_fonts_open("/nonexistent/vanban-fonts", "Times New Roman", &f, &d));
    CHECK(d.errors == 0);
    if (!f) { vb_diag_print(&d, stderr); vb_diag_free(&d); *out = NULL; return; }
    for (int k = 0; k < VB_FACE_COUNT; k++) CHECK(file_exists(vb_fonts_file(f, (vb_face)k)));
    const char *fam = vb_fonts_family(f, VB_FACE_REGULAR);
    CHECK(strcmp(fam, "Liberation Serif") == 0 || strcmp(fam, "Times New Roman") == 0);
    CHECK_STR(vb_fonts_docx_family(f), "Times New Roman");
    CHECK_STR(vb_fonts_style(f, VB_FACE_BOLD), "Bold");
    CHECK_STR(vb_fonts_style(f, VB_FACE_BOLD_ITALIC), "Bold Italic");
    if (strcmp(fam, "Liberation Serif") == 0) {
        CHECK_STR(vb_fonts_psname(f, VB_FACE_BOLD), "LiberationSerif-Bold");
        CHECK_STR(base(vb_fonts_file(f, VB_FACE_ITALIC)), "LiberationSerif-Italic.ttf");
    }
    /* the four faces are four different files */
    for (int i = 0; i < VB_FACE_COUNT; i++)
        for (int j = i + 1; j < VB_FACE_COUNT; j++)
            CHECK(strcmp(vb_fonts_file(f, (vb_face)i), vb_fonts_file(f, (vb_face)j)) != 0);
    vb_diag_free(&d);

    /* a family with no acceptable twin is an error, not DejaVu */
    vb_diag_init(&d);
    vb_fonts *g = NULL;
    CHECK(!vb_fonts_open(NULL, "No Such Family Vanban", &g, &d));
    CHECK(g == NULL);
    CHECK(d.exit_code == VB_EXIT_SYSTEM);
    CHECK(d.n == 1);
    if (d.n) CHECK_STR(d.items[0].msg,
        "font: cannot find \"No Such Family Vanban\" (Regular); put the No Such Family Vanban files in fonts/");
    vb_diag_free(&d);

    /* fonts_dir: the faces found by their family names (here: a copy of
     * the installed files under other names) */
    char dir[] = "/tmp/vanban-unit-fonts-XXXXXX";
    if (mkdtemp(dir)) {
        static const char *const names[] = { "a.TTF", "b.ttf", "c.ttf", "d.ttf" };
        char cmd[8192];
        for (int k = 0; k < VB_FACE_COUNT; k++) {
            snprintf(cmd, sizeof cmd, "cp '%s' '%s/%s'", vb_fonts_file(f, (vb_face)k), dir, names[3 - k]);
            CHECK(system(cmd) == 0);
        }
        vb_diag_init(&d);
        CHECK(vb_fonts_open(dir, fam, &g, &d));
        if (g) {
            char want[4200];
            snprintf(want, sizeof want, "%s/%s", dir, names[3 - VB_FACE_BOLD]);
            CHECK_STR(vb_fonts_file(g, VB_FACE_BOLD), want);
            snprintf(want, sizeof want, "%s/%s", dir, names[3 - VB_FACE_REGULAR]);
            CHECK_STR(vb_fonts_file(g, VB_FACE_REGULAR), want);
            vb_fonts_close(g);
        }
        vb_diag_free(&d);
        /* a corrupt *.ttf is an error naming it */
        snprintf(cmd, sizeof cmd, "printf 'not a font' > '%s/broken.ttf'", dir);
        CHECK(system(cmd) == 0);
        vb_diag_init(&d);
        g = NULL;
        CHECK(!vb_fonts_open(dir, fam, &g, &d));
        CHECK(d.exit_code == VB_EXIT_SYSTEM);
        CHECK(d.n == 1 && strstr(d.items[0].msg, "broken.ttf") != NULL);
        vb_diag_free(&d);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
    }
    *out = f;
}

static void test_metrics(const vb_fonts *f)
{
    int32_t w1 = 0, w2 = 0, missing = 0;
    CHECK(vb_font_measure(f, VB_FACE_BOLD, 12 * VB_PT, QUOC_HIEU, strlen(QUOC_HIEU), &w1, &missing));
    /* sum of hmtx advances 42725 units / 2048 per em * 12 pt = 250.3418 pt:
     * Liberation Serif Bold and Times New Roman Bold share these metrics */
    CHECK(w1 == 250342);
    CHECK(vb_font_measure(f, VB_FACE_BOLD, 12 * VB_PT, QUOC_HIEU, strlen(QUOC_HIEU), &w2, NULL));
    CHECK(w1 == w2);
    /* bold is wider than regular; size scales */
    int32_t wr = 0, w24 = 0;
    CHECK(vb_font_measure(f, VB_FACE_REGULAR, 12 * VB_PT, QUOC_HIEU, strlen(QUOC_HIEU), &wr, NULL));
    CHECK(wr > 200000 && wr < w1);
    CHECK(vb_font_measure(f, VB_FACE_BOLD, 24 * VB_PT, QUOC_HIEU, strlen(QUOC_HIEU), &w24, NULL));
    CHECK(w24 == 500684);                        /* 500683.6 rounded once */
    /* a space is 1/4 em; U+00A0 is always there too */
    CHECK(vb_font_measure(f, VB_FACE_REGULAR, 12 * VB_PT, " ", 1, &w1, NULL) && w1 == 3000);
    CHECK(vb_font_measure(f, VB_FACE_REGULAR, 12 * VB_PT, "\xC2\xA0", 2, &w1, NULL) && w1 == 3000);
    CHECK(vb_font_measure(f, VB_FACE_REGULAR, 12 * VB_PT, "", 0, &w1, NULL) && w1 == 0);
    /* vertical metrics: hhea 1825 / -443 per 2048 */
    CHECK(vb_font_ascent(f, VB_FACE_REGULAR, 13 * VB_PT) == 11584);
    CHECK(vb_font_descent(f, VB_FACE_REGULAR, 13 * VB_PT) == -2812);
}

static void test_missing(const vb_fonts *f)
{
    int32_t w = 0, missing = 0;
    const char *s = "Hà Nội 中";
    CHECK(!vb_font_measure(f, VB_FACE_BOLD, 12 * VB_PT, s, strlen(s), &w, &missing));
    CHECK(missing == 0x4E2D);

    vb_diag d; vb_diag_init(&d);
    CHECK(vb_font_check(f, VB_FACE_BOLD, "Tự do", NULL, &d));
    CHECK(d.n == 0);
    CHECK(!vb_font_check(f, VB_FACE_BOLD, s, "rec.json: /meeting/title", &d));
    CHECK(!vb_font_check(f, VB_FACE_REGULAR, "x\xF0\x9F\x98\x80", NULL, &d));   /* emoji */
    CHECK(d.exit_code == VB_EXIT_INPUT);
    CHECK(d.n == 2);
    char want[512];
    snprintf(want, sizeof want, "rec.json: /meeting/title: U+4E2D '中' is not in %s",
             base(vb_fonts_file(f, VB_FACE_BOLD)));
    if (d.n >= 1) CHECK_STR(d.items[0].msg, want);
    snprintf(want, sizeof want, "U+1F600 '\xF0\x9F\x98\x80' is not in %s",
             base(vb_fonts_file(f, VB_FACE_REGULAR)));
    if (d.n >= 2) CHECK_STR(d.items[1].msg, want);
    if (strcmp(vb_fonts_family(f, VB_FACE_BOLD), "Liberation Serif") == 0 && d.n >= 1)
        CHECK_STR(d.items[0].msg,
                  "rec.json: /meeting/title: U+4E2D '中' is not in LiberationSerif-Bold.ttf");
    vb_diag_free(&d);
}

static void test_subset(const vb_fonts *f)
{
    vb_diag d; vb_diag_init(&d);
    uint32_t cps[] = { 'H', 'A', 'N' };
    vb_buf sub = { 0 };
    uint16_t gids[3] = { 0, 0, 0 };
    CHECK(vb_font_subset(f, VB_FACE_REGULAR, cps, 3, &sub, gids, &d));
    struct stat st;
    CHECK(stat(vb_fonts_file(f, VB_FACE_REGULAR), &st) == 0);
    CHECK(sub.len > 0 && (off_t)sub.len * 20 < st.st_size);

    FT_Library lib;
    FT_Face face = NULL;
    CHECK(FT_Init_FreeType(&lib) == 0);
    CHECK(FT_New_Memory_Face(lib, (const FT_Byte *)sub.data, (FT_Long)sub.len, 0, &face) == 0);
    if (face) {
        CHECK(face->num_glyphs == 4);                /* .notdef, A, H, N */
        CHECK(FT_Get_Char_Index(face, 'H') != 0);
        CHECK(FT_Get_Char_Index(face, 'A') != 0);
        CHECK(FT_Get_Char_Index(face, 'N') != 0);
        CHECK(FT_Get_Char_Index(face, 'B') == 0);
        /* the glyph ids given back are those of the subset's own cmap */
        for (int i = 0; i < 3; i++) CHECK(gids[i] != 0 && gids[i] == FT_Get_Char_Index(face, cps[i]));
        CHECK(face->units_per_EM == 2048);
        FT_Done_Face(face);
    }

    /* the heading in bold: composite Vietnamese glyphs pull in their parts */
    vb_buf sub2 = { 0 };
    uint32_t vn[64]; size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)QUOC_HIEU; *p && n < 64;) {
        uint32_t c;
        if (*p < 0x80) { c = *p++; }
        else if (*p < 0xE0) { c = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); p += 2; }
        else { c = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); p += 3; }
        vn[n++] = c;
    }
    CHECK(vb_font_subset(f, VB_FACE_BOLD, vn, n, &sub2, NULL, &d));
    face = NULL;
    CHECK(FT_New_Memory_Face(lib, (const FT_Byte *)sub2.data, (FT_Long)sub2.len, 0, &face) == 0);
    if (face) {
        CHECK(FT_Get_Char_Index(face, 0x1ED8) != 0);     /* Ộ */
        CHECK(face->num_glyphs > 20 && face->num_glyphs < 60);
        FT_Done_Face(face);
    }
    CHECK(sub2.len < 8000);
    printf("unit font: subset of 3 letters %zu bytes, of the quốc hiệu %zu bytes (font %lld bytes)\n",
           sub.len, sub2.len, (long long)st.st_size);
    FT_Done_FreeType(lib);
    vb_buf_free(&sub);
    vb_buf_free(&sub2);
    CHECK(d.n == 0);
    vb_diag_free(&d);
}

static void test_pdf(const vb_fonts *f)
{
    char tmpdir[] = "/tmp/vanban-unit-pdf-XXXXXX";
    if (!mkdtemp(tmpdir)) { CHECK(!"mkdtemp"); return; }
    setenv("TMPDIR", tmpdir, 1);
    unsetenv("SOURCE_DATE_EPOCH");

    vb_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.title = "Nghị quyết về nhiệm vụ năm 2022";
    doc.author = "Ban Chấp hành Đảng bộ thành phố Hải Phòng";
    doc.subject = "Nghị quyết";
    doc.keywords = "nghị quyết; Hải Phòng";
    doc.date = 1640649600;   /* 2021-12-28 00:00:00 UTC */

    vb_layout *l = sample_layout(f, NULL);
    vb_diag d; vb_diag_init(&d);
    vb_buf a = { 0 }, b = { 0 };
    CHECK(vb_pdf_write_layout(l, &doc, f, NULL, &a, &d));
    CHECK(vb_pdf_write_layout(l, &doc, f, NULL, &b, &d));
    if (d.n) vb_diag_print(&d, stderr);
    CHECK(d.n == 0);
    CHECK(a.len > 1000 && memcmp(a.data, "%PDF-", 5) == 0);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);    /* reproducible */
    CHECK(a.len < 20000);
    CHECK(dir_entries(tmpdir) == 0);                                  /* no temp files */
    printf("unit font: hand-made 2-page PDF with 4 faces: %zu bytes\n", a.len);

    char path[4200];
    snprintf(path, sizeof path, "%s/out.pdf", tmpdir);
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (fp) { fwrite(a.data, 1, a.len, fp); fclose(fp); }
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "pdftotext -q '%s' - 2>/dev/null", path);
    /* installed but failing is a failure, not a skip */
    bool have_pdftotext = system("command -v pdftotext >/dev/null 2>&1") == 0;
    char *text = have_pdftotext ? run_capture(cmd) : NULL;
    if (have_pdftotext) CHECK(text != NULL);
    if (text) {
        CHECK(strstr(text, QUOC_HIEU) != NULL);
        CHECK(strstr(text, TIEU_NGU) != NULL);
        CHECK(strstr(text, "Nghị quyết này.") != NULL);
        CHECK(strstr(text, "Hải Phòng, ngày 28 tháng 12 năm 2021") != NULL);
        CHECK(strstr(text, "Điều 2. Tổ chức thực hiện.") != NULL);
        free(text);
        snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", path);
        char *info = run_capture(cmd);
        CHECK(info != NULL);
        if (info) {
            CHECK(strstr(info, "Nghị quyết về nhiệm vụ năm 2022") != NULL);
            CHECK(strstr(info, "Ban Chấp hành Đảng bộ thành phố Hải Phòng") != NULL);
            CHECK(strstr(info, "vanban " VB_VERSION) != NULL);
            char *pages = strstr(info, "Pages:");
            CHECK(pages != NULL && atoi(pages + 6) == 2);
            CHECK(strstr(info, "Dec 28 00:00:00 2021") != NULL);
            CHECK(strstr(info, "595.276 x 841.89") != NULL);
            free(info);
        }
        /* the ToUnicode maps are valid: poppler has nothing to say */
        snprintf(cmd, sizeof cmd, "pdftotext '%s' /dev/null 2>&1", path);
        char *warn = run_capture(cmd);
        CHECK(warn != NULL && warn[0] == 0);
        free(warn);
    } else if (!have_pdftotext) {
        CHECK_SKIP("unit font: pdftotext is not installed (poppler-utils): the PDF's text is not read back");
    }
    unlink(path);
    vb_layout *bad = sample_layout(f, "中");
    vb_buf c = { 0 };
    vb_diag_clear(&d);
    CHECK(!vb_pdf_write_layout(bad, &doc, f, NULL, &c, &d));
    CHECK(c.len == 0);
    CHECK(d.exit_code == VB_EXIT_INPUT);
    char want[512];
    snprintf(want, sizeof want, "U+4E2D '中' is not in %s", base(vb_fonts_file(f, VB_FACE_REGULAR)));
    CHECK(d.n == 1);
    if (d.n) CHECK_STR(d.items[0].msg, want);
    CHECK(dir_entries(tmpdir) == 0);

    /* a page no reader takes (0.001 pt wide) is one diagnostic, no output,
     * no files */
    vb_layout *zero = sample_layout(f, NULL);
    zero->page_w = 1;
    vb_diag_clear(&d);
    CHECK(!vb_pdf_write_layout(zero, &doc, f, NULL, &c, &d));
    CHECK(c.len == 0);
    CHECK(d.exit_code == VB_EXIT_SYSTEM);
    CHECK(d.n == 1);
    if (d.n) CHECK_STR(d.items[0].msg, "pdf: a page of 0.001 x 841.89 pt is outside the 3 to 14400 pt "
                                       "a side PDF readers take");
    CHECK(dir_entries(tmpdir) == 0);
    vb_arena_free(zero->arena);
    /* a fragment of size 0 is refused by our own content writer */
    zero = sample_layout(f, NULL);
    zero->pages[1].frags[0].size = 0;
    vb_diag_clear(&d);
    CHECK(!vb_pdf_write_layout(zero, &doc, f, NULL, &c, &d));
    CHECK(c.len == 0);
    CHECK(d.n == 1);
    if (d.n) CHECK_STR(d.items[0].msg, "pdf: fragment with an invalid size 0");
    vb_arena_free(zero->arena);
    rmdir(tmpdir);

    vb_arena_free(bad->arena);
    vb_arena_free(l->arena);
    vb_buf_free(&a); vb_buf_free(&b); vb_buf_free(&c);
    vb_diag_free(&d);
}

/* Every character the regular face has in Latin, Vietnamese and common
 * punctuation (over 300, so CIDs pass 255 and codes have both bytes in
 * use; they include the bytes of ( ) \ and CR, which a literal string
 * must escape), 40 a line: pdftotext -raw gives each line back. */
static void test_pdf_all_glyphs(const vb_fonts *f)
{
    if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
        CHECK_SKIP("unit font: pdftotext is not installed (poppler-utils): the all-glyphs PDF is not read back");
        return;
    }
    static const uint32_t ranges[][2] = { { 0x21, 0x7E }, { 0xA1, 0x17F }, { 0x1EA0, 0x1EF9 },
                                          { 0x2013, 0x2026 } };
    vb_arena *a = vb_arena_new();
    vb_layout *l = vb_alloc(a, sizeof *l);
    l->arena = a;
    l->page_w = VB_MM(210); l->page_h = VB_MM(297);
    l->npages = l->cap = 1;
    l->pages = vb_alloc(a, sizeof *l->pages);
    vb_buf want = { 0 }, line = { 0 };
    int n = 0, lines = 0;
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            if (cp == 0xAD || vb_font_advance(f, VB_FACE_REGULAR, cp) < 0) continue;  /* soft hyphen */
            char ch[5] = { 0 };
            vb_utf8_put((int32_t)cp, ch);
            vb_buf_puts(&line, ch);
            n++;
            if (n % 40 == 0) {
                add_frag(l, &l->pages[0], VB_MM(20), VB_MM(20) + lines * VB_MM(8), 12 * VB_PT,
                         VB_FACE_REGULAR, vb_buf_cstr(&line));
                vb_buf_puts(&want, vb_buf_cstr(&line)); vb_buf_putc(&want, '\n');
                line.len = 0; lines++;
            }
        }
    if (line.len) {
        add_frag(l, &l->pages[0], VB_MM(20), VB_MM(20) + lines * VB_MM(8), 12 * VB_PT,
                 VB_FACE_REGULAR, vb_buf_cstr(&line));
        vb_buf_puts(&want, vb_buf_cstr(&line)); vb_buf_putc(&want, '\n');
    }
    CHECK(n > 300);
    vb_diag d; vb_diag_init(&d);
    vb_buf pdf = { 0 };
    vb_doc doc;
    memset(&doc, 0, sizeof doc);
    CHECK(vb_pdf_write_layout(l, &doc, f, NULL, &pdf, &d));
    if (d.n) vb_diag_print(&d, stderr);
    char dir[] = "/tmp/vanban-unit-glyphs-XXXXXX";
    if (mkdtemp(dir)) {
        char path[4200], cmd[8600];
        snprintf(path, sizeof path, "%s/all.pdf", dir);
        FILE *fp = fopen(path, "wb");
        if (fp) { fwrite(pdf.data, 1, pdf.len, fp); fclose(fp); }
        snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' - 2>&1", path);
        char *text = run_capture(cmd);
        CHECK(text != NULL);
        if (text) {
            char *ff = strchr(text, '\f');
            if (ff) *ff = 0;
            CHECK_STR(text, vb_buf_cstr(&want));
            free(text);
        }
        /* readers forgive a bfrange whose codes differ in more than the
         * last byte, or whose destination's last byte runs past FF; the
         * CMap rules do not; and Ghostscript misreads any range whose
         * destination is above U+00FF: read the ranges from qpdf's
         * uncompressed copy */
        snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' - 2>/dev/null", path);
        bool have_qpdf = system("command -v qpdf >/dev/null 2>&1") == 0;
        char *qdf = have_qpdf ? run_capture(cmd) : NULL;
        if (have_qpdf) CHECK(qdf != NULL);
        if (qdf) {
            int ranges_seen = 0, bad = 0;
            for (char *p = strstr(qdf, "beginbfrange"); p; p = strstr(p, "beginbfrange")) {
                char *end = strstr(p, "endbfrange");
                if (!end) { bad++; break; }
                p = strchr(p, '\n');
                unsigned lo, hi, dst;
                while (p && p < end && sscanf(p, " <%x> <%x> <%x>", &lo, &hi, &dst) == 3) {
                    ranges_seen++;
                    if (hi < lo || (lo >> 8) != (hi >> 8) || dst + (hi - lo) > 0xFF) bad++;
                    p = strchr(p + 1, '\n');
                }
                p = end;
            }
            CHECK(ranges_seen >= 2);                 /* ASCII, Latin-1 */
            CHECK(bad == 0);
            CHECK(strstr(qdf, "<00FF> <00FF>") != NULL || strstr(qdf, "<0100>") != NULL);
            free(qdf);
        } else if (!have_qpdf) {
            CHECK_SKIP("unit font: qpdf is not installed: the ToUnicode ranges are not checked");
        }
        unlink(path);
        rmdir(dir);
    }
    printf("unit font: %d characters in one face, %zu-byte PDF, read back exactly\n", n, pdf.len);
    vb_buf_free(&pdf); vb_buf_free(&want); vb_buf_free(&line);
    vb_diag_free(&d);
    vb_arena_free(a);
}

int main(void)
{
    vb_fonts *f = NULL;
    test_open(&f);
    if (f) {
        test_metrics(f);
        test_missing(f);
        test_subset(f);
        test_pdf(f);
        test_pdf_all_glyphs(f);
        vb_fonts_close(f);
    }
    return CHECK_DONE("font");
}
