"""Runs in the analysis child process: a video in, the report, findings and drawings out.

Uses the same two steps as `backcheck formcheck` (track and analyse, then draw the annotated
video and the angle chart), reporting progress as a fraction with a short message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from backcheck.formcheck.pipeline import run_video
from backcheck.formcheck.render import write_outputs
from backcheck.settings import Settings

Report = Callable[[float, str], None]
TRACKING_SHARE = 0.85  # of the bar; drawing the annotated video takes the rest


def analyse(
    video: Path, out_dir: Path, settings: Settings, report: Report
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(report JSON, findings JSON) of `video`; annotated.mp4 and angles.png go to out_dir."""

    def tracked(done: int, total: int | None) -> None:
        if total:
            report(
                TRACKING_SHARE * min(1.0, done / total),
                f"Finding the lifter: frame {done} of {total}",
            )

    result = run_video(video, settings, tracked)
    report(TRACKING_SHARE, "Drawing the annotated video")
    write_outputs(result.info, settings, result.series, result.report, out_dir)
    findings = [f.to_json() for f in result.report.findings()]
    return result.report.to_json(), findings
