"""The advice data: every item sourced, every id defined, coverage of the whole vocabulary."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from backcheck.errors import KnowledgeError
from backcheck.knowledge.advice_schema import (
    ADVICE_FILES,
    CareAction,
    Cue,
    Exercise,
    LadderStep,
    SelfTest,
    When,
    check_advice_references,
)
from backcheck.knowledge.loader import load_knowledge
from backcheck.triage.result import LEVEL_ORDER

KB = load_knowledge()
ALL_ITEMS = [
    (attr, item) for attr, _model in ADVICE_FILES.values() for item in getattr(KB, attr).values()
]
GOOD_CARE = {
    "id": "walk_it_off",
    "title": "Walk it off",
    "text": "Walk for a few minutes.",
    "source": "nice_ng59",
    "when": {"levels": ["self_care"]},
}


def test_every_advice_table_is_loaded_and_not_empty():
    for attr, _model in ADVICE_FILES.values():
        assert len(getattr(KB, attr)) >= 1, attr


@pytest.mark.parametrize(("attr", "item"), ALL_ITEMS, ids=lambda v: getattr(v, "id", v))
def test_every_item_source_resolves(attr, item):
    for ref in item.all_sources():
        src = KB.sources[ref]
        assert src.title and src.publisher and src.url


@pytest.mark.parametrize(("attr", "item"), ALL_ITEMS, ids=lambda v: getattr(v, "id", v))
def test_every_when_id_is_defined(attr, item):
    when = item.when
    assert set(when.kinds) <= set(KB.kinds)
    assert set(when.factors) <= set(KB.factors)
    assert set(when.red_flags) <= set(KB.red_flags)
    assert set(when.findings) <= KB.finding_ids()
    assert set(when.levels) <= set(LEVEL_ORDER)


def test_item_ids_are_unique_across_all_advice_files():
    ids = [item.id for _attr, item in ALL_ITEMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("level", LEVEL_ORDER)
def test_every_level_has_care_that_names_it(level):
    assert any(level in item.when.levels for item in KB.care.values())


@pytest.mark.parametrize("kind", sorted(KB.kinds))
def test_every_kind_has_advice_that_names_it(kind):
    assert any(kind in item.when.kinds for _attr, item in ALL_ITEMS)


@pytest.mark.parametrize("factor", sorted(KB.factors))
def test_every_factor_has_a_cue_or_program_change(factor):
    tables = (KB.cues, KB.program_changes)
    assert any(factor in item.when.factors for table in tables for item in table.values())


@pytest.mark.parametrize("level", ["urgent", "emergency"])
def test_medical_levels_have_a_lead_care_item(level):
    leads = [c for c in KB.care.values() if c.lead and level in c.when.levels]
    assert leads, f"no lead care item for {level}"


def test_ladder_steps_are_numbered_one_to_n():
    steps = sorted(step.step for step in KB.return_ladder.values())
    assert steps == list(range(1, len(steps) + 1))


def test_unknown_key_in_a_record_is_rejected():
    with pytest.raises(ValidationError, match="extra"):
        CareAction.model_validate({**GOOD_CARE, "sauce": "nice_ng59"})
    with pytest.raises(ValidationError, match="extra"):
        CareAction.model_validate({**GOOD_CARE, "when": {"levels": ["self_care"], "kind": ["x"]}})


def test_a_good_record_validates_and_is_frozen():
    item = CareAction.model_validate(GOOD_CARE)
    assert item.when == When(levels=("self_care",))
    with pytest.raises(ValidationError):
        item.title = "changed"  # type: ignore[misc]


def test_missing_source_is_rejected():
    bad = {k: v for k, v in GOOD_CARE.items() if k != "source"}
    with pytest.raises(ValidationError, match="source"):
        CareAction.model_validate(bad)


@pytest.mark.parametrize("level", ["urgent", "emergency"])
def test_training_advice_at_medical_levels_is_rejected(level):
    exercise = {
        **GOOD_CARE,
        "steps": ["one", "two"],
        "dosage": "3 sets of 10",
        "when": {"levels": ["self_care", level]},
    }
    with pytest.raises(ValidationError, match="training advice"):
        Exercise.model_validate(exercise)


def test_training_advice_must_name_its_levels():
    step = {
        **GOOD_CARE,
        "step": 1,
        "move_up": "no pain for two days",
        "step_back": "pain the next morning",
        "when": {"kinds": ["muscle_strain"]},
    }
    with pytest.raises(ValidationError, match="must list the levels"):
        LadderStep.model_validate(step)


def test_cue_fault_and_self_test_checks_must_be_triggers():
    cue = {
        **GOOD_CARE,
        "fault": "back_rounding",
        "when": {"levels": ["self_care"], "factors": ["hips_rise_early"]},
    }
    with pytest.raises(ValidationError, match="fault"):
        Cue.model_validate(cue)
    test = {
        **GOOD_CARE,
        "steps": ["a", "b"],
        "positive": "a positive result means x",
        "checks": "weak_core",
        "when": {"levels": ["self_care"], "factors": ["no_warmup"]},
    }
    with pytest.raises(ValidationError, match="checks"):
        SelfTest.model_validate(test)


def test_unknown_source_reference_is_caught():
    bad = CareAction.model_validate({**GOOD_CARE, "source": "no_such_source"})
    kb = dataclasses.replace(KB, care={**KB.care, bad.id: bad})
    with pytest.raises(KnowledgeError, match="unknown source 'no_such_source'"):
        check_advice_references(kb)


def test_unknown_when_id_is_caught():
    bad = CareAction.model_validate(
        {**GOOD_CARE, "when": {"levels": ["self_care"], "factors": ["bad_posture"]}}
    )
    kb = dataclasses.replace(KB, care={**KB.care, bad.id: bad})
    with pytest.raises(KnowledgeError, match="when.factors names unknown id 'bad_posture'"):
        check_advice_references(kb)


def test_a_kind_naming_an_unknown_sure_with_finding_says_which_list():
    from backcheck.knowledge.loader import _check_references

    kind = next(iter(KB.kinds.values()))
    bad = kind.model_copy(update={"sure_with": ["no_such_sign"]})
    kb = dataclasses.replace(KB, kinds={**KB.kinds, bad.id: bad})
    with pytest.raises(KnowledgeError, match="sure_with names unknown finding 'no_such_sign'"):
        _check_references(kb)
