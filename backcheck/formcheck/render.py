"""What the lifter looks at: an annotated video, a chart of the angles, the JSON.

The video is decoded a second time rather than kept from the analysis pass, so memory stays
flat; each frame gets the skeleton (the side nearer the camera drawn bold), the bar path so far,
the plate when it was tracked, and the rep number with its faults while that rep is under way.
Encoding is H.264 in yuv420p, which every phone and browser plays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from backcheck.formcheck import series as S
from backcheck.formcheck.analysis import AnalysisOptions
from backcheck.formcheck.decode import VideoInfo, iter_frames
from backcheck.formcheck.kinematics import Body, build_body
from backcheck.formcheck.report import FormReport
from backcheck.formcheck.series import PoseSeries
from backcheck.formcheck.side import choose_side
from backcheck.settings import Settings

_LIMBS = ((11, 13), (13, 15), (11, 23), (23, 25), (25, 27), (27, 29), (29, 31), (27, 31))
_ACROSS = ((11, 12), (23, 24))
NEAR, FAR, BAR, TEXT, FAULT = (
    (255, 210, 0),
    (150, 150, 150),
    (0, 200, 255),
    (255, 255, 255),
    (255, 80, 60),
)


def write_video(path: Path, frames: Iterable[np.ndarray], fps: float, width: int,
                height: int) -> None:  # fmt: skip
    """Encode RGB frames as H.264 (yuv420p), one at a time."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1000))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "21", "preset": "veryfast"}
        for rgb in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        container.mux(stream.encode(None))


def lifter_body(series: PoseSeries) -> Body:
    """The analysis' per-frame tracks and angles (the same ones the report was built from)."""
    options = AnalysisOptions()
    return build_body(series, choose_side(series), options.max_gap_s, options.min_visibility)


def _point(p: np.ndarray) -> tuple[int, int] | None:
    return (int(round(p[0])), int(round(p[1]))) if np.all(np.isfinite(p)) else None


def _skeleton(img: np.ndarray, xy: np.ndarray, near_left: bool, thick: int) -> None:
    """Far side thin and grey, near side bold on top; left landmarks are odd, right ones +1."""
    lines = [(a, b, FAR, max(1, thick // 2)) for a, b in _ACROSS]
    for left, colour, width in ((not near_left, FAR, max(1, thick // 2)), (near_left, NEAR, thick)):
        shift = 0 if left else 1
        lines += [(a + shift, b + shift, colour, width) for a, b in _LIMBS]
    for a, b, colour, width in lines:
        pa, pb = _point(xy[a]), _point(xy[b])
        if pa and pb:
            cv2.line(img, pa, pb, colour, width, cv2.LINE_AA)


def _rep_label(report: FormReport, t: float) -> tuple[str, bool] | None:
    """'Rep 2: hips rise early' while rep 2 is under way (and a second after its lockout)."""
    for rep in report.reps:
        if rep.start_s - 0.3 <= t <= rep.lockout_s + 1.0:
            faults = ", ".join(f.replace("_", " ") for f in rep.faults)
            return f"Rep {rep.number}: {faults or 'no fault found'}", bool(rep.faults)
    return None


def _annotate(img: np.ndarray, i: int, t: float, series: PoseSeries, report: FormReport,
              trail: np.ndarray) -> np.ndarray:  # fmt: skip
    thick = max(2, img.shape[0] // 240)
    _skeleton(img, series.xy[i], report.side != "right", thick)
    pts = trail[max(0, i - int(8 * series.fps)) : i + 1]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) > 1:
        cv2.polylines(img, [np.round(pts).astype(np.int32)], False, BAR, thick, cv2.LINE_AA)
    if series.plate_radius is not None and series.bar is not None:
        c, r = _point(series.bar[i]), series.plate_radius[i]
        if c and np.isfinite(r):
            cv2.circle(img, c, int(r), BAR, max(1, thick // 2), cv2.LINE_AA)
    label = _rep_label(report, t)
    if label:
        scale = img.shape[0] / 600
        org = (int(12 * scale) + 4, int(36 * scale) + 4)
        cv2.putText(img, label[0], org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0),
                    thick + 2, cv2.LINE_AA)  # fmt: skip
        cv2.putText(img, label[0], org, cv2.FONT_HERSHEY_SIMPLEX, scale,
                    FAULT if label[1] else TEXT, thick, cv2.LINE_AA)  # fmt: skip
    return img


def bar_trail(series: PoseSeries) -> np.ndarray:
    """The plate centre where tracked, else the nearer wrist: what the user sees as bar path."""
    near = S.L_WRIST if series.visibility[:, S.L_WRIST].mean() >= series.visibility[
        :, S.R_WRIST].mean() else S.R_WRIST  # fmt: skip
    trail = series.xy[:, near].copy()
    if series.bar is not None:
        seen = np.all(np.isfinite(series.bar), axis=1)
        trail[seen] = series.bar[seen]
    return trail


def write_annotated_video(info: VideoInfo, settings: Settings, series: PoseSeries,
                          report: FormReport, path: Path) -> Path:  # fmt: skip
    """Second pass over the clip, drawing the analysis on each frame."""
    trail = bar_trail(series)
    frames = (
        _annotate(rgb.copy(), i, t, series, report, trail)
        for i, t, rgb in iter_frames(info, settings)
        if i < series.n_frames
    )
    write_video(path, frames, info.fps, info.width, info.height)
    return path


def write_angle_chart(series: PoseSeries, report: FormReport, path: Path) -> Path:
    """Trunk, hip and knee angles over time, each rep shaded, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    body = lifter_body(series)
    fig = Figure(figsize=(9, 4), dpi=110)
    ax = fig.subplots()
    for values, name in ((body.trunk, "trunk to horizontal"), (body.hip_angle, "hip"),
                         (body.knee_angle, "knee")):  # fmt: skip
        ax.plot(series.times, values, label=name, linewidth=1.4)
    for rep in report.reps:
        ax.axvspan(rep.start_s, rep.lockout_s, color="0.85", zorder=0)
        ax.text(rep.start_s, 5, f"{rep.number}", fontsize=8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("angle (degrees)")
    ax.set_ylim(0, 200)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(f"{len(report.reps)} reps; shaded: lift-off to lockout", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    return path


def write_outputs(info: VideoInfo, settings: Settings, series: PoseSeries, report: FormReport,
                  out_dir: Path) -> dict[str, Path]:  # fmt: skip
    """annotated.mp4, angles.png and report.json in `out_dir` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "video": write_annotated_video(info, settings, series, report, out_dir / "annotated.mp4"),
        "chart": write_angle_chart(series, report, out_dir / "angles.png"),
        "json": out_dir / "report.json",
    }
    paths["json"].write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    return paths
