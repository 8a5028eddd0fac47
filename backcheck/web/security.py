"""Security for a local web app that holds health data.

- Security headers with a strict Content-Security-Policy: every script, style, image and video
  comes from this server; nothing is ever loaded from, or sent to, another machine.
- Cross-origin refusal: a POST (or any unsafe method) whose `Origin` is not this server's, or
  whose `Sec-Fetch-Site` is not `same-origin` or `none`, is refused (403), forms and JSON API
  alike. A page on another port of this machine is "same-site", so SameSite cookies alone do
  not stop it.
- CSRF: signed double-submit token. A random `bc_csrf` cookie (SameSite=Strict) is set on first
  visit; every form carries an HMAC of it under the server's secret (`secret.key` in the data
  folder, 0600). Cookies are not kept apart by port, so another local page can plant the
  cookie; it cannot compute the signed token.
- Host check: without a token only loopback host names are served, so a web page elsewhere
  cannot reach this app through DNS rebinding.
- Token auth: when the user set a token (required when binding beyond loopback), every request
  but `/healthz` and the login page needs it, as `Authorization: Bearer`, or as the session
  cookie the login page sets: its issue time signed with the secret and the token, valid for
  SESSION_SECONDS (and no longer once the token or the secret changes).
- Body size limits: a request body larger than its route's limit is cut off with 413.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.datastructures import FormData, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backcheck.errors import InputError

CSRF_COOKIE = "bc_csrf"
CSRF_FIELD = "csrf_token"
AUTH_COOKIE = "bc_auth"
OPEN_PATHS = ("/healthz", "/login", "/static/", "/favicon.ico")
MIN_TOKEN = 8
SESSION_SECONDS = 12 * 3600
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SECRET_FILE = "secret.key"
SECRET_BYTES = 32

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


def now() -> float:
    """The clock sessions are judged by (a function, so tests can move it)."""
    return time.time()


def load_secret(data_dir: Path) -> bytes:
    """The server's signing secret, made once per data folder: written to a private temporary
    file and linked into place, so two servers starting together agree on one secret."""
    path = data_dir / SECRET_FILE
    for _ in range(3):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
        if len(data) == SECRET_BYTES:
            return data
        if data:  # damaged (cut short): replace it; open sessions and forms simply expire
            path.unlink(missing_ok=True)
        tmp = data_dir / f".{SECRET_FILE}.{secrets.token_hex(8)}"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, secrets.token_bytes(SECRET_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another server made it first: read theirs
        finally:
            tmp.unlink()
    raise InputError(f"cannot create the server secret {path}; check the data folder.")


def _sign(secret: bytes, purpose: str, value: bytes) -> str:
    return hmac.new(secret, purpose.encode() + b":" + value, hashlib.sha256).hexdigest()


def session_cookie(secret: bytes, token: str, issued: int | None = None) -> str:
    """A login session: its issue time and a signature over it, the token and the secret."""
    issued = int(now()) if issued is None else issued
    digest = hashlib.sha256(as_bytes(token)).digest()
    return f"{issued}.{_sign(secret, 'auth', str(issued).encode() + b':' + digest)}"


def _session_ok(secret: bytes, token: str, cookie: str) -> bool:
    issued, _, _ = cookie.partition(".")
    if not (issued.isascii() and issued.isdigit() and len(issued) <= 12):
        return False
    if not 0 <= now() - int(issued) < SESSION_SECONDS:
        return False
    return hmac.compare_digest(cookie.encode(), session_cookie(secret, token, int(issued)).encode())


def as_bytes(text: str) -> bytes:
    """Text as UTF-8 bytes for a constant-time comparison (`compare_digest` refuses non-ASCII
    text), lone surrogates included rather than raising."""
    return text.encode("utf-8", "surrogatepass")


def token_matches(sent: str, token: str) -> bool:
    return hmac.compare_digest(as_bytes(sent), as_bytes(token))


def _token_ok(request: Request, token: str, secret: bytes) -> bool:
    # Header bytes arrive decoded as latin-1: encode them back to compare the bytes sent
    # with the token's UTF-8, so a non-ASCII token works and a non-ASCII header is no error.
    header = request.headers.get("authorization", "").encode("latin-1")
    if header.startswith(b"Bearer ") and hmac.compare_digest(header[7:].strip(), as_bytes(token)):
        return True
    return _session_ok(secret, token, request.cookies.get(AUTH_COOKIE, ""))


def _origin_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}".lower()


def cross_origin(request: Request) -> bool:
    """True for an unsafe request that a page of another origin (site or port) sent."""
    if request.method in SAFE_METHODS:
        return False
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser's cross-origin request: browsers send Origin on POST
    if origin == "null":
        # Chromium sends "null" for our own form posts (our Referrer-Policy is no-referrer),
        # together with Sec-Fetch-Site, judged above; without it, "null" is not trusted.
        return fetch_site is None
    parts = urlsplit(origin.lower())
    return f"{parts.scheme}://{parts.netloc}" != _origin_of(request)


HOST_HEADER = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?")


def _local_host(host_header: str) -> bool:
    """Without a token, only loopback names may be asked for (defeats DNS rebinding). The
    whole header must be a host and an optional port: `127.0.0.1:8765@evil.example` is not."""
    found = HOST_HEADER.fullmatch(host_header)
    return found is not None and is_loopback(found.group("host"))


class SecurityMiddleware:
    """ASGI middleware: host check, token auth, security headers and the CSRF cookie.

    Plain ASGI rather than an `http` middleware function, so a request costs one wrapper call.
    """

    def __init__(self, app: ASGIApp, token: str | None, secret: bytes) -> None:
        self.app = app
        self.token = token
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope["path"]
        had_cookie = bool(request.cookies.get(CSRF_COOKIE))
        fresh = csrf_nonce(request)  # before the page renders, so its forms carry the same one
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
        elif cross_origin(request):
            response = PlainTextResponse(
                "Refused: this request came from another web site or another port of this "
                "machine, not from backcheck's own pages. Open backcheck and try again there.",
                status_code=403,
            )
        elif (
            self.token
            and not path.startswith(OPEN_PATHS)
            and not _token_ok(request, self.token, self.secret)
        ):
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


def csrf_nonce(request: Request) -> str:
    """This browser's CSRF cookie: the one it sent, or a fresh one remembered on the request."""
    existing = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
    if existing:
        return existing
    request.state.csrf = secrets.token_urlsafe(32)
    return request.state.csrf


def csrf_token(request: Request) -> str:
    """The token this browser's forms carry: its cookie signed with the server's secret."""
    return _sign(request.app.state.secret, "csrf", as_bytes(csrf_nonce(request)))


async def checked_form(request: Request) -> FormData:
    """FastAPI dependency: the submitted form, after its CSRF token was checked."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    if not (isinstance(sent, str) and cookie and token_matches(sent, csrf_token(request))):
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
