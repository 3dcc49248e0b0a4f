# Decision (quyết định) of a Party committee.  Regulation 399-QĐ/TW's own
# text (conventions.md §2.0): bases as "- Căn cứ …;" lines ending with
# "- Theo đề nghị của …,", then the articles.  The enacting line names the
# body that decides ("BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI QUYẾT ĐỊNH"), as Party
# decisions are written in practice; the Guide's own form is not known
# (conventions.md §6: the state form's order with the Party's header).
@require decision this record has no "decision"; it cannot make a decision
@set title Quyết định {{decision.subject}}
@set author {{issuer.name}}
@set subject {{decision.subject}}
@set keywords quyết định
@set date {{decision.date}}

@include header.inc

type_name: Quyết định
summary: {{decision.subject}}
summary_mark: -----

@each b in decision.bases
basis: - {{b}}
@end
@if decision.proposer
basis: - Theo đề nghị của {{decision.proposer|trim_punct}},
@end
@if decision.enacting
enacting: {{decision.enacting}}
@else
enacting: {{decision.authority}} quyết định
@end

@include body.inc
@end_mark
@include signature.inc
