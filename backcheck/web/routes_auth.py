"""The login page of a server the user bound beyond loopback with an access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from backcheck.web.security import (
    AUTH_COOKIE,
    SESSION_SECONDS,
    checked_form,
    session_cookie,
    token_matches,
)
from backcheck.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "login.html", {"error": None})


@router.post("/login")
def login(request: Request, form: Annotated[FormData, Depends(checked_form)]) -> Response:
    token = request.app.state.settings.token
    sent = str(form.get("token") or "")
    if not token or not token_matches(sent, token):
        return render(request, "login.html", {"error": "That token is not right."}, status=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        AUTH_COOKIE,
        session_cookie(request.app.state.secret, token),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
    )
    return response
