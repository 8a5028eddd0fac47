"""The questionnaire yields the same findings as text, asks red flags first and only what is
still unknown, and explains bad answers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.assess import assess_answers
from backcheck.errors import InputError
from backcheck.intake.questionnaire import all_questions, next_question
from backcheck.knowledge.loader import load_knowledge


def test_red_flag_questions_come_first_in_knowledge_base_order() -> None:
    questions = all_questions()
    flags = [q for q in questions if q.is_red_flag]
    assert questions[: len(flags)] == flags
    order = [load_knowledge().red_flags[q.id].ask_order for q in flags]
    assert order == sorted(order) and len(flags) == 14


def test_next_question_skips_what_answers_and_text_settle() -> None:
    assert next_question({}).id == "saddle_anaesthesia"
    assert next_question({"saddle_anaesthesia": "no"}).id == "bladder_dysfunction"
    text = "No numbness between my legs and my bladder is fine, just sore after deadlifts."
    assert next_question({}, text).id == "bowel_dysfunction"


def test_answering_everything_leaves_no_question() -> None:
    answers = {q.id: "no" for q in all_questions()}
    assert next_question(answers) is None


def test_a_yes_to_a_cauda_equina_question_is_an_emergency() -> None:
    data = assess_answers({"answers": {"bladder_dysfunction": "yes"}}).to_json()
    assert data["level"] == "emergency" and data["red_flags"] == ["bladder_dysfunction"]
    assert data["kinds"][0]["id"] == "cauda_equina"


def test_unsure_red_flag_is_asked_again_first_and_raises_the_level() -> None:
    data = assess_answers({"saddle_anaesthesia": "unsure", "fever": "no"}).to_json()
    assert data["uncertain_red_flags"] == ["saddle_anaesthesia"]
    assert data["questions"][0]["id"] == "saddle_anaesthesia"
    assert data["level"] == "urgent"


def test_answers_and_text_combine() -> None:
    data = assess_answers(
        {"answers": {"leg_radiation": "yes", "below_knee": "yes"}, "text": "twinge on deads"}
    ).to_json()
    assert data["kinds"][0]["id"] == "radicular"
    origins = {f["origin"] for f in data["findings"]}
    assert origins == {"questionnaire", "text"}


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"answers": {"fever": "sometimes"}}, "yes, no, unsure"),
        ({"answers": {"not_a_question": "no"}}, "Unknown question id"),
        ({"answers": {}}, "No answers"),
        ({"answers": [], "text": 5}, "must be"),
        ({"answers": {"fever": "no"}, "extra": 1}, "Unknown key"),
    ],
)
def test_bad_answers_are_explained(payload: dict, says: str) -> None:
    with pytest.raises(InputError, match=says):
        assess_answers(payload)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=20), inner),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([q.id for q in all_questions()]) | st.text(), json_values))
def test_any_answers_object_gives_a_result_or_an_input_error(payload: dict) -> None:
    try:
        data = assess_answers({"answers": payload}).to_json()
    except InputError:
        return
    assert data["level"] in {"normal", "self_care", "soon", "urgent", "emergency"}


def test_ask_in_the_terminal_runs_red_flags_first() -> None:
    answers = "sore lower back the day after deadlifts\n" + "no\n" * 40
    proc = subprocess.run(
        [sys.executable, "-m", "backcheck.cli", "ask", "--json"],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["red_flags"] == [] and data["level"] in {"normal", "self_care"}
    asked = [f["id"] for f in data["findings"] if f["origin"] == "questionnaire"]
    assert asked[:3] == ["saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction"]
