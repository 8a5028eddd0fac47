"""Turn a triage result into a plan: what to do now, tests, cues, program, return, clinician.

Which items appear is decided by the `when` selectors in the knowledge base; this module only
assembles them and enforces the safety rules that must hold whatever the data says: at urgent and
emergency levels the plan opens with getting medical care and offers no training at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from backcheck.advice.select import Context, measured_evidence, select
from backcheck.errors import KnowledgeError
from backcheck.knowledge.advice_schema import AdviceItem, LadderStep
from backcheck.knowledge.loader import KnowledgeBase, load_knowledge
from backcheck.knowledge.schema import Source
from backcheck.triage.result import Level, TriageResult

# plan section -> knowledge-base table, in the order a plan is read
SECTIONS: dict[str, str] = {
    "now": "care",
    "self_tests": "self_tests",
    "cues": "cues",
    "program_changes": "program_changes",
    "exercises": "exercises",
    "return_to_lifting": "return_ladder",
    "see_clinician": "clinician",
}
# sections that mean training: empty whenever the lifter must see a doctor first
TRAINING_SECTIONS = frozenset(
    {"self_tests", "cues", "program_changes", "exercises", "return_to_lifting"}
)
MEDICAL_FIRST = frozenset({Level.URGENT, Level.EMERGENCY})
# sections whose items cite the log and video findings behind them ("seen on reps 3-5")
EVIDENCE_SECTIONS = frozenset({"cues", "program_changes"})
# item fields shown beyond id/title/text/source, when the record has them
_EXTRA_FIELDS = (
    "steps",
    "dosage",
    "positive",
    "checks",
    "fault",
    "step",
    "move_up",
    "step_back",
    "tell",
)


@dataclass(frozen=True)
class PlanItem:
    """One piece of advice as shown to the lifter, with its sources and measured evidence."""

    id: str
    title: str
    text: str
    source: str
    sources: tuple[str, ...]
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, item: AdviceItem, evidence: list[str]) -> PlanItem:
        extra = {name: getattr(item, name) for name in _EXTRA_FIELDS if getattr(item, name, None)}
        if evidence:
            extra["evidence"] = evidence
        return cls(
            item.id, item.title, item.text, item.source, item.all_sources(), MappingProxyType(extra)
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "sources": list(self.sources),
        }
        for key, value in self.extra.items():
            out[key] = list(value) if isinstance(value, tuple | list) else value
        return out


@dataclass(frozen=True)
class Plan:
    """A plan for one triage result; `to_json()` is the `plan` key of the triage JSON."""

    level: Level
    headline: str
    sections: Mapping[str, tuple[PlanItem, ...]]
    sources: tuple[Source, ...]

    def section(self, name: str) -> tuple[PlanItem, ...]:
        return self.sections[name]

    def item_ids(self) -> set[str]:
        return {item.id for items in self.sections.values() for item in items}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"headline": self.headline}
        for name in SECTIONS:
            out[name] = [item.to_json() for item in self.sections[name]]
        out["sources"] = [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "year": s.year,
                "url": str(s.url),
            }
            for s in self.sources
        ]
        return out


def build_plan(result: TriageResult, kb: KnowledgeBase | None = None) -> Plan:
    """The plan for `result`, every item chosen by its `when` selector and named with sources."""
    kb = kb or load_knowledge()
    ctx = Context.of(result)
    sections: dict[str, tuple[PlanItem, ...]] = {}
    for name, table in SECTIONS.items():
        if name in TRAINING_SECTIONS and result.level in MEDICAL_FIRST:
            sections[name] = ()
            continue
        chosen = select(getattr(kb, table).values(), ctx)
        if name == "return_to_lifting":
            chosen.sort(key=lambda it: it.step if isinstance(it, LadderStep) else 0)
        cite = name in EVIDENCE_SECTIONS
        sections[name] = tuple(
            PlanItem.of(it, measured_evidence(it, result.findings) if cite else []) for it in chosen
        )
    _check_medical_first(result.level, sections["now"], kb)
    level_def = kb.levels[result.level.value]
    return Plan(
        level=result.level,
        headline=level_def.headline,
        sections=MappingProxyType(sections),
        sources=_sources(kb, level_def.source, sections),
    )


def _check_medical_first(level: Level, now: tuple[PlanItem, ...], kb: KnowledgeBase) -> None:
    """At urgent/emergency the first thing said must be to get medical care (a `lead` item)."""
    if level not in MEDICAL_FIRST:
        return
    if not now or not kb.care[now[0].id].lead:
        raise KnowledgeError(
            f"knowledge/data/care.yaml: no `lead: true` care item applies at level {level.value};"
            " add one so the plan opens with getting medical care"
        )


def _sources(
    kb: KnowledgeBase, first: str, sections: Mapping[str, tuple[PlanItem, ...]]
) -> tuple[Source, ...]:
    """Every source the plan cites, in order of first citation."""
    ids: dict[str, None] = {first: None}
    for items in sections.values():
        for item in items:
            ids.update(dict.fromkeys(item.sources))
    return tuple(kb.sources[i] for i in ids)
