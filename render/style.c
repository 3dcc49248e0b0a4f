/* style.c — reading a convention's rule file (templates/<convention>/style).
 *
 * An INI-like file: "key = value" lines under [page], [columns],
 * [numbering], [text] and one [zone NAME] section per zone.  Lengths take
 * a unit (mm, cm, pt); fractions take % or a/b.  Values may be quoted to
 * keep spaces.  Syntax and every key: templates/README.md. */
#include "style.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sctx {
    vb_arena *a;
    const char *path;
    int line;
    int stretch_line;          /* where space_stretch(_max) was last set, for the check of both */
    vb_diag *d;
    bool ok;
    int columns_line;          /* of the last header_left* key, for the range check */
    unsigned *page_set;        /* per [page NAME]: which keys it sets (bits of geom_keys) */
    int *page_line;            /* per [page NAME]: its line, for the room check */
} sctx;

__attribute__((format(printf, 2, 3)))
static void serr(sctx *c, const char *fmt, ...)
{
    char *text;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, gettext(fmt), ap) < 0) vb_oom();
    va_end(ap);
    vb_error(c->d, VB_EXIT_INPUT, "%s:%d: %s", c->path, c->line, text);
    free(text);
    c->ok = false;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    return s;
}

/* A length: "20mm", "1.27cm", "14pt", "0" → mpt. */
static bool parse_len(const char *v, int32_t *out)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v) return false;
    while (*end == ' ') end++;
    double mpt;
    if (strcmp(end, "mm") == 0) mpt = x * 72000.0 / 25.4;
    else if (strcmp(end, "cm") == 0) mpt = x * 720000.0 / 25.4;
    else if (strcmp(end, "pt") == 0) mpt = x * 1000.0;
    else if (*end == 0 && x == 0) mpt = 0;
    else return false;
    if (!(mpt >= -1e7 && mpt <= 1e7)) return false;      /* also NaN ("nanpt") */
    *out = (int32_t)(mpt + (mpt >= 0 ? 0.5 : -0.5));
    return true;
}

/* A fraction: "40%", "1/3" → permille. */
static bool parse_frac(const char *v, int32_t *out)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v) return false;
    if (strcmp(end, "%") == 0) x *= 10;
    else if (*end == '/') {
        char *e2;
        double y = strtod(end + 1, &e2);
        if (*e2 || y <= 0) return false;
        x = x * 1000 / y;
    } else return false;
    if (!(x >= 0 && x <= 1000)) return false;          /* also NaN ("nan%") */
    *out = (int32_t)(x + 0.5);
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true")) { *out = true; return true; }
    if (!strcmp(v, "no") || !strcmp(v, "false")) { *out = false; return true; }
    return false;
}

/* Unquote "…" (no escapes needed: values never contain a quote). */
static char *unquote(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') { v[n - 1] = 0; return v + 1; }
    return v;
}

/* A list of phrases "TỈNH|THÀNH PHỐ|…" (break_before, keep_together):
 * each of whole words, stored upper-cased and NFC with single spaces, so
 * that the layout compares them byte for byte with the upper-cased words
 * of a name.  An empty phrase or one named twice is an error: both are
 * typing slips that would silently change nothing. */
static void parse_phrases(sctx *c, const char *key, const char *v, const char ***out, size_t *n)
{
    size_t bad;
    if (!vb_utf8_valid(v, strlen(v), &bad)) {
        serr(c, "%s: invalid UTF-8 at byte %zu of the value", key, bad);
        return;
    }
    size_t cap = 1;
    for (const char *q = v; *q; q++) cap += *q == '|';
    const char **list = vb_alloc(c->a, cap * sizeof *list);
    size_t cnt = 0;
    const char *s = v;
    for (size_t item = 1; ; item++) {
        const char *e = strchr(s, '|');
        if (!e) e = s + strlen(s);
        vb_buf b = {0};
        for (const char *q = s; q < e; q++) {
            bool sp = *q == ' ' || *q == '\t';
            if (sp && (!b.len || q + 1 == e || q[1] == ' ' || q[1] == '\t')) continue;
            vb_buf_putc(&b, sp ? ' ' : *q);
        }
        if (b.len && b.data[b.len - 1] == ' ') b.len--;
        if (!b.len) {
            serr(c, "%s: phrase %zu is empty (phrases are separated by |)", key, item);
        } else {
            const char *ph = vb_upper(c->a, vb_buf_cstr(&b));
            bool twice = false;
            for (size_t k = 0; k < cnt; k++) if (!strcmp(list[k], ph)) twice = true;
            if (twice) serr(c, "%s names \"%s\" twice", key, ph);
            else list[cnt++] = ph;
        }
        vb_buf_free(&b);
        if (!*e) break;
        s = e + 1;
    }
    *out = list;
    *n = cnt;
}

