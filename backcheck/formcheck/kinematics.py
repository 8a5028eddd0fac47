"""Smoothed near-side tracks in the lifter's frame, joint angles and the scale of the picture.

The lifter's frame has x pointing the way the lifter faces and y pointing up, in pixels, so
every angle below means the same thing whichever way the lifter faces in the picture:
trunk angle to the horizontal (90 = upright, above 90 = leaning back), hip and knee angles
(180 = straight, above 180 = extended past straight).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcheck.formcheck.series import PoseSeries
from backcheck.formcheck.side import Side
from backcheck.formcheck.smoothing import clean_track, despike

# Winter's segment fractions of body height: shank + thigh + trunk (hip to shoulder).
LEG_TRUNK_FRACTION = 0.246 + 0.245 + 0.288
GRIP_FRACTION = 0.034  # bar centre below the wrist joint, hands hanging
PLATE_DIAMETER_CM = 45.0
BOTH_SIDES_FRACTION = 0.9  # use left-right midpoints when the far side is seen this often
# A deadlift moves the trunk in the lifter's plane, so its length in the picture barely changes
# (rounding shortens the hip-shoulder chord by a few per cent). The pose model's reading varies
# more (0.8-1.25 of its median on generated clips, shortest at the setup), but a trunk read at
# under 0.6 or over 1.5 of its usual length is a misdetection (shoulders on the face, the hip on
# the plate), and one such frame turns the trunk angle by up to 180 degrees.
TRUNK_LENGTH_RANGE = (0.6, 1.5)
# In a hip hinge the near plate hides the legs and the pose model reads the hip forward and low
# (the trunk 6-26 degrees too upright on generated clips turned 20 degrees off the side), while
# the back of the hips stays in view above the plate (`outline.rear_of_hips`). The hip joint
# lies about this many body heights in front of it (14 cm on a 1.75 m lifter): our estimate of
# the buttocks' depth behind the joint, not a measured constant. On the bench's 18 generated
# clips, depths from 0.06 to 0.10 gave a mean trunk RMSE of 5.9-7.8 degrees per camera position.
BUTTOCK_DEPTH = 0.08
# Where the trunk is below the first angle (read from the outline's hip) the hip comes from the
# outline; above the second, from the landmarks: upright, the upper back can be the rearmost
# point and the plate rises past the buttocks. In between the two are mixed, so nothing jumps.
OUTLINE_HIP_BELOW_DEG = (50.0, 70.0)
# The trunk does not stretch: a deadlift turns it in the lifter's plane, so the shoulder-to-hip
# distance in the picture stays about the same (rounding shortens it a little). Standing, with the
# plate over the upper thighs, the pose model reads the hip low: on 30 generated clips (every
# camera position) the shoulder-to-hip distance at the top was 1.17-1.60 times the one in the
# hinge, where the hip comes from the outline, and the hip angle at lockout read 5-48 degrees too
# bent. Where the model's distance is longer than the hinge's median (frames placed wholly from
# the outline, at least MIN_HINGE_FRAMES of them), the hip is moved up the model's shoulder-hip
# line to that length; the line's direction, and so the trunk angle, is the model's.
MIN_HINGE_FRAMES = 5
# The knees under the plate are no better read than the hip (mean knee RMSE 18-47 degrees per camera
# position on the bench's clips), so in the hinge the knee is placed where a leg of fixed length
# puts it: the feet stay put through a deadlift, the thigh and the shank are about equally long
# (Winter: 0.245 and 0.246 of body height), and the knee bends forwards. The leg's length is the
# hip-ankle reach at this percentile (the legs straight at lockout), the ankle's height this low a
# percentile (under the plate the model reads the ankle too high, never below the floor). Feet count
# as planted when the ankle stays within PLANTED_REACH body heights of its median on PLANTED_SHARE
# of the frames. On the bench's clips, percentiles of 90-98 and 5-25 gave a mean hip RMSE within 1
# degree.
LEG_PERCENTILE = 95
ANKLE_HEIGHT_PERCENTILE = 10
PLANTED_REACH = 0.05
PLANTED_SHARE = 0.6
# The hip-rise verdict reads how the trunk turns, and the outline gives two readings of it whose
# errors ran opposite ways on the bench's clips. From the set position to knee passage on one
# generated body (camera 20 degrees towards the back), where the trunk turned 15 degrees: the
# line from the back of the hips to the shoulder turned 6-8 (rounded buttocks slide round the hip
# as the thighs swing), the line fitted to the back's edge (`outline.back_line_deg`) 20-23; on
# clean reps +4 to +6 and -2 to -5 against 0. Their mean is used. Single-frame misreads of the
# back's line (an arm across the edge) are dropped first: values off the median of
# BACK_LINE_WINDOW_S by more than BACK_LINE_SPIKE_DEG.
BACK_LINE_WINDOW_S = 0.2
BACK_LINE_SPIKE_DEG = 8.0


@dataclass
class Body:
    """Per-frame tracks (n, 2) in the lifter's frame and derived angles (degrees). In a hip hinge
    the hip is placed from the back of the hips when the outline has it, and then the knee from
    the hip and the planted feet; standing, the model's hip is kept no further from the shoulder
    than the trunk's length in the hinge (`_legs_in_the_hinge`)."""

    times: np.ndarray
    joints: dict[str, np.ndarray]
    missing: np.ndarray  # frames where the hip, knee or shoulder is unknown after gap filling
    lost: np.ndarray  # frames where one of them was not found at all (before gap filling)
    bar: np.ndarray
    bar_source: str  # "plate" or "wrist"
    trunk: np.ndarray
    hip_angle: np.ndarray
    knee_angle: np.ndarray
    height_px: float  # estimated standing body height in pixels
    px_per_cm: float | None  # from the plate, when it is seen
    sagitta: np.ndarray | None
    # The trunk as the outline sees it (degrees, offset from `trunk` by the shape of the back and
    # buttocks, see `_outline_trunk`), and a hip that lies on that line at the usual
    # shoulder-to-back-of-hips distance. None when the series has no outline (landmark files from
    # other tools, layer-1 models).
    outline_trunk: np.ndarray | None = None
    outline_hip: np.ndarray | None = None


