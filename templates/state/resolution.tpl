# Resolution (cá biệt) of a state body (conventions.md §3.1, Decree 30 Form 1.1).
# Syntax: templates/README.md.  Values are inserted as text only.
@require resolution this record has no "resolution"; it cannot make a resolution
@set title Nghị quyết {{resolution.subject}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords nghị quyết
@set date {{resolution.date}}

# Header: issuer left (rule under it), national title and motto right;
# then number and date on one level.
@row header
@cell left
@if issuer.superior
superior: {{issuer.superior}}
@end
issuer: {{issuer.name}}
@cell right
title: Cộng hòa xã hội chủ nghĩa Việt Nam
motto: Độc lập - Tự do - Hạnh phúc
@end
@row header
@cell left
number: {{resolution.number|docnum:NQ}}
@cell right
date_line: {{place}}, {{resolution.date|date}}
@end

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

@each b in resolution.body
@if b.kind == heading and b.level == 1
heading1: {{b.number|num:h1}}{{b.heading}}
@elif b.kind == heading and b.level == 2
heading2: {{b.number|num:h2}}{{b.heading}}
@elif b.kind == heading
heading3: {{b.number|num:h3}}{{b.heading}}
@elif b.kind == paragraph
body: {{b.paragraph}}
@elif b.kind == items
@each it in b.items
item: - {{it}}
@end
@elif b.kind == table
@table b
@elif b.kind == article and b.title
article: [b]{{b.number|num:article}}{{b.title}}[/b]
@each t in b.paragraphs
body: {{t}}
@end
@elif b.kind == article
@each t in b.paragraphs
@if loop.first
article: [b]{{b.number|num:article}}[/b]{{t}}
@else
body: {{t}}
@end
@end
@end
@end
@end_mark

# Recipients bottom left, level with the signature block on the right.
@row signature
@cell left
recipients_title: Nơi nhận:
@each r in resolution.recipients
@if loop.last
recipient: - {{r|trim_punct}}.
@else
recipient: - {{r|trim_punct}};
@end
@end
@cell right
sig_authority: {{resolution.signature.authority}}
sig_position: {{resolution.signature.position}}
sig_name: {{resolution.signature.name}}
@end

# Appendices (conventions.md §6, form 2.1), after the signature, each from
# a new page of the rule file's [page appendix] or [page landscape]:
# "Phụ lục I" (Roman when there are two or more), its title, the
# "(Kèm theo …)" line filled from this resolution, a rule, its content.
@each a in resolution.appendices
@if a.landscape
@section landscape
@else
@section appendix
@end
@if a.number
appendix_label: Phụ lục {{a.number}}
@elif loop.count == 1
appendix_label: {{loop.index|num:appendix_single}}
@else
appendix_label: {{loop.index|num:appendix}}
@end
appendix_title: {{a.title}}
appendix_ref: (Kèm theo Nghị quyết số{{resolution.number|docref:NQ}} {{resolution.date|date}} của {{issuer.name}})
@each b in a.body
@if b.kind == heading and b.level == 1
heading1: {{b.number|num:h1}}{{b.heading}}
@elif b.kind == heading and b.level == 2
heading2: {{b.number|num:h2}}{{b.heading}}
@elif b.kind == heading
heading3: {{b.number|num:h3}}{{b.heading}}
@elif b.kind == paragraph
body: {{b.paragraph}}
@elif b.kind == items
@each it in b.items
item: - {{it}}
@end
@elif b.kind == table
@table b
@elif b.kind == article and b.title
article: [b]{{b.number|num:article}}{{b.title}}[/b]
@each t in b.paragraphs
body: {{t}}
@end
@elif b.kind == article
@each t in b.paragraphs
@if loop.first
article: [b]{{b.number|num:article}}[/b]{{t}}
@else
body: {{t}}
@end
@end
@end
@end
@end
