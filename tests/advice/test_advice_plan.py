"""build_plan: safety ordering, coverage of every factor/kind/level, evidence and JSON shape."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.advice import Plan, build_plan
from backcheck.advice.plan import SECTIONS, TRAINING_SECTIONS
from backcheck.advice.select import format_reps, likely_kinds
from backcheck.errors import KnowledgeError
from backcheck.findings import Finding
from backcheck.knowledge.loader import load_knowledge
from backcheck.triage.result import LEVEL_ORDER, KindScore, Level, TriageResult

KB = load_knowledge()
TRAINING_LEVELS = ("normal", "self_care", "soon")


def result(
    level="self_care", kinds=("muscle_strain",), factors=(), red_flags=(), findings=(), uncertain=()
) -> TriageResult:
    scores = [KindScore(k, round(0.9 - 0.3 * i, 2)) for i, k in enumerate(kinds)]
    return TriageResult(
        level=Level(level),
        kinds=scores,
        red_flags=list(red_flags),
        factors=list(factors),
        findings=list(findings),
        uncertain_red_flags=list(uncertain),
    )


def ids(plan: Plan, section: str) -> list[str]:
    return [item.id for item in plan.section(section)]


def test_emergency_plan_leads_with_emergency_care_and_offers_no_training():
    plan = build_plan(
        result(
            "emergency",
            kinds=("cauda_equina", "radicular"),
            factors=("back_rounding", "load_jump"),
            red_flags=("saddle_anaesthesia",),
        )
    )
    assert ids(plan, "now")[0] == "go_to_emergency"
    for section in TRAINING_SECTIONS:
        assert plan.section(section) == (), section
    assert "tell_emergency_team_nerves" in ids(plan, "see_clinician")
    assert "emergency department" in plan.headline.lower()


def test_urgent_plan_leads_with_seeing_a_doctor_today_and_offers_no_training():
    plan = build_plan(
        result("urgent", kinds=("serious_pathology",), factors=("weak_core",), red_flags=("fever",))
    )
    assert ids(plan, "now")[0] == "see_doctor_today"
    assert all(plan.section(s) == () for s in TRAINING_SECTIONS)
    assert "tell_doctor_serious_signs" in ids(plan, "see_clinician")


def test_medical_level_without_a_lead_item_is_a_knowledge_error():
    kb = dataclasses.replace(KB, care={k: v for k, v in KB.care.items() if not v.lead})
    with pytest.raises(KnowledgeError, match="lead: true"):
        build_plan(result("emergency", kinds=("cauda_equina",)), kb)


@pytest.mark.parametrize("level", LEVEL_ORDER)
def test_every_level_gets_care_now_and_its_headline(level):
    plan = build_plan(result(level))
    assert plan.section("now"), level
    assert any(level in KB.care[i].when.levels for i in ids(plan, "now"))
    assert plan.headline == KB.levels[level].headline


@pytest.mark.parametrize("kind", sorted(KB.kinds))
def test_every_kind_gets_an_item_written_for_it(kind):
    level = KB.kinds[kind].level
    plan = build_plan(result(level, kinds=(kind,)))
    tables = {t: getattr(KB, t) for t in SECTIONS.values()}
    chosen = [
        tables[table][item.id]
        for section, table in SECTIONS.items()
        for item in plan.section(section)
    ]
    assert any(kind in item.when.kinds for item in chosen), kind


@pytest.mark.parametrize("factor", sorted(KB.factors))
@pytest.mark.parametrize("level", TRAINING_LEVELS)
def test_every_factor_gets_its_cue_or_program_change(factor, level):
    plan = build_plan(result(level, factors=(factor,)))
    items = [
        KB.cues.get(i) or KB.program_changes[i]
        for i in ids(plan, "cues") + ids(plan, "program_changes")
    ]
    assert any(factor in item.when.factors for item in items), (factor, level)


def test_uncertain_red_flag_puts_settling_it_first():
    plan = build_plan(result("self_care", uncertain=("bladder_dysfunction",)))
    assert ids(plan, "now")[0] == "settle_red_flags_first"
    assert "settle_red_flags_first" not in build_plan(result("self_care")).item_ids()


def test_uncertain_red_flag_at_emergency_still_opens_with_emergency_care():
    plan = build_plan(
        result(
            "emergency",
            kinds=("cauda_equina",),
            red_flags=("bowel_dysfunction",),
            uncertain=("saddle_anaesthesia",),
        )
    )
    assert ids(plan, "now")[:2] == ["go_to_emergency", "settle_red_flags_first"]


def test_video_and_log_findings_are_cited_in_cues_and_program_changes():
    findings = [
        Finding(
            "hips_rise_early",
            "present",
            "video",
            "hips rose 14 cm before the bar moved",
            detail={"reps": [3, 4, 5]},
        ),
        Finding("load_jump", "present", "log", "deadlift top set up 25% on last week"),
        Finding("back_rounding", "absent", "video", "no rounding seen", detail={"reps": [1]}),
    ]
    plan = build_plan(result(factors=("hips_rise_early", "load_jump"), findings=findings))
    cue = next(i for i in plan.section("cues") if i.id == "legs_push_first")
    assert cue.extra["evidence"] == ["video, reps 3-5: hips rose 14 cm before the bar moved"]
    change = next(i for i in plan.section("program_changes") if i.id == "gradual_load_increase")
    assert change.extra["evidence"] == ["training log: deadlift top set up 25% on last week"]
    assert all("no rounding" not in str(i.extra) for s in SECTIONS for i in plan.section(s))


def test_text_findings_are_not_cited_as_measured_evidence():
    findings = [Finding("hips_rise_early", "present", "text", "my hips shoot up")]
    plan = build_plan(result(factors=("hips_rise_early",), findings=findings))
    assert all("evidence" not in item.extra for item in plan.section("cues"))


def test_ladder_is_in_step_order():
    plan = build_plan(result("self_care", kinds=("muscle_strain",)))
    steps = [item.extra["step"] for item in plan.section("return_to_lifting")]
    assert steps == sorted(steps) and steps[0] == 1


def test_plan_json_shape_and_every_item_source_is_listed():
    plan = build_plan(result("self_care", factors=("tight_hip_flexors", "no_warmup")))
    data = plan.to_json()
    assert list(data) == ["headline", *SECTIONS, "sources"]
    listed = {s["id"] for s in data["sources"]}
    assert all(set(s) == {"id", "title", "publisher", "year", "url"} for s in data["sources"])
    for section in SECTIONS:
        for item in data[section]:
            assert {"id", "title", "text", "source"} <= set(item)
            assert item["source"] in listed and set(item["sources"]) <= listed
    assert data["self_tests"][0]["steps"] and data["self_tests"][0]["positive"]


@pytest.mark.parametrize(
    ("reps", "text"),
    [
        ([3, 4, 5], "3-5"),
        ([5, 3, 4, 8], "3-5, 8"),
        ([1], "1"),
        ([2, 4, 6], "2, 4, 6"),
        ([], ""),
    ],
)
def test_format_reps(reps, text):
    assert format_reps(reps) == text


def test_likely_kinds_keeps_a_close_runner_up_only():
    close = TriageResult(
        Level.SELF_CARE, [KindScore("muscle_strain", 0.8), KindScore("pump_cramp", 0.5)], [], [], []
    )
    far = TriageResult(
        Level.SELF_CARE, [KindScore("muscle_strain", 0.8), KindScore("pump_cramp", 0.2)], [], [], []
    )
    assert likely_kinds(close) == ["muscle_strain", "pump_cramp"]
    assert likely_kinds(far) == ["muscle_strain"]


@settings(max_examples=60, deadline=None)
@given(
    level=st.sampled_from(LEVEL_ORDER),
    kinds=st.lists(st.sampled_from(sorted(KB.kinds)), min_size=1, max_size=3, unique=True),
    factors=st.lists(st.sampled_from(sorted(KB.factors)), max_size=5, unique=True),
    flags=st.lists(st.sampled_from(sorted(KB.red_flags)), max_size=3, unique=True),
    uncertain=st.lists(st.sampled_from(sorted(KB.red_flags)), max_size=2, unique=True),
)
def test_any_result_gets_a_safe_sourced_plan(level, kinds, factors, flags, uncertain):
    plan = build_plan(result(level, kinds, factors, flags, uncertain=uncertain))
    assert plan.section("now")
    if level in ("urgent", "emergency"):
        assert KB.care[plan.section("now")[0].id].lead
        assert all(plan.section(s) == () for s in TRAINING_SECTIONS)
    cited = {s.id for s in plan.sources}
    assert all(set(i.sources) <= cited for s in SECTIONS for i in plan.section(s))


def test_no_return_ladder_while_a_red_flag_is_present():
    flagged = build_plan(result("soon", kinds=("persistent_pain",), red_flags=("night_pain",)))
    assert flagged.section("return_to_lifting") == ()
    assert "physio_for_recurring_pain" in ids(flagged, "see_clinician")
    clear = build_plan(result("soon", kinds=("persistent_pain",)))
    assert ids(clear, "return_to_lifting")[0] == "ladder_1_move"


def test_leg_symptom_findings_bring_nerve_advice_even_when_radicular_is_not_ranked():
    tingling = Finding("leg_numbness", "present", "text", "pins and needles in my calf")
    plan = build_plan(result("soon", kinds=("muscle_strain",), findings=[tingling]))
    assert {"nerve_care", "assess_leg_symptoms"} <= plan.item_ids()
    negated = Finding("leg_numbness", "absent", "text", "no tingling in my legs")
    plan = build_plan(result("soon", kinds=("muscle_strain",), findings=[negated]))
    assert not {"nerve_care", "assess_leg_symptoms"} & plan.item_ids()


def test_public_surface_is_small():
    import backcheck.advice as advice

    assert sorted(advice.__all__) == ["Plan", "PlanItem", "build_plan"]
