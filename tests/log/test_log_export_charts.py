"""Lossless export/restore, charts as PNG and JSON series, and the data-file schemas."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml

import backcheck.log as log
from backcheck.errors import InputError
from backcheck.log.exercises import load_catalogue
from backcheck.log.synth import history
from backcheck.settings import load_settings

DATA = Path(__file__).parent / "data"
PNG = b"\x89PNG\r\n\x1a\n"


def fresh(tmp_path: Path, name: str) -> log.LogStore:
    return log.open_log(
        load_settings({"data_dir": tmp_path, "db_url": f"sqlite:///{tmp_path}/{name}.db"})
    )


@pytest.fixture
def filled(store):
    for path in sorted(DATA.glob("*.csv")):
        log.import_file(store, path)
    log.add_symptom(
        store,
        datetime(2025, 1, 7, 8),
        6,
        quality="tight",
        side="left",
        onset="next_day",
        duration_min=90,
        notes="after deadlifts",
        triage={"level": "self_care", "kinds": ["muscle_strain"]},
    )
    log.add_symptom(store, datetime(2025, 1, 9, 20), 2)
    return store


def test_export_restore_export_is_identical(filled, tmp_path):
    doc = log.export_json(filled)
    other = fresh(tmp_path, "other")
    counts = log.restore_json(other, json.loads(json.dumps(doc)))
    assert counts["sets"] == log.stats(filled)["sets"] and counts["symptoms"] == 2
    assert log.export_json(other) == doc
    assert log.stats(other) == log.stats(filled)


def test_restore_refuses_a_log_that_has_data_and_a_foreign_document(filled, tmp_path):
    doc = log.export_json(filled)
    with pytest.raises(InputError, match="already has a log"):
        log.restore_json(filled, doc)
    with pytest.raises(InputError, match="not a backcheck log export: format"):
        log.restore_json(fresh(tmp_path, "x"), {**doc, "format": "other"})
    with pytest.raises(InputError, match="not a backcheck log export"):
        log.restore_json(fresh(tmp_path, "y"), {**doc, "surprise": 1})


def test_charts_are_png_and_series_match_the_report(store, tmp_path):
    h = history(12)
    log.import_file(store, h.csv.encode(), "s.csv")
    log.add_symptom(store, h.symptoms[0], 5)
    rep = log.report(store, as_of=datetime(2025, 1, 1))
    paths = log.write_charts(rep, tmp_path / "charts")
    assert sorted(p.name for p in paths) == ["e1rm.png", "ratio.png", "spinal_load.png"]
    assert all(p.read_bytes().startswith(PNG) for p in paths)
    series = log.chart_series(rep)
    assert series["spinal_load"]["load"] == rep.spinal["load"]
    assert series["spinal_load"]["symptom_dates"] == ["2024-02-10"]
    assert {s["name"] for s in series["e1rm"]} == {"Deadlift", "Back Squat", "Barbell Row"}
    json.dumps(series)  # JSON-ready


def test_report_json_is_serialisable_and_names_its_sources(filled):
    doc = log.report(filled, as_of=datetime(2025, 3, 1)).to_json()
    assert json.loads(json.dumps(doc))["stats"] == log.stats(filled)
    sources = {
        s["id"]
        for s in yaml.safe_load(
            Path("backcheck/knowledge/data/sources.yaml").read_text(encoding="utf-8")
        )
    }
    assert set(doc["sources"]) <= sources


def test_every_spinal_weight_has_a_known_source_and_a_rationale():
    sources = {
        s["id"]
        for s in yaml.safe_load(
            Path("backcheck/knowledge/data/sources.yaml").read_text(encoding="utf-8")
        )
    }
    cat = load_catalogue()
    assert cat.spinal, "the spinal-load table is empty"
    for key, sw in cat.spinal.items():
        assert sw.source in sources, key
        assert len(sw.rationale) >= 20
    assert cat.spinal_weight("deadlift") == 1.0 and cat.spinal_weight("bench_press") == 0.0


def test_spinal_records_with_unknown_keys_are_rejected():
    from pydantic import ValidationError

    from backcheck.log.exercises import SpinalWeight

    with pytest.raises(ValidationError):
        SpinalWeight.model_validate(
            {
                "exercise": "deadlift",
                "weight": 1.0,
                "source": "x",
                "rationale": "long enough rationale here",
                "colour": 1,
            }
        )
