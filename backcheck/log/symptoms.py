"""Symptom entries: quick to record, optionally carrying the triage result they came from."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from backcheck.errors import InputError
from backcheck.log.db import LogStore
from backcheck.log.models import Exercise, Session, Set, Symptom

SIDES = ("left", "right", "both", "central")
# Bounds that the database, the charts and the export all handle.
MAX_DURATION_MIN = 10 * 366 * 24 * 60
EARLIEST, LATEST = datetime(1970, 1, 1), datetime(2101, 1, 1)
ONSETS = ("during", "right_after", "same_day", "next_day", "unrelated")
QUALITIES = (
    "tight",
    "cramp",
    "sore",
    "ache",
    "stiff",
    "sharp",
    "burning",
    "stabbing",
    "shooting",
    "numb",
    "tingling",
    "pump",
)


def add_symptom(
    store: LogStore,
    occurred_at: datetime,
    intensity: int,
    quality: str | None = None,
    location: str | None = "lower back",
    side: str | None = None,
    onset: str | None = None,
    duration_min: int | None = None,
    notes: str | None = None,
    triage: dict[str, Any] | None = None,
) -> int:
    """Record one symptom; returns its id. Quality is free text, the usual words are listed."""
    if not 0 <= intensity <= 10:
        raise InputError(f"intensity {intensity} is not from 0 (none) to 10 (worst imaginable)")
    if side is not None and side not in SIDES:
        raise InputError(f"side {side!r}: use one of {', '.join(SIDES)}")
    if onset is not None and onset not in ONSETS:
        raise InputError(f"onset {onset!r}: use one of {', '.join(ONSETS)}")
    if duration_min is not None and not 0 <= duration_min <= MAX_DURATION_MIN:
        raise InputError(
            f"duration {duration_min} minutes: give it from 0 to {MAX_DURATION_MIN} (ten years)"
        )
    if not EARLIEST <= occurred_at.replace(tzinfo=None) < LATEST:
        raise InputError(
            f"date {occurred_at.date().isoformat()}: a symptom's date must be from 1970 to 2100"
        )
    with store.engine.begin() as conn:
        res = conn.execute(
            insert(Symptom).values(
                lifter_id=store.lifter_id,
                occurred_at=occurred_at,
                intensity=intensity,
                quality=quality,
                location=location,
                side=side,
                onset=onset,
                duration_min=duration_min,
                notes=notes,
                triage_json=json.dumps(triage, sort_keys=True) if triage is not None else None,
            )
        )
        return int(res.inserted_primary_key[0])


def delete_symptom(store: LogStore, symptom_id: int) -> bool:
    """Delete one of this lifter's symptoms; False if there was none with that id."""
    with store.engine.begin() as conn:
        res = conn.execute(
            delete(Symptom).where(Symptom.id == symptom_id, Symptom.lifter_id == store.lifter_id)
        )
        return res.rowcount > 0


def list_symptoms(store: LogStore) -> list[dict[str, Any]]:
    """This lifter's symptoms, oldest first, as plain dicts (triage parsed back from JSON)."""
    cols = [c for c in Symptom.__table__.columns if c.name != "lifter_id"]
    with store.engine.connect() as conn:
        rows = (
            conn.execute(
                select(*cols)
                .where(Symptom.lifter_id == store.lifter_id)
                .order_by(Symptom.occurred_at, Symptom.id)
            )
            .mappings()
            .all()
        )
    out = []
    for r in rows:
        d = dict(r)
        d["occurred_at"] = d["occurred_at"].isoformat(sep=" ")
        d["triage"] = json.loads(d.pop("triage_json")) if r["triage_json"] else None
        out.append(d)
    return out


def stats(store: LogStore) -> dict[str, int]:
    """Counts for this lifter: sessions, sets (every stored set), exercises used, symptoms."""
    lid = store.lifter_id
    with store.engine.connect() as conn:
        sessions = conn.scalar(
            select(func.count()).select_from(Session).where(Session.lifter_id == lid)
        )
        sets_q = (
            select(Set.exercise_id)
            .join(Session, Session.id == Set.session_id)
            .where(Session.lifter_id == lid)
        )
        sets = conn.scalar(select(func.count()).select_from(sets_q.subquery()))
        exercises = conn.scalar(
            select(func.count(func.distinct(Exercise.id))).where(Exercise.id.in_(sets_q))
        )
        symptoms = conn.scalar(
            select(func.count()).select_from(Symptom).where(Symptom.lifter_id == lid)
        )
    return {
        "sessions": int(sessions or 0),
        "sets": int(sets or 0),
        "exercises": int(exercises or 0),
        "symptoms": int(symptoms or 0),
    }
