/* layout.c — typesetting the model into pages.
 *
 * Three steps.  (1) Every paragraph is broken into lines at its Unicode
 * break opportunities, with FreeType widths: greedily, then, for justified
 * zones under `breaking = total-fit`, again by total fit (Knuth–Plass,
 * below); a word wider than the line is split between characters.  (2) Lines and rows become boxes with "may break
 * after" flags that encode orphans, widows, keep-with-next and the
 * signature row's keep-with-previous; a table's rows are boxes of their
 * own, never split (unless taller than a page), its header rows a box set
 * again at the top of every page it continues on.  (3) Boxes are cut into pages, going
 * back to the last allowed break when a box does not fit, then placed.
 * Everything is integer mpt, so the dump is exact. */
#include "layout.h"
#include "text.h"
#include "table.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* ---- words and lines ---- */

typedef struct piece { const char *text; size_t len; vb_face face; int32_t width; bool ul; } piece;
typedef struct word {
    int first, npieces;        /* into the piece array */
    int32_t width;             /* sum of pieces */
    int32_t space;             /* width of the space after it (0 at the end) */
    bool glue;                 /* no line break after it ("khóa III )") */
} word;
typedef struct line {
    int w0, nw; int32_t natural; int32_t avail; int32_t indent; bool last;
    bool shrink;               /* total fit: its spaces may be narrower than natural */
} line;

typedef struct para_lines {
    piece *pieces; int np, capp;
    word *words; int nw, capw;
    line *lines; int nl, capl;
    int32_t widest;            /* natural width of the widest line */
    int32_t widest_x;          /* where it starts, from the column's left */
} para_lines;

typedef struct lctx {
    int32_t block, line;       /* what is being laid out, for vb_frag */
    UBreakIterator *bi;        /* Unicode line breaking (ICU), opened lazily */
    bool bi_failed;
    bool icu_only;             /* never the fast path (vb_break_opportunities) */
    const vb_doc *doc;
    const vb_fonts *fonts;
    vb_diag *d;
    vb_arena *a;
    vb_buf *stats;             /* VANBAN_LINE_STATS is set: what justified lines did */
    bool ok;
    bool hdr_fitted;           /* the header's columns, fitted once (fit_header) */
    int32_t hdr_left, hdr_right_x;
    vb_page_geom g;            /* the geometry of the pages being filled (width 0:
                                  not yet set, the style's [page]; see geom) */
} lctx;

/* The page geometry blocks are laid out in: [page] until a section
 * break (an appendix) sets its own. */
static const vb_page_geom *geom(lctx *c)
{
    if (c->g.width <= 0) c->g = vb_style_geom(c->doc->style);
    return &c->g;
}

#define GROW(arr, n, cap) do { if ((n) == (cap)) { (cap) = (cap) ? (cap) * 2 : 16; \
    (arr) = vb_xrealloc((arr), (size_t)(cap) * sizeof *(arr)); } } while (0)

static void pl_free(para_lines *pl) { free(pl->pieces); free(pl->words); free(pl->lines); memset(pl, 0, sizeof *pl); }

/* `src` names the record field the text came from, for the message. */
static bool measure(lctx *c, const vb_para *p, const char *src, vb_face face, const char *s, size_t len, int32_t *w)
{
    int32_t missing = 0;
    if (vb_font_measure(c->fonts, face, p->zone->size, s, len, w, &missing)) return true;
    if (c->ok) {
        char where[512];
        char *t = vb_strndup(c->a, s, len);
        if (src) snprintf(where, sizeof where, "%s", src);
        else snprintf(where, sizeof where, "template text in zone %s", p->zone->name);
        vb_font_check(c->fonts, face, t, where, c->d);
    }
    c->ok = false;
    *w = 0;
    return false;
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* Split runs into words made of pieces (a word may change style inside). */
/* Line-break opportunities of a paragraph by the Unicode rules (UAX #14,
 * through ICU, as LibreOffice and Word use): no break at a space before
 * ")" or ",", a break after the hyphen of "Rịa-Vũng".  Marks bytes of
 * `text` where a line may start. */
/* Most paragraphs are letters, digits, spaces and , . ; : only (and a
 * dash alone, a percent after a number).  There
 * UAX #14 allows a break after each run of spaces (LB18) unless , . ; :
 * follows (LB13: no break before IS), and nowhere else (LB23, LB25, LB29
 * keep letters, digits and those signs together): the marks ICU gives,
 * at a fraction of its cost (ICU was a tenth of a whole render).  Any
 * other character (brackets, hyphens, slashes, quotes, tabs, no-break
 * spaces, ellipses…) and ICU decides.  tests/unit/layout.c compares the
 * two on every paragraph it makes. */
static bool is_plain_letter(int32_t cp)
{
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

static bool plain_marks(const char *text, size_t len, unsigned char *m)
{
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x80) {
            int32_t cp;
            int n = vb_utf8_next(text + i, &cp);
            if (!is_plain_letter(cp) || i + (size_t)n > len) return false;
            i += (size_t)n;
            continue;
        }
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == ' ' || ch == ',' || ch == '.' || ch == ';' || ch == ':';
        char nx = i + 1 < len ? text[i + 1] : ' ';
        /* a dash standing alone ("- Căn cứ", "kinh tế - xã hội"), and a
         * percent after a digit ("42,7%;"): both as common as they are
         * simple (SP ÷ HY, NU × PO) */
        if (ch == '-') ok = (i == 0 || text[i - 1] == ' ') && nx == ' ';
        if (ch == '%') ok = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9' &&
                            (nx == ' ' || nx == ',' || nx == '.' || nx == ';' || nx == ':');
        if (!ok) return false;
        i++;
    }
    m[0] = m[len] = 1;
    for (size_t i = 1; i < len; i++) {
        char nx = text[i];
        m[i] = text[i - 1] == ' ' && nx != ' ' && nx != ',' && nx != '.' && nx != ';' && nx != ':';
    }
    return true;
}

static unsigned char *break_marks(lctx *c, const char *text, size_t len)
{
    unsigned char *m = vb_xcalloc(len + 1, 1);
    if (!c->icu_only && plain_marks(text, len, m)) return m;
    UErrorCode err = U_ZERO_ERROR;
    if (!c->bi && !c->bi_failed) {
        c->bi = ubrk_open(UBRK_LINE, "vi", NULL, 0, &err);
        if (U_FAILURE(err)) { c->bi = NULL; c->bi_failed = true; }
    }
    UText *ut = NULL;
    if (c->bi) {
        err = U_ZERO_ERROR;
        ut = utext_openUTF8(NULL, text, (int64_t)len, &err);
        if (U_SUCCESS(err)) ubrk_setUText(c->bi, ut, &err);
    }
    if (c->bi && ut && U_SUCCESS(err)) {
        for (int32_t pos = ubrk_first(c->bi); pos != UBRK_DONE; pos = ubrk_next(c->bi))
            /* LibreOffice (and Word) keep "đồng/người/tháng" and "95/TTr"
             * whole: no break right after a slash */
            if (pos >= 0 && (size_t)pos <= len && !(pos > 0 && text[pos - 1] == '/')) m[pos] = 1;
    } else {
        /* without ICU: after every run of spaces */
        for (size_t i = 1; i <= len; i++) m[i] = is_space(text[i - 1]) && (i == len || !is_space(text[i]));
    }
    if (ut) utext_close(ut);
    return m;
}

/* Split runs into words made of pieces (a word may change style inside).
 * A word ends at spaces and at break opportunities inside it (after a
 * hyphen); the space after a word that is no break opportunity is glue. */
static void split_words(lctx *c, const vb_para *p, para_lines *pl)
{
    size_t total = 0;
    for (const vb_run *r = p->runs; r; r = r->next) total += strlen(r->text);
    char *all = vb_xmalloc(total + 1);
    size_t o = 0;
    for (const vb_run *r = p->runs; r; r = r->next) { size_t k = strlen(r->text); memcpy(all + o, r->text, k); o += k; }
    all[total] = 0;
    unsigned char *brk = break_marks(c, all, total);
    free(all);

    bool in_word = false;
    int32_t space_w = 0;
    int space_face = -1;
    size_t g = 0;                      /* offset of s in the whole paragraph */
    for (const vb_run *r = p->runs; r; r = r->next) {
        unsigned fl = vb_run_flags(p, r);
        vb_face face = vb_face_for(fl);
        const char *s = r->text;
        while (*s) {
            if (is_space(*s)) {
                const char *e = s;
                while (is_space(*e)) e++;
                g += (size_t)(e - s);
                s = e;
                if (in_word) {
                    /* the space of each face measured once a paragraph */
                    if (space_face != (int)face) { measure(c, p, r->src, face, " ", 1, &space_w); space_face = (int)face; }
                    pl->words[pl->nw - 1].space = space_w;
                    pl->words[pl->nw - 1].glue = !brk[g];
                    in_word = false;
                }
                continue;
            }
            /* up to the next space or break opportunity */
            const char *e = s;
            while (*e && !is_space(*e)) {
                e++;
                if (brk[g + (size_t)(e - s)] && *e && !is_space(*e)) break;
            }
            if (!in_word) {
                GROW(pl->words, pl->nw, pl->capw);
                pl->words[pl->nw++] = (word){ pl->np, 0, 0, 0, false };
                in_word = true;
            }
            GROW(pl->pieces, pl->np, pl->capp);
            piece *pc = &pl->pieces[pl->np++];
            pc->text = s; pc->len = (size_t)(e - s); pc->face = face; pc->ul = fl & VB_UNDERLINE;
            measure(c, p, r->src, face, s, pc->len, &pc->width);
            word *w = &pl->words[pl->nw - 1];
            w->npieces++;
            w->width += pc->width;
            g += (size_t)(e - s);
            s = e;
            /* a break opportunity inside the word: what follows is a new word */
            if (*s && !is_space(*s) && brk[g]) in_word = false;
        }
    }
    if (pl->nw) { pl->words[pl->nw - 1].space = 0; pl->words[pl->nw - 1].glue = false; }
    free(brk);
}

/* A word too wide for any line is cut between code points into words that
 * fit; the pieces are re-measured. */
