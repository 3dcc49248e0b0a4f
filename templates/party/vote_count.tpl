# The ballot committee's record of a secret ballot at a Party meeting
# (biên bản kiểm phiếu).  No form is prescribed (conventions.md §6, last
# row): a Party biên bản (§4.2: header with a date line, type name, the
# meeting, -----, time and place, who counted) whose content is, per
# election or motion, the ballots issued, received, valid and invalid, then
# each candidate's or option's votes and their share of the base; the
# record reader checks the counts and computes the shares (compute:ballots).
# Two signature columns as in the minutes.
@require vote_count this record has no "vote_count"; it cannot make a vote count
@set title Biên bản kiểm phiếu {{vote_count.subject}}
@set author {{issuer.name}}
@set subject {{meeting.title}}
@set keywords biên bản kiểm phiếu
@set date {{vote_count.date}}

@include header.inc

type_name: Biên bản kiểm phiếu
@if vote_count.subject
minutes_title: {{vote_count.subject}}
@else
minutes_title: {{meeting.title}}
@end
summary_mark: -----

body: - Thời gian: vào hồi {{vote_count.start|time|blank}}, {{vote_count.date|date}}.
body: - Địa điểm: {{vote_count.venue|blank}}.
@if vote_count.subject and meeting.title
body: - Tại: {{meeting.title}}.
@end

section: 1. Ban kiểm phiếu
@each m in vote_count.committee
item: - Đồng chí {{m.name}}{{m.title|prefix:", "}} - {{m.role|trim_punct}}.
@end

section: 2. Kết quả kiểm phiếu
@each it in vote_count.items
subsection: 2.{{loop.index}}. {{it.title|trim_punct}}
body: - Số phiếu phát ra: {{it.ballots.issued|int}} phiếu; số phiếu thu vào: {{it.ballots.received|int}} phiếu.
body: - Số phiếu hợp lệ: {{it.ballots.valid|int}} phiếu; số phiếu không hợp lệ: {{it.ballots.invalid|int}} phiếu.
@if it.base_valid
body: - Số phiếu của từng người (phương án), tỷ lệ so với số phiếu hợp lệ:
@else
body: - Số phiếu của từng người (phương án), tỷ lệ so với tổng số {{it.pct_base|int}} {{meeting.members.unit}}:
@end
@each r in it.results
item: + {{r.name}}: {{r.votes|int}} phiếu, đạt {{r.pct|blank}}.
@end
@end
@if vote_count.notes
body: {{vote_count.notes}}
@end

body: Việc kiểm phiếu kết thúc vào hồi {{vote_count.end|time|blank}} cùng ngày; biên bản đã được đọc lại cho Ban kiểm phiếu cùng nghe và nhất trí thông qua.
@end_mark

# Signatures side by side, as in the minutes: the secretary left, the
# head of the committee right (the record's own columns when it has them).
@row signature
@cell left
@if vote_count.signatures
sig_role: {{vote_count.signatures.0.role}}
sig_authority: {{vote_count.signatures.0.authority}}
sig_position: {{vote_count.signatures.0.position}}
sig_name: {{vote_count.signatures.0.name|blank}}
@else
sig_role: Thư ký
sig_name: {{vote_count.signatures|blank}}
@end
@cell right
@if vote_count.signatures.1
sig_role: {{vote_count.signatures.1.role}}
sig_authority: {{vote_count.signatures.1.authority}}
sig_position: {{vote_count.signatures.1.position}}
sig_name: {{vote_count.signatures.1.name|blank}}
@else
sig_role: Trưởng ban kiểm phiếu
sig_name: {{vote_count.committee.0.name|blank}}
@end
@end

@if vote_count.recipients
recipients_title_below: Nơi nhận:
@each r in vote_count.recipients
@if loop.last
recipient: - {{r|trim_punct}}.
@else
recipient_below: - {{r|trim_punct}},
@end
@end
@end
