"""Thresholds as validated data, and the rules that turn one rep's metrics into faults.

The numbers live in `data/thresholds.yaml` with their rationale and sources; this module only
holds the mechanism, so a coach can change a number without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from backcheck.errors import KnowledgeError
from backcheck.formcheck.metrics import RepMetrics

HIPS_RISE_EARLY = "hips_rise_early"
BACK_ROUNDING = "back_rounding"
LOCKOUT_HYPEREXTENSION = "lockout_hyperextension"
FAULT_IDS = (HIPS_RISE_EARLY, BACK_ROUNDING, LOCKOUT_HYPEREXTENSION)


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    unit: str
    rationale: str
    sources: list[str]


class Thresholds(BaseModel):
    """Every threshold the form check uses; unknown or missing keys are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hips_rise_trunk_drop_deg: Threshold
    hips_rise_ratio: Threshold
    back_bend_increase_deg: Threshold
    lockout_lean_deg: Threshold
    lockout_hip_forward_h: Threshold
    slowdown_ratio: Threshold
    max_liftoff_trunk_deg: Threshold
    min_trunk_rise_deg: Threshold
    min_lockout_trunk_deg: Threshold
    min_bar_travel_h: Threshold

    def values(self) -> dict[str, float]:
        return {name: getattr(self, name).value for name in type(self).model_fields}

    def sources(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name).sources) for name in type(self).model_fields}


@lru_cache(maxsize=1)
def load_thresholds() -> Thresholds:
    """The packaged thresholds, validated (a broken file is a bug in the package)."""
    path = files("backcheck.formcheck") / "data" / "thresholds.yaml"
    try:
        return Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"formcheck thresholds.yaml is invalid: {exc}") from exc


def hips_forward(rep: RepMetrics, th: Thresholds) -> bool | None:
    """Hips ahead of the ankle-shoulder line at lockout (reported, not a fault on its own)."""
    if rep.lockout_hip_forward_h is None:
        return None
    return rep.lockout_hip_forward_h >= th.lockout_hip_forward_h.value


def rep_faults(rep: RepMetrics, th: Thresholds) -> list[str]:
    """Fault ids for one rep. Each rule needs its measurement; unknown means not flagged."""
    faults = []
    ratio = rep.hip_shoulder_ratio
    if (
        rep.trunk_change_deg is not None
        and -rep.trunk_change_deg >= th.hips_rise_trunk_drop_deg.value
        and (ratio is None or ratio >= th.hips_rise_ratio.value)
    ):
        faults.append(HIPS_RISE_EARLY)
    bend = rep.back_bend_change_deg
    if bend is not None and bend >= th.back_bend_increase_deg.value:
        faults.append(BACK_ROUNDING)
    if rep.lockout_lean_deg is not None and rep.lockout_lean_deg >= th.lockout_lean_deg.value:
        faults.append(LOCKOUT_HYPEREXTENSION)
    return faults
