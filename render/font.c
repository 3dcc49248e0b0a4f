/* font.c — resolving, measuring and subsetting the four document faces.
 *
 * Resolution: the family's files in fonts_dir (Windows names such as
 * times.ttf/timesbd.ttf/timesi.ttf/timesbi.ttf, or any *.ttf whose FreeType
 * family name matches), else fontconfig, accepting only the family itself
 * or its metric-compatible twin (Liberation Serif for Times New Roman).
 *
 * Measurement: every advance width the layout can ask for is read from the
 * font's hmtx (unscaled, unhinted) once, when the face is opened: a direct
 * table for code points below 0x2200 (Latin, Vietnamese 0x1E00..0x1EFF,
 * general punctuation) and a sorted array for the rest of the cmap.  After
 * vb_fonts_open nothing touches FreeType again, so measuring is read-only
 * and safe from several threads.
 *
 * Subsetting goes through HarfBuzz (hb-subset); each face's file is mapped
 * into a HarfBuzz face once, when the face is opened, and reused for every
 * document (a face is made immutable, so reading it is thread-safe). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H
#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-subset.h>

#include "font.h"
#include "text.h"

#define DIRECT_LIMIT 0x2200u          /* code points measured from a table */

typedef struct cp_adv { uint32_t cp; int32_t adv; } cp_adv;

typedef struct face_info {
    char *path;
    char *base;                       /* basename of path, for messages */
    char *family, *style, *psname;
    FT_Face ft;
    int32_t upem;
    int32_t asc, desc;                /* font units; desc < 0 */
    vb_font_desc desc_info;           /* for PDF font descriptors */
    hb_blob_t *hb_blob;               /* the file, mapped */
    hb_face_t *hb_face;               /* for subsetting */
    hb_set_t *hb_drop;                /* its tables that subsets leave out */
    int32_t direct[DIRECT_LIMIT];     /* advance in font units, -1: missing */
    cp_adv *rest; size_t nrest;       /* code points >= DIRECT_LIMIT, sorted */
} face_info;

struct vb_fonts {
    FT_Library lib;
    char *docx_family;
    face_info face[VB_FACE_COUNT];
};

static const char *const face_style_name[VB_FACE_COUNT] = {
    "Regular", "Bold", "Italic", "Bold Italic"
};

/* Families with known file names and metric twins. */
typedef struct family_info {
    const char *family;
    const char *files[VB_FACE_COUNT];   /* Windows file names */
    const char *twins[3];               /* metric-compatible substitutes, first is named */
} family_info;

static const family_info known_families[] = {
    { "Times New Roman", { "times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf" },
      { "Liberation Serif", "Tinos", NULL } },
    { "Arial", { "arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf" },
      { "Liberation Sans", "Arimo", NULL } },
    { "Courier New", { "cour.ttf", "courbd.ttf", "couri.ttf", "courbi.ttf" },
      { "Liberation Mono", "Cousine", NULL } },
};

static const family_info *family_lookup(const char *family)
{
    for (size_t i = 0; i < sizeof known_families / sizeof known_families[0]; i++)
        if (strcasecmp(known_families[i].family, family) == 0) return &known_families[i];
    return NULL;
}

/* ---- UTF-8 ---- */

/* Decode one code point; invalid bytes give U+FFFD and advance by one. */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    uint32_t cp;
    int n;
    if (c < 0x80) { (*i)++; return c; }
    if (c >= 0xC2 && c <= 0xDF) { cp = c & 0x1F; n = 1; }
    else if (c >= 0xE0 && c <= 0xEF) { cp = c & 0x0F; n = 2; }
    else if (c >= 0xF0 && c <= 0xF4) { cp = c & 0x07; n = 3; }
    else { (*i)++; return 0xFFFD; }
    if (*i + (size_t)n >= len) { (*i)++; return 0xFFFD; }      /* truncated */
    for (int k = 1; k <= n; k++) {
        unsigned char cc = s[*i + (size_t)k];
        if ((cc & 0xC0) != 0x80) { (*i)++; return 0xFFFD; }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) { (*i)++; return 0xFFFD; }
    *i += (size_t)n + 1;
    return cp;
}


/* ---- opening one face ---- */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int cmp_cp_adv(const void *a, const void *b)
{
    uint32_t x = ((const cp_adv *)a)->cp, y = ((const cp_adv *)b)->cp;
    return x < y ? -1 : x > y;
}

