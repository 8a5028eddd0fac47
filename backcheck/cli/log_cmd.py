"""`backcheck log ...`: the training and symptom log from a terminal (thin layer over
`backcheck.log`). Options `--data-dir`, `--db-url` and `--lifter` on the group pick the log."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from backcheck.errors import BackcheckError, InputError

log_app = typer.Typer(
    help="Training and symptom log: import, record symptoms, report.", no_args_is_help=True
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _fail(message: str) -> typer.Exit:
    print(f"backcheck: {message}", file=sys.stderr)
    return typer.Exit(2)


def _print(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None))


def _store(ctx: typer.Context):  # noqa: ANN202 - LogStore, imported lazily
    from backcheck.log import open_log
    from backcheck.settings import load_settings

    opts = ctx.obj or {}
    settings = load_settings({"data_dir": opts.get("data_dir"), "db_url": opts.get("db_url")})
    return open_log(settings, opts.get("lifter") or "me")


@log_app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Folder for the database and charts [env BACKCHECK_DATA_DIR]."
        ),
    ] = None,
    db_url: Annotated[
        str | None,
        typer.Option("--db-url", help="SQLAlchemy URL of the log database [env BACKCHECK_DB_URL]."),
    ] = None,
    lifter: Annotated[str, typer.Option(help="Whose log (several lifters can share one).")] = "me",
) -> None:
    """Training and symptom log."""
    ctx.obj = {"data_dir": data_dir, "db_url": db_url, "lifter": lifter}


@log_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="Export from Strong, Hevy, FitNotes, Liftosaur or the generic CSV."),
    ],
    unit: Annotated[
        str | None,
        typer.Option(help="kg or lb, for exports without a unit column (Strong's comma variant)."),
    ] = None,
    preview: Annotated[
        bool, typer.Option(help="Show what would be imported; write nothing.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Import an export: all rows or none, and nothing twice."""
    from backcheck.log import import_file, preview_import
    from backcheck.log.units import parse_unit

    try:
        unit = parse_unit(unit) if unit else None
        store = _store(ctx)
        if preview:
            p = preview_import(file, unit=unit, store=store)
            if as_json:
                _print(p.to_json())
                return
            print(
                f"{p.filename}: {p.format} export ({p.note}); {len(p.rows)} sets, "
                f"{p.already_present} already in the log, {p.rows_skipped} non-set rows, "
                f"{len(p.errors)} errors"
            )
            for err in p.errors:
                print(f"  {err}")
            return
        s = import_file(store, file, unit=unit)
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        _print(s.to_json())
    else:
        print(
            f"{s.filename}: {s.format} export ({s.note}); {s.sets_added} sets added, "
            f"{s.sets_already_present} already present, {s.sessions_added} new sessions, "
            f"{s.rows_skipped} non-set rows skipped"
        )


def _when(text: str | None) -> datetime:
    if text is None:
        return datetime.now().replace(second=0, microsecond=0)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--when {text!r}: use a date and time like 2025-01-30 18:00") from None


