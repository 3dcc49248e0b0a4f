# A plan of a Party committee (kế hoạch, KH).  The Party's own form is not
# known (conventions.md §6): the state Form 1.4's order (type name /
# summary / rule / content) under the Party's header and signature (§2);
# parts numbered "I-", "II-" by the rule file, the tasks often a table.
@require plan this record has no "plan"; it cannot make a plan
@set title Kế hoạch {{plan.subject|lowerfirst}}
@set author {{issuer.name}}
@set subject {{plan.subject}}
@set keywords kế hoạch
@set date {{plan.date}}

@include header.inc

type_name: Kế hoạch
summary: {{plan.subject|lowerfirst}}
summary_mark: -----

@each t in plan.preamble
preamble: {{t}}
@end
@include body.inc
@end_mark
@include signature.inc