static void split_long_word(lctx *c, const vb_para *p, para_lines *pl, int wi, int32_t avail)
{
    word w = pl->words[wi];
    if (w.npieces != 1) {
        /* a giant word of several pieces ("XXXX…" + ","): first make each
         * piece a word of its own, with no space between them; the caller
         * then cuts any piece that is still too wide */
        int total = pl->nw - 1 + w.npieces;
        word *all = vb_xmalloc((size_t)total * sizeof *all);
        memcpy(all, pl->words, (size_t)wi * sizeof *all);
        for (int k = 0; k < w.npieces; k++)
            all[wi + k] = (word){ w.first + k, 1, pl->pieces[w.first + k].width, k == w.npieces - 1 ? w.space : 0,
                                   k == w.npieces - 1 ? w.glue : false };
        memcpy(all + wi + w.npieces, pl->words + wi + 1, (size_t)(pl->nw - wi - 1) * sizeof *all);
        free(pl->words);
        pl->words = all;
        pl->nw = pl->capw = total;
        if (pl->words[wi].width > avail) split_long_word(c, p, pl, wi, avail);
        return;
    }
    piece pc = pl->pieces[w.first];
    /* build new words from chunks */
    word *neww = NULL; int nn = 0, capn = 0;
    const char *s = pc.text, *end = pc.text + pc.len;
    while (s < end) {
        const char *q = s, *good = NULL;
        int32_t gw = 0;
        while (q < end) {
            int32_t cp;
            const char *nq = q + vb_utf8_next(q, &cp);
            int32_t ww;
            if (nq > end) nq = end;
            measure(c, p, NULL, pc.face, s, (size_t)(nq - s), &ww);
            if (ww > avail && good) break;
            good = nq; gw = ww; q = nq;
            if (ww > avail) break;
        }
        GROW(pl->pieces, pl->np, pl->capp);
        pl->pieces[pl->np] = (piece){ s, (size_t)(good - s), pc.face, gw, pc.ul };
        GROW(neww, nn, capn);
        neww[nn++] = (word){ pl->np, 1, gw, 0, false };
        pl->np++;
        s = good;
    }
    neww[nn - 1].space = w.space;
    neww[nn - 1].glue = w.glue;
    /* replace word wi by the chunks */
    int total = pl->nw - 1 + nn;
    word *all = vb_xmalloc((size_t)total * sizeof *all);
    memcpy(all, pl->words, (size_t)wi * sizeof *all);
    memcpy(all + wi, neww, (size_t)nn * sizeof *all);
    memcpy(all + wi + nn, pl->words + wi + 1, (size_t)(pl->nw - wi - 1) * sizeof *all);
    free(pl->words);
    free(neww);
    pl->words = all;
    pl->nw = pl->capw = total;
}

/* Append the line of words w0..w0+nw-1 (natural width wsum) and keep
 * the widest line and where it starts, as emit_line will place it. */
static void push_line(para_lines *pl, const vb_zone *z, int w0, int nw, int32_t wsum, int32_t avail, int32_t indent)
{
    GROW(pl->lines, pl->nl, pl->capl);
    pl->lines[pl->nl++] = (line){ w0, nw, wsum, avail, indent, w0 + nw == pl->nw, false };
    int32_t x = indent;
    if (z->align == VB_ALIGN_CENTER) x += (avail - wsum) / 2;
    else if (z->align == VB_ALIGN_RIGHT) x += avail - wsum;
    if (wsum > pl->widest) { pl->widest = wsum; pl->widest_x = x; }
}

/* Greedy line breaking with at most `cap` mpt per line (0: no cap). */
static void greedy(lctx *c, const vb_para *p, int32_t colw, int32_t cap, para_lines *pl)
{
    const vb_zone *z = p->zone;
    int32_t base = colw - z->indent_left - z->indent_right;
    if (base < VB_MM(10)) base = VB_MM(10);
    int i = 0;
    pl->nl = 0;
    pl->widest = 0;
    while (i < pl->nw) {
        int32_t indent = z->indent_left + (pl->nl == 0 ? z->indent_first : 0);
        int32_t avail = base - (pl->nl == 0 ? z->indent_first : 0);
        if (avail < VB_MM(10)) avail = VB_MM(10);
        int32_t fill = cap > 0 && cap < avail ? cap : avail;
        if (pl->words[i].width > avail) split_long_word(c, p, pl, i, avail);
        int j = i;
        int32_t wsum = pl->words[i].width;
        j++;
        while (j < pl->nw && wsum + pl->words[j - 1].space + pl->words[j].width <= fill) {
            wsum += pl->words[j - 1].space + pl->words[j].width;
            j++;
        }
        /* never break after glue: go back to the last real opportunity */
        if (j < pl->nw && pl->words[j - 1].glue) {
            int k = j - 1;
            while (k > i && pl->words[k - 1].glue) k--;
            if (k > i) {
                j = k;
                wsum = pl->words[i].width;
                for (int q = i + 1; q < j; q++) wsum += pl->words[q - 1].space + pl->words[q].width;
            }
        }
        push_line(pl, z, i, j - i, wsum, avail, indent);
        i = j;
    }
}

/* ---- total fit (Knuth–Plass) for justified paragraphs ----
 *
 * Every way of breaking the paragraph at its opportunities is a path of
 * lines; each line has demerits from how far its spaces must stretch or
 * shrink, and the path of least total demerits is taken: dynamic
 * programming over (first word of a line, fitness class of the line
 * before), n words x (words per line) steps. */

enum { FIT_TIGHT, FIT_DECENT, FIT_LOOSE, FIT_VERY_LOOSE, NFIT };
#define TF_LINE_PENALTY 10          /* per line, squared with the badness as TeX does */
#define TF_ADJ_DEMERITS 10000       /* neighbours two or more fitness classes apart */
/* a last line of one short word: as bad as one line stretched to 1.8
 * times space_stretch (in Vietnamese, with no hyphenation, that is often
 * what it takes to give the last line a second word) */
#define TF_SHORT_LAST 400000
/* A line beyond the stretch limit, or a forced break inside glue, is taken
 * only where no path avoids it: its demerits outweigh any number of
 * ordinary lines. */
#define TF_OVER 10000000000LL
/* second pass, when the first gave more lines than greedy: every line
 * costs more than anything else, so the fewest lines win */
#define TF_FEWEST 10000000000000LL

static bool short_last_line(int32_t last_word_width, int words_on_line, int32_t size)
{
    return words_on_line == 1 && last_word_width < 4 * size;
}

/* Demerits of a line that is not the last: natural width nat, spaces
 * summing to sp, measure avail.  The badness is TeX's 100 r³, r the share
 * of the space_stretch (or space_shrink) used; past space_stretch a line
 * is very loose, past space_stretch_max it is taken only where nothing
 * else is (TF_OVER).  -1: it cannot shrink that far. */
static int64_t line_demerits(const vb_style *st, int32_t nat, int32_t sp, int32_t avail, int *fit)
{
    int64_t diff = (int64_t)avail - nat, r;
    if (diff < 0) {
        int64_t lim = (int64_t)sp * st->space_shrink / 1000;
        if (-diff > lim) return -1;
        r = diff * 1000 / lim;                            /* -1000 … 0 */
    } else {
        int64_t norm = (int64_t)sp * st->space_stretch / 1000, max = (int64_t)sp * st->space_stretch_max / 1000;
        if (diff > max) {
            /* too loose (or one word alone on a line): the looser the worse */
            int64_t q = sp > 0 ? diff * 1000 / sp : 1000000;
            *fit = FIT_VERY_LOOSE;
            return TF_OVER + (q < 1000000 ? q : 1000000) * 1000;
        }
        r = norm > 0 ? diff * 1000 / norm : diff > 0 ? 10000 : 0;
        if (r > 10000) r = 10000;
    }
    int64_t ar = r < 0 ? -r : r;
    int64_t bad = ar * ar * ar / 10000000;                 /* 100 |r|³ */
    *fit = r < -500 ? FIT_TIGHT : r <= 500 ? FIT_DECENT : r <= 1000 ? FIT_LOOSE : FIT_VERY_LOOSE;
    return (TF_LINE_PENALTY + bad) * (TF_LINE_PENALTY + bad);
}

typedef struct tf_node { int64_t dem; int prev, prev_fit; } tf_node;

static void tf_relax(tf_node *node, int i, int j, int fit, int64_t dem)
{
    for (int f = 0; f < NFIT; f++) {
        const tf_node *from = &node[i * NFIT + f];
        if (from->dem < 0) continue;
        int64_t t = from->dem + dem + (abs(fit - f) > 1 ? TF_ADJ_DEMERITS : 0);
        tf_node *to = &node[j * NFIT + fit];
        if (to->dem < 0 || t < to->dem) *to = (tf_node){ t, i, f };
    }
}

/* One pass over the words of pl: the first word of every line into
 * starts[] (in order), returning the number of lines.  pos[k] and spc[k]
 * are the widths of words and spaces before word k (so a line's natural
 * width is a difference), ok_before[j] the last break at or before j. */
static int tf_pass(const para_lines *pl, const vb_style *st, int32_t size, int32_t first, int32_t base, int64_t line_pen,
                   tf_node *node, int *starts, const int64_t *pos, const int64_t *spc, const int *ok_before)
{
    int n = pl->nw;
    for (int k = 0; k < (n + 1) * NFIT; k++) node[k] = (tf_node){ -1, -1, -1 };
    node[FIT_DECENT].dem = 0;
    int lo = 1;                        /* the first line from i not past space_stretch_max */
    for (int i = 0; i < n; i++) {
        bool reached = false;
        for (int f = 0; f < NFIT; f++) reached |= node[i * NFIT + f].dem >= 0;
        if (!reached) continue;
        int32_t avail = i == 0 ? first : base;
#define TF_NAT(j) (pos[j] - pos[i] - pl->words[(j) - 1].space)
#define TF_SP(j) (spc[j] - spc[i] - pl->words[(j) - 1].space)
        /* the lines from i that are too loose come first and are skipped
         * (most candidates are: skipping them is most of the speed); lo
         * only moves forward, as the lines from a later word are shorter
         * (word 0 has its own measure, so its successor starts afresh) */
        if (i == 1 || lo <= i) lo = i + 1;
        while (lo <= n && avail - TF_NAT(lo) > TF_SP(lo) * st->space_stretch_max / 1000) lo++;
        int start = lo <= n ? lo : n;
        int fitj = start - 1 > i ? start - 1 : i + 1;   /* greedy's fallback: the most words that fit */
        int over_j = ok_before[start - 1];              /* the least loose line beyond the limit */
        bool any = false;
        for (int j = start; j <= n; j++) {
            int64_t nat = TF_NAT(j), sp = TF_SP(j);
            if (nat <= avail) fitj = j;
            /* wider than the measure even fully shrunk: so is every longer line */
            if (j > i + 1 && nat - sp * st->space_shrink / 1000 > avail) break;
            if (j < n && pl->words[j - 1].glue) continue;
            int fit = FIT_DECENT;
            int64_t dem;
            if (j == n) {
                /* the last line is set ragged, at its natural width */
                if (nat > avail) break;
                dem = TF_LINE_PENALTY * TF_LINE_PENALTY;
                if (i > 0 && short_last_line(pl->words[i].width, n - i, size)) dem += TF_SHORT_LAST;
            } else if ((dem = line_demerits(st, (int32_t)nat, (int32_t)sp, avail, &fit)) < 0) continue;
            if (dem >= TF_OVER) { over_j = j; continue; }
            any = true;
            tf_relax(node, i, j, fit, dem + line_pen);
        }
        /* Lines past the stretch limit only where no line from here keeps
         * within it: the least loose one. */
        int fit;
        if (!any && over_j > i)
            tf_relax(node, i, over_j, FIT_VERY_LOOSE,
                     line_demerits(st, (int32_t)TF_NAT(over_j), (int32_t)TF_SP(over_j), avail, &fit) + line_pen);
        /* nowhere to break (a glued run wider than the line): as greedy does */
        else if (!any) tf_relax(node, i, fitj, FIT_VERY_LOOSE, TF_OVER * 10 + line_pen);
#undef TF_NAT
#undef TF_SP
    }
    int best = -1;
    for (int f = 0; f < NFIT; f++)
        if (node[n * NFIT + f].dem >= 0 && (best < 0 || node[n * NFIT + f].dem < node[n * NFIT + best].dem)) best = f;
    int nl = 0;
    for (int j = n, f = best; j > 0; ) {
        const tf_node *t = &node[j * NFIT + f];
        starts[nl++] = t->prev;
        j = t->prev; f = t->prev_fit;
    }
    for (int a = 0, b = nl - 1; a < b; a++, b--) { int t = starts[a]; starts[a] = starts[b]; starts[b] = t; }
    return nl;
}

