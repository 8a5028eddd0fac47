"""Strong (iOS/Android) CSV export, in the three header variants in use.

- semicolon, `Weight` + `Weight Unit` (and `Workout Duration`);
- comma, `Duration` and a bare `Weight` in the app's unit (no unit column: the lifter says which);
- quoted semicolon, `Workout #`, `Duration (sec)`, `Weight (kg)` or `Weight (lbs)`, decimal commas.

`Set Order` is a number for working sets, or W (warm-up), D (drop), F (failure); rows whose set
order is `Rest Timer` or `Note` are not sets and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import RawSet, Row, count_at, date_parser, number_at

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

    at = {c: i for i, c in reversed(list(enumerate(columns)))}
    i_order, i_ex, i_weight = at["Set Order"], at["Exercise Name"], at[weight_col]
    i_unit, i_reps, i_rpe = at.get("Weight Unit"), at.get("Reps"), at.get("RPE")
    i_dist, i_secs, i_notes = at.get(distance_col), at.get("Seconds"), at.get("Notes")
    kinds: dict[str, str | None] = {}
    units: dict[str, str] = {}

    def set_type_of(row: Row, order: str) -> str | None:
        if order not in kinds:
            if order.lower() in _NOT_SETS:
                kinds[order] = None
            elif order.isdigit() or order.upper() in _KINDS:
                kinds[order] = "working" if order.isdigit() else _KINDS[order.upper()]
            else:
                raise row.fail("Set Order", "a set number, W, D, F, 'Rest Timer' or 'Note'")
        return kinds[order]

    def unit_of(row: Row) -> str:
        raw = row.record[i_unit].strip() if i_unit is not None else ""
        if fixed_unit or not raw:
            return fixed_unit or assumed
        if raw not in units:
            units[raw] = row.unit("Weight Unit")
        return units[raw]

    def parse(row: Row) -> RawSet | None:
        """One row; columns are read by position (looked up once) as this runs 100,000 times."""
        rec = row.record
        set_type = set_type_of(row, rec[i_order].strip())
        if set_type is None:
            return None
        exercise = rec[i_ex].strip()
        if not exercise:
            raise row.fail("Exercise Name", "an exercise name")
        distance = number_at(row, distance_col, i_dist, 0, 1e6)
        started_at, name, duration_s, workout_notes = session_of(row)
        return RawSet(
            row.line,
            started_at,
            exercise,
            set_type,
            number_at(row, weight_col, i_weight, 0, 2000),
            unit_of(row),
            count_at(row, "Reps", i_reps),
            number_at(row, "RPE", i_rpe, 0, 10),
            None,
            None if distance is None else distance * distance_factor,
            number_at(row, "Seconds", i_secs, 0, 1e6),
            (rec[i_notes].strip() or None) if i_notes is not None else None,
            name,
            duration_s,
            workout_notes,
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
