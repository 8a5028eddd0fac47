"""Many mentions, one state per finding id; then the derived rules.

A report can mention the same thing several times ("no numbness ... now numbness in my groin").
Safety first: any PRESENT mention makes the finding present, then UNCERTAIN, then ABSENT; only
historical or hypothetical mentions leave it unknown to triage.
"""

from __future__ import annotations

from collections.abc import Iterable

from backcheck.findings import Assertion, Finding, Origin
from backcheck.knowledge.loader import KnowledgeBase

_PRIORITY = (
    Assertion.PRESENT,
    Assertion.UNCERTAIN,
    Assertion.ABSENT,
    Assertion.HISTORICAL,
    Assertion.HYPOTHETICAL,
)


def consolidate(findings: Iterable[Finding]) -> dict[str, Assertion]:
    """The strongest assertion of each finding id."""
    states: dict[str, Assertion] = {}
    for f in findings:
        old = states.get(f.id)
        if old is None or _PRIORITY.index(f.assertion) < _PRIORITY.index(old):
            states[f.id] = f.assertion
    return states


def apply_derived(states: dict[str, Assertion], kb: KnowledgeBase) -> list[Finding]:
    """Findings concluded by `derived.yaml`; `states` is updated in place."""
    out = []
    for rule in kb.derived.values():
        if not all(states.get(i) is Assertion.PRESENT for i in rule.when_all):
            continue
        if any(states.get(i) in (Assertion.PRESENT, Assertion.UNCERTAIN) for i in rule.unless_any):
            continue
        assertion = Assertion(rule.assertion)
        current = states.get(rule.concludes)
        if current is not None and _PRIORITY.index(current) <= _PRIORITY.index(assertion):
            continue
        states[rule.concludes] = assertion
        out.append(
            Finding(
                id=rule.concludes,
                assertion=assertion,
                origin=Origin.TEXT,
                evidence=rule.explanation,
                confidence=0.7,
                detail={"rule": rule.id, "from": list(rule.when_all)},
            )
        )
    return out
