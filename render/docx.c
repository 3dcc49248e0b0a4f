/* docx.c — the DOCX backend: the document model as WordprocessingML.
 *
 * One paragraph style per zone in use (w:styleId = zone->docx_style), based
 * on "Normal", whose defaults carry the font (Times New Roman) and the body
 * size, so clerks who edit the file keep the convention.
 *
 * Word and LibreOffice reflow the file themselves; it is written so that
 * they break lines and pages where our own layout (layout.c, the PDF) does:
 * every zone has an exact line height equal to the PDF's pitch, spacing
 * before and after as the PDF adds it (settings.xml asks for the sum, not
 * the larger), widow/orphan control and keep-with-next as the layout's
 * boxes, centred titles narrowed to the layout's balanced measure, header
 * names broken by line breaks where the layout breaks them, and the
 * two-column header and signature rows as borderless fixed tables with no
 * cell margins, the columns of vb_row_columns, first baselines aligned
 * and two signatures' names level.  Rules under headings are bottom
 * borders of an empty paragraph with the layout's ends and depth.  The
 * page number lives in a header with a PAGE field; w:titlePg with an empty
 * first-page header keeps page 1 unnumbered.
 *
 * The package is written with libzip into memory: fixed part order, fixed
 * entry times (doc->date), deflate — the same document gives the same
 * bytes.  Markup is plain ISO/IEC 29500 transitional (no mc:, no w14:). */
#include "backend.h"
#include "layout.h"
#include "table.h"
#include "zipmem.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PR "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define RT_OD "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* ---- units ---- */

static long twips(int32_t mpt)             /* 1 twip = 50 mpt, rounded half away */
{ return mpt >= 0 ? (mpt + 25) / 50 : -((-mpt + 25) / 50); }
static long halfpts(int32_t mpt)           /* w:sz: half-points */
{ long h = (mpt + 250) / 500; return h < 2 ? 2 : h; }
static long eighths(int32_t mpt)           /* border w:sz: eighths of a point, 2..96 */
{ long e = (mpt + 62) / 125; return e < 2 ? 2 : e > 96 ? 96 : e; }

/* ---- XML text ---- */

/* Escape for element content and attribute values; drops characters XML
 * 1.0 forbids (the record reader rejects them, this is only a guard). */
static void put_esc(vb_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (const char *p = s; ; p++) {
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        bool drop = false;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case 0: break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') drop = true;
            else if (c == 0xEF && (unsigned char)p[1] == 0xBF &&
                     ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF)) {
                /* U+FFFE / U+FFFF */
                vb_buf_add(b, run, (size_t)(p - run));
                p += 2; run = p + 1;
                continue;
            }
        }
        if (rep || drop || c == 0) {
            vb_buf_add(b, run, (size_t)(p - run));
            if (rep) vb_buf_puts(b, rep);
            if (c == 0) return;
            run = p + 1;
        }
    }
}

/* ---- writer state ---- */

typedef struct dctx {
    const vb_doc *doc;
    const vb_style *st;
    const vb_fonts *fonts;       /* NULL: no metrics (unit tests without fonts) */
    const char *family;
    int32_t text_w;              /* page width minus margins, mpt (of geom) */
    vb_page_geom geom;           /* the section being written: [page], or the
                                  [page NAME] of the last section break */
    bool first_section;          /* geom is the document's first section */
    const vb_zone **zones;       /* zones in use, first-use order */
    size_t nzones;
    bool any_rule;
} dctx;

static const char *zone_style_id(const vb_zone *z)
{
    return z->docx_style && *z->docx_style ? z->docx_style : z->name ? z->name : "VB_Zone";
}

static void note_zone(dctx *c, const vb_zone *z)
{
    if (!z) return;
    for (size_t i = 0; i < c->nzones; i++)
        if (c->zones[i] == z || !strcmp(zone_style_id(c->zones[i]), zone_style_id(z))) return;
    c->zones = vb_xrealloc(c->zones, (c->nzones + 1) * sizeof *c->zones);
    c->zones[c->nzones++] = z;
    if (z->rule != VB_RULE_NONE) c->any_rule = true;
}

static void collect_zones(dctx *c)
{
    for (const vb_block *b = c->doc->first; b; b = b->next) {
        if (b->kind == VB_BLOCK_PARA) {
            if (b->para) note_zone(c, b->para->zone);
        } else if (b->kind == VB_BLOCK_TABLE) {
            for (int r = 0; r < b->table->nrows; r++)
                for (int k = 0; k < b->table->ncols; k++) note_zone(c, b->table->rows[r].cell[k]->zone);
        } else if (b->row) {
            for (int k = 0; k < 2; k++)
                for (const vb_para *p = b->row->cell[k]; p; p = p->next) note_zone(c, p->zone);
        }
    }
}

static const char *jc_name(vb_align a)
{
    switch (a) {
    case VB_ALIGN_CENTER: return "center";
    case VB_ALIGN_RIGHT: return "right";
    case VB_ALIGN_JUSTIFY: return "both";
    default: return "left";
    }
}

/* ---- vertical metrics, as layout.c sets lines ----
 * Every zone is written with an exact line height equal to the PDF's
 * baseline-to-baseline distance: its `line`, or for single spacing the
 * regular face's ascender + descender scaled by 1150/1107 (Word's and
 * LibreOffice's single line of Times New Roman).  Both programs put the
 * extra room of an exact line above the text, so a line's part below the
 * baseline is single - ascender, as in the PDF. */

static int32_t single_pitch(const dctx *c, int32_t size, int32_t *ascent)
{
    int32_t a = c->fonts ? vb_font_ascent(c->fonts, VB_FACE_REGULAR, size) : (int32_t)((int64_t)size * 891 / 1000);
    int32_t d = c->fonts ? vb_font_descent(c->fonts, VB_FACE_REGULAR, size) : -(int32_t)((int64_t)size * 216 / 1000);
    if (ascent) *ascent = a;
    return (int32_t)((int64_t)(a - d) * 1150 / 1107);
}

