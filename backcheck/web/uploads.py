"""Accepting files from the browser: size and type limits, and paths that stay in the data dir.

A file's type is judged by its first bytes, not by the name or the browser's word, and it is
stored under a random folder name the user never chooses, so no upload can write or read
outside `data_dir`.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from starlette.datastructures import UploadFile

from backcheck.errors import InputError

VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi"}
CHUNK = 1 << 20


def video_kind(head: bytes) -> str | None:
    """The container a video file starts like, or None if it is not a video we read."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return ".mp4" if head[8:10] != b"qt" else ".mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ".webm" if b"webm" in head[:64] else ".mkv"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return ".avi"
    return None


def inside(base: Path, *parts: str) -> Path:
    """`base/parts...`, refusing anything that resolves outside `base`."""
    base = base.resolve()
    path = base.joinpath(*parts).resolve()
    if not path.is_relative_to(base) or path == base:
        raise InputError("That file is not part of your backcheck data.")
    return path


def save_video(upload: UploadFile, videos_dir: Path, max_bytes: int) -> tuple[str, str]:
    """Store an uploaded video; returns (folder relative to the data dir, file name)."""
    head = upload.file.read(64)
    kind = video_kind(head)
    suffix = Path(upload.filename or "").suffix.lower()
    if kind is None or suffix not in VIDEO_SUFFIXES:
        raise InputError(
            "That file is not a video backcheck can read: upload an MP4, MOV, "
            "WebM, MKV or AVI file filmed from the side."
        )
    folder_name = secrets.token_hex(8)
    folder = videos_dir / folder_name
    folder.mkdir(parents=True)
    target = folder / f"video{kind}"
    size = 0
    with target.open("wb") as out:
        out.write(head)
        size += len(head)
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                shutil.rmtree(folder)
                raise InputError(f"The video is larger than {max_bytes // 1_000_000} MB.")
            out.write(chunk)
    return f"{videos_dir.name}/{folder_name}", target.name


def display_name(filename: str | None) -> str:
    """The uploaded file's own name, for display only (never used as a path)."""
    return Path(filename or "video").name[:120] or "video"
