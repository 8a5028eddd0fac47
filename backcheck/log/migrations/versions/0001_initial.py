"""Initial log schema: lifter, exercise, alias, import, session, set, symptom.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lifter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "exercise",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(120), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "exercise_alias",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("alias", sa.String(200), nullable=False, unique=True),
        sa.Column(
            "exercise_id",
            sa.Integer,
            sa.ForeignKey("exercise.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.create_table(
        "import",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "lifter_id", sa.Integer, sa.ForeignKey("lifter.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("sets_added", sa.Integer, nullable=False),
        sa.Column("sets_already_present", sa.Integer, nullable=False),
    )
    op.create_table(
        "session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "lifter_id", sa.Integer, sa.ForeignKey("lifter.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("duration_s", sa.Integer),
        sa.Column("notes", sa.Text),
        sa.UniqueConstraint("lifter_id", "started_at", name="uq_session_start"),
    )
    op.create_table(
        "set",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(24), nullable=False),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("session.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("exercise.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("set_type", sa.String(10), nullable=False),
        sa.Column("weight_value", sa.Float),
        sa.Column("weight_unit", sa.String(2), nullable=False),
        sa.Column("weight_kg", sa.Float),
        sa.Column("reps", sa.Integer),
        sa.Column("rpe", sa.Float),
        sa.Column("rir", sa.Float),
        sa.Column("distance_m", sa.Float),
        sa.Column("seconds", sa.Float),
        sa.Column("notes", sa.Text),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("import.id", ondelete="SET NULL")),
        sa.UniqueConstraint("session_id", "key", name="uq_set_key"),
    )
    op.create_table(
        "symptom",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "lifter_id", sa.Integer, sa.ForeignKey("lifter.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("intensity", sa.Integer, nullable=False),
        sa.Column("quality", sa.String(40)),
        sa.Column("location", sa.String(80)),
        sa.Column("side", sa.String(10)),
        sa.Column("onset", sa.String(20)),
        sa.Column("duration_min", sa.Integer),
        sa.Column("notes", sa.Text),
        sa.Column("triage_json", sa.Text),
    )
    op.create_index("ix_symptom_lifter_time", "symptom", ["lifter_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_symptom_lifter_time", "symptom")
    op.drop_table("symptom")
    for table in ("set", "session", "import", "exercise_alias", "exercise", "lifter"):
        op.drop_table(table)
