/* Unit tests for record.c: the sample record, derived fields, NFC, every
 * class of error message, hostile input, vb_record_known_path and the
 * field tables of docs/record-format.md.  Run from the repository root. */
#include "check.h"
#include "record.h"

#include <stdlib.h>

/* In record.c, not in record.h: the generated field tables of the docs. */

static vb_arena *A;
static vb_diag D;
static vb_record R;
static vb_schema S;      /* the repository's templates/core.fields and parts/ */

static bool holds(const char *type)
{
    const vb_doctype *t = vb_schema_type(&S, R.convention, type);
    return t && vb_schema_holds(t, R.root);
}

static bool parse_at(const char *file, int line, const char *json, size_t len)
{
    vb_diag_clear(&D);
    return vb_record_parse(&S, A, file, line, json, len, &R, &D);
}
static bool parse(const char *json) { return parse_at("x.json", 0, json, strlen(json)); }

static const char *msg(size_t i) { return i < D.n ? D.items[i].msg : "(no message)"; }

/* base with the first occurrence of `from` replaced by `to`. */
static const char *edit(const char *base, const char *from, const char *to)
{
    const char *p = strstr(base, from);
    if (!p) { fprintf(stderr, "edit: '%s' not found\n", from); abort(); }
    return vb_sprintf(A, "%.*s%s%s", (int)(p - base), base, to, p + strlen(from));
}

static const char *str(const vb_value *root, const char *path)
{
    vb_value *v = vb_value_path(root, path);
    return v && v->kind == VB_STR ? v->s : NULL;
}
static int64_t num(const vb_value *root, const char *path)
{
    vb_value *v = vb_value_path(root, path);
    return v && v->kind == VB_INT ? v->i : -12345;
}

/* Exactly one error, with this text. */
#define ONE_ERROR(json, want) do { \
    CHECK(!parse(json)); CHECK(D.errors == 1); CHECK(D.exit_code == VB_EXIT_INPUT); \
    CHECK_STR(msg(0), want); } while (0)

/* "the record holds no document", naming the conditions (meeting, resolution, …) */
static bool holds_none(const char *m)
{
    static const char want[] = "x.json: /: record holds no document: it has none of ";
    if (!m || strncmp(m, want, sizeof want - 1)) { printf("  got: %s\n", m ? m : "(none)"); return false; }
    return strstr(m, " meeting") && strstr(m, " resolution");
}

static const char BASE[] =
    "{\"convention\":\"party\","
    "\"issuer\":{\"name\":\"Đảng ủy Khối\",\"code\":\"ĐUK\"},"
    "\"place\":\"Hải Phòng\","
    "\"meeting\":{\"title\":\"Hội nghị\",\"date\":\"2021-12-28\",\"start\":\"08:00\",\"end\":\"11:30\","
    "\"members\":{\"total\":35,\"present\":33},"
    "\"votes\":[{\"motion\":\"A\",\"for\":33},{\"motion\":\"B\",\"for\":30,\"against\":2,\"abstain\":1},"
    "{\"motion\":\"C\",\"for\":33,\"against\":0}]},"
    "\"resolution\":{\"number\":15,\"subject\":\"về x\",\"body\":[{\"paragraph\":\"P\"}],"
    "\"signature\":{\"position\":\"Bí thư\",\"name\":\"Đỗ Quang Khoa\"}}}";

static void test_sample(void)
{
    vb_diag_clear(&D);
    CHECK(vb_record_load(&S, A, "samples/haiphong-2021-12-28.json", &R, &D));
    CHECK(D.n == 0);
    vb_diag_print(&D, stderr);
    vb_value *r = R.root;
    CHECK(r != NULL);
    if (!r) return;
    CHECK_STR(R.id, "haiphong-2021-12-28");
    CHECK(R.convention == VB_PARTY);
    CHECK(holds("resolution") && holds("minutes"));
    CHECK(R.line == 0);
    CHECK_STR(str(r, "resolution.body.0.kind"), "heading");
    CHECK(num(r, "resolution.body.0.number") == 1);
    CHECK(num(r, "resolution.body.0.level") == 1);
    CHECK_STR(str(r, "resolution.body.1.kind"), "paragraph");
    CHECK(vb_value_path(r, "resolution.body.1.number") == NULL);
    CHECK(num(r, "resolution.body.6.number") == 2);            /* second level-1 */
    /* the seven level-2 headings under the second level-1 heading: 1..7 */
    vb_value *body = vb_value_path(r, "resolution.body");
    int64_t want2 = 1, top = 0;
    int items = 0;
    for (size_t i = 0; body && i < body->n; i++) {
        vb_value *b = body->items[i];
        const char *kind = str(b, "kind");
        if (strcmp(kind, "items") == 0) items++;
        if (strcmp(kind, "heading") != 0) continue;
        if (num(b, "level") == 1) { CHECK(num(b, "number") == ++top); continue; }
        CHECK(num(b, "level") == 2);
        CHECK(num(b, "number") == want2);
        want2++;
    }
    CHECK(want2 == 8);
    CHECK(top == 3);
    CHECK(items == 8);
    CHECK_STR(str(r, "resolution.date"), "2021-12-28");
    CHECK(num(r, "resolution.number") == 15);
    CHECK(num(r, "meeting.members.absent") == 2);
    CHECK_STR(str(r, "meeting.members.unit"), "đồng chí");
    CHECK(num(r, "meeting.votes.0.base") == 35);
    CHECK(num(r, "meeting.votes.0.voted") == 33);
    CHECK_STR(str(r, "meeting.votes.0.for_pct"), "94,29%");     /* 33 of 35 members */
    CHECK_STR(str(r, "meeting.votes.2.against_pct"), "0,00%");
    CHECK_STR(str(r, "meeting.votes.2.abstain_pct"), "0,00%");
    CHECK_STR(str(r, "meeting.absent.1.reason"), "nghỉ ốm, có báo cáo bằng văn bản");
    CHECK_STR(str(r, "minutes.signatures.1.authority"), "T/M Ban Chấp hành");
    CHECK(num(r, "minutes.number") == 42);
    /* keys keep the record's order; derived ones come after */
    CHECK_STR(r->keys[0], "convention");
    CHECK_STR(r->keys[3], "meeting");
    vb_value *m = vb_value_path(r, "meeting.members");
    CHECK(m && m->n == 4 && strcmp(m->keys[0], "total") == 0 && strcmp(m->keys[2], "absent") == 0);
}

