"""Storage: schema from the migrations, WAL, atomic and idempotent imports, units, stats."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

import backcheck.log as log
from backcheck.errors import ImportFormatError, InputError
from backcheck.log.db import upgrade
from backcheck.log.models import Base, Set

DATA = Path(__file__).parent / "data"


def test_public_api_is_small_and_complete():
    assert sorted(log.__all__) == log.__all__
    assert all(hasattr(log, name) for name in log.__all__)
    assert {
        "open_log",
        "import_file",
        "preview_import",
        "report",
        "log_findings",
        "export_json",
        "restore_json",
        "add_symptom",
        "delete_symptom",
        "stats",
    } <= set(log.__all__)


def test_alembic_upgrade_head_on_empty_db_gives_the_models_tables(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/m.db")
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert set(Base.metadata.tables) <= tables and "alembic_version" in tables


def test_sqlite_file_runs_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_data_dir_is_created_and_default_db_lives_there(tmp_path):
    data_dir = tmp_path / "new" / "dir"
    s = log.open_log(log_settings(data_dir))
    assert (data_dir / "backcheck.sqlite3").exists()
    s.close()


def log_settings(data_dir):
    from backcheck.settings import load_settings

    return load_settings({"data_dir": data_dir}, env={})


def test_reimport_and_overlapping_export_add_nothing_twice(store):
    first = log.import_file(store, DATA / "strong_semicolon_unit.csv")
    assert (first.sets_added, first.sessions_added) == (6, 2)
    again = log.import_file(store, DATA / "strong_semicolon_unit.csv")
    assert (again.sets_added, again.sets_already_present) == (0, 6)
    lines = (DATA / "strong_semicolon_unit.csv").read_text().splitlines()
    extra = "2025-01-10 18:00:00;Lower B;Deadlift (Barbell);1;150;kg;3;9;;;0;;;1h"
    newer = "\n".join([*lines, extra])
    overlap = log.import_file(store, newer.encode(), "newer.csv")
    assert (overlap.sets_added, overlap.sets_already_present) == (1, 6)
    assert log.stats(store) == {"sessions": 3, "sets": 7, "exercises": 3, "symptoms": 0}


def test_one_bad_row_in_the_middle_leaves_the_database_unchanged(store):
    log.import_file(store, DATA / "generic.csv")
    before = log.stats(store)
    rows = [f"2025-03-{d:02d} 17:00,Deadlift,{100 + d},kg,5,,," for d in range(1, 21)]
    rows[10] = "2025-03-11 17:00,Deadlift,heavy,kg,5,,,"
    body = "date,exercise,weight,unit,reps,rpe,set_type,session\n" + "\n".join(rows)
    with pytest.raises(ImportFormatError, match="line 12, column 'weight'"):
        log.import_file(store, body.encode(), "bad.csv")
    assert log.stats(store) == before


def test_units_are_converted_once_and_the_logged_value_kept(store):
    log.import_file(store, DATA / "hevy_lbs.csv")
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Set.weight_value, Set.weight_unit, Set.weight_kg).order_by(Set.id)
        ).all()
    assert rows[0][:2] == (225.0, "lb")
    assert rows[0][2] == pytest.approx(102.0582, abs=1e-4)


def test_aliases_make_one_exercise(store):
    body = (
        "date,exercise,weight,unit,reps\n2025-01-01,Deadlift (Barbell),100,kg,5\n"
        "2025-01-02,Conventional Deadlift,100,kg,5\n2025-01-03,DL,100,kg,5\n"
        "2025-01-04,deads,100,kg,5\n"
    )
    log.import_file(store, body.encode(), "a.csv")
    assert log.stats(store)["exercises"] == 1


def test_stats_count_warmup_and_working_sets_not_rest_timer_or_note_rows(store):
    log.import_file(store, DATA / "strong_quoted_kg.csv")
    assert log.stats(store) == {"sessions": 2, "sets": 3, "exercises": 2, "symptoms": 0}


def test_symptoms_are_added_listed_validated_and_deleted(store):
    sid = log.add_symptom(
        store,
        datetime(2025, 1, 7, 8, 0),
        6,
        quality="tight",
        side="both",
        onset="next_day",
        triage={"level": "self_care"},
    )
    [entry] = log.list_symptoms(store)
    assert (entry["id"], entry["intensity"], entry["triage"]) == (sid, 6, {"level": "self_care"})
    with pytest.raises(InputError, match="intensity 11"):
        log.add_symptom(store, datetime(2025, 1, 7), 11)
    with pytest.raises(InputError, match="side"):
        log.add_symptom(store, datetime(2025, 1, 7), 3, side="up")
    assert log.delete_symptom(store, sid) and not log.delete_symptom(store, sid)
    assert log.stats(store)["symptoms"] == 0


def test_missing_file_is_an_input_error(store, tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        log.import_file(store, tmp_path / "nope.csv")


def test_preview_with_a_store_marks_sets_already_in_the_log(store):
    log.import_file(store, DATA / "hevy_kg.csv")
    before = log.stats(store)
    p = log.preview_import((DATA / "hevy_kg.csv").read_bytes(), "hevy.csv", store=store)
    assert p.ok and p.already_present == 4 and all(r["already_present"] for r in p.rows)
    assert log.stats(store) == before
