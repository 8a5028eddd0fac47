"""Shared helpers for the core tests: the labelled report files and the scorer's metrics."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec"
LEVELS = ["normal", "self_care", "soon", "urgent", "emergency"]


@cache
def load_cases(name: str = "reports.jsonl") -> tuple[dict[str, Any], ...]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def level_rank(level: str) -> int:
    return LEVELS.index(level)


def metrics(
    cases: tuple[dict[str, Any], ...], results: dict[str, dict[str, Any]]
) -> dict[str, float]:
    """The same measures as shared/tools/score_triage.py."""
    n = len(cases)
    level_ok = under = emerg = emerg_hit = red = kind = fexp = fhit = 0
    for case in cases:
        e, r = case["expect"], results[case["id"]]
        ok_levels = [e["level"], *e.get("level_ok", [])]
        if r["level"] in ok_levels:
            level_ok += 1
        elif level_rank(r["level"]) < min(level_rank(x) for x in ok_levels):
            under += 1
        if e["level"] == "emergency":
            emerg += 1
            emerg_hit += r["level"] == "emergency"
        want = set(e["red_flags"])
        if want <= set(r["red_flags"]) <= want | set(e.get("allowed_red_flags", [])):
            red += 1
        if {k["id"] for k in r["kinds"][:2]} & set(e["kinds_any"]):
            kind += 1
        fexp += len(e["factors"])
        fhit += len(set(e["factors"]) & set(r["factors"]))
    return {
        "level_ok": level_ok / n,
        "under_triage": under / n,
        "emergency_sensitivity": emerg_hit / max(1, emerg),
        "red_flags_exact": red / n,
        "kind_top2": kind / n,
        "factor_recall": fhit / max(1, fexp),
    }