static void test_derived(void)
{
    CHECK(parse(BASE));
    CHECK(D.n == 0);
    vb_value *r = R.root;
    CHECK_STR(R.id, "x");
    CHECK_STR(str(r, "resolution.date"), "2021-12-28");      /* from the meeting */
    CHECK(num(r, "meeting.votes.1.voted") == 33);
    CHECK_STR(str(r, "meeting.votes.1.for_pct"), "85,71%");
    CHECK_STR(str(r, "meeting.votes.1.against_pct"), "5,71%");
    CHECK_STR(str(r, "meeting.votes.1.abstain_pct"), "2,86%");
    CHECK_STR(str(r, "meeting.votes.0.against_pct"), "0,00%");  /* absent counts 0 */
    CHECK(vb_value_path(r, "meeting.votes.0.against") == NULL);
    /* a vote's own base */
    CHECK(parse(edit(BASE, "{\"motion\":\"A\",\"for\":33}", "{\"motion\":\"A\",\"for\":33,\"base\":33}")));
    CHECK_STR(str(R.root, "meeting.votes.0.for_pct"), "100,00%");
    CHECK(num(R.root, "meeting.votes.0.base") == 33);
    /* state convention: default unit; explicit unit kept */
    CHECK(parse(edit(BASE, "\"party\"", "\"state\"")));
    CHECK(R.convention == VB_STATE);
    CHECK_STR(str(R.root, "meeting.members.unit"), "thành viên");
    CHECK(parse(edit(BASE, "\"present\":33", "\"present\":33,\"unit\":\"cổ phần\"")));
    CHECK_STR(str(R.root, "meeting.members.unit"), "cổ phần");
    /* no present: no absent count, votes checked against the total */
    CHECK(parse(edit(BASE, ",\"present\":33", "")));
    CHECK(vb_value_path(R.root, "meeting.members.absent") == NULL);
    /* no members: no base, no percentages, but voted */
    CHECK(parse(edit(BASE, "\"members\":{\"total\":35,\"present\":33},", "")));
    CHECK(vb_value_path(R.root, "meeting.votes.0.for_pct") == NULL);
    CHECK(vb_value_path(R.root, "meeting.votes.0.base") == NULL);
    CHECK(num(R.root, "meeting.votes.0.voted") == 33);
    /* body numbering: levels reset deeper counters; articles count 1, 2… */
    CHECK(parse(edit(BASE, "[{\"paragraph\":\"P\"}]",
        "[{\"heading\":\"H1\"},{\"heading\":\"a\",\"level\":2},{\"heading\":\"b\",\"level\":2},"
        "{\"heading\":\"c\",\"level\":3},{\"heading\":\"H2\",\"level\":1},{\"heading\":\"d\",\"level\":2},"
        "{\"article\":\"one\"},{\"items\":[\"x\",\"y\"]},{\"article\":[\"p1\",\"p2\"],\"title\":\"T\"}]")));
    vb_value *b = vb_value_path(R.root, "resolution.body");
    CHECK(b && b->n == 9);
    CHECK(num(R.root, "resolution.body.0.level") == 1);
    CHECK(num(R.root, "resolution.body.2.number") == 2);
    CHECK(num(R.root, "resolution.body.3.number") == 1);
    CHECK(num(R.root, "resolution.body.4.number") == 2);
    CHECK(num(R.root, "resolution.body.5.number") == 1);
    CHECK(num(R.root, "resolution.body.6.number") == 1);
    CHECK(num(R.root, "resolution.body.8.number") == 2);
    CHECK_STR(str(R.root, "resolution.body.6.paragraphs.0"), "one");
    CHECK_STR(str(R.root, "resolution.body.8.paragraphs.1"), "p2");
    CHECK_STR(str(R.root, "resolution.body.8.kind"), "article");
    CHECK_STR(str(R.root, "resolution.body.7.kind"), "items");
    /* a preamble given as one text reaches templates as a list */
    CHECK(parse(edit(BASE, "\"subject\"", "\"preamble\":\"Hôm nay …\",\"subject\"")));
    CHECK_STR(str(R.root, "resolution.preamble.0"), "Hôm nay …");
    CHECK(parse(edit(BASE, "\"subject\"", "\"preamble\":[\"a\",\"b\"],\"subject\"")));
    CHECK_STR(str(R.root, "resolution.preamble.1"), "b");
    ONE_ERROR(edit(BASE, "\"subject\"", "\"preamble\":[],\"subject\""),
              "x.json: /resolution/preamble: must not be empty");
    /* minutes only (no resolution): no place needed; id field used */
    CHECK(parse("{\"convention\":\"state\",\"id\":\"bb-2022_01.v2\",\"issuer\":{\"name\":\"UBND\",\"code\":\"UBND\"},"
                "\"meeting\":{\"title\":\"Họp\",\"date\":\"2022-01-05\"},\"minutes\":{\"number\":3}}"));
    CHECK(holds("minutes") && !holds("resolution"));
    CHECK_STR(R.id, "bb-2022_01.v2");
    /* resolution only, with its own date */
    CHECK(parse("{\"convention\":\"state\",\"issuer\":{\"name\":\"HĐND\",\"code\":\"HĐND\"},\"place\":\"Nam Định\","
                "\"resolution\":{\"date\":\"2022-02-28\",\"subject\":\"s\",\"authority\":\"Hội đồng nhân dân tỉnh Nam Định\","
                "\"body\":[{\"article\":\"a\"}],\"signature\":{\"position\":\"Chủ tịch\",\"name\":\"N\"}}}"));
    CHECK(!holds("minutes") && holds("resolution"));
    /* null counts as absent; blank optional text is dropped */
    CHECK(parse(edit(BASE, "\"name\":\"Đảng ủy Khối\"", "\"superior\":null,\"superior_code\":\" \",\"name\":\"Đảng ủy Khối\"")));
    CHECK(vb_value_path(R.root, "issuer.superior") == NULL);
    CHECK(vb_value_path(R.root, "issuer.superior_code") == NULL);
    /* JSON Lines: id name-LINE, message prefix FILE:LINE */
    CHECK(parse_at("in/more.jsonl", 12, BASE, strlen(BASE)));
    CHECK_STR(R.id, "more-12");
    CHECK(R.line == 12);
    CHECK(parse_at(NULL, 0, BASE, strlen(BASE)));
    CHECK_STR(R.id, "record");
    CHECK(parse_at("/tmp/dir.v2/rec.final.json", 0, BASE, strlen(BASE)));
    CHECK_STR(R.id, "rec.final");
    const char *bad = edit(BASE, "\"2021-12-28\"", "\"2021-13-01\"");
    CHECK(!parse_at("in/more.jsonl", 12, bad, strlen(bad)));
    CHECK_STR(msg(0), "in/more.jsonl:12: /meeting/date: expected YYYY-MM-DD, got \"2021-13-01\" (no such date)");
}

