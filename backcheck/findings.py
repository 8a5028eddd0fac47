"""The one currency of backcheck: a Finding.

Every intake (free text, questionnaire, training log, video) turns its input into findings, and
triage and advice look only at findings. That is what lets a load jump computed from a log or a
hip rise measured on video feed the same reasoning as the lifter's own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Assertion(StrEnum):
    """How a finding is asserted, as ConText would classify a mention."""

    PRESENT = "present"
    ABSENT = "absent"
    UNCERTAIN = "uncertain"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"


# `detail["read_by"]` of a finding the learned recall layer made.
LEARNED_READER = "learned"


class Origin(StrEnum):
    """Which intake produced a finding."""

    TEXT = "text"
    QUESTIONNAIRE = "questionnaire"
    LOG = "log"
    VIDEO = "video"


@dataclass(frozen=True)
class Finding:
    """One fact about the lifter, with where it came from.

    `id` is a knowledge-base id (a red flag, factor, or symptom finding). `evidence` is what a
    person can check: the words of the report, the questionnaire answer, the log computation or
    the video reps. `detail` carries structured extras (e.g. `{"reps": [3, 4, 5]}`).
    """

    id: str
    assertion: Assertion
    origin: Origin
    evidence: str
    confidence: float = 1.0
    span: tuple[int, int] | None = None
    detail: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"finding {self.id!r}: confidence {self.confidence} not in [0, 1]")
        object.__setattr__(self, "assertion", Assertion(self.assertion))
        object.__setattr__(self, "origin", Origin(self.origin))
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))

    @property
    def is_learned(self) -> bool:
        """Read by the learned recall layer alone (its evidence is the whole clause)."""
        return self.detail.get("read_by") == LEARNED_READER

    @property
    def is_present(self) -> bool:
        return self.assertion is Assertion.PRESENT

    def to_json(self) -> dict[str, Any]:
        """The finding as the triage JSON shows it (`id`, `assertion`, `text`, ...)."""
        out: dict[str, Any] = {
            "id": self.id,
            "assertion": self.assertion.value,
            "text": self.evidence,
            "origin": self.origin.value,
            "confidence": round(self.confidence, 3),
        }
        if self.span is not None:
            out["span"] = list(self.span)
        if self.detail:
            out["detail"] = dict(self.detail)
        return out
