/* Layout invariants, checked on many generated documents: justified right
 * edges, margins (left, right, top and bottom), the first-line indent of
 * every body paragraph, no widow or orphan line, headings kept with the next
 * lines, the signature row never alone on a page, giant words split. */
#include "check.h"
#include "layout.h"
#include "style.h"
#include "model.h"
#include "font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *WORDS[] = { "Đảng", "bộ", "Khối", "doanh", "nghiệp", "thực", "hiện", "nhiệm", "vụ", "năm",
    "2022", "phát", "triển", "sản", "xuất", "kinh", "doanh,", "bảo", "đảm", "an", "sinh", "xã", "hội;",
    "nâng", "cao", "chất", "lượng", "tổ", "chức", "cơ", "sở", "đảng", "và", "đảng", "viên.", "Ủy", "ban",
    "Kiểm", "tra", "quán", "triệt", "nghị", "quyết", "đến", "từng", "chi", "bộ",
    /* line-break rules: no break before ")" or after "/", one after a hyphen */
    ")", "(khóa", "đồng/người/tháng", "Bà-Rịa-Vũng-Tàu", "Thừa-Thiên-Huế" };
static unsigned seed = 12345;
static unsigned rnd(unsigned n) { seed = seed * 1103515245u + 12345u; return (seed >> 16) % n; }

static char *words(vb_arena *a, int n)
{
    char *s = vb_alloc(a, (size_t)n * 16 + 1);
    for (int i = 0; i < n; i++) { if (i) strcat(s, " "); strcat(s, WORDS[rnd(sizeof WORDS / sizeof *WORDS)]); }
    return s;
}

/* FNV-1a of the layout dumps of 40 generated documents of body paragraphs
 * and headings (with glue, hyphens and a giant word), laid out with the
 * style as it is. */
static unsigned long long dump_hash(const vb_style *st, const vb_fonts *fonts, unsigned s0)
{
    unsigned saved = seed;
    seed = s0;
    unsigned long long h = 1469598103934665603ull;
    const vb_zone *body = vb_style_zone(st, "body"), *h1 = vb_style_zone(st, "heading1");
    for (int n = 0; n < 40; n++) {
        vb_doc *doc = vb_doc_new(st);
        int nblocks = 2 + (int)rnd(12);
        for (int i = 0; i < nblocks; i++) {
            bool head = rnd(4) == 0;
            vb_para_text(doc, vb_doc_para(doc, head ? h1 : body), words(doc->arena, head ? 3 + (int)rnd(8) : 5 + (int)rnd(160)), 0);
        }
        if (n == 7) {
            char *w = vb_alloc(doc->arena, 1200);
            strcpy(w, "đầu ");
            for (int i = 0; i < 300; i++) strcat(w, "ê");
            strcat(w, " cuối");
            vb_para_text(doc, vb_doc_para(doc, body), w, 0);
        }
        vb_layout *l = NULL;
        vb_diag d;
        vb_diag_init(&d);
        if (vb_layout_run(doc, fonts, &l, &d)) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            vb_layout_dump(l, f);
            fclose(f);
            for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
            free(buf);
            vb_layout_free(l);
        } else h = 0;
        vb_diag_free(&d);
        vb_doc_free(doc);
    }
    seed = saved;
    return h;
}

/* ---- line breaking: total fit against greedy ---- */

/* Plain words (no glue, no break inside), as the line-breaking checks
 * measure each one themselves. */
static const char *PLAIN[] = { "Đảng", "bộ", "Khối", "doanh", "nghiệp", "thực", "hiện", "nhiệm", "vụ", "năm",
    "2022", "phát", "triển", "sản", "xuất", "kinh", "doanh,", "bảo", "đảm", "an", "sinh", "xã", "hội;",
    "nâng", "cao", "chất", "lượng", "tổ", "chức", "cơ", "sở", "đảng", "và", "viên.", "Ủy", "ban",
    "Kiểm", "tra", "quán", "triệt", "nghị", "quyết", "đến", "từng", "chi", "trách", "nhiệm", "người",
    "đứng", "đầu;", "giải", "ngân", "được", "kế", "hoạch", "vốn.", "Thường", "vụ", "Tuyên", "giáo." };
