"""Helpers shared by the web tests (a module of its own: conftest is not importable)."""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from backcheck.settings import Settings, load_settings

with warnings.catch_warnings():
    # Starlette 1.x warns that its test client will move from httpx to httpx2; httpx is what
    # is pinned here, and the client works the same.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

__all__ = ["LOCAL", "ROOT", "TestClient", "chromium_path", "csrf", "make_settings"]
ROOT = Path(__file__).resolve().parents[2]
LOCAL = "http://127.0.0.1"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a fresh data folder, ignoring the developer's environment."""
    return load_settings({"data_dir": data_dir, **overrides}, env={})


def csrf(client: TestClient) -> str:
    """The CSRF token the app gave this client (its cookie)."""
    return client.cookies["bc_csrf"]


def chromium_path() -> str:
    """Debian's Chromium; in CI its absence is a failure, locally a skip."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `apt-get install chromium` (see .ci/run)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return path
