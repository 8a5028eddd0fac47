"""Lossless JSON export and restore of one lifter's log.

The document keeps everything the database holds for the lifter except row ids (which restore
assigns anew): exercises with their aliases, imports, sessions with their sets in order, and
symptoms with their triage results. export -> restore -> export gives the same document. The
format is declared by the pydantic models below (unknown keys are an error).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from backcheck.errors import InputError
from backcheck.log.db import LogStore
from backcheck.log.models import Exercise, ExerciseAlias, Import, Session, Set, Symptom

FORMAT = "backcheck-log"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExerciseDoc(_M):
    key: str
    name: str
    aliases: list[str]


class ImportDoc(_M):
    filename: str
    format: str
    sha256: str
    imported_at: datetime
    rows_read: int
    sets_added: int
    sets_already_present: int


class SetDoc(_M):
    key: str
    exercise: str
    seq: int
    set_type: Literal["warmup", "working", "drop", "failure"]
    weight_value: float | None
    weight_unit: Literal["kg", "lb"]
    weight_kg: float | None
    reps: int | None
    rpe: float | None
    rir: float | None
    distance_m: float | None
    seconds: float | None
    notes: str | None
    import_index: int | None


class SessionDoc(_M):
    started_at: datetime
    name: str | None
    duration_s: int | None
    notes: str | None
    sets: list[SetDoc]


class SymptomDoc(_M):
    occurred_at: datetime
    intensity: int
    quality: str | None
    location: str | None
    side: str | None
    onset: str | None
    duration_min: int | None
    notes: str | None
    triage: Any = None


class LogDoc(_M):
    format: Literal["backcheck-log"]
    version: Literal[1]
    lifter: str
    exercises: list[ExerciseDoc]
    imports: list[ImportDoc]
    sessions: list[SessionDoc]
    symptoms: list[SymptomDoc]


def export_json(store: LogStore) -> dict[str, Any]:
    """The lifter's whole log as a JSON-ready dict."""
    lid = store.lifter_id
    with store.engine.connect() as conn:
        imports = (
            conn.execute(select(Import).where(Import.lifter_id == lid).order_by(Import.id))
            .mappings()
            .all()
        )
        import_index = {r["id"]: i for i, r in enumerate(imports)}
        sessions = (
            conn.execute(
                select(Session).where(Session.lifter_id == lid).order_by(Session.started_at)
            )
            .mappings()
            .all()
        )
        sets = (
            conn.execute(
                select(Set, Exercise.key.label("exercise"))
                .join(Exercise, Exercise.id == Set.exercise_id)
                .join(Session, Session.id == Set.session_id)
                .where(Session.lifter_id == lid)
                .order_by(Set.id)
            )
            .mappings()
            .all()
        )
        used = sorted({s["exercise_id"] for s in sets})
        exercises = (
            conn.execute(select(Exercise).where(Exercise.id.in_(used)).order_by(Exercise.key))
            .mappings()
            .all()
        )
        aliases = (
            conn.execute(
                select(ExerciseAlias)
                .where(ExerciseAlias.exercise_id.in_(used))
                .order_by(ExerciseAlias.alias)
            )
            .mappings()
            .all()
        )
        symptoms = (
            conn.execute(
                select(Symptom)
                .where(Symptom.lifter_id == lid)
                .order_by(Symptom.occurred_at, Symptom.id)
            )
            .mappings()
            .all()
        )
    by_session: dict[int, list[dict[str, Any]]] = {s["id"]: [] for s in sessions}
    set_fields = [f for f in SetDoc.model_fields if f not in ("exercise", "import_index")]
    for s in sets:
        by_session[s["session_id"]].append(
            {
                **{f: s[f] for f in set_fields},
                "exercise": s["exercise"],
                "import_index": import_index.get(s["import_id"]),
            }
        )
    doc = LogDoc(
        format=FORMAT,
        version=1,
        lifter=store.lifter,
        exercises=[
            ExerciseDoc(
                key=e["key"],
                name=e["name"],
                aliases=[a["alias"] for a in aliases if a["exercise_id"] == e["id"]],
            )
            for e in exercises
        ],
        imports=[ImportDoc(**{f: r[f] for f in ImportDoc.model_fields}) for r in imports],
        sessions=[
            SessionDoc(
                started_at=s["started_at"],
                name=s["name"],
                duration_s=s["duration_s"],
                notes=s["notes"],
                sets=by_session[s["id"]],
            )
            for s in sessions
        ],
        symptoms=[
            SymptomDoc(
                **{f: r[f] for f in SymptomDoc.model_fields if f != "triage"},
                triage=json.loads(r["triage_json"]) if r["triage_json"] else None,
            )
            for r in symptoms
        ],
    )
    return doc.model_dump(mode="json")


