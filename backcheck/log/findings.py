"""The log's conclusions as Findings (origin `log`), so triage and advice can use them.

A factor is reported present when the last 14 days show it (a load jump, a volume jump, many
near-failure sets or new maxima, heavy back work on consecutive days, a new back-loading lift or
a return after a layoff), or when the whole history
shows it preceding symptoms (intervals not overlapping, see `analytics.precedence`). Evidence is
a sentence with the numbers; `detail` carries the counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from backcheck.findings import Assertion, Finding, Origin
from backcheck.log.analytics.report import LogReport, report
from backcheck.log.analytics.warnings import LoadWarning
from backcheck.log.db import LogStore

WINDOW_DAYS = 14
FACTOR_OF_WARNING = {
    "week_jump": "load_jump",
    "new_lift": "unaccustomed",
    "layoff_return": "unaccustomed",
    "ratio_high": "load_jump",
    "volume_jump": "volume_jump",
    "near_failure": "max_effort_frequency",
    "new_max": "max_effort_frequency",
    "back_to_back": "insufficient_recovery",
}
FACTOR_OF_FEATURE = {
    "load_jump": "load_jump",
    "volume_jump": "volume_jump",
    "high_rpe": "max_effort_frequency",
    "short_recovery": "insufficient_recovery",
}
MIN_NEW_MAXIMA = 2
CONFIDENCE_RECENT, CONFIDENCE_PATTERN = 0.7, 0.6


def _last_day(w: LoadWarning) -> int:
    return w.day + int(w.detail.get("days", 1)) - 1


def _recent(rep: LogReport, as_of_day: int) -> dict[str, list[LoadWarning]]:
    by_factor: dict[str, list[LoadWarning]] = defaultdict(list)
    for w in rep.warnings:
        if (
            _last_day(w) > as_of_day - WINDOW_DAYS
            and w.day <= as_of_day
            and w.kind in FACTOR_OF_WARNING
        ):
            by_factor[FACTOR_OF_WARNING[w.kind]].append(w)
    maxima = [w for w in by_factor.get("max_effort_frequency", []) if w.kind == "new_max"]
    if 0 < len(maxima) < MIN_NEW_MAXIMA:  # one new best is progress, not a pattern
        by_factor["max_effort_frequency"] = [
            w for w in by_factor["max_effort_frequency"] if w.kind != "new_max"
        ]
    return {k: v for k, v in by_factor.items() if v}


def findings_from_report(rep: LogReport, as_of: datetime) -> list[Finding]:
    """Findings from a computed report (lets the web app reuse one report)."""
    recent = _recent(rep, as_of.toordinal())
    pattern = {
        FACTOR_OF_FEATURE[c.feature]: c
        for c in rep.precedence.features
        if c.stands_out and c.feature in FACTOR_OF_FEATURE
    }
    out = []
    for factor in sorted(set(recent) | set(pattern)):
        texts: list[str] = []
        detail: dict[str, Any] = {}
        if factor in recent:
            texts += [w.text for w in recent[factor][-3:]]
            detail["recent"] = [w.to_json() for w in recent[factor]]
        if factor in pattern:
            c = pattern[factor]
            texts.append("In your log: " + c.sentence())
            detail["preceded_symptoms"] = {
                "present": c.present.to_json(),
                "absent": c.absent.to_json(),
            }
        out.append(
            Finding(
                id=factor,
                assertion=Assertion.PRESENT,
                origin=Origin.LOG,
                evidence=" ".join(texts),
                confidence=CONFIDENCE_RECENT if factor in recent else CONFIDENCE_PATTERN,
                detail=detail,
            )
        )
    return out


def log_findings(store: LogStore, as_of: datetime | None = None) -> list[Finding]:
    """Findings for triage and advice from the lifter's log, as of `as_of` (default now)."""
    when = as_of or datetime.now()
    return findings_from_report(report(store, when), when)
