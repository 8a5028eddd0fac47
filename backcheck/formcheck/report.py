"""The form-check result: per-rep metrics, warnings, honesty notes, and findings for triage.

`to_json()` is the contract the CLI and web show (`frames`, `frames_with_pose`,
`fps_processed`, `reps`, `warnings`, `findings`, `notes`, ...); `findings()` turns the faults
into the same `Finding` currency as the text, questionnaire and log intakes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from backcheck.findings import Assertion, Finding, Origin
from backcheck.formcheck.faults import (
    BACK_ROUNDING,
    FAULT_IDS,
    HIPS_RISE_EARLY,
    LOCKOUT_HYPEREXTENSION,
)
from backcheck.formcheck.metrics import RepMetrics

CONFIDENCE = {HIPS_RISE_EARLY: 0.8, LOCKOUT_HYPEREXTENSION: 0.7, BACK_ROUNDING: 0.5}
_ABSENT = {
    HIPS_RISE_EARLY: "hips and shoulders rose together off the floor",
    LOCKOUT_HYPEREXTENSION: "no lean back past vertical at lockout",
    BACK_ROUNDING: "no visible rounding of the back's outline",
}


@dataclass
class FormReport:
    frames: int
    frames_with_pose: int
    fps_processed: float
    source: str = ""
    side: str | None = None
    facing: str | None = None
    bar_source: str | None = None
    distance_unit: str = "body_height"
    body_height_px: float | None = None
    reps: list[RepMetrics] = field(default_factory=list)
    fatigue: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    threshold_sources: dict[str, list[str]] = field(default_factory=dict)  # knowledge source ids
    rejected_rises: int = 0  # bar rises that did not look like a deadlift

    def add_warnings(self, warnings: list[str]) -> None:
        """Add warnings (e.g. video quality ones from the pipeline), without duplicates."""
        self.warnings.extend(w for w in warnings if w not in self.warnings)

    def fault_reps(self, fault: str) -> list[int]:
        return [r.number for r in self.reps if fault in r.faults]

    def checked(self, fault: str) -> bool:
        """Could this fault be judged on at least one rep (rounding needs an outline)?"""
        if fault == BACK_ROUNDING:
            return any(r.back_bend_change_deg is not None for r in self.reps)
        return bool(self.reps)

    def findings(self) -> list[Finding]:
        """Present findings for faults seen (with their reps), absent ones for faults checked."""
        out = []
        for fault in FAULT_IDS:
            if not self.checked(fault):
                continue
            reps = self.fault_reps(fault)
            assertion = Assertion.PRESENT if reps else Assertion.ABSENT
            evidence = self._evidence(fault, reps)
            out.append(
                Finding(
                    fault,
                    assertion,
                    Origin.VIDEO,
                    evidence,
                    confidence=CONFIDENCE[fault],
                    detail={"reps": reps},
                )
            )
        return out

    def _evidence(self, fault: str, reps: list[int]) -> str:
        if not reps:
            return f"{_ABSENT[fault]} on {_count(len(self.reps))} analysed (video)"
        chosen = [r for r in self.reps if r.number in reps]
        where = rep_range(reps)
        if fault == HIPS_RISE_EARLY:
            hip = _median(r.hip_rise for r in chosen)
            shoulder = _median(r.shoulder_rise for r in chosen)
            drop = -_median(r.trunk_change_deg for r in chosen)
            return (
                f"hips rose {self._dist(hip)} while the shoulders rose {self._dist(shoulder)} "
                f"({self._dist(hip - shoulder)} more) before the bar passed the knee, the trunk "
                f"{drop:.0f} degrees more horizontal, on {where}"
            )
        if fault == LOCKOUT_HYPEREXTENSION:
            lean = _median(r.lockout_lean_deg for r in chosen)
            text = f"leaned back {lean:.0f} degrees past vertical at lockout on {where}"
            if all(r.hips_forward_at_lockout for r in chosen):
                ahead = _median(r.lockout_hip_forward for r in chosen)
                text += f", hips {self._dist(ahead)} ahead of the ankle-shoulder line"
            return text
        bend = _median(r.back_bend_change_deg for r in chosen)
        return (
            f"the back's outline bent about {bend:.0f} degrees more during the pull than at "
            f"setup on {where} (a single camera estimates, not measures, spinal flexion)"
        )

    def _dist(self, value: float) -> str:
        if self.distance_unit == "cm":
            return f"{value:.0f} cm"
        return f"{value:.2f} body heights"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["fps_processed"] = round(float(self.fps_processed), 3)
        data["findings"] = [
            {
                "id": f.id,
                "assertion": f.assertion.value,
                "reps": list(f.detail["reps"]),
                "evidence": f.evidence,
                "confidence": f.confidence,
            }
            for f in self.findings()
        ]
        return data


def rep_range(numbers: list[int]) -> str:
    """'rep 2', 'reps 3-5', 'reps 1, 3 and 5'."""
    if len(numbers) == 1:
        return f"rep {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"reps {numbers[0]}-{numbers[-1]}"
    return "reps " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _count(n: int) -> str:
    return "1 rep" if n == 1 else f"{n} reps"


def _median(values) -> float:
    arr = np.array([v for v in values if v is not None], dtype=float)
    return float(np.median(arr)) if arr.size else float("nan")