/* Re-break pl (already broken by greedy(), which also cut the words too
 * wide for their line) by total fit.  Never more lines than greedy: when
 * the best paragraph is longer, the one with the fewest lines is taken,
 * and greedy's own when even that is longer. */
static void total_fit(lctx *c, const vb_para *p, int32_t colw, para_lines *pl)
{
    const vb_zone *z = p->zone;
    const vb_style *st = c->doc->style;
    int32_t base = colw - z->indent_left - z->indent_right;
    if (base < VB_MM(10)) base = VB_MM(10);
    int32_t first = base - z->indent_first;
    if (first < VB_MM(10)) first = VB_MM(10);
    int n = pl->nw;
    tf_node *node = vb_xmalloc((size_t)(n + 1) * NFIT * sizeof *node);
    int *starts = vb_xmalloc((size_t)(n + 1) * sizeof *starts);
    int64_t *pos = vb_xmalloc((size_t)(n + 1) * sizeof *pos), *spc = vb_xmalloc((size_t)(n + 1) * sizeof *spc);
    int *ok_before = vb_xmalloc((size_t)(n + 1) * sizeof *ok_before);
    pos[0] = spc[0] = 0;
    ok_before[0] = 0;
    for (int k = 0; k < n; k++) {
        pos[k + 1] = pos[k] + pl->words[k].width + pl->words[k].space;
        spc[k + 1] = spc[k] + pl->words[k].space;
        ok_before[k + 1] = k + 1 == n || !pl->words[k].glue ? k + 1 : ok_before[k];
    }
    int nl = tf_pass(pl, st, z->size, first, base, 0, node, starts, pos, spc, ok_before);
    if (nl > pl->nl) nl = tf_pass(pl, st, z->size, first, base, TF_FEWEST, node, starts, pos, spc, ok_before);
    free(pos);
    free(spc);
    free(ok_before);
    if (nl <= pl->nl) {
        pl->nl = 0;
        pl->widest = 0;
        for (int k = 0; k < nl; k++) {
            int w0 = starts[k], w1 = k + 1 < nl ? starts[k + 1] : n;
            int32_t nat = pl->words[w0].width;
            for (int q = w0 + 1; q < w1; q++) nat += pl->words[q - 1].space + pl->words[q].width;
            int32_t avail = k == 0 ? first : base;
            GROW(pl->lines, pl->nl, pl->capl);
            pl->lines[pl->nl++] = (line){ w0, w1 - w0, nat, avail, z->indent_left + (k == 0 ? z->indent_first : 0), w1 == n, true };
            /* a shrunk line is as wide as the measure */
            int32_t shown = nat > avail && w1 < n ? avail : nat;
            if (shown > pl->widest) { pl->widest = shown; pl->widest_x = pl->lines[k].indent; }
        }
    }
    free(node);
    free(starts);
}

/* ---- header body names: breaks where a typesetter puts them ----
 *
 * Balancing alone gives "HỘI ĐỒNG NHÂN / DÂN TỈNH NAM ĐỊNH"; a name is
 * printed "HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH": a line starts before the
 * administrative unit (the style's break_before) and a fixed phrase
 * (keep_together) is never broken.  For a short name every set of breaks
 * giving the same number of lines is tried; the most lines starting with
 * a break_before phrase win, then the narrowest widest line (balanced),
 * then the longer earlier lines (as greedy fills them).  When no such set
 * keeps every fixed phrase whole, one more line is allowed. */

#define NB_WORDS 24            /* longer names keep the balanced breaks */
#define NB_LINES 6            /* as many as break_lines balances */

typedef struct nbsearch {
    const para_lines *pl;
    int n;                     /* lines, as many as the balanced breaks give */
    int32_t avail[2];          /* the first line's measure, the others' */
    int32_t pos[NB_WORDS + 1]; /* pos[i]: words 0..i-1 with their spaces */
    int32_t most_space;        /* the widest space after a word */
    bool can[NB_WORDS];        /* a line may start at word i */
    bool pref[NB_WORDS];       /* a break_before phrase starts at word i */
    int cur[NB_LINES + 1], best[NB_LINES + 1];   /* the words lines start at */
    bool found;
    int best_pref;
    int32_t best_wide;
} nbsearch;

/* Words a..b-1 on one line: their widths and the spaces between them. */
static int32_t nb_width(const nbsearch *s, int a, int b)
{
    return s->pos[b] - s->pos[a] - s->pl->words[b - 1].space;
}

static void nb_try(nbsearch *s, int li, int start)
{
    int nw = s->pl->nw;
    int32_t avail = s->avail[li ? 1 : 0];
    if (li == s->n - 1) {
        if (nb_width(s, start, nw) > avail) return;
        int npref = 0;
        int32_t wide = 0;
        s->cur[li] = start;
        s->cur[s->n] = nw;
        for (int k = 0; k < s->n; k++) {
            if (k && s->pref[s->cur[k]]) npref++;
            int32_t w = nb_width(s, s->cur[k], s->cur[k + 1]);
            if (w > wide) wide = w;
        }
        /* the enumeration runs in lexicographic order of the breaks, so a
         * later set that ties has the longer earlier lines */
        if (!s->found || npref > s->best_pref || (npref == s->best_pref && wide <= s->best_wide)) {
            s->found = true;
            s->best_pref = npref;
            s->best_wide = wide;
            memcpy(s->best, s->cur, sizeof s->best);
        }
        return;
    }
    s->cur[li] = start;
    int left = s->n - 1 - li;
    for (int e = start + 1; e <= nw - left; e++) {
        if (nb_width(s, start, e) > avail) break;      /* only wider from here */
        /* what is left cannot fill more than its lines, each at most a
         * measure and the space after its last word */
        if ((int64_t)s->pos[nw] - s->pos[e] > (int64_t)left * (s->avail[1] + s->most_space)) continue;
        if (s->can[e]) nb_try(s, li + 1, e);
    }
}

/* How many tokens from tok[t] on spell `ph` (words separated by one
 * space); 0 when they do not. */
static int phrase_at(char **tok, int ntok, int t, const char *ph)
{
    int k = 0;
    for (const char *s = ph; *s;) {
        const char *e = strchr(s, ' ');
        if (!e) e = s + strlen(s);
        size_t len = (size_t)(e - s);
        if (t + k >= ntok || strlen(tok[t + k]) != len || memcmp(tok[t + k], s, len)) return 0;
        k++;
        s = *e ? e + 1 : e;
    }
    return k;
}

static void name_breaks(lctx *c, const vb_para *p, int32_t colw, para_lines *pl)
{
    const vb_style *st = c->doc->style;
    const vb_zone *z = p->zone;
    if (pl->nw > NB_WORDS || pl->nl > NB_LINES || pl->nl < 2) return;
    nbsearch *s = vb_xcalloc(1, sizeof *s);
    s->pl = pl;
    /* the measures greedy() gives the lines */
    int32_t base = colw - z->indent_left - z->indent_right;
    if (base < VB_MM(10)) base = VB_MM(10);
    s->avail[0] = base - z->indent_first;
    if (s->avail[0] < VB_MM(10)) s->avail[0] = VB_MM(10);
    s->avail[1] = base;
    for (int i = 0; i < pl->nw; i++) {
        s->pos[i + 1] = s->pos[i] + pl->words[i].width + pl->words[i].space;
        s->can[i] = i > 0 && !pl->words[i - 1].glue;
        if (pl->words[i].space > s->most_space) s->most_space = pl->words[i].space;
    }
    /* Tokens: what spaces separate (a word broken after its hyphen is one
     * token of two words), upper-cased as the style's phrases are, without
     * the punctuation around them ("NAM," is the word NAM). */
    vb_arena *a = vb_arena_new();
    char *tok[NB_WORDS];
    int tw0[NB_WORDS], tw1[NB_WORDS], ntok = 0;
    for (int i = 0; i < pl->nw;) {
        int j = i;
        vb_buf b = {0};
        do {
            const word *w = &pl->words[j];
            for (int q = 0; q < w->npieces; q++) vb_buf_add(&b, pl->pieces[w->first + q].text, pl->pieces[w->first + q].len);
        } while (pl->words[j++].space == 0 && j < pl->nw);
        const char *t = vb_buf_cstr(&b);
        size_t len = b.len;
        while (len && strchr(",.;:()", t[len - 1])) len--;
        while (len && strchr(",.;:()", *t)) { t++; len--; }
        tok[ntok] = vb_upper(a, vb_strndup(a, t, len));
        tw0[ntok] = i; tw1[ntok] = j;
        /* the dash of "PHAN RANG - THÁP CHÀM" never starts a line */
        if (len && t[0] == '-') s->can[i] = false;
        ntok++;
        vb_buf_free(&b);
        i = j;
    }
    for (int t = 0; t < ntok; t++) {
        for (size_t k = 0; k < st->nkeep_together; k++) {
            int m = phrase_at(tok, ntok, t, st->keep_together[k]);
            if (m) for (int w = tw0[t] + 1; w < tw1[t + m - 1]; w++) s->can[w] = false;
        }
        for (size_t k = 0; k < st->nbreak_before; k++)
            if (phrase_at(tok, ntok, t, st->break_before[k])) s->pref[tw0[t]] = true;
    }
    vb_arena_free(a);
    /* as many lines as the balanced breaks; when every such set breaks a
     * fixed phrase, one more line ("KHU CÔNG NGHIỆP" is never cut) */
    for (s->n = pl->nl; s->n <= NB_LINES && s->n <= pl->nw && !s->found; s->n++) nb_try(s, 0, 0);
    s->n--;
    if (s->found) {
        /* the lines as greedy() records them */
        pl->nl = 0;
        pl->widest = 0;
        for (int k = 0; k < s->n; k++) {
            int w0 = s->best[k], w1 = k + 1 < s->n ? s->best[k + 1] : pl->nw;
            int32_t indent = z->indent_left + (k == 0 ? z->indent_first : 0), avail = s->avail[k ? 1 : 0];
            int32_t wsum = nb_width(s, w0, w1);
            push_line(pl, z, w0, w1 - w0, wsum, avail, indent);
        }
    }
    free(s);
}

