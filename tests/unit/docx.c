/* docx.c — unit test of the DOCX backend: a hand-built document with a
 * header row, a rule, text full of XML specials and a signature row is
 * written twice with the repository's templates/party/style; the package
 * must be a zip with its parts in the fixed order, byte-identical between
 * runs, hold the escaped text and a real PAGE field, and pass the ISO 29500
 * schemas of ../shared/tools/validate-docx (the shared folder beside the
 * repository; run from the repository root).  What cannot run here is a
 * visible skip, and a failure under CI=true.
 *
 * VB_DOCX_KEEP=FILE keeps the written document for a look in Word or
 * LibreOffice. */
#include "check.h"
#include "model.h"
#include "backend.h"
#include "font.h"
#include "layout.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static const vb_zone *Z(const vb_style *s, const char *name, const char *alt)
{
    const vb_zone *z = vb_style_zone(s, name);
    if (!z && alt) z = vb_style_zone(s, alt);
    if (!z) z = vb_style_zone(s, "body");
    return z ? z : &s->zones[0];
}

static void para(vb_doc *doc, const vb_zone *z, const char *text)
{
    vb_para_text(doc, vb_doc_para(doc, z), text, 0);
}

static vb_doc *build(const vb_style *s)
{
    vb_doc *doc = vb_doc_new(s);
    doc->type = "minutes";
    doc->title = "Biên bản <hội nghị> \"lần thứ Bảy\" & 'khóa III'";
    doc->author = "Đảng ủy Khối Doanh nghiệp";
    doc->subject = "Hội nghị lần thứ Bảy";
    doc->keywords = "biên bản; hội nghị";
    doc->date = 1640649600;                       /* 2021-12-28 00:00 UTC */

    vb_doc_row_begin(doc, VB_ROW_HEADER);
    vb_doc_row_cell(doc, 0);
    para(doc, Z(s, "superior", "issuer"), "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG");
    para(doc, Z(s, "issuer", NULL), "ĐẢNG ỦY KHỐI DOANH NGHIỆP");
    para(doc, Z(s, "number", "issuer"), "Số 15-BB/ĐUK");
    vb_doc_row_cell(doc, 1);
    para(doc, Z(s, "title", NULL), "ĐẢNG CỘNG SẢN VIỆT NAM");
    para(doc, Z(s, "date_line", NULL), "Hải Phòng, ngày 28 tháng 12 năm 2021");
    vb_doc_row_end(doc);

    para(doc, Z(s, "type_name", NULL), "BIÊN BẢN");
    para(doc, Z(s, "summary", NULL), "Hội nghị lần thứ Bảy Ban Chấp hành Đảng bộ Khối (khóa III)");

    vb_para *p = vb_doc_para(doc, Z(s, "body", NULL));
    vb_para_text(doc, p, "Specials: A & B < C > D \"quoted\" it's ", 0);
    vb_para_text(doc, p, "đậm & nghiêng", VB_BOLD | VB_ITALIC);
    vb_para_text(doc, p, " — <w:t>not markup</w:t>.", 0);
    /* white space as the layout reads it: one space, in the run where it
     * starts, none at the ends of the paragraph */
    p = vb_doc_para(doc, Z(s, "body", NULL));
    vb_para_text(doc, p, "  Alpha \t beta\n\ngamma   ", 0);
    vb_para_text(doc, p, "  Delta", VB_BOLD);
    vb_para_text(doc, p, "   ", 0);
    for (int i = 1; i <= 40; i++) {
        char buf[512];
        snprintf(buf, sizeof buf, "%d. Hôm nay, vào lúc 08 giờ 00 phút, ngày 28 tháng 12 năm 2021, "
                 "tại Hội trường Đảng ủy Khối Doanh nghiệp thành phố, Ban Chấp hành Đảng bộ Khối "
                 "họp hội nghị lần thứ Bảy (khóa III) để thảo luận các nội dung theo chương trình.", i);
        para(doc, Z(s, "body", NULL), buf);
    }

    /* two signatures side by side: the names stand level */
    vb_doc_row_begin(doc, VB_ROW_SIGNATURE);
    vb_doc_row_cell(doc, 0);
    para(doc, Z(s, "sig_role", "sig_authority"), "THƯ KÝ");
    para(doc, Z(s, "sig_name", NULL), "Left Name");
    vb_doc_row_cell(doc, 1);
    para(doc, Z(s, "sig_role", "sig_authority"), "CHỦ TRÌ HỘI NGHỊ");
    para(doc, Z(s, "sig_authority", NULL), "T/M BAN CHẤP HÀNH");
    para(doc, Z(s, "sig_position", "sig_authority"), "BÍ THƯ");
    para(doc, Z(s, "sig_name", NULL), "Right Name");
    vb_doc_row_end(doc);
    para(doc, Z(s, "body", NULL), "Between the signature rows.");

    vb_doc_row_begin(doc, VB_ROW_SIGNATURE);
    vb_doc_row_cell(doc, 0);
    para(doc, Z(s, "recipients_title", NULL), "Nơi nhận:");
    para(doc, Z(s, "recipient", "recipients_title"), "- Ban Thường vụ Thành ủy (để báo cáo),");
    para(doc, Z(s, "recipient", "recipients_title"), "- Lưu Văn phòng Đảng ủy Khối.");
    vb_doc_row_cell(doc, 1);
    para(doc, Z(s, "sig_authority", NULL), "T/M BAN CHẤP HÀNH");
    para(doc, Z(s, "sig_position", "sig_authority"), "BÍ THƯ");
    para(doc, Z(s, "sig_name", NULL), "Đỗ Quang Khoa");
    vb_doc_row_end(doc);
    return doc;
}

