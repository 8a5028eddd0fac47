"""Liftosaur CSV export: one row per set, completed reps and weight beside the prescribed ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import RawSet, Row, date_parser

NAME = "liftosaur"
_TRUE = {"1", "true", "yes"}
_parse_date = date_parser("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S")


def matches(columns: Sequence[str]) -> bool:
    return {"Workout DateTime", "Exercise", "Completed Reps"} <= set(columns)


def parser(columns: Sequence[str], unit: str | None) -> tuple[Callable[[Row], RawSet | None], str]:
    cols = set(columns)
    has_done_weight = "Completed Weight Value" in cols

    def parse(row: Row) -> RawSet | None:
        w_col, u_col = "Weight Value", "Weight Unit"
        if has_done_weight and row.text("Completed Weight Value"):
            w_col, u_col = "Completed Weight Value", "Completed Weight Unit"
        warm = row.text("Is Warmup Set?").lower() in _TRUE
        rpe_col = "Completed RPE" if row.text("Completed RPE") else "RPE"
        return RawSet(
            line=row.line,
            started_at=row.when("Workout DateTime", _parse_date, "2025-01-30T12:34:56.000Z"),
            exercise=row.required("Exercise", "an exercise name"),
            set_type="warmup" if warm else "working",
            weight_value=row.number(w_col, 0, 2000),
            weight_unit=row.unit(u_col) if row.text(u_col) else (unit or "kg"),
            reps=row.count("Completed Reps"),
            rpe=row.number(rpe_col, 0, 10) if rpe_col in cols else None,
            notes=row.opt("Notes"),
            session_name=" - ".join(filter(None, (row.opt("Program"), row.opt("Day Name"))))
            or None,
        )

    return parse, "completed reps and weights are imported, prescribed ones ignored"