static void test_nfc(void)
{
    /* "Hội nghị Đảng ủy" typed decomposed: o + U+0302 + U+0323, i + U+0323 … */
    const char *nfd = "Ho\xcc\x82\xcc\xa3i nghi\xcc\xa3 \xc4\x90" "a\xcc\x89ng u\xcc\x89y";
    const char *nfc = "Hội nghị Đảng ủy";
    CHECK(strcmp(nfd, nfc) != 0);
    CHECK(parse(edit(BASE, "\"Hội nghị\"", vb_sprintf(A, "\"%s\"", nfd))));
    const char *got = str(R.root, "meeting.title");
    CHECK_STR(got, nfc);
    CHECK(parse(edit(BASE, "\"Hội nghị\"", vb_sprintf(A, "\"%s\"", nfc))));
    CHECK_STR(str(R.root, "meeting.title"), got);
    /* escaped NFD (\u0301) too */
    CHECK(parse(edit(BASE, "\"P\"", "\"Nghi\\u0323 quye\\u0302\\u0301t\"")));
    CHECK_STR(str(R.root, "resolution.body.0.paragraph"), "Nghị quyết");
}

static void test_errors(void)
{
    ONE_ERROR(edit(BASE, "\"number\":15,", "\"number\":15,\"date\":\"28/12/2021\","),
              "x.json: /resolution/date: expected YYYY-MM-DD, got \"28/12/2021\"");
    ONE_ERROR(edit(BASE, "2021-12-28", "2021-02-30"),
              "x.json: /meeting/date: expected YYYY-MM-DD, got \"2021-02-30\" (no such date)");
    ONE_ERROR(edit(BASE, "\"date\":\"2021-12-28\"", "\"date\":20211228"),
              "x.json: /meeting/date: expected YYYY-MM-DD, got a number");
    ONE_ERROR(edit(BASE, "\"total\":35,\"present\":33", "\"total\":-3"),
              "x.json: /meeting/members/total: expected a whole number 0..999999999, got -3");
    ONE_ERROR(edit(BASE, "\"total\":35", "\"total\":1000000000"),
              "x.json: /meeting/members/total: expected a whole number 0..999999999, got 1000000000");
    ONE_ERROR(edit(BASE, "\"total\":35", "\"total\":35.0"),
              "x.json: /meeting/members/total: expected a whole number 0..999999999, got 35.0");
    ONE_ERROR(edit(BASE, "\"total\":35", "\"total\":3.5"),
              "x.json: /meeting/members/total: expected a whole number 0..999999999, got 3.5");
    ONE_ERROR(edit(BASE, "\"total\":35", "\"total\":\"35\""),
              "x.json: /meeting/members/total: expected a whole number 0..999999999, got \"35\"");
    ONE_ERROR(edit(BASE, "\"number\":15", "\"number\":0"),
              "x.json: /resolution/number: expected a whole number 1..999999999, got 0");
    ONE_ERROR(edit(BASE, "\"name\":\"Đảng ủy Khối\",", ""),
              "x.json: /issuer/name: required field is missing");
    ONE_ERROR(edit(BASE, "\"name\":\"Đảng ủy Khối\"", "\"name\":null"),
              "x.json: /issuer/name: required field is missing");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "42"),
              "x.json: /meeting/title: expected text, got a number");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "[\"a\"]"),
              "x.json: /meeting/title: expected text, got a list");
    ONE_ERROR(edit(BASE, "\"ĐUK\"", "\" \\n\\t\""),
              "x.json: /issuer/code: must not be empty");
    ONE_ERROR(edit(BASE, "\"ĐUK\"", "\"\""),
              "x.json: /issuer/code: must not be empty");
    ONE_ERROR(edit(BASE, "{\"motion\":\"C\",\"for\":33,", "{\"motion\":\"C\",\"for\":36,"),
              "x.json: /meeting/votes/2/for: 36 votes for, but only 33 members present");
    ONE_ERROR(edit(BASE, "\"against\":2,\"abstain\":1", "\"against\":2,\"abstain\":2"),
              "x.json: /meeting/votes/1: 34 votes in all (for, against, abstain), but only 33 members present");
    ONE_ERROR(edit(BASE, "{\"motion\":\"A\",\"for\":33}", "{\"motion\":\"A\",\"for\":33,\"base\":30}"),
              "x.json: /meeting/votes/0: 33 votes in all (for, against, abstain), but the base is only 30");
    ONE_ERROR(edit(BASE, "\"present\":33", "\"present\":40"),
              "x.json: /meeting/members/present: 40 present, but only 35 members in total");
    ONE_ERROR(edit(BASE, "\"start\":\"08:00\"", "\"start\":\"12:00\""),
              "x.json: /meeting/end: expected a time not before the start (12:00), got \"11:30\"");
    ONE_ERROR(edit(BASE, "\"start\":\"08:00\"", "\"start\":\"8h\""),
              "x.json: /meeting/start: expected HH:MM (00:00 to 23:59), got \"8h\"");
    ONE_ERROR(edit(BASE, "\"party\"", "\"Party\""),
              "x.json: /convention: expected \"party\" or \"state\", got \"Party\"");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "\"Hội\\u0007nghị\""),
              "x.json: /meeting/title: character U+0007 is not allowed in a document; remove it");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "\"Hội\\uFFFEnghị\""),
              "x.json: /meeting/title: character U+FFFE is not allowed in a document; remove it");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "\"Hội\xe2\x80\x8bnghị\""),
              "x.json: /meeting/title: invisible character U+200B; remove it");
    ONE_ERROR(edit(BASE, "\"Hội nghị\"", "\"abc\\u202Edef\""),
              "x.json: /meeting/title: invisible character U+202E; remove it");
    ONE_ERROR(edit(BASE, "\"members\":{", "\"chair\":{\"name\":\"A\"},\"members\":{"),
              "x.json: /meeting/chair: expected a list, got an object");
    ONE_ERROR(edit(BASE, "\"members\":{", "\"chair\":[{\"title\":\"Bí thư\"}],\"members\":{"),
              "x.json: /meeting/chair/0/name: required field is missing");
    ONE_ERROR(edit(BASE, "\"members\":{", "\"agenda\":[\"a\",\"\"],\"members\":{"),
              "x.json: /meeting/agenda/1: must not be empty");
    ONE_ERROR(edit(BASE, "\"members\":{", "\"agenda\":[\"a\",true],\"members\":{"),
              "x.json: /meeting/agenda/1: expected text, got true");

    /* output names */
    const char *bad_ids[] = { "../etc/passwd", ".hidden", "a/b", "a\\\\b", "a..b", "", "tên", "a b" };
    for (size_t i = 0; i < sizeof bad_ids / sizeof *bad_ids; i++) {
        CHECK(!parse(edit(BASE, "{\"convention\"", vb_sprintf(A, "{\"id\":\"%s\",\"convention\"", bad_ids[i]))));
        const char *want = "x.json: /id: expected a file name of 1 to 100 characters";
        CHECK(D.errors == 1 && strncmp(msg(0), want, strlen(want)) == 0);
    }
    CHECK(!parse(edit(BASE, "{\"convention\"", "{\"id\":\"../x\",\"convention\"")));
    CHECK_STR(msg(0), "x.json: /id: expected a file name of 1 to 100 characters A-Z a-z 0-9 . _ - "
                      "(not starting with \".\", no \"..\"), got \"../x\"");
    char longid[120];
    memset(longid, 'a', 101); longid[101] = 0;
    CHECK(!parse(edit(BASE, "{\"convention\"", vb_sprintf(A, "{\"id\":\"%s\",\"convention\"", longid))));
    longid[100] = 0;
    CHECK(parse(edit(BASE, "{\"convention\"", vb_sprintf(A, "{\"id\":\"%s\",\"convention\"", longid))));

    /* structure */
    /* the message names the condition of every type; the list grows with
     * the types of templates/, so only its start and two of them are fixed */
    CHECK(!parse("{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"}}"));
    CHECK(D.errors == 1 && D.exit_code == VB_EXIT_INPUT);
    CHECK(holds_none(msg(0)));
    ONE_ERROR("{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"},\"place\":\"P\","
              "\"resolution\":{\"subject\":\"s\",\"body\":[{\"paragraph\":\"p\"}],\"date\":\"2022-01-01\","
              "\"signature\":{\"position\":\"p\",\"name\":\"n\"}},\"minutes\":{}}",
              "x.json: /minutes: minutes need the meeting block");
    ONE_ERROR("{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"},\"place\":\"P\","
              "\"resolution\":{\"subject\":\"s\",\"body\":[{\"paragraph\":\"p\"}],"
              "\"signature\":{\"position\":\"p\",\"name\":\"n\"}}}",
              "x.json: /resolution/date: required field is missing (there is no meeting date to take it from)");
    ONE_ERROR(edit(BASE, "\"place\":\"Hải Phòng\",", ""),
              "x.json: /place: required field is missing");
    ONE_ERROR("[1,2]", "x.json: /: expected an object, got a list");
    ONE_ERROR(edit(BASE, "[{\"paragraph\":\"P\"}]", "[]"),
              "x.json: /resolution/body: must not be empty");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"paragraph\":\"P\",\"heading\":\"H\"}"),
              "x.json: /resolution/body/0: a block has exactly one of \"heading\", \"paragraph\", "
              "\"items\", \"article\" or \"columns\"; this one has \"heading\" and \"paragraph\"");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"paragraph\":\"P\",\"items\":[\"i\"],\"article\":\"a\"}"),
              "x.json: /resolution/body/0: a block has exactly one of \"heading\", \"paragraph\", "
              "\"items\", \"article\" or \"columns\"; this one has \"paragraph\", \"items\" and \"article\"");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"level\":2}"),
              "x.json: /resolution/body/0: a block needs one of \"heading\", \"paragraph\", \"items\", "
              "\"article\" or \"columns\" (a table)");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"paragraph\":\"P\",\"level\":2}"),
              "x.json: /resolution/body/0/level: only a heading has a level");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"heading\":\"H\",\"level\":4}"),
              "x.json: /resolution/body/0/level: expected a whole number 1..3, got 4");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"items\":[]}"),
              "x.json: /resolution/body/0/items: must not be empty");
    ONE_ERROR(edit(BASE, "{\"paragraph\":\"P\"}", "{\"article\":42}"),
              "x.json: /resolution/body/0/article: expected text or a list of text, got a number");

    /* unknown and computed fields: warnings only */
    CHECK(parse(edit(BASE, "\"title\":\"Hội nghị\"", "\"title\":\"Hội nghị\",\"titel\":\"x\"")));
    CHECK(D.n == 1 && D.errors == 0 && D.items[0].sev == VB_WARNING);
    CHECK_STR(msg(0), "x.json: /meeting/titel: unknown field, ignored");
    CHECK(vb_value_path(R.root, "meeting.titel") == NULL);
    CHECK(parse(edit(BASE, "{\"paragraph\":\"P\"}", "{\"paragraph\":\"P\",\"kind\":\"heading\",\"a/b~\":1}")));
    CHECK(D.n == 2 && D.errors == 0);
    CHECK_STR(msg(0), "x.json: /resolution/body/0/kind: computed by vanban; the value given is ignored");
    CHECK_STR(msg(1), "x.json: /resolution/body/0/a~1b~0: unknown field, ignored");
    CHECK_STR(str(R.root, "resolution.body.0.kind"), "paragraph");
    CHECK(parse(edit(BASE, "\"place\"", "\"meeting.title\":1,\"place\"")));
    CHECK_STR(msg(0), "x.json: /meeting.title: unknown field, ignored");

    /* every problem at once: three mistakes, three errors, in order */
    CHECK(!parse(edit(edit(edit(BASE, "\"ĐUK\"", "\"\""), "\"total\":35", "\"total\":-1"),
                      "\"Bí thư\"", "7")));
    CHECK(D.errors == 3 && D.n == 3);
    CHECK_STR(msg(0), "x.json: /issuer/code: must not be empty");
    CHECK_STR(msg(1), "x.json: /meeting/members/total: expected a whole number 0..999999999, got -1");
    CHECK_STR(msg(2), "x.json: /resolution/signature/position: expected text, got a number");
    /* …including problems in items after a bad item, with their own index */
    CHECK(!parse(edit(BASE, "{\"motion\":\"A\",\"for\":33}",
                      "{\"motion\":\"A\",\"for\":-1},{\"for\":40},{\"motion\":\"Z\",\"for\":40}")));
    CHECK(D.errors == 3);
    CHECK_STR(msg(0), "x.json: /meeting/votes/0/for: expected a whole number 0..999999999, got -1");
    CHECK_STR(msg(1), "x.json: /meeting/votes/1/motion: required field is missing");
    CHECK_STR(msg(2), "x.json: /meeting/votes/2/for: 40 votes for, but only 33 members present");
}

