# Minutes of a Party committee meeting (conventions.md §4.2, Guide
# 16-HD/VPTW model; §4.3 for the common content).  A fact the record lacks
# prints as a dotted blank for the clerk to fill in: nothing is invented.
@require meeting this record has no "meeting"; it cannot make minutes
@set title Biên bản {{meeting.title}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords biên bản
@if minutes.date
@set date {{minutes.date}}
@else
@set date {{meeting.date}}
@end

@row header
@cell left
@if issuer.superior
superior: {{issuer.superior}}
@end
issuer: {{issuer.name}}
star: *
@cell right
title: Đảng Cộng sản Việt Nam
@end
@row header
@cell left
number: {{minutes.number|docnum:BB}}
@cell right
@if minutes.date
date_line: {{place|blank}}, {{minutes.date|date}}
@else
date_line: {{place|blank}}, {{meeting.date|date}}
@end
@end

type_name: Biên bản
minutes_title: {{meeting.title}}
summary_mark: -----

body: - Thời gian bắt đầu: vào hồi {{meeting.start|time|blank}}, {{meeting.date|date}}.
body: - Địa điểm: {{meeting.venue|blank}}.
@if meeting.chair
@each p in meeting.chair
body: - Chủ trì: đồng chí {{p.name}}{{p.title|prefix:", "}}.
@end
@else
body: - Chủ trì: {{meeting.chair|blank}}.
@end
@if meeting.secretary
@each p in meeting.secretary
body: - Người ghi biên bản: đồng chí {{p.name}}{{p.title|prefix:", "}}.
@end
@else
body: - Người ghi biên bản: {{meeting.secretary|blank}}.
@end
@if meeting.documents
body: - Tài liệu sử dụng: {{meeting.documents|join:"; "}}.
@end
@if meeting.notes
body: - {{meeting.notes}}
@end

section: 1. Thành phần hội nghị
subsection: 1.1. Đại biểu chính thức
body: Tổng số: {{meeting.members.total|int|blank}} {{meeting.members.unit}}; có mặt: {{meeting.members.present|int|blank}} {{meeting.members.unit}}; vắng mặt: {{meeting.members.absent|int|default:"0"}} {{meeting.members.unit}}.
@each p in meeting.absent
item: - Vắng mặt: đồng chí {{p.name}}{{p.title|prefix:", "}}; lý do: {{p.reason|blank}}.
@end
@if meeting.guests
subsection: 1.2. Đại biểu mời dự
@each p in meeting.guests
item: - Đồng chí {{p.name}}{{p.title|prefix:", "}}.
@end
@end

@if meeting.agenda
section: 2. Nội dung hội nghị
@each a in meeting.agenda
item: - {{a|trim_punct}}.
@end
@end

section: 3. Diễn biến hội nghị
@if meeting.proceedings
@each p in meeting.proceedings
body: [b]Đồng chí {{p.speaker}}[/b]{{p.title|prefix:", "}}: {{p.text}}
@end
@else
body: {{meeting.proceedings|blank}}
@end

@if meeting.votes
section: 4. Kết quả biểu quyết
@each v in meeting.votes
body: - {{v.motion|trim_punct}}: {{v.for}}/{{v.base}} {{meeting.members.unit}} tán thành, đạt {{v.for_pct}}; {{v.against|default:"0"}}/{{v.base}} {{meeting.members.unit}} không tán thành, chiếm {{v.against_pct}}; {{v.abstain|default:"0"}}/{{v.base}} {{meeting.members.unit}} có ý kiến khác, chiếm {{v.abstain_pct}}.
@end
@end

@if meeting.conclusion
section: 5. Kết luận của hội nghị
@each c in meeting.conclusion
item: - {{c}}
@end
@end

body: Hội nghị kết thúc vào hồi {{meeting.end|time|blank}} cùng ngày.
@end_mark

# Signatures side by side: the recorder left, the chair right.
@row signature
@cell left
@if minutes.signatures
sig_role: {{minutes.signatures.0.role}}
sig_authority: {{minutes.signatures.0.authority}}
sig_position: {{minutes.signatures.0.position}}
sig_name: {{minutes.signatures.0.name|blank}}
@else
sig_role: Người ghi biên bản
sig_name: {{meeting.secretary.0.name|blank}}
@end
@cell right
@if minutes.signatures.1
sig_role: {{minutes.signatures.1.role}}
sig_authority: {{minutes.signatures.1.authority}}
sig_position: {{minutes.signatures.1.position}}
sig_name: {{minutes.signatures.1.name|blank}}
@else
sig_role: Chủ trì hội nghị
sig_name: {{meeting.chair.0.name|blank}}
@end
@end

@if minutes.recipients
recipients_title: Nơi nhận:
@each r in minutes.recipients
@if loop.last
recipient: - {{r|trim_punct}}.
@else
recipient: - {{r|trim_punct}},
@end
@end
@end
