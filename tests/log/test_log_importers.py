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


@pytest.mark.parametrize(("name", "unit", "types"), [
    ("hevy_kg.csv", "kg", ["warmup", "working", "drop", "failure"]),
    ("hevy_lbs.csv", "lb", ["working", "working"]),
])
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
    assert str(err.value) == ("mine.csv line 3, column 'weight': expected a number like 102.5, "
                              "got 'abc'")


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
    assert p.exercises == {"Reverse Hyper": "Reverse Hyperextension",
                           "Back Extension": "Back Extension"}
