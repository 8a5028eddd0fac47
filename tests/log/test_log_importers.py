"""Every importer variant, read from sample files written from the apps' published headers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from backcheck.errors import ImportFormatError
from backcheck.log import preview_import
from backcheck.log.importers.detect import parse_export

DATA = Path(__file__).parent / "data"


def parsed(name: str, unit: str | None = None):
    return parse_export((DATA / name).read_bytes(), name, unit)


def test_strong_semicolon_with_weight_unit_column_keeps_each_rows_unit():
    p = parsed("strong_semicolon_unit.csv")
    assert p.format == "strong"
    assert [s.set_type for s in p.sets[:3]] == ["warmup", "working", "working"]
    gm = next(s for s in p.sets if s.exercise.startswith("Good Morning"))
    assert (gm.weight_value, gm.weight_unit, gm.reps) == (135.0, "lb", 8)
    assert p.sets[2].rpe == 8.5
    assert p.sets[0].duration_s == 3900 and p.sets[0].session_notes == "Felt fine"


def test_strong_comma_variant_has_no_unit_column_so_the_lifter_names_it():
    assert parsed("strong_comma_duration.csv").sets[1].weight_unit == "kg"
    p = parsed("strong_comma_duration.csv", unit="lb")
    assert "no unit column" in p.note
    assert [s.set_type for s in p.sets[:4]] == ["warmup", "working", "drop", "failure"]
    assert {s.weight_unit for s in p.sets} == {"lb"}
    assert p.sets[3].notes == "grindy, stopped" and p.sets[3].rpe == 10


def test_strong_quoted_semicolon_decimal_comma_pm_and_non_set_rows():
    p = parsed("strong_quoted_kg.csv")
    assert p.rows_read == 5 and p.rows_skipped == 2  # rest timer and note rows
    first = p.sets[0]
    assert first.started_at == datetime(2025, 1, 30, 12, 34, 56)  # 12 pm is noon
    assert (first.weight_value, first.rpe) == (102.5, 8.5)
    assert p.sets[2].started_at == datetime(2025, 2, 1, 9, 5)


@pytest.mark.parametrize(
    ("name", "unit", "types"),
    [
        ("hevy_kg.csv", "kg", ["warmup", "working", "drop", "failure"]),
        ("hevy_lbs.csv", "lb", ["working", "working"]),
    ],
)
def test_hevy_weight_column_names_the_unit_and_set_type_maps(name, unit, types):
    p = parsed(name)
    assert p.format == "hevy"
    assert {s.weight_unit for s in p.sets} == {unit}
    assert [s.set_type for s in p.sets] == types


def test_hevy_dates_and_session_duration():
    s = parsed("hevy_kg.csv").sets[1]
    assert s.started_at == datetime(2025, 1, 30, 12, 34)
    assert s.duration_s == 66 * 60 and s.weight_value == 150.5 and s.rpe == 9


def test_fitnotes_android_and_ios_variants():
    a = parsed("fitnotes_android.csv")
    assert a.format == "fitnotes" and "Android" in a.note
    assert a.sets[2].notes == "holding a plate"
    tread = a.sets[3]
    assert (tread.distance_m, tread.seconds, tread.weight_value) == (2500.0, 1200, None)
    i = parsed("fitnotes_ios.csv")
    assert "iOS" in i.note and i.sets[0].weight_unit == "lb"
    assert i.sets[0].started_at == datetime(2025, 1, 6)


def test_liftosaur_uses_completed_weight_and_rpe_in_utc():
    p = parsed("liftosaur.csv")
    assert p.format == "liftosaur"
    warm, top = p.sets
    assert warm.set_type == "warmup" and top.set_type == "working"
    assert (top.weight_value, top.reps, top.rpe) == (152.5, 3, 9.0)
    assert top.started_at == datetime(2025, 1, 30, 12, 34, 56)


def test_generic_csv_with_units_per_row_and_bodyweight_rows():
    p = parsed("generic.csv")
    assert p.format == "generic"
    assert [s.weight_unit for s in p.sets] == ["kg", "kg", "lb", "kg"]
    assert p.sets[3].weight_value is None and p.sets[0].set_type == "warmup"


def test_bad_number_names_file_line_column_and_expectation():
    text = (DATA / "generic.csv").read_text().replace("180,kg", "abc,kg")
    with pytest.raises(ImportFormatError) as err:
        parse_export(text.encode(), "mine.csv")
    assert str(err.value) == (
        "mine.csv line 3, column 'weight': expected a number like 102.5, got 'abc'"
    )


def test_unknown_set_order_is_an_error_with_its_line():
    text = (DATA / "strong_semicolon_unit.csv").read_text().replace(";W;60", ";X;60")
    with pytest.raises(ImportFormatError, match=r"line 2, column 'Set Order'"):
        parse_export(text.encode(), "s.csv")


def test_unknown_header_lists_the_supported_formats():
    with pytest.raises(ImportFormatError, match="header not recognised.*strong, hevy"):
        parse_export(b"a,b,c\n1,2,3\n", "x.csv")


def test_utf16_with_bom_and_utf8_bom_are_read():
    text = (DATA / "generic.csv").read_text()
    assert parse_export(text.encode("utf-16"), "x.csv").format == "generic"
    assert parse_export(b"\xef\xbb\xbf" + text.encode(), "x.csv").format == "generic"


def test_preview_lists_rows_and_every_bad_line_without_stopping():
    text = (DATA / "generic.csv").read_text()
    text = text.replace("100,kg", "x,kg").replace("180,kg,3", "180,kg,3.5")
    p = preview_import(text.encode(), "g.csv")
    assert not p.ok
    assert [e.split(",")[0] for e in p.errors] == ["g.csv line 2", "g.csv line 3"]
    assert [r["line"] for r in p.rows] == [4, 5]
    assert p.exercises == {
        "Reverse Hyper": "Reverse Hyperextension",
        "Back Extension": "Back Extension",
    }


def test_strong_quoted_variant_in_pounds():
    text = (DATA / "strong_quoted_kg.csv").read_text().replace("Weight (kg)", "Weight (lbs)")
    p = parse_export(text.encode(), "s.csv")
    assert {s.weight_unit for s in p.sets} == {"lb"} and p.sets[0].weight_value == 102.5


def test_fitnotes_android_in_pounds():
    text = (DATA / "fitnotes_android.csv").read_text().replace("Weight (kgs)", "Weight (lbs)")
    assert parse_export(text.encode(), "f.csv").sets[0].weight_unit == "lb"


def test_generic_tab_separated_with_a_weight_kg_column_and_rir():
    body = "Date\tExercise\tWeight_kg\tReps\tRIR\n2025-01-06\tGood Morning\t60,5\t8\t2\n"
    [s] = parse_export(body.encode(), "t.tsv").sets
    assert (s.weight_value, s.weight_unit, s.rir, s.exercise) == (60.5, "kg", 2.0, "Good Morning")


def test_generic_missing_unit_with_a_weight_is_an_error():
    body = "date,exercise,weight,unit,reps\n2025-01-06,Deadlift,100,,5\n"
    with pytest.raises(ImportFormatError, match="column 'unit': expected a weight unit"):
        parse_export(body.encode(), "g.csv")


@pytest.mark.parametrize(
    "stamp", ["2025-01-30 12:34:56 am", "2025-01-30 00:34:56", "2025-01-30 12:34 AM"]
)
def test_strong_date_variants(stamp):
    lines = (DATA / "strong_semicolon_unit.csv").read_text().splitlines()
    body = "\n".join([lines[0], lines[1].replace("2025-01-06 18:02:11", stamp)])
    [s] = parse_export(body.encode(), "s.csv").sets
    assert (s.started_at.hour, s.started_at.minute) == (0, 34)


def test_rows_with_too_few_fields_are_read_as_empty_columns():
    body = "date,exercise,weight,unit,reps,rpe,notes\n2025-01-06,Deadlift,100,kg,5\n"
    [s] = parse_export(body.encode(), "g.csv").sets
    assert s.rpe is None and s.notes is None


def test_reps_must_be_whole_and_in_range():
    body = "date,exercise,weight,unit,reps\n2025-01-06,Deadlift,100,kg,-3\n"
    with pytest.raises(ImportFormatError, match="column 'reps': expected a number from 0"):
        parse_export(body.encode(), "g.csv")


def test_bad_hevy_date_shows_hevys_own_format():
    text = (DATA / "hevy_kg.csv").read_text().replace('"30 Jan 2025, 12:34"', '"Jan 30th"', 1)
    with pytest.raises(
        ImportFormatError,
        match=r"line 2, column 'start_time': expected a date "
        r"and time like 30 Jan 2025, 12:34",
    ):
        parse_export(text.encode(), "h.csv")
