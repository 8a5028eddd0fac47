"""MediaPipe Pose on one frame at a time: detection on every frame, tracking, or a hybrid.

Only the legacy `mediapipe.solutions.pose.Pose` with `model_complexity=1` ships its model inside
the mediapipe 0.10.21 wheel; every other variant downloads at run time, which backcheck never
does. The tracking (video) mode is fast but smooths towards its own past: where the near plate
hides the knees its hip and knee angles go wrong. `mode="hybrid"` tracks and re-detects (and
restarts the tracker) when the tracked pose is missing, faint, jumping, or disagrees with a
periodic fresh detection. Measured on generated 480p deadlift videos with plates (4 reps, see
`videogen`), trunk / hip-angle RMSE in degrees, static against hybrid: camera 20 degrees
towards the lifter's back 14.8 / 20.0 against 10.3 / 19.0; towards the front 21.4 / 21.6
against 22.2 / 16.2; exactly side-on (720p) 18.2 / 80.0 against 21.0 / 72.2 (tracking alone:
31.3 / 106.7). Hybrid had the better hip angle in all three views, a trunk angle within 3
degrees of static's, and ran about 1.4x as fast (31 against 22 frames/s on 2 cores), so it is
the default.

MediaPipe releases the GIL and keeps to about one core (1.1 cores of CPU per second of wall time
tracking), so in hybrid mode the detections run on a second thread, started before the tracker
so both work at once: the periodic audit, and a guess after a re-detection or restart that the
next frame will want one too. The landmarks are exactly those of doing it all in turn (6
generated 720p clips, bit for bit).

The tracker restarts by being shown one blank frame: it loses the person, so its next frame is
detected afresh. MediaPipe's own `reset()` does the same but closes the graph and reloads its
models: on a 720p clip with 13 restarts, a restart and the frame after it took 174 ms that way
against 115 ms with the blank frame (0.8 s of the clip's 14 s; tracked frames take 26-30 ms). On
30 generated clips the two gave the same landmarks, and the same outline measures from the
masks, bit for bit. The visibilities differ for a while after a restart: the model's visibility
low-pass filter is not reset by a frame without a person, so it goes on from the values before
the restart (5,768 of 13,860 frames differed, by up to 0.75). Without the reloads the heap no
longer grows with each restart, which had needed glibc's malloc_trim.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

import numpy as np

from backcheck.formcheck import series as S

Mode = Literal["tracking", "static", "hybrid"]
MODES: tuple[str, ...] = ("tracking", "static", "hybrid")
DEFAULT_MODE: Mode = "hybrid"
_TRUNK_JOINTS = (S.L_SHOULDER, S.R_SHOULDER, S.L_HIP, S.R_HIP)
_AUDIT_JOINTS = (S.L_HIP, S.R_HIP, S.L_KNEE, S.R_KNEE)


@dataclass
class PoseFrame:
    """One frame's landmarks in pixels (NaN when no person), visibility, segmentation mask."""

    xy: np.ndarray  # (33, 2)
    visibility: np.ndarray  # (33,)
    mask: np.ndarray | None  # (h, w) float32 person probability
    redetected: bool = False

    @property
    def found(self) -> bool:
        return bool(np.isfinite(self.xy[0, 0]))


def _empty() -> PoseFrame:
    return PoseFrame(np.full((S.N_LANDMARKS, 2), np.nan), np.zeros(S.N_LANDMARKS), None)


def build_graph(static: bool):  # -> mediapipe Pose
    """The one offline MediaPipe Pose variant: full model, with the segmentation mask."""
    from mediapipe.python.solutions import pose as mp_pose

    return mp_pose.Pose(
        static_image_mode=static,
        model_complexity=1,
        enable_segmentation=True,
        # Detecting on every frame, 0.5 missed a third of the frames of a small walker in the
        # Sports2D demo clip (86 of 150 found, 109 with 0.3); a blank frame still finds nobody.
        min_detection_confidence=0.3 if static else 0.5,
        min_tracking_confidence=0.5,
    )


def _trunk_geometry(xy: np.ndarray) -> tuple[np.ndarray, float]:
    """Mid-hip position and shoulder-to-hip length (the body's own ruler)."""
    shoulders = (xy[S.L_SHOULDER] + xy[S.R_SHOULDER]) / 2
    hips = (xy[S.L_HIP] + xy[S.R_HIP]) / 2
    return hips, float(np.hypot(*(shoulders - hips)))