def restore_json(store: LogStore, document: dict[str, Any]) -> dict[str, int]:
    """Restore an export into the store's lifter, which must have no log yet; atomic."""
    try:
        doc = LogDoc.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"not a backcheck log export: {where}: {first['msg']}") from None
    try:
        return _restore(store, doc)
    except IntegrityError:
        raise InputError(
            "these sets are already in the database (under another lifter); "
            "restore into an empty database"
        ) from None


def _restore(store: LogStore, doc: LogDoc) -> dict[str, int]:
    with store.engine.begin() as conn:
        if _has_data(conn, store.lifter_id):
            raise InputError(
                f"lifter {store.lifter!r} already has a log; restore into an empty "
                "database or another lifter (--lifter NAME)"
            )
        ex_ids = _restore_exercises(conn, doc.exercises)
        imp_ids = [
            conn.execute(
                insert(Import).values(lifter_id=store.lifter_id, **i.model_dump())
            ).inserted_primary_key[0]
            for i in doc.imports
        ]
        rows = []
        for s in doc.sessions:
            sid = conn.execute(
                insert(Session).values(lifter_id=store.lifter_id, **s.model_dump(exclude={"sets"}))
            ).inserted_primary_key[0]
            for st in s.sets:
                bad_import = st.import_index is not None and not (
                    0 <= st.import_index < len(imp_ids)
                )
                if st.exercise not in ex_ids or bad_import:
                    raise InputError(f"set {st.key}: unknown exercise or import reference")
                rows.append(
                    {
                        **st.model_dump(exclude={"exercise", "import_index"}),
                        "session_id": sid,
                        "exercise_id": ex_ids[st.exercise],
                        "import_id": None if st.import_index is None else imp_ids[st.import_index],
                    }
                )
        if rows:
            conn.execute(insert(Set), rows)
        sym = [
            {
                **s.model_dump(exclude={"triage"}),
                "lifter_id": store.lifter_id,
                "triage_json": None if s.triage is None else json.dumps(s.triage, sort_keys=True),
            }
            for s in doc.symptoms
        ]
        if sym:
            conn.execute(insert(Symptom), sym)
    return {"sessions": len(doc.sessions), "sets": len(rows), "symptoms": len(sym)}


def _has_data(conn: Connection, lifter_id: int) -> bool:
    n = conn.scalar(select(func.count()).select_from(Session).where(Session.lifter_id == lifter_id))
    m = conn.scalar(select(func.count()).select_from(Symptom).where(Symptom.lifter_id == lifter_id))
    return bool(n or m)


def _restore_exercises(conn: Connection, exercises: list[ExerciseDoc]) -> dict[str, int]:
    ids = dict(conn.execute(select(Exercise.key, Exercise.id)).all())
    known_aliases = set(conn.execute(select(ExerciseAlias.alias)).scalars())
    for e in exercises:
        if e.key not in ids:
            ids[e.key] = conn.execute(
                insert(Exercise).values(key=e.key, name=e.name)
            ).inserted_primary_key[0]
        new = [{"alias": a, "exercise_id": ids[e.key]} for a in e.aliases if a not in known_aliases]
        known_aliases.update(a["alias"] for a in new)
        if new:
            conn.execute(insert(ExerciseAlias), new)
    return ids
