/* Unit tests of the template language, rule files and the model dump:
 * errors name file:line:column; values never change structure. */
#include "check.h"
#include "template.h"
#include "style.h"
#include "record.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static vb_arena *A;
static vb_style ST;
static vb_schema SC;     /* the repository's record format */
static const vb_doctype *TYPE;   /* the type the template is the form of, or NULL */

/* A file beside the temporary template, for @include. */
static void write_inc(const char *name, const char *text)
{
    char path[96];
    snprintf(path, sizeof path, "/tmp/%s", name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static const char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/vb-unit-tpl-%d.tpl", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Load `tpl`; on failure return the first message, else NULL. */
static const char *load_err(const char *tpl, vb_template **t)
{
    vb_diag d;
    vb_diag_init(&d);
    const char *path = write_tmp(tpl);
    bool ok = vb_template_load(A, path, &ST, &SC, TYPE, t, &d);
    const char *msg = NULL;
    if (!ok && d.n) {
        const char *m = d.items[0].msg;
        /* drop the temporary path: "PATH:LINE:COL: msg" -> "LINE:COL: msg" */
        msg = vb_strdup(A, strncmp(m, path, strlen(path)) == 0 ? m + strlen(path) + 1 : m);
    }
    vb_diag_free(&d);
    unlink(path);
    return ok ? NULL : (msg ? msg : "?");
}

/* Render `tpl` with record JSON; return the model dump. */
static const char *render(const char *tpl, const char *json)
{
    vb_template *t;
    const char *e = load_err(tpl, &t);
    if (e) return e;
    vb_diag d;
    vb_diag_init(&d);
    vb_record r;
    if (!vb_record_parse(&SC, A, "r.json", 0, json, strlen(json), &r, &d)) {
        const char *m = vb_strdup(A, d.n ? d.items[0].msg : "?");
        vb_diag_free(&d);
        return m;
    }
    vb_doc *doc = vb_doc_new(&ST);
    const char *out;
    if (!vb_template_render(t, &r, doc, &d)) out = vb_strdup(A, d.n ? d.items[0].msg : "?");
    else {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        for (const vb_block *b = doc->first; b; b = b->next) {
            if (b->kind != VB_BLOCK_PARA) { fputs("row\n", f); continue; }
            fprintf(f, "%s:", b->para->zone->name);
            /* runs of equal style print as one: values are separate runs */
            for (const vb_run *run = b->para->runs; run; ) {
                fprintf(f, "%s\"", run->flags & VB_BOLD ? "[b]" : " ");
                unsigned fl = run->flags;
                for (; run && run->flags == fl; run = run->next) fputs(run->text, f);
                fputc('"', f);
            }
            fputc('\n', f);
        }
        fclose(f);
        out = vb_strdup(A, buf);
        free(buf);
    }
    vb_doc_free(doc);
    vb_diag_free(&d);
    return out;
}

#define REC(extra) "{\"convention\":\"party\",\"issuer\":{\"name\":\"Đảng ủy Khối\",\"code\":\"ĐUK\"},\"place\":\"Hải Phòng\"," \
    "\"resolution\":{\"number\":5,\"date\":\"2022-01-05\",\"subject\":\"về việc [b]x[/b] {{issuer.code}} @if\"," \
    "\"body\":[{\"heading\":\"Một\"},{\"paragraph\":\"P\"},{\"heading\":\"Hai\",\"level\":2},{\"heading\":\"Ba\"}]," \
    "\"signature\":{\"position\":\"Bí thư\",\"name\":\"A\"}" extra "}}"

int main(void)
{
    A = vb_arena_new();
    vb_diag d;
    vb_diag_init(&d);
    CHECK(vb_style_load(A, "templates/party/style", &ST, &d));
    CHECK(vb_schema_load(A, ".", &SC, &d));
    vb_diag_free(&d);

    /* values are text: markup and template syntax in a record print as typed */
    CHECK_STR(render("summary: {{resolution.subject}}\n", REC("")),
              "summary: \"về việc [b]x[/b] {{issuer.code}} @if\"\n");
    /* upper-casing zones, filters */
    CHECK_STR(render("issuer: {{issuer.name}}\n", REC("")), "issuer: \"ĐẢNG ỦY KHỐI\"\n");
    CHECK_STR(render("body: {{place}}, {{resolution.date|date}}\n", REC("")), "body: \"Hải Phòng, ngày 05 tháng 01 năm 2022\"\n");
    CHECK_STR(render("number: {{resolution.number|docnum:NQ}}\n", REC("")), "number: \"Số 05-NQ/ĐUK\"\n");
    /* a type's template: doc. is its part, docnum alone its abbreviation */
    CHECK_STR(render("number: {{doc.number|docnum}}\n", REC("")), "1:11: \"doc\" (the document's part) is only for the template of a type");
    TYPE = vb_schema_type(&SC, VB_PARTY, "resolution");
    CHECK(TYPE != NULL);
    CHECK_STR(render("number: {{doc.number|docnum}}\nbody: {{doc.subject}}\n", REC("")),
              "number: \"Số 05-NQ/ĐUK\"\nbody: \"về việc [b]x[/b] {{issuer.code}} @if\"\n");
    CHECK_STR(render("@each doc in resolution.recipients\nbody: {{doc}}\n@end\n", REC(",\"recipients\":[\"A\"]")), "body: \"A\"\n");
    CHECK_STR(render("body: {{doc.subjet}}\n", REC("")), "1:9: unknown field \"resolution.subjet\" (not in the record format)");
    /* @include: a file beside the template, its blocks its own */
    write_inc("vb-unit-a.inc", "@if resolution.subject\nbody: {{doc.subject|upper}}\n@end\n");
    CHECK_STR(render("body: x\n@include vb-unit-a.inc\nbody: y\n", REC("")),
              "body: \"x\"\nbody: \"VỀ VIỆC [B]X[/B] {{ISSUER.CODE}} @IF\"\nbody: \"y\"\n");
    write_inc("vb-unit-b.inc", "body: a\n@if resolution.subject\nbody: b\n");
    CHECK_STR(render("@include vb-unit-b.inc\n", REC("")), "/tmp/vb-unit-b.inc:2:1: this block is never closed with @end");
    write_inc("vb-unit-c.inc", "body: a\n@end\n");
    CHECK_STR(render("@if resolution.subject\n@include vb-unit-c.inc\n@end\n", REC("")),
              "/tmp/vb-unit-c.inc:2:1: @end closes a block that the including file opened");
    write_inc("vb-unit-d.inc", "@include vb-unit-d.inc\n");
    CHECK_STR(render("@include vb-unit-d.inc\n", REC("")), "/tmp/vb-unit-d.inc:1:10: @include nested deeper than 8");
    write_inc("vb-unit-e.inc", "bodyy: a\n");
    const char *m = render("@include vb-unit-e.inc\n", REC(""));
    CHECK(strstr(m, "/tmp/vb-unit-e.inc:1:1: unknown zone \"bodyy\"") != NULL);
    CHECK_STR(render("@include ../etc/passwd\n", REC("")), "1:10: @include takes a FILE.inc beside the template (a-z 0-9 _ -)");
    CHECK_STR(render("@include vb-unit-none.inc\n", REC("")), "1:10: @include vb-unit-none.inc: no such file (/tmp/vb-unit-none.inc)");
    for (const char *n = "abcde"; *n; n++) unlink(vb_sprintf(A, "/tmp/vb-unit-%c.inc", *n));
    TYPE = NULL;
    CHECK_STR(render("body: {{resolution.missing_ok|blank}}\n", REC("")), "1:9: unknown field \"resolution.missing_ok\" (not in the record format)");
    CHECK_STR(render("body: [b]a[b]b[/b]\n", REC("")), "1:11: [b] is already open");
    CHECK_STR(render("body: [{{resolution.authority|blank}}]x\n", REC("")), "body: \"[…………]x\"\n");
    CHECK_STR(render("body: a\\[b]{{resolution.authority|blank}}\n", REC("")), "body: \"a[b]…………\"\n");
    CHECK_STR(render("body: [b]Điều 1.[/b] {{resolution.subject|capfirst}}\n", REC("")),
              "body:[b]\"Điều 1.\" \" Về việc [b]x[/b] {{issuer.code}} @if\"\n");
    /* numbering from the style's formats; headings reset deeper levels */
    CHECK_STR(render("@each b in resolution.body\n@if b.kind == heading and b.level == 1\nheading1: {{b.number|num:h1}}{{b.heading}}\n"
                     "@elif b.kind == heading\nheading2: {{b.number|num:h2}}{{b.heading}}\n@end\n@end\n", REC("")),
              "heading1: \"I- MỘT\"\nheading2: \"1. Hai\"\nheading1: \"II- BA\"\n");
    /* loops, loop.last, prefix/suffix, empty paragraphs dropped */
    CHECK_STR(render("@each r in resolution.recipients\n@if loop.last\nrecipient: - {{r}}.\n@else\nrecipient: - {{r}};\n@end\n@end\n",
                     REC(",\"recipients\":[\"A\",\"B\"]")), "recipient: \"- A;\"\nrecipient: \"- B.\"\n");
    CHECK_STR(render("body: {{resolution.authority}}\nbody: x{{resolution.authority|prefix:\", \"}}\n", REC("")), "body: \"x\"\n");
    CHECK_STR(render("body: {{resolution.authority|prefix:\", \"}}\n", REC(",\"authority\":\"HĐND\"")), "body: \", HĐND\"\n");
    /* @append replaces a final stop */
    CHECK_STR(render("body: xong.\n@append ./.\n", REC("")), "body: \"xong./.\"\n");
    /* @end_mark appends the rule file's end_mark, whatever it is: "." in
     * the Party's, "./." in the state's, or what a copy of them says */
    CHECK_STR(render("body: xong;\n@end_mark\n", REC("")), "body: \"xong.\"\n");
    {
        vb_style party = ST;
        vb_diag_init(&d);
        CHECK(vb_style_load(A, "templates/state/style", &ST, &d));
        vb_diag_free(&d);
        CHECK_STR(render("body: xong.\n@end_mark\n", REC("")), "body: \"xong./.\"\n");
        ST.end_mark = " (hết)";
        CHECK_STR(render("body: xong.\n@end_mark\n", REC("")), "body: \"xong. (hết)\"\n");
        ST = party;
    }
    CHECK_STR(render("@require meeting no meeting here\nbody: x\n", REC("")), "r.json: no meeting here");
    CHECK_STR(render("@row header\n@cell left\nissuer: a\n@cell right\ntitle: b\n@end\n", REC("")), "row\n");

    /* template errors name line and column */
    vb_template *t;
    CHECK_STR(load_err("body: ok\nbogus: x\n", &t), "2:1: unknown zone \"bogus\" (not in templates/party/style)");
    CHECK_STR(load_err("body: {{ resolution.subjet }}\n", &t), "1:10: unknown field \"resolution.subjet\" (not in the record format)");
    CHECK_STR(load_err("body: {{ place | shout }}\n", &t), "1:18: unknown filter \"shout\"");
    CHECK_STR(load_err("@if place\nbody: x\n", &t), "1:1: this block is never closed with @end");
    CHECK_STR(load_err("@end\n", &t), "1:1: @end without an open block");
    CHECK_STR(load_err("@else\n", &t), "1:1: @else without @if");
    CHECK_STR(load_err("@loop x\n", &t), "1:1: unknown directive @loop");
    CHECK_STR(load_err("body: x\n@end_mark ./.\n", &t), "2:11: @end_mark takes nothing (the mark is end_mark in templates/party/style)");
    CHECK_STR(load_err("body: [b]x\n", &t), "1:7: unclosed [b]");
    CHECK_STR(load_err("body: {{ place\n", &t), "1:15: expected }}");
    CHECK_STR(load_err("no zone here\n", &t), "1:1: expected ZONE: text, or a directive (@if, @each, @row, @cell, @end, @set)");
    CHECK_STR(load_err("@cell left\n", &t), "1:1: @cell outside a @row");
    CHECK_STR(load_err("body: {{loop.index}}\n", &t), "1:9: \"loop\" used outside @each");
    CHECK(load_err("@each p in meeting.guests\nbody: {{p.name}} {{p.title}} {{loop.index}}\n@end\n", &t) == NULL);
    CHECK_STR(load_err("@each p in meeting.guests\nbody: {{p.nam}}\n@end\n", &t), "2:9: unknown field \"p.nam\" (not in the record format)");
    /* nesting deeper than the limit */
    {
        char buf[8192] = "";
        for (int i = 0; i < VB_TPL_MAX_DEPTH + 1; i++) strcat(buf, "@if place\n");
        const char *m = load_err(buf, &t);
        CHECK(m && strstr(m, "nested deeper than 32"));
    }

    /* rule files: errors name file:line */
    {
        vb_style s2;
        vb_diag_init(&d);
        FILE *f = fopen("/tmp/vb-unit-style", "w");
        fputs("convention = party\n[page]\nmargin_left = 30\n[zone body]\nalign = middle\n", f);
        fclose(f);
        CHECK(!vb_style_load(A, "/tmp/vb-unit-style", &s2, &d));
        CHECK(d.n == 2);
        if (d.n == 2) {
            CHECK_STR(d.items[0].msg, "/tmp/vb-unit-style:3: expected a length such as 20mm, got 30");
            CHECK_STR(d.items[1].msg, "/tmp/vb-unit-style:5: align takes left, center, right or justify; got middle");
        }
        vb_diag_free(&d);
        /* the line-breaking keys */
        vb_diag_init(&d);
        f = fopen("/tmp/vb-unit-style", "w");
        fputs("convention = state\n[text]\nbreaking = optimal\nspace_stretch = 150%\nspace_shrink = 60%\n"
              "space_stretch_max = 0.2\n", f);
        fclose(f);
        CHECK(!vb_style_load(A, "/tmp/vb-unit-style", &s2, &d));
        CHECK(d.n == 4);
        if (d.n == 4) {
            CHECK_STR(d.items[0].msg, "/tmp/vb-unit-style:3: breaking takes total-fit or greedy; got optimal");
            CHECK_STR(d.items[1].msg, "/tmp/vb-unit-style:4: space_stretch takes a share of the space from 0.1% to 100%, got 150%");
            CHECK_STR(d.items[2].msg, "/tmp/vb-unit-style:5: space_shrink takes a share of the space from 0% to 50%, got 60%");
            CHECK_STR(d.items[3].msg, "/tmp/vb-unit-style:6: space_stretch_max takes a share of the space from 0% to 100%, got 0.2");
        }
        vb_diag_free(&d);
        vb_diag_init(&d);
        f = fopen("/tmp/vb-unit-style", "w");
        fputs("convention = state\n[text]\nbreaking = greedy\nspace_stretch = 60%\nspace_stretch_max = 40%\n", f);
        fclose(f);
        CHECK(!vb_style_load(A, "/tmp/vb-unit-style", &s2, &d));
        CHECK(d.n == 1 && strstr(d.items[0].msg, "space_stretch_max (40%) is less than space_stretch (60%)"));
        vb_diag_free(&d);
        /* defaults: total fit, 50% / 100% / 30% as the shipped rule files say */
        vb_diag_init(&d);
        f = fopen("/tmp/vb-unit-style", "w");
        fputs("convention = state\n", f);
        fclose(f);
        CHECK(vb_style_load(A, "/tmp/vb-unit-style", &s2, &d));
        CHECK(s2.breaking == VB_BREAK_TOTAL_FIT && s2.space_stretch == 500 && s2.space_stretch_max == 1000 && s2.space_shrink == 300);
        vb_diag_free(&d);
        unlink("/tmp/vb-unit-style");
    }
    vb_arena_free(A);
    return CHECK_DONE("template");
}
