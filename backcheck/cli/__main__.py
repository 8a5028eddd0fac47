"""`python -m backcheck.cli` runs the same command as `backcheck`."""

from backcheck.cli.main import app

app()