/* Fill the advance tables from the cmap; false on a font FreeType cannot use. */
static bool face_fill(face_info *fi)
{
    FT_Face f = fi->ft;
    if (FT_Select_Charmap(f, FT_ENCODING_UNICODE) != 0) return false;
    if (f->units_per_EM == 0) return false;
    fi->upem = f->units_per_EM;
    for (size_t i = 0; i < DIRECT_LIMIT; i++) fi->direct[i] = -1;
    size_t cap = 0;
    FT_UInt gid;
    FT_ULong cp = FT_Get_First_Char(f, &gid);
    while (gid != 0) {
        FT_Fixed adv = 0;
        if (FT_Get_Advance(f, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING, &adv) != 0)
            return false;
        if (adv < 0) adv = 0;
        if (cp < DIRECT_LIMIT) fi->direct[cp] = (int32_t)adv;
        else if (cp <= 0x10FFFF) {
            if (fi->nrest == cap) {
                cap = cap ? cap * 2 : 256;
                fi->rest = vb_xrealloc(fi->rest, cap * sizeof *fi->rest);
            }
            fi->rest[fi->nrest++] = (cp_adv){ (uint32_t)cp, (int32_t)adv };
        }
        cp = FT_Get_Next_Char(f, cp, &gid);
    }
    if (fi->nrest) qsort(fi->rest, fi->nrest, sizeof *fi->rest, cmp_cp_adv);
    /* U+0020 and U+00A0 always count as present (one stands in for the other). */
    int32_t sp = fi->direct[0x20] >= 0 ? fi->direct[0x20]
               : fi->direct[0xA0] >= 0 ? fi->direct[0xA0] : fi->upem / 4;
    if (fi->direct[0x20] < 0) fi->direct[0x20] = sp;
    if (fi->direct[0xA0] < 0) fi->direct[0xA0] = sp;

    TT_HoriHeader *hh = FT_Get_Sfnt_Table(f, FT_SFNT_HHEA);
    TT_OS2 *os2 = FT_Get_Sfnt_Table(f, FT_SFNT_OS2);
    if (os2 && os2->version != 0xFFFFu && (os2->fsSelection & 0x80)) {
        fi->asc = os2->sTypoAscender; fi->desc = os2->sTypoDescender;
    } else if (hh) {
        fi->asc = hh->Ascender; fi->desc = hh->Descender;
    } else {
        fi->asc = f->ascender; fi->desc = f->descender;
    }
    if (fi->desc > 0) fi->desc = -fi->desc;

    vb_font_desc *dd = &fi->desc_info;
    dd->upem = fi->upem;
    dd->bbox[0] = (int32_t)f->bbox.xMin; dd->bbox[1] = (int32_t)f->bbox.yMin;
    dd->bbox[2] = (int32_t)f->bbox.xMax; dd->bbox[3] = (int32_t)f->bbox.yMax;
    dd->ascent = fi->asc; dd->descent = fi->desc;
    dd->cap_height = os2 && os2->version >= 2 && os2->sCapHeight > 0
                   ? os2->sCapHeight : fi->asc * 7 / 10;
    TT_Postscript *post = FT_Get_Sfnt_Table(f, FT_SFNT_POST);
    /* italicAngle is 16.16 fixed point; keep thousandths of a degree */
    dd->italic_angle = post ? (int32_t)(((int64_t)post->italicAngle * 1000) / 65536) : 0;
    dd->weight = os2 && os2->version != 0xFFFFu && os2->usWeightClass
               ? os2->usWeightClass : (f->style_flags & FT_STYLE_FLAG_BOLD ? 700 : 400);
    dd->fixed_pitch = FT_IS_FIXED_WIDTH(f);
    /* PANOSE: family 2 (Latin text), serif styles 11..13 are the sans ones */
    dd->serif = os2 && os2->version != 0xFFFFu && os2->panose[0] == 2
              && !(os2->panose[1] >= 11 && os2->panose[1] <= 13);
    dd->italic = (f->style_flags & FT_STYLE_FLAG_ITALIC) || dd->italic_angle != 0;
    return true;
}

static void face_clear(face_info *fi)
{
    if (fi->ft) FT_Done_Face(fi->ft);
    if (fi->hb_drop) hb_set_destroy(fi->hb_drop);
    if (fi->hb_face) hb_face_destroy(fi->hb_face);
    if (fi->hb_blob) hb_blob_destroy(fi->hb_blob);
    free(fi->path); free(fi->family); free(fi->style); free(fi->psname);
    free(fi->rest);
    memset(fi, 0, sizeof *fi);
}

