"""Findings from the training log and the latest analysed video, added to a check on request."""

from __future__ import annotations

from typing import Any

from backcheck.findings import Finding
from backcheck.web.logbridge import findings
from backcheck.web.service import finding_from_json


def video_findings(app: Any) -> list[Finding]:
    """The findings of the most recent video whose analysis finished."""
    for video in app.state.store.list_videos():
        if video.status == "done":
            return [finding_from_json(f) for f in video.findings]
    return []


def extra_findings(app: Any) -> list[Finding]:
    return [*findings(app.state.log), *video_findings(app)]
