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
