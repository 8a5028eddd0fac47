"""The dorsal outline of the trunk from the segmentation mask, as one number: its sagitta.

Pose landmarks have no spine points, so a rounded back is invisible in them. The segmentation
mask is not: between the shoulder and the hip, the edge of the person on the back side is a
nearly straight line in a neutral back and an arc when the back rounds. We sample that edge
along the shoulder-hip axis and report the largest distance of the edge from its chord
(positive when it bulges backwards, negative when hollow), divided by the shoulder-hip length
so it does not depend on how far the camera stands.
"""

from __future__ import annotations

import numpy as np

from backcheck.formcheck import series as S

SAMPLES = 15  # edge points between 15% and 85% of the way from hip to shoulder
MASK_LEVEL = 0.5


def _mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    return xy[[a, b]].mean(axis=0)


def back_normal(xy: np.ndarray) -> np.ndarray | None:
    """Unit normal to the trunk pointing out of the back (away from the toes, and upwards)."""
    hip, shoulder = _mid(xy, S.L_HIP, S.R_HIP), _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    toes = _mid(xy, S.L_FOOT, S.R_FOOT) - _mid(xy, S.L_HEEL, S.R_HEEL)
    axis = shoulder - hip
    if not (np.all(np.isfinite(axis)) and np.isfinite(toes[0])) or np.hypot(*axis) < 1:
        return None
    facing = 1.0 if toes[0] >= 0 else -1.0
    normal = np.array([-axis[1], axis[0]]) / np.hypot(*axis)
    return normal if normal @ np.array([-facing, -1.0]) > 0 else -normal


def dorsal_edge(mask: np.ndarray, xy: np.ndarray) -> np.ndarray | None:
    """Points (k, 2) of the back's edge between hip and shoulder, or None if not measurable."""
    normal = back_normal(xy)
    if normal is None:
        return None
    hip, shoulder = _mid(xy, S.L_HIP, S.R_HIP), _mid(xy, S.L_SHOULDER, S.R_SHOULDER)
    length = float(np.hypot(*(shoulder - hip)))
    h, w = mask.shape
    # From a little in front of the axis (the model's hip can sit outside the belly in a hinge)
    # to well behind it: the edge is where the ray, having been inside the body, leaves it.
    steps = np.arange(-0.25 * length, 0.6 * length, 1.0)
    points = []
    for t in np.linspace(0.15, 0.85, SAMPLES):
        ray = hip + t * (shoulder - hip) + steps[:, None] * normal
        cols = np.round(ray[:, 0]).astype(int)
        rows = np.round(ray[:, 1]).astype(int)
        inside = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
        if not inside.all():
            return None  # the back leaves the picture: no honest measure
        body = mask[rows, cols] >= MASK_LEVEL
        first_in = np.flatnonzero(body[: int(0.5 * length)])
        if not first_in.size:
            continue  # no body near the axis here (a hole or a bad landmark)
        out = np.flatnonzero(~body[first_in[0] :])
        if out.size == 0:
            return None  # no edge within reach: the mask spills over (background merged)
        points.append(ray[first_in[0] + out[0]])
    return np.array(points) if len(points) >= SAMPLES * 2 // 3 else None


def back_sagitta(mask: np.ndarray | None, xy: np.ndarray) -> float:
    """Sagitta of the dorsal edge over the shoulder-hip length; NaN when it cannot be measured."""
    if mask is None or not np.all(np.isfinite(xy[[S.L_SHOULDER, S.R_SHOULDER, S.L_HIP, S.R_HIP]])):
        return float("nan")
    edge = dorsal_edge(mask, xy)
    normal = back_normal(xy)
    if edge is None or normal is None:
        return float("nan")
    chord = edge[-1] - edge[0]
    length = float(np.hypot(*chord))
    if length < 1:
        return float("nan")
    perp = np.array([-chord[1], chord[0]]) / length
    perp = perp if perp @ normal > 0 else -perp
    offsets = (edge - edge[0]) @ perp
    bulge = float(offsets[np.argmax(np.abs(offsets))])  # negative: the outline is hollow
    trunk = float(np.hypot(*(_mid(xy, S.L_SHOULDER, S.R_SHOULDER) - _mid(xy, S.L_HIP, S.R_HIP))))
    return bulge / trunk
