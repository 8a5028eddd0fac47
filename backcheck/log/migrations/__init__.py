"""Alembic migrations of the log schema (package data)."""
