"""`backcheck formcheck VIDEO`: the form check from a terminal (thin layer over
`backcheck.formcheck`). Progress goes to stderr, so `--json` output on stdout stays clean."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from backcheck.errors import BackcheckError


def _print_summary(data: dict) -> None:
    print(
        f"{data['frames']} frames, pose on {data['frames_with_pose']}, "
        f"{data['fps_processed']:.1f} frames/s analysed; {len(data['reps'])} reps"
    )
    for rep in data["reps"]:
        faults = ", ".join(f.replace("_", " ") for f in rep["faults"]) or "no fault found"
        print(f"  rep {rep['number']}: {rep['concentric_s']:.2f} s up; {faults}")
    for finding in data["findings"]:
        print(f"  finding {finding['id']} ({finding['assertion']}): reps {finding['reps']}")
    for warning in data["warnings"]:
        print(f"  warning: {warning}")


def _run_video(video: Path, out: Path | None) -> dict:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from backcheck.formcheck.decode import probe
    from backcheck.formcheck.pipeline import run_video
    from backcheck.formcheck.render import write_outputs
    from backcheck.settings import load_settings

    settings = load_settings()
    probe(video, settings)  # refuse a bad file before any progress bar is drawn
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn(
            "{task.completed}/{task.total} frames"), TimeRemainingColumn(),
            console=_stderr_console(), transient=True) as bar:  # fmt: skip
        task = bar.add_task("pose", total=None)
        result = run_video(
            video, settings, lambda done, total: bar.update(task, completed=done, total=total)
        )
        if out is not None:
            bar.update(task, description="drawing", completed=0)
            write_outputs(result.info, settings, result.series, result.report, out)
    return result.report.to_json()


def _stderr_console():  # -> rich Console on stderr
    from rich.console import Console

    return Console(stderr=True)


def formcheck(
    video: Annotated[
        Path | None, typer.Argument(help="Side-on deadlift video: mp4, mov, webm or avi.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for annotated.mp4, angles.png and report.json."),
    ] = None,
    landmarks: Annotated[
        Path | None,
        typer.Option("--landmarks", help="Analyse a landmark JSON or TRC file instead of a video."),
    ] = None,
) -> None:
    """Check deadlift form on a side-on video: reps, angles, bar path, faults, warnings."""
    if (video is None) == (landmarks is None):
        print("backcheck: give a VIDEO or --landmarks FILE (one of them)", file=sys.stderr)
        raise typer.Exit(2)
    try:
        if landmarks is not None:
            from backcheck.formcheck import analyze_landmarks

            data = analyze_landmarks(landmarks).to_json()
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                (out / "report.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        else:
            data = _run_video(video, out)
    except BackcheckError as exc:
        print(f"backcheck: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        _print_summary(data)


def register(app: typer.Typer) -> None:
    app.command("formcheck")(formcheck)
