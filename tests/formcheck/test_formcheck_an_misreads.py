"""Frames the pose model gets badly wrong must not turn into angles, reps or silent miscounts.

On generated videos with plates, the pose model now and then puts the shoulders on the face and
the hip on the plate for a few frames: the trunk then reads up to 180 degrees off. And when the
trunk reading is compressed, a real rep can fail the deadlift check; the user must hear of it.
"""

from __future__ import annotations

import copy
import dataclasses
import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.formcheck import series as S
from backcheck.formcheck.analysis import analyze
from backcheck.formcheck.render import lifter_body
from backcheck.formcheck.smoothing import despike
from backcheck.formcheck.synthetic import generate_deadlift

TRUNK = [S.L_SHOULDER, S.R_SHOULDER, S.L_HIP, S.R_HIP]


@functools.cache
def _clean():
    """Three clean reps (a plain function, not a fixture: hypothesis would print its value)."""
    return generate_deadlift(reps=3, fps=30.0, noise_px=1.0, seed=11)


@pytest.fixture
def clean():
    return _clean()


def _collapse(series: S.PoseSeries, frames: slice, squash: float, turn_deg: float) -> None:
    """The whole pose misread on `frames`: every landmark pulled towards the mid-hip by `squash`
    and turned by `turn_deg`, as when the model mistakes a plate for the lifter's pelvis."""
    for i in range(*frames.indices(series.n_frames)):
        hip = series.xy[i, [S.L_HIP, S.R_HIP]].mean(axis=0)
        c, s = np.cos(np.radians(turn_deg)), np.sin(np.radians(turn_deg))
        rel = (series.xy[i] - hip) * squash
        series.xy[i] = hip + rel @ np.array([[c, -s], [s, c]]).T + [15.0, 40.0]


def _knee_frames(truth, fps: float) -> list[int]:
    return [int(round(rep.knee_passage_time * fps)) for rep in truth.reps]


@settings(max_examples=25, deadline=None)
@given(
    length=st.integers(1, 6),
    squash=st.floats(0.15, 0.5),
    turn=st.floats(-180.0, 180.0),
    shift=st.integers(-8, 8),
)
def test_a_burst_of_misread_poses_changes_neither_count_nor_angles(length, squash, turn,
                                                                   shift) -> None:  # fmt: skip
    series, truth = copy.deepcopy(_clean()[0]), _clean()[1]
    knees = _knee_frames(truth, series.fps)
    for k in knees:
        _collapse(series, slice(k + shift, k + shift + length), squash, turn)
    report = analyze(series)
    assert len(report.reps) == 3
    trunk = lifter_body(series).trunk
    for k in knees:
        burst = slice(k + shift, k + shift + length)
        assert np.nanmax(np.abs(trunk[burst] - truth.trunk_deg[burst])) < 12.0


def test_without_misreads_nothing_is_dropped(clean) -> None:
    """The gate only takes frames whose trunk length is far off: a clean set keeps them all."""
    series, _ = clean
    assert not lifter_body(series).missing.any()


def test_a_rise_that_does_not_look_like_a_deadlift_is_reported_when_others_count(clean) -> None:
    series, truth = copy.deepcopy(clean[0]), clean[1]
    second = truth.reps[1]
    a = int(round((second.start_time - 0.5) * series.fps))
    b = int(round((second.lockout_time + 0.5) * series.fps))
    for i in range(a, b):  # the trunk held upright through rep 2: not a deadlift's trunk
        hip = series.xy[i, [S.L_HIP, S.R_HIP]].mean(axis=0)
        length = np.hypot(*(series.xy[i, [S.L_SHOULDER, S.R_SHOULDER]].mean(axis=0) - hip))
        series.xy[i, [S.L_SHOULDER, S.R_SHOULDER]] = hip - [0.0, length]
    report = analyze(series)
    assert len(report.reps) == 2
    said = [w for w in report.warnings if "not counted" in w]
    assert len(said) == 1 and "1 bar rise" in said[0] and "from hip height" in said[0]
    assert not [w for w in analyze(clean[0]).warnings if "not counted" in w]


