# Official letter (công văn) of a Party body: "Số 12-CV/ĐUK" (CV, conventions.md
# §2.3), the summary under the number in the left column (box 5b: 12 pt
# italic, without "V/v", as in the Guide's example), then "Kính gửi:" and
# the content: Decree 30 Form 1.5's order with the Party's header, the
# Guide's own form not being known (conventions.md §6).
@require letter this record has no "letter"; it cannot make an official letter
@set title Công văn {{letter.about}}
@set author {{issuer.name}}
@set subject {{letter.about}}
@set keywords công văn
@set date {{letter.date}}

@include header_top.inc
# header.inc's number row, with the summary under the number
@row header
@cell left
number: {{letter.number|docnum}}
letter_summary: {{letter.about|capfirst}}
@cell right
date_line: {{place|blank}}, {{letter.date|date}}
@end

@include addressee.inc
@include body.inc
@end_mark
@include signature_to.inc
