"""Video analysis off the request path, with progress the page can poll.

One worker thread takes queued videos in order and analyses each in a separate, lower-priority
process (spawned, so pose estimation never holds the server's GIL). The child reports progress by
rewriting `progress.json` in the video's folder and ends by writing `report.json` or
`error.json`; the thread copies those into the history. A video whose server stopped mid-way is
queued again at the next start.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import re
import threading
from pathlib import Path
from typing import Any

from backcheck.errors import BackcheckError
from backcheck.settings import Settings
from backcheck.web.store import WebStore

POLL_SECONDS = 0.25
# The lowest priority: analysis gets whatever CPU the requests leave, so pages and the API stay
# quick while a video is analysed (threads made later, such as MediaPipe's, inherit it).
VIDEO_NICENESS = 19


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[^\s/:;,'\"]+/)*[^\s/:;,'\"]+")


def public_message(message: str, video: str | Path | None = None) -> str:
    """A failure message fit for the page: no path of this machine (the data folder and the
    stored video's name are internal), first letter capitalised."""
    if video is not None:
        path = str(video)
        message = message.removeprefix(f"{path}: ").replace(path, "the video")
    message = ABSOLUTE_PATH.sub("a file", message).strip()
    return message[:1].upper() + message[1:] if message else "The analysis failed."


def analyse_in_child(video: str, folder: str, settings: Settings) -> None:
    """Child-process entry: analyse one video and leave the outcome as JSON files."""
    from backcheck.web import formcheck_bridge

    if hasattr(os, "nice"):
        os.nice(VIDEO_NICENESS)
    out = Path(folder)

    def progress(fraction: float, message: str) -> None:
        _write_json(out / "progress.json", {"progress": fraction, "message": message})

    try:
        report, findings = formcheck_bridge.analyse(Path(video), out, settings, progress)
    except BackcheckError as exc:
        _write_json(out / "error.json", {"message": public_message(str(exc), video)})
        return
    except Exception as exc:  # noqa: BLE001 - report any crash of the analysis to the page
        message = public_message(f"The analysis failed: {exc}", video)
        _write_json(out / "error.json", {"message": message})
        return
    _write_json(out / "findings.json", findings)
    _write_json(out / "report.json", report)


class JobRunner:
    """Runs queued video analyses one at a time; start() at app start, stop() at shutdown."""

    def __init__(self, store: WebStore, data_dir: Path, settings: Settings) -> None:
        self.store = store
        self.data_dir = data_dir
        self.settings = settings
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._child: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        for video in reversed(self.store.list_videos()):
            if video.status in ("queued", "running"):
                self._queue.put(video.id)
        self._thread = threading.Thread(target=self._loop, name="video-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._queue.put(None)
        child = self._child
        if child is not None and child.is_alive():
            child.terminate()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def submit(self, video_id: int) -> None:
        self._queue.put(video_id)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            video_id = self._queue.get()
            if video_id is None:
                return
            try:
                self._run(video_id)
            except Exception as exc:  # noqa: BLE001 - one bad job must not stop the queue
                message = public_message(str(exc))
                self.store.update_video(video_id, status="failed", message=message)

    def _run(self, video_id: int) -> None:
        video = self.store.get_video(video_id)
        if video is None:
            return
        folder = self.data_dir / video.folder
        for name in (
            "progress.json",
            "report.json",
            "findings.json",
            "error.json",
            "annotated.mp4",
            "angles.png",
        ):
            (folder / name).unlink(missing_ok=True)
        self.store.update_video(
            video_id, status="running", progress=0.0, message="Finding the lifter in each frame"
        )
        ctx = multiprocessing.get_context("spawn")
        child = ctx.Process(
            target=analyse_in_child,
            daemon=True,
            args=(str(folder / video.filename), str(folder), self.settings),
        )
        self._child = child
        child.start()
        while child.is_alive():
            child.join(POLL_SECONDS)
            self._copy_progress(video_id, folder)
        self._child = None
        self._finish(video_id, folder, child.exitcode)

    def _copy_progress(self, video_id: int, folder: Path) -> None:
        try:
            fraction = json.loads((folder / "progress.json").read_text("utf-8"))["progress"]
        except (OSError, ValueError, KeyError):
            return
        self.store.update_video(video_id, progress=float(fraction))

    def _finish(self, video_id: int, folder: Path, exitcode: int | None) -> None:
        report, error = folder / "report.json", folder / "error.json"
        if report.exists():
            self.store.update_video(
                video_id,
                status="done",
                progress=1.0,
                message="Analysis finished",
                report_json=report.read_text("utf-8"),
                findings_json=(folder / "findings.json").read_text("utf-8"),
            )
        elif error.exists():
            message = json.loads(error.read_text("utf-8"))["message"]
            self.store.update_video(video_id, status="failed", message=message)
        elif self._stopping.is_set():
            self.store.update_video(video_id, status="queued", message="Waiting to restart")
        else:
            self.store.update_video(
                video_id,
                status="failed",
                message=f"The analysis stopped unexpectedly ({exitcode}).",
            )
