"""Fixtures for the web app: an in-process client, and a real server for the browser tests.

Every app gets a fresh data folder (its own SQLite file), so tests never see each other's
checks, logs or videos.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_helpers import LOCAL, ROOT, TestClient, make_settings

from backcheck.settings import Settings
from backcheck.web import create_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client of a fresh app (video jobs not started) that has loaded the CSRF cookie."""
    app = create_app(settings, start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        c.get("/")
        yield c


@pytest.fixture(scope="session")
def triage_schema() -> dict:
    """The triage contract, from the shared spec beside the checkout (or a copy inside it)."""
    name = "triage-output.schema.json"
    for base in (ROOT / "spec", ROOT.parent / "shared" / "spec", ROOT / "backcheck" / "spec"):
        if (base / name).is_file():
            return json.loads((base / name).read_text(encoding="utf-8"))
    pytest.fail(f"{name} not found next to the checkout (shared/spec) nor inside it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`backcheck serve` in a subprocess on a free loopback port; yields its base URL."""
    port = _free_port()
    data = tmp_path_factory.mktemp("web-server")
    env = {**os.environ, "BACKCHECK_DATA_DIR": str(data), "BACKCHECK_PORT": str(port)}
    env.pop("BACKCHECK_DB_URL", None)
    env.pop("BACKCHECK_HOST", None)
    env.pop("BACKCHECK_TOKEN", None)
    log = data / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("backcheck")), "serve"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("server did not become ready within 120 s")
        assert f"backcheck is running at {url}" in log.read_text(), "serve prints its address"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def settings_for_api(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "api")
