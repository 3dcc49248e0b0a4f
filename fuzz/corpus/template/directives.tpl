# every directive once
@require resolution no resolution
@set title Nghị quyết {{resolution.subject|capfirst}}
@set date {{resolution.date}}
@row header
@cell left
issuer: {{issuer.name|upper}}
@cell right
title: Đảng Cộng sản Việt Nam
@end
@each b in resolution.body
@if b.kind == heading and not b.level != 1 or loop.first
heading1: {{b.number|num:h1}}[b]{{b.heading|lower}}[/b]
@elif b.kind == "items"
@each it in b.items
item: - {{it|trim_punct|suffix:";"}} {{loop.index|num2}}/{{loop.count|int}}
@end
@else
body: {{b.paragraph|default:"—"|prefix:"» "}} \{\{ [i]x[/i] [u]y[/u] \\
@end
@end
@append ./.
number: {{resolution.number|docnum:NQ}} {{meeting.date|date_short}} {{meeting.start|time}}
body: {{meeting.agenda|join:"; "}} {{meeting.notes|blank}} {{"lit"|upper}} \
  continued
@row signature
@cell right
sig_name: {{resolution.signature.name}}
@end