/* The tables a subset keeps: those a PDF reader uses to draw a
 * CIDFontType2 (cmap, name, OS/2 and post too, which some readers and font
 * tools expect).  Every other table of the face is listed once, when it is
 * opened, for the subsetter to drop. */
static const char *const keep_tables[] = {
    "cmap", "glyf", "loca", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", NULL
};

static hb_set_t *tables_to_drop(hb_face_t *hf)
{
    hb_set_t *drop = hb_set_create();
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {
        count = 64;
        unsigned total = hb_face_get_table_tags(hf, start, &count, tags);
        for (unsigned i = 0; i < count; i++) {
            bool keep = false;
            for (int k = 0; keep_tables[k]; k++)
                if (tags[i] == hb_tag_from_string(keep_tables[k], 4)) keep = true;
            if (!keep) hb_set_add(drop, tags[i]);
        }
        start += count;
        if (start >= total) break;
    } while (count > 0);
    if (!hb_set_allocation_successful(drop)) vb_oom();
    return drop;
}

/* Open `path` into fi.  On failure adds an error naming the file. */
static bool face_open(FT_Library lib, const char *path, face_info *fi, vb_diag *d)
{
    FT_Face f = NULL;
    FT_Error e = FT_New_Face(lib, path, 0, &f);
    if (e != 0) {
        FILE *fp = fopen(path, "rb");
        if (!fp)
            vb_error(d, VB_EXIT_SYSTEM, "font: %s: cannot read: %s", path, strerror(errno));
        else {
            fclose(fp);
            vb_error(d, VB_EXIT_SYSTEM, "font: %s: not a usable TrueType font (FreeType error %d)",
                     path, (int)e);
        }
        return false;
    }
    memset(fi, 0, sizeof *fi);
    fi->ft = f;
    fi->path = vb_xstrdup(path);
    fi->base = (char *)base_name(fi->path);
    fi->family = vb_xstrdup(f->family_name ? f->family_name : "");
    fi->style = vb_xstrdup(f->style_name ? f->style_name : "");
    const char *ps = FT_Get_Postscript_Name(f);
    fi->psname = vb_xstrdup(ps ? ps : "");
    if (!FT_IS_SFNT(f) || !face_fill(fi)) {
        vb_error(d, VB_EXIT_SYSTEM, "font: %s: not a usable TrueType font (no Unicode cmap)", path);
        face_clear(fi);
        return false;
    }
    fi->hb_blob = hb_blob_create_from_file_or_fail(path);
    if (fi->hb_blob) fi->hb_face = hb_face_create(fi->hb_blob, 0);
    if (!fi->hb_face || hb_face_get_glyph_count(fi->hb_face) == 0) {
        vb_error(d, VB_EXIT_SYSTEM, "font: %s: not a usable TrueType font (HarfBuzz cannot read it)", path);
        face_clear(fi);
        return false;
    }
    hb_face_make_immutable(fi->hb_face);
    fi->hb_drop = tables_to_drop(fi->hb_face);
    return true;
}

/* ---- fonts_dir ---- */

static bool has_ttf_ext(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".ttf") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Which face a FreeType face is, from its style flags; -1 for odd weights
 * or widths (Condensed, Light…) so they never stand in for the regular. */
static int face_slot(FT_Face f)
{
    int slot = ((f->style_flags & FT_STYLE_FLAG_BOLD) ? 1 : 0) |
               ((f->style_flags & FT_STYLE_FLAG_ITALIC) ? 2 : 0);
    const char *st = f->style_name ? f->style_name : "";
    static const char *const ok[] = { "Regular", "Normal", "Roman", "Book", "Bold",
        "Italic", "Oblique", "Bold Italic", "BoldItalic", "Bold Oblique", "Italique",
        "Gras", "Gras Italique", NULL };
    for (int i = 0; ok[i]; i++) if (strcasecmp(st, ok[i]) == 0) return slot;
    return -1;
}

/* Look for all four faces in dir.  Returns 1 when found (f->face filled),
 * 0 when not (nothing kept), -1 on error. */
