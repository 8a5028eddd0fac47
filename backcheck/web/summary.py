"""The printable summary of a check as plain sections, for the PDF and the print page alike.

The plan's item shapes differ a little by section (a self-test has instructions, a ladder step
has criteria); `item_line` reads any of them as a title and text, so no section is dropped.
"""

from __future__ import annotations

from typing import Any

from backcheck.web import views

PLAN_SECTIONS = (
    ("now", "What to do now"),
    ("self_tests", "Self-tests"),
    ("cues", "Technique cues"),
    ("program_changes", "Program changes"),
    ("exercises", "Exercises"),
    ("return_to_lifting", "Return to lifting"),
    ("see_clinician", "When to see a clinician"),
)


def item_line(item: Any, sources: dict[str, dict[str, Any]]) -> str:
    """One plan item as a line of text: 'Title: text 1) step 2) step (Source: title, year)'."""
    if not isinstance(item, dict):
        return str(item)
    title = item.get("title") or item.get("name") or ""
    body = item.get("text") or item.get("instructions") or item.get("description") or ""
    line = f"{title}: {body}" if title and body else (title or body)
    steps = [s.get("text", "") if isinstance(s, dict) else str(s) for s in item.get("steps") or []]
    if steps:
        line += " " + " ".join(f"{n}) {step}" for n, step in enumerate(steps, 1))
    source = item.get("source")
    if source:
        found = sources.get(source)
        line += f" (Source: {found['title']}, {found.get('year', '')})" if found else f" [{source}]"
    return line


def items(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def sections(
    text: str | None, answers: dict[str, str], result: dict[str, Any], created: str
) -> list[tuple[str, list[str]]]:
    """(heading, lines) in the order a clinician would read them."""
    banner = views.banner(result["level"])
    plan = result.get("plan") or {}
    out: list[tuple[str, list[str]]] = [
        ("Urgency", [f"{banner.title} (level: {result['level']})", *banner.steps]),
        (
            "What this is",
            [
                result.get("statement")
                or "Not a diagnosis: a structured summary of what the lifter reported."
            ],
        ),
        (
            "Report",
            [f"Checked {created}", *([text] if text else [])]
            + [f"{views.name_of(q)}: {a}" for q, a in answers.items()],
        ),
    ]
    flags = [views.name_of(f) for f in result.get("red_flags", [])]
    unsure = [views.name_of(f) for f in result.get("uncertain_red_flags", [])]
    out.append(
        (
            "Red flags",
            [*(f"Present: {f}" for f in flags), *(f"Not settled: {f}" for f in unsure)]
            or ["None reported."],
        )
    )
    out.append(
        (
            "Likely kinds",
            [f"{views.name_of(k['id'])} ({k['score']:.0%})" for k in result.get("kinds", [])],
        )
    )
    out.append(
        (
            "Contributing factors",
            [views.name_of(f) for f in result.get("factors", [])] or ["None identified."],
        )
    )
    out.append(("Reasons", [r["text"] for r in result.get("reasons", [])]))
    if plan.get("headline"):
        out.append(("Plan", [plan["headline"]]))
    for key, heading in PLAN_SECTIONS:
        lines = [item_line(i, views.sources_by_id(result)) for i in items(plan.get(key))]
        if lines:
            out.append((heading, lines))
    out.append(
        (
            "Sources",
            [
                f"{s.get('title')} - {s.get('publisher')}, {s.get('year')}. {s.get('url')}"
                for s in plan.get("sources", [])
            ],
        )
    )
    return [(h, lines) for h, lines in out if lines]
