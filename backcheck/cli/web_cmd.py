"""`backcheck serve`: the local web app, on loopback unless the user sets a token."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from backcheck.errors import BackcheckError
from backcheck.settings import SETTINGS, load_settings


def _help(name: str) -> str:
    """An option's help from its one declaration in `backcheck.settings.SETTINGS`."""
    setting = next(s for s in SETTINGS if s.name == name)
    return f"{setting.help} (env {setting.env})"


def serve(
    host: Annotated[str | None, typer.Option(help=_help("host"))] = None,
    port: Annotated[int | None, typer.Option(help=_help("port"))] = None,
    token: Annotated[str | None, typer.Option(help=_help("token"))] = None,
    data_dir: Annotated[Path | None, typer.Option(help=_help("data_dir"))] = None,
) -> None:
    """Start the web app and print its address. Stop it with Ctrl+C."""
    import uvicorn

    from backcheck.web import create_app

    settings = load_settings({"host": host, "port": port, "token": token, "data_dir": data_dir})
    url = f"http://{settings.host}:{settings.port}"

    def ready() -> None:
        print(f"backcheck is running at {url}  (Ctrl+C to stop)", flush=True)

    try:
        app = create_app(settings, on_ready=ready)
    except BackcheckError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    print(f"Starting backcheck at {url} ...", flush=True)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
