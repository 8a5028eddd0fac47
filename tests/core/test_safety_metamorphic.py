"""Safety rule 4, as properties: irrelevant words, reordered sentences, changed case, common
typos or a negated red flag added elsewhere never lower the level of any report in the set."""

from __future__ import annotations

import re
from functools import cache

import pytest
from core_cases import level_rank, load_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.assess import assess_text

CASES = load_cases()
CHATTER = [
    "I'm running a 5/3/1 variant with BBB accessories.",
    "Diet is mostly chicken, rice and oats, about 3000 calories.",
    "My gym just got a new monolift and it's great.",
    "Bench is going well, hit 100 kg for a triple last week.",
    "I train in the evening after work, usually around 7pm.",
    "Not sure if this matters but I also do some swimming on Sundays.",
    "Using a 10mm lever belt and chalk.",
]
NEGATED_FLAGS = [
    "No numbness in the groin and peeing is normal.",
    "There's no fever and I have not lost any weight.",
    "Both legs feel fine, no weakness anywhere.",
    "Never had cancer and I'm not on any steroid tablets.",
    "Bowels are fine and no problems with erections.",
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def level_of(text: str) -> int:
    return level_rank(assess_text(text).triage.level.value)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


case_texts = st.sampled_from([c["text"] for c in CASES])


@SETTINGS
@given(case_texts, st.sampled_from(CHATTER), st.integers(0, 10))
def test_unrelated_chatter_never_lowers_the_level(text: str, chatter: str, where: int) -> None:
    parts = _sentences(text)
    parts.insert(where % (len(parts) + 1), chatter)
    assert level_of(" ".join(parts)) >= level_of(text)


@SETTINGS
@given(case_texts, st.randoms(use_true_random=False))
def test_reordering_sentences_never_lowers_the_level(text: str, rnd) -> None:  # type: ignore[no-untyped-def]
    parts = _sentences(text)
    rnd.shuffle(parts)
    assert level_of(" ".join(parts)) >= level_of(text)


@SETTINGS
@given(case_texts, st.sampled_from(["upper", "lower", "title", "swapcase"]))
def test_changing_case_never_lowers_the_level(text: str, how: str) -> None:
    assert level_of(getattr(text, how)()) >= level_of(text)


def _typo(word: str, kind: int) -> str:
    """Common slips: two letters swapped, a letter doubled, a letter dropped (long words)."""
    i = len(word) // 2
    if kind == 0:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1 :] if len(word) >= 6 else word


@SETTINGS
@given(case_texts, st.data())
def test_common_typos_never_lower_the_level(text: str, data: st.DataObject) -> None:
    words = list(re.finditer(r"[A-Za-z]{4,}", text))
    chosen = data.draw(st.lists(st.sampled_from(words), max_size=3, unique_by=lambda m: m.start()))
    out = text
    for m in sorted(chosen, key=lambda m: -m.start()):
        kind = data.draw(st.integers(0, 2))
        out = out[: m.start()] + _typo(m.group(), kind) + out[m.end() :]
    assert level_of(out) >= level_of(text)


@SETTINGS
@given(case_texts, st.sampled_from(NEGATED_FLAGS), st.booleans())
def test_adding_a_negated_red_flag_never_lowers_the_level(
    text: str, negated: str, first: bool
) -> None:
    combined = f"{negated} {text}" if first else f"{text} {negated}"
    assert level_of(combined) >= level_of(text)


@pytest.mark.parametrize("part", ["knee", "knees", "kneee", "thighs", "hamstrings", "calves"])
@pytest.mark.parametrize("start", ["my bum", "my glutes", "my buttocks"])
def test_pain_running_into_any_leg_part_is_leg_radiation(start: str, part: str) -> None:
    """Found by the typo property test: "kneee" was mended to "knees", and the rules that spelt
    the leg parts in the singular then missed the radiation, dropping the level to self care."""
    text = f"my leg is on fire from {start} to my {part} on the right, since squats"
    found = {f["id"] for f in assess_text(text).to_json()["findings"]}
    assert "leg_radiation" in found, text


@pytest.mark.parametrize("bowels", ["bowels", "bowls"])
def test_bowels_misspelt_as_a_real_word_still_raise_the_emergency(bowels: str) -> None:
    """Found by a sweep of every single-letter slip over the case set: "bowls" is a common real
    word, so typo mending leaves it alone and the rules must read it where it can only mean
    bowels; two bowls of oats stay oats."""
    lost = assess_text(f"lost control of my {bowels} on the way to the toilet after deadlifts")
    assert {f["id"] for f in lost.to_json()["findings"]} >= {"bowel_dysfunction"}
    oats = assess_text("ate two bowls of oats before training, back is tight after deadlifts")
    assert "bowel_dysfunction" not in {f["id"] for f in oats.to_json()["findings"]}


def test_ramping_up_is_not_read_as_cramping() -> None:
    """The dictionary lacks "ramping", and typo mending had read it as "cramping"."""
    text = "ramping up to a heavy single my lower back got tight"
    assert "cramp_spasm" not in {f["id"] for f in assess_text(text).to_json()["findings"]}
