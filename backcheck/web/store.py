"""Web history: past checks and uploaded videos, in the same database as the training log.

The tables are the web app's own (`web_*`) with their own Alembic history
(`migrations/`, version table `alembic_version_web`), so the log's migrations and ours never
step on each other. Everything the user can delete is deleted from here and from disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, ForeignKey, String, Text, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from backcheck.storage import upgrade_to_head

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_web"


class Base(DeclarativeBase):
    pass


class Check(Base):
    """One 'check my back': the input and the triage result as JSON."""

    __tablename__ = "web_check"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused (migration web0002)
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    result_json: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16))
    video_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_video.id", ondelete="SET NULL"), nullable=True
    )

    @property
    def result(self) -> dict[str, Any]:
        return json.loads(self.result_json)

    @property
    def answers(self) -> dict[str, str]:
        return json.loads(self.answers_json or "{}")


class Video(Base):
    """One uploaded video and its background analysis job."""

    __tablename__ = "web_video"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(255))
    folder: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    report_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    findings_json: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def report(self) -> dict[str, Any] | None:
        return json.loads(self.report_json) if self.report_json else None

    @property
    def findings(self) -> list[dict[str, Any]]:
        return json.loads(self.findings_json) if self.findings_json else []


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def migrate(engine: Engine) -> None:
    """Bring the web tables to the newest revision (idempotent)."""
    upgrade_to_head(engine, MIGRATIONS)


@dataclass
class WebStore:
    """Sessions over the web tables; one per app."""

    engine: Engine

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def add_check(
        self,
        mode: str,
        text: str | None,
        answers: dict[str, str],
        result: dict[str, Any],
        video_id: int | None = None,
    ) -> int:
        with self.session() as s:
            check = Check(
                created_at=now_iso(),
                mode=mode,
                text=text,
                answers_json=json.dumps(answers),
                result_json=json.dumps(result),
                level=result["level"],
                video_id=video_id,
            )
            s.add(check)
            s.flush()
            return check.id

    def get_check(self, check_id: int) -> Check | None:
        with self.session() as s:
            return s.get(Check, check_id)

    def list_checks(self) -> list[Check]:
        with self.session() as s:
            return list(s.scalars(select(Check).order_by(Check.id.desc())))

    def delete_check(self, check_id: int) -> bool:
        with self.session() as s:
            check = s.get(Check, check_id)
            if check is None:
                return False
            s.delete(check)
            return True

    def add_video(self, filename: str, folder: str, original_name: str) -> int:
        with self.session() as s:
            video = Video(
                created_at=now_iso(), filename=filename, folder=folder, original_name=original_name
            )
            s.add(video)
            s.flush()
            return video.id

    def get_video(self, video_id: int) -> Video | None:
        with self.session() as s:
            return s.get(Video, video_id)

    def list_videos(self) -> list[Video]:
        with self.session() as s:
            return list(s.scalars(select(Video).order_by(Video.id.desc())))

    def update_video(self, video_id: int, **fields: Any) -> None:
        with self.session() as s:
            video = s.get(Video, video_id)
            if video is not None:
                for key, value in fields.items():
                    setattr(video, key, value)

    def delete_video(self, video_id: int) -> Video | None:
        with self.session() as s:
            video = s.get(Video, video_id)
            if video is not None:
                s.delete(video)
            return video