class PoseEstimator:
    """Landmarks frame by frame; use as a context manager so the graphs are closed."""

    def __init__(
        self,
        mode: Mode = DEFAULT_MODE,
        audit_every: int = 15,
        min_visibility: float = 0.5,
        max_jump: float = 0.5,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"pose mode {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        self.audit_every = audit_every
        self.min_visibility = min_visibility
        self.max_jump = max_jump  # hip move per frame, in trunk lengths, before we distrust it
        self._tracker = build_graph(static=(mode == "static"))
        # Detections run on their own thread, one at a time, alongside the tracker: MediaPipe
        # releases the GIL and keeps to about one core, and the machine has two. The detector
        # is only ever used on that thread (a graph must not run two frames at once).
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="backcheck-pose")
        self._detector = build_graph(static=True) if mode == "hybrid" else None
        self._look_ahead = False
        self._blank: np.ndarray | None = None
        self._last: PoseFrame | None = None
        self._trunk_len: float | None = None
        self._count = 0
        self.redetections = 0

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for graph in (self._tracker, self._detector):
            if graph is not None:
                graph.close()
        self._tracker = self._detector = self._pool = None

    def process(self, rgb: np.ndarray) -> PoseFrame:
        """Landmarks of the person in an RGB frame (uint8, h x w x 3)."""
        self._count += 1
        hybrid = self.mode == "hybrid"
        periodic = hybrid and self._count % self.audit_every == 1
        # Started before the tracker runs, so both cores work: the periodic audit, and a guess
        # that a detection will be wanted again (they come in runs while tracking struggles).
        early = self._detect(rgb) if periodic or self._look_ahead else None
        frame = _run(self._tracker, rgb)
        needed = periodic or (hybrid and self._needs_redetect(frame))
        restarted = False
        if needed:
            fresh = (early or self._detect(rgb)).result()
            if fresh.found and self._replace(frame, fresh):
                self.restart_tracker(rgb)
                fresh.redetected = restarted = True
                self.redetections += 1
                frame = fresh
        self._look_ahead = restarted or (needed and not periodic)
        if frame.found:
            hips, length = _trunk_geometry(frame.xy)
            if np.isfinite(length) and length > 0:
                self._trunk_len = (
                    length if self._trunk_len is None else (0.9 * self._trunk_len + 0.1 * length)
                )
        self._last = frame if frame.found else self._last
        return frame

    def _detect(self, rgb: np.ndarray) -> Future[PoseFrame]:
        """A fresh detection, on the detector's thread; a guess nobody waits for still runs."""
        return self._pool.submit(_run, self._detector_graph(), rgb)

    def _detector_graph(self):  # -> mediapipe Pose
        """The static graph (outside hybrid mode, built when first wanted)."""
        if self._detector is None:
            self._detector = build_graph(static=True)
        return self._detector

    def other_person(self, rgb: np.ndarray, lifter: PoseFrame) -> Future[bool]:
        """Is a second, similar-sized person visible once the lifter is blanked out? Answered on
        the detector's thread, so the caller need not wait for it."""
        nobody: Future[bool] = Future()
        nobody.set_result(False)
        if not lifter.found:
            return nobody
        lo, hi = np.nanmin(lifter.xy, axis=0), np.nanmax(lifter.xy, axis=0)
        pad = 0.15 * (hi - lo)
        h, w = rgb.shape[:2]
        x0, y0 = np.clip(lo - pad, 0, [w, h]).astype(int)
        x1, y1 = np.clip(hi + pad, 0, [w, h]).astype(int)
        if x1 <= x0 or y1 <= y0:
            return nobody
        blanked = rgb.copy()
        blanked[y0:y1, x0:x1] = rgb[y0:y1, x0:x1].mean(axis=(0, 1)).astype(np.uint8)
        return self._pool.submit(self._someone_else, blanked, float(hi[1] - lo[1]))

    def _someone_else(self, blanked: np.ndarray, lifter_height: float) -> bool:
        """A confident, similar-sized person in a frame with the lifter blanked out."""
        other = _run(self._detector_graph(), blanked)
        if not other.found or float(np.mean(other.visibility[list(_TRUNK_JOINTS)])) < 0.6:
            return False
        return bool(np.ptp(other.xy[:, 1]) > 0.3 * lifter_height)

    def restart_tracker(self, rgb: np.ndarray) -> None:
        """Make the tracker forget the person, so its next frame is detected afresh: a blank
        frame of the same size shows nobody. Should the blank ever show someone, MediaPipe's
        slower `reset()` (close the graph, reload its models) does it instead."""
        if self._blank is None or self._blank.shape != rgb.shape:
            self._blank = np.full_like(rgb, 128)
        if _run(self._tracker, self._blank).found:
            self._tracker.reset()

    def _replace(self, tracked: PoseFrame, fresh: PoseFrame) -> bool:
        """Take the fresh detection when tracking is lost or has drifted off the lifter.

        A fresh pose more than a trunk length from a sound tracked pose is another person (the
        detector picks whoever it is surest of); the lifter keeps being followed.
        """
        if not tracked.found:
            return True
        _, length = _trunk_geometry(fresh.xy)
        # Tracking drifts at the legs first (a plate over the knees): compare hips and knees.
        gaps = np.hypot(*(fresh.xy[list(_AUDIT_JOINTS)] - tracked.xy[list(_AUDIT_JOINTS)]).T)
        gap = float(np.median(gaps)) / max(length, 1.0)
        faint = float(np.mean(tracked.visibility[list(_TRUNK_JOINTS)])) < self.min_visibility
        return faint or 0.25 < gap < 1.0

    def _needs_redetect(self, frame: PoseFrame) -> bool:
        """Missing, faint or jumping tracking results (`process` adds the periodic audit)."""
        if not frame.found:
            return self._count % 5 == 1  # look for a person again a few times a second
        if float(np.mean(frame.visibility[list(_TRUNK_JOINTS)])) < self.min_visibility:
            return True
        if self._last is None or self._trunk_len is None:
            return False
        hips, length = _trunk_geometry(frame.xy)
        last_hips, _ = _trunk_geometry(self._last.xy)
        jump = float(np.hypot(*(hips - last_hips))) / self._trunk_len
        stretch = abs(length / self._trunk_len - 1.0)
        return jump > self.max_jump or stretch > 0.35


