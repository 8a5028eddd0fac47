"""The report contract, findings for triage, honesty notes, thresholds as data, and layer 3
reproduced without video: walking and arm raises give zero reps and a warning."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backcheck.errors import InputError, VideoError
from backcheck.findings import Origin
from backcheck.formcheck.analysis import NO_DEADLIFT, AnalysisOptions, analyze
from backcheck.formcheck.faults import Thresholds, load_thresholds
from backcheck.formcheck.nonlift import generate_arm_raises, generate_walking
from backcheck.formcheck.report import rep_range
from backcheck.formcheck.series import PoseSeries, validate_series
from backcheck.formcheck.synthetic import generate_deadlift
from backcheck.knowledge.loader import load_knowledge

CONTRACT = {"frames", "frames_with_pose", "fps_processed", "reps", "warnings", "findings", "notes"}


@pytest.fixture(scope="module")
def faulty_report():
    series, _ = generate_deadlift(reps=5, hips_rise_early=15.0, lockout_lean_deg=14.0,
                                  trunk_flexion_deg=20.0, faulty_reps=[3, 4, 5], noise_px=1.5,
                                  drop_frames=0.03, seed=21)  # fmt: skip
    return analyze(series, AnalysisOptions(fps_processed=15.0))


def test_json_contract(faulty_report) -> None:
    data = json.loads(json.dumps(faulty_report.to_json()))
    assert set(data) >= CONTRACT
    assert data["fps_processed"] == 15.0
    assert data["frames"] >= data["frames_with_pose"] > 0
    assert len(data["reps"]) == 5
    assert data["threshold_sources"]["hips_rise_trunk_drop_deg"] == [
        "nsca_essentials_2016",
        "escamilla_2000_deadlift",
    ]
    rep = data["reps"][2]
    assert set(rep["angles"]) == {"liftoff", "knee_passage", "lockout"}
    assert set(rep["angles"]["lockout"]) == {"hip", "knee", "trunk"}
    assert rep["faults"] == ["hips_rise_early", "back_rounding", "lockout_hyperextension"]
    assert len(rep["trunk_through_pull"]) == 5
    for finding in data["findings"]:
        assert set(finding) >= {"id", "assertion", "reps"}


def test_findings_feed_triage_with_their_reps(faulty_report) -> None:
    findings = {f.id: f for f in faulty_report.findings()}
    assert set(findings) == {"hips_rise_early", "back_rounding", "lockout_hyperextension"}
    for finding in findings.values():
        assert finding.is_present and finding.origin is Origin.VIDEO
        assert list(finding.detail["reps"]) == [3, 4, 5]
        assert "reps 3-5" in finding.evidence
    assert "cm" in findings["hips_rise_early"].evidence
    assert "ahead of the ankle-shoulder line" in findings["lockout_hyperextension"].evidence
    assert "estimates, not measures" in findings["back_rounding"].evidence
    assert findings["back_rounding"].confidence < findings["hips_rise_early"].confidence


def test_notes_say_a_camera_estimates_flexion(faulty_report) -> None:
    notes = " ".join(faulty_report.notes)
    assert "single camera estimates, not measures, spinal flexion" in notes
    assert "450 mm plate" in notes


def test_finding_ids_are_in_the_triage_vocabulary() -> None:
    factors = set(load_knowledge().factors)
    series, _ = generate_deadlift(reps=2, seed=1)
    ids = {f.id for f in analyze(series).findings()}
    assert ids == {"hips_rise_early", "back_rounding", "lockout_hyperextension"}
    assert ids <= factors


@pytest.mark.parametrize("make", [generate_walking, generate_arm_raises])
def test_walking_or_arm_raises_give_zero_reps_and_a_warning(make) -> None:
    report = analyze(make(noise_px=2.0))
    assert report.reps == []
    assert NO_DEADLIFT in report.warnings
    assert "from hip height" in NO_DEADLIFT and "side-on" in NO_DEADLIFT
    assert report.findings() == []


def test_rep_range_wording() -> None:
    assert rep_range([2]) == "rep 2"
    assert rep_range([3, 4, 5]) == "reps 3-5"
    assert rep_range([1, 3, 5]) == "reps 1, 3 and 5"


def test_empty_series_warns_no_person() -> None:
    empty = PoseSeries(fps=30.0, width=640, height=480, xy=np.full((10, 33, 2), np.nan),
                       visibility=np.zeros((10, 33)), times=np.arange(10) / 30)  # fmt: skip
    report = analyze(empty)
    assert report.reps == [] and any("No person" in w for w in report.warnings)


def test_poor_tracking_warns_how_to_film() -> None:
    series, _ = generate_deadlift(reps=3, drop_frames=0.4, seed=9)
    report = analyze(series)
    assert any("lost in" in w and "from hip height" in w for w in report.warnings)
    json.dumps(report.to_json(), allow_nan=False)  # strict JSON even with gaps


def test_series_validation_raises_the_requested_error() -> None:
    bad = PoseSeries(fps=30.0, width=640, height=480, xy=np.zeros((5, 17, 2)),
                     visibility=np.zeros((5, 33)), times=np.arange(5) / 30)  # fmt: skip
    with pytest.raises(InputError, match=r"\(frames, 33, 2\)"):
        validate_series(bad)
    with pytest.raises(VideoError):
        validate_series(bad, VideoError)
    backwards = PoseSeries(
        fps=30.0, width=640, height=480, xy=np.zeros((3, 33, 2)),
        visibility=np.zeros((3, 33)), times=np.array([0.0, 0.2, 0.1]),
    )  # fmt: skip
    with pytest.raises(InputError, match="increase"):
        validate_series(backwards)


def test_thresholds_cite_known_sources_and_reject_unknown_keys() -> None:
    th = load_thresholds()
    sources = load_knowledge().sources
    for name in Thresholds.model_fields:
        entry = getattr(th, name)
        assert entry.rationale and entry.sources
        assert set(entry.sources) <= set(sources), name
    raw = yaml.safe_load(th.model_dump_json())
    raw["extra_rule"] = raw["lockout_lean_deg"]
    with pytest.raises(ValidationError):
        Thresholds.model_validate(raw)


@pytest.fixture(scope="module")
def small_set():
    return generate_deadlift(reps=2, fps=15.0, noise_px=2.0, seed=4)[0]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_pattern_of_gaps_gives_a_report(small_set, data) -> None:
    """Landmarks, bar and outline missing in bursts anywhere: a report, never a crash."""
    series = copy.deepcopy(small_set)
    n = series.n_frames
    for _ in range(data.draw(st.integers(1, 6))):
        a = data.draw(st.integers(0, n - 1))
        b = min(n, a + data.draw(st.integers(1, 30)))
        points = data.draw(st.lists(st.integers(0, 32), min_size=1, max_size=33, unique=True))
        series.xy[a:b, points] = np.nan
        series.visibility[a:b, points] = 0.0
        if data.draw(st.booleans()):
            series.bar[a:b] = np.nan
        if data.draw(st.booleans()):
            series.back_sagitta[a:b] = np.nan
    report = analyze(series)
    json.dumps(report.to_json(), allow_nan=False)
    assert len(report.reps) <= 2
