"""Training log benchmark: import a generated 10-year Strong export (~100,000 sets), then the
full report on it. Runs in a child process so peak memory (max RSS) is the log's own.

Targets on 2 cores: import <= 3 s, report <= 1 s, peak memory <= 300 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT_S = 300
WEEKS = 520  # ten years, 3 sessions a week, 8 lifts x (1 warm-up + 7 sets) = 99,840 sets


def _child(folder: str) -> None:
    from backcheck.log import import_file, open_log, report
    from backcheck.log.synth import BASE_LIFTS, MORE_LIFTS, history
    from backcheck.settings import load_settings

    h = history(WEEKS, lifts=BASE_LIFTS + MORE_LIFTS, sets_per_lift=7)
    path = Path(folder) / "strong.csv"
    path.write_text(h.csv, encoding="utf-8")
    store = open_log(load_settings({"data_dir": folder, "db_url": f"sqlite:///{folder}/b.db"}))
    clocks = [(time.perf_counter(), time.process_time())]
    summary = import_file(store, path)
    clocks.append((time.perf_counter(), time.process_time()))
    rep = report(store)
    rep.to_json()
    rep.to_text()
    clocks.append((time.perf_counter(), time.process_time()))
    again = import_file(store, path)
    clocks.append((time.perf_counter(), time.process_time()))
    wall = [b[0] - a[0] for a, b in zip(clocks, clocks[1:], strict=False)]
    cpu = [b[1] - a[1] for a, b in zip(clocks, clocks[1:], strict=False)]
    print(
        json.dumps(
            {
                "sets": summary.sets_added,
                "wall": wall,
                "cpu": cpu,
                "reimport_added": again.sets_added,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "bench.bench_log", folder],
                cwd=Path(__file__).resolve().parent.parent,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return [("log bench", f"stopped after {TIMEOUT_S} s", "runs")]
    if proc.returncode != 0:
        return [("log bench", f"failed: {proc.stderr.strip().splitlines()[-1:]}", "runs")]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    (w_imp, w_rep, w_again), (c_imp, c_rep, c_again) = r["wall"], r["cpu"]
    return [
        (
            f"import of a 10-year Strong export ({r['sets']:,} sets), wall (CPU)",
            f"{w_imp:.2f} s ({c_imp:.2f} s)",
            "<= 3 s",
        ),
        (
            "full report on it (JSON and text), wall (CPU)",
            f"{w_rep:.2f} s ({c_rep:.2f} s)",
            "<= 1 s",
        ),
        (
            "re-import of the same export, wall (CPU)",
            f"{w_again:.2f} s ({c_again:.2f} s), {r['reimport_added']} sets added",
            "0 added",
        ),
        ("peak memory (max RSS of the process)", f"{r['rss_mb']:.0f} MB", "<= 300 MB"),
    ]


if __name__ == "__main__":
    _child(sys.argv[1])
