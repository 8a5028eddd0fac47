"""`make bench`: run every `bench/bench_*.py` and write one Markdown table.

Each module exposes `run() -> list[tuple[str, str, str]]`: rows of (metric, measured, target).
Each runs in a fresh process, so one part's peak memory or warm caches never colour another's.
The table goes to stdout and to `bench/results.md`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def _rows_of(name: str) -> list[list[str]]:
    """The rows of one bench module, measured in a child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--one", name],
        capture_output=True, text=True, check=False, cwd=HERE.parent,
    )  # fmt: skip
    if proc.returncode != 0:
        return [
            ["run failed", proc.stderr.strip().splitlines()[-1][:200] if proc.stderr else "?", ""]
        ]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    if sys.argv[1:2] == ["--one"]:
        rows = importlib.import_module(f"bench.{sys.argv[2]}").run()
        print(json.dumps([list(r) for r in rows]))
        return 0
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    only = set(sys.argv[1:])
    lines = [
        f"# backcheck benchmarks ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"Python {platform.python_version()})",
        "",
        "| part | metric | measured | target |",
        "| --- | --- | --- | --- |",
    ]
    for name in names:
        part = name.removeprefix("bench_")
        if only and part not in only:
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        for metric, measured, target in _rows_of(name):
            lines.append(f"| {part} | {metric} | {measured} | {target} |")
    table = "\n".join(lines) + "\n"
    print(table)
    (HERE / "results.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
