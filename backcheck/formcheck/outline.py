"""The back's outline from the segmentation mask: its sagitta, and the back of the hips.

Pose landmarks have no spine points, so a rounded back is invisible in them. The segmentation
mask is not: between the shoulder and the hip, the edge of the person on the back side is a
nearly straight line in a neutral back and an arc when the back rounds. We sample that edge
along the shoulder-hip axis, fit a smooth curve to it and report how far the curve's middle
stands off its chord (positive when it bulges backwards, negative when hollow), divided by the
shoulder-hip length so it does not depend on how far the camera stands.

The mask also holds the hips when the landmarks lose them. At the set position of a deadlift the
near plate covers the knees and shins, and the pose model reads the hip too far forward and too
low (on generated clips turned 20 degrees off the side: the set-up trunk 10-29 degrees too
upright). The buttocks stay in view above the plate, and in a hip hinge they are the body's
rearmost point: `rear_of_hips` finds it (see there). Above them the back's edge runs along the
trunk: `back_line_deg` fits a line to it.
"""

from __future__ import annotations

import numpy as np

from backcheck.formcheck import series as S

SAMPLES = 15  # edge points between 15% and 85% of the way from hip to shoulder
MIN_POINTS = SAMPLES * 2 // 3
MASK_LEVEL = 0.5
REACH = 1.0  # trunk lengths behind the shoulder-hip axis that a ray looks for the back's edge
OUTLIER_FRACTION = 0.04  # edge points this far (in trunk lengths) off the fitted curve are dropped
ROUGH_FRACTION = 0.03  # an outline further than this from a smooth curve is not measured
# The back of the hips lies at most this many trunk lengths behind the hip landmark, misread or
# not: on 30 generated clips the points found lay a median 0.33 behind it, 0.64 at the 99th
# percentile, up to 0.9 side-on where the model reads the hip forward onto the painted plate.
REAR_REACH = 0.9
# The back's line is fitted to its edge between these fractions of the way from the back of the
# hips to the shoulder: above the buttocks' curve, below the shoulder blades and the arms.
BACK_LINE_SPAN = (0.3, 0.7)
BACK_LINE_RAYS = 9
BACK_LINE_MIN_POINTS = 5


def _mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    return (xy[a] + xy[b]) / 2


def _facing(xy: np.ndarray) -> float:
    """+1 when the toes point right in the picture, -1 left, NaN when the feet are unknown."""
    toes = _mid(xy, S.L_FOOT, S.R_FOOT)[0] - _mid(xy, S.L_HEEL, S.R_HEEL)[0]
    return float(np.sign(toes) or 1.0) if np.isfinite(toes) else float("nan")


def rear_of_hips(mask: np.ndarray | None, xy: np.ndarray, bottom_y: float) -> np.ndarray:
    """The back of the hips (x, y) in pixels: the person's rearmost point between shoulder
    height and `bottom_y` (the plate's top edge, or the knees when there is no plate); NaN when
    it cannot be measured.

    In a hip hinge the buttocks are the rearmost part of the body, and they wrap round the hip
    joint, so this point keeps about the same place relative to the hip while the pelvis tips
    and moves with it. The shoulder-to-this-point line is then the trunk as the mask sees it,
    offset from the shoulder-hip line by the buttocks' depth, and it turns much as the trunk
    turns (on generated clips with the hip landmark misread under the plate, its turn from the
    set position to knee passage told faulty reps from clean ones with an area under the curve
    of 0.97-1.00 against 0.60-0.76 for the landmarks); on rounded buttocks the point slides as
    the thighs swing, which `back_line_deg` makes up for. Standing, the upper back can be further
    back than the buttocks, so the analysis uses it for the hinge only.

    No point when the rearmost column touches the picture's edge (the body runs out of frame) or
    lies more than REAR_REACH trunk lengths behind the hip landmark (the mask spilled onto
    something behind the lifter).
    """
    if mask is None:
        return np.full(2, np.nan)
    hip, shoulder = _mid(xy, S.L_HIP, S.R_HIP), _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    facing = _facing(xy)
    if not (np.all(np.isfinite(hip)) and np.all(np.isfinite(shoulder)) and np.isfinite(facing)
            and np.isfinite(bottom_y)):  # fmt: skip
        return np.full(2, np.nan)
    h, w = mask.shape
    top, bottom = max(int(shoulder[1]), 0), min(int(bottom_y), h)
    if bottom - top < 2:
        return np.full(2, np.nan)
    band = mask[top:bottom] >= MASK_LEVEL
    columns = np.flatnonzero(band.any(axis=0))
    if not columns.size:
        return np.full(2, np.nan)
    x = int(columns[0] if facing > 0 else columns[-1])
    trunk = float(np.hypot(*(shoulder - hip)))
    if x in (0, w - 1) or facing * (hip[0] - x) > REAR_REACH * trunk:
        return np.full(2, np.nan)
    return np.array([x, top + float(np.flatnonzero(band[:, x]).mean())])


