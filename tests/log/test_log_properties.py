"""Property tests: importers never crash and never leave partial data; units round-trip."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backcheck.log as log
from backcheck.errors import ImportFormatError
from backcheck.log.units import from_kg, to_kg
from backcheck.settings import load_settings

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(p.read_bytes() for p in DATA.glob("*.csv"))
SHARED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _attempt(store, data: bytes) -> None:
    """Preview and import `data`: a failure must be ImportFormatError and change nothing."""
    before = log.stats(store)
    with contextlib.suppress(ImportFormatError):
        log.preview_import(data, "fuzz.csv", store=store)
    assert log.stats(store) == before
    try:
        log.import_file(store, data, "fuzz.csv")
    except ImportFormatError:
        assert log.stats(store) == before


@SHARED
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_import_format_error_or_import(store, data):
    _attempt(store, data)


@st.composite
def mangled(draw):
    text = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "truncate", "swap"]))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "delete":
            del text[pos : pos + draw(st.integers(1, 20))]
        elif op == "insert":
            text[pos:pos] = draw(
                st.sampled_from(
                    [
                        b",",
                        b";",
                        b'"',
                        b"\n",
                        b"\x00",
                        b"\xff",
                        b"abc",
                        b"-1",
                        b"1e999",
                        b"nan",
                        b"\r",
                        b"\xe2\x80\xaf",
                        b"9999-99-99",
                        b"W",
                        b"Rest Timer",
                    ]
                )
            )
        elif op == "truncate":
            del text[pos:]
        else:
            lines = bytes(text).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = bytearray(b"\n".join(lines))
    return bytes(text)


@SHARED
@given(mangled())
def test_mangled_exports_never_crash_and_never_leave_partial_data(store, data):
    _attempt(store, data)


@settings(max_examples=200)
@given(st.floats(0, 2000, allow_nan=False), st.sampled_from(["kg", "lb"]))
def test_unit_conversion_round_trips(value, unit):
    assert from_kg(to_kg(value, unit), unit) == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_a_pound_is_exactly_its_kilograms():
    assert to_kg(100, "lb") == pytest.approx(45.359237) and to_kg(100, "kg") == 100


_names = st.sampled_from(["Deadlift", "DL", "Squat (Barbell)", "Reverse Hyper", "Curl", "Row"])
_rows = st.lists(
    st.tuples(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31)),
        _names,
        st.one_of(st.none(), st.decimals(0, 400, places=1)),
        st.sampled_from(["kg", "lb"]),
        st.integers(0, 30),
        st.sampled_from(["working", "warmup", "drop", "failure"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_rows, st.lists(st.integers(0, 10), max_size=4))
def test_export_restore_export_round_trips_any_log(tmp_path, rows, intensities):
    def fresh():
        return log.open_log(load_settings({"data_dir": tmp_path, "db_url": "sqlite://"}))

    body = ["date,exercise,weight,unit,reps,set_type"]
    body += [f"{d},{n},{'' if w is None else w},{u},{r},{t}" for d, n, w, u, r, t in rows]
    first = fresh()
    log.import_file(first, "\n".join(body).encode(), "g.csv")
    for i, level in enumerate(intensities):
        log.add_symptom(first, datetime(2024, 1, 1 + i, 8), level, triage={"n": i})
    doc = log.export_json(first)
    second = fresh()
    log.restore_json(second, json.loads(json.dumps(doc)))
    assert log.export_json(second) == doc
    first.close()
    second.close()
