"""Levels from the course of the pain: pain that has lasted a week or more, or six weeks or more,
needs a clinician's look whatever kind it seems to be (NICE NG59), so the level is at least
`soon`; plain training soreness is `normal` only without a sign of another course (a sharp
start, weeks of pain, coming back, worsening, the legs)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.assess import assess_text
from backcheck.findings import Assertion, Finding, Origin
from backcheck.knowledge.loader import load_knowledge
from backcheck.triage.engine import triage
from backcheck.triage.result import Level

KB = load_knowledge()
OTHER_IDS = sorted(set(KB.symptoms) | set(KB.factors))


@pytest.mark.parametrize(
    "text",
    [
        "Lower back tightness after squats, it's been like this for years now but I keep training.",
        "My lower back has been sore for three months now after deadlifts, just a dull ache.",
        "Chronic lower back ache from deadlifting, mostly a pump feeling during sets.",
    ],
)
def test_lasting_pain_is_at_least_soon(text: str) -> None:
    assert assess_text(text).triage.level.rank >= Level.SOON.rank


def test_fresh_soreness_is_not_raised() -> None:
    assert assess_text("Sore lower back the day after deadlifts, easing already.").triage.level == (
        Level.NORMAL
    )


@settings(max_examples=80, deadline=None)
@given(others=st.lists(st.sampled_from(OTHER_IDS), max_size=6, unique=True))
def test_any_findings_with_long_duration_give_at_least_soon(others: list[str]) -> None:
    findings = [Finding(i, Assertion.PRESENT, Origin.TEXT, i) for i in [*others, "long_duration"]]
    assert triage(findings, kb=KB).level.rank >= Level.SOON.rank


@pytest.mark.parametrize(
    "text",
    [
        "Back squatting again after 3 months off; lower back sore two days later, easing today.",
        "First deadlift session after 8 weeks off for a new job, and my back is sore today.",
    ],
)
def test_the_length_of_a_layoff_is_not_how_long_the_pain_has_lasted(text: str) -> None:
    found = {f.id for f in assess_text(text).triage.findings if f.is_present}
    assert "duration_weeks" not in found


@pytest.mark.parametrize(
    "text",
    [
        "I've been doing deadlifts now for about 3 months and my lower back is sore today.",
        "Training 5x5 for the last 6 months, strength going up, lower back fatigue after squats.",
    ],
)
def test_how_long_someone_has_trained_is_not_how_long_the_pain_has_lasted(text: str) -> None:
    found = {f.id for f in assess_text(text).triage.findings if f.is_present}
    assert not found & {"duration_weeks", "long_duration"}


def test_training_with_the_pain_for_months_is_still_months_of_pain() -> None:
    text = "I've been lifting with this lower back pain for 3 months."
    found = {f.id for f in assess_text(text).triage.findings if f.is_present}
    assert found & {"duration_weeks", "long_duration"}


@pytest.mark.parametrize(
    "text",
    [
        "Lower back really sore the day after heavy deadlifts, first time doing them, but it was a "
        "sharp twinge on the last rep.",
        "DOMS in my lower back the day after a new volume block of deadlifts, and the soreness is "
        "getting worse each day.",
        "Deadlifted this morning and my lower back got sore, I went to the floor in pain.",
        "Squatted this morning, now my back is sore and I was unable to stand for ten minutes.",
        "My lower back went on a row this morning and I had to crawl to the locker room.",
    ],
)
def test_soreness_with_a_sign_of_another_course_is_not_called_normal(text: str) -> None:
    assert assess_text(text).triage.level.rank >= Level.SELF_CARE.rank


@pytest.mark.parametrize(
    "text",
    [
        "For the last year I have had some soreness in my lower back after squats.",
        "This is the 2nd week my lower back has been hurting since deadlifts.",
        "I've had lower back pain from lifting for a number of years.",
        "It's been about a year since my back injury and it still aches when I pull.",
        "My lower back has been tender after rows for a very long time.",
    ],
)
def test_durations_said_without_a_count_are_at_least_soon(text: str) -> None:
    assert assess_text(text).triage.level.rank >= Level.SOON.rank


@pytest.mark.parametrize(
    "text",
    [
        "I haven't felt back pain like this before, shooting down both legs after the squat.",
        "Never had pain like it: numb down both legs since the deadlift.",
    ],
)
def test_never_felt_like_this_does_not_negate_what_follows(text: str) -> None:
    assert "bilateral_leg_symptoms" in assess_text(text).triage.red_flags


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Since then my lower back pain has gotten progressively worse.", "worsening"),
        ("I've been stretching my sore back every day and it won't let up.", "not_improving"),
        ("Now my lower back hurts regularly during squats and deadlifts.", "recurring"),
        ("It was nearly better but the back pain has returned since then.", "recurring"),
        ("Lately I've been getting intense lower back pain from light deadlifts.", "recurring"),
        ("I've had lower back pain from lifting for approximately 8 years.", "long_duration"),
        ("My back has ached on and off for most of my adult life.", "long_duration"),
    ],
)
def test_course_words_are_read(text: str, sign: str) -> None:
    found = {f.id for f in assess_text(text).triage.findings if f.is_present}
    assert sign in found


def test_pain_for_two_weeks_is_at_least_soon() -> None:
    text = "My lower back has hurt for two weeks since a heavy squat day."
    assert assess_text(text).triage.level.rank >= Level.SOON.rank


@pytest.mark.parametrize(
    "text",
    [
        "Getting worse every day since I tweaked my lower back on deadlifts.",
        "MRI showed an L5-S1 bulge; lower back tight after squats.",
        "Was told I have a herniated disc, back aches when I deadlift.",
        "Doc says spondylolisthesis, my lower back hurts after rows.",
    ],
)
def test_worsening_or_a_found_disc_or_bone_problem_is_at_least_soon(text: str) -> None:
    assert assess_text(text).triage.level.rank >= Level.SOON.rank


@pytest.mark.parametrize(
    "text",
    [
        "Sore lower back, I'm worried it might be a herniated disc? It came on the day after "
        "deadlifts and is easing.",
        "My brother has a herniated disc. My own lower back is just sore the day after squats, "
        "easing already.",
    ],
)
def test_a_feared_or_someone_elses_disc_problem_does_not_raise(text: str) -> None:
    found = [f for f in assess_text(text).triage.findings if f.id == "spinal_diagnosis"]
    assert all(f.assertion is not Assertion.PRESENT for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Felt a twinge on the third rep of deadlifts and it has been sore since.",
        "My lower back hurt during the set at lockout, sore today.",
    ],
)
def test_soreness_that_began_in_the_set_is_not_normal(text: str) -> None:
    assert assess_text(text).triage.level.rank >= Level.SELF_CARE.rank


@pytest.mark.parametrize(
    "text",
    [
        "I had back surgery and now my back hurts after squats.",
        "Spinal fusion 15 months ago; my back is sore after deadlifts.",
    ],
)
def test_back_surgery_without_a_recent_date_is_asked_about(text: str) -> None:
    result = assess_text(text).triage
    assert "infection_risk" in result.uncertain_red_flags
    assert "infection_risk" not in result.red_flags


def test_a_short_course_of_corticosteroids_is_asked_about_not_asserted() -> None:
    result = assess_text(
        "The doctor gave me corticosteroids for a week and physio; back sore after squats."
    ).triage
    assert "fracture_risk" in result.uncertain_red_flags
    assert "fracture_risk" not in result.red_flags


def test_this_morning_is_not_a_delayed_onset() -> None:
    """'I trained this morning' dates the session; it says nothing of soreness the day after."""
    found = assess_text("Did deadlifts this morning and my lower back is sore.").triage.findings
    assert "delayed_onset" not in {f.id for f in found if f.is_present}


def test_soreness_with_no_sign_of_its_own_is_not_normal() -> None:
    """'normal' needs a positive sign of training soreness (issue 17 item 3)."""
    result = assess_text("My lower back feels tight and stiff when I squat.").triage
    assert result.level.rank >= Level.SELF_CARE.rank
    assert any("No sign of training soreness" in r.text for r in result.reasons)
