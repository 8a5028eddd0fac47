"""Triage in worker processes: the same answer as in-process, and a dead worker is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from web_helpers import serving

from backcheck.findings import Finding
from backcheck.web.service import POOL, WORKERS, run_triage, triage

TEXT = "Lower back sore after deadlifts, the load went up a lot this week."
LOAD_JUMP = Finding(
    id="load_jump",
    assertion="present",
    origin="log",
    evidence="Weekly spinal load up 45% on the 4 weeks before",
    confidence=0.8,
    detail={"weeks": ["2026-W40", "2026-W41"], "ratio": 1.45},
)


def test_a_worker_answers_as_triage_in_process_does_log_findings_included() -> None:
    expected = triage(TEXT, None, [LOAD_JUMP])
    assert "load_jump" in expected["factors"]
    assert asyncio.run(run_triage(TEXT, None, [LOAD_JUMP])) == expected


def test_a_killed_worker_is_replaced_and_the_check_still_answers() -> None:
    pid = POOL.start().submit(os.getpid).result(timeout=60)
    os.kill(pid, signal.SIGKILL)
    result = asyncio.run(run_triage(TEXT, {"saddle_anaesthesia": "yes"}))
    assert result["level"] == "emergency"
    assert pid not in {POOL.start().submit(os.getpid).result(timeout=60) for _ in range(4)}


def _stat(pid: int) -> list[str] | None:
    """(state, parent pid, ...) of a live process from Linux /proc; None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else fields


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_workers_end_when_the_server_is_stopped(tmp_path: Path) -> None:
    with serving(tmp_path) as (proc, _):
        pids = (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit())
        children = [pid for pid in pids if (_stat(pid) or ["", ""])[1] == str(proc.pid)]
        assert len(children) >= WORKERS  # the triage workers and multiprocessing's tracker
    deadline = time.monotonic() + 15
    while alive := [pid for pid in children if _stat(pid)]:
        assert time.monotonic() < deadline, f"{alive} outlived the server"
        time.sleep(0.2)
