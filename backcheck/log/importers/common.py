"""What every importer shares: the parsed set, the row reader, and exact error messages.

An importer turns one CSV row (as a `Row`) into a `RawSet`, or `None` for rows that are not sets
(Strong's rest-timer and note rows). Any problem raises `ImportFormatError` naming the file, the
line, the column and what was expected, so the lifter can fix the export or report it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from backcheck.errors import ImportFormatError, InputError
from backcheck.log.units import parse_unit

SET_TYPES = ("warmup", "working", "drop", "failure")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")


@dataclass(slots=True)
class RawSet:
    """One set as read from an export, weight still in the unit the lifter logged."""

    line: int
    started_at: datetime
    exercise: str
    set_type: str
    weight_value: float | None
    weight_unit: str
    reps: int | None
    rpe: float | None = None
    rir: float | None = None
    distance_m: float | None = None
    seconds: float | None = None
    notes: str | None = None
    session_name: str | None = None
    duration_s: int | None = None
    session_notes: str | None = None


class Row:
    """One CSV record with its header, file name and line number, for exact errors.

    `index` maps column name to position and is shared by every row of a file, so a row costs
    one small object, not a dict; `record` is padded to the header's length.
    """

    __slots__ = ("filename", "index", "line", "record")

    def __init__(self, filename: str, line: int, index: Mapping[str, int], record: list[str]):
        self.filename, self.line, self.index, self.record = filename, line, index, record

    def raw(self, col: str) -> str:
        i = self.index.get(col)
        return self.record[i] if i is not None else ""

    def text(self, col: str) -> str:
        i = self.index.get(col)
        return self.record[i].strip() if i is not None else ""

    def opt(self, col: str) -> str | None:
        return self.text(col) or None

    def fail(self, col: str, expected: str) -> ImportFormatError:
        return ImportFormatError(
            f"{self.filename} line {self.line}, column '{col}': expected {expected}, "
            f"got {self.raw(col)[:60]!r}"
        )

    def required(self, col: str, what: str) -> str:
        value = self.text(col)
        if not value:
            raise self.fail(col, what)
        return value

    def number(self, col: str, lo: float = 0.0, hi: float = 1e6) -> float | None:
        """A decimal number (point or comma) in [lo, hi], or None when empty."""
        return number_at(self, col, self.index.get(col), lo, hi)

    def count(self, col: str, hi: int = 10_000) -> int | None:
        return count_at(self, col, self.index.get(col), hi)

    def unit(self, col: str) -> str:
        try:
            return parse_unit(self.text(col))
        except InputError:
            raise self.fail(col, "a weight unit, kg or lbs") from None

    def when(
        self,
        col: str,
        parse: Callable[[str], datetime | None],
        example: str = "2025-01-30 12:34:56",
    ) -> datetime:
        value = parse(self.text(col).translate(_SPACES))
        if value is None:
            raise self.fail(col, f"a date and time like {example} (1970 to 2100)")
        return value

    def duration(self, col: str) -> int | None:
        """Seconds from '1h 5m', '45m', '1:05:00' or a plain number of seconds."""
        raw = self.text(col)
        if not raw:
            return None
        seconds = _duration(raw)
        if seconds is None:
            raise self.fail(col, "a duration like 1h 5m or 3900")
        return seconds


def number_at(row: Row, col: str, i: int | None, lo: float = 0.0, hi: float = 1e6) -> float | None:
    """`Row.number` for a column position the importer looked up once (the hot path)."""
    if i is None:
        return None
    raw = row.record[i].strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raw = raw.replace(" ", "")
        if not _DECIMAL_COMMA.match(raw):
            raise row.fail(col, "a number like 102.5") from None
        value = float(raw.replace(",", "."))
    if not lo <= value <= hi:  # also rejects nan
        raise row.fail(col, f"a number from {lo:g} to {hi:g}")
    return value


def count_at(row: Row, col: str, i: int | None, hi: int = 10_000) -> int | None:
    value = number_at(row, col, i, 0, hi)
    if value is None:
        return None
    if value != int(value):
        raise row.fail(col, "a whole number of reps")
    return int(value)


@lru_cache(maxsize=4096)
def _duration(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    parts = raw.split(":")
    if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts):
        total = 0
        for p in parts:
            total = total * 60 + int(p)
        return total
    m = _DURATION.match(raw)
    if m and any(m.groups()):
        h, mi, s = (int(g or 0) for g in m.groups())
        return h * 3600 + mi * 60 + s
    return None


def date_parser(*formats: str) -> Callable[[str], datetime | None]:
    """A cached parser trying `formats` in order; timezone-aware times become naive UTC."""
    cache: dict[str, datetime | None] = {}

    def parse(text: str) -> datetime | None:
        if text in cache:
            return cache[text]
        result = None
        squeezed = " ".join(text.split())
        for fmt in formats:
            try:
                result = datetime.strptime(squeezed, fmt)
                break
            except ValueError:
                continue
        if result is None:
            result = _iso(squeezed)
        if result is not None and not date(1970, 1, 2) <= result.date() <= date(2100, 1, 1):
            result = None
        if result is not None and result.tzinfo is not None:
            result = result.astimezone(UTC).replace(tzinfo=None)
        cache[text] = result
        return result

    return parse


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
