"""The real-posts corpus stays sound: labels in the fixed vocabulary, no thread on two sides of
a split, nothing copied from the reports kept apart, every case backed by a collected post."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest
from build_corpus import HERE, OVERLAP, POSTS, load_jsonl, post_id, split_of, thread_key

SPEC = HERE.parents[2] / "shared" / "spec" / "triage-vocabulary.yaml"


def vocabulary() -> dict[str, set[str]]:
    """The ids of each section of the fixed vocabulary (its prose values are not strict YAML,
    so the ids are read by their indentation: a section at the margin, ids two spaces in)."""
    out: dict[str, set[str]] = {}
    section = ""
    for line in SPEC.read_text("utf-8").splitlines():
        if m := re.match(r"([a-z_]+):", line):
            section = m.group(1)
        elif m := re.match(r"  ([a-z_]+):", line):
            out.setdefault(section, set()).add(m.group(1))
    return out


VOCABULARY = vocabulary()
POST_ROWS = load_jsonl(POSTS)
CASES = {s: load_jsonl(HERE / "data" / f"cases_{s}.jsonl") for s in ("train", "dev", "test")}
ALL_CASES = [c for rows in CASES.values() for c in rows]


def test_the_corpus_has_posts_and_labelled_cases() -> None:
    assert len(POST_ROWS) >= 100
    assert len(ALL_CASES) >= 100


def test_post_ids_are_their_text_hash_and_unique() -> None:
    ids = [p["id"] for p in POST_ROWS]
    assert len(ids) == len(set(ids))
    assert all(p["id"] == post_id(p["text"]) for p in POST_ROWS)


def test_every_thread_sits_in_one_split_and_the_split_is_its_hash() -> None:
    splits_of_thread: dict[str, set[str]] = defaultdict(set)
    for p in POST_ROWS:
        assert p["thread"] == thread_key(p)
        assert p["split"] == split_of(p["thread"])
        splits_of_thread[p["thread"]].add(p["split"])
    assert all(len(s) == 1 for s in splits_of_thread.values())


def test_cases_are_posts_of_their_own_split() -> None:
    posts = {p["id"]: p for p in POST_ROWS}
    for split, rows in CASES.items():
        for case in rows:
            assert case["text"] == posts[case["id"]]["text"]
            assert posts[case["id"]]["split"] == split


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c["id"])
def test_labels_use_the_fixed_vocabulary(case: dict) -> None:
    e = case["expect"]
    levels = VOCABULARY["levels"]
    assert e["level"] in levels and set(e["level_ok"]) <= set(levels)
    assert e["level"] not in e["level_ok"]
    assert e["kinds_any"] and set(e["kinds_any"]) <= set(VOCABULARY["kinds"])
    flags = set(VOCABULARY["red_flags"])
    assert set(e["red_flags"]) <= flags and set(e["allowed_red_flags"]) <= flags
    assert not set(e["red_flags"]) & set(e["allowed_red_flags"])
    factors = set(VOCABULARY["factors"])
    assert set(e["factors"]) <= factors and set(e["allowed_factors"]) <= factors


def test_nothing_overlaps_the_reports_kept_apart() -> None:
    result = subprocess.run(
        [sys.executable, str(OVERLAP), str(POSTS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:]
