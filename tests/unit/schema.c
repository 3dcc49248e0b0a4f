/* Unit tests for schema.c: the repository's record format and types, and
 * every kind of mistake in a fields or type file, each named file:line.
 * Run from the repository root (it reads templates/). */
#include "check.h"
#include "schema.h"
#include "record.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static vb_arena *A;
static vb_diag D;
static char DIR_[64];

static void put(const char *rel, const char *text)
{
    char *p = vb_sprintf(A, "%s/templates/%s", DIR_, rel);
    FILE *f = fopen(p, "w");
    if (!f) { perror(p); exit(1); }
    fputs(text, f);
    fclose(f);
}

static const char *msg0(void) { return D.n ? D.items[0].msg : "(no message)"; }

/* A data folder: the repository's core, an own part, one party type. */
static void fresh(const char *core_extra, const char *part, const char *type)
{
    char *cmd = vb_sprintf(A, "rm -rf %s && mkdir -p %s/templates/parts %s/templates/party && "
                           "cp -r templates/groups %s/templates/", DIR_, DIR_, DIR_, DIR_);
    if (system(cmd) != 0) exit(1);
    char *core;
    size_t len;
    if (!vb_read_file("templates/core.fields", 1 << 20, &core, &len, &D)) exit(1);
    put("core.fields", vb_sprintf(A, "%s%s", core, core_extra));
    free(core);
    put("parts/notice.fields", part);
    /* the core's place is required with a resolution: that part must exist */
    char *res;
    if (!vb_read_file("templates/parts/resolution.fields", 1 << 20, &res, &len, &D)) exit(1);
    put("parts/resolution.fields", res);
    free(res);
    put("party/notice.type", type);
    put("party/notice.tpl", "body: x\n");
}

static const char PART[] =
    "notice  object | Thông báo | A notice.\n"
    "notice.subject  text  required | Trích yếu | Subject.\n";
static const char TYPE[] =
    "name = notice\ntitle = THÔNG BÁO\nabbr = TB\npart = notice\nholds = notice\ntemplate = notice.tpl\n";

/* Loading fails with exactly `want` as the first message. */
static void fails(const char *core_extra, const char *part, const char *type, const char *want)
{
    fresh(core_extra, part, type);
    vb_schema s;
    vb_diag_clear(&D);
    CHECK(!vb_schema_load(A, DIR_, &s, &D));
    CHECK(D.exit_code == VB_EXIT_INPUT);
    CHECK_STR(msg0(), vb_sprintf(A, want, DIR_, DIR_, DIR_));
}