def wrap_deg(angle):
    """An angle difference brought into [-180, 180), so joint angles never jump by 360."""
    return (angle + 180.0) % 360.0 - 180.0


def _direction(v: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(v[:, 1], v[:, 0]))


def _to_lifter(xy: np.ndarray, facing: int, fps: float, max_gap_s: float) -> tuple:
    x, miss_x = clean_track(facing * xy[:, 0], fps, max_gap_s)
    y, miss_y = clean_track(-xy[:, 1], fps, max_gap_s)
    return np.stack([x, y], axis=1), miss_x | miss_y


def _joint_xy(series: PoseSeries, near: int, far: int, min_vis: float) -> np.ndarray:
    """A joint's image track: the midpoint of both sides when the far side is tracked too.

    With the camera turned off the side, the near shoulder (wider than the hip) shifts against
    the near hip and biases the trunk angle; the midpoint of left and right lies in the lifter's
    plane of motion and removes that bias. Decided per clip, not per frame, to avoid jumps.
    """
    xy = series.xy[:, near].copy()
    seen = series.visibility[:, near] >= min_vis
    xy[~seen] = np.nan
    far_seen = series.visibility[:, far] >= min_vis
    if seen.any() and np.mean(far_seen[seen]) >= BOTH_SIDES_FRACTION:
        mid = (series.xy[:, near] + series.xy[:, far]) / 2
        xy[seen & far_seen] = mid[seen & far_seen]
        xy[seen & ~far_seen] = np.nan
    return xy


def build_body(series: PoseSeries, side: Side, max_gap_s: float, min_vis: float) -> Body:
    """Clean the near-side tracks (low-visibility points count as missing) and derive angles."""
    joints = {}
    missing, lost = np.zeros(series.n_frames, dtype=bool), np.zeros(series.n_frames, dtype=bool)
    raw = {name: _joint_xy(series, i, side.far[name], min_vis) for name, i in side.index.items()}
    _drop_misread_poses(raw)
    for name, xy in raw.items():
        joints[name], miss = _to_lifter(xy, side.facing, series.fps, max_gap_s)
        if name in ("shoulder", "hip", "knee"):
            missing |= miss
            lost |= ~np.isfinite(xy).all(axis=1)
    segments = [joints["knee"] - joints["ankle"], joints["hip"] - joints["knee"],
                joints["shoulder"] - joints["hip"]]  # fmt: skip
    height = sum(_segment_length(s) for s in segments) / LEG_TRUNK_FRACTION
    bar, source = _bar(series, side, joints, height, max_gap_s)
    rear = _rear(series, side, max_gap_s)
    outline_trunk = outline_hip = None
    if rear is not None:
        shoulder = joints["shoulder"]
        outline_trunk, outline_hip = _outline_trunk(series, side, max_gap_s, shoulder, rear)
        _legs_in_the_hinge(joints, rear, height)
    trunk = _direction(joints["shoulder"] - joints["hip"])
    thigh = _direction(joints["hip"] - joints["knee"])
    shank = _direction(joints["knee"] - joints["ankle"])
    return Body(
        times=series.times, joints=joints, missing=missing, lost=lost, bar=bar, bar_source=source,
        trunk=trunk, hip_angle=180.0 - wrap_deg(thigh - trunk),
        knee_angle=180.0 - wrap_deg(thigh - shank),
        height_px=height, px_per_cm=_px_per_cm(series, source),
        sagitta=_sagitta(series, max_gap_s), outline_trunk=outline_trunk, outline_hip=outline_hip,
    )  # fmt: skip


