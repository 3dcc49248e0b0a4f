# Minutes (biên bản) of a meeting of a state body: Decree 30/2020/NĐ-CP
# Form 1.9 (conventions.md §4.1; §4.3 for the common content).  The header
# has no place-and-date line: the time is given in the body.  A fact the record lacks
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
@cell right
title: Cộng hòa xã hội chủ nghĩa Việt Nam
motto: Độc lập - Tự do - Hạnh phúc
@end
@row header
@cell left
number: {{minutes.number|docnum:BB}}
@cell right
@end

type_name: Biên bản
minutes_title: {{meeting.title}}

body: - Thời gian bắt đầu: {{meeting.start|time|blank}}, {{meeting.date|date}}.
body: - Địa điểm: {{meeting.venue|blank}}.
@if meeting.chair
@each p in meeting.chair
body: - Chủ trì (chủ tọa): {{p.name}}{{p.title|prefix:", "}}.
@end
@else
body: - Chủ trì (chủ tọa): {{meeting.chair|blank}}.
@end
@if meeting.secretary
@each p in meeting.secretary
body: - Thư ký (người ghi biên bản): {{p.name}}{{p.title|prefix:", "}}.
@end
@else
body: - Thư ký (người ghi biên bản): {{meeting.secretary|blank}}.
@end
@if meeting.documents
body: - Tài liệu sử dụng: {{meeting.documents|join:"; "}}.
@end
@if meeting.notes
body: - {{meeting.notes}}
@end

section: 1. Thành phần tham dự
subsection: 1.1. Thành viên
body: Tổng số: {{meeting.members.total|int|blank}} {{meeting.members.unit}}; có mặt: {{meeting.members.present|int|blank}} {{meeting.members.unit}}; vắng mặt: {{meeting.members.absent|int|default:"0"}} {{meeting.members.unit}}.
@each p in meeting.absent
item: - Vắng mặt: {{p.name}}{{p.title|prefix:", "}}; lý do: {{p.reason|blank}}.
@end
@if meeting.guests
subsection: 1.2. Khách mời
@each p in meeting.guests
item: - {{p.name}}{{p.title|prefix:", "}}.
@end
@end

@if meeting.agenda
section: 2. Nội dung cuộc họp
@each a in meeting.agenda
item: - {{a|trim_punct}}.
@end
@end

section: 3. Diễn biến cuộc họp
@if meeting.proceedings
@each p in meeting.proceedings
body: [b]{{p.speaker}}[/b]{{p.title|prefix:", "}}: {{p.text}}
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
section: 5. Kết luận
@each c in meeting.conclusion
item: - {{c}}
@end
@end

body: Cuộc họp kết thúc vào {{meeting.end|time|blank}}, {{meeting.date|date}}.
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
sig_role: Thư ký
sig_name: {{meeting.secretary.0.name|blank}}
@end
@cell right
@if minutes.signatures.1
sig_role: {{minutes.signatures.1.role}}
sig_authority: {{minutes.signatures.1.authority}}
sig_position: {{minutes.signatures.1.position}}
sig_name: {{minutes.signatures.1.name|blank}}
@else
sig_role: Chủ tọa
sig_name: {{meeting.chair.0.name|blank}}
@end
@end

@if minutes.recipients
recipients_title: Nơi nhận:
@each r in minutes.recipients
@if loop.last
recipient: - {{r|trim_punct}}.
@else
recipient: - {{r|trim_punct}};
@end
@end
@end