static void test_repository(void)
{
    vb_schema s;
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, ".", &s, &D));
    CHECK(D.n == 0);
    CHECK(s.ntypes >= 20);    /* 10 a convention at least: the conference set */
    /* a công văn: no type code in state numbers, CV in the Party's */
    const vb_doctype *ls = vb_schema_type(&s, VB_STATE, "letter"), *lp = vb_schema_type(&s, VB_PARTY, "letter");
    CHECK(ls && lp && !*ls->abbr && !strcmp(lp->abbr, "CV") && !strcmp(ls->holds, "letter"));
    const vb_doctype *qd = vb_schema_type(&s, VB_STATE, "decision"), *tt = vb_schema_type(&s, VB_PARTY, "proposal");
    CHECK(qd && tt && !strcmp(qd->abbr, "QĐ") && !strcmp(tt->abbr, "TTr") && !strcmp(tt->title, "TỜ TRÌNH"));
    const vb_doctype *r = vb_schema_type(&s, VB_STATE, "resolution"), *m = vb_schema_type(&s, VB_PARTY, "minutes");
    CHECK(r && m);
    if (!r || !m) return;
    CHECK_STR(r->title, "NGHỊ QUYẾT");
    CHECK_STR(r->abbr, "NQ");
    /* every field's parent, as the record reader looks children up by it:
     * the field whose path is this one's up to its last dot */
    bool parents = s.parent != NULL;
    size_t nested = 0;
    for (size_t i = 0; parents && i < s.nfields; i++) {
        const char *p = s.fields[i].path, *dot = strrchr(p, '.');
        int want = dot ? vb_schema_find(&s, vb_strndup(A, p, (size_t)(dot - p))) : -1;
        if (dot && want < 0) want = -2;
        if (s.parent[i] != want) { parents = false; fprintf(stderr, "parent of %s: %d, not %d\n", p, s.parent[i], want); }
        if (want >= 0 && !strcmp(s.fields[want].path, "meeting")) nested++;
    }
    CHECK(parents);
    CHECK(nested > 3);
    CHECK(vb_schema_find(&s, "meeting.date") >= 0 && s.parent[vb_schema_find(&s, "meeting.date")] == vb_schema_find(&s, "meeting"));
    CHECK_STR(r->holds, "resolution");
    CHECK_STR(r->tpl, "./templates/state/resolution.tpl");
    CHECK_STR(m->title, "BIÊN BẢN");
    CHECK_STR(m->holds, "meeting");
    CHECK(vb_schema_type(&s, VB_PARTY, "memo") == NULL);
    /* the two rules that were C: the minutes need the meeting, the unit by convention */
    int mi = vb_schema_find(&s, "minutes"), un = vb_schema_find(&s, "meeting.members.unit");
    CHECK(mi >= 0 && s.fields[mi].needs && !strcmp(s.fields[mi].needs, "meeting"));
    CHECK(un >= 0 && s.fields[un].conv_default[VB_PARTY] && !strcmp(s.fields[un].conv_default[VB_PARTY], "đồng chí") &&
          s.fields[un].conv_default[VB_STATE] && !strcmp(s.fields[un].conv_default[VB_STATE], "thành viên"));
    /* the conference set: each its own abbreviation, its own part */
    static const char *const set[][3] = { { "notice", "TB", "THÔNG BÁO" }, { "invitation", "GM", "GIẤY MỜI" },
                                          { "plan", "KH", "KẾ HOẠCH" }, { "vote_count", "BBKP", "BIÊN BẢN KIỂM PHIẾU" } };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        for (int c = 0; c < 2; c++) {
            const vb_doctype *t = vb_schema_type(&s, c ? VB_STATE : VB_PARTY, set[i][0]);
            CHECK(t && !strcmp(t->abbr, set[i][1]) && !strcmp(t->title, set[i][2]) &&
                  !strcmp(t->part, set[i][0]) && !strcmp(t->holds, set[i][0]));
        }
    int vc = vb_schema_find(&s, "vote_count");
    CHECK(vc >= 0 && s.fields[vc].compute[0] && !strcmp(s.fields[vc].compute[0], "ballots"));
    int idate = vb_schema_find(&s, "invitation.date");
    CHECK(idate >= 0 && (s.fields[idate].flags & VB_F_REQ) && !s.fields[idate].default_from);
    int place = vb_schema_find(&s, "place");
    CHECK(place >= 0 && (s.fields[place].flags & VB_F_REQ_WITH) && !strcmp(s.fields[place].req_with, "resolution"));
    CHECK(place >= 0 && !strcmp(s.fields[place].label, "Địa danh"));
    int lvl = vb_schema_find(&s, "resolution.body.*.level");
    CHECK(lvl >= 0 && s.fields[lvl].type == VB_F_INT && s.fields[lvl].min == 1 && s.fields[lvl].max == 3);
    /* holds: the path present in a tree */
    vb_value *root = vb_value_new(A, VB_MAP);
    CHECK(!vb_schema_holds(r, root));
    vb_value_set(A, root, "resolution", vb_value_new(A, VB_MAP));
    CHECK(vb_schema_holds(r, root));
    CHECK(!vb_schema_holds(m, root));
}

