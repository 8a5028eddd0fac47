"""The training log feeds the same triage as the lifter's words (`triage --with-log`)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

HEADER = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration"
)


def _strong_export(path: Path) -> None:
    """Eight weeks of steady weekly deadlifts, then a session with 40% more weight."""
    today = datetime.now().replace(hour=18, minute=0, second=0, microsecond=0)
    rows = [HEADER]
    for week in range(8, 0, -1):
        day = today - timedelta(days=7 * week + 2)
        rows += [
            f"{day:%Y-%m-%d %H:%M:%S};Lower;Deadlift (Barbell);{i};100;kg;5;7;;;0;;;1h"
            for i in (1, 2, 3)
        ]
    day = today - timedelta(days=2)
    rows += [
        f"{day:%Y-%m-%d %H:%M:%S};Lower;Deadlift (Barbell);{i};140;kg;5;9.5;;;0;;;1h"
        for i in (1, 2, 3, 4, 5)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backcheck.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_log_findings_join_the_report(tmp_path: Path) -> None:
    export = tmp_path / "strong.csv"
    _strong_export(export)
    data_dir = str(tmp_path / "data")
    imported = _cli("log", "--data-dir", data_dir, "import", str(export))
    assert imported.returncode == 0, imported.stderr
    text = "lower back tight and sore the day after deadlifts"
    plain = json.loads(_cli("triage", "--json", text).stdout)
    proc = _cli("triage", "--json", "--with-log", "--data-dir", data_dir, text)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    from_log = {f["id"] for f in data["findings"] if f["origin"] == "log"}
    assert "load_jump" in from_log and "load_jump" in data["factors"]
    assert "load_jump" not in plain["factors"]
    advice = json.dumps(data["plan"])
    assert "training log" in advice
