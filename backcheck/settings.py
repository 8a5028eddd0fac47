"""Every setting, declared once.

`SETTINGS` is the single declaration: environment variable, default and help. The CLI options,
the web settings page and the README table are derived from it, so a default is never written
in two places. `load_settings()` reads the environment (and explicit overrides from the CLI).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Callable[[dict[str, Any]], Any]
    help: str
    parse: Callable[[str], Any] = str


def _default_data_dir(_: dict[str, Any]) -> Path:
    return Path(platformdirs.user_data_dir("backcheck", appauthor=False))


def _default_db_url(values: dict[str, Any]) -> str:
    return f"sqlite:///{Path(values['data_dir']) / 'backcheck.sqlite3'}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "BACKCHECK_DATA_DIR",
        _default_data_dir,
        "Folder for the SQLite database, charts and uploaded videos.",
        Path,
    ),
    Setting(
        "db_url",
        "BACKCHECK_DB_URL",
        _default_db_url,
        "SQLAlchemy database URL; defaults to a SQLite file in the data folder.",
    ),
    Setting(
        "host",
        "BACKCHECK_HOST",
        lambda _: "127.0.0.1",
        "Address the web app binds to. Any address but loopback needs a token.",
    ),
    Setting("port", "BACKCHECK_PORT", lambda _: 8000, "Port of the web app.", int),
    Setting(
        "token",
        "BACKCHECK_TOKEN",
        lambda _: None,
        "Access token for the web app; required when binding beyond loopback.",
    ),
    Setting(
        "max_upload_mb",
        "BACKCHECK_MAX_UPLOAD_MB",
        lambda _: 50,
        "Largest training-log export accepted, in MB.",
        int,
    ),
    Setting(
        "max_video_mb",
        "BACKCHECK_MAX_VIDEO_MB",
        lambda _: 500,
        "Largest video accepted, in MB.",
        int,
    ),
    Setting(
        "max_video_seconds",
        "BACKCHECK_MAX_VIDEO_SECONDS",
        lambda _: 300,
        "Longest video analysed, in seconds.",
        int,
    ),
)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    host: str
    port: int
    token: str | None
    max_upload_mb: int
    max_video_mb: int
    max_video_seconds: int


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Settings from explicit overrides, then the environment, then the declared defaults."""
    env = os.environ if env is None else env
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    values: dict[str, Any] = {}
    for s in SETTINGS:
        if s.name in overrides:
            values[s.name] = (
                s.parse(str(overrides[s.name]))
                if not isinstance(overrides[s.name], Path)
                else overrides[s.name]
            )
        elif env.get(s.env):
            values[s.name] = s.parse(env[s.env])
        else:
            values[s.name] = s.default(values)
    return Settings(**values)
