"""History: past checks, symptoms and videos; delete any of them; export everything."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import FormData

from backcheck.settings import SETTINGS
from backcheck.web import logbridge, pending, uploads
from backcheck.web.security import checked_form
from backcheck.web.store import now_iso
from backcheck.web.templating import render

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]


@router.get("/history", response_class=HTMLResponse)
def history(request: Request) -> Response:
    state = request.app.state
    return render(
        request,
        "history.html",
        {
            "section": "history",
            "checks": state.store.list_checks(),
            "videos": state.store.list_videos(),
            "symptoms": logbridge.symptoms(state.log),
            "waiting": pending.waiting(state.data_dir),
        },
    )


@router.post("/history/pending/delete")
def delete_waiting(request: Request, form: Form) -> Response:
    """Delete the uploaded training logs still waiting to be imported."""
    pending.delete_all(request.app.state.data_dir)
    return history(request)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> Response:
    """Every setting from its one declaration, with the value in force (the token hidden)."""
    current = request.app.state.settings
    rows = [(s.name, s.env, s.help, _shown(s.name, getattr(current, s.name))) for s in SETTINGS]
    return render(request, "settings.html", {"rows": rows})


def _shown(name: str, value: Any) -> str:
    if name == "token":
        return "set" if value else "not set"
    return str(value)


def _check_json(check: Any) -> dict[str, Any]:
    return {
        "id": check.id,
        "created_at": check.created_at,
        "mode": check.mode,
        "text": check.text,
        "answers": check.answers,
        "result": check.result,
        "video_id": check.video_id,
    }


def _video_json(video: Any) -> dict[str, Any]:
    return {
        "id": video.id,
        "created_at": video.created_at,
        "name": video.original_name,
        "status": video.status,
        "message": video.message,
        "report": video.report,
        "findings": video.findings,
    }


def build_export(state: Any) -> Path:
    """A ZIP of everything: checks, video analyses and videos, the training log and the
    uploaded logs still waiting to be imported."""
    exports = state.data_dir / "exports"
    exports.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="backcheck-export-", suffix=".zip", dir=exports)
    path = Path(name)  # a name of its own: two exports at once never share (or delete) a file
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(
                "checks.json",
                json.dumps([_check_json(c) for c in state.store.list_checks()], indent=1),
            )
            videos = state.store.list_videos()
            zf.writestr("videos.json", json.dumps([_video_json(v) for v in videos], indent=1))
            for video in videos:
                folder = uploads.inside(state.data_dir, video.folder)
                for file in sorted(folder.glob("*")) if folder.is_dir() else []:
                    if file.suffix in (".mp4", ".mov", ".webm", ".mkv", ".avi", ".m4v", ".png"):
                        zf.write(file, f"videos/{video.id}/{file.name}")
            for name, data in logbridge.export_files(state.log):
                zf.writestr(f"log/{name}", data)
            for token, upload_name in pending.waiting(state.data_dir):
                upload = pending.path_of(state.data_dir, token)
                if upload is not None and upload.is_file():
                    entry = f"{pending.PENDING}/{token}-{uploads.display_name(upload_name)}"
                    zf.write(upload, entry)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def download_name() -> str:
    """The name the browser saves the export under: when it was made, to the second."""
    return f"backcheck-export-{now_iso()[:19].replace(' ', '_').replace(':', '')}.zip"


@router.get("/history/export.zip")
async def export(request: Request) -> Response:
    path = await run_in_threadpool(build_export, request.app.state)
    return FileResponse(
        path,
        media_type="application/zip",
        filename=download_name(),
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
