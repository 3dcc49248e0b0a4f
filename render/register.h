/* register.h — the outgoing register (sổ đăng ký văn bản đi) in SQLite.
 *
 * One file, WAL mode, a busy timeout: several threads (each with its own
 * vb_register) and several vanban processes may use one register at once.
 * Every change is a `BEGIN IMMEDIATE` transaction, so two takers never get
 * one number.  docs/register.md is the user's side of this.
 *
 * A number is taken and written in one transaction (vb_reg_prepare ...
 * vb_reg_finish): prepare locks the register, decides the document's number
 * (the one its record gives, checked; the one it already has in the
 * register, when the same record and type is issued again; else the next
 * of its series) and puts it into the record tree; the caller renders and
 * writes the output; finish commits only when that succeeded and rolls
 * back otherwise, so a failed render never leaves a gap.  The lock is held
 * for one document's render: numbers are taken one at a time, as a clerk
 * does.
 *
 * The series of a document is data: `[register] series = issuer+year`
 * (Decree 30 Art. 15) or `issuer+type+term` (Guide 36) in the rule file
 * (style.h: vb_style.reg_series).  A Party term comes from the record's
 * issuer.term or from the register's own term (vb_reg_set_term).
 *
 * A vb_register is used by one thread at a time.  Errors go to vb_diag:
 * a file that is not a register is VB_EXIT_INPUT, a lock not obtained in
 * time and I/O are VB_EXIT_SYSTEM. */
#ifndef VB_REGISTER_H
#define VB_REGISTER_H

#include "vb.h"
#include "record.h"
#include "schema.h"
#include "style.h"

typedef struct vb_register vb_register;

/* How long a taker waits for another one's lock, ms (VANBAN_REGISTER_TIMEOUT
 * overrides it). */
#define VB_REG_TIMEOUT_MS 60000

/* Open a register file; create: make it when missing (and a fresh file
 * gets the tables).  A file that exists but is not SQLite, or is SQLite
 * but not a register, is an error naming it. */
bool vb_reg_open(const char *path, bool create, vb_register **out, vb_diag *d);
void vb_reg_close(vb_register *r);
const char *vb_reg_path(const vb_register *r);

/* The register's Party term ("2020-2025"), used when a record has no
 * issuer.term; NULL when none was set.  Set: YYYY-YYYY, checked. */
const char *vb_reg_term(vb_register *r, vb_arena *a);
bool vb_reg_set_term(vb_register *r, const char *term, vb_diag *d);

/* One line of the register: the columns of Decree 30 Appendix IV, then
 * what vanban adds (series, record, outputs, status).  Strings are never
 * NULL ("" when unknown). */
typedef struct vb_reg_entry {
    int64_t seq;               /* order of entry in the register */
    const char *series;        /* "state|Hội đồng nhân dân xã An Bình|2024" */
    int64_t number;
    const char *numsym;        /* "07/NQ-HĐND", "15-NQ/ĐUK" */
    const char *date;          /* the document's date, YYYY-MM-DD */
    const char *convention;    /* party | state */
    const char *issuer;        /* the issuing body's name */
    int year;                  /* of the date */
    const char *term;          /* Party: "2020-2025"; "" for state */
    const char *type;          /* resolution, minutes */
    const char *type_title;    /* NGHỊ QUYẾT */
    const char *summary;       /* trích yếu */
    const char *signer;        /* position and name */
    const char *recipients;    /* "; " between them */
    const char *keeper;        /* unit or person keeping the file copy ("Lưu: VT, …") */
    int copies;                /* one a recipient line */
    const char *sent;          /* date sent; "" until filled in */
    const char *received;      /* who received it; "" until filled in */
    const char *notes;
    const char *record;        /* record id */
    const char *source;        /* the record's file (and line) */
    const char *outputs;       /* the files written, "; " between them */
    const char *status;        /* issued | withdrawn | reserved */
} vb_reg_entry;

/* The register line of one document of a record, without its number: the
 * columns from the record and its type, the series from the style's rule
 * (`term` is the register's, for a record without issuer.term).  Errors
 * (no date, no term for a Party series) name the record and field. */
bool vb_reg_describe(vb_arena *a, const vb_style *st, const vb_doctype *t, const vb_record *rec,
                     const char *term, vb_reg_entry *out, vb_diag *d);

/* A document being numbered: between prepare and finish the register is
 * locked (a transaction is open). */
typedef struct vb_reg_ticket {
    vb_reg_entry e;            /* number and numsym set by prepare */
    bool given;                /* the record gave the number */
    bool again;                /* the register held this record and type already */
    bool open;                 /* a transaction is open */
    bool was_issued;           /* again, and issued before: a plan never makes it reserved */
    /* set by the caller between prepare and finish: the record as sent
     * (JSON), kept with the line so that the document can be made again
     * (vanban serve); NULL: none kept */
    const char *keep_record;
    size_t keep_len;
} vb_reg_ticket;

/* Lock the register, describe the document, decide its number and write
 * it into the record tree (PART.number; the part is made when absent).
 * A number the record gives that belongs to another document of the
 * series is a duplicate: an error naming both, the register unlocked. */
bool vb_reg_prepare(vb_register *r, vb_arena *a, const vb_style *st, const vb_doctype *t, const vb_record *rec,
                    vb_reg_ticket *tk, vb_diag *d);
/* The number into the record tree, as prepare puts it: PART.number, the
 * part made when absent (also for a plan and a document made again). */
