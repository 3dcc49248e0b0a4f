/* docx.c — unit test of the DOCX backend: a hand-built document with a
 * header row, a rule, text full of XML specials and a signature row is
 * written twice; the package must be a zip with its parts in the fixed
 * order, byte-identical between runs, hold the escaped text and — when
 * ../shared/tools/validate-docx is there — pass the ISO 29500 schemas.
 *
 * VB_DOCX_KEEP=FILE keeps the written document for a look in Word or
 * LibreOffice. */
#include "check.h"
#include "model.h"
#include "backend.h"
#include "font.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static vb_zone zone(const char *name, const char *id, const char *label, double pt,
                    unsigned flags, vb_align align)
{
    vb_zone z;
    memset(&z, 0, sizeof z);
    z.name = name; z.docx_style = id; z.docx_name = label;
    z.size = (int32_t)(pt * VB_PT); z.flags = flags; z.align = align;
    z.line = z.size * 13 / 10;
    return z;
}

/* A small Party-like style when templates/party/style is not there. */
static void hand_style(vb_style *s)
{
    static vb_zone zs[14];
    size_t n = 0;
    memset(s, 0, sizeof *s);
    s->path = "(test style)";
    s->convention = VB_PARTY;
    s->name = "test";
    s->font_family = "Times New Roman";
    s->page_w = VB_MM(210); s->page_h = VB_MM(297);
    s->margin_top = VB_MM(20); s->margin_bottom = VB_MM(20);
    s->margin_left = VB_MM(30); s->margin_right = VB_MM(15);
    s->page_number_y = VB_MM(10); s->page_number_from = 2;
    s->header_left = 450; s->signature_left = 500; s->header_min_gap = VB_MM(5);
    s->header_left_min = 200; s->header_left_max = 650;
    s->blank = "…"; s->end_mark = ".";
    zs[n] = zone("title", "VB_QuocHieu", "VB Quốc hiệu", 15, VB_BOLD, VB_ALIGN_CENTER);
    zs[n].upper = true; zs[n].rule = VB_RULE_TEXT; zs[n].rule_gap = 4 * VB_PT;
    zs[n].rule_width = 600; n++;
    zs[n++] = zone("issuer", "VB_CoQuan", "VB Cơ quan ban hành", 14, VB_BOLD, VB_ALIGN_CENTER);
    zs[n++] = zone("date_line", "VB_DiaDanh", "VB Địa danh, ngày tháng", 14, VB_ITALIC, VB_ALIGN_CENTER);
    zs[n] = zone("type_name", "VB_TenLoai", "VB Tên loại", 16, VB_BOLD, VB_ALIGN_CENTER);
    zs[n].space_before = 12 * VB_PT; zs[n].keep_next = true; n++;
    zs[n] = zone("summary", "VB_TrichYeu", "VB Trích yếu", 14, VB_BOLD, VB_ALIGN_CENTER);
    zs[n].rule = VB_RULE_FIXED; zs[n].rule_len = VB_MM(20); zs[n].rule_gap = 5 * VB_PT;
    zs[n].rule_width = 500; zs[n].space_after = 12 * VB_PT; zs[n].keep_next = true; n++;
    zs[n] = zone("body", "VB_NoiDung", "VB Nội dung", 14, 0, VB_ALIGN_JUSTIFY);
    zs[n].indent_first = VB_MM(10); zs[n].space_after = 6 * VB_PT; zs[n].line = 19 * VB_PT; n++;
    zs[n] = zone("recipients_title", "VB_NoiNhan", "VB Nơi nhận", 14, VB_UNDERLINE, VB_ALIGN_LEFT); n++;
    zs[n] = zone("recipient", "VB_NoiNhanDong", "VB Nơi nhận – dòng", 12, 0, VB_ALIGN_LEFT); n++;
    zs[n] = zone("sig_authority", "VB_ThamQuyen", "VB Thẩm quyền ký", 14, VB_BOLD, VB_ALIGN_CENTER);
    zs[n].upper = true; n++;
    zs[n] = zone("sig_position", "VB_ChucVuKy", "VB Chức vụ người ký", 14, 0, VB_ALIGN_CENTER);
    zs[n].upper = true; n++;
    zs[n] = zone("sig_name", "VB_NguoiKy", "VB Người ký", 14, VB_BOLD, VB_ALIGN_CENTER);
    zs[n].space_before = 60 * VB_PT; n++;
    zs[n++] = zone("page_number", "VB_SoTrang", "VB Số trang", 14, 0, VB_ALIGN_CENTER);
    s->zones = zs; s->nzones = n;
}

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

/* ../shared/tools/validate-docx from the repository root (or beside the
 * test binary's tree), or NULL. */
static const char *validator(void)
{
    static const char *cands[] = { "../shared/tools/validate-docx", "../../shared/tools/validate-docx",
                                   "/work/shared/tools/validate-docx" };
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++)
        if (access(cands[i], X_OK) == 0) return cands[i];
    return NULL;
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_style s;
    if (access("templates/party/style", R_OK) != 0 || !vb_style_load(a, "templates/party/style", &s, &d)) {
        if (d.n) { printf("unit docx: templates/party/style did not load, using a built-in style\n"); vb_diag_clear(&d); }
        hand_style(&s);
    }
    vb_fonts *fonts = NULL;
    if (!vb_fonts_open("fonts", s.font_family ? s.font_family : "Times New Roman", &fonts, &d)) {
        printf("unit docx: no font, writing without metrics:\n");
        vb_diag_print(&d, stdout);
        vb_diag_clear(&d);
        fonts = NULL;
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
        /* white space folded, no tab or break elements */
        CHECK(strstr(xml, ">Alpha beta gamma </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Delta</w:t>") != NULL);
        CHECK(strstr(xml, "<w:tab/>") == NULL && strstr(xml, "<w:br/>") == NULL);
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
    CHECK(settings && strstr(settings, "<w:compat><w:doNotUseHTMLParagraphAutoSpacing/></w:compat>"));
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
    CHECK(hdr && strstr(hdr, " PAGE "));
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
            printf("unit docx: ../shared/tools/validate-docx not found, schema check skipped\n");
        }
        const char *keep = getenv("VB_DOCX_KEEP");
        if (keep && *keep) {
            char cmd[8300];
            snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, keep);
            CHECK(system(cmd) == 0);
        }
        unlink(path);
    }

    vb_buf_free(&one);
    vb_buf_free(&two);
    vb_doc_free(doc);
    if (fonts) vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("docx");
}
