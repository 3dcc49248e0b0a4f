# Báo cáo (report) of a state body: Decree 30/2020/NĐ-CP Form 1.4
# (conventions.md §6): the type name, the summary and its rule, "Kính gửi:"
# (box 9a) when it is sent upward, the content.
@require report this record has no "report"; it cannot make a báo cáo
@set title Báo cáo {{report.subject}}
@set author {{issuer.name}}
@set subject {{report.subject|capfirst}}
@set keywords báo cáo
@set date {{report.date}}

@include header.inc

type_name: Báo cáo
summary: {{report.subject|capfirst}}
@include addressee.inc

@include body.inc
@end_mark
@if report.to
@include signature_to.inc
@else
@include signature.inc
@end