static void break_lines(lctx *c, const vb_para *p, int32_t colw, para_lines *pl)
{
    split_words(c, p, pl);
    greedy(c, p, colw, 0, pl);
    if (p->zone->align == VB_ALIGN_JUSTIFY && pl->nl > 1 && c->doc->style->breaking == VB_BREAK_TOTAL_FIT)
        total_fit(c, p, colw, pl);
    /* A centred title that wraps is balanced: the narrowest measure that
     * keeps the same number of lines ("HỘI ĐỒNG NHÂN DÂN / TỈNH NAM ĐỊNH",
     * not a long line and an orphaned word). */
    if (p->zone->align == VB_ALIGN_CENTER && pl->nl > 1 && pl->nl <= 6) {
        int n = pl->nl;
        int32_t lo = 0, hi = pl->widest;
        for (int k = 0; k < pl->nw; k++) if (pl->words[k].width > lo) lo = pl->words[k].width;
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            greedy(c, p, colw, mid, pl);
            if (pl->nl <= n) hi = mid; else lo = mid + 1;
        }
        greedy(c, p, colw, hi, pl);
    }
    if (p->zone->name_breaks && pl->nl > 1) name_breaks(c, p, colw, pl);
}

/* ---- boxes ---- */

typedef struct box {
    int32_t space_before;      /* dropped at the top of a page */
    int32_t height;
    int32_t space_after;
    bool no_break_after;
    vb_frag *frags; int nf;    /* y relative to the box top, x absolute */
    vb_line_seg *rules; int nr;
    /* a table's body or totals row: its header rows' box (index + 1; 0:
     * none), set again at the top of a page the table continues on; and
     * the rule that closes the row when a page ends under it (rows draw
     * only their top rule) */
    int repeat;
    vb_line_seg close;         /* width 0: none */
    const vb_page_geom *brk;   /* non-NULL: a section starts here, on a new
                                  page of this geometry */
} box;

typedef struct boxes { box *b; int n, cap; } boxes;

static int32_t line_pitch(const lctx *c, const vb_zone *z)
{
    if (z->line > 0) return z->line;
    /* single spacing: the font's own ascender + descender (+ line gap) */
    int32_t a = vb_font_ascent(c->fonts, VB_FACE_REGULAR, z->size);
    int32_t d = vb_font_descent(c->fonts, VB_FACE_REGULAR, z->size);
    return (int32_t)((int64_t)(a - d) * 1150 / 1107);
}

/* Baseline within a line box.  Word and LibreOffice put the extra room of
 * an exact line height above the text: the part below the baseline is
 * the same as at single spacing.  We do the same, so both formats agree. */
static int32_t line_baseline(const lctx *c, const vb_zone *z, int32_t pitch)
{
    int32_t a = vb_font_ascent(c->fonts, VB_FACE_REGULAR, z->size);
    int32_t d = vb_font_descent(c->fonts, VB_FACE_REGULAR, z->size);
    int32_t single = (int32_t)((int64_t)(a - d) * 1150 / 1107);
    return pitch - (single - a);
}

typedef struct fr_list { vb_frag *f; int n, cap; vb_line_seg *r; int nr, capr; } fr_list;

static void add_frag(lctx *c, fr_list *fl, int32_t x, int32_t y, const vb_zone *z, vb_face face,
                     const char *s, size_t len, bool trailing_space, int32_t width)
{
    GROW(fl->f, fl->n, fl->cap);
    char *t = vb_alloc(c->a, len + 2);
    memcpy(t, s, len);
    if (trailing_space) t[len++] = ' ';
    t[len] = 0;
    fl->f[fl->n++] = (vb_frag){ x, y, width, z->size, face, t, c->block, c->line };
}

static void add_rule(fr_list *fl, int32_t x1, int32_t x2, int32_t y, int32_t w)
{
    GROW(fl->r, fl->nr, fl->capr);
    fl->r[fl->nr++] = (vb_line_seg){ x1, x2, y, w, 0 };
}

static void add_vrule(fr_list *fl, int32_t x, int32_t y1, int32_t y2, int32_t w)
{
    GROW(fl->r, fl->nr, fl->capr);
    fl->r[fl->nr++] = (vb_line_seg){ x, x, y1, w, y2 };
}

/* Emit the fragments of line li at baseline y; x0 is the column's left. */
static void emit_line(lctx *c, const vb_para *p, const para_lines *pl, int li, int32_t x0, int32_t y, fr_list *fl)
{
    const vb_zone *z = p->zone;
    const line *ln = &pl->lines[li];
    /* only real spaces stretch: pieces of a cut giant word have none */
    int gaps = 0;
    for (int k = 0; k + 1 < ln->nw; k++) if (pl->words[ln->w0 + k].space > 0) gaps++;
    bool justify = z->align == VB_ALIGN_JUSTIFY && !ln->last && gaps > 0;
    /* extra < 0: total fit shrank the spaces; the remainder goes one mpt
     * a gap to the first gaps, either way */
    int32_t extra = justify ? ln->avail - ln->natural : 0, per = 0, rem = 0, step = 1;
    if (justify && (extra > 0 || (extra < 0 && ln->shrink))) { per = extra / gaps; rem = extra % gaps; }
    if (rem < 0) { rem = -rem; step = -1; }
    int32_t x = x0 + ln->indent;
    if (z->align == VB_ALIGN_CENTER) x += (ln->avail - ln->natural) / 2;
    else if (z->align == VB_ALIGN_RIGHT) x += ln->avail - ln->natural;
    int32_t ul_start = -1;
    /* Merge neighbouring pieces of the same face into one fragment when the
     * spacing between them is natural (never on justified lines). */
    vb_buf acc = {0};
    int32_t acc_x = 0, acc_w = 0;
    vb_face acc_face = VB_FACE_REGULAR;
    bool acc_ul = false, have = false;
    int gap_no = 0;
    for (int k = 0; k < ln->nw; k++) {
        const word *w = &pl->words[ln->w0 + k];
        bool last_word = k == ln->nw - 1;
        for (int q = 0; q < w->npieces; q++) {
            const piece *pc = &pl->pieces[w->first + q];
            bool space_after = q == w->npieces - 1 && !last_word && w->space > 0;
            if (have && (pc->face != acc_face || pc->ul != acc_ul || justify)) {
                add_frag(c, fl, acc_x, y, z, acc_face, acc.data, acc.len, false, acc_w);
                acc.len = 0; have = false;
            }
            if (!have) { acc_x = x; acc_w = 0; acc_face = pc->face; acc_ul = pc->ul; have = true; }
            vb_buf_add(&acc, pc->text, pc->len);
            if (pc->ul && ul_start < 0) ul_start = x;
            x += pc->width;
            acc_w += pc->width;
            if (pc->ul && (!space_after || !(w + 1)->npieces || !pl->pieces[(w + 1)->first].ul)) {
                int32_t th = z->size / 20;
                add_rule(fl, ul_start, x, y + z->size / 9, th > 300 ? th : 300);
                ul_start = -1;
            }
            if (space_after) {
                vb_buf_putc(&acc, ' ');
                int32_t gap = w->space + (justify ? per + (gap_no < rem ? step : 0) : 0);
                gap_no++;
                if (justify) {
                    add_frag(c, fl, acc_x, y, z, acc_face, acc.data, acc.len - 1, true, acc_w);
                    acc.len = 0; have = false;
                } else acc_w += w->space;
                x += gap;
            }
        }
    }
    if (have) add_frag(c, fl, acc_x, y, z, acc_face, acc.data, acc.len, false, acc_w);
    vb_buf_free(&acc);
}

static int32_t rule_len_of(const vb_zone *z, const para_lines *pl, int32_t colw)
{
    switch (z->rule) {
    case VB_RULE_NONE: return 0;
    case VB_RULE_TEXT: return pl->widest;
    case VB_RULE_FRACTION: return (int32_t)((int64_t)pl->widest * z->rule_frac / 1000);
    case VB_RULE_FIXED: return z->rule_len;
    case VB_RULE_FULL: return colw - z->indent_left - z->indent_right;
    }
    return 0;
}

/* Lay a paragraph out as a stack at y (top), returning its height without
 * space_after; used for row cells, where nothing breaks. */
static int32_t stack_para(lctx *c, const vb_para *p, int32_t x0, int32_t colw, int32_t top, fr_list *fl,
                          int32_t *first_baseline)
{
    const vb_zone *z = p->zone;
    para_lines pl = {0};
    break_lines(c, p, colw, &pl);
    int32_t pitch = line_pitch(c, z), bl = line_baseline(c, z, pitch);
    int32_t y = top + z->space_before;
    for (int i = 0; i < pl.nl; i++) {
        if (i == 0 && first_baseline) *first_baseline = y + bl;
        emit_line(c, p, &pl, i, x0, y + bl, fl);
        y += pitch;
    }
    int32_t rl = rule_len_of(z, &pl, colw);
    if (rl > 0 && pl.nl > 0) {
        int32_t mid = x0 + pl.widest_x + pl.widest / 2;
        if (z->rule == VB_RULE_FULL || z->rule == VB_RULE_FIXED) mid = x0 + z->indent_left + (colw - z->indent_left - z->indent_right) / 2;
        add_rule(fl, mid - rl / 2, mid - rl / 2 + rl, y - pitch + bl + z->rule_gap, z->rule_width);
    }
    pl_free(&pl);
    return y - top;
}

static void push_box(boxes *bs, box b) { GROW(bs->b, bs->n, bs->cap); bs->b[bs->n++] = b; }

static void take_frags(lctx *c, box *b, fr_list *fl)
{
    b->frags = vb_alloc(c->a, (size_t)(fl->n ? fl->n : 1) * sizeof *b->frags);
    if (fl->n) memcpy(b->frags, fl->f, (size_t)fl->n * sizeof *fl->f);   /* fl->f may be NULL */
    b->nf = fl->n;
    b->rules = vb_alloc(c->a, (size_t)(fl->nr ? fl->nr : 1) * sizeof *b->rules);
    if (fl->nr) memcpy(b->rules, fl->r, (size_t)fl->nr * sizeof *fl->r);
    b->nr = fl->nr;
    fl->n = fl->nr = 0;
}

/* For VANBAN_LINE_STATS (tools/bench.sh): "L S" for every justified line
 * but the last, S the stretch of its spaces in 1/10000 of their natural
 * width (negative: shrunk), as emit_line sets it; "P 1" for a paragraph of
 * two lines or more whose last line is one short word, "P 0" otherwise,
 * then its number of lines. */
static void line_stats(lctx *c, const vb_para *p, const para_lines *pl)
{
    if (p->zone->align != VB_ALIGN_JUSTIFY || pl->nl == 0) return;
    for (int i = 0; i + 1 < pl->nl; i++) {
        const line *ln = &pl->lines[i];
        int64_t sp = 0;
        for (int k = 0; k + 1 < ln->nw; k++) sp += pl->words[ln->w0 + k].space;
        if (sp == 0) continue;             /* nothing to justify with: left-aligned */
        int64_t extra = (int64_t)ln->avail - ln->natural;
        if (extra < 0 && !ln->shrink) extra = 0;
        vb_buf_printf(c->stats, "L %lld\n", (long long)(extra * 10000 / sp));
    }
    if (pl->nl > 1) {
        const line *ln = &pl->lines[pl->nl - 1];
        vb_buf_printf(c->stats, "P %d %d\n", short_last_line(pl->words[ln->w0].width, ln->nw, p->zone->size), pl->nl);
    }
}

