"""Landmark files: our JSON round-trips, TRC marker files load and analyse, mangled files fail
only with InputError."""

from __future__ import annotations

import contextlib
import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import InputError
from backcheck.formcheck.analysis import analyze
from backcheck.formcheck.landmark_files import (
    landmarks_to_json,
    load_landmarks,
    parse_landmarks_json,
    parse_trc,
    write_landmarks,
)
from backcheck.formcheck.synthetic import generate_deadlift

# Sports2D / OpenCap marker names and the MediaPipe landmark each stands for.
TRC_MARKERS = {
    "RHip": 24, "RKnee": 26, "RAnkle": 28, "RHeel": 30, "RBigToe": 32, "RShoulder": 12,
    "RElbow": 14, "RWrist": 16, "LHip": 23, "LKnee": 25, "LAnkle": 27, "LHeel": 29,
    "LBigToe": 31, "LShoulder": 11, "LElbow": 13, "LWrist": 15, "Nose": 0,
}  # fmt: skip


OPENCAP_NAMES = {
    "RHip": "RHJC_study", "RKnee": "r_knee_study", "RAnkle": "r_ankle_study",
    "RHeel": "r_calc_study", "RBigToe": "r_toe_study", "RShoulder": "r_shoulder_study",
    "RElbow": "r_lelbow_study", "RWrist": "r_lwrist_study", "LHip": "LHJC_study",
    "LKnee": "L_knee_study", "LAnkle": "L_ankle_study", "LHeel": "L_calc_study",
    "LBigToe": "L_toe_study", "LShoulder": "L_shoulder_study", "LElbow": "L_lelbow_study",
    "LWrist": "L_lwrist_study", "Nose": "Head",
}  # fmt: skip


def make_trc(series, truth, units: str = "m", step: int = 1, opencap: bool = False) -> str:
    """A TRC text from a generated set (y up, metres or millimetres).

    Sports2D layout: marker names like RHip, 2-D data in X, Z = 0. OpenCap layout: OpenCap's
    study marker names and the lifter moving along Z (X lateral), as a 3-D capture would be.
    """
    factor = {"m": 1.0, "mm": 1000.0}[units]
    scale = truth.scale_px_per_m
    ground = series.height * 0.92
    frames = range(0, series.n_frames, step)
    names = list(TRC_MARKERS)
    shown = [OPENCAP_NAMES[n] for n in names] if opencap else names
    lines = [
        "PathFileType\t4\t(X/Y/Z)\tdeadlift.trc",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame"
        "\tOrigNumFrames",
        f"{series.fps / step:.2f}\t{series.fps / step:.2f}\t{len(frames)}\t{len(names)}\t{units}"
        f"\t{series.fps:.2f}\t1\t{series.n_frames}",
        "Frame#\tTime\t" + "\t\t\t".join(shown) + "\t\t",
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(names) + 1)),
        "",
    ]
    for row, i in enumerate(frames, start=1):
        values = [str(row), f"{series.times[i]:.4f}"]
        for name in names:
            x, y = series.xy[i, TRC_MARKERS[name]]
            if np.isfinite(x):
                forward, up = f"{x / scale * factor:.5f}", f"{(ground - y) / scale * factor:.5f}"
                values += ["0", up, forward] if opencap else [forward, up, "0"]
            else:
                values += ["", "", ""]
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def faulty_set():
    return generate_deadlift(reps=3, hips_rise_early=14.0, faulty_reps=[3], noise_px=1.0,
                             drop_frames=0.05, trunk_flexion_deg=20.0, seed=11)  # fmt: skip


def test_landmark_json_round_trip(tmp_path, faulty_set) -> None:
    series, _ = faulty_set
    path = tmp_path / "set.json"
    write_landmarks(series, path)
    loaded = load_landmarks(path)
    assert loaded.source == "landmarks-json"
    assert loaded.xy.shape == series.xy.shape and loaded.fps == series.fps
    np.testing.assert_allclose(loaded.xy, series.xy, atol=0.01)
    np.testing.assert_array_equal(np.isnan(loaded.xy), np.isnan(series.xy))
    np.testing.assert_allclose(loaded.back_sagitta, series.back_sagitta, atol=1e-5)
    a, b = analyze(series).to_json(), analyze(loaded).to_json()
    assert [r["faults"] for r in a["reps"]] == [r["faults"] for r in b["reps"]]
    assert a["findings"] == b["findings"]


def test_landmarks_inside_a_report_json_load(tmp_path, faulty_set) -> None:
    series, _ = faulty_set
    report = analyze(series).to_json() | {"landmarks": landmarks_to_json(series)}
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    assert load_landmarks(path).n_frames == series.n_frames


