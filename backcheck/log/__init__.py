"""Training and symptom log: import what lifters already keep, find what precedes symptoms.

Public API (everything else is private):

    store = open_log(load_settings())                  # SQLite in the data folder, or any URL
    import_file(store, "strong.csv")                   # atomic, idempotent -> ImportSummary
    preview_import(data, "strong.csv", store=store)    # nothing written -> ImportPreview
    add_symptom(store, when, intensity=5, quality="tight"); delete_symptom(store, id)
    rep = report(store); rep.to_json(); rep.to_text()  # analytics
    chart_series(rep); spinal_load_png(rep) ...        # charts as JSON series or PNG bytes
    log_findings(store)                                # Findings (origin "log") for triage
    export_json(store) / restore_json(store, doc)      # lossless
"""

from backcheck.log.analytics.report import LogReport, report
from backcheck.log.charts import (
    chart_series,
    e1rm_png,
    ratio_png,
    spinal_load_png,
    write_charts,
)
from backcheck.log.db import LogStore, open_log
from backcheck.log.export import export_json, restore_json
from backcheck.log.findings import findings_from_report, log_findings
from backcheck.log.ingest import (
    MAX_IMPORT_SETS,
    ImportPreview,
    ImportSummary,
    import_file,
    preview_import,
)
from backcheck.log.symptoms import add_symptom, delete_symptom, list_symptoms, stats

__all__ = [
    "ImportPreview",
    "ImportSummary",
    "LogReport",
    "LogStore",
    "MAX_IMPORT_SETS",
    "add_symptom",
    "chart_series",
    "delete_symptom",
    "e1rm_png",
    "export_json",
    "findings_from_report",
    "import_file",
    "list_symptoms",
    "log_findings",
    "open_log",
    "preview_import",
    "ratio_png",
    "report",
    "restore_json",
    "spinal_load_png",
    "stats",
    "write_charts",
]
