"""The web app's one door into triage and advice: text or answers in, result JSON out.

Findings from the training log and the latest analysed video can be added, so the same
reasoning that reads the lifter's words also weighs what the log and the video show.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from backcheck.assess import assess_answers, assess_text
from backcheck.findings import Finding

MAX_TEXT = 20_000


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


# One thread runs every triage, first come first served: the language pipeline holds the GIL,
# so more threads only interleave requests and stretch every one's latency (and spaCy
# pipelines are not promised to be thread-safe).
_TRIAGE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage")


async def run_triage(
    text: str | None, answers: Mapping[str, str] | None, extra: Iterable[Finding] = ()
) -> dict[str, Any]:
    """`triage` on the triage thread, awaited without blocking the server."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_TRIAGE, triage, text, answers, tuple(extra))


def warm_up() -> None:
    """Load the language pipeline once at start, so the first real check is not slow."""
    triage("My lower back is a bit sore after deadlifts yesterday.", None)