static int32_t zone_pitch(const dctx *c, const vb_zone *z)
{
    return z->line > 0 ? z->line : single_pitch(c, z->size > 0 ? z->size : 14 * VB_PT, NULL);
}

/* Baseline from the top of a line box of the zone. */
static int32_t zone_baseline(const dctx *c, const vb_zone *z)
{
    int32_t a, single = single_pitch(c, z->size > 0 ? z->size : 14 * VB_PT, &a);
    return zone_pitch(c, z) - (single - a);
}

/* ---- a paragraph as the PDF layout sets it ----
 * The layout of one paragraph in a column of the given width, run through
 * layout.c itself on a one-paragraph document whose page is that column,
 * so line breaks, balanced centred titles and rule lengths are exactly
 * the PDF's. */

typedef struct pgeo {
    int nlines;
    int32_t widest;              /* natural width of the widest line, mpt */
    bool rule;                   /* the zone's rule, from the column's left */
    int32_t rule_x1, rule_x2;
} pgeo;

static void measure_para(const dctx *c, const vb_para *p, int32_t colw, pgeo *g)
{
    memset(g, 0, sizeof *g);
    g->nlines = 1;
    if (!c->fonts || !p->runs) return;
    vb_style st = *c->st;
    st.page_w = colw;
    st.margin_left = st.margin_right = st.margin_top = st.margin_bottom = 0;
    st.page_h = INT32_MAX / 4;
    st.page_number_from = INT32_MAX;
    vb_doc *one = vb_doc_new(&st);
    vb_para *q = vb_doc_para(one, p->zone);
    for (const vb_run *r = p->runs; r; r = r->next) vb_para_text(one, q, r->text, r->flags);
    vb_diag d;
    vb_diag_init(&d);
    vb_layout *l = NULL;
    if (vb_layout_run(one, c->fonts, &l, &d)) {
        int maxline = -1;
        int32_t lo = 0, hi = 0;
        int cur = -1;
        for (size_t pg = 0; pg < l->npages; pg++)
            for (size_t i = 0; i < l->pages[pg].nfrags; i++) {
                const vb_frag *f = &l->pages[pg].frags[i];
                if (f->block != 0) continue;
                int32_t x2 = f->x + f->width;
                if (f->line != cur) {
                    if (cur >= 0 && hi - lo > g->widest) g->widest = hi - lo;
                    cur = f->line; lo = f->x; hi = x2;
                } else {
                    if (f->x < lo) lo = f->x;
                    if (x2 > hi) hi = x2;
                }
                if (f->line > maxline) maxline = f->line;
            }
        if (cur >= 0 && hi - lo > g->widest) g->widest = hi - lo;
        if (maxline >= 0) g->nlines = maxline + 1;
        /* the zone's rule is the last one drawn (underlines come before) */
        if (p->zone->rule != VB_RULE_NONE)
            for (size_t pg = l->npages; pg-- > 0;)
                if (l->pages[pg].nrules) {
                    const vb_line_seg *r = &l->pages[pg].rules[l->pages[pg].nrules - 1];
                    g->rule = true; g->rule_x1 = r->x1; g->rule_x2 = r->x2;
                    break;
                }
        vb_layout_free(l);
    }
    vb_diag_free(&d);
    vb_doc_free(one);
}

/* ---- document.xml ---- */

/* A paragraph's runs with white space as the layout reads it: any run of
 * blanks, tabs and line ends is one space (in the run where it starts),
 * none at the start or the end of the paragraph.  `brk` (nbrk of them,
 * ascending) are byte offsets into the runs' text joined where a line
 * starts: a <w:br/> stands there instead of the space, so that no space
 * begins the next line. */
static bool at_break(const size_t *brk, int nbrk, size_t off)
{
    for (int i = 0; i < nbrk; i++) if (brk[i] == off) return true;
    return false;
}

static void open_run(vb_buf *b, const vb_para *p, const vb_run *r)
{
    unsigned add = r->flags & ~p->zone->flags;
    vb_buf_puts(b, "<w:r>");
    if (add & (VB_BOLD | VB_ITALIC | VB_UNDERLINE)) {
        vb_buf_puts(b, "<w:rPr>");
        if (add & VB_BOLD) vb_buf_puts(b, "<w:b/>");
        if (add & VB_ITALIC) vb_buf_puts(b, "<w:i/>");
        if (add & VB_UNDERLINE) vb_buf_puts(b, "<w:u w:val=\"single\"/>");
        vb_buf_puts(b, "</w:rPr>");
    }
}

static void put_text(vb_buf *b, vb_buf *text)
{
    if (!text->len) return;
    vb_buf_puts(b, "<w:t xml:space=\"preserve\">");
    put_esc(b, vb_buf_cstr(text));
    vb_buf_puts(b, "</w:t>");
    text->len = 0;
}

static void put_runs(vb_buf *b, const vb_para *p, const size_t *brk, int nbrk)
{
    bool in_word = false;
    const vb_run *space_run = NULL;      /* a space is owed to this run */
    vb_buf text = { 0 };
    size_t base = 0;                     /* offset of r->text in the runs joined */
    for (const vb_run *r = p->runs; r; base += strlen(r->text), r = r->next) {
        text.len = 0;
        bool open = false;
        for (const char *s = r->text; *s; s++) {
            bool blank = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
            if (blank) {
                if (in_word) { space_run = r; in_word = false; }
                continue;
            }
            if (nbrk && at_break(brk, nbrk, base + (size_t)(s - r->text))) {
                if (!open) { open_run(b, p, r); open = true; }
                put_text(b, &text);
                vb_buf_puts(b, "<w:br/>");
                space_run = NULL;
            }
            if (space_run) {
                if (space_run == r) vb_buf_putc(&text, ' ');
                space_run = NULL;
            }
            in_word = true;
            vb_buf_putc(&text, *s);
        }
        /* a space owed to this run is written when the next word comes:
         * look ahead, so it lands in this run when one does come (and not
         * at all when that word starts a line) */
        if (space_run == r) {
            bool more = false;
            size_t nb = base + strlen(r->text);
            for (const vb_run *n = r->next; n && !more; nb += strlen(n->text), n = n->next)
                for (const char *s = n->text; *s; s++)
                    if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
                        more = true;
                        if (!at_break(brk, nbrk, nb + (size_t)(s - n->text))) vb_buf_putc(&text, ' ');
                        break;
                    }
            if (more) space_run = NULL;
        }
        if (!text.len && !open) continue;
        if (!open) open_run(b, p, r);
        put_text(b, &text);
        vb_buf_puts(b, "</w:r>");
    }
    vb_buf_free(&text);
}

