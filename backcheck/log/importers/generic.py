"""The documented generic CSV, for any app without its own importer.

Comma, semicolon or tab separated, UTF-8, header names case-insensitive:

| column | required | meaning |
| --- | --- | --- |
| `date` | yes | `2025-01-30`, `2025-01-30 17:30` or ISO 8601 |
| `exercise` | yes | any name; aliases such as "DL" or "deads" are recognised |
| `weight` | yes | number, decimal point or comma; empty for bodyweight |
| `unit` | yes* | `kg` or `lb` (*or name the column `weight_kg` / `weight_lb` instead) |
| `reps` | yes | whole number |
| `rpe` / `rir` | no | effort, 0-10 / reps in reserve |
| `set_type` | no | `working` (default), `warmup`, `drop`, `failure` |
| `session` | no | workout name |
| `notes` | no | free text |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backcheck.log.importers.common import SET_TYPES, RawSet, Row, date_parser

NAME = "generic"
_ALIASES = {"warm-up": "warmup", "warm up": "warmup", "normal": "working", "dropset": "drop"}
_parse_date = date_parser("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def matches(columns: Sequence[str]) -> bool:
    cols = {c.lower() for c in columns}
    weight = "weight_kg" in cols or "weight_lb" in cols or {"weight", "unit"} <= cols
    return {"date", "exercise", "reps"} <= cols and weight


def parser(columns: Sequence[str], unit: str | None) -> tuple[Callable[[Row], RawSet | None], str]:
    by_lower = {c.lower(): c for c in columns}

    def col(name: str) -> str:
        return by_lower.get(name, name)

    if "weight_kg" in by_lower:
        weight_col, fixed = col("weight_kg"), "kg"
    elif "weight_lb" in by_lower:
        weight_col, fixed = col("weight_lb"), "lb"
    else:
        weight_col, fixed = col("weight"), None

    def parse(row: Row) -> RawSet | None:
        kind = row.text(col("set_type")).lower() or "working"
        kind = _ALIASES.get(kind, kind)
        if kind not in SET_TYPES:
            raise row.fail(col("set_type"), "working, warmup, drop or failure")
        return RawSet(
            line=row.line,
            started_at=row.when(col("date"), _parse_date, "2025-01-30 17:30"),
            exercise=row.required(col("exercise"), "an exercise name"),
            set_type=kind,
            weight_value=row.number(weight_col, 0, 2000),
            weight_unit=fixed or _unit(row, col("unit"), weight_col),
            reps=row.count(col("reps")),
            rpe=row.number(col("rpe"), 0, 10),
            rir=row.number(col("rir"), 0, 20),
            notes=row.opt(col("notes")),
            session_name=row.opt(col("session")),
        )

    return parse, "generic CSV"


def _unit(row: Row, unit_col: str, weight_col: str) -> str:
    """The row's unit; only required when the row has a weight."""
    if not row.text(unit_col) and not row.text(weight_col):
        return "kg"
    return row.unit(unit_col)
