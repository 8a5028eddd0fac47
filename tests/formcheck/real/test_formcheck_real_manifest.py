"""The real-footage set matches its manifest: every file listed is there with the recorded bytes,
every video in the folders is listed, and each entry names its source and licence.

These tests only read the files and their container metadata; they never run the form check
(labels for this set are made blind to the analysis).
"""

import hashlib
from pathlib import Path

import av
import pytest
import yaml

HERE = Path(__file__).parent
MANIFEST = yaml.safe_load((HERE / "manifest.yaml").read_text(encoding="utf-8"))
ENTRIES = MANIFEST["clips"] + MANIFEST["bad_footage"]
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm", ".avi", ".mkv", ".m4v"}
REDISTRIBUTABLE = {
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "GPL-3.0",
}


def test_every_video_in_the_folders_is_in_the_manifest():
    listed = {e["file"] for e in ENTRIES}
    on_disk = {
        str(p.relative_to(HERE))
        for sub in ("clips", "bad_footage")
        for p in (HERE / sub).iterdir()
        if p.suffix.lower() in VIDEO_SUFFIXES
    }
    assert on_disk == listed


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_entry_matches_its_file(entry):
    path = HERE / entry["file"]
    data = path.read_bytes()
    assert len(data) == entry["bytes"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.width == entry["width"]
        assert stream.codec_context.height == entry["height"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_entry_names_source_and_licence(entry):
    assert entry["licence"] in REDISTRIBUTABLE
    assert entry["source_repo"].count("/") == 1
    assert len(entry["commit"]) == 40
    assert entry["path"]
    if entry["licence"].startswith("CC-BY"):
        assert entry.get("attribution")


def test_lift_clips_are_named_after_their_lift():
    prefixes = {
        "back_squat": "squat_",
        "deadlift_conventional": "deadlift_",
        "deadlift_sumo": "sumo_",
        "romanian_deadlift": "rdl_",
        "barbell_row": "row_",
        "good_morning": "goodmorning_",
    }
    for entry in MANIFEST["clips"]:
        assert Path(entry["file"]).name.startswith(prefixes[entry["lift"]])