/* compute:ballots: the vote count's ballots per item (shared or its own),
 * received <= issued, valid + invalid = received, votes <= valid; the
 * shares of the valid ballots or of the base given, two decimals. */
static const char VC[] =
    "{\"convention\":\"party\","
    "\"issuer\":{\"name\":\"Đảng ủy Khối\",\"code\":\"ĐUK\"},"
    "\"place\":\"Hải Phòng\","
    "\"vote_count\":{\"date\":\"2021-12-28\",\"start\":\"10:40\",\"end\":\"11:05\",\"venue\":\"Hội trường\","
    "\"committee\":[{\"name\":\"Lê Hữu Toản\",\"role\":\"Trưởng ban\"}],"
    "\"ballots\":{\"issued\":33,\"received\":33,\"valid\":33,\"invalid\":0},"
    "\"items\":[{\"title\":\"A\",\"results\":[{\"name\":\"X\",\"votes\":31},{\"name\":\"Y\",\"votes\":0}]},"
    "{\"title\":\"B\",\"ballots\":{\"issued\":35,\"received\":33,\"valid\":32,\"invalid\":1},"
    "\"results\":[{\"name\":\"Z\",\"votes\":30}]},"
    "{\"title\":\"C\",\"base\":35,\"results\":[{\"name\":\"W\",\"votes\":33}]}]}}";

