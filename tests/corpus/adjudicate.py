"""Two labellers' files into the corpus cases, with every disagreement recorded.

    python tests/corpus/adjudicate.py LABELS_A.jsonl LABELS_B.jsonl

The rules are mechanical, so anyone can re-run them, and lean to safety:
- level: the higher of the two; acceptable levels: every level either labeller named that is
  not below the lower of the two main levels;
- red flags and factors: present where both say present; arguable where either names one;
- kinds: any kind either labeller accepts.
Writes `data/cases_{train,dev,test}.jsonl` (the shape `score_triage.py` reads, plus `site`) and
`data/disagreements.jsonl` (one line per post where the two differ, with both labels).
"""

from __future__ import annotations

import sys
from pathlib import Path

from build_corpus import HERE, POSTS, load_jsonl, write_jsonl_atomic

LEVELS = ["normal", "self_care", "soon", "urgent", "emergency"]
FIELDS = (
    "level",
    "level_ok",
    "kinds_any",
    "red_flags",
    "allowed_red_flags",
    "factors",
    "allowed_factors",
)


def merge(a: dict, b: dict) -> dict:
    lo, hi = sorted((LEVELS.index(a["level"]), LEVELS.index(b["level"])))
    named = {a["level"], b["level"], *a["level_ok"], *b["level_ok"]}
    ok = sorted((x for x in named if LEVELS.index(x) >= lo and x != LEVELS[hi]), key=LEVELS.index)
    both_flags = set(a["red_flags"]) & set(b["red_flags"])
    any_flags = {*a["red_flags"], *b["red_flags"], *a["allowed_red_flags"], *b["allowed_red_flags"]}
    both_factors = set(a["factors"]) & set(b["factors"])
    any_factors = {*a["factors"], *b["factors"], *a["allowed_factors"], *b["allowed_factors"]}
    return {
        "level": LEVELS[hi],
        "level_ok": ok,
        "kinds_any": sorted({*a["kinds_any"], *b["kinds_any"]}),
        "red_flags": sorted(both_flags),
        "allowed_red_flags": sorted(any_flags - both_flags),
        "factors": sorted(both_factors),
        "allowed_factors": sorted(any_factors - both_factors),
    }


def differs(a: dict, b: dict) -> list[str]:
    out = []
    for key in FIELDS:
        x, y = a[key], b[key]
        if (sorted(x) if isinstance(x, list) else x) != (sorted(y) if isinstance(y, list) else y):
            out.append(key)
    return out


def adjudicate(path_a: Path, path_b: Path) -> dict[str, int]:
    posts = {p["id"]: p for p in load_jsonl(POSTS)}
    labels_a = {r["id"]: r for r in load_jsonl(path_a)}
    labels_b = {r["id"]: r for r in load_jsonl(path_b)}
    cases: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    disagreements = []
    for pid, post in posts.items():
        if pid not in labels_a or pid not in labels_b:
            continue
        a, b = labels_a[pid], labels_b[pid]
        expect = merge(a, b)
        cases[post["split"]].append(
            {"id": pid, "site": post["site"], "text": post["text"], "expect": expect}
        )
        keys = differs(a, b)
        if keys:
            disagreements.append(
                {
                    "id": pid,
                    "fields": keys,
                    "a": {k: a[k] for k in FIELDS},
                    "b": {k: b[k] for k in FIELDS},
                    "settled": expect,
                    "notes": [a.get("note", ""), b.get("note", "")],
                }
            )
    for name, rows in cases.items():
        write_jsonl_atomic(HERE / "data" / f"cases_{name}.jsonl", rows)
    write_jsonl_atomic(HERE / "data" / "disagreements.jsonl", disagreements)
    counts = {name: len(rows) for name, rows in cases.items()}
    counts["disagreements"] = len(disagreements)
    return counts


if __name__ == "__main__":
    print(adjudicate(Path(sys.argv[1]), Path(sys.argv[2])))