def back_line_deg(mask: np.ndarray | None, xy: np.ndarray, rear: np.ndarray) -> float:
    """Direction of the back's edge, from its lower end towards the shoulder, in degrees
    counter-clockwise from the picture's +x axis with y pointing up; NaN when not measurable.

    The line from the back of the hips to the shoulder turns with the trunk only as long as that
    point stays put on the pelvis; on rounded buttocks it slides as the thighs swing (on one
    generated body it rose 15-19 px less than the hip, of 53-71, from the set position to knee
    passage). The back's own edge, above the buttocks, belongs to the trunk alone. Rays cross the
    line from `rear` to the shoulder at BACK_LINE_SPAN of its length; on each, the outermost exit
    from the body is an edge point; a line is fitted to them and points far off it (a hand, a
    fold of cloth) are dropped and the fit repeated.
    """
    shoulder = _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    facing = _facing(xy)
    if mask is None or not (np.all(np.isfinite(rear)) and np.all(np.isfinite(shoulder))
                            and np.isfinite(facing)):  # fmt: skip
        return float("nan")
    axis = shoulder - rear
    length = float(np.hypot(*axis))
    if length < 4:
        return float("nan")
    normal = _out_of_back(axis, facing)
    steps = np.arange(-0.3 * length, 0.5 * length, 1.0)
    starts = rear + np.linspace(*BACK_LINE_SPAN, BACK_LINE_RAYS)[:, None] * axis
    rays, inside, body = _cast(mask, starts, normal, steps)
    leaves = body[:, :-1] & ~body[:, 1:]
    last_exit = leaves.shape[1] - leaves[:, ::-1].argmax(axis=1)  # first step outside
    which = np.arange(BACK_LINE_RAYS)
    # The ray must end outside the body (else the mask spilled), its exit in the picture.
    ok = leaves.any(axis=1) & ~body[:, -1] & inside[which, last_exit]
    points = rays[which, last_exit][ok]
    keep = np.ones(len(points), dtype=bool)
    for _ in range(2):
        if keep.sum() < BACK_LINE_MIN_POINTS:
            return float("nan")
        centre = points[keep].mean(axis=0)
        direction = np.linalg.svd(points[keep] - centre)[2][0]
        off = np.abs((points - centre) @ np.array([-direction[1], direction[0]]))
        keep = off <= max(3.0, 2.5 * float(np.median(off[keep])))
    if keep.sum() < BACK_LINE_MIN_POINTS:
        return float("nan")
    direction = direction if direction @ axis > 0 else -direction
    return float(np.degrees(np.arctan2(-direction[1], direction[0])))


def back_normal(xy: np.ndarray) -> np.ndarray | None:
    """Unit normal to the trunk pointing out of the back (away from the toes, and upwards)."""
    hip, shoulder = _mid(xy, S.L_HIP, S.R_HIP), _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    axis = shoulder - hip
    facing = _facing(xy)
    if not (np.all(np.isfinite(axis)) and np.isfinite(facing)) or np.hypot(*axis) < 1:
        return None
    return _out_of_back(axis, facing)


def _out_of_back(axis: np.ndarray, facing: float) -> np.ndarray:
    """Unit normal to a trunk `axis` (any length over 0) on the back's side: away from the toes
    and upwards."""
    normal = np.array([-axis[1], axis[0]]) / np.hypot(*axis)
    return normal if normal @ np.array([-facing, -1.0]) > 0 else -normal


