"""What precedes symptoms: how often a symptom followed a session within 48 h, with and without
each exercise or load feature, and the set size or intensity above which symptoms tend to follow.

Counts come with Wilson 95% intervals (Wilson 1927), which stay honest for small counts. A
feature "stands out" only when the two intervals do not overlap, and nothing is compared until
there are enough sessions and symptoms: with little data the report says so instead of guessing.
This is description of one lifter's log, not evidence of cause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from backcheck.log.analytics.frame import LogFrame
from backcheck.log.analytics.measures import DailyLoad, set_e1rm, set_spinal_load, trailing
from backcheck.log.analytics.warnings import JUMP, MIN_EXTRA_SETS, heavy_days

WINDOW = np.timedelta64(48 * 60, "m")
MIN_SYMPTOMS, MIN_SESSIONS, MIN_GROUP = 3, 10, 5
HIGH_REPS = 10
FEATURES = {
    "load_jump": "spinal load of the last 7 days more than 30% above the 7 days before",
    "volume_jump": "back-loading sets of the last 7 days more than 30% above the 7 days before",
    "high_rpe": "a set at RPE 9 or above, or to failure",
    "high_reps": f"a back-loading set of {HIGH_REPS} reps or more",
    "heavy_day": "a heavy back day (top quarter of your days by spinal load)",
    "short_recovery": "back work within a day of the previous heavy back day",
}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    k: int
    n: int

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.k, self.n)

    def words(self) -> str:
        if self.n == 0:
            return "no sessions"
        lo, hi = self.ci
        return f"{self.k} of {self.n} sessions ({self.k / self.n:.0%}, 95% CI {lo:.0%}-{hi:.0%})"

    def to_json(self) -> dict[str, Any]:
        lo, hi = self.ci
        return {"followed": self.k, "sessions": self.n, "ci95": [round(lo, 3), round(hi, 3)]}


def stands_out(a: Rate, b: Rate) -> bool:
    return a.n >= MIN_GROUP and b.n >= MIN_GROUP and a.k >= MIN_SYMPTOMS and a.ci[0] > b.ci[1]


@dataclass(frozen=True)
class Comparison:
    feature: str
    label: str
    present: Rate
    absent: Rate

    @property
    def stands_out(self) -> bool:
        return stands_out(self.present, self.absent)

    def sentence(self) -> str:
        return (
            f"With {self.label}, a symptom followed within 48 h after "
            f"{self.present.words()}; without it, after {self.absent.words()}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "label": self.label,
            "present": self.present.to_json(),
            "absent": self.absent.to_json(),
            "stands_out": self.stands_out,
            "text": self.sentence(),
        }


@dataclass(frozen=True)
class Threshold:
    exercise: str
    name: str
    measure: str  # reps per set, % of best e1RM, working sets
    value: float
    above: Rate
    below: Rate

    def sentence(self) -> str:
        return (
            f"{self.name}: with {self.measure} of {self.value:g} or more, symptoms followed "
            f"{self.above.words()}; below it, {self.below.words()}."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "measure": self.measure,
            "value": self.value,
            "above": self.above.to_json(),
            "below": self.below.to_json(),
            "text": self.sentence(),
        }


@dataclass(frozen=True)
class Precedence:
    enough: bool
    message: str
    sessions: int
    followed: int
    features: list[Comparison]
    thresholds: list[Threshold]

    def to_json(self) -> dict[str, Any]:
        return {
            "enough_data": self.enough,
            "message": self.message,
            "sessions": self.sessions,
            "followed_by_symptom": self.followed,
            "features": [c.to_json() for c in self.features],
            "thresholds": [t.to_json() for t in self.thresholds],
        }


def followed(f: LogFrame) -> np.ndarray:
    """Per session: did a symptom start within 48 h of the session's start?"""
    lo = np.searchsorted(f.sym_time, f.sess_start, side="left")
    hi = np.searchsorted(f.sym_time, f.sess_start + WINDOW, side="left")
    return hi > lo


