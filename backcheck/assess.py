"""The library's front door: text or questionnaire answers (plus any log or video findings)
through intake, triage and advice, as one `Assessment`. The CLI and the web app call only this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backcheck.advice import Plan, build_plan
from backcheck.findings import Finding
from backcheck.intake.questionnaire import read_answers
from backcheck.intake.text import read_text
from backcheck.triage.engine import triage
from backcheck.triage.result import TriageResult

__all__ = ["Assessment", "assess_answers", "assess_findings", "assess_text"]


@dataclass(frozen=True)
class Assessment:
    triage: TriageResult
    plan: Plan
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The triage JSON contract plus `plan` (what `backcheck triage --json` prints)."""
        out = self.triage.to_json()
        out["plan"] = self.plan.to_json()
        return out


def assess_findings(
    findings: Sequence[Finding], notices: Sequence[str] = (), text: str | None = None
) -> Assessment:
    result = triage(findings, notices)
    return Assessment(result, build_plan(result), text)


def assess_text(
    text: object, extra_findings: Sequence[Finding] = (), learned: bool = True
) -> Assessment:
    """Assess a lifter's own words; raises `InputError` for unusable input. `learned=False`
    reads them with the rules alone (to see what the learned layer adds)."""
    intake = read_text(text, learned=learned)
    return assess_findings(
        [*intake.findings, *extra_findings], intake.notices, intake.mended.original
    )


def assess_answers(
    answers: Mapping[str, Any], extra_findings: Sequence[Finding] = ()
) -> Assessment:
    """Assess questionnaire answers: `{"answers": {id: "yes"|"no"|"unsure"}, "text": ...}` or
    the bare `{id: answer}` mapping; the optional text is read as well."""
    found, notices, text = read_answers(answers)
    return assess_findings([*found, *extra_findings], notices, text)
