"""Symptom ids are never reused: SQLite AUTOINCREMENT on `symptom`.

Without it, deleting the newest symptom gave its id to the next one. Nothing links to a
symptom, so rebuilding the table (Alembic batch mode) runs no foreign-key action; PostgreSQL
sequences never reuse ids.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "symptom", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    """AUTOINCREMENT stays: going back must not start reusing ids."""