static int open_from_dir(vb_fonts *fs, const char *dir, const char *family, vb_diag *d)
{
    DIR *dp = opendir(dir);
    if (!dp) return 0;                               /* missing: not an error */
    char **names = NULL; size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (!has_ttf_ext(de->d_name)) continue;
        if (n == cap) { cap = cap ? cap * 2 : 16; names = vb_xrealloc(names, cap * sizeof *names); }
        names[n++] = vb_xstrdup(de->d_name);
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, cmp_str);

    int result = 0;
    char *paths[VB_FACE_COUNT] = { 0 };
    const family_info *fam = family_lookup(family);
    /* 1. the usual Windows file names, case-insensitive */
    if (fam)
        for (int k = 0; k < VB_FACE_COUNT; k++)
            for (size_t i = 0; i < n && !paths[k]; i++)
                if (strcasecmp(names[i], fam->files[k]) == 0) {
                    size_t len = strlen(dir) + strlen(names[i]) + 2;
                    paths[k] = vb_xmalloc(len);
                    snprintf(paths[k], len, "%s/%s", dir, names[i]);
                }
    /* 2. any *.ttf whose family name matches */
    bool all = true;
    for (int k = 0; k < VB_FACE_COUNT; k++) if (!paths[k]) all = false;
    if (!all) {
        FT_Face f;
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(dir) + strlen(names[i]) + 2;
            char *p = vb_xmalloc(len);
            snprintf(p, len, "%s/%s", dir, names[i]);
            bool taken = false;
            for (int k = 0; k < VB_FACE_COUNT; k++) if (paths[k] && strcmp(paths[k], p) == 0) taken = true;
            if (taken) { free(p); continue; }
            FT_Error e = FT_New_Face(fs->lib, p, 0, &f);
            if (e != 0) {
                vb_error(d, VB_EXIT_SYSTEM, "font: %s: cannot read or not a TrueType font (FreeType error %d)",
                         p, (int)e);
                free(p);
                result = -1;
                goto done;
            }
            int slot = (f->family_name && strcasecmp(f->family_name, family) == 0) ? face_slot(f) : -1;
            FT_Done_Face(f);
            if (slot >= 0 && !paths[slot]) paths[slot] = p;
            else free(p);
        }
    }
    int found = 0;
    for (int k = 0; k < VB_FACE_COUNT; k++) if (paths[k]) found++;
    if (found == VB_FACE_COUNT) {
        for (int k = 0; k < VB_FACE_COUNT; k++)
            if (!face_open(fs->lib, paths[k], &fs->face[k], d)) {
                for (int j = 0; j < k; j++) face_clear(&fs->face[j]);
                result = -1;
                goto done;
            }
        result = 1;
    } else if (found > 0) {
        for (int k = 0; k < VB_FACE_COUNT; k++)
            if (!paths[k]) {
                vb_warn(d, "font: %s: no %s %s file; using the installed fonts instead",
                        dir, family, face_style_name[k]);
                break;
            }
    }
done:
    for (int k = 0; k < VB_FACE_COUNT; k++) free(paths[k]);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return result;
}

/* ---- fontconfig ---- */

static bool family_acceptable(const char *got, const char *family, const family_info *fam)
{
    if (strcasecmp(got, family) == 0) return true;
    if (fam)
        for (int i = 0; fam->twins[i]; i++)
            if (strcasecmp(got, fam->twins[i]) == 0) return true;
    return false;
}

static void not_found(vb_diag *d, const char *family, const family_info *fam, int k)
{
    if (fam)
        vb_error(d, VB_EXIT_SYSTEM,
                 "font: cannot find \"%s\" or its metric twin %s (%s); install fonts-liberation2 "
                 "or put the %s files in fonts/", fam->family, fam->twins[0], face_style_name[k],
                 fam->family);
    else
        vb_error(d, VB_EXIT_SYSTEM, "font: cannot find \"%s\" (%s); put the %s files in fonts/",
                 family, face_style_name[k], family);
}

