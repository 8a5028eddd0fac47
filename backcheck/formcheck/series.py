"""The data contract between the video half and the analysis half of the form check.

Everything that produces landmarks (MediaPipe on a video, a landmark JSON file, a TRC marker
file, the kinematic model) fills a `PoseSeries`; everything that analyses a lift reads one.
Coordinates are image pixels with y growing downwards, in MediaPipe Pose landmark order, so a
series from any source can be analysed, drawn and written the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcheck.errors import InputError, VideoError

N_LANDMARKS = 33
MAX_FPS = 1000.0  # beyond any phone or sports camera
MAX_COORD = 1e6  # pixels; anything larger is a broken file, not a picture

NOSE = 0
L_SHOULDER = 11
R_SHOULDER = 12
L_ELBOW = 13
R_ELBOW = 14
L_WRIST = 15
R_WRIST = 16
L_HIP = 23
R_HIP = 24
L_KNEE = 25
R_KNEE = 26
L_ANKLE = 27
R_ANKLE = 28
L_HEEL = 29
R_HEEL = 30
L_FOOT = 31
R_FOOT = 32

LANDMARK: dict[str, int] = {
    "NOSE": NOSE,
    "L_SHOULDER": L_SHOULDER,
    "R_SHOULDER": R_SHOULDER,
    "L_ELBOW": L_ELBOW,
    "R_ELBOW": R_ELBOW,
    "L_WRIST": L_WRIST,
    "R_WRIST": R_WRIST,
    "L_HIP": L_HIP,
    "R_HIP": R_HIP,
    "L_KNEE": L_KNEE,
    "R_KNEE": R_KNEE,
    "L_ANKLE": L_ANKLE,
    "R_ANKLE": R_ANKLE,
    "L_HEEL": L_HEEL,
    "R_HEEL": R_HEEL,
    "L_FOOT": L_FOOT,
    "R_FOOT": R_FOOT,
}

# MediaPipe Pose landmark names, index = position (used by the JSON file format).
LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip


@dataclass
class PoseSeries:
    """Landmarks of one lifter over time, in image pixels (y grows downwards)."""

    fps: float
    width: int
    height: int
    xy: np.ndarray  # (n_frames, 33, 2) float, MediaPipe Pose landmark order, NaN where missing
    visibility: np.ndarray  # (n_frames, 33) float in [0, 1]; 0 where missing
    times: np.ndarray  # (n_frames,) seconds from the start
    bar: np.ndarray | None = None  # (n_frames, 2) bar/plate centre in px, NaN where unknown
    plate_radius: np.ndarray | None = None  # (n_frames,) plate radius in px, NaN where unseen
    # (n_frames,) dorsal-outline sagitta / shoulder-hip length (0 = straight, >0 = rounded)
    back_sagitta: np.ndarray | None = None
    # (n_frames, 2) the back of the hips in px (`outline.rear_of_hips`), NaN where unmeasured
    rear_of_hips: np.ndarray | None = None
    # (n_frames,) the back's line in degrees (`outline.back_line_deg`), NaN where unmeasured
    back_line_deg: np.ndarray | None = None
    frames_decoded: int | None = None
    source: str = ""  # "video", "landmarks-json", "trc", "synthetic"
    px_per_m: float | None = None  # known scale (motion-capture files in metres), else None

    @property
    def n_frames(self) -> int:
        return int(self.xy.shape[0])

    def frames_with_pose(self) -> int:
        """Frames where at least one landmark was found."""
        if self.n_frames == 0:
            return 0
        return int(np.any(np.isfinite(self.xy[:, :, 0]), axis=1).sum())


def validate_series(series: PoseSeries, error: type[Exception] = InputError) -> PoseSeries:
    """Check shapes and value ranges; raise `error` (InputError or VideoError) saying what is wrong.

    Producers call this before handing a series over, so the analysis can trust the shapes.
    """
    if error not in (InputError, VideoError):
        raise TypeError("error must be InputError or VideoError")
    where = f"pose series ({series.source or 'unknown source'})"
    if not (np.isfinite(series.fps) and 0 < series.fps <= MAX_FPS):
        raise error(f"{where}: frame rate {series.fps!r} must be a number in (0, {MAX_FPS:g}]")
    if series.width <= 0 or series.height <= 0:
        raise error(f"{where}: image size {series.width}x{series.height} must be positive")
    xy, vis, times = series.xy, series.visibility, series.times
    n = xy.shape[0] if xy.ndim == 3 else -1
    if xy.ndim != 3 or xy.shape[1:] != (N_LANDMARKS, 2):
        raise error(f"{where}: landmarks have shape {xy.shape}, expected (frames, 33, 2)")
    if vis.shape != (n, N_LANDMARKS):
        raise error(f"{where}: visibility has shape {vis.shape}, expected ({n}, 33)")
    if times.shape != (n,):
        raise error(f"{where}: times have shape {times.shape}, expected ({n},)")
    if n > 1 and not np.all(np.diff(times) > 0):
        raise error(f"{where}: frame times must increase strictly")
    finite_vis = vis[np.isfinite(vis)]
    if finite_vis.size and (finite_vis.min() < 0 or finite_vis.max() > 1):
        raise error(f"{where}: visibility values must lie in [0, 1]")
    if np.isinf(xy).any() or np.nanmax(np.abs(xy), initial=0.0) > MAX_COORD:
        raise error(f"{where}: landmark coordinates must be numbers within {MAX_COORD:g} px or NaN")
    if series.px_per_m is not None and not (np.isfinite(series.px_per_m) and series.px_per_m > 0):
        raise error(f"{where}: scale {series.px_per_m!r} px/m must be a positive number")
    for name, shape in (
        ("bar", (n, 2)),
        ("plate_radius", (n,)),
        ("back_sagitta", (n,)),
        ("rear_of_hips", (n, 2)),
        ("back_line_deg", (n,)),
    ):
        value = getattr(series, name)
        if value is not None and value.shape != shape:
            raise error(f"{where}: {name} has shape {value.shape}, expected {shape}")
    return series
