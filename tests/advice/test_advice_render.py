"""The terminal report: emergency banner first, names not ids, sources, works without colour."""

from __future__ import annotations

from rich.console import Console

from backcheck.advice import build_plan
from backcheck.cli.render import render_assessment
from backcheck.findings import Finding
from backcheck.knowledge.loader import load_knowledge
from backcheck.triage.result import KindScore, Level, Question, Reason, TriageResult

KB = load_knowledge()


def assessment(result: TriageResult) -> dict:
    data = result.to_json()
    data["plan"] = build_plan(result).to_json()
    return data


def render(data: dict, **console_args) -> str:
    console = Console(record=True, width=100, **console_args)
    render_assessment(data, console)
    return console.export_text()


EMERGENCY = TriageResult(
    level=Level.EMERGENCY,
    kinds=[
        KindScore("cauda_equina", 0.95, ("saddle_anaesthesia",)),
        KindScore("radicular", 0.4, ("leg_radiation",)),
    ],
    red_flags=["saddle_anaesthesia"],
    factors=["back_rounding"],
    findings=[
        Finding("saddle_anaesthesia", "present", "text", "numb when I wipe"),
        Finding("back_rounding", "present", "text", "my back rounded"),
    ],
    questions=[
        Question("q_onset", "Did it start during a set?", "onset_during_lift", False),
        Question("q_bladder", "Any trouble passing urine?", "bladder_dysfunction", True),
    ],
    reasons=[
        Reason("Saddle numbness with back pain points to the nerves.", ("saddle_anaesthesia",))
    ],
    statement="This is not a diagnosis.",
)


def test_emergency_banner_comes_before_anything_else():
    text = render(assessment(EMERGENCY))
    first_lines = text.strip().splitlines()[:3]
    assert "EMERGENCY - GO TO AN EMERGENCY DEPARTMENT NOW" in first_lines[0]
    banner_end = text.index("╯")
    assert text.index("Stop what you are doing") < banner_end
    assert banner_end < text.index("This is not a diagnosis.")


def test_emergency_report_shows_flag_words_questions_and_no_training():
    text = render(assessment(EMERGENCY), no_color=True)
    assert "Numbness in the saddle area" in text and '"numb when I wipe"' in text
    assert text.index("Any trouble passing urine?") < text.index("Did it start during a set?")
    assert "RETURN TO LIFTING" not in text and "STRENGTH AND MOBILITY" not in text
    assert "SOURCES" in text and "spinesurgeons.ac.uk" in text


def test_urgent_banner_first():
    result = TriageResult(Level.URGENT, [KindScore("serious_pathology", 0.7)], ["fever"], [], [])
    text = render(assessment(result))
    assert "URGENT - SEE A DOCTOR TODAY" in text.strip().splitlines()[0]


def test_self_care_report_shows_plan_sections_with_sources_and_evidence():
    result = TriageResult(
        level=Level.SELF_CARE,
        kinds=[KindScore("muscle_strain", 0.8, ("sharp_onset",))],
        red_flags=[],
        factors=["hips_rise_early"],
        findings=[
            Finding(
                "hips_rise_early",
                "present",
                "video",
                "hips rose 12 cm first",
                detail={"reps": [2, 3]},
            )
        ],
    )
    text = render(assessment(result), no_color=True)
    assert "EMERGENCY" not in text.splitlines()[0]
    for heading in (
        "WHAT TO DO NOW",
        "TECHNIQUE CUES",
        "PROGRAM CHANGES",
        "RETURN TO LIFTING, STEP BY STEP",
        "WHEN TO SEE A CLINICIAN",
        "SOURCES",
    ):
        assert heading in text
    assert "Muscle strain or sprain" in text and "Sudden sharp onset" in text
    assert "Seen in your data: video, reps 2-3: hips rose 12 cm first" in text
    assert "Source: Cleveland Clinic 2023 [" in text
    assert text.index("WHAT TO DO NOW") < text.index("RETURN TO LIFTING")


def test_unknown_ids_fall_back_to_the_id_and_missing_plan_is_tolerated():
    data = {
        "level": "soon",
        "kinds": [{"id": "mystery_kind", "score": 0.5}],
        "red_flags": [],
        "factors": ["mystery_factor"],
        "findings": [],
    }
    text = render(data)
    assert "mystery_kind" in text and "mystery_factor" in text
    assert "SEE A DOCTOR OR PHYSIOTHERAPIST" in text.splitlines()[0]


def test_insufficient_information_is_labelled():
    result = TriageResult(
        Level.SELF_CARE,
        [KindScore("persistent_pain", 0.3)],
        [],
        [],
        [],
        insufficient_information=True,
    )
    assert "Not enough information to be sure" in render(assessment(result))
