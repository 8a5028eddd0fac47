"""The `backcheck log` commands, run in-process on a fresh Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from backcheck.cli import log_cmd

DATA = Path(__file__).parent / "data"


@pytest.fixture
def run(tmp_path):
    app = typer.Typer()
    log_cmd.register(app)
    app.command()(lambda: None)  # a second command keeps `log` a sub-command
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None):
        return runner.invoke(app, ["log", "--data-dir", str(tmp_path), *args], env=env)

    return invoke


def test_import_then_stats_json_is_exact(run):
    res = run("import", str(DATA / "strong_quoted_kg.csv"))
    assert res.exit_code == 0, res.output
    assert "3 sets added" in res.output and "2 non-set rows skipped" in res.output
    res = run("stats", "--json")
    assert json.loads(res.stdout) == {"sessions": 2, "sets": 3, "exercises": 2, "symptoms": 0}


def test_bad_file_fails_on_one_line_with_exit_2(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,exercise,weight,unit,reps\n2025-01-01,DL,abc,kg,5\n")
    res = run("import", str(bad))
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        "backcheck: bad.csv line 2, column 'weight': expected a number like 102.5, got 'abc'"
    )


def test_preview_writes_nothing(run):
    res = run("import", "--preview", "--json", str(DATA / "hevy_kg.csv"))
    assert res.exit_code == 0 and len(json.loads(res.stdout)["rows"]) == 4
    assert json.loads(run("stats", "--json").stdout)["sets"] == 0


def test_unit_option_for_strong_without_unit_column(run):
    run("import", "--unit", "lb", str(DATA / "strong_comma_duration.csv"))
    doc = json.loads(run("export").stdout)
    assert {s["weight_unit"] for sess in doc["sessions"] for s in sess["sets"]} == {"lb"}


def test_symptom_with_triage_json_list_and_delete(run, tmp_path):
    triage = tmp_path / "t.json"
    triage.write_text(json.dumps({"level": "self_care"}))
    res = run(
        "symptom",
        "6",
        "--when",
        "2025-01-07 08:00",
        "--quality",
        "tight",
        "--side",
        "both",
        "--triage-json",
        str(triage),
    )
    assert res.exit_code == 0 and "triage level: self_care" in res.output
    listed = json.loads(run("symptoms", "--json").stdout)
    assert listed[0]["triage"] == {"level": "self_care"} and listed[0]["side"] == "both"
    assert run("delete-symptom", str(listed[0]["id"])).exit_code == 0
    assert run("delete-symptom", str(listed[0]["id"])).exit_code == 2


def test_symptom_rejects_bad_values(run):
    assert run("symptom", "12").exit_code == 2
    res = run("symptom", "3", "--when", "last tuesday")
    assert res.exit_code == 2 and "--when" in res.stderr


def test_report_writes_charts_and_json(run, tmp_path):
    run("import", str(DATA / "strong_semicolon_unit.csv"))
    res = run("report", "--out", str(tmp_path / "charts"))
    assert res.exit_code == 0, res.output
    assert "Training log as of" in res.stdout and (tmp_path / "charts" / "ratio.png").exists()
    doc = json.loads(run("report", "--json").stdout)
    assert doc["stats"]["sets"] == 6 and doc["precedence"]["enough_data"] is False


def test_export_restore_round_trip_through_files(run, tmp_path):
    run("import", str(DATA / "generic.csv"))
    out = tmp_path / "log.json"
    assert run("export", "--out", str(out)).exit_code == 0
    res = run("--lifter", "other", "restore", str(out))
    assert res.exit_code == 0 and "restored 2 sessions, 4 sets" in res.output
    again = run("--lifter", "other", "restore", str(out))
    assert again.exit_code == 2 and "already has a log" in again.stderr


def test_db_url_from_environment(run, tmp_path):
    url = f"sqlite:///{tmp_path}/elsewhere.db"
    run("import", str(DATA / "generic.csv"), env={"BACKCHECK_DB_URL": url})
    assert (tmp_path / "elsewhere.db").exists()


def test_every_log_command_has_help():
    for cmd in log_cmd.log_app.registered_commands:
        assert (cmd.callback.__doc__ or "").strip(), cmd.name


def test_symptom_from_triage_text_stores_the_triage_result(run):
    res = run(
        "symptom",
        "4",
        "--when",
        "2025-01-07 08:00",
        "--from-triage",
        "my lower back is tight and crampy after deadlifts, nothing down my legs",
    )
    assert res.exit_code == 0, res.output
    [entry] = json.loads(run("symptoms", "--json").stdout)
    assert entry["triage"]["level"] in {"normal", "self_care", "soon", "urgent", "emergency"}
    assert f"triage level: {entry['triage']['level']}" in res.output
    assert entry["notes"].startswith("my lower back is tight")


def test_demo_runs_on_a_throw_away_log(run, tmp_path):
    res = run("demo", "--out", str(tmp_path / "demo"))
    assert res.exit_code == 0, res.output
    assert "load_jump:" in res.stdout and (tmp_path / "demo" / "e1rm.png").exists()
    assert json.loads(run("stats", "--json").stdout)["sets"] == 0
