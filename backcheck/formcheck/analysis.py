"""Landmark series in, form report out: the analysis half of the form check.

`analyze` works on any `PoseSeries` (from a video, a landmark JSON or TRC file, or the
kinematic model), so the same rules serve every input and can be validated on generated data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from backcheck.formcheck.faults import Thresholds, hips_forward, load_thresholds, rep_faults
from backcheck.formcheck.kinematics import Body, build_body
from backcheck.formcheck.metrics import measure_rep, unit_scale
from backcheck.formcheck.quality import FILM_TIP, plate_vs_feet_measurable
from backcheck.formcheck.report import FormReport, rep_range
from backcheck.formcheck.reps import Geometry, find_reps
from backcheck.formcheck.series import PoseSeries, validate_series
from backcheck.formcheck.side import choose_side

NO_DEADLIFT = (
    "No deadlift was found in this clip: no bar or hands rose from below the knees to the hips "
    f"with the trunk going from bent to upright. To have a set analysed, {FILM_TIP}."
)
NO_PERSON = f"No person was found in this clip. {FILM_TIP[0].upper()}{FILM_TIP[1:]}."
NOTE_ESTIMATE = (
    "A single camera estimates, not measures, spinal flexion: the rounding figure is the bend of "
    "the back's outline between shoulder and hip, and pose landmarks have no points on the spine."
)
NOTE_NO_OUTLINE = (
    "Back rounding could not be estimated: this input has no body outline (landmark files carry "
    "none), so only the trunk angle is reported; landmarks alone cannot show a rounded back."
)
NOTE_ANGLES = (
    "Angles are measured in the picture: a camera turned off the side view distorts them (a lean "
    "back at lockout tends to be under-reported)."
)
NOTE_NO_MIDFOOT = (
    "The bar's distance from mid-foot is left out: with the camera turned off the side, the "
    "plate, about 55 cm out from the body, looks shifted against the feet. The bar's drift from "
    "where it started is shown instead."
)
NOTE_HIP_RISE_OUTLINE = (
    "The hips' rise is read from the body's outline (the buttocks and the back stay in view above "
    "the plate, where the pose model loses the hip joint): its angle change is the mean turn of "
    "the line from the back of the hips to the shoulder and of the line along the back."
)
NOTE_THRESHOLDS = (
    "Fault thresholds are coaching conventions chosen above measurement error, not injury limits; "
    "each names its source."
)


@dataclass(frozen=True)
class AnalysisOptions:
    max_gap_s: float = 0.25  # gaps up to this long are interpolated, longer ones stay missing
    min_visibility: float = 0.3  # landmarks less visible than this count as missing
    fps_processed: float | None = None  # set by the video pipeline when it skips frames


def analyze(series: PoseSeries, options: AnalysisOptions | None = None) -> FormReport:
    """Reps, per-rep metrics and faults, fatigue, warnings and honesty notes of one set.

    Gaps make numpy warn about all-NaN windows; every such window is checked explicitly, so
    those RuntimeWarnings are silenced here rather than shown to the user.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyze(series, options or AnalysisOptions())


def _analyze(series: PoseSeries, options: AnalysisOptions) -> FormReport:
    validate_series(series)
    th = load_thresholds()
    report = FormReport(
        frames=series.frames_decoded if series.frames_decoded is not None else series.n_frames,
        frames_with_pose=series.frames_with_pose(),
        fps_processed=options.fps_processed or series.fps,
        source=series.source, thresholds=th.values(),
        threshold_sources=th.sources(),
    )  # fmt: skip
    if report.frames_with_pose == 0:
        report.add_warnings([NO_PERSON])
        return report
    side = choose_side(series)
    body = build_body(series, side, options.max_gap_s, options.min_visibility)
    report.side, report.facing = side.name, "right" if side.facing > 0 else "left"
    report.bar_source = body.bar_source
    report.distance_unit = unit_scale(body)[0]
    report.body_height_px = round(body.height_px, 1) if np.isfinite(body.height_px) else None
    if not np.isfinite(body.height_px) or body.height_px <= 0:
        report.add_warnings([NO_PERSON])
        return report
    events, report.rejected_rises = find_reps(body, _geometry(th))
    for number, ev in enumerate(events, start=1):
        rep = measure_rep(body, ev, number)
        rep.faults = rep_faults(rep, th)
        rep.hips_forward_at_lockout = hips_forward(rep, th)
        report.reps.append(rep)
    midfoot_known = body.bar_source != "plate" or plate_vs_feet_measurable(series)
    if not midfoot_known:
        for rep in report.reps:
            rep.bar_drift_from_midfoot = None
    report.fatigue = fatigue(report, th)
    report.add_warnings(_warnings(report, body, side.visibility))
    report.notes = _notes(report, body)
    if report.reps and not midfoot_known:
        report.notes.insert(-1, NOTE_NO_MIDFOOT)
    return report


