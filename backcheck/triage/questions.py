"""What is still unknown, as direct questions: ambiguous red flags first, then unasked red
flags in the knowledge base's order, then the few symptom questions that separate the kinds."""

from __future__ import annotations

from collections.abc import Mapping

from backcheck.findings import Assertion
from backcheck.knowledge.loader import KnowledgeBase
from backcheck.triage.result import Question

# Symptom findings whose answer most changes the ranking of kinds, asked in this order.
DISCRIMINATING = (
    "leg_radiation",
    "below_knee",
    "leg_numbness",
    "sharp_onset",
    "delayed_onset",
    "resolves_quickly",
    "long_duration",
    "worsening",
)
MAX_SYMPTOM_QUESTIONS = 3


def open_questions(states: dict[str, Assertion], kb: KnowledgeBase) -> list[Question]:
    settled = {Assertion.PRESENT, Assertion.ABSENT}
    flags = sorted(kb.red_flags.values(), key=lambda f: f.ask_order)
    uncertain = [f for f in flags if states.get(f.id) is Assertion.UNCERTAIN]
    unknown = [f for f in flags if states.get(f.id) not in settled and f not in uncertain]
    out = [Question(f.id, f.question, f.id, True) for f in uncertain + unknown]
    asked = 0
    for finding_id in DISCRIMINATING:
        question = kb.question_for(finding_id)
        if (
            not question
            or states.get(finding_id) in settled
            or follow_up(finding_id, states, kb) != "ask"
        ):
            continue
        if asked < MAX_SYMPTOM_QUESTIONS:
            out.append(Question(finding_id, question, finding_id, False))
            asked += 1
    return out


def follow_up(finding_id: str, states: Mapping[str, Assertion], kb: KnowledgeBase) -> str:
    """Whether a symptom's question is worth asking now: "skip" when its answer is implied
    (`not_asked_if` present) or every trigger of a follow-up (`ask_only_if`) is absent, "later"
    while a follow-up's triggers are unknown, else "ask"."""
    symptom = kb.symptoms.get(finding_id)
    if symptom is None:
        return "ask"
    if any(states.get(i) is Assertion.PRESENT for i in symptom.not_asked_if):
        return "skip"
    if not symptom.ask_only_if:
        return "ask"
    triggers = [states.get(i) for i in symptom.ask_only_if]
    if any(t in (Assertion.PRESENT, Assertion.UNCERTAIN) for t in triggers):
        return "ask"
    return "skip" if all(t is Assertion.ABSENT for t in triggers) else "later"
