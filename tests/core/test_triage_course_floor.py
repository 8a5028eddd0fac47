"""Pain that has lasted six weeks or more needs a clinician's look (NICE NG59 treats it as
persistent low back pain), whatever kind of pain it seems to be: the level is at least `soon`."""

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