static void test_mistakes(void)
{
    /* a good folder first: the cases below differ from it in one thing */
    fresh("", PART, TYPE);
    vb_schema s;
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, DIR_, &s, &D));
    CHECK(D.n == 0);
    CHECK(vb_schema_type(&s, VB_PARTY, "notice") != NULL);
    CHECK(vb_schema_known_path(&s, "notice.subject"));

    /* a group's fields go under the field that uses it, flags and all */
    fresh("", "notice  object | a | b\nnotice.body  list  required  fields:blocks | a | b\n"
              "notice.signature  object  fields:signature | a | b\n", TYPE);
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, DIR_, &s, &D));
    CHECK(D.n == 0);
    CHECK(vb_schema_known_path(&s, "notice.body.3.columns.0.title"));
    int hb = vb_schema_find(&s, "notice.body.*");
    CHECK(hb >= 0 && s.fields[hb].compute[0] && !strcmp(s.fields[hb].compute[0], "block"));
    int sn = vb_schema_find(&s, "notice.signature.name");
    CHECK(sn >= 0 && (s.fields[sn].flags & VB_F_REQ) && strstr(s.fields[sn].file, "groups/signature.fields"));
    CHECK(vb_schema_find(&s, "notice.signature.position") >= 0);

    fails("", "notice  object | a | b\nnotice.date  datum | Ngày | d\n", TYPE,
          "%s/templates/parts/notice.fields:2: unknown field type \"datum\" (object, list, text, texts, "
          "int:MIN..MAX, date, time, convention, id, cell, bool)");
    fails("", "notice  object | a | b\nnotice.subject  text | a | b\nnotice.subject  text | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:3: field \"notice.subject\" declared twice (first at "
          "%s/templates/parts/notice.fields:2)");
    fails("", "notice  object | a | b\nnotice.x.y  text | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: field \"notice.x.y\": its parent \"notice.x\" is not declared before it");
    fails("", "notice  object | a | b\nnotice.subject  text | a | b\nnotice.subject.*  text | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:3: field \"notice.subject.*\": its parent \"notice.subject\" is not a list");
    /* a list whose items are not declared (fuzz_schema: the reader read
     * the field before the table) */
    fails("", "notice  object | a | b\nnotice.subject  text | a | b\nnotice.items  list | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:3: list \"notice.items\" has no items: declare them on a line notice.items.*");
    fails("", "notice  object | a | b\nplace2  text | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: field \"place2\" is outside the part \"notice\" this file declares");
    fails("", "notice  object | a | b\nnotice.n  int | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: a number read from the record needs its range: int:MIN..MAX");
    fails("", "notice  object  mandatory | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: unknown flag \"mandatory\" (required, required-with:FIELD, nonempty, derived, "
          "as-list, compute:NAME, default-from:FIELD, fields:GROUP, needs:PART)");
    /* groups of fields (templates/groups) */
    fails("", "notice  object | a | b\nnotice.body  list  fields:nope | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: fields:nope: no such group (%s/templates/groups/nope.fields)");
    fails("", "notice  object | a | b\nnotice.body  text  fields:blocks | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: fields:blocks is for an object or a list");
    fails("", "notice  object | a | b\nnotice.body  list  fields:../x | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: fields:../x: a group's name is up to 40 of a-z 0-9 _");
    fails("", "notice  object | a | b\nnotice.body  list  fields:blocks | a | b\nnotice.body.*.heading  text | a\n", TYPE,
          "%s/templates/parts/notice.fields:3: field \"notice.body.*.heading\" declared twice (first at %s/templates/groups/blocks.fields:6)");
    fails("", "notice  object  compute:votes | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: unknown computation \"votes\" (meeting, numbering, block, table, ballots)");
    fails("", "notice  object | a | b\nnotice.body  list  compute:block | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: compute:block is for objects");
    fails("", "notice  object | a | b\nnotice.b  list | a | b\nnotice.b.*  object  compute:table | a\n", TYPE,
          "%s/templates/parts/notice.fields:3: compute:table needs compute:block just before it (the block's kind)");
    fails("", "notice  object  compute:meeting  compute:meeting | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: compute:meeting given twice");
    fails("", "notice  object | a | b\nnotice.body  text  as-list | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: as-list is for texts");
    fails("", "notice  object | a | b\nnotice.date  date  default-from:meeting.title | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: default-from:meeting.title names no field of the same type outside lists");
    fails("", "Notice  object | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: \"Notice\" is not a field path (dotted words of a-z 0-9 _, \"*\" for list items)");
    fails("", "notice  object  required-with:nothing | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: required-with:nothing names no top-level field");
    /* needs:PART: a part without which another is an error */
    fails("", "notice  object  needs:meetng | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: needs:meetng names no top-level object of the record format");
    fails("", "notice  object  needs:meeting.title | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: needs:meeting.title names no top-level object of the record format");
    fails("", "notice  object  needs:place | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: needs:place names no top-level object of the record format");
    fails("", "notice  object | a | b\nnotice.x  object  needs:meeting | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:2: needs:meeting: only a part (a top-level field) needs another, not \"notice.x\"");
    fails("", "notice  object  needs:notice | a | b\n", TYPE,
          "%s/templates/parts/notice.fields:1: needs:notice: a part cannot need itself");
    /* PATH default[CONV] = TEXT */
    fails("", "notice  object | a | b\nnotice.unit  text | a | b\nnotice.unit  default[parti] = đồng chí\n", TYPE,
          "%s/templates/parts/notice.fields:3: default[parti]: unknown convention \"parti\" (party, state)");
    fails("", "notice  object | a | b\nnotice.unit  default[party] = đồng chí\n", TYPE,
          "%s/templates/parts/notice.fields:2: default[party] for \"notice.unit\": no such field is declared before this line");
    fails("", "notice  object | a | b\nnotice.n  int:1..9 | a | b\nnotice.n  default[party] = 3\n", TYPE,
          "%s/templates/parts/notice.fields:3: default[party]: \"notice.n\" is not a text field outside lists that a record may leave out");
    fails("", "notice  object | a | b\nnotice.u  text  required | a | b\nnotice.u  default[state] = x\n", TYPE,
          "%s/templates/parts/notice.fields:3: default[state]: \"notice.u\" is not a text field outside lists that a record may leave out");
    fails("", "notice  object | a | b\nnotice.u  text | a | b\nnotice.u  default[party] = x\nnotice.u  default[party]=y\n", TYPE,
          "%s/templates/parts/notice.fields:4: default[party] of \"notice.u\" given twice (first at %s/templates/parts/notice.fields:3)");
    fails("", "notice  object | a | b\nnotice.u  text | a | b\nnotice.u  default[party] =  \n", TYPE,
          "%s/templates/parts/notice.fields:3: default[party] of \"notice.u\" is empty");
    fails("", "notice  object | a | b\nnotice.u  text | a | b | x\nnotice.u  default[party] = y\n", TYPE,
          "%s/templates/parts/notice.fields:3: default[party]: \"notice.u\" already has a default in its fourth column "
          "(%s/templates/parts/notice.fields:2); keep one of the two");
    fails("", "notice  object | a | b\nnotice.u  text | a | b\nnotice.u  default[party] x\n", TYPE,
          "%s/templates/parts/notice.fields:3: expected PATH default[CONVENTION] = TEXT");
    /* a good one: read, and what the docs say made from it */
    fresh("", "notice  object  needs:meeting | a | b\nnotice.u  text | a | b\n"
              "notice.u  default[state] = thành viên\nnotice.u  default[party]=đảng viên\n", TYPE);
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, DIR_, &s, &D));
    CHECK(D.n == 0);
    int nu = vb_schema_find(&s, "notice.u"), nn = vb_schema_find(&s, "notice");
    CHECK(nu >= 0 && nn >= 0);
    if (nu >= 0 && nn >= 0) {
        CHECK_STR(s.fields[nu].conv_default[VB_PARTY], "đảng viên");
        CHECK_STR(s.fields[nu].conv_default[VB_STATE], "thành viên");
        CHECK_STR(s.fields[nu].derive, "`đảng viên` (party) or `thành viên` (state) when absent");
        CHECK_STR(s.fields[nn].needs, "meeting");
    }
    /* in the core: the line after its last */
    {
        char *core;
        size_t len;
        int lines = 0, place = 0;
        if (vb_read_file("templates/core.fields", 1 << 20, &core, &len, &D)) {
            for (size_t i = 0; i < len; i++) {
                if ((i == 0 || core[i - 1] == '\n') && !strncmp(core + i, "place ", 6)) place = lines + 1;
                lines += core[i] == '\n';
            }
            free(core);
        }
        CHECK(place > 0);
        fails("place  text | a | b\n", PART, TYPE,
              vb_sprintf(A, "%%s/templates/core.fields:%d: field \"place\" declared twice (first at "
                         "%%s/templates/core.fields:%d)", lines + 1, place));
    }
    /* type files */
    fails("", PART, "name = notice\ntitle = T\nabbr = TB\npart = notice\nholds = notice\ntemplate = notice.tpl\ncolour = red\n",
          "%s/templates/party/notice.type:7: unknown key \"colour\" (name, title, abbr, part, holds, template)");
    fails("", PART, "name = notice\nabbr = TB\npart = notice\nholds = notice\ntemplate = notice.tpl\n",
          "%s/templates/party/notice.type:5: \"title\" is missing");
    fails("", PART, "name = notices\ntitle = T\npart = notice\nholds = notice\ntemplate = notice.tpl\n",
          "%s/templates/party/notice.type:1: name \"notices\" is not the file's name \"notice\"");
    fails("", PART, "name = notice\ntitle = T\npart = notic\nholds = notice\ntemplate = notice.tpl\n",
          "%s/templates/party/notice.type:3: part \"notic\" is not a top-level field of the record format");
    fails("", PART, "name = notice\ntitle = T\npart = notice\nholds = notice.subjet\ntemplate = notice.tpl\n",
          "%s/templates/party/notice.type:4: condition names an unknown field \"notice.subjet\" (not in the record format)");
    fails("", PART, "name = notice\ntitle = T\npart = notice\nholds = notice\ntemplate = ../notice.tpl\n",
          "%s/templates/party/notice.type:5: template \"../notice.tpl\" is not a FILE.tpl beside the type");
    fails("", PART, "name = notice\ntitle = T\npart = notice\nholds = notice\ntemplate = notis.tpl\n",
          "%s/templates/party/notice.type:5: template \"notis.tpl\" is missing (%s/templates/party/notis.tpl)");
    fails("", PART, "name = notice\nname = notice\n",
          "%s/templates/party/notice.type:2: \"name\" given twice (first on line 1)");
    /* no templates folder: a system error, as the engine says it */
    vb_diag_clear(&D);
    CHECK(!vb_schema_load(A, "/nonexistent", &s, &D));
    CHECK(D.exit_code == VB_EXIT_SYSTEM);
    CHECK_STR(msg0(), "/nonexistent/templates: no templates folder here (set VANBAN_DATA or --data)");
}

