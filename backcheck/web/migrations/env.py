"""Alembic environment for the web tables; runs on a connection handed in by `store.migrate`."""

from alembic import context

from backcheck.web.store import VERSION_TABLE, Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
