"""The log as numpy arrays: one row per set, one per session, one per symptom.

Analytics never iterate over sets in Python: a ten-year log is ~100,000 sets and the full report
must take under a second. Days are proordinal day numbers (`date.toordinal()`), weeks start on
Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlalchemy import select

from backcheck.log.db import LogStore
from backcheck.log.exercises import load_catalogue
from backcheck.log.models import Exercise, Session, Set, Symptom

KINDS = {"warmup": 0, "working": 1, "drop": 2, "failure": 3}
NEAR_FAILURE_RPE = 9.0


@dataclass(frozen=True)
class LogFrame:
    # per exercise (index = position)
    ex_keys: list[str]
    ex_names: list[str]
    ex_spinal: np.ndarray  # spinal-load weight per exercise
    # per session, sorted by start
    sess_start: np.ndarray  # datetime64[m]
    sess_day: np.ndarray  # int day number
    # per set
    set_sess: np.ndarray  # index into sessions
    set_ex: np.ndarray  # index into exercises
    kind: np.ndarray  # KINDS code
    kg: np.ndarray  # nan when no weight
    reps: np.ndarray  # nan when not logged
    effort: np.ndarray  # RPE, or 10 - RIR; nan when neither
    # per symptom
    sym_time: np.ndarray  # datetime64[m]
    sym_intensity: np.ndarray

    @property
    def work(self) -> np.ndarray:
        """Mask of sets that count as work: everything but warm-ups."""
        return self.kind != KINDS["warmup"]

    @property
    def tonnage(self) -> np.ndarray:
        """kg x reps per set; 0 where either is missing (bodyweight, timed sets)."""
        return np.nan_to_num(self.kg * self.reps)

    @property
    def near_failure(self) -> np.ndarray:
        return self.work & ((self.effort >= NEAR_FAILURE_RPE) | (self.kind == KINDS["failure"]))

    @property
    def set_day(self) -> np.ndarray:
        return self.sess_day[self.set_sess]

    @property
    def empty(self) -> bool:
        return len(self.kind) == 0


def day_number(d: date | datetime) -> int:
    return (d.date() if isinstance(d, datetime) else d).toordinal()


def week_start(day: int | np.ndarray) -> int | np.ndarray:
    """Day number of the Monday starting the week (`date.fromordinal(1)` was a Monday)."""
    return day - (day - 1) % 7


def load_frame(store: LogStore) -> LogFrame:
    """Read the lifter's sets, sessions and symptoms in three queries."""
    cat = load_catalogue()
    with store.engine.connect() as conn:
        sessions = conn.execute(select(Session.id, Session.started_at)
                                .where(Session.lifter_id == store.lifter_id)
                                .order_by(Session.started_at)).all()
        sets = conn.execute(
            select(Set.session_id, Set.exercise_id, Set.set_type, Set.weight_kg, Set.reps,
                   Set.rpe, Set.rir)
            .join(Session, Session.id == Set.session_id)
            .where(Session.lifter_id == store.lifter_id)).all()
        exercises = conn.execute(select(Exercise.id, Exercise.key, Exercise.name)).all()
        symptoms = conn.execute(select(Symptom.occurred_at, Symptom.intensity)
                                .where(Symptom.lifter_id == store.lifter_id)
                                .order_by(Symptom.occurred_at)).all()
    sess_pos = {sid: i for i, (sid, _) in enumerate(sessions)}
    ex_pos = {eid: i for i, (eid, _, _) in enumerate(exercises)}
    cols = list(zip(*sets, strict=True)) if sets else [()] * 7
    rpe = np.array(cols[5], dtype=float)
    rir = np.array(cols[6], dtype=float)
    return LogFrame(
        ex_keys=[k for _, k, _ in exercises],
        ex_names=[n for _, _, n in exercises],
        ex_spinal=np.array([cat.spinal_weight(k) for _, k, _ in exercises], dtype=float),
        sess_start=np.array([t for _, t in sessions], dtype="datetime64[m]"),
        sess_day=np.array([t.toordinal() for _, t in sessions], dtype=np.int64),
        set_sess=np.array([sess_pos[s] for s in cols[0]], dtype=np.int64),
        set_ex=np.array([ex_pos[e] for e in cols[1]], dtype=np.int64),
        kind=np.array([KINDS[k] for k in cols[2]], dtype=np.int8),
        kg=np.array(cols[3], dtype=float),
        reps=np.array(cols[4], dtype=float),
        effort=np.where(np.isnan(rpe), 10.0 - rir, rpe),
        sym_time=np.array([t for t, _ in symptoms], dtype="datetime64[m]"),
        sym_intensity=np.array([i for _, i in symptoms], dtype=np.int64),
    )
