# Resolution (cá biệt) of a state body (conventions.md §3.1, Decree 30 Form 1.1).
# Syntax: templates/README.md.  Values are inserted as text only.
@require resolution this record has no "resolution"; it cannot make a resolution
@set title Nghị quyết {{resolution.subject}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords nghị quyết
@set date {{resolution.date}}

# The header, the content and the signature are those of every state
# document (header.inc, body.inc, signature.inc beside this file).
@include header.inc

type_name: Nghị quyết
summary: {{resolution.subject|capfirst}}
@if resolution.authority
authority: {{resolution.authority}}
@else
authority: {{issuer.name}}
@end

@if resolution.preamble
@each t in resolution.preamble
preamble: {{t}}
@end
@end
@each b in resolution.bases
basis: {{b}}
@end
@if resolution.bases
enacting: {{resolution.enacting|default:"Quyết nghị:"}}
@elif resolution.enacting
enacting: {{resolution.enacting}}
@end

@include body.inc
@end_mark
@include signature.inc
