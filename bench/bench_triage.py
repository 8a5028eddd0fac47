"""Triage: speed and memory of the rules alone and with the learned layer, side by side in one
run, and the scores of both on the real-posts corpus, per split and per source.

Speed targets on 2 cores: >= 150 reports/s in batch mode, p95 <= 30 ms warm, cold start
<= 2.5 s, added memory <= 200 MB. Where a safety layer and a speed target conflict, safety wins
and the table says so with the numbers.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "core" / "data"
CORPUS = ROOT / "tests" / "corpus" / "data"
SCORER = ROOT.parent / "shared" / "tools" / "score_triage.py"
CLI = [sys.executable, "-m", "backcheck.cli", "triage", "--json"]
ENGINES = {"rules": ["--rules-only"], "rules + learned": []}
SUMMARY = re.compile(r"level ([\d.]+), emergencies (\d+/\d+), under-triage (\d+), red flags "
                     r"([\d.]+), kinds ([\d.]+), factors ([\d.]+)")  # fmt: skip


def _texts() -> list[str]:
    texts = []
    for name in ("reports.jsonl", "heldout.jsonl"):
        for line in (CASES / name).read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def _batch_rate(texts: list[str], flags: list[str]) -> tuple[float, int]:
    """Reports per second through the real CLI batch mode, start-up included."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for i, text in enumerate(texts * 3):
            f.write(json.dumps({"id": str(i), "text": text}) + "\n")
    start = time.perf_counter()
    out = subprocess.run(
        [*CLI, *flags, "--batch", f.name], capture_output=True, text=True, check=True, timeout=900
    ).stdout
    elapsed = time.perf_counter() - start
    Path(f.name).unlink()
    n = len(out.splitlines())
    return n / elapsed, n


_CHILD = """
import json, resource, sys, time
from backcheck.assess import assess_text
learned = sys.argv[1] == "1"
texts = [json.loads(l)["text"] for l in open(sys.argv[2]) if l.strip()]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assess_text("warm up: sore lower back after deadlifts", learned=learned)
times = []
for text in texts:
    start = time.perf_counter()
    assess_text(text, learned=learned).to_json()
    times.append((time.perf_counter() - start) * 1000)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "peak_kb": peak, "import_kb": before}))
"""


def _warm(texts: list[str], learned: bool) -> dict:
    """Warm latencies and peak memory in a fresh process (so one engine's caches never help
    the other's)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.writelines(json.dumps({"text": t}) + "\n" for t in texts)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, "1" if learned else "0", f.name],
        capture_output=True, text=True, check=True, timeout=900, cwd=ROOT,
    ).stdout  # fmt: skip
    Path(f.name).unlink()
    return json.loads(out.strip().splitlines()[-1])


def _cold_start(flags: list[str]) -> float:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [ROOT / ".venv" / "bin" / "backcheck", "triage", "--json", *flags, "sore back"],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _score(path: Path, flags: list[str]) -> str:
    cmd = " ".join([*CLI, *flags, "--batch"])
    out = subprocess.run(
        [sys.executable, str(SCORER), str(path), "--cmd", cmd],
        capture_output=True, text=True, check=False, timeout=1800,
    ).stdout  # fmt: skip
    m = SUMMARY.search(out)
    if not m:
        return "scorer failed"
    level, emerg, under, flags_, kinds, factors = m.groups()
    n = sum(1 for line in path.read_text("utf-8").splitlines() if line.strip())
    return (f"level {level}, emergencies {emerg}, under-triage {int(under) / n:.2f}, "
            f"red flags {flags_}, kinds {kinds}, factors {factors}")  # fmt: skip


def _by_site(split: str) -> list[tuple[str, Path]]:
    cases = [json.loads(line) for line in (CORPUS / f"cases_{split}.jsonl").open()]
    groups: dict[str, list[dict]] = {}
    for case in cases:
        groups.setdefault(case["site"], []).append(case)
    out, other = [], []
    for site, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(items) >= 8:
            out.append((site, items))
        else:
            other += items
    out.append(("other sites", other))
    paths = []
    for site, items in out:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.writelines(json.dumps(c) + "\n" for c in items)
        paths.append((f"{site} ({len(items)})", Path(f.name)))
    return paths


def run() -> list[tuple[str, str, str]]:
    texts = _texts()
    rows: list[tuple[str, str, str]] = []
    warm = {name: _warm(texts, learned=not flags) for name, flags in ENGINES.items()}
    for name, flags in ENGINES.items():
        rate, n = _batch_rate(texts, flags)
        lat = sorted(warm[name]["times"])
        rows += [
            (f"{name}: batch throughput (CLI, incl. start-up)", f"{rate:.0f} reports/s ({n})",
             ">= 150"),
            (f"{name}: latency p50 / p95 warm", f"{lat[len(lat) // 2]:.1f} / "
             f"{lat[int(len(lat) * 0.95)]:.1f} ms", "p95 <= 30 ms"),
            (f"{name}: CLI cold start (median of 3)", f"{_cold_start(flags):.2f} s", "<= 2.5 s"),
        ]  # fmt: skip
    added = (warm["rules + learned"]["peak_kb"] - warm["rules"]["peak_kb"]) / 1024
    rows.append(("learned layer: added peak memory (same reports)", f"{added:.0f} MB", "<= 200 MB"))
    for split in ("train", "dev", "test"):
        path = CORPUS / f"cases_{split}.jsonl"
        for name, flags in ENGINES.items():
            rows.append((f"corpus {split}: {name}", _score(path, flags),
                         "test: level >= 0.90, all emergencies, under <= 0.03, flags >= 0.90, "
                         "kinds >= 0.85, factors >= 0.70" if split == "test" else ""))  # fmt: skip
    for label, path in _by_site("test"):
        for name, flags in ENGINES.items():
            rows.append((f"corpus test, {label}: {name}", _score(path, flags), ""))
        path.unlink()
    return rows
