"""A fresh log per test: a SQLite file in tmp_path, schema made by the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcheck.log import LogStore, open_log
from backcheck.settings import load_settings

DATA = Path(__file__).parent / "data"


@pytest.fixture
def store(tmp_path: Path) -> LogStore:
    s = open_log(load_settings({"data_dir": tmp_path, "db_url": f"sqlite:///{tmp_path}/t.db"}))
    yield s
    s.close()
