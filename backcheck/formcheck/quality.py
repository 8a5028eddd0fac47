"""Warnings about the footage, each with advice on filming better.

A form check on a dark, frontal or crowded clip produces numbers that look precise and are not.
Each check here measures one way a clip can mislead the analysis, and its warning tells the
lifter how to film the next set so it does not happen again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backcheck.formcheck import series as S
from backcheck.formcheck.series import PoseSeries

# On generated clips with plates, a camera turned 20 degrees towards the lifter's back gave trunk /
# hip / knee RMSE 11 / 16 / 11 degrees against 23 / 18 / 59 towards the front: turned that way, the
# near plate moves in front of the shins and the thighs and knees show.
FILM_TIP = (
    "film from hip height, 3-4 m away, side-on or turned up to 45 degrees towards the lifter's "
    "back, with the whole body and the plates in the picture, in good light"
)
DARK_LUMA = 60.0  # mean 8-bit luma below which landmarks get unreliable
FRONTAL_RATIO = 0.6  # shoulder width / trunk length above this: more than ~50 deg off the side
MIDFOOT_MAX_RATIO = 0.07  # see plate_vs_feet_measurable
SIDE_ON_RATIO = 0.12  # below this the camera is square to the side: the plate hides the knees
EDGE_FRACTION = 0.1  # of pose frames with a limb outside the picture
MIN_POSE_FRACTION = 0.5
_EXTREMITIES = (S.NOSE, S.L_WRIST, S.R_WRIST, S.L_ANKLE, S.R_ANKLE, S.L_FOOT, S.R_FOOT)


@dataclass
class FootageStats:
    """What the pipeline measures on the pixels while it streams (sampled, small)."""

    luma: list[float] = field(default_factory=list)
    other_person: list[bool] = field(default_factory=list)
    bystander_frames: int = 0  # frames where the pose model followed someone else
    camera_turned: bool = False  # a second plate showed beside the first (`PlateTracker`)

    def add_luma(self, rgb: np.ndarray) -> None:
        """Mean brightness of a frame (subsampled: 1 pixel in 64 is plenty)."""
        small = rgb[::8, ::8].astype(np.float32)
        self.luma.append(float((small @ np.array([0.299, 0.587, 0.114], np.float32)).mean()))


def _found(series: PoseSeries) -> np.ndarray:
    return np.any(np.isfinite(series.xy[:, :, 0]), axis=1)


def width_ratio(series: PoseSeries) -> float:
    """Median shoulder width over trunk length in the image: 0 side-on, ~0.75 frontal."""
    xy = series.xy[_found(series)]
    if not len(xy):
        return float("nan")
    width = np.hypot(*(xy[:, S.L_SHOULDER] - xy[:, S.R_SHOULDER]).T)
    mid_s = xy[:, [S.L_SHOULDER, S.R_SHOULDER]].mean(axis=1)
    mid_h = xy[:, [S.L_HIP, S.R_HIP]].mean(axis=1)
    trunk = np.hypot(*(mid_s - mid_h).T)
    return float(np.nanmedian(width / np.maximum(trunk, 1.0)))


def plate_vs_feet_measurable(series: PoseSeries) -> bool:
    """Can the plate's position be compared with the feet's in this footage?

    The near plate hangs about 55 cm out from the lifter's mid-plane and the near foot about 10
    cm: a camera turned off the side shifts one against the other by 45 cm x sin(yaw) (19 cm at
    20 degrees, in either direction). In the body model the shoulder width grows by about 0.013
    trunk lengths a degree, so below MIDFOOT_MAX_RATIO (about 5 degrees) the shift stays under
    4 cm.
    """
    ratio = width_ratio(series)
    return bool(np.isfinite(ratio) and ratio <= MIDFOOT_MAX_RATIO)


def _view_warnings(series: PoseSeries, stats: FootageStats) -> list[str]:
    """Facing the camera, or square to the side with a plate in the way. The far plate showing
    beside the near one says the camera is turned, whatever the shoulders read: a body filmed
    from a little off the side can still show its shoulders edge-on."""
    ratio = width_ratio(series)
    if not np.isfinite(ratio):
        return []
    if ratio > FRONTAL_RATIO:
        return [
            "Camera not side-on: the lifter faces the camera too much for trunk, hip and knee "
            f"angles to be measured (shoulder width {ratio:.2f} of trunk length). Next time "
            f"{FILM_TIP}."
        ]
    if ratio < SIDE_ON_RATIO and series.plate_radius is not None and not stats.camera_turned:
        return [
            "Camera exactly side-on: the near plate hides the hands, shins and knees, so hip and "
            "knee angles can be off by tens of degrees. Move the camera 20-45 degrees towards "
            "the lifter's back, at hip height, so the plate sits in front of the shins."
        ]
    return []


def _occlusion_warnings(series: PoseSeries) -> list[str]:
    """Knees inside the plate disc: the knee angle is a guess on those frames."""
    if series.bar is None or series.plate_radius is None:
        return []
    hidden = np.zeros(series.n_frames, dtype=bool)
    for knee in (S.L_KNEE, S.R_KNEE):
        d = np.hypot(*(series.xy[:, knee] - series.bar).T)
        hidden |= d < series.plate_radius
    seen = np.isfinite(series.plate_radius)
    if seen.sum() and hidden[seen].mean() > 0.2:
        return [
            f"The plate hides a knee on {100 * hidden[seen].mean():.0f}% of the frames with the "
            "plate in view: knee and hip angles there are unreliable. Film 20-45 degrees off the "
            "side, towards the lifter's back, so the knees show beside the plate."
        ]
    return []


def _frame_warnings(series: PoseSeries) -> list[str]:
    found = _found(series)
    out = []
    if series.n_frames and found.mean() < MIN_POSE_FRACTION:
        out.append(
            f"The lifter was found on only {100 * found.mean():.0f}% of the frames: results "
            f"cover part of the set. Next time {FILM_TIP}."
        )
    xy = series.xy[found][:, list(_EXTREMITIES)]
    if len(xy):
        margin = 0.01 * max(series.width, series.height)
        outside = (xy[..., 0] < -margin) | (xy[..., 0] > series.width + margin)
        outside |= (xy[..., 1] < -margin) | (xy[..., 1] > series.height + margin)
        share = float(outside.any(axis=1).mean())
        if share > EDGE_FRACTION:
            out.append(
                f"The lifter is partly out of frame on {100 * share:.0f}% of the frames (head, "
                "hands or feet cut off). Step the camera back so the whole body and the plates "
                "stay in the picture through the lockout."
            )
    return out


def _stats_warnings(stats: FootageStats) -> list[str]:
    out = []
    if stats.luma and float(np.median(stats.luma)) < DARK_LUMA:
        out.append(
            f"The video is too dark (mean brightness {np.median(stats.luma):.0f} of 255): the "
            "pose model misplaces joints in the dark. Turn on the lights or film facing away "
            "from windows."
        )
    if stats.bystander_frames:
        out.append(
            f"On {stats.bystander_frames} frames the pose model followed someone other than the "
            "lifter; those frames were left out. Film with nobody else in the picture."
        )
    if stats.other_person and np.mean(stats.other_person) > 0.3:
        out.append(
            "Several people are in the picture: the analysis follows the person holding the bar "
            "(or, with no plate in view, the one seen longest), who may not be the lifter. Film "
            "when nobody walks behind the lifter, or frame the lifter alone."
        )
    return out


def footage_warnings(series: PoseSeries, stats: FootageStats | None = None) -> list[str]:
    """Every applicable warning, most fundamental first."""
    stats = stats or FootageStats()
    return (
        _frame_warnings(series)
        + _view_warnings(series, stats)
        + _occlusion_warnings(series)
        + _stats_warnings(stats)
    )
