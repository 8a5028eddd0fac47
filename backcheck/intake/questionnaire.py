"""The guided questionnaire: the same findings as free text, from structured answers.

Questions come from the knowledge base (red flags first, in `ask_order`, then the symptom and
factor questions). `next_question` asks only what the answers and any free text have not
already settled. Answers are "yes", "no" or "unsure"; anything else is a clear error.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backcheck.errors import InputError
from backcheck.findings import Assertion, Finding, Origin
from backcheck.intake.text import read_text
from backcheck.knowledge.loader import load_knowledge
from backcheck.triage.consolidate import consolidate

CHOICES = ("yes", "no", "unsure")
_ANSWER_ASSERTION = {
    "yes": Assertion.PRESENT,
    "no": Assertion.ABSENT,
    "unsure": Assertion.UNCERTAIN,
}
_ALIASES = {
    "y": "yes",
    "n": "no",
    "true": "yes",
    "false": "no",
    "?": "unsure",
    "not sure": "unsure",
    "dont know": "unsure",
    "don't know": "unsure",
    "maybe": "unsure",
}
# Symptom questions worth asking after the red flags, in order.
SYMPTOM_ORDER = (
    "leg_radiation",
    "below_knee",
    "leg_numbness",
    "sharp_onset",
    "onset_during_lift",
    "delayed_onset",
    "resolves_quickly",
    "improving",
    "worsening",
    "long_duration",
)


@dataclass(frozen=True)
class QuestionnaireItem:
    id: str
    text: str
    settles: str
    is_red_flag: bool
    choices: tuple[str, ...] = CHOICES


def all_questions() -> list[QuestionnaireItem]:
    """Every question, in the order they are asked."""
    kb = load_knowledge()
    items = [
        QuestionnaireItem(f.id, f.question, f.id, True)
        for f in sorted(kb.red_flags.values(), key=lambda f: f.ask_order)
    ]
    items += [QuestionnaireItem(i, q, i, False) for i in SYMPTOM_ORDER if (q := kb.question_for(i))]
    items += [QuestionnaireItem(f.id, f.question, f.id, False) for f in kb.factors.values()]
    return items


def _normalise(question_id: str, value: Any) -> str:
    text = str(value).strip().lower() if value is not None else ""
    text = _ALIASES.get(text, text)
    if text not in CHOICES:
        raise InputError(
            f"Answer to {question_id!r} is {value!r}; expected one of yes, no, unsure."
        )
    return text


def _split(payload: Mapping[str, Any]) -> tuple[Mapping[str, Any], str | None]:
    if not isinstance(payload, Mapping):
        raise InputError('Answers must be a JSON object like {"answers": {"fever": "no"}}.')
    if "answers" in payload or "text" in payload:
        unknown = set(payload) - {"answers", "text"}
        if unknown:
            raise InputError(
                f"Unknown key(s) {sorted(unknown)} in answers file; use 'answers' and 'text'."
            )
        answers = payload.get("answers") or {}
        if not isinstance(answers, Mapping):
            raise InputError("'answers' must be an object mapping question ids to yes/no/unsure.")
        text = payload.get("text")
        if text is not None and not isinstance(text, str):
            raise InputError("'text' in the answers file must be a string.")
        return answers, text
    return payload, None


def read_answers(payload: Mapping[str, Any]) -> tuple[list[Finding], list[str], str | None]:
    """Findings from answers (and the optional text); raises InputError for unknown ids/values."""
    answers, text = _split(payload)
    known = {q.id: q for q in all_questions()}
    findings: list[Finding] = []
    for qid, value in answers.items():
        if qid not in known:
            close = difflib.get_close_matches(str(qid), known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"Unknown question id {qid!r} in answers.{hint} "
                f"Valid ids: {', '.join(sorted(known))}."
            )
        answer = _normalise(qid, value)
        findings.append(
            Finding(
                qid,
                _ANSWER_ASSERTION[answer],
                Origin.QUESTIONNAIRE,
                f"{known[qid].text} - {answer}",
                confidence=1.0,
            )
        )
    notices: list[str] = []
    if text and text.strip():
        intake = read_text(text)
        findings += intake.findings
        notices += intake.notices
    if not findings:
        raise InputError(
            "No answers given: answer at least one question, or describe what happened."
        )
    return findings, notices, text


def next_question(answers: Mapping[str, str], text: str | None = None) -> QuestionnaireItem | None:
    """The next question still unknown after these answers and text, red flags first."""
    findings: list[Finding] = []
    if answers:
        findings = read_answers({"answers": dict(answers)})[0]
    if text and text.strip():
        findings += read_text(text).findings
    states = consolidate(findings)
    for item in all_questions():
        if item.id in answers:
            continue
        if states.get(item.id) in (Assertion.PRESENT, Assertion.ABSENT):
            continue
        return item
    return None
