"""Ids are never reused: SQLite AUTOINCREMENT on the web tables.

Without it SQLite gives a new row the largest id + 1, so after the newest check or video was
deleted the next one got its id, and an old link to the deleted one opened the new one.
(PostgreSQL sequences never reuse ids: nothing to do there.)

SQLite cannot add AUTOINCREMENT in place, so each table is rebuilt. Foreign keys are on, and
dropping `web_video` would run `ON DELETE SET NULL` on the checks that link to it, so the new
`web_check` first points at the new `web_video`; renaming the new tables into place then
updates that reference (SQLite 3.26+).

Revision ID: web0002
Revises: web0001
"""

import sqlalchemy as sa
from alembic import op

revision = "web0002"
down_revision = "web0001"
branch_labels = None
depends_on = None

VIDEO_COLUMNS = (
    "id, created_at, filename, original_name, folder, status, progress, message, "
    "report_json, findings_json"
)
CHECK_COLUMNS = "id, created_at, mode, text, answers_json, result_json, level, video_id"


def _video_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("folder", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("report_json", sa.Text, nullable=True),
        sa.Column("findings_json", sa.Text, nullable=True),
        sqlite_autoincrement=True,
    )


def _check_table(name: str, video_table: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("answers_json", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column(
            "video_id",
            sa.Integer,
            sa.ForeignKey(f"{video_table}.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sqlite_autoincrement=True,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _video_table("web_video_new")
    op.execute(f"INSERT INTO web_video_new ({VIDEO_COLUMNS}) SELECT {VIDEO_COLUMNS} FROM web_video")
    _check_table("web_check_new", "web_video_new")
    op.execute(f"INSERT INTO web_check_new ({CHECK_COLUMNS}) SELECT {CHECK_COLUMNS} FROM web_check")
    op.execute("DROP TABLE web_check")
    op.execute("DROP TABLE web_video")  # nothing links to it any more
    op.execute("ALTER TABLE web_video_new RENAME TO web_video")
    op.execute("ALTER TABLE web_check_new RENAME TO web_check")


def downgrade() -> None:
    """AUTOINCREMENT stays: going back must not start reusing ids."""
