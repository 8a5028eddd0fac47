"""SQLAlchemy 2 models of the training and symptom log.

The schema itself is created by the Alembic migrations (`backcheck/log/migrations`); these models
describe it for queries, and a test checks that the two agree. Weights keep the value and unit
the lifter logged (`weight_value`, `weight_unit`) plus `weight_kg`, converted once at import, so
analytics never convert and export stays lossless.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Lifter(Base):
    __tablename__ = "lifter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Exercise(Base):
    """One lift under its canonical name; `key` is the catalogue id or a slug of the name."""

    __tablename__ = "exercise"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ExerciseAlias(Base):
    """A name seen in an export (normalised), pointing at its canonical exercise."""

    __tablename__ = "exercise_alias"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id", ondelete="CASCADE"))


class Import(Base):
    __tablename__ = "import"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lifter_id: Mapped[int] = mapped_column(ForeignKey("lifter.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer)
    sets_added: Mapped[int] = mapped_column(Integer)
    sets_already_present: Mapped[int] = mapped_column(Integer)


class Session(Base):
    """One workout; identified by its lifter and start time."""

    __tablename__ = "session"
    __table_args__ = (UniqueConstraint("lifter_id", "started_at", name="uq_session_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lifter_id: Mapped[int] = mapped_column(ForeignKey("lifter.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    name: Mapped[str | None] = mapped_column(String(200))
    duration_s: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class Set(Base):
    """One set. `key` hashes its natural key, unique per session, so re-imports add nothing."""

    __tablename__ = "set"
    __table_args__ = (UniqueConstraint("session_id", "key", name="uq_set_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(24))
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"))
    seq: Mapped[int] = mapped_column(Integer)
    set_type: Mapped[str] = mapped_column(String(10))
    weight_value: Mapped[float | None] = mapped_column(Float)
    weight_unit: Mapped[str] = mapped_column(String(2))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    reps: Mapped[int | None] = mapped_column(Integer)
    rpe: Mapped[float | None] = mapped_column(Float)
    rir: Mapped[float | None] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import.id", ondelete="SET NULL"))


class Symptom(Base):
    __tablename__ = "symptom"
    __table_args__ = (
        Index("ix_symptom_lifter_time", "lifter_id", "occurred_at"),
        {"sqlite_autoincrement": True},  # ids never reused (migration 0002)
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lifter_id: Mapped[int] = mapped_column(ForeignKey("lifter.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    intensity: Mapped[int] = mapped_column(Integer)
    quality: Mapped[str | None] = mapped_column(String(40))
    location: Mapped[str | None] = mapped_column(String(80))
    side: Mapped[str | None] = mapped_column(String(10))
    onset: Mapped[str | None] = mapped_column(String(20))
    duration_min: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    triage_json: Mapped[str | None] = mapped_column(Text)
