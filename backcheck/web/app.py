"""The app factory: `create_app(settings)` wires storage, jobs, security and routers.

Everything the app keeps lives under `settings.data_dir` and in `settings.db_url`; nothing is
fetched from or sent to another machine (no CDN: static files are served from the package, and
the interactive API docs, which load from a CDN, are switched off; `/openapi.json` stays).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backcheck.errors import BackcheckError
from backcheck.log import open_log
from backcheck.settings import Settings
from backcheck.storage import make_engine
from backcheck.web import (
    pending,
    routes_api,
    routes_auth,
    routes_check,
    routes_form,
    routes_history,
    routes_log,
)
from backcheck.web.jobs import JobRunner
from backcheck.web.security import BodyLimit, SecurityMiddleware, check_binding, load_secret
from backcheck.web.service import POOL
from backcheck.web.store import WebStore, migrate
from backcheck.web.templating import render

HERE = Path(__file__).parent
MB = 1_000_000


def create_app(
    settings: Settings, *, start_jobs: bool = True, on_ready: Callable[[], None] | None = None
) -> FastAPI:
    """A ready app over `settings`; `start_jobs=False` leaves video jobs queued (tests).

    Refuses (InputError) to serve beyond loopback without a token of at least 8 characters.
    """
    check_binding(settings.host, settings.token)
    data_dir = Path(settings.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = load_secret(data_dir)
    pending.sweep(data_dir)
    engine = make_engine(settings.db_url)
    migrate(engine)
    store = WebStore(engine)
    log = open_log(settings)
    jobs = JobRunner(store, data_dir, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(POOL.start)
        if start_jobs:
            jobs.start()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            jobs.stop()
            log.close()
            engine.dispose()

    app = FastAPI(
        title="backcheck",
        version="0.1.0",
        description="Local triage, advice, training log and form check for lifters' lower "
        "backs. Not a diagnosis.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.data_dir = data_dir
    app.state.secret = secret
    app.state.store = store
    app.state.log = log
    app.state.jobs = jobs
    app.add_middleware(
        BodyLimit,
        default_bytes=settings.max_upload_mb * MB,
        limits={"/form/upload": settings.max_video_mb * MB, "/api/": 1 * MB, "/check": 1 * MB},
    )
    app.add_middleware(
        SecurityMiddleware, token=settings.token, secret=secret
    )  # outermost: every answer
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (routes_auth, routes_api, routes_check, routes_log, routes_form, routes_history):
        app.include_router(module.router)
    _add_error_pages(app)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers ask for it whatever the page says; the same icon as the pages name."""
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get(
        "accept", ""
    )


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(BackcheckError)
    async def backcheck_error(request: Request, exc: BackcheckError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return render(request, "error.html", {"status": 400, "message": str(exc)}, status=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.detail},
            status=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # The shape the OpenAPI description promises (HTTPValidationError), without echoing
        # the input back.
        errors = [
            {
                "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "value_error")),
            }
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
        return render(request, "error.html", {"status": 422, "message": message}, status=422)