static void test_ballots(void)
{
    CHECK(parse(VC));
    vb_diag_print(&D, stderr);
    vb_value *r = R.root;
    CHECK(holds("vote_count") && !holds("minutes"));
    CHECK_STR(str(r, "vote_count.items.0.results.0.pct"), "93,94%");   /* 31 of 33 valid */
    CHECK_STR(str(r, "vote_count.items.0.results.1.pct"), "0,00%");
    CHECK(num(r, "vote_count.items.0.ballots.issued") == 33);          /* the shared ballots */
    CHECK(num(r, "vote_count.items.0.pct_base") == 33);
    CHECK(num(r, "vote_count.items.0.base_valid") == 1);
    CHECK_STR(str(r, "vote_count.items.1.results.0.pct"), "93,75%");   /* 30 of its own 32 */
    CHECK(num(r, "vote_count.items.1.ballots.received") == 33);
    CHECK_STR(str(r, "vote_count.items.2.results.0.pct"), "94,29%");   /* 33 of the base 35 */
    CHECK(num(r, "vote_count.items.2.pct_base") == 35);
    CHECK(num(r, "vote_count.items.2.base_valid") == 0);
    CHECK_STR(str(r, "vote_count.date"), "2021-12-28");
    /* the count's base for every item without its own; 1/3 rounds half up */
    CHECK(parse(edit(VC, "\"items\":[", "\"base\":36,\"items\":[")));
    CHECK_STR(str(R.root, "vote_count.items.0.results.0.pct"), "86,11%");  /* 31/36 */
    CHECK(num(R.root, "vote_count.items.2.pct_base") == 35);
    CHECK(parse(edit(VC, "\"votes\":31", "\"votes\":11")));
    CHECK_STR(str(R.root, "vote_count.items.0.results.0.pct"), "33,33%");
    CHECK(parse(edit(VC, "\"votes\":0}", "\"votes\":33}")));
    CHECK_STR(str(R.root, "vote_count.items.0.results.1.pct"), "100,00%");

    /* the checks, each naming its record path */
    ONE_ERROR(edit(VC, "\"issued\":35,\"received\":33", "\"issued\":32,\"received\":33"),
              "x.json: /vote_count/items/1/ballots/received: 33 ballots received, but only 32 issued");
    ONE_ERROR(edit(VC, "\"valid\":32,\"invalid\":1", "\"valid\":32,\"invalid\":2"),
              "x.json: /vote_count/items/1/ballots/valid: 32 valid and 2 invalid ballots make 34, "
              "but 33 were received");
    ONE_ERROR(edit(VC, "\"valid\":33,\"invalid\":0", "\"valid\":31,\"invalid\":0"),
              "x.json: /vote_count/ballots/valid: 31 valid and 0 invalid ballots make 31, but 33 were received");
    ONE_ERROR(edit(VC, "\"votes\":30", "\"votes\":33"),
              "x.json: /vote_count/items/1/results/0/votes: 33 votes, but only 32 valid ballots");
    ONE_ERROR(edit(VC, "\"votes\":31", "\"votes\":34"),
              "x.json: /vote_count/items/0/results/0/votes: 34 votes, but only 33 valid ballots");
    /* no shared ballots: every item without its own is named */
    CHECK(!parse(edit(VC, "\"ballots\":{\"issued\":33,\"received\":33,\"valid\":33,\"invalid\":0},", "")));
    CHECK(D.errors == 2);
    CHECK_STR(msg(0), "x.json: /vote_count/items/0/ballots: required field is missing (neither this item nor "
              "the vote count gives its ballots)");
    CHECK_STR(msg(1), "x.json: /vote_count/items/2/ballots: required field is missing (neither this item nor "
              "the vote count gives its ballots)");
    ONE_ERROR(edit(VC, "\"end\":\"11:05\"", "\"end\":\"10:05\""),
              "x.json: /vote_count/end: expected a time not before the start (10:40), got \"10:05\"");
    ONE_ERROR(edit(VC, ",\"invalid\":0}", "}"),
              "x.json: /vote_count/ballots/invalid: required field is missing");
    ONE_ERROR(edit(VC, "{\"name\":\"X\",\"votes\":31}", "{\"name\":\"X\",\"votes\":-1}"),
              "x.json: /vote_count/items/0/results/0/votes: expected a whole number 0..999999999, got -1");
    /* a given share is not read: it is computed */
    CHECK(parse(edit(VC, "\"votes\":31}", "\"votes\":31,\"pct\":\"99%\"}")));
    CHECK_STR(str(R.root, "vote_count.items.0.results.0.pct"), "93,94%");
    CHECK(D.n == 1 && strstr(msg(0), "/vote_count/items/0/results/0/pct: computed by vanban"));
}

