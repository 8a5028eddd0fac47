"""FitNotes CSV export (Android and iOS variants).

Android: `Date,Exercise,Category,Weight (kgs)|Weight (lbs),Reps,Distance,Distance Unit,Time`
(often with `Comment`). iOS: a bare `Weight` with a `Weight Unit` column. FitNotes records a day,
not a start time, so each day is one session starting at midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import RawSet, Row, date_parser

NAME = "fitnotes"
_WEIGHT_COLS = {
    "Weight (kgs)": "kg",
    "Weight (kg)": "kg",
    "Weight (lbs)": "lb",
    "Weight (lb)": "lb",
}
_DIST = {
    "m": 1.0,
    "km": 1000.0,
    "mi": 1609.344,
    "mile": 1609.344,
    "miles": 1609.344,
    "ft": 0.3048,
    "yd": 0.9144,
    "": 1.0,
}
_parse_date = date_parser("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


def matches(columns: Sequence[str]) -> bool:
    cols = set(columns)
    return {"Date", "Exercise", "Category", "Reps"} <= cols and (
        bool(cols & set(_WEIGHT_COLS)) or {"Weight", "Weight Unit"} <= cols
    )


def parser(columns: Sequence[str], unit: str | None) -> tuple[Callable[[Row], RawSet | None], str]:
    cols = set(columns)
    weight_col = next((c for c in _WEIGHT_COLS if c in cols), "Weight")
    fixed = _WEIGHT_COLS.get(weight_col)
    notes_col = "Comment" if "Comment" in cols else "Notes"

    def parse(row: Row) -> RawSet | None:
        w_unit = fixed or row.unit("Weight Unit")
        distance = row.number("Distance", 0, 1e6) if "Distance" in cols else None
        if distance is not None:
            factor = _DIST.get(row.text("Distance Unit").lower())
            if factor is None:
                raise row.fail("Distance Unit", "m, km, mi, ft or yd")
            distance *= factor
        return RawSet(
            line=row.line,
            started_at=row.when("Date", _parse_date, "2025-01-30"),
            exercise=row.required("Exercise", "an exercise name"),
            set_type="warmup"
            if row.text("Is Warmup").lower() in ("1", "true", "yes")
            else "working",
            weight_value=row.number(weight_col, 0, 2000),
            weight_unit=w_unit,
            reps=row.count("Reps"),
            distance_m=distance,
            seconds=row.duration("Time") if "Time" in cols else None,
            notes=row.opt(notes_col),
        )

    variant = "Android" if fixed else "iOS"
    return parse, f"FitNotes {variant} export; one session per day"
