"""Which question the web questionnaire asks next, and how many are left.

The questions and their order are the intake's (`all_questions`: warning signs first); this
adds what a one-question-at-a-time screen needs:

- progress: "Question 5 of 23", a total that only shrinks as answers settle follow-ups;
- follow-ups from the knowledge base: a symptom's `ask_only_if` waits until one of those is
  present or uncertain, and its `not_asked_if` drops it once the answer is implied;
- two parts: the warning signs and symptoms, which decide the level, are always asked; the
  questions about training (factors), which shape the plan, are offered, not imposed.

`asking` reads the free text with the language pipeline, so it runs in a triage worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from backcheck.findings import Assertion, Finding
from backcheck.intake.questionnaire import QuestionnaireItem, all_questions, read_answers
from backcheck.intake.text import read_text
from backcheck.knowledge.loader import KnowledgeBase, load_knowledge
from backcheck.triage.consolidate import consolidate
from backcheck.triage.questions import follow_up

SETTLED = (Assertion.PRESENT, Assertion.ABSENT)


class Status(Enum):
    DONE = "done"  # answered, or settled by the text
    ASK = "ask"
    LATER = "later"  # a follow-up whose trigger is not known yet
    SKIP = "skip"  # a follow-up not needed, or an answer already implied
    # (ask / later / skip are `triage.questions.follow_up`'s answers)


@dataclass(frozen=True)
class Asking:
    question: QuestionnaireItem | None
    number: int  # of the question shown, counting the answers given so far
    total: int  # answers given + questions that may still be asked in the parts asked
    training_left: int  # training questions not asked (offered once the rest is done)


def red_flag_ids() -> frozenset[str]:
    return frozenset(load_knowledge().red_flags)


def _status(
    item: QuestionnaireItem, states: Mapping[str, Assertion], answers: Mapping[str, str]
) -> Status:
    if item.id in answers or states.get(item.id) in SETTLED:
        return Status.DONE
    return Status(follow_up(item.id, states, load_knowledge()))


def _is_training(item: QuestionnaireItem, kb: KnowledgeBase) -> bool:
    return item.id in kb.factors


def asking(answers: Mapping[str, str], text: str | None, training: bool) -> Asking:
    """The next question after these answers and text; training questions only if asked for."""
    findings: list[Finding] = read_answers({"answers": dict(answers)})[0] if answers else []
    if text and text.strip():
        findings += read_text(text).findings
    states = consolidate(findings)
    kb = load_knowledge()
    open_items: list[tuple[QuestionnaireItem, Status]] = []
    training_left = 0
    for item in all_questions():
        status = _status(item, states, answers)
        if status in (Status.DONE, Status.SKIP):
            continue
        if _is_training(item, kb) and not training:
            training_left += 1
            continue
        open_items.append((item, status))
    ready = [item for item, status in open_items if status is Status.ASK]
    question = ready[0] if ready else (open_items[0][0] if open_items else None)
    return Asking(question, len(answers) + 1, len(answers) + len(open_items), training_left)