static void test_hostile(void)
{
    /* byte-order marks, NUL, invalid UTF-8 */
    const char *bom = vb_sprintf(A, "\xef\xbb\xbf%s", BASE);
    CHECK(!parse(bom));
    CHECK_STR(msg(0), "x.json: starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM");
    CHECK(!parse_at("x.json", 0, "\xff\xfe{\0", 4));
    CHECK_STR(msg(0), "x.json: starts with a UTF-16 byte-order mark; save the file as UTF-8 without BOM");
    char nul[] = "{\"convention\":\"party\"\0}";
    CHECK(!parse_at("x.json", 0, nul, sizeof nul - 1));
    CHECK_STR(msg(0), "x.json: NUL character at byte 21; a record is UTF-8 text (UTF-16 is not accepted)");
    const char *inval = edit(BASE, "Hải Phòng", "H\xe1\xbaPhòng");    /* truncated sequence */
    size_t off = (size_t)(strstr(inval, "H\xe1\xba") - inval) + 1;
    CHECK(!parse(inval));
    CHECK_STR(msg(0), vb_sprintf(A, "x.json: invalid UTF-8 at byte %zu", off));
    CHECK(D.n == 1);
    CHECK(!parse("{\"a\":\"\xc0\xaf\"}"));                            /* overlong "/" */
    CHECK_STR(msg(0), "x.json: invalid UTF-8 at byte 6");
    CHECK(!parse_at("x.jsonl", 7, "{\"a\":\"\xed\xa0\x80\"}", 9));   /* surrogate */
    CHECK_STR(msg(0), "x.jsonl:7: invalid UTF-8 at byte 6");

    /* JSON syntax */
    CHECK(!parse("{\"convention\":\"party\",\n \"issuer\": {\"name\": \"A\""));
    CHECK(D.errors == 1);
    CHECK_STR(msg(0), "x.json:2:23: invalid JSON: '}' expected near end of file");
    CHECK(!parse("{\"convention\":\"party\",}"));
    CHECK_STR(msg(0), "x.json:1:23: invalid JSON: string or '}' expected near '}'");
    CHECK(!parse_at("more.jsonl", 3, "{\"a\":tru}", 9));
    CHECK_STR(msg(0), "more.jsonl:3:8: invalid JSON: invalid token near 'tru'");
    CHECK(!parse("{\"a\":\"x\ty\"}"));                             /* raw TAB in a string */
    CHECK_STR(msg(0), "x.json:1:7: invalid JSON: control character 0x9 near '\"x'");
    CHECK(!parse("{\"a\":\"\\u0000\"}"));
    CHECK_STR(msg(0), "x.json:1:13: invalid JSON: the escape \\u0000 (NUL) is not allowed");
    CHECK(!parse("  \n "));
    CHECK_STR(msg(0), "x.json: empty; expected a JSON object");
    CHECK(!parse_at("x.json", 0, NULL, 0));
    CHECK(D.errors == 1);

    /* duplicate keys name their path */
    CHECK(!parse(edit(BASE, "\"start\":\"08:00\"", "\"start\":\"08:00\",\n\"title\":\"again\"")));
    CHECK(D.errors == 1);
    CHECK_STR(msg(0), "x.json:2:7: /meeting/title: duplicate key; each field may appear only once");
    CHECK(!parse("{\"m\":{\"v\":[{\"a\":1},{\"a\":[1,{\"x\":1}],\"a\":2}]}}"));
    CHECK_STR(msg(0), "x.json:1:39: /m/v/1/a: duplicate key; each field may appear only once");

    /* nesting: 16 levels pass the scan, 17 do not; 10,000 do not crash */
    char deep[64] = "{\"a\":";
    for (int i = 0; i < 15; i++) strcat(deep, "[");
    for (int i = 0; i < 15; i++) strcat(deep, "]");
    strcat(deep, "}");
    CHECK(!parse(deep));
    CHECK(D.errors == 3);        /* convention, issuer, neither: not nesting */
    CHECK_STR(msg(0), "x.json: /a: unknown field, ignored");
    CHECK(holds_none(msg(3)));
    deep[5] = 0;
    for (int i = 0; i < 16; i++) strcat(deep, "[");
    CHECK(!parse(deep));
    CHECK_STR(msg(0), "x.json:1:21: nested more than 16 levels deep");
    size_t n = 10000;
    char *brackets = malloc(n + 1);
    memset(brackets, '[', n); brackets[n] = 0;
    CHECK(!parse(brackets));
    CHECK_STR(msg(0), "x.json:1:17: nested more than 16 levels deep");
    memset(brackets, '{', n);
    CHECK(!parse(brackets));
    CHECK(D.errors == 1);
    free(brackets);

    /* size limits */
    size_t big = 1u << 20;
    vb_buf b = {0};
    vb_buf_puts(&b, "{\"convention\":\"party\",\"issuer\":{\"name\":\"");
    for (size_t i = 0; i < big; i++) vb_buf_putc(&b, 'x');
    vb_buf_puts(&b, "\",\"code\":\"B\"},\"meeting\":{\"title\":\"T\",\"date\":\"2022-01-01\"}}");
    CHECK(!parse(vb_buf_cstr(&b)));
    CHECK(D.errors == 1);
    CHECK_STR(msg(0), "x.json: /issuer/name: expected text of at most 65536 bytes, got 1048576 bytes");
    vb_buf_free(&b);
    vb_buf_puts(&b, "{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"},"
                    "\"meeting\":{\"title\":\"T\",\"date\":\"2022-01-01\",\"agenda\":[");
    for (size_t i = 0; i < 100000; i++) vb_buf_puts(&b, i ? ",\"x\"" : "\"x\"");
    vb_buf_puts(&b, "]}}");
    CHECK(!parse(vb_buf_cstr(&b)));
    CHECK(D.errors == 1);
    CHECK_STR(msg(0), "x.json: /meeting/agenda: expected at most 5000 items, got 100000");
    vb_buf_free(&b);
    /* 5000 items are fine */
    vb_buf_puts(&b, "{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"},"
                    "\"meeting\":{\"title\":\"T\",\"date\":\"2022-01-01\",\"agenda\":[");
    for (size_t i = 0; i < 5000; i++) vb_buf_puts(&b, i ? ",\"x\"" : "\"x\"");
    vb_buf_puts(&b, "]}}");
    CHECK(parse(vb_buf_cstr(&b)));
    CHECK(num(R.root, "meeting.agenda.4999") == -12345 && str(R.root, "meeting.agenda.4999"));
    vb_buf_free(&b);
    /* many bad items: messages are capped, the count is kept */
    vb_buf_puts(&b, "{\"convention\":\"party\",\"issuer\":{\"name\":\"A\",\"code\":\"B\"},"
                    "\"meeting\":{\"title\":\"T\",\"date\":\"2022-01-01\",\"agenda\":[");
    for (size_t i = 0; i < 1000; i++) vb_buf_puts(&b, i ? ",1" : "1");
    vb_buf_puts(&b, "]}}");
    CHECK(!parse(vb_buf_cstr(&b)));
    CHECK(D.n == 101);
    CHECK_STR(msg(100), "x.json: 900 more problems not shown (900 errors)");
    vb_buf_free(&b);
    /* whole record over the limit */
    size_t huge = VB_MAX_RECORD_BYTES + 1;
    char *h = malloc(huge);
    memset(h, ' ', huge);
    CHECK(!parse_at("x.json", 0, h, huge));
    CHECK_STR(msg(0), "x.json: record is too large: 4194305 bytes, at most 4194304");
    free(h);
    /* a huge integer, a control character in a key, long text in a message */
    CHECK(!parse("{\"n\":99999999999999999999}"));
    CHECK_STR(msg(0), "x.json:1:25: invalid JSON: too big integer near '99999999999999999999'");
    CHECK(!parse(edit(BASE, "\"party\"", "\"\\u001b[31mred\\u202e\"")));
    CHECK_STR(msg(0), "x.json: /convention: expected \"party\" or \"state\", got \"\\u001B[31mred\\u202E\"");
    CHECK(parse(edit(BASE, "\"place\"", "\"\\u001b[2J\":1,\"place\"")));
    CHECK_STR(msg(0), "x.json: /\\u001B[2J: unknown field, ignored");

    /* files */
    vb_diag_clear(&D);
    CHECK(!vb_record_load(&S, A, "tests/no-such-record.json", &R, &D));
    CHECK(D.exit_code == VB_EXIT_SYSTEM);
}