/* A new part takes the reader's computations by naming them: numbered
 * body blocks, a text seen as a list, a date defaulting to the meeting's. */
static void test_computations(void)
{
    fresh("", "notice  object  compute:numbering | a | b\n"
              "notice.date  date  default-from:meeting.date | a | b\n"
              "notice.intro  texts  as-list | a | b\n"
              "notice.intro.*  text | a\n"
              "notice.body  list  required | a | b\n"
              "notice.body.*  object  compute:block | a\n"
              "notice.body.*.heading  text | a | b\n"
              "notice.body.*.level  int:1..3 | a | b\n"
              "notice.body.*.paragraph  text | a | b\n"
              "notice.body.*.items  list | a | b\n"
              "notice.body.*.items.*  text | a\n"
              "notice.body.*.article  texts | a | b\n"
              "notice.body.*.article.*  text | a\n"
              "notice.body.*.title  text | a | b\n"
              "notice.body.*.kind  text  derived | a | b\n"
              "notice.body.*.number  int  derived | a | b\n"
              "notice.body.*.paragraphs  list  derived | a | b\n"
              "notice.body.*.paragraphs.*  text  derived | a\n", TYPE);
    vb_schema s;
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, DIR_, &s, &D));
    vb_diag_print(&D, stderr);
    static const char rec[] =
        "{\"convention\":\"party\",\"issuer\":{\"name\":\"X\",\"code\":\"X\"},"
        "\"meeting\":{\"title\":\"H\",\"date\":\"2024-05-06\"},"
        "\"notice\":{\"intro\":\"Mở đầu\",\"body\":[{\"heading\":\"A\"},{\"article\":\"Điều một\"},"
        "{\"heading\":\"B\"},{\"article\":[\"x\",\"y\"]}]}}";
    vb_record r;
    vb_diag_clear(&D);
    CHECK(vb_record_parse(&s, A, "n.json", 0, rec, strlen(rec), &r, &D));
    vb_diag_print(&D, stderr);
    if (!r.root) return;
    vb_value *v = vb_value_path(r.root, "notice.date");
    CHECK(v && v->kind == VB_STR && !strcmp(v->s, "2024-05-06"));
    v = vb_value_path(r.root, "notice.intro.0");
    CHECK(v && v->kind == VB_STR && !strcmp(v->s, "Mở đầu"));
    v = vb_value_path(r.root, "notice.body.2.number");
    CHECK(v && v->kind == VB_INT && v->i == 2);
    v = vb_value_path(r.root, "notice.body.3.number");
    CHECK(v && v->kind == VB_INT && v->i == 2);
    v = vb_value_path(r.root, "notice.body.1.paragraphs.0");
    CHECK(v && v->kind == VB_STR && !strcmp(v->s, "Điều một"));
    v = vb_value_path(r.root, "notice.body.0.kind");
    CHECK(v && v->kind == VB_STR && !strcmp(v->s, "heading"));
    /* no meeting to take the date from: required, in the reader's words */
    static const char nodate[] =
        "{\"convention\":\"party\",\"issuer\":{\"name\":\"X\",\"code\":\"X\"},"
        "\"notice\":{\"body\":[{\"paragraph\":\"p\"},{\"paragraph\":\"q\",\"heading\":\"h\"}]}}";
    vb_diag_clear(&D);
    CHECK(!vb_record_parse(&s, A, "n.json", 0, nodate, strlen(nodate), &r, &D));
    CHECK(D.errors == 2);
    CHECK_STR(D.n > 0 ? D.items[0].msg : "", "n.json: /notice/body/1: a block has exactly one of \"heading\", "
              "\"paragraph\", \"items\" or \"article\"; this one has \"heading\" and \"paragraph\"");
    CHECK_STR(D.n > 1 ? D.items[1].msg : "", "n.json: /notice/date: required field is missing (there is no "
              "meeting date to take it from)");
}

