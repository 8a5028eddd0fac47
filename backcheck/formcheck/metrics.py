"""Per-rep measurements: timing, joint angles at three instants, hip rise, rounding, lockout,
bar drift. Distances are in centimetres when the plate gives the scale, else in body heights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backcheck.formcheck.kinematics import Body, back_bend_deg, sample
from backcheck.formcheck.reps import RepEvents

MOMENTS = ("liftoff", "knee_passage", "lockout")
SETUP_WINDOW_S = 0.3  # the back's outline at setup: this long before lift-off
# The hips' rise is read where the trunk is lowest between the set position and knee passage,
# looking this long past the detected passage: the knee landmark it is timed by sits under the
# plate at the bottom of a rep. On generated videos passage was found up to 0.1 s late, by when
# the trunk was already rising again and a 15-degree early hip rise read as 7.
KNEE_SLACK_S = 0.15
LOW_BAND_DEG = 1.0  # a trunk this close to its lowest counts as bottomed out (noise)
PULL_PERCENTILE = 75  # the outline's bend during the pull: a quarter of the frames must show it
# A back bends by tens of degrees over half a second at most (about 40 deg/s); an outline whose
# bend jumps faster than this from frame to frame (median over the pull) is following clothing,
# hair, an arm or a plate, not the spine. Layer-1 outlines with noise: <= 23 deg/s; generated
# videos of a person with long hair: 48-260 deg/s.
MAX_OUTLINE_JITTER_DEG_S = 45.0
# The hip rise is read from the outline's trunk and hip (`kinematics._outline_trunk`) when the
# outline saw them on this share of the frames from the set position to just past knee passage;
# else from the hip landmark, which the near plate pulls forward at the set position.
REAR_COVERAGE = 0.8


@dataclass
class RepMetrics:
    number: int
    start_s: float
    knee_passage_s: float
    lockout_s: float
    concentric_s: float
    returned: bool
    angles: dict[str, dict[str, float]]  # moment -> {"hip", "knee", "trunk"} degrees
    trunk_through_pull: list[float]  # trunk angle at 0, 25, 50, 75, 100 % of the concentric
    # The hip rise, read from `hip_rise_source`: "outline" (the angle is then the mean of the
    # line from the back of the hips to the shoulder and the back's own line) or "landmarks".
    trunk_change_deg: float | None  # lowest trunk up to knee passage minus the set position
    hip_rise_source: str | None
    hip_rise: float | None  # set position -> lowest trunk, distance unit
    shoulder_rise: float | None
    hip_shoulder_ratio: float | None
    back_bend_change_deg: float | None  # None when no steady body outline was available
    sagitta_setup: float | None
    sagitta_pull: float | None  # the pull's PULL_PERCENTILE-th percentile
    lockout_lean_deg: float | None  # trunk past vertical at the top (max over the hold)
    lockout_hip_forward: float | None  # hip ahead of the ankle-shoulder line, distance unit
    lockout_hip_forward_h: float | None  # the same in body heights (scale-free, for the rule)
    bar_drift_from_start: float | None  # largest horizontal bar offset during the concentric
    bar_drift_from_midfoot: float | None
    mean_bar_speed: float | None  # vertical bar travel / concentric time, distance unit per s
    faults: list[str] = field(default_factory=list)
    outline_unsteady: bool = False  # an outline was seen but too jumpy to estimate rounding
    hips_forward_at_lockout: bool | None = None  # beyond the hip-forward threshold


def _round(x: float | None, nd: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def unit_scale(body: Body) -> tuple[str, float]:
    """(unit name, pixels per unit): centimetres from the plate, else body heights."""
    if body.px_per_cm:
        return "cm", body.px_per_cm
    return "body_height", body.height_px


def measure_rep(body: Body, ev: RepEvents, number: int) -> RepMetrics:
    """All measurements of one rep from the cleaned tracks and its events."""
    t = body.times
    _, per_unit = unit_scale(body)
    angles = {
        moment: {
            "hip": _round(sample(body.hip_angle, when, t), 1),
            "knee": _round(sample(body.knee_angle, when, t), 1),
            "trunk": _round(sample(body.trunk, when, t), 1),
        }
        for moment, when in zip(MOMENTS, (ev.liftoff, ev.knee, ev.lockout), strict=True)
    }
    span = ev.lockout - ev.liftoff
    pull = [_round(sample(body.trunk, ev.liftoff + f * span, t), 1) for f in np.linspace(0, 1, 5)]
    trunk_change = hip_rise = shoulder_rise = ratio = source = None
    if ev.knee > ev.liftoff:
        trunk, hip, source = _hinge(body, ev)
        ref = _setup_time(body, trunk, ev)
        low = _lowest_trunk_time(body, trunk, ev)
        hip_rise, shoulder_rise, ratio = _rises(body, hip, low, ref, per_unit)
        trunk_change = sample(trunk, low, t) - sample(trunk, ref, t)
    bend, s_setup, s_pull = _rounding(body, ev)
    unsteady = bend is not None and _outline_jitter(body, ev) > MAX_OUTLINE_JITTER_DEG_S
    if unsteady:
        bend = s_setup = s_pull = None
    lean, forward_px = _lockout(body, ev)
    drift_start, drift_mid = _drift(body, ev)
    bar_y = body.bar[:, 1]
    travel = sample(bar_y, ev.lockout, t) - sample(bar_y, ev.liftoff, t)
    return RepMetrics(
        number=number, start_s=round(ev.liftoff, 3), knee_passage_s=round(ev.knee, 3),
        lockout_s=round(ev.lockout, 3), concentric_s=round(span, 3), returned=ev.returned,
        angles=angles, trunk_through_pull=pull, trunk_change_deg=_round(trunk_change, 1),
        hip_rise_source=source, hip_rise=_round(hip_rise), shoulder_rise=_round(shoulder_rise),
        hip_shoulder_ratio=_round(ratio), back_bend_change_deg=_round(bend, 1),
        sagitta_setup=_round(s_setup, 4), sagitta_pull=_round(s_pull, 4),
        lockout_lean_deg=_round(lean, 1), lockout_hip_forward=_round(forward_px / per_unit, 3),
        lockout_hip_forward_h=_round(forward_px / body.height_px, 3),
        bar_drift_from_start=_round(drift_start / per_unit, 3),
        bar_drift_from_midfoot=_round(drift_mid / per_unit, 3),
        mean_bar_speed=_round(travel / per_unit / span, 3) if span > 0 else None,
        outline_unsteady=unsteady,
    )  # fmt: skip


def _hinge(body: Body, ev: RepEvents) -> tuple[np.ndarray, np.ndarray, str]:
    """(trunk angle track, hip track, source) to read the hip rise from: the outline's trunk
    and hip (`kinematics._outline_trunk`) when the outline saw the back of the hips through the
    set-up and the pull to knee passage, else the landmarks.

    Offset by the shape of the back and buttocks, the outline's trunk angle is not the trunk
    angle, but it turns as the trunk turns, and the hip rise only needs that turn.
    """
    if body.outline_trunk is not None and body.outline_hip is not None:
        stop = min(ev.knee + KNEE_SLACK_S, ev.lockout)
        seen = np.isfinite(body.outline_trunk[_window(body, ev.liftoff - SETUP_WINDOW_S, stop)])
        if seen.size and seen.mean() >= REAR_COVERAGE:
            return body.outline_trunk, body.outline_hip, "outline"
    return body.trunk, body.joints["hip"], "landmarks"


def _setup_time(body: Body, trunk: np.ndarray, ev: RepEvents) -> float:
    """Reference instant for the hip rise: the most upright trunk just before lift-off.

    Lift-off is detected when the bar is already moving, and hips that shoot up do so right
    at the break from the floor (or before it): measuring from the set position counts that.
    """
    win = _window(body, ev.liftoff - SETUP_WINDOW_S, ev.liftoff)
    if not np.isfinite(trunk[win]).any():
        return ev.liftoff
    return float(body.times[win.start + int(np.nanargmax(trunk[win]))])


def _lowest_trunk_time(body: Body, trunk: np.ndarray, ev: RepEvents) -> float:
    """When the trunk is lowest from lift-off to just past knee passage, or, where it lies
    within LOW_BAND_DEG of its lowest for a while, the instant of that stretch nearest the
    detected passage. A clean rep holds its angle until the knee and then rises, so this is knee
    passage; hips that shoot up early bottom out the trunk here wherever the knee landmark put
    the passage."""
    stop = min(ev.knee + KNEE_SLACK_S, ev.lockout)
    win = _window(body, ev.liftoff, stop)
    pull = trunk[win]
    if not np.isfinite(pull).any():
        return ev.knee
    near_lowest = np.flatnonzero(pull <= np.nanmin(pull) + LOW_BAND_DEG)
    times = body.times[win.start + near_lowest]
    return float(times[np.argmin(np.abs(times - ev.knee))])


def _rises(body: Body, hip: np.ndarray, when: float, ref: float, per_unit: float) -> tuple:
    """Hip (track `hip`) and shoulder rise from the set position to `when`, and their ratio."""
    t = body.times
    rise = {}
    for name, track in (("hip", hip), ("shoulder", body.joints["shoulder"])):
        y = track[:, 1]
        rise[name] = sample(y, when, t) - sample(y, ref, t)
    ratio = None
    if rise["shoulder"] > 0.01 * body.height_px:
        ratio = rise["hip"] / rise["shoulder"]
    return rise["hip"] / per_unit, rise["shoulder"] / per_unit, ratio


def _window(body: Body, start: float, stop: float) -> slice:
    t = body.times
    return slice(int(np.searchsorted(t, start)), int(np.searchsorted(t, stop, side="right")))


def _rounding(body: Body, ev: RepEvents) -> tuple[float | None, float | None, float | None]:
    """Extra bend of the back's outline during the pull compared with the setup.

    The outline is noisy frame to frame (clothing, hair, an arm or a plate touching the back), so
    the pull is summed up by a high percentile, not its largest frame, and a window in which the
    outline was measured on fewer than half the frames gives no estimate rather than a guess.
    """
    if body.sagitta is None:
        return None, None, None
    setup = body.sagitta[_window(body, ev.liftoff - SETUP_WINDOW_S, ev.liftoff)]
    pull = body.sagitta[_window(body, ev.liftoff, ev.lockout)]
    if not (_mostly_measured(setup) and _mostly_measured(pull)):
        return None, None, None
    s0, s1 = float(np.nanmedian(setup)), float(np.nanpercentile(pull, PULL_PERCENTILE))
    return float(back_bend_deg(s1) - back_bend_deg(s0)), s0, s1


def _outline_jitter(body: Body, ev: RepEvents) -> float:
    """Median frame-to-frame change of the outline's bend during the pull, degrees per second."""
    win = _window(body, ev.liftoff, ev.lockout)
    bend = back_bend_deg(body.sagitta[win])
    rate = np.abs(np.diff(bend)) / np.diff(body.times[win])
    rate = rate[np.isfinite(rate)]
    return float(np.median(rate)) if rate.size else 0.0