void vb_reg_set_number(vb_arena *a, const vb_record *rec, const vb_doctype *t, int64_t number);
/* ok: the outputs (names, "; " between them) are written: record the line
 * with `status` ("issued", or "reserved" for a plan) and commit; tk->e.seq
 * is then the line's.
 * !ok: roll back; the number stays free.  False when the commit failed
 * (then the caller removes the outputs). */
bool vb_reg_finish(vb_register *r, vb_reg_ticket *tk, bool ok, const char *outputs, const char *status,
                   vb_diag *d);

/* After a sharded batch: the line of this record, type and number that
 * is reserved becomes issued; *changed: 1 (also when it was issued
 * already: confirming twice is harmless), or 0 when there is no such line
 * or it is withdrawn. */
bool vb_reg_confirm(vb_register *r, const char *record, const char *type, const char *numsym, size_t *changed,
                    vb_diag *d);

/* A plan: the numbers `vanban batch --register FILE --reserve PLAN`
 * took (status reserved), one line a document, tab-separated:
 *     record-id  type  number  number-and-symbol  source
 * so that the shards of a batch number their documents with no shared
 * register (--numbers PLAN), and `vanban register FILE confirm PLAN`
 * marks them issued afterwards. */
typedef struct vb_reg_plan vb_reg_plan;
void vb_reg_plan_line(const vb_reg_ticket *tk, vb_buf *out);
bool vb_reg_plan_load(const char *path, vb_reg_plan **out, vb_diag *d);
void vb_reg_plan_free(vb_reg_plan *p);
/* Put the plan's number of this document into the record tree; a record
 * that gives another number, or a document the plan lacks, is an error. */
bool vb_reg_plan_apply(const vb_reg_plan *p, vb_arena *a, const vb_doctype *t, const vb_record *rec, vb_diag *d);

/* Lines of the register, in order of entry; year > 0: of that year only.
 * Strings in a. */
bool vb_reg_list(vb_register *r, vb_arena *a, int year, vb_reg_entry **out, size_t *n, vb_diag *d);

/* Line `seq`: *found false when there is none. */
bool vb_reg_get(vb_register *r, vb_arena *a, int64_t seq, vb_reg_entry *out, bool *found, vb_diag *d);

/* The record kept with line `seq` (vb_reg_ticket.keep_record): *json
 * (in a, NUL-terminated) and *len; *found false when none was kept (a
 * line of vanban batch, or a register made before records were kept).
 * json NULL: only whether one is kept. */
bool vb_reg_kept(vb_register *r, vb_arena *a, int64_t seq, const char **json, size_t *len, bool *found,
                 vb_diag *d);

/* Withdraw a document by its number and symbol ("07/NQ-HĐND"; year 0: the
 * only one so written, else an error listing the years): marked
 * withdrawn, the note says why; its number is never given again. */
bool vb_reg_withdraw(vb_register *r, const char *numsym, int year, const char *why, vb_diag *d);

/* What a clerk writes into a line after issuing (Decree 30 Appendix IV
 * columns 7 to 10): the day it was sent (YYYY-MM-DD, not before the
 * document's date) and who received it (the receiver signs beside the
 * name in the printed register), a note (after the notes there, "; "
 * between), the number of copies (kept when the document is registered
 * again).  NULL or 0: unchanged. */
#define VB_REG_MAX_COPIES 9999
typedef struct vb_reg_fill {
    const char *sent;
    const char *received;
    const char *note;
    int copies;
} vb_reg_fill;

/* Fill in the line of this number and symbol (year 0: the only one so
 * written).  Not in the register: an error naming it (exit 1); withdrawn
 * or only reserved: an error, but for a note; a malformed value: a usage
 * error.  *before (may be NULL): the line as it was. */
bool vb_reg_fill_in(vb_register *r, vb_arena *a, const char *numsym, int year, const vb_reg_fill *f,
                    vb_reg_entry *before, vb_diag *d);

/* Is this number and symbol in the register (year 0: in any year)?
 * *found gets the line; written in several years, an error listing them. */
bool vb_reg_find(vb_register *r, vb_arena *a, const char *numsym, int year, vb_reg_entry *found, bool *ok,
                 vb_diag *d);

/* A number and symbol as typed: "07/NQ-HĐND" (state: number / symbol) or
 * "15-NQ/ĐUK" (Party: number - symbol), optionally after "Số:" or "Số".
 * Spaces around the parts are dropped; the number is 1..999999999, the
 * symbol non-empty valid UTF-8 without spaces or control characters.
 * Out: the number, the canonical form (two digits at least:
 * "07/NQ-HĐND") in a.  False with a message naming `what` otherwise. */
bool vb_reg_parse_numsym(vb_arena *a, const char *what, const char *s, int64_t *number, const char **canon,
                         vb_diag *d);

/* CSV of the lines (RFC 4180, UTF-8, a header row of the Appendix IV
 * columns in Vietnamese, then vanban's).  A cell a spreadsheet would run
 * as a formula (first =, +, -, @, tab or CR, and not a plain number such
 * as -5) starts with a ' (OWASP, CSV injection). */
void vb_reg_csv(const vb_reg_entry *e, size_t n, vb_buf *out);

/* The printed register: a document of the style `st` (its page turned to
 * landscape) with a title and one table of the Appendix IV columns.  The
 * caller lays it out and writes it like any document. */
struct vb_doc;
bool vb_reg_print(const vb_style *st, const vb_reg_entry *e, size_t n, int year, struct vb_doc **out,
                  vb_diag *d);

#endif
