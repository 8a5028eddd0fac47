"""Contributing factors said in passing, as lifters say them (wordings seen in train posts,
written anew here): the rules read them, and a denial or someone else's keeps them out."""

from __future__ import annotations

import pytest

from backcheck.assess import assess_text


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("It had been a while since I pulled from the floor; back is sore.", "unaccustomed"),
        ("Front squats are fairly new to me; my lower back aches after them.", "unaccustomed"),
        ("I started lifting about six weeks ago; back hurts after deadlifts.", "unaccustomed"),
        ("First week of my return to training and the lower back is tight.", "unaccustomed"),
        ("Took a break from lifting for two months; back sore after squats.", "unaccustomed"),
        ("Lower back sore since I golfed on Sunday and deadlifted Monday.", "other_activity"),
        ("My back tightened up when out running the day after squats.", "other_activity"),
        ("Sitting on the couch all day made my deadlift-sore back worse.", "other_activity"),
    ],
)  # fmt: skip
def test_factor_said_in_passing_is_found(text: str, factor: str) -> None:
    assert factor in assess_text(text, learned=False).triage.factors


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("I don't play golf or run, my back just aches after deadlifts.", "other_activity"),
        ("I'm not new to lifting at all; my back is sore after squats.", "unaccustomed"),
    ],
)
def test_denied_factor_is_not_found(text: str, factor: str) -> None:
    assert factor not in assess_text(text, learned=False).triage.factors
