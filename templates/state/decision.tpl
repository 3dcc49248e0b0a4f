# Decision (quyết định cá biệt) of a state body or its head: Decree
# 30/2020/NĐ-CP Form 1.2 (conventions.md §6): QUYẾT ĐỊNH / "Về việc …" / rule /
# the authority in capitals / "Căn cứ …;" / "Theo đề nghị của … ." /
# QUYẾT ĐỊNH: / the articles, the last naming who carries it out.
@require decision this record has no "decision"; it cannot make a decision
@set title Quyết định {{decision.subject}}
@set author {{issuer.name}}
@set subject {{decision.subject|capfirst}}
@set keywords quyết định
@set date {{decision.date}}

@include header.inc

type_name: Quyết định
summary: {{decision.subject|capfirst}}
authority: {{decision.authority}}

@each b in decision.bases
basis: {{b}}
@end
@if decision.proposer
basis: Theo đề nghị của {{decision.proposer|trim_punct}}.
@end
enacting: {{decision.enacting|default:"Quyết định:"}}

@include body.inc
@end_mark
@include signature.inc
