/* Header fitting (layout.c fit_header), on generated headers of both
 * conventions: nowrap lines (title, motto, number, date) stay one line,
 * every line inside its column as vb_row_columns gives it (the DOCX's
 * columns), the texts of the two columns header_min_gap apart on rows that
 * overlap, no body name broken inside a fixed phrase, and a date line no
 * column can hold fails with a message naming the field and both widths,
 * in the PDF layout and the DOCX alike.  Names that balancing alone broke
 * wrong read as printed documents do; the rule-file keys that say so
 * (break_before, keep_together, name_breaks) are checked on load. */
#include "check.h"
#include "backend.h"
#include "layout.h"
#include "style.h"
#include "model.h"
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Load a rule file made of `text`; the message of a failure, or "" */
static const char *style_from(vb_arena *a, const char *text, vb_style *st)
{
    char path[] = "/tmp/vb-unit-style-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return "mkstemp failed";
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    vb_diag d;
    vb_diag_init(&d);
    bool ok = vb_style_load(a, path, st, &d);
    const char *msg = ok ? "" : d.n ? vb_strdup(a, d.items[0].msg + strlen(path)) : "?";
    vb_diag_free(&d);
    unlink(path);
    return msg;
}

static unsigned seed = 4242;
static unsigned rnd(unsigned n) { seed = seed * 1103515245u + 12345u; return (seed >> 16) % n; }

static const char *PLACES[] = { "Hà Nội", "Phú Cường", "Thành phố Vũng Tàu", "Thành phố Hồ Chí Minh",
    "Phan Rang - Tháp Chàm", "Vân Khê Thượng", "Buôn Ma Thuột", "Thành phố Thủ Dầu Một" };
static const char *BODY[] = { "Ủy ban", "nhân dân", "phường", "Vân Khê Thượng", "Ban Quản lý", "các khu",
    "công nghiệp", "và khu chế xuất", "tỉnh", "Bà Rịa - Vũng Tàu", "Đảng ủy", "Sở Nông nghiệp", "và Môi trường",
    "Thừa Thiên Huế", "Trung tâm", "Kiểm soát bệnh tật", "Đắk Lắk" };

static char *body_name(vb_arena *a, int n)
{
    char *s = vb_alloc(a, (size_t)n * 24 + 1);
    for (int i = 0; i < n; i++) { if (i) strcat(s, " "); strcat(s, BODY[rnd(sizeof BODY / sizeof *BODY)]); }
    return s;
}

/* Two header rows as the templates make them; the date line is a record
 * value named "/place". */
static vb_doc *header_doc(const vb_style *st, const char *sup, const char *iss, const char *place, bool state)
{
    vb_doc *doc = vb_doc_new(st);
    vb_doc_row_begin(doc, VB_ROW_HEADER);
    if (sup) vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "superior")), sup, 0);
    vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "issuer")), iss, 0);
    if (!state) vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "star")), "*", 0);
    vb_doc_row_cell(doc, 1);
    vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "title")),
                 state ? "Cộng hòa xã hội chủ nghĩa Việt Nam" : "Đảng Cộng sản Việt Nam", 0);
    if (state) vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "motto")), "Độc lập - Tự do - Hạnh phúc", 0);
    vb_doc_row_end(doc);
    vb_doc_row_begin(doc, VB_ROW_HEADER);
    vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "number")), state ? "Số: 07/NQ-HĐND" : "Số 15-NQ/ĐUK", 0);
    vb_doc_row_cell(doc, 1);
    vb_para *dl = vb_doc_para(doc, vb_style_zone(st, "date_line"));
    vb_para_value(doc, dl, place, 0, "r.json: /place");
    vb_para_text(doc, dl, ", ngày 20 tháng 12 năm 2024", 0);
    vb_doc_row_end(doc);
    vb_para_text(doc, vb_doc_para(doc, vb_style_zone(st, "type_name")), "Nghị quyết", 0);
    return doc;
}

