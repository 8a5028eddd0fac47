"""Coverage of knowledge: every red flag has reports that trigger it and reports that mention
it negated, hypothetically or as someone else's, and each behaves as the safety rules say."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from core_cases import level_rank

from backcheck.assess import assess_text
from backcheck.knowledge.loader import load_knowledge

PHRASES = yaml.safe_load((Path(__file__).parent / "data" / "red_flag_phrases.yaml").read_text())
PRESENT = [(flag, text) for flag, d in PHRASES.items() for text in d["present"]]
NEGATED = [(flag, text) for flag, d in PHRASES.items() for text in d["negated"]]


def test_every_red_flag_has_present_and_negated_reports() -> None:
    flags = set(load_knowledge().red_flags)
    assert flags == set(PHRASES)
    assert all(PHRASES[f]["present"] and PHRASES[f]["negated"] for f in flags)


@pytest.mark.parametrize(("flag", "text"), PRESENT)
def test_present_red_flag_is_found_and_sets_the_level(flag: str, text: str) -> None:
    result = assess_text(text).to_json()
    assert flag in result["red_flags"], result["findings"]
    floor = load_knowledge().red_flags[flag].min_level
    assert level_rank(result["level"]) >= level_rank(floor)


@pytest.mark.parametrize(("flag", "text"), NEGATED)
def test_negated_red_flag_is_not_reported(flag: str, text: str) -> None:
    result = assess_text(text).to_json()
    assert flag not in result["red_flags"], result["findings"]
    assert flag not in result["uncertain_red_flags"]