/* How one paragraph is written, beyond its style. */
typedef struct pfmt {
    bool keep_next;              /* keep with what follows (before a signature) */
    int32_t add_before;          /* added to the zone's space before, mpt */
    int32_t add_after;           /* added to its space after (before a table), mpt */
} pfmt;

/* The rule under a paragraph is the bottom border of an empty paragraph
 * that follows it: indented to the rule's ends as the layout measured
 * them, its exact height putting the middle of the stroke rule_gap below
 * the baseline.  It takes its height out of the heading's space after;
 * what the space after cannot hold (rules in header cells) is height the
 * PDF does not have. */
typedef struct rulev {
    long h;                      /* exact height of the rule paragraph, twips */
    long sz;                     /* stroke, eighths of a point */
    int32_t room;                /* the rule paragraph's whole height, mpt */
} rulev;

static void rule_vertical(const dctx *c, const vb_zone *z, rulev *v)
{
    v->sz = eighths(z->rule_width > 0 ? z->rule_width : 500);
    int32_t stroke = (int32_t)(v->sz * 125);
    int32_t below = zone_pitch(c, z) - zone_baseline(c, z);   /* the line's part under the baseline */
    v->h = twips(z->rule_gap - below - stroke / 2);
    if (v->h < 1) v->h = 1;
    v->room = (int32_t)((v->h + twips(stroke)) * 50);
}

