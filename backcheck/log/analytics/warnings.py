"""Load-change warnings, stated descriptively: what changed, by how much, when.

None of these predicts injury. Ratios of recent to usual load describe a change; their "usual
band" (0.8-1.3) comes from team-sport studies (Gabbett 2016) and the measure has known
statistical problems (Impellizzeri et al. 2020), which every report repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from backcheck.log.analytics.frame import LogFrame, week_start
from backcheck.log.analytics.measures import DailyLoad, acwr_ewma, best_per_session, set_e1rm

BAND = (0.8, 1.3)
JUMP = 1.3  # week over week: more than 30% up
MIN_EXTRA_SETS = 3
NEAR_FAILURE_SETS_PER_WEEK = 5
HEAVY_QUANTILE = 0.75
MIN_SESSIONS_BEFORE_MAX = 3
MERGE_GAP_DAYS = 2  # days outside the band this close together are one episode
MIN_LOW_DAYS = 7  # a low ratio matters when it lasts (layoff, deload), not on a rest day
NEW_LIFT_AFTER_DAYS = 28  # a lift first logged this long after the log starts is new
LAYOFF_DAYS = 21  # this many days without back-loading work is a layoff
CAVEAT = (
    "These statements describe changes in your logged training; they do not predict "
    "injury. The acute:chronic ratio and its 0.8-1.3 band come from team sports and have "
    "known statistical limits (Impellizzeri et al. 2020)."
)


@dataclass(frozen=True)
class LoadWarning:
    kind: str  # week_jump, volume_jump, ratio_high/low, new_max, near_failure, back_to_back,
    # new_lift, layoff_return
    day: int
    text: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def date(self) -> str:
        return date.fromordinal(self.day).isoformat()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date, "text": self.text, "detail": self.detail}


def _d(day: int) -> str:
    return date.fromordinal(int(day)).isoformat()


def weekly_totals(daily: DailyLoad) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(week starts, spinal load, back-loading sets) per calendar week."""
    weeks = week_start(daily.days)
    uniq, inv = np.unique(weeks, return_inverse=True)
    return (
        uniq,
        np.bincount(inv, daily.load, minlength=uniq.size),
        np.bincount(inv, daily.back_sets, minlength=uniq.size),
    )


def week_jumps(daily: DailyLoad) -> list[LoadWarning]:
    weeks, load, sets = weekly_totals(daily)
    out = []
    for i in range(1, weeks.size):
        prev, cur = load[i - 1], load[i]
        if prev > 0 and cur > JUMP * prev:
            text = (
                f"Week of {_d(weeks[i])}: spinal load {cur:,.0f} was {cur / prev - 1:.0%} "
                f"above the week before ({prev:,.0f})."
            )
            detail = {"load": round(cur), "previous": round(prev)}
            out.append(LoadWarning("week_jump", int(weeks[i]), text, detail))
        if (
            sets[i - 1] > 0
            and sets[i] > JUMP * sets[i - 1]
            and sets[i] - sets[i - 1] >= MIN_EXTRA_SETS
        ):
            text = (
                f"Week of {_d(weeks[i])}: {sets[i]:.0f} working sets of back-loading lifts, "
                f"up from {sets[i - 1]:.0f} the week before."
            )
            detail = {"sets": int(sets[i]), "previous": int(sets[i - 1])}
            out.append(LoadWarning("volume_jump", int(weeks[i]), text, detail))
    return out


