"""The bar path from the plate: circle detection near the hands, then tracking.

A standard plate is 450 mm across, so once found it both marks the bar (its centre) and gives
the picture a scale in centimetres. Circles are only looked for where a plate can be: centred
near the lifter's wrists (the hands hold the bar that runs through the plate), not above them,
and about as big as a plate is next to a trunk. A track that is seen on too few frames, or
whose size jumps around, is thrown away rather than drawn: the wrist then stands in for the bar.

The tracker also decides what the pose model sees (`pose_view`). Filmed square to the side, the
near plate is a dark disc over the knees and shins, with the far plate hidden behind it, and the
model reads the disc as the lifter's legs and pelvis: the hip slides towards it. Painted over in
the colour around it, the legs there are simply missing, which the model copes with far better.
On 6 generated side-on clips (3 cut-outs x 2 seeds, 720p) trunk / hip RMSE went from 20.1 / 40.3
to 7.9 / 17.4 degrees, 2 short rep counts became exact, and hips rising early went from 67% of
faulty and 50% of clean reps to 83% and 0%. With the camera turned 20 degrees off the side the
far plate shows beside the near one and the model reads that disc as legs instead; painting only
the near one there helped some clips and hurt others (two short counts; false hips-rise flags on
clean reps from 33% to 75% with the camera towards the front), so once a second plate has been
seen beside the first, frames go to the model as they are, and painting only starts once the
plate has shown alone for a while (the turned clips' results are then unchanged, 18 of 18).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import cv2
import numpy as np

from backcheck.formcheck import series as S

PLATE_DIAMETER_M = 0.45
RADIUS_PER_TRUNK = (0.28, 0.8)  # plate radius / shoulder-hip length, any build or camera angle
WORK_RADIUS_PX = 28.0  # circles are searched on a crop scaled so a plate is about this big
MIN_SEEN_FRACTION = 0.3  # of the frames with a pose
MAX_GAP_S = 0.5  # gaps in the track shorter than this are interpolated
WIDE_SEARCH_EVERY = 3  # frames between searches from hands to feet while no plate is tracked
# The bar is in the hands, so the plate's centre is at or below them; the model's wrists, when
# the plate hides them, drift up the arm, which only puts the plate further below. On generated
# clips the plate centre sat 0.0-0.7 trunk lengths below the model's wrists; a round buttock or
# thigh outline that was taken for a plate (no plate drawn) sat 0.2-0.6 above them.
MAX_ABOVE_HANDS = 0.1  # trunk lengths
HIDE_GROW = 1.05  # the painted disc is this much bigger than the plate (its rim, blur)
RING = (1.05, 1.3)  # the colour to paint with: the median of this ring around the plate
FAR_REACH = 5.5  # plate radii either side of the near plate searched for the far one
# The far plate is about 1.1 m further from the camera than the near one: from 3-4 m it looks
# 0.7-0.8 times as big (the generated clips draw both the same size).
FAR_RADIUS = (0.6, 1.15)  # of the near plate's radius
FAR_CHECK_EVERY = 3  # frames between looks for the far plate (1.4 ms a look at 960x540)
# Frames with the plate and no far plate beside it, each looked at, before painting starts.
# Turned 20 degrees towards the back, legs hide the far plate on many frames (it was found on
# 27-67% of them): 15 misses in a row then have about a 1% chance, and a switch between painted
# and unpainted frames in the middle of a rep would read as a jump in the trunk angle.
FAR_CONFIRM = 15
Hit = tuple[np.ndarray, float]  # a plate's centre (x, y) and radius, in frame pixels


class Missing(Enum):
    """`PlateTracker.update` was not handed a near search: it does its own."""

    MISSING = "missing"


MISSING = Missing.MISSING


def _trunk_length(xy: np.ndarray) -> float:
    shoulders = xy[[S.L_SHOULDER, S.R_SHOULDER]].mean(axis=0)
    hips = xy[[S.L_HIP, S.R_HIP]].mean(axis=0)
    return float(np.hypot(*(shoulders - hips)))


def _circles(rgb: np.ndarray, box: tuple[float, float, float, float], r_min: float,
             r_max: float, min_dist: float, perfectness: float) -> np.ndarray | None:  # fmt: skip
    """Circles (k, 3: x, y, radius in frame pixels, strongest first) with radius in [r_min,
    r_max] inside `box` (x0, y0, x1, y1), searched on a crop scaled so a plate is about
    WORK_RADIUS_PX across; None when the box is too small or nothing round is there."""
    h, w = rgb.shape[:2]
    x0, y0 = int(max(0, box[0])), int(max(0, box[1]))
    x1, y1 = int(min(w, box[2])), int(min(h, box[3]))
    if x1 - x0 < 2 * r_min or y1 - y0 < 2 * r_min:
        return None
    scale = min(1.0, WORK_RADIUS_PX / r_min)
    gray = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    crop = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    crop = cv2.medianBlur(crop, 5)
    circles = cv2.HoughCircles(
        crop, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=min_dist * scale, param1=120,
        param2=perfectness, minRadius=int(r_min * scale), maxRadius=int(r_max * scale) + 1,
    )  # fmt: skip
    return None if circles is None else circles.reshape(-1, 3) / scale + [x0, y0, 0]


def find_plate(
    rgb: np.ndarray, near: np.ndarray, r_min: float, r_max: float, reach: float
) -> tuple[np.ndarray, float] | None:
    """The strongest circle with radius in [r_min, r_max] centred within `reach` of `near`."""
    half = reach + r_max * 1.2
    box = (near[0] - half, near[1] - half, near[0] + half, near[1] + half)
    found = _circles(rgb, box, r_min, r_max, min_dist=r_min, perfectness=0.75)
    if found is None:
        return None
    dist = np.hypot(found[:, 0] - near[0], found[:, 1] - near[1])
    close = np.flatnonzero(dist <= reach)
    if not close.size:
        return None
    best = int(close[0])  # the strongest circle: the near plate, whole, in front of the lifter
    return found[best, :2], float(found[best, 2])


@dataclass
class PlateTracker:
    """Feed frames and landmarks in order; `result()` gives the bar path and plate radius."""

    centres: list[np.ndarray] = field(default_factory=list)
    radii: list[float] = field(default_factory=list)
    _last: tuple[np.ndarray, float] | None = None
    _misses: int = 0  # frames since the plate was last seen
    far_plate_seen: bool = False  # a second plate beside the first: the camera is turned
    _single_plate_looks: int = 0  # looks for the far plate that found none

    def update(
        self, rgb: np.ndarray, xy: np.ndarray | None, near: Hit | None | Missing = MISSING
    ) -> Hit | None:
        """Look for the plate in this frame (NaN when not seen); return it when found.

        `xy` may be the previous frame's landmarks: they only say roughly where to look.
        `near` is `near_search(rgb)` when already done (the pipeline runs it on a thread while
        the pose model works on the frame before); the answer is the same either way.
        """
        if near is MISSING:
            near = self.near_search(rgb)
        hit = near or self._wide_search(rgb, xy)
        self._last = hit or self._last
        self._misses = 0 if hit else self._misses + 1
        self.centres.append(hit[0] if hit else np.full(2, np.nan))
        self.radii.append(hit[1] if hit else float("nan"))
        confirming = self._single_plate_looks < FAR_CONFIRM
        if (
            hit
            and not self.far_plate_seen
            and (confirming or len(self.radii) % FAR_CHECK_EVERY == 0)
        ):
            self.far_plate_seen = find_far_plate(rgb, *hit) is not None
            self._single_plate_looks += not self.far_plate_seen
        return hit

    def pose_view(self, rgb: np.ndarray) -> np.ndarray:
        """The frame last passed to `update`, as the pose model should see it: the plate found
        in it painted out once only one plate has been seen on FAR_CONFIRM frames (camera square
        to the side), and never after a second plate has shown beside it; else as it is."""
        radius = self.radii[-1] if self.radii else float("nan")
        if np.isnan(radius) or self.far_plate_seen or self._single_plate_looks < FAR_CONFIRM:
            return rgb
        return hide_plate(rgb, self.centres[-1], radius)

    def near_search(self, rgb: np.ndarray) -> Hit | None:
        """The plate close to where it was last seen, about as big (reads state, changes none)."""
        if self._last is None:
            return None
        centre, radius = self._last
        return find_plate(rgb, centre, 0.85 * radius, 1.15 * radius, 0.6 * radius)

    def _wide_search(self, rgb: np.ndarray, xy: np.ndarray | None) -> Hit | None:
        """The plate anywhere from the hands to the feet (every few frames while it is lost)."""
        if xy is None or self._misses % WIDE_SEARCH_EVERY:
            return None  # the wide search is the costly one: not on every frame
        # The bar hangs from the hands; when the near plate hides the hands, the model's wrists
        # wander, so the search spans from the wrists down to the feet (the bar at the floor).
        hands = np.nanmean(xy[[S.L_WRIST, S.R_WRIST]], axis=0)
        feet = np.nanmean(xy[[S.L_ANKLE, S.R_ANKLE]], axis=0)
        trunk = _trunk_length(xy)
        if not (np.all(np.isfinite(hands)) and np.all(np.isfinite(feet))) or not trunk >= 10:
            return None
        lo, hi = RADIUS_PER_TRUNK[0] * trunk, RADIUS_PER_TRUNK[1] * trunk
        reach = float(np.hypot(*(hands - feet))) / 2 + 0.5 * trunk
        hit = find_plate(rgb, (hands + feet) / 2, lo, hi, reach=reach)
        if hit is not None and hit[0][1] < hands[1] - MAX_ABOVE_HANDS * trunk:
            return None  # above the hands: not the plate on the bar they hold
        return hit

    def result(self, fps: float, frames_with_pose: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(bar (n, 2), radius (n,)) with short gaps filled, or None if there is no real track."""
        if not self.centres:
            return None
        centres, radii = np.array(self.centres), np.array(self.radii)
        seen = np.isfinite(radii)
        if seen.sum() < max(3, MIN_SEEN_FRACTION * frames_with_pose):
            return None
        median = float(np.median(radii[seen]))
        steady = seen & (np.abs(radii / median - 1.0) < 0.2)
        if steady.sum() < 0.8 * seen.sum():
            return None  # a radius that jumps around is not one plate
        centres[~steady], radii[~steady] = np.nan, np.nan
        return _fill_gaps(centres, int(MAX_GAP_S * fps)), _fill_gaps(
            radii[:, None], int(MAX_GAP_S * fps)
        )[:, 0]


