"""Clean landmark tracks: fill short gaps, keep long gaps visible, low-pass filter.

Pose estimators jitter by a few pixels per frame and drop frames; angles and velocities from raw
tracks are noisy enough to invent lift-offs. A zero-lag Butterworth filter (filtfilt, the usual
choice in biomechanics at about 6 Hz for whole-body movement) keeps event timing unbiased.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfiltfilt

CUTOFF_HZ = 6.0
ORDER = 2


def fill_short_gaps(x: np.ndarray, max_gap: int) -> tuple[np.ndarray, np.ndarray]:
    """Linearly interpolate runs of NaN up to `max_gap` frames long (inside the series).

    Returns the filled copy and a mask of frames still missing (long gaps and the ends).
    """
    out = np.array(x, dtype=float)
    missing = ~np.isfinite(out)
    good = np.flatnonzero(~missing)
    if good.size == 0:
        return out, missing
    for start, stop in _runs(missing):
        if start == 0 or stop == len(out) or stop - start > max_gap:
            continue
        left, right = out[start - 1], out[stop]
        frac = np.arange(1, stop - start + 1) / (stop - start + 1)
        out[start:stop] = left + (right - left) * frac
    return out, ~np.isfinite(out)


def despike(x: np.ndarray, window: int, tolerance: float) -> np.ndarray:
    """A copy with values further than `tolerance` from the median of the `window` frames
    around them set to NaN: single-frame misreads that a low-pass would smear into their
    neighbours are dropped, and `fill_short_gaps` bridges them instead."""
    out = np.array(x, dtype=float)
    half = max(window // 2, 1)
    padded = np.pad(out, half, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    with np.errstate(all="ignore"):
        known = np.isfinite(windows).any(axis=1)
        median = np.full(len(out), np.nan)
        median[known] = np.nanmedian(windows[known], axis=1)
    out[np.abs(out - median) > tolerance] = np.nan
    return out


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float = CUTOFF_HZ) -> np.ndarray:
    """Zero-lag low-pass of each finite run; runs too short to filter are left as they are."""
    out = np.array(x, dtype=float)
    wn = min(cutoff_hz / (fps / 2), 0.9)
    sos = butter(ORDER, wn, output="sos")
    pad = 3 * (2 * len(sos) + 1)
    for start, stop in _runs(np.isfinite(out)):
        if stop - start > pad:
            out[start:stop] = sosfiltfilt(sos, out[start:stop])
    return out


def clean_track(
    x: np.ndarray, fps: float, max_gap_s: float = 0.25
) -> tuple[np.ndarray, np.ndarray]:
    """Fill gaps up to `max_gap_s`, low-pass; returns (track, still-missing mask)."""
    filled, missing = fill_short_gaps(x, max(1, int(round(max_gap_s * fps))))
    return lowpass(filled, fps), missing