/* A part with tables names compute:table after compute:block and declares
 * the table's fields, cells of type cell; without it, "columns" is no kind
 * of block there (the messages name the four). */
static void test_tables(void)
{
    fresh("", "notice  object | a | b\n"
              "notice.body  list  required | a | b\n"
              "notice.body.*  object  compute:block  compute:table | a\n"
              "notice.body.*.paragraph  text | a | b\n"
              "notice.body.*.columns  list  nonempty | a | b\n"
              "notice.body.*.columns.*  object | a\n"
              "notice.body.*.columns.*.title  text  required | a | b\n"
              "notice.body.*.columns.*.kind  text | a | b\n"
              "notice.body.*.columns.*.align  text | a | b\n"
              "notice.body.*.rows  list  nonempty | a | b\n"
              "notice.body.*.rows.*  list  nonempty | a\n"
              "notice.body.*.rows.*.*  cell | a\n"
              "notice.body.*.kind  text  derived | a | b\n", TYPE);
    vb_schema s;
    vb_diag_clear(&D);
    CHECK(vb_schema_load(A, DIR_, &s, &D));
    vb_diag_print(&D, stderr);
    int cell = vb_schema_find(&s, "notice.body.*.rows.*.*");
    CHECK(cell >= 0 && s.fields[cell].type == VB_F_CELL);
    static const char rec[] =
        "{\"convention\":\"party\",\"issuer\":{\"name\":\"X\",\"code\":\"X\"},"
        "\"notice\":{\"body\":[{\"paragraph\":\"p\"},{\"columns\":[{\"title\":\"A\"},"
        "{\"title\":\"B\",\"kind\":\"number\"}],\"rows\":[[1,2500000],[\"x\",null]]}]}}";
    vb_record r;
    vb_diag_clear(&D);
    CHECK(vb_record_parse(&s, A, "n.json", 0, rec, strlen(rec), &r, &D));
    vb_diag_print(&D, stderr);
    if (r.root) {
        vb_value *v = vb_value_path(r.root, "notice.body.1.kind");
        CHECK(v && v->kind == VB_STR && !strcmp(v->s, "table"));
        v = vb_value_path(r.root, "notice.body.1.rows.0.1");
        CHECK(v && v->kind == VB_STR && !strcmp(v->s, "2.500.000"));
        v = vb_value_path(r.root, "notice.body.1.header_rows");
        CHECK(v && v->kind == VB_INT && v->i == 1);
    }
    static const char bad[] =
        "{\"convention\":\"party\",\"issuer\":{\"name\":\"X\",\"code\":\"X\"},"
        "\"notice\":{\"body\":[{\"paragraph\":\"p\",\"columns\":[{\"title\":\"A\"}]},"
        "{\"columns\":[{\"title\":\"A\",\"kind\":\"number\"}],\"rows\":[[\"x\"]]}]}}";
    vb_diag_clear(&D);
    CHECK(!vb_record_parse(&s, A, "n.json", 0, bad, strlen(bad), &r, &D));
    CHECK(D.errors == 2);
    CHECK_STR(D.n > 0 ? D.items[0].msg : "", "n.json: /notice/body/0: a block has exactly one of \"heading\", "
              "\"paragraph\", \"items\", \"article\" or \"columns\"; this one has \"paragraph\" and \"columns\"");
    CHECK_STR(D.n > 1 ? D.items[1].msg : "", "n.json: /notice/body/1/rows/0/0: expected a number (column 1, "
              "\"A\", is a number column), got \"x\"");
}

int main(void)
{
    A = vb_arena_new();
    vb_diag_init(&D);
    snprintf(DIR_, sizeof DIR_, "/tmp/vb-unit-schema.%d", (int)getpid());
    test_repository();
    test_mistakes();
    test_computations();
    test_tables();
    if (system(vb_sprintf(A, "rm -rf %s", DIR_)) != 0) CHECK(!"cleanup");
    vb_diag_free(&D);
    vb_arena_free(A);
    return CHECK_DONE("schema");
}
