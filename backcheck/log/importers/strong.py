"""Strong (iOS/Android) CSV export, in the three header variants in use.

- semicolon, `Weight` + `Weight Unit` (and `Workout Duration`);
- comma, `Duration` and a bare `Weight` in the app's unit (no unit column: the lifter says which);
- quoted semicolon, `Workout #`, `Duration (sec)`, `Weight (kg)` or `Weight (lbs)`, decimal commas.

`Set Order` is a number for working sets, or W (warm-up), D (drop), F (failure); rows whose set
order is `Rest Timer` or `Note` are not sets and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import RawSet, Row, date_parser

NAME = "strong"
_KINDS = {"W": "warmup", "D": "drop", "F": "failure"}
_NOT_SETS = {"rest timer", "note", "notes"}
_WEIGHT_COLS = {"Weight (kg)": "kg", "Weight (lbs)": "lb", "Weight (lb)": "lb"}
_parse_date = date_parser(
    "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M %p", "%Y-%m-%d %H:%M"
)


def matches(columns: Sequence[str]) -> bool:
    cols = set(columns)
    return {"Date", "Exercise Name", "Set Order"} <= cols and (
        "Weight" in cols or bool(cols & set(_WEIGHT_COLS))
    )


def parser(columns: Sequence[str], unit: str | None) -> tuple[Callable[[Row], RawSet | None], str]:
    cols = set(columns)
    weight_col = next((c for c in _WEIGHT_COLS if c in cols), "Weight")
    fixed_unit = _WEIGHT_COLS.get(weight_col)
    has_unit_col = "Weight Unit" in cols
    duration_col = next(
        (c for c in ("Duration (sec)", "Workout Duration", "Duration") if c in cols), None
    )
    distance_col, distance_factor = (
        ("Distance (meters)", 1.0) if "Distance (meters)" in cols else ("Distance", 1.0)
    )
    assumed = unit or "kg"
    if fixed_unit or has_unit_col:
        note = "weights read in the unit the export names"
    else:
        note = f"this Strong export has no unit column: weights read as {assumed}"

    def parse(row: Row) -> RawSet | None:
        order = row.required("Set Order", "a set number, W, D, F, 'Rest Timer' or 'Note'")
        if order.lower() in _NOT_SETS:
            return None
        if order.isdigit():
            set_type = "working"
        elif order.upper() in _KINDS:
            set_type = _KINDS[order.upper()]
        else:
            raise row.fail("Set Order", "a set number, W, D, F, 'Rest Timer' or 'Note'")
        if fixed_unit:
            w_unit = fixed_unit
        elif has_unit_col and row.text("Weight Unit"):
            w_unit = row.unit("Weight Unit")
        else:
            w_unit = assumed
        distance = row.number(distance_col, 0, 1e6) if distance_col in cols else None
        started_at, name, duration_s, workout_notes = session_of(row)
        return RawSet(
            line=row.line,
            started_at=started_at,
            exercise=row.required("Exercise Name", "an exercise name"),
            set_type=set_type,
            weight_value=row.number(weight_col, 0, 2000),
            weight_unit=w_unit,
            reps=row.count("Reps"),
            rpe=row.number("RPE", 0, 10) if "RPE" in cols else None,
            distance_m=None if distance is None else distance * distance_factor,
            seconds=row.number("Seconds", 0, 1e6) if "Seconds" in cols else None,
            notes=row.opt("Notes"),
            session_name=name,
            duration_s=duration_s,
            session_notes=workout_notes,
        )

    sessions: dict[tuple[str, ...], tuple] = {}

    def session_of(row: Row) -> tuple:
        """Workout fields repeat on every row of a workout: read them once per workout."""
        key = (
            row.raw("Date"),
            row.raw("Workout Name"),
            row.raw(duration_col or ""),
            row.raw("Workout Notes"),
        )
        if key not in sessions:
            sessions[key] = (
                row.when("Date", _parse_date),
                row.opt("Workout Name"),
                row.duration(duration_col) if duration_col else None,
                row.opt("Workout Notes"),
            )
        return sessions[key]

    return parse, note
