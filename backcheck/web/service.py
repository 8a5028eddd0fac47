"""The web app's one door into triage and advice: text or answers in, result JSON out.

Findings from the training log and the latest analysed video can be added, so the same
reasoning that reads the lifter's words also weighs what the log and the video show.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from backcheck.assess import assess_answers, assess_text
from backcheck.findings import Finding
from backcheck.web.asking import Asking, asking

MAX_TEXT = 20_000
T = TypeVar("T")


def readable(text: str) -> str:
    """Lone surrogates and astral private-use characters (no words are in them) shown as '?',
    one for one so the offsets of the words stay right."""
    return "".join("?" if unicodedata.category(c) in ("Cs", "Co") else c for c in text)


def triage(
    text: str | None, answers: Mapping[str, str] | None, extra: Iterable[Finding] = ()
) -> dict[str, Any]:
    """The triage result JSON of a report, of questionnaire answers, or of both."""
    extra = tuple(extra)
    text = readable(text) if text else text
    if answers:
        payload: dict[str, Any] = {"answers": dict(answers)}
        if text:
            payload["text"] = text
        return assess_answers(payload, extra_findings=extra).to_json()
    return assess_text(text or "", extra_findings=extra).to_json()


def finding_from_json(data: Mapping[str, Any]) -> Finding:
    """A finding stored as JSON (a video's findings kept in the history) back as a Finding."""
    span = data.get("span")
    return Finding(
        id=data["id"],
        assertion=data["assertion"],
        origin=data.get("origin", "video"),
        evidence=data.get("text", ""),
        confidence=float(data.get("confidence", 1.0)),
        span=tuple(span) if span else None,
        detail=data.get("detail") or {},
    )


# Triage runs in a few worker processes, not in the server: the language pipeline is pure
# Python work that holds the GIL, so in the server process it would use one core at most and
# stall the event loop between requests. Each worker loads the pipeline once, at start.
# Measured on 2 cores with a video being analysed, 20 clients: one triage thread ~200 req/s,
# p95 ~140 ms; two workers ~400 req/s, p95 ~70 ms (bench/bench_web.py).
WORKERS = max(1, min(4, os.cpu_count() or 1))
START_SECONDS = 300.0


class TriagePool:
    """The triage worker processes, shared by every app in this process (tests make many)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> ProcessPoolExecutor:
        """Start the workers and wait until every one has loaded the pipeline (idempotent)."""
        with self._lock:
            if self._pool is None:
                self._pool = _warm_pool()
            return self._pool

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` in a worker; a pool broken by a dead worker is replaced once."""
        loop = asyncio.get_running_loop()
        pool = self._pool or await loop.run_in_executor(None, self.start)
        try:
            return await loop.run_in_executor(pool, func, *args)
        except BrokenProcessPool:
            self._discard(pool)
        pool = await loop.run_in_executor(None, self.start)
        return await loop.run_in_executor(pool, func, *args)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


def _warm_pool() -> ProcessPoolExecutor:
    """A pool of WORKERS processes, each with the pipeline loaded.

    The barrier keeps every worker in its initializer until all have warmed up, so the warm-up
    calls below cannot all be taken by the first worker ready while another is still loading.
    """
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    pool = ProcessPoolExecutor(
        WORKERS, mp_context=ctx, initializer=_init_worker, initargs=(barrier,)
    )
    calls = [pool.submit(os.getpid) for _ in range(WORKERS)]
    for call in calls:
        call.result(timeout=START_SECONDS)
    return pool


def _init_worker(barrier: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server; it stops the pool
    threading.Thread(target=_exit_with_parent, name="watch-server", daemon=True).start()
    warm_up()
    barrier.wait(timeout=START_SECONDS)


def _exit_with_parent() -> None:
    """End this worker when the server process ends, however it ends: a server stopped by a
    signal runs no exit handlers, so the pool would otherwise never be told to stop."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)


POOL = TriagePool()


async def run_triage(
    text: str | None, answers: Mapping[str, str] | None, extra: Iterable[Finding] = ()
) -> dict[str, Any]:
    """`triage` in a worker process, awaited without blocking the server."""
    fields = tuple(_fields(f) for f in extra)
    return await POOL.run(_triage_in_worker, text, dict(answers) if answers else None, fields)


async def run_next_question(
    answers: Mapping[str, str], text: str | None, training: bool = False
) -> Asking:
    """The questionnaire's next question and progress, in a worker: it reads the text with the
    pipeline."""
    return await POOL.run(asking, dict(answers), text, training)


def _fields(finding: Finding) -> tuple[Any, ...]:
    """A finding as plain values that can cross to a worker (its `detail` is a read-only
    mapping proxy, which cannot be pickled)."""
    f = finding
    return (f.id, f.assertion, f.origin, f.evidence, f.confidence, f.span, dict(f.detail))


def _triage_in_worker(
    text: str | None, answers: dict[str, str] | None, extra: tuple[tuple[Any, ...], ...]
) -> dict[str, Any]:
    return triage(text, answers, (Finding(*fields) for fields in extra))


def warm_up() -> None:
    """Load the language pipeline once, so the first real check is not slow."""
    triage("My lower back is a bit sore after deadlifts yesterday.", None)
