"""My log: import an app export with a preview first, add a symptom, see charts and patterns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from backcheck.errors import InputError
from backcheck.log import add_symptom, delete_symptom, import_file, preview_import
from backcheck.log.symptoms import ONSETS, QUALITIES, SIDES
from backcheck.web import logbridge, pending, uploads
from backcheck.web.security import checked_form
from backcheck.web.templating import render

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]
SymptomId = Annotated[int, PathParam(ge=1, le=2**53)]
PENDING, PENDING_SECONDS = pending.PENDING, pending.PENDING_SECONDS


def _page(request: Request, **extra: Any) -> Response:
    state = request.app.state
    ctx = {
        "section": "log",
        "preview": None,
        "token": None,
        "error": None,
        "imported": None,
        "qualities": QUALITIES,
        "sides": SIDES,
        "onsets": ONSETS,
        "now": datetime.now().strftime("%Y-%m-%dT%H:%M"),
        "view": logbridge.log_view(state.log),
        **extra,
    }
    return render(request, "log.html", ctx, status=400 if extra.get("error") else 200)


@router.get("/log", response_class=HTMLResponse)
async def log_page(request: Request) -> Response:
    return await run_in_threadpool(_page, request)


@router.post("/log/preview")
async def preview(request: Request, form: Form) -> Response:
    """Parse the upload without importing; keep it under a random name until confirmed."""
    file = form.get("export")
    if not isinstance(file, UploadFile) or not file.filename:
        return await run_in_threadpool(_page, request, error="Choose an export file to upload.")
    data = await file.read()
    state = request.app.state
    name = uploads.display_name(file.filename)
    result = await run_in_threadpool(preview_import, data, name, None, state.log)
    if result.errors:
        return await run_in_threadpool(_page, request, preview=result)
    token = await run_in_threadpool(pending.save, state.data_dir, data, name)
    return await run_in_threadpool(_page, request, preview=result, token=token)


@router.post("/log/import")
async def do_import(request: Request, form: Form) -> Response:
    """Import a previewed upload once. The pending file is claimed by renaming it, so of two
    tabs confirming the same preview one imports and the other is told it is already done."""
    token = str(form.get("token") or "")
    state = request.app.state
    path = pending.path_of(state.data_dir, token)
    if path is None:
        raise InputError("This import has expired: upload the file again.")
    pending.sweep(state.data_dir)
    claimed = path.with_name(f"{token}.importing")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        if claimed.exists() or path.with_name(f"{token}.done").exists():
            raise HTTPException(
                409, "This import is already in your log: it was confirmed once already."
            ) from None
        raise InputError("This import has expired: upload the file again.") from None
    name_file = path.with_name(f"{token}.name")
    try:
        name = name_file.read_text(encoding="utf-8") if name_file.is_file() else "export"
        summary = await run_in_threadpool(import_file, state.log, claimed.read_bytes(), name)
        path.with_name(f"{token}.done").touch()
    finally:
        claimed.unlink(missing_ok=True)
        name_file.unlink(missing_ok=True)
    return await run_in_threadpool(_page, request, imported=summary)


def _int_or_none(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"{text!r} is not a whole number.")
    return int(text)


@router.post("/log/symptom")
async def symptom(request: Request, form: Form) -> Response:
    """Record a symptom from a few taps: when, how bad, what it feels like."""
    when_text = str(form.get("occurred_at") or "").strip()
    try:
        when = datetime.fromisoformat(when_text) if when_text else datetime.now()
    except ValueError as exc:
        raise InputError(f"{when_text!r} is not a date and time.") from exc
    intensity = _int_or_none(form.get("intensity"))
    if intensity is None:
        raise InputError("Choose how bad it is, from 0 to 10.")
    add_symptom(
        request.app.state.log,
        when,
        intensity,
        quality=str(form.get("quality") or "") or None,
        side=str(form.get("side") or "") or None,
        onset=str(form.get("onset") or "") or None,
        duration_min=_int_or_none(form.get("duration_min")),
        notes=str(form.get("notes") or "").strip()[:2000] or None,
    )
    return RedirectResponse("/log?added=1#symptoms", status_code=303)


@router.post("/log/symptom/{symptom_id}/delete")
def remove_symptom(request: Request, symptom_id: SymptomId, form: Form) -> Response:
    delete_symptom(request.app.state.log, symptom_id)
    back = str(form.get("back") or "/history")
    return RedirectResponse(back if back in ("/log", "/history") else "/history", status_code=303)


@router.get("/log/chart/{name}.png")
async def chart(request: Request, name: str) -> Response:
    if name not in logbridge.PNG_CHARTS:
        raise HTTPException(404, "No such chart.")
    png = await run_in_threadpool(logbridge.chart_png, request.app.state.log, name)
    return Response(png, media_type="image/png")