@pytest.mark.parametrize(("units", "step", "opencap"), [("m", 1, False), ("mm", 2, True)])
def test_trc_file_loads_and_analyses(tmp_path, faulty_set, units, step, opencap) -> None:
    series, truth = faulty_set
    path = tmp_path / "markers.trc"
    path.write_text(make_trc(series, truth, units, step, opencap), encoding="utf-8")
    loaded = load_landmarks(path)
    assert loaded.source == "trc" and loaded.fps == pytest.approx(series.fps / step)
    report = analyze(loaded)
    assert len(report.reps) == 3
    assert [r.faults for r in report.reps] == [[], [], ["hips_rise_early"]]
    assert report.distance_unit == "cm"  # TRC coordinates carry their own scale
    assert abs(-report.reps[2].trunk_change_deg - 14.0) <= 3.0
    assert "rounding could not be estimated" in " ".join(report.notes).lower()


def test_trc_without_body_markers_is_an_input_error(tmp_path, faulty_set) -> None:
    series, truth = faulty_set
    text = make_trc(series, truth).replace("RHip", "Pelvis1").replace("LHip", "Pelvis2")
    with pytest.raises(InputError, match="hip, knee and shoulder"):
        parse_trc(text, "markers.trc")


def test_not_a_landmark_file_says_how_to_fix(tmp_path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a backcheck landmark file"):
        load_landmarks(path)
    with pytest.raises(InputError, match="cannot read"):
        load_landmarks(tmp_path / "missing.json")


@pytest.fixture(scope="module")
def small_texts():
    series, truth = generate_deadlift(reps=1, fps=10.0, seed=2)
    return json.dumps(landmarks_to_json(series)), make_trc(series, truth)


def _mangle(text: str, data) -> str:
    """Cut, insert or replace a random part of a valid file."""
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 200)))
        junk = data.draw(
            st.text(alphabet=st.sampled_from('0123456789.-e,:[]{}"\t\nNaN '), max_size=8)
        )
        text = text[:i] + junk + text[j:]
    return text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_mangled_files_raise_only_input_error(small_texts, data) -> None:
    json_text, trc_text = small_texts
    # Draw every mangled file first, so what a parser does cannot change what is drawn next.
    mangled = [
        (parse_landmarks_json, _mangle(json_text, data)),
        (parse_trc, _mangle(trc_text, data)),
    ]
    for parse, text in mangled:
        with contextlib.suppress(InputError):
            series = parse(text, "mangled")
            analyze(series)  # whatever loads must also analyse without crashing


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_raises_only_input_error(text: str) -> None:
    for parse in (parse_landmarks_json, parse_trc):
        with contextlib.suppress(InputError):
            parse(text, "random")
    with contextlib.suppress(InputError):
        parse_trc("PathFileType\t4\n" + text, "random")


_ODD_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30), st.none(),
    st.text(max_size=3), st.just([]), st.just({}),
)  # fmt: skip


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_odd_values_in_a_valid_structure_raise_only_input_error(small_texts, data) -> None:
    """Well-formed JSON with wrong values where numbers belong (fps, times, points, extras)."""
    doc = json.loads(small_texts[0])
    frames = doc["frames"]
    for _ in range(data.draw(st.integers(1, 5))):
        value = data.draw(_ODD_VALUES)
        where = data.draw(st.sampled_from(["fps", "width", "height", "px_per_m", "frame"]))
        i = data.draw(st.integers(0, len(frames) - 1))
        if where != "frame":
            doc[where] = value
        else:
            key = data.draw(st.sampled_from(["t", "bar", "back_sagitta", "point", "coord"]))
            j = data.draw(st.integers(0, 32))
            if key == "point":
                frames[i]["landmarks"][j] = value
            elif key == "coord" and isinstance(frames[i]["landmarks"][j], list):
                frames[i]["landmarks"][j][data.draw(st.integers(0, 2))] = value
            else:
                frames[i][key] = value
    with contextlib.suppress(InputError):
        analyze(parse_landmarks_json(json.dumps(doc), "odd"))


def test_the_back_of_the_hips_and_the_back_line_survive_a_landmark_file(tmp_path, faulty_set):
    series, truth = faulty_set
    without = load_landmarks(_written(tmp_path / "without.json", series))
    assert without.rear_of_hips is None and without.back_line_deg is None
    with_rear = dataclasses.replace(series, rear_of_hips=truth.joints["hip"] - [30.0, 0.0],
                                    back_line_deg=truth.trunk_deg + 5.0)  # fmt: skip
    with_rear.rear_of_hips[5:9] = np.nan
    with_rear.back_line_deg[7:12] = np.nan
    loaded = load_landmarks(_written(tmp_path / "with.json", with_rear))
    np.testing.assert_allclose(loaded.rear_of_hips, with_rear.rear_of_hips, atol=0.01)
    np.testing.assert_allclose(loaded.back_line_deg, with_rear.back_line_deg, atol=0.001)
    a, b = analyze(with_rear).to_json(), analyze(loaded).to_json()
    assert [r["hip_rise_source"] for r in b["reps"]] == ["outline"] * 3
    assert [r["trunk_change_deg"] for r in a["reps"]] == [r["trunk_change_deg"] for r in b["reps"]]


def _written(path, series):
    write_landmarks(series, path)
    return path