def _dorsal_edge(mask: np.ndarray, xy: np.ndarray, normal: np.ndarray) -> np.ndarray | None:
    """Points (k, 2) of the back's edge between hip and shoulder, or None if not measurable.

    Each ray runs across the trunk axis from a little in front of it (the model's hip can sit
    outside the belly in a hinge) to a trunk length behind it (a hip landmark pulled forward by a
    plate puts the buttocks far behind the axis); the edge is where the ray, having been inside
    the body, leaves it. A ray that never leaves the body (the mask spills into a plate or the
    background) or leaves the picture first gives no point; too few points give None.
    """
    hip, shoulder = _mid(xy, S.L_HIP, S.R_HIP), _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    length = float(np.hypot(*(shoulder - hip)))
    if length < 4:
        return None
    steps = np.arange(-0.25 * length, REACH * length, 1.0)
    starts = hip + np.linspace(0.15, 0.85, SAMPLES)[:, None] * (shoulder - hip)
    rays, inside, body = _cast(mask, starts, normal, steps)
    near_axis = body[:, : int(0.5 * length)]  # no body here: a hole or a bad landmark
    first_in = near_axis.argmax(axis=1)
    after = ~body & (np.arange(len(steps)) >= first_in[:, None])
    exit_at = after.argmax(axis=1)
    which = np.arange(SAMPLES)
    # No edge within reach (the mask spills over), or the body runs out of the picture first.
    ok = near_axis.any(axis=1) & after.any(axis=1) & inside[which, exit_at]
    points = rays[which, exit_at][ok]
    return points if len(points) >= MIN_POINTS else None


def _cast(mask: np.ndarray, starts: np.ndarray, normal: np.ndarray, steps: np.ndarray) -> tuple:
    """Rays from each of `starts` along `normal`, one pixel a step: their points (ray, step, xy),
    which points lie in the picture, and which of those are on the person."""
    h, w = mask.shape
    rays = starts[:, None, :] + steps[None, :, None] * normal
    cols, rows = np.rint(rays[..., 0]).astype(int), np.rint(rays[..., 1]).astype(int)
    inside = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    body = np.zeros(inside.shape, dtype=bool)
    body[inside] = mask[rows[inside], cols[inside]] >= MASK_LEVEL
    return rays, inside, body


def back_sagitta(mask: np.ndarray | None, xy: np.ndarray) -> float:
    """Sagitta of the dorsal edge over the shoulder-hip length; NaN when it cannot be measured.

    A parabola is fitted to the edge in the frame of its chord, points far off it (an arm, hair
    or a plate touching the back) are dropped once and the fit repeated; an outline that still
    does not follow a smooth curve gives NaN rather than a number that would read as rounding.
    """
    if mask is None or not np.all(np.isfinite(xy[[S.L_SHOULDER, S.R_SHOULDER, S.L_HIP, S.R_HIP]])):
        return float("nan")
    normal = back_normal(xy)
    edge = None if normal is None else _dorsal_edge(mask, xy, normal)
    if edge is None or normal is None:
        return float("nan")
    trunk = float(np.hypot(*(_mid(xy, S.L_SHOULDER, S.R_SHOULDER) - _mid(xy, S.L_HIP, S.R_HIP))))
    chord = edge[-1] - edge[0]
    span = float(np.hypot(*chord))
    if span < 0.3 * trunk:
        return float("nan")
    along = (edge - edge[0]) @ (chord / span)
    perp = np.array([-chord[1], chord[0]]) / span
    perp = perp if perp @ normal > 0 else -perp
    offsets = (edge - edge[0]) @ perp
    keep = np.ones(len(edge), dtype=bool)
    for _ in range(2):
        if keep.sum() < MIN_POINTS:
            return float("nan")
        coef = _quadratic_fit(along[keep], offsets[keep])
        residual = np.abs(offsets - np.polyval(coef, along))
        keep = residual <= max(OUTLIER_FRACTION * trunk, 3.0 * float(np.median(residual[keep])))
    if float(np.sqrt(np.mean(residual[keep] ** 2))) > ROUGH_FRACTION * trunk:
        return float("nan")
    lo, hi = float(along[keep].min()), float(along[keep].max())
    middle = np.polyval(coef, (lo + hi) / 2)
    ends = (np.polyval(coef, lo) + np.polyval(coef, hi)) / 2
    return float(middle - ends) / trunk


def _quadratic_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares parabola (highest power first, as `np.polyval` takes it); x is centred and
    scaled first so the normal equations stay well conditioned."""
    mid, half = float(x.mean()), max(float(np.ptp(x)) / 2, 1e-9)
    u = (x - mid) / half
    a = np.stack([u * u, u, np.ones_like(u)], axis=1)
    c2, c1, c0 = np.linalg.solve(a.T @ a, a.T @ y)
    # Back from u = (x - mid) / half to x.
    return np.array([c2 / half**2, c1 / half - 2 * c2 * mid / half**2,
                     c0 - c1 * mid / half + c2 * mid**2 / half**2])  # fmt: skip