@pytest.mark.parametrize("knee_shift", [0.0, 0.15, 0.25])
def test_hips_rising_early_survives_a_knee_read_too_high(knee_shift: float) -> None:
    """The plate hides the knees at the bottom and the model puts them too high: the bar then
    seems to pass them late, when the trunk is already rising again. The early hip rise must
    still be found and sized, and the clean reps stay clean."""
    series, truth = generate_deadlift(reps=4, hips_rise_early=15.0, faulty_reps=[1, 3],
                                      noise_px=1.0, seed=3)  # fmt: skip
    trunk_px = np.nanmedian(np.hypot(*(series.xy[:, S.L_SHOULDER] - series.xy[:, S.L_HIP]).T))
    series.xy[:, [S.L_KNEE, S.R_KNEE], 1] -= knee_shift * trunk_px
    report = analyze(series)
    assert len(report.reps) == 4
    for rep, true in zip(report.reps, truth.reps, strict=True):
        assert ("hips_rise_early" in rep.faults) == true.faulty
        if true.faulty:
            assert abs(-rep.trunk_change_deg - true.hips_rise_deg) <= 3.0


def _legs_misread_at_the_set_position(series: S.PoseSeries, trunk_px: float) -> None:
    """What the near plate does to the pose model at the bottom of a pull: the hip read forward
    and low, the knee high and the ankle high, most with the bar on the floor and none once it
    has risen 0.4 trunk lengths (the lifter faces right, y grows downwards)."""
    bar_y = series.bar[:, 1]
    weight = np.clip(1.0 - (np.nanmax(bar_y) - bar_y) / (0.4 * trunk_px), 0.0, 1.0)
    for joints, shift in (((S.L_HIP, S.R_HIP), (0.3, 0.45)), ((S.L_KNEE, S.R_KNEE), (0.15, -0.25)),
                          ((S.L_ANKLE, S.R_ANKLE), (0.0, -0.4))):  # fmt: skip
        for joint in joints:
            series.xy[:, joint] += weight[:, None] * np.array(shift) * trunk_px


def _with_the_back_of_the_hips(series: S.PoseSeries, truth, trunk_px: float) -> None:
    """The outline's rearmost point: behind the true hip by the buttocks' depth."""
    series.rear_of_hips = truth.joints["hip"] - [truth.facing * 0.3 * trunk_px, 0.0]


def _misread_set():
    series, truth = generate_deadlift(reps=4, hips_rise_early=15.0, faulty_reps=[2, 4],
                                      noise_px=1.0, seed=5)  # fmt: skip
    trunk_px = float(np.nanmedian(np.hypot(*(series.xy[:, S.L_SHOULDER]
                                             - series.xy[:, S.L_HIP]).T)))  # fmt: skip
    _legs_misread_at_the_set_position(series, trunk_px)
    return series, truth, trunk_px


def _liftoff_errors(report, truth, angle: str) -> np.ndarray:
    """Each rep's `angle` at lift-off minus the truth there, degrees."""
    true = {"trunk": truth.trunk_deg, "hip": truth.hip_deg, "knee": truth.knee_deg}[angle]
    return np.array([rep.angles["liftoff"][angle] - np.interp(rep.start_s, truth.times, true)
                     for rep in report.reps])  # fmt: skip


def test_a_hip_misread_at_the_set_position_fakes_an_early_hip_rise_from_landmarks() -> None:
    """The premise of the next test: from the landmarks alone, clean reps are flagged and the
    angles at lift-off are far off."""
    series, truth, _ = _misread_set()
    report = analyze(series)
    clean = [r for r, t in zip(report.reps, truth.reps, strict=True) if not t.faulty]
    assert clean and all("hips_rise_early" in r.faults for r in clean)
    assert {r.hip_rise_source for r in report.reps} == {"landmarks"}
    for angle in ("trunk", "hip", "knee"):
        assert np.abs(_liftoff_errors(report, truth, angle)).min() > 8.0, angle


def test_the_back_of_the_hips_reads_the_hip_rise_where_the_hip_landmark_is_misread() -> None:
    series, truth, trunk_px = _misread_set()
    _with_the_back_of_the_hips(series, truth, trunk_px)
    report = analyze(series)
    assert len(report.reps) == 4
    for rep, true in zip(report.reps, truth.reps, strict=True):
        assert rep.hip_rise_source == "outline"
        assert ("hips_rise_early" in rep.faults) == true.faulty, rep.number
        if true.faulty:  # the line to the buttocks turns less than the trunk (their depth)
            assert 10.0 <= -rep.trunk_change_deg <= 16.0
        else:
            assert abs(rep.trunk_change_deg) <= 3.0
    assert any("back of the hips" in note for note in report.notes)
    # The hip in the hinge from the outline and the knee from the planted feet: the angles are
    # right there too.
    for angle in ("trunk", "hip", "knee"):
        assert np.abs(_liftoff_errors(report, truth, angle)).max() <= 4.0, angle


