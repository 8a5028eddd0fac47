"""The `backcheck` command: a thin Typer layer over the library.

Each sub-command lives in its own module and is registered here; no medicine, analysis or
storage logic lives in the CLI.
"""

from __future__ import annotations

import typer

import backcheck.cli.formcheck_cmd as formcheck_cmd
import backcheck.cli.log_cmd as log_cmd
from backcheck.cli import triage_cmd, web_cmd

app = typer.Typer(
    name="backcheck",
    help="Triage, advice, training log and form check for lifters' lower backs. "
    "Not a diagnosis: see a clinician when the result says so.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

triage_cmd.register(app)
web_cmd.register(app)
log_cmd.register(app)
formcheck_cmd.register(app)
