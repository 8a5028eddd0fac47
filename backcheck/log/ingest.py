"""Import an export into the store: all or nothing, and never the same set twice.

Parsing happens before the database is touched, and everything is written in one transaction, so
a bad row anywhere leaves the log as it was. Each set gets a content key (session start,
exercise, position, type, weight, reps), unique within its session: re-importing the same or an
overlapping export adds only what is new. Rows are inserted with Core `insert()` executemany,
not ORM objects, which keeps a ten-year export to a couple of seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from backcheck.errors import InputError
from backcheck.log.db import LogStore
from backcheck.log.exercises import load_catalogue, normalise
from backcheck.log.importers.common import RawSet
from backcheck.log.importers.detect import ParsedExport, parse_export
from backcheck.log.models import Exercise, ExerciseAlias, Import, Session, Set
from backcheck.log.units import to_kg

# About 1 kB of memory a set while an export is read; ten years of hard training is ~65,000.
MAX_IMPORT_SETS = 100_000


@dataclass(frozen=True)
class ImportSummary:
    filename: str
    format: str
    note: str
    rows_read: int
    rows_skipped: int
    sets_added: int
    sets_already_present: int
    sessions_added: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do, without writing: sets by line, and every bad row."""

    filename: str
    format: str
    note: str
    rows: list[dict[str, Any]]
    errors: list[str]
    rows_skipped: int
    already_present: int = 0
    exercises: dict[str, str] = field(default_factory=dict)  # logged name -> canonical name

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__, ok=self.ok)


