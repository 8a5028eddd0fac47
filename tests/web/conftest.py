"""Fixtures for the web app: an in-process client, and a real server for the browser tests.

Every app gets a fresh data folder (its own SQLite file), so tests never see each other's
checks, logs or videos.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import LOCAL, ROOT, TestClient, make_settings, serving

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`backcheck serve` in a subprocess on a free loopback port; yields its base URL."""
    with serving(tmp_path_factory.mktemp("web-server")) as (_, url):
        yield url


@pytest.fixture
def settings_for_api(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "api")
