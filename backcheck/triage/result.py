"""The triage result: what triage concludes from findings, and its JSON contract.

`to_json()` follows `spec/triage-output.schema.json` and adds `questions`, `reasons`,
`uncertain_red_flags`, `insufficient_information` and a plain statement of what the result is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backcheck.findings import Finding

LEVEL_ORDER = ("normal", "self_care", "soon", "urgent", "emergency")


class Level(StrEnum):
    """Urgency, ordered from least to most urgent."""

    NORMAL = "normal"
    SELF_CARE = "self_care"
    SOON = "soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self.value)

    @classmethod
    def highest(cls, *levels: Level) -> Level:
        return max(levels, key=lambda lv: lv.rank)


@dataclass(frozen=True)
class KindScore:
    """One likely kind of pain, with the finding ids for and against it."""

    id: str
    score: float
    evidence_for: tuple[str, ...] = ()
    evidence_against: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """A sentence explaining part of the result, naming the findings it used."""

    text: str
    finding_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """A direct question that would settle something still unknown."""

    id: str
    text: str
    settles: str
    is_red_flag: bool


@dataclass
class TriageResult:
    level: Level
    kinds: list[KindScore]
    red_flags: list[str]
    factors: list[str]
    findings: list[Finding]
    reasons: list[Reason] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    uncertain_red_flags: list[str] = field(default_factory=list)
    insufficient_information: bool = False
    statement: str = ""
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "kinds": [
                {
                    "id": k.id,
                    "score": round(k.score, 3),
                    "evidence_for": list(k.evidence_for),
                    "evidence_against": list(k.evidence_against),
                }
                for k in self.kinds
            ],
            "red_flags": list(self.red_flags),
            "uncertain_red_flags": list(self.uncertain_red_flags),
            "factors": list(self.factors),
            "insufficient_information": self.insufficient_information,
            "questions": [
                {"id": q.id, "text": q.text, "settles": q.settles, "red_flag": q.is_red_flag}
                for q in self.questions
            ],
            "reasons": [{"text": r.text, "findings": list(r.finding_ids)} for r in self.reasons],
            "findings": [f.to_json() for f in self.findings],
            "statement": self.statement,
            "notices": list(self.notices),
        }
