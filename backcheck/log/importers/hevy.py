"""Hevy CSV export: `weight_kg` or `weight_lbs`, `set_type`, dates like `30 Jan 2025, 12:34`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import RawSet, Row, date_parser

NAME = "hevy"
_TYPES = {"normal": "working", "warmup": "warmup", "dropset": "drop", "failure": "failure"}
_parse_date = date_parser("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "%Y-%m-%d %H:%M:%S")


def matches(columns: Sequence[str]) -> bool:
    cols = set(columns)
    return {"start_time", "exercise_title", "set_type"} <= cols and bool(
        cols & {"weight_kg", "weight_lbs"}
    )


def parser(columns: Sequence[str], unit: str | None) -> tuple[Callable[[Row], RawSet | None], str]:
    cols = set(columns)
    weight_col, w_unit = ("weight_kg", "kg") if "weight_kg" in cols else ("weight_lbs", "lb")
    dist_col, dist_m = (
        ("distance_km", 1000.0) if "distance_km" in cols else ("distance_miles", 1609.344)
    )

    def parse(row: Row) -> RawSet | None:
        kind = row.text("set_type").lower() or "normal"
        if kind not in _TYPES:
            raise row.fail("set_type", "normal, warmup, dropset or failure")
        distance = row.number(dist_col, 0, 1e5) if dist_col in cols else None
        start = row.when("start_time", _parse_date, "30 Jan 2025, 12:34")
        end = _parse_date(row.text("end_time")) if "end_time" in cols else None
        return RawSet(
            line=row.line,
            started_at=start,
            exercise=row.required("exercise_title", "an exercise name"),
            set_type=_TYPES[kind],
            weight_value=row.number(weight_col, 0, 2000),
            weight_unit=w_unit,
            reps=row.count("reps"),
            rpe=row.number("rpe", 0, 10) if "rpe" in cols else None,
            distance_m=None if distance is None else distance * dist_m,
            seconds=row.number("duration_seconds", 0, 1e6) if "duration_seconds" in cols else None,
            notes=row.opt("exercise_notes"),
            session_name=row.opt("title"),
            duration_s=int((end - start).total_seconds()) if end and end > start else None,
            session_notes=row.opt("description"),
        )

    return parse, f"weights read in {w_unit} ({weight_col})"