/* One part of the package, NUL-terminated (malloc'd), or NULL. */
static char *part(const vb_buf *b, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    char *text = NULL;
    zip_stat_t st;
    if (za && zip_stat(za, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(za, name, 0);
        text = calloc(1, (size_t)st.size + 1);
        if (f && zip_fread(f, text, st.size) != (zip_int64_t)st.size) { free(text); text = NULL; }
        if (f) zip_fclose(f);
    }
    if (za) zip_discard(za);
    else if (src) zip_source_free(src);
    zip_error_fini(&ze);
    return text;
}

static void check_package(const vb_buf *b)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    CHECK(za != NULL);
    if (za) {
        CHECK(zip_get_num_entries(za, 0) == 11);
        CHECK_STR(zip_get_name(za, 0, 0), "[Content_Types].xml");
        CHECK_STR(zip_get_name(za, 4, 0), "word/document.xml");
        zip_stat_t st;
        CHECK(zip_stat_index(za, 4, 0, &st) == 0 && st.comp_method == ZIP_CM_DEFLATE);
        zip_discard(za);
    } else if (src) zip_source_free(src);
    zip_error_fini(&ze);
}

/* The validator in the shared folder beside the repository (the working
 * directory is the repository root), or NULL. */
static const char *validator(void)
{
    static const char v[] = "../shared/tools/validate-docx";
    return access(v, X_OK) == 0 ? v : NULL;
}

/* Does the XML hold a PAGE field that Word and LibreOffice evaluate: a
 * w:fldSimple whose instruction is PAGE, or within one paragraph the runs
 * fldChar begin, instrText " PAGE ", fldChar separate, a result, fldChar
 * end?  The bare word PAGE is only text. */
static bool page_field(const char *xml)
{
    for (const char *q = xml; (q = strstr(q, "<w:fldSimple ")); q++) {
        const char *in = strstr(q, "w:instr=\"");
        const char *gt = strchr(q, '>');
        if (in && gt && in < gt) {
            in += 9;
            while (*in == ' ') in++;
            if (strncmp(in, "PAGE", 4) == 0 && (in[4] == ' ' || in[4] == '"')) return true;
        }
    }
    for (const char *p = xml; (p = strstr(p, "<w:p")); p++) {
        if (p[4] != '>' && p[4] != ' ') continue;           /* <w:pPr>, <w:pStyle> */
        const char *end = strstr(p, "</w:p>");
        if (!end) break;
        const char *b = strstr(p, "w:fldCharType=\"begin\"");
        const char *i = b ? strstr(b, "<w:instrText") : NULL;
        const char *t = i ? strchr(i, '>') : NULL;
        const char *sep = t ? strstr(t, "w:fldCharType=\"separate\"") : NULL;
        const char *e = sep ? strstr(sep, "w:fldCharType=\"end\"") : NULL;
        if (b && e && e < end) {
            t++;
            while (*t == ' ') t++;
            if (strncmp(t, "PAGE", 4) == 0 && (t[4] == ' ' || t[4] == '<')) return true;
        }
        p = end;
    }
    return false;
}

