"""Landmark sequences of movements that are NOT deadlifts: walking past the camera, arm raises.

The analysis must answer "no deadlift found" on these instead of inventing reps from leg
swings or arm movements (layer 3 of the validation, reproduced without a video).
"""

from __future__ import annotations

import numpy as np

from backcheck.formcheck.bodymodel import HEIGHT_M, LATERAL, project, segment
from backcheck.formcheck.series import N_LANDMARKS, PoseSeries, validate_series

_PAIRS = {"shoulder": (11, 12), "elbow": (13, 14), "wrist": (15, 16), "hip": (23, 24),
          "knee": (25, 26), "ankle": (27, 28), "heel": (29, 30), "toe": (31, 32)}  # fmt: skip


def _down(deg: float) -> np.ndarray:
    """Unit vector pointing down, swung `deg` forward."""
    r = np.radians(deg)
    return np.array([np.sin(r), -np.cos(r)])


def _body(hip: np.ndarray, legs: list[tuple[float, float]], arms: list[float]) -> np.ndarray:
    """(33, 3) world points of an upright body; legs are (thigh swing, knee flexion) per side."""
    out = np.zeros((N_LANDMARKS, 3))
    shoulder = hip + [0.02, segment("trunk")]
    head = shoulder + [0.0, segment("head")]
    for side, sign in ((0, 1.0), (1, -1.0)):
        thigh, flexion = legs[side]
        knee = hip + segment("thigh") * _down(thigh)
        ankle = knee + segment("shank") * _down(thigh - flexion)
        elbow = shoulder + segment("upper_arm") * _down(arms[side])
        wrist = shoulder + segment("arm") * _down(arms[side])
        points = {"shoulder": shoulder, "elbow": elbow, "wrist": wrist, "hip": hip, "knee": knee,
                  "ankle": ankle, "heel": ankle + [-segment("heel"), -0.05],
                  "toe": ankle + [segment("toe"), -0.05]}  # fmt: skip
        for name, pair in _PAIRS.items():
            out[pair[side]] = [*points[name], sign * LATERAL[name]]
        for idx in (17 + side, 19 + side, 21 + side):
            out[idx] = [*(wrist + 0.05 * _down(arms[side])), sign * LATERAL["wrist"]]
    for i in range(11):
        out[i] = [*(head + [0.08 if i else 0.1, 0.0]), 0.0]
    return out


def _series(world: np.ndarray, fps: float, noise_px: float, seed: int) -> PoseSeries:
    width, height = 960, 540
    scale = 420.0 / HEIGHT_M
    xy = project(world, scale, (width * 0.5, height * 0.92), 0.0, 1)
    rng = np.random.default_rng(seed)
    if noise_px > 0:
        xy = xy + rng.normal(0.0, noise_px, xy.shape)
    n = len(world)
    vis = np.full((n, N_LANDMARKS), 0.9)
    series = PoseSeries(fps=fps, width=width, height=height, xy=xy, visibility=vis,
                        times=np.arange(n) / fps, frames_decoded=n, source="synthetic")  # fmt: skip
    return validate_series(series)


def generate_walking(seconds: float = 6.0, fps: float = 30.0, noise_px: float = 0.0,
                     seed: int = 0) -> PoseSeries:  # fmt: skip
    """A person walking across a side-on camera: legs and arms swinging, trunk upright."""
    frames = []
    omega = 2 * np.pi / 1.1  # one stride every 1.1 s
    for t in np.arange(int(seconds * fps)) / fps:
        hip = np.array([-1.4 + 0.5 * t, 0.91 + 0.02 * np.cos(2 * omega * t)])
        legs, arms = [], []
        for phase in (0.0, np.pi):
            swing = np.sin(omega * t + phase)
            legs.append((22.0 * swing, 5.0 + 45.0 * max(0.0, np.cos(omega * t + phase))))
            arms.append(-20.0 * swing)
        frames.append(_body(hip, legs, arms))
    return _series(np.array(frames), fps, noise_px, seed)


def generate_arm_raises(raises: int = 5, fps: float = 30.0, noise_px: float = 0.0,
                        seed: int = 0) -> PoseSeries:  # fmt: skip
    """A person standing still and raising both straight arms to overhead `raises` times."""
    period = 2.5
    frames = []
    for t in np.arange(int((raises * period + 1.0) * fps)) / fps:
        lift = 165.0 * np.sin(np.pi * min(t / period, raises) % 1.0) ** 2
        frames.append(_body(np.array([0.0, 0.93]), [(0.0, 0.0), (0.0, 0.0)], [lift, lift]))
    return _series(np.array(frames), fps, noise_px, seed)
