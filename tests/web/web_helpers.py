"""Helpers shared by the web tests (a module of its own: conftest is not importable)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

from backcheck.settings import Settings, load_settings

with warnings.catch_warnings():
    # Starlette 1.x warns that its test client will move from httpx to httpx2; httpx is what
    # is pinned here, and the client works the same.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = [
    "LOCAL",
    "ROOT",
    "TestClient",
    "chromium_path",
    "csrf",
    "make_settings",
    "serving",
]
ROOT = Path(__file__).resolve().parents[2]
LOCAL = "http://127.0.0.1"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a fresh data folder, ignoring the developer's environment."""
    return load_settings({"data_dir": data_dir, **overrides}, env={})


def csrf(client: TestClient) -> str:
    """The CSRF token the app puts in this client's forms (signed from its cookie)."""
    page = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the login page carries a form token"
    return found.group(1)


def chromium_path() -> str:
    """Debian's Chromium; in CI its absence is a failure, locally a skip."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `apt-get install chromium` (see .ci/run)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def serving(data: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """`backcheck serve` over `data` on a free loopback port: (process, base URL) once ready;
    stopped as a user's terminal would (SIGTERM) at the end. Its output goes to server.log."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BACKCHECK_DATA_DIR": str(data), "BACKCHECK_PORT": str(port)}
    for name in ("BACKCHECK_DB_URL", "BACKCHECK_HOST", "BACKCHECK_TOKEN"):
        env.pop(name, None)
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
        _wait_ready(proc, url, log)
        assert f"backcheck is running at {url}" in log.read_text(), "serve prints its address"
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail("server did not become ready within 120 s")