static void test_known_paths(void)
{
    const char *yes[] = {
        "convention", "id", "issuer", "issuer.code", "issuer.superior_code", "place",
        "meeting", "meeting.guests", "meeting.guests.*", "meeting.guests.*.title",
        "meeting.chair.0.name", "meeting.members.total", "meeting.members.absent",
        "meeting.members.unit", "meeting.absent.*.reason", "meeting.votes.*.for_pct",
        "meeting.votes.*.against_pct", "meeting.votes.*.abstain_pct", "meeting.votes.*.voted",
        "meeting.votes.*.base", "meeting.documents.*", "meeting.notes",
        "resolution.date", "resolution.body.*.number", "resolution.body.*.kind",
        "resolution.body.*.level", "resolution.body.*.paragraphs", "resolution.body.*.paragraphs.*",
        "resolution.body.12.title", "resolution.preamble", "resolution.preamble.*",
        "resolution.enacting", "resolution.authority", "resolution.signature.name",
        "minutes.signatures.*.role", "minutes.recipients.*", "minutes.date",
    };
    const char *no[] = {
        "", "meeting.titel", "meeting.guests.title", "meeting.*", "meeting.", ".meeting",
        "meeting..title", "resolution.body.*.heading.x", "votes", "meeting.votes.for",
        "*", "issuer.*", "meeting.guests.*.",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!vb_schema_known_path(&S, yes[i])) { CHECK(!"known"); fprintf(stderr, "  %s\n", yes[i]); }
        else CHECK(1);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (vb_schema_known_path(&S, no[i])) { CHECK(!"unknown"); fprintf(stderr, "  %s\n", no[i]); }
        else CHECK(1);
    CHECK(!vb_schema_known_path(&S, NULL));
}

