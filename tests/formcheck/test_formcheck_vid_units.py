"""Pose wrapper (offline), lifter tracking, back outline, plate detection and footage warnings."""

from __future__ import annotations

import socket

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck.formcheck import series as S
from backcheck.formcheck.outline import back_line_deg, back_sagitta, rear_of_hips
from backcheck.formcheck.plate import PlateTracker, find_far_plate, find_plate, hide_plate
from backcheck.formcheck.pose import PoseEstimator, lifter_frames
from backcheck.formcheck.quality import FootageStats, footage_warnings
from backcheck.formcheck.series import PoseSeries
from backcheck.formcheck.synthetic import generate_deadlift


def test_pose_model_builds_and_runs_without_any_download(monkeypatch):
    from mediapipe.python.solutions import download_utils

    def refuse(*args, **kwargs):
        raise AssertionError(f"network or download attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(download_utils, "download_oss_model", refuse)
    with PoseEstimator(mode="hybrid") as pose:
        frame = pose.process(np.full((240, 320, 3), 128, np.uint8))
    assert not frame.found
    assert np.isnan(frame.xy).all()


def test_unknown_pose_mode_is_refused():
    with pytest.raises(ValueError, match="pose mode"):
        PoseEstimator(mode="fast")  # type: ignore[arg-type]


def _standing(x: float, y: float = 400.0, trunk: float = 100.0) -> np.ndarray:
    """Side-on landmarks of a standing person facing right, hips at (x, y)."""
    xy = np.full((S.N_LANDMARKS, 2), np.nan)
    parts = ((S.L_HIP, S.R_HIP, 0, 0), (S.L_SHOULDER, S.R_SHOULDER, 0, -1),
             (S.L_KNEE, S.R_KNEE, 0.1, 0.9), (S.L_ANKLE, S.R_ANKLE, 0, 1.8),
             (S.L_HEEL, S.R_HEEL, -0.1, 1.9), (S.L_FOOT, S.R_FOOT, 0.3, 1.9),
             (S.L_WRIST, S.R_WRIST, 0.1, 0.1), (S.NOSE, S.NOSE, 0.1, -1.4))  # fmt: skip
    for left, right, dx, dy in parts:
        xy[[left, right]] = [x + dx * trunk, y + dy * trunk]
    return xy


def test_lifter_is_the_person_seen_longest_when_the_detector_hops():
    times = np.arange(60) / 30
    xy = np.array([_standing(200.0) for _ in range(60)])
    xy[20:30] = _standing(700.0)  # a bystander picked for a third of a second
    xy[50:] = np.nan
    keep = lifter_frames(xy, times, None)
    assert keep[:20].all() and keep[30:50].all()
    assert not keep[20:30].any() and not keep[50:].any()


def test_lifter_is_the_person_holding_the_plate():
    times = np.arange(60) / 30
    xy = np.array([_standing(200.0) if i < 40 else _standing(700.0) for i in range(60)])
    bar = np.tile(xy[-1, S.L_WRIST], (60, 1))  # the plate stays with the second person
    bar[10:15] = np.nan  # frames without a plate fix are kept
    keep = lifter_frames(xy, times, bar)
    keep[10:15] = False
    assert keep[40:].all() and not keep[:40].any()


def _trunk_mask(bend_px: float) -> tuple[np.ndarray, np.ndarray]:
    """A standing trunk 100 px long whose back edge (left, the lifter faces right) bulges."""
    xy = _standing(300.0)
    mask = np.zeros((600, 600), np.float32)
    rows = np.arange(300, 401)
    bulge = bend_px * np.sin(np.pi * (rows - 300) / 100)
    for r, b in zip(rows, bulge, strict=True):
        mask[r, int(280 - b) : 330] = 1.0
    mask[250:300, 280:330] = mask[401:600, 280:330] = 1.0
    return mask, xy


def test_straight_back_has_near_zero_sagitta_and_a_rounded_one_more():
    straight = back_sagitta(*_trunk_mask(0.0))
    rounded = back_sagitta(*_trunk_mask(12.0))
    assert abs(straight) < 0.02
    # Measured over the middle 70% of the trunk: the chord starts 15% in, on the arc.
    assert rounded == pytest.approx(12.0 * (1 - np.sin(0.15 * np.pi)) / 100, abs=0.01)


def test_sagitta_is_nan_without_mask_or_landmarks():
    mask, xy = _trunk_mask(0.0)
    assert np.isnan(back_sagitta(None, xy))
    assert np.isnan(back_sagitta(mask, np.full_like(xy, np.nan)))


def _plate_frame(centre: tuple[int, int], radius: int) -> np.ndarray:
    img = np.full((480, 640, 3), 170, np.uint8)
    cv2.circle(img, centre, radius, (20, 20, 22), -1, cv2.LINE_AA)
    cv2.circle(img, centre, radius, (80, 80, 80), 3, cv2.LINE_AA)
    return img


def test_plate_is_found_near_the_hands():
    img = _plate_frame((300, 380), 45)
    hit = find_plate(img, np.array([310.0, 370.0]), 30, 80, reach=60)
    assert hit is not None
    centre, radius = hit
    assert np.hypot(*(centre - [300, 380])) < 3
    assert radius == pytest.approx(45, abs=3)
    assert find_plate(img, np.array([600.0, 60.0]), 30, 80, reach=40) is None


def test_plate_track_follows_a_rising_bar_and_drops_a_rare_circle():
    tracker = PlateTracker()
    xy = _standing(300.0, y=250.0)
    for i in range(20):
        xy[[S.L_WRIST, S.R_WRIST]] = [305, 395 - 5 * i]  # hands on the bar
        tracker.update(_plate_frame((300, 400 - 5 * i), 45), xy)
    bar, radius = tracker.result(fps=30.0, frames_with_pose=20)
    assert np.nanmax(np.abs(bar[:, 1] - (400 - 5 * np.arange(20)))) < 4
    assert np.nanmedian(radius) == pytest.approx(45, abs=3)
    rare = PlateTracker()
    xy[[S.L_WRIST, S.R_WRIST]] = [305, 375]
    for i in range(20):
        rare.update(_plate_frame((300, 380), 45) if i == 3 else np.full((480, 640, 3), 170,
                                                                        np.uint8), xy)  # fmt: skip
    assert rare.result(fps=30.0, frames_with_pose=20) is None


def test_plate_search_done_ahead_gives_the_same_track():
    """The pipeline runs each frame's near search on a thread while the pose model works on the
    frame before; handed to `update`, it must change nothing, through a lost and found plate."""
    xy = _standing(300.0, y=250.0)
    blank = np.full((480, 640, 3), 170, np.uint8)
    frames = [_plate_frame((300 + 2 * i, 400 - 6 * i), 45) if i not in (8, 9, 10, 11) else blank
              for i in range(24)]  # fmt: skip
    alone, ahead = PlateTracker(), PlateTracker()
    for i, rgb in enumerate(frames):
        xy[[S.L_WRIST, S.R_WRIST]] = [305 + 2 * i, 395 - 6 * i]
        alone.update(rgb, xy)
        ahead.update(rgb, xy, ahead.near_search(rgb))
        assert np.array_equal(alone.pose_view(rgb), ahead.pose_view(rgb))
    # Lost on the blank frames, then found again by the wide search from the hands.
    assert np.isnan(alone.radii[8:12]).all() and np.isfinite(alone.radii[15:]).all()
    np.testing.assert_array_equal(np.array(alone.centres), np.array(ahead.centres))
    np.testing.assert_array_equal(np.array(alone.radii), np.array(ahead.radii))


def test_a_circle_above_the_hands_is_not_taken_for_the_plate():
    """The bar is in the hands, so the plate's centre cannot sit well above them: a round
    buttock or thigh outline there (lifting without plates in view) must not become the bar."""
    xy = _standing(300.0, y=250.0)
    trunk = float(np.hypot(*(xy[S.L_SHOULDER] - xy[S.L_HIP])))
    above, below = PlateTracker(), PlateTracker()
    for _ in range(12):
        xy[[S.L_WRIST, S.R_WRIST]] = [305, 380 + 0.3 * trunk]
        above.update(_plate_frame((300, 380), 45), xy)
        xy[[S.L_WRIST, S.R_WRIST]] = [305, 380 - 0.3 * trunk]
        below.update(_plate_frame((300, 380), 45), xy)
    assert above.result(fps=30.0, frames_with_pose=12) is None
    assert below.result(fps=30.0, frames_with_pose=12) is not None


def test_hidden_plate_leaves_the_rest_of_the_frame_alone():
    img = _plate_frame((300, 380), 45)
    img[:, :100] = (200, 40, 40)  # something else in the picture, far from the plate
    hidden = hide_plate(img, np.array([300.0, 380.0]), 45.0)
    disc = np.hypot(*np.mgrid[-45:46, -45:46]) <= 45
    inside = hidden[335:426, 255:346][disc]
    assert np.abs(inside.astype(int) - 170).max() <= 1  # painted in the colour around it
    assert np.array_equal(hidden[:, :100], img[:, :100])
    assert np.array_equal(hidden[:300], img[:300])
    assert not np.array_equal(img[380, 300], hidden[380, 300])  # the input is not changed


def _two_plates(gap: int, far_radius: int = 45) -> np.ndarray:
    img = _plate_frame((300, 380), 45)
    cv2.circle(img, (300 + gap, 380), far_radius, (20, 20, 22), -1, cv2.LINE_AA)
    cv2.circle(img, (300 + gap, 380), far_radius, (80, 80, 80), 3, cv2.LINE_AA)
    return img


def test_pose_sees_the_plate_painted_out_only_while_one_plate_shows():
    """Square to the side the far plate hides behind the near one and, once that has been
    seen for a while, the near one is painted out for the pose model; once a second plate shows
    beside it (camera turned), frames go to the model as they are for the rest of the clip."""
    xy = _standing(300.0, y=250.0)
    xy[[S.L_WRIST, S.R_WRIST]] = [305, 375]
    assert find_far_plate(_plate_frame((300, 380), 45), np.array([300.0, 380.0]), 45.0) is None
    for far_radius in (45, 33):  # the far plate looks smaller from a few metres
        far = find_far_plate(_two_plates(120, far_radius), np.array([300.0, 380.0]), 45.0)
        assert far is not None and abs(far[0] - 420) < 5
    tracker = PlateTracker()
    frame = _plate_frame((300, 380), 45)
    assert tracker.update(frame, xy) is not None
    assert tracker.pose_view(frame) is frame  # not yet sure that only one plate shows
    for _ in range(20):
        tracker.update(frame, xy)
    assert not np.array_equal(tracker.pose_view(frame), frame)
    turned = _two_plates(120)
    for _ in range(5):  # the far plate is looked for every few frames
        tracker.update(turned, xy)
    assert tracker.far_plate_seen
    assert tracker.pose_view(turned) is turned
    tracker.update(frame, xy)  # the plates line up again: the decision stands
    assert tracker.pose_view(frame) is frame


def _series(view_angle_deg: float = 20.0, **kw) -> PoseSeries:
    series, _ = generate_deadlift(reps=2, view_angle_deg=view_angle_deg, **kw)
    return series


def test_clean_side_view_footage_gives_no_warning():
    stats = FootageStats(luma=[150.0] * 10, other_person=[False] * 5)
    assert footage_warnings(_series(), stats) == []


def test_frontal_dark_crowded_footage_warns_with_advice():
    series = _series()
    # shoulders 0.8 trunk lengths apart in the picture: the lifter faces the camera
    mid = series.xy[:, [S.L_SHOULDER, S.R_SHOULDER], 0].mean(axis=1)
    series.xy[:, S.L_SHOULDER, 0], series.xy[:, S.R_SHOULDER, 0] = mid - 50, mid + 50
    stats = FootageStats(luma=[25.0] * 10, other_person=[True] * 5)
    text = " ".join(footage_warnings(series, stats))
    assert "not side-on" in text and "turned up to 45 degrees towards the lifter's back" in text
    assert "too dark" in text and "lights" in text
    assert "Several people" in text


def test_lifter_out_of_frame_and_exact_side_view_with_plate_warn():
    series = _series(view_angle_deg=0.0)
    series.xy[:, S.NOSE, 1] = -50.0  # head above the picture
    text = " ".join(footage_warnings(series))
    assert "out of frame" in text and "Step the camera back" in text
    assert "exactly side-on" in text and "20-45 degrees" in text


def test_a_far_plate_beside_the_near_one_means_the_camera_is_not_square_to_the_side():
    """Shoulders edge-on, but a second plate showed beside the first: the camera is turned, so
    the advice to turn it is not given (the picture of a turned lifter can keep its shoulders
    edge-on, as the generated clips do)."""
    series = _series(view_angle_deg=0.0)
    square = FootageStats(luma=[150.0] * 10, other_person=[False] * 5)
    turned = FootageStats(luma=[150.0] * 10, other_person=[False] * 5, camera_turned=True)
    assert any("exactly side-on" in w for w in footage_warnings(series, square))
    assert not any("exactly side-on" in w for w in footage_warnings(series, turned))


def test_an_arm_touching_the_back_does_not_read_as_rounding():
    """A few edge points pushed out by something on the back are dropped by the robust fit."""
    mask, xy = _trunk_mask(0.0)
    mask[338:346, 262:280] = 1.0  # a hand on the back, 18 px deep, over 8 rows
    assert abs(back_sagitta(mask, xy)) < 0.02


def test_a_ragged_outline_is_not_measured():
    mask, xy = _trunk_mask(0.0)
    rng = np.random.default_rng(1)
    for r in range(300, 401, 7):  # every seventh row sticks out by a random amount
        mask[r : r + 4, int(280 - rng.uniform(5, 25)) : 280] = 1.0
    assert np.isnan(back_sagitta(mask, xy))


def _hinge(width: int = 640, height: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """A lifter facing right in a hip hinge (trunk 39 degrees to the floor), buttocks round the
    hip, drawn as a mask, with matching landmarks; hip at (300, 380), shoulder at (400, 300)."""
    xy = np.full((S.N_LANDMARKS, 2), np.nan)
    points = {(S.L_SHOULDER, S.R_SHOULDER): (400, 300), (S.L_HIP, S.R_HIP): (300, 380),
              (S.L_KNEE, S.R_KNEE): (360, 450), (S.L_ANKLE, S.R_ANKLE): (340, 540),
              (S.L_HEEL, S.R_HEEL): (320, 548), (S.L_FOOT, S.R_FOOT): (385, 548)}  # fmt: skip
    for ids, p in points.items():
        xy[list(ids)] = p
    mask = np.zeros((height, width), np.uint8)
    cv2.line(mask, (300, 380), (400, 300), 1, 60)
    cv2.circle(mask, (300, 380), 35, 1, -1)
    cv2.line(mask, (300, 380), (360, 450), 1, 40)
    cv2.line(mask, (360, 450), (340, 540), 1, 30)
    return mask.astype(np.float32), xy


def test_the_back_of_the_hips_is_the_rearmost_point_above_the_plate() -> None:
    mask, xy = _hinge()
    point = rear_of_hips(mask, xy, bottom_y=420.0)
    assert point == pytest.approx([265, 380], abs=2)
    cv2.circle(mask, (250, 470), 50, 1.0, -1)  # a plate in the mask, further back, lower
    assert rear_of_hips(mask, xy, bottom_y=420.0) == pytest.approx(point)
    assert rear_of_hips(mask, xy, bottom_y=520.0)[0] == pytest.approx(200, abs=2)


def test_the_back_of_the_hips_mirrors_with_the_lifter() -> None:
    mask, xy = _hinge()
    flipped = xy.copy()
    flipped[:, 0] = mask.shape[1] - 1 - xy[:, 0]
    point = rear_of_hips(mask[:, ::-1], flipped, bottom_y=420.0)
    assert point == pytest.approx([mask.shape[1] - 1 - 265, 380], abs=2)


def test_no_back_of_the_hips_without_a_mask_or_when_it_cannot_be_the_body() -> None:
    mask, xy = _hinge()
    assert np.isnan(rear_of_hips(None, xy, 420.0)).all()
    assert np.isnan(rear_of_hips(mask, np.full_like(xy, np.nan), 420.0)).all()
    assert np.isnan(rear_of_hips(mask, xy, float("nan"))).all()
    assert np.isnan(rear_of_hips(mask, xy, 300.0)).all()  # no rows between shoulder and bottom
    spilled = mask.copy()
    spilled[350:370, 120:270] = 1.0  # the mask runs on behind the lifter (a rack, a person)
    assert np.isnan(rear_of_hips(spilled, xy, 420.0)).all()
    cut = mask.copy()
    cut[350:370, 0:270] = 1.0  # ... or out of the picture
    assert np.isnan(rear_of_hips(cut, xy, 420.0)).all()


_BOX = st.tuples(st.integers(0, 599), st.integers(0, 639), st.integers(1, 120), st.integers(1, 200))


@settings(max_examples=60, deadline=None)
@given(boxes=st.lists(_BOX, max_size=4), bottom=st.floats(250.0, 650.0))
def test_the_back_of_the_hips_is_nan_or_the_rearmost_mask_point_in_the_band(boxes, bottom) -> None:
    mask, xy = _hinge()
    for row, col, h, w in boxes:
        mask[row : row + h, col : col + w] = 1.0
    point = rear_of_hips(mask, xy, bottom)
    if np.isnan(point).any():
        return
    band = mask[300 : int(min(bottom, 600))] >= 0.5
    assert point[0] == np.flatnonzero(band.any(axis=0)).min()
    assert 300 <= point[1] < min(bottom, 600)
    assert 300 - point[0] <= 0.9 * np.hypot(100, 80)


_BACK_DEG = float(np.degrees(np.arctan2(80, 100)))  # the drawn back's edge in `_hinge`


def test_the_back_line_follows_the_back_not_the_buttocks() -> None:
    mask, xy = _hinge()
    rear = rear_of_hips(mask, xy, bottom_y=420.0)
    assert back_line_deg(mask, xy, rear) == pytest.approx(_BACK_DEG, abs=1.0)
    # Rounder buttocks move the back of the hips (and the line from there to the shoulder) but
    # not the back itself.
    cv2.circle(mask, (300, 380), 40, 1.0, -1)
    wider = rear_of_hips(mask, xy, bottom_y=420.0)
    assert wider[0] < rear[0] - 4
    assert back_line_deg(mask, xy, wider) == pytest.approx(_BACK_DEG, abs=1.0)
    # A hand resting on the back adds a point off the line; it is dropped.
    cv2.circle(mask, (318, 312), 12, 1.0, -1)
    assert back_line_deg(mask, xy, wider) == pytest.approx(_BACK_DEG, abs=1.0)


def test_the_back_line_mirrors_with_the_lifter() -> None:
    mask, xy = _hinge()
    flipped = xy.copy()
    flipped[:, 0] = mask.shape[1] - 1 - xy[:, 0]
    rear = rear_of_hips(mask[:, ::-1], flipped, bottom_y=420.0)
    assert back_line_deg(mask[:, ::-1], flipped, rear) == pytest.approx(180 - _BACK_DEG, abs=1.0)


def test_no_back_line_without_a_mask_a_back_of_the_hips_or_an_edge() -> None:
    mask, xy = _hinge()
    rear = rear_of_hips(mask, xy, bottom_y=420.0)
    assert np.isnan(back_line_deg(None, xy, rear))
    assert np.isnan(back_line_deg(mask, xy, np.full(2, np.nan)))
    assert np.isnan(back_line_deg(mask, np.full_like(xy, np.nan), rear))
    spilled = mask.copy()
    spilled[150:340, 150:400] = 1.0  # the mask runs on behind the back (a rack, a wall)
    assert np.isnan(back_line_deg(spilled, xy, rear))


@settings(max_examples=60, deadline=None)
@given(tilt=st.floats(25.0, 70.0), thickness=st.integers(40, 60), extra=st.integers(0, 6))
def test_the_back_line_is_the_drawn_back_at_any_tilt(tilt: float, thickness: int, extra: int):
    """A trunk drawn at `tilt` with round buttocks bulging up to 5% of its length behind the
    back: the back line is the drawn trunk's tilt, within what pixels allow. (Flatter and with
    bigger buttocks, they reach the lowest rays and tip the line by a few degrees.)"""
    hip = np.array([300.0, 400.0])
    shoulder = hip + 130 * np.array([np.cos(np.radians(tilt)), -np.sin(np.radians(tilt))])
    xy = np.full((S.N_LANDMARKS, 2), np.nan)
    for ids, p in {
        (S.L_SHOULDER, S.R_SHOULDER): shoulder,
        (S.L_HIP, S.R_HIP): hip,
        (S.L_HEEL, S.R_HEEL): (320, 560),
        (S.L_FOOT, S.R_FOOT): (385, 560),
    }.items():
        xy[list(ids)] = p
    mask = np.zeros((600, 640), np.uint8)
    top = shoulder.astype(int)
    cv2.line(mask, tuple(hip.astype(int)), tuple(top), 1, thickness)
    cv2.circle(mask, tuple(hip.astype(int)), thickness // 2 + extra, 1, -1)
    drawn = np.degrees(np.arctan2(hip[1] - top[1], top[0] - hip[0]))
    rear = rear_of_hips(mask.astype(np.float32), xy, bottom_y=hip[1] + thickness)
    angle = back_line_deg(mask.astype(np.float32), xy, rear)
    assert angle == pytest.approx(drawn, abs=2.0)