static void put_rule_para(vb_buf *b, const dctx *c, const vb_para *p, int32_t colw, const pgeo *g,
                          bool keep_next, int32_t add_after)
{
    const vb_zone *z = p->zone;
    int32_t x1 = g->rule_x1, x2 = g->rule_x2;
    if (!g->rule) {                       /* no metrics: lengths that need none */
        int32_t len = z->rule == VB_RULE_FIXED ? z->rule_len : z->rule == VB_RULE_FULL ? colw
                    : (int32_t)((int64_t)colw * (z->rule_frac ? z->rule_frac : 333) / 1000);
        x1 = (colw - len) / 2; x2 = x1 + len;
    }
    if (x1 < 0) x1 = 0;
    if (x2 > colw) x2 = colw;
    rulev v;
    rule_vertical(c, z, &v);
    /* add_after: the space before a table that follows (as put_para adds it) */
    long after = twips(z->space_after + add_after - v.room);
    vb_buf_puts(b, "<w:p><w:pPr><w:pStyle w:val=\"VB_DuongKe\"/>");
    if (keep_next) vb_buf_puts(b, "<w:keepNext/>");
    vb_buf_printf(b, "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"%ld\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>", v.sz);
    vb_buf_printf(b, "<w:spacing w:before=\"0\" w:after=\"%ld\" w:line=\"%ld\" w:lineRule=\"exact\"/>",
                  after > 0 ? after : 0, v.h);
    vb_buf_printf(b, "<w:ind w:left=\"%ld\" w:right=\"%ld\" w:firstLine=\"0\"/>", twips(x1), twips(colw - x2));
    vb_buf_puts(b, "</w:pPr></w:p>");
}

#define NAME_LINES 8             /* line breaks written for one header name */

/* One model paragraph (and its rule) in a column `colw` wide. */
static void put_para(vb_buf *b, const dctx *c, const vb_para *p, int32_t colw, const pfmt *f)
{
    const vb_zone *z = p->zone;
    bool rule = z->rule != VB_RULE_NONE;
    pgeo g;
    if (rule || z->align == VB_ALIGN_CENTER) measure_para(c, p, colw, &g);
    else { memset(&g, 0, sizeof g); g.nlines = 1; }

    vb_buf_puts(b, "<w:p><w:pPr><w:pStyle w:val=\"");
    put_esc(b, zone_style_id(z));
    vb_buf_puts(b, "\"/>");
    if ((f->keep_next || rule) && !z->keep_next) vb_buf_puts(b, "<w:keepNext/>");
    if (f->add_before || f->add_after || rule) {
        vb_buf_puts(b, "<w:spacing");
        if (f->add_before) {
            int32_t before = z->space_before + f->add_before;
            vb_buf_printf(b, " w:before=\"%ld\"", twips(before > 0 ? before : 0));
        }
        if (rule) vb_buf_puts(b, " w:after=\"0\"");
        else if (f->add_after) vb_buf_printf(b, " w:after=\"%ld\"", twips(z->space_after + f->add_after));
        vb_buf_puts(b, "/>");
    }
    /* A header name (name_breaks) breaks where a typesetter would, which
     * no measure reproduces: a line break at each of the layout's breaks. */
    size_t starts[NAME_LINES];
    int nstarts = 0;
    if (z->name_breaks && g.nlines > 1 && c->fonts) {
        nstarts = vb_line_starts(c->doc, p, c->fonts, colw, starts, NAME_LINES);
        if (nstarts != g.nlines || nstarts > NAME_LINES) nstarts = 0;
    }
    /* A centred paragraph of several lines is balanced by the layout (the
     * narrowest measure that keeps its number of lines): narrow it by the
     * same amount on both sides so Word and LibreOffice break it there. */
    int32_t avail = colw - z->indent_left - z->indent_right - (z->indent_first > 0 ? z->indent_first : 0);
    if (nstarts) {
        if (g.widest > avail - VB_PT)      /* as for a tight line, below */
            vb_buf_printf(b, "<w:ind w:left=\"%ld\" w:right=\"%ld\"/>", twips(z->indent_left - VB_PT / 2),
                          twips(z->indent_right - VB_PT / 2));
    } else if (z->align == VB_ALIGN_CENTER && g.nlines > 1 && g.widest > 0) {
        int32_t extra = (avail - g.widest - VB_PT) / 2;
        if (extra > 0)
            vb_buf_printf(b, "<w:ind w:left=\"%ld\" w:right=\"%ld\"/>", twips(z->indent_left + extra),
                          twips(z->indent_right + extra));
    } else if (z->align == VB_ALIGN_CENTER && g.nlines == 1 && g.widest > avail - VB_PT) {
        /* a line as wide as its column (a tight header): half a point more
         * on each side, so that rounding never wraps it */
        vb_buf_printf(b, "<w:ind w:left=\"%ld\" w:right=\"%ld\"/>", twips(z->indent_left - VB_PT / 2),
                      twips(z->indent_right - VB_PT / 2));
    }
    vb_buf_puts(b, "</w:pPr>");
    put_runs(b, p, nstarts ? starts + 1 : NULL, nstarts ? nstarts - 1 : 0);
    vb_buf_puts(b, "</w:p>");
    if (rule) put_rule_para(b, c, p, colw, &g, z->keep_next || f->keep_next, f->add_after);
}

/* Where each cell of a row puts its paragraphs, as layout.c's row_box:
 * the first baselines of the two cells are aligned, and two signatures
 * side by side have their names level. */
typedef struct rowfmt {
    int32_t left_w;              /* the left cell: [0, left_w] */
    int32_t right_x;             /* the right cell's text: [right_x, text width] */
    int32_t first_add[2];        /* added before the first paragraph of a cell */
    const vb_para *name[2];      /* the paragraph moved down, or NULL */
    int32_t name_add[2];
    int32_t pdf_h;               /* the row's height in the PDF, with its space after */
    int32_t docx_h;              /* and as written here (rules take room) */
} rowfmt;

/* The row's columns as the layout sets them (a gutter between the two
 * when the header is tight). */
static void row_columns(const dctx *c, const vb_row *r, int32_t *left_w, int32_t *right_x)
{
    if (c->fonts) {
        vb_row_columns(c->doc, r, c->fonts, left_w, right_x);
        return;
    }
    int32_t pm = r->kind == VB_ROW_HEADER ? c->st->header_left : c->st->signature_left;
    if (pm <= 0 || pm >= 1000) pm = 500;
    *left_w = *right_x = (int32_t)((int64_t)c->text_w * pm / 1000);
}

static void row_format(const dctx *c, const vb_row *r, rowfmt *rf)
{
    memset(rf, 0, sizeof *rf);
    row_columns(c, r, &rf->left_w, &rf->right_x);
    int32_t colw[2] = { rf->left_w, c->text_w - rf->right_x };
    int32_t first_bl[2] = { 0, 0 }, last_bl[2] = { 0, 0 }, h[2] = { 0, 0 }, rules[2] = { 0, 0 };
    int32_t after[2] = { 0, 0 }, tail[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        int32_t y = 0;
        for (const vb_para *p = r->cell[k]; p; p = p->next) {
            const vb_zone *z = p->zone;
            pgeo g;
            measure_para(c, p, colw[k], &g);
            y += z->space_before;
            int32_t bl = y + zone_baseline(c, z);
            if (p == r->cell[k]) first_bl[k] = bl;
            last_bl[k] = bl;
            y += g.nlines * zone_pitch(c, z);
            int32_t room = 0;
            if (z->rule != VB_RULE_NONE) { rulev v; rule_vertical(c, z, &v); room = v.room; }
            if (p->next) {
                y += z->space_after;
                if (room > z->space_after) rules[k] += room - z->space_after;
            } else {
                after[k] = z->space_after;
                tail[k] = room > z->space_after ? room : z->space_after;
            }
        }
        h[k] = y;
    }
    if (r->kind == VB_ROW_SIGNATURE && r->cell_last[0] && r->cell_last[1] &&
        r->cell_last[0]->zone == r->cell_last[1]->zone && r->cell[0] != r->cell_last[0] &&
        r->cell[1] != r->cell_last[1] && last_bl[0] != last_bl[1]) {
        int k = last_bl[0] < last_bl[1] ? 0 : 1;
        rf->name[k] = r->cell_last[k];
        rf->name_add[k] = last_bl[1 - k] - last_bl[k];
        h[k] += rf->name_add[k];
    }
    if (r->cell[0] && r->cell[1] && first_bl[0] != first_bl[1]) {
        int k = first_bl[0] < first_bl[1] ? 0 : 1;
        rf->first_add[k] = first_bl[1 - k] - first_bl[k];
        h[k] += rf->first_add[k];
    }
    rf->pdf_h = (h[0] > h[1] ? h[0] : h[1]) + (after[0] > after[1] ? after[0] : after[1]);
    for (int k = 0; k < 2; k++) {
        int32_t d = r->cell[k] ? h[k] + rules[k] + tail[k] : VB_PT;   /* an empty cell holds a 1 pt paragraph */
        if (d > rf->docx_h) rf->docx_h = d;
    }
}

/* Consecutive rows become one borderless table with no cell margins, so
 * Word does not glue two tables together; its grid is the union of the
 * rows' column boundaries.  A row never splits across pages. */
/* Rules in cells take room the PDF's rows do not have (the PDF draws them
 * below the line, over the space that follows).  What a row adds is taken
 * back from the space before the next row's paragraphs and then from the
 * paragraph after the table; the rest is returned. */
static int32_t put_rows(vb_buf *b, const dctx *c, const vb_block *first, const vb_block *end, bool keep_with_next)
{
    long total = twips(c->text_w);
    size_t nrows = 0;
    for (const vb_block *k = first; k != end; k = k->next) nrows++;
    rowfmt *rfs = vb_xcalloc(nrows ? nrows : 1, sizeof *rfs);
    long *cuts = vb_xcalloc(nrows ? nrows : 1, sizeof *cuts);
    size_t ncuts = 0, i = 0;
    for (const vb_block *k = first; k != end; k = k->next, i++) {
        row_format(c, k->row, &rfs[i]);
        long x = twips(rfs[i].left_w);
        bool seen = false;
        for (size_t j = 0; j < ncuts; j++) if (cuts[j] == x) seen = true;
        if (!seen) cuts[ncuts++] = x;
    }
    for (size_t a = 1; a < ncuts; a++)               /* sort */
        for (size_t j = a; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            long t = cuts[j]; cuts[j] = cuts[j - 1]; cuts[j - 1] = t;
        }

    vb_buf_printf(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%ld\" w:type=\"dxa\"/>"
                     "<w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
                     "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/>"
                     "<w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>"
                     "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>"
                     "<w:tblLayout w:type=\"fixed\"/>"
                     "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/>"
                     "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar>"
                     "<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>", total);
    long prev = 0;
    for (size_t j = 0; j < ncuts; j++) {
        vb_buf_printf(b, "<w:gridCol w:w=\"%ld\"/>", cuts[j] - prev);
        prev = cuts[j];
    }
    vb_buf_printf(b, "<w:gridCol w:w=\"%ld\"/></w:tblGrid>", total - prev);

    i = 0;
    int32_t owed = 0;
    for (const vb_block *k = first; k != end; k = k->next, i++) {
        const vb_row *r = k->row;
        rowfmt *rf = &rfs[i];
        if (owed > 0) {
            int32_t take = owed;
            for (int cell = 0; cell < 2; cell++)
                if (r->cell[cell] && r->cell[cell]->zone->space_before + rf->first_add[cell] < take)
                    take = r->cell[cell]->zone->space_before + rf->first_add[cell];
            if (take > 0) {
                for (int cell = 0; cell < 2; cell++) rf->first_add[cell] -= take;
                rf->docx_h -= take;
            }
        }
        owed += rf->docx_h - rf->pdf_h;
        long x = twips(rf->left_w);
        size_t at = 0;
        while (at < ncuts && cuts[at] != x) at++;
        long span[2] = { (long)at + 1, (long)(ncuts - at) };
        long w[2] = { x, total - x };
        long gutter = twips(rf->right_x) - x;
        int32_t colw[2] = { rf->left_w, c->text_w - rf->right_x };
        bool last_row = k->next == end;
        /* a row never splits across pages, unless it is taller than a page
         * (the layout then cuts it between lines too) */
        vb_buf_puts(b, "<w:tr>");
        if (rf->pdf_h <= c->geom.height - c->geom.margin_top - c->geom.margin_bottom)
            vb_buf_puts(b, "<w:trPr><w:cantSplit/></w:trPr>");
        for (int cell = 0; cell < 2; cell++) {
            vb_buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/>", w[cell]);
            if (span[cell] > 1) vb_buf_printf(b, "<w:gridSpan w:val=\"%ld\"/>", span[cell]);
            if (cell == 1 && gutter > 0)     /* the gap between tight header columns */
                vb_buf_printf(b, "<w:tcMar><w:left w:w=\"%ld\" w:type=\"dxa\"/></w:tcMar>", gutter);
            vb_buf_puts(b, "</w:tcPr>");
            if (!r->cell[cell])
                vb_buf_puts(b, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>"
                               "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>");
            for (const vb_para *p = r->cell[cell]; p; p = p->next) {
                pfmt f = { !last_row || keep_with_next, 0, 0 };
                if (p == r->cell[cell]) f.add_before += rf->first_add[cell];
                if (p == rf->name[cell]) f.add_before += rf->name_add[cell];
                put_para(b, c, p, colw[cell], &f);
            }
            vb_buf_puts(b, "</w:tc>");
        }
        vb_buf_puts(b, "</w:tr>");
    }
    vb_buf_puts(b, "</w:tbl>");
    free(rfs);
    free(cuts);
    return owed;
}

/* A table block as a real w:tbl: the grid of the layout's column widths
 * (vb_table_widths), every cell boxed in single rules of the style's
 * border width, header rows marked w:tblHeader (Word and LibreOffice
 * repeat them on every page) and no row split across pages, as the PDF. */
static void put_table(vb_buf *b, const dctx *c, const vb_table *t)
{
    int32_t *w = vb_xmalloc((size_t)t->ncols * sizeof *w);
    if (c->fonts) vb_table_widths(c->doc, t, c->fonts, c->text_w, w);
    else for (int k = 0; k < t->ncols; k++) w[k] = c->text_w / t->ncols;
    long sz = eighths(c->st->table_border);
    const char *val = c->st->table_border > 0 ? "single" : "nil";
    long px = twips(c->st->table_pad_x), py = twips(c->st->table_pad_y);
    /* the left rule at the margin: Word and LibreOffice draw it a cell
     * margin left of the table's indent */
    vb_buf_printf(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%ld\" w:type=\"dxa\"/><w:tblInd w:w=\"%ld\" w:type=\"dxa\"/>"
                     "<w:tblBorders>", twips(c->text_w), px);
    static const char *const sides[] = { "top", "left", "bottom", "right", "insideH", "insideV" };
    for (int k = 0; k < 6; k++)
        vb_buf_printf(b, "<w:%s w:val=\"%s\" w:sz=\"%ld\" w:space=\"0\" w:color=\"000000\"/>", sides[k], val, sz);
    vb_buf_printf(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
                     "<w:tblCellMar><w:top w:w=\"%ld\" w:type=\"dxa\"/><w:left w:w=\"%ld\" w:type=\"dxa\"/>"
                     "<w:bottom w:w=\"%ld\" w:type=\"dxa\"/><w:right w:w=\"%ld\" w:type=\"dxa\"/></w:tblCellMar>"
                     "<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>", py, px, py, px);
    for (int k = 0; k < t->ncols; k++) vb_buf_printf(b, "<w:gridCol w:w=\"%ld\"/>", twips(w[k]));
    vb_buf_puts(b, "</w:tblGrid>");
    for (int r = 0; r < t->nrows; r++) {
        const vb_trow *row = &t->rows[r];
        vb_buf_puts(b, "<w:tr><w:trPr><w:cantSplit/>");
        if (row->kind == VB_TROW_HEADER) vb_buf_puts(b, "<w:tblHeader/>");
        vb_buf_puts(b, "</w:trPr>");
        for (int k = 0; k < t->ncols; k++) {
            const vb_para *p = row->cell[k];
            vb_align al = row->kind == VB_TROW_HEADER ? p->zone->align : t->align[k];
            if (al == VB_ALIGN_JUSTIFY) al = VB_ALIGN_LEFT;
            vb_buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%ld\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"",
                          twips(w[k]));
            put_esc(b, zone_style_id(p->zone));
            /* a centred cell of several lines is balanced by the layout:
             * narrowed as put_para narrows centred paragraphs */
            int32_t colw = w[k] - 2 * c->st->table_pad_x, ind = 0;
            if (al == VB_ALIGN_CENTER && c->fonts && p->runs) {
                pgeo g;
                measure_para(c, p, colw, &g);
                if (g.nlines > 1 && g.widest > 0 && (colw - g.widest - VB_PT) / 2 > 0) ind = (colw - g.widest - VB_PT) / 2;
            }
            vb_buf_printf(b, "\"/><w:spacing w:before=\"0\" w:after=\"0\"/><w:ind w:left=\"%ld\" w:right=\"%ld\" w:firstLine=\"0\"/>"
                             "<w:jc w:val=\"%s\"/></w:pPr>", twips(ind), twips(ind), jc_name(al));
            put_runs(b, p, NULL, 0);
            vb_buf_puts(b, "</w:p></w:tc>");
        }
        vb_buf_puts(b, "</w:tr>");
    }
    vb_buf_puts(b, "</w:tbl>");
    free(w);
}