/* docs/record-format.md holds the generated tables between markers. */
static void test_docs(void)
{
    char *doc = NULL;
    size_t len;
    vb_diag_clear(&D);
    CHECK(vb_read_file("docs/record-format.md", 1 << 20, &doc, &len, &D));
    if (!doc) return;
    const char *begin = "<!-- fields: generated from templates/core.fields and templates/parts/ -->\n";
    const char *end = "<!-- /fields -->";
    char *b = strstr(doc, begin), *e = b ? strstr(b, end) : NULL;
    CHECK(b && e);
    vb_buf want = {0};
    vb_record_fields_markdown(&S, &want);
    if (b && e) {
        b += strlen(begin);
        bool same = (size_t)(e - b) == want.len && memcmp(b, want.data, want.len) == 0;
        CHECK(same);
        if (!same) {
            FILE *f = fopen("build/record-fields.md", "w");
            if (f) { fwrite(want.data, 1, want.len, f); fclose(f); }
            fprintf(stderr, "  docs/record-format.md is out of date: see build/record-fields.md\n");
        }
    }
    vb_buf_free(&want);
    free(doc);
}

int main(void)
{
    A = vb_arena_new();
    vb_diag_init(&D);
    CHECK(vb_schema_load(A, ".", &S, &D));
    vb_diag_print(&D, stderr);
    test_sample();
    test_derived();
    test_nfc();
    test_errors();
    test_ballots();
    test_hostile();
    test_known_paths();
    test_docs();
    vb_diag_free(&D);
    vb_arena_free(A);
    return CHECK_DONE("record");
}
