"""Counts for the data card: posts per split and site, cases per level, red flag and factor,
and the labellers' agreement.

    python tests/corpus/corpus_counts.py > counts.md
"""

from __future__ import annotations

from collections import Counter

from build_corpus import HERE, POSTS, load_jsonl

SPLITS = ("train", "dev", "test")


def table(title: str, counters: dict[str, Counter], keys: list[str]) -> str:
    lines = [f"| {title} | " + " | ".join(SPLITS) + " | all |", "|---|" + "---|" * 4]
    for key in keys:
        row = [counters[s][key] for s in SPLITS]
        lines.append(f"| {key} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    return "\n".join(lines)


def main() -> None:
    posts = load_jsonl(POSTS)
    cases = {s: load_jsonl(HERE / "data" / f"cases_{s}.jsonl") for s in SPLITS}
    disagreements = load_jsonl(HERE / "data" / "disagreements.jsonl")
    threads = {s: len({p["thread"] for p in posts if p["split"] == s}) for s in SPLITS}
    print(
        f"{len(posts)} posts from {len({p['site'] for p in posts})} sites and "
        f"{len({p['thread'] for p in posts})} threads; threads per split: {threads}.\n"
    )
    level, flag, arguable, factor, kind = ({s: Counter() for s in SPLITS} for _ in range(5))
    for s, rows in cases.items():
        for c in rows:
            e = c["expect"]
            level[s][e["level"]] += 1
            flag[s].update(e["red_flags"])
            arguable[s].update(e["allowed_red_flags"])
            factor[s].update(e["factors"])
            kind[s].update(e["kinds_any"])
    levels = ["normal", "self_care", "soon", "urgent", "emergency"]
    print(table("level", level, levels) + "\n")
    every = lambda cs: sorted({k for c in cs.values() for k in c})  # noqa: E731
    print(table("red flag (both labellers)", flag, every(flag)) + "\n")
    print(table("red flag (arguable)", arguable, every(arguable)) + "\n")
    print(table("kind accepted", kind, every(kind)) + "\n")
    print(table("factor (both labellers)", factor, every(factor)) + "\n")
    n = sum(len(r) for r in cases.values())
    fields = Counter(f for d in disagreements for f in d["fields"])
    level_gap = Counter(d["a"]["level"] != d["b"]["level"] for d in disagreements)[True]
    print(
        f"Labellers disagreed on at least one field for {len(disagreements)} of {n} posts; "
        f"on the main level for {level_gap}. Fields: {dict(fields.most_common())}."
    )
    sites = Counter(p["site"] for p in posts)
    print(
        "\nSites with 3 or more posts: "
        + ", ".join(f"{s} {k}" for s, k in sites.most_common() if k >= 3)
        + "."
    )


if __name__ == "__main__":
    main()
