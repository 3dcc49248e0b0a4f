# Tờ trình (submission) of a Party body: Decree 30 Form 1.4's order (the type
# name, the summary, "Kính gửi:" when sent upward, the content) with the
# Party's header and signature (conventions.md §2, §6: the Party's own form
# is not known); the summary starts lower case, a short dash line under it.
@require proposal this record has no "proposal"; it cannot make a tờ trình
@set title Tờ trình {{proposal.subject}}
@set author {{issuer.name}}
@set subject {{proposal.subject}}
@set keywords tờ trình
@set date {{proposal.date}}

@include header.inc

type_name: Tờ trình
summary: {{proposal.subject}}
summary_mark: -----
@include addressee.inc

@include body.inc
@end_mark
@include signature_to.inc
