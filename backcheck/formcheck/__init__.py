"""Form check: a side-on deadlift video (or a landmark file) in, reps, faults and findings out.

The public surface is small on purpose; the modules behind it (decode, pose, outline, plate,
quality, render, pipeline for videos; series, smoothing, side, reps, metrics, faults, analysis
for landmarks) are private and may change.
"""

from __future__ import annotations

from pathlib import Path

from backcheck.formcheck.pipeline import analyze_video
from backcheck.formcheck.report import FormReport

__all__ = ["FormReport", "analyze_landmarks", "analyze_video"]


def analyze_landmarks(path: str | Path) -> FormReport:
    """The form report of a landmark JSON or TRC file (no video needed)."""
    from backcheck.formcheck.analysis import analyze
    from backcheck.formcheck.landmark_files import load_landmarks

    return analyze(load_landmarks(path))