def _runs(mask: np.ndarray, max_gap: int) -> list[tuple[int, int]]:
    """(start, stop) of runs of True, merging runs separated by at most `max_gap` days."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    runs: list[tuple[int, int]] = []
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if runs and start - runs[-1][1] <= max_gap:
            runs[-1] = (runs[-1][0], stop)
        else:
            runs.append((start, stop))
    return runs


def ratio_episodes(daily: DailyLoad) -> list[LoadWarning]:
    """Episodes of the EWMA ratio outside the band, one warning each.

    Rest days make a daily ratio dip within every training week, so days outside the band a
    couple of days apart form one episode, and a low episode must last `MIN_LOW_DAYS`.
    """
    ratio = acwr_ewma(daily.load)
    out = []
    for kind, mask in (("ratio_high", ratio > BAND[1]), ("ratio_low", ratio < BAND[0])):
        for start, stop in _runs(mask, MERGE_GAP_DAYS):
            if kind == "ratio_low" and stop - start < MIN_LOW_DAYS:
                continue
            span = ratio[start:stop]
            high = kind == "ratio_high"
            peak = float(np.nanmax(span) if high else np.nanmin(span))
            outside = int(mask[start:stop].sum())
            where, edge, word = (
                ("above", BAND[1], "peaking") if high else ("below", BAND[0], "down")
            )
            text = (
                f"From {_d(daily.first + start)}, on {outside} of {stop - start} day(s) the "
                f"acute:chronic ratio (EWMA) was {where} {edge}, {word} at {peak:.2f}."
            )
            detail = {"days": stop - start, "days_outside": outside, "extreme": round(peak, 2)}
            out.append(LoadWarning(kind, daily.first + start, text, detail))
    return out


def new_maxima(f: LogFrame) -> list[LoadWarning]:
    e1 = set_e1rm(f)
    out = []
    for ex in np.unique(f.set_ex):
        sess, best = best_per_session(f, e1, int(ex))
        if sess.size <= MIN_SESSIONS_BEFORE_MAX:
            continue
        before = np.maximum.accumulate(best)
        for i in range(MIN_SESSIONS_BEFORE_MAX, sess.size):
            if best[i] > before[i - 1]:
                day = int(f.sess_day[sess[i]])
                text = (
                    f"{_d(day)}: new best estimated 1RM on {f.ex_names[ex]}, "
                    f"{best[i]:.1f} kg (previous best {before[i - 1]:.1f} kg)."
                )
                detail = {"exercise": f.ex_keys[ex], "e1rm_kg": round(float(best[i]), 1)}
                out.append(LoadWarning("new_max", day, text, detail))
    return out


def near_failure_weeks(f: LogFrame) -> list[LoadWarning]:
    m = f.near_failure
    weeks, counts = np.unique(week_start(f.set_day[m]), return_counts=True)
    return [
        LoadWarning(
            "near_failure",
            int(w),
            (f"Week of {_d(w)}: {n} working sets at RPE 9 or above (or to failure)."),
            {"sets": int(n)},
        )
        for w, n in zip(weeks, counts, strict=True)
        if n >= NEAR_FAILURE_SETS_PER_WEEK
    ]


def heavy_days(daily: DailyLoad) -> np.ndarray:
    """Mask of days whose spinal load is in the top quarter of the lifter's back-training days."""
    trained = daily.load[daily.load > 0]
    if trained.size < 4:
        return np.zeros(daily.load.size, dtype=bool)
    return daily.load >= np.quantile(trained, HEAVY_QUANTILE)


def back_to_back(daily: DailyLoad) -> list[LoadWarning]:
    heavy = heavy_days(daily)
    both = np.flatnonzero(heavy[1:] & heavy[:-1]) + 1
    return [
        LoadWarning(
            "back_to_back",
            daily.first + int(i),
            f"{_d(daily.first + i - 1)} and {_d(daily.first + i)}: heavy back work on "
            "consecutive days (both in the top quarter of your back sessions by spinal load).",
            {"loads": [round(daily.load[i - 1]), round(daily.load[i])]},
        )
        for i in both
    ]


def unaccustomed(f: LogFrame, daily: DailyLoad) -> list[LoadWarning]:
    """A back-loading lift first logged well into the log, and back work after a layoff."""
    out = []
    log_start = int(f.sess_day.min())
    for ex in np.flatnonzero(f.ex_spinal > 0):
        days = f.set_day[f.work & (f.set_ex == ex)]
        if days.size and days.min() - log_start >= NEW_LIFT_AFTER_DAYS:
            day = int(days.min())
            text = f"{_d(day)}: first logged {f.ex_names[ex]} session (log starts {_d(log_start)})."
            out.append(LoadWarning("new_lift", day, text, {"exercise": f.ex_keys[ex]}))
    back_days = daily.first + np.flatnonzero(daily.load > 0)
    for i in np.flatnonzero(np.diff(back_days) >= LAYOFF_DAYS):
        day, gap = int(back_days[i + 1]), int(back_days[i + 1] - back_days[i])
        text = f"{_d(day)}: back training again, {gap} days after the previous back session."
        out.append(LoadWarning("layoff_return", day, text, {"days_off": gap}))
    return out


def all_warnings(f: LogFrame, daily: DailyLoad) -> list[LoadWarning]:
    found = (
        week_jumps(daily)
        + ratio_episodes(daily)
        + new_maxima(f)
        + near_failure_weeks(f)
        + back_to_back(daily)
        + unaccustomed(f, daily)
    )
    return sorted(found, key=lambda w: (w.day, w.kind))
