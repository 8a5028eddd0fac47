"""Load measures: e1RM, weekly volume per lift, daily spinal load, acute:chronic ratios.

e1RM uses Epley (w x (1 + reps/30)) for sets of 1-10 reps, where prediction equations are
reasonably accurate (LeSuer et al. 1997); Brzycki is offered for comparison. The acute:chronic
ratio is computed two ways: exponentially weighted moving averages with 7- and 28-day decay
(Williams et al. 2017), and the uncoupled rolling ratio (last 7 days against the 21 days before
them), which avoids the mathematical coupling of the classic ratio (Lolli et al. 2019).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcheck.log.analytics.frame import LogFrame, week_start

MAX_E1RM_REPS = 10
ACUTE_DAYS, CHRONIC_DAYS = 7, 28


def epley(kg: np.ndarray | float, reps: np.ndarray | float) -> np.ndarray | float:
    """Estimated 1RM; a single is its own 1RM."""
    return np.where(np.equal(reps, 1), kg, kg * (1 + np.asarray(reps) / 30.0))


def brzycki(kg: np.ndarray | float, reps: np.ndarray | float) -> np.ndarray | float:
    return kg * 36.0 / (37.0 - np.asarray(reps))


def set_e1rm(f: LogFrame) -> np.ndarray:
    """Epley e1RM per set; nan for warm-ups, unweighted sets and sets beyond 10 reps."""
    ok = f.work & (f.kg > 0) & (f.reps >= 1) & (f.reps <= MAX_E1RM_REPS)
    with np.errstate(invalid="ignore"):
        return np.where(ok, epley(f.kg, f.reps), np.nan)


def best_per_session(f: LogFrame, values: np.ndarray, ex: int) -> tuple[np.ndarray, np.ndarray]:
    """(session indices, max of `values`) over exercise `ex`'s sets, ignoring nan."""
    m = (f.set_ex == ex) & ~np.isnan(values)
    sess = f.set_sess[m]
    if sess.size == 0:
        return sess, values[m]
    uniq, inv = np.unique(sess, return_inverse=True)
    best = np.full(uniq.size, -np.inf)
    np.maximum.at(best, inv, values[m])
    return uniq, best


@dataclass(frozen=True)
class Weekly:
    """Per-week totals of one lift (working sets): week starts are day numbers."""

    week: np.ndarray
    sets: np.ndarray
    reps: np.ndarray
    tonnage: np.ndarray
    heaviest: np.ndarray


def weekly_for(f: LogFrame, ex: int) -> Weekly:
    m = (f.set_ex == ex) & f.work
    weeks = week_start(f.set_day[m])
    uniq, inv = np.unique(weeks, return_inverse=True)
    heaviest = np.zeros(uniq.size)
    np.maximum.at(heaviest, inv, np.nan_to_num(f.kg[m]))
    return Weekly(
        week=uniq,
        sets=np.bincount(inv, minlength=uniq.size),
        reps=np.bincount(inv, np.nan_to_num(f.reps[m]), minlength=uniq.size),
        tonnage=np.bincount(inv, f.tonnage[m], minlength=uniq.size),
        heaviest=heaviest,
    )


@dataclass(frozen=True)
class DailyLoad:
    """Spinal load and back-loading working sets per calendar day, `first` .. `last`."""

    first: int
    load: np.ndarray
    back_sets: np.ndarray

    @property
    def days(self) -> np.ndarray:
        return self.first + np.arange(self.load.size)


def set_spinal_load(f: LogFrame) -> np.ndarray:
    """Spinal load per set: tonnage x the exercise's weight, working sets only."""
    return np.where(f.work, f.tonnage * f.ex_spinal[f.set_ex], 0.0)


def daily_load(f: LogFrame, last_day: int) -> DailyLoad:
    first = int(f.sess_day.min()) if f.sess_day.size else last_day
    n = max(last_day - first + 1, 1)
    day = f.set_day - first
    keep = (day >= 0) & (day < n)
    back = f.work & (f.ex_spinal[f.set_ex] > 0)
    return DailyLoad(
        first=first,
        load=np.bincount(day[keep], set_spinal_load(f)[keep], minlength=n),
        back_sets=np.bincount(day[keep], back[keep].astype(float), minlength=n),
    )


def ewma(x: np.ndarray, span_days: int) -> np.ndarray:
    """EWMA with lambda = 2 / (N + 1), as in Williams et al. 2017, starting from zero."""
    lam = 2.0 / (span_days + 1)
    out = np.empty(len(x))
    prev = 0.0
    for i, value in enumerate(np.asarray(x, dtype=float).tolist()):  # ~4,000 days: a loop is fine
        prev = lam * value + (1.0 - lam) * prev
        out[i] = prev
    return out


def acwr_ewma(load: np.ndarray) -> np.ndarray:
    """EWMA acute:chronic ratio per day; nan for the first 28 days and when chronic is 0."""
    acute, chronic = ewma(load, ACUTE_DAYS), ewma(load, CHRONIC_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic > 0, acute / chronic, np.nan)
    ratio[:CHRONIC_DAYS] = np.nan
    return ratio


def acwr_uncoupled(load: np.ndarray) -> np.ndarray:
    """Mean daily load of the last 7 days over the mean of the 21 days before them."""
    c = np.concatenate([[0.0], np.cumsum(load)])
    n = load.size
    ratio = np.full(n, np.nan)
    idx = np.arange(CHRONIC_DAYS - 1, n)
    acute = (c[idx + 1] - c[idx + 1 - ACUTE_DAYS]) / ACUTE_DAYS
    chronic = (c[idx + 1 - ACUTE_DAYS] - c[idx + 1 - CHRONIC_DAYS]) / (CHRONIC_DAYS - ACUTE_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio[idx] = np.where(chronic > 0, acute / chronic, np.nan)
    return ratio


def trailing(x: np.ndarray, days: int) -> np.ndarray:
    """Sum of the last `days` days, per day (including the day itself)."""
    c = np.concatenate([[0.0], np.cumsum(x)])
    i = np.arange(1, x.size + 1)
    return c[i] - c[np.maximum(i - days, 0)]
