"""Print an assessment (its JSON dict) as a readable, coloured terminal report.

Order matters for safety: an emergency or urgent banner comes first, then what the result is (not
a diagnosis), the warning signs and the questions still open, and only then the explanation and
the plan. Every plan item names its source; the numbered source list closes the report. Works the
same with `Console(no_color=True)`: nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from backcheck.knowledge.loader import KnowledgeBase, load_knowledge

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "self_care": "bold cyan",
    "normal": "bold green",
}
BANNER = {
    "emergency": "EMERGENCY - GO TO AN EMERGENCY DEPARTMENT NOW",
    "urgent": "URGENT - SEE A DOCTOR TODAY",
    "soon": "SEE A DOCTOR OR PHYSIOTHERAPIST IN THE NEXT FEW DAYS",
    "self_care": "SELF-CARE",
    "normal": "NORMAL TRAINING SORENESS",
}
PLAN_SECTIONS = (
    ("now", "What to do now"),
    ("self_tests", "Self-tests worth doing"),
    ("cues", "Technique cues"),
    ("program_changes", "Program changes"),
    ("exercises", "Strength and mobility work"),
    ("return_to_lifting", "Return to lifting, step by step"),
    ("see_clinician", "When to see a clinician"),
)


def render_assessment(
    data: Mapping[str, Any], console: Console, kb: KnowledgeBase | None = None
) -> None:
    """Print the whole assessment, emergency advice first."""
    names = _Names(kb or load_knowledge())
    plan = data.get("plan") or {}
    sources = {s["id"]: (n, s) for n, s in enumerate(plan.get("sources", []), start=1)}
    console.print(_banner(data, plan))
    _statement(data, console)
    _red_flags(data, names, console)
    _questions(data, console)
    _kinds(data, names, console)
    _factors(data, names, console)
    for key, title in PLAN_SECTIONS:
        items = plan.get(key) or []
        if items:
            _heading(console, title)
            for item in items:
                console.print(_item(item, sources, names))
    _source_list(plan.get("sources", []), console)


class _Names:
    """Display names from the knowledge base, falling back to the id."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._tables = (kb.red_flags, kb.kinds, kb.factors, kb.symptoms)

    def __call__(self, ident: str) -> str:
        for table in self._tables:
            if ident in table:
                return str(getattr(table[ident], "name", ident))
        return ident


def _banner(data: Mapping[str, Any], plan: Mapping[str, Any]) -> Panel:
    level = str(data.get("level", "self_care"))
    body = Text(plan.get("headline") or "", style="bold")
    now = plan.get("now") or []
    if level in ("emergency", "urgent") and now:
        body.append("\n\n" + now[0]["text"], style="")
    style = "red" if level in ("emergency", "urgent") else LEVEL_STYLE.get(level, "")
    return Panel(
        body,
        title=Text(BANNER.get(level, level.upper()), style=LEVEL_STYLE.get(level, "bold")),
        border_style=style,
        padding=(1, 2),
    )


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title.upper(), style="bold underline"))


def _statement(data: Mapping[str, Any], console: Console) -> None:
    if data.get("statement"):
        console.print(Text(str(data["statement"]), style="italic"))
    if data.get("insufficient_information"):
        console.print(
            Text(
                "Not enough information to be sure. Answer the questions below, then run it again.",
                style="bold yellow",
            )
        )


def _words_for(data: Mapping[str, Any], ident: str, assertion: str) -> list[str]:
    return [
        str(f.get("text", ""))
        for f in data.get("findings", [])
        if f.get("id") == ident and f.get("assertion") == assertion and f.get("text")
    ]


def _red_flags(data: Mapping[str, Any], names: _Names, console: Console) -> None:
    groups = (
        ("red_flags", "present", "Warning signs found", "bold red"),
        ("uncertain_red_flags", "uncertain", "Warning signs that are unclear", "bold yellow"),
    )
    for key, assertion, title, style in groups:
        flags = data.get(key) or []
        if not flags:
            continue
        _heading(console, title)
        for flag in flags:
            line = Text.assemble(("! ", style), (names(flag), style))
            for words in _words_for(data, flag, assertion):
                line.append(f'  - you wrote: "{words}"', style="dim")
            console.print(line)