def _read_source(source: str | Path | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        data, name = source, filename or "upload.csv"
    else:
        path = Path(source)
        try:
            data, name = path.read_bytes(), filename or path.name
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    _check_length(data, name)
    return data, name


def _check_length(data: bytes, name: str) -> None:
    """Refuse, before parsing, an export with more lines than MAX_IMPORT_SETS: parsing holds
    every set in memory (about 1 kB each), so a million-line file took a gigabyte."""
    lines = max(data.count(b"\n"), data.count(b"\r"))
    if lines > MAX_IMPORT_SETS + 1:  # + the header line
        raise InputError(
            f"{name} has {lines:,} lines; backcheck reads up to {MAX_IMPORT_SETS:,} sets at a "
            "time. Split the export (for example by year) and import each part."
        )


def _set_key(stamp: str, ex_key: str, seq: int, s: RawSet, kg: float | None) -> str:
    text = f"{stamp}|{ex_key}|{seq}|{s.set_type}|{'' if kg is None else f'{kg:.3f}'}|{s.reps}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _resolver(conn: Connection | None) -> dict[str, tuple[str, str]]:
    """Aliases stored in the log (normalised name -> (key, name)), which win over the catalogue."""
    if conn is None:
        return {}
    rows = conn.execute(
        select(ExerciseAlias.alias, Exercise.key, Exercise.name).join(
            Exercise, Exercise.id == ExerciseAlias.exercise_id
        )
    )
    return {a: (k, n) for a, k, n in rows}


def _keyed(
    parsed: ParsedExport, known: dict[str, tuple[str, str]]
) -> tuple[list[tuple[RawSet, str, int, str, float | None]], dict[str, tuple[str, str]]]:
    """(set, exercise key, position, content key, kg) per set; logged name -> (key, name).

    The position counts sets of the exercise within the session, in file order.
    """
    cat = load_catalogue()
    names: dict[str, tuple[str, str]] = {}
    seqs: dict[tuple[datetime, str], int] = {}
    stamps: dict[datetime, str] = {}
    out = []
    for s in parsed.sets:
        if s.started_at not in stamps:
            stamps[s.started_at] = s.started_at.isoformat()
        if s.exercise not in names:
            names[s.exercise] = known.get(normalise(s.exercise)) or cat.resolve(s.exercise)
        ex_key = names[s.exercise][0]
        where = (s.started_at, ex_key)
        seq = seqs[where] = seqs.get(where, 0) + 1
        kg = None if s.weight_value is None else to_kg(s.weight_value, s.weight_unit)
        out.append((s, ex_key, seq, _set_key(stamps[s.started_at], ex_key, seq, s, kg), kg))
    return out, names


def preview_import(
    source: str | Path | bytes,
    filename: str | None = None,
    unit: str | None = None,
    store: LogStore | None = None,
) -> ImportPreview:
    """Parse without writing; with `store`, also count sets already in the log."""
    data, name = _read_source(source, filename)
    parsed = parse_export(data, name, unit, collect_errors=True)
    if store:
        with store.engine.connect() as conn:
            keyed, names = _keyed(parsed, _resolver(conn))
            present = _existing_keys(conn, store.lifter_id, parsed.sets)
    else:
        (keyed, names), present = _keyed(parsed, {}), set()
    rows = [
        {
            "line": s.line,
            "started_at": s.started_at.isoformat(sep=" "),
            "exercise": names[s.exercise][1],
            "set_type": s.set_type,
            "weight": s.weight_value,
            "unit": s.weight_unit,
            "reps": s.reps,
            "rpe": s.rpe,
            "already_present": key in present,
        }
        for s, _, _, key, _ in keyed
    ]
    return ImportPreview(
        name,
        parsed.format,
        parsed.note,
        rows,
        parsed.errors,
        parsed.rows_skipped,
        sum(r["already_present"] for r in rows),
        {raw: canon for raw, (_, canon) in names.items()},
    )


def _existing_keys(conn: Connection, lifter_id: int, sets: list[RawSet]) -> set[str]:
    if not sets:
        return set()
    lo = min(s.started_at for s in sets)
    hi = max(s.started_at for s in sets)
    q = (
        select(Set.key)
        .join(Session, Session.id == Set.session_id)
        .where(Session.lifter_id == lifter_id, Session.started_at.between(lo, hi))
    )
    return set(conn.execute(q).scalars())


def import_file(
    store: LogStore,
    source: str | Path | bytes,
    filename: str | None = None,
    unit: str | None = None,
) -> ImportSummary:
    """Import an export (path or bytes) atomically and idempotently."""
    data, name = _read_source(source, filename)
    parsed = parse_export(data, name, unit)
    with store.engine.begin() as conn:
        keyed, names = _keyed(parsed, _resolver(conn))
        ex_ids = _ensure_exercises(conn, names)
        new_sessions, sess_ids = _ensure_sessions(conn, store.lifter_id, parsed.sets)
        present = _existing_keys(conn, store.lifter_id, parsed.sets)
        imp = conn.execute(
            insert(Import).values(
                lifter_id=store.lifter_id,
                filename=name,
                format=parsed.format,
                sha256=hashlib.sha256(data).hexdigest(),
                imported_at=datetime.now(),
                rows_read=parsed.rows_read,
                sets_added=0,
                sets_already_present=0,
            )
        )
        imp_id = imp.inserted_primary_key[0]
        rows = []
        for s, ex_key, seq, key, kg in keyed:
            if key in present:
                continue
            present.add(key)
            rows.append(
                (
                    key,
                    sess_ids[s.started_at],
                    ex_ids[ex_key],
                    seq,
                    s.set_type,
                    s.weight_value,
                    s.weight_unit,
                    kg,
                    s.reps,
                    s.rpe,
                    s.rir,
                    s.distance_m,
                    s.seconds,
                    s.notes,
                    imp_id,
                )
            )
        _insert_sets(conn, rows)
        already = len(keyed) - len(rows)
        conn.execute(
            Import.__table__.update()
            .where(Import.id == imp_id)
            .values(sets_added=len(rows), sets_already_present=already)
        )
    return ImportSummary(
        name,
        parsed.format,
        parsed.note,
        parsed.rows_read,
        parsed.rows_skipped,
        len(rows),
        already,
        new_sessions,
    )


SET_COLUMNS = (
    "key",
    "session_id",
    "exercise_id",
    "seq",
    "set_type",
    "weight_value",
    "weight_unit",
    "weight_kg",
    "reps",
    "rpe",
    "rir",
    "distance_m",
    "seconds",
    "notes",
    "import_id",
)
_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _insert_sets(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """executemany straight to the driver: Core's per-row parameter processing would cost
    seconds on a ten-year export. Drivers with other parameter styles go through Core."""
    if not rows:
        return
    mark = _PLACEHOLDER.get(conn.dialect.paramstyle)
    if mark is None:
        conn.execute(insert(Set), [dict(zip(SET_COLUMNS, r, strict=True)) for r in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote('set')} ({', '.join(quote(c) for c in SET_COLUMNS)}) "
        f"VALUES ({', '.join([mark] * len(SET_COLUMNS))})"
    )
    conn.exec_driver_sql(sql, rows)


def _ensure_exercises(conn: Connection, names: dict[str, tuple[str, str]]) -> dict[str, int]:
    wanted = dict(names.values())
    ids = dict(
        conn.execute(select(Exercise.key, Exercise.id).where(Exercise.key.in_(list(wanted)))).all()
    )
    missing = [{"key": k, "name": n} for k, n in wanted.items() if k not in ids]
    if missing:
        conn.execute(insert(Exercise), missing)
        ids = dict(
            conn.execute(
                select(Exercise.key, Exercise.id).where(Exercise.key.in_(list(wanted)))
            ).all()
        )
    aliases = {normalise(raw): ids[key] for raw, (key, _) in names.items() if normalise(raw)}
    stored = set(
        conn.execute(
            select(ExerciseAlias.alias).where(ExerciseAlias.alias.in_(list(aliases)))
        ).scalars()
    )
    new = [{"alias": a, "exercise_id": i} for a, i in aliases.items() if a not in stored]
    if new:
        conn.execute(insert(ExerciseAlias), new)
    return ids


def _ensure_sessions(
    conn: Connection, lifter_id: int, sets: list[RawSet]
) -> tuple[int, dict[datetime, int]]:
    first: dict[datetime, RawSet] = {}
    for s in sets:
        first.setdefault(s.started_at, s)
    lo, hi = min(first), max(first)
    q = select(Session.started_at, Session.id).where(
        Session.lifter_id == lifter_id, Session.started_at.between(lo, hi)
    )
    ids = dict(conn.execute(q).all())
    new = [
        {
            "lifter_id": lifter_id,
            "started_at": t,
            "name": s.session_name,
            "duration_s": s.duration_s,
            "notes": s.session_notes,
        }
        for t, s in first.items()
        if t not in ids
    ]
    if new:
        conn.execute(insert(Session), new)
        ids = dict(conn.execute(q).all())
    return len(new), ids
