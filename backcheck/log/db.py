"""Open the log database: engine, SQLite pragmas, schema by `alembic upgrade head`.

The schema is only ever created by the migrations, so a database made today and one upgraded
from an older release have the same tables. SQLite runs in WAL mode so the web app can read while
an import writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select

from backcheck.errors import InputError
from backcheck.log.models import Lifter
from backcheck.settings import Settings
from backcheck.storage import make_engine, upgrade_to_head

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_LIFTER = "me"


@dataclass(frozen=True)
class LogStore:
    """An open log: the engine and the lifter every call reads and writes."""

    engine: Engine
    lifter_id: int
    lifter: str
    data_dir: Path

    def close(self) -> None:
        self.engine.dispose()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (`alembic upgrade head`)."""
    upgrade_to_head(engine, MIGRATIONS)


def _lifter_id(engine: Engine, name: str) -> int:
    with engine.begin() as conn:
        found = conn.execute(select(Lifter.id).where(Lifter.name == name)).scalar()
        if found is not None:
            return int(found)
        res = conn.execute(insert(Lifter).values(name=name, created_at=datetime.now()))
        return int(res.inserted_primary_key[0])


def open_log(settings: Settings, lifter: str = DEFAULT_LIFTER) -> LogStore:
    """Open (creating and migrating if needed) the log named by `settings`."""
    data_dir = Path(settings.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create data folder {data_dir}: {exc.strerror}") from exc
    engine = make_engine(settings.db_url)
    upgrade(engine)
    return LogStore(engine, _lifter_id(engine, lifter), lifter, data_dir)