/* A body paragraph becomes one box per line. */
static void para_boxes(lctx *c, const vb_para *p, boxes *bs, fr_list *fl)
{
    const vb_page_geom *g = geom(c);
    const vb_zone *z = p->zone;
    int32_t colw = g->width - g->margin_left - g->margin_right;
    para_lines pl = {0};
    break_lines(c, p, colw, &pl);
    if (c->stats) line_stats(c, p, &pl);
    int32_t pitch = line_pitch(c, z), bl = line_baseline(c, z, pitch);
    int first = bs->n;
    for (int i = 0; i < pl.nl; i++) {
        c->line = i;
        emit_line(c, p, &pl, i, g->margin_left, bl, fl);
        box b = { i == 0 ? z->space_before : 0, pitch, i == pl.nl - 1 ? z->space_after : 0, false, NULL, 0, NULL, 0, 0, {0}, NULL };
        if (i == pl.nl - 1) {
            int32_t rl = rule_len_of(z, &pl, colw);
            if (rl > 0) {
                int32_t mid = g->margin_left + pl.widest_x + pl.widest / 2;
                add_rule(fl, mid - rl / 2, mid - rl / 2 + rl, bl + z->rule_gap, z->rule_width);
            }
        }
        take_frags(c, &b, fl);
        push_box(bs, b);
    }
    int n = pl.nl;
    for (int i = 0; i < n - 1; i++) {
        box *b = &bs->b[first + i];
        /* orphan: never one line alone at the foot; widow: never one at the head */
        if (z->keep_lines || i == 0 || i == n - 2) b->no_break_after = true;
    }
    if (n > 0 && z->keep_next) bs->b[first + n - 1].no_break_after = true;
    pl_free(&pl);
}

/* ---- tables ---- */

/* One row of a table laid out at the top of a box from y = top: every
 * cell a stack in its column (body and totals in the column's alignment,
 * header rows in their zone's), the row as tall as its tallest cell plus
 * padding; its top rule and the rules between and beside its cells.
 * Returns its height. */
static int32_t table_row(lctx *c, const vb_table *t, const vb_trow *row, const int32_t *xs,
                         int32_t top, fr_list *fl)
{
    const vb_style *st = c->doc->style;
    int32_t px = st->table_pad_x, py = st->table_pad_y, h = 0;
    for (int k = 0; k < t->ncols; k++) {
        const vb_para *p = row->cell[k];
        if (!p->runs) continue;
        vb_zone z = *p->zone;
        if (row->kind != VB_TROW_HEADER) z.align = t->align[k];
        if (z.align == VB_ALIGN_JUSTIFY) z.align = VB_ALIGN_LEFT;   /* a cell is too narrow to justify */
        z.space_before = z.space_after = 0;
        z.rule = VB_RULE_NONE;
        vb_para cell = *p;
        cell.zone = &z;
        int32_t colw = xs[k + 1] - xs[k] - 2 * px;
        /* below the top rule (Word and LibreOffice give each row's rule
         * its width of the row's height) */
        int32_t ch = stack_para(c, &cell, xs[k] + px, colw > VB_PT ? colw : VB_PT, top + py + st->table_border,
                                fl, NULL);
        if (ch > h) h = ch;
    }
    if (h == 0) {
        /* an empty row is one line of the cell zone high */
        h = line_pitch(c, row->cell[0]->zone);
    }
    h += 2 * py + st->table_border;
    int32_t bw = st->table_border;
    if (bw > 0) {
        add_rule(fl, xs[0], xs[t->ncols], top, bw);
        for (int k = 0; k <= t->ncols; k++) add_vrule(fl, xs[k], top, top + h, bw);
    }
    return h;
}

/* A row taller than a page (under the header rows) is the one row that is
 * split: between lines, as low as each page allows, no line of any cell
 * cut; every slice boxed, its side rules as tall as itself. */
static void tall_row(lctx *c, const int32_t *xs, int ncols, int32_t h, int32_t room, int32_t before,
                     int32_t after, bool last, boxes *bs, fr_list *fl)
{
    int32_t bw = c->doc->style->table_border, py = c->doc->style->table_pad_y;
    fr_list slice = {0};
    int32_t start = 0;
    room -= 2 * py;                /* a cut adds padding below and above it */
    while (start < h) {
        int32_t cut = h;
        if (h - start > room) {
            /* the lowest line foot within the page that no other line straddles */
            cut = start;
            for (int i = 0; i < fl->n; i++) {
                int32_t foot = fl->f[i].y - vb_font_descent(c->fonts, fl->f[i].face, fl->f[i].size);
                if (foot <= start + room && foot > cut) {
                    bool clear = true;
                    for (int j = 0; j < fl->n && clear; j++) {
                        const vb_frag *g = &fl->f[j];
                        if (g->y - vb_font_ascent(c->fonts, g->face, g->size) < foot &&
                            foot < g->y - vb_font_descent(c->fonts, g->face, g->size))
                            clear = false;
                    }
                    if (clear) cut = foot;
                }
            }
            if (cut <= start) cut = start + room;     /* nothing fits whole: cut anyway */
        }
        for (int i = 0; i < fl->n; i++) {
            int32_t foot = fl->f[i].y - vb_font_descent(c->fonts, fl->f[i].face, fl->f[i].size);
            if (foot > start && (foot <= cut || cut == h)) {
                GROW(slice.f, slice.n, slice.cap);
                slice.f[slice.n] = fl->f[i];
                slice.f[slice.n++].y -= start - (start > 0 ? py : 0);
            }
        }
        int32_t sh = cut - start + (start > 0 ? py : 0) + (cut < h ? py : 0);
        if (bw > 0) {
            add_rule(&slice, xs[0], xs[ncols], 0, bw);
            for (int k = 0; k <= ncols; k++) add_vrule(&slice, xs[k], 0, sh, bw);
            if (cut == h && last) add_rule(&slice, xs[0], xs[ncols], sh, bw);
        }
        box b = { start == 0 ? before : 0, sh, cut == h ? after : 0, false, NULL, 0, NULL, 0, 0, {0}, NULL };
        if ((cut < h || !last) && bw > 0) b.close = (vb_line_seg){ xs[0], xs[ncols], sh, bw, 0 };
        take_frags(c, &b, &slice);
        push_box(bs, b);
        start = cut;
    }
    free(slice.f);
    free(slice.r);
    fl->n = fl->nr = 0;
}

/* A table: its header rows as one box that keeps with the first row and
 * opens every later page of the table; then one box a row, never split. */
static void table_boxes(lctx *c, const vb_table *t, boxes *bs, fr_list *fl)
{
    const vb_style *st = c->doc->style;
    const vb_page_geom *g = geom(c);
    int32_t W = g->width - g->margin_left - g->margin_right;
    int32_t *w = vb_xmalloc((size_t)t->ncols * sizeof *w), *xs = vb_xmalloc(((size_t)t->ncols + 1) * sizeof *xs);
    vb_table_widths(c->doc, t, c->fonts, W, w);
    xs[0] = g->margin_left;
    for (int k = 0; k < t->ncols; k++) xs[k + 1] = xs[k] + w[k];
    int32_t bw = st->table_border;
    int r = 0, first = bs->n;
    int32_t hh = 0;
    for (; r < t->nrows && t->rows[r].kind == VB_TROW_HEADER; r++) {
        c->line = r;
        hh += table_row(c, t, &t->rows[r], xs, hh, fl);
    }
    int header = -1;
    if (hh > 0) {
        box b = { st->table_space_before, hh, 0, true, NULL, 0, NULL, 0, 0, {0}, NULL };
        take_frags(c, &b, fl);
        push_box(bs, b);
        header = bs->n - 1;
    }
    /* what a page holds under the repeated header rows */
    int32_t room = g->height - g->margin_top - g->margin_bottom - hh;
    for (; r < t->nrows; r++) {
        c->line = r;
        int32_t h = table_row(c, t, &t->rows[r], xs, 0, fl);
        bool last = r == t->nrows - 1;
        if (h > room && room > 4 * VB_PT) {
            tall_row(c, xs, t->ncols, h, room, bs->n == first ? st->table_space_before : 0,
                     last ? st->table_space_after : 0, last, bs, fl);
            continue;
        }
        if (last && bw > 0) add_rule(fl, xs[0], xs[t->ncols], h, bw);
        box b = { bs->n == first ? st->table_space_before : 0, h, last ? st->table_space_after : 0,
                  false, NULL, 0, NULL, 0, 0, {0}, NULL };
        if (!last && bw > 0) b.close = (vb_line_seg){ xs[0], xs[t->ncols], h, bw, 0 };
        take_frags(c, &b, fl);
        push_box(bs, b);
    }
    for (int k = header >= 0 ? header + 1 : bs->n; k < bs->n; k++) bs->b[k].repeat = header + 1;
    if (header >= 0 && header == bs->n - 1) {
        /* a table of header rows only: they close themselves */
        box *hb = &bs->b[header];
        hb->no_break_after = false;
        hb->space_after = st->table_space_after;
        if (bw > 0) {
            vb_line_seg *nr = vb_alloc(c->a, ((size_t)hb->nr + 1) * sizeof *nr);
            memcpy(nr, hb->rules, (size_t)hb->nr * sizeof *nr);
            nr[hb->nr++] = (vb_line_seg){ xs[0], xs[t->ncols], hh, bw, 0 };
            hb->rules = nr;
        }
    }
    free(w);
    free(xs);
}

/* ---- rows ---- */

typedef struct span { int32_t a, b; } span;   /* an open interval (a, b) */
static int cmp_span(const void *x, const void *y)
{
    int32_t a = ((const span *)x)->a, b = ((const span *)y)->a;
    return a < b ? -1 : a > b;
}
static int cmp_i32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return a < b ? -1 : a > b;
}

/* ---- fitting the header's columns ----
 *
 * All header rows share one split: the left cell is [0, L], the right
 * [L + g, W].  Lines are centred in their cells, so on a row whose widest
 * left line is a and widest right line b the texts stand
 * (W - a - b + g) / 2 apart, whatever L is: the gutter g is only needed
 * when the texts themselves are close.  A nowrap line (title, motto,
 * number, date) must fit its cell whole; body names wrap, balanced.  Of
 * the splits that fit, the fitter takes the one with the fewest lines,
 * then the one nearest the rule file's header_left, then the narrowest
 * gutter.  The widest line of a balanced name only changes at the widths
 * where it gains a line, so only those widths are tried; the split taken
 * is then checked with the lines stack_para will really make. */

#define HDR_STEPS 8            /* line counts tried for one body name */
#define HDR_PARAS 32           /* header paragraphs fitted (more: the rest just wrap) */

typedef struct hpara {
    const vb_para *p;
    int row, cell;
    bool hard;                 /* nowrap */
    int n;                     /* steps known */
    int32_t need[HDR_STEPS];   /* the cell width that sets it in lines[i] lines */
    int lines[HDR_STEPS];      /*   (need falls as lines grow) */
} hpara;

static int32_t natural_width(lctx *c, const vb_para *p)
{
    para_lines pl = {0};
    break_lines(c, p, VB_MM(10000), &pl);
    int32_t w = pl.widest + p->zone->indent_left + p->zone->indent_right + p->zone->indent_first;
    pl_free(&pl);
    return w;
}

