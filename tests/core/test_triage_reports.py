"""The engine against fresh labelled reports written for these tests (not the dev cases):
`reports.jsonl` and `heldout.jsonl`, written by different authors in different voices.

Every report is triaged through the public `assess_text`; the aggregate bars are the same as
the project's scorer, and two safety bars hold per report: no emergency is missed and no
report is under-triaged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from core_cases import level_rank, load_cases, metrics

from backcheck.assess import assess_text

CASES = load_cases("reports.jsonl") + load_cases("heldout.jsonl")


@cache
def results() -> dict[str, dict[str, Any]]:
    return {c["id"]: assess_text(c["text"]).to_json() for c in CASES}


def test_report_set_meets_the_scoring_bars() -> None:
    m = metrics(CASES, results())
    assert m["level_ok"] >= 0.90, m
    assert m["red_flags_exact"] >= 0.90, m
    assert m["kind_top2"] >= 0.90, m
    assert m["factor_recall"] >= 0.80, m


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_no_report_is_under_triaged(case: dict[str, Any]) -> None:
    expect = case["expect"]
    got = results()[case["id"]]
    lowest_ok = min(level_rank(x) for x in [expect["level"], *expect.get("level_ok", [])])
    assert level_rank(got["level"]) >= lowest_ok, (case["text"], got["level"], got["reasons"])


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["expect"]["level"] == "emergency"],
    ids=lambda c: c["id"],
)
def test_every_emergency_is_caught(case: dict[str, Any]) -> None:
    assert results()[case["id"]]["level"] == "emergency", case["text"]
