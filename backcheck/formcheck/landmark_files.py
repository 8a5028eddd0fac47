"""Keypoint files in and out: our landmark JSON, and TRC marker files (Sports2D, Pose2Sim, OpenCap).

Accepting keypoints instead of a video lets users of other pose tools get the same analysis,
and lets the analysis be tested on motion-capture data. Every problem with a file is an
`InputError` naming the file, the place and the fix; nothing else escapes.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from backcheck.errors import InputError
from backcheck.formcheck import series as S
from backcheck.formcheck.series import LANDMARK_NAMES, N_LANDMARKS, PoseSeries, validate_series

FORMAT = "backcheck-landmarks"
VERSION = 1
TRC_PX_PER_M = 500.0  # TRC coordinates become pseudo-pixels at this scale

# TRC marker names (normalised: lower case, letters and digits only, "study" suffix dropped).
_TRC_NAMES: dict[str, int] = {
    "nose": S.NOSE, "head": S.NOSE,
    "rshoulder": S.R_SHOULDER, "lshoulder": S.L_SHOULDER,
    "relbow": S.R_ELBOW, "lelbow": S.L_ELBOW, "rlelbow": S.R_ELBOW, "llelbow": S.L_ELBOW,
    "rwrist": S.R_WRIST, "lwrist": S.L_WRIST, "rlwrist": S.R_WRIST, "llwrist": S.L_WRIST,
    "rhip": S.R_HIP, "lhip": S.L_HIP, "rhjc": S.R_HIP, "lhjc": S.L_HIP,
    "rknee": S.R_KNEE, "lknee": S.L_KNEE, "rankle": S.R_ANKLE, "lankle": S.L_ANKLE,
    "rheel": S.R_HEEL, "lheel": S.L_HEEL, "rcalc": S.R_HEEL, "lcalc": S.L_HEEL,
    "rbigtoe": S.R_FOOT, "lbigtoe": S.L_FOOT, "rtoe": S.R_FOOT, "ltoe": S.L_FOOT,
}  # fmt: skip
_UNITS = {"m": 1.0, "mm": 0.001, "cm": 0.01}


def landmarks_to_json(series: PoseSeries) -> dict[str, Any]:
    """The series as plain JSON data (NaN becomes null)."""
    frames = []
    for i in range(series.n_frames):
        points = [
            None if not np.isfinite(series.xy[i, j]).all()
            else [round(float(series.xy[i, j, 0]), 2), round(float(series.xy[i, j, 1]), 2),
                  round(float(series.visibility[i, j]), 3)]
            for j in range(N_LANDMARKS)
        ]  # fmt: skip
        frame: dict[str, Any] = {"t": round(float(series.times[i]), 5), "landmarks": points}
        if series.bar is not None:
            frame["bar"] = _maybe(series.bar[i])
        if series.plate_radius is not None:
            frame["plate_radius"] = _maybe(series.plate_radius[i])
        if series.back_sagitta is not None:
            frame["back_sagitta"] = _maybe(series.back_sagitta[i], 5)
        if series.rear_of_hips is not None:
            frame["rear_of_hips"] = _maybe(series.rear_of_hips[i])
        if series.back_line_deg is not None:
            frame["back_line_deg"] = _maybe(series.back_line_deg[i], 3)
        frames.append(frame)
    return {
        "format": FORMAT, "version": VERSION, "fps": series.fps, "width": series.width,
        "height": series.height, "frames_decoded": series.frames_decoded,
        "source": series.source, "px_per_m": series.px_per_m,
        "landmark_names": list(LANDMARK_NAMES), "frames": frames,
    }  # fmt: skip


def _maybe(value: Any, nd: int = 2) -> Any:
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if not np.isfinite(arr).all():
        return None
    rounded = [round(float(v), nd) for v in arr]
    return rounded[0] if np.ndim(value) == 0 else rounded


def write_landmarks(series: PoseSeries, path: str | Path) -> None:
    Path(path).write_text(json.dumps(landmarks_to_json(series)), encoding="utf-8")


def load_landmarks(path: str | Path) -> PoseSeries:
    """A landmark JSON (ours, alone or inside a report under "landmarks") or a TRC file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: cannot read the landmark file ({exc}); give a .json or .trc"
        ) from exc
    if path.suffix.lower() == ".trc" or text.startswith("PathFileType"):
        return parse_trc(text, str(path))
    return parse_landmarks_json(text, str(path))


