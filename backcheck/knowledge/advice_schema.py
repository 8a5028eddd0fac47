"""Pydantic models of the ADVICE records of the knowledge base.

Each advice item says what to do, names its source, and carries a `when` selector saying which
triage results it applies to, so choosing advice is data, not code. Items that involve training
(self-tests, cues, program changes, exercises, the return ladder) may not list the `urgent` or
`emergency` levels: a person who must see a doctor today is never handed a workout.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from backcheck.errors import KnowledgeError
from backcheck.knowledge.schema import LevelId, Record

TRAINING_FREE_LEVELS = frozenset({"urgent", "emergency"})


class When(Record):
    """Which triage results an item applies to.

    `levels` is a filter: when given, the result's level must be one of them. The other lists
    are triggers: when any is given, at least one of them must match the result (a likely kind,
    a factor, a red flag present, a present finding id). `uncertain_red_flags` triggers when a
    red flag is still unsettled. With no trigger at all the item applies at its levels.
    `without_red_flags` withholds the item while any red flag is present (e.g. the return
    ladder, which waits until a clinician has looked at the warning sign).
    """

    levels: tuple[LevelId, ...] = ()
    kinds: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    uncertain_red_flags: bool = False
    without_red_flags: bool = False

    def has_trigger(self) -> bool:
        return (
            bool(self.kinds or self.factors or self.red_flags or self.findings)
            or self.uncertain_red_flags
        )


class AdviceItem(Record):
    """One piece of advice, written from its source(s), shown with them."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    text: str = Field(min_length=10)
    source: str
    sources: tuple[str, ...] = ()  # further sources, beyond the main one
    when: When
    priority: int = Field(default=50, ge=0, le=100)  # lower is shown first

    def all_sources(self) -> tuple[str, ...]:
        return (self.source, *(s for s in self.sources if s != self.source))


class _TrainingItem(AdviceItem):
    """Advice that means training: never offered at urgent or emergency levels."""

    @model_validator(mode="after")
    def _no_training_when_urgent(self) -> _TrainingItem:
        bad = TRAINING_FREE_LEVELS.intersection(self.when.levels)
        if bad:
            raise ValueError(f"{self.id}: training advice may not apply at levels {sorted(bad)}")
        if not self.when.levels:
            raise ValueError(f"{self.id}: training advice must list the levels it applies at")
        return self


class CareAction(AdviceItem):
    """What to do now: stop, walk, heat or ice, rest, go to emergency care."""

    lead: bool = False  # must come first in "now" at its levels (emergency or urgent care)


class SelfTest(_TrainingItem):
    """A simple test the lifter can do alone, with what a positive result suggests."""

    steps: tuple[str, ...] = Field(min_length=2)
    positive: str = Field(min_length=10)  # what a positive result suggests (never a diagnosis)
    checks: str  # the factor id it checks

    @model_validator(mode="after")
    def _checks_is_a_trigger(self) -> SelfTest:
        if self.checks not in self.when.factors:
            raise ValueError(f"{self.id}: checks {self.checks!r} must be one of when.factors")
        return self


class Exercise(_TrainingItem):
    """Strength or mobility work, with how much to do."""

    steps: tuple[str, ...] = Field(min_length=2)
    dosage: str = Field(min_length=5)


class Cue(_TrainingItem):
    """A technique cue for a fault."""

    fault: str  # the factor id it corrects
    steps: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fault_is_a_trigger(self) -> Cue:
        if self.fault not in self.when.factors:
            raise ValueError(f"{self.id}: fault {self.fault!r} must be one of when.factors")
        return self


class ProgramChange(_TrainingItem):
    """A change to the training program (load, volume, set structure, warm-up, recovery)."""

    steps: tuple[str, ...] = ()


class LadderStep(_TrainingItem):
    """One rung of the graded return to lifting."""

    step: int = Field(ge=1)
    move_up: str = Field(min_length=10)  # criterion to go to the next step
    step_back: str = Field(min_length=10)  # when to go back a step


class ClinicianAdvice(AdviceItem):
    """When and whom to see, and what to tell them."""

    tell: tuple[str, ...] = ()  # what to tell the clinician


# file name -> (KnowledgeBase field, record model); merged into loader.FILES
ADVICE_FILES: dict[str, tuple[str, type[AdviceItem]]] = {
    "care.yaml": ("care", CareAction),
    "self_tests.yaml": ("self_tests", SelfTest),
    "exercises.yaml": ("exercises", Exercise),
    "cues.yaml": ("cues", Cue),
    "program_changes.yaml": ("program_changes", ProgramChange),
    "return_ladder.yaml": ("return_ladder", LadderStep),
    "clinician.yaml": ("clinician", ClinicianAdvice),
}


def check_advice_references(kb: Any) -> None:
    """Every source and every `when`, `checks` and `fault` id of the advice must be defined.

    `kb` is a `KnowledgeBase` (typed loosely to keep this module free of the loader).
    """
    known = {
        "kinds": set(kb.kinds),
        "factors": set(kb.factors),
        "red_flags": set(kb.red_flags),
        "findings": set(kb.finding_ids()),
    }
    for attr, _model in ADVICE_FILES.values():
        for item in getattr(kb, attr).values():
            where = f"{attr}/{item.id}"
            for ref in item.all_sources():
                if ref not in kb.sources:
                    raise KnowledgeError(f"{where}: unknown source {ref!r}; add it to sources.yaml")
            for field, ids in known.items():
                for ref in getattr(item.when, field):
                    if ref not in ids:
                        raise KnowledgeError(f"{where}: when.{field} names unknown id {ref!r}")
            for ref in (getattr(item, "checks", None), getattr(item, "fault", None)):
                if ref is not None and ref not in known["factors"]:
                    raise KnowledgeError(f"{where}: unknown factor {ref!r}")
