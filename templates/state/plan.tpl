# A plan of a state body (kế hoạch, KH): Decree 30 Form 1.4
# (conventions.md §6: type name / summary / rule / content); parts
# numbered "I.", "II." by the rule file, the tasks often a table.
@require plan this record has no "plan"; it cannot make a plan
@set title Kế hoạch {{plan.subject|lowerfirst}}
@set author {{issuer.name}}
@set subject {{plan.subject}}
@set keywords kế hoạch
@set date {{plan.date}}

@include header.inc

type_name: Kế hoạch
summary: {{plan.subject|capfirst}}

@each t in plan.preamble
preamble: {{t}}
@end
@include body.inc
@end_mark
@include signature.inc
