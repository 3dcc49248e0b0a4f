/* record.h — reading and checking a meeting record.
 *
 * A record is JSON in the reference shape (docs/record-format.md).  Reading
 * checks it completely and reports every problem at once, each naming the
 * file, the JSON path and what was expected:
 *   haiphong.json: /resolution/date: expected YYYY-MM-DD, got "28/12/2021"
 * Invalid UTF-8 is reported with its byte offset.  Every string is
 * normalised to NFC, so a record typed in NFD gives the same document.
 * The result is a vb_value tree (vb.h) with derived fields added for the
 * templates (see vb_record_parse).  jansson stays inside record.c. */
#ifndef VB_RECORD_H
#define VB_RECORD_H

#include "vb.h"
#include "text.h"
#include "schema.h"

/* Limits (documented in docs/record-format.md); beyond them a record is
 * rejected with a clear message, never unbounded memory or time. */
#define VB_MAX_RECORD_BYTES   (4u << 20)   /* 4 MiB per record */
#define VB_MAX_STRING_BYTES   (64u << 10)  /* 64 KiB per string value */
#define VB_MAX_LIST_ITEMS     5000         /* items in any one list */
#define VB_MAX_DEPTH          16           /* JSON nesting depth */
#define VB_MAX_NUMBER         999999999    /* any integer field */

typedef struct vb_record {
    const char *file;          /* as given, for messages */
    int line;                  /* JSON Lines: 1-based line; 0 for a file */
    vb_convention convention;
    vb_value *root;            /* validated tree with derived fields; which
                                  documents it holds: vb_schema_holds */
    const char *id;            /* output base name: record's "id" field if
                                  valid, else the file name without .json
                                  (JSON Lines: name-LINE) */
} vb_record;

/* Parse and check one record from memory against the record format s
 * (schema.h: the core and every part, from the data folder).  `file` and `line` are used in
 * messages ("more.jsonl:12: /meeting/date: …" when line > 0).  All strings
 * go into arena a.  Returns false with every problem in d (VB_EXIT_INPUT).
 *
 * Derived fields added to the tree (templates read them like the others):
 *   resolution.date            defaults to meeting.date
 *   resolution.body[i].kind    "heading" | "paragraph" | "items" | "article"
 *                              | "table"
 *   resolution.body[i].level   headings: 1 when absent
 *   resolution.body[i].number  headings: ordinal within its level, reset by
 *                              a heading of a higher level; articles: 1, 2…
 *   resolution.body[i].paragraphs  articles: the text as a list
 *   resolution.body[i] tables: header_rows (1), columns[k].kind ("text"),
 *                              columns[k].align; every cell a string as
 *                              printed ("1.250.000.000", "7,5"), rows padded
 *                              to the columns
 *   meeting.members.absent     total - present
 *   meeting.members.unit       default "đồng chí" (party) / "thành viên" (state):
 *                              core.fields' default[CONV] lines (any such field)
 *   meeting.votes[i].base      vote's own "base" or members.total
 *   meeting.votes[i].for_pct, against_pct, abstain_pct   "94,29%"
 *   meeting.votes[i].voted     for + against + abstain
 *   vote_count.items[i] (compute:ballots): ballots (the shared ones when
 *                              absent), pct_base, base_valid,
 *                              results[k].pct "94,29%"; errors for
 *                              received > issued, valid + invalid !=
 *                              received, votes > valid
 */
bool vb_record_parse(const vb_schema *s, vb_arena *a, const char *file, int line,
                     const char *data, size_t len, vb_record *out, vb_diag *d);
/* Read a file (limit VB_MAX_RECORD_BYTES) and parse it. */
bool vb_record_load(const vb_schema *s, vb_arena *a, const char *path, vb_record *out, vb_diag *d);

/* The field tables of docs/record-format.md, generated from the record
 * format's files (the unit test fails when the docs drift from them). */
void vb_record_fields_markdown(const vb_schema *s, vb_buf *out);

#endif