def _drop_misread_poses(raw: dict[str, np.ndarray]) -> None:
    """Blank every joint (image tracks, in place) on frames whose trunk length is outside
    `TRUNK_LENGTH_RANGE` of its median: the whole pose is a misdetection then, not only the
    trunk. Gap filling bridges short runs of them."""
    length = np.hypot(*(raw["shoulder"] - raw["hip"]).T)
    if not np.isfinite(length).any():
        return
    ratio = length / np.nanmedian(length)
    low, high = TRUNK_LENGTH_RANGE
    misread = (ratio < low) | (ratio > high)
    for track in raw.values():
        track[misread] = np.nan


def _segment_length(v: np.ndarray) -> float:
    """A segment's true length is near the longest it appears (it is then in the image plane)."""
    lengths = np.hypot(v[:, 0], v[:, 1])
    lengths = lengths[np.isfinite(lengths)]
    return float(np.percentile(lengths, 90)) if lengths.size else float("nan")


def _bar(series: PoseSeries, side: Side, joints: dict, height: float, max_gap_s: float) -> tuple:
    """The plate centre when it is seen in most pose frames, else the hand just below the wrist."""
    if series.bar is not None:
        seen = np.isfinite(series.bar[:, 0])
        if seen.sum() >= 0.5 * max(series.frames_with_pose(), 1):
            bar, _ = _to_lifter(series.bar, side.facing, series.fps, max_gap_s)
            return bar, "plate"
    return joints["wrist"] - [0.0, GRIP_FRACTION * height], "wrist"


def _px_per_cm(series: PoseSeries, source: str) -> float | None:
    """Scale from the plate (450 mm across) or from a file's known units."""
    if series.px_per_m:
        return series.px_per_m / 100.0
    if source != "plate" or series.plate_radius is None:
        return None
    radius = series.plate_radius[np.isfinite(series.plate_radius)]
    if radius.size == 0 or np.median(radius) <= 0:
        return None
    return float(2 * np.median(radius) / PLATE_DIAMETER_CM)


def _legs_in_the_hinge(joints: dict[str, np.ndarray], rear: np.ndarray, height: float) -> None:
    """Place the hip (BUTTOCK_DEPTH in front of the back of the hips) and, when the feet are
    planted, the ankle and the knee (a leg of fixed length) in `joints`, taking over from the
    landmarks as the trunk bends (`OUTLINE_HIP_BELOW_DEG`); above it, the model's hip is kept no
    further from the shoulder than the trunk's length in the hinge (`_unstretched`). Frames
    without an outline point keep their landmarks."""
    placed_hip = rear + [BUTTOCK_DEPTH * height, 0.0]
    low, high = OUTLINE_HIP_BELOW_DEG
    weight = np.clip((high - _direction(joints["shoulder"] - placed_hip)) / (high - low), 0, 1)
    weight[~np.isfinite(weight)] = 0.0
    model_hip = _mix(joints["hip"], placed_hip, weight)
    unstretched = _unstretched(joints["hip"], joints["shoulder"], placed_hip, weight)
    joints["hip"] = _mix(unstretched, placed_hip, weight)
    ankle = _planted_ankle(joints["ankle"], height)
    if ankle is None:
        return
    joints["ankle"] = np.tile(ankle, (len(weight), 1))
    # The leg's length is read from the model's hips: the hinge's trunk length runs 9-25% short
    # of the true trunk on generated clips (the outline's hip sits a little high), so hips moved
    # up to it would lengthen the legs and bend every knee in the hinge too far (knee RMSE up by
    # 1-7 degrees per camera position on 30 clips, against 2-3 down this way).
    leg = _leg_length(model_hip, ankle)
    joints["knee"] = _mix(joints["knee"], _knee_between(joints["hip"], ankle, leg), weight)