/* The widths at which a body name gains a line, down to `floor`. */
static void wrap_steps(lctx *c, hpara *h, int32_t floor)
{
    const vb_zone *z = h->p->zone;
    int32_t ind = z->indent_left + z->indent_right + z->indent_first;
    h->need[0] = natural_width(c, h->p);
    h->lines[0] = 1;
    h->n = 1;
    int32_t w = h->need[0] - 1;
    /* balanced lines gain one at each step; a breaker that is not
     * balanced may keep its count over several: go on narrowing */
    for (int guard = 0; !h->hard && h->n < HDR_STEPS && w >= floor && guard < 4 * HDR_STEPS; guard++) {
        para_lines pl = {0};
        break_lines(c, h->p, w, &pl);
        int32_t need = pl.widest + ind;
        int nl = pl.nl;
        pl_free(&pl);
        if (need > w) break;           /* a word wider than the cell was cut */
        if (nl > h->lines[h->n - 1]) {
            h->need[h->n] = need;
            h->lines[h->n] = nl;
            h->n++;
        }
        w = need - 1;
    }
}

/* Width and lines of a paragraph in a cell `w` wide. */
static int32_t hp_width(const hpara *h, int32_t w, int *lines)
{
    *lines = 1;
    if (h->hard) return h->need[0];    /* too wide or not: it never wraps */
    for (int i = 0; i < h->n; i++)
        if (h->need[i] <= w) { *lines = h->lines[i]; return h->need[i]; }
    /* narrower than its last step: it fills the cell, with more lines than
     * counted (a word cut), which the line count makes the last resort */
    *lines = h->lines[h->n - 1] + 100;
    return w;
}

/* The record field a paragraph's text came from (its first value), and
 * that value, for a message. */
static const char *para_src(lctx *c, const vb_para *p, const char **value)
{
    for (const vb_run *r = p->runs; r; r = r->next)
        if (r->src) { *value = r->text; return r->src; }
    vb_buf b = {0};
    for (const vb_run *r = p->runs; r; r = r->next) vb_buf_puts(&b, r->text);
    *value = vb_strdup(c->a, vb_buf_cstr(&b));
    vb_buf_free(&b);
    return vb_sprintf(c->a, "template text in zone %s", p->zone->name);
}

typedef struct hfit { bool ok; int lines; int32_t dev, L, g; } hfit;

static bool hfit_better(const hfit *a, const hfit *b)
{
    if (!b->ok) return a->ok;
    if (!a->ok) return false;
    if (a->lines != b->lines) return a->lines < b->lines;
    if (a->dev != b->dev) return a->dev < b->dev;
    if (a->g != b->g) return a->g < b->g;
    return a->L < b->L;
}

/* With the left cell L wide: the widest line of each side of each row and
 * the lines of body names. */
static int side_widths(const hpara *hp, int n, int nrows, int32_t L, int32_t R, int32_t *a, int32_t *b)
{
    int lines = 0;
    for (int r = 0; r < nrows; r++) a[r] = b[r] = -1;
    for (int i = 0; i < n; i++) {
        int nl;
        int32_t w = hp_width(&hp[i], hp[i].cell ? R : L, &nl);
        int32_t *side = hp[i].cell ? b : a;
        if (w > side[hp[i].row]) side[hp[i].row] = w;
        if (!hp[i].hard) lines += nl;
    }
    return lines;
}

/* The least gutter that keeps every row's texts `gap` apart. */
static int32_t need_gutter(int nrows, int32_t W, int32_t gap, const int32_t *a, const int32_t *b)
{
    int32_t g = 0;
    for (int r = 0; r < nrows; r++) {
        if (a[r] < 0 || b[r] < 0) continue;   /* one cell empty: no neighbour */
        int32_t need = 2 * gap - (W - a[r] - b[r]);
        if (need > g) g = need;
    }
    return g;
}

/* The split as laid out: every paragraph broken in its cell as stack_para
 * will break it, fitting its cell, the rows' texts `gap` apart. */
static bool split_holds(lctx *c, const hpara *hp, int n, int nrows, int32_t W, int32_t gap, int32_t L, int32_t g,
                        int32_t *a, int32_t *b)
{
    for (int r = 0; r < nrows; r++) a[r] = b[r] = -1;
    for (int i = 0; i < n; i++) {
        int32_t colw = hp[i].cell ? W - L - g : L, w = hp[i].need[0];
        if (!hp[i].hard) {
            const vb_zone *z = hp[i].p->zone;
            para_lines pl = {0};
            break_lines(c, hp[i].p, colw, &pl);
            w = pl.widest + z->indent_left + z->indent_right + z->indent_first;
            pl_free(&pl);
        }
        if (w > colw) return false;
        int32_t *side = hp[i].cell ? b : a;
        if (w > side[hp[i].row]) side[hp[i].row] = w;
    }
    return need_gutter(nrows, W, gap, a, b) <= g;
}

static int cmp_hfit(const void *x, const void *y)
{
    const hfit *a = x, *b = y;
    return hfit_better(a, b) ? -1 : hfit_better(b, a) ? 1 : 0;
}

static void fit_header(lctx *c)
{
    const vb_style *st = c->doc->style;
    int32_t W = st->page_w - st->margin_left - st->margin_right;
    int32_t def = (int32_t)((int64_t)W * st->header_left / 1000), gap = st->header_min_gap;
    int32_t Lmin = (int32_t)((int64_t)W * st->header_left_min / 1000);
    int32_t Lmax = (int32_t)((int64_t)W * st->header_left_max / 1000);
    if (Lmax <= Lmin) Lmax = W;        /* a style built in code, without bounds */
    c->hdr_fitted = true;
    c->hdr_left = c->hdr_right_x = def;
    hpara hp[HDR_PARAS];
    int n = 0, nrows = 0;
    int32_t lh = 0, rh = 0;            /* the widest nowrap line of each side */
    for (const vb_block *b = c->doc->first; b; b = b->next) {
        if (b->kind != VB_BLOCK_ROW || b->row->kind != VB_ROW_HEADER) continue;
        for (int k = 0; k < 2; k++)
            for (const vb_para *p = b->row->cell[k]; p && n < HDR_PARAS; p = p->next) {
                hp[n] = (hpara){ .p = p, .row = nrows, .cell = k, .hard = p->zone->nowrap };
                wrap_steps(c, &hp[n], W / 10);
                if (hp[n].hard) { int32_t *h = k ? &rh : &lh; if (hp[n].need[0] > *h) *h = hp[n].need[0]; }
                n++;
            }
        nrows++;
    }
    if (!n || !c->ok) return;
    int32_t *a = vb_alloc(c->a, (size_t)nrows * 2 * sizeof *a), *bw = a + nrows;
    /* the left widths where a body name gains or loses a line bound the
     * intervals over which nothing on the left changes */
    int32_t cand[HDR_PARAS * HDR_STEPS + 2];
    int nc = 0;
    cand[nc++] = Lmin;
    for (int i = 0; i < n; i++)
        if (!hp[i].cell)
            for (int s = 0; s < hp[i].n; s++)
                if (hp[i].need[s] > Lmin && hp[i].need[s] <= Lmax) cand[nc++] = hp[i].need[s];
    qsort(cand, (size_t)nc, sizeof *cand, cmp_i32);
    hfit *fits = vb_alloc(c->a, (size_t)nc * sizeof *fits);
    int nf = 0;
    for (int j = 0; j < nc; j++) {
        if (j && cand[j] == cand[j - 1]) continue;
        int32_t lo = cand[j] > lh ? cand[j] : lh;
        int32_t hi = Lmax;
        for (int k = j + 1; k < nc; k++) if (cand[k] > cand[j]) { hi = cand[k] - 1 < Lmax ? cand[k] - 1 : Lmax; break; }
        if (lo > hi) continue;
        /* right body names (rare) wrap in what the gutter leaves: settle g */
        int32_t g = 0;
        for (int it = 0; it < 4; it++) {
            side_widths(hp, n, nrows, lo, W - lo - g, a, bw);
            int32_t g2 = need_gutter(nrows, W, gap, a, bw);
            if (g2 <= g) break;
            g = g2;
        }
        int32_t rneed = rh;
        for (int r = 0; r < nrows; r++) if (bw[r] > rneed) rneed = bw[r];
        if (W - g - rneed < hi) hi = W - g - rneed;
        if (lo > hi) continue;
        int32_t L = def < lo ? lo : def > hi ? hi : def;
        /* what is laid out at L must keep the gap and fit */
        int lines = side_widths(hp, n, nrows, L, W - L - g, a, bw);
        bool holds = need_gutter(nrows, W, gap, a, bw) <= g;
        for (int r = 0; r < nrows; r++) if (bw[r] > W - L - g || a[r] > L) holds = false;
        if (!holds) continue;
        fits[nf++] = (hfit){ true, lines, L > def ? L - def : def - L, L, g };
    }
    /* the best split whose real lines keep what the steps promised */
    qsort(fits, (size_t)nf, sizeof *fits, cmp_hfit);
    for (int i = 0; i < nf; i++)
        if (split_holds(c, hp, n, nrows, W, gap, fits[i].L, fits[i].g, a, bw)) {
            c->hdr_left = fits[i].L;
            c->hdr_right_x = fits[i].L + fits[i].g;
            return;
        }
    if (nf) {
        /* the steps said it fits and no split holds: the breaker is not
         * balanced; a name a little wider than promised beats no document */
        c->hdr_left = fits[0].L;
        c->hdr_right_x = fits[0].L + fits[0].g;
        return;
    }
    /* Nothing fits.  Name the widest nowrap line of the side that cannot
     * have it, and the most that side can give. */
    int32_t Lfloor = lh > Lmin ? lh : Lmin;
    for (int i = 0; i < n; i++)
        if (!hp[i].cell && !hp[i].hard && hp[i].need[hp[i].n - 1] > Lfloor) Lfloor = hp[i].need[hp[i].n - 1];
    const hpara *culprit = NULL;
    int32_t most = 0, over = 0;
    const char *side = "right";
    side_widths(hp, n, nrows, Lfloor, W - Lfloor, a, bw);
    for (int i = 0; i < n; i++) {
        if (!hp[i].hard || !hp[i].cell) continue;
        /* beside the left cell at its narrowest, its texts filling it */
        int32_t can = W - Lfloor;
        int32_t al = a[hp[i].row];
        if (al >= 0 && W - (al + Lfloor) / 2 - gap < can) can = W - (al + Lfloor) / 2 - gap;
        if (hp[i].need[0] - can > over) { culprit = &hp[i]; most = can; over = hp[i].need[0] - can; }
    }
    if (!culprit) {
        side = "left";
        int32_t can = Lmax < W - rh - gap ? Lmax : W - rh - gap;
        for (int i = 0; i < n; i++)
            if (hp[i].hard && !hp[i].cell && hp[i].need[0] - can > over) {
                culprit = &hp[i]; most = can; over = hp[i].need[0] - can;
            }
    }
    if (culprit) {
        const char *value, *src = para_src(c, culprit->p, &value);
        /* a giant value is cut in the message, at a code point */
        size_t cut = 0;
        for (int k = 0; value[cut] && k < 80; k++) { int32_t cp; cut += (size_t)vb_utf8_next(value + cut, &cp); }
        /* one sentence a side, so that each is translated whole */
        if (!strcmp(side, "left"))
            vb_error(c->d, VB_EXIT_INPUT, "%s: \"%.*s%s\": its %s line needs %.1f mm, the left column can give at most %.1f mm",
                     src, (int)cut, value, value[cut] ? "…" : "", culprit->p->zone->name, vb_to_mm(culprit->need[0]),
                     vb_to_mm(most > 0 ? most : 0));
        else
            vb_error(c->d, VB_EXIT_INPUT, "%s: \"%.*s%s\": its %s line needs %.1f mm, the right column can give at most %.1f mm",
                     src, (int)cut, value, value[cut] ? "…" : "", culprit->p->zone->name, vb_to_mm(culprit->need[0]),
                     vb_to_mm(most > 0 ? most : 0));
    } else {
        vb_error(c->d, VB_EXIT_INPUT, "the header does not fit: its left column needs %.1f mm and its right %.1f mm, "
                 "%.1f mm apart, in a text width of %.1f mm", vb_to_mm(Lfloor), vb_to_mm(rh), vb_to_mm(gap), vb_to_mm(W));
    }
    c->ok = false;
}

