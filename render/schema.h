/* schema.h — the record format and the document types, as data.
 *
 * Read at run time from the data folder (templates/README.md, "Document
 * types"):
 *   templates/core.fields          the fields every record shares
 *   templates/parts/PART.fields    the fields of one part of a record
 *   templates/CONV/TYPE.type       a document type: name, title, abbreviation,
 *                                  the part it reads, when a record holds it,
 *                                  its template
 * Everything is checked on load; a mistake is a message naming file:line
 * (VB_EXIT_INPUT).  The record reader (record.c) checks a record against
 * the union of the core and every part; the template loader checks paths
 * against it; `check` and `batch` render the types a record holds. */
#ifndef VB_SCHEMA_H
#define VB_SCHEMA_H

#include "vb.h"
#include "text.h"

typedef enum {
    VB_F_OBJ,      /* JSON object */
    VB_F_LIST,     /* JSON array; items described by "PATH.*" */
    VB_F_TEXT,     /* string */
    VB_F_TEXTS,    /* string, or array of strings ("PATH.*") */
    VB_F_INT,      /* JSON integer in min..max */
    VB_F_DATE,     /* "YYYY-MM-DD", a real calendar date */
    VB_F_TIME,     /* "HH:MM" */
    VB_F_CONV,     /* "party" | "state" */
    VB_F_ID,       /* output base name */
    VB_F_CELL,     /* a table cell: text, a number, or null (blank) */
    VB_F_BOOL      /* true or false (an appendix's landscape) */
} vb_ftype;

enum {
    VB_F_REQ = 1,        /* must be present (within its parent) */
    VB_F_REQ_WITH = 2,   /* must be present when the record has req_with */
    VB_F_NONEMPTY = 4,   /* list: at least one item; text: not blank if given */
    VB_F_DERIVED = 8,    /* computed by vanban; never read from the record */
    VB_F_AS_LIST = 16    /* texts: templates always see a list */
    /* needs:FIELD and default[CONV] lines: vb_field.needs, .conv_default */
};

/* The computations the record reader (record.c) runs on an object once its
 * fields are checked, named by `compute:NAME` in a fields file:
 *   meeting    start <= end, attendance, vote counts and percentages
 *   numbering  numbers the headings and articles of the object's `body`
 *   block      a body block: its kind, heading level, article paragraphs
 *   table      a table block (after block, which names the kind): cells
 *              against their columns, numbers as printed, defaults
 *   ballots    a vote count: each item's ballots (received <= issued,
 *              valid + invalid = received), each result's votes <= valid,
 *              percentages of the base (valid ballots by default)
 * An object may name several, run in the order written. */
extern const char *const vb_computations[];   /* NULL-terminated */
#define VB_MAX_COMPUTE 4

typedef struct vb_field {
    const char *path;      /* dotted, "*" for list items */
    vb_ftype type;
    unsigned flags;
    int64_t min, max;      /* VB_F_INT */
    const char *req_with;  /* VB_F_REQ_WITH: a top-level field */
    const char *compute[VB_MAX_COMPUTE];  /* objects: of vb_computations, in order; NULL ends */
    const char *default_from;  /* absent: the value of this path (no "*") */
    const char *label;     /* Vietnamese name, for forms and messages */
    const char *doc;       /* meaning (docs/record-format.md); NULL: none */
    const char *derive;    /* default or derived value, for the docs (made from
                            * conv_default when that is given) */
    const char *needs;     /* a part: the top-level field it cannot do without
                            * (`needs:FIELD`, "minutes need the meeting block") */
    const char *conv_default[2];  /* text when absent, by vb_convention
                                   * (`PATH default[party] = TEXT` lines) */
    int conv_default_line[2];
    const char *file;      /* where it was declared */
    int line;
} vb_field;

typedef struct vb_doctype {
    vb_convention conv;
    const char *name;      /* "resolution": -t NAME, output NAME.pdf */
    const char *title;     /* as printed: "NGHỊ QUYẾT" */
    const char *abbr;      /* for the number line: "NQ"; "" for none */
    const char *part;      /* the part of the record it reads */
    const char *holds;     /* a record holds it when this path is present */
    const char *tpl;       /* path of its template */
    const char *file;      /* the .type file */
} vb_doctype;

typedef struct vb_schema {
    vb_field *fields; size_t nfields;
    int *parent;           /* per field: its parent's index, -1 top level, -2 none
                            * declared (the record reader looks children up by it) */
    vb_doctype *types; size_t ntypes;   /* by convention, then name */
} vb_schema;

/* Read the core, every part and every type under datadir/templates.
 * Everything goes into arena a. */
bool vb_schema_load(vb_arena *a, const char *datadir, vb_schema *out, vb_diag *d);

/* Index of the field with this normalised path ("*" for items), or -1. */
int vb_schema_find(const vb_schema *s, const char *path);
/* Is this a field a template may read?  Numeric segments are list
 * indexes ("minutes.signatures.0.name").  Derived fields count. */
bool vb_schema_known_path(const vb_schema *s, const char *path);

/* The type `name` of a convention, or NULL. */
const vb_doctype *vb_schema_type(const vb_schema *s, vb_convention c, const char *name);
/* Does a record (its checked tree) hold this document? */
bool vb_schema_holds(const vb_doctype *t, const vb_value *root);

#endif
