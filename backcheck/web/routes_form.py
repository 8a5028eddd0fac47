"""My form: upload a side-on video, watch the analysis progress, read the results."""

from __future__ import annotations

import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from backcheck.assess import assess_findings
from backcheck.errors import InputError
from backcheck.web import uploads
from backcheck.web.security import checked_form
from backcheck.web.service import finding_from_json, run_triage
from backcheck.web.templating import render

router = APIRouter(include_in_schema=False)
VideoId = Annotated[int, PathParam(ge=1, le=2**53)]
Form = Annotated[FormData, Depends(checked_form)]
MEDIA = {"annotated.mp4": "video/mp4", "angles.png": "image/png", "video": None}


@router.get("/form", response_class=HTMLResponse)
def form_page(request: Request) -> Response:
    return render(
        request,
        "form.html",
        {"section": "form", "error": None, "videos": request.app.state.store.list_videos()},
    )


@router.post("/form/upload")
async def upload(request: Request, form: Form) -> Response:
    file = form.get("video")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InputError("Choose a video file to upload.")
    state = request.app.state
    max_bytes = state.settings.max_video_mb * 1_000_000
    folder, name = await run_in_threadpool(
        uploads.save_video, file, state.data_dir / "videos", max_bytes
    )
    video_id = state.store.add_video(name, folder, uploads.display_name(file.filename))
    state.jobs.submit(video_id)
    return RedirectResponse(f"/form/{video_id}", status_code=303)


def _video_or_404(request: Request, video_id: int) -> Any:
    video = request.app.state.store.get_video(video_id)
    if video is None:
        raise HTTPException(404, "This video does not exist (it may have been deleted).")
    return video


async def _effect(request: Request, video: Any) -> dict[str, Any] | None:
    """How the video's findings change the advice of the latest check (None without one)."""
    checks = request.app.state.store.list_checks()
    if not checks or not video.findings:
        return None
    base = checks[0]
    extra = [finding_from_json(f) for f in video.findings]
    with_video = await run_triage(base.text, base.answers or None, extra)
    before, after = base.result, with_video
    cue_ids = {c.get("id") for c in (before.get("plan") or {}).get("cues", [])}
    return {
        "check": base,
        "level_before": before["level"],
        "level_after": after["level"],
        "factors_added": [f for f in after["factors"] if f not in before["factors"]],
        "cues_added": [
            c for c in (after.get("plan") or {}).get("cues", []) if c.get("id") not in cue_ids
        ],
    }


def _cues(video: Any) -> list[dict[str, Any]]:
    """The technique cues the advice gives for this video's faults alone."""
    present = [finding_from_json(f) for f in video.findings if f["assertion"] == "present"]
    return assess_findings(present).plan.to_json().get("cues", []) if present else []


@router.get("/form/{video_id}", response_class=HTMLResponse)
async def video_page(request: Request, video_id: VideoId) -> Response:
    video = _video_or_404(request, video_id)
    effect = await _effect(request, video) if video.status == "done" else None
    folder = uploads.inside(request.app.state.data_dir, video.folder)
    return render(
        request,
        "video.html",
        {
            "section": "form",
            "video": video,
            "report": video.report or {},
            "effect": effect,
            "has_annotated": (folder / "annotated.mp4").exists(),
            "has_chart": (folder / "angles.png").exists(),
            "cues": _cues(video),
        },
    )


@router.get("/form/{video_id}/media/{name}")
def media(request: Request, video_id: VideoId, name: str) -> Response:
    """The original upload, the annotated video or the chart; nothing else is served."""
    if name not in MEDIA:
        raise HTTPException(404, "No such file.")
    video = _video_or_404(request, video_id)
    filename = video.filename if name == "video" else name
    path = uploads.inside(request.app.state.data_dir, video.folder, filename)
    if not path.is_file():
        raise HTTPException(404, "No such file.")
    return FileResponse(path, media_type=MEDIA[name])


@router.post("/form/{video_id}/recheck")
async def recheck(request: Request, video_id: VideoId, form: Form) -> Response:
    """A new check of the latest report with this video's findings added."""
    video = _video_or_404(request, video_id)
    checks = request.app.state.store.list_checks()
    if not checks:
        raise InputError("Check your back first; then this video's findings can be added.")
    base = checks[0]
    extra = [finding_from_json(f) for f in video.findings]
    result = await run_triage(base.text, base.answers or None, extra)
    check_id = request.app.state.store.add_check(
        base.mode, base.text, base.answers, result, video_id=video.id
    )
    return RedirectResponse(f"/check/{check_id}", status_code=303)


@router.post("/form/{video_id}/delete")
def delete_video(request: Request, video_id: VideoId, form: Form) -> Response:
    state = request.app.state
    video = state.store.delete_video(video_id)
    if video is not None:
        shutil.rmtree(uploads.inside(state.data_dir, video.folder), ignore_errors=True)
    return RedirectResponse("/history", status_code=303)