static int bad_nowrap, bad_column, bad_gap, bad_phrase, docs;

/* Phrases a header name is never broken inside: the test's own copy of
 * what printed documents do (the rule files say the same). */
static const char *KEEP[] = { "HỘI ĐỒNG NHÂN DÂN", "ỦY BAN NHÂN DÂN", "THÀNH PHỐ", "BAN QUẢN LÝ", "KHU CÔNG NGHIỆP",
                              "KHU CHẾ XUẤT", "ĐẢNG ỦY", "ĐẢNG BỘ" };

/* The lines of the body name set in `face` in the left cell of the first
 * row, top to bottom, joined by " / " (the star is no name). */
static void name_lines(const vb_layout *l, const vb_style *st, int32_t lw, vb_face face, char *out, size_t cap)
{
    out[0] = 0;
    const vb_page *pg = &l->pages[0];
    for (size_t i = 0; i < pg->nfrags; i++) {
        const vb_frag *f = &pg->frags[i];
        if (f->block != 0 || f->face != face || f->x - st->margin_left > lw || !strcmp(f->text, "*")) continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n ? " / " : "", f->text);
    }
}

/* Is a line break (" / ") inside one of KEEP in these lines? */
static bool breaks_phrase(const char *lines)
{
    for (size_t k = 0; k < sizeof KEEP / sizeof *KEEP; k++) {
        char buf[128];
        /* every way of cutting the phrase at one of its spaces */
        for (const char *sp = strchr(KEEP[k], ' '); sp; sp = strchr(sp + 1, ' ')) {
            snprintf(buf, sizeof buf, "%.*s / %s", (int)(sp - KEEP[k]), KEEP[k], sp + 1);
            const char *q = strstr(lines, buf);
            /* whole words: the phrase starts a word and ends one */
            if (q && (q == lines || q[-1] == ' ') && (q[strlen(buf)] == 0 || q[strlen(buf)] == ' ')) return true;
        }
    }
    return false;
}

static void check_header(const vb_style *st, const vb_fonts *fonts, vb_doc *doc, const char *date_line, bool state)
{
    vb_layout *l = NULL;
    vb_diag d;
    vb_diag_init(&d);
    bool ok = vb_layout_run(doc, fonts, &l, &d);
    CHECK(ok);
    if (!ok) { vb_diag_print(&d, stderr); vb_diag_free(&d); return; }
    docs++;
    int32_t W = st->page_w - st->margin_left - st->margin_right, lw, rx;
    vb_row_columns(doc, doc->first->row, fonts, &lw, &rx);
    const vb_page *pg = &l->pages[0];
    const char *whole[] = { date_line, state ? "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" : "ĐẢNG CỘNG SẢN VIỆT NAM",
                            state ? "Số: 07/NQ-HĐND" : "Số 15-NQ/ĐUK", state ? "Độc lập - Tự do - Hạnh phúc" : NULL };
    for (int k = 0; k < 4; k++) {
        if (!whole[k]) continue;
        bool found = false;
        for (size_t i = 0; i < pg->nfrags; i++) if (!strcmp(pg->frags[i].text, whole[k])) found = true;
        if (!found) { bad_nowrap++; fprintf(stderr, "not one line: %s\n", whole[k]); }
    }
    for (int f = 0; f < 2; f++) {
        char lines[1024];
        name_lines(l, st, lw, f ? VB_FACE_BOLD : VB_FACE_REGULAR, lines, sizeof lines);
        if (breaks_phrase(lines)) { bad_phrase++; fprintf(stderr, "a fixed phrase broken: %s\n", lines); }
    }
    for (size_t i = 0; i < pg->nfrags; i++) {
        const vb_frag *a = &pg->frags[i];
        if (a->block > 1) continue;                       /* the two header rows */
        int32_t x = a->x - st->margin_left;
        bool left = x + a->width <= lw, right = x >= rx && x + a->width <= W;
        if (!left && !right) { bad_column++; fprintf(stderr, "outside its column: %s\n", a->text); }
        for (size_t j = 0; j < pg->nfrags; j++) {
            const vb_frag *b = &pg->frags[j];
            if (b->block != a->block || b->x - st->margin_left < rx || !left) continue;
            /* lines overlap when their baselines are closer than a line */
            int32_t dy = a->y > b->y ? a->y - b->y : b->y - a->y;
            if (dy < (a->size > b->size ? a->size : b->size) && b->x - (a->x + a->width) < st->header_min_gap) {
                bad_gap++;
                fprintf(stderr, "too close: %s | %s\n", a->text, b->text);
            }
        }
    }
    vb_layout_free(l);
    vb_diag_free(&d);
}

