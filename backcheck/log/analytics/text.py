"""The report as plain text for the terminal: numbers first, caveats always."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.log.analytics.warnings import CAVEAT

if TYPE_CHECKING:
    from backcheck.log.analytics.report import LogReport

MAX_LIFTS = 8
MAX_LINES = 12


def _lifts(r: LogReport) -> list[str]:
    lines = ["Lifts (best estimated 1RM, Epley; sessions; heaviest set)"]
    for lift in r.lifts[:MAX_LIFTS]:
        best = f"{lift['best_e1rm_kg']:.1f} kg" if lift["best_e1rm_kg"] else "-"
        top = lift["heaviest_sets"][0] if lift["heaviest_sets"] else None
        heavy = f"{top['kg']} kg x {top['reps']} on {top['date']}" if top else "-"
        lines.append(
            f"  {lift['name']:<28} e1RM {best:>10}  {lift['sessions']:>4} sessions  "
            f"heaviest {heavy}"
        )
    if len(r.lifts) > MAX_LIFTS:
        lines.append(f"  ... and {len(r.lifts) - MAX_LIFTS} more lifts (see --json)")
    return lines


def _load(r: LogReport) -> list[str]:
    weeks, load = r.spinal["weeks"], r.spinal["load"]
    lines = ["Spinal load (kg x reps x exercise weight), last weeks"]
    lines += [f"  week of {w}: {x:>10,.0f}" for w, x in zip(weeks[-6:], load[-6:], strict=True)]
    ew, un = r.ratio["latest_ewma"], r.ratio["latest_uncoupled"]
    band = r.ratio["band"]
    if ew is None:
        lines.append("  Acute:chronic ratio: needs 28 days of history.")
    else:
        lines.append(
            f"  Acute:chronic ratio on {r.ratio['dates'][-1]}: EWMA {ew:.2f}, uncoupled "
            f"{'-' if un is None else f'{un:.2f}'} (usual band {band[0]}-{band[1]})"
        )
    return lines


def render_text(r: LogReport) -> str:
    s = r.stats
    out = [
        f"Training log as of {r.as_of}: {s['sessions']} sessions, {s['sets']} sets, "
        f"{s['exercises']} exercises, {s['symptoms']} symptoms",
        "",
    ]
    if not r.lifts:
        out.append("No training imported yet: backcheck log import EXPORT.csv")
        return "\n".join(out)
    out += _lifts(r) + [""] + _load(r) + [""]
    out.append(
        f"Load changes in the 4 weeks to {r.ratio['dates'][-1]} ({len(r.recent_warnings)}; "
        f"{len(r.warnings)} in all the history)"
    )
    out += [f"  - {w.text}" for w in r.recent_warnings[-MAX_LINES:]] or ["  none"]
    out += ["", "What preceded symptoms", f"  {r.precedence.message}"]
    out += [f"  - {c.sentence()}" for c in r.precedence.features if c.stands_out]
    out += [f"  - {t.sentence()}" for t in r.precedence.thresholds]
    out += ["", CAVEAT]
    return "\n".join(out)
