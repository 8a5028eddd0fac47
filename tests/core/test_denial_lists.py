"""A list of denials ends where the lifter says what *is* there ("- just tight", ", only
stiff"): the denied items stay absent, and what follows the end is present."""

from __future__ import annotations

import pytest

from backcheck.findings import Assertion
from backcheck.intake.text import read_text


def states(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in read_text(text).findings:
        out.setdefault(f.id, set()).add(f.assertion.value)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "no numbness, no tingling, no fever - just tight",
        "No fever, just tight after squats.",
        "no fever – only tight",
        "Back is tight after deads. No fever, no numbness — just tight.",
    ],
)
def test_denials_before_a_dash_or_just_stay_denied(text: str) -> None:
    found = states(text)
    assert found["fever"] == {Assertion.ABSENT.value}
    assert Assertion.PRESENT.value in found["stiffness"]


@pytest.mark.parametrize(
    "text",
    [
        "Lower back tight after deadlifts, nothing down my legs.",
        "Sore back after squats, no symptoms in my legs at all.",
    ],
)
def test_nothing_in_the_legs_denies_leg_numbness_too(text: str) -> None:
    """After 'nothing down my legs' the result must not ask about numbness in a leg."""
    found = states(text)
    assert found.get("leg_numbness") == {Assertion.ABSENT.value}


def test_numbness_down_the_legs_is_still_present() -> None:
    found = states("Since the squat I have numbness down my legs.")
    assert Assertion.PRESENT.value in found["leg_numbness"]