/* The columns of a row (see vb_row_columns). */
static void columns(lctx *c, const vb_row *row, int32_t *left, int32_t *right_x)
{
    const vb_style *st = c->doc->style;
    const vb_page_geom *g = geom(c);
    int32_t W = g->width - g->margin_left - g->margin_right;
    if (row->kind == VB_ROW_SIGNATURE) {
        *left = *right_x = (int32_t)((int64_t)W * st->signature_left / 1000);
        return;
    }
    if (!c->hdr_fitted) fit_header(c);
    *left = c->hdr_left;
    *right_x = c->hdr_right_x;
}

static void row_box(lctx *c, const vb_row *row, boxes *bs, fr_list *fl)
{
    const vb_page_geom *g = geom(c);
    int32_t W = g->width - g->margin_left - g->margin_right;
    int32_t lw, rx;
    columns(c, row, &lw, &rx);
    int32_t x[2] = { g->margin_left, g->margin_left + rx }, w[2] = { lw, W - rx };
    /* lay both cells out from 0, then align their first baselines */
    fr_list cell[2] = {{0}};
    int32_t h[2] = {0, 0}, fb[2] = {0, 0}, lb[2] = {0, 0};
    int lastf[2] = {0, 0}, lastr[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        int32_t y = 0;
        for (const vb_para *p = row->cell[k]; p; p = p->next) {
            int32_t b0 = 0;
            lastf[k] = cell[k].n; lastr[k] = cell[k].nr;
            y += stack_para(c, p, x[k], w[k], y, &cell[k], &b0);
            if (p == row->cell[k]) fb[k] = b0;
            lb[k] = b0;
            if (p->next) y += p->zone->space_after;
        }
        h[k] = y;
    }
    /* Two signatures side by side: the names stand on one line, however
     * many title lines each column has above its signature. */
    if (row->kind == VB_ROW_SIGNATURE && row->cell_last[0] && row->cell_last[1] &&
        row->cell_last[0]->zone == row->cell_last[1]->zone && row->cell[0] != row->cell_last[0] &&
        row->cell[1] != row->cell_last[1]) {
        int k = lb[0] < lb[1] ? 0 : 1;
        int32_t dy = lb[1 - k] - lb[k];
        for (int i = lastf[k]; i < cell[k].n; i++) cell[k].f[i].y += dy;
        for (int i = lastr[k]; i < cell[k].nr; i++) cell[k].r[i].y += dy;
        h[k] += dy;
    }
    int32_t shift[2] = {0, 0};
    if (row->cell[0] && row->cell[1]) {
        if (fb[0] < fb[1]) shift[0] = fb[1] - fb[0]; else shift[1] = fb[0] - fb[1];
    }
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < cell[k].n; i++) { cell[k].f[i].y += shift[k]; GROW(fl->f, fl->n, fl->cap); fl->f[fl->n++] = cell[k].f[i]; }
        for (int i = 0; i < cell[k].nr; i++) { cell[k].r[i].y += shift[k]; GROW(fl->r, fl->nr, fl->capr); fl->r[fl->nr++] = cell[k].r[i]; }
        h[k] += shift[k];
        free(cell[k].f); free(cell[k].r);
    }
    int32_t sa = 0;
    for (int k = 0; k < 2; k++) {
        const vb_para *lp = row->cell_last[k];
        if (lp && lp->zone->space_after > sa) sa = lp->zone->space_after;
    }
    /* the first paragraphs' space_before is inside the cells already */
    int32_t height = h[0] > h[1] ? h[0] : h[1];
    /* a signature row is never alone on a page: keep it with what precedes */
    if (row->kind == VB_ROW_SIGNATURE && bs->n > 0) bs->b[bs->n - 1].no_break_after = true;
    int32_t body_h = g->height - g->margin_top - g->margin_bottom;
    if (height <= body_h) {
        box b = { 0, height, sa, false, NULL, 0, NULL, 0, 0, {0}, NULL };
        take_frags(c, &b, fl);
        push_box(bs, b);
        return;
    }
    /* A row taller than a page (150 recipients) is cut between lines: at
     * every height that crosses no line of either cell, and only below the
     * shorter cell, so that a signature block stays whole. */
    int32_t first_cut = h[0] < h[1] ? h[0] : h[1];
    int n = fl->n;
    /* The lines' extents, merged into disjoint open spans, so that testing
     * a cut is a binary search: n log n, not n^2, for thousands of lines. */
    span *sp = vb_xmalloc(((size_t)n + 1) * sizeof *sp);
    for (int i = 0; i < n; i++)
        sp[i] = (span){ fl->f[i].y - fl->f[i].size * 4 / 5, fl->f[i].y + fl->f[i].size / 4 };
    if (n) qsort(sp, (size_t)n, sizeof *sp, cmp_span);
    int nsp = 0;
    for (int i = 0; i < n; i++) {
        if (nsp && sp[i].a < sp[nsp - 1].b) { if (sp[i].b > sp[nsp - 1].b) sp[nsp - 1].b = sp[i].b; }
        else sp[nsp++] = sp[i];
    }
    int32_t *cuts = vb_xmalloc(((size_t)n + 2) * sizeof *cuts);
    int nc = 0;
    for (int i = 0; i < n; i++) {
        /* a line spans about 0.8 em above its baseline and 0.25 em below */
        int32_t cut = fl->f[i].y + fl->f[i].size / 4;
        if (cut >= height || cut < first_cut) continue;
        int lo = 0, hi = nsp;                 /* first span starting at or after the cut */
        while (lo < hi) { int mid = (lo + hi) / 2; if (sp[mid].a < cut) lo = mid + 1; else hi = mid; }
        if (lo > 0 && cut < sp[lo - 1].b) continue;   /* inside a line */
        cuts[nc++] = cut;
    }
    free(sp);
    cuts[nc++] = height;
    /* sort; keep each cut above 0 once */
    qsort(cuts, (size_t)nc, sizeof *cuts, cmp_i32);
    int nu = 0;
    for (int i = 0, prev = 0; i < nc; i++)
        if (cuts[i] > prev) prev = cuts[nu++] = cuts[i];
    /* each fragment and rule goes to the slice whose range holds its y
     * (in its original order); what lies above the row or past the last cut
     * is dropped, as before */
    int *fends = NULL, *rends = NULL;
    for (int pass = 0; pass < 2; pass++) {
        int cnt = pass ? fl->nr : fl->n;
        int *slice_of = vb_xmalloc(((size_t)cnt + 1) * sizeof *slice_of);
        int *start = vb_xcalloc((size_t)nu + 1, sizeof *start);
        for (int j = 0; j < cnt; j++) {
            int32_t y = pass ? fl->r[j].y : fl->f[j].y;
            int lo = 0, hi = nu;              /* first cut above y */
            while (lo < hi) { int mid = (lo + hi) / 2; if (cuts[mid] <= y) lo = mid + 1; else hi = mid; }
            slice_of[j] = y < 0 ? nu : lo;
            start[slice_of[j]]++;
        }
        for (int k = 0, sum = 0; k <= nu; k++) { int t = start[k]; start[k] = sum; sum += t; }
        if (pass == 0) {
            vb_frag *sorted = vb_xmalloc(((size_t)cnt + 1) * sizeof *sorted);
            for (int j = 0; j < cnt; j++) {
                int k = slice_of[j];
                vb_frag f = fl->f[j];
                if (k < nu) f.y -= k ? cuts[k - 1] : 0;
                sorted[start[k]++] = f;
            }
            if (cnt) memcpy(fl->f, sorted, (size_t)cnt * sizeof *sorted);   /* fl->f may be NULL */
            free(sorted);
        } else {
            vb_line_seg *sorted = vb_xmalloc(((size_t)cnt + 1) * sizeof *sorted);
            for (int j = 0; j < cnt; j++) {
                int k = slice_of[j];
                vb_line_seg r = fl->r[j];
                if (k < nu) r.y -= k ? cuts[k - 1] : 0;
                sorted[start[k]++] = r;
            }
            if (cnt) memcpy(fl->r, sorted, (size_t)cnt * sizeof *sorted);   /* fl->r may be NULL */
            free(sorted);
        }
        /* start[k] is now the end of slice k */
        if (pass == 0) fends = start; else rends = start;
        free(slice_of);
    }
    for (int k = 0; k < nu; k++) {
        int f0 = k ? fends[k - 1] : 0, r0 = k ? rends[k - 1] : 0;
        fr_list slice = { fl->f ? fl->f + f0 : NULL, fends[k] - f0, fends[k] - f0,
                          fl->r ? fl->r + r0 : NULL, rends[k] - r0, rends[k] - r0 };
        box b = { 0, cuts[k] - (k ? cuts[k - 1] : 0), k == nu - 1 ? sa : 0, false, NULL, 0, NULL, 0, 0, {0}, NULL };
        take_frags(c, &b, &slice);
        push_box(bs, b);
    }
    free(fends);
    free(rends);
    free(cuts);
    fl->n = fl->nr = 0;
}

/* ---- pages ---- */

static vb_page *new_page(vb_layout *l)
{
    GROW(l->pages, l->npages, l->cap);
    vb_page *pg = &l->pages[l->npages++];
    memset(pg, 0, sizeof *pg);
    return pg;
}

static void page_frag(vb_layout *l, vb_page *pg, vb_frag f)
{
    (void)l;
    GROW(pg->frags, pg->nfrags, pg->capf);
    pg->frags[pg->nfrags++] = f;
}

static void page_rule(vb_page *pg, vb_line_seg r)
{
    GROW(pg->rules, pg->nrules, pg->capr);
    pg->rules[pg->nrules++] = r;
}

