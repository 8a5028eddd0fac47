"""Bad input gets one clear line saying what is wrong, or a labelled not-enough-information
result; never a traceback and never a silent `normal`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backcheck.assess import assess_text
from backcheck.errors import InputError

CLI = [sys.executable, "-m", "backcheck.cli"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 5_000_000, "characters long"),
        ("\x00\x01\x02\x03binary\x04\x05\x06\x07\x08\x0e\x0f" * 5, "binary"),
        (b"\xff\xfe\x00\x81 not utf8", "UTF-8"),
    ],
)
def test_unusable_reports_raise_a_specific_error(text: object, says: str) -> None:
    with pytest.raises(InputError, match=says):
        assess_text(text)


def test_non_english_report_is_insufficient_information_not_normal() -> None:
    data = assess_text("Me duele mucho la espalda después de hacer peso muerto ayer").to_json()
    assert data["insufficient_information"] is True
    assert data["level"] != "normal"
    assert any("English" in n for n in data["notices"])
    assert data["questions"][0]["red_flag"]


def test_vague_report_is_labelled_insufficient() -> None:
    data = assess_text("my back hurts").to_json()
    assert data["insufficient_information"] and data["level"] == "self_care"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_empty_report_fails_with_one_line() -> None:
    proc = _run("triage", "--json", "   ")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "empty" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_batch_keeps_going_after_a_bad_line(tmp_path: Path) -> None:
    batch = tmp_path / "cases.jsonl"
    batch.write_text(
        '{"id": "a", "text": "lower back sore the day after deadlifts"}\n'
        "{not json\n"
        '{"id": "c", "text": ""}\n'
        '{"id": "d", "text": "numb between my legs since I hurt my back"}\n',
        encoding="utf-8",
    )
    proc = _run("triage", "--json", "--batch", str(batch))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "line-2", "c", "d"]
    assert "error" in rows[1] and "line 2" in rows[1]["error"]
    assert "empty" in rows[2]["error"]
    assert rows[3]["level"] == "emergency"


def test_cli_unknown_questionnaire_answer_is_explained(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"fever": "kinda"}}), encoding="utf-8")
    proc = _run("triage", "--answers", str(answers))
    assert proc.returncode == 2 and "yes, no, unsure" in proc.stderr
    answers.write_text(json.dumps({"answers": {"fevr": "no"}}), encoding="utf-8")
    proc = _run("triage", "--answers", str(answers))
    assert proc.returncode == 2 and "Unknown question id 'fevr'" in proc.stderr


def test_cli_reads_stdin_and_prints_a_readable_report() -> None:
    proc = _run("triage", "-", stdin="Fell off a ladder yesterday and my lower back is agony.")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.index("EMERGENCY") < proc.stdout.index("not a diagnosis")
