"""Uploaded training-log exports waiting for the lifter to confirm the import.

Each upload is kept under `pending-imports/` as `<token>` (its bytes) and `<token>.name` (its
file name) until confirmed or PENDING_SECONDS old; `<token>.done` (empty) remembers for as
long that it was imported, so a second confirmation is told so. Expired files are deleted when
the app starts and whenever the log or History is used; History lists what waits, can delete
it, and the export includes it: it is the lifter's data too.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from backcheck.web import uploads

PENDING = "pending-imports"
PENDING_SECONDS = 3600
TOKEN_LENGTH = 32


def folder(data_dir: Path) -> Path:
    return data_dir / PENDING


def save(data_dir: Path, data: bytes, name: str) -> str:
    """Keep an upload for confirmation; returns its token. Written whole, then renamed into
    place, so a half-written upload is never imported."""
    sweep(data_dir)
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    where = folder(data_dir)
    where.mkdir(exist_ok=True)
    (where / f"{token}.name").write_text(name, encoding="utf-8")
    tmp = where / f".{token}.part"
    tmp.write_bytes(data)
    os.replace(tmp, where / token)
    return token


def path_of(data_dir: Path, token: str) -> Path | None:
    """The upload of a well-formed token (it may not exist), or None."""
    if len(token) != TOKEN_LENGTH or not token.isascii() or not token.isalnum():
        return None
    return uploads.inside(data_dir, PENDING, token)


def waiting(data_dir: Path) -> list[tuple[str, str]]:
    """(token, file name) of the uploads still waiting, oldest first."""
    sweep(data_dir)
    where = folder(data_dir)
    if not where.is_dir():
        return []
    out = []
    for path in sorted(where.iterdir(), key=_mtime):
        if path.is_file() and path_of(data_dir, path.name) == path:
            name_file = path.with_name(f"{path.name}.name")
            name = name_file.read_text(encoding="utf-8") if name_file.is_file() else "export"
            out.append((path.name, name))
    return out


def delete_all(data_dir: Path) -> int:
    """Delete every waiting upload (and its markers); returns how many uploads there were."""
    count = len(waiting(data_dir))
    where = folder(data_dir)
    for path in where.iterdir() if where.is_dir() else []:
        path.unlink(missing_ok=True)
    return count


def sweep(data_dir: Path, max_age: float = PENDING_SECONDS) -> None:
    """Delete uploads, names and markers older than `max_age` seconds."""
    where = folder(data_dir)
    if not where.is_dir():
        return
    oldest = time.time() - max_age
    for path in where.iterdir():
        if _mtime(path) < oldest:
            path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")  # deleted meanwhile: never "expired", skipped by the caller