static void zone_defaults(vb_zone *z)
{
    z->size = 14 * VB_PT;
    z->align = VB_ALIGN_LEFT;
    z->rule_gap = 3 * VB_PT;
    z->rule_width = 500;   /* 0.5 pt */
}

static void zone_key(sctx *c, vb_zone *z, const char *k, char *v)
{
    if (!strcmp(k, "docx")) {
        /* docx = VB_NoiDung "VB Nội dung" */
        char *sp = strchr(v, ' ');
        if (sp) { *sp = 0; z->docx_name = vb_strdup(c->a, unquote(trim(sp + 1))); }
        z->docx_style = vb_strdup(c->a, v);
        if (!z->docx_name) z->docx_name = z->docx_style;
    } else if (!strcmp(k, "size")) {
        if (!parse_len(v, &z->size) || z->size < 4 * VB_PT || z->size > 72 * VB_PT) serr(c, "size must be a length from 4pt to 72pt, got %s", v);
    } else if (!strcmp(k, "style")) {
        z->flags = 0;
        char *save = NULL;   /* strtok_r: batch workers load styles in parallel */
        for (char *t = strtok_r(v, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            if (!strcmp(t, "bold")) z->flags |= VB_BOLD;
            else if (!strcmp(t, "italic")) z->flags |= VB_ITALIC;
            else if (!strcmp(t, "underline")) z->flags |= VB_UNDERLINE;
            else if (strcmp(t, "regular")) serr(c, "style takes regular, bold, italic, underline; got %s", t);
        }
    } else if (!strcmp(k, "align")) {
        if (!strcmp(v, "left")) z->align = VB_ALIGN_LEFT;
        else if (!strcmp(v, "center") || !strcmp(v, "centre")) z->align = VB_ALIGN_CENTER;
        else if (!strcmp(v, "right")) z->align = VB_ALIGN_RIGHT;
        else if (!strcmp(v, "justify")) z->align = VB_ALIGN_JUSTIFY;
        else serr(c, "align takes left, center, right or justify; got %s", v);
    } else if (!strcmp(k, "upper")) {
        if (!parse_bool(v, &z->upper)) serr(c, "upper takes yes or no; got %s", v);
    } else if (!strcmp(k, "keep_next")) {
        if (!parse_bool(v, &z->keep_next)) serr(c, "keep_next takes yes or no; got %s", v);
    } else if (!strcmp(k, "nowrap")) {
        if (!parse_bool(v, &z->nowrap)) serr(c, "nowrap takes yes or no; got %s", v);
    } else if (!strcmp(k, "name_breaks")) {
        if (!parse_bool(v, &z->name_breaks)) serr(c, "name_breaks takes yes or no; got %s", v);
    } else if (!strcmp(k, "keep_lines")) {
        if (!parse_bool(v, &z->keep_lines)) serr(c, "keep_lines takes yes or no; got %s", v);
    } else if (!strcmp(k, "rule")) {
        int32_t x;
        if (!strcmp(v, "none")) z->rule = VB_RULE_NONE;
        else if (!strcmp(v, "text")) z->rule = VB_RULE_TEXT;
        else if (!strcmp(v, "full")) z->rule = VB_RULE_FULL;
        else if (parse_frac(v, &x)) { z->rule = VB_RULE_FRACTION; z->rule_frac = x; }
        else if (parse_len(v, &x) && x > 0) { z->rule = VB_RULE_FIXED; z->rule_len = x; }
        else serr(c, "rule takes none, text, full, a fraction (1/3, 40%%) or a length; got %s", v);
    } else {
        int32_t *dst = NULL;
        if (!strcmp(k, "indent_first")) dst = &z->indent_first;
        else if (!strcmp(k, "indent_left")) dst = &z->indent_left;
        else if (!strcmp(k, "indent_right")) dst = &z->indent_right;
        else if (!strcmp(k, "space_before")) dst = &z->space_before;
        else if (!strcmp(k, "space_after")) dst = &z->space_after;
        else if (!strcmp(k, "line")) dst = &z->line;
        else if (!strcmp(k, "rule_gap")) dst = &z->rule_gap;
        else if (!strcmp(k, "rule_width")) dst = &z->rule_width;
        if (!dst) { serr(c, "unknown zone key %s", k); return; }
        if (!parse_len(v, dst) || *dst < 0 || *dst > 200 * VB_MM_NUM / 25) serr(c, "expected a length such as 6pt or 10mm, got %s", v);
    }
}

static const char *const geom_keys[] = {
    "width", "height", "margin_top", "margin_bottom", "margin_left", "margin_right", "page_number_y", NULL
};

static int32_t *geom_field(vb_page_geom *g, int i)
{
    int32_t *f[] = { &g->width, &g->height, &g->margin_top, &g->margin_bottom, &g->margin_left,
                     &g->margin_right, &g->page_number_y };
    return f[i];
}

/* A key of [page NAME]: the geometry keys of [page]; the rest of [page]
 * (page_number_from) is the document's, not a section's. */
static void named_page_key(sctx *c, vb_style *s, const char *k, const char *v)
{
    size_t gi = s->npages - 1;
    vb_page_geom *g = &s->pages[gi];
    for (int i = 0; geom_keys[i]; i++) {
        if (strcmp(k, geom_keys[i])) continue;
        int32_t *dst = geom_field(g, i);
        if (!parse_len(v, dst) || *dst < 0 || *dst > VB_MM(2000)) serr(c, "expected a length such as 20mm, got %s", v);
        c->page_set[gi] |= 1u << i;
        return;
    }
    serr(c, "unknown [page %s] key %s", g->name, k);
}

/* Start [page NAME]; a name given twice is an error. */
static void named_page(sctx *c, vb_style *s, const char *name)
{
    for (size_t i = 0; i < s->npages; i++)
        if (!strcmp(s->pages[i].name, name)) { serr(c, "page section defined twice: %s", name); return; }
    vb_page_geom *np = vb_alloc(c->a, (s->npages + 1) * sizeof *np);
    if (s->npages) memcpy(np, s->pages, s->npages * sizeof *np);
    s->pages = np;
    c->page_set = vb_xrealloc(c->page_set, (s->npages + 1) * sizeof *c->page_set);
    c->page_line = vb_xrealloc(c->page_line, (s->npages + 1) * sizeof *c->page_line);
    c->page_set[s->npages] = 0;
    c->page_line[s->npages] = c->line;
    memset(&s->pages[s->npages], 0, sizeof *s->pages);
    s->pages[s->npages++].name = vb_strdup(c->a, name);
}

static void page_key(sctx *c, vb_style *s, const char *sect, const char *k, char *v)
{
    if (!strcmp(sect, "named page")) { named_page_key(c, s, k, v); return; }
    if (!strcmp(sect, "page")) {
        int32_t *dst = NULL;
        if (!strcmp(k, "width")) dst = &s->page_w;
        else if (!strcmp(k, "height")) dst = &s->page_h;
        else if (!strcmp(k, "margin_top")) dst = &s->margin_top;
        else if (!strcmp(k, "margin_bottom")) dst = &s->margin_bottom;
        else if (!strcmp(k, "margin_left")) dst = &s->margin_left;
        else if (!strcmp(k, "margin_right")) dst = &s->margin_right;
        else if (!strcmp(k, "page_number_y")) dst = &s->page_number_y;
        else if (!strcmp(k, "page_number_from")) {
            char *end; long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 1000) serr(c, "page_number_from takes a page number, got %s", v);
            else s->page_number_from = (int32_t)n;
            return;
        }
        if (!dst) { serr(c, "unknown [page] key %s", k); return; }
        if (!parse_len(v, dst) || *dst < 0 || *dst > VB_MM(2000)) serr(c, "expected a length such as 20mm, got %s", v);
    } else if (!strcmp(sect, "columns")) {
        if (!strcmp(k, "header_left")) {
            if (!parse_frac(v, &s->header_left)) serr(c, "expected a fraction such as 40%%, got %s", v);
            else c->columns_line = c->line;
        }
        else if (!strcmp(k, "signature_left")) { if (!parse_frac(v, &s->signature_left)) serr(c, "expected a fraction such as 45%%, got %s", v); }
        else if (!strcmp(k, "header_left_min") || !strcmp(k, "header_left_max")) {
            if (!parse_frac(v, !strcmp(k, "header_left_min") ? &s->header_left_min : &s->header_left_max)) serr(c, "expected a fraction such as 20%%, got %s", v);
            else c->columns_line = c->line;
        }
        else if (!strcmp(k, "header_min_gap")) {
            if (!parse_len(v, &s->header_min_gap) || s->header_min_gap > VB_MM(50)) serr(c, "expected a length up to 50mm, got %s", v);
        }
        else serr(c, "unknown [columns] key %s", k);
    } else if (!strcmp(sect, "numbering")) {
        const char *val = vb_strdup(c->a, v);
        if (!strcmp(k, "h1")) s->num_h1 = val;
        else if (!strcmp(k, "h2")) s->num_h2 = val;
        else if (!strcmp(k, "h3")) s->num_h3 = val;
        else if (!strcmp(k, "article")) s->num_article = val;
        else if (!strcmp(k, "appendix")) s->num_appendix = val;
        else if (!strcmp(k, "appendix_single")) s->num_appendix_single = val;
        else serr(c, "unknown [numbering] key %s", k);
    } else if (!strcmp(sect, "text")) {
        if (!strcmp(k, "blank")) s->blank = vb_strdup(c->a, v);
        else if (!strcmp(k, "end_mark")) s->end_mark = vb_strdup(c->a, v);
        else if (!strcmp(k, "breaking")) {
            if (!strcmp(v, "total-fit")) s->breaking = VB_BREAK_TOTAL_FIT;
            else if (!strcmp(v, "greedy")) s->breaking = VB_BREAK_GREEDY;
            else serr(c, "breaking takes total-fit or greedy; got %s", v);
        } else if (!strcmp(k, "space_stretch")) {
            c->stretch_line = c->line;
            if (!parse_frac(v, &s->space_stretch) || s->space_stretch == 0)
                serr(c, "space_stretch takes a share of the space from 0.1%% to 100%%, got %s", v);
        } else if (!strcmp(k, "space_stretch_max")) {
            c->stretch_line = c->line;
            /* the limit of every line that can keep within it; a line
             * that cannot (one long word) still stretches further */
            if (!parse_frac(v, &s->space_stretch_max))
                serr(c, "space_stretch_max takes a share of the space from 0%% to 100%%, got %s", v);
        } else if (!strcmp(k, "space_shrink")) {
            /* words must never touch: a space keeps at least half its width */
            if (!parse_frac(v, &s->space_shrink) || s->space_shrink > 500)
                serr(c, "space_shrink takes a share of the space from 0%% to 50%%, got %s", v);
        }
        else if (!strcmp(k, "break_before")) parse_phrases(c, k, v, &s->break_before, &s->nbreak_before);
        else if (!strcmp(k, "keep_together")) parse_phrases(c, k, v, &s->keep_together, &s->nkeep_together);
        else serr(c, "unknown [text] key %s", k);
    } else if (!strcmp(sect, "table")) {
        int32_t *dst = NULL, max = VB_MM(20);
        if (!strcmp(k, "border")) { dst = &s->table_border; max = 3 * VB_PT; }
        else if (!strcmp(k, "cell_padding")) dst = &s->table_pad_x;
        else if (!strcmp(k, "cell_padding_v")) dst = &s->table_pad_y;
        else if (!strcmp(k, "space_before")) dst = &s->table_space_before;
        else if (!strcmp(k, "space_after")) dst = &s->table_space_after;
        if (!dst) { serr(c, "unknown [table] key %s", k); return; }
        /* a border wider than 3pt is no longer a thin rule, and would eat the padding */
        if (!parse_len(v, dst) || *dst < 0 || *dst > max) {
            if (max == VB_MM(20)) serr(c, "expected a length from 0 to 20mm, got %s", v);
            else serr(c, "expected a length from 0 to 3pt, got %s", v);
        }
    } else if (!strcmp(sect, "register")) {
        if (strcmp(k, "series")) { serr(c, "unknown [register] key %s", k); return; }
        /* components joined by "+"; the issuer always: a series never
         * spans two bodies; a year and a term would be two resets */
        static const char *names[] = { "issuer", "year", "type", "term" };
        unsigned got = 0;
        bool bad = false;
        char *copy = vb_strdup(c->a, v), *save = NULL;
        for (char *t = strtok_r(copy, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
            t = trim(t);
            unsigned bit = 0;
            for (unsigned i = 0; i < 4; i++) if (!strcmp(t, names[i])) bit = 1u << i;
            if (!bit || (got & bit)) bad = true;
            got |= bit;
        }
        if (bad || !(got & VB_SERIES_ISSUER) || ((got & VB_SERIES_YEAR) && (got & VB_SERIES_TERM)))
            serr(c, "series takes issuer joined by + with any of year, type, term (not both year and term), "
                    "e.g. issuer+year; got %s", v);
        else { s->reg_series = got; s->reg_series_text = vb_strdup(c->a, v); }
    } else if (!strcmp(sect, "")) {
        if (!strcmp(k, "name")) s->name = vb_strdup(c->a, v);
        else if (!strcmp(k, "font")) s->font_family = vb_strdup(c->a, v);
        else if (!strcmp(k, "convention")) {
            if (!strcmp(v, "party")) s->convention = VB_PARTY;
            else if (!strcmp(v, "state")) s->convention = VB_STATE;
            else serr(c, "convention takes party or state; got %s", v);
        } else serr(c, "unknown key %s", k);
    }
}

bool vb_style_load(vb_arena *a, const char *path, vb_style *s, vb_diag *d)
{
    char *data;
    size_t len;
    if (!vb_read_file(path, 1 << 20, &data, &len, d)) return false;
    memset(s, 0, sizeof *s);
    s->path = vb_strdup(a, path);
    s->font_family = "Times New Roman";
    s->page_w = VB_MM(210); s->page_h = VB_MM(297);
    s->margin_top = VB_MM(20); s->margin_bottom = VB_MM(20);
    s->margin_left = VB_MM(30); s->margin_right = VB_MM(15);
    s->page_number_y = VB_MM(12); s->page_number_from = 2;
    s->header_left = 420; s->signature_left = 450; s->header_min_gap = VB_MM(8);
    s->header_left_min = 200; s->header_left_max = 650;
    s->num_h1 = "%R. "; s->num_h2 = "%d. "; s->num_h3 = "%a) "; s->num_article = "Điều %d. ";
    s->num_appendix = "Phụ lục %R"; s->num_appendix_single = "Phụ lục";
    s->blank = "…………"; s->end_mark = ".";
    s->breaking = VB_BREAK_TOTAL_FIT; s->space_stretch = 500; s->space_stretch_max = 1000; s->space_shrink = 300;
    s->table_border = 500; s->table_pad_x = VB_MM(1.5); s->table_pad_y = VB_PT;
    s->table_space_before = 6 * VB_PT; s->table_space_after = 6 * VB_PT;
    s->reg_series = VB_SERIES_ISSUER | VB_SERIES_YEAR; s->reg_series_text = "issuer+year";

    sctx c = { a, path, 0, 0, d, true, 0, NULL, NULL };
    size_t cap = 16;
    s->zones = vb_alloc(a, cap * sizeof *s->zones);
    char sect[64] = "";
    vb_zone *zone = NULL;
    bool seen_convention = false;
    char *p = data;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        c.line++;
        char *ln = trim(p);
        p = nl ? nl + 1 : NULL;
        if (!*ln || *ln == '#') continue;
        if (*ln == '[') {
            char *e = strchr(ln, ']');
            if (!e || e[1]) { serr(&c, "expected [section]"); continue; }
            *e = 0;
            char *name = trim(ln + 1);
            zone = NULL;
            if (!strncmp(name, "zone ", 5)) {
                char *zn = trim(name + 5);
                if (!*zn) { serr(&c, "zone needs a name"); continue; }
                for (size_t i = 0; i < s->nzones; i++)
                    if (!strcmp(s->zones[i].name, zn)) { serr(&c, "zone defined twice: %s", zn); zone = NULL; goto next; }
                if (s->nzones == cap) {
                    vb_zone *nz = vb_alloc(a, cap * 2 * sizeof *nz);
                    memcpy(nz, s->zones, cap * sizeof *nz);
                    s->zones = nz; cap *= 2;
                }
                zone = &s->zones[s->nzones++];
                zone_defaults(zone);
                zone->name = vb_strdup(a, zn);
                zone->docx_style = zone->docx_name = NULL;
                strcpy(sect, "zone");
            } else if (!strncmp(name, "page ", 5)) {
                char *pn = trim(name + 5);
                if (!*pn || strchr(pn, ' ')) { serr(&c, "[page NAME] takes one word, got %s", name); strcpy(sect, "bad"); continue; }
                named_page(&c, s, pn);
                strcpy(sect, "named page");
            } else if (!strcmp(name, "page") || !strcmp(name, "columns") || !strcmp(name, "numbering") || !strcmp(name, "text") ||
                       !strcmp(name, "table") || !strcmp(name, "register")) {
                snprintf(sect, sizeof sect, "%s", name);
            } else serr(&c, "unknown section %s", name);
            next: continue;
        }
        char *eq = strchr(ln, '=');
        if (!eq) { serr(&c, "expected key = value"); continue; }
        *eq = 0;
        char *k = trim(ln), *v = unquote(trim(eq + 1));
        if (!strcmp(sect, "zone")) { if (zone) zone_key(&c, zone, k, v); }
        else if (!strcmp(sect, "bad")) continue;
        else {
            if (!*sect && !strcmp(k, "convention")) seen_convention = true;
            page_key(&c, s, sect, k, v);
        }
    }
    if (!seen_convention) { c.line = 0; vb_error(d, VB_EXIT_INPUT, "%s: missing \"convention = party|state\"", path); c.ok = false; }
    for (size_t i = 0; i < s->nzones; i++) {
        vb_zone *z = &s->zones[i];
        if (!z->docx_style) {
            /* VB_ + the zone name in CamelCase: "sig_name" -> "VB_SigName" */
            char buf[96] = "VB_";
            size_t o = 3;
            bool up = true;
            for (const char *q = z->name; *q && o < sizeof buf - 1; q++) {
                if (*q == '_') { up = true; continue; }
                buf[o++] = up ? (char)toupper((unsigned char)*q) : *q;
                up = false;
            }
            buf[o] = 0;
            z->docx_style = z->docx_name = vb_strdup(a, buf);
        }
    }
    if (c.ok && !(s->header_left_min <= s->header_left && s->header_left <= s->header_left_max)) {
        /* named at the last of the three keys the file sets */
        c.line = c.columns_line;
        char got[96];
        snprintf(got, sizeof got, "%.1f%% <= %.1f%% <= %.1f%%", s->header_left_min / 10.0, s->header_left / 10.0,
                 s->header_left_max / 10.0);
        serr(&c, "[columns] needs header_left_min <= header_left <= header_left_max, got %s", got);
    }
    if (s->space_stretch_max < s->space_stretch) {
        vb_error(d, VB_EXIT_INPUT, "%s:%d: space_stretch_max (%g%%) is less than space_stretch (%g%%)", path,
                 c.stretch_line, s->space_stretch_max / 10.0, s->space_stretch / 10.0);
        c.ok = false;
    }
    if (s->margin_left + s->margin_right >= s->page_w - VB_MM(20) || s->margin_top + s->margin_bottom >= s->page_h - VB_MM(20)) {
        vb_error(d, VB_EXIT_INPUT, "%s: margins leave no room for text", path);
        c.ok = false;
    }
    /* what a [page NAME] leaves out is [page]'s, wherever [page] stands */
    vb_page_geom base = vb_style_geom(s);
    for (size_t i = 0; i < s->npages; i++) {
        vb_page_geom *g = &s->pages[i];
        for (int k = 0; geom_keys[k]; k++)
            if (!(c.page_set[i] & (1u << k))) *geom_field(g, k) = *geom_field(&base, k);
        if (g->margin_left + g->margin_right >= g->width - VB_MM(20) || g->margin_top + g->margin_bottom >= g->height - VB_MM(20)) {
            vb_error(d, VB_EXIT_INPUT, "%s:%d: [page %s]: margins leave no room for text", path, c.page_line[i], g->name);
            c.ok = false;
        }
    }
    free(c.page_set);
    free(c.page_line);
    free(data);
    return c.ok;
}

const vb_page_geom *vb_style_page(const vb_style *s, const char *name)
{
    for (size_t i = 0; i < s->npages; i++)
        if (!strcmp(s->pages[i].name, name)) return &s->pages[i];
    return NULL;
}

vb_page_geom vb_style_geom(const vb_style *s)
{
    return (vb_page_geom){ "", s->page_w, s->page_h, s->margin_top, s->margin_bottom, s->margin_left,
                           s->margin_right, s->page_number_y };
}

const vb_zone *vb_style_zone(const vb_style *s, const char *name)
{
    for (size_t i = 0; i < s->nzones; i++)
        if (!strcmp(s->zones[i].name, name)) return &s->zones[i];
    return NULL;
}
