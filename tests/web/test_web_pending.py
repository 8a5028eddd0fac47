"""Uploaded log previews (issue 23.4): bounded in size, expired and deleted, shown in History
(with a way to delete them) and part of the export."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

from web_helpers import LOCAL, TestClient, csrf, make_settings

from backcheck.log import MAX_IMPORT_SETS
from backcheck.web import create_app
from backcheck.web.routes_log import PENDING, PENDING_SECONDS

HEAD = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration\n"
)
ROW = "2024-01-08 18:00:00;Pull;Deadlift;{};140;kg;5;;;;0;;;1h\n"
CLEAN = HEAD + ROW.format(1) + ROW.format(2)


def _preview(client: TestClient, text: str):
    files = {"export": ("strong.csv", text.encode(), "text/csv")}
    return client.post("/log/preview", files=files, data={"csrf_token": csrf(client)})


def _pending(client: TestClient) -> list[Path]:
    folder = client.app.state.data_dir / PENDING
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_an_export_with_too_many_rows_is_refused_before_it_is_read(client: TestClient) -> None:
    """A 1,000,000-row CSV took 1 GB to preview; past the cap it is refused at once."""
    rows = ROW.format(1) * (MAX_IMPORT_SETS + 1)
    started = time.monotonic()
    response = _preview(client, HEAD + rows)
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert f"{MAX_IMPORT_SETS:,}" in response.text and "split" in response.text.lower()
    assert _pending(client) == []


def _age(paths: list[Path], seconds: float) -> None:
    old = time.time() - seconds
    for path in paths:
        os.utime(path, (old, old))


def test_previews_expire_and_are_deleted(client: TestClient) -> None:
    response = _preview(client, CLEAN)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', response.text).group(1)
    assert _pending(client), "the preview waits for its confirmation"
    _age(_pending(client), PENDING_SECONDS + 60)
    client.get("/history")
    assert _pending(client) == [], "an expired preview is deleted"
    late = client.post("/log/import", data={"token": token, "csrf_token": csrf(client)})
    assert late.status_code == 400 and "expired" in late.text


def test_expired_previews_are_deleted_when_the_app_starts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    folder = Path(settings.data_dir) / PENDING
    folder.mkdir(parents=True)
    stale, fresh = folder / ("a" * 32), folder / ("b" * 32)
    stale.write_text(CLEAN)
    fresh.write_text(CLEAN)
    _age([stale], PENDING_SECONDS + 60)
    create_app(settings, start_jobs=False)
    assert not stale.exists() and fresh.exists()


def test_history_shows_and_deletes_waiting_previews(client: TestClient) -> None:
    _preview(client, CLEAN)
    page = client.get("/history").text
    assert "1 uploaded training log waiting to be imported" in page
    done = client.post("/history/pending/delete", data={"csrf_token": csrf(client)})
    assert done.status_code == 200
    assert _pending(client) == []
    assert "waiting to be imported" not in client.get("/history").text


def test_export_includes_waiting_previews(client: TestClient) -> None:
    _preview(client, CLEAN)
    data = client.get("/history/export.zip").content
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.startswith("pending-imports/")]
        assert len(names) == 1 and names[0].endswith("strong.csv")
        assert zf.read(names[0]).decode() == CLEAN


def test_confirmed_import_leaves_no_upload_behind(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path), start_jobs=False), base_url=LOCAL) as c:
        c.get("/")
        response = _preview(c, CLEAN)
        token = re.search(r'name="token" value="([0-9a-f]{32})"', response.text).group(1)
        c.post("/log/import", data={"token": token, "csrf_token": csrf(c)})
        leftovers = [p for p in _pending(c) if not p.name.endswith(".done")]
        assert leftovers == []
        assert all(p.stat().st_size == 0 for p in _pending(c)), "only an empty done marker"
