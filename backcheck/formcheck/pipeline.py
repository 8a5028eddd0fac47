"""From a video file to a form report, one frame at a time.

Frames are decoded on a helper thread (bounded queue) while the pose model runs, so decoding
costs little wall time. The plate is looked for first, and the pose model gets the frame the
plate tracker hands it (`PlateTracker.pose_view`: side-on, the plate painted out). The search
near last frame's plate runs on another thread while the pose model works on the frame before
(the pose model keeps to about one of the two cores), with the same answers; it gained about 2
frames/s on the bench's 720p clip. Per frame only landmarks, three outline measures (the back's
sagitta, the back of the hips, the back's line) and the plate circle are kept, so memory does not
grow with the length of the clip. The landmark series then goes through the same analysis as a
landmark file, and the footage warnings are added to it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from backcheck.errors import VideoError
from backcheck.formcheck import series as S
from backcheck.formcheck.analysis import AnalysisOptions, analyze
from backcheck.formcheck.decode import VideoInfo, iter_frames, probe
from backcheck.formcheck.outline import back_line_deg, back_sagitta, rear_of_hips
from backcheck.formcheck.plate import Hit, PlateTracker
from backcheck.formcheck.pose import DEFAULT_MODE, Mode, PoseEstimator, lifter_frames
from backcheck.formcheck.quality import FootageStats, footage_warnings
from backcheck.formcheck.report import FormReport
from backcheck.formcheck.series import N_LANDMARKS, PoseSeries, validate_series
from backcheck.settings import Settings, load_settings

Progress = Callable[[int, int | None], None]  # (frames done, frames expected or None)
LUMA_EVERY = 10  # frames between brightness samples
PEOPLE_EVERY_S = 2.0  # seconds between looks for a second person (a fresh detection)
_PREFETCH = 4


@dataclass
class VideoResult:
    """Everything one run produced: the landmark series, the report and where it came from."""

    info: VideoInfo
    series: PoseSeries
    report: FormReport


def _prefetch(frames: Iterator, size: int = _PREFETCH) -> Iterator:
    """Run a frame iterator on a thread, a few frames ahead; re-raise its errors here."""
    box: queue.Queue = queue.Queue(maxsize=size)
    stop = threading.Event()
    done = object()

    def work() -> None:
        try:
            for item in frames:
                while not stop.is_set():
                    try:
                        box.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            box.put(exc)

    thread = threading.Thread(target=work, name="backcheck-decode", daemon=True)
    thread.start()
    try:
        while (item := box.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


@dataclass
class _Track:
    """Per-frame results, appended as the video streams by."""

    xy: list[np.ndarray]
    vis: list[np.ndarray]
    times: list[float]
    sagitta: list[float]
    rear: list[np.ndarray]
    back_line: list[float]


def _band_bottom(xy: np.ndarray, plate: Hit | None) -> float:
    """Where the search for the back of the hips stops: the plate's top edge when the plate is
    seen on this frame (below it the plate, or the far one, can be taken for the body), else
    the knees."""
    if plate is not None:
        return float(plate[0][1] - plate[1])
    knees = xy[[S.L_KNEE, S.R_KNEE], 1]
    knees = knees[np.isfinite(knees)]
    return float(knees.mean()) if knees.size else float("nan")


def track_video(
    info: VideoInfo,
    settings: Settings,
    progress: Progress | None = None,
    mode: Mode = DEFAULT_MODE,
) -> tuple[PoseSeries, FootageStats]:
    """Landmarks, outline and plate for every frame, plus the footage statistics."""
    track = _Track([], [], [], [], [], [])
    plate, stats = PlateTracker(), FootageStats()
    people_every = max(1, int(round(PEOPLE_EVERY_S * info.fps)))
    last_xy = None
    others: list[Future[bool]] = []
    with (
        closing(_prefetch(iter_frames(info, settings))) as frames,
        PoseEstimator(mode=mode) as pose,
        ThreadPoolExecutor(1, thread_name_prefix="backcheck-plate") as plate_pool,
    ):
        upcoming = next(frames, None)
        near = plate_pool.submit(plate.near_search, upcoming[2]) if upcoming else None
        while upcoming is not None and near is not None:
            index, seconds, rgb = upcoming
            # Last frame's landmarks say where to look.
            plate_hit = plate.update(rgb, last_xy, near.result())
            view = plate.pose_view(rgb)
            # The next frame's plate search runs while the pose model works on this one.
            upcoming = next(frames, None)
            if upcoming is not None:
                near = plate_pool.submit(plate.near_search, upcoming[2])
            frame = pose.process(view)
            last_xy = frame.xy if frame.found else last_xy
            track.xy.append(frame.xy)
            track.vis.append(frame.visibility)
            track.times.append(seconds)
            track.sagitta.append(back_sagitta(frame.mask, frame.xy) if frame.found else np.nan)
            rear = (
                rear_of_hips(frame.mask, frame.xy, _band_bottom(frame.xy, plate_hit))
                if frame.found
                else np.full(2, np.nan)
            )
            track.rear.append(rear)
            track.back_line.append(back_line_deg(frame.mask, frame.xy, rear))
            if index % LUMA_EVERY == 0:
                stats.add_luma(rgb)
            if frame.found and index % people_every == people_every // 2:
                others.append(pose.other_person(rgb, frame))
            if progress is not None:
                progress(index + 1, info.frames_hint)
    stats.other_person = [look.result() for look in others]
    stats.camera_turned = plate.far_plate_seen
    n = len(track.times)
    xy = np.array(track.xy).reshape(n, N_LANDMARKS, 2)
    vis = np.array(track.vis).reshape(n, N_LANDMARKS)
    sagitta = np.array(track.sagitta, dtype=float)
    rear = np.array(track.rear, dtype=float).reshape(n, 2)
    back_line = np.array(track.back_line, dtype=float)
    found = int(np.any(np.isfinite(xy[:, :, 0]), axis=1).sum())
    bar_track = plate.result(info.fps, found)
    others = ~lifter_frames(xy, np.array(track.times), None if bar_track is None else bar_track[0])
    stats.bystander_frames = int(np.sum(others & np.isfinite(xy[:, 0, 0])))
    xy[others], vis[others], sagitta[others], rear[others] = np.nan, 0.0, np.nan, np.nan
    back_line[others] = np.nan
    series = PoseSeries(
        fps=info.fps, width=info.width, height=info.height, xy=xy,
        visibility=vis, times=np.array(track.times),
        bar=None if bar_track is None else bar_track[0],
        plate_radius=None if bar_track is None else bar_track[1],
        back_sagitta=sagitta, rear_of_hips=rear, back_line_deg=back_line, frames_decoded=n,
        source="video",
    )  # fmt: skip
    return validate_series(series, VideoError), stats


def run_video(
    path: str | Path,
    settings: Settings | None = None,
    progress: Progress | None = None,
    mode: Mode = DEFAULT_MODE,
) -> VideoResult:
    """Decode, track and analyse a video; raise VideoError when it cannot be analysed."""
    settings = settings or load_settings()
    info = probe(path, settings)
    started = time.perf_counter()
    series, stats = track_video(info, settings, progress, mode)
    elapsed = time.perf_counter() - started
    if series.frames_with_pose() == 0:
        raise VideoError(
            f"{info.path}: no person found in {series.n_frames} frames; film the whole body "
            "side-on, in good light"
        )
    report = analyze(series, AnalysisOptions(fps_processed=series.n_frames / max(elapsed, 1e-9)))
    report.add_warnings(footage_warnings(series, stats))
    # The pose model found a person on these frames, the lifter or (dropped) a bystander.
    report.frames_with_pose = series.frames_with_pose() + stats.bystander_frames
    return VideoResult(info, series, report)


def analyze_video(
    path: str | Path, settings: Settings | None = None, progress: Progress | None = None
) -> FormReport:
    """The form report of a video file (see `run_video` for the series and warnings too)."""
    return run_video(path, settings, progress).report
