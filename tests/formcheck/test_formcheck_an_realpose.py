"""The analysis on landmarks from the real pose model (MediaPipe), kept as small files so the
tests need no video decoding: model noise, occlusion and left-right guesses are not like the
kinematic model's Gaussian noise.

- an_data/mediapipe_generated_deadlift.json: MediaPipe on a layer-2 generated clip (three reps,
  camera 20 degrees off the side, true lift-offs 1.0, 4.6, 8.2 s and lockouts 2.2, 5.8, 9.4 s).
- an_data/mediapipe_sports2d_walk.json: MediaPipe on the Sports2D demo clip (BSD-3-Clause), a
  real person walking and turning: no deadlift in it (layer 3).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backcheck.formcheck.analysis import NO_DEADLIFT, analyze
from backcheck.formcheck.landmark_files import load_landmarks

DATA = Path(__file__).parent / "an_data"
TRUE_LIFTOFF = (1.0, 4.6, 8.2)
TRUE_LOCKOUT = (2.2, 5.8, 9.4)


def test_reps_found_on_time_in_real_pose_model_output() -> None:
    report = analyze(load_landmarks(DATA / "mediapipe_generated_deadlift.json"))
    assert len(report.reps) == 3
    for rep, start, lockout in zip(report.reps, TRUE_LIFTOFF, TRUE_LOCKOUT, strict=True):
        assert rep.start_s == pytest.approx(start, abs=0.2)
        assert rep.lockout_s == pytest.approx(lockout, abs=0.2)
        assert 60 <= rep.angles["lockout"]["trunk"] <= 100
    assert report.bar_source == "plate" and report.distance_unit == "cm"


def test_a_real_person_walking_gives_no_reps() -> None:
    report = analyze(load_landmarks(DATA / "mediapipe_sports2d_walk.json"))
    assert report.frames_with_pose > 100
    assert report.reps == []
    assert NO_DEADLIFT in report.warnings
    assert [f for f in report.findings() if f.is_present] == []
