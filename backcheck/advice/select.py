"""Which advice items apply to a triage result: the `when` selectors of the knowledge base.

Kept apart from plan assembly so the matching rule (levels filter, other lists trigger) is in
one small place that the tests can exercise directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backcheck.findings import Assertion, Finding, Origin
from backcheck.knowledge.advice_schema import AdviceItem, When
from backcheck.triage.result import TriageResult

# A kind other than the top one counts as likely when its score is at least this share of the
# top score and at least the floor: advice for a distant second guess would only add noise.
SECOND_KIND_SHARE = 0.6
SECOND_KIND_FLOOR = 0.3


@dataclass(frozen=True)
class Context:
    """The parts of a triage result that `when` selectors look at."""

    level: str
    kinds: frozenset[str]
    factors: frozenset[str]
    red_flags: frozenset[str]
    findings: frozenset[str]
    uncertain: bool

    @classmethod
    def of(cls, result: TriageResult) -> Context:
        present = {f.id for f in result.findings if f.assertion is Assertion.PRESENT}
        return cls(
            level=result.level.value,
            kinds=frozenset(likely_kinds(result)),
            factors=frozenset(result.factors),
            red_flags=frozenset(result.red_flags),
            findings=frozenset(present),
            uncertain=bool(result.uncertain_red_flags),
        )


def likely_kinds(result: TriageResult) -> list[str]:
    """The top kind, plus the runner-up when it is close enough to matter."""
    ranked = sorted(result.kinds, key=lambda k: k.score, reverse=True)
    if not ranked:
        return []
    out = [ranked[0].id]
    if len(ranked) > 1:
        second, top = ranked[1].score, ranked[0].score
        if second >= SECOND_KIND_FLOOR and second >= SECOND_KIND_SHARE * top:
            out.append(ranked[1].id)
    return out


def applies(when: When, ctx: Context) -> bool:
    """Levels and red-flag filters; any trigger list matching (or none given) selects it."""
    if when.levels and ctx.level not in when.levels:
        return False
    if when.without_red_flags and ctx.red_flags:
        return False
    if not when.has_trigger():
        return True
    return (
        bool(ctx.kinds.intersection(when.kinds))
        or bool(ctx.factors.intersection(when.factors))
        or bool(ctx.red_flags.intersection(when.red_flags))
        or bool(ctx.findings.intersection(when.findings))
        or (when.uncertain_red_flags and ctx.uncertain)
    )


def select(items: Iterable[AdviceItem], ctx: Context) -> list[AdviceItem]:
    """The applicable items, most important first (lead items, then priority, then file order)."""
    chosen = [item for item in items if applies(item.when, ctx)]
    return sorted(chosen, key=lambda it: (not getattr(it, "lead", False), it.priority))


def measured_evidence(item: AdviceItem, findings: Iterable[Finding]) -> list[str]:
    """Log and video findings behind an item's factors, as short citations for the lifter."""
    ids = set(item.when.factors)
    out: list[str] = []
    for f in findings:
        if f.id not in ids or f.assertion is not Assertion.PRESENT:
            continue
        if f.origin is Origin.VIDEO:
            reps = f.detail.get("reps")
            where = f"video, reps {format_reps(reps)}" if reps else "video"
            out.append(f"{where}: {f.evidence}")
        elif f.origin is Origin.LOG:
            out.append(f"training log: {f.evidence}")
    return out


def format_reps(reps: Iterable[int]) -> str:
    """[3, 4, 5, 8] -> "3-5, 8": rep numbers as a lifter would write them."""
    nums = sorted({int(r) for r in reps})
    runs: list[str] = []
    start = prev = None
    for n in [*nums, None]:
        if start is not None and n is not None and prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(runs)
