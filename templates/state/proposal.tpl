# Tờ trình (submission) of a state body: Decree 30/2020/NĐ-CP Form 1.4
# (conventions.md §6): the type name, the summary and its rule, "Kính gửi:"
# (box 9a) when it is sent upward, the content.
@require proposal this record has no "proposal"; it cannot make a tờ trình
@set title Tờ trình {{proposal.subject}}
@set author {{issuer.name}}
@set subject {{proposal.subject|capfirst}}
@set keywords tờ trình
@set date {{proposal.date}}

@include header.inc

type_name: Tờ trình
summary: {{proposal.subject|capfirst}}
@include addressee.inc

@include body.inc
@end_mark
@include signature_to.inc
