"""Form-check video speed and memory: the whole pipeline against the bare pose model on the same
720p clip, and peak memory on a two-minute 1080p clip (run in a child process, time-bounded).

The clips are generated (layer-2 deadlift videos from the Sports2D demo person) into a temporary
folder; the demo clip is fetched from PyPI once and cached. The 720p clip is also scored against
the generator's truth, so the table carries the layer-2 accuracy next to the speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2

from backcheck.errors import VideoError

CACHE = Path.home() / ".cache" / "backcheck-test"
MEMORY_CLIP_S = 120
MEMORY_TIME_LIMIT_S = 150  # the child stops after this long and reports what it reached
_CHILD = """
import json, sys, time
from backcheck.formcheck.decode import probe
from backcheck.formcheck.pipeline import track_video
from backcheck.settings import load_settings

class Enough(Exception):
    pass

limit, start, done = float(sys.argv[2]), time.perf_counter(), [0]
def progress(n, total):
    done[0] = n
    if time.perf_counter() - start > limit:
        raise Enough
settings = load_settings()
info = probe(sys.argv[1], settings)
try:
    track_video(info, settings, progress)
except Enough:
    pass
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"frames": done[0], "peak_mb": kb / 1024, "total": info.frames_hint}))
"""


def _bare_pose_fps(path: Path, static: bool) -> float:
    """Frames per second of MediaPipe Pose alone (decoding not timed), same model settings."""
    from backcheck.formcheck.decode import iter_frames, probe
    from backcheck.formcheck.pose import build_graph

    graph, spent, count = build_graph(static=static), 0.0, 0
    try:
        for _, _, rgb in iter_frames(probe(path)):
            start = time.perf_counter()
            graph.process(rgb)
            spent += time.perf_counter() - start
            count += 1
    finally:
        graph.close()
    return count / spent


def _long_1080p(source: Path, target: Path, seconds: int) -> Path:
    """A long 1080p clip: the generated clip upscaled and looped (cheap to encode)."""
    from backcheck.formcheck.decode import iter_frames, probe
    from backcheck.formcheck.render import write_video

    info = probe(source)
    frames = [rgb for i, _, rgb in iter_frames(info) if i < 60]
    loop = (cv2.resize(frames[i % len(frames)], (1920, 1080))
            for i in range(int(seconds * info.fps)))  # fmt: skip
    write_video(target, loop, info.fps, 1920, 1080)
    return target


def _peak_memory(path: Path) -> dict:
    cmd = [sys.executable, "-c", _CHILD, str(path), str(MEMORY_TIME_LIMIT_S)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=MEMORY_TIME_LIMIT_S + 120,
                          check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[tuple[str, str, str]]:
    from backcheck.formcheck import videogen as V
    from backcheck.formcheck.pipeline import run_video

    try:
        clip = V.demo_clip(CACHE)
    except VideoError as exc:
        return [("video benchmarks", f"skipped: {exc}", "PyPI reachable")]
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sprite = V.cut_out(V.source_frame(clip))
        video = V.make_deadlift_video(Path(tmp) / "bench720.mp4", sprite, reps=3, yaw_deg=20.0,
                                      width=1280, height=720, hips_rise_early=15.0,
                                      faulty_reps=[2], seed=5)  # fmt: skip
        result = run_video(video.path)
        pipeline_fps = result.report.fps_processed
        bare_static = _bare_pose_fps(video.path, static=True)
        bare_tracking = _bare_pose_fps(video.path, static=False)
        score = V.score(video, result.series, result.report)
        rows += [
            ("whole pipeline, 720p clip, detection on every frame (frames/s)",
             f"{pipeline_fps:.1f}", ">= 30 on 2 cores"),
            ("bare pose model, same clip: static / tracking mode (frames/s)",
             f"{bare_static:.1f} / {bare_tracking:.1f}", "reference"),
            ("pipeline / bare pose, same mode (static)", f"{pipeline_fps / bare_static:.0%}",
             ">= 85%"),
            ("pipeline / bare pose, tracking mode", f"{pipeline_fps / bare_tracking:.0%}",
             ">= 85%"),
            ("layer 2, yaw 20, 720p: reps found / true",
             f"{score['reps_found']} / {score['reps_true']}", "exact"),
            ("layer 2, yaw 20: trunk / hip angle RMSE (deg)",
             f"{_fmt(score['trunk_rmse_deg'])} / {_fmt(score['hip_rmse_deg'])}", "<= 10 / <= 15"),
        ]  # fmt: skip
        memory = _peak_memory(_long_1080p(video.path, Path(tmp) / "long1080.mp4", MEMORY_CLIP_S))
        rows.append((
            f"peak memory, {MEMORY_CLIP_S} s 1080p clip (MB)",
            f"{memory['peak_mb']:.0f} (after {memory['frames']} of {memory['total']} frames)",
            "<= 800",
        ))  # fmt: skip
    rows.append(("CPU load (1-min average, start / end)",
                 f"{load_before:.1f} / {os.getloadavg()[0]:.1f}", "2 cores, shared"))  # fmt: skip
    return rows


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"
