"""Triage speed: batch throughput, warm per-report latency, and CLI cold start.

Targets on 2 cores: >= 150 reports/s in batch mode, p95 <= 30 ms warm, cold start <= 2.5 s.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "core" / "data"


def _texts() -> list[str]:
    texts = []
    for name in ("reports.jsonl", "heldout.jsonl"):
        for line in (CASES / name).read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def _batch_rate(texts: list[str]) -> tuple[float, int]:
    """Reports per second through the real CLI batch mode, start-up included."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for i, text in enumerate(texts * 10):
            f.write(json.dumps({"id": str(i), "text": text}) + "\n")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "backcheck.cli", "triage", "--json", "--batch", f.name],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    elapsed = time.perf_counter() - start
    Path(f.name).unlink()
    n = len(out.splitlines())
    return n / elapsed, n


def _latencies(texts: list[str]) -> list[float]:
    from backcheck.assess import assess_text

    assess_text("warm up the pipeline: sore lower back after deadlifts")
    times = []
    for text in texts:
        start = time.perf_counter()
        assess_text(text).to_json()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _cold_start() -> float:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(
            [ROOT / ".venv" / "bin" / "backcheck", "triage", "--json", "sore back after deads"],
            capture_output=True,
            check=True,
            timeout=120,
        )
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def run() -> list[tuple[str, str, str]]:
    texts = _texts()
    rate, n = _batch_rate(texts)
    lat = sorted(_latencies(texts))
    p50 = lat[len(lat) // 2]
    p95 = lat[int(len(lat) * 0.95)]
    return [
        ("batch throughput (CLI, incl. start-up)", f"{rate:.0f} reports/s ({n} reports)", ">= 150"),
        ("latency p50 warm", f"{p50:.1f} ms", ""),
        ("latency p95 warm", f"{p95:.1f} ms", "<= 30 ms"),
        ("CLI cold start (median of 3)", f"{_cold_start():.2f} s", "<= 2.5 s"),
    ]
