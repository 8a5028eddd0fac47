"""Recognise an export's format from its header and read it into `RawSet`s.

Decoding, delimiter sniffing and CSV errors are handled here once, so every importer only maps a
row; whatever goes wrong becomes an `ImportFormatError` with the file and line, never another
exception (a property test feeds arbitrary bytes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

from backcheck.errors import ImportFormatError
from backcheck.log.importers import fitnotes, generic, hevy, liftosaur, strong
from backcheck.log.importers.common import RawSet, Row

FORMATS = (strong, hevy, fitnotes, liftosaur, generic)
FORMAT_NAMES = tuple(f.NAME for f in FORMATS)
_MAX_ERRORS = 200


@dataclass
class ParsedExport:
    """Sets read from one file, rows that are not sets, and (in preview mode) row errors."""

    format: str
    note: str
    sets: list[RawSet]
    rows_read: int
    rows_skipped: int
    errors: list[str] = field(default_factory=list)


def decode(data: bytes, filename: str) -> str:
    """Text of an export: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFormatError(f"{filename}: this is a binary file, not a CSV export")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{filename}: byte {exc.start} is not UTF-8 text; export the file again as CSV"
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def detect(columns: Sequence[str], filename: str) -> ModuleType:
    """The importer module whose header this is."""
    for fmt in FORMATS:
        if fmt.matches(columns):
            return fmt
    shown = ", ".join(columns[:8])[:200]
    raise ImportFormatError(
        f"{filename} line 1: header not recognised ({shown}); expected an export from "
        f"{', '.join(FORMAT_NAMES[:-1])} or the generic CSV (date, exercise, weight, unit, reps)"
    )


def parse_export(
    data: bytes, filename: str, unit: str | None = None, collect_errors: bool = False
) -> ParsedExport:
    """Read every row; the first bad row raises unless `collect_errors` (preview) is set."""
    text = decode(data, filename)
    if not text.strip():
        raise ImportFormatError(f"{filename}: the file is empty")
    delim = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = [h.strip() for h in next(reader)]
        fmt = detect(header, filename)
        parse, note = fmt.parser(header, unit)
        index = {name: i for i, name in reversed(list(enumerate(header)))}
        width = len(header)
        out = ParsedExport(fmt.NAME, note, [], 0, 0)
        row = Row(filename, 0, index, [])  # one Row, refilled per record: parsers keep no Row
        start = reader.line_num
        for record in reader:
            line, start = start + 1, reader.line_num
            if not any(v.strip() for v in record):
                continue
            out.rows_read += 1
            if len(record) < width:
                record += [""] * (width - len(record))
            row.line, row.record = line, record
            _read_row(out, parse, row, collect_errors)
    except csv.Error as exc:
        raise ImportFormatError(
            f"{filename} line {reader.line_num}: not valid CSV ({exc})"
        ) from None
    if not out.sets and not out.errors:
        raise ImportFormatError(f"{filename}: no sets found below the header")
    return out


def _read_row(
    out: ParsedExport, parse: Callable[[Row], RawSet | None], row: Row, collect_errors: bool
) -> None:
    try:
        raw = parse(row)
    except ImportFormatError as exc:
        if not collect_errors:
            raise
        if len(out.errors) < _MAX_ERRORS:
            out.errors.append(str(exc))
        return
    if raw is None:
        out.rows_skipped += 1
    else:
        out.sets.append(raw)
