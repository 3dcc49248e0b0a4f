# Official letter (công văn) of a state body: Decree 30/2020/NĐ-CP Form 1.5
# (conventions.md §6).  No type name: the number is the issuer's code and
# the drafting unit's ("Số: 12/UBND-VX"), the summary "V/v …" stands under
# it in the left column (box 5b), then "Kính gửi:" and the content.
@require letter this record has no "letter"; it cannot make an official letter
@set title Công văn V/v {{letter.about}}
@set author {{issuer.name}}
@set subject V/v {{letter.about}}
@set keywords công văn
@set date {{letter.date}}

@include header_top.inc
# header.inc's number row, with "V/v …" under the number
@row header
@cell left
number: {{letter.number|docnum}}{{letter.unit_code|prefix:"-"}}
letter_summary: V/v {{letter.about}}
@cell right
date_line: {{place|blank}}, {{letter.date|date}}
@end

@include addressee.inc
@include body.inc
@end_mark
@include signature_to.inc
