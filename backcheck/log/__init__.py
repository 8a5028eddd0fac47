"""Training and symptom log: import what lifters already keep, find what precedes symptoms.

Public API (everything else is private):

    store = open_log(load_settings())            # SQLite in the data folder, or any URL
    import_file(store, "strong.csv")             # atomic, idempotent -> ImportSummary
    preview_import(data, "strong.csv", store=store)  # nothing written -> ImportPreview
    add_symptom(store, when, intensity=5, quality="tight")
    report(store).to_json();  log_findings(store)   # analytics; Findings for triage/advice
    export_json(store) / restore_json(store, doc)   # lossless
"""

from backcheck.log.db import LogStore, open_log
from backcheck.log.ingest import ImportPreview, ImportSummary, import_file, preview_import
from backcheck.log.symptoms import add_symptom, delete_symptom, list_symptoms, stats

__all__ = [
    "ImportPreview",
    "ImportSummary",
    "LogStore",
    "add_symptom",
    "delete_symptom",
    "import_file",
    "list_symptoms",
    "open_log",
    "preview_import",
    "stats",
]
