"""Split a set into deadlift reps from the bar's height relative to the knee and hip.

A rep is: the bar rests below the knee, rises past mid-thigh (lift-off -> lockout) and comes
back below the knee. A candidate only counts when the body did what a deadlift does: trunk
inclined at lift-off, near upright at lockout, the bar travelling a real distance. Walking or
waving the arms never takes the hands below the knees with the trunk bent, so it gives no reps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcheck.formcheck.kinematics import Body

HIGH_FRACTION = 0.35  # "high": the bar above the knee by this fraction of the knee-hip height
STOP_FRACTION = 0.03  # the bar counts as still below this fraction of its peak speed
UPRIGHT_FRACTION = 0.05  # the trunk has stopped rotating below this fraction of its peak speed


@dataclass(frozen=True)
class Geometry:
    """What a lift must look like to count as a deadlift rep (from thresholds.yaml)."""

    max_liftoff_trunk_deg: float
    min_lockout_trunk_deg: float
    min_trunk_rise_deg: float
    min_bar_travel_h: float
    min_concentric_s: float
    max_concentric_s: float


@dataclass(frozen=True)
class RepEvents:
    liftoff: float  # seconds
    knee: float
    lockout: float
    top_end: float  # end of the lockout hold (descent starts)
    returned: bool  # the bar came back below the knee before the clip ended


def _cross_time(times: np.ndarray, values: np.ndarray, level: float, i: int) -> float:
    """Time between frames i and i+1 where values cross `level` (linear)."""
    i = min(max(i, 0), len(values) - 2)
    a, b = values[i], values[i + 1]
    if not (np.isfinite(a) and np.isfinite(b)):
        return float(times[i + 1])
    w = 0.0 if b == a else float(np.clip((level - a) / (b - a), 0, 1))
    return float(times[i] + w * (times[i + 1] - times[i]))


def candidates(body: Body) -> list[tuple[int, int, int | None]]:
    """(last frame below the knee, first frame high, frame back below the knee or None)."""
    knee_y, hip_y, bar_y = body.joints["knee"][:, 1], body.joints["hip"][:, 1], body.bar[:, 1]
    below = bar_y < knee_y - 0.02 * body.height_px
    high = bar_y > knee_y + HIGH_FRACTION * (hip_y - knee_y)
    out, last_low, rising_from = [], None, None
    for i in range(len(bar_y)):
        if below[i]:
            if rising_from is not None:
                out.append((*rising_from, i))
                rising_from = None
            last_low = i
        elif high[i] and last_low is not None and rising_from is None:
            rising_from = (last_low, i)
            last_low = None
    if rising_from is not None:
        out.append((*rising_from, None))
    return out


def find_reps(body: Body, geometry: Geometry) -> tuple[list[RepEvents], int]:
    """Deadlift reps, and how many bar rises were rejected as not a deadlift."""
    times, bar_y = body.times, body.bar[:, 1]
    speed = np.gradient(bar_y, times) if len(times) > 1 else np.zeros_like(bar_y)
    reps, rejected, floor = [], 0, 0
    for low, high, back in candidates(body):
        stop = back if back is not None else len(times) - 1
        events = _events(body, speed, floor, low, high, stop)
        floor = stop
        if events is None or not _plausible(body, events, geometry):
            rejected += 1
            continue
        reps.append(RepEvents(*events, returned=back is not None))
    return reps, rejected


def _events(body: Body, speed: np.ndarray, floor: int, low: int, high: int,
            stop: int) -> tuple[float, float, float, float] | None:  # fmt: skip
    times = body.times
    rise = speed[low : stop + 1]
    if not np.isfinite(rise).any():
        return None
    peak = low + int(np.nanargmax(rise))
    v_stop = STOP_FRACTION * speed[peak]
    start = peak
    while start > floor and np.isfinite(speed[start - 1]) and speed[start - 1] > v_stop:
        start -= 1
    liftoff = _cross_time(times, speed, v_stop, start - 1) if start > floor else times[start]
    end = peak
    while end < stop and np.isfinite(speed[end + 1]) and speed[end + 1] > v_stop:
        end += 1
    bar_top = _cross_time(times, speed, v_stop, end) if end < stop else times[end]
    lockout = max(bar_top, _upright_time(body, peak, stop))
    descent = np.flatnonzero(speed[end : stop + 1] < -4 * v_stop)
    top_end = float(times[end + descent[0]]) if descent.size else float(times[stop])
    rel = body.bar[:, 1] - body.joints["knee"][:, 1]
    passed = [i for i in range(start, min(end, len(rel) - 2) + 1) if rel[i] < 0 <= rel[i + 1]]
    knee = _cross_time(times, rel, 0.0, passed[0]) if passed else liftoff
    return float(liftoff), knee, lockout, max(top_end, lockout)


def _upright_time(body: Body, peak: int, stop: int) -> float:
    """When the trunk stops rotating up: its angular speed falls below a fraction of its peak."""
    times = body.times
    trunk = body.trunk[peak : stop + 1]
    if len(trunk) < 3 or not np.isfinite(trunk).any():
        return float(times[peak])
    speed = np.gradient(trunk, times[peak : stop + 1])
    if not np.isfinite(speed).any():
        return float(times[peak])
    top = int(np.nanargmax(speed))
    slow = np.flatnonzero(speed[top:] < UPRIGHT_FRACTION * speed[top])
    if not slow.size:
        return float(times[stop])
    i = top + int(slow[0])
    return _cross_time(times[peak:], speed, UPRIGHT_FRACTION * speed[top], i - 1)


def _plausible(body: Body, events: tuple[float, float, float, float], g: Geometry) -> bool:
    """Does this rise look like a deadlift (trunk inclined -> upright, bar travelled)?"""
    liftoff, _, lockout, top_end = events
    t = body.times
    i0, i1 = int(np.searchsorted(t, liftoff)), int(np.searchsorted(t, top_end))
    i1 = max(i1, int(np.searchsorted(t, lockout))) + 1
    trunk_start, trunk_top = body.trunk[i0], np.nanmax(body.trunk[i0:i1])
    travel = (np.nanmax(body.bar[i0:i1, 1]) - body.bar[i0, 1]) / body.height_px
    duration = lockout - liftoff
    return bool(
        trunk_start <= g.max_liftoff_trunk_deg
        and trunk_top >= g.min_lockout_trunk_deg
        and trunk_top - trunk_start >= g.min_trunk_rise_deg
        and travel >= g.min_bar_travel_h
        and g.min_concentric_s <= duration <= g.max_concentric_s
    )