def test_feet_that_move_keep_the_knee_landmark() -> None:
    """The knee is only placed from the feet when they stay put (not walking into the shot)."""
    series, truth, trunk_px = _misread_set()
    _with_the_back_of_the_hips(series, truth, trunk_px)
    planted = lifter_body(series)
    drift = np.linspace(0.0, 2.0 * trunk_px, series.n_frames)[:, None]
    for joint in (S.L_ANKLE, S.R_ANKLE, S.L_HEEL, S.R_HEEL, S.L_FOOT, S.R_FOOT):
        series.xy[:, joint, 0] += drift[:, 0]
    walking = lifter_body(series)
    without_outline = lifter_body(dataclasses.replace(series, rear_of_hips=None))
    np.testing.assert_allclose(walking.joints["knee"], without_outline.joints["knee"])
    assert not np.allclose(planted.joints["knee"], without_outline.joints["knee"], equal_nan=True)


def test_the_hip_landmark_is_used_where_the_outline_lost_the_hips() -> None:
    series, truth, trunk_px = _misread_set()
    _with_the_back_of_the_hips(series, truth, trunk_px)
    bar_y = series.bar[:, 1]
    low = np.nanmax(bar_y) - bar_y < 0.2 * trunk_px  # not seen at the set positions (longer
    series.rear_of_hips[low] = np.nan  # than the gaps that are filled in)
    report = analyze(series)
    assert {r.hip_rise_source for r in report.reps} == {"landmarks"}
    assert not any("back of the hips" in note for note in report.notes)


def _back_of_the_hips_sliding(series: S.PoseSeries, truth, share: float) -> None:
    """Rounded buttocks: the rearmost point slides round the hip as the thighs swing, so it
    rises only (1 - share) as much as the hip (on one generated body: 54 px against 71)."""
    hip_y = truth.joints["hip"][:, 1]
    series.rear_of_hips[:, 1] += share * (np.nanmax(hip_y) - hip_y)


def test_the_back_line_reads_the_hip_rise_where_the_back_of_the_hips_slides() -> None:
    series, truth, trunk_px = _misread_set()
    _with_the_back_of_the_hips(series, truth, trunk_px)
    _back_of_the_hips_sliding(series, truth, share=0.25)
    faulty = [t.faulty for t in truth.reps]
    sliding = analyze(series)  # the premise: the early hip rise is missed
    assert not any("hips_rise_early" in r.faults for r in sliding.reps)
    # The back's own line, 10 degrees steeper than the hip-shoulder line (the shape of the back).
    back = truth.trunk_deg if truth.facing > 0 else 180.0 - truth.trunk_deg
    report = analyze(dataclasses.replace(series, back_line_deg=back + 10.0))
    assert [("hips_rise_early" in r.faults) for r in report.reps] == faulty
    for rep, true in zip(report.reps, truth.reps, strict=True):
        assert rep.hip_rise_source == "outline"
        if true.faulty:  # the mean of a reading that turns too little and the true turn
            assert 8.0 <= -rep.trunk_change_deg <= true.hips_rise_deg
        else:
            assert abs(rep.trunk_change_deg) <= 3.0


@settings(max_examples=60, deadline=None)
@given(at=st.integers(5, 94), size=st.floats(13.0, 60.0), sign=st.sampled_from([-1.0, 1.0]))
def test_despike_drops_a_single_frame_misread_and_keeps_a_real_turn(at, size, sign) -> None:
    """Spikes of 13 degrees and more: the tolerance (8) plus how far a window's median trails
    a turn of 1.5 degrees a frame."""
    track = np.linspace(40.0, 20.0, 100)
    track -= 15.0 * np.clip((np.arange(100) - 55) / 10, 0.0, 1.0)  # a real turn over 1/3 s
    spiked = track.copy()
    spiked[at] += sign * size
    out = despike(spiked, window=7, tolerance=8.0)
    assert np.isnan(out[at])
    keep = np.arange(100) != at
    np.testing.assert_array_equal(out[keep], track[keep])


