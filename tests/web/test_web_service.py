"""Triage in worker processes: the same answer as in-process, and a dead worker is replaced."""

from __future__ import annotations

import asyncio
import os
import signal

from backcheck.findings import Finding
from backcheck.web.service import POOL, run_triage, triage

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
