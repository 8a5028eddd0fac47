"""Build the real-posts corpus from the collectors' raw files.

    python tests/corpus/build_corpus.py RAW.jsonl [RAW.jsonl ...]

Merges the raw files (verbatim excerpts with url, site, thread), drops exact and near
duplicates, drops every item the kept-apart check (`../shared/tools/heldout_overlap.py`) flags
and the rest of its thread, gives each post a stable id from its text, and assigns a split by
thread: every post of a thread lands on the same side, so a model or rule tuned on `train`
never sees a `test` thread. Writes `data/posts.jsonl` atomically; ids and splits are
hashes, so a rebuild gives every post the same id and split again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent
POSTS = HERE / "data" / "posts.jsonl"
OVERLAP = HERE.parents[2] / "shared" / "tools" / "heldout_overlap.py"
SPLITS = (("train", 60), ("dev", 20), ("test", 20))  # percent of threads
MIN_WORDS = 8


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def thread_key(item: dict) -> str:
    """The thread a post belongs to: its URL without query, fragment or trailing slash."""
    parts = urlsplit(item.get("thread") or item["url"])
    host = parts.netloc.lower().removeprefix("www.").removeprefix("old.")
    return f"{host}{parts.path.rstrip('/')}"


def split_of(thread: str) -> str:
    """A stable split per thread from a hash of its key."""
    bucket = int(hashlib.sha256(thread.encode()).hexdigest()[:8], 16) % 100
    edge = 0
    for name, percent in SPLITS:
        edge += percent
        if bucket < edge:
            return name
    return SPLITS[-1][0]


def post_id(text: str) -> str:
    return "rp-" + hashlib.sha256(" ".join(_words(text)).encode()).hexdigest()[:10]


def _near_duplicate(words: list[str], seen: list[set[str]]) -> bool:
    grams = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    for other in seen:
        if len(grams & other) >= 0.6 * min(len(grams), len(other)):
            return True
    seen.append(grams)
    return False


def _flagged_by_heldout(items: list[dict]) -> set[str]:
    """Ids the kept-apart check flags (it prints one line per overlapping item)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for it in items:
            f.write(json.dumps({"id": it["id"], "text": it["text"]}) + "\n")
    try:
        out = subprocess.run(
            [sys.executable, str(OVERLAP), f.name], capture_output=True, text=True, check=False
        ).stdout
    finally:
        os.unlink(f.name)
    return {it["id"] for it in items if f"id {it['id']} shares" in out}


def load_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_jsonl_atomic(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    os.replace(tmp, path)


def build(raw_files: list[Path]) -> dict[str, int]:
    posts = load_jsonl(POSTS)
    seen: list[set[str]] = []
    known = {p["id"] for p in posts}
    for p in posts:
        _near_duplicate(_words(p["text"]), seen)
    counts = {"read": 0, "short": 0, "duplicate": 0, "heldout": 0, "same_thread": 0, "added": 0}
    fresh = []
    for raw in raw_files:
        for line in raw.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            counts["read"] += 1
            words = _words(item["text"])
            if len(words) < MIN_WORDS:
                counts["short"] += 1
                continue
            pid = post_id(item["text"])
            if pid in known or _near_duplicate(words, seen):
                counts["duplicate"] += 1
                continue
            known.add(pid)
            thread = thread_key(item)
            fresh.append(
                {
                    "id": pid,
                    "site": urlsplit(item["url"]).netloc.lower().removeprefix("www."),
                    "url": item["url"],
                    "thread": thread,
                    "title": item.get("title", ""),
                    "query": item.get("query", ""),
                    "split": split_of(thread),
                    "text": item["text"].strip(),
                }
            )
    flagged = _flagged_by_heldout(fresh)
    counts["heldout"] = len(flagged)
    # A kept-apart report came from that page: its thread's other posts stay out too.
    kept_apart_threads = {p["thread"] for p in fresh if p["id"] in flagged}
    counts["same_thread"] = sum(
        p["thread"] in kept_apart_threads and p["id"] not in flagged for p in fresh
    )
    fresh = [p for p in fresh if p["thread"] not in kept_apart_threads]
    counts["added"] = len(fresh)
    write_jsonl_atomic(POSTS, posts + fresh)
    return counts


if __name__ == "__main__":
    print(build([Path(a) for a in sys.argv[1:]]))
