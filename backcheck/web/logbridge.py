"""What the web pages need from the training log, gathered in one place.

The web app only calls the log's public API; this module shapes its answers for templates
(the report, the chart series for the interactive charts) and for the export.
"""

from __future__ import annotations

import json
from typing import Any

from backcheck.findings import Finding
from backcheck.log import (
    LogStore,
    chart_series,
    e1rm_png,
    export_json,
    list_symptoms,
    log_findings,
    ratio_png,
    report,
    spinal_load_png,
    stats,
)

PNG_CHARTS = {"spinal_load": spinal_load_png, "ratio": ratio_png, "e1rm": e1rm_png}


def symptoms(store: LogStore) -> list[dict[str, Any]]:
    """Symptoms, newest first."""
    return list(reversed(list_symptoms(store)))


def log_view(store: LogStore) -> dict[str, Any]:
    """Counts, recent symptoms, the report and the numbers behind the charts."""
    counts = stats(store)
    view: dict[str, Any] = {
        "stats": counts,
        "symptoms": symptoms(store)[:20],
        "report": None,
        "series_json": None,
    }
    if counts["sets"]:
        rep = report(store)
        view["report"] = rep.to_json()
        view["series_json"] = json.dumps(chart_series(rep), allow_nan=False).replace("<", "\\u003c")
    return view


def chart_png(store: LogStore, name: str) -> bytes:
    """One chart as a PNG (the page's fallback when scripts are off)."""
    return PNG_CHARTS[name](report(store))


def findings(store: LogStore) -> list[Finding]:
    """What the log shows (load jumps, volume jumps...) as findings for triage and advice."""
    return list(log_findings(store))


def export_files(store: LogStore) -> list[tuple[str, str]]:
    """(file name, text) of the log for the export ZIP; `restore_json` reads it back."""
    return [("log.json", json.dumps(export_json(store), indent=1))]