def _run(graph, rgb: np.ndarray) -> PoseFrame:
    """One MediaPipe call, landmarks converted from normalised units to pixels."""
    result = graph.process(rgb)
    if result.pose_landmarks is None:
        return _empty()
    h, w = rgb.shape[:2]
    marks = result.pose_landmarks.landmark
    xy = np.array([[m.x * w, m.y * h] for m in marks], dtype=float)
    vis = np.clip(np.array([m.visibility for m in marks], dtype=float), 0.0, 1.0)
    mask = result.segmentation_mask
    return PoseFrame(xy, vis, None if mask is None else np.asarray(mask, dtype=np.float32))


def _identities(xy: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Label each frame with a person id (-1: nobody): a new id when the pose jumps.

    The detector follows whoever it is surest of, so in a crowded clip the landmarks hop from
    one person to another. A lifter barely travels; a jump of the hips by more than about a
    trunk length (more after a gap: people walk about three trunk lengths a second) is someone
    else. A jump back to where an earlier person was left resumes that person's id.
    """
    labels = np.full(len(xy), -1)
    last: list[tuple[np.ndarray, float, float]] = []  # per id: hips, trunk length, time
    current = -1
    for i in np.flatnonzero(np.isfinite(xy[:, S.L_HIP, 0])):
        hips, length = _trunk_geometry(xy[i])
        if not np.isfinite(length) or length <= 0:
            continue
        matches = [k for k, (h, ln, t) in enumerate(last)
                   if float(np.hypot(*(hips - h))) < ln * (0.8 + 3.0 * (times[i] - t))
                   and 0.6 < length / ln < 1.6]  # fmt: skip
        if current in matches:
            pick = current
        elif matches:
            pick = matches[0]
        else:
            last.append((hips, length, float(times[i])))
            pick = len(last) - 1
        last[pick] = (hips, 0.8 * last[pick][1] + 0.2 * length, float(times[i]))
        labels[i] = current = pick
    return labels


def lifter_frames(xy: np.ndarray, times: np.ndarray, bar: np.ndarray | None) -> np.ndarray:
    """Frames showing the lifter; landmarks on the other frames belong to bystanders.

    With a plate track, the lifter is whoever has their hips within a few trunk lengths of the
    bar (frames without a plate fix are kept). Without one, it is the person seen longest.
    """
    found = np.isfinite(xy[:, S.L_HIP, 0])
    if bar is not None and np.isfinite(bar[:, 0]).any():
        hips = xy[:, [S.L_HIP, S.R_HIP]].mean(axis=1)
        shoulders = xy[:, [S.L_SHOULDER, S.R_SHOULDER]].mean(axis=1)
        trunk = np.hypot(*(shoulders - hips).T)
        gap = np.hypot(*(hips - bar).T)
        return found & ~(np.isfinite(gap) & (gap > 2.5 * trunk))
    labels = _identities(xy, times)
    ids = [k for k in np.unique(labels) if k >= 0]
    if not ids:
        return found
    return labels == max(ids, key=lambda k: int(np.sum(labels == k)))