static bool open_from_fontconfig(vb_fonts *fs, const char *family, vb_diag *d)
{
    const family_info *fam = family_lookup(family);
    if (!FcInit()) {
        vb_error(d, VB_EXIT_SYSTEM, "font: cannot initialise fontconfig");
        return false;
    }
    for (int k = 0; k < VB_FACE_COUNT; k++) {
        bool bold = k & 1, italic = k & 2;
        /* Ask for the family itself first, then each twin by name, so a
         * configuration that aliases the family elsewhere cannot win. */
        const char *ask[4] = { family, NULL, NULL, NULL };
        if (fam) for (int i = 0; fam->twins[i] && i < 3; i++) ask[i + 1] = fam->twins[i];
        bool ok = false;
        for (int a = 0; a < 4 && ask[a] && !ok; a++) {
            FcPattern *pat = FcPatternCreate();
            if (!pat) vb_oom();
            FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)ask[a]);
            FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
            FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
            FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
            FcConfigSubstitute(NULL, pat, FcMatchPattern);
            FcDefaultSubstitute(pat);
            FcResult res;
            FcPattern *m = FcFontMatch(NULL, pat, &res);
            FcPatternDestroy(pat);
            if (!m) continue;
            FcChar8 *file = NULL, *fam_got = NULL;
            int weight = 0, slant = 0;
            bool fam_ok = false;
            for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &fam_got) == FcResultMatch; i++)
                if (family_acceptable((const char *)fam_got, family, fam)) fam_ok = true;
            if (fam_ok && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
                FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
                FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch &&
                (weight >= FC_WEIGHT_DEMIBOLD) == bold &&
                (slant != FC_SLANT_ROMAN) == italic) {
                if (!face_open(fs->lib, (const char *)file, &fs->face[k], d)) {
                    FcPatternDestroy(m);
                    return false;
                }
                ok = true;
            }
            FcPatternDestroy(m);
        }
        if (!ok) { not_found(d, family, fam, k); return false; }
    }
    return true;
}

/* fontconfig 2.14 leaks a few hundred bytes while parsing its configuration
 * in FcInit (inside expat callbacks; not reachable from any handle we
 * hold).  Tell LeakSanitizer, so `make check` judges only our own memory.
 * LSan looks this hook up by name; without a sanitizer it is never called. */
const char *__lsan_default_suppressions(void);
__attribute__((used)) const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
const char *__lsan_default_options(void);
__attribute__((used)) const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

/* ---- public ---- */

bool vb_fonts_open(const char *fonts_dir, const char *family, vb_fonts **out, vb_diag *d)
{
    *out = NULL;
    if (!family || !*family) family = "Times New Roman";
    vb_fonts *fs = vb_xcalloc(1, sizeof *fs);
    if (FT_Init_FreeType(&fs->lib) != 0) {
        vb_error(d, VB_EXIT_SYSTEM, "font: cannot initialise FreeType");
        free(fs);
        return false;
    }
    int r = fonts_dir && *fonts_dir ? open_from_dir(fs, fonts_dir, family, d) : 0;
    if (r < 0 || (r == 0 && !open_from_fontconfig(fs, family, d))) {
        vb_fonts_close(fs);
        return false;
    }
    /* DOCX names the family the rules name; with a twin that is `family`. */
    const family_info *fam = family_lookup(family);
    const char *got = fs->face[VB_FACE_REGULAR].family;
    fs->docx_family = vb_xstrdup(strcasecmp(got, family) == 0 ? got
                                 : fam ? fam->family : family);
    *out = fs;
    return true;
}

void vb_fonts_close(vb_fonts *f)
{
    if (!f) return;
    for (int k = 0; k < VB_FACE_COUNT; k++) face_clear(&f->face[k]);
    if (f->lib) FT_Done_FreeType(f->lib);
    free(f->docx_family);
    free(f);
}

static const face_info *get_face(const vb_fonts *f, vb_face face)
{
    return &f->face[(unsigned)face < VB_FACE_COUNT ? face : VB_FACE_REGULAR];
}

const char *vb_fonts_file(const vb_fonts *f, vb_face face) { return get_face(f, face)->path; }
const char *vb_fonts_family(const vb_fonts *f, vb_face face) { return get_face(f, face)->family; }
const char *vb_fonts_style(const vb_fonts *f, vb_face face) { return get_face(f, face)->style; }
const char *vb_fonts_psname(const vb_fonts *f, vb_face face) { return get_face(f, face)->psname; }
const char *vb_fonts_docx_family(const vb_fonts *f) { return f->docx_family; }

/* Advance of cp in font units, -1 when the face lacks it. */
static int32_t advance(const face_info *fi, uint32_t cp)
{
    if (cp < DIRECT_LIMIT) return fi->direct[cp];
    size_t lo = 0, hi = fi->nrest;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fi->rest[mid].cp < cp) lo = mid + 1;
        else hi = mid;
    }
    return lo < fi->nrest && fi->rest[lo].cp == cp ? fi->rest[lo].adv : -1;
}

static int32_t scale(int64_t units, int32_t size, int32_t upem)
{
    int64_t v = units * size;
    return (int32_t)(v >= 0 ? (v + upem / 2) / upem : -((-v + upem / 2) / upem));
}

