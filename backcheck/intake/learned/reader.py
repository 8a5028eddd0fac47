"""Learned findings for the clauses of a report, with ConText's assertion.

Where a rule already found a concept in a clause, the rule's finding stands (it shows the
lifter's exact words). Elsewhere a clause scoring at or above a concept's `found_at` becomes a
finding whose evidence is the whole clause. A red flag seen only here is *uncertain* (triage asks
about it and raises the level one step below the flag's, safety rule 2) unless the clause scores
at or above `present_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from spacy.tokens import Doc

from backcheck.findings import LEARNED_READER, Assertion, Finding, Origin
from backcheck.intake.learned.embedder import embed
from backcheck.intake.learned.model import RecallModel, Role, recall_model
from backcheck.intake.learned.units import Clause, clauses
from backcheck.intake.nlp import strongest_assertion


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def clause_assertion(doc: Doc, clause: Clause) -> Assertion:
    """ConText's verdict for a clause: the modifiers whose scope reaches words of the clause
    other than the modifier's own ("no" in "no numbness" negates the clause it opens)."""
    graph = doc._.context_graph
    pseudo = [m.modifier_span for m in graph.modifiers if m.direction == "PSEUDO"]
    categories = set()
    for mod in graph.modifiers:
        if mod.direction in ("TERMINATE", "PSEUDO"):
            continue
        if any(_overlaps(mod.modifier_span, p) for p in pseudo):
            continue
        lo, hi = mod.scope_span
        m_lo, m_hi = mod.modifier_span
        reached = [
            i for i in range(max(lo, clause.start), min(hi, clause.end)) if not m_lo <= i < m_hi
        ]
        if not reached:
            continue
        metadata = getattr(mod.rule, "metadata", None) or {}
        outside = m_hi <= clause.start or m_lo >= clause.end
        if metadata.get("clause_break") and outside:
            continue
        categories.add(mod.category)
    return strongest_assertion(categories)


def _scores(model: RecallModel, units: list[Clause]) -> np.ndarray:
    """Each clause's scores. A short clause also read with its neighbour keeps the lower of the
    two scores: the neighbour can settle what "numbness" is about ("in my legs", not the
    groin), but must never lend the clause its own concept ("no fever, just tight")."""
    texts = list(dict.fromkeys([u.text for u in units] + [u.reading for u in units]))
    row = {t: i for i, t in enumerate(texts)}
    scores = model.scores(embed(texts))
    alone = scores[[row[u.text] for u in units]]
    read = scores[[row[u.reading] for u in units]]
    return np.minimum(alone, read)


def learned_findings(
    doc: Doc,
    rule_findings: Sequence[Finding],
    to_original: Callable[[int], int],
    original: str,
    history_counts: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Findings the classifiers add to the rules' ones. `to_original` maps an offset in the
    pipeline's text to the lifter's text, so spans and evidence are the lifter's own."""
    units = clauses(doc)
    if not units:
        return []
    model = recall_model()
    scores = _scores(model, units)
    out: list[Finding] = []
    for row, unit in zip(scores, units, strict=True):
        first = doc[unit.start]
        last = doc[unit.end - 1]
        span = (to_original(first.idx), to_original(last.idx + len(last.text)))
        assertion: Assertion | None = None
        for j in np.flatnonzero(row >= model.found_at):
            concept = model.concepts[j]
            if any(
                f.id == concept and f.span is not None and _overlaps(f.span, span)
                for f in rule_findings
            ):
                continue
            if assertion is None:
                assertion = clause_assertion(doc, unit)
            state = assertion
            if state is Assertion.HISTORICAL and concept in history_counts:
                state = Assertion.PRESENT
            threshold = model.config.concepts[concept]
            below = threshold.present_at is None or row[j] < threshold.present_at
            if threshold.role is Role.RED_FLAG and state is Assertion.PRESENT and below:
                state = Assertion.UNCERTAIN
            out.append(
                Finding(
                    id=concept,
                    assertion=state,
                    origin=Origin.TEXT,
                    evidence=original[span[0] : span[1]],
                    confidence=float(round(row[j], 3)),
                    span=span,
                    detail={"read_by": LEARNED_READER},
                )
            )
    return out
