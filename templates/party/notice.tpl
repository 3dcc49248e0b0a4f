# Notice of the conclusions of a Party committee's meeting (thông báo kết
# luận, TB).  The Party's own form is not known (conventions.md §6): the
# state Form 1.4's order (type name / summary / rule / content) under the
# Party's header and signature (§2).  The content is `notice.body`, or the
# chair's conclusions recorded in `meeting.conclusion`.
@require notice this record has no "notice"; it cannot make a notice
@set title Thông báo {{notice.subject|lowerfirst}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords thông báo kết luận
@set date {{notice.date}}

@include header.inc

type_name: Thông báo
# a Party summary starts in lower case ("kết luận của …", §2.3)
summary: {{notice.subject|lowerfirst}}
summary_mark: -----

@each t in notice.preamble
preamble: {{t}}
@end
@if notice.body
@include body.inc
@elif meeting.conclusion
@each c in meeting.conclusion
body: {{c}}
@end
@else
@require notice.body this notice has neither "notice.body" nor "meeting.conclusion": it has no content
@end
@end_mark
@include signature.inc