#define NPLAIN (int)(sizeof PLAIN / sizeof *PLAIN)
#define MAXW 200

typedef struct bpara { int n; int w[MAXW]; } bpara;      /* indices into PLAIN */

/* One line of a laid-out paragraph: its words (indices into PLAIN) and
 * the x of each word. */
typedef struct bline { int n; int w[MAXW]; int32_t x[MAXW]; } bline;

static int plain_index(const char *t, size_t len)
{
    for (int i = 0; i < NPLAIN; i++) if (strlen(PLAIN[i]) == len && !memcmp(PLAIN[i], t, len)) return i;
    return -1;
}

/* The lines of block b, rebuilt from the fragments; returns how many. */
static int lines_of(const vb_layout *l, int b, bline *out, int max)
{
    int nl = 0, cur = -1;
    for (size_t pg = 0; pg < l->npages; pg++)
        for (size_t k = 0; k < l->pages[pg].nfrags; k++) {
            const vb_frag *f = &l->pages[pg].frags[k];
            if (f->block != b) continue;
            if (f->line != cur) { if (nl == max) return -1; cur = f->line; out[nl++].n = 0; }
            bline *ln = &out[nl - 1];
            /* a fragment holds one or more words: x of the later ones from the natural widths is
             * not needed (only justified lines, one word a fragment, are measured) */
            const char *t = f->text;
            bool firstw = true;
            while (*t) {
                while (*t == ' ') t++;
                if (!*t) break;
                const char *e = t;
                while (*e && *e != ' ') e++;
                if (ln->n < MAXW) { ln->w[ln->n] = plain_index(t, (size_t)(e - t)); ln->x[ln->n] = firstw ? f->x : -1; ln->n++; }
                firstw = false;
                t = e;
            }
        }
    return nl;
}

static bool is_runt(int word, const int32_t *wid, int32_t size) { return wid[word] < 4 * size; }

/* Is there a breaking of p into at most maxl lines, every line but the last
 * within `stretch` and `shrink` (permille) of its spaces, the last line at its
 * natural width and not one short word?  Reachability over break points. */
static bool runt_avoidable(const bpara *p, const int32_t *wid, int32_t sp, int32_t first, int32_t base,
                           int32_t size, int stretch, int shrink, int maxl)
{
    int reach[MAXW + 1];                       /* fewest lines to reach a break, 0: never */
    for (int i = 0; i <= p->n; i++) reach[i] = 0;
    reach[0] = 1;
    for (int i = 0; i < p->n; i++) {
        if (!reach[i]) continue;
        int32_t avail = i == 0 ? first : base;
        int64_t nat = 0;
        for (int j = i + 1; j <= p->n; j++) {
            nat += wid[p->w[j - 1]] + (j > i + 1 ? sp : 0);
            int64_t spaces = (int64_t)(j - i - 1) * sp, diff = avail - nat;
            if (j == p->n) {
                if (nat <= avail && !(j - i == 1 && is_runt(p->w[i], wid, size)) && reach[i] <= maxl) return true;
                break;
            }
            if (diff < 0 && -diff * 1000 > spaces * shrink) break;
            if (diff >= 0 && diff * 1000 > spaces * stretch) continue;
            if (!reach[j] || reach[i] + 1 < reach[j]) reach[j] = reach[i] + 1;
        }
    }
    return false;
}