static void fails_alike(const vb_style *st, const vb_fonts *fonts, vb_doc *doc, const char *want)
{
    vb_layout *l = NULL;
    vb_diag d;
    vb_diag_init(&d);
    CHECK(!vb_layout_run(doc, fonts, &l, &d));
    bool said = d.n == 1 && d.exit_code == VB_EXIT_INPUT && strstr(d.items[0].msg, want);
    CHECK(said);
    if (!said && d.n) fprintf(stderr, "  got: %s\n", d.items[0].msg);
    vb_diag_free(&d);
    /* the DOCX cannot be made either: Word would wrap the same line */
    vb_diag_init(&d);
    vb_buf out = {0};
    CHECK(!vb_docx_write(doc, fonts, &out, &d));
    CHECK(d.n == 1 && strstr(d.items[0].msg, want));
    vb_buf_free(&out);
    vb_diag_free(&d);
    (void)st;
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_style sts[2];
    CHECK(vb_style_load(a, "templates/party/style", &sts[0], &d));
    CHECK(vb_style_load(a, "templates/state/style", &sts[1], &d));
    CHECK(sts[0].header_min_gap >= VB_MM(8) && sts[1].header_min_gap >= VB_MM(8));
    CHECK(vb_style_zone(&sts[0], "date_line")->nowrap && vb_style_zone(&sts[1], "date_line")->nowrap);
    /* the bounds of the split, read and checked on load with file:line */
    {
        vb_style t;
        CHECK_STR(style_from(a, "convention = party\n[columns]\nheader_left_min = 30%\nheader_left_max = 3/5\n"
                                "header_left = 45%\nheader_min_gap = 9mm\n", &t), "");
        CHECK(t.header_left_min == 300 && t.header_left_max == 600 && t.header_left == 450 && t.header_min_gap == VB_MM(9));
        CHECK_STR(style_from(a, "convention = party\n[columns]\nheader_left = 45%\nheader_left_min = 50%\n", &t),
                  ":4: [columns] needs header_left_min <= header_left <= header_left_max, got 50.0% <= 45.0% <= 65.0%");
        CHECK_STR(style_from(a, "convention = party\n[columns]\nheader_left_max = 5mm\n", &t),
                  ":3: expected a fraction such as 20%, got 5mm");
        CHECK_STR(style_from(a, "convention = party\n[columns]\nheader_min_gap = 80mm\n", &t),
                  ":3: expected a length up to 50mm, got 80mm");
    }
    vb_fonts *fonts = NULL;
    CHECK(vb_fonts_open("fonts", "Times New Roman", &fonts, &d));
    if (!fonts) return CHECK_DONE("header");
    for (int n = 0; n < 120; n++) {
        bool state = n % 2;
        const vb_style *st = &sts[state];
        vb_arena *t = vb_arena_new();
        const char *place = PLACES[rnd(sizeof PLACES / sizeof *PLACES)];
        char *sup = rnd(3) ? body_name(t, 2 + (int)rnd(4)) : NULL;
        char *iss = body_name(t, 1 + (int)rnd(7));
        char date_line[256];
        snprintf(date_line, sizeof date_line, "%s, ngày 20 tháng 12 năm 2024", place);
        vb_doc *doc = header_doc(st, sup, iss, place, state);
        check_header(st, fonts, doc, date_line, state);
        vb_doc_free(doc);
        vb_arena_free(t);
    }
    CHECK(docs == 120);
    CHECK(bad_nowrap == 0);
    CHECK(bad_column == 0);
    CHECK(bad_gap == 0);
    CHECK(bad_phrase == 0);
    /* the test's own check finds a broken phrase, and only whole words */
    CHECK(breaks_phrase("HỘI ĐỒNG NHÂN / DÂN TỈNH NAM ĐỊNH") && breaks_phrase("ĐẢNG BỘ THÀNH / PHỐ THỦ DẦU MỘT"));
    CHECK(!breaks_phrase("HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH") && !breaks_phrase("ĐẢNG BỘ / THÀNH PHỐ THỦ DẦU MỘT"));
    CHECK(!breaks_phrase("ĐẢNG / BỘI THU") && !breaks_phrase("HỘI ĐỒNG NHÂN / DÂNG"));   /* whole words only */
    /* Names where balancing alone breaks wrong ("HỘI ĐỒNG NHÂN / DÂN TỈNH
     * NAM ĐỊNH"): they read as printed documents do, in both conventions'
     * rule files, the superior regular and the issuer bold; without the
     * zones' name_breaks the layout balances them elsewhere, as before. */
    {
        static const struct { int state; const char *sup, *iss, *place, *want_sup, *want_iss; } reg[] = {
            { 1, NULL, "Hội đồng nhân dân tỉnh Nam Định", "Nam Định", "", "HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH" },
            { 0, "Đảng bộ thành phố Thủ Dầu Một", "Đảng ủy phường Phú Cường", "Phú Cường",
              "ĐẢNG BỘ / THÀNH PHỐ THỦ DẦU MỘT", NULL },
            { 1, "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "Sở Nông nghiệp và Môi trường", "Bà Rịa - Vũng Tàu",
              "ỦY BAN NHÂN DÂN / TỈNH BÀ RỊA - VŨNG TÀU", NULL },
            /* the issuer's words, in any case, match the rule file's phrases */
            { 1, NULL, "HỘI đồng NHÂN dân Tỉnh Nam Định", "Nam Định", "", "HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH" },
        };
        for (size_t r = 0; r < sizeof reg / sizeof *reg; r++)
            for (int flag = 1; flag >= 0; flag--) {
                vb_style st = sts[reg[r].state];
                vb_zone zones[64];
                CHECK(st.nzones <= 64);
                memcpy(zones, st.zones, st.nzones * sizeof *zones);
                for (size_t i = 0; i < st.nzones; i++) if (!flag) zones[i].name_breaks = false;
                st.zones = zones;
                char dl[256];
                snprintf(dl, sizeof dl, "%s, ngày 20 tháng 12 năm 2024", reg[r].place);
                vb_doc *doc = header_doc(&st, reg[r].sup, reg[r].iss, reg[r].place, reg[r].state);
                vb_layout *l = NULL;
                vb_diag dd;
                vb_diag_init(&dd);
                CHECK(vb_layout_run(doc, fonts, &l, &dd));
                if (l) {
                    int32_t lw, rx;
                    vb_row_columns(doc, doc->first->row, fonts, &lw, &rx);
                    char sup[1024], iss[1024];
                    name_lines(l, &st, lw, VB_FACE_REGULAR, sup, sizeof sup);
                    name_lines(l, &st, lw, VB_FACE_BOLD, iss, sizeof iss);
                    if (flag) {
                        if (reg[r].want_sup) CHECK_STR(sup, reg[r].want_sup);
                        if (reg[r].want_iss) CHECK_STR(iss, reg[r].want_iss);
                    } else {
                        /* as before: balanced, elsewhere */
                        bool s_ = reg[r].want_sup && *reg[r].want_sup;
                        const char *got = s_ ? sup : iss, *want = s_ ? reg[r].want_sup : reg[r].want_iss;
                        CHECK(strcmp(got, want) != 0);
                        if (!strcmp(got, want)) fprintf(stderr, "  without name_breaks too: %s\n", got);
                    }
                    vb_layout_free(l);
                }
                vb_diag_free(&dd);
                vb_doc_free(doc);
            }
    }
    /* the rule-file keys: phrases upper-cased, white space folded; an empty
     * phrase, one named twice and a flag that is no yes/no are errors
     * naming file:line */
    {
        vb_style t;
        CHECK_STR(style_from(a, "convention = state\n[text]\nbreak_before = \" tỉnh |thành   phố\"\n"
                                "keep_together = Ủy ban nhân dân\n[zone issuer]\nname_breaks = yes\n", &t), "");
        CHECK(t.nbreak_before == 2 && t.nkeep_together == 1 && t.nzones == 1 && t.zones[0].name_breaks);
        if (t.nbreak_before == 2) { CHECK_STR(t.break_before[0], "TỈNH"); CHECK_STR(t.break_before[1], "THÀNH PHỐ"); }
        if (t.nkeep_together == 1) CHECK_STR(t.keep_together[0], "ỦY BAN NHÂN DÂN");
        CHECK_STR(style_from(a, "convention = state\n[text]\nbreak_before = \"TỈNH||XÃ\"\n", &t),
                  ":3: break_before: phrase 2 is empty (phrases are separated by |)");
        CHECK_STR(style_from(a, "convention = state\n[text]\nkeep_together = \"Đảng bộ|ĐẢNG BỘ\"\n", &t),
                  ":3: keep_together names \"ĐẢNG BỘ\" twice");
        CHECK_STR(style_from(a, "convention = state\n\n[zone issuer]\nname_breaks = maybe\n", &t),
                  ":4: name_breaks takes yes or no; got maybe");
        CHECK_STR(style_from(a, "convention = state\n[text]\nkeep_together = \"\xff\"\n", &t),
                  ":3: keep_together: invalid UTF-8 at byte 0 of the value");
        /* the product's rule files say it for both names of both conventions */
        for (int k = 0; k < 2; k++) {
            CHECK(vb_style_zone(&sts[k], "superior")->name_breaks && vb_style_zone(&sts[k], "issuer")->name_breaks);
            CHECK(sts[k].nbreak_before >= 9 && sts[k].nkeep_together >= 15);
        }
    }
    /* the place of issue 10's report: the date stays whole beside a long
     * superior, which wraps instead */
    {
        vb_doc *doc = header_doc(&sts[0], "ĐẢNG BỘ THÀNH PHỐ THỦ DẦU MỘT", "Đảng ủy phường Phú Cường", "Phú Cường", false);
        check_header(&sts[0], fonts, doc, "Phú Cường, ngày 20 tháng 12 năm 2024", false);
        vb_doc_free(doc);
        CHECK(bad_nowrap == 0 && bad_gap == 0);
    }
    /* no column can hold it: exit 1, the field and both widths named */
    for (int s = 0; s < 2; s++) {
        vb_doc *doc = header_doc(&sts[s], NULL, "Ủy ban nhân dân", "Thị trấn Phong Thổ, huyện Phong Thổ, tỉnh Lai Châu", s);
        fails_alike(&sts[s], fonts, doc, "r.json: /place: \"Thị trấn Phong Thổ, huyện Phong Thổ, tỉnh Lai Châu\": "
                                         "its date_line line needs ");
        vb_doc_free(doc);
    }
    {
        vb_doc *doc = header_doc(&sts[0], NULL, "Ủy ban nhân dân", "Thị trấn Phong Thổ, huyện Phong Thổ, tỉnh Lai Châu", false);
        fails_alike(&sts[0], fonts, doc, "the right column can give at most ");
        vb_doc_free(doc);
    }
    vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("header");
}
