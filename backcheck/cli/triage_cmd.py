"""`backcheck triage`, `backcheck ask` and `backcheck demo`: thin wrappers over `assess`."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.prompt import Prompt

from backcheck.errors import BackcheckError, InputError

DEMO_REPORT = (
    "Went straight to my working weight on deadlifts without warming up and tried a 20 kg jump "
    "for a new PR. My lower back seized on the second rep; today it's tight and sore on the "
    "left side and it hurts to bend over. Nothing going down my legs, no numbness, and peeing "
    "is normal."
)


ASK_BEYOND_RED_FLAGS = 6  # symptom and factor questions after every unsettled red flag
PARALLEL_FROM = 200  # batch lines; below this, starting worker processes costs more than it saves


def _fail(message: str) -> typer.Exit:
    print(f"backcheck: {message}", file=sys.stderr)
    return typer.Exit(2)


def _show(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    from backcheck.cli.render import render_assessment

    render_assessment(data, Console())


def _batch_line(item: tuple[int, str, str], learned: bool = True) -> dict[str, Any]:
    """One batch line to its JSON result, or to an error object naming the line."""
    from backcheck.assess import assess_text

    number, name, line = item
    case_id: Any = None
    try:
        record = json.loads(line)
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError('expected an object like {"id": "a1", "text": "..."}')
        case_id = record.get("id")
        out = assess_text(record["text"], learned=learned).to_json()
    except (json.JSONDecodeError, BackcheckError) as exc:
        out = {"error": f"{name} line {number}: {exc}"}
    out["id"] = case_id if case_id is not None else f"line-{number}"
    return out


def _batch(path: Path, learned: bool) -> None:
    """One JSON result per input line, in order; a bad line gives an error object and the rest
    go on. Large files are spread over the CPU cores (the pipeline is built once, then forked)."""
    from backcheck.intake.text import warm_up

    try:
        lines = path.read_text("utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise _fail(f"cannot read batch file {path}: {exc.strerror}") from exc
    items = [(n, path.name, line) for n, line in enumerate(lines, 1) if line.strip()]
    one_line = functools.partial(_batch_line, learned=learned)
    workers = min(os.cpu_count() or 1, 4)
    if len(items) < PARALLEL_FROM or workers < 2:
        results: Iterable[dict[str, Any]] = map(one_line, items)
        _emit(results)
        return
    warm_up()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        _emit(pool.imap(one_line, items, chunksize=16))


def _emit(results: Iterable[dict[str, Any]]) -> None:
    out = sys.stdout
    for result in results:
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()


def triage(
    text: Annotated[str | None, typer.Argument(help="The report, or '-' to read stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON result.")] = False,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help='JSONL file of {"id", "text"} lines; one result each.'),
    ] = None,
    answers: Annotated[
        Path | None, typer.Option("--answers", help="JSON file of questionnaire answers.")
    ] = None,
    with_log: Annotated[
        bool,
        typer.Option("--with-log", help="Add what your training log shows (load jumps, ...)."),
    ] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Log folder (with --with-log).")
    ] = None,
    db_url: Annotated[
        str | None, typer.Option("--db-url", help="Log database URL (with --with-log).")
    ] = None,
    rules_only: Annotated[
        bool,
        typer.Option("--rules-only", help="Read the words with the rules alone (to compare)."),
    ] = False,
) -> None:
    """Triage a report written in your own words (or questionnaire answers)."""
    if batch is not None:
        _batch(batch, learned=not rules_only)
        return
    from backcheck.assess import assess_answers, assess_text

    try:
        extra = _log_findings(data_dir, db_url) if with_log else []
        if answers is not None:
            assessment = assess_answers(_read_answers(answers), extra)
        elif text is None:
            raise InputError("give the report as an argument, '-' for stdin, or --answers FILE.")
        else:
            assessment = assess_text(
                sys.stdin.read() if text == "-" else text, extra, learned=not rules_only
            )
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    _show(assessment.to_json(), as_json)


def _log_findings(data_dir: Path | None, db_url: str | None) -> list[Any]:
    """What the training log contributes (origin `log`), from the configured store."""
    from backcheck.log import log_findings, open_log
    from backcheck.settings import load_settings

    store = open_log(load_settings({"data_dir": data_dir, "db_url": db_url}))
    try:
        return log_findings(store)
    finally:
        store.close()


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read answers file {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"answers file {path} is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise InputError(f"answers file {path} must hold a JSON object.")
    return data


def ask(
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON result.")] = False,
) -> None:
    """Answer the guided questions one at a time (red flags first)."""
    from backcheck.assess import assess_answers
    from backcheck.intake.questionnaire import CHOICES, next_question

    console = Console(stderr=True)
    answers: dict[str, str] = {}
    other_questions = 0
    try:
        text = Prompt.ask("Describe what happened (or press Enter to skip)", console=console)
        while (item := next_question(answers, text)) and other_questions < ASK_BEYOND_RED_FLAGS:
            answers[item.id] = Prompt.ask(item.text, choices=list(CHOICES), console=console)
            if answers[item.id] == "yes" and item.is_red_flag:
                console.print("[bold red]That is a warning sign - see the result below.[/]")
            other_questions += not item.is_red_flag
        assessment = assess_answers({"answers": answers, "text": text or None})
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    except (EOFError, KeyboardInterrupt) as exc:
        raise _fail("stopped before the questions were answered; nothing was assessed.") from exc
    _show(assessment.to_json(), as_json)


def demo() -> None:
    """Triage a sample report and show how to triage your own."""
    from backcheck.assess import assess_text

    console = Console()
    console.print(f"[bold]Sample report:[/] {DEMO_REPORT}\n")
    _show(assess_text(DEMO_REPORT).to_json(), as_json=False)
    console.print(
        '\nTriage your own: [bold]backcheck triage "what happened, in your words"[/], '
        "or answer guided questions with [bold]backcheck ask[/]."
    )


def register(app: typer.Typer) -> None:
    app.command()(triage)
    app.command()(ask)
    app.command()(demo)