static void breaking_checks(vb_style *st, const vb_fonts *fonts)
{
    const vb_zone *body = vb_style_zone(st, "body");
    int32_t size = body->size, W = st->page_w - st->margin_left - st->margin_right;
    int32_t base = W - body->indent_left - body->indent_right, first = base - body->indent_first;
    int32_t wid[NPLAIN], sp = 0, miss = 0;
    for (int i = 0; i < NPLAIN; i++) vb_font_measure(fonts, VB_FACE_REGULAR, size, PLAIN[i], strlen(PLAIN[i]), &wid[i], &miss);
    vb_font_measure(fonts, VB_FACE_REGULAR, size, " ", 1, &sp, &miss);
    CHECK(sp > 0 && miss == 0);
    int paras = 0, more_lines = 0, not_first_fit = 0, past_limits = 0, wider = 0, runts_tf = 0, runts_gr = 0,
        avoidable_kept = 0, avoidable = 0, lines_tf = 0, lines_gr = 0, shrunk = 0, unknown = 0;
    int64_t dev[2] = { 0, 0 };         /* how far the spaces are from natural, summed: total fit, greedy */
    unsigned saved = seed;
    seed = 4242;
    for (int d = 0; d < 30; d++) {
        int nb = 4 + (int)rnd(10);
        bpara *ps = calloc((size_t)nb, sizeof *ps);
        vb_layout *lay[2] = { NULL, NULL };
        for (int mode = 0; mode < 2; mode++) {
            st->breaking = mode ? VB_BREAK_GREEDY : VB_BREAK_TOTAL_FIT;
            vb_doc *doc = vb_doc_new(st);
            for (int b = 0; b < nb; b++) {
                bpara *p = &ps[b];
                if (mode == 0) { p->n = 12 + (int)rnd(60); for (int k = 0; k < p->n; k++) p->w[k] = (int)rnd(NPLAIN); }
                char *text = vb_alloc(doc->arena, (size_t)p->n * 16 + 1);
                for (int k = 0; k < p->n; k++) { if (k) strcat(text, " "); strcat(text, PLAIN[p->w[k]]); }
                vb_para_text(doc, vb_doc_para(doc, body), text, 0);
            }
            vb_diag e;
            vb_diag_init(&e);
            /* the first document also writes its line statistics (below) */
            if (d == 0) { unlink("/tmp/vb-unit-linestats"); setenv("VANBAN_LINE_STATS", "/tmp/vb-unit-linestats", 1); }
            CHECK(vb_layout_run(doc, fonts, &lay[mode], &e));
            if (d == 0) unsetenv("VANBAN_LINE_STATS");
            if (d == 0 && mode == 0) rename("/tmp/vb-unit-linestats", "/tmp/vb-unit-linestats-tf");
            vb_diag_free(&e);
            vb_doc_free(doc);
        }
        if (!lay[0] || !lay[1]) { vb_layout_free(lay[0]); vb_layout_free(lay[1]); free(ps); continue; }
        /* VANBAN_LINE_STATS tells what the PDF gets: each "L S" is the stretch of
         * a justified line's spaces measured back from the fragments (within
         * rounding: the remainder of a line goes one mpt a gap), each "P R N" a
         * paragraph's lines and whether it ends on one short word */
        if (d == 0) {
            FILE *sf = fopen("/tmp/vb-unit-linestats-tf", "r");
            CHECK(sf != NULL);
            int nlrec = 0, nprec = 0, lbad = 0, pbad = 0;
            for (int b = 0; sf && b < nb; b++) {
                static bline tl[64];
                int nt = lines_of(lay[0], b, tl, 64);
                for (int i = 0; i + 1 < nt; i++) {
                    const bline *ln = &tl[i];
                    if (ln->n < 2) continue;
                    int64_t ext = 0;
                    for (int k = 1; k < ln->n; k++) ext += ln->x[k] - (ln->x[k - 1] + wid[ln->w[k - 1]]) - sp;
                    long long got = 0;
                    if (fscanf(sf, " L %lld", &got) != 1) { lbad++; break; }
                    nlrec++;
                    long long want = ext * 10000 / ((int64_t)(ln->n - 1) * sp);
                    if (llabs(got - want) > 2) { lbad++; if (lbad < 4) fprintf(stderr, "got %lld want %lld n %d\n", got, want, ln->n); }
                }
                if (nt > 1) {
                    int r = -1, lines = -1;
                    if (fscanf(sf, " P %d %d", &r, &lines) != 2) { pbad++; continue; }
                    nprec++;
                    bool runt = tl[nt - 1].n == 1 && is_runt(tl[nt - 1].w[0], wid, size);
                    if (lines != nt || r != runt) pbad++;
                }
            }
            long long extra;
            if (sf) { CHECK(fscanf(sf, " L %lld", &extra) != 1); fclose(sf); }
            unlink("/tmp/vb-unit-linestats-tf");
            unlink("/tmp/vb-unit-linestats");
            if (!(nlrec > 4 && lbad == 0)) fprintf(stderr, "line stats: %d records, %d bad\n", nlrec, lbad);
            CHECK(nlrec > 4 && lbad == 0);
            CHECK(nprec > 1 && pbad == 0);
        }
        for (int b = 0; b < nb; b++) {
            static bline tl[64], gl[64];
            int nt = lines_of(lay[0], b, tl, 64), ng = lines_of(lay[1], b, gl, 64);
            paras++;
            lines_tf += nt; lines_gr += ng;
            if (nt > ng) more_lines++;
            for (int m = 0; m < 2; m++)
                for (int i = 0; i + 1 < (m ? ng : nt); i++) {
                    const bline *ln = m ? &gl[i] : &tl[i];
                    for (int k = 1; k < ln->n; k++)
                        if (ln->w[k - 1] >= 0 && ln->x[k] >= 0 && ln->x[k - 1] >= 0) {
                            int32_t gap = ln->x[k] - (ln->x[k - 1] + wid[ln->w[k - 1]]);
                            dev[m] += gap > sp ? gap - sp : sp - gap;
                        }
                }
            /* greedy is first fit: the next line's first word would not have fitted */
            for (int i = 0; i + 1 < ng; i++) {
                int64_t nat = 0;
                for (int k = 0; k < gl[i].n; k++) { if (gl[i].w[k] < 0) { unknown++; continue; } nat += wid[gl[i].w[k]] + (k ? sp : 0); }
                int nx = gl[i + 1].w[0];
                if (nx >= 0 && nat + sp + wid[nx] <= (i ? base : first)) not_first_fit++;
            }
            /* total fit: every justified line keeps its spaces within the limits (these words are
             * all narrower than the room a line has to stretch and shrink, so a path within
             * them always exists), and no line is wider than the measure */
            for (int i = 0; i + 1 < nt; i++) {
                const bline *ln = &tl[i];
                for (int k = 1; k < ln->n; k++) {
                    if (ln->w[k - 1] < 0 || ln->x[k] < 0 || ln->x[k - 1] < 0) { unknown++; continue; }
                    int32_t gap = ln->x[k] - (ln->x[k - 1] + wid[ln->w[k - 1]]);
                    if (gap < sp) shrunk++;
                    if ((int64_t)gap * 1000 > (int64_t)sp * (1000 + st->space_stretch_max) + 1000 ||
                        (int64_t)gap * 1000 < (int64_t)sp * (1000 - st->space_shrink) - 1000) past_limits++;
                }
                int lw = ln->w[ln->n - 1];
                if (lw >= 0 && ln->x[ln->n - 1] + wid[lw] > st->margin_left + W + 1) wider++;
            }
            /* the last line is one short word only when no breaking within space_stretch avoids it */
            bool rt = nt > 1 && tl[nt - 1].n == 1 && tl[nt - 1].w[0] >= 0 && is_runt(tl[nt - 1].w[0], wid, size);
            bool rg = ng > 1 && gl[ng - 1].n == 1 && gl[ng - 1].w[0] >= 0 && is_runt(gl[ng - 1].w[0], wid, size);
            runts_tf += rt; runts_gr += rg;
            /* short paragraphs: there a runt costs more than any other breaking
             * within space_stretch (the demerits of four such lines) */
            if (nt > 1 && nt <= 4 &&
                runt_avoidable(&ps[b], wid, sp, first, base, size, st->space_stretch - 10, st->space_shrink - 10, ng)) {
                avoidable++;
                if (rt) avoidable_kept++;
            }
        }
        /* deterministic */
        vb_layout_free(lay[0]); vb_layout_free(lay[1]);
        free(ps);
    }
    seed = saved;
    st->breaking = VB_BREAK_TOTAL_FIT;
    printf("breaking: %d paragraphs, %d lines total fit, %d greedy; one-short-word last lines %d against %d; "
           "%d of %d avoidable kept; %d spaces shrunk; space deviation %lld against %lld mpt\n", paras, lines_tf,
           lines_gr, runts_tf, runts_gr, avoidable_kept, avoidable, shrunk, (long long)dev[0], (long long)dev[1]);
    CHECK(paras > 200);
    CHECK(unknown == 0);
    CHECK(more_lines == 0);
    CHECK(not_first_fit == 0);
    CHECK(past_limits == 0);
    CHECK(wider == 0);
    CHECK(shrunk > 0);
    CHECK(avoidable > 20);
    CHECK(avoidable_kept == 0);
    CHECK(runts_gr > 0 && runts_tf * 5 < runts_gr);
    /* the point of it: spaces nearer their natural width */
    CHECK(dev[0] * 3 < dev[1] * 2);
    /* the same input twice: the same layout, in either mode */
    CHECK(dump_hash(st, fonts, 99) == dump_hash(st, fonts, 99));
    st->breaking = VB_BREAK_GREEDY;
    CHECK(dump_hash(st, fonts, 99) == dump_hash(st, fonts, 99));
    CHECK(dump_hash(st, fonts, 99) != 0);
    st->breaking = VB_BREAK_TOTAL_FIT;
}

