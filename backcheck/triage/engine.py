"""Findings into a triage result, under the design's safety rules.

1. A red flag asserted present raises the level to at least its `min_level`; nothing lowers it.
2. An uncertain red flag is reported, asked about, and raises the level to one step below its
   `min_level` until it is settled.
3. Every result carries the not-a-diagnosis statement.
The rest is data: kind scores and usual levels (kinds.yaml), factor levels (factors.yaml),
derived findings (derived.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence

from backcheck.findings import Assertion, Finding
from backcheck.knowledge.loader import KnowledgeBase, load_knowledge
from backcheck.triage.consolidate import apply_derived, consolidate
from backcheck.triage.kinds import rank_kinds
from backcheck.triage.questions import open_questions
from backcheck.triage.result import LEVEL_ORDER, KindScore, Level, Reason, TriageResult

# Findings that only say the report is about a sore back; alone they are not enough to judge.
GENERIC = frozenset({"back_symptom", "soreness", "stiffness"})


def _evidence(findings: Sequence[Finding], finding_id: str) -> str:
    for f in findings:
        if f.id == finding_id and f.assertion in (Assertion.PRESENT, Assertion.UNCERTAIN):
            return f.evidence
    return ""


def _firm(factors: list[str], findings: Sequence[Finding]) -> list[str]:
    """The factors some reader besides the learned layer found. A factor only the learned layer
    saw is shown and advised on but moves neither a kind's score nor a level: at its dev precision
    (0.3-0.7) it is too weak for either, and through the kinds it could even lower a level."""
    return [
        fid
        for fid in factors
        if any(
            f.id == fid
            and not f.is_learned
            and f.assertion in (Assertion.PRESENT, Assertion.UNCERTAIN)
            for f in findings
        )
    ]


def _one_below(level: str) -> Level:
    return Level(LEVEL_ORDER[max(0, LEVEL_ORDER.index(level) - 1)])


def _level(
    kinds: list[KindScore],
    red_flags: list[str],
    uncertain_flags: list[str],
    factors: list[str],
    present: set[str],
    insufficient: bool,
    kb: KnowledgeBase,
) -> tuple[Level, list[Reason]]:
    reasons = []
    # A kind put first by a red flag gets its urgency from that flag's min_level; the usual
    # level comes from the most likely kind the red flags do not point to.
    flagged = {kb.red_flags[f].suggests_kind for f in red_flags}
    by_score = sorted(kinds, key=lambda k: -k.score)
    lead = next((k for k in by_score if k.id not in flagged), by_score[0])
    top = kb.kinds[lead.id]
    level = Level(top.level)
    doubts = tuple(i for i in top.unsure_with if i in present)
    if top.unsure_level and doubts:
        level = Level(top.unsure_level)
        signs = ", ".join(_name(i, kb) for i in doubts)
        reasons.append(Reason(f"{signs}: not the usual course of {top.name.lower()}.", doubts))
    elif top.unsure_level and top.sure_with and not present & set(top.sure_with):
        level = Level(top.unsure_level)
        signs = " or ".join(_name(i, kb).lower() for i in top.sure_with)
        reasons.append(Reason(f"No sign of {top.name.lower()} yet ({signs}).", ()))
    elif top.unsure_level and lead.score < top.confident_at:
        level = Level(top.unsure_level)
        reasons.append(Reason(f"The signs of {top.name.lower()} are thin.", lead.evidence_for))
    if insufficient:
        level = Level.highest(level, Level.SELF_CARE)
    raisers = [(kb.factors[f], "is worth working on") for f in factors] + [
        (symptom, "is worth a clinician's look")
        for symptom in kb.symptoms.values()
        if symptom.id in present
    ]
    for record, why in raisers:
        if record.raises_to and Level(record.raises_to).rank > level.rank:
            level = Level(record.raises_to)
            reasons.append(Reason(f"{record.name} {why}.", (record.id,)))
    for fid in uncertain_flags:
        floor = _one_below(kb.red_flags[fid].min_level)
        if floor.rank > level.rank:
            level = floor
    for fid in red_flags:
        floor = Level(kb.red_flags[fid].min_level)
        if floor.rank > level.rank:
            level = floor
    return level, reasons


def triage(
    findings: Sequence[Finding],
    notices: Sequence[str] = (),
    kb: KnowledgeBase | None = None,
) -> TriageResult:
    """The triage result for a set of findings from any mix of intakes."""
    kb = kb or load_knowledge()
    states = consolidate(findings)
    derived = apply_derived(states, kb)
    all_findings = [*findings, *derived]
    present = {i for i, a in states.items() if a is Assertion.PRESENT}
    red_flags = [i for i in kb.red_flags if states.get(i) is Assertion.PRESENT]
    uncertain = [i for i in kb.red_flags if states.get(i) is Assertion.UNCERTAIN]
    factors = [i for i in kb.factors if states.get(i) in (Assertion.PRESENT, Assertion.UNCERTAIN)]
    insufficient = not (present - GENERIC) or bool(notices and not findings)
    firm = _firm(factors, findings)
    kinds = _red_flag_kinds_first(rank_kinds(present | set(firm), kb), red_flags, kb)
    level, reasons = _level(kinds, red_flags, uncertain, firm, present, insufficient, kb)
    reasons = (
        _red_flag_reasons(all_findings, red_flags, uncertain, kb)
        + _kind_reasons(kinds, kb)
        + reasons
        + _factor_reasons(all_findings, factors, kb)
    )
    statement = kb.texts["not_a_diagnosis"].text
    if insufficient:
        statement = kb.texts["insufficient_information"].text + " " + statement
    return TriageResult(
        level=level,
        kinds=kinds,
        red_flags=red_flags,
        factors=factors,
        findings=all_findings,
        reasons=reasons,
        questions=open_questions(states, kb),
        uncertain_red_flags=uncertain,
        insufficient_information=insufficient,
        statement=statement,
        notices=list(notices),
    )


def _red_flag_kinds_first(
    kinds: list[KindScore], red_flags: list[str], kb: KnowledgeBase
) -> list[KindScore]:
    """A kind a present red flag points to leads the list: the serious possibility comes first."""
    flagged = {kb.red_flags[f].suggests_kind for f in red_flags}
    return sorted(kinds, key=lambda k: (k.id not in flagged, -k.score, k.id))


def _red_flag_reasons(
    findings: Sequence[Finding], red: list[str], uncertain: list[str], kb: KnowledgeBase
) -> list[Reason]:
    out = []
    for fid in red:
        flag = kb.red_flags[fid]
        words = _evidence(findings, fid)
        out.append(
            Reason(
                f'Red flag - {flag.name.lower()} ("{words}"): at least '
                f"{flag.min_level.replace('_', ' ')}.",
                (fid,),
            )
        )
    for fid in uncertain:
        flag = kb.red_flags[fid]
        words = _evidence(findings, fid)
        out.append(
            Reason(
                f'Possible red flag - {flag.name.lower()} ("{words}"): the words are not clear, '
                "so it is asked below; if the answer is yes, it means "
                f"{flag.min_level.replace('_', ' ')}.",
                (fid,),
            )
        )
    return out


def _kind_reasons(kinds: list[KindScore], kb: KnowledgeBase) -> list[Reason]:
    out = []
    for k in kinds[:2]:
        if k.score < 0.2:
            continue
        name = kb.kinds[k.id].name
        pro = ", ".join(_name(i, kb) for i in k.evidence_for) or "no specific signs"
        text = f"{name} ({k.score:.0%}): for - {pro}"
        if k.evidence_against:
            text += "; against - " + ", ".join(_name(i, kb) for i in k.evidence_against)
        out.append(Reason(text + ".", k.evidence_for + k.evidence_against))
    return out


def _factor_reasons(
    findings: Sequence[Finding], factors: list[str], kb: KnowledgeBase
) -> list[Reason]:
    return [
        Reason(
            f'Contributing factor - {kb.factors[fid].name.lower()} ("{_evidence(findings, fid)}").',
            (fid,),
        )
        for fid in factors
    ]


def _name(finding_id: str, kb: KnowledgeBase) -> str:
    for table in (kb.red_flags, kb.factors, kb.symptoms):
        if finding_id in table:
            return table[finding_id].name.lower()
    return finding_id