def parse_landmarks_json(text: str, where: str = "landmark JSON") -> PoseSeries:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{where}: not valid JSON ({exc})") from exc
    if isinstance(data, dict) and isinstance(data.get("landmarks"), dict):
        data = data["landmarks"]  # a report written by this tool
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            f"{where}: not a backcheck landmark file (expected an object with "
            f'"format": "{FORMAT}" as the form check writes it, or a report JSON holding one '
            'under "landmarks"); or give a TRC marker file from Sports2D, Pose2Sim or OpenCap'
        )
    try:
        return validate_series(_series_from_json(data))
    except (KeyError, TypeError, ValueError, IndexError, OverflowError, AttributeError) as exc:
        raise InputError(f"{where}: malformed landmark data ({type(exc).__name__}: {exc})") from exc


def _series_from_json(data: dict) -> PoseSeries:
    frames = data["frames"]
    if not isinstance(frames, list):
        raise TypeError("frames must be a list")
    n = len(frames)
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n, N_LANDMARKS))
    keys = ("bar", "plate_radius", "back_sagitta", "rear_of_hips", "back_line_deg")
    extras = {k: np.full((n, 2) if k in ("bar", "rear_of_hips") else n, np.nan) for k in keys}
    for i, frame in enumerate(frames):
        points = frame["landmarks"]
        if points is not None:
            if len(points) != N_LANDMARKS:
                raise ValueError(f"frame {i} has {len(points)} landmarks, expected 33")
            for j, p in enumerate(points):
                if p is not None:
                    xy[i, j] = [float(p[0]), float(p[1])]
                    vis[i, j] = float(p[2])
        for key, arr in extras.items():
            if frame.get(key) is not None:
                arr[i] = frame[key]
    present = {k for k in extras if any(isinstance(f, dict) and k in f for f in frames)}
    px_per_m = data.get("px_per_m")
    return PoseSeries(
        fps=float(data["fps"]), width=int(data["width"]), height=int(data["height"]), xy=xy,
        visibility=vis, times=np.array([float(f["t"]) for f in frames]),
        bar=extras["bar"] if "bar" in present else None,
        plate_radius=extras["plate_radius"] if "plate_radius" in present else None,
        back_sagitta=extras["back_sagitta"] if "back_sagitta" in present else None,
        rear_of_hips=extras["rear_of_hips"] if "rear_of_hips" in present else None,
        back_line_deg=extras["back_line_deg"] if "back_line_deg" in present else None,
        frames_decoded=int(data.get("frames_decoded") or n), source="landmarks-json",
        px_per_m=None if px_per_m is None else float(px_per_m),
    )  # fmt: skip


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().removesuffix("_study"))


def parse_trc(text: str, where: str = "TRC file") -> PoseSeries:
    """A TRC marker file: header lines, marker names, then Frame#, Time, X Y Z per marker.

    The vertical axis is Y (up); the horizontal image axis is the horizontal direction in which
    the trunk leans most (the sagittal plane), so 3-D files from OpenCap and 2-D files from
    Sports2D both become a side view. Coordinates become pseudo-pixels at TRC_PX_PER_M.
    """
    lines = text.splitlines()
    if len(lines) < 6 or not lines[0].startswith("PathFileType"):
        raise InputError(f"{where}: not a TRC file (the first line must start with PathFileType)")
    header = dict(zip(lines[1].split("\t"), lines[2].split("\t"), strict=False))
    try:
        rate = float(header.get("DataRate") or header["CameraRate"])
        unit = _UNITS[header.get("Units", "m").strip().lower()]
    except (KeyError, ValueError) as exc:
        raise InputError(
            f"{where}, lines 2-3: need DataRate and Units (m, cm or mm) in the header ({exc})"
        ) from exc
    if not (math.isfinite(rate) and rate > 0):
        raise InputError(f"{where}, line 3: DataRate {rate} must be a positive number")
    names = lines[3].split("\t")
    columns = {}  # landmark index -> first column of its X
    for col, name in enumerate(names):
        idx = _TRC_NAMES.get(_norm(name)) if col >= 2 else None
        if idx is not None and idx not in columns:
            columns[idx] = col
    needed = (
        {S.R_HIP, S.R_KNEE, S.R_SHOULDER}
        if S.R_HIP in columns
        else {S.L_HIP, S.L_KNEE, S.L_SHOULDER}
    )
    if not needed <= set(columns):
        raise InputError(
            f"{where}, line 4: markers for hip, knee and shoulder (e.g. RHip, RKnee, RShoulder) "
            "are required; export the body markers from Sports2D, Pose2Sim or OpenCap"
        )
    rows = _trc_rows(lines[5:], where)
    return _trc_series(rows, columns, rate, unit, where)