/* The fast path for plain text gives exactly ICU's break opportunities:
 * strings of letters, digits, spaces (one or more) and , . ; : - % in every
 * place (alone, leading, trailing, inside numbers), compared mark by mark. */
static void plain_breaks_check(void)
{
    static const char *TOK[] = { "Đảng", "bộ", "ủy", "ĐƯỜNG", "Nguyễn", "2022", "1.500", "3,5", "a:b", ",", ".", ";",
        ":", ",đã", ".Ban", "năm,", "việc.", "hội;", "sau:", "12:30", "x.y.z", "ĂÂÊÔƠƯ", "ẞ", "Ṁ", "Ƚ",
        "-", "- -", "42,7%", "20%;", "100%.", "%", "a%", "%5", "5%%", "-5", "5-", "2023-2027", "Rịa-Vũng", "x-",
        "(a)", "1/2", "…", "\t" };
    unsigned saved = seed;
    seed = 31337;
    int differ = 0, fast = 0;
    char text[2048];
    unsigned char m1[2048], m2[2048];
    for (int n = 0; n < 3000; n++) {
        text[0] = 0;
        int nw = 1 + (int)rnd(12);
        if (rnd(8) == 0) strcat(text, " ");
        for (int i = 0; i < nw; i++) {
            if (i) strcat(text, rnd(6) ? " " : "   ");
            strcat(text, TOK[rnd(sizeof TOK / sizeof *TOK)]);
        }
        if (rnd(8) == 0) strcat(text, " ");
        size_t len = strlen(text);
        vb_break_opportunities(text, len, false, m1);
        vb_break_opportunities(text, len, true, m2);
        if (memcmp(m1, m2, len + 1)) {
            if (differ++ < 3) fprintf(stderr, "break opportunities differ from ICU's: \"%s\"\n", text);
        }
        /* how many of them took the fast path at all (a dash, percent…
         * elsewhere sends the whole string to ICU) */
        bool plain = true;
        for (size_t i = 0; i < len; i++) if (strchr("()/\t", text[i]) || !strncmp(text + i, "…", 3)) plain = false;
        fast += plain;
    }
    seed = saved;
    CHECK(differ == 0);
    CHECK(fast > 500);
}

