"""Score a triage command on the real-posts corpus, per split and per source (site).

    python tests/corpus/score_corpus.py [--cmd "...backcheck triage --json --batch"]

Runs `../shared/tools/score_triage.py` on each split's cases and on each site's posts within
a split (sites with fewer than 5 posts in that split are pooled as `other`), and prints one
Markdown table: the rules engine next to the constant answer (`constant_triage.py`), so a
layer's worth is read against the floor.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

from build_corpus import HERE, load_jsonl

SCORER = HERE.parents[2] / "shared" / "tools" / "score_triage.py"
CONSTANT = f"{sys.executable} {HERE / 'constant_triage.py'}"
SUMMARY = re.compile(
    r"(\d+) cases: level ([\d.]+), emergencies (\d+)/(\d+), under-triage (\d+), "
    r"red flags ([\d.]+), kinds ([\d.]+), factors ([\d.]+)"
)
MIN_SITE = 5


def score(cases: list[dict], cmd: str) -> dict[str, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps(c) + "\n" for c in cases)
    out = subprocess.run(
        [sys.executable, str(SCORER), f.name, "--cmd", cmd],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    m = SUMMARY.search(out)
    if not m:
        raise RuntimeError(f"score_triage.py printed no summary:\n{out[-1500:]}")
    n, level, e_hit, e_n, under, red, kind, fac = m.groups()
    return {
        "n": n,
        "level_ok": level,
        "emergencies": f"{e_hit}/{e_n}",
        "under": f"{int(under) / int(n):.2f}",
        "red_flags": red,
        "kind_top2": kind,
        "factor_recall": fac,
    }


def groups() -> list[tuple[str, list[dict]]]:
    out = []
    for split in ("train", "dev", "test"):
        cases = load_jsonl(HERE / "data" / f"cases_{split}.jsonl")
        if not cases:
            continue
        out.append((f"{split} (all)", cases))
        by_site: dict[str, list[dict]] = defaultdict(list)
        for c in cases:
            by_site[c["site"]].append(c)
        other = [c for rows in by_site.values() if len(rows) < MIN_SITE for c in rows]
        for site, rows in sorted(by_site.items(), key=lambda kv: -len(kv[1])):
            if len(rows) >= MIN_SITE:
                out.append((f"{split} / {site}", rows))
        if other:
            out.append((f"{split} / other sites", other))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cmd", default=".venv/bin/backcheck triage --json --batch")
    args = ap.parse_args()
    cols = ("n", "level_ok", "emergencies", "under", "red_flags", "kind_top2", "factor_recall")
    print("| cases | engine | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for name, cases in groups():
        for engine, cmd in (("rules", args.cmd), ("constant", CONSTANT)):
            row = score(cases, cmd)
            print(f"| {name} | {engine} | " + " | ".join(row[c] for c in cols) + " |")


if __name__ == "__main__":
    main()