def _trc_rows(lines: list[str], where: str) -> np.ndarray:
    rows = []
    for number, line in enumerate(lines, start=6):
        if not line.strip():
            continue
        try:
            rows.append([float(v) if v.strip() else math.nan for v in line.split("\t")])
        except ValueError as exc:
            raise InputError(f"{where}, line {number}: not a row of numbers ({exc})") from exc
    if not rows:
        raise InputError(f"{where}: no data rows after the header")
    width = max(len(r) for r in rows)
    return np.array([r + [math.nan] * (width - len(r)) for r in rows])


def _trc_series(rows: np.ndarray, columns: dict[int, int], rate: float, unit: float,
                where: str) -> PoseSeries:  # fmt: skip
    n = len(rows)
    world = np.full((n, N_LANDMARKS, 3), np.nan)
    for idx, col in columns.items():
        if col + 3 <= rows.shape[1]:
            world[:, idx] = rows[:, col : col + 3] * unit
    if not np.isfinite(world).any():
        raise InputError(f"{where}: the hip, knee and shoulder markers have no values")
    if np.abs(world[np.isfinite(world)]).max() > 1e4:
        raise InputError(f"{where}: coordinates over 10 km; check the Units line of the header")
    hip, shoulder = world[:, S.R_HIP], world[:, S.R_SHOULDER]
    if not np.isfinite(hip).any():
        hip, shoulder = world[:, S.L_HIP], world[:, S.L_SHOULDER]
    lean = (shoulder - hip)[:, [0, 2]]
    lean = lean[np.isfinite(lean).all(axis=1)]
    axis = np.array([1.0, 0.0])
    if len(lean) > 1 and np.ptp(lean, axis=0).max() > 0:
        _, _, vt = np.linalg.svd(lean - lean.mean(axis=0), full_matrices=False)
        axis = vt[0]
    horizontal = world[..., 0] * axis[0] + world[..., 2] * axis[1]
    return _to_pixels(horizontal, world[..., 1], rows, rate)


def _to_pixels(h: np.ndarray, v: np.ndarray, rows: np.ndarray, rate: float) -> PoseSeries:
    finite = np.isfinite(h) & np.isfinite(v)
    h0, v_top = np.nanmin(h[finite]), np.nanmax(v[finite])
    x = (h - h0) * TRC_PX_PER_M + 50.0
    y = (v_top - v) * TRC_PX_PER_M + 50.0
    xy = np.stack([x, y], axis=-1)
    xy[~finite] = np.nan
    times = rows[:, 1] if rows.shape[1] > 1 and np.isfinite(rows[:, 1]).all() else None
    if times is None or (len(times) > 1 and not np.all(np.diff(times) > 0)):
        times = np.arange(len(rows)) / rate
    width = int(np.nanmax(x[finite]) + 50) if finite.any() else 100
    height = int(np.nanmax(y[finite]) + 50) if finite.any() else 100
    series = PoseSeries(
        fps=rate, width=width, height=height, xy=xy, visibility=finite.astype(float),
        times=times - times[0], frames_decoded=len(rows), source="trc", px_per_m=TRC_PX_PER_M,
    )  # fmt: skip
    return validate_series(series)