def find_far_plate(rgb: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray | None:
    """Centre of another plate at the bar's height beside the near one, as big or somewhat
    smaller (`FAR_RADIUS`): the far plate, seen when the camera is turned off the side; or None.
    Legs hide part of it, so a less perfect circle counts than for the near plate."""
    reach = FAR_REACH * radius
    box = (centre[0] - reach, centre[1] - 1.3 * radius, centre[0] + reach, centre[1] + 1.3 * radius)
    found = _circles(rgb, box, FAR_RADIUS[0] * radius, FAR_RADIUS[1] * radius,
                     min_dist=0.5 * radius, perfectness=0.6)  # fmt: skip
    if found is None:
        return None
    beside = (np.abs(found[:, 0] - centre[0]) > 0.5 * radius) & (
        np.abs(found[:, 1] - centre[1]) < 0.15 * radius
    )
    return found[beside][0, :2] if beside.any() else None


def hide_plate(rgb: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """A copy of the frame with the plate's disc painted in the median colour around it."""
    h, w = rgb.shape[:2]
    outer = RING[1] * radius
    x0, y0 = int(max(0, centre[0] - outer)), int(max(0, centre[1] - outer))
    x1, y1 = int(min(w, centre[0] + outer + 1)), int(min(h, centre[1] + outer + 1))
    crop = rgb[y0:y1, x0:x1]
    yy, xx = np.ogrid[y0:y1, x0:x1]
    dist = np.hypot(xx - centre[0], yy - centre[1])
    ring = crop[(dist > RING[0] * radius) & (dist < outer)]
    if not len(ring):
        return rgb
    out = rgb.copy()
    colour = tuple(int(c) for c in np.median(ring, axis=0))
    cv2.circle(out, (int(round(centre[0])), int(round(centre[1]))),
               int(round(HIDE_GROW * radius)), colour, -1)  # fmt: skip
    return out


def _fill_gaps(values: np.ndarray, max_gap: int) -> np.ndarray:
    """Linear interpolation over interior NaN runs no longer than `max_gap` frames."""
    out = values.copy()
    known = np.flatnonzero(np.isfinite(values[:, 0]))
    for a, b in zip(known[:-1], known[1:], strict=True):
        if 1 < b - a <= max_gap + 1:
            w = np.linspace(0, 1, b - a + 1)[1:-1, None]
            out[a + 1 : b] = values[a] * (1 - w) + values[b] * w
    return out