def _geometry(th: Thresholds) -> Geometry:
    return Geometry(
        max_liftoff_trunk_deg=th.max_liftoff_trunk_deg.value,
        min_lockout_trunk_deg=th.min_lockout_trunk_deg.value,
        min_trunk_rise_deg=th.min_trunk_rise_deg.value,
        min_bar_travel_h=th.min_bar_travel_h.value, min_concentric_s=0.3, max_concentric_s=8.0,
    )  # fmt: skip


def fatigue(report: FormReport, th: Thresholds) -> dict:
    """Rep speed through the set and the faults that appear only in its last third."""
    durations = [r.concentric_s for r in report.reps]
    n = len(durations)
    speeds = [r.mean_bar_speed for r in report.reps]
    out: dict = {"concentric_s": durations, "mean_bar_speed": speeds, "velocity_loss_pct": None,
                 "slowdown_ratio": None, "slowing": False,
                 "faults_only_in_last_reps": {}, "summary": ""}  # fmt: skip
    if n < 3:
        out["summary"] = "Too few reps to judge fatigue."
        return out
    third = int(np.ceil(n / 3))
    ratio = float(np.mean(durations[-third:]) / np.mean(durations[:third]))
    out["slowdown_ratio"] = round(ratio, 2)
    if all(v for v in speeds):
        loss = 1 - float(np.mean(speeds[-third:]) / np.mean(speeds[:third]))
        out["velocity_loss_pct"] = round(100 * loss, 1)
    out["slowing"] = ratio >= th.slowdown_ratio.value
    late = {}
    for fault in {f for r in report.reps for f in r.faults}:
        reps = report.fault_reps(fault)
        if min(reps) > n - third:
            late[fault] = reps
    out["faults_only_in_last_reps"] = dict(sorted(late.items()))
    parts = [f"the last reps took {ratio:.2f}x as long as the first"]
    loss = out["velocity_loss_pct"]
    if loss is not None:
        parts[0] += f" (bar speed {'down' if loss >= 0 else 'up'} {abs(loss):.0f}%)"
    parts += [f"{f.replace('_', ' ')} only on {rep_range(r)}" for f, r in sorted(late.items())]
    out["summary"] = "; ".join(parts) + "."
    return out


def _warnings(report: FormReport, body: Body, visibility: float) -> list[str]:
    warnings = []
    if not report.reps:
        warnings.append(NO_DEADLIFT)
    elif report.rejected_rises:
        n = report.rejected_rises
        warnings.append(
            f"{n} bar rise{'s' if n > 1 else ''} from below the knees {'were' if n > 1 else 'was'} "
            "not counted as a rep: the trunk did not read as going from bent to upright, so the "
            "rep count may be short. This happens when a plate hides the hips. To fix it, "
            f"{FILM_TIP}."
        )
    missing = float(np.mean(body.lost))
    if missing > 0.2:
        warnings.append(
            f"The hip, knee or shoulder nearer the camera was lost in {missing:.0%} of frames, so "
            f"some reps may be missed or mis-timed. To fix it, {FILM_TIP}, with nothing between "
            "the camera and the lifter."
        )
    unsteady = [rep.number for rep in report.reps if rep.outline_unsteady]
    if unsteady:
        warnings.append(
            "The back's outline jumped from frame to frame on rep(s) "
            f"{', '.join(map(str, unsteady))}, so rounding was not estimated there (loose "
            "clothing, long hair, an arm or a plate against the back). To fix it, wear a fitted "
            f"top, tie long hair up and {FILM_TIP}."
        )
    if visibility < 0.5:
        warnings.append(
            f"Landmark visibility is low ({visibility:.2f} of 1), so angles are uncertain. To fix "
            f"it, {FILM_TIP}, in fitted clothes."
        )
    return warnings


def _notes(report: FormReport, body: Body) -> list[str]:
    notes = [NOTE_ESTIMATE if body.sagitta is not None else NOTE_NO_OUTLINE, NOTE_ANGLES]
    if body.bar_source == "plate":
        notes.append("Bar distances are in centimetres, scaled from a standard 450 mm plate.")
    elif report.distance_unit == "cm":
        notes.append(
            "The bar path follows the hands (no plate in this input); distances are in "
            "centimetres from the file's own units."
        )
    else:
        notes.append(
            "The bar path follows the hands (the plate was not seen), so bar distances are in "
            "body heights, not centimetres."
        )
    if any(rep.hip_rise_source == "outline" for rep in report.reps):
        notes.append(NOTE_HIP_RISE_OUTLINE)
    notes.append(NOTE_THRESHOLDS)
    return notes