def _mostly_measured(values: np.ndarray) -> bool:
    return values.size > 0 and np.isfinite(values).sum() >= 0.5 * values.size


def _lockout(body: Body, ev: RepEvents) -> tuple[float | None, float]:
    """Lean past vertical (max over the hold) and hip distance ahead of the ankle-shoulder line."""
    win = _window(body, ev.lockout - 0.05, ev.top_end)
    trunk = body.trunk[win]
    if not np.isfinite(trunk).any():
        return None, float("nan")
    i = win.start + int(np.nanargmax(trunk))
    ankle, hip, shoulder = (body.joints[n][i] for n in ("ankle", "hip", "shoulder"))
    line = shoulder - ankle
    forward = ((hip - ankle)[0] * line[1] - (hip - ankle)[1] * line[0]) / np.hypot(*line)
    return float(trunk[i - win.start] - 90.0), float(forward)


def _drift(body: Body, ev: RepEvents) -> tuple[float, float]:
    """Largest forward/backward bar offset during the concentric from its start and mid-foot."""
    win = _window(body, ev.liftoff, ev.lockout)
    x = body.bar[win, 0]
    if not np.isfinite(x).any():
        return float("nan"), float("nan")
    x0 = sample(body.bar[:, 0], ev.liftoff, body.times)
    i0 = min(int(np.searchsorted(body.times, ev.liftoff)), len(body.times) - 1)
    midfoot = (body.joints["heel"][i0, 0] + body.joints["toe"][i0, 0]) / 2
    return _signed_max(x - x0), _signed_max(x - midfoot)


def _signed_max(d: np.ndarray) -> float:
    d = d[np.isfinite(d)]
    return float(d[np.argmax(np.abs(d))]) if d.size else float("nan")
