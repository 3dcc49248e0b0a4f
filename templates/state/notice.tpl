# Notice of the conclusions of a meeting of a state body (thông báo kết
# luận, TB): Decree 30 Form 1.4 (conventions.md §6: type name / summary /
# rule / content).  The content is `notice.body`, or the chair's
# conclusions recorded in `meeting.conclusion`.
@require notice this record has no "notice"; it cannot make a notice
@set title Thông báo {{notice.subject|lowerfirst}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords thông báo kết luận
@set date {{notice.date}}

@include header.inc

type_name: Thông báo
summary: {{notice.subject|capfirst}}

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
