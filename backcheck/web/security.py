"""Security for a local web app that holds health data.

- Security headers with a strict Content-Security-Policy: every script, style, image and video
  comes from this server; nothing is ever loaded from, or sent to, another machine.
- CSRF: double-submit token. A random `bc_csrf` cookie (SameSite=Strict) is set on first visit
  and every form carries it in a hidden field; a POST whose field does not match is refused.
  The JSON API is exempt because it only accepts `application/json`, which a cross-site form
  cannot send.
- Host check: without a token only loopback host names are served, so a web page elsewhere
  cannot reach this app through DNS rebinding.
- Token auth: when the user set a token (required when binding beyond loopback), every request
  but `/healthz` and the login page needs it, as `Authorization: Bearer`, or as the cookie the
  login page sets.
- Body size limits: a request body larger than its route's limit is cut off with 413.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.datastructures import FormData, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcheck.errors import InputError

CSRF_COOKIE = "bc_csrf"
CSRF_FIELD = "csrf_token"
AUTH_COOKIE = "bc_auth"
OPEN_PATHS = ("/healthz", "/login", "/static/")
MIN_TOKEN = 8

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Refuse to serve beyond this machine unless the user set a token."""
    if is_loopback(host):
        return
    if not token or len(token) < MIN_TOKEN:
        raise InputError(
            f"refusing to listen on {host}: other machines could reach your health data. "
            f"Set an access token of at least {MIN_TOKEN} characters with --token or "
            "BACKCHECK_TOKEN, or keep the default host 127.0.0.1."
        )


def auth_cookie_value(token: str) -> str:
    """What the login cookie holds: a digest of the token, never the token itself."""
    return hashlib.sha256(b"backcheck-auth:" + token.encode()).hexdigest()


def _token_ok(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    cookie = request.cookies.get(AUTH_COOKIE, "")
    return hmac.compare_digest(cookie, auth_cookie_value(token))


def _local_host(host_header: str) -> bool:
    """Without a token, only loopback names may be asked for (defeats DNS rebinding)."""
    host = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return is_loopback(host)


class SecurityMiddleware:
    """ASGI middleware: host check, token auth, security headers and the CSRF cookie.

    Plain ASGI rather than an `http` middleware function, so a request costs one wrapper call.
    """

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope["path"]
        had_cookie = bool(request.cookies.get(CSRF_COOKIE))
        fresh = csrf_token(request)  # before the page renders, so its forms carry the same one
        extra = [] if had_cookie else [(b"set-cookie", _cookie(fresh))]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers.setdefault(key, value)
                if "text/html" in headers.get("content-type", ""):
                    headers.setdefault("cache-control", "no-store")
                for key, value in extra:
                    headers.append(key.decode(), value.decode())
            await send(message)

        if not self.token and not _local_host(request.headers.get("host", "")):
            response: Response = PlainTextResponse(
                "Unknown host name: open backcheck at 127.0.0.1.", status_code=400
            )
        elif self.token and not path.startswith(OPEN_PATHS) and not _token_ok(request, self.token):
            response = _refuse(request, path)
        else:
            await self.app(scope, receive, send_with_headers)
            return
        await response(scope, receive, send_with_headers)


def _cookie(value: str) -> bytes:
    return f"{CSRF_COOKIE}={value}; HttpOnly; Path=/; SameSite=strict".encode()


def _refuse(request: Request, path: str) -> Response:
    if path.startswith("/api") or request.method != "GET":
        return JSONResponse(
            {"detail": "This backcheck server needs its access token."}, status_code=401
        )
    return RedirectResponse("/login", status_code=303)


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: its cookie, or a fresh one remembered on the request."""
    existing = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
    if existing:
        return existing
    request.state.csrf = secrets.token_urlsafe(32)
    return request.state.csrf


async def checked_form(request: Request) -> FormData:
    """FastAPI dependency: the submitted form, after its CSRF token was checked."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not (isinstance(sent, str) and cookie and hmac.compare_digest(sent, cookie)):
        raise HTTPException(
            403,
            "This form has expired or did not come from this app: "
            "reload the page and send it again.",
        )
    return form


class BodyLimit:
    """ASGI middleware: refuse request bodies over a per-path limit (413)."""

    def __init__(self, app: ASGIApp, default_bytes: int, limits: dict[str, int]) -> None:
        self.app = app
        self.default_bytes = default_bytes
        self.limits = limits

    def _limit(self, path: str) -> int:
        for prefix, limit in self.limits.items():
            if path.startswith(prefix):
                return limit
        return self.default_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _too_large(send, limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send, limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f"Upload too large: the limit is {limit // 1_000_000} MB.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