bool vb_layout_run(const vb_doc *doc, const vb_fonts *fonts, vb_layout **out, vb_diag *d)
{
    const vb_style *st = doc->style;
    vb_layout *l = vb_xcalloc(1, sizeof *l);
    l->arena = vb_arena_new();
    l->page_w = st->page_w;
    l->page_h = st->page_h;
    lctx c = { .doc = doc, .fonts = fonts, .d = d, .a = l->arena, .ok = true };
    vb_buf stats = {0};
    const char *stats_path = getenv("VANBAN_LINE_STATS");
    if (stats_path && *stats_path) c.stats = &stats;
    boxes bs = {0};
    fr_list fl = {0};
    const vb_page_geom *brk = NULL;   /* a section break waiting for its first box */
    for (const vb_block *b = doc->first; b && c.ok; b = b->next, c.block++) {
        c.line = 0;
        int n0 = bs.n;
        if (b->kind == VB_BLOCK_SECTION) { brk = b->geom; c.g = *b->geom; continue; }
        if (b->kind == VB_BLOCK_PARA) para_boxes(&c, b->para, &bs, &fl);
        else if (b->kind == VB_BLOCK_TABLE) table_boxes(&c, b->table, &bs, &fl);
        else row_box(&c, b->row, &bs, &fl);
        if (brk && bs.n > n0) { bs.b[n0].brk = brk; brk = NULL; }
    }
    if (brk && c.ok) {
        /* a section with nothing in it still has its page */
        box b = { 0, 0, 0, false, NULL, 0, NULL, 0, 0, {0}, brk };
        push_box(&bs, b);
    }
    free(fl.f); free(fl.r);
    if (c.bi) ubrk_close(c.bi);
    if (!c.ok) { free(bs.b); vb_buf_free(&stats); vb_layout_free(l); return false; }

    /* cut into pages, each of its section's geometry */
    vb_page_geom pg_geom = vb_style_geom(st);
    int i = 0;
    while (i < bs.n) {
        int start = i;
        if (bs.b[start].brk) pg_geom = *bs.b[start].brk;
        int32_t top = pg_geom.margin_top, bottom = pg_geom.height - pg_geom.margin_bottom;
        /* a table continued from the page before: its header rows first */
        int ri = bs.b[start].repeat - 1;
        const box *rep = ri >= 0 && ri != start - 1 ? &bs.b[ri] : NULL;
        int32_t y = top + (rep ? rep->height : 0);
        int end = bs.n;   /* first box of the next page */
        for (int k = start; k < bs.n; k++) {
            if (k > start && bs.b[k].brk) { end = k; break; }   /* a new section: a new page */
            int32_t need = (k == start ? 0 : bs.b[k].space_before) + bs.b[k].height;
            if (y + need > bottom && k > start) {
                /* go back to the last box after which a break is allowed */
                int j = k - 1;
                while (j >= start && bs.b[j].no_break_after) j--;
                end = j >= start ? j + 1 : k;   /* nothing allowed: break here anyway */
                break;
            }
            y += need + bs.b[k].space_after;
        }
        if (l->npages == VB_MAX_PAGES) {
            vb_error(d, VB_EXIT_INPUT, "the document would have more than %d pages; split the record", VB_MAX_PAGES);
            free(bs.b);
            vb_buf_free(&stats);
            vb_layout_free(l);
            return false;
        }
        vb_page *pg = new_page(l);
        pg->geom = pg_geom;
        y = top;
        for (int k = rep ? start - 1 : start; k < end; k++) {
            bool repeated = rep && k < start;
            const box *b = repeated ? rep : &bs.b[k];
            if (k > start) y += b->space_before;
            for (int f = 0; f < b->nf; f++) { vb_frag fr = b->frags[f]; fr.y += y; page_frag(l, pg, fr); }
            for (int r = 0; r < b->nr; r++) {
                vb_line_seg rs = b->rules[r];
                rs.y += y;
                if (rs.y2) rs.y2 += y;
                page_rule(pg, rs);
            }
            /* the page ends under a table row: close it */
            if (k == end - 1 && b->close.width > 0) {
                vb_line_seg rs = b->close;
                rs.y += y;
                page_rule(pg, rs);
            }
            y += b->height + (repeated ? 0 : b->space_after);
        }
        i = end;
    }
    free(bs.b);
    if (l->npages == 0) new_page(l)->geom = vb_style_geom(st);
    if (c.stats) {
        /* one write a document, appended: batch workers share the file */
        int fd = open(stats_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, stats.data, stats.len) != (ssize_t)stats.len)
            vb_warn(d, "VANBAN_LINE_STATS: cannot write %s", stats_path);
        if (fd >= 0) close(fd);
        vb_buf_free(&stats);
    }

    /* page numbers: from page_number_from, centred over the text block of
     * each page's own geometry; they run on through every section */
    const vb_zone *pz = vb_style_zone(st, "page_number");
    int32_t psize = pz ? pz->size : 13 * VB_PT;
    for (size_t p = (size_t)(st->page_number_from > 0 ? st->page_number_from - 1 : 0); p < l->npages; p++) {
        char num[24];
        snprintf(num, sizeof num, "%zu", p + 1);
        int32_t w = 0, miss = 0;
        vb_font_measure(fonts, VB_FACE_REGULAR, psize, num, strlen(num), &w, &miss);
        const vb_page_geom *g = &l->pages[p].geom;
        int32_t mid = g->margin_left + (g->width - g->margin_left - g->margin_right) / 2;
        vb_frag f = { mid - w / 2, g->page_number_y, w, psize, VB_FACE_REGULAR, vb_strdup(l->arena, num), -1, 0 };
        page_frag(l, &l->pages[p], f);
    }
    *out = l;
    return true;
}

void vb_layout_free(vb_layout *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->npages; i++) { free(l->pages[i].frags); free(l->pages[i].rules); }
    free(l->pages);
    vb_arena_free(l->arena);
    free(l);
}

void vb_layout_dump(const vb_layout *l, FILE *out)
{
    static const char *faces[] = { "R", "B", "I", "BI" };
    for (size_t i = 0; i < l->npages; i++) {
        const vb_page *pg = &l->pages[i];
        int32_t w = pg->geom.width > 0 ? pg->geom.width : l->page_w, h = pg->geom.width > 0 ? pg->geom.height : l->page_h;
        fprintf(out, "page %zu %.2fx%.2fmm\n", i + 1, vb_to_mm(w), vb_to_mm(h));
        for (size_t k = 0; k < pg->nfrags; k++) {
            const vb_frag *f = &pg->frags[k];
            fprintf(out, "  text x%7.2f y%7.2f w%7.2f %5.2f%-2s \"", vb_to_mm(f->x), vb_to_mm(f->y),
                    vb_to_mm(f->width), vb_to_pt(f->size), faces[f->face]);
            vb_dump_string(f->text, out);
            fputs("\"\n", out);
        }
        for (size_t k = 0; k < pg->nrules; k++) {
            const vb_line_seg *r = &pg->rules[k];
            if (r->y2) {
                fprintf(out, "  vrule x%7.2f y%7.2f-%7.2f w%.2fpt\n", vb_to_mm(r->x1), vb_to_mm(r->y), vb_to_mm(r->y2),
                        vb_to_pt(r->width));
                continue;
            }
            fprintf(out, "  rule x%7.2f-%7.2f y%7.2f w%.2fpt\n", vb_to_mm(r->x1), vb_to_mm(r->x2), vb_to_mm(r->y), vb_to_pt(r->width));
        }
    }
}

void vb_break_opportunities(const char *text, size_t len, bool icu_only, unsigned char *marks)
{
    lctx c = { .icu_only = icu_only };
    unsigned char *m = break_marks(&c, text, len);
    memcpy(marks, m, len + 1);
    free(m);
    if (c.bi) ubrk_close(c.bi);
}

void vb_row_columns(const vb_doc *doc, const vb_row *row, const vb_fonts *fonts, int32_t *left_w, int32_t *right_x)
{
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    lctx c = { .doc = doc, .fonts = fonts, .d = &d, .a = a, .ok = true };
    columns(&c, row, left_w, right_x);
    if (c.bi) ubrk_close(c.bi);
    vb_arena_free(a);
    vb_diag_free(&d);
}

int vb_line_starts(const vb_doc *doc, const vb_para *p, const vb_fonts *fonts, int32_t colw, size_t *starts, int max)
{
    vb_diag d;
    vb_diag_init(&d);
    vb_arena *a = vb_arena_new();
    lctx c = { .doc = doc, .fonts = fonts, .d = &d, .a = a, .ok = true };
    para_lines pl = {0};
    break_lines(&c, p, colw, &pl);
    int n = pl.nl;
    for (int i = 0; i < n && i < max; i++) {
        /* the first piece of the line's first word points into a run */
        const char *at = pl.pieces[pl.words[pl.lines[i].w0].first].text;
        size_t base = 0;
        starts[i] = 0;
        for (const vb_run *r = p->runs; r; r = r->next) {
            size_t len = strlen(r->text);
            if (at >= r->text && at < r->text + len) { starts[i] = base + (size_t)(at - r->text); break; }
            base += len;
        }
        if (i == 0) starts[i] = 0;
    }
    pl_free(&pl);
    if (c.bi) ubrk_close(c.bi);
    vb_arena_free(a);
    vb_diag_free(&d);
    return n;
}

bool vb_header_fits(const vb_doc *doc, const vb_fonts *fonts, vb_diag *d)
{
    vb_arena *a = vb_arena_new();
    lctx c = { .doc = doc, .fonts = fonts, .d = d, .a = a, .ok = true };
    fit_header(&c);
    if (c.bi) ubrk_close(c.bi);
    vb_arena_free(a);
    return c.ok;
}

bool vb_layout_signature_box(const vb_doc *doc, const vb_layout *l, const vb_fonts *fonts,
                             int *page, int32_t box[4])
{
    const vb_style *st = doc->style;
    int idx = 0, sig = -1;
    for (const vb_block *b = doc->first; b; b = b->next, idx++)
        if (b->kind == VB_BLOCK_ROW && b->row->kind == VB_ROW_SIGNATURE && b->row->cell[1]) sig = idx;
    if (sig < 0) return false;
    int32_t W = st->page_w - st->margin_left - st->margin_right;
    int32_t left = st->margin_left + (int32_t)((int64_t)W * st->signature_left / 1000);
    int32_t right = st->page_w - st->margin_right;
    for (size_t pg = 0; pg < l->npages; pg++) {
        const vb_page *p = &l->pages[pg];
        /* the baselines of the right cell, with the largest gap between two */
        int32_t best = 0, top = 0, bottom = 0, prev_y = 0, prev_size = 0;
        bool any = false;
        for (size_t k = 0; k < p->nfrags; k++) {
            const vb_frag *f = &p->frags[k];
            if (f->block != sig || f->x < left) continue;
            if (any && f->y > prev_y && f->y - prev_y > best) {
                best = f->y - prev_y;
                top = prev_y - vb_font_descent(fonts, f->face, prev_size);
                bottom = f->y - vb_font_ascent(fonts, f->face, f->size);
            }
            if (!any || f->y != prev_y) { prev_y = f->y; prev_size = f->size; }
            any = true;
        }
        if (best > 0 && bottom > top) {
            *page = (int)pg;
            box[0] = left;
            box[1] = top;
            box[2] = right - left;
            box[3] = bottom - top;
            return true;
        }
    }
    return false;
}