bool vb_font_measure(const vb_fonts *f, vb_face face, int32_t size,
                     const char *s, size_t len, int32_t *width, int32_t *missing)
{
    const face_info *fi = get_face(f, face);
    const unsigned char *u = (const unsigned char *)s;
    int64_t sum = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp = u[i] < 0x80 ? u[i++] : utf8_next(u, len, &i);
        int32_t a = advance(fi, cp);
        if (a < 0) {
            if (missing) *missing = (int32_t)cp;
            if (width) *width = scale(sum, size, fi->upem);
            return false;
        }
        sum += a;
    }
    if (width) *width = scale(sum, size, fi->upem);
    return true;
}

bool vb_font_check(const vb_fonts *f, vb_face face, const char *s, const char *where, vb_diag *d)
{
    int32_t missing = 0;
    if (vb_font_measure(f, face, VB_PT, s, strlen(s), NULL, &missing)) return true;
    const face_info *fi = get_face(f, face);
    char ch[8] = "";
    uint32_t cp = (uint32_t)missing;
    if (cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0) && cp != 0xFFFD) {
        ch[0] = ' '; ch[1] = '\'';
        size_t n = (size_t)vb_utf8_put((int32_t)(cp), ch + 2);
        ch[2 + n] = '\''; ch[3 + n] = 0;
    }
    if (where)
        vb_error(d, VB_EXIT_INPUT, "%s: U+%04X%s is not in %s", where, cp, ch, fi->base);
    else
        vb_error(d, VB_EXIT_INPUT, "U+%04X%s is not in %s", cp, ch, fi->base);
    return false;
}

int32_t vb_font_ascent(const vb_fonts *f, vb_face face, int32_t size)
{
    const face_info *fi = get_face(f, face);
    return scale(fi->asc, size, fi->upem);
}

int32_t vb_font_descent(const vb_fonts *f, vb_face face, int32_t size)
{
    const face_info *fi = get_face(f, face);
    return scale(fi->desc, size, fi->upem);
}

void vb_font_describe(const vb_fonts *f, vb_face face, vb_font_desc *out)
{
    *out = get_face(f, face)->desc_info;
}

int32_t vb_font_advance(const vb_fonts *f, vb_face face, uint32_t cp)
{
    return advance(get_face(f, face), cp);
}

/* ---- subsetting ---- */

bool vb_font_subset(const vb_fonts *f, vb_face face, const uint32_t *cps, size_t ncps,
                    vb_buf *out, uint16_t *gids, vb_diag *d)
{
    const face_info *fi = get_face(f, face);
    bool ok = false;
    hb_face_t *hf = fi->hb_face;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    hb_face_t *sub = NULL;
    hb_blob_t *res = NULL;
    hb_font_t *font = NULL;
    if (!in) vb_oom();
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < ncps; i++) {
        hb_set_add(u, cps[i]);
        /* a face without U+00A0 sets it with the space's glyph (and back) */
        if (cps[i] == 0xA0) hb_set_add(u, 0x20);
        if (cps[i] == 0x20) hb_set_add(u, 0xA0);
    }

    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_clear(drop);
    hb_set_union(drop, fi->hb_drop);
    /* only the names a PDF reader shows (family, style, unique, full, version, PostScript) */
    hb_set_t *names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
    hb_set_clear(names);
    hb_set_add_range(names, 1, 6);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);

    sub = hb_subset_or_fail(hf, in);
    if (!sub) {
        vb_error(d, VB_EXIT_SYSTEM, "font: %s: subsetting failed", fi->path);
        goto out;
    }
    res = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(res, &len);
    if (!data || len == 0) {
        vb_error(d, VB_EXIT_SYSTEM, "font: %s: subsetting failed", fi->path);
        goto out;
    }
    if (gids) {
        /* the subset renumbers glyphs: ask its own cmap */
        font = hb_font_create(sub);
        for (size_t i = 0; i < ncps; i++) {
            hb_codepoint_t g = 0;
            if (!hb_font_get_nominal_glyph(font, cps[i], &g) &&
                !(cps[i] == 0xA0 && hb_font_get_nominal_glyph(font, 0x20, &g)) &&
                !(cps[i] == 0x20 && hb_font_get_nominal_glyph(font, 0xA0, &g))) {
                vb_error(d, VB_EXIT_SYSTEM, "font: %s: U+%04X is missing from its subset",
                         fi->path, (unsigned)cps[i]);
                goto out;
            }
            gids[i] = (uint16_t)g;
        }
    }
    vb_buf_add(out, data, len);
    ok = true;
out:
    if (font) hb_font_destroy(font);
    if (res) hb_blob_destroy(res);
    if (sub) hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    return ok;
}