def _unstretched(
    hip: np.ndarray, shoulder: np.ndarray, placed_hip: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """The model's hip, moved up its shoulder-hip line where that line is longer than the
    median shoulder-to-hip distance of the frames placed wholly from the outline (the trunk
    does not stretch); unchanged when fewer than MIN_HINGE_FRAMES frames give that length."""
    hinge = (
        (weight >= 1.0) & np.isfinite(placed_hip).all(axis=1) & np.isfinite(shoulder).all(axis=1)
    )
    if hinge.sum() < MIN_HINGE_FRAMES:
        return hip
    trunk = float(np.median(np.hypot(*(shoulder[hinge] - placed_hip[hinge]).T)))
    along = hip - shoulder
    length = np.hypot(along[:, 0], along[:, 1])
    stretched = np.isfinite(length) & (length > trunk)
    out = hip.copy()
    out[stretched] = shoulder[stretched] + along[stretched] * (trunk / length[stretched])[:, None]
    return out


def _mix(landmark: np.ndarray, placed: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """`weight` of `placed` and the rest of `landmark`, per frame, where `placed` is known."""
    out = landmark.copy()
    use = (weight > 0) & np.isfinite(placed).all(axis=1)
    w = weight[use, None]
    out[use] = w * placed[use] + (1.0 - w) * landmark[use]
    return out


def _planted_ankle(ankle: np.ndarray, height: float) -> np.ndarray | None:
    """Where the feet stand (the median forward position, a low percentile of the height), or
    None when they move about (walking into the picture, stepping)."""
    x = ankle[:, 0][np.isfinite(ankle[:, 0])]
    if not x.size or np.mean(np.abs(x - np.median(x)) < PLANTED_REACH * height) < PLANTED_SHARE:
        return None
    return np.array([np.median(x), np.nanpercentile(ankle[:, 1], ANKLE_HEIGHT_PERCENTILE)])


def _leg_length(hip: np.ndarray, ankle: np.ndarray) -> float:
    """The hip-ankle reach at LEG_PERCENTILE (the legs straight at lockout); NaN when unknown."""
    reach = np.hypot(*(hip - ankle).T)
    return float(np.nanpercentile(reach, LEG_PERCENTILE)) if np.isfinite(reach).any() else np.nan


def _knee_between(hip: np.ndarray, ankle: np.ndarray, leg: float) -> np.ndarray:
    """The knee of a two-segment leg of equal halves, `leg` long, from `ankle` to each `hip`,
    bent forwards; a longer reach straightens the leg."""
    if not np.isfinite(leg):
        return np.full_like(hip, np.nan)
    along = hip - ankle
    reach = np.hypot(along[:, 0], along[:, 1])
    half = leg / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = along / reach[:, None]
        bend = np.sqrt(np.clip(half**2 - (np.minimum(reach, 2 * half) / 2) ** 2, 0.0, None))
    forward = np.stack([unit[:, 1], -unit[:, 0]], axis=1)
    forward[forward[:, 0] < 0] *= -1.0
    return ankle + unit * (np.minimum(reach, 2 * half) / 2)[:, None] + forward * bend[:, None]


def _outline_trunk(
    series: PoseSeries, side: Side, max_gap_s: float, shoulder: np.ndarray, rear: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(trunk angle, hip) as the outline sees them: the mean of the line from the back of the
    hips to the shoulder and the back's own line (the first alone when the series has no back
    line), and the point on it at the median shoulder-to-back-of-hips distance."""
    trunk = _direction(shoulder - rear)
    back = series.back_line_deg
    if back is not None and np.isfinite(back).any():
        radians = np.radians(back)
        lifter = np.degrees(np.arctan2(np.sin(radians), side.facing * np.cos(radians)))
        window = max(3, int(round(BACK_LINE_WINDOW_S * series.fps)) | 1)
        lifter = despike(lifter, window, BACK_LINE_SPIKE_DEG)
        back_trunk, _ = clean_track(lifter, series.fps, max_gap_s)
        trunk = (trunk + back_trunk) / 2
    reach = float(np.nanmedian(np.hypot(*(shoulder - rear).T)))
    unit = np.stack([np.cos(np.radians(trunk)), np.sin(np.radians(trunk))], axis=1)
    return trunk, shoulder - reach * unit


def _rear(series: PoseSeries, side: Side, max_gap_s: float) -> np.ndarray | None:
    if series.rear_of_hips is None or not np.isfinite(series.rear_of_hips).any():
        return None
    return _to_lifter(series.rear_of_hips, side.facing, series.fps, max_gap_s)[0]


def _sagitta(series: PoseSeries, max_gap_s: float) -> np.ndarray | None:
    if series.back_sagitta is None or not np.isfinite(series.back_sagitta).any():
        return None
    track, _ = clean_track(series.back_sagitta, series.fps, max_gap_s)
    return track


def sample(track: np.ndarray, t: float, times: np.ndarray) -> float:
    """A track's value at time t, linearly interpolated between frames (NaN if unknown)."""
    if track.ndim != 1:
        raise ValueError("sample() takes a 1-D track")
    i = int(np.searchsorted(times, t))
    if i <= 0:
        return float(track[0])
    if i >= len(times):
        return float(track[-1])
    w = (t - times[i - 1]) / (times[i] - times[i - 1])
    return float(track[i - 1] * (1 - w) + track[i] * w)


def back_bend_deg(sagitta: np.ndarray) -> np.ndarray:
    """The bend angle of a circular arc with this sagitta-to-chord ratio (inverse of the model),
    element by element."""
    return np.degrees(4 * np.arctan(2 * np.asarray(sagitta, dtype=float)))
