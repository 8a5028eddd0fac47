"""Load the knowledge base from the YAML files inside the package and check its references.

Each YAML file is a list of records of one model (see `FILES`). Loading fails with a
`KnowledgeError` naming the file, the record and the problem, so a bad edit is caught at start-up
and by the tests, never shown to a user half-loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from backcheck.errors import KnowledgeError
from backcheck.knowledge.advice_schema import (
    ADVICE_FILES,
    CareAction,
    ClinicianAdvice,
    Cue,
    Exercise,
    LadderStep,
    ProgramChange,
    SelfTest,
    check_advice_references,
)
from backcheck.knowledge.schema import (
    DerivedRule,
    FactorDef,
    KindDef,
    LevelDef,
    RedFlagDef,
    Source,
    SymptomDef,
    TextDef,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class KnowledgeBase:
    """Every record of the knowledge base, by kind and id."""

    sources: dict[str, Source]
    levels: dict[str, LevelDef]
    kinds: dict[str, KindDef]
    red_flags: dict[str, RedFlagDef]
    factors: dict[str, FactorDef]
    symptoms: dict[str, SymptomDef]
    derived: dict[str, DerivedRule]
    texts: dict[str, TextDef]
    # advice (see advice_schema.py)
    care: dict[str, CareAction] = field(default_factory=dict)
    self_tests: dict[str, SelfTest] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    cues: dict[str, Cue] = field(default_factory=dict)
    program_changes: dict[str, ProgramChange] = field(default_factory=dict)
    return_ladder: dict[str, LadderStep] = field(default_factory=dict)
    clinician: dict[str, ClinicianAdvice] = field(default_factory=dict)

    def finding_ids(self) -> set[str]:
        """Every id a finding may carry."""
        return set(self.red_flags) | set(self.factors) | set(self.symptoms)

    def question_for(self, finding_id: str) -> str | None:
        for table in (self.red_flags, self.factors, self.symptoms):
            if finding_id in table:
                return table[finding_id].question
        return None


# file name -> (KnowledgeBase field, record model)
FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "sources.yaml": ("sources", Source),
    "levels.yaml": ("levels", LevelDef),
    "kinds.yaml": ("kinds", KindDef),
    "red_flags.yaml": ("red_flags", RedFlagDef),
    "factors.yaml": ("factors", FactorDef),
    "symptoms.yaml": ("symptoms", SymptomDef),
    "derived.yaml": ("derived", DerivedRule),
    "texts.yaml": ("texts", TextDef),
    **ADVICE_FILES,
}


def _read_records(name: str, model: type[M]) -> dict[str, M]:
    text = resources.files("backcheck.knowledge").joinpath("data", name).read_text("utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, list):
        raise KnowledgeError(f"knowledge/data/{name}: expected a list of records")
    out: dict[str, M] = {}
    for i, item in enumerate(raw):
        try:
            rec = model.model_validate(item)
        except ValidationError as exc:
            raise KnowledgeError(f"knowledge/data/{name} record {i + 1}: {exc}") from exc
        rec_id = rec.id  # type: ignore[attr-defined]
        if rec_id in out:
            raise KnowledgeError(f"knowledge/data/{name}: duplicate id {rec_id!r}")
        out[rec_id] = rec
    return out


def _check_references(kb: KnowledgeBase) -> None:
    """Every `source`, `suggests_kind` and other id a record names must be defined."""
    for f in fields(kb):
        table: dict[str, Any] = getattr(kb, f.name)
        for rec_id, rec in table.items():
            for ref in _source_refs(rec):
                if ref not in kb.sources:
                    raise KnowledgeError(f"{f.name}/{rec_id}: unknown source {ref!r}")
    for flag in kb.red_flags.values():
        if flag.suggests_kind not in kb.kinds:
            raise KnowledgeError(f"red_flags/{flag.id}: unknown kind {flag.suggests_kind!r}")
    known = kb.finding_ids()
    for kind in kb.kinds.values():
        for ref in [*kind.weights_for, *kind.weights_against]:
            if ref not in known:
                raise KnowledgeError(f"kinds/{kind.id}: weight for unknown finding {ref!r}")
        for attr in ("unsure_with", "sure_with"):
            for ref in getattr(kind, attr):
                if ref not in known:
                    raise KnowledgeError(f"kinds/{kind.id}: {attr} names unknown finding {ref!r}")
    asked = {
        i
        for table in (kb.red_flags, kb.factors, kb.symptoms)
        for i in table
        if getattr(table[i], "question", None)
    }
    for symptom in kb.symptoms.values():
        for ref in [*symptom.ask_only_if, *symptom.not_asked_if]:
            if ref not in asked:
                raise KnowledgeError(f"symptoms/{symptom.id}: {ref!r} is not a question")
    for rule in kb.derived.values():
        for ref in [rule.concludes, *rule.when_all, *rule.unless_any]:
            if ref not in known:
                raise KnowledgeError(f"derived/{rule.id}: unknown finding {ref!r}")
    check_advice_references(kb)


def _source_refs(rec: BaseModel) -> list[str]:
    value = getattr(rec, "source", None) if not isinstance(rec, Source) else None
    if value is None:
        value = getattr(rec, "sources", None) if not isinstance(rec, Source) else None
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@cache
def load_knowledge() -> KnowledgeBase:
    """The validated knowledge base (loaded once per process)."""
    tables = {attr: _read_records(name, model) for name, (attr, model) in FILES.items()}
    kb = KnowledgeBase(**tables)
    _check_references(kb)
    return kb
