"""The full log report: per-lift progress, spinal load and ratios, warnings, what precedes
symptoms. `report()` computes it once; `LogReport` renders it as JSON (web charts) or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np

from backcheck.log.analytics.frame import LogFrame, load_frame
from backcheck.log.analytics.measures import (
    acwr_ewma,
    acwr_uncoupled,
    best_per_session,
    daily_load,
    set_e1rm,
    weekly_for,
)
from backcheck.log.analytics.precedence import Precedence, precedence
from backcheck.log.analytics.text import render_text
from backcheck.log.analytics.warnings import (
    BAND,
    CAVEAT,
    LoadWarning,
    all_warnings,
    weekly_totals,
)
from backcheck.log.db import LogStore
from backcheck.log.symptoms import list_symptoms, stats

RECENT_DAYS = 28
SOURCES = (
    "williams_2017_ewma",
    "lolli_2019_coupling",
    "gabbett_2016_paradox",
    "impellizzeri_2020_acwr",
    "lesuer_1997_e1rm",
    "brzycki_1993",
    "mcgill_lbd_2015",
)


def _iso(day: int | np.integer) -> str:
    return date.fromordinal(int(day)).isoformat()


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else round(float(x), 3)


@dataclass(frozen=True)
class LogReport:
    as_of: str
    stats: dict[str, int]
    lifts: list[dict[str, Any]]
    spinal: dict[str, Any]
    ratio: dict[str, Any]
    warnings: list[LoadWarning]
    recent_warnings: list[LoadWarning]
    precedence: Precedence
    symptoms: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "stats": self.stats,
            "lifts": self.lifts,
            "spinal_load": self.spinal,
            "ratio": self.ratio,
            "warnings": [w.to_json() for w in self.warnings],
            "recent_warnings": [w.to_json() for w in self.recent_warnings],
            "precedence": self.precedence.to_json(),
            "symptoms": self.symptoms,
            "caveat": CAVEAT,
            "sources": list(SOURCES),
        }

    def to_text(self) -> str:
        return render_text(self)


def _lifts(f: LogFrame) -> list[dict[str, Any]]:
    e1 = set_e1rm(f)
    out = []
    for ex in np.unique(f.set_ex[f.work]):
        ex = int(ex)
        sess, best = best_per_session(f, e1, ex)
        wk = weekly_for(f, ex)
        m = (f.set_ex == ex) & f.work & ~np.isnan(f.kg)
        top = np.flatnonzero(m)[np.lexsort((-np.nan_to_num(f.reps[m]), -f.kg[m]))[:3]]
        out.append(
            {
                "exercise": f.ex_keys[ex],
                "name": f.ex_names[ex],
                "spinal_weight": float(f.ex_spinal[ex]),
                "sessions": int(np.unique(f.set_sess[(f.set_ex == ex) & f.work]).size),
                "best_e1rm_kg": _num(best.max()) if best.size else None,
                "e1rm": {
                    "dates": [_iso(f.sess_day[s]) for s in sess],
                    "kg": [round(float(b), 1) for b in best],
                },
                "weekly": {
                    "weeks": [_iso(w) for w in wk.week],
                    "sets": wk.sets.tolist(),
                    "reps": wk.reps.astype(int).tolist(),
                    "tonnage_kg": np.round(wk.tonnage).tolist(),
                    "heaviest_kg": np.round(wk.heaviest, 1).tolist(),
                },
                "heaviest_sets": [
                    {
                        "date": _iso(f.sess_day[f.set_sess[i]]),
                        "kg": round(f.kg[i], 1),
                        "reps": None if np.isnan(f.reps[i]) else int(f.reps[i]),
                    }
                    for i in top
                ],
            }
        )
    out.sort(key=lambda d: (-d["spinal_weight"], -d["sessions"]))
    return out


def report(store: LogStore, as_of: datetime | None = None) -> LogReport:
    """Compute the whole report for the store's lifter, as of `as_of` (default: now)."""
    f = load_frame(store)
    when = as_of or datetime.now()
    last_day = when.toordinal()
    if f.sess_day.size:  # an old log is shown up to four weeks after its last session
        last_day = min(last_day, int(f.sess_day.max()) + RECENT_DAYS)
    daily = daily_load(f, last_day)
    weeks, wload, wsets = weekly_totals(daily)
    ewma, unc = acwr_ewma(daily.load), acwr_uncoupled(daily.load)
    warns = all_warnings(f, daily) if not f.empty else []
    recent = [w for w in warns if last_day - RECENT_DAYS < w.day <= last_day]
    sym = f.sym_time.astype("datetime64[D]").astype(object)
    return LogReport(
        as_of=when.isoformat(sep=" ", timespec="minutes"),
        stats=stats(store),
        lifts=_lifts(f),
        spinal={
            "weeks": [_iso(w) for w in weeks],
            "load": np.round(wload).tolist(),
            "back_sets": wsets.astype(int).tolist(),
            "symptom_dates": [d.isoformat() for d in sym],
        },
        ratio={
            "band": list(BAND),
            "dates": [_iso(d) for d in daily.days],
            "ewma": [_num(x) for x in ewma],
            "uncoupled": [_num(x) for x in unc],
            "latest_ewma": _num(ewma[-1]) if ewma.size else None,
            "latest_uncoupled": _num(unc[-1]) if unc.size else None,
        },
        warnings=warns,
        recent_warnings=recent,
        precedence=precedence(f, daily, np.datetime64(when, "m")),
        symptoms=list_symptoms(store),
    )
