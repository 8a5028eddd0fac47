"""Validate the labelled lifter reports in `data/reports.jsonl` themselves.

The reports are hand-written test data for triage; a mislabelled case (an unknown id, a red flag
whose level is below its minimum) would teach the engine the wrong thing, so the file is checked
against the fixed vocabulary before any engine test trusts it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPORTS = Path(__file__).parent / "data" / "reports.jsonl"
SPEC = Path(__file__).parents[2] / ".." / "shared" / "spec" / "triage-vocabulary.yaml"
LEVELS = ("normal", "self_care", "soon", "urgent", "emergency")
EXPECT_KEYS = {
    "level",
    "level_ok",
    "kinds_any",
    "red_flags",
    "allowed_red_flags",
    "factors",
    "allowed_factors",
}
TAGS = {
    "negated_red_flag",
    "hypothetical",
    "historical",
    "uncertain",
    "anabolic",
    "intentional_weight_loss",
    "family_history",
    "er_not_needed",
    "bilateral_back_not_legs",
    "both_legs_doms",
    "factor_rich",
    "slang",
    "typos",
    "non_native",
    "lowercase",
    "british",
    "american",
    "question",
    "terse",
    "rambling",
    "chatter",
}
# Tags marking a red flag that is mentioned but not present now.
NOT_PRESENT_TAGS = {"negated_red_flag", "hypothetical"}


@dataclass(frozen=True)
class Vocabulary:
    kinds: frozenset[str]
    factors: frozenset[str]
    min_level: dict[str, str]  # red flag id -> its minimum level


def _from_knowledge() -> Vocabulary | None:
    """The knowledge base is the source of truth once it loads; it may add ids of its own."""
    try:
        from backcheck.errors import KnowledgeError
        from backcheck.knowledge.loader import load_knowledge
    except ImportError:
        return None
    try:
        kb = load_knowledge()
    except (KnowledgeError, OSError):
        return None
    return Vocabulary(
        kinds=frozenset(kb.kinds),
        factors=frozenset(kb.factors),
        min_level={fid: flag.min_level for fid, flag in kb.red_flags.items()},
    )


def _spec_path() -> Path:
    return SPEC.resolve()


def _spec_sections(text: str) -> dict[str, dict[str, str]]:
    """Top-level section -> {id: rest of its line}, read line by line.

    The spec is YAML-like but has plain values with ": " in them that a strict YAML parser
    rejects, and only ids and `min_level` are needed here.
    """
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if top := re.match(r"^([a-z_]+):", line):
            current = sections.setdefault(top.group(1), {})
        elif entry := re.match(r"^ {2}([a-z_]+):(.*)$", line):
            current[entry.group(1)] = entry.group(2)
    return sections


def _from_spec() -> Vocabulary:
    """Fallback while the knowledge base is incomplete: the shared spec beside the checkout."""
    path = _spec_path()
    if not path.is_file():
        pytest.fail(f"no vocabulary: knowledge base did not load and {path} is missing")
    spec = _spec_sections(path.read_text("utf-8"))
    assert tuple(spec["levels"]) == LEVELS, "level order in the spec changed"
    min_level = {}
    for fid, rest in spec["red_flags"].items():
        found = re.search(r"min_level:\s*([a-z_]+)", rest)
        assert found, f"spec red flag {fid} has no min_level"
        min_level[fid] = found.group(1)
    return Vocabulary(
        kinds=frozenset(spec["kinds"]),
        factors=frozenset(spec["factors"]),
        min_level=min_level,
    )


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return _from_knowledge() or _from_spec()


def _load_cases() -> list[dict[str, Any]]:
    lines = REPORTS.read_text("utf-8").splitlines()
    cases = []
    for n, line in enumerate(lines, 1):
        assert line.strip(), f"reports.jsonl line {n} is blank"
        cases.append(json.loads(line))
    return cases


CASES = _load_cases()


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _floor(case: dict[str, Any], vocab: Vocabulary) -> int:
    """The lowest level the case's present red flags allow."""
    return max((_rank(vocab.min_level[f]) for f in case["expect"]["red_flags"]), default=0)


def test_enough_cases_with_unique_ids_and_texts() -> None:
    assert len(CASES) >= 120
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [c["text"].strip().lower() for c in CASES]
    assert len(texts) == len(set(texts)), "duplicate texts"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_shape_and_ids(case: dict[str, Any], vocab: Vocabulary) -> None:
    assert set(case) <= {"id", "text", "expect", "tags"}
    assert isinstance(case["text"], str) and len(case["text"].split()) >= 3
    exp = case["expect"]
    assert set(exp) == EXPECT_KEYS
    assert exp["level"] in LEVELS
    assert set(exp["level_ok"]) <= set(LEVELS) - {exp["level"]}
    assert exp["kinds_any"], "kinds_any must name at least one kind"
    assert set(exp["kinds_any"]) <= vocab.kinds
    assert set(exp["red_flags"]) | set(exp["allowed_red_flags"]) <= set(vocab.min_level)
    assert set(exp["factors"]) | set(exp["allowed_factors"]) <= vocab.factors
    assert not set(exp["red_flags"]) & set(exp["allowed_red_flags"])
    assert not set(exp["factors"]) & set(exp["allowed_factors"])
    assert set(case.get("tags", [])) <= TAGS


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_levels_respect_red_flag_minimums(case: dict[str, Any], vocab: Vocabulary) -> None:
    """Safety rule 1: no expected or accepted level is below a present red flag's minimum."""
    exp = case["expect"]
    floor = _floor(case, vocab)
    for level in [exp["level"], *exp["level_ok"]]:
        assert _rank(level) >= floor, f"{level} is below the red flags' minimum"
    if "emergency" in {vocab.min_level[f] for f in exp["red_flags"]}:
        assert exp["level"] == "emergency"
    if "cauda_equina" in exp["kinds_any"]:
        assert exp["level"] == "emergency", "suspected cauda equina is always emergency"


def test_mix_covers_emergencies_and_not_present_mentions() -> None:
    emergencies = [c for c in CASES if c["expect"]["level"] == "emergency"]
    assert len(emergencies) >= 15
    not_present = [c for c in CASES if NOT_PRESENT_TAGS & set(c.get("tags", []))]
    assert len(not_present) >= 15


def test_every_red_flag_kind_and_factor_is_exercised(vocab: Vocabulary) -> None:
    """Each contract id needs at least one report that expects it (style: coverage of knowledge).

    The contract is the shared spec when it is beside the checkout; the knowledge base may add
    ids of its own that these reports need not cover.
    """
    spec = _from_spec() if _spec_path().is_file() else vocab
    flags = {f for c in CASES for f in c["expect"]["red_flags"]}
    kinds = {k for c in CASES for k in c["expect"]["kinds_any"]}
    factors = {f for c in CASES for f in c["expect"]["factors"]}
    assert set(spec.min_level) - flags == set()
    assert spec.kinds - kinds == set()
    assert spec.factors - factors == set()
    assert {c["expect"]["level"] for c in CASES} == set(LEVELS)