def _questions(data: Mapping[str, Any], console: Console) -> None:
    questions = sorted(data.get("questions") or [], key=lambda q: not q.get("red_flag"))
    if not questions:
        return
    _heading(console, "Questions to settle")
    for n, q in enumerate(questions, start=1):
        mark = ("warning sign: ", "bold red") if q.get("red_flag") else ("", "")
        console.print(Text.assemble(f"{n}. ", mark, str(q.get("text", ""))))


def _kinds(data: Mapping[str, Any], names: _Names, console: Console) -> None:
    kinds = data.get("kinds") or []
    if not kinds:
        return
    _heading(console, "What it most likely is (not a diagnosis)")
    for k in kinds[:3]:
        score = float(k.get("score", 0.0))
        line = Text.assemble((f"{names(k['id'])}", "bold"), f"  {_bar(score)} {score:.2f}")
        for label, key in (("for", "evidence_for"), ("against", "evidence_against")):
            ids = k.get(key) or []
            if ids:
                line.append(f"\n    {label}: " + ", ".join(names(i) for i in ids), style="dim")
        console.print(line)
    for reason in data.get("reasons") or []:
        console.print(Padding(Text(f"- {reason.get('text', '')}"), (0, 0, 0, 2)))


def _bar(score: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    return "#" * filled + "." * (width - filled)


def _factors(data: Mapping[str, Any], names: _Names, console: Console) -> None:
    factors = data.get("factors") or []
    if not factors:
        return
    _heading(console, "What may have contributed")
    for factor in factors:
        line = Text.assemble("- ", (names(factor), "bold"))
        for f in data.get("findings", []):
            if f.get("id") == factor and f.get("assertion") == "present" and f.get("text"):
                line.append(f"  ({f.get('origin', 'text')}: {f['text']})", style="dim")
        console.print(line)


def _item(item: Mapping[str, Any], sources: Mapping[str, Any], names: _Names) -> Group:
    body: list[Text | Padding] = [Text(str(item["text"]))]
    for key, label in (("checks", "Checks for"), ("fault", "Fixes")):
        if item.get(key):
            body.insert(0, Text.assemble((label + ": ", "bold"), names(str(item[key]))))
    for n, step in enumerate(item.get("steps") or [], start=1):
        body.append(Padding(Text(f"{n}. {step}"), (0, 0, 0, 2)))
    labelled = (
        ("dosage", "How much"),
        ("positive", "What a positive result means"),
        ("move_up", "To move up"),
        ("step_back", "Step back"),
    )
    for key, label in labelled:
        if item.get(key):
            body.append(Text.assemble((label + ": ", "bold"), str(item[key])))
    if item.get("tell"):
        body.append(Text("Tell them:", style="bold"))
        body.extend(Padding(Text(f"- {line}"), (0, 0, 0, 2)) for line in item["tell"])
    for line in item.get("evidence") or []:
        body.append(Text.assemble(("Seen in your data: ", "bold magenta"), str(line)))
    body.append(Text("Source: " + _cite(item, sources), style="dim"))
    title = Text.assemble(("* ", "bold"), (str(item["title"]), "bold"))
    return Group(title, Padding(Group(*body), (0, 0, 0, 2)))


def _cite(item: Mapping[str, Any], sources: Mapping[str, Any]) -> str:
    cites = []
    for sid in item.get("sources") or [item["source"]]:
        if sid in sources:
            n, src = sources[sid]
            cites.append(f"{_short(src)} [{n}]")
        else:
            cites.append(sid)
    return "; ".join(cites)


def _short(src: Mapping[str, Any]) -> str:
    """'Journal X (Smith et al.)' -> 'Smith et al. 2020'; otherwise publisher and year."""
    publisher = str(src.get("publisher", ""))
    if publisher.endswith(")") and "(" in publisher:
        publisher = publisher[publisher.rindex("(") + 1 : -1]
    elif ", " in publisher:
        publisher = publisher.split(", ")[0]
    return f"{publisher} {src.get('year', '')}".strip()


def _source_list(sources: list[Mapping[str, Any]], console: Console) -> None:
    if not sources:
        return
    _heading(console, "Sources")
    for n, s in enumerate(sources, start=1):
        title = str(s["title"]).rstrip(".")
        end = "" if title.endswith(("?", "!")) else "."
        console.print(Text(f"[{n}] {title}{end} {s['publisher']}, {s['year']}. {s['url']}"))