def _triage(ctx: typer.Context, text: str | None, path: Path | None) -> dict[str, Any] | None:
    if path is not None:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read triage JSON {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise InputError(f"triage JSON {path} must hold an object")
        return data
    if text is None:
        return None
    from backcheck.assess import assess_text
    from backcheck.log import log_findings

    return assess_text(text, extra_findings=log_findings(_store(ctx))).to_json()


@log_app.command()
def symptom(
    ctx: typer.Context,
    intensity: Annotated[int, typer.Argument(help="0 (none) to 10 (worst imaginable).")],
    when: Annotated[str | None, typer.Option(help="When it started; default now.")] = None,
    quality: Annotated[str | None, typer.Option(help="tight, cramp, sore, sharp, ...")] = None,
    location: Annotated[str, typer.Option(help="Where.")] = "lower back",
    side: Annotated[str | None, typer.Option(help="left, right, both or central.")] = None,
    onset: Annotated[
        str | None,
        typer.Option(help="during, right_after, same_day, next_day or unrelated (to training)."),
    ] = None,
    duration: Annotated[int | None, typer.Option(help="How long it lasted, minutes.")] = None,
    notes: Annotated[str | None, typer.Option(help="Anything else.")] = None,
    from_triage: Annotated[
        str | None,
        typer.Option(
            "--from-triage", help="Describe it in words: triaged and stored with the entry."
        ),
    ] = None,
    triage_json: Annotated[
        Path | None,
        typer.Option("--triage-json", help="A saved `backcheck triage --json` result to attach."),
    ] = None,
) -> None:
    """Record a back symptom in seconds."""
    from backcheck.log import add_symptom

    try:
        triage = _triage(ctx, from_triage, triage_json)
        sid = add_symptom(
            _store(ctx),
            _when(when),
            intensity,
            quality=quality,
            location=location,
            side=side,
            onset=onset,
            duration_min=duration,
            notes=notes if notes or not from_triage else from_triage,
            triage=triage,
        )
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    level = f"; triage level: {triage.get('level')}" if triage else ""
    print(f"symptom {sid} recorded{level}")


@log_app.command()
def symptoms(ctx: typer.Context, as_json: Json = False) -> None:
    """List recorded symptoms."""
    from backcheck.log import list_symptoms

    try:
        entries = list_symptoms(_store(ctx))
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        _print(entries)
        return
    for e in entries:
        print(
            f"{e['id']:>5}  {e['occurred_at']}  {e['intensity']}/10  {e['quality'] or ''}  "
            f"{e['location'] or ''} {e['side'] or ''}".rstrip()
        )


@log_app.command("delete-symptom")
def delete_symptom(ctx: typer.Context, symptom_id: Annotated[int, typer.Argument()]) -> None:
    """Delete a recorded symptom by its id (see `log symptoms`)."""
    from backcheck.log import delete_symptom as delete

    try:
        if not delete(_store(ctx), symptom_id):
            raise InputError(f"no symptom with id {symptom_id}")
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    print(f"symptom {symptom_id} deleted")


@log_app.command()
def report(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Folder to write the PNG charts to.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Report as of this date; default now.")] = None,
    as_json: Json = False,
) -> None:
    """Progress per lift, spinal load, load-change warnings and what preceded symptoms."""
    from backcheck.log import report as make_report
    from backcheck.log import write_charts

    try:
        rep = make_report(_store(ctx), _when(as_of) if as_of else None)
        paths = write_charts(rep, out) if out else []
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        _print(rep.to_json())
        return
    print(rep.to_text())
    for p in paths:
        print(f"chart written: {p}")


@log_app.command()
def findings(ctx: typer.Context, as_json: Json = False) -> None:
    """What the log contributes to triage and advice (load jumps, recovery, ...)."""
    from backcheck.log import log_findings

    try:
        found = log_findings(_store(ctx))
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        _print([f.to_json() for f in found])
        return
    for f in found:
        print(f"{f.id}: {f.evidence}")
    if not found:
        print("no load factors in the last two weeks or in what preceded your symptoms")


@log_app.command()
def stats(ctx: typer.Context, as_json: Json = False) -> None:
    """Counts: sessions, sets, exercises, symptoms."""
    from backcheck.log import stats as count

    try:
        numbers = count(_store(ctx))
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        _print(numbers)
    else:
        print(", ".join(f"{v} {k}" for k, v in numbers.items()))


@log_app.command()
def export(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="File to write; default stdout.")] = None,
) -> None:
    """Export the whole log as JSON (lossless; `log restore` reads it back)."""
    from backcheck.log import export_json

    try:
        text = json.dumps(export_json(_store(ctx)), ensure_ascii=False, indent=1)
        if out is None:
            print(text)
        else:
            out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {out}: {exc.strerror}") from exc
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc


@log_app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `backcheck log export`.")],
) -> None:
    """Restore an export into an empty log."""
    from backcheck.log import restore_json

    try:
        try:
            doc = json.loads(file.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {file} as JSON: {exc}") from exc
        counts = restore_json(_store(ctx), doc)
    except BackcheckError as exc:
        raise _fail(str(exc)) from exc
    print(
        f"restored {counts['sessions']} sessions, {counts['sets']} sets, "
        f"{counts['symptoms']} symptoms"
    )


@log_app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Folder to write the demo charts to.")] = None,
) -> None:
    """Import a generated 30-week Strong export into a throw-away log and show the report."""
    from backcheck.log import add_symptom, import_file, log_findings, open_log, write_charts
    from backcheck.log import report as make_report
    from backcheck.log.synth import history
    from backcheck.settings import load_settings

    h = history(30)
    store = open_log(load_settings({"db_url": "sqlite://", "data_dir": out or Path(".")}))
    summary = import_file(store, h.csv.encode(), "demo-strong.csv")
    for when in h.symptoms:
        add_symptom(store, when, 5, quality="tight", onset="next_day")
    as_of = h.symptoms[-1]
    print(
        f"Demo: {summary.sets_added} sets from a generated Strong export; every 5th week the "
        "weights jump 40% and a tight lower back follows the next morning.\n"
    )
    rep = make_report(store, as_of)
    print(rep.to_text())
    print("\nFindings passed to triage and advice:")
    for f in log_findings(store, as_of):
        print(f"  {f.id}: {f.evidence[:160]}...")
    for p in write_charts(rep, out) if out else []:
        print(f"chart written: {p}")
    print(
        "\nYour own: backcheck log import EXPORT.csv; backcheck log symptom 5 --quality tight; "
        "backcheck log report --out charts/"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
