# Resolution of a Party committee conference (conventions.md §3.2).
# Syntax: templates/README.md.  Values are inserted as text only.
@require resolution this record has no "resolution"; it cannot make a resolution
@set title Nghị quyết {{resolution.subject}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords nghị quyết
@set date {{resolution.date}}

@include header.inc

type_name: Nghị quyết
@if meeting.title
summary: {{meeting.title|lowerfirst}}
@end
summary: {{resolution.subject}}
summary_mark: -----

@if resolution.preamble
@each t in resolution.preamble
preamble: {{t}}
@end
@end
@each b in resolution.bases
basis: - {{b}}
@end
@if resolution.bases
enacting: {{resolution.enacting|default:"Quyết nghị"}}
@elif resolution.enacting
enacting: {{resolution.enacting}}
@end

@include body.inc
@end_mark
@include signature.inc