/* The properties of the section being written (c->geom).  The first
 * section numbers its pages from 1 and, with page_number_from 2, shows no
 * number on its first page (titlePg); later sections (appendices) number
 * on and show it on every page. */
static void put_sect(vb_buf *b, const dctx *c)
{
    const vb_style *s = c->st;
    const vb_page_geom *g = &c->geom;
    const vb_zone *pz = vb_style_zone(s, "page_number");
    vb_zone pn = { 0 };
    pn.size = pz && pz->size > 0 ? pz->size : 13 * VB_PT;
    /* the header paragraph's exact line puts the number's baseline at page_number_y */
    long header = twips(g->page_number_y - zone_baseline(c, &pn));
    if (header < 0) header = 0;
    vb_buf_puts(b, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId4\"/>");
    if (c->first_section) vb_buf_puts(b, "<w:headerReference w:type=\"first\" r:id=\"rId5\"/>");
    /* landscape: w and h as the page is, and the orientation named */
    vb_buf_printf(b, "<w:pgSz w:w=\"%ld\" w:h=\"%ld\"%s/>", twips(g->width), twips(g->height),
                  g->width > g->height ? " w:orient=\"landscape\"" : "");
    vb_buf_printf(b, "<w:pgMar w:top=\"%ld\" w:right=\"%ld\" w:bottom=\"%ld\" w:left=\"%ld\""
                     " w:header=\"%ld\" w:footer=\"%ld\" w:gutter=\"0\"/>",
                  twips(g->margin_top), twips(g->margin_right), twips(g->margin_bottom),
                  twips(g->margin_left), header, twips(g->margin_bottom) / 2);
    if (c->first_section) vb_buf_puts(b, "<w:pgNumType w:start=\"1\"/>");
    vb_buf_puts(b, "<w:cols w:space=\"720\"/>");
    if (c->first_section && s->page_number_from > 1) vb_buf_puts(b, "<w:titlePg/>");
    vb_buf_puts(b, "</w:sectPr>");
}

