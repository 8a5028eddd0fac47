"""What the templates need beyond the triage JSON: names, banners and highlighted report words.

Names and headlines come from the knowledge base (data, not code); only the wording of the
urgency banner for a frightened reader lives here, because it is about the screen, not medicine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loader import load_knowledge

LEVEL_ORDER = ("normal", "self_care", "soon", "urgent", "emergency")


@dataclass(frozen=True)
class Banner:
    level: str
    title: str
    steps: tuple[str, ...]


BANNERS = {
    "emergency": Banner(
        "emergency",
        "Go to an emergency department now.",
        (
            "Do not wait to see if it gets better. This needs a doctor within hours.",
            "If you cannot get there safely, call your local emergency number "
            "(112 in Europe, 999 in the UK, 911 in North America).",
            "Do not drive yourself if your legs or groin feel numb or weak. "
            "Ask someone to take you.",
            "Take this page with you, or the printed summary, and show it to the staff.",
        ),
    ),
    "urgent": Banner(
        "urgent",
        "See a doctor today.",
        (
            "Call your doctor or an urgent care service today, within 24 hours.",
            "If numbness, weakness or bladder or bowel problems start, go to an emergency "
            "department at once.",
            "Do not lift until a doctor has seen you.",
        ),
    ),
    "soon": Banner(
        "soon",
        "Book a doctor or physiotherapist in the coming days.",
        (
            "This is not an emergency, but it should be looked at.",
            "Go sooner, to an emergency department, if numbness, weakness or bladder or bowel "
            "problems start.",
        ),
    ),
    "self_care": Banner(
        "self_care",
        "You can look after this yourself for now.",
        (
            "Change or pause the lift that hurts and follow the plan below.",
            "See a doctor or physiotherapist if it is not clearly better within about a week.",
        ),
    ),
    "normal": Banner(
        "normal",
        "This sounds like ordinary training soreness.",
        ("Keep training sensibly; it should ease within a few days.",),
    ),
}


def banner(level: str) -> Banner:
    return BANNERS.get(level, BANNERS["soon"])


def humanize(identifier: str) -> str:
    return identifier.replace("_", " ").capitalize()


@cache
def names() -> dict[str, str]:
    """Display names for every kind, red flag, factor and symptom id."""
    kb = load_knowledge()
    out: dict[str, str] = {}
    for table in (kb.kinds, kb.red_flags, kb.factors, kb.symptoms):
        out.update({key: rec.name for key, rec in table.items()})
    return out


def name_of(identifier: str) -> str:
    try:
        return names().get(identifier) or humanize(identifier)
    except (KnowledgeError, OSError):  # a display name must never break the result page
        return humanize(identifier)


def kind_level(kind_id: str) -> str | None:
    """The level a kind of pain calls for (knowledge base), to draw its likelihood bar: for a
    serious kind a high likelihood is the bad end of the scale, never green."""
    try:
        kind = load_knowledge().kinds.get(kind_id)
    except (KnowledgeError, OSError):
        return None
    return kind.level if kind else None


@dataclass(frozen=True)
class Segment:
    text: str
    flag: str | None = None
    uncertain: bool = False


def highlight(text: str, result: dict[str, Any]) -> list[Segment]:
    """The report split into plain text and the words each red flag came from."""
    flags = set(result.get("red_flags", [])) | set(result.get("uncertain_red_flags", []))
    marks: list[tuple[int, int, str, bool]] = []
    for f in result.get("findings", []):
        span = f.get("span")
        if f.get("id") in flags and span and f.get("origin", "text") == "text":
            start, end = max(0, int(span[0])), min(len(text), int(span[1]))
            if start < end:
                marks.append((start, end, f["id"], f.get("assertion") != "present"))
    marks.sort()
    out: list[Segment] = []
    pos = 0
    for start, end, flag, uncertain in marks:
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], flag, uncertain))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def sources_by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    plan = result.get("plan") or {}
    return {s["id"]: s for s in plan.get("sources", []) if "id" in s}
