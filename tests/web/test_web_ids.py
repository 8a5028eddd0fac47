"""Ids are never reused (issue 23.5): deleting the newest check, video or symptom and adding
another gave the new one the old id, so a bookmark of the deleted one opened the new one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from web_helpers import TestClient, csrf

from backcheck.log import add_symptom, delete_symptom, open_log
from backcheck.storage import make_engine
from backcheck.web.store import MIGRATIONS, WebStore, migrate

RESULT = {"level": "normal"}


def _check(client: TestClient, words: str) -> int:
    done = client.post(
        "/check/text", data={"text": words, "csrf_token": csrf(client)}, follow_redirects=False
    )
    return int(done.headers["location"].rsplit("/", 1)[1])


def test_a_deleted_checks_id_is_not_given_to_the_next(client: TestClient) -> None:
    _check(client, "my back is stiff after rows")
    newest = _check(client, "my back is sore after deadlifts")
    client.post(f"/check/{newest}/delete", data={"csrf_token": csrf(client)})
    following = _check(client, "my back is tight after squats")
    assert following > newest
    assert client.get(f"/check/{newest}").status_code == 404


def test_a_deleted_videos_and_symptoms_id_is_not_reused(tmp_path: Path, settings) -> None:
    store = WebStore(make_engine(settings.db_url))
    migrate(store.engine)
    first = store.add_video("video.mp4", "videos/a", "a.mp4")
    store.delete_video(first)
    assert store.add_video("video.mp4", "videos/b", "b.mp4") > first
    log = open_log(settings)
    try:
        when = datetime(2026, 1, 5, 8, 0)
        newest = add_symptom(log, when, 5)
        delete_symptom(log, newest)
        assert add_symptom(log, when, 6) > newest
    finally:
        log.close()


def test_the_migration_keeps_every_row_and_link(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "web0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO web_video (id, created_at, filename, original_name, folder, status,"
                " progress, message) VALUES (7, 'now', 'video.mp4', 'a.mp4', 'videos/a', 'done',"
                " 1.0, '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO web_check (id, created_at, mode, text, answers_json, result_json,"
                " level, video_id) VALUES (3, 'now', 'text', 'sore', '{}', '{}', 'normal', 7)"
            )
        )
    migrate(engine)
    store = WebStore(engine)
    check = store.get_check(3)
    assert check is not None and check.video_id == 7 and check.text == "sore"
    assert store.get_video(7) is not None
    assert store.add_check("text", "again", {}, RESULT) == 4
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'web_check'"))
        assert "REFERENCES web_video" in schema.scalar_one().replace('"', "")
    store.delete_video(7)
    assert store.get_check(3).video_id is None, "the link still follows the video"
    engine.dispose()