def session_features(f: LogFrame, daily: DailyLoad) -> dict[str, np.ndarray]:
    """Boolean per session for each load feature in `FEATURES`."""
    n = f.sess_day.size
    # sessions after the report's last day are not compared; clip them to stay in range
    day = np.clip(f.sess_day - daily.first, 0, daily.load.size - 1)
    t7, s7 = trailing(daily.load, 7), trailing(daily.back_sets, 7)
    p7 = np.concatenate([np.zeros(7), t7[:-7]])[: t7.size]
    ps7 = np.concatenate([np.zeros(7), s7[:-7]])[: s7.size]
    heavy = heavy_days(daily)
    idx = np.where(heavy, np.arange(heavy.size), -(10**6))
    last_heavy_before = np.concatenate([[-(10**6)], np.maximum.accumulate(idx)[:-1]])
    back_work = np.zeros(n, dtype=bool)
    back_work[f.set_sess[f.work & (set_spinal_load(f) > 0)]] = True

    def any_set(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[f.set_sess[mask]] = True
        return out

    return {
        "load_jump": (p7[day] > 0) & (t7[day] > JUMP * p7[day]),
        "volume_jump": (ps7[day] > 0)
        & (s7[day] > JUMP * ps7[day])
        & (s7[day] - ps7[day] >= MIN_EXTRA_SETS),
        "high_rpe": any_set(f.near_failure),
        "high_reps": any_set(f.work & (f.ex_spinal[f.set_ex] > 0) & (f.reps >= HIGH_REPS)),
        "heavy_day": heavy[day],
        "short_recovery": back_work & (day - last_heavy_before[day] <= 1),
    }


def _compare(feature: str, label: str, x: np.ndarray, y: np.ndarray) -> Comparison:
    return Comparison(
        feature, label, Rate(int(y[x].sum()), int(x.sum())), Rate(int(y[~x].sum()), int((~x).sum()))
    )


def _per_session(f: LogFrame, mask: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    np.fmax.at(out, f.set_sess[mask], values[mask])
    return out


def best_threshold(
    ex: str, name: str, measure: str, v: np.ndarray, y: np.ndarray
) -> Threshold | None:
    """The cut-off with the largest gap whose intervals do not overlap, if any."""
    ok = ~np.isnan(v)
    v, y = v[ok], y[ok]
    best: Threshold | None = None
    for t in np.unique(v)[1:]:
        above = v >= t
        a = Rate(int(y[above].sum()), int(above.sum()))
        b = Rate(int(y[~above].sum()), int((~above).sum()))
        if stands_out(a, b) and (
            best is None
            or a.k / a.n - b.k / b.n > best.above.k / best.above.n - best.below.k / best.below.n
        ):
            best = Threshold(ex, name, measure, round(float(t), 1), a, b)
    return best


def thresholds(f: LogFrame, y: np.ndarray, keep: np.ndarray) -> list[Threshold]:
    n = f.sess_day.size
    e1 = set_e1rm(f)
    out = []
    for ex in np.flatnonzero(f.ex_spinal > 0):
        m = f.work & (f.set_ex == ex)
        sessions = np.zeros(n, dtype=bool)
        sessions[f.set_sess[m]] = True
        sessions &= keep
        if sessions.sum() < 2 * MIN_GROUP:
            continue
        reps = _per_session(f, m, f.reps, n)
        top_e1 = _per_session(f, m, e1, n)
        prior = np.fmax.accumulate(np.where(sessions, top_e1, np.nan))
        prior = np.concatenate([[np.nan], prior[:-1]])
        top_kg = _per_session(f, m, f.kg, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = np.round(100 * top_kg / prior / 5) * 5
        sets = np.bincount(f.set_sess[m], minlength=n).astype(float)
        for measure, values in (
            ("reps per set", reps),
            ("% of best e1RM", pct),
            ("working sets", sets),
        ):
            found = best_threshold(
                f.ex_keys[ex], f.ex_names[ex], measure, values[sessions], y[sessions]
            )
            if found:
                out.append(found)
    return out


def precedence(f: LogFrame, daily: DailyLoad, as_of: np.datetime64) -> Precedence:
    """Compare sessions followed by a symptom with those that were not."""
    trained = np.zeros(f.sess_day.size, dtype=bool)
    trained[f.set_sess[f.work]] = True
    keep = trained & (f.sess_start + WINDOW <= as_of)  # sessions whose 48 h have passed
    y = followed(f)
    n, k = int(keep.sum()), int((y & keep).sum())
    if n < MIN_SESSIONS or k < MIN_SYMPTOMS:
        return Precedence(
            False,
            (
                f"Too little data to say what precedes your symptoms: {n} sessions with 48 h "
                f"behind them, {k} followed by a symptom. Comparisons start at {MIN_SESSIONS} "
                f"sessions and {MIN_SYMPTOMS} symptoms after training."
            ),
            n,
            k,
            [],
            [],
        )
    feats = session_features(f, daily)
    comps = [_compare(key, label, feats[key][keep], y[keep]) for key, label in FEATURES.items()]
    for ex in np.unique(f.set_ex[f.work]):
        has = np.zeros(f.sess_day.size, dtype=bool)
        has[f.set_sess[f.work & (f.set_ex == ex)]] = True
        if has[keep].sum() >= MIN_GROUP:
            comps.append(
                _compare(
                    f"exercise:{f.ex_keys[ex]}",
                    f"{f.ex_names[ex]} in the session",
                    has[keep],
                    y[keep],
                )
            )
    comps.sort(key=lambda c: (not c.stands_out, -(c.present.k / max(c.present.n, 1))))
    standing = [c for c in comps if c.stands_out]
    msg = f"{k} of {n} sessions were followed by a symptom within 48 h. " + (
        "Stood out: " + "; ".join(c.label for c in standing) + "."
        if standing
        else "No exercise or load feature stood out from the rest."
    )
    return Precedence(True, msg, n, k, comps, thresholds(f, y, keep))
