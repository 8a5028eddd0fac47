"""One way to open the database, shared by the log and the web app's history.

SQLite (the default) gets WAL mode, foreign keys and a busy timeout, so the web server and a
background writer can share the file; an in-memory SQLite keeps one connection so its schema
persists; any other SQLAlchemy URL (PostgreSQL for many users) gets pre-ping on its pool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

_MEMORY = ("sqlite://", "sqlite:///:memory:")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`, creating the SQLite file's folder if needed."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    kwargs: dict[str, Any] = {"poolclass": StaticPool} if url in _MEMORY else {}
    if url.startswith("sqlite:///") and url not in _MEMORY:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def upgrade_to_head(engine: Engine, migrations: Path) -> None:
    """Run the Alembic history in `migrations` up to its newest revision (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
