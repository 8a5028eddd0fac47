"""Pydantic models of the knowledge base: every YAML record is validated against one of these.

Unknown keys are an error (`extra="forbid"`), and the models are frozen, so the knowledge base
is read-only data once loaded. Cross-references (a `source` id, a `settles` id) are checked by
`backcheck.knowledge.loader` after all files are read.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

LevelId = Literal["normal", "self_care", "soon", "urgent", "emergency"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Record):
    """A reputable publication that advice and rules are written from."""

    id: str
    title: str
    publisher: str
    year: int = Field(ge=1950, le=2100)
    url: HttpUrl


class LevelDef(Record):
    id: LevelId
    meaning: str
    headline: str  # what to do, shown first on the screen
    source: str


class KindDef(Record):
    """A likely kind of pain; its score is logistic(prior + weights of present findings)."""

    id: str
    name: str
    meaning: str
    level: LevelId
    # Below this score the kind is only a weak lead, and `unsure_level` is used instead.
    confident_at: float = Field(default=0.0, ge=0.0, le=1.0)
    unsure_level: LevelId | None = None
    # Any of these present also makes it a weak lead: signs that it is not the usual course.
    unsure_with: list[str] = []
    # Without one of these present it is a weak lead too: the positive signs the kind needs.
    sure_with: list[str] = []
    prior: float
    weights_for: dict[str, float] = Field(alias="for")
    weights_against: dict[str, float] = Field(alias="against")
    source: str


class RedFlagDef(Record):
    id: str
    name: str
    min_level: LevelId
    what: str
    question: str  # asked when the flag is unknown or uncertain; yes means present
    source: str
    suggests_kind: str  # the kind this flag points to (cauda_equina, serious_pathology, ...)
    ask_order: int  # questionnaire order: lower is asked first


class FactorDef(Record):
    id: str
    name: str
    meaning: str
    question: str
    raises_to: LevelId | None = None  # e.g. a technique fault makes "check form" worth saying
    source: str


class SymptomDef(Record):
    """A finding that is neither a red flag nor a factor: how the pain behaves."""

    id: str
    name: str
    meaning: str
    question: str | None = None
    raises_to: LevelId | None = None  # a course that needs a clinician whatever the kind
    # The guided questions: asked only once one of `ask_only_if` is present or uncertain (a
    # follow-up), and not asked once one of `not_asked_if` is present (the answer is implied).
    ask_only_if: list[str] = []
    not_asked_if: list[str] = []
    source: str


class DerivedRule(Record):
    """A finding concluded from other findings (e.g. worsening after weeks -> unrelenting pain)."""

    id: str
    concludes: str
    assertion: Literal["present", "uncertain"]
    when_all: list[str]
    unless_any: list[str] = []
    explanation: str
    source: str


class TextDef(Record):
    """Fixed wording shown with results (e.g. the not-a-diagnosis statement)."""

    id: str
    text: str
    source: str