/* A header name made of two record values, the space between them at the
 * end of the first: the DOCX breaks it where the layout does, with a
 * <w:br/> and no space at either side of it; without name_breaks the same
 * name is narrowed to its balanced measure instead, with no break. */
static void name_lines(const vb_style *s, const vb_fonts *fonts)
{
    for (int flag = 1; flag >= 0; flag--) {
        vb_style st = *s;
        vb_zone *zones = malloc(st.nzones * sizeof *zones);
        memcpy(zones, st.zones, st.nzones * sizeof *zones);
        st.zones = zones;
        for (size_t i = 0; i < st.nzones; i++) if (!strcmp(zones[i].name, "issuer")) zones[i].name_breaks = flag;
        vb_doc *doc = vb_doc_new(&st);
        vb_doc_row_begin(doc, VB_ROW_HEADER);
        vb_para *p = vb_doc_para(doc, Z(&st, "issuer", NULL));
        vb_para_value(doc, p, "Ủy ban nhân dân ", 0, "r.json: /issuer/name");
        vb_para_value(doc, p, "tỉnh Bà Rịa - Vũng Tàu", 0, "r.json: /issuer/name");
        vb_doc_row_cell(doc, 1);
        para(doc, Z(&st, "title", NULL), "ĐẢNG CỘNG SẢN VIỆT NAM");
        vb_doc_row_end(doc);
        para(doc, Z(&st, "type_name", NULL), "NGHỊ QUYẾT");
        int32_t lw, rx;
        vb_row_columns(doc, doc->first->row, fonts, &lw, &rx);
        size_t starts[8];
        int n = vb_line_starts(doc, p, fonts, lw, starts, 8);
        char plain[256] = "";      /* the runs' text joined, as vb_line_starts counts */
        for (const vb_run *r = p->runs; r; r = r->next) strncat(plain, r->text, sizeof plain - strlen(plain) - 1);
        /* the layout's own breaks: before the unit, or balanced */
        CHECK(n == 2);
        if (flag) CHECK(n == 2 && !strcmp(plain + starts[1], "TỈNH BÀ RỊA - VŨNG TÀU"));
        else CHECK(n == 2 && strcmp(plain + starts[1], "TỈNH BÀ RỊA - VŨNG TÀU") != 0);
        vb_diag d;
        vb_diag_init(&d);
        vb_buf out = { 0 };
        CHECK(vb_docx_write(doc, fonts, &out, &d));
        char *xml = part(&out, "word/document.xml");
        CHECK(xml != NULL);
        if (xml && flag) {
            CHECK(strstr(xml, ">ỦY BAN NHÂN DÂN</w:t></w:r><w:r><w:br/><w:t xml:space=\"preserve\">TỈNH BÀ RỊA - VŨNG TÀU</w:t>"));
            CHECK(!strstr(xml, "DÂN </w:t>") && !strstr(xml, "> TỈNH"));
        } else if (xml) {
            CHECK(!strstr(xml, "<w:br/>"));
            /* narrowed: the paragraph carries indents on both sides */
            const char *q = strstr(xml, "VB_CoQuanBanHanh");
            CHECK(q && strstr(q, "<w:ind w:left=") && strstr(q, "<w:ind w:left=") < strstr(q, "ỦY BAN"));
        }
        free(xml);
        vb_buf_free(&out);
        vb_diag_free(&d);
        vb_doc_free(doc);
        free(zones);
    }
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_style s;
    /* the rule file the product uses: a broken one fails here, it is never
     * replaced by a style of the test's own */
    if (access("templates/party/style", R_OK) != 0) {
        CHECK(!"templates/party/style is readable (run from the repository root)");
        return CHECK_DONE("docx");
    }
    bool loaded = vb_style_load(a, "templates/party/style", &s, &d);
    CHECK(loaded);
    if (!loaded) {
        vb_diag_print(&d, stderr);
        vb_diag_free(&d);
        vb_arena_free(a);
        return CHECK_DONE("docx");
    }
    vb_fonts *fonts = NULL;
    if (!vb_fonts_open("fonts", s.font_family ? s.font_family : "Times New Roman", &fonts, &d)) {
        vb_diag_print(&d, stdout);
        vb_diag_clear(&d);
        fonts = NULL;
        CHECK_SKIP("unit docx: no font (fonts-liberation2): written without metrics");
    }

    vb_doc *doc = build(&s);
    vb_buf one = { 0 }, two = { 0 };
    CHECK(vb_docx_write(doc, fonts, &one, &d));
    CHECK(vb_docx_write(doc, fonts, &two, &d));
    CHECK(d.errors == 0);
    CHECK(one.len > 1000 && memcmp(one.data, "PK\003\004", 4) == 0);
    CHECK(one.len == two.len && memcmp(one.data, two.data, one.len) == 0);

    /* the same document under another time zone: the same bytes */
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    vb_buf three = { 0 };
    CHECK(vb_docx_write(doc, fonts, &three, &d));
    CHECK(one.len == three.len && memcmp(one.data, three.data, one.len) == 0);
    vb_buf_free(&three);
    unsetenv("TZ");

    check_package(&one);
    char *xml = part(&one, "word/document.xml");
    CHECK(xml != NULL);
    if (xml) {
        CHECK(strstr(xml, "A &amp; B &lt; C &gt; D &quot;quoted&quot; it&apos;s ") != NULL);
        CHECK(strstr(xml, "&lt;w:t&gt;not markup&lt;/w:t&gt;") != NULL);
        CHECK(strstr(xml, "<w:rPr><w:b/><w:i/></w:rPr><w:t xml:space=\"preserve\">đậm &amp; nghiêng") != NULL);
        CHECK(strstr(xml, "<w:tblLayout w:type=\"fixed\"/>") != NULL);
        CHECK(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>") != NULL);
        CHECK(strstr(xml, "<w:titlePg/>") != NULL);
        CHECK(strstr(xml, "<w:pBdr><w:bottom w:val=\"single\"") != NULL);
        CHECK(strstr(xml, "w:caps") == NULL);
        free(xml);
    }
    xml = part(&one, "word/document.xml");
    if (xml) {
        /* white space folded, no tab; line breaks only where the layout
         * breaks the header names (name_breaks), none from the text's own
         * line ends */
        CHECK(strstr(xml, ">Alpha beta gamma </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Delta</w:t>") != NULL);
        CHECK(strstr(xml, "<w:tab/>") == NULL);
        int brs = 0;
        for (const char *q = xml; (q = strstr(q, "<w:br/>")); q++) brs++;
        if (fonts) {
            CHECK(brs == 2);
            CHECK(strstr(xml, ">ĐẢNG BỘ</w:t><w:br/><w:t xml:space=\"preserve\">THÀNH PHỐ HẢI PHÒNG</w:t>") != NULL);
            CHECK(strstr(xml, ">ĐẢNG ỦY KHỐI</w:t><w:br/><w:t xml:space=\"preserve\">DOANH NGHIỆP</w:t>") != NULL);
        } else CHECK(brs == 0);
        /* the shorter signature's name is moved down to the other's level */
        const char *left = strstr(xml, ">Left Name<");
        const char *pstart = NULL;
        for (const char *q = xml; q && q < (left ? left : xml); q = strstr(q + 1, "<w:p>")) pstart = q;
        CHECK(left && pstart && strstr(pstart, "w:before=\"") && strstr(pstart, "w:before=\"") < left);
        if (left && pstart && fonts) {
            long before = strtol(strstr(pstart, "w:before=\"") + 10, NULL, 10);
            const vb_zone *nz = Z(&s, "sig_name", NULL);
            CHECK(before > (nz->space_before + 2 * 14 * VB_PT) / 50);   /* two more lines above it on the right */
        }
        CHECK(strstr(xml, ">Right Name<") != NULL);
        /* the rule under the title: an empty paragraph with a bottom border */
        CHECK(strstr(xml, "<w:pStyle w:val=\"VB_DuongKe\"/>") != NULL);
        free(xml);
    }
    char *settings = part(&one, "word/settings.xml");
    CHECK(settings && strstr(settings, "<w:compat><w:doNotUseHTMLParagraphAutoSpacing/>"));
    /* Word 2007's layout named outright (LibreOffice 25.2 takes no mode
     * for Word 2013's and moves tables by their cell margin) */
    CHECK(settings && strstr(settings, "<w:compatSetting w:name=\"compatibilityMode\" "
                                       "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"12\"/></w:compat>"));
    free(settings);
    char *styles = part(&one, "word/styles.xml");
    CHECK(styles != NULL);
    if (styles) {
        /* every zone has an exact line height; only the defaults say auto */
        int autos = 0, exacts = 0;
        for (const char *q = styles; (q = strstr(q, "w:lineRule=\"auto\"")); q++) autos++;
        for (const char *q = styles; (q = strstr(q, "w:lineRule=\"exact\"")); q++) exacts++;
        CHECK(autos == 1);
        CHECK(exacts >= 10);
        const vb_zone *body = vb_style_zone(&s, "body");
        char want[160];
        snprintf(want, sizeof want, "w:styleId=\"%s\"", body ? body->docx_style : "VB_NoiDung");
        CHECK(strstr(styles, want) != NULL);
        CHECK(strstr(styles, "w:ascii=\"Times New Roman\"") != NULL);
        CHECK(strstr(styles, "<w:lang w:val=\"vi-VN\"") != NULL);
        free(styles);
    }
    char *core = part(&one, "docProps/core.xml");
    CHECK(core && strstr(core, "&lt;hội nghị&gt; &quot;lần thứ Bảy&quot; &amp; &apos;khóa III&apos;"));
    CHECK(core && strstr(core, ">2021-12-28T00:00:00Z</dcterms:created>"));
    free(core);
    char *hdr = part(&one, "word/header1.xml");
    CHECK(hdr && page_field(hdr));
    /* the test itself: the word alone, or a field left open, is no field */
    CHECK(!page_field("<w:p><w:r><w:t> PAGE </w:t></w:r></w:p>"));
    CHECK(!page_field("<w:p><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>2</w:t></w:r></w:p>"));
    CHECK(!page_field("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText>"
                      "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r></w:p>"));
    CHECK(!page_field("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> NUMPAGES </w:instrText>"
                      "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"));
    CHECK(page_field("<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>"));
    char *hdr1 = part(&one, "word/header2.xml");
    CHECK(hdr1 && !page_field(hdr1));           /* the first page's header has none */
    free(hdr1);
    free(hdr);

    const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/vb-unit-docx-XXXXXX.docx", tmpdir);
    int fd = mkstemps(path, 5);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, one.data, one.len) == (ssize_t)one.len);
        close(fd);
        const char *v = validator();
        if (v) {
            char cmd[8300];
            snprintf(cmd, sizeof cmd, "'%s' '%s' >/dev/null 2>&1 || '%s' '%s'", v, path, v, path);
            int rc = system(cmd);
            CHECK(rc == 0);
        } else {
            CHECK_SKIP("unit docx: ../shared/tools/validate-docx is not there: the schema check does not run");
        }
        const char *keep = getenv("VB_DOCX_KEEP");
        if (keep && *keep) {
            char cmd[8300];
            snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, keep);
            CHECK(system(cmd) == 0);
        }
        unlink(path);
    }

    if (fonts) name_lines(&s, fonts);

    vb_buf_free(&one);
    vb_buf_free(&two);
    vb_doc_free(doc);
    if (fonts) vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("docx");
}
