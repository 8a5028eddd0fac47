"""Jinja2 environment shared by every page, with the helpers the templates call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from backcheck.web import views
from backcheck.web.security import CSRF_FIELD, csrf_token

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.auto_reload = False  # templates are package data: no stat() per render
templates.env.globals.update(
    name_of=views.name_of,
    kind_level=views.kind_level,
    banner=views.banner,
    csrf_field=CSRF_FIELD,
    level_order=views.LEVEL_ORDER,
)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """A page, with the CSRF token every form on it needs."""
    ctx = {"csrf_token": csrf_token(request), **(context or {})}
    return templates.TemplateResponse(request, name, ctx, status_code=status)