/* A section break: the section so far ends with a paragraph one twip
 * high that carries its properties (Word keeps a section's sectPr in its
 * last paragraph); what follows starts a new page of the new geometry. */
static void put_section_break(vb_buf *b, dctx *c, const vb_page_geom *next)
{
    vb_buf_puts(b, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"1\" w:lineRule=\"exact\"/>"
                   "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>");
    put_sect(b, c);
    vb_buf_puts(b, "</w:pPr></w:p>");
    c->geom = *next;
    c->first_section = false;
    c->text_w = next->width - next->margin_left - next->margin_right;
}

static void put_document(vb_buf *b, dctx *c)
{
    vb_buf_puts(b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
    const vb_block *bl = c->doc->first;
    bool last_was_table = false;
    int32_t owed = 0;
    while (bl) {
        if (bl->kind == VB_BLOCK_SECTION) {
            put_section_break(b, c, bl->geom);
            owed = 0;
            last_was_table = false;
            bl = bl->next;
            continue;
        }
        if (bl->kind == VB_BLOCK_ROW && bl->row) {
            const vb_block *end = bl->next;
            while (end && end->kind == VB_BLOCK_ROW && end->row) end = end->next;
            /* a signature row is never alone on its page: what precedes
             * keeps with it; rows that precede one keep with it too */
            bool keep = end && end->kind == VB_BLOCK_ROW && end->row->kind == VB_ROW_SIGNATURE;
            owed = put_rows(b, c, bl, end, keep);
            bl = end;
            last_was_table = true;
            continue;
        }
        if (bl->kind == VB_BLOCK_TABLE && bl->table) {
            put_table(b, c, bl->table);
            /* the table's space after: added to what follows it */
            owed = -c->st->table_space_after;
            bl = bl->next;
            last_was_table = true;
            continue;
        }
        if (bl->para) {
            const vb_block *nx = bl->next;
            pfmt f = { nx && nx->kind == VB_BLOCK_ROW && nx->row && nx->row->kind == VB_ROW_SIGNATURE, -owed,
                       nx && nx->kind == VB_BLOCK_TABLE ? c->st->table_space_before : 0 };
            owed = 0;
            put_para(b, c, bl->para, c->text_w, &f);
            last_was_table = false;
        }
        bl = bl->next;
    }
    /* Word wants a paragraph after a closing table: make it one twip high. */
    if (last_was_table || !c->doc->first)
        vb_buf_puts(b, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"1\" w:lineRule=\"exact\"/>"
                       "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>");
    put_sect(b, c);
    vb_buf_puts(b, "</w:body></w:document>");
}

/* ---- styles.xml ---- */

static void put_style_ppr(vb_buf *b, const dctx *c, const vb_zone *z)
{
    vb_buf_puts(b, "<w:pPr>");
    if (z->keep_next) vb_buf_puts(b, "<w:keepNext/>");
    if (z->keep_lines) vb_buf_puts(b, "<w:keepLines/>");
    vb_buf_puts(b, "<w:widowControl/>");
    vb_buf_printf(b, "<w:spacing w:before=\"%ld\" w:after=\"%ld\" w:line=\"%ld\" w:lineRule=\"exact\"/>",
                  twips(z->space_before > 0 ? z->space_before : 0),
                  twips(z->space_after > 0 ? z->space_after : 0), twips(zone_pitch(c, z)));
    vb_buf_printf(b, "<w:ind w:left=\"%ld\" w:right=\"%ld\"", twips(z->indent_left), twips(z->indent_right));
    if (z->indent_first >= 0) vb_buf_printf(b, " w:firstLine=\"%ld\"", twips(z->indent_first));
    else vb_buf_printf(b, " w:hanging=\"%ld\"", twips(-z->indent_first));
    vb_buf_puts(b, "/>");
    vb_buf_printf(b, "<w:jc w:val=\"%s\"/>", jc_name(z->align));
    vb_buf_puts(b, "</w:pPr>");
}

static void put_style_rpr(vb_buf *b, const vb_zone *z)
{
    vb_buf_puts(b, "<w:rPr>");
    if (z->flags & VB_BOLD) vb_buf_puts(b, "<w:b/><w:bCs/>");
    if (z->flags & VB_ITALIC) vb_buf_puts(b, "<w:i/><w:iCs/>");
    if (z->size > 0) {
        long h = halfpts(z->size);
        vb_buf_printf(b, "<w:sz w:val=\"%ld\"/><w:szCs w:val=\"%ld\"/>", h, h);
    }
    if (z->flags & VB_UNDERLINE) vb_buf_puts(b, "<w:u w:val=\"single\"/>");
    vb_buf_puts(b, "</w:rPr>");
}

static void put_style_head(vb_buf *b, const char *id, const char *name)
{
    vb_buf_puts(b, "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"");
    put_esc(b, id);
    vb_buf_puts(b, "\"><w:name w:val=\"");
    put_esc(b, name);
    vb_buf_puts(b, "\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"");
    put_esc(b, id);
    vb_buf_puts(b, "\"/><w:qFormat/>");
}

static void put_styles(vb_buf *b, const dctx *c)
{
    const vb_zone *body = vb_style_zone(c->st, "body");
    long sz = halfpts(body && body->size > 0 ? body->size : 14 * VB_PT);
    vb_buf_puts(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
                   "<w:rFonts w:ascii=\"");
    put_esc(b, c->family);
    vb_buf_puts(b, "\" w:hAnsi=\"");
    put_esc(b, c->family);
    vb_buf_puts(b, "\" w:eastAsia=\"");
    put_esc(b, c->family);
    vb_buf_puts(b, "\" w:cs=\"");
    put_esc(b, c->family);
    vb_buf_printf(b, "\"/><w:color w:val=\"000000\"/><w:sz w:val=\"%ld\"/><w:szCs w:val=\"%ld\"/>"
                     "<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>"
                     "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>"
                     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
                     "</w:pPr></w:pPrDefault></w:docDefaults>", sz, sz);
    vb_buf_puts(b, "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
                   "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
                   "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
                   "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
                   "<w:semiHidden/><w:unhideWhenUsed/></w:style>"
                   "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
                   "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
                   "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
                   "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/>"
                   "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/>"
                   "</w:tblCellMar></w:tblPr></w:style>");
    for (size_t i = 0; i < c->nzones; i++) {
        const vb_zone *z = c->zones[i];
        const char *id = zone_style_id(z);
        put_style_head(b, id, z->docx_name && *z->docx_name ? z->docx_name : id);
        put_style_ppr(b, c, z);
        put_style_rpr(b, z);
        vb_buf_puts(b, "</w:style>");
    }
    if (c->any_rule)
        vb_buf_puts(b, "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"VB_DuongKe\">"
                       "<w:name w:val=\"VB Đường kẻ\"/><w:basedOn w:val=\"Normal\"/>"
                       "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepLines/>"
                       "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>"
                       "</w:pPr><w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:style>");
    /* the page number's style */
    const vb_zone *pz = vb_style_zone(c->st, "page_number");
    const char *pid = pz ? zone_style_id(pz) : "VB_SoTrang";
    put_style_head(b, pid, pz && pz->docx_name && *pz->docx_name ? pz->docx_name : "VB Số trang");
    vb_zone pn = { 0 };
    pn.size = pz && pz->size > 0 ? pz->size : 13 * VB_PT;
    vb_buf_printf(b, "<w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"%ld\" w:lineRule=\"exact\"/>"
                     "<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>",
                  twips(zone_pitch(c, &pn)));
    put_style_rpr(b, &pn);
    vb_buf_puts(b, "</w:style></w:styles>");
}

/* ---- the other parts ---- */

static void put_header(vb_buf *b, const dctx *c, bool number)
{
    vb_buf_puts(b, XML_DECL "<w:hdr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr><w:pStyle w:val=\"");
    const vb_zone *pz = vb_style_zone(c->st, "page_number");
    put_esc(b, pz ? zone_style_id(pz) : "VB_SoTrang");
    vb_buf_puts(b, "\"/></w:pPr>");
    if (number)
        vb_buf_puts(b, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                       "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
                       "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                       "<w:r><w:t>2</w:t></w:r>"
                       "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    vb_buf_puts(b, "</w:p></w:hdr>");
}

static void put_settings(vb_buf *b)
{
    vb_buf_puts(b, XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
                   "<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
                   "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
                   /* sum a paragraph's space after and the next one's space
                    * before, as the PDF does (LibreOffice otherwise takes the
                    * larger of the two) */
                   "<w:compat><w:doNotUseHTMLParagraphAutoSpacing/>"
                   /* Word 2007's layout, said outright: LibreOffice 25.2
                    * (Debian 13) takes a file that names no mode for a
                    * Word 2013 one and then puts a table's left border,
                    * not its text, at w:tblInd, 1.5 mm right of ours and of
                    * LibreOffice 7.4's */
                   "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
                   "w:val=\"12\"/></w:compat>"
                   "<w:themeFontLang w:val=\"vi-VN\"/>"
                   "<w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/></w:settings>");
}

static void put_fonts(vb_buf *b, const dctx *c)
{
    vb_buf_puts(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\"><w:font w:name=\"");
    put_esc(b, c->family);
    vb_buf_puts(b, "\">");
    if (!strcmp(c->family, "Times New Roman"))
        vb_buf_puts(b, "<w:panose1 w:val=\"02020603050405020304\"/>");
    vb_buf_puts(b, "<w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/>"
                   "</w:font></w:fonts>");
}

static void put_content_types(vb_buf *b)
{
    vb_buf_puts(b, XML_DECL "<Types xmlns=\"" NS_CT "\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
        "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML "settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_WML "fontTable+xml\"/>"
        "<Override PartName=\"/word/header1.xml\" ContentType=\"" CT_WML "header+xml\"/>"
        "<Override PartName=\"/word/header2.xml\" ContentType=\"" CT_WML "header+xml\"/>"
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        "</Types>");
}

static void put_root_rels(vb_buf *b)
{
    vb_buf_puts(b, XML_DECL "<Relationships xmlns=\"" NS_PR "\">"
        "<Relationship Id=\"rId1\" Type=\"" RT_OD "officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" RT_OD "extended-properties\" Target=\"docProps/app.xml\"/>"
        "</Relationships>");
}

static void put_doc_rels(vb_buf *b)
{
    vb_buf_puts(b, XML_DECL "<Relationships xmlns=\"" NS_PR "\">"
        "<Relationship Id=\"rId1\" Type=\"" RT_OD "styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" RT_OD "settings\" Target=\"settings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" RT_OD "fontTable\" Target=\"fontTable.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"" RT_OD "header\" Target=\"header1.xml\"/>"
        "<Relationship Id=\"rId5\" Type=\"" RT_OD "header\" Target=\"header2.xml\"/>"
        "</Relationships>");
}

static void put_w3cdtf(vb_buf *b, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm)) { tt = 0; gmtime_r(&tt, &tm); }
    vb_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void put_elem(vb_buf *b, const char *tag, const char *val)
{
    if (!val || !*val) return;
    vb_buf_printf(b, "<%s>", tag);
    put_esc(b, val);
    vb_buf_printf(b, "</%s>", tag);
}

static void put_core(vb_buf *b, const vb_doc *doc)
{
    vb_buf_puts(b, XML_DECL "<cp:coreProperties"
        " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
        " xmlns:dcterms=\"http://purl.org/dc/terms/\""
        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    put_elem(b, "dc:title", doc->title);
    put_elem(b, "dc:subject", doc->subject);
    put_elem(b, "dc:creator", doc->author);
    put_elem(b, "cp:keywords", doc->keywords);
    put_elem(b, "cp:lastModifiedBy", doc->author);
    vb_buf_puts(b, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
    put_w3cdtf(b, doc->date);
    vb_buf_puts(b, "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">");
    put_w3cdtf(b, doc->date);
    vb_buf_puts(b, "</dcterms:modified></cp:coreProperties>");
}

static void put_app(vb_buf *b)
{
    vb_buf_puts(b, XML_DECL "<Properties"
        " xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
        "<Application>vanban</Application><DocSecurity>0</DocSecurity></Properties>");
}

/* ---- the package ---- */

bool vb_docx_write(const vb_doc *doc, const vb_fonts *fonts, vb_buf *out, vb_diag *d)
{
    dctx c = { 0 };
    c.doc = doc;
    c.st = doc->style;
    c.fonts = fonts;
    c.family = fonts ? vb_fonts_docx_family(fonts) : NULL;
    if (!c.family || !*c.family) c.family = c.st->font_family && *c.st->font_family ? c.st->font_family : "Times New Roman";
    c.text_w = c.st->page_w - c.st->margin_left - c.st->margin_right;
    c.geom = vb_style_geom(c.st);
    c.first_section = true;
    if (c.text_w <= 0) {
        vb_error(d, VB_EXIT_INPUT, "%s: the margins leave no text width", c.st->path ? c.st->path : "style");
        return false;
    }
    /* a header line no column can hold fails here as in the PDF */
    if (fonts && !vb_header_fits(doc, fonts, d)) return false;
    collect_zones(&c);

    /* the parts, always in this order */
    enum { NPARTS = 11 };
    static const char *const names[NPARTS] = {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
        "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
        "word/settings.xml", "word/fontTable.xml", "word/header1.xml", "word/header2.xml",
    };
    vb_buf parts[NPARTS];
    memset(parts, 0, sizeof parts);
    put_content_types(&parts[0]);
    put_root_rels(&parts[1]);
    put_core(&parts[2], doc);
    put_app(&parts[3]);
    put_document(&parts[4], &c);
    put_doc_rels(&parts[5]);
    put_styles(&parts[6], &c);
    put_settings(&parts[7]);
    put_fonts(&parts[8], &c);
    put_header(&parts[9], &c, true);
    put_header(&parts[10], &c, false);
    free(c.zones);

    /* fixed order, deflate 9, the document's date on every entry */
    vb_zip_entry en[NPARTS];
    for (int i = 0; i < NPARTS; i++) en[i] = (vb_zip_entry){ names[i], parts[i].data, parts[i].len };
    bool ok = vb_zip_memory("docx", en, NPARTS, 9, vb_zip_time(doc->date), out, d);
    for (int i = 0; i < NPARTS; i++) vb_buf_free(&parts[i]);
    return ok;
}
