"""The body the kinematic models move: segment lengths, landmark layout, and the camera.

Segment lengths are Winter's anthropometric fractions of body height; paired landmarks sit at
lateral offsets from the mid-plane, so a camera turned off the side sees left and right apart
(and the near shoulder, wider than the hip, shifts against it) as a real camera does.
"""

from __future__ import annotations

import numpy as np

from backcheck.formcheck.series import N_LANDMARKS

HEIGHT_M = 1.75
FRACTIONS = {  # Winter (2009) segment fractions of body height
    "ankle_h": 0.039, "shank": 0.246, "thigh": 0.245, "trunk": 0.288, "arm": 0.333,
    "upper_arm": 0.186, "grip": 0.034, "head": 0.13, "heel": 0.04, "toe": 0.11,
}  # fmt: skip
# Lateral offsets (m, + towards the camera for the left side) of paired landmarks.
LATERAL = {"shoulder": 0.19, "elbow": 0.21, "wrist": 0.23, "hip": 0.09, "knee": 0.09,
           "ankle": 0.1, "heel": 0.1, "toe": 0.1, "head": 0.04}  # fmt: skip


UPPER_ARM_SHARE = FRACTIONS["upper_arm"] / FRACTIONS["arm"]


def segment(name: str) -> float:
    """A segment length (m) of the model's 1.75 m body."""
    return FRACTIONS[name] * HEIGHT_M


def world_landmarks(p: dict, near_left: bool) -> np.ndarray:
    """(33, 3) world points (x forward, y up, z towards the camera) of a pose."""
    out = np.zeros((N_LANDMARKS, 3))
    d = p["shoulder"] - p["hip"]
    up = d / np.linalg.norm(d)
    fwd = np.array([up[1], -up[0]])
    wrist = p["bar"] + [0.0, segment("grip")]
    head = p["shoulder"] + segment("head") * up
    ankle = p["ankle"]
    pts = {
        "shoulder": p["shoulder"], "hip": p["hip"], "knee": p["knee"], "ankle": ankle,
        "wrist": wrist,
        "elbow": p["shoulder"] + (wrist - p["shoulder"]) * UPPER_ARM_SHARE,
        "heel": ankle + [-segment("heel"), -0.7 * segment("ankle_h")],
        "toe": ankle + [segment("toe"), -0.7 * segment("ankle_h")],
    }  # fmt: skip
    pairs = {"shoulder": (11, 12), "elbow": (13, 14), "wrist": (15, 16), "hip": (23, 24),
             "knee": (25, 26), "ankle": (27, 28), "heel": (29, 30), "toe": (31, 32)}  # fmt: skip
    sign = 1.0 if near_left else -1.0
    for name, (left, right) in pairs.items():
        z = LATERAL[name] * sign
        out[left] = [*pts[name], z]
        out[right] = [*pts[name], -z]
    for left, right in ((17, 18), (19, 20), (21, 22)):  # pinky, index, thumb around the bar
        out[left] = [*(p["bar"] + 0.02 * fwd), LATERAL["wrist"] * sign]
        out[right] = [*(p["bar"] + 0.02 * fwd), -LATERAL["wrist"] * sign]
    nose = head + 0.06 * fwd
    out[0] = [*nose, 0.0]
    for i in range(1, 11):
        side = 1.0 if i in (1, 2, 3, 7, 9) else -1.0
        shift = -0.05 * fwd if i in (7, 8) else 0.02 * up * (i < 7) - 0.03 * up * (i > 8)
        out[i] = [*(nose + shift), LATERAL["head"] * side * sign]
    return out


def project(world: np.ndarray, scale: float, origin: tuple[float, float], yaw: float,
             facing: int) -> np.ndarray:  # fmt: skip
    """Orthographic camera turned `yaw` degrees off the side view."""
    c, s = np.cos(np.radians(yaw)), np.sin(np.radians(yaw))
    x = origin[0] + scale * (facing * world[..., 0] * c + world[..., 2] * s)
    y = origin[1] - scale * world[..., 1]
    return np.stack([x, y], axis=-1)
