# Báo cáo (report) of a Party body: Decree 30 Form 1.4's order (the type
# name, the summary, "Kính gửi:" when sent upward, the content) with the
# Party's header and signature (conventions.md §2, §6: the Party's own form
# is not known); the summary starts lower case, a short dash line under it.
@require report this record has no "report"; it cannot make a báo cáo
@set title Báo cáo {{report.subject}}
@set author {{issuer.name}}
@set subject {{report.subject}}
@set keywords báo cáo
@set date {{report.date}}

@include header.inc

type_name: Báo cáo
summary: {{report.subject}}
summary_mark: -----
@include addressee.inc

@include body.inc
@end_mark
@if report.to
@include signature_to.inc
@else
@include signature.inc
@end