def _hip_read_low_at_the_top(series: S.PoseSeries, trunk_px: float) -> np.ndarray:
    """What the plate over the upper thighs does at lockout: the hip read 0.25 trunk lengths low
    and 0.1 behind (the lifter faces right, y grows downwards), fully once the bar is within 0.2
    trunk lengths of its highest point. Returns the weight per frame."""
    bar_y = series.bar[:, 1]
    weight = np.clip(1.0 - (bar_y - np.nanmin(bar_y)) / (0.2 * trunk_px), 0.0, 1.0)
    for joint in (S.L_HIP, S.R_HIP):
        series.xy[:, joint] += weight[:, None] * np.array([-0.1, 0.25]) * trunk_px
    return weight


def _lockout_errors(report, truth, angle: str) -> np.ndarray:
    true = {"trunk": truth.trunk_deg, "hip": truth.hip_deg, "knee": truth.knee_deg}[angle]
    return np.array([rep.angles["lockout"][angle] - np.interp(rep.lockout_s, truth.times, true)
                     for rep in report.reps])  # fmt: skip


def test_a_hip_read_low_at_the_top_is_kept_at_the_trunk_length_of_the_hinge() -> None:
    series, truth = generate_deadlift(reps=3, noise_px=0.5, seed=8)
    trunk_px = float(np.nanmedian(np.hypot(*(series.xy[:, S.L_SHOULDER]
                                             - series.xy[:, S.L_HIP]).T)))  # fmt: skip
    top = _hip_read_low_at_the_top(series, trunk_px) >= 1.0
    landmarks_only = lifter_body(series)
    _with_the_back_of_the_hips(series, truth, trunk_px)
    body = lifter_body(series)
    # The premise: the model's shoulder-hip distance at the top is a quarter too long.
    stretched = np.hypot(*(landmarks_only.joints["shoulder"] - landmarks_only.joints["hip"]).T)
    assert np.nanmedian(stretched[top]) > 1.2 * trunk_px
    # With the hinge's trunk length known from the outline, the hip is moved up its line to it:
    # the distance is the trunk's again and the trunk angle is the model's.
    kept = np.hypot(*(body.joints["shoulder"] - body.joints["hip"]).T)[top]
    np.testing.assert_allclose(kept, trunk_px, rtol=0.05)
    np.testing.assert_allclose(body.trunk[top], landmarks_only.trunk[top], atol=1e-6)
    report, before = analyze(series), analyze(dataclasses.replace(series, rear_of_hips=None))
    assert len(report.reps) == len(before.reps) == 3
    hip_now = _lockout_errors(report, truth, "hip")
    hip_before = _lockout_errors(before, truth, "hip")
    assert np.abs(hip_before).min() > 11.0
    assert np.abs(hip_now).max() < np.abs(hip_before).min() - 2.0


def test_a_trunk_read_short_or_without_a_hinge_keeps_the_model_hip() -> None:
    """Only a stretched trunk is mended (turned out of the picture it can look short), and only
    when the outline gave the trunk's length in the hinge."""
    series, truth = generate_deadlift(reps=3, noise_px=0.5, seed=8)
    trunk_px = float(np.nanmedian(np.hypot(*(series.xy[:, S.L_SHOULDER]
                                             - series.xy[:, S.L_HIP]).T)))  # fmt: skip
    _with_the_back_of_the_hips(series, truth, trunk_px)
    high = lifter_body(series).trunk > 75.0  # where the hip comes from the landmarks alone
    for joint in (S.L_HIP, S.R_HIP):  # the hip read 10% too close to the shoulder
        series.xy[:, joint] -= 0.1 * (series.xy[:, joint] - series.xy[:, S.L_SHOULDER])
    short = lifter_body(series)
    landmarks_only = lifter_body(dataclasses.replace(series, rear_of_hips=None))
    np.testing.assert_allclose(short.joints["hip"][high], landmarks_only.joints["hip"][high])
    _hip_read_low_at_the_top(series, trunk_px)
    series.rear_of_hips[lifter_body(series).trunk < 60.0] = np.nan  # no hinge from the outline
    no_hinge = lifter_body(series)
    landmarks_only = lifter_body(dataclasses.replace(series, rear_of_hips=None))
    np.testing.assert_allclose(no_hinge.joints["hip"][high], landmarks_only.joints["hip"][high])