/* The layout of doc fails with one message containing `want`; frees doc. */
static void layout_fails(vb_doc *doc, const vb_fonts *fonts, const char *want)
{
    vb_layout *l = NULL;
    vb_diag e;
    vb_diag_init(&e);
    CHECK(!vb_layout_run(doc, fonts, &l, &e));
    CHECK(e.n == 1 && strstr(e.items[0].msg, want));
    vb_diag_free(&e);
    vb_doc_free(doc);
}

int main(void)
{
    vb_arena *a = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    vb_style st;
    CHECK(vb_style_load(a, "templates/party/style", &st, &d));
    vb_fonts *fonts = NULL;
    CHECK(vb_fonts_open("fonts", "Times New Roman", &fonts, &d));
    if (!fonts) return CHECK_DONE("layout");
    const vb_zone *body = vb_style_zone(&st, "body"), *h1 = vb_style_zone(&st, "heading1"),
                  *auth = vb_style_zone(&st, "sig_authority"), *name = vb_style_zone(&st, "sig_name"),
                  *rt = vb_style_zone(&st, "recipients_title");
    int32_t left = st.margin_left, right = st.page_w - st.margin_right;
    int32_t top = st.margin_top, bottom = st.page_h - st.margin_bottom;
    int widows = 0, heading_last = 0, sig_alone = 0, ragged = 0, outside = 0, docs = 0, pages = 0;
    int above = 0, below = 0, indented = 0, bad_indent = 0;
    /* the body zone of the rule file indents first lines; a file without
     * one would make the indent check vacuous */
    CHECK(body && body->indent_first > 0);
    int bad_breaks = 0, hyphen_breaks = 0;

    for (int n = 0; n < 60; n++) {
        vb_doc *doc = vb_doc_new(&st);
        int nblocks = 3 + (int)rnd(25);
        char kinds[64];
        for (int i = 0; i < nblocks; i++) {
            bool head = rnd(4) == 0;
            kinds[i] = head ? 'h' : 'p';
            vb_para *p = vb_doc_para(doc, head ? h1 : body);
            vb_para_text(doc, p, words(doc->arena, head ? 3 + (int)rnd(8) : 5 + (int)rnd(160)), 0);
        }
        kinds[nblocks] = 's';
        vb_doc_row_begin(doc, VB_ROW_SIGNATURE);
        vb_para_text(doc, vb_doc_para(doc, rt), "Nơi nhận:", 0);
        vb_doc_row_cell(doc, 1);
        vb_para_text(doc, vb_doc_para(doc, auth), "T/M Ban Chấp hành", 0);
        vb_para_text(doc, vb_doc_para(doc, name), "Đỗ Quang Khoa", 0);
        vb_doc_row_end(doc);

        vb_layout *l = NULL;
        CHECK(vb_layout_run(doc, fonts, &l, &d));
        if (!l) { vb_doc_free(doc); continue; }
        docs++;
        pages += (int)l->npages;
        for (size_t pg = 0; pg < l->npages; pg++) {
            const vb_page *P = &l->pages[pg];
            int32_t lines_on_page[64] = {0}, last_line[64], maxline[64];
            memset(last_line, -1, sizeof last_line);
            memset(maxline, -1, sizeof maxline);
            int last_block = -1, first_block = -1;
            for (size_t k = 0; k < P->nfrags; k++) {
                const vb_frag *f = &P->frags[k];
                if (f->block < 0) continue;
                if (f->x < left - 1 || f->x + f->width > right + 1) outside++;
                /* the glyphs' ascent and descent within the top and bottom margins */
                if (f->y - vb_font_ascent(fonts, VB_FACE_REGULAR, f->size) < top - 1) above++;
                if (f->y - vb_font_descent(fonts, VB_FACE_REGULAR, f->size) > bottom + 1) below++;
                /* a body paragraph's first line starts at margin + indent,
                 * its other lines at the margin (+ indent_left) */
                if (f->block < nblocks && kinds[f->block] == 'p' && (k == 0 || P->frags[k - 1].block != f->block
                                                                     || P->frags[k - 1].line != f->line)) {
                    int32_t want = left + body->indent_left + (f->line == 0 ? body->indent_first : 0);
                    if (f->line == 0) indented++;
                    if (abs(f->x - want) > 1) {
                        if (bad_indent++ < 3)
                            fprintf(stderr, "layout: doc %d page %zu block %d line %d starts at %d mpt, not %d\n",
                                    n, pg + 1, f->block, f->line, f->x, want);
                    }
                }
                if (first_block < 0) first_block = f->block;
                if (f->line != last_line[f->block]) { lines_on_page[f->block]++; last_line[f->block] = f->line; }
                last_block = f->block;
            }
            /* a heading never ends a page; the signature row never starts one */
            if (last_block >= 0 && kinds[last_block] == 'h') heading_last++;
            if (first_block == nblocks) sig_alone++;
            for (int b = 0; b < nblocks; b++)
                if (kinds[b] == 'p' && lines_on_page[b] == 1) {
                    /* one line of a longer paragraph alone on a page: a widow or an orphan */
                    int total = 0;
                    for (size_t q = 0; q < l->npages; q++) {
                        int32_t prev = -1;
                        for (size_t k = 0; k < l->pages[q].nfrags; k++)
                            if (l->pages[q].frags[k].block == b && l->pages[q].frags[k].line != prev) { total++; prev = l->pages[q].frags[k].line; }
                    }
                    if (total > 1) widows++;
                }
            /* where lines break: never before ")" nor after "/"; after a hyphen, yes */
            for (size_t k = 0; k + 1 < P->nfrags; k++) {
                const vb_frag *f = &P->frags[k], *g = &P->frags[k + 1];
                if (f->block < 0 || g->block != f->block || g->line == f->line) continue;
                size_t n = strlen(f->text);
                while (n && f->text[n - 1] == ' ') n--;
                if (g->text[0] == ')' || (n && f->text[n - 1] == '/')) bad_breaks++;
                if (n && f->text[n - 1] == '-') hyphen_breaks++;
            }
            /* justified lines reach the right margin: check each body line but its paragraph's last */
            for (size_t k = 0; k + 1 < P->nfrags; k++) {
                const vb_frag *f = &P->frags[k], *g = &P->frags[k + 1];
                if (f->block < 0 || f->block >= nblocks || kinds[f->block] != 'p') continue;
                bool end_of_line = g->block != f->block || g->line != f->line;
                bool last_of_para = g->block != f->block;
                if (end_of_line && !last_of_para && abs(f->x + f->width - right) > 2) ragged++;
            }
        }
        vb_layout_free(l);
        vb_doc_free(doc);
    }
    CHECK(docs == 60);
    CHECK(pages > 60);
    CHECK(widows == 0);
    CHECK(heading_last == 0);
    CHECK(sig_alone == 0);
    CHECK(ragged == 0);
    CHECK(outside == 0);
    CHECK(above == 0);
    CHECK(below == 0);
    CHECK(indented > 100);
    CHECK(bad_indent == 0);
    CHECK(bad_breaks == 0);
    CHECK(hyphen_breaks > 0);
    printf("layout: %d documents, %d pages, %d indented first lines checked\n", docs, pages, indented);

    /* a 10,000-character word is cut into lines that fit, losing nothing */
    {
        vb_doc *doc = vb_doc_new(&st);
        char *w = vb_alloc(doc->arena, 30001);
        for (int i = 0; i < 10000; i++) strcat(w, i % 3 ? "a" : "ữ");
        vb_para_text(doc, vb_doc_para(doc, body), w, 0);
        vb_layout *l = NULL;
        CHECK(vb_layout_run(doc, fonts, &l, &d));
        if (l) {
            size_t total = 0;
            int bad = 0;
            for (size_t pg = 0; pg < l->npages; pg++)
                for (size_t k = 0; k < l->pages[pg].nfrags; k++) {
                    const vb_frag *f = &l->pages[pg].frags[k];
                    if (f->block < 0) continue;
                    total += strlen(f->text);
                    if (f->x + f->width > right + 1) bad++;
                }
            CHECK(total == strlen(w));
            CHECK(bad == 0);
            CHECK(l->npages >= 2);
            vb_layout_free(l);
        }
        vb_doc_free(doc);
    }
    /* a character the font lacks is an error naming it and the file */
    {
        vb_doc *doc = vb_doc_new(&st);
        vb_para_text(doc, vb_doc_para(doc, h1), "về 中", 0);
        layout_fails(doc, fonts, "U+4E2D '中' is not in LiberationSerif-Bold.ttf");
    }
    /* past VB_MAX_PAGES the layout stops with a message, in bounded time */
    {
        vb_doc *doc = vb_doc_new(&st);
        for (int i = 0; i < 80000; i++) vb_para_text(doc, vb_doc_para(doc, body), "Điều", 0);
        layout_fails(doc, fonts, "more than 2000 pages");
    }
    breaking_checks(&st, fonts);
    plain_breaks_check();
    vb_fonts_close(fonts);
    vb_diag_free(&d);
    vb_arena_free(a);
    return CHECK_DONE("layout");
}
