"""Analytics on histories whose answer is known by construction."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

import backcheck.log as log
from backcheck.log.analytics.measures import (
    acwr_ewma,
    acwr_uncoupled,
    brzycki,
    epley,
    ewma,
)
from backcheck.log.analytics.precedence import wilson
from backcheck.log.synth import history


@pytest.fixture
def jumpy(store):
    """40 weeks; every 5th week all weights +40%, a symptom the Saturday after, nothing else."""
    h = history(40)
    log.import_file(store, h.csv.encode(), "strong.csv")
    for t in h.symptoms:
        log.add_symptom(store, t, 5, quality="tight")
    return store, h


def test_report_names_load_jump_with_its_counts(jumpy):
    store, h = jumpy
    rep = log.report(store, as_of=datetime(2025, 1, 1))
    prec = rep.precedence
    assert prec.enough
    top = prec.features[0]
    assert top.feature == "load_jump" and top.stands_out
    assert top.present.k == len(h.symptoms) and top.absent.k == 0
    assert top.present.n < 3 * len(h.jump_weeks)
    assert not any(c.stands_out for c in prec.features if c.feature.startswith("exercise:"))
    assert "spinal load of the last 7 days more than 30% above" in rep.to_text()
    assert f"{top.present.k} of {top.present.n} sessions" in top.sentence()


def test_week_jumps_are_warned_in_plain_words(jumpy):
    store, h = jumpy
    rep = log.report(store, as_of=datetime(2025, 1, 1))
    jumps = [w for w in rep.warnings if w.kind == "week_jump"]
    assert len(jumps) == len(h.jump_weeks)
    assert jumps[0].text.startswith("Week of 2024-02-05: spinal load")
    assert "above the week before" in jumps[0].text


def test_log_findings_in_a_jump_week_report_load_jump_with_evidence(jumpy):
    store, h = jumpy
    saturday = h.symptoms[-1]
    found = {f.id: f for f in log.log_findings(store, as_of=saturday)}
    assert found["load_jump"].origin == "log" and found["load_jump"].is_present
    assert "40% above the week before" in found["load_jump"].evidence
    counts = found["load_jump"].detail["preceded_symptoms"]
    assert counts["absent"]["followed"] == 0


def test_log_findings_after_a_quiet_fortnight_keep_only_the_pattern(jumpy):
    store, h = jumpy
    quiet = h.symptoms[0] + timedelta(days=16)  # two base weeks after the first jump
    found = {f.id: f for f in log.log_findings(store, as_of=quiet)}
    assert set(found) <= {"load_jump"}
    if found:
        assert "recent" not in found["load_jump"].detail


def test_too_little_data_says_so(store):
    h = history(3, jump_every=2)
    log.import_file(store, h.csv.encode(), "s.csv")
    log.add_symptom(store, h.symptoms[0], 4)
    prec = log.report(store, as_of=datetime(2025, 1, 1)).precedence
    assert not prec.enough and prec.message.startswith("Too little data")
    assert prec.features == []


def test_rep_threshold_is_found_when_the_data_has_one(store):
    rows = ["date,exercise,weight,unit,reps"]
    symptoms = []
    day0 = datetime(2024, 1, 1, 18)
    for i in range(40):
        when = day0 + timedelta(days=3 * i)
        reps = 8 if i % 4 == 0 else 3
        rows += [f"{when:%Y-%m-%d %H:%M},Deadlift,120,kg,{reps}"] * 3
        if reps == 8:
            symptoms.append(when + timedelta(hours=20))
    log.import_file(store, "\n".join(rows).encode(), "g.csv")
    for t in symptoms:
        log.add_symptom(store, t, 6)
    found = log.report(store, as_of=datetime(2025, 1, 1)).precedence.thresholds
    reps = [t for t in found if t.measure == "reps per set"]
    assert len(reps) == 1 and reps[0].value == 8
    assert (reps[0].above.k, reps[0].above.n, reps[0].below.k) == (10, 10, 0)


def test_near_failure_and_back_to_back_days_are_warned(store):
    rows = ["date,exercise,weight,unit,reps,rpe"]
    for d in range(1, 15):
        rpe = 9.5 if d >= 8 else 7
        kg = 160 if d in (12, 13) else 100 + 5 * (d % 2)  # only 11-12-13 heavy in a row
        rows += [f"2024-03-{d:02d} 18:00,Deadlift,{kg},kg,5,{rpe}"] * 3
    log.import_file(store, "\n".join(rows).encode(), "g.csv")
    rep = log.report(store, as_of=datetime(2024, 3, 15))
    kinds = {w.kind for w in rep.warnings}
    assert {"near_failure", "back_to_back"} <= kinds
    pairs = [w.text[:25] for w in rep.warnings if w.kind == "back_to_back"]
    assert pairs == ["2024-03-11 and 2024-03-12", "2024-03-12 and 2024-03-13"]
    found = {f.id for f in log.log_findings(store, as_of=datetime(2024, 3, 15))}
    assert {"max_effort_frequency", "insufficient_recovery"} <= found


def test_e1rm_formulas():
    assert epley(100, 1) == 100 and epley(100, 10) == pytest.approx(133.33, abs=0.01)
    assert brzycki(100, 10) == pytest.approx(133.33, abs=0.01)
    assert brzycki(100, 1) == pytest.approx(100)


def test_ewma_matches_the_recursive_definition():
    x = np.array([0, 100, 0, 50, 200, 0, 0, 80.0])
    lam, expect, prev = 2 / 8, [], 0.0
    for v in x:
        prev = lam * v + (1 - lam) * prev
        expect.append(prev)
    assert ewma(x, 7) == pytest.approx(expect)


def test_ratios_of_a_steady_load_sit_at_one():
    steady = np.full(120, 100.0)
    assert acwr_uncoupled(steady)[-1] == pytest.approx(1.0)
    assert acwr_ewma(steady)[-1] == pytest.approx(1.0, abs=0.02)
    assert np.isnan(acwr_ewma(steady)[:28]).all()


def test_wilson_interval_known_values():
    lo, hi = wilson(0, 10)
    assert lo == 0 and hi == pytest.approx(0.2775, abs=1e-3)
    lo, hi = wilson(5, 10)
    assert (lo, hi) == (pytest.approx(0.2366, abs=1e-3), pytest.approx(0.7634, abs=1e-3))


def test_empty_log_report_and_findings(store):
    rep = log.report(store)
    assert rep.lifts == [] and "No training imported yet" in rep.to_text()
    assert log.log_findings(store) == []


def test_symptoms_marked_unrelated_to_training_are_not_counted(jumpy):
    store, h = jumpy
    for t in h.symptoms:  # Tuesday morning after a base-load Monday session
        log.add_symptom(store, t + timedelta(days=3), 3, onset="unrelated")
    rep = log.report(store, as_of=datetime(2025, 1, 1))
    jump = next(c for c in rep.precedence.features if c.feature == "load_jump")
    assert jump.absent.k == 0 and rep.precedence.followed == len(h.symptoms)
    assert len(rep.spinal["symptom_dates"]) == len(h.symptoms)


def test_a_report_as_of_a_past_date_ignores_what_came_later(jumpy):
    store, h = jumpy
    first_symptom = h.symptoms[0]
    rep = log.report(store, as_of=first_symptom)
    assert rep.ratio["dates"][-1] == first_symptom.date().isoformat()
    assert all(w.day <= first_symptom.toordinal() for w in rep.recent_warnings)
    assert rep.precedence.followed <= 1


def test_ratio_episodes_merge_nearby_days_and_skip_rest_day_dips():
    from backcheck.log.analytics.measures import DailyLoad
    from backcheck.log.analytics.warnings import ratio_episodes

    week = [100.0, 0, 100, 0, 100, 0, 0]
    load = np.array(week * 8 + [140.0, 0, 140, 0, 140, 0, 0] + [0.0] * 21)
    found = ratio_episodes(DailyLoad(first=738000, load=load, back_sets=np.zeros(load.size)))
    high = [w for w in found if w.kind == "ratio_high"]
    low = [w for w in found if w.kind == "ratio_low"]
    assert len(high) == 1 and high[0].detail["extreme"] > 1.3
    assert len(low) == 1 and low[0].detail["days"] >= 7  # the three weeks off, not rest days


def test_new_lift_and_return_after_a_layoff_are_unaccustomed(store):
    rows = ["date,exercise,weight,unit,reps"]
    for d in range(0, 35, 3):  # five weeks of squats
        rows.append(f"{(datetime(2024, 1, 1) + timedelta(days=d)):%Y-%m-%d},Squat,100,kg,5")
    rows.append("2024-03-01,Deadlift,120,kg,5")  # 4 weeks off, then a first deadlift
    log.import_file(store, "\n".join(rows).encode(), "g.csv")
    rep = log.report(store, as_of=datetime(2024, 3, 2))
    kinds = {w.kind: w for w in rep.warnings}
    assert (
        kinds["new_lift"].text
        == "2024-03-01: first logged Deadlift session (log starts 2024-01-01)."
    )
    assert kinds["layoff_return"].detail == {"days_off": 27}  # 3 Feb to 1 Mar 2024
    found = {f.id: f for f in log.log_findings(store, as_of=datetime(2024, 3, 2))}
    assert "27 days after the previous back session" in found["unaccustomed"].evidence
    assert "first logged Deadlift" in found["unaccustomed"].evidence
    assert "load_jump" in found  # the EWMA ratio spikes after a layoff, as is known
