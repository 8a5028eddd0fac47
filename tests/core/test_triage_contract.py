"""Every result honours the JSON contract in shared/spec and the knowledge base matches the
fixed vocabulary (same ids, same red-flag minimum levels)."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from core_cases import SPEC, load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.assess import assess_answers, assess_text
from backcheck.errors import InputError
from backcheck.knowledge.loader import load_knowledge

SCHEMA = json.loads((SPEC / "triage-output.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _spec_vocabulary() -> dict[str, dict[str, str]]:
    """The spec's ids per section, read line by line (a spec value holds a ': ')."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in (SPEC / "triage-vocabulary.yaml").read_text("utf-8").splitlines():
        top = re.match(r"^(\w+):", line)
        if top:
            current = sections.setdefault(top.group(1), {})
            continue
        item = re.match(r"^  (\w+):\s*(.*)", line)
        if item and current is not None:
            current[item.group(1)] = item.group(2)
    return sections


def test_knowledge_base_defines_every_vocabulary_id() -> None:
    spec, kb = _spec_vocabulary(), load_knowledge()
    assert set(spec["levels"]) == set(kb.levels)
    assert set(spec["kinds"]) == set(kb.kinds)
    assert set(spec["factors"]) == set(kb.factors)
    assert set(spec["red_flags"]) == set(kb.red_flags)
    for flag, text in spec["red_flags"].items():
        assert f"min_level: {kb.red_flags[flag].min_level}" in text, flag


@pytest.mark.parametrize("case", load_cases()[::4], ids=lambda c: c["id"])
def test_text_results_validate_against_the_schema(case: dict) -> None:
    VALIDATOR.validate(assess_text(case["text"]).to_json())


def test_answer_results_validate_against_the_schema() -> None:
    result = assess_answers({"answers": {"saddle_anaesthesia": "unsure", "fever": "no"}})
    data = result.to_json()
    VALIDATOR.validate(data)
    assert data["uncertain_red_flags"] == ["saddle_anaesthesia"]
    assert data["questions"][0]["id"] == "saddle_anaesthesia"


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_text_gives_a_valid_result_or_a_clear_error(text: str) -> None:
    try:
        data = assess_text(text).to_json()
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    VALIDATOR.validate(data)
    assert data["statement"]
    if data["insufficient_information"]:
        assert data["level"] != "normal" and data["questions"]


def test_every_result_states_it_is_not_a_diagnosis() -> None:
    data = assess_text("lower back sore after deadlifts yesterday").to_json()
    assert "not a diagnosis" in data["statement"]


def test_reasons_name_the_findings_they_use() -> None:
    text = "Since my deadlift injury I can't feel the toilet paper when I wipe."
    payload = assess_text(text).to_json()
    assert payload["level"] == "emergency"
    flagged = [r for r in payload["reasons"] if "saddle_anaesthesia" in r["findings"]]
    finding = next(f for f in payload["findings"] if f["id"] == "saddle_anaesthesia")
    assert flagged and finding["text"] in flagged[0]["text"]
    start, end = finding["span"]
    assert text[start:end] == finding["text"]


def test_scores_are_probabilities_and_kinds_are_ranked() -> None:
    kinds = assess_text("sharp twinge mid-set on deadlifts, now stiff on one side").to_json()[
        "kinds"
    ]
    scores = [k["score"] for k in kinds]
    assert all(0 <= s <= 1 for s in scores) and scores == sorted(scores, reverse=True)
    assert kinds[0]["id"] == "muscle_strain"
