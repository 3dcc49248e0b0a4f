/* style.h — the layout rules of one convention, read from a rule file
 * (templates/<convention>/style) at run time, so that a revised guide is a
 * file change, not a code change.  See templates/README.md for the syntax.
 *
 * A "zone" is one kind of line of a document (quốc hiệu, trích yếu, body,
 * "Nơi nhận"…): its size, weight, alignment, spacing and the rule under it.
 * The DOCX writer turns each zone into a named paragraph style. */
#ifndef VB_STYLE_H
#define VB_STYLE_H

#include "vb.h"
#include "text.h"

typedef enum { VB_ALIGN_LEFT, VB_ALIGN_CENTER, VB_ALIGN_RIGHT, VB_ALIGN_JUSTIFY } vb_align;

/* run/zone style flags */
enum { VB_BOLD = 1, VB_ITALIC = 2, VB_UNDERLINE = 4 };

typedef enum {
    VB_RULE_NONE = 0,
    VB_RULE_TEXT,        /* exactly the width of the line above */
    VB_RULE_FRACTION,    /* rule_frac (permille) of the line above, centred */
    VB_RULE_FIXED,       /* rule_len, centred on the line above */
    VB_RULE_FULL         /* the full width of the column */
} vb_rule_kind;

typedef enum { VB_BREAK_TOTAL_FIT, VB_BREAK_GREEDY } vb_breaking;
/* components of a number series ([register] series = issuer+year) */
enum { VB_SERIES_ISSUER = 1, VB_SERIES_YEAR = 2, VB_SERIES_TYPE = 4, VB_SERIES_TERM = 8 };

typedef struct vb_zone {
    const char *name;          /* "body", "motto", … (file: [zone NAME]) */
    const char *docx_style;    /* named DOCX style, e.g. "VB_NoiDung" */
    const char *docx_name;     /* its display name, e.g. "VB Nội dung" */
    int32_t size;              /* font size, mpt */
    unsigned flags;            /* VB_BOLD | VB_ITALIC | VB_UNDERLINE */
    vb_align align;
    bool upper;                /* text upper-cased when the model is built */
    int32_t indent_first;      /* first-line indent, mpt */
    int32_t indent_left, indent_right;
    int32_t space_before, space_after;   /* mpt */
    int32_t line;              /* baseline-to-baseline distance, mpt ("exact") */
    bool keep_next;            /* keep with the next paragraph (headings) */
    bool keep_lines;           /* never split this paragraph across pages */
    bool nowrap;               /* a header line that must stay on one line
                                  (number, title, motto, date line): the
                                  header columns are fitted to it first */
    bool name_breaks;          /* a body name of the header (superior,
                                  issuer): its lines break before the
                                  style's break_before phrases and never
                                  inside a keep_together one */
    vb_rule_kind rule;
    int32_t rule_frac;         /* VB_RULE_FRACTION: permille of the text width */
    int32_t rule_len;          /* VB_RULE_FIXED: mpt */
    int32_t rule_gap;          /* distance from the baseline down to the rule, mpt */
    int32_t rule_width;        /* stroke width, mpt */
} vb_zone;

/* The geometry of a page: [page] for the document, [page NAME] for a
 * section a template starts with `@section NAME` (an appendix, landscape). */
typedef struct vb_page_geom {
    const char *name;          /* "" for [page], else NAME */
    int32_t width, height;
    int32_t margin_top, margin_bottom, margin_left, margin_right;
    int32_t page_number_y;     /* baseline of the page number from the top edge */
} vb_page_geom;

typedef struct vb_style {
    const char *path;          /* the file it came from */
    vb_convention convention;
    const char *name;          /* "Guide 36-HD/VPTW" (key: name) */
    const char *font_family;   /* "Times New Roman" */
    /* [page] */
    int32_t page_w, page_h;
    int32_t margin_top, margin_bottom, margin_left, margin_right;
    int32_t page_number_y;     /* baseline of the page number from the top edge */
    int32_t page_number_from;  /* first page that shows its number (2) */
    /* [columns]: the two-column header and signature rows */
    int32_t header_left;       /* permille of the text width for the left column */
    int32_t header_left_min;   /* the fitter moves the split within these */
    int32_t header_left_max;   /*   (permille) */
    int32_t header_min_gap;    /* least clear space between the texts of the
                                  two columns on one line, mpt */
    int32_t signature_left;    /* permille for the left cell of signature rows */
    /* [numbering]: formats for vb_numfmt ("%R- ", "%d. ", "%a) ", "Điều %d. ") */
    const char *num_h1, *num_h2, *num_h3, *num_article;
    /* appendices: "Phụ lục %R" when there are several, and the label of
     * a single one ("Phụ lục", or "Phụ lục %R" to number it too) */
    const char *num_appendix, *num_appendix_single;
    /* [text] */
    const char *blank;         /* what a missing fact prints as: "…………" */
    const char *end_mark;      /* what ends the content: "./." (state) or "." */
    /* line breaking of justified zones: total fit (the whole paragraph's
     * badness, Knuth–Plass) or greedy (line by line, as Word and
     * LibreOffice do); how far a word space may grow and shrink there */
    vb_breaking breaking;
    int32_t space_stretch;     /* permille of the natural space (500): badness 100 */
    int32_t space_stretch_max; /* permille (1000): beyond, only where unavoidable */
    int32_t space_shrink;      /* permille of the natural space (200) */
    /* How header body names (zones with name_breaks) wrap: phrases of whole
     * words, upper-cased (vb_upper) and NFC, one space between words.
     * break_before: a line of the name prefers to start with one ("TỈNH",
     * "THÀNH PHỐ"); keep_together: never broken inside ("ỦY BAN NHÂN DÂN"). */
    const char **break_before; size_t nbreak_before;
    const char **keep_together; size_t nkeep_together;
    /* [table]: ruled tables (body blocks; cells use the zones table_header
     * and table_cell) */
    int32_t table_border;      /* stroke width of every cell's box, mpt (0.5pt) */
    int32_t table_pad_x;       /* text to border, left and right (1.5mm) */
    int32_t table_pad_y;       /* text to border, above and below (1pt) */
    int32_t table_space_before, table_space_after;
    /* [register]: what one number series of the outgoing register is
     * (register.h): VB_SERIES_* components, and as written ("issuer+year") */
    unsigned reg_series;
    const char *reg_series_text;
    /* zones */
    vb_zone *zones;
    size_t nzones;
    /* [page NAME] sections; keys a section leaves out are those of [page] */
    vb_page_geom *pages;
    size_t npages;
} vb_style;

/* Parse a rule file.  Errors name file:line. */
bool vb_style_load(vb_arena *a, const char *path, vb_style *out, vb_diag *d);
/* The zone of that name, or NULL. */
const vb_zone *vb_style_zone(const vb_style *s, const char *name);
/* The [page NAME] section of that name, or NULL. */
const vb_page_geom *vb_style_page(const vb_style *s, const char *name);
/* The document's own geometry, from [page] (name ""). */
vb_page_geom vb_style_geom(const vb_style *s);

#endif
