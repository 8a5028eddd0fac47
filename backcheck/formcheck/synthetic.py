"""A kinematic deadlift model: landmark sequences with known reps and known faults.

Layer 1 of the form-check validation. The model is a planar chain (ankle, knee, hip, shoulder,
arms hanging to the bar) driven by the bar height: the bar rises on a minimum-jerk profile, the
trunk angle follows a fault schedule and the knee angle is solved by inverse kinematics so the
feet stay put. Segment lengths are Winter's anthropometric fractions of body height.

Fault parameters (each applied to the reps in `faulty_reps`, default all):

- `hips_rise_early`: DEGREES of trunk inclination lost between lift-off and the moment the bar
  passes the knee (trunk angle to the horizontal drops by this much, the hips rise faster than
  the shoulders). A clean rep keeps the trunk angle constant until the knee. With the bar in
  straight arms and the bar at knee height, the trunk angle at knee passage is set by the body's
  proportions, so a faulty rep starts with the hips LOWER (trunk steeper by this many degrees,
  "squatting the deadlift") and the hips shoot up to the usual knee-passage position.
- `trunk_flexion_deg`: extra spinal flexion during the pull, expressed as the bend of a circular
  arc from hip to shoulder; it sets `back_sagitta` (sagitta / chord = tan(angle / 4) / 2).
- `lockout_lean_deg`: trunk past vertical at lockout, hips pushed forward over straight legs.
- `bar_drift_cm`: forward bar drift from the start position, peaking mid-pull.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backcheck.formcheck.bodymodel import HEIGHT_M, project, segment, world_landmarks
from backcheck.formcheck.series import PoseSeries, validate_series

PLATE_RADIUS_M = 0.225  # a standard 450 mm plate
KNEE_TRUNK_DEG = 35.0  # trunk angle to the horizontal when the bar passes the knee
SETUP_ARM_DEG = 8.0  # shoulders slightly ahead of the bar at lift-off
BASE_BACK_BEND_DEG = 12.0  # a neutral back's dorsal outline is not straight
LOCKOUT_KNEE_DEG = 178.0
_PLATE_Z = 0.55  # the near plate's distance from the lifter's mid-plane (m)


@dataclass
class RepTruth:
    """What the model put into one rep (times in seconds, sizes in the units named)."""

    start_time: float
    lockout_time: float
    knee_passage_time: float
    concentric_s: float
    faulty: bool
    hips_rise_deg: float  # nominal trunk-angle drop lift-off -> knee passage
    trunk_change_deg: float  # realised trunk-angle change lift-off -> knee passage
    hip_shoulder_ratio: float  # realised hip rise / shoulder rise, lift-off -> knee passage
    flexion_deg: float
    lockout_lean_deg: float
    bar_drift_cm: float


@dataclass
class GroundTruth:
    """Noise-free truth: per-frame angles, per-rep events and faults, joints to animate (px)."""

    times: np.ndarray
    trunk_deg: np.ndarray  # angle of hip->shoulder to the horizontal, 90 = upright
    hip_deg: np.ndarray  # hip angle, 180 = straight, > 180 = hips pushed past straight
    knee_deg: np.ndarray  # knee angle, 180 = straight
    reps: list[RepTruth]
    joints: dict[str, np.ndarray] = field(default_factory=dict)  # near side, (n, 2) px
    scale_px_per_m: float = 1.0
    plate_radius_px: float = 0.0
    facing: int = 1  # +1: lifter faces right in the image


@dataclass
class _Rep:
    t0: float
    tc: float
    faulty: bool
    lean: float
    theta0: float = KNEE_TRUNK_DEG  # trunk angle at lift-off
    s_knee: float = 0.5  # concentric progress at which the bar passes the knee
    y_knee: float = 0.45  # bar height then (m)
    knee_hip: np.ndarray = field(default_factory=lambda: np.zeros(2))
    top_hip: np.ndarray = field(default_factory=lambda: np.zeros(2))
    y_top: float = 0.8


@dataclass
class _Faults:
    flexion: float
    drift_m: float


def _ankle() -> np.ndarray:
    return np.array([0.0, segment("ankle_h")])


def _midfoot_x() -> float:
    return (segment("toe") - segment("heel")) / 2


def _unit(deg: float) -> np.ndarray:
    r = np.radians(deg)
    return np.array([np.cos(r), np.sin(r)])


def _arm(phi: float) -> np.ndarray:
    """Wrist-to-shoulder vector; phi > 0 puts the shoulders ahead of the bar."""
    return segment("arm") * np.array([np.sin(np.radians(phi)), np.cos(np.radians(phi))])


def _knee(hip: np.ndarray) -> np.ndarray:
    """Knee by two-link inverse kinematics, bending forward (+x); legs never stretch."""
    ankle = _ankle()
    d = hip - ankle
    a, b = segment("shank"), segment("thigh")
    dist = min(float(np.hypot(*d)), a + b)
    cos_a = np.clip((a * a + dist * dist - b * b) / (2 * a * dist), -1.0, 1.0)
    ang = np.arctan2(d[1], d[0]) - np.arccos(cos_a)
    return ankle + a * np.array([np.cos(ang), np.sin(ang)])


def _leg_reach(knee_deg: float) -> float:
    a, b = segment("shank"), segment("thigh")
    return float(np.sqrt(a * a + b * b - 2 * a * b * np.cos(np.radians(knee_deg))))


def _prepare(rep: _Rep) -> _Rep:
    """Solve the knee-passage and lockout poses of a rep (bar in hand, feet fixed)."""
    theta_top = 90.0 + rep.lean
    hip_x = _midfoot_x() - segment("trunk") * np.cos(np.radians(theta_top))
    reach = _leg_reach(LOCKOUT_KNEE_DEG)
    rep.top_hip = np.array([hip_x, segment("ankle_h") + np.sqrt(reach**2 - hip_x**2)])
    shoulder = rep.top_hip + segment("trunk") * _unit(theta_top)
    rep.y_top = float(shoulder[1] - segment("arm") - segment("grip"))
    lo, hi = PLATE_RADIUS_M, rep.y_top  # bar height at which the bar is level with the knee
    for _ in range(40):
        mid = (lo + hi) / 2
        hip = _pull_hip(mid, KNEE_TRUNK_DEG, _phi_at(mid, rep))
        lo, hi = (mid, hi) if mid < _knee(hip)[1] else (lo, mid)
    rep.y_knee = hi
    rep.knee_hip = _pull_hip(hi, KNEE_TRUNK_DEG, _phi_at(hi, rep))
    rep.s_knee = (hi - PLATE_RADIUS_M) / (rep.y_top - PLATE_RADIUS_M)
    return rep


def _phi_at(bar_y: float, rep: _Rep) -> float:
    return SETUP_ARM_DEG * (1 - (bar_y - PLATE_RADIUS_M) / (rep.y_top - PLATE_RADIUS_M))


def _pull_hip(bar_y: float, theta: float, phi: float) -> np.ndarray:
    shoulder = np.array([_midfoot_x(), bar_y + segment("grip")]) + _arm(phi)
    return shoulder - segment("trunk") * _unit(theta)


def _smooth(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return u * u * (3 - 2 * u)


def _min_jerk(u: float) -> float:
    u = min(max(u, 0.0), 1.0)
    return u**3 * (10 - 15 * u + 6 * u * u)


def _pose(s: float, rep: _Rep, f: _Faults, eccentric: bool, theta0: float | None = None) -> dict:
    """World pose (m) at concentric progress s in [0, 1] (theta0 overrides the setup angle).

    Below the knee the bar drives the pose (legs by inverse kinematics); above it the hips
    extend towards lockout (leg reach, hip position and trunk angle interpolated).
    """
    start = rep.theta0 if theta0 is None else theta0
    if s <= rep.s_knee:
        u = s / rep.s_knee
        theta = start + (KNEE_TRUNK_DEG - start) * (1 - (1 - u) ** 2)
        bar_y = PLATE_RADIUS_M + (rep.y_knee - PLATE_RADIUS_M) * u
        hip = _pull_hip(bar_y, theta, _phi_at(bar_y, rep))
    else:  # hips extend on a time-based schedule so the rep ends crisply at lockout
        tau_knee = _inverse_min_jerk(rep.s_knee)
        u = (_inverse_min_jerk(s) - tau_knee) / (1 - tau_knee)
        theta = KNEE_TRUNK_DEG + (90.0 + rep.lean - KNEE_TRUNK_DEG) * _smooth(u)
        r0 = float(np.hypot(*(rep.knee_hip - _ankle())))
        reach = r0 + (_leg_reach(LOCKOUT_KNEE_DEG) - r0) * (1 - (1 - u) ** 2)
        hip_x = rep.knee_hip[0] + (rep.top_hip[0] - rep.knee_hip[0]) * _smooth(u)
        hip = np.array([hip_x, segment("ankle_h") + np.sqrt(max(reach**2 - hip_x**2, 0.0))])
    shoulder = hip + segment("trunk") * _unit(theta)
    bar_y_now = PLATE_RADIUS_M + (rep.y_top - PLATE_RADIUS_M) * s
    bar = shoulder - _arm(_phi_at(bar_y_now, rep)) - [0.0, segment("grip")]
    if not eccentric:
        bar[0] += f.drift_m * np.sin(np.pi * s)
    envelope = _smooth(s / 0.25) * (1 - _smooth((s - 0.75) / 0.25))
    flex = 0.0 if eccentric else f.flexion * envelope
    return {"bar": bar, "shoulder": shoulder, "hip": hip, "knee": _knee(hip), "ankle": _ankle(),
            "bend": BASE_BACK_BEND_DEG + flex}  # fmt: skip


def _direction(v: np.ndarray) -> float:
    return float(np.degrees(np.arctan2(v[1], v[0])))


def _trunk(p: dict) -> float:
    return _direction(p["shoulder"] - p["hip"])


def _hip_angle(p: dict) -> float:
    """Hip angle, 180 = straight, above 180 = extended past straight (hips pushed forward)."""
    return 180.0 - _wrap(_direction(p["hip"] - p["knee"]) - _trunk(p))


def _knee_angle(p: dict) -> float:
    return 180.0 - _wrap(_direction(p["hip"] - p["knee"]) - _direction(p["knee"] - p["ankle"]))


def _wrap(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _inverse_min_jerk(s: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _min_jerk(mid) < s else (lo, mid)
    return (lo + hi) / 2


_HOLD_S, _ECC_S, _PAUSE_S, _PRE_S = 0.5, 0.9, 1.0, 1.0


def _state(t: float, reps: list[_Rep]) -> tuple[int, float, bool, float | None]:
    """(rep index, bar progress, eccentric?, setup trunk angle while paused) at time t."""
    for i, rep in enumerate(reps):
        u = t - rep.t0
        if u < 0:
            return i, 0.0, False, None
        if u < rep.tc:
            return i, _min_jerk(u / rep.tc), False, None
        if u < rep.tc + _HOLD_S:
            return i, 1.0, False, None
        if u < rep.tc + _HOLD_S + _ECC_S:
            return i, 1.0 - _min_jerk((u - rep.tc - _HOLD_S) / _ECC_S), True, None
        if i + 1 < len(reps) and t < reps[i + 1].t0:  # paused: re-set for the next rep
            w = _smooth((u - rep.tc - _HOLD_S - _ECC_S) / _PAUSE_S)
            return i, 0.0, True, rep.theta0 + w * (reps[i + 1].theta0 - rep.theta0)
    return len(reps) - 1, 0.0, True, None


def _rep_truth(rep: _Rep, f: _Faults) -> RepTruth:
    start, knee = _pose(0.0, rep, f, False), _pose(rep.s_knee, rep, f, False)
    shoulder_rise = knee["shoulder"][1] - start["shoulder"][1]
    hip_rise = knee["hip"][1] - start["hip"][1]
    return RepTruth(
        start_time=rep.t0, lockout_time=rep.t0 + rep.tc,
        knee_passage_time=rep.t0 + rep.tc * _inverse_min_jerk(rep.s_knee),
        concentric_s=rep.tc, faulty=rep.faulty, hips_rise_deg=rep.theta0 - KNEE_TRUNK_DEG,
        trunk_change_deg=_trunk(knee) - _trunk(start),
        hip_shoulder_ratio=float(hip_rise / shoulder_rise), flexion_deg=f.flexion,
        lockout_lean_deg=rep.lean, bar_drift_cm=100 * f.drift_m,
    )  # fmt: skip


def generate_deadlift(
    reps: int = 5,
    fps: float = 30.0,
    hips_rise_early: float = 0.0,
    trunk_flexion_deg: float = 0.0,
    lockout_lean_deg: float = 0.0,
    bar_drift_cm: float = 0.0,
    noise_px: float = 0.0,
    drop_frames: float = 0.0,
    view_angle_deg: float = 0.0,
    faulty_reps: list[int] | None = None,
    lifter_height_px: float = 420.0,
    seed: int = 0,
    concentric_s: float = 1.2,
    fatigue: float = 0.0,
    width: int = 960,
    height: int = 540,
    facing: int = 1,
    with_bar: bool = True,
) -> tuple[PoseSeries, GroundTruth]:
    """A set of `reps` deadlifts seen from the side; see the module docstring for the faults.

    `faulty_reps` are 1-based rep numbers; `fatigue` lengthens the concentric of the last rep
    by that fraction (linearly through the set); `drop_frames` is the fraction of frames with
    no pose at all.
    """
    if reps < 0 or fps <= 0 or not 0 <= drop_frames < 1:
        raise ValueError("reps >= 0, fps > 0 and 0 <= drop_frames < 1 are required")
    faulty = set(range(1, reps + 1) if faulty_reps is None else faulty_reps)
    plan, t = [], _PRE_S
    for i in range(reps):
        tc = concentric_s * (1 + fatigue * i / max(reps - 1, 1))
        bad = i + 1 in faulty
        lean, rise = (lockout_lean_deg, hips_rise_early) if bad else (0.0, 0.0)
        plan.append(_prepare(_Rep(t, tc, bad, lean, KNEE_TRUNK_DEG + rise)))
        t += tc + _HOLD_S + _ECC_S + _PAUSE_S
    clean = _Faults(0.0, 0.0)
    hurt = _Faults(trunk_flexion_deg, bar_drift_cm / 100)
    faults = [hurt if r.faulty else clean for r in plan]
    setup = _prepare(_Rep(t0=0.0, tc=1.0, faulty=False, lean=0.0))
    times = np.arange(int(round(t * fps))) / fps
    poses = []
    for ti in times:
        if not plan:
            poses.append(_pose(0.0, setup, clean, False))
            continue
        i, s, ecc, theta0 = _state(float(ti), plan)
        poses.append(_pose(s, plan[i], faults[i], ecc, theta0))
    camera = _Camera(fps, width, height, lifter_height_px, view_angle_deg, facing, noise_px,
                     drop_frames, with_bar, seed)  # fmt: skip
    return _assemble(poses, plan, faults, times, camera)


@dataclass(frozen=True)
class _Camera:
    """How the model is filmed and how imperfect the pose estimate is."""

    fps: float
    width: int
    height: int
    lifter_height_px: float
    yaw: float
    facing: int
    noise_px: float
    drop_frames: float
    with_bar: bool
    seed: int


def _assemble(poses: list[dict], plan: list[_Rep], faults: list[_Faults], times: np.ndarray,
              cam: _Camera) -> tuple[PoseSeries, GroundTruth]:  # fmt: skip
    """Project, add noise and dropped frames, and collect the truth."""
    rng = np.random.default_rng(cam.seed)
    n, scale = len(poses), cam.lifter_height_px / HEIGHT_M
    facing, yaw = cam.facing, cam.yaw
    origin = (cam.width * (0.4 if facing > 0 else 0.6), cam.height * 0.92)
    world = np.array([world_landmarks(p, near_left=True) for p in poses]).reshape(n, 33, 3)
    clean_xy = project(world, scale, origin, yaw, facing)
    bar_world = np.array([[*p["bar"], _PLATE_Z] for p in poses]).reshape(n, 3)
    bar_xy = project(bar_world, scale, origin, yaw, facing)
    noise = cam.noise_px
    xy = clean_xy + rng.normal(0.0, noise, clean_xy.shape) if noise > 0 else clean_xy.copy()
    vis = np.full((n, 33), 0.6) + rng.uniform(0, 0.1, (n, 33))
    vis[:, [i for i in range(11, 33) if i % 2 == 1] + list(range(11))] += 0.3
    bar = bar_xy + rng.normal(0.0, noise / 2, bar_xy.shape) if noise > 0 else bar_xy.copy()
    radius = np.full(n, PLATE_RADIUS_M * scale)
    bend = np.radians([p["bend"] for p in poses])
    sagitta = np.tan(bend / 4) / 2 + (rng.normal(0, 0.003, n) if noise > 0 else 0.0)
    dropped = rng.random(n) < cam.drop_frames
    xy[dropped], vis[dropped], bar[dropped] = np.nan, 0.0, np.nan
    radius[dropped], sagitta[dropped] = np.nan, np.nan
    series = PoseSeries(
        fps=float(cam.fps), width=cam.width, height=cam.height, xy=xy,
        visibility=np.clip(vis, 0, 1), times=times,
        bar=bar if cam.with_bar else None, plate_radius=radius if cam.with_bar else None,
        back_sagitta=sagitta, frames_decoded=n, source="synthetic",
    )  # fmt: skip
    joints = {name: clean_xy[:, idx] for name, idx in
              (("head", 0), ("shoulder", 11), ("elbow", 13), ("wrist", 15), ("hip", 23),
               ("knee", 25), ("ankle", 27), ("heel", 29), ("toe", 31))}  # fmt: skip
    joints["bar"] = bar_xy
    truth = GroundTruth(
        times=times,
        trunk_deg=np.array([_trunk(p) for p in poses]),
        hip_deg=np.array([_hip_angle(p) for p in poses]),
        knee_deg=np.array([_knee_angle(p) for p in poses]),
        reps=[_rep_truth(r, f) for r, f in zip(plan, faults, strict=True)],
        joints=joints, scale_px_per_m=scale, plate_radius_px=PLATE_RADIUS_M * scale,
        facing=facing,
    )  # fmt: skip
    return validate_series(series), truth
