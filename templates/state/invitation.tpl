# An invitation of a state body (giấy mời, GM): Decree 30 Form 1.7
# (conventions.md §6: type name / summary / rule / "… trân trọng kính
# mời:" / "Tới dự:" / "Chủ trì:" / "Thời gian:" / "Địa điểm:" / notes).
# The meeting's title, chair, time and venue are the defaults (the fields
# file); the invitation's date is always its own.
@require invitation this record has no "invitation"; it cannot make an invitation
@set title Giấy mời {{invitation.event}}
@set author {{issuer.name}}
@set subject {{invitation.event}}
@set keywords giấy mời
@set date {{invitation.date}}

@include header.inc

type_name: Giấy mời
@if invitation.subject
summary: {{invitation.subject|capfirst}}
@else
summary: Dự {{invitation.event}}
@end

# one invitee on the line of "kính mời:", several one a line
@if invitation.invitees.1
body: {{invitation.host}} trân trọng kính mời:
@each p in invitation.invitees
@if loop.last
invitee: - {{p|trim_punct}}.
@else
invitee: - {{p|trim_punct}};
@end
@end
@else
body: {{invitation.host}} trân trọng kính mời: [b]{{invitation.invitees.0|trim_punct}}[/b].
@end
body: Tới dự: [b]{{invitation.event|trim_punct}}[/b].
@if invitation.chair
body: Chủ trì: {{invitation.chair|trim_punct}}.
@elif meeting.chair
@each p in meeting.chair
body: Chủ trì: {{p.name}}{{p.title|prefix:", "}}.
@end
@else
body: Chủ trì: {{invitation.chair|blank}}.
@end
body: Thời gian: {{invitation.start|time|blank}}, {{invitation.day|date|blank}}.
body: Địa điểm: {{invitation.venue|blank}}.
@each n in invitation.notes
body: {{n}}
@end
@end_mark
@include signature.inc
