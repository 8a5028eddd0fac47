"""Which side of the lifter faces the camera, and which way the lifter faces.

In a side view the far-side landmarks are hidden behind the body and the pose model guesses
them; every angle is therefore taken from the near side, chosen by mean landmark visibility.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcheck.formcheck import series as S
from backcheck.formcheck.series import PoseSeries

_LEFT = {"shoulder": S.L_SHOULDER, "elbow": S.L_ELBOW, "wrist": S.L_WRIST, "hip": S.L_HIP,
         "knee": S.L_KNEE, "ankle": S.L_ANKLE, "heel": S.L_HEEL, "toe": S.L_FOOT}  # fmt: skip
_RIGHT = {"shoulder": S.R_SHOULDER, "elbow": S.R_ELBOW, "wrist": S.R_WRIST, "hip": S.R_HIP,
          "knee": S.R_KNEE, "ankle": S.R_ANKLE, "heel": S.R_HEEL, "toe": S.R_FOOT}  # fmt: skip


@dataclass(frozen=True)
class Side:
    name: str  # "left" or "right": the lifter's side nearer the camera
    index: dict[str, int]
    visibility: float  # mean visibility of its key landmarks
    facing: int  # +1 when the lifter faces the right of the image, -1 the left
    far: dict[str, int]  # the same landmarks on the far side


def choose_side(series: PoseSeries) -> Side:
    """The near side by visibility, and the facing direction from foot and nose positions."""
    scores = {}
    for name, index in (("left", _LEFT), ("right", _RIGHT)):
        vis = series.visibility[:, list(index.values())]
        scores[name] = float(np.mean(vis)) if vis.size else 0.0
    name = "left" if scores["left"] >= scores["right"] else "right"
    index, far = (_LEFT, _RIGHT) if name == "left" else (_RIGHT, _LEFT)
    return Side(name, index, scores[name], _facing(series, index), far)


def _facing(series: PoseSeries, index: dict[str, int]) -> int:
    """Toes point the way the lifter faces; fall back on the nose being ahead of the hips."""
    toe_ahead = series.xy[:, index["toe"], 0] - series.xy[:, index["heel"], 0]
    nose_ahead = series.xy[:, S.NOSE, 0] - series.xy[:, index["hip"], 0]
    for votes in (toe_ahead, nose_ahead):
        votes = votes[np.isfinite(votes)]
        if votes.size and np.median(votes) != 0:
            return 1 if np.median(votes) > 0 else -1
    return 1
