/* font.h — the four faces of the document font and their metrics.
 *
 * Times New Roman when the user has put its files in fonts/, else its metric
 * twin Liberation Serif found through fontconfig.  Metrics come from
 * FreeType, in integer milli-points.  FT_Face stays inside font.c. */
#ifndef VB_FONT_H
#define VB_FONT_H

#include "vb.h"

typedef enum {
    VB_FACE_REGULAR = 0, VB_FACE_BOLD = 1, VB_FACE_ITALIC = 2, VB_FACE_BOLD_ITALIC = 3,
    VB_FACE_COUNT = 4
} vb_face;

/* face for style flags (VB_BOLD=1, VB_ITALIC=2 map directly) */
static inline vb_face vb_face_for(unsigned flags) { return (vb_face)(flags & 3u); }

typedef struct vb_fonts vb_fonts;

/* Resolve and open the four faces.  fonts_dir (may be NULL) is searched
 * first for the family's files (times.ttf, timesbd.ttf, timesi.ttf,
 * timesbi.ttf, or any TTF whose family/style names match); then fontconfig
 * for `family`, accepting only a metric-compatible substitute (Liberation
 * Serif for Times New Roman).  A missing or unreadable file is an error
 * (VB_EXIT_SYSTEM) naming it. */
bool vb_fonts_open(const char *fonts_dir, const char *family, vb_fonts **out, vb_diag *d);
void vb_fonts_close(vb_fonts *f);

const char *vb_fonts_file(const vb_fonts *f, vb_face face);     /* full path */
const char *vb_fonts_family(const vb_fonts *f, vb_face face);   /* e.g. "Liberation Serif" */
const char *vb_fonts_style(const vb_fonts *f, vb_face face);    /* e.g. "Bold" */
const char *vb_fonts_psname(const vb_fonts *f, vb_face face);   /* "LiberationSerif-Bold" */
/* The family name to write into DOCX files ("Times New Roman"). */
const char *vb_fonts_docx_family(const vb_fonts *f);

/* Advance width of UTF-8 text at size (mpt), in mpt, without kerning:
 * sum of glyph advances in font units * size / units_per_em, rounded once.
 * Returns false if a character is not in the face; *missing gets it. */
bool vb_font_measure(const vb_fonts *f, vb_face face, int32_t size,
                     const char *s, size_t len, int32_t *width, int32_t *missing);
/* Check a whole string; on failure adds the error
 * "U+1EF1 'ự' is not in LiberationSerif-Bold.ttf" (VB_EXIT_INPUT), with
 * `where` (e.g. "record.json: /meeting/title") prefixed when not NULL. */
bool vb_font_check(const vb_fonts *f, vb_face face, const char *s, const char *where, vb_diag *d);
/* Vertical metrics at size (mpt): ascender (>0), descender (<0, from hhea/OS2). */
int32_t vb_font_ascent(const vb_fonts *f, vb_face face, int32_t size);
int32_t vb_font_descent(const vb_fonts *f, vb_face face, int32_t size);

/* What a PDF font descriptor says of a face, in font units (upem per em). */
typedef struct vb_font_desc {
    int32_t upem;
    int32_t bbox[4];           /* xMin yMin xMax yMax of all glyphs */
    int32_t ascent, descent;   /* as vb_font_ascent/descent */
    int32_t cap_height;        /* OS/2 sCapHeight, or an estimate */
    int32_t italic_angle;      /* degrees * 1000, counter-clockwise (italics < 0) */
    int32_t weight;            /* OS/2 usWeightClass (400 regular, 700 bold) */
    bool fixed_pitch, serif, italic;
} vb_font_desc;
void vb_font_describe(const vb_fonts *f, vb_face face, vb_font_desc *out);
/* Advance of one code point in font units, -1 when the face lacks it
 * (the layout measures with exactly these numbers). */
int32_t vb_font_advance(const vb_fonts *f, vb_face face, uint32_t cp);

/* Font subsetting for embedding: a TrueType file holding only the glyphs
 * of the given code points (plus .notdef and the parts of composite
 * glyphs), with cmap, hmtx, glyf/loca and the tables PDF readers need,
 * through HarfBuzz's subsetter; no hinting.  Result appended to out.
 * When gids is not NULL, gids[i] gets the glyph id of cps[i] in the
 * subset (U+00A0 and U+0020 stand in for each other, as in measuring). */
bool vb_font_subset(const vb_fonts *f, vb_face face, const uint32_t *cps, size_t ncps,
                    vb_buf *out, uint16_t *gids, vb_diag *d);

#endif
